#!/usr/bin/env bash
# Soak (issue 8, part 6): a long run at ~70 % of the measured maximum throughput, mixed event-loop and worker
# routes, watching the server's RSS, open descriptors and threads. Pass: zero errors and zero non-2xx answers,
# descriptors flat, RSS flat (the last fifth of the run within FLAT_PCT of the second fifth: the first fifth is
# warm-up, where the GC and the pools size themselves).
#
#   bench/soak.sh                  # build (dotnet build -c Release), then run
#   bench/soak.sh build            # build CpuBench and LoadGen into artifacts/soak/bin
#   bench/soak.sh run              # run with what `build` made
#   DURATION=20 bench/soak.sh      # a quick check that the script works
#
# The server is bench/CpuBench (framework-dependent build, so no NativeAOT publish is needed); the load is two
# bench/LoadGen processes at once:
#   loop:   GET /light/loop   (1 KiB JSON, answered on the event loop)    LOOP_CONNS keep-alive connections
#   worker: GET /cpu/worker   (CPU-bound, .Worker(), pool = one per CPU)  WORKER_CONNS keep-alive connections
# First both run unpaced together for CALIBRATE seconds (the maximum of this mix on this machine), then both run
# paced (LoadGen -r) at LOAD x that maximum for DURATION seconds while the server is sampled every SAMPLE seconds.
#
# Environment: DURATION=600  LOAD=0.7  CALIBRATE=8  SAMPLE=5  LOOP_CONNS=32  WORKER_CONNS=8  FLAT_PCT=10
#              SAKE_PORT=5093  OUT=artifacts/soak (soak.md, samples.csv and logs/ go there)
# Output: a Markdown summary on stdout (also $OUT/soak.md); exit 1 when the run fails its checks.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${OUT:-$ROOT/artifacts/soak}"
BIN="$OUT/bin"

# shellcheck source=bench/server-lifecycle.sh
source "$(dirname "${BASH_SOURCE[0]}")/server-lifecycle.sh"

LOADGEN_PIDS=()
cleanup() {
  local p
  for p in "${LOADGEN_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_server
}
trap cleanup EXIT

build() {
  command -v dotnet >/dev/null 2>&1 || die "'dotnet' (the .NET SDK) is required for the build phase"
  mkdir -p "$OUT/logs"
  local name
  for name in CpuBench LoadGen; do
    log "building $name (Release)"
    if ! dotnet build "$ROOT/bench/$name/$name.csproj" -c Release -nologo -o "$BIN/$name" >"$OUT/logs/build-$name.log" 2>&1; then
      tail -n 30 "$OUT/logs/build-$name.log" >&2
      die "building $name failed (log: $OUT/logs/build-$name.log)"
    fi
  done
}

# /proc figures of one process: "rss_kib fds threads"
sample() {
  local pid="$1" rss="" threads="" k v fds
  while read -r k v _; do
    case "$k" in
      VmRSS:) rss="$v" ;;
      Threads:) threads="$v" ;;
    esac
  done <"/proc/$pid/status"
  fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  echo "$rss $fds $threads"
}

# The value of key=... in a LoadGen result line.
field() { # line key
  local word
  for word in $1; do
    if [[ "$word" == "$2="* ]]; then echo "${word#*=}"; return; fi
  done
  echo "?"
}

