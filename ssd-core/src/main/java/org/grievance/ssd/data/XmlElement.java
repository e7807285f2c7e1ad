package org.grievance.ssd.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A minimal element tree that remembers the line of each element, so that field errors can name it.
 * Parsed with StAX with DTDs and external entities disabled: a document carrying a {@code DOCTYPE}
 * is rejected outright (VOC annotations never have one), which closes XXE and entity-expansion
 * attacks.
 */
final class XmlElement {
  private static final XMLInputFactory FACTORY = newFactory();

  final String name;
  final int line;
  final List<XmlElement> children = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();

  private XmlElement(String name, int line) {
    this.name = name;
    this.line = line;
  }

  private static XMLInputFactory newFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  /** The element's own text, trimmed (text of children excluded). */
  String text() {
    return text.toString().strip();
  }

  /** The first direct child called {@code childName}, or null. */
  XmlElement child(String childName) {
    for (XmlElement c : children) {
      if (c.name.equals(childName)) {
        return c;
      }
    }
    return null;
  }

  /** All direct children called {@code childName}. */
  List<XmlElement> children(String childName) {
    List<XmlElement> out = new ArrayList<>();
    for (XmlElement c : children) {
      if (c.name.equals(childName)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Parses {@code file} into its root element.
   *
   * @throws DatasetException naming file and line for malformed XML or a DOCTYPE
   */
  static XmlElement parse(Path file) {
    XMLStreamReader r = null;
    try (InputStream in = Files.newInputStream(file)) {
      // The input factory is thread-safe once configured.
      synchronized (FACTORY) {
        r = FACTORY.createXMLStreamReader(in);
      }
      Deque<XmlElement> stack = new ArrayDeque<>();
      XmlElement root = null;
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.DTD ->
              throw DatasetException.at(
                  file,
                  r.getLocation().getLineNumber(),
                  "DOCTYPE declarations are not allowed in annotation files (entities disabled)");
          case XMLStreamConstants.ENTITY_REFERENCE ->
              throw DatasetException.at(
                  file,
                  r.getLocation().getLineNumber(),
                  "entity reference &" + r.getLocalName() + "; is not allowed");
          case XMLStreamConstants.START_ELEMENT -> {
            XmlElement e = new XmlElement(r.getLocalName(), r.getLocation().getLineNumber());
            if (stack.isEmpty()) {
              root = e;
            } else {
              stack.peek().children.add(e);
            }
            stack.push(e);
          }
          case XMLStreamConstants.END_ELEMENT -> stack.pop();
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
            if (!stack.isEmpty()) {
              stack.peek().text.append(r.getText());
            }
          }
          default -> {
            // comments, processing instructions, whitespace: nothing to keep
          }
        }
      }
      if (root == null) {
        throw DatasetException.in(file, "no XML root element");
      }
      return root;
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
      String msg = "malformed XML: " + stripLocation(e.getMessage());
      throw line > 0 ? DatasetException.at(file, line, msg) : DatasetException.in(file, msg);
    } catch (IOException e) {
      throw DatasetException.in(file, "cannot read: " + e);
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // the stream itself is closed by try-with-resources
        }
      }
    }
  }

  /** StAX prefixes messages with "ParseError at [row,col]:[..]\nMessage: "; keep the message. */
  private static String stripLocation(String message) {
    if (message == null) {
      return "parse error";
    }
    int i = message.indexOf("Message: ");
    return i >= 0 ? message.substring(i + "Message: ".length()).strip() : message.strip();
  }
}
