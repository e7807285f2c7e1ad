#!/usr/bin/env bash
# Starts a throw-away S3-compatible server (S3Proxy, from Maven Central, on a transient in-memory
# store) for the register's S3 photo-store tests and prints the URL to use as
# REGISTER_TEST_S3_URL: http://ACCESS_KEY:SECRET_KEY@127.0.0.1:PORT (test-only credentials).
# Loopback only; port ${S3TEST_PORT:-9100}; its jar and log under ${S3TEST_DIR:-/tmp/register-s3test}.
# Stop it with: kill "$(cat "$S3TEST_DIR/s3proxy.pid")".
set -euo pipefail
cd "$(dirname "$0")/.."
port="${S3TEST_PORT:-9100}"
dir="${S3TEST_DIR:-/tmp/register-s3test}"
version=2.9.0
jar="$dir/s3proxy-$version-jar-with-dependencies.jar"
key=register-test
secret=register-test-secret
mkdir -p "$dir"
if [ ! -f "$jar" ]; then
  mvn -B -q dependency:copy \
    -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
    -DoutputDirectory="$dir" >&2
fi
url="http://$key:$secret@127.0.0.1:$port"
if [ -f "$dir/s3proxy.pid" ] && kill -0 "$(cat "$dir/s3proxy.pid")" 2>/dev/null; then
  echo "$url"
  exit 0
fi
cat > "$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$key
s3proxy.credential=$secret
jclouds.provider=transient
jclouds.identity=$key
jclouds.credential=$secret
CONF
nohup java -Xmx256m -jar "$jar" --properties "$dir/s3proxy.conf" >"$dir/s3proxy.log" 2>&1 &
echo $! >"$dir/s3proxy.pid"
for _ in $(seq 1 120); do
  if grep -q "Started" "$dir/s3proxy.log" 2>/dev/null \
    || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "$url"
    exit 0
  fi
  if ! kill -0 "$(cat "$dir/s3proxy.pid")" 2>/dev/null; then
    break
  fi
  sleep 0.5
done
echo "start-test-s3: S3Proxy did not start; its log:" >&2
cat "$dir/s3proxy.log" >&2
exit 1
