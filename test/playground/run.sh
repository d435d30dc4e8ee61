#!/usr/bin/env bash
# End to end in the Microsoft 365 Agents Playground: the bot, the Playground and headless Chromium,
# all inside a network namespace with loopback only, so that nothing reaches beyond this machine.
# Needs root (unshare). Runs the flows once in English and once in Korean, each on a fresh store;
# screenshots go to $SHOTS (docs/screenshots by default), logs and failures to $LOGS.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"

if [ -z "${PLAYGROUND_IN_NETNS:-}" ]; then
  if [ "$(id -u)" != 0 ]; then echo "run as root: the test makes a network namespace" >&2; exit 2; fi
  # Chromium, and a font for Korean: without one Hangul shows as empty boxes.
  packages=()
  command -v chromium >/dev/null || packages+=(chromium fonts-liberation)
  { command -v fc-list >/dev/null && fc-list :lang=ko | grep -q .; } || packages+=(fonts-noto-cjk)
  if [ ${#packages[@]} -gt 0 ]; then
    echo "installing Debian's ${packages[*]} for the test"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; }
  fi
  if ! fc-list :lang=ko | grep -q .; then echo "no font for Korean: install fonts-noto-cjk" >&2; exit 2; fi
  export SHOTS="${SHOTS:-$ROOT/docs/screenshots}"
  export LOGS="${LOGS:-$(mktemp -d /tmp/playground-logs.XXXXXX)}"
  mkdir -p "$SHOTS" "$LOGS"
  # This run's screenshots replace the last run's, and only those.
  find "$SHOTS" -maxdepth 1 -regextype posix-extended -regex '.*/(en|ko)-(desktop|phone)-[a-z0-9-]+\.png' -delete
  exec unshare --net -- env PLAYGROUND_IN_NETNS=1 SHOTS="$SHOTS" LOGS="$LOGS" bash "$0" "$@"
fi

ip link set lo up
if [ -n "$(ip route show default)" ] || [ "$(ip -o link show | wc -l)" != 1 ]; then
  echo "refusing to run: this namespace has more than loopback" >&2
  exit 2
fi

WORK="$(mktemp -d /tmp/playground-run.XXXXXX)"
PIDS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  local status=$?
  stop_all
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

# One language: a fresh bot and Playground, the driver, then both stopped.
run_language() {
  local language=$1 data="$WORK/$1" port
  mkdir -p "$data"
  # The bot as npm start runs it, in development mode on a store of its own; only posted changes notify.
  (cd "$data" && exec env DATA_DIR="$data/store" PORT=3978 CERTIFICATION_SIMULATOR=off LOG_FORMAT=json \
    node "$ROOT/dist/bot/main.js") >"$LOGS/bot-$language.log" 2>&1 &
  PIDS+=($!)
  # The Playground: the Teams-like client and its own Bot Connector; its telemetry off, both kinds.
  (cd "$data" && exec env TEAMSAPPTESTER_BROWSER=none APPLICATION_INSIGHTS_NO_STATSBEAT=true \
    M365_AGENTS_PLAYGROUND_LOGFILE="$LOGS/playground-internal-$language.log" \
    node "$ROOT/node_modules/@microsoft/m365agentsplayground/cli.js" start \
      --app-endpoint http://127.0.0.1:3978/api/messages --channel-id msteams --port 56150 --disable-telemetry) \
    >"$LOGS/playground-$language.log" 2>&1 &
  PIDS+=($!)

  wait_for http://127.0.0.1:3978/healthz 30
  local deadline=$(( $(date +%s) + 30 ))
  until port="$(sed -n 's/^Listening on \([0-9]\+\)$/\1/p' "$LOGS/playground-$language.log" | head -1)" && [ -n "$port" ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "the Playground did not start:" >&2; cat "$LOGS/playground-$language.log" >&2; return 1; fi
    sleep 0.1
  done
  wait_for "http://127.0.0.1:$port/_debug/ping" 30

  local status=0
  node "$ROOT/dist/playground/drive.js" "http://localhost:$port/" http://127.0.0.1:3978 "$language" "$SHOTS" "$LOGS" || status=$?
  stop_all
  return "$status"
}

failed=0
for language in en ko; do
  run_language "$language" || failed=1
done
echo "screenshots in $SHOTS, logs in $LOGS"
exit "$failed"
