#!/usr/bin/env bash
# Reproduces docs/speed.md, "Allocator": the same `ssd bench` (SSD7 at 300x480: forward at batch 1 and
# 8, training at batch 32) under each allocator set-up, one after the other, with the process's minor
# page faults, user/system CPU seconds and peak resident memory from GNU time.
# Usage: tools/allocator_study.sh [OUT_DIR] [-- extra bench options]
# Needs GNU time (Debian: apt-get install time). A jemalloc row is added when libjemalloc2 is
# installed; ./ssd never loads it by itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-allocator-study}"
shift $(( $# > 0 ? 1 : 0 ))
[ "${1:-}" = "--" ] && shift
bench=(bench --model ssd7 --image-size 300x480 "$@")
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
mkdir -p "$out"
"$root/ssd" --version >/dev/null # build once, outside the measurements

# NAME ENV...: one bench run with that environment on top of ./ssd's.
variant() {
  local name=$1
  shift
  env "$@" /usr/bin/time -f '%e %U %S %R %M' -o "$out/$name.time" \
    "$root/ssd" "${bench[@]}" --json "$out/$name.json" >"$out/$name.log" 2>&1
  read -r wall user sys faults rss <"$out/$name.time"
  python3 - "$name" "$wall" "$user" "$sys" "$faults" "$rss" "$out/$name.json" <<'PY'
import json, sys
name, wall, user, sys_s, faults, rss, path = sys.argv[1:]
b = json.load(open(path))
print(f"| {name} | {float(wall):.0f} | {float(user):.0f} / {float(sys_s):.0f} | "
      f"{int(faults) / float(wall):,.0f} ({int(faults):,}) | {int(rss) / 1048576:.2f} | "
      f"{b['train_img_per_s']:.2f} | {b['forward_b1_ms']:.1f} | {b['forward_b8_ms']:.1f} |")
PY
}

echo "| allocator | wall s | user / sys s | minor faults/s (total) | peak RSS GB | train img/s (b32) | forward b1 ms | forward b8 ms |"
echo "|---|---|---|---|---|---|---|---|"
variant glibc-default SSD_GLIBC_TUNABLES=
variant glibc-hugetlb # ./ssd's default: GLIBC_TUNABLES=glibc.malloc.hugetlb=1
variant glibc-no-mmap \
  SSD_GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1:glibc.malloc.trim_threshold=68719476736
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [ -f "$jemalloc" ]; then
  variant jemalloc SSD_GLIBC_TUNABLES= LD_PRELOAD="$jemalloc" \
    MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:10000,muzzy_decay_ms:0
fi
