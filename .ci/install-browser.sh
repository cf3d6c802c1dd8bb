#!/usr/bin/env bash
# Install a headless browser for `python -m nndl.submit` (notebooks -> PDF) when none is found.
# Debian/Ubuntu, run as root (CI). Idempotent: does nothing when a Chromium/Chrome/Edge exists.
# Also installs poppler-utils (pdftoppm, pdftotext), which tests/test_submit.py uses to look at
# a page and to find where its words are.
set -euo pipefail
found=""
for name in chromium chromium-browser google-chrome google-chrome-stable microsoft-edge microsoft-edge-stable; do
  if command -v "$name" >/dev/null 2>&1; then found="$(command -v "$name")"; break; fi
done
packages=()
[ -n "$found" ] || packages+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)
if [ "${#packages[@]}" -eq 0 ]; then
  echo "install-browser: found $found and pdftoppm; nothing to do"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: run as root to apt-get install ${packages[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
for name in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$name" >/dev/null 2>&1; then echo "install-browser: $("$name" --version 2>/dev/null || echo "$name")"; exit 0; fi
done
echo "install-browser: apt-get finished but no browser is on PATH" >&2
exit 1
