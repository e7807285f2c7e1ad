package org.grievance.ssd.engine;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a JVM that runs LibTorch under glibc's default malloc how to stop paying for fresh memory
 * on every training step.
 *
 * <p>LibTorch allocates each activation afresh and frees it when the step ends. glibc serves every
 * block over its mmap threshold (at most 32 MB) with a fresh {@code mmap} and unmaps it on free, so
 * each step faults its activations in again and the kernel zeroes every page: at 300x480, batch 32,
 * a third of the CPU time went to the kernel (docs/speed.md, "Allocator"). Four glibc tunables make
 * freed blocks stay in the process for the next step instead: no separate mappings, one arena (a
 * thread arena's heap cannot grow past 64 MB, so large blocks would fall back to mappings), never
 * trimmed, on transparent huge pages. Tunables are read once, when the process starts, so a library
 * cannot switch this on for the JVM it runs in: the {@code ./ssd} launcher sets them, and an
 * embedding JVM gets this one-line warning saying what to set.
 */
public final class NativeAllocator {
  /** The tunables that keep LibTorch's freed blocks in the process ({@code ./ssd} sets them). */
  public static final String TUNABLES =
      "glibc.malloc.hugetlb=1:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1"
          + ":glibc.malloc.trim_threshold=68719476736";

  /** The environment setting that the warning asks for. */
  public static final String TUNABLE = "GLIBC_TUNABLES=" + TUNABLES;

  /** System property that turns the warning off ({@code -Dssd.allocator.warn=false}). */
  public static final String WARN_PROPERTY = "ssd.allocator.warn";

  /**
   * The smallest trim threshold that counts as "never trimmed": below it glibc hands the top of the
   * heap back to the kernel after a step and the next step faults it in again.
   */
  static final long MIN_TRIM_THRESHOLD = 1L << 30;

  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);

  private NativeAllocator() {}

  /** What serves LibTorch's large blocks in this process. */
  public enum Setting {
    /** glibc tuned to keep freed blocks for reuse ({@link #TUNABLES}): nothing to fault in. */
    GLIBC_KEEPS_FREED_BLOCKS,
    /**
     * glibc with only {@code glibc.malloc.hugetlb} set: blocks still go back to the kernel, but
     * fault in 2 MB at a time (training about half as fast as with {@link #TUNABLES}).
     */
    GLIBC_HUGE_PAGES,
    /** Another allocator preloaded (jemalloc, tcmalloc, mimalloc): it keeps freed blocks. */
    PRELOADED_ALLOCATOR,
    /** glibc's defaults: every large block is faulted in 4 KB at a time, every step. */
    GLIBC_DEFAULT,
    /** Not Linux: nothing known to advise. */
    OTHER_SYSTEM
  }

  /**
   * Classifies a process from its environment.
   *
   * @param env the process environment ({@code GLIBC_TUNABLES}, {@code LD_PRELOAD} are read)
   * @param osName the {@code os.name} property
   */
  public static Setting inspect(Map<String, String> env, String osName) {
    if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
      return Setting.OTHER_SYSTEM;
    }
    String preload = env.getOrDefault("LD_PRELOAD", "").toLowerCase(Locale.ROOT);
    if (preload.contains("jemalloc")
        || preload.contains("tcmalloc")
        || preload.contains("mimalloc")) {
      return Setting.PRELOADED_ALLOCATOR;
    }
    Map<String, String> tunables = parse(env.getOrDefault("GLIBC_TUNABLES", ""));
    if (keepsFreedBlocks(tunables)) {
      return Setting.GLIBC_KEEPS_FREED_BLOCKS;
    }
    return hugePagesRequested(tunables) ? Setting.GLIBC_HUGE_PAGES : Setting.GLIBC_DEFAULT;
  }

  /** A {@code GLIBC_TUNABLES} value as name to value; a later setting wins, as in glibc. */
  static Map<String, String> parse(String tunables) {
    Map<String, String> values = new HashMap<>();
    for (String entry : tunables.split(":")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        values.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
      }
    }
    return values;
  }

  /** Whether the tunables set {@code glibc.malloc.hugetlb} to 1 or more. */
  static boolean hugePagesRequested(Map<String, String> tunables) {
    long value = number(tunables.get("glibc.malloc.hugetlb"));
    return value > 0;
  }

  /**
   * Whether freed blocks stay in the process: no mappings of their own, one arena, and a trim
   * threshold of at least {@link #MIN_TRIM_THRESHOLD}.
   */
  static boolean keepsFreedBlocks(Map<String, String> tunables) {
    return number(tunables.get("glibc.malloc.mmap_max")) == 0
        && number(tunables.get("glibc.malloc.arena_max")) == 1
        && number(tunables.get("glibc.malloc.trim_threshold")) >= MIN_TRIM_THRESHOLD;
  }

  /** A tunable's value as a number, -1 when missing or not a decimal or 0x number. */
  private static long number(String value) {
    if (value == null || value.isEmpty()) {
      return -1;
    }
    try {
      return value.startsWith("0x") || value.startsWith("0X")
          ? Long.parseUnsignedLong(value.substring(2), 16)
          : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The advice for a setting, empty when there is nothing to change. */
  public static Optional<String> advice(Setting setting) {
    String fix =
        " Start this JVM with "
            + TUNABLE
            + " in its environment, as ./ssd does (docs/speed.md, \"Allocator\"); -D"
            + WARN_PROPERTY
            + "=false silences this.";
    return switch (setting) {
      case GLIBC_DEFAULT ->
          Optional.of(
              "LibTorch runs under glibc's default malloc, which page-faults every large activation"
                  + " in again on every step (training up to 4x slower)."
                  + fix);
      case GLIBC_HUGE_PAGES ->
          Optional.of(
              "glibc hands LibTorch's freed activations back to the kernel, which zeroes them again"
                  + " on every step (training about 2x slower)."
                  + fix);
      default -> Optional.empty();
    };
  }

  /** This process's setting. */
  public static Setting current() {
    return inspect(System.getenv(), System.getProperty("os.name", ""));
  }

  /**
   * Logs the advice for this process once per JVM (a warning), unless the property {@value
   * #WARN_PROPERTY} is {@code false}. Called where LibTorch starts working for us: the detector and
   * the trainer.
   */
  public static void warnOnceIfSlow() {
    if ("false".equalsIgnoreCase(System.getProperty(WARN_PROPERTY))
        || !WARNED.compareAndSet(false, true)) {
      return;
    }
    advice(current()).ifPresent(LOG::warn);
  }
}
