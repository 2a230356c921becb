#!/usr/bin/env bash
# Runs a command with a real InfluxDB 1.8 for it: when
# SPORTS_DATA_TEST_INFLUXDB_URL is already set that server is used,
# otherwise scripts/influxdb-test.sh starts one for the command's lifetime.
#
#   scripts/with-influxdb.sh go test -race ./...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${SPORTS_DATA_TEST_INFLUXDB_URL:-}" ]; then
  exec "$@"
fi
"$here/influxdb-test.sh" start
trap '"$here/influxdb-test.sh" stop' EXIT
SPORTS_DATA_TEST_INFLUXDB_URL=$("$here/influxdb-test.sh" url)
export SPORTS_DATA_TEST_INFLUXDB_URL
"$@"
