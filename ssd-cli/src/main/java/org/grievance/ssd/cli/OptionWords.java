package org.grievance.ssd.cli;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The words an enum option accepts: each constant's lower-case name unless a subclass spells it
 * otherwise. As a picocli converter it reads a word (any case, spaces around ignored) and fails
 * naming the option and every word; as completion candidates it gives the words to {@code
 * ${COMPLETION-CANDIDATES}} in the help. A subclass per option (picocli creates them by class)
 * names the option and the enum.
 */
abstract class OptionWords<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
  private final String option;
  private final Map<String, E> byWord = new LinkedHashMap<>();

  /** The constants of {@code type} spelled as their lower-case names. */
  OptionWords(String option, Class<E> type) {
    this(option, type, e -> e.name().toLowerCase(Locale.ROOT));
  }

  /** The constants of {@code type} spelled by {@code word}, which gives lower-case words. */
  OptionWords(String option, Class<E> type, Function<E, String> word) {
    this.option = option;
    for (E e : type.getEnumConstants()) {
      byWord.put(word.apply(e), e);
    }
  }

  @Override
  public E convert(String value) {
    E e = byWord.get(value.trim().toLowerCase(Locale.ROOT));
    if (e == null) {
      throw new TypeConversionException(
          option + " must be " + alternatives() + ", not '" + value + "'");
    }
    return e;
  }

  @Override
  public Iterator<String> iterator() {
    return byWord.keySet().iterator();
  }

  /** {@code a, b or c}. */
  private String alternatives() {
    String[] words = byWord.keySet().toArray(String[]::new);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words.length; i++) {
      if (i > 0) {
        sb.append(i == words.length - 1 ? " or " : ", ");
      }
      sb.append(words[i]);
    }
    return sb.toString();
  }
}
