#!/usr/bin/env bash
# LibreOffice headless, which makes Office documents (.docx, .pptx, .xlsx) into the PDF shown
# as their preview with their own layout (ADR 0531). Optional: without it the platform shows
# the documents' text instead. Installed when this machine can (root with apt-get); otherwise
# one line says what to install, and the script still succeeds.
set -euo pipefail

if command -v soffice >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing LibreOffice headless for Office previews (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends libreoffice-core-nogui \
    libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      libreoffice-core-nogui libreoffice-writer-nogui libreoffice-impress-nogui \
      libreoffice-calc-nogui >/dev/null; } \
    || echo "LibreOffice could not be installed: Office previews show the documents' text" >&2
  exit 0
fi
echo "Office previews show the documents' text; for their layout: sudo apt-get install libreoffice-core-nogui libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui" >&2
exit 0
