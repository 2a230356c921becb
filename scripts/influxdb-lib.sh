# Shared by scripts/influxdb2-test.sh and scripts/influxdb3-test.sh (sourced,
# not run): unpacking a server from ../shared/bin into the cache, finding a
# free port, waiting for the server and stopping it.

die() { echo "$prog: $*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The servers built from InfluxData's sources live beside the repository.
shared_bin=${SPORTS_DATA_SHARED_BIN:-$repo/../shared/bin}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/sports-data

apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "$* missing and apt-get is not available"
  echo "$prog: installing $*" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# unpack ARCHIVE SHA256 DEST: DEST is the archive's binary, checked
# against its published sha256; done once, later calls find it there.
unpack() {
  local archive=$1 sum=$2 dest=$3
  [ -x "$dest" ] && return 0
  [ -f "$archive" ] || die "$archive not found (set SPORTS_DATA_SHARED_BIN to the folder holding influxdb2/ and influxdb3/)"
  command -v xz >/dev/null 2>&1 || apt_install xz-utils
  echo "$sum  $archive" | sha256sum -c --quiet - >&2 || die "$archive does not have the sha256 its README gives"
  mkdir -p "$(dirname "$dest")"
  local tmp; tmp=$(mktemp "$dest.XXXXXX")
  xz -dc "$archive" >"$tmp" && chmod 0755 "$tmp" && mv "$tmp" "$dest"
  echo "$prog: unpacked $(basename "$archive") to $dest" >&2
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The scripts keep the server's port in $port and name its run folder with
# run_dir.

# ours_running EXPLICIT: a server of this script already runs on the port
# given (EXPLICIT, the script's *_PORT variable), to be reused.
ours_running() {
  [ -n "$1" ] && [ -f "$(run_dir)/pid" ] && kill -0 "$(cat "$(run_dir)/pid")" 2>/dev/null
}

# claim_port VARIABLE: settles $port for a new server. With VARIABLE set,
# its port, refused when something else answers there; unset, the first
# free port from $port whose run folder no other run holds (another run's
# server is not ours to share: its run stops it).
claim_port() {
  if [ -n "${!1:-}" ]; then
    ! listening "$port" || die "something else answers on 127.0.0.1:$port; set $1 to another port"
    return 0
  fi
  while listening "$port" || [ -e "$(run_dir)" ]; do port=$((port + 1)); done
}

# http_code URL [TOKEN]: the status of GET URL, or 000 when nothing answers.
http_code() {
  local auth=()
  [ -n "${2:-}" ] && auth=(-H "Authorization: Token $2")
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "${auth[@]}" "$1" 2>/dev/null || true
}

# wait_ready URL PIDFILE LOG: until GET URL answers 2xx (60 s at most).
wait_ready() {
  local url=$1 pidf=$2 log=$3
  for _ in $(seq 1 600); do
    [[ $(http_code "$url") == 2* ]] && return 0
    kill -0 "$(cat "$pidf")" 2>/dev/null || break
    sleep 0.1
  done
  echo "$prog: $url did not answer; the end of its log:" >&2
  tail -n 40 "$log" >&2 || true
  return 1
}

# stop_pid DIR: SIGTERM to DIR/pid, SIGKILL after 15 s.
stop_pid() {
  local pidf=$1/pid
  [ -f "$pidf" ] || return 0
  local pid; pid=$(cat "$pidf")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "$prog: stopped (pid $pid)" >&2
  fi
  rm -f "$pidf"
}
