#!/usr/bin/env bash
# Headless Chromium for the browser tests (test-support's AirflowBrowser): Debian's `chromium`
# and `chromium-driver` packages, driven by Selenium. Both come from Debian, so the driver always
# matches the browser, and nothing downloads a browser build of its own (these machines reach no
# site that would serve one).
#
#   hack/browser.sh ensure     install them when missing (idempotent), then print their versions
#   hack/browser.sh versions   print the versions; exit 1 when either is missing
#
# Root for the install (apt-get). An install that fails is retried once after `apt-get update`:
# a new machine may have no or stale package lists, and updating every time would be slow.
set -euo pipefail

PACKAGES=(chromium chromium-driver)
# Where Debian's packages put them; AirflowBrowser uses the same paths. The browser itself, not
# /usr/bin/chromium: that is a shell wrapper adding flags from /etc/chromium.d (and, on machines
# with two mounts on /dev/shm, printing a shell error from its shm check).
CHROMIUM=/usr/lib/chromium/chromium
CHROMEDRIVER=/usr/bin/chromedriver

log() { printf '[browser] %s\n' "$*" >&2; }
die() { printf '[browser] ERROR: %s\n' "$*" >&2; exit 1; }

installed() { [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; }

install_packages() {
  command -v apt-get >/dev/null || die "Chromium needs the Debian packages ${PACKAGES[*]} (no apt-get here)"
  [ "$(id -u)" = 0 ] || die "installing ${PACKAGES[*]} needs root"
  log "installing Debian packages: ${PACKAGES[*]}"
  local work
  work=$(mktemp)
  {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"; }
  } >"$work" 2>&1 || { tail -n 30 "$work" >&2; rm -f "$work"; die "apt-get install ${PACKAGES[*]} failed"; }
  rm -f "$work"
  installed || die "installed ${PACKAGES[*]}, yet $CHROMIUM or $CHROMEDRIVER is missing"
}

versions() {
  installed || die "$CHROMIUM or $CHROMEDRIVER is missing (hack/browser.sh ensure installs them)"
  # --version starts no browser.
  "$CHROMIUM" --version
  "$CHROMEDRIVER" --version
}

case ${1:-} in
  ensure)
    installed || install_packages
    versions
    ;;
  versions)
    versions
    ;;
  -h | --help | help)
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    ;;
  *)
    die "usage: $0 ensure|versions"
    ;;
esac
