#!/usr/bin/env bash
# make e2e-ha: real Home Assistant Core releases run deployments/homeassistant/
# and MQTT discovery against the service playing a simulated game, with the
# frontend open in a headless Chromium (cmd/e2eha).
#
#   scripts/e2e-ha.sh            install what is missing, then run every version
#   scripts/e2e-ha.sh install    only install (and warm up) what is missing
#
# HA_VERSIONS (default: the current release and the oldest the README
# claims) run one after the other with the same checks. Each is installed
# from PyPI once, outside the repository, and reused by later runs:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/sports-data/ha-<version>
# Releases of 2025 need Python 3.13 (HA_PYTHON313, pyenv's 3.13 or
# python3.13). Releases of 2026 need Python 3.14: HA_PYTHON314, pyenv's 3.14
# or python3.14 when the machine has one, else a Debian sid chroot with
# python3.14-venv (debootstrap --variant=minbase, installed with apt-get when
# missing) in .../sports-data/debian-sid, built once; Home Assistant then
# runs in it through a launcher, ha-<version>/bin/hass.
#
# The run happens in a network namespace of its own (unshare -n) with
# nothing but 127.0.0.1: nothing the test starts (Home Assistant, Chromium,
# the service, Mosquitto) reaches beyond the machine, and its ports collide
# with nobody's. Home Assistant's first start, which installs the
# integrations' requirements from PyPI, happens before, outside it.
#
# Environment: HA_VERSIONS, HA_PYTHON313, HA_PYTHON314, BIN (bin/sports-data),
# E2E_OUT (bin/e2e-ha: each version's last run, screenshots included),
# DEBIAN_MIRROR (http://deb.debian.org/debian), E2E_FLAGS (more flags for
# cmd/e2eha, e.g. -seed 2).
set -euo pipefail
cd "$(dirname "$0")/.."

HA_VERSIONS=${HA_VERSIONS:-"2026.11.0 2025.4.4"}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/sports-data"
sid_root="$cache/debian-sid"
out=${E2E_OUT:-bin/e2e-ha}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
die() { echo "e2e-ha: FAIL $*" >&2; exit 1; }
say() { echo "e2e-ha: $*" >&2; }

apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "$* missing and apt-get is not available"
  say "installing $* (apt-get)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >&2
}

