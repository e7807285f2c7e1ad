#!/usr/bin/env bash
# The register learns from its officials, end to end, on generated data only (docs/learning-loop.md):
#
#   1. train SSD7 on synthetic daylight scenes (the model the register starts with);
#   2. start the register with it, and submit photos of a SHIFTED look (dusk under sodium lamps, smaller
#      objects) through the API, as citizens would;
#   3. play the officials: review photos from their ground truth (PUT /api/grievances/{id}/annotations);
#   4. in rounds (0, 50, 200, 800 reviewed photos): export the reviews, fine-tune the served model on
#      them, compare new and served on the register's test split, promote the new one unless worse;
#   5. print, per round, the served model's VOC07 mAP on a held-out shifted set that never went through
#      the register.
#
# Usage: tools/learning_loop_demo.sh            (the full demo, sized for about 30 minutes on 2 cores)
#        SMALL=1 tools/learning_loop_demo.sh    (a smoke run of a few minutes)
# Settings (environment; SMALL=1 changes the defaults shown in brackets):
#   DEMO_DIR      working folder, replaced on each run             learning-loop-demo
#   DEMO_PORT     port of the register                             18231
#   DEMO_ROUNDS   reviewed photos at each round, ascending         "0 50 200 800"   ["0 10 30"]
#   DEMO_BASE_TRAIN   daylight training images                     1500             [120]
#   DEMO_BASE_MINUTES minutes to train the daylight model          6                [0.5]
#   DEMO_TUNE_MINUTES minutes of each fine-tuning                  3                [0.3]
#   DEMO_TEST     held-out shifted test images                     300              [30]
#   DEMO_SHIFT    ssd synth options of the shifted look            "--look dusk --object-size 0.08-0.3"
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
ssd="$root/ssd"
small="${SMALL:-0}"
if [ "$small" = 1 ]; then
  d_rounds="0 10 30"; d_train=120; d_base=0.5; d_tune=0.3; d_test=30
else
  d_rounds="0 50 200 800"; d_train=1500; d_base=6; d_tune=3; d_test=300
fi
dir="$(mkdir -p "${DEMO_DIR:-learning-loop-demo}" && cd "${DEMO_DIR:-learning-loop-demo}" && pwd)"
port="${DEMO_PORT:-18231}"
read -r -a rounds <<< "${DEMO_ROUNDS:-$d_rounds}"
base_train="${DEMO_BASE_TRAIN:-$d_train}"
base_minutes="${DEMO_BASE_MINUTES:-$d_base}"
tune_minutes="${DEMO_TUNE_MINUTES:-$d_tune}"
test_images="${DEMO_TEST:-$d_test}"
read -r -a shift_look <<< "${DEMO_SHIFT:---look dusk --object-size 0.08-0.3}"
pool="${rounds[${#rounds[@]}-1]}"
# The synthetic images' size and the model's input size: the quickstart's.
height=192; width=256; input=144x192
url="http://127.0.0.1:$port"

say() { printf '\n== %s\n' "$*"; }
minutes_since() { awk -v s="$1" -v e="$(date +%s)" 'BEGIN { printf "%.1f", (e - s) / 60 }'; }
# The VOC07 mAP of model $1 on the held-out shifted test set.
shifted_map() {
  "$ssd" evaluate --model "$1" --data "$dir/shifted-test" --split test --metric voc07 \
    --report "$dir/report.json" > "$dir/logs/evaluate-$2.log" 2>&1
  grep -o '"mAP" *: *[-0-9.eE]*' "$dir/report.json" | head -1 | sed 's/.*: *//' \
    | awk '{ printf "%.3f", $1 }'
}

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2> /dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

start_server() {
  "$ssd" serve --model "$1" --port "$port" --data "$dir/register" > "$dir/logs/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if curl -fsS "$url/api/health" > /dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$server_pid" 2> /dev/null; then
      echo "the register did not start; see $dir/logs/serve.log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "the register did not answer on $url within 2 minutes; see $dir/logs/serve.log" >&2
  exit 1
}

