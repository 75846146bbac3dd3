#!/usr/bin/env bash
# Print the kernel version the module is built for and the VM boots.
#
#   scripts/kver.sh          the version to use: SPLICER_KVER if set, else the
#                            running kernel if it is an installed Debian image
#                            with headers, else the newest such image
#   scripts/kver.sh KDIR     the version of the kernel build dir KDIR
#
# The one place that picks the version: the Makefile (KDIR), the VM runner and
# the KUnit build all ask this script. The VM boots /boot/vmlinuz-<version>.
set -euo pipefail

if [ $# -ge 1 ]; then
	# Debian's include/config/kernel.release says "6.1.192"; UTS_RELEASE is
	# what uname -r and the modules' vermagic say.
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h" |
		grep . || { echo "kver.sh: not a kernel build dir: $1" >&2; exit 1; }
	exit 0
fi

if [ -n "${SPLICER_KVER:-}" ]; then
	echo "$SPLICER_KVER"
	exit 0
fi

# Installed image packages, e.g. linux-image-6.1.0-56-amd64 (or -unsigned).
# Print "<ver>" for each one that has both a kernel image and a build dir.
candidates() {
	local pkg ver
	dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'linux-image-*-amd64*' 2>/dev/null |
	while read -r status pkg; do
		[ "$status" = "ii" ] || continue
		ver=${pkg#linux-image-}
		ver=${ver%-unsigned}
		case "$ver" in
		*[0-9]*-amd64) ;;
		*) continue ;;	# the linux-image-amd64 meta-package
		esac
		[ -e "/boot/vmlinuz-$ver" ] && [ -d "/lib/modules/$ver/build" ] && echo "$ver"
	done
}

all=$(candidates | sort -V)
if grep -qxF -- "$(uname -r)" <<< "$all"; then
	ver=$(uname -r)
else
	ver=$(tail -n 1 <<< "$all")
fi
if [ -z "$ver" ]; then
	echo "kver.sh: no Debian linux-image-*-amd64 with matching headers is installed;" \
		"run scripts/deps.sh build vm (or apt-get install linux-image-amd64 linux-headers-amd64)" >&2
	exit 1
fi
echo "$ver"
