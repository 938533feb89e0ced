#!/usr/bin/env bash
# SC-002 worker scaling: a CPU-bound request (100,000 hash iterations) served by
#   - Sake on the worker pool   (CpuBench GET /cpu/worker, .Worker(), pool auto-sized = one worker per CPU)
#   - Sake on the event loop    (CpuBench GET /cpu/loop: the same handler delegate, pool still on)
#   - Kestrel                   (KestrelCpu GET /cpu: the same work, ASP.NET Core minimal API)
# all three published with NativeAOT and loaded by bench/LoadGen (closed loop, C keep-alive connections).
#
#   bench/worker-scaling.sh                # build, then run (needs the .NET SDK)
#   bench/worker-scaling.sh build          # publish the three binaries into artifacts/worker-scaling/bin
#   bench/worker-scaling.sh run [DIR]      # run with the binaries in DIR (default artifacts/worker-scaling/bin)
#   QUICK=1 bench/worker-scaling.sh run    # smoke check: 1 round x 3 s
#
# `run` needs only bash, coreutils and the three binaries (CpuBench, KestrelCpu, LoadGen): no SDK, no wrk,
# no curl, no awk/grep/sed, no network; readiness and response checks use `LoadGen --probe`. To run on another
# machine, copy this script and DIR (about 20 MB; the .dbg symbol files stay in artifacts/worker-scaling/dbg).
#
# Environment overrides (run):
#   ROUNDS=3  DURATION=10  WARMUP=2  CONNECTIONS=100
#   SAKE_WORKERS=0        Sake worker pool size (0 = auto = nproc)
#   LOADGEN_THREADS=n     LoadGen event threads (default: LoadGen's own, CPUs/4 between 1 and 8)
#   SAKE_PORT=5091 KESTREL_PORT=5092
#   OUT=dir               write worker-scaling.md (and logs/) there instead of artifacts/worker-scaling
# Environment overrides (build): RID=linux-x64
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ART="$ROOT/artifacts/worker-scaling"
NAMES=(CpuBench KestrelCpu LoadGen)

# shellcheck source=bench/server-lifecycle.sh
source "$(dirname "${BASH_SOURCE[0]}")/server-lifecycle.sh"

usage() { # the comment block at the top of this file
  local line first=1
  while IFS= read -r line; do
    if ((first)); then first=0; continue; fi
    [[ "$line" == "#"* ]] || break
    line="${line#\#}"
    echo "${line# }"
  done <"${BASH_SOURCE[0]}"
}

# ---------------------------------------------------------------- build (needs the SDK)
build() {
  local rid="${RID:-linux-x64}" name proj dest plog
  command -v dotnet >/dev/null 2>&1 || die "'dotnet' (the .NET SDK) is required for the build phase"
  mkdir -p "$ART/bin" "$ART/dbg" "$ART/logs"
  for name in "${NAMES[@]}"; do
    proj="$ROOT/bench/$name/$name.csproj"
    dest="$ART/publish/$name"
    plog="$ART/logs/publish-$name.log"
    [[ -f "$proj" ]] || die "project not found: $proj"
    log "publishing $name (NativeAOT, $rid)"
    rm -rf "$dest"
    if ! dotnet publish "$proj" -c Release -r "$rid" -p:PublishAot=true -o "$dest" -nologo >"$plog" 2>&1; then
      tail -n 30 "$plog" >&2
      die "publishing $name failed (full log: $plog)"
    fi
    if [[ "$(<"$plog")" == *"warning IL"* ]]; then
      die "publishing $name produced trimming/AOT warnings (see $plog)"
    fi
    [[ -x "$dest/$name" ]] || die "publish of $name produced no executable at $dest/$name"
    # Only the executable travels; its symbols go to dbg/ (the binaries are already stripped).
    cp -f "$dest/$name" "$ART/bin/$name"
    if [[ -f "$dest/$name.dbg" ]]; then
      cp -f "$dest/$name.dbg" "$ART/dbg/$name.dbg"
    fi
  done
  local total=0 size
  for name in "${NAMES[@]}"; do
    size="$(stat -c %s "$ART/bin/$name")"
    total=$((total + size))
    log "  bin/$name: $size bytes"
  done
  log "  total: $total bytes in ${ART#"$ROOT"/}/bin (symbols in ${ART#"$ROOT"/}/dbg)"
}

