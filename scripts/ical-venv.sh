#!/usr/bin/env bash
# Python's "ical" library, the iCalendar parser Home Assistant's Remote
# Calendar (and Local Calendar) reads feeds with, in virtual environments
# outside the repository, for the calendar tests
# (go test ./internal/calendar ./cmd/sports-data -run Calendar):
#   ${XDG_CACHE_HOME:-$HOME/.cache}/sports-data/ical-<version>
# Versions: ICAL_VERSIONS ("9.1.0 14.3.1": the one Home Assistant 2025.4
# pins, and the newest). Python: the first of ICAL_PYTHON, pyenv's 3.13,
# python3.13 and python3 (3.11 or later). Installed once, reused after.
#
# ical 9.1.0 does not pin its parser library: with pyparsing 3.3 (2026)
# it refuses every calendar ("'list' object has no attribute 'lower'"), so
# it is installed with what it had in April 2025, pyparsing 3.2.3, and the
# pydantic Home Assistant 2025.4 pins (2.10.6).
#
#   scripts/ical-venv.sh          install what is missing, print each environment's python
set -euo pipefail

versions=${ICAL_VERSIONS:-9.1.0 14.3.1}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/sports-data"
die() { echo "ical-venv: $*" >&2; exit 1; }

python() {
  local p
  for p in "${ICAL_PYTHON:-}" "$HOME"/.pyenv/versions/3.13*/bin/python3 "$(command -v python3.13 2>/dev/null || true)" "$(command -v python3 2>/dev/null || true)"; do
    [ -n "$p" ] && [ -x "$p" ] && "$p" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo "$p"; return 0; }
  done
  return 1
}

# pins are what a version is installed with besides itself.
pins() {
  case "$1" in
    9.1.0) echo "pyparsing==3.2.3 pydantic==2.10.6" ;;
  esac
}

install() { # version
  local venv="$cache/ical-$1"
  [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import ical' 2>/dev/null && return 0
  local py; py=$(python) || die "needs Python 3.11 or later (set ICAL_PYTHON)"
  mkdir -p "$cache"
  # One installer at a time; the finished environment appears at once.
  exec 9>"$venv.lock"
  flock 9
  [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import ical' 2>/dev/null && return 0
  local tmp="$venv.partial"
  rm -rf "$tmp"
  echo "ical-venv: installing ical $1 with $py into $venv" >&2
  "$py" -m venv "$tmp"
  # shellcheck disable=SC2046
  "$tmp/bin/pip" install -q --disable-pip-version-check "ical==$1" $(pins "$1") >&2
  # Scripts of a virtual environment name its path; the final one is moved.
  grep -rlF "$tmp" "$tmp/bin" | xargs sed -i "s#$tmp#$venv#g"
  mv "$tmp" "$venv"
}

for v in $versions; do
  install "$v"
  echo "$cache/ical-$v/bin/python"
done