run() {
  DURATION="${DURATION:-600}" LOAD="${LOAD:-0.7}" CALIBRATE="${CALIBRATE:-8}" SAMPLE="${SAMPLE:-5}"
  LOOP_CONNS="${LOOP_CONNS:-32}" WORKER_CONNS="${WORKER_CONNS:-8}" FLAT_PCT="${FLAT_PCT:-10}" SAKE_PORT="${SAKE_PORT:-5093}"
  local var
  for var in DURATION CALIBRATE SAMPLE LOOP_CONNS WORKER_CONNS FLAT_PCT SAKE_PORT; do
    [[ "${!var}" =~ ^[0-9]+$ && "${!var}" -gt 0 ]] || die "$var must be a positive integer, not '${!var}'"
  done
  [[ "$LOAD" =~ ^(0?\.[0-9]+|1(\.0*)?)$ ]] || die "LOAD must be a fraction between 0 and 1, not '$LOAD'"
  [[ -f "$BIN/CpuBench/CpuBench.dll" && -f "$BIN/LoadGen/LoadGen.dll" ]] || die "nothing built in $BIN (run '$0 build')"
  mkdir -p "$OUT/logs"
  local url="http://127.0.0.1:$SAKE_PORT" loadgen=(dotnet "$BIN/LoadGen/LoadGen.dll")

  log "starting CpuBench on $url"
  dotnet "$BIN/CpuBench/CpuBench.dll" "$url" >"$OUT/logs/server.log" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 150); do
    "${loadgen[@]}" --probe "$url/plaintext" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited at startup (see $OUT/logs/server.log)"
    sleep 0.2
  done
  "${loadgen[@]}" --probe "$url/plaintext" >/dev/null 2>&1 || die "the server did not answer within 30 s"

  log "calibrating: both routes unpaced together for $CALIBRATE s"
  "${loadgen[@]}" "$url/light/loop" -c "$LOOP_CONNS" -w 1 -d "$CALIBRATE" >"$OUT/logs/calibrate-loop.txt" 2>&1 &
  local cal_loop=$!
  "${loadgen[@]}" "$url/cpu/worker" -c "$WORKER_CONNS" -w 1 -d "$CALIBRATE" >"$OUT/logs/calibrate-worker.txt" 2>&1 || true
  wait "$cal_loop" || true
  local max_loop max_worker
  max_loop="$(field "$(head -n 1 "$OUT/logs/calibrate-loop.txt")" rps)"
  max_worker="$(field "$(head -n 1 "$OUT/logs/calibrate-worker.txt")" rps)"
  [[ "$max_loop" =~ ^[0-9.]+$ && "$max_worker" =~ ^[0-9.]+$ ]] || die "calibration failed (see $OUT/logs/calibrate-*.txt)"
  local rate_loop rate_worker
  rate_loop="$(awk -v m="$max_loop" -v l="$LOAD" 'BEGIN { printf "%.0f", m * l }')"
  rate_worker="$(awk -v m="$max_worker" -v l="$LOAD" 'BEGIN { printf "%.0f", m * l }')"
  log "maximum: loop $max_loop rps, worker $max_worker rps; soaking at $LOAD x: $rate_loop + $rate_worker rps for $DURATION s"

  local csv="$OUT/samples.csv" start now before
  before="$(sample "$SERVER_PID")"
  echo "elapsed_s,rss_kib,fds,threads" >"$csv"
  start=$SECONDS
  LOADGEN_PIDS=()
  "${loadgen[@]}" "$url/light/loop" -c "$LOOP_CONNS" -r "$rate_loop" -d "$DURATION" --pid "$SERVER_PID" >"$OUT/logs/soak-loop.txt" 2>&1 &
  LOADGEN_PIDS+=($!)
  "${loadgen[@]}" "$url/cpu/worker" -c "$WORKER_CONNS" -r "$rate_worker" -d "$DURATION" >"$OUT/logs/soak-worker.txt" 2>&1 &
  LOADGEN_PIDS+=($!)
  while kill -0 "${LOADGEN_PIDS[0]}" 2>/dev/null || kill -0 "${LOADGEN_PIDS[1]}" 2>/dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during the soak (see $OUT/logs/server.log)"
    now=$((SECONDS - start))
    read -r rss fds threads <<<"$(sample "$SERVER_PID")"
    echo "$now,$rss,$fds,$threads" >>"$csv"
    sleep "$SAMPLE"
  done
  wait "${LOADGEN_PIDS[0]}" || true
  wait "${LOADGEN_PIDS[1]}" || true
  LOADGEN_PIDS=()
  local after
  after="$(sample "$SERVER_PID")"
  stop_server

  local loop_line worker_line
  loop_line="$(head -n 1 "$OUT/logs/soak-loop.txt")"
  worker_line="$(head -n 1 "$OUT/logs/soak-worker.txt")"

  # Flatness: mean of the 2nd fifth of the samples vs mean of the last fifth; descriptor and thread ranges past warm-up.
  local stats
  stats="$(awk -F, 'NR > 1 { n++; r[n] = $2; f[n] = $3; t[n] = $4 }
    END {
      if (n < 5) { print "n/a n/a n/a n/a n/a n/a n/a"; exit }
      q = int(n / 5); a = 0; b = 0
      for (i = q + 1; i <= 2 * q; i++) a += r[i]
      for (i = n - q + 1; i <= n; i++) b += r[i]
      a /= q; b /= q
      fmin = 1e9; fmax = 0; tmin = 1e9; tmax = 0; rmax = 0
      for (i = q + 1; i <= n; i++) {
        if (f[i] < fmin) fmin = f[i]; if (f[i] > fmax) fmax = f[i]
        if (t[i] < tmin) tmin = t[i]; if (t[i] > tmax) tmax = t[i]
        if (r[i] > rmax) rmax = r[i]
      }
      printf "%.0f %.0f %.1f %d %d %d %d %.0f\n", a, b, (b - a) * 100 / a, fmin, fmax, tmin, tmax, rmax
    }' "$csv")"
  local rss_a rss_b rss_pct fd_min fd_max th_min th_max rss_max
  read -r rss_a rss_b rss_pct fd_min fd_max th_min th_max rss_max <<<"$stats"

  local verdict="PASS" reasons=()
  local e
  for e in "$(field "$loop_line" errors)" "$(field "$loop_line" non2xx)" "$(field "$worker_line" errors)" "$(field "$worker_line" non2xx)"; do
    [[ "$e" == "0" ]] || reasons+=("errors or non-2xx answers")
  done
  if [[ "$rss_pct" != "n/a" ]]; then
    awk -v p="$rss_pct" -v l="$FLAT_PCT" 'BEGIN { exit !(p > l) }' && reasons+=("RSS grew by $rss_pct %")
    ((fd_max - fd_min <= 4)) || reasons+=("descriptors ranged $fd_min..$fd_max")
  else
    reasons+=("too few samples (raise DURATION or lower SAMPLE)")
  fi
  ((${#reasons[@]} == 0)) || verdict="FAIL (${reasons[*]})"

  {
    echo "### Soak: $(date -u '+%Y-%m-%d %H:%M UTC'), DURATION=$DURATION s at LOAD=$LOAD"
    echo
    echo "- Machine: $(nproc) CPUs, $(uname -sr); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Calibrated maximum of the mix (unpaced, together): loop $max_loop rps, worker $max_worker rps"
    echo "- Paced at $LOAD x: loop $rate_loop rps ($LOOP_CONNS connections), worker $rate_worker rps ($WORKER_CONNS connections)"
    echo
    echo "| load | result |"
    echo "|---|---|"
    echo "| loop \`/light/loop\` | \`$loop_line\` |"
    echo "| worker \`/cpu/worker\` | \`$worker_line\` |"
    echo
    echo "| server | value |"
    echo "|---|---:|"
    echo "| RSS before load / after (KiB) | ${before%% *} / ${after%% *} |"
    echo "| RSS mean, 2nd fifth → last fifth (KiB) | $rss_a → $rss_b ($rss_pct %) |"
    echo "| RSS peak past warm-up (KiB) | $rss_max |"
    echo "| open descriptors past warm-up (min..max) | $fd_min..$fd_max |"
    echo "| threads past warm-up (min..max) | $th_min..$th_max |"
    echo
    echo "Verdict: **$verdict** (samples every $SAMPLE s: ${csv#"$ROOT"/})"
  } | tee "$OUT/soak.md"
  [[ "$verdict" == "PASS" ]]
}

case "${1:-all}" in
  build) build ;;
  run) run ;;
  all) build && run ;;
  -h | --help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (build, run or nothing for both)" ;;
esac
