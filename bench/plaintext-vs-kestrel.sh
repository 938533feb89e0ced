#!/usr/bin/env bash
# Sake vs Kestrel: TechEmpower-style /plaintext and /json, both published with NativeAOT.
#
#   bench/plaintext-vs-kestrel.sh                 # full run: 3 rounds x 10 s per mode/route
#   QUICK=1 bench/plaintext-vs-kestrel.sh         # smoke check: 1 round x 2 s
#
# Environment overrides:
#   ROUNDS=3            rounds per mode/route (each round runs Sake, then Kestrel)
#   DURATION=10         seconds of the measured wrk run
#   WARMUP=2            seconds of the warm-up wrk run (not measured)
#   CONNECTIONS=64      wrk -c
#   MODES="pinned unpinned"          pinned: server on CPU 0, wrk on CPU 1 (taskset)
#   ROUTES="/plaintext /json"
#   SAKE_PORT=5081 KESTREL_PORT=5082
#   SAKE_BIN=path       use this executable for the Sake slot instead of publishing samples/HelloWorld
#                       (it is started as: SAKE_URLS=URL SAKE_BIN URL)
#   KESTREL_BIN=path    likewise for the Kestrel slot (started as: KESTREL_BIN --urls URL)
#
# Output: tables on stdout and the same markdown in artifacts/bench/plaintext-vs-kestrel.md
# (paste into docs/benchmarks.md). Server logs go to artifacts/bench/logs/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/artifacts/bench"
LOG_DIR="$OUT_DIR/logs"
MD="$OUT_DIR/plaintext-vs-kestrel.md"

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
if [[ "${QUICK:-0}" == "1" ]]; then
  ROUNDS=1
  DURATION=2
  WARMUP=1
fi
CONNECTIONS="${CONNECTIONS:-64}"
MODES="${MODES:-pinned unpinned}"
ROUTES="${ROUTES:-/plaintext /json}"
SAKE_PORT="${SAKE_PORT:-5081}"
KESTREL_PORT="${KESTREL_PORT:-5082}"
START_TIMEOUT_S=10

# shellcheck source=bench/server-lifecycle.sh
source "$(dirname "${BASH_SOURCE[0]}")/server-lifecycle.sh"

# ---------------------------------------------------------------- cleanup of started servers
trap 'stop_server' EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- prerequisites
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  SUDO=""
  [[ "$(id -u)" == "0" ]] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi
for tool in wrk curl taskset dotnet awk getconf; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required but not installed"
done
NPROC="$(nproc)"
if [[ " $MODES " == *" pinned "* && "$NPROC" -lt 2 ]]; then
  log "only $NPROC CPU: skipping the pinned mode"
  m=""
  for x in $MODES; do [[ "$x" == "pinned" ]] || m+="$x "; done
  MODES="$m"
fi
CLK_TCK="$(getconf CLK_TCK)"

case "$(uname -m)" in
  x86_64) RID=linux-x64 ;;
  aarch64 | arm64) RID=linux-arm64 ;;
  *) die "unsupported architecture $(uname -m)" ;;
esac

mkdir -p "$OUT_DIR" "$LOG_DIR"

# ---------------------------------------------------------------- publish (NativeAOT)
publish() { # project-file name -> prints the executable path
  local proj="$1" name="$2" dest="$OUT_DIR/$2" plog="$LOG_DIR/publish-$2.log"
  [[ -f "$proj" ]] || die "project not found: $proj"
  log "publishing $name (NativeAOT, $RID) -> ${dest#"$ROOT"/}"
  if ! dotnet publish "$proj" -c Release -r "$RID" -p:PublishAot=true -o "$dest" -nologo >"$plog" 2>&1; then
    tail -n 30 "$plog" >&2
    die "publishing $name failed (full log: $plog)"
  fi
  [[ -x "$dest/$name" ]] || die "publish of $name produced no executable at $dest/$name"
  echo "$dest/$name"
}

if [[ -n "${SAKE_BIN:-}" ]]; then
  [[ -x "$SAKE_BIN" ]] || die "SAKE_BIN=$SAKE_BIN is not an executable"
  log "Sake slot: using SAKE_BIN=$SAKE_BIN (not publishing samples/HelloWorld)"
else
  SAKE_BIN="$(publish "$ROOT/samples/HelloWorld/HelloWorld.csproj" HelloWorld)"
