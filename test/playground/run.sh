#!/usr/bin/env bash
# End to end in the Microsoft 365 Agents Playground: the bot, the Playground and headless Chromium,
# all inside a network namespace with loopback only, so that nothing reaches beyond this machine.
# Needs root (unshare). Screenshots go to $SHOTS (printed at the end).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"

if [ -z "${PLAYGROUND_IN_NETNS:-}" ]; then
  if [ "$(id -u)" != 0 ]; then echo "run as root: the test makes a network namespace" >&2; exit 2; fi
  if ! command -v chromium >/dev/null; then
    echo "installing Debian's chromium for the test"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq chromium fonts-liberation >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium fonts-liberation >/dev/null; }
  fi
  export SHOTS="${SHOTS:-$(mktemp -d /tmp/playground-shots.XXXXXX)}"
  exec unshare --net -- env PLAYGROUND_IN_NETNS=1 SHOTS="$SHOTS" bash "$0" "$@"
fi

ip link set lo up
if [ -n "$(ip route show default)" ] || [ "$(ip -o link show | wc -l)" != 1 ]; then
  echo "refusing to run: this namespace has more than loopback" >&2
  exit 2
fi

WORK="$(mktemp -d /tmp/playground-run.XXXXXX)"
LOGS="$SHOTS/logs"
mkdir -p "$LOGS"
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

wait_for() { # url seconds
  local deadline=$(( $(date +%s) + $2 ))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "timed out waiting for $1" >&2; return 1; fi
    sleep 0.1
  done
}

# The bot as npm start runs it, in development mode on a store of its own.
(cd "$WORK" && exec env DATA_DIR="$WORK/data" PORT=3978 CERTIFICATION_SIMULATOR=off \
  node "$ROOT/dist/bot/main.js") >"$LOGS/bot.log" 2>&1 &
PIDS+=($!)

# The Playground: the Teams-like client and its own Bot Connector; its telemetry off, both kinds.
(cd "$WORK" && exec env TEAMSAPPTESTER_BROWSER=none APPLICATION_INSIGHTS_NO_STATSBEAT=true \
  M365_AGENTS_PLAYGROUND_LOGFILE="$LOGS/playground-internal.log" \
  node "$ROOT/node_modules/@microsoft/m365agentsplayground/cli.js" start \
    --app-endpoint http://127.0.0.1:3978/api/messages --channel-id msteams --port 56150 --disable-telemetry) \
  >"$LOGS/playground.log" 2>&1 &
PIDS+=($!)

wait_for http://127.0.0.1:3978/healthz 30
deadline=$(( $(date +%s) + 30 ))
until PORT="$(sed -n 's/^Listening on \([0-9]\+\)$/\1/p' "$LOGS/playground.log" | head -1)" && [ -n "$PORT" ]; do
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "the Playground did not start:" >&2; cat "$LOGS/playground.log" >&2; exit 1; fi
  sleep 0.1
done
wait_for "http://127.0.0.1:$PORT/_debug/ping" 30

node "$ROOT/dist/playground/drive.js" "http://localhost:$PORT/" "$SHOTS"
