#!/usr/bin/env bash
# Runs a command with the real InfluxDB servers the store is tested against:
# InfluxDB 1.8 (scripts/influxdb-test.sh), OSS 2.7 (scripts/influxdb2-test.sh)
# and 3 Core (scripts/influxdb3-test.sh), each on 127.0.0.1. A server whose
# variables are already set is used as it is; the others are started for the
# command's lifetime and stopped afterwards.
#
#   scripts/with-influxdb.sh go test -race ./...
#
# 1.8 must start. When 2.7 or 3 cannot (their archives are not beside the
# repository, or their libraries cannot be installed), the command still
# runs and their tests skip, or fail with CI=true.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
stops=()
cleanup() {
  local s
  for s in "${stops[@]}"; do "$here/$s" stop >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

if [ -z "${SPORTS_DATA_TEST_INFLUXDB_URL:-}" ]; then
  stops+=(influxdb-test.sh)
  "$here/influxdb-test.sh" start >/dev/null
  SPORTS_DATA_TEST_INFLUXDB_URL=$("$here/influxdb-test.sh" url)
  export SPORTS_DATA_TEST_INFLUXDB_URL
fi

if [ -z "${SPORTS_DATA_TEST_INFLUXDB2_URL:-}" ]; then
  if url=$("$here/influxdb2-test.sh" start); then
    INFLUXDB2_PORT=${url##*:}
    export INFLUXDB2_PORT
    stops+=(influxdb2-test.sh)
    SPORTS_DATA_TEST_INFLUXDB2_URL=$url
    SPORTS_DATA_TEST_INFLUXDB2_TOKEN=$("$here/influxdb2-test.sh" token)
    SPORTS_DATA_TEST_INFLUXDB2_ORG=$("$here/influxdb2-test.sh" org)
    export SPORTS_DATA_TEST_INFLUXDB2_URL SPORTS_DATA_TEST_INFLUXDB2_TOKEN SPORTS_DATA_TEST_INFLUXDB2_ORG
  else
    echo "with-influxdb: no InfluxDB 2.7; its tests will skip" >&2
  fi
fi

if [ -z "${SPORTS_DATA_TEST_INFLUXDB3_URL:-}" ]; then
  if url=$("$here/influxdb3-test.sh" start); then
    INFLUXDB3_PORT=${url##*:}
    export INFLUXDB3_PORT
    stops+=(influxdb3-test.sh)
    SPORTS_DATA_TEST_INFLUXDB3_URL=$url
    SPORTS_DATA_TEST_INFLUXDB3_TOKEN_FILE=$("$here/influxdb3-test.sh" token-file)
    export SPORTS_DATA_TEST_INFLUXDB3_URL SPORTS_DATA_TEST_INFLUXDB3_TOKEN_FILE
  else
    echo "with-influxdb: no InfluxDB 3 Core; its tests will skip" >&2
  fi
fi

"$@"
