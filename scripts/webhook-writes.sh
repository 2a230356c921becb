#!/usr/bin/env bash
# Measures what a sports-data binary writes while 50 webhooks point at an
# address where nothing listens: it runs the demo (the built-in simulator at
# 60x, games live within a minute), registers the 50 webhooks and reads the
# process's /proc/<pid>/io (wchar: bytes passed to write(2); write_bytes:
# bytes sent to the disk) over the given seconds. Linux only.
#
#   scripts/webhook-writes.sh bin/sports-data 120
set -euo pipefail
bin=$1
secs=${2:-120}
dir=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
dead=$(free_port) # nothing listens there
LOG_LEVEL=error "$bin" demo --port "$port" --data-dir "$dir/data" >"$dir/out.log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.2
done
for i in $(seq 1 50); do
  curl -sf -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$dead/api/webhook/hook$i\",\"secret\":\"measure-secret-0123456789\"}" \
    "http://127.0.0.1:$port/api/v1/ha/webhooks/register"
done
io() { awk '$1 == "wchar:" || $1 == "write_bytes:" { printf "%s ", $2 }' "/proc/$pid/io"; }
read -r w0 b0 <<<"$(io)"
sleep "$secs"
read -r w1 b1 <<<"$(io)"
pending=$(curl -s "http://127.0.0.1:$port/api/v1/ha/webhooks" |
  python3 -c 'import json, sys; d = json.load(sys.stdin); print(sum(w["pending_events"] for w in d["webhooks"]))')
echo "$bin, $secs s, 50 unreachable webhooks: wchar $(((w1 - w0) / 1000000)) MB, write_bytes $(((b1 - b0) / 1000000)) MB, $pending deliveries pending"
