# Sourced by the bench scripts: logging and stopping the server a script started (plain bash, no other tools,
# so it also works on a bare machine).
die() { echo "error: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

# The pid of the server a script started, if any; stop_server sends TERM, then KILL after 5 s.
SERVER_PID=""
stop_server() {
  local pid="${SERVER_PID}"
  [[ -n "$pid" ]] || return 0
  SERVER_PID=""
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
