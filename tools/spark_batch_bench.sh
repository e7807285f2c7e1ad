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

secs() { date +%s.%N; }

t0=$(secs)
"$ssd" predict --model "$model" --threshold 0.5 --threads 2 --batch-size 8 --json "$out/single.json" "$images" \
  >"$out/predict.log"
t1=$(secs)
# One stream on one core: the per-core cost without any parallelism, to which Spark's two tasks on
# two cores compare directly (overhead = 2 x batch ms/image / this ms/image - 1).
"$ssd" predict --model "$model" --threshold 0.5 --threads 1 --batch-size 8 "$images" >"$out/predict1.log"
t1b=$(secs)
rm -rf "$out/batch"
"$ssd" batch predict --master 'local[2]' --threshold 0.5 --threads 1 --batch-size 8 --model "$model" \
  --images "$images" --out "$out/batch" >"$out/batch.log" 2>"$out/batch.err"
t2=$(secs)

echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
echo "ssd predict:       $(grep -E '^[0-9]+ images?, ' "$out/predict.log" | tail -1); wall $(echo "$t1 - $t0" | bc) s"
echo "ssd predict, 1 thread: $(grep -E '^[0-9]+ images?, ' "$out/predict1.log" | tail -1)"
grep -h '^spark\|^run' "$out/batch.log" | sed 's/^/ssd batch predict: /'
echo "ssd batch predict: wall $(echo "$t2 - $t1b" | bc) s"
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
