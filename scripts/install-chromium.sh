#!/usr/bin/env bash
# Installs Debian's chromium, the headless browser that checks gssctl's HTML
# pages (the catalog page and openapi preview). Idempotent: does nothing
# when a chromium binary is already on PATH. Needs root (or sudo) and apt.
# The browser tests skip with a message naming this script when chromium is
# missing; .ci/run calls it before make test.
set -euo pipefail

for b in chromium chromium-browser; do
	if command -v "$b" >/dev/null 2>&1; then
		exit 0
	fi
done

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-chromium: no apt-get here; install chromium by hand" >&2
	exit 1
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium
