#!/usr/bin/env bash
# Reproduces docs/quality-of-defaults.md: the hard set, the three 30-minute runs (defaults, the
# reference SSD7 notebook's recipe, defaults at 240x384; 2 threads each, one after the other) and the
# 15-minute ablations (1 thread each, two side by side). About 3.5 hours on 2 cores; give --only NAME to run one.
# Usage: tools/hard_set_study.sh [WORK_DIR] [--only NAME]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=study
only=
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only="$2"; shift 2 ;;
    *) work="$1"; shift ;;
  esac
done
ssd="$root/ssd"
data="$work/hard"
mkdir -p "$work/runs"

if [ ! -f "$data/synth.properties" ]; then
  "$ssd" synth --preset hard --out "$data" --train 3000 --val 300 --test 300 --height 300 --width 480 \
    --object-size 0.05-0.4
  "$ssd" dataset check --data "$data"
fi

# run NAME MINUTES THREADS [train options...]: train, then evaluate the best checkpoint on the test split.
run() {
  local name=$1 minutes=$2 threads=$3
  shift 3
  if [ -n "$only" ] && [ "$only" != "$name" ]; then return 0; fi
  local dir="$work/runs/$name"
  "$ssd" train --data "$data" --out "$dir" --minutes "$minutes" --threads "$threads" --workers "$threads" \
    "$@" >"$dir.train.log" 2>&1
  "$ssd" evaluate --model "$dir" --data "$data" --split test --report "$dir.voc.json" >"$dir.eval.log" 2>&1
  "$ssd" evaluate --model "$dir" --data "$data" --split test --metric coco --report "$dir.coco.json" \
    >"$dir.coco.log" 2>&1
  echo "$name: $(grep -m1 '"mAP"' "$dir.voc.json") (VOC07), $(grep -m1 '"AP"' "$dir.coco.json") (COCO)"
}

"$ssd" --version >/dev/null # build once before runs start side by side
run defaults 30 2
run reference 30 2 --lr 1e-3 --schedule plateau --warmup 0 --augment constant --variances 1,1,1,1 \
  --image-size 300x480 --batch 16
run defaults-240x384 30 2 --image-size 240x384
pair() { run "$@" & }
pair lr1e-3 15 1 --lr 1e-3; run lr1e-3-auto-anchors 15 1 --lr 1e-3 --anchors auto; wait
pair lr1e-3-no-augment 15 1 --lr 1e-3 --augment none; run defaults-15 15 1; wait
pair no-augment 15 1 --augment none; run no-augment-lr1e-2 15 1 --augment none --lr 1e-2; wait
pair auto-anchors 15 1 --anchors auto; run input-240x384 15 1 --image-size 240x384; wait
pair constant-schedule 15 1 --schedule constant --warmup 0; run defaults-15-again 15 1; wait
