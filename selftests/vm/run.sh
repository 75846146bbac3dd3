#!/usr/bin/env bash
# Run one script inside a throwaway QEMU/TCG VM that boots Debian's own kernel.
#
#   selftests/vm/run.sh [options] SCRIPT [ARGS...]
#
#   --bench          deterministic CPU: -smp 1 -icount shift=0,sleep=off -cpu max
#                    (guest time counts instructions; while the guest idles,
#                    e.g. waiting for a file over 9p, its clock leaps ahead:
#                    measure only with files on tmpfs, never time out on it)
#   --timeout SECS   wall-clock bound for the whole VM run (default 600)
#   --log FILE       console log (default build/vm/logs/<script name>.log)
#   --mem MB         guest memory (default 2048)
#   -q, --quiet      do not copy the console to stdout while the VM runs
#
# The guest mounts the host's / read-only over 9p and chroots into it, so every
# host tool is there; /tmp, /run, /var/tmp and /dev/shm are the guest's own
# tmpfs (scripts write only there). The guest caches what it reads of the
# host (9p cache=loose, several times faster): a file changed on the host
# while a VM runs may look stale in that VM. SCRIPT runs with bash, stdin /dev/null,
# cwd = the repo top, and these variables:
#   SPLICER_TOP   the repo top        SPLICER_KVER  the running kernel version
#   SPLICER_VM=1                      SPLICER_BENCH 1 with --bench, else 0
#   HOME=/tmp, and every SPLICER_* variable of the caller's environment.
# SPLICER_QEMU_ARGS (split on white space) is appended to QEMU's options.
#
# Exit status: SCRIPT's own (4 = skip passes through), 124 = timeout,
# 125 = kernel problem (oops/WARN/BUG/panic... in the console, or the VM died
# without reporting a status: even when the script passed), 126 = runner error.
set -euo pipefail

readonly EXIT_TIMEOUT=124 EXIT_KERNEL=125 EXIT_RUNNER=126

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly TOP
VMDIR=$TOP/build/vm

# Console lines that mean the kernel found a bug. Only lines carrying a printk
# timestamp count, so a script printing "WARNING:" itself is not mistaken.
readonly KERNEL_TS='\[ *[0-9]+\.[0-9]+\]'
readonly KERNEL_BAD='BUG:|WARNING:|Oops|general protection|Kernel panic|kernel BUG|UBSAN|KASAN|refcount_t:|list_add corruption|list_del corruption|INFO: task .* blocked|watchdog: BUG|RCU detected stall|rcu_.*detected stall'

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
	exit $EXIT_RUNNER
}

die() {
	echo "vm: $*" >&2
	exit $EXIT_RUNNER
}

# ---------------------------------------------------------------- initramfs

# PID 1 of the guest (busybox sh): loads the virtio/9p modules, mounts the host
# and the guest's own filesystems over it, then becomes stage 2 in the host's /.
init_script() {
	cat <<'INIT'
#!/bin/busybox sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/null >/dev/console 2>&1

for m in /mods/*.ko; do
	insmod "$m" || echo "vm-init: insmod $m failed"
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose host /host ||
	{ echo "vm-init: cannot mount the host's / over 9p"; poweroff -f; }

h=/host
# The repo stays visible even where the guest mounts its own tmpfs (a
# checkout under /tmp): hold it aside, put it back on top below.
top=$(sed -n 's/.*splicer_top=\([^ ]*\).*/\1/p' /proc/cmdline)
mkdir -p /top
mount --bind "$h$top" /top
mount -t proc proc $h/proc
mount -t sysfs sysfs $h/sys
mount -t devtmpfs devtmpfs $h/dev
mkdir -p $h/dev/pts $h/dev/shm
mount -t devpts -o ptmxmode=0666 devpts $h/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $h/dev/shm
mount -t tmpfs -o mode=1777 tmpfs $h/tmp
mount -t tmpfs -o mode=1777 tmpfs $h/var/tmp
mount -t tmpfs -o mode=0755 tmpfs $h/run	# /var/run -> /run: ip netns works
mkdir -p $h/run/lock $h/run/netns
if [ ! -d "$h$top" ]; then
	mkdir -p "$h$top"
	mount --move /top "$h$top"
fi
mount -t debugfs debugfs $h/sys/kernel/debug
mount -t tracefs tracefs $h/sys/kernel/tracing 2>/dev/null
mount -t cgroup2 cgroup2 $h/sys/fs/cgroup 2>/dev/null
hostname splicer-vm
ip link set lo up
echo 8 > /proc/sys/kernel/printk	# every kernel message to the console log

# PID 1 shares its root with the kernel threads: chrooting PID 1 itself makes
# module autoloading (request_module -> /sbin/modprobe) use the host's tools
# and /lib/modules. The rest runs with the host's busybox.
exec chroot $h /bin/busybox sh -c "$(cat /stage2)"
INIT
}