fi
if [[ -n "${KESTREL_BIN:-}" ]]; then
  [[ -x "$KESTREL_BIN" ]] || die "KESTREL_BIN=$KESTREL_BIN is not an executable"
  log "Kestrel slot: using KESTREL_BIN=$KESTREL_BIN (not publishing bench/KestrelHelloWorld)"
else
  KESTREL_BIN="$(publish "$ROOT/bench/KestrelHelloWorld/KestrelHelloWorld.csproj" KestrelHelloWorld)"
fi

# ---------------------------------------------------------------- server control
# start_server sake|kestrel mode -> sets SERVER_PID, SERVER_URL
start_server() {
  local which="$1" mode="$2" port bin
  local pin=()
  [[ "$mode" == "pinned" ]] && pin=(taskset -c 0)
  if [[ "$which" == "sake" ]]; then port="$SAKE_PORT"; bin="$SAKE_BIN"; else port="$KESTREL_PORT"; bin="$KESTREL_BIN"; fi
  SERVER_URL="http://127.0.0.1:$port"
  if curl -s -o /dev/null --max-time 1 "$SERVER_URL/" 2>/dev/null; then
    die "something already listens on port $port; stop it or set ${which^^}_PORT"
  fi
  local slog="$LOG_DIR/$which-$mode.log"
  # taskset and env exec the server, so $! is the server's own pid (needed for /proc/<pid>/stat).
  if [[ "$which" == "sake" ]]; then
    "${pin[@]}" env SAKE_URLS="$SERVER_URL" "$bin" "$SERVER_URL" >"$slog" 2>&1 &
  else
    "${pin[@]}" env "$bin" --urls "$SERVER_URL" >"$slog" 2>&1 &
  fi
  SERVER_PID=$!
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until curl -s -o /dev/null --max-time 1 "$SERVER_URL/plaintext" 2>/dev/null; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      tail -n 20 "$slog" >&2 || true
      SERVER_PID=""
      die "$which server ($bin) exited during startup (log: $slog)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$slog" >&2 || true
      die "$which server ($bin) did not answer $SERVER_URL/plaintext within ${START_TIMEOUT_S} s (log: $slog)"
    fi
    sleep 0.1
  done
}

expected_body() {
  case "$1" in
    /plaintext) printf '%s' 'Hello, World!' ;;
    /json) printf '%s' '{"message":"Hello, World!"}' ;;
    *) die "no expected body for route $1" ;;
  esac
}

declare -A VERIFIED=()
verify() { # which route: checks status 200, exact body, Date header (once per server and route)
  local which="$1" route="$2" hdr body expect
  [[ -n "${VERIFIED[$which$route]:-}" ]] && return 0
  hdr="$(mktemp)"
  body="$(curl -s --max-time 5 -D "$hdr" "$SERVER_URL$route")" || { rm -f "$hdr"; die "$which: GET $route failed"; }
  expect="$(expected_body "$route")"
  if ! head -n 1 "$hdr" | grep -q ' 200'; then
    cat "$hdr" >&2; rm -f "$hdr"; die "$which: GET $route did not answer 200"
  fi
  if [[ "$body" != "$expect" ]]; then
    rm -f "$hdr"; die "$which: GET $route body is '$body', expected '$expect'"
  fi
  if ! grep -qi '^date: ' "$hdr"; then
    cat "$hdr" >&2; rm -f "$hdr"; die "$which: GET $route has no Date header"
  fi
  rm -f "$hdr"
  VERIFIED[$which$route]=1
  log "$which $route verified (200, body, Date header)"
}

cpu_ticks() { # utime + stime (fields 14 and 15 of /proc/<pid>/stat), robust to spaces in comm
  local stat
  stat="$(<"/proc/$1/stat")"
  stat="${stat##*) }"          # now field 3 (state) is the first word
  awk '{ print $12 + $13 }' <<<"$stat"
}

