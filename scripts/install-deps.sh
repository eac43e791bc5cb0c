#!/usr/bin/env bash
# install-deps.sh installs the system tools gssfault's tests need and that Go
# modules cannot provide, from the distribution's archive (Debian/Ubuntu):
#
#   protobuf-compiler  protoc, the protobuf compiler (Debian bookworm: 3.21.12;
#                      proto3 `optional` needs 3.15 or newer), for the
#                      protoc-gen-gssfault and wire-compatibility tests
#   libprotobuf-dev    google/protobuf/*.proto (descriptor.proto and the other
#                      well-known types) under /usr/include, which protoc finds
#                      by itself
#   chromium           the headless browser that checks gssctl's HTML pages
#                      (the catalog page and openapi preview)
#
# It is idempotent: what is present is not installed again, and with nothing
# missing it changes nothing. It never prompts (apt-get -y,
# DEBIAN_FRONTEND=noninteractive, sudo -n) and uses sudo only when not run as
# root. .ci/run calls it before `make test`; `make test` calls it with
# --best-effort, which warns instead of failing where it cannot install
# (no apt-get, no root and no password-less sudo). The tests that need a
# missing tool skip, naming this script.
set -euo pipefail

best_effort=false
[ "${1:-}" = "--best-effort" ] && best_effort=true

fail() {
	if $best_effort; then
		echo "install-deps: warning: $*; the tests that need them will skip" >&2
		exit 0
	fi
	echo "install-deps: $*" >&2
	exit 1
}

need=()
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
[ -f /usr/include/google/protobuf/descriptor.proto ] || need+=(libprotobuf-dev)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	fail "no apt-get; install ${need[*]} (protoc 3.15 or newer with its include files, chromium) by hand"
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if ! sudo -n true 2>/dev/null; then
		fail "not root and sudo needs a password; run scripts/install-deps.sh to install ${need[*]}"
	fi
	sudo=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: apt-get install ${need[*]}"
# Wait for another apt/dpkg run (an unattended upgrade, a parallel job)
# instead of failing on its lock.
apt=(apt-get -o DPkg::Lock::Timeout=300)
"${sudo[@]}" "${apt[@]}" update -qq || fail "apt-get update failed"
"${sudo[@]}" "${apt[@]}" install -y -qq --no-install-recommends "${need[@]}" >/dev/null || fail "apt-get install ${need[*]} failed"
echo "install-deps: $(protoc --version), $( (chromium --version || chromium-browser --version) 2>/dev/null | head -n1) installed"
