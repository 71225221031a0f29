package io.berth.cli.member;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A text table drawn as etcdctl's {@code -w table} draws one: a ruled header, centred titles, padded cells. */
final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  void row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + header.size() + " columns");
    }
    rows.add(List.of(cells));
  }

  void print(PrintStream out) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    String rule = rule(widths);
    out.println(rule);
    out.println(line(header, widths, true));
    out.println(rule);
    for (List<String> row : rows) {
      out.println(line(row, widths, false));
    }
    out.println(rule);
  }

  private static String rule(int[] widths) {
    StringBuilder s = new StringBuilder("+");
    for (int w : widths) {
      s.append("-".repeat(w + 2)).append('+');
    }
    return s.toString();
  }

  private static String line(List<String> cells, int[] widths, boolean centred) {
    StringBuilder s = new StringBuilder("|");
    for (int i = 0; i < widths.length; i++) {
      String cell = cells.get(i);
      int pad = widths[i] - cell.length();
      int left = centred ? pad / 2 : 0;
      s.append(' ').append(" ".repeat(left)).append(cell).append(" ".repeat(pad - left)).append(" |");
    }
    return s.toString();
  }
}