# The boxes of synthetic image $1 (an annotation file the generator wrote) as the annotation API's JSON.
boxes_json() {
  awk '
    /<name>/ { gsub(/.*<name>|<\/name>.*/, ""); name = $0 }
    /<xmin>/ { gsub(/.*<xmin>|<\/xmin>.*/, ""); x0 = $0 }
    /<ymin>/ { gsub(/.*<ymin>|<\/ymin>.*/, ""); y0 = $0 }
    /<xmax>/ { gsub(/.*<xmax>|<\/xmax>.*/, ""); x1 = $0 }
    /<ymax>/ { gsub(/.*<ymax>|<\/ymax>.*/, ""); y1 = $0
               out = out (n++ ? "," : "") sprintf("{\"class\":\"%s\",\"box\":{\"xmin\":%s,\"ymin\":%s,\"xmax\":%s,\"ymax\":%s}}", name, x0, y0, x1, y1) }
    END { printf "[%s]", out }' "$1"
}

start=$(date +%s)
rm -rf "$dir"/{day,shifted-pool,shifted-test,register,runs,export,logs}
mkdir -p "$dir/logs" "$dir/runs"
echo "learning-loop demo in $dir: rounds at ${rounds[*]} reviewed photos$([ "$small" = 1 ] && echo ' (SMALL)')"

say "building the command line"
"$ssd" help > /dev/null

say "1/5 synthesising $base_train daylight training images and $test_images + $pool shifted ones (${shift_look[*]})"
"$ssd" synth --out "$dir/day" --train "$base_train" --val 100 --test 0 --height "$height" \
  --width "$width" --seed 1 > "$dir/logs/synth-day.log"
"$ssd" synth --out "$dir/shifted-pool" --train "$pool" --val 0 --test 0 --height "$height" \
  --width "$width" --seed 21 "${shift_look[@]}" > "$dir/logs/synth-pool.log"
"$ssd" synth --out "$dir/shifted-test" --train 0 --val 0 --test "$test_images" --height "$height" \
  --width "$width" --seed 22 "${shift_look[@]}" > "$dir/logs/synth-test.log"

say "2/5 training the daylight model ($base_minutes min)"
served="$dir/runs/day"
"$ssd" train --data "$dir/day" --split train --val "$dir/day" --val-split val --out "$served" \
  --image-size "$input" --minutes "$base_minutes" --batch 8 --augment none --warmup 50 \
  --map-every 0 --calibrate none > "$dir/logs/train-day.log" 2>&1
echo "daylight model: $served"

say "3/5 starting the register on port $port and submitting $pool shifted photos"
token=$("$ssd" register add-official "Demo Official" --data "$dir/register" | tail -1)
start_server "$served"
: > "$dir/submitted.tsv"
n=0
while read -r id; do
  answer=$(curl -fsS -F "photo=@$dir/shifted-pool/JPEGImages/$id.jpg;type=image/jpeg" \
    -F "description=synthetic grievance $id" "$url/api/grievances")
  tracking=$(printf '%s' "$answer" | sed -n 's/.*"trackingId" *: *"\([^"]*\)".*/\1/p')
  if [ -z "$tracking" ]; then
    echo "submitting $id gave no tracking id: $answer" >&2
    exit 1
  fi
  printf '%s\t%s\n' "$tracking" "$id" >> "$dir/submitted.tsv"
  n=$((n + 1))
  if [ $((n % 50)) = 0 ] || [ "$n" = "$pool" ]; then echo "  submitted $n/$pool"; fi
done < "$dir/shifted-pool/ImageSets/Main/train.txt"

