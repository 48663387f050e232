#!/usr/bin/env bash
# Everything the tests need on a fresh Debian 12 machine with Node 20: Debian's Chromium for the browser
# tests, openssl for the HTTPS test, espeak-ng and sox (with its MP3 format) for audio, then the npm packages. Uses sudo when
# not root. Safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(chromium openssl espeak-ng sox libsox-fmt-mp3 python3 make g++)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "test-setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
