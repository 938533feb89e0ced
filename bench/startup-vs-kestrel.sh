#!/usr/bin/env bash
# NativeAOT binary size, time to first response and idle RSS: samples/HelloWorld (Sake) vs bench/KestrelHelloWorld
# (ASP.NET Core slim builder, minimal API), measured side by side, alternating, ROUNDS rounds, medians.
#   bench/startup-vs-kestrel.sh                 # publishes both into artifacts/startup/, then measures
#   ROUNDS=15 SKIP_PUBLISH=1 bench/startup-vs-kestrel.sh
#   TRIMMED=0 bench/startup-vs-kestrel.sh       # skip the second, size-trimmed publish of both
# Time to first response: wall time from spawning the process to the first 200 on /plaintext. The probe is one
# python3 process that spawns the server and retries a raw socket request every 0.2 ms, so neither a curl start
# per try nor a coarse poll interval is counted.
# Idle RSS: VmRSS 300 ms after that first response.
# The size-trimmed row publishes both again with two framework feature switches a size-minded user can set:
# UseSystemResourceKeys=true (exception messages become resource keys) and StackTraceSupport=false (no method names
# in stack traces). They are off by default in Sake and in the samples.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-11}
OUT=artifacts/startup
command -v python3 >/dev/null || { echo "python3 is required (the time-to-first-response probe)" >&2; exit 1; }

TRIM_SWITCHES=(-p:UseSystemResourceKeys=true -p:StackTraceSupport=false)
publish() {  # publish DIR EXTRA...
  local dir=$1; shift
  dotnet publish samples/HelloWorld/HelloWorld.csproj -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/$dir/sake" -nologo -v quiet "$@"
  dotnet publish bench/KestrelHelloWorld/KestrelHelloWorld.csproj -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/$dir/kestrel" -nologo -v quiet "$@"
}
if [ "${SKIP_PUBLISH:-0}" != 1 ]; then
  if [ "${TRIMMED:-1}" = 1 ]; then
    publish trimmed "${TRIM_SWITCHES[@]}"
    # The next publish must not reuse the trimmed intermediate output.
    rm -rf samples/HelloWorld/obj/Release/net10.0/linux-x64 bench/KestrelHelloWorld/obj/Release/net10.0/linux-x64
  fi
  publish default
fi
SAKE=$OUT/default/sake/HelloWorld
KESTREL=$OUT/default/kestrel/KestrelHelloWorld

# measure PORT CMD... -> "microseconds rss_kb"
measure() {
  python3 - "$@" <<'PY'
import socket, subprocess, sys, time
port = int(sys.argv[1]); cmd = sys.argv[2:]
request = b"GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
start = time.perf_counter_ns()
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    if proc.poll() is not None:
        sys.exit(f"server exited: {cmd}")
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port)); s.sendall(request)
        if s.recv(64).startswith(b"HTTP/1.1 200"):
            break
    except OSError:
        pass
    finally:
        s.close()
    time.sleep(0.0002)
us = (time.perf_counter_ns() - start) // 1000
time.sleep(0.3)
rss = next(line.split()[1] for line in open(f"/proc/{proc.pid}/status") if line.startswith("VmRSS"))
proc.terminate(); proc.wait()
print(us, rss)
PY
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
if [ -x "$OUT/trimmed/sake/HelloWorld" ] && [ -x "$OUT/trimmed/kestrel/KestrelHelloWorld" ]; then
  awk -v ss="$(stat -c %s "$OUT/trimmed/sake/HelloWorld")" -v ks="$(stat -c %s "$OUT/trimmed/kestrel/KestrelHelloWorld")" 'BEGIN {
    printf "| NativeAOT binary, size-trimmed (UseSystemResourceKeys, StackTraceSupport=false) | %.2f MB | %.2f MB | %.1f× |\n", ss/1e6, ks/1e6, ks/ss
  }'
fi
echo "($ROUNDS alternating rounds; raw µs: Sake ${sake_t[*]} / Kestrel ${kes_t[*]})"
