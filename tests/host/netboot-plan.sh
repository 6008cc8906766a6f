#!/usr/bin/env bash
# `ferry plan` and the ferry.netboot* keys: each bad value named with its place, locked rules,
# and the netboot lines of the plan. Exit 1 on errors, 0 otherwise — never a crash or a hang.
set -u
# shellcheck source=tests/host/plan.inc
source "$(dirname "$0")/plan.inc"
H=$(printf 'ab%.0s' $(seq 32))

plan "no netboot: off" 0 '^netboot: off' --cmdline ""
plan "a URL: its lines, tried before the disks'" 0 "^netboot: http://10.0.0.1/boot.ipxe, after a lease.*before the disks'" --cmdline "ferry.netboot=http://10.0.0.1/boot.ipxe"
plan "... and no ip=: DHCP on every link" 0 '^net: every ethernet-like link: dhcp' --cmdline "ferry.netboot=http://10.0.0.1/boot.ipxe"
plan "a URL ending in /: the pxelinux search" 0 'pxelinux.cfg/01-MAC' --cmdline "ferry.netboot=tftp://10.0.0.1/"
plan "dhcp: the lease's boot file" 0 "^netboot: the DHCPv4 lease's boot file" --cmdline "ferry.netboot=dhcp"
plan "https: refused by name (no TLS)" 1 'command line: ferry.netboot=https://x/y: https: ferry has no TLS' --cmdline "ferry.netboot=https://x/y"
plan "not a URL" 1 'ferry.netboot=/boot/x: not an http:// or tftp:// URL' --cmdline "ferry.netboot=/boot/x"
plan "a bad initrd URL, named" 1 'ferry.netboot.initrd=.*ftp://a/b: not an http' --cmdline "ferry.netboot=http://10.0.0.1/k ferry.netboot.initrd=http://10.0.0.1/i,ftp://a/b"
plan "initrd without netboot" 1 'ferry.netboot.initrd=http://10.0.0.1/i: without ferry.netboot=' --cmdline "ferry.netboot.initrd=http://10.0.0.1/i"
plan "timeout 0" 1 'ferry.netboot.timeout=0: expected 1 to 3600' --cmdline "ferry.netboot=dhcp ferry.netboot.timeout=0"
plan "a pin that is not sha256:HEX" 1 'ferry.netboot.pin=md5:00: expected sha256: and 64 hex digits' --cmdline "ferry.netboot=dhcp ferry.netboot.pin=md5:00"
plan "a short pin" 1 'expected sha256: and 64 hex digits' --cmdline "ferry.netboot=dhcp ferry.netboot.pin=sha256:abcd"
plan "two good pins" 0 'every file must match one of 2 sha256 pins' --cmdline "ferry.netboot=dhcp ferry.netboot.pin=sha256:$H ferry.netboot.pin=sha256:${H^^}"
plan "no pins: said" 0 'no ferry.netboot.pin=: files are not checked' --cmdline "ferry.netboot=dhcp"
plan "ferry.net=off: netboot needs the network" 1 'ferry.netboot=dhcp: ferry.net=off: netboot needs the network' --cmdline "ferry.netboot=dhcp ferry.net=off"
printf 'locked\nferry.netboot = dhcp\n' > "$T/l1.conf"
plan "locked without pins: refused" 0 '^netboot: refused: locked and no ferry.netboot.pin= in the config' --config "$T/l1.conf" --cmdline "ferry.netboot.pin=sha256:$H"
plan "... the command line's pin ignored, and said" 0 'ferry.netboot.pin=sha256:.* on the command line ignored' --config "$T/l1.conf" --cmdline "ferry.netboot.pin=sha256:$H"
printf 'locked\nferry.netboot = dhcp\nferry.netboot.pin = sha256:%s\n' "$H" > "$T/l2.conf"
plan "locked with the file's pin: netboot, no disk searched" 0 '^kexec: locked: the ferry.netboot= entries only' --config "$T/l2.conf"
plan "... the command line cannot change the URL" 0 'ferry.netboot=http://evil/x on the command line ignored' --config "$T/l2.conf" --cmdline "ferry.netboot=http://evil/x"
echo "netboot-plan: $pass passed, $fail failed"
[ $fail = 0 ]
