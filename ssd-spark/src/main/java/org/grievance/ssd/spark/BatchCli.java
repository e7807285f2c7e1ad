package org.grievance.ssd.spark;

import java.io.PrintWriter;
import org.grievance.ssd.cli.EvaluateCommand;
import org.grievance.ssd.cli.SsdCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ssd batch} command: detection over many images on Apache Spark. A command line of its
 * own, in a module of its own, so that the rest of {@code ssd} (and its quickstart) neither builds
 * nor downloads Spark; {@code ./ssd batch ...} starts it (docs/batch-on-spark.md).
 */
@Command(
    name = "ssd batch",
    mixinStandardHelpOptions = true,
    version = "ssd batch 0.1.0",
    description = {
      "Detection over many images on Apache Spark: locally (--master local[*]) or on a cluster"
          + " through spark-submit (docs/batch-on-spark.md); re-tagging the register's grievances"
          + " with its latest model version."
    },
    subcommands = {
      BatchPredictCommand.class,
      EvaluateCommand.class,
      BatchRetagCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BatchCli {
  /** Runs the command line and returns its exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(PrintWriter out, PrintWriter errOut, String... args) {
    CommandLine cli = new CommandLine(new BatchCli());
    cli.setOut(out);
    cli.setErr(errOut);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("error: " + SsdCli.describe(ex));
          if (System.getenv("SSD_DEBUG") != null) {
            ex.printStackTrace(err);
          }
          err.flush();
          return 1;
        });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }
}
