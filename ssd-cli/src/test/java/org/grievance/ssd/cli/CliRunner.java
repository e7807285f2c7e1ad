package org.grievance.ssd.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code ssd} command line in-process and captures what it prints. */
final class CliRunner {
  record Result(int exitCode, String out, String err) {}

  private CliRunner() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SsdCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }
}
