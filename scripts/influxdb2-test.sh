#!/usr/bin/env bash
# Runs a real InfluxDB OSS 2.7 on 127.0.0.1 for the tests of the InfluxDB
# store, set up with an organisation, a bucket and an operator token (the
# tests create and delete buckets of their own with it). The server is built
# from InfluxData's sources (../shared/bin/influxdb2, its README says how);
# it is unpacked into a cache outside the repository.
#
#   scripts/influxdb2-test.sh install   unpack the server (once)
#   scripts/influxdb2-test.sh start     install, start and set it up, print the URL
#   scripts/influxdb2-test.sh stop      stop it and remove its data
#   scripts/influxdb2-test.sh url       the URL for SPORTS_DATA_TEST_INFLUXDB2_URL
#   scripts/influxdb2-test.sh token     the token for SPORTS_DATA_TEST_INFLUXDB2_TOKEN
#   scripts/influxdb2-test.sh org       the organisation for SPORTS_DATA_TEST_INFLUXDB2_ORG
#
# Environment:
#   INFLUXDB2_PORT             a server of ours already running there is reused; unset: the first free port from 18096
#   INFLUXDB2_RUN_DIR          ${TMPDIR:-/tmp}/sports-data-influxdb2-$PORT (data, token, log, pid)
#   SPORTS_DATA_TEST_INFLUXD2  the binary; default ${XDG_CACHE_HOME:-~/.cache}/sports-data/influxd-2.7.12/influxd
#   SPORTS_DATA_SHARED_BIN     the folder holding influxdb2/ (default ../shared/bin beside the repository)
set -euo pipefail
prog=influxdb2-test
# shellcheck source=influxdb-lib.sh
. "$(dirname "$0")/influxdb-lib.sh"

version=2.7.12
sha=94bce0824a37c135ffa9f602f58aad1c120b918a670b918c25f566156d593ca8
bin=${SPORTS_DATA_TEST_INFLUXD2:-$cache/influxd-$version/influxd}
port=${INFLUXDB2_PORT:-18096}
org=home
run_dir() { echo "${INFLUXDB2_RUN_DIR:-${TMPDIR:-/tmp}/sports-data-influxdb2-$port}"; }

install() {
  unpack "$shared_bin/influxdb2/influxd-$version-linux-amd64.xz" "$sha" "$bin"
  "$bin" version >/dev/null || die "$bin does not run"
}

start() {
  install
  if ours_running "${INFLUXDB2_PORT:-}"; then
    echo "http://127.0.0.1:$port"
    return 0
  fi
  claim_port INFLUXDB2_PORT
  local dir; dir=$(run_dir)
  mkdir -p "$dir"
  local url=http://127.0.0.1:$port
  "$bin" --bolt-path "$dir/influxd.bolt" --engine-path "$dir/engine" --sqlite-path "$dir/influxd.sqlite" \
    --http-bind-address "127.0.0.1:$port" --reporting-disabled --log-level warn >"$dir/influxd.log" 2>&1 &
  echo $! >"$dir/pid"
  wait_ready "$url/health" "$dir/pid" "$dir/influxd.log" || { stop >/dev/null; exit 1; }
  local token; token=sdtest-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  curl -fsS -o /dev/null -X POST "$url/api/v2/setup" -H 'Content-Type: application/json' \
    -d "{\"username\":\"sports-data-test\",\"password\":\"$token\",\"org\":\"$org\",\"bucket\":\"sports_data\",\"token\":\"$token\"}" ||
    { stop >/dev/null; die "setting up $url failed"; }
  echo "$token" >"$dir/token"
  echo "$url"
}

stop() {
  local dir; dir=$(run_dir)
  stop_pid "$dir"
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  url) echo "http://127.0.0.1:$port" ;;
  token) cat "$(run_dir)/token" ;;
  org) echo "$org" ;;
  *) echo "usage: $0 install|start|stop|url|token|org" >&2; exit 2 ;;
esac
