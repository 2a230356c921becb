#!/usr/bin/env bash
# Runs a private Mosquitto broker on 127.0.0.1 for the MQTT discovery tests.
# The system service is not needed (nor touched): the broker runs from its
# own configuration in a run directory, without persistence.
#
#   scripts/mosquitto-test.sh start   install mosquitto when missing (apt-get), start it, print the URL
#   scripts/mosquitto-test.sh stop    stop it and remove its run directory
#   scripts/mosquitto-test.sh url     print the URL the tests want in SPORTS_DATA_TEST_MQTT_URL
#
# Environment:
#   MOSQUITTO_PORT     a broker already running there is reused; unset: the first free port from 18883
#   MOSQUITTO_RUN_DIR  ${TMPDIR:-/tmp}/sports-data-mosquitto-$PORT (configuration, log, pid)
set -euo pipefail

die() { echo "mosquitto-test: $*" >&2; exit 1; }

port=${MOSQUITTO_PORT:-18883}
run_dir() { echo "${MOSQUITTO_RUN_DIR:-${TMPDIR:-/tmp}/sports-data-mosquitto-$port}"; }

mosquitto_bin() {
  command -v mosquitto 2>/dev/null && return 0
  [ -x /usr/sbin/mosquitto ] && { echo /usr/sbin/mosquitto; return 0; }
  return 1
}

install() {
  mosquitto_bin >/dev/null && return 0
  command -v apt-get >/dev/null 2>&1 || die "mosquitto is not installed and apt-get is not available"
  echo "mosquitto-test: installing the mosquitto package" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto >&2
  mosquitto_bin >/dev/null || die "mosquitto not found after installing it"
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  install
  local dir; dir=$(run_dir)
  if [ -n "${MOSQUITTO_PORT:-}" ] && [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
    echo "mqtt://127.0.0.1:$port"
    return 0
  fi
  if [ -z "${MOSQUITTO_PORT:-}" ]; then
    # Another run's broker is not ours to share: its run stops it.
    while listening "$port" || [ -e "$(run_dir)" ]; do port=$((port + 1)); done
    dir=$(run_dir)
  fi
  mkdir -p "$dir"
  # user root: started as root, mosquitto would otherwise switch to the
  # mosquitto user, which cannot write the run directory.
  cat >"$dir/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
user $(id -un)
log_dest file $dir/mosquitto.log
log_type error
log_type warning
log_type notice
CONF
  "$(mosquitto_bin)" -c "$dir/mosquitto.conf" >>"$dir/stderr.log" 2>&1 &
  echo $! >"$dir/pid"
  for _ in $(seq 1 100); do
    if listening "$port"; then
      echo "mqtt://127.0.0.1:$port"
      return 0
    fi
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || { cat "$dir/stderr.log" "$dir/mosquitto.log" >&2 2>/dev/null; die "mosquitto exited at start"; }
    sleep 0.1
  done
  die "mosquitto did not listen on 127.0.0.1:$port"
}

stop() {
  local dir; dir=$(run_dir)
  if [ -f "$dir/pid" ]; then
    local pid; pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "mqtt://127.0.0.1:$port" ;;
  *) die "usage: $0 start|stop|url" ;;
esac
