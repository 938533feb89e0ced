#!/usr/bin/env bash
# Startup cost of enabling the worker pool (SC-006) and idle memory per worker thread (SC-007), NativeAOT.
#   bench/worker-startup-memory.sh            # uses artifacts/worker-scaling/CpuBench (built by worker-scaling.sh build)
# Startup: wall time from exec to the first 200 on /plaintext, pool on vs off, alternating, ROUNDS (default 15), medians.
# Memory: VmRSS of an idle server with SAKE_WORKERS=1 vs 64 (after a first request), ROUNDS medians; per worker = diff / 63.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-artifacts/worker-scaling/bin/CpuBench}
ROUNDS=${ROUNDS:-15}
PORT=${PORT:-5091}
[ -x "$BIN" ] || bench/worker-scaling.sh build
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

now_ns() { date +%s%N; }

# Starts the server with the given env, waits for the first 200, prints "ms rss_kb".
measure() {
  local start pid ms rss
  start=$(now_ns)
  env "$@" "$BIN" "http://127.0.0.1:$PORT" >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/plaintext" 2>/dev/null; do
    kill -0 $pid 2>/dev/null || { echo "server exited" >&2; exit 1; }
  done
  ms=$(( ($(now_ns) - start) / 1000 ))
  sleep 0.3
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo "$ms $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

on=(); off=(); rss1=(); rss64=()
for r in $(seq 1 "$ROUNDS"); do
  read -r t _ < <(measure SAKE_POOL=1 SAKE_WORKERS=0); on+=("$t")
  read -r t _ < <(measure SAKE_POOL=0); off+=("$t")
  read -r _ m < <(measure SAKE_WORKERS=1); rss1+=("$m")
  read -r _ m < <(measure SAKE_WORKERS=64); rss64+=("$m")
done

on_med=$(printf '%s\n' "${on[@]}" | median)
off_med=$(printf '%s\n' "${off[@]}" | median)
r1=$(printf '%s\n' "${rss1[@]}" | median)
r64=$(printf '%s\n' "${rss64[@]}" | median)
cat <<MD
### Worker pool: startup cost and idle memory (NativeAOT, $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC'))

Command: \`bench/worker-startup-memory.sh\` (ROUNDS=$ROUNDS, binary \`$BIN\`, $(stat -c %s "$BIN") bytes).

| measure | median |
|---|---:|
| time to first response, pool enabled (N = $(nproc)) | $((on_med / 1000)).$(printf '%03d' $((on_med % 1000))) ms |
| time to first response, pool disabled | $((off_med / 1000)).$(printf '%03d' $((off_med % 1000))) ms |
| startup cost of the pool | $(( (on_med - off_med) )) µs |
| idle RSS, 1 worker | $r1 KiB |
| idle RSS, 64 workers | $r64 KiB |
| idle memory per worker thread ((64 − 1 workers) / 63) | $(( (r64 - r1) * 1024 / 63 )) bytes |

Time to first response is measured from \`exec\` to the first 200 seen by a curl loop (curl's own start-up is
included in both columns, so the difference is what the pool adds).
MD
