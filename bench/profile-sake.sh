#!/usr/bin/env bash
# perf profile of a Sake server under load, for the "Profile of the largest gap" section of docs/benchmarks.md.
#   bench/profile-sake.sh [BIN] [ROUTE] [LOAD]     defaults: the NativeAOT HelloWorld that bench/Sake.Bench publishes,
#                                                  /plaintext, wrk (LOAD=h2load: pipelined 16 deep; LOAD=loadgen:
#                                                  bench/LoadGen, CONNECTIONS=64 connections)
#   bench/profile-sake.sh artifacts/bench/bin/aot/CpuBench/CpuBench /light/worker loadgen   # the worker boundary
# Server on CPU 0, load generator on CPU 1, `perf record -g` on the server for RECORD_S seconds (default 8) after a 2 s
# warm-up; prints the top frames (self time, then with children) from `perf report --stdio`. NativeAOT binaries keep
# their symbols in BIN.dbg next to them; perf finds them through the binary's .gnu_debuglink.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-artifacts/bench/bin/aot/HelloWorld/HelloWorld}
ROUTE=${2:-/plaintext}
LOAD=${3:-wrk}
SECONDS_TO_RECORD=${RECORD_S:-8}
PORT=${PORT:-5191}
OUT=${OUT:-artifacts/bench/profile}
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "no executable at $BIN (run: dotnet run -c Release --project bench/Sake.Bench -- startup)" >&2; exit 1; }
command -v perf >/dev/null || { echo "perf is required" >&2; exit 1; }
taskset -c 0 "$BIN" "http://127.0.0.1:$PORT" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT$ROUTE" >/dev/null 2>&1 && break; sleep 0.05; done
load() {
  if [ "$LOAD" = loadgen ]; then
    taskset -c 1 artifacts/bench/bin/aot/LoadGen/LoadGen "http://127.0.0.1:$PORT$ROUTE" -c "${CONNECTIONS:-64}" -d "$1"
  elif [ "$LOAD" = h2load ]; then
    taskset -c 1 h2load --h1 -t1 -c64 -m16 -D "$1" "http://127.0.0.1:$PORT$ROUTE" | grep -E 'finished in|requests:'
  else
    taskset -c 1 wrk -t1 -c64 -d"${1}s" "http://127.0.0.1:$PORT$ROUTE" | grep -E 'Requests/sec'
  fi
}
load 2 >/dev/null
load $((SECONDS_TO_RECORD + 2)) &
loadpid=$!
sleep 1
perf record -g -F 2999 -p "$pid" -o "$OUT/perf.data" -- sleep "$SECONDS_TO_RECORD" 2>"$OUT/perf-record.log"
wait $loadpid
echo "--- top frames, self time (perf report --no-children)"
perf report -i "$OUT/perf.data" --stdio --no-children --percent-limit 1.5 -g none --sort sym 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40
echo "--- top frames, with children"
perf report -i "$OUT/perf.data" --stdio --children --percent-limit 5 -g none --sort sym 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40
