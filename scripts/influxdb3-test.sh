#!/usr/bin/env bash
# Runs a real InfluxDB 3 Core on 127.0.0.1 for the tests of the InfluxDB
# store, with authentication on: its admin token is created offline before
# the server starts, the way docker-compose.yml's one-shot container does.
# The server is built from InfluxData's sources (../shared/bin/influxdb3,
# its README says how); it is unpacked into a cache outside the repository.
#
#   scripts/influxdb3-test.sh install      unpack the server (once) and install the libraries it needs (apt-get)
#   scripts/influxdb3-test.sh start        install, start it, wait for /health, print the URL
#   scripts/influxdb3-test.sh stop         stop it and remove its data
#   scripts/influxdb3-test.sh url          the URL for SPORTS_DATA_TEST_INFLUXDB3_URL
#   scripts/influxdb3-test.sh token-file   the admin token file for SPORTS_DATA_TEST_INFLUXDB3_TOKEN_FILE
#
# Environment:
#   INFLUXDB3_PORT              a server of ours already running there is reused; unset: the first free port from 18181
#   INFLUXDB3_RUN_DIR           ${TMPDIR:-/tmp}/sports-data-influxdb3-$PORT (data, token file, log, pid)
#   SPORTS_DATA_TEST_INFLUXDB3  the binary; default ${XDG_CACHE_HOME:-~/.cache}/sports-data/influxdb3-3.6.0/influxdb3
#   SPORTS_DATA_SHARED_BIN      the folder holding influxdb3/ (default ../shared/bin beside the repository)
set -euo pipefail
prog=influxdb3-test
# shellcheck source=influxdb-lib.sh
. "$(dirname "$0")/influxdb-lib.sh"

version=3.6.0
sha=a5a9c847643196447b3b9a0a7080d037d0ee1d4e6a0e8b65329457a0593c857f
bin=${SPORTS_DATA_TEST_INFLUXDB3:-$cache/influxdb3-$version/influxdb3}
port=${INFLUXDB3_PORT:-18181}
run_dir() { echo "${INFLUXDB3_RUN_DIR:-${TMPDIR:-/tmp}/sports-data-influxdb3-$port}"; }

install() {
  unpack "$shared_bin/influxdb3/influxdb3-$version-linux-amd64.xz" "$sha" "$bin"
  # Its embedded processing engine links libpython3.11; zlib and expat too.
  if ldd "$bin" 2>/dev/null | grep -q 'not found'; then
    apt_install libpython3.11 zlib1g libexpat1
    ! ldd "$bin" | grep 'not found' >&2 || die "libraries still missing"
  fi
  "$bin" --version >/dev/null || die "$bin does not run"
}

start() {
  install
  if ours_running "${INFLUXDB3_PORT:-}"; then
    echo "http://127.0.0.1:$port"
    return 0
  fi
  claim_port INFLUXDB3_PORT
  local dir; dir=$(run_dir)
  mkdir -p "$dir"
  "$bin" create token --admin --offline --name _admin --output-file "$dir/admin-token.json" >/dev/null
  # No telemetry to InfluxData; the admin token recovery endpoint on a port
  # of its own (its default, 8182, would collide between two servers). The
  # WAL settings of the tests (internal/influxtest): a write is answered when
  # the WAL is flushed, every 100 ms instead of every second, and Parquet
  # files are written every 6000 WAL files, every 10 minutes as by default.
  "$bin" serve --node-id sports-data-test --object-store file --data-dir "$dir/data" \
    --http-bind "127.0.0.1:$port" --admin-token-recovery-http-bind 127.0.0.1:0 \
    --admin-token-file "$dir/admin-token.json" --disable-authz health,ping \
    --disable-telemetry-upload --wal-flush-interval 100ms --wal-snapshot-size 6000 >"$dir/influxdb3.log" 2>&1 &
  echo $! >"$dir/pid"
  wait_ready "http://127.0.0.1:$port/health" "$dir/pid" "$dir/influxdb3.log" || { stop >/dev/null; exit 1; }
  echo "http://127.0.0.1:$port"
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
  token-file) echo "$(run_dir)/admin-token.json" ;;
  *) echo "usage: $0 install|start|stop|url|token-file" >&2; exit 2 ;;
esac
