#!/usr/bin/env bash
# Runs a command with a real Mosquitto broker for it: when
# SPORTS_DATA_TEST_MQTT_URL is already set that broker is used, otherwise
# scripts/mosquitto-test.sh starts a private one for the command's lifetime.
#
#   scripts/with-mosquitto.sh go test -race ./...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${SPORTS_DATA_TEST_MQTT_URL:-}" ]; then
  exec "$@"
fi
if ! SPORTS_DATA_TEST_MQTT_URL=$("$here/mosquitto-test.sh" start); then
  # No broker (no mosquitto and no apt-get, or no root): the MQTT tests
  # skip, or fail with CI=true.
  echo "with-mosquitto: no broker; the MQTT tests will skip" >&2
  exec "$@"
fi
MOSQUITTO_PORT=${SPORTS_DATA_TEST_MQTT_URL##*:}
export SPORTS_DATA_TEST_MQTT_URL MOSQUITTO_PORT
trap '"$here/mosquitto-test.sh" stop' EXIT
"$@"
