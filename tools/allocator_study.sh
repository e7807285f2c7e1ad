#!/usr/bin/env bash
# Reproduces docs/speed.md, "Allocator": SSD7 training at 300x480 (batch 16, ssd train's defaults otherwise)
# under each allocator set-up, one after the other. For each, the training process is sampled from
# /proc/PID/stat between WARMUP and WARMUP+WINDOW seconds: minor page faults per second, user and system
# CPU seconds, resident memory, and the img/s of the last progress line. Faults per image (faults/s over
# img/s) hardly depend on how busy the machine is; faults/s and img/s do.
# Usage: tools/allocator_study.sh [OUT_DIR] [WARMUP_S] [WINDOW_S]     (defaults: allocator-study 60 60)
# A jemalloc row is added when Debian's libjemalloc2 is installed; ./ssd never loads it by itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-allocator-study}"
warmup="${2:-60}"
window="${3:-60}"
mkdir -p "$out"
ssd="$root/ssd"
if [ ! -f "$out/data/synth.properties" ]; then
  "$ssd" synth --out "$out/data" --train 600 --val 50 --test 10 --height 300 --width 480 >"$out/synth.log"
fi
tick=$(getconf CLK_TCK)
page=$(getconf PAGESIZE)

# minflt utime stime rss(pages) of a process, from /proc/PID/stat (fields after the command name).
stat_of() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $8, $12, $13, $22}'; }

# NAME ENV...: one training run with that environment on top of ./ssd's.
variant() {
  local name=$1
  shift
  rm -rf "$out/run-$name"
  env "$@" "$ssd" train --data "$out/data" --out "$out/run-$name" --image-size 300x480 --batch 16 \
    --minutes $(((warmup + window) / 60 + 1)) --map-every 0 --threads 2 >"$out/$name.log" 2>&1 &
  local pid=$!
  sleep "$warmup"
  read -r f0 u0 s0 _ < <(stat_of $pid)
  sleep "$window"
  read -r f1 u1 s1 rss < <(stat_of $pid)
  local speed
  speed=$(grep -o '[0-9.]* img/s' "$out/$name.log" | tail -1)
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  awk -v n="$name" -v f=$((f1 - f0)) -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v w="$window" -v t="$tick" \
    -v r="$rss" -v p="$page" -v sp="$speed" 'BEGIN {
      split(sp, a, " ")
      printf "| %s | %s | %.0f | %.0f | %.1f / %.1f (%.0f %% system) | %.2f |\n",
        n, sp, f / w, (a[1] > 0 ? f / w / a[1] : 0), u / t, s / t, 100 * s / (u + s), r * p / 2^30 }'
}

echo "| allocator | training speed | minor faults/s | faults per image | user / system CPU s in ${window} s | RSS GB |"
echo "|---|---|---|---|---|---|"
variant glibc-default SSD_GLIBC_TUNABLES=
variant glibc-hugetlb SSD_GLIBC_TUNABLES=glibc.malloc.hugetlb=1 # ./ssd's default before 2026-12-06
variant glibc-keep-freed # ./ssd's default: engine.NativeAllocator.TUNABLES
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [ -f "$jemalloc" ]; then
  variant jemalloc SSD_GLIBC_TUNABLES= LD_PRELOAD="$jemalloc" \
    MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:10000,muzzy_decay_ms:0
fi