# find_python 3.13: the interpreter of that version, or nothing.
find_python() {
  local v=$1 var="HA_PYTHON${1/./}" p
  for p in "${!var:-}" "$HOME"/.pyenv/versions/"$v"*/bin/python3 "$(command -v "python$v" 2>/dev/null || true)"; do
    [ -n "$p" ] && [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}

python_version_for() { if [ "${1%%.*}" -ge 2026 ]; then echo 3.14; else echo 3.13; fi; }

# integration_requirements PYTHON...: requirements to install with Home
# Assistant, as the run has no network: those of the integrations make
# e2e-ha adds after the start through their config flows (MQTT, Remote
# Calendar), and those of assist_pipeline, which releases from 2026 load on
# their own and whose requirements have no wheels for Python 3.14 (they are
# built here; the frontend fails to load without them). ical 9.1.0 (Remote
# Calendar of 2025.4) comes with the pyparsing it had then (with pyparsing
# 3.3 it refuses every calendar) and the pydantic 2025.4 pins
# (scripts/ical-venv.sh).
integration_requirements() {
  "$@" - <<'PY'
import json, pathlib, homeassistant
base = pathlib.Path(homeassistant.__file__).parent / "components"
with_it = {"ical==9.1.0": ["pyparsing==3.2.3", "pydantic==2.10.6"]}
for domain in ("mqtt", "remote_calendar", "assist_pipeline"):
    manifest = base / domain / "manifest.json"
    if not manifest.exists():
        continue
    for req in json.loads(manifest.read_text()).get("requirements", []):
        print(req)
        for extra in with_it.get(req, []):
            print(extra)
PY
}

# install_venv VERSION PYTHON: a virtual environment with Home Assistant.
install_venv() {
  local ver=$1 py=$2 dir="$cache/ha-$1"
  local tmp="$dir.partial"
  rm -rf "$tmp"
  "$py" -m venv "$tmp"
  "$tmp/bin/pip" install -q uv
  "$tmp/bin/uv" pip install -q --python "$tmp/bin/python" "homeassistant==$ver"
  # shellcheck disable=SC2046
  "$tmp/bin/uv" pip install -q --python "$tmp/bin/python" $(integration_requirements "$tmp/bin/python")
  # Scripts of a virtual environment name its path; the final one is moved.
  grep -rlF "$tmp" "$tmp/bin" | xargs sed -i "s#$tmp#$dir#g"
  mv "$tmp" "$dir"
}

# in_sid COMMAND...: runs a command in the chroot with a clean environment.
in_sid() {
  chroot "$sid_root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PIP_CERT=/etc/ssl/certs/ca-certificates.crt "$@"
}

# build_sid: Debian sid with python3.14-venv, once, and what building a
# Python package from its sources takes.
build_sid() {
  [ -x "$sid_root/usr/bin/python3.14" ] && return 0
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  local tmp="$sid_root.partial" t0=$SECONDS
  rm -rf "$tmp"
  say "building a Debian sid chroot with Python 3.14 in $sid_root"
  debootstrap --variant=minbase --include=python3.14-venv,python3.14-dev,g++ sid "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log" >&2; die "debootstrap failed (log in $cache/debootstrap.log)"; }
  # The machine's certificate authorities, so that PyPI is trusted from
  # inside as it is outside.
  mkdir -p "$tmp/etc/ssl/certs" "$tmp/config"
  cp -L /etc/ssl/certs/ca-certificates.crt "$tmp/etc/ssl/certs/ca-certificates.crt"
  cp -L /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null || true
  mv "$tmp" "$sid_root"
  say "Debian sid chroot built in $((SECONDS - t0)) s"
}

# install_sid VERSION: Home Assistant in the chroot and its launcher.
install_sid() {
  local ver=$1 dir="$cache/ha-$1" venv="/opt/ha-$1"
  build_sid
  rm -rf "$sid_root$venv" "$dir.partial"
  in_sid python3.14 -m venv "$venv"
  in_sid "$venv/bin/pip" install -q uv
  in_sid "$venv/bin/uv" pip install -q --python "$venv/bin/python" "homeassistant==$ver"
  # shellcheck disable=SC2046
  in_sid "$venv/bin/uv" pip install -q --python "$venv/bin/python" $(integration_requirements in_sid "$venv/bin/python")
  mkdir -p "$dir.partial/bin"
  cat >"$dir.partial/bin/hass" <<LAUNCHER
#!/bin/sh
# Home Assistant $ver in the Debian sid chroot $sid_root
# (written by scripts/e2e-ha.sh). "-c DIR" is a configuration directory on
# this machine: it is mounted at /config in a mount namespace of this
# process alone, which ends with it. Of the environment, UV_OFFLINE is
# passed on.
set -eu
[ "\${1:-}" = -c ] && [ -n "\${2:-}" ] || { echo "usage: hass -c DIR" >&2; exit 2; }
exec unshare --mount --propagation private /bin/sh -c '
  mount --bind "\$1" "\$2/config" &&
  exec chroot "\$2" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=$venv/bin:/usr/bin:/bin \\
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt UV_OFFLINE="\$3" $venv/bin/hass -c /config' \\
  sh "\$2" "$sid_root" "\${UV_OFFLINE:-0}"
LAUNCHER
  chmod +x "$dir.partial/bin/hass"
  mv "$dir.partial" "$dir"
}

