#!/usr/bin/env bash
# Reproduces docs/batch-on-spark.md, "Measurements": throughput of `ssd batch predict --master
# local[2]` against `ssd predict` on the same images and the same two cores, and whether the two
# write the same detections. Both use two threads in all: ssd predict one process with two PyTorch
# threads, Spark two tasks with one each; both at a fixed --threshold 0.5, so that a briefly trained
# model's low calibrated thresholds do not turn the run into a benchmark of the decoder. Equality is
# checked exactly and within 1e-5 in scores and 1e-3 px in boxes: one and two PyTorch threads may
# round sums differently.
# Usage: tools/spark_batch_bench.sh [OUT_DIR] [IMAGES] [MODEL]
#   (defaults: spark-batch-bench, 2000 (+20 validation) synthetic 192x256 images (the quickstart's size), and a model
#   trained for one minute on them at the quickstart's 144x192 input: weights barely matter to the
#   cost of a forward pass, so a short training is enough here; pass a quickstart run as MODEL to
#   measure that one).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-spark-batch-bench}"
n="${2:-2000}"
model="${3:-}"
ssd="$root/ssd"
mkdir -p "$out"
if [ ! -f "$out/data/synth.properties" ]; then
  "$ssd" synth --out "$out/data" --train "$n" --val 20 --test 0 --height 192 --width 256 >"$out/synth.log"
fi
images="$out/data/JPEGImages"
if [ -z "$model" ]; then
  model="$out/run"
  if [ ! -d "$model" ]; then
    "$ssd" train --data "$out/data" --out "$model" --image-size 144x192 --minutes 1 --map-every 0 \
      --threads 2 >"$out/train.log" 2>&1
  fi
fi
"$ssd" batch --help >/dev/null # builds ssd-spark now rather than inside the timing
"$ssd" --help >/dev/null

# CPU seconds (user + system, children included) and wall seconds of a command: on a machine that
# others share, wall time swings with their load; CPU time per image much less.
TIMEFORMAT='%U %S %R'
measure() { # NAME COMMAND...: runs it, writes NAME.time ("user sys wall")
  local name=$1
  shift
  { time "$@" >"$out/$name.log" 2>"$out/$name.err"; } 2>"$out/$name.time"
}
report() { # NAME LABEL
  read -r u s w <"$out/$1.time"
  local line
  line=$(grep -hE '^[0-9]+ images?, |^run ' "$out/$1.log" | tail -1)
  printf '%-28s wall %6.1f s, CPU %6.1f s (%5.1f ms/image)   [%s]\n' "$2" "$w" "$(echo "$u + $s" | bc)" \
    "$(echo "($u + $s) * 1000 / $count" | bc -l)" "$line"
}
count=$(find "$images" -type f | wc -l)

measure predict "$ssd" predict --model "$model" --threshold 0.5 --threads 2 --batch-size 8 \
  --json "$out/single.json" "$images"
# One stream on one core: the per-core cost without any parallelism, which Spark's two single-threaded
# tasks on two cores compare with directly.
measure predict1 "$ssd" predict --model "$model" --threshold 0.5 --threads 1 --batch-size 8 \
  --json "$out/single1.json" "$images"
# Spark's fixed cost: start-up, planning, the model load, for one image.
find "$images" -type f | sort | sed -n 1p >"$out/one.txt"
rm -rf "$out/batch-one"
measure batch1 "$ssd" batch predict --master 'local[2]' --threshold 0.5 --threads 1 --batch-size 8 \
  --model "$model" --images "$out/one.txt" --out "$out/batch-one"
rm -rf "$out/batch"
measure batch "$ssd" batch predict --master 'local[2]' --threshold 0.5 --threads 1 --batch-size 8 \
  --model "$model" --images "$images" --out "$out/batch"

echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/'); $count images"
report predict "ssd predict (2 threads)"
report predict1 "ssd predict --threads 1"
report batch "ssd batch predict local[2]"
report batch1 "ssd batch predict, 1 image"
grep -h '^spark' "$out/batch.log" || true
python3 - "$out/single.json" "$out/batch" <<'PY'
import json, pathlib, sys
single = json.load(open(sys.argv[1]))
batch = []
for part in sorted(pathlib.Path(sys.argv[2]).glob("part-*.jsonl")):
    batch += [json.loads(l) for l in part.read_text().splitlines() if l.strip()]
batch.sort(key=lambda d: d["image"])
exact = single == batch
def close(a, b):
    if a["image"] != b["image"] or len(a["detections"]) != len(b["detections"]):
        return False
    for x, y in zip(a["detections"], b["detections"]):
        if x["classId"] != y["classId"] or abs(x["score"] - y["score"]) > 1e-5:
            return False
        if any(abs(x["box"][k] - y["box"][k]) > 1e-3 for k in x["box"]):
            return False
    return True
near = len(single) == len(batch) and all(close(a, b) for a, b in zip(single, batch))
dets = sum(len(d["detections"]) for d in single)
print(f"outputs: {len(single)} and {len(batch)} images, {dets} detections; "
      f"identical: {exact}; equal within 1e-5 score / 1e-3 px: {near}")
PY
