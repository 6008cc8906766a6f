#!/usr/bin/env bash
# `ferry plan` on the host: the same parsing code as the boot, fed bad input of every kind.
# Each case must give a clear message and exit 1 (errors) or 0 — never a crash or a hang.
set -u
B=$(cd "${1:-build}" && pwd)
F=$B/ferry
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { echo "  ok   $1"; pass=$((pass + 1)); }
bad() { echo "  FAIL $1"; fail=$((fail + 1)); sed 's/^/  | /' "$T/out" | tail -n 15; }

# plan CASE EXPECTED_RC REGEX ARGS...: run ferry plan (bounded), check its exit code and output
plan() {
	local what=$1 want=$2 re=$3; shift 3
	timeout 10 "$F" plan "$@" > "$T/out" 2>&1
	local rc=$?
	if [ $rc -ge 124 ] || [ $rc -gt 128 ]; then bad "$what: crashed or hung (exit $rc)"; return; fi
	if [ $rc != "$want" ]; then bad "$what: exit $rc, wanted $want"; return; fi
	if ! grep -Eq -- "$re" "$T/out"; then bad "$what: no /$re/ in the output"; return; fi
	ok "$what"
}

plan "empty command line, no config" 0 '^0 errors' --cmdline ""
plan "a good command line" 0 'root += /dev/vda' --cmdline 'console=ttyS0 root=/dev/vda ferry.onfail=reboot:3'
plan "the policy is shown" 0 '^on failure: reboot after 3 s' --cmdline 'ferry.onfail=reboot:3'
plan "a bad policy is an error naming the value" 1 'command line: ferry.onfail=sometimes: expected shell' --cmdline 'ferry.onfail=sometimes'
printf 'root = /dev/a\nbogus = 1\nroot = /dev/b\nrootwait = yes please\n"unterminated\n' > "$T/bad.conf"
plan "unknown key: file:line" 1 "bad.conf:2: unknown key \"bogus\"" --config "$T/bad.conf"
plan "repeated key: file:line and the first line" 1 'bad.conf:3: root is set again \(first at line 1\)' --config "$T/bad.conf"
plan "garbage line: file:line" 1 'bad.conf:5: ' --config "$T/bad.conf"
plan "a missing config is no error" 0 '^0 errors' --config "$T/does-not-exist"
mkdir "$T/dir.conf"
plan "a config that is a directory" 1 'dir.conf: cannot read: Is a directory' --config "$T/dir.conf"
head -c 70000 /dev/urandom > "$T/random.conf"
plan "random bytes as config" 1 'random.conf' --config "$T/random.conf"
head -c 60000 /dev/zero | tr '\0' 'x' > "$T/long.conf"
plan "a 60000-character line" 1 'long.conf:1: line longer than 1023 characters' --config "$T/long.conf"
big=$(head -c 65536 /dev/zero | tr '\0' 'a' | sed 's/a\{64\}/root=\/dev\/vda rootwait "quoted word" rootfstype=ext4 xx=y /g' | head -c 65000)
plan "a 64 KiB command line, keys repeated: the last wins" 0 '^0 errors' --cmdline "$big root=/dev/last"
plan "... and the last occurrence is the one used" 0 'root += /dev/last' --cmdline "$big root=/dev/last"
big=$(head -c 65536 /dev/zero | tr '\0' 'a' | sed 's/a\{16\}/ip=eth0:dhcp xy /g' | head -c 65536)
plan "a 64 KiB command line of 4000 repeatable ip= words: one clear error" 1 'command line: more than 512 settings; the rest are ignored' --cmdline "$big"
plan "unknown command-line words are ignored" 0 '^0 errors' --cmdline 'foo=bar quiet splash nosuchkey=1'
plan "repeated command-line keys: the last wins" 0 'root += /dev/vdc' --cmdline 'root=/dev/vda root=/dev/vdb root=/dev/vdc'
printf 'locked\nferry.onfail = poweroff\n' > "$T/locked.conf"
plan "locked: ferry.onfail=shell from the command line is ignored" 0 'ferry.onfail=shell on the command line ignored: .*locked.conf is locked' --config "$T/locked.conf" --cmdline 'ferry.onfail=shell'
plan "locked: the file's policy stays" 0 '^on failure: poweroff' --config "$T/locked.conf" --cmdline 'ferry.onfail=shell'
timeout 5 "$F" > "$T/out" 2>&1; rc=$?
if [ $rc = 2 ] && grep -q usage "$T/out"; then ok "not PID 1 and no mode: usage, exit 2"; else bad "not PID 1: exit $rc"; fi
echo "plan: $pass passed, $fail failed"
[ $fail = 0 ]
