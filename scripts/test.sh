#!/usr/bin/env bash
# Set up (project + test extras + Debian Chromium for the browser test) and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
if ! [ -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
    || echo "warning: could not install Debian chromium; the browser test will skip" >&2
fi
exec .venv/bin/python -m pytest "$@"