# Stage 2 of PID 1, inside the host's /: runs the job, reports its status on
# the second serial port (and as a marker line on the console), powers off.
stage2_script() {
	cat <<'STAGE2'
job=$(busybox sed -n 's/.*splicer_job=\([^ ]*\).*/\1/p' /proc/cmdline)
read -r up _ < /proc/uptime
echo "SPLICER-VM-START uptime=$up"
/usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/tmp TERM=dumb LANG=C.UTF-8 /bin/bash "$job"
rc=$?
read -r up _ < /proc/uptime
echo "SPLICER-VM-EXIT=$rc uptime=$up"
echo "$rc" > /dev/ttyS1
busybox poweroff -f
STAGE2
}

# Paths of the modules the guest needs to reach the host's / (and virtio-rng,
# so getrandom() does not wait for entropy), in insmod order.
module_list() {
	local kver=$1
	modprobe -a -S "$kver" --show-depends virtio_pci 9pnet_virtio 9p virtio_rng |
		awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

# Build build/vm/initramfs-<kver>.cpio unless the cached one has the same
# inputs: this script (which holds init), busybox, the kernel's modules.
build_initramfs() {
	local kver=$1
	local out=$VMDIR/initramfs-$kver.cpio
	local busybox mods key stage i m name
	busybox=/bin/busybox	# from busybox-static: no shared libraries needed
	[ -x "$busybox" ] || die "$busybox missing (scripts/deps.sh vm)"
	mods=$(module_list "$kver") || die "modprobe -S $kver --show-depends failed"

	key=$({ sha256sum "${BASH_SOURCE[0]}"; ls -lL --time-style=+%s "$busybox";
		# shellcheck disable=SC2086
		ls -lL --time-style=+%s $mods; } | sha256sum | cut -d' ' -f1)
	if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
		echo "$out"
		return
	fi

	stage=$(mktemp -d "$VMDIR/initramfs.XXXXXX")
	mkdir -p "$stage"/{bin,dev,proc,sys,host,mods}
	cp "$busybox" "$stage/bin/busybox"
	for name in $("$busybox" --list); do
		[ "$name" = busybox ] || ln -s busybox "$stage/bin/$name"
	done
	init_script > "$stage/init"
	stage2_script > "$stage/stage2"
	chmod 755 "$stage/init"
	i=10
	for m in $mods; do
		name=$(basename "$m")
		name=${name%%.ko*}
		case "$m" in
		*.ko.xz) xz -dc "$m" ;;
		*.ko.zst) zstd -qdc "$m" ;;
		*.ko.gz) gzip -dc "$m" ;;
		*) cat "$m" ;;
		esac > "$stage/mods/$i-$name.ko"
		i=$((i + 1))
	done
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$out.tmp"
	rm -rf "$stage"
	mv "$out.tmp" "$out"
	echo "$key" > "$out.key"
	echo "vm: built $out" >&2
	echo "$out"
}

# ---------------------------------------------------------------- the run

# Write the job the guest's bash runs: cwd, environment, the script.
write_job() {
	local job=$1 kver=$2 bench=$3 script=$4 name value
	shift 4
	{
		echo "# generated by selftests/vm/run.sh"
		printf 'cd -- %q || exit 126\n' "$TOP"
		# The caller's SPLICER_* variables first, so ours win.
		while IFS='=' read -r -d '' name value; do
			case "$name" in
			SPLICER_*) printf 'export %s=%q\n' "$name" "$value" ;;
			esac
		done < <(env -0)
		printf 'export SPLICER_TOP=%q SPLICER_KVER=%q SPLICER_VM=1 SPLICER_BENCH=%s\n' \
			"$TOP" "$kver" "$bench"
		printf 'exec /bin/bash --'
		printf ' %q' "$script" "$@"
		printf '\n'
	} > "$job"
}

# Print the console lines showing a kernel problem; true if there are any.
scan_log() {
	local log=$1 hits
	hits=$(tr -d '\r' < "$log" | grep -n -E "$KERNEL_TS.*($KERNEL_BAD)" || true)
	[ -n "$hits" ] || return 1
	{
		echo "vm: kernel problem in $log:"
		printf '%s\n' "$hits" | head -n 20
		echo "vm: first report:"
		tr -d '\r' < "$log" | grep -E -A 30 -m 1 "$KERNEL_TS.*($KERNEL_BAD)"
	} >&2
	return 0
}

main() {
	local bench=0 timeout=600 log="" mem=2048 quiet=0
	while [ $# -gt 0 ]; do
		case "$1" in
		--bench) bench=1 ;;
		--timeout) timeout=${2:?}; shift ;;
		--log) log=${2:?}; shift ;;
		--mem) mem=${2:?}; shift ;;
		-q|--quiet) quiet=1 ;;
		-h|--help) usage ;;
		--) shift; break ;;
		-*) echo "vm: unknown option $1" >&2; usage ;;
		*) break ;;
		esac
		shift
	done
	[ $# -ge 1 ] || usage
	local script
	script=$(realpath -e -- "$1") || die "no such script: $1"
	shift
	case "$script" in
	"$TOP"/*) ;;
	/tmp/*|/run/*|/var/tmp/*|/dev/shm/*)
		die "$script is on a path the guest replaces with its own tmpfs; put it in the repo" ;;
	esac
	case "$TOP" in
	*[[:space:]]*) die "the repo path must not contain white space: $TOP" ;;
	esac
	"$TOP/scripts/deps.sh" vm || die "cannot install the VM's packages"

	local kver kernel initrd
	kver=$("$TOP/scripts/kver.sh") || exit $EXIT_RUNNER
	kernel=/boot/vmlinuz-$kver
	[ -r "$kernel" ] || die "cannot read $kernel"
	mkdir -p "$VMDIR/logs"
	initrd=$(
		exec 9>"$VMDIR/.initramfs.lock"
		flock 9
		build_initramfs "$kver"
	)

	local name run
	name=$(basename "$script" .sh)
	[ -n "$log" ] || log=$VMDIR/logs/$name.log
	mkdir -p "$(dirname "$log")"
	log=$(realpath -m "$log")
	run=$(mktemp -d "$VMDIR/run.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$run'" EXIT
	write_job "$run/job" "$kver" "$bench" "$script" "$@"
	: > "$run/status"

	# shellcheck disable=SC2054 # commas inside QEMU option values
	local -a qemu=(qemu-system-x86_64 -nodefaults -no-user-config -display none
		-no-reboot -nic none -m "$mem"
		-kernel "$kernel" -initrd "$initrd"
		-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap
		-device virtio-rng-pci
		-serial "file:$log" -serial "file:$run/status")
	if [ $bench = 1 ]; then
		# shellcheck disable=SC2054
		qemu+=(-smp 1 -icount shift=0,sleep=off -cpu max)
	else
		qemu+=(-smp 2)
	fi
	# no_timer_check: under host load TCG can miss the IO-APIC timer check
	local cmdline="console=ttyS0 quiet printk.time=1 oops=panic panic_on_warn=1 panic=-1 no_timer_check"
	cmdline+=" mitigations=off splicer_top=$TOP splicer_job=$run/job"
	qemu+=(-append "$cmdline")
	# Extra QEMU options for experiments and debugging (e.g. "-s" for gdb).
	# shellcheck disable=SC2206 # split on purpose
	[ -z "${SPLICER_QEMU_ARGS:-}" ] || qemu+=($SPLICER_QEMU_ARGS)

	local start pid tailpid="" rc
	start=$(date +%s.%N)
	: > "$log"
	timeout -k 10 "$timeout" "${qemu[@]}" </dev/null &
	pid=$!
	trap 'kill $pid 2>/dev/null; rm -rf "$run"; exit 130' INT TERM
	if [ $quiet = 0 ]; then
		tail -n +1 -F --pid=$pid "$log" 2>/dev/null | tr -d '\r' &
		tailpid=$!
	fi
	rc=0
	wait $pid || rc=$?
	[ -z "$tailpid" ] || wait "$tailpid" || true
	# shellcheck disable=SC2064
	trap "rm -rf '$run'" EXIT
	local secs
	secs=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.1f", a - b }')

	local status boot
	status=$(tr -dc '0-9' < "$run/status")
	boot=$(tr -d '\r' < "$log" | sed -n 's/^SPLICER-VM-START uptime=//p' | head -n 1)
	local verdict
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "vm: $name: timed out after ${timeout}s; log: $log" >&2
		scan_log "$log" || true
		verdict=$EXIT_TIMEOUT
	elif [ ! -s "$log" ]; then
		echo "vm: $name: QEMU failed before the guest printed anything (exit $rc)" >&2
		verdict=$EXIT_RUNNER
	elif scan_log "$log"; then
		verdict=$EXIT_KERNEL
	elif [ -z "$status" ]; then
		echo "vm: $name: the VM stopped without reporting a status (qemu exit $rc); log: $log" >&2
		tr -d '\r' < "$log" | tail -n 20 >&2
		verdict=$EXIT_KERNEL
	else
		verdict=$status
	fi
	echo "vm: $name: exit $verdict after ${secs}s (script started at guest uptime ${boot:-?}s); log: $log" >&2
	exit "$verdict"
}

main "$@"