# run_one which mode route -> sets RUN_RPS RUN_CPU RUN_ERR. Runs in the main shell (never in $(...)),
# so SERVER_PID stays visible to the EXIT trap and VERIFIED persists.
run_one() {
  local which="$1" mode="$2" route="$3"
  local wpin=()
  [[ "$mode" == "pinned" ]] && wpin=(taskset -c 1)
  start_server "$which" "$mode"
  verify "$which" "$route"
  "${wpin[@]}" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "$SERVER_URL$route" >/dev/null
  local c0 c1 out rps total errors
  c0="$(cpu_ticks "$SERVER_PID")"
  out="$("${wpin[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$SERVER_URL$route")"
  c1="$(cpu_ticks "$SERVER_PID")"
  stop_server
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  total="$(awk '/ requests in / { print $1 }' <<<"$out")"
  [[ -n "$rps" && -n "$total" && "$total" -gt 0 ]] || { echo "$out" >&2; die "could not parse wrk output"; }
  errors="$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")"
  ((errors == 0)) || log "WARNING: $which $mode $route: $errors errors/non-2xx responses"
  RUN_RPS="$(awk -v r="$rps" 'BEGIN { printf "%.0f", r }')"
  RUN_CPU="$(awk -v a="$c0" -v b="$c1" -v t="$total" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz * 1e6 / t }')"
  RUN_ERR="$errors"
}

median() { # numbers on argv
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---------------------------------------------------------------- run
MODEL="$(lscpu 2>/dev/null | awk -F: '/^Model name/ { gsub(/^[ \t]+/, "", $2); print $2; exit }')"
SAKE_CMD="[taskset -c 0] env SAKE_URLS=http://127.0.0.1:$SAKE_PORT ${SAKE_BIN#"$ROOT"/} http://127.0.0.1:$SAKE_PORT"
KESTREL_CMD="[taskset -c 0] ${KESTREL_BIN#"$ROOT"/} --urls http://127.0.0.1:$KESTREL_PORT"
WRK_CMD="[taskset -c 1] wrk -t1 -c$CONNECTIONS -d${DURATION}s http://127.0.0.1:PORT/ROUTE  (after a ${WARMUP} s warm-up with the same command)"

{
  echo "## Sake vs Kestrel (NativeAOT): plaintext and json"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- Machine: $NPROC CPUs, ${MODEL:-unknown CPU}, $(uname -sr)"
  echo "- .NET SDK: $(dotnet --version 2>/dev/null || echo unknown)"
  echo "- Rounds: $ROUNDS per mode/route, alternating Sake then Kestrel; each round starts a fresh server"
  echo "- Sake: \`$SAKE_CMD\`"
  echo "- Kestrel: \`$KESTREL_CMD\`"
  echo "- Load: \`$WRK_CMD\`"
  echo "- pinned: server \`taskset -c 0\`, wrk \`taskset -c 1\`; unpinned: no taskset"
  echo "- CPU µs/req: server utime+stime (/proc/<pid>/stat) over the measured run / requests completed"
  echo
} >"$MD"

for mode in $MODES; do
  for route in $ROUTES; do
    log "mode=$mode route=$route rounds=$ROUNDS duration=${DURATION}s"
    s_rps=() s_cpu=() k_rps=() k_cpu=() rows=()
    for ((r = 1; r <= ROUNDS; r++)); do
      run_one sake "$mode" "$route"
      sr="$RUN_RPS" sc="$RUN_CPU" se="$RUN_ERR"
      run_one kestrel "$mode" "$route"
      kr="$RUN_RPS" kc="$RUN_CPU" ke="$RUN_ERR"
      log "  round $r: sake $sr rps ${sc} us/req | kestrel $kr rps ${kc} us/req"
      s_rps+=("$sr"); s_cpu+=("$sc"); k_rps+=("$kr"); k_cpu+=("$kc")
      note=""
      ((se + ke == 0)) || note=" (errors: sake $se, kestrel $ke)"
      rows+=("| $r | $sr | $sc | $kr | $kc |$note")
    done
    msr="$(median "${s_rps[@]}")"; msc="$(median "${s_cpu[@]}")"
    mkr="$(median "${k_rps[@]}")"; mkc="$(median "${k_cpu[@]}")"
    rps_ratio="$(awk -v a="$msr" -v b="$mkr" 'BEGIN { printf "%.2f", a / b }')"
    cpu_ratio="$(awk -v a="$msc" -v b="$mkc" 'BEGIN { printf "%.2f", a / b }')"
    table="$(
      echo "### $mode $route"
      echo
      echo "| round | Sake rps | Sake CPU µs/req | Kestrel rps | Kestrel CPU µs/req |"
      echo "|---|---:|---:|---:|---:|"
      printf '%s\n' "${rows[@]}"
      printf '| **median** | **%.0f** | **%.2f** | **%.0f** | **%.2f** |\n' "$msr" "$msc" "$mkr" "$mkc"
      echo
      echo "Sake/Kestrel: rps ratio **$rps_ratio** (higher is better for Sake), CPU-per-request ratio **$cpu_ratio** (lower is better for Sake)."
      echo
    )"
    echo "$table" >>"$MD"
    echo
    echo "$table"
  done
done

echo
log "markdown written to ${MD#"$ROOT"/}"