# recipe names what an installation holds; one made by an earlier version
# of this script (without the integrations' requirements) is made again.
recipe="homeassistant + requirements of mqtt, remote_calendar (ical with its pyparsing) and assist_pipeline"
installed() { [ -x "$1/bin/hass" ] && [ "$(cat "$1/.e2e-recipe" 2>/dev/null)" = "$recipe" ]; }

# install VERSION: Home Assistant VERSION, once; prints its hass.
install() {
  local ver=$1 dir="$cache/ha-$1"
  if ! installed "$dir"; then
    mkdir -p "$cache"
    # One installer at a time; the finished installation appears at once.
    exec 9>"$cache/install.lock"
    flock 9
    if ! installed "$dir"; then
      rm -rf "$dir"
      local want py t0=$SECONDS
      want=$(python_version_for "$ver")
      if py=$(find_python "$want"); then
        say "installing Home Assistant $ver with $py into $dir"
        install_venv "$ver" "$py" >&2
      elif [ "$want" = 3.14 ]; then
        say "installing Home Assistant $ver with Debian sid's Python 3.14 (no python3.14 on this machine)"
        install_sid "$ver" >&2
      else
        die "Home Assistant $ver needs Python $want (set HA_PYTHON${want/./}, or install it with pyenv)"
      fi
      echo "$recipe" >"$dir/.e2e-recipe"
      say "Home Assistant $ver installed in $((SECONDS - t0)) s"
    fi
    exec 9>&-
  fi
  echo "$dir/bin/hass"
}

t0=$SECONDS
hass_flags=()
for v in $HA_VERSIONS; do
  hass_flags+=(-hass "$v=$(install "$v")")
done
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
  apt_install chromium fonts-dejavu-core
command -v ip >/dev/null 2>&1 || apt_install iproute2
# Installed now: the run has no network.
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || apt_install mosquitto
mkdir -p "$out"
harness="$out/e2eha"
go build -o "$harness" ./cmd/e2eha
# Each Home Assistant's first start installs the requirements of the
# integrations the test configuration loads: with the network, once.
# shellcheck disable=SC2086
"$harness" -warm-up "${hass_flags[@]}" ${E2E_FLAGS:-}
say "installed and warmed up in $((SECONDS - t0)) s"
[ "${1:-}" = install ] && exit 0

bin=${BIN:-bin/sports-data}
[ -x "$bin" ] || die "$bin is missing (make build)"
isolate=(unshare --net) E2E_ISOLATED=1
if ! unshare --net true 2>/dev/null; then
  say "note: no network namespace (unshare --net is not allowed here); the run shares the machine's network"
  isolate=() E2E_ISOLATED=0
fi
export E2E_HARNESS=$harness E2E_BIN=$bin E2E_OUT_DIR=$out E2E_MOSQUITTO_DIR=$out/mosquitto E2E_ISOLATED
# shellcheck disable=SC2016
"${isolate[@]}" bash -c '
  set -euo pipefail
  if [ "$E2E_ISOLATED" = 1 ]; then
    # Loopback of the namespace up, and multicast on it: Home Assistant
    # joins an mDNS group for its name resolver, and without one it makes
    # no HTTP client, so no REST sensor works.
    ip link set lo up
    ip link set lo multicast on
    ip route add 224.0.0.0/4 dev lo
  fi
  url=$(MOSQUITTO_RUN_DIR=$E2E_MOSQUITTO_DIR scripts/mosquitto-test.sh start) || { echo "e2e-ha: FAIL Mosquitto did not start" >&2; exit 1; }
  trap "MOSQUITTO_RUN_DIR=\$E2E_MOSQUITTO_DIR MOSQUITTO_PORT=${url##*:} scripts/mosquitto-test.sh stop" EXIT
  "$E2E_HARNESS" -bin "$E2E_BIN" -out "$E2E_OUT_DIR" -mqtt "$url" "$@"
' e2e-ha "${hass_flags[@]}" ${E2E_FLAGS:-}
