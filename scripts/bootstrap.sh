#!/usr/bin/env bash
# Installs what Sharaka needs on this machine, and only what is missing, so that a
# second run takes seconds. Usage: scripts/bootstrap.sh run|test
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-run}"

# Debian packages: fonts for Arabic PDFs, Pango for WeasyPrint, gettext for the
# catalogs; for tests also Chromium, PostgreSQL and Poppler (pdftotext, pdftoppm).
packages=(fonts-hosny-amiri fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 gettext)
if [ "$purpose" = "test" ]; then
  packages+=(chromium postgresql poppler-utils)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages, pinned with hashes in requirements.lock, into .venv.
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet uv
fi
if [ ! -x .venv/bin/python ]; then
  uv venv --quiet --python python3.11 .venv 2>/dev/null || uv venv --quiet .venv
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing Python packages from requirements.lock"
  uv pip sync --quiet --python .venv/bin/python --require-hashes requirements.lock
  echo "$want" > "$stamp"
fi

# Message catalogs, compiled when a .po is newer than its .mo.
for po in locale/*/LC_MESSAGES/django.po apps/*/locale/*/LC_MESSAGES/django.po; do
  [ -f "$po" ] || continue
  mo="${po%.po}.mo"
  if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
    msgfmt --check -o "$mo" "$po"
  fi
done
mkdir -p var/static var/media

# Test tools run in Chromium (axe-core), pinned with their integrity in package-lock.json.
if [ "$purpose" = "test" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Installing Debian packages: nodejs npm"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  stamp=node_modules/.package-lock.sha256
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing the test tools from package-lock.json"
    npm ci --ignore-scripts --no-audit --no-fund --silent
    echo "$want" > "$stamp"
  fi
fi
