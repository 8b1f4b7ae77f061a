#!/usr/bin/env bash
# The local AWS (moto in server mode plus the handlers in localaws/*.py) on loopback, for the
# integration and deploy tests and for `guardduty-hub sandbox`.
#
#   devkit/localaws/localaws.sh install   create .cache/moto-venv with moto[server]==MOTO_VERSION (idempotent)
#   devkit/localaws/localaws.sh start     install if needed, start moto_server on a free 127.0.0.1 port,
#                                  wait until it answers, print its URL (last line of stdout)
#   devkit/localaws/localaws.sh stop      stop the server started by `start`
#   devkit/localaws/localaws.sh status    print the URL of the running server, exit 1 if none
#
# Needs Python 3 (3.9 or later) with the venv module, and PyPI the first time.
# Environment:
#   MOTO_STATE_DIR   where moto.port, moto.pid and moto.log go (default: <repo>/.cache)
#   MOTO_VENV        the virtualenv (default: <repo>/.cache/moto-venv)
#   PYTHON           the Python used to create the virtualenv (default: python3)
set -euo pipefail

# Newest moto release checked against this project (`pip index versions moto`, 2026).
readonly MOTO_VERSION=5.2.5
readonly START_TIMEOUT_SECONDS=30
readonly START_ATTEMPTS=3

# The repository root (.cache/ lives there) and the folder that holds the localaws package.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PACKAGES=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR="$ROOT/.cache"
VENV=${MOTO_VENV:-$CACHE_DIR/moto-venv}
STATE_DIR=${MOTO_STATE_DIR:-$CACHE_DIR}
PORT_FILE="$STATE_DIR/moto.port"
PID_FILE="$STATE_DIR/moto.pid"
LOG_FILE="$STATE_DIR/moto.log"
MARKER="$VENV/.moto-version"

die() {
  echo "localaws.sh: $*" >&2
  exit 1
}

installed() {
  [[ -x "$VENV/bin/moto_server" && -f "$MARKER" && "$(cat "$MARKER")" == "$MOTO_VERSION" ]]
}

install() {
  installed && return 0
  mkdir -p "$CACHE_DIR"
  # One installer at a time: two test runs may start together on a fresh clone.
  exec 9>"$CACHE_DIR/moto-install.lock"
  flock 9
  if installed; then
    flock -u 9
    return 0
  fi
  local python=${PYTHON:-python3}
  command -v "$python" >/dev/null 2>&1 ||
    die "$python not found: the integration tests need Python 3 (with venv) to run moto"
  echo "localaws.sh: installing moto[server]==$MOTO_VERSION into ${VENV#"$ROOT"/} (once)" >&2
  rm -rf "$VENV"
  "$python" -m venv "$VENV" ||
    die "'$python -m venv' failed; install the Python venv module (Debian/Ubuntu: apt-get install python3-venv)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "moto[server]==$MOTO_VERSION" ||
    die "pip could not install moto[server]==$MOTO_VERSION (is PyPI reachable?)"
  echo "$MOTO_VERSION" >"$MARKER"
  flock -u 9
}

# The recorded server's URL when it is alive and answers.
running_url() {
  [[ -f "$PID_FILE" && -f "$PORT_FILE" ]] || return 1
  local pid port
  pid=$(cat "$PID_FILE")
  port=$(cat "$PORT_FILE")
  kill -0 "$pid" 2>/dev/null || return 1
  answers "$port" 5 || return 1
  echo "http://127.0.0.1:$port"
}

# Polls GET /moto-api/ until it answers at all (or the timeout passes, or the pid dies). Not
# /moto-api/data.json: it dumps every resource, slow once the stacks are applied.
answers() {
  local port=$1 timeout=$2 pid=${3:-}
  "$VENV/bin/python" - "$port" "$timeout" "$pid" <<'PY'
import os, sys, time, urllib.error, urllib.request
port, timeout, pid = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    if pid:
        try:
            os.kill(int(pid), 0)
        except OSError:
            sys.exit(2)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2):
            sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except Exception:
        pass
    time.sleep(0.05)
sys.exit(1)
PY
}

free_port() {
  "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  install
  mkdir -p "$STATE_DIR"
  if url=$(running_url); then
    die "a moto server is already running at $url (pid $(cat "$PID_FILE")); run '$0 stop' first"
  fi
  local attempt port pid status
  # A recorded server that lives but answered slowly (a loaded machine): wait for it, never start a second.
  if [[ -f "$PID_FILE" && -f "$PORT_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    port=$(cat "$PORT_FILE")
    if answers "$port" "$START_TIMEOUT_SECONDS" "$(cat "$PID_FILE")"; then
      echo "http://127.0.0.1:$port"
      return 0
    fi
  fi
  for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
    port=$(free_port)
    # setsid: the server outlives this script and gets its own process group, so `stop` ends it alone.
    # python -m localaws: moto_server with the project's extra handlers registered first.
    PYTHONPATH="$PACKAGES${PYTHONPATH:+:$PYTHONPATH}" setsid "$VENV/bin/python" -m localaws -H 127.0.0.1 -p "$port" >"$LOG_FILE" 2>&1 </dev/null &
    pid=$!
    status=0
    answers "$port" "$START_TIMEOUT_SECONDS" "$pid" || status=$?
    if ((status == 0)); then
      echo "$pid" >"$PID_FILE"
      echo "$port" >"$PORT_FILE"
      echo "http://127.0.0.1:$port"
      return 0
    fi
    kill "$pid" 2>/dev/null || true
    # Another process may have taken the port between choosing and binding it: try a new one.
    grep -q "Address already in use" "$LOG_FILE" 2>/dev/null && continue
    break
  done
  die "the local AWS did not answer on 127.0.0.1:$port within ${START_TIMEOUT_SECONDS}s; its log ($LOG_FILE) ends with:
$(tail -n 20 "$LOG_FILE" 2>/dev/null)"
}

stop() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid
  pid=$(cat "$PID_FILE")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) running_url || die "no moto server is running (state in $STATE_DIR)" ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac
