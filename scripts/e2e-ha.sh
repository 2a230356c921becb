#!/usr/bin/env bash
# make e2e-ha: a real Home Assistant Core runs deployments/homeassistant/
# against the service playing a simulated game (cmd/e2eha).
#
#   scripts/e2e-ha.sh            install Home Assistant when missing, start Mosquitto, run the harness
#   scripts/e2e-ha.sh install    only install Home Assistant
#
# Home Assistant Core is pinned (HA_VERSION) and installed from PyPI into a
# virtual environment outside the repository, reused by later runs:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/sports-data/ha-$HA_VERSION
# It needs Python 3.13 (HA 2025.2 and later): the first of HA_PYTHON,
# pyenv's 3.13 and python3.13 on the PATH.
#
# Environment: HA_VERSION (2025.4.4), HA_PYTHON, BIN (bin/sports-data),
# E2E_FLAGS (more flags for cmd/e2eha, e.g. -keep or -seed 2).
set -euo pipefail
cd "$(dirname "$0")/.."

HA_VERSION=${HA_VERSION:-2025.4.4}
venv="${XDG_CACHE_HOME:-$HOME/.cache}/sports-data/ha-$HA_VERSION"
die() { echo "e2e-ha: FAIL $*" >&2; exit 1; }

python313() {
  local p
  for p in "${HA_PYTHON:-}" "$HOME"/.pyenv/versions/3.13*/bin/python3 "$(command -v python3.13 2>/dev/null || true)"; do
    [ -n "$p" ] && [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}

install() {
  [ -x "$venv/bin/hass" ] && return 0
  local py; py=$(python313) || die "Home Assistant $HA_VERSION needs Python 3.13 (set HA_PYTHON, or install it with pyenv)"
  mkdir -p "$(dirname "$venv")"
  # One installer at a time; the finished environment appears at once.
  exec 9>"$venv.lock"
  flock 9
  [ -x "$venv/bin/hass" ] && return 0
  local tmp="$venv.partial"
  rm -rf "$tmp"
  echo "e2e-ha: installing Home Assistant $HA_VERSION with $py into $venv" >&2
  local t0=$SECONDS
  "$py" -m venv "$tmp"
  "$tmp/bin/pip" install -q uv
  # The integrations' own requirements (paho-mqtt, Pillow, ...) are
  # installed into this environment by Home Assistant at its first start.
  "$tmp/bin/uv" pip install -q --python "$tmp/bin/python" "homeassistant==$HA_VERSION" >&2
  # Scripts of a virtual environment name its path; the final one is moved.
  grep -rlF "$tmp" "$tmp/bin" | xargs sed -i "s#$tmp#$venv#g"
  mv "$tmp" "$venv"
  echo "e2e-ha: installed in $((SECONDS - t0)) s" >&2
}

install
[ "${1:-}" = install ] && exit 0

bin=${BIN:-bin/sports-data}
[ -x "$bin" ] || die "$bin is missing (make build)"
mqtt_url=$(scripts/mosquitto-test.sh start) || die "Mosquitto did not start"
mqtt_port=${mqtt_url##*:}
trap 'MOSQUITTO_PORT=$mqtt_port scripts/mosquitto-test.sh stop' EXIT
# shellcheck disable=SC2086
go run ./cmd/e2eha -bin "$bin" -hass "$venv/bin/hass" -mqtt "$mqtt_url" ${E2E_FLAGS:-}
