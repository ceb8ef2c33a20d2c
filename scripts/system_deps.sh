#!/usr/bin/env bash
# Install the Debian packages TrainHub needs, or say exactly what to install.
#   fonts-noto-cjk  Chinese glyphs in PDF certificates (WeasyPrint)
#   chromium-headless-shell  browser tests (Playwright drives Debian's build; no download)
#   redis-server    queues and shared state (optional at run time)
#   poppler-utils   tests turn PDFs into text and images (pdftotext, pdftoppm)
#   postgresql-client-15  pg_dump and pg_restore for `flask backup` (PostgreSQL 15 servers)
set -euo pipefail

declare -A CHECK=(
  [fonts-noto-cjk]="test -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
  [chromium-headless-shell]="test -x /usr/bin/chromium-headless-shell"
  [redis-server]="command -v redis-server"
  [poppler-utils]="command -v pdftoppm"
  [postgresql-client-15]="command -v pg_dump && command -v pg_restore"
)

missing=()
for pkg in "${!CHECK[@]}"; do
  if ! eval "${CHECK[$pkg]}" >/dev/null 2>&1; then missing+=("$pkg"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "TrainHub needs these system packages: ${missing[*]}" >&2
  echo "Install them as root:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "TrainHub needs: ${missing[*]} (no apt-get here; install them with your package manager)" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
