#!/usr/bin/env bash
# The browser tests need Chromium and a Chinese font (without one every Chinese character
# renders as a box). Install them when this machine can (root with apt-get), otherwise stop
# at once with one line that says what to install.
set -euo pipefail

has_chromium() { command -v chromium >/dev/null 2>&1; }
has_cjk_font() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; }

if has_chromium && has_cjk_font; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Chromium and a Chinese font for the browser tests (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig >/dev/null
  has_chromium && has_cjk_font && exit 0
fi
echo "The browser tests need Chromium and a Chinese font: sudo apt-get install chromium fonts-noto-cjk" >&2
exit 1
