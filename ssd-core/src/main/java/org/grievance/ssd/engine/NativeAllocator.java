package org.grievance.ssd.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a JVM that runs LibTorch under glibc's default malloc how to stop paying a page fault per 4
 * KB of every activation.
 *
 * <p>LibTorch allocates each activation afresh and frees it when the step ends. glibc serves every
 * block over its mmap threshold (at most 32 MB) with a fresh {@code mmap} and unmaps it on free, so
 * each step faults its activations in again: at 300x480, batch 32, a quarter of the CPU time went
 * to the kernel and training ran at a quarter of its speed (docs/speed.md, "Allocator"). glibc's
 * {@code glibc.malloc.hugetlb=1} tunable asks for transparent huge pages on those blocks, which
 * takes 512 times fewer faults. Tunables are read once, when the process starts, so a library
 * cannot switch this on for the JVM it runs in: the {@code ./ssd} launcher sets it, and an
 * embedding JVM gets this one-line warning saying what to set.
 */
public final class NativeAllocator {
  /** The environment setting that the warning asks for. */
  public static final String TUNABLE = "GLIBC_TUNABLES=glibc.malloc.hugetlb=1";

  /** System property that turns the warning off ({@code -Dssd.allocator.warn=false}). */
  public static final String WARN_PROPERTY = "ssd.allocator.warn";

  private static final Path THP_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);

  private NativeAllocator() {}

  /** What serves LibTorch's large blocks in this process. */
  public enum Setting {
    /** glibc with {@code glibc.malloc.hugetlb} set and transparent huge pages available. */
    GLIBC_HUGE_PAGES,
    /** Another allocator preloaded (jemalloc, tcmalloc, mimalloc): it keeps freed blocks. */
    PRELOADED_ALLOCATOR,
    /** glibc's defaults: every large block is faulted in 4 KB at a time, every step. */
    GLIBC_DEFAULT,
    /** glibc's tunable is set but the kernel's transparent huge pages are off ({@code never}). */
    HUGE_PAGES_UNAVAILABLE,
    /** Not Linux: nothing known to advise. */
    OTHER_SYSTEM
  }

  /**
   * Classifies a process from its environment.
   *
   * @param env the process environment ({@code GLIBC_TUNABLES}, {@code LD_PRELOAD} are read)
   * @param osName the {@code os.name} property
   * @param thpMode the content of {@code /sys/kernel/mm/transparent_hugepage/enabled}, empty when
   *     unknown
   */
  public static Setting inspect(Map<String, String> env, String osName, String thpMode) {
    if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
      return Setting.OTHER_SYSTEM;
    }
    String preload = env.getOrDefault("LD_PRELOAD", "").toLowerCase(Locale.ROOT);
    if (preload.contains("jemalloc")
        || preload.contains("tcmalloc")
        || preload.contains("mimalloc")) {
      return Setting.PRELOADED_ALLOCATOR;
    }
    if (!hugePagesRequested(env.getOrDefault("GLIBC_TUNABLES", ""))) {
      return Setting.GLIBC_DEFAULT;
    }
    return thpMode.contains("[never]") ? Setting.HUGE_PAGES_UNAVAILABLE : Setting.GLIBC_HUGE_PAGES;
  }

  /** Whether a {@code GLIBC_TUNABLES} value sets {@code glibc.malloc.hugetlb} to 1 or more. */
  static boolean hugePagesRequested(String tunables) {
    boolean requested = false;
    for (String entry : tunables.split(":")) {
      int eq = entry.indexOf('=');
      if (eq > 0 && entry.substring(0, eq).trim().equals("glibc.malloc.hugetlb")) {
        String value = entry.substring(eq + 1).trim();
        requested = !value.isEmpty() && !value.equals("0"); // the last setting wins, as in glibc
      }
    }
    return requested;
  }

  /** The advice for a setting, empty when there is nothing to change. */
  public static Optional<String> advice(Setting setting) {
    return switch (setting) {
      case GLIBC_DEFAULT ->
          Optional.of(
              "LibTorch runs under glibc's default malloc, which page-faults every large activation"
                  + " in again on every step (training up to 4x slower). Start this JVM with "
                  + TUNABLE
                  + " in its environment, as ./ssd does (docs/speed.md, \"Allocator\"); -D"
                  + WARN_PROPERTY
                  + "=false silences this.");
      case HUGE_PAGES_UNAVAILABLE ->
          Optional.of(
              "glibc.malloc.hugetlb is set but transparent huge pages are off in this kernel"
                  + " (/sys/kernel/mm/transparent_hugepage/enabled is 'never'), so large activations"
                  + " still page-fault on every step; set it to 'madvise' (docs/speed.md,"
                  + " \"Allocator\").");
      default -> Optional.empty();
    };
  }

  /** This process's setting. */
  public static Setting current() {
    return inspect(System.getenv(), System.getProperty("os.name", ""), readThpMode());
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

  private static String readThpMode() {
    try {
      return Files.readString(THP_MODE);
    } catch (IOException | SecurityException e) {
      return "";
    }
  }
}
