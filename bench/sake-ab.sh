#!/usr/bin/env bash
# A/B of two Sake builds: two NativeAOT HelloWorld binaries, alternating round by round, pinned (server on CPU 0,
# wrk on CPU 1), /plaintext, wrk -t1 -c64. For "did this change cost throughput?" (e.g. a commit before and after).
#   bench/sake-ab.sh OLD_BINARY NEW_BINARY      (ROUNDS=5 DUR=8 by default; needs wrk: apt-get install -y wrk)
# Publish each side with: dotnet publish samples/HelloWorld -c Release -r linux-x64 -p:PublishAot=true -o DIR
set -euo pipefail
A=$1; B=$2; ROUNDS=${ROUNDS:-5}; DUR=${DUR:-8}
run() {
  local bin=$1 port=$2
  taskset -c 0 "$bin" "http://127.0.0.1:$port" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/plaintext" >/dev/null 2>&1 && break; sleep 0.1; done
  taskset -c 1 wrk -t1 -c64 -d2s "http://127.0.0.1:$port/plaintext" >/dev/null
  local rps; rps=$(taskset -c 1 wrk -t1 -c64 -d${DUR}s "http://127.0.0.1:$port/plaintext" | awk '/Requests\/sec/ {print $2}')
  kill $pid; wait $pid 2>/dev/null || true
  echo "$rps"
}
for r in $(seq 1 $ROUNDS); do
  a=$(run "$A" 5091); b=$(run "$B" 5092)
  echo "round $r: A=$a B=$b ratio B/A=$(echo "$b / $a" | bc -l | cut -c1-5)"
done
