#!/usr/bin/env bash
# Three replicas of the register on one PostgreSQL database and one S3 bucket (docs/scaling-out.md).
# Starts PostgreSQL and the S3 test server (the .ci scripts; PGTEST_PORT/PGTEST_DIR and
# S3TEST_PORT/S3TEST_DIR choose their ports and folders), a fresh database and bucket, and three
# 'ssd serve' processes on 127.0.0.1. Then:
#   1. throughput of grievance submissions with 1, 2 and 3 replicas (ssd loadtest --submit);
#   2. the statements one submission sends to PostgreSQL and their server-side time, from the
#      server's statement log (log_min_duration_statement=0 on the demo database for one run);
#   3. load on all three, one replica killed with SIGKILL mid-run; every acknowledged grievance must
#      be readable with its photo from each survivor, and no pair of grievances within the
#      duplicate radius may be left unlinked.
# MODEL (default quickstart/run/best; a tiny one is trained when it is missing), PORT_BASE (18410),
# SECONDS_PER_RUN (20), CLIENTS (8). Work files under WORK (default: a new folder in /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
port_base="${PORT_BASE:-18410}"
seconds="${SECONDS_PER_RUN:-20}"
clients="${CLIENTS:-8}"
work="${WORK:-$(mktemp -d /tmp/replicas-demo-XXXXXX)}"
mkdir -p "$work"
echo "work folder: $work"

