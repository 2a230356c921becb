#!/usr/bin/env bash
# Runs a real InfluxDB 1.8 OSS on 127.0.0.1 for the integration tests of the
# InfluxDB store.
#
#   scripts/influxdb-test.sh build   build influxd once and cache it
#   scripts/influxdb-test.sh start   start it (building first if needed), wait for /ping, print the URL
#   scripts/influxdb-test.sh stop    stop it and remove its data
#   scripts/influxdb-test.sh url     print the URL the tests want in SPORTS_DATA_TEST_INFLUXDB_URL
#
# Environment:
#   INFLUXDB_VERSION   1.8.10 (the last 1.x that builds with the Go toolchain alone)
#   INFLUXD_BIN_DIR    $(go env GOPATH)/bin; the binary is influxd-$INFLUXDB_VERSION there
#   INFLUXDB_PORT      18086 for HTTP; PORT+2 is taken by the backup/RPC listener
#   INFLUXDB_RUN_DIR   ${TMPDIR:-/tmp}/sports-data-influxdb-$PORT (config, data, log, pid)
#   INFLUXDB_AUTH      1 turns on HTTP authentication (create an admin user first)
#   INFLUXDB_KEEP      1 keeps the run directory on stop
set -euo pipefail

version=${INFLUXDB_VERSION:-1.8.10}
port=${INFLUXDB_PORT:-18086}
run_dir=${INFLUXDB_RUN_DIR:-${TMPDIR:-/tmp}/sports-data-influxdb-$port}
url=http://127.0.0.1:$port

die() { echo "influxdb-test: $*" >&2; exit 1; }

bin_dir() {
  if [ -n "${INFLUXD_BIN_DIR:-}" ]; then
    echo "$INFLUXD_BIN_DIR"
  else
    command -v go >/dev/null 2>&1 || die "go is not on PATH (needed to build influxd)"
    echo "$(go env GOPATH)/bin"
  fi
}

influxd_path() { echo "$(bin_dir)/influxd-$version"; }

# ping prints the HTTP status line of GET /ping, or nothing when no server answers.
ping_status() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -w 'HTTP %{http_code}\n' --max-time 2 "$url/ping" 2>/dev/null || true
    return 0
  fi
  # No curl on this machine: speak HTTP/1.0 over bash's /dev/tcp.
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 0
    printf 'GET /ping HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$port" >&3
    IFS= read -r -t 2 line <&3 || true
    exec 3<&- 3>&-
    printf '%s\n' "${line%$'\r'}"
  ) 2>/dev/null || true
}

ready() {
  local status; status=$(ping_status)
  [[ $status == *" 204"* ]]
}

build() {
  local bin; bin=$(influxd_path)
  if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "v$version "; then
    echo "influxd $version already built: $bin"
    return 0
  fi
  command -v go >/dev/null 2>&1 || die "go is not on PATH (needed to build influxd)"
  local tmp; tmp=$(mktemp -d)
  echo "building influxd $version (a few minutes on a cold module cache)"
  # CGO off: the pure Go build needs no C toolchain and runs anywhere.
  CGO_ENABLED=0 GOBIN="$tmp" go install -trimpath \
    -ldflags "-s -w -X main.version=$version -X main.commit=v$version -X main.branch=${version%.*}" \
    "github.com/influxdata/influxdb/cmd/influxd@v$version"
  mkdir -p "$(dirname "$bin")"
  mv "$tmp/influxd" "$bin"
  rm -rf "$tmp"
  echo "influxd $version built: $bin"
}

pid_alive() { [ -f "$run_dir/influxd.pid" ] && kill -0 "$(cat "$run_dir/influxd.pid")" 2>/dev/null; }

write_config() {
  local auth=false
  [ "${INFLUXDB_AUTH:-0}" = 1 ] && auth=true
  cat >"$run_dir/influxdb.conf" <<EOF
reporting-disabled = true
bind-address = "127.0.0.1:$((port + 2))"

[meta]
  dir = "$run_dir/meta"

[data]
  dir = "$run_dir/data"
  wal-dir = "$run_dir/wal"
  query-log-enabled = false

[monitor]
  store-enabled = false

[continuous_queries]
  enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:$port"
  auth-enabled = $auth
  log-enabled = false
  # Flux is not used by the service and slows the start by seconds.
  flux-enabled = false
EOF
}

start() {
  build
  if pid_alive; then
    ready || die "influxd (pid $(cat "$run_dir/influxd.pid")) is running but $url/ping does not answer"
    echo "$url"
    return 0
  fi
  if ready; then
    die "something else already answers on $url; set INFLUXDB_PORT to another port"
  fi
  mkdir -p "$run_dir"
  write_config
  "$(influxd_path)" run -config "$run_dir/influxdb.conf" >"$run_dir/influxd.log" 2>&1 &
  echo $! >"$run_dir/influxd.pid"
  local i
  for i in $(seq 1 300); do # 30 s
    if ready; then
      echo "$url"
      return 0
    fi
    pid_alive || break
    sleep 0.1
  done
  echo "influxd did not answer $url/ping; the end of its log:" >&2
  tail -n 40 "$run_dir/influxd.log" >&2 || true
  stop >/dev/null
  exit 1
}

stop() {
  if pid_alive; then
    local pid i; pid=$(cat "$run_dir/influxd.pid")
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    echo "influxd stopped (pid $pid)"
  fi
  rm -f "$run_dir/influxd.pid"
  if [ "${INFLUXDB_KEEP:-0}" != 1 ]; then
    rm -rf "$run_dir"
  fi
}

case "${1:-}" in
build) build ;;
start) start ;;
stop) stop ;;
url) echo "$url" ;;
*)
  echo "usage: $0 build|start|stop|url" >&2
  exit 2
  ;;
esac
