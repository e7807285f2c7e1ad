package org.grievance.ssd.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.grievance.ssd.engine.NativeAllocator.Setting;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {
  private static final String MADVISE = "always [madvise] never\n";

  @Test
  void glibcDefaultsGetTheOneLineAdvice() {
    Setting s = NativeAllocator.inspect(Map.of(), "Linux", MADVISE);
    assertThat(s).isEqualTo(Setting.GLIBC_DEFAULT);
    assertThat(NativeAllocator.advice(s))
        .hasValueSatisfying(a -> assertThat(a).contains(NativeAllocator.TUNABLE));
  }

  @Test
  void theTunableAmongOthersCounts() {
    assertThat(
            NativeAllocator.inspect(
                Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"),
                "Linux",
                MADVISE))
        .isEqualTo(Setting.GLIBC_HUGE_PAGES);
    assertThat(NativeAllocator.advice(Setting.GLIBC_HUGE_PAGES)).isEmpty();
  }

  @Test
  void zeroOrALaterZeroTurnsItOff() {
    assertThat(NativeAllocator.hugePagesRequested("glibc.malloc.hugetlb=0")).isFalse();
    assertThat(NativeAllocator.hugePagesRequested("glibc.malloc.hugetlb=1:glibc.malloc.hugetlb=0"))
        .isFalse();
    assertThat(NativeAllocator.hugePagesRequested("glibc.malloc.hugetlb=2")).isTrue();
    assertThat(NativeAllocator.hugePagesRequested("glibc.malloc.hugetlbx=1")).isFalse();
    assertThat(NativeAllocator.hugePagesRequested("")).isFalse();
  }

  @Test
  void kernelWithoutTransparentHugePagesIsCalledOut() {
    Setting s =
        NativeAllocator.inspect(
            Map.of("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1"),
            "Linux",
            "always madvise [never]\n");
    assertThat(s).isEqualTo(Setting.HUGE_PAGES_UNAVAILABLE);
    assertThat(NativeAllocator.advice(s))
        .hasValueSatisfying(a -> assertThat(a).contains("madvise"));
  }

  @Test
  void aPreloadedAllocatorNeedsNothing() {
    assertThat(
            NativeAllocator.inspect(
                Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"), "Linux", ""))
        .isEqualTo(Setting.PRELOADED_ALLOCATOR);
  }

  @Test
  void otherSystemsAreLeftAlone() {
    assertThat(NativeAllocator.inspect(Map.of(), "Mac OS X", "")).isEqualTo(Setting.OTHER_SYSTEM);
    assertThat(NativeAllocator.advice(Setting.OTHER_SYSTEM)).isEmpty();
  }
}
