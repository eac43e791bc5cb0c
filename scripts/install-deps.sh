#!/usr/bin/env bash
# install-deps.sh installs the system tools gssfault's tests need and that Go
# modules cannot provide, from the distribution's archive (Debian/Ubuntu):
#
#   protobuf-compiler  protoc, the protobuf compiler (Debian bookworm: 3.21.12;
#                      proto3 `optional` needs 3.15 or newer)
#   libprotobuf-dev    google/protobuf/*.proto (descriptor.proto and the other
#                      well-known types) under /usr/include, which protoc finds
#                      by itself
#
# It is idempotent: when protoc and descriptor.proto are already present it
# changes nothing. It never prompts (apt-get -y, DEBIAN_FRONTEND=noninteractive)
# and uses sudo only when not run as root. Without apt-get it says what to
# install and fails. .ci/run calls it before `make test`; the protoc tests skip,
# naming this script, when protoc is absent.
set -euo pipefail

need=()
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
[ -f /usr/include/google/protobuf/descriptor.proto ] || need+=(libprotobuf-dev)

if [ ${#need[@]} -eq 0 ]; then
	echo "install-deps: $(protoc --version) and the well-known types are installed"
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: no apt-get; install protoc 3.15 or newer with its include files (needed: ${need[*]})" >&2
	exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: apt-get install ${need[*]}"
# Wait for another apt/dpkg run (an unattended upgrade, a parallel job)
# instead of failing on its lock.
apt=(apt-get -o DPkg::Lock::Timeout=300)
"${sudo[@]}" "${apt[@]}" update -qq
"${sudo[@]}" "${apt[@]}" install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "install-deps: $(protoc --version) installed"
