#!/usr/bin/env bash
# Measures what rapid changes cost a sports-data binary: N webhook
# register-and-delete cycles, then N saves of the default user's teams
# alternating between none and all 32 NFL teams (ending on the 32), each
# burst sent as fast as one client can, then 10 such saves a second apart.
# For each it reports the HTTP answers, the bytes the process passed to
# write(2) (sockets included) and sent to the disk (/proc/<pid>/io:
# wchar, write_bytes), its fsync calls (strace -c) and the MQTT messages
# it published (/health's mqtt.messages_published, read once the
# publisher is quiet again). The service runs as the demo at 1x with
# storage off, so that the simulated games add next to nothing; an idle
# window is measured first for comparison. 50 webhooks are registered
# before, and each burst starts a minute after the last (REFILL seconds),
# with the client's write budget full. Linux only; needs strace and a
# broker (scripts/with-mosquitto.sh starts one when
# SPORTS_DATA_TEST_MQTT_URL is unset).
#
#   scripts/change-costs.sh bin/sports-data 100
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SPORTS_DATA_TEST_MQTT_URL:-}" ]; then
  exec "$here/with-mosquitto.sh" "$0" "$@"
fi
bin=$1
n=${2:-100}
dir=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
base="http://127.0.0.1:$port"
prefix="costs$$"
LOG_LEVEL=error INFLUXDB_ENABLED=false MQTT_URL=$SPORTS_DATA_TEST_MQTT_URL \
  MQTT_DISCOVERY_PREFIX="$prefix-ha" MQTT_TOPIC_PREFIX="$prefix" \
  "$bin" demo --speed 1 --port "$port" --data-dir "$dir/data" >"$dir/out.log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT

json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
for _ in $(seq 1 150); do
  count=$(curl -sf "$base/api/v1/teams?league=nfl" 2>/dev/null | json 'd["count"]' 2>/dev/null || echo 0)
  [ "$count" -ge 32 ] && break
  sleep 0.2
done
[ "$count" -ge 32 ] || { echo "change-costs: the service did not list the NFL teams" >&2; cat "$dir/out.log" >&2; exit 1; }
teams=$(curl -sf "$base/api/v1/teams?league=nfl" | json '",".join(t["abbreviation"].lower() for t in d["teams"])')
published() { curl -sf "$base/health" | json 'd["mqtt"]["messages_published"]'; }
# The publisher is quiet when its count holds for six seconds: longer than
# saved teams take to settle before they are announced (2 s without a
# change, looked at every second).
settle() {
  local last now
  last=$(published)
  while sleep 6; now=$(published); [ "$now" != "$last" ]; do last=$now; done
  echo "$now"
}
io() { awk '$1 == "wchar:" || $1 == "write_bytes:" { printf "%s ", $2 }' "/proc/$pid/io"; }

# measure NAME CMD...: runs CMD (a burst of requests) and reports its cost.
measure() {
  local name=$1; shift
  local m0 w0 b0 m1 w1 b1 t0 t1 fsyncs codes
  # A full budget for each burst, whatever the write limit.
  [ "$name" = idle ] || sleep "${REFILL:-61}"
  m0=$(settle)
  read -r w0 b0 <<<"$(io)"
  strace -f -qq -c -e trace=fsync,fdatasync -p "$pid" -o "$dir/strace" &
  local spid=$!
  sleep 1 # strace attaches to every thread
  t0=$(date +%s.%N)
  codes=$("$@" | sort | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')
  t1=$(date +%s.%N)
  # What the burst started (debounced writes, announcements) ends here.
  m1=$(settle)
  read -r w1 b1 <<<"$(io)"
  kill -INT "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  fsyncs=$(awk '$NF == "fsync" || $NF == "fdatasync" { s += $4 } END { print s + 0 }' "$dir/strace")
  printf '%-40s %6.2f s  answers %-22s wchar %9d B  write_bytes %9d B  fsync %5d  MQTT messages %5d\n' \
    "$name" "$(echo "$t1 - $t0" | bc)" "$codes" $((w1 - w0)) $((b1 - b0)) "$fsyncs" $((m1 - m0))
}

idle() { sleep 2; }
# burst.py KIND: the requests of one burst, as fast as one client sends
# them over one connection; prints each answer's status.
cat >"$dir/burst.py" <<'PY'
import http.client, json, sys, time
port, kind, n, teams = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
c = http.client.HTTPConnection("127.0.0.1", port)
def req(method, path, body=None):
    c.request(method, path, body=None if body is None else json.dumps(body),
              headers={"Content-Type": "application/json"} if body is not None else {})
    r = c.getresponse()
    return r.status, r.read(), r.getheader("Retry-After")
def hook(i):
    return {"url": f"http://127.0.0.1:9/api/webhook/hook{i}", "secret": "measure-secret-0123456789"}
if kind == "setup":  # registrations present before the bursts, paced by any limit
    i = 0
    while i < n:
        st, _, after = req("POST", "/api/v1/ha/webhooks/register", hook(100000 + i))
        if st == 429:
            time.sleep(float(after or 1)); continue
        i += 1
elif kind == "hooks":
    for i in range(n):
        st, body, _ = req("POST", "/api/v1/ha/webhooks/register", hook(i))
        print(st)
        if st == 201:
            st, _, _ = req("DELETE", "/api/v1/ha/webhooks/" + json.loads(body)["webhook_id"])
            print(st)
elif kind == "saves":
    for i in range(n):
        print(req("POST", "/api/v1/user/teams", {"user_id": "default", "nfl_teams": teams if i % 2 == 1 else []})[0])
elif kind == "paced":  # one save a second
    for i in range(n):
        print(req("POST", "/api/v1/user/teams", {"user_id": "default", "nfl_teams": teams if i % 2 == 1 else []})[0])
        time.sleep(1)
PY
burst() { python3 "$dir/burst.py" "$port" "$1" "$2" "$teams"; }
hooks() { burst hooks "$n"; }
saves() { burst saves "$n"; }
paced() { burst paced 10; }

burst setup 50
echo "$bin: $n rapid changes each, 50 webhooks registered before"
measure idle idle
measure "$n webhook register+delete cycles" hooks
measure "$n team saves (none, 32 NFL teams, ...)" saves
measure "10 team saves, one a second" paced
