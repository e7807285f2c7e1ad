package org.grievance.ssd.data;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: first column left-aligned, the others right-aligned, two spaces apart. */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  TextTable(String... header) {
    columns = header.length;
    rows.add(header);
  }

  TextTable row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, the table " + columns + " columns");
    }
    String[] r = new String[columns];
    for (int i = 0; i < columns; i++) {
      r[i] = String.valueOf(cells[i]);
    }
    rows.add(r);
    return this;
  }

  /** Appends the table, each line starting with {@code indent} and ending with a newline. */
  void appendTo(StringBuilder out, String indent) {
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < columns; i++) {
        if (i > 0) {
          line.append("  ");
        }
        String pad = " ".repeat(width[i] - r[i].length());
        line.append(i == 0 ? r[i] + pad : pad + r[i]);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
