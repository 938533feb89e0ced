#!/usr/bin/env bash
# NativeAOT binary size, time to first response and idle RSS: samples/HelloWorld (Sake) vs bench/KestrelHelloWorld
# (ASP.NET Core slim builder, minimal API), measured side by side, alternating, ROUNDS rounds, medians.
#   bench/startup-vs-kestrel.sh                 # publishes both into artifacts/startup/, then measures
#   ROUNDS=15 SKIP_PUBLISH=1 bench/startup-vs-kestrel.sh
# Time to first response: wall time from exec to the first 200 on /plaintext (curl in a tight loop).
# Idle RSS: VmRSS 300 ms after that first response.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-11}
OUT=artifacts/startup
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

if [ "${SKIP_PUBLISH:-0}" != 1 ]; then
  dotnet publish samples/HelloWorld/HelloWorld.csproj -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/sake" -nologo -v quiet
  dotnet publish bench/KestrelHelloWorld/KestrelHelloWorld.csproj -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/kestrel" -nologo -v quiet
fi
SAKE=$OUT/sake/HelloWorld
KESTREL=$OUT/kestrel/KestrelHelloWorld

now_ns() { date +%s%N; }

# measure PORT CMD... -> "ms_x1000 rss_kb"
measure() {
  local port=$1; shift
  local start pid us rss
  start=$(now_ns)
  "$@" >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/plaintext" 2>/dev/null; do
    kill -0 $pid 2>/dev/null || { echo "server exited: $*" >&2; exit 1; }
  done
  us=$(( ($(now_ns) - start) / 1000 ))
  sleep 0.3
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo "$us $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

sake_t=(); sake_m=(); kes_t=(); kes_m=()
for r in $(seq 1 "$ROUNDS"); do
  read -r t m < <(measure 5101 "$SAKE" http://127.0.0.1:5101); sake_t+=("$t"); sake_m+=("$m")
  read -r t m < <(measure 5102 "$KESTREL" --urls http://127.0.0.1:5102); kes_t+=("$t"); kes_m+=("$m")
done

st=$(printf '%s\n' "${sake_t[@]}" | median); kt=$(printf '%s\n' "${kes_t[@]}" | median)
sm=$(printf '%s\n' "${sake_m[@]}" | median); km=$(printf '%s\n' "${kes_m[@]}" | median)
ss=$(stat -c %s "$SAKE"); ks=$(stat -c %s "$KESTREL")
printf '| measure | Sake HelloWorld | Kestrel minimal API | Kestrel / Sake |\n|---|---:|---:|---:|\n'
awk -v ss="$ss" -v ks="$ks" -v st="$st" -v kt="$kt" -v sm="$sm" -v km="$km" 'BEGIN {
  printf "| NativeAOT binary | %.2f MB | %.2f MB | %.1f× |\n", ss/1e6, ks/1e6, ks/ss
  printf "| time to first response (median) | %.1f ms | %.1f ms | %.1f× |\n", st/1000, kt/1000, kt/st
  printf "| idle RSS (median) | %.1f MiB | %.1f MiB | %.1f× |\n", sm/1024, km/1024, km/sm
}'
echo "($ROUNDS alternating rounds; raw ms: Sake ${sake_t[*]} / Kestrel ${kes_t[*]} in µs)"
