package org.grievance.ssd.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code ssd} command: one sub-command per job, each in its own class. */
@Command(
    name = "ssd",
    mixinStandardHelpOptions = true,
    version = "ssd 0.1.0",
    description =
        "Single Shot MultiBox Detector for Java: train, evaluate, predict, inspect anchors.",
    subcommands = {
      QuickstartCommand.class,
      TrainCommand.class,
      PredictCommand.class,
      EvaluateCommand.class,
      CalibrateCommand.class,
      AnchorsCommand.class,
      BenchCommand.class,
      AugmentPreviewCommand.class,
      DatasetCommand.class,
      SynthCommand.class,
      ServeCommand.class,
      RegisterCommand.class,
      LoadTestCommand.class,
      WeightsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SsdCli {

  /** Read from the parse result by {@link CliLogging#apply}; every command inherits it. */
  @Option(
      names = CliLogging.OPTION,
      scope = ScopeType.INHERIT,
      description =
          "Also print the libraries' log lines (DJL's engine and GPU probing, Javalin, Jetty,"
              + " Flyway, HikariCP); by default only warnings, and DJL's errors.")
  boolean verbose;

  /** Runs the CLI and returns its exit code (0 ok, 1 bad input or failure, 2 usage error). */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the CLI with the given output streams (tests capture them). */
  public static int run(PrintWriter out, PrintWriter errOut, String... args) {
    CommandLine cli = new CommandLine(new SsdCli());
    cli.setOut(out);
    cli.setErr(errOut);
    cli.setExecutionStrategy(
        parseResult -> {
          CliLogging.apply(parseResult);
          return new CommandLine.RunLast().execute(parseResult);
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("error: " + describe(ex));
          if (System.getenv("SSD_DEBUG") != null) {
            ex.printStackTrace(err);
          }
          err.flush();
          return 1;
        });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** The message a user needs: the exception's own, with its cause when that adds something. */
  public static String describe(Throwable ex) {
    String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    Throwable cause = ex.getCause();
    if (cause != null && cause.getMessage() != null && !msg.contains(cause.getMessage())) {
      msg += " (" + cause.getMessage() + ")";
    }
    return msg;
  }
}