# ---------------------------------------------------------------- helpers for run (pure bash + coreutils)
# Fixed-point helpers: LoadGen prints rps with 1 decimal, latencies with 3 and CPU cores with 2.
to_fixed() { # value decimals -> integer (value * 10^decimals)
  local v="$1" d="$2" int frac
  if [[ "$v" == *.* ]]; then int="${v%%.*}"; frac="${v#*.}"; else int="$v"; frac=""; fi
  frac="${frac}000000"
  frac="${frac:0:d}"
  [[ -n "$int" ]] || int=0
  echo $((10#$int * 10 ** d + 10#${frac:-0}))
}
from_fixed() { # integer decimals -> "int.frac"
  local v="$1" d="$2" p=$((10 ** $2))
  if ((d == 0)); then echo "$v"; else printf '%d.%0*d' $((v / p)) "$d" $((v % p)); fi
}
median_int() { # integers on argv -> median (mean of the two middle values when even)
  local sorted n
  mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
  n=${#sorted[@]}
  if ((n % 2)); then echo "${sorted[n / 2]}"; else echo $(((sorted[n / 2 - 1] + sorted[n / 2]) / 2)); fi
}
ratio() { # a b -> a/b with 2 decimals (rounded), or n/a
  local a="$1" b="$2"
  ((b > 0)) || { echo "n/a"; return; }
  local h=$(((a * 1000 / b + 5) / 10))
  printf '%d.%02d' $((h / 100)) $((h % 100))
}
cpu_model() {
  local k v
  if [[ -r /proc/cpuinfo ]]; then
    while IFS=: read -r k v; do
      if [[ "$k" == "model name"* ]]; then
        echo "${v# }"
        return
      fi
    done </proc/cpuinfo
  fi
  echo "unknown CPU"
}

# ---------------------------------------------------------------- run (binaries only)

run() {
  local dir="$1"
  [[ -d "$dir" ]] || die "binary directory not found: $dir (run '$0 build' first)"
  dir="$(cd "$dir" && pwd)"
  local name
  for name in "${NAMES[@]}"; do
    [[ -x "$dir/$name" ]] || die "$dir/$name is missing or not executable (run '$0 build' first)"
  done
  CPUBENCH="$dir/CpuBench" KESTRELCPU="$dir/KestrelCpu" LOADGEN="$dir/LoadGen"

  ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-10}" WARMUP="${WARMUP:-2}"
  if [[ "${QUICK:-0}" == "1" ]]; then
    ROUNDS=1 DURATION=3 WARMUP=1
  fi
  CONNECTIONS="${CONNECTIONS:-100}"
  SAKE_WORKERS="${SAKE_WORKERS:-0}"
  SAKE_PORT="${SAKE_PORT:-5091}" KESTREL_PORT="${KESTREL_PORT:-5092}"
  START_TIMEOUT_S=15
  local var
  for var in ROUNDS DURATION WARMUP CONNECTIONS SAKE_WORKERS SAKE_PORT KESTREL_PORT; do
    [[ "${!var}" =~ ^[0-9]+$ ]] || die "$var must be a non-negative integer, not '${!var}'"
  done
  ((ROUNDS > 0 && DURATION > 0 && CONNECTIONS > 0)) || die "ROUNDS, DURATION and CONNECTIONS must be positive"
  LOADGEN_ARGS=()
  if [[ -n "${LOADGEN_THREADS:-}" ]]; then
    [[ "$LOADGEN_THREADS" =~ ^[1-9][0-9]*$ ]] || die "LOADGEN_THREADS must be a positive integer"
    LOADGEN_ARGS=(-t "$LOADGEN_THREADS")
  fi

  local result_dir="${OUT:-$ART}"
  LOG_DIR="$result_dir/logs"
  mkdir -p "$result_dir" "$LOG_DIR"
  local md="$result_dir/worker-scaling.md"

  trap 'stop_server' EXIT
  trap 'exit 130' INT TERM

  local nproc_n model kernel date_s
  nproc_n="$(nproc)"
  model="$(cpu_model)"
  kernel="$(uname -sr)"
  date_s="$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  log "$nproc_n CPUs, $model; $ROUNDS round(s) x ${DURATION} s (warm-up ${WARMUP} s), $CONNECTIONS connections"

  # kind: sake-worker | sake-loop | kestrel
  local -A ROUTE=([sake-worker]=/cpu/worker [sake-loop]=/cpu/loop [kestrel]=/cpu)
  local -A LABEL=([sake-worker]="Sake /cpu/worker (.Worker(), pool)" [sake-loop]="Sake /cpu/loop (event loop)" [kestrel]="Kestrel /cpu")
  local kinds=(sake-worker sake-loop kestrel)
  local -A RPS=() P50=() P99=() CPU=() ERR=() NON2XX=()
  local rows=() ref_body=""

  local r kind url port slog out
  for ((r = 1; r <= ROUNDS; r++)); do
    for kind in "${kinds[@]}"; do
      # ---- start a fresh server
      if [[ "$kind" == kestrel ]]; then port="$KESTREL_PORT"; else port="$SAKE_PORT"; fi
      url="http://127.0.0.1:$port"
      if "$LOADGEN" --probe "$url/plaintext" --timeout 1 >/dev/null 2>&1; then
        die "something already answers on port $port; stop it or set SAKE_PORT/KESTREL_PORT"
      fi
      slog="$LOG_DIR/$kind-round$r.log"
      if [[ "$kind" == kestrel ]]; then
        "$KESTRELCPU" --urls "$url" >"$slog" 2>&1 &
      else
        env SAKE_POOL=1 SAKE_WORKERS="$SAKE_WORKERS" "$CPUBENCH" "$url" >"$slog" 2>&1 &
      fi
      SERVER_PID=$!
      local deadline=$((SECONDS + START_TIMEOUT_S))
      until "$LOADGEN" --probe "$url/plaintext" --timeout 1 >/dev/null 2>&1; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
          tail -n 20 "$slog" >&2 || true
          SERVER_PID=""
          die "$kind server exited during startup (log: $slog)"
        fi
        ((SECONDS < deadline)) || { tail -n 20 "$slog" >&2 || true; die "$kind server did not answer $url/plaintext within ${START_TIMEOUT_S} s (log: $slog)"; }
        sleep 0.1
      done

      # ---- the route answers 200 with the same hash on every server (proves the same, complete work)
      local body
      body="$("$LOADGEN" --probe "$url${ROUTE[$kind]}" --timeout 10 2>>"$slog")" || die "$kind: GET ${ROUTE[$kind]} did not answer 2xx (log: $slog)"
      [[ -n "$body" ]] || die "$kind: GET ${ROUTE[$kind]} answered an empty body"
      if [[ -z "$ref_body" ]]; then
        ref_body="$body"
      elif [[ "$body" != "$ref_body" ]]; then
        die "$kind: GET ${ROUTE[$kind]} answered '$body', but the first server answered '$ref_body'"
      fi

      # ---- load
      if ! out="$(timeout $((WARMUP + DURATION + 30)) "$LOADGEN" "$url${ROUTE[$kind]}" -c "$CONNECTIONS" -d "$DURATION" -w "$WARMUP" \
        --pid "$SERVER_PID" "${LOADGEN_ARGS[@]}" 2>>"$slog")"; then
        echo "$out" >&2
        tail -n 5 "$slog" >&2 || true
        die "$kind: LoadGen failed (no request completed, or it was killed); log: $slog"
      fi
      kill -0 "$SERVER_PID" 2>/dev/null || die "$kind server died during the run (log: $slog)"
      stop_server

      local requests="" rps="" errors="" non2xx="" p50="" p99="" cores="" kv
      for kv in $out; do
        case "$kv" in
          requests=*) requests="${kv#*=}" ;;
          rps=*) rps="${kv#*=}" ;;
          errors=*) errors="${kv#*=}" ;;
          non2xx=*) non2xx="${kv#*=}" ;;
          p50_ms=*) p50="${kv#*=}" ;;
          p99_ms=*) p99="${kv#*=}" ;;
          server_cpu_cores=*) cores="${kv#*=}" ;;
        esac
      done
      [[ -n "$requests" && -n "$rps" && -n "$errors" && -n "$non2xx" && "$p50" != nan && -n "$p99" ]] \
        || die "$kind: could not parse LoadGen output: $out"
      [[ -n "$cores" ]] || cores="0.00"
      ((errors + non2xx == 0)) || log "WARNING: $kind round $r: $errors errors, $non2xx non-2xx responses (details in $slog)"

      RPS[$kind]+="$(to_fixed "$rps" 0) "
      P50[$kind]+="$(to_fixed "$p50" 3) "
      P99[$kind]+="$(to_fixed "$p99" 3) "
      CPU[$kind]+="$(to_fixed "$cores" 2) "
      ERR[$kind]=$((${ERR[$kind]:-0} + errors))
      NON2XX[$kind]=$((${NON2XX[$kind]:-0} + non2xx))
      rows+=("| $r | ${LABEL[$kind]} | $(to_fixed "$rps" 0) | $p50 | $p99 | $cores | $errors | $non2xx |")
      log "round $r: ${LABEL[$kind]}: $(to_fixed "$rps" 0) rps, p50 $p50 ms, p99 $p99 ms, server CPU $cores cores, errors $errors, non-2xx $non2xx"
    done
  done

  # ---- medians and ratios
  local -A M_RPS=() M_P50=() M_P99=() M_CPU=()
  local v
  for kind in "${kinds[@]}"; do
    read -ra v <<<"${RPS[$kind]}"; M_RPS[$kind]="$(median_int "${v[@]}")"
    read -ra v <<<"${P50[$kind]}"; M_P50[$kind]="$(median_int "${v[@]}")"
    read -ra v <<<"${P99[$kind]}"; M_P99[$kind]="$(median_int "${v[@]}")"
    read -ra v <<<"${CPU[$kind]}"; M_CPU[$kind]="$(median_int "${v[@]}")"
  done
  local worker_vs_loop worker_vs_kestrel
  worker_vs_loop="$(ratio "${M_RPS[sake-worker]}" "${M_RPS[sake-loop]}")"
  worker_vs_kestrel="$(ratio "${M_RPS[sake-worker]}" "${M_RPS[kestrel]}")"
  local lg_threads="${LOADGEN_THREADS:-auto (CPUs/4, 1..8)}"

  {
    echo "## Worker scaling (SC-002): Sake .Worker() vs the event loop vs Kestrel, CPU-bound requests"
    echo
    echo "- Date: $date_s"
    echo "- Machine: nproc = $nproc_n, $model, $kernel"
    echo "- Work per request: 100,000 iterations of 64-bit FNV-1a over the iteration counter (bench/CpuBench/CpuWork.cs), the same handler delegate for /cpu/loop and /cpu/worker, the same source file in Kestrel; every server answered \`$ref_body\`"
    echo "- Sake: \`env SAKE_POOL=1 SAKE_WORKERS=$SAKE_WORKERS CpuBench http://127.0.0.1:$SAKE_PORT\` (worker pool $( ((SAKE_WORKERS == 0)) && echo "auto = $nproc_n workers" || echo "$SAKE_WORKERS workers"))"
    echo "- Kestrel: \`KestrelCpu --urls http://127.0.0.1:$KESTREL_PORT\` (ASP.NET Core minimal API, slim builder, no logging)"
    echo "- Load: \`LoadGen URL -c $CONNECTIONS -d $DURATION -w $WARMUP --pid SERVER\` (closed loop: $CONNECTIONS keep-alive connections, one request in flight each; $WARMUP s warm-up, then $DURATION s measured; LoadGen threads: $lg_threads); all on the same machine, unpinned"
    echo "- $ROUNDS round(s), each running Sake worker, Sake loop, Kestrel in turn, a fresh server per run; all three binaries NativeAOT"
    echo "- Binaries (NativeAOT, linux-x64, symbols stripped): CpuBench $(stat -c %s "$CPUBENCH") B, KestrelCpu $(stat -c %s "$KESTRELCPU") B, LoadGen $(stat -c %s "$LOADGEN") B"
    echo "- Server CPU: user+system time of the server process during the measured window, in cores (1.00 = one core busy throughout)"
    echo
    echo "| round | server / route | rps | p50 ms | p99 ms | server CPU (cores) | errors | non-2xx |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Medians over $ROUNDS round(s):"
    echo
    echo "| server / route | rps | p50 ms | p99 ms | server CPU (cores) | errors (all rounds) | non-2xx (all rounds) |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for kind in "${kinds[@]}"; do
      echo "| ${LABEL[$kind]} | **${M_RPS[$kind]}** | $(from_fixed "${M_P50[$kind]}" 3) | $(from_fixed "${M_P99[$kind]}" 3) | $(from_fixed "${M_CPU[$kind]}" 2) | ${ERR[$kind]} | ${NON2XX[$kind]} |"
    done
    echo
    echo "- **Sake worker / Sake loop: ${worker_vs_loop}x** rps (SC-002 asks 5-7x \"under heavy load\"; the ceiling is about the number of cores the workers get: nproc = $nproc_n here, shared with LoadGen)"
    echo "- **Sake worker / Kestrel: ${worker_vs_kestrel}x** rps"
  } >"$md"

  echo
  cat "$md"
  echo
  log "markdown written to $md"
}

case "${1:-all}" in
  build) build ;;
  run) run "${2:-$ART/bin}" ;;
  all) build; run "$ART/bin" ;;
  -h | --help) usage ;;
  *) die "unknown command '$1' (use: build | run [DIR] | no argument for both)" ;;
esac
