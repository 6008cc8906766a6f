#!/bin/bash
# Seed inputs from real data on this machine (run by hand; the results are committed, then kept
# small by -merge=1): uevents composed from /sys uevent files as the kernel sends them, slices of
# Debian's modules.dep/modules.alias, and this host's own command line for the config parsers.
# The DHCP and netlink seeds come from tests/fuzz/capture.sh (a network namespace).
# usage: tests/fuzz/seed.sh [CORPUS_DIR]
set -eu
C=${1:-$(dirname "$0")/corpus}
n=0
# "ACTION@DEVPATH\0ACTION=..\0DEVPATH=..\0SUBSYSTEM=..\0<uevent lines>\0SEQNUM=N\0"
uevent_seed() {
	local dir=$1 action=$2 devpath subsys
	devpath=${dir#/sys}
	subsys=$(basename "$(readlink -f "$dir/subsystem")" 2>/dev/null || echo none)
	n=$((n + 1))
	{ printf '%s@%s\0ACTION=%s\0DEVPATH=%s\0SUBSYSTEM=%s\0' "$action" "$devpath" "$action" "$devpath" "$subsys"
	  tr '\n' '\0' < "$dir/uevent"; printf 'SEQNUM=%d\0' $((4000 + n)); } > "$C/fuzz_uevent/sys-$subsys-$n"
}
mkdir -p "$C/fuzz_uevent"
for cls in block net input tty misc; do
	for d in /sys/class/$cls/*; do
		if [ -e "$d/uevent" ]; then uevent_seed "$(readlink -f "$d")" add; fi
	done
done
for d in $(find /sys/devices -name uevent -size +0 2>/dev/null | grep -E 'pci|virtio|platform|usb' | head -12); do
	uevent_seed "$(dirname "$d")" bind
done
# Slices of the real module index: the input is modules.dep, a NUL, modules.alias.
mk=$(ls -d /lib/modules/*/ 2>/dev/null | head -1)
if [ -n "$mk" ] && [ -s "$mk/modules.dep" ]; then
	mkdir -p "$C/fuzz_kmod"
	for pat in 'dm-|crypt' 'virtio' 'nvme|ahci|sd_mod'; do
		{ grep -E "$pat" "$mk/modules.dep" | head -40; printf '\0'
		  grep -E "$pat" "$mk/modules.alias" | head -60; } > "$C/fuzz_kmod/debian-$(echo "$pat" | tr -c 'a-z\n' _ | cut -c1-12)"
	done
fi
# This host's command line: a real bootloader's words, with and without a config file.
mkdir -p "$C/fuzz_config" "$C/fuzz_netconf"
{ printf '\0'; cat /proc/cmdline; } > "$C/fuzz_config/host-cmdline"
{ printf 'ip = :::::eth0:dhcp\nferry.net = required\n\0'; cat /proc/cmdline; } > "$C/fuzz_netconf/host-cmdline"
