#!/usr/bin/env bash
# Install the Debian packages one step of the build or test needs, when missing.
#
#   scripts/deps.sh SET...      SET: build | vm | kunit | fuzz | bench | tls | all
#
# Quiet when everything is present. Otherwise says what it installs, runs
# `apt-get update` once and installs the missing packages. Needs root (CI runs
# as root); as a non-root user it prints the apt-get command and fails.
set -euo pipefail

# Packages of each set. Keep them in sync with what the scripts use.
pkgs_build=(gcc make linux-headers-amd64 libnl-genl-3-dev libnl-3-dev pkg-config sparse)
# The VM boots Debian's own kernel with busybox in the initramfs; the test
# tools run from the host's / mounted read-only over 9p.
pkgs_vm=(qemu-system-x86 linux-image-amd64 busybox-static kmod cpio
	 nginx-light curl wrk iproute2 python3 python3-websockets socat procps jq
	 libcap2-bin)
pkgs_kunit=(linux-source-6.1 xz-utils)
# selftests/fuzz: clang with libFuzzer and the sanitizer runtimes, and
# llvm-symbolizer for readable reports.
pkgs_fuzz=(clang-14 libclang-rt-14-dev llvm-14 python3)
# handshaked/: OpenSSL and libcap to build splicer-handshaked; openssl
# and python3 for its tests (certificates, clients).
pkgs_tls=(libssl-dev libcap-dev openssl python3)
# bench/: the systems splicer is compared with, the backend and the client.
pkgs_bench=(haproxy nginx-light wrk curl python3 iproute2 procps jq)

usage() {
	echo "usage: $0 build|vm|kunit|fuzz|bench|tls|all ..." >&2
	exit 2
}

# Print the packages of the named sets, one per line.
set_packages() {
	local set
	for set in "$@"; do
		case "$set" in
		build) printf '%s\n' "${pkgs_build[@]}" ;;
		vm) printf '%s\n' "${pkgs_vm[@]}" ;;
		kunit) printf '%s\n' "${pkgs_kunit[@]}" ;;
		fuzz) printf '%s\n' "${pkgs_fuzz[@]}" ;;
		bench) printf '%s\n' "${pkgs_bench[@]}" ;;
		tls) printf '%s\n' "${pkgs_tls[@]}" ;;
		all) set_packages build vm kunit fuzz bench tls ;;
		*) usage ;;
		esac
	done
}

# Of the packages named, print those not installed (or half-configured).
# One dpkg-query for all of them: it is slow to start.
missing_of() {
	local -A ok=()
	local pkg status
	while read -r pkg status; do
		[ "$status" = "install ok installed" ] && ok[$pkg]=1
	done < <(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null || true)
	for pkg in "$@"; do
		[ -n "${ok[$pkg]:-}" ] || echo "$pkg"
	done
}

main() {
	[ $# -gt 0 ] || usage
	local -a want missing
	mapfile -t want < <(set_packages "$@" | sort -u)
	mapfile -t missing < <(missing_of "${want[@]}")
	[ ${#missing[@]} -eq 0 ] && return 0

	echo "deps.sh: installing missing packages: ${missing[*]}" >&2
	local -a sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo)
		else
			echo "deps.sh: not root; run: apt-get update && apt-get install ${missing[*]}" >&2
			exit 1
		fi
	fi
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -q >&2
	"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

main "$@"
