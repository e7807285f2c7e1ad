package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Library log lines stay off the console unless {@code --verbose} asks for them. */
class CliLoggingTest {

  @Test
  void shippedLevelsKeepLibrariesQuietAndOurCodeAtInfo() {
    Properties levels = CliLogging.quietDefaults();
    assertThat(levels.getProperty(CliLogging.DEFAULT_LEVEL)).isEqualTo("warn");
    assertThat(levels.getProperty(CliLogging.LOGGER_PREFIX + "ai.djl")).isEqualTo("error");
    assertThat(levels.getProperty(CliLogging.LOGGER_PREFIX + "org.grievance")).isEqualTo("info");
  }

  @Test
  void verboseIsRecognisedBeforeOrAfterTheCommand() {
    assertThat(verbose("anchors", "--model", "ssd7")).isFalse();
    assertThat(verbose("--verbose", "anchors", "--model", "ssd7")).isTrue();
    assertThat(verbose("anchors", "--model", "ssd7", "--verbose")).isTrue();
    assertThat(verbose("dataset", "check", "--data", "d", "--verbose")).isTrue();
  }

  @Test
  void aFreshJvmPrintsOnlyOurOwnLinesByDefault() throws Exception {
    String quiet = runProbe("anchors", "--help");
    assertThat(quiet).contains("probe: own info");
    assertThat(quiet).doesNotContain("probe: djl warning").doesNotContain("probe: library info");
  }

  @Test
  void aFreshJvmWithVerbosePrintsTheLibrariesToo() throws Exception {
    String verbose = runProbe("anchors", "--verbose", "--help");
    assertThat(verbose)
        .contains("probe: own info")
        .contains("probe: djl warning")
        .contains("probe: library info");
  }

  private static boolean verbose(String... args) {
    return CliLogging.verboseRequested(new CommandLine(new SsdCli()).parseArgs(args));
  }

  /** Runs {@link Probe} in a new JVM (logging is configured once per JVM) and returns stderr. */
  private static String runProbe(String... cliArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Probe.class.getName());
    cmd.addAll(Arrays.asList(cliArgs));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    return err;
  }

  /** Runs the CLI with its arguments, then logs as DJL, a library and our code would. */
  public static final class Probe {
    public static void main(String[] args) {
      PrintWriter sink = new PrintWriter(Writer.nullWriter());
      int code = SsdCli.run(sink, sink, args);
      LoggerFactory.getLogger("ai.djl.util.cuda.CudaUtils").warn("probe: djl warning");
      LoggerFactory.getLogger("io.javalin.Javalin").info("probe: library info");
      LoggerFactory.getLogger("org.grievance.ssd.train.Trainer").info("probe: own info");
      System.exit(code);
    }
  }
}
