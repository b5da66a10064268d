#!/usr/bin/env bash
# The Debian packages the tests call: zbarimg (the certificate QR test) and, unless BROWSER=0, chromium (the
# browser tests). Run as root (as in CI), a missing one is installed with apt-get; otherwise this prints the
# command in one line and fails: a missing tool must not turn into tests quietly left out.
set -euo pipefail
missing=()
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
if [ "${BROWSER:-1}" != 0 ] && ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the tests (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
else
  hint=""
  [[ " ${missing[*]} " == *" chromium "* ]] && hint="   (or make test BROWSER=0: no browser tests, no Chromium)"
  echo "The tests need ${missing[*]}: sudo apt-get install ${missing[*]}${hint}" >&2
  exit 1
fi
