package org.grievance.ssd.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.grievance.ssd.engine.NativeAllocator.Setting;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {
  private static Setting linux(String tunables) {
    return NativeAllocator.inspect(Map.of("GLIBC_TUNABLES", tunables), "Linux");
  }

  @Test
  void glibcDefaultsGetTheOneLineAdvice() {
    Setting s = NativeAllocator.inspect(Map.of(), "Linux");
    assertThat(s).isEqualTo(Setting.GLIBC_DEFAULT);
    assertThat(NativeAllocator.advice(s))
        .hasValueSatisfying(a -> assertThat(a).contains(NativeAllocator.TUNABLE));
  }

  @Test
  void theRecommendedTunablesNeedNothing() {
    assertThat(linux(NativeAllocator.TUNABLES)).isEqualTo(Setting.GLIBC_KEEPS_FREED_BLOCKS);
    assertThat(linux("glibc.malloc.tcache_count=0:" + NativeAllocator.TUNABLES))
        .isEqualTo(Setting.GLIBC_KEEPS_FREED_BLOCKS);
    assertThat(NativeAllocator.advice(Setting.GLIBC_KEEPS_FREED_BLOCKS)).isEmpty();
  }

  @Test
  void everyPartOfTheTunablesIsNeededToKeepFreedBlocks() {
    assertThat(
            linux(
                "glibc.malloc.mmap_max=0:glibc.malloc.arena_max=2"
                    + ":glibc.malloc.trim_threshold=68719476736"))
        .as("thread arenas' heaps stop at 64 MB")
        .isEqualTo(Setting.GLIBC_DEFAULT);
    assertThat(linux("glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1"))
        .as("the default trim threshold hands the heap's top back")
        .isEqualTo(Setting.GLIBC_DEFAULT);
    assertThat(
            linux(
                "glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1:glibc.malloc.trim_threshold=0x40000000"))
        .isEqualTo(Setting.GLIBC_KEEPS_FREED_BLOCKS);
    assertThat(linux(NativeAllocator.TUNABLES + ":glibc.malloc.mmap_max=65536"))
        .as("a later setting wins")
        .isEqualTo(Setting.GLIBC_HUGE_PAGES);
  }

  @Test
  void hugePagesAloneStillGetAdvice() {
    Setting s = linux("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
    assertThat(s).isEqualTo(Setting.GLIBC_HUGE_PAGES);
    assertThat(NativeAllocator.advice(s))
        .hasValueSatisfying(a -> assertThat(a).contains(NativeAllocator.TUNABLE));
  }

  @Test
  void zeroOrALaterZeroTurnsHugePagesOff() {
    assertThat(linux("glibc.malloc.hugetlb=0")).isEqualTo(Setting.GLIBC_DEFAULT);
    assertThat(linux("glibc.malloc.hugetlb=1:glibc.malloc.hugetlb=0"))
        .isEqualTo(Setting.GLIBC_DEFAULT);
    assertThat(linux("glibc.malloc.hugetlb=2")).isEqualTo(Setting.GLIBC_HUGE_PAGES);
    assertThat(linux("glibc.malloc.hugetlbx=1")).isEqualTo(Setting.GLIBC_DEFAULT);
    assertThat(linux("")).isEqualTo(Setting.GLIBC_DEFAULT);
  }

  @Test
  void aPreloadedAllocatorNeedsNothing() {
    assertThat(
            NativeAllocator.inspect(
                Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"), "Linux"))
        .isEqualTo(Setting.PRELOADED_ALLOCATOR);
  }

  @Test
  void otherSystemsAreLeftAlone() {
    assertThat(NativeAllocator.inspect(Map.of(), "Mac OS X")).isEqualTo(Setting.OTHER_SYSTEM);
    assertThat(NativeAllocator.advice(Setting.OTHER_SYSTEM)).isEmpty();
  }

  @Test
  void theLauncherAndTheTestJvmsSetTheSameTunables() throws IOException {
    // Surefire runs in the module's folder; the launcher and the parent pom sit one level up.
    Path root = Path.of("").toAbsolutePath().getParent();
    assertThat(Files.readString(root.resolve("ssd"))).contains(NativeAllocator.TUNABLES);
    assertThat(Files.readString(root.resolve("pom.xml")))
        .contains("<GLIBC_TUNABLES>" + NativeAllocator.TUNABLES + "</GLIBC_TUNABLES>");
  }
}