./ssd --help >/dev/null # builds the command line once, before three processes start it
pg_url="$(.ci/start-test-postgres.sh)"
s3_url="$(.ci/start-test-s3.sh)"
pg_port="$(sed -E 's#.*:([0-9]+)/.*#\1#' <<<"$pg_url")"
pg_dir="${PGTEST_DIR:-/tmp/register-pgtest}"
s3_creds="$(sed -E 's#http://([^@]*)@.*#\1#' <<<"$s3_url")"
s3_endpoint="$(sed -E 's#http://[^@]*@#http://#' <<<"$s3_url")"
export AWS_ACCESS_KEY_ID="${s3_creds%%:*}" AWS_SECRET_ACCESS_KEY="${s3_creds#*:}"
export PGOPTIONS="-c client_min_messages=warning"
psql() { "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -X -q -t -A "$@"; }

db="replicas_demo_$(date +%s)"
psql -d postgres -c "CREATE DATABASE $db"
jdbc="jdbc:postgresql://127.0.0.1:$pg_port/$db?user=postgres"
bucket="replicas-demo-$(date +%s)"
empty_sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user "$s3_creds" -H "x-amz-content-sha256: $empty_sha256" \
  -X PUT "$s3_endpoint/$bucket" >/dev/null
echo "database $db, bucket s3://$bucket/photos at $s3_endpoint"

model="${MODEL:-quickstart/run/best}"
if [ ! -d "$model" ]; then
  echo "no model at $model: training a tiny one (1 epoch on 64 synthetic images; it detects badly, which is fine here)"
  ./ssd synth --out "$work/synth" --train 64 --val 16 --test 16 --height 96 --width 128 >/dev/null
  ./ssd train --data "$work/synth" --out "$work/run" --epochs 1 --batch 8 --image-size 96x128 \
    --calibrate none >"$work/train.log" 2>&1
  model="$work/run/best"
fi

pids=()
start_replica() { # N
  local n="$1" port=$((port_base + $1))
  ./ssd serve --model "$model" --port "$port" --db "$jdbc" --data "$work/replica$n" \
    --photos "s3://$bucket/photos" --s3-endpoint "$s3_endpoint" --tag-threshold 0 \
    --submit-limit off --detect-limit off --workers 1 --queue 16 >"$work/replica$n.log" 2>&1 &
  pids[$n]=$!
}
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap stop_all EXIT
# All three at once on the empty database: Flyway's lock lets exactly one migrate.
for n in 1 2 3; do start_replica "$n"; done
for n in 1 2 3; do
  for _ in $(seq 1 240); do
    grep -q "listening on port" "$work/replica$n.log" && break
    kill -0 "${pids[$n]}" 2>/dev/null || { cat "$work/replica$n.log"; exit 1; }
    sleep 0.5
  done
done
echo "replicas on ports $((port_base + 1)), $((port_base + 2)), $((port_base + 3)); migrations applied:" \
  "$(psql -d "$db" -c "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL")"
url() { echo "http://127.0.0.1:$((port_base + $1))"; }

echo "== throughput: $clients clients, $seconds s each, grievance submissions (rough: this machine is shared)"
./ssd loadtest --url "$(url 1)" --submit --clients 2 --seconds 3 >/dev/null # warm-up
# Each run starts from an empty register: otherwise later runs would link every submission to
# more and more earlier ones at the same spots and look slower for that alone.
empty() { psql -d "$db" -c "TRUNCATE grievance CASCADE"; }
for n in 1 2 3; do
  empty
  args=()
  for i in $(seq 1 "$n"); do args+=(--url "$(url "$i")"); done
  printf '%d replica(s): ' "$n"
  ./ssd loadtest "${args[@]}" --submit --clients "$clients" --seconds "$seconds" | tail -1
done

echo "== statements per submission (PostgreSQL statement log, one replica, 10 s)"
log="$pg_dir/server.log"
psql -d postgres -c "ALTER DATABASE $db SET log_min_duration_statement = 0"
sleep 1
mark=$(wc -l <"$log")
# New connections pick the setting up: restart replica 1's pool by restarting replica 1.
kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true
: >"$work/replica1.log"; start_replica 1
until grep -q "listening on port" "$work/replica1.log"; do sleep 0.5; done
empty
mark=$(wc -l <"$log")
./ssd loadtest --url "$(url 1)" --submit --clients 4 --seconds 10 --acknowledged "$work/measured.txt" | tail -1
psql -d postgres -c "ALTER DATABASE $db RESET log_min_duration_statement"
submissions=$(wc -l <"$work/measured.txt")
tail -n +"$((mark + 1))" "$log" | grep -E "duration: [0-9.]+ ms" >"$work/statements.log" || true
awk -v n="$submissions" '
  /duration:/ {
    match($0, /duration: [0-9.]+ ms/); d = substr($0, RSTART + 10, RLENGTH - 13) + 0
    phase = ($0 ~ / parse /) ? "parse" : ($0 ~ / bind /) ? "bind" : "execute"
    total += d
    if (phase == "execute" || $0 ~ /statement: /) {
      q++; s = $0; sub(/.*(execute [^:]*|statement): /, "", s); split(s, w, " "); kind[toupper(w[1])]++
    }
  }
  END {
    if (n == 0) { print "no acknowledged submissions"; exit }
    printf "%d acknowledged submissions: %.1f statements each, %.3f ms of database time each (%.3f ms a statement, parse/bind/execute together)\n", n, q / n, total / n, total / q
    for (k in kind) printf "  %-8s %.2f per submission\n", k, kind[k] / n
  }' "$work/statements.log"

echo "== SIGKILL of replica 3 mid-load"
empty
./ssd loadtest --url "$(url 1)" --url "$(url 2)" --url "$(url 3)" --submit --clients "$clients" \
  --seconds "$seconds" --acknowledged "$work/acknowledged.txt" >"$work/kill-run.txt" &
load=$!
sleep $((seconds / 3))
kill -9 "${pids[3]}"
echo "killed replica 3 (pid ${pids[3]}) with SIGKILL"
wait "$load"
tail -2 "$work/kill-run.txt"
missing=0
for n in 1 2; do
  while read -r id; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$(url "$n")/api/grievances/$id")
    photo=$(curl -s "$(url "$n")/api/grievances/$id/image" | sha256sum | cut -c1-64)
    if [ "$code" != 200 ] || [ "$photo" = "$(printf '' | sha256sum | cut -c1-64)" ]; then
      echo "replica $n: acknowledged grievance $id not readable (HTTP $code)"
      missing=$((missing + 1))
    fi
  done <"$work/acknowledged.txt"
done
echo "acknowledged: $(wc -l <"$work/acknowledged.txt"); not readable with its photo from a survivor: $missing"
# Pairs closer than the radius (45 m: inside the 50 m default, clear of rounding at its edge) that
# share a category, both open and unmerged, with no link either way: there must be none.
unlinked=$(psql -d "$db" -c "
  SELECT COUNT(*) FROM grievance a JOIN grievance b ON a.id < b.id
  WHERE a.merged_into IS NULL AND b.merged_into IS NULL AND a.status = 'open' AND b.status = 'open'
    AND a.latitude IS NOT NULL AND b.latitude IS NOT NULL
    AND ABS(a.latitude - b.latitude) < 0.001 AND ABS(a.longitude - b.longitude) < 0.0015
    AND 2 * 6371008.8 * ASIN(SQRT(POWER(SIN(RADIANS(b.latitude - a.latitude) / 2), 2)
        + COS(RADIANS(a.latitude)) * COS(RADIANS(b.latitude))
          * POWER(SIN(RADIANS(b.longitude - a.longitude) / 2), 2))) < 45
    AND EXISTS (SELECT 1 FROM grievance_category ca JOIN grievance_category cb
                ON ca.category = cb.category WHERE ca.grievance_id = a.id AND cb.grievance_id = b.id)
    AND NOT EXISTS (SELECT 1 FROM duplicate_link l WHERE (l.grievance_id = a.id AND l.other_id = b.id)
                                                    OR (l.grievance_id = b.id AND l.other_id = a.id))")
pairs=$(psql -d "$db" -c "SELECT COUNT(*) FROM duplicate_link")
echo "duplicate links: $pairs; pairs within 45 m sharing a category left unlinked: $unlinked"
[ "$missing" = 0 ] && [ "$unlinked" = 0 ] && echo "OK" || { echo "FAILED"; exit 1; }
