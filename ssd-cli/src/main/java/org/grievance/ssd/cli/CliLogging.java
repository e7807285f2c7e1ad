package org.grievance.ssd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.ParseResult;

/**
 * How loud the libraries are. slf4j-simple takes its levels from {@code simplelogger.properties}
 * (quiet: libraries at WARN, DJL at ERROR, our code at INFO) unless a system property of the same
 * name is set. {@code --verbose} sets those properties back to INFO; it must run before the first
 * logger exists, because slf4j-simple reads the default level once and each logger's level when the
 * logger is created. The CLI calls it after parsing and before any command runs: parsing creates no
 * logger, and DJL's loggers are created when the engine loads.
 */
final class CliLogging {
  static final String OPTION = "--verbose";
  static final String CONFIG_RESOURCE = "/simplelogger.properties";
  static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
  static final String LOGGER_PREFIX = "org.slf4j.simpleLogger.log.";
  private static final String OWN_LOGGERS = LOGGER_PREFIX + "org.grievance";

  private CliLogging() {}

  /** Applies the verbosity the command line asked for, on any command of the chain. */
  static void apply(ParseResult parsed) {
    if (verboseRequested(parsed)) {
      showLibraryLogs();
    }
  }

  static boolean verboseRequested(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(OPTION)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sets the default level and every library level of {@link #CONFIG_RESOURCE} to INFO, leaving
   * alone any property the user set (so {@code -D...=debug} still wins).
   */
  static void showLibraryLogs() {
    for (String key : quietDefaults().stringPropertyNames()) {
      boolean libraryLevel = key.startsWith(LOGGER_PREFIX) && !key.startsWith(OWN_LOGGERS);
      if (key.equals(DEFAULT_LEVEL) || libraryLevel) {
        System.getProperties().putIfAbsent(key, "info");
      }
    }
  }

  /** The quiet levels the CLI ships with. */
  static Properties quietDefaults() {
    Properties p = new Properties();
    try (InputStream in = CliLogging.class.getResourceAsStream(CONFIG_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + CONFIG_RESOURCE);
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