say "4/5 rounds"
printf 'round\treviewed\tshifted_voc07_map\tminutes\tserved_model\n' > "$dir/results.tsv"
reviewed=0
round=0
for target in "${rounds[@]}"; do
  round_start=$(date +%s)
  echo "-- round $round: reviewing up to $target photos"
  while [ "$reviewed" -lt "$target" ]; do
    line=$(sed -n "$((reviewed + 1))p" "$dir/submitted.tsv")
    tracking=${line%%$'\t'*}
    id=${line#*$'\t'}
    body="{\"reviewed\":true,\"boxes\":$(boxes_json "$dir/shifted-pool/Annotations/$id.xml")}"
    status=$(curl -sS -o "$dir/logs/put.json" -w '%{http_code}' -X PUT \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" \
      "$url/api/grievances/$tracking/annotations")
    if [ "$status" != 200 ]; then
      echo "reviewing $tracking ($id) answered $status: $(cat "$dir/logs/put.json")" >&2
      echo "(the annotation API, PUT /api/grievances/{id}/annotations, is needed)" >&2
      exit 1
    fi
    reviewed=$((reviewed + 1))
  done
  if [ "$target" -gt 0 ]; then
    "$ssd" register export --out "$dir/export" --model "$served" --data "$dir/register" \
      | tee "$dir/logs/export-$round.log" | { grep -v '^exported ' || true; }
    candidate="$dir/runs/round-$round"
    val=()
    if [ -s "$dir/export/ImageSets/Main/val.txt" ]; then
      val=(--val "$dir/export" --val-split val)
    fi
    # Batches of 8, fewer while the reviewed training photos are fewer (an epoch needs a batch).
    batch=$(wc -l < "$dir/export/ImageSets/Main/train.txt")
    if [ "$batch" -gt 8 ]; then batch=8; fi
    if [ "$batch" -lt 1 ]; then
      echo "no reviewed photo in the training split yet: nothing to fine-tune on" >&2
      exit 1
    fi
    "$ssd" train --data "$dir/export" --split train ${val[@]+"${val[@]}"} --init "$served" \
      --out "$candidate" --minutes "$tune_minutes" --batch "$batch" --augment light --warmup 20 \
      --map-every 0 --calibrate none > "$dir/logs/train-$round.log" 2>&1
    promote=1
    if [ -s "$dir/export/ImageSets/Main/test.txt" ]; then
      "$ssd" register evaluate --model "$candidate" --baseline "$served" --dataset "$dir/export" \
        2> "$dir/logs/compare-$round.err" | tee "$dir/logs/compare-$round.log"
      if grep -q 'WORSE' "$dir/logs/compare-$round.log"; then
        promote=0
        echo "the new model is worse on the register's test split: the served model stays"
      fi
    else
      echo "no reviewed photo in the register's test split yet: nothing to compare, the new model is promoted"
    fi
    if [ "$promote" = 1 ]; then
      # The register records the new version; the running server switches to it by itself.
      if ! "$ssd" register promote --model "$candidate" --data "$dir/register" \
        --actor "Demo Official" > "$dir/logs/promote-$round.log" 2>&1; then
        promote=0
        echo "promote refused the new model: $(cat "$dir/logs/promote-$round.log")"
      fi
    fi
    if [ "$promote" = 1 ]; then
      served="$candidate"
    fi
  fi
  map=$(shifted_map "$served" "$round")
  minutes=$(minutes_since "$round_start")
  printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$map" "$minutes" "$served" >> "$dir/results.tsv"
  echo "round $round: $target reviewed photos, shifted-set VOC07 mAP $map ($minutes min)"
  round=$((round + 1))
done
stop_server

say "5/5 results (held-out shifted set: $test_images images; total $(minutes_since "$start") min)"
awk -F'\t' 'NR == 1 { printf "%-6s %9s %19s %8s\n", "round", "reviewed", "shifted VOC07 mAP", "minutes"; next }
            { printf "%-6s %9s %19.3f %8s\n", $1, $2, $3, $4 }' "$dir/results.tsv"
echo "table: $dir/results.tsv; logs: $dir/logs"
