#!/bin/bash
# No server: a bounded wait, a clear message, a non-zero exit. Hostile replies (foreign xid or
# MAC, truncated, overlong options, bad checksums, fragments, junk overload areas) are ignored
# without a crash; a NAK storm does not make the client spin; names from DHCP cannot inject lines.
# It runs the ASan/UBSan build, build/host/ferry (`make build/host/ferry`), when there is one, so
# that "nothing from the sanitizers" can fail; with build/ferry (static musl, no sanitizers) those
# checks say skipped. Leaks at exit are not checked (PID 1 never frees its config).
. "$(dirname "$0")/net.lib"
if [ -z "${FERRY:-}" ] && [ -x "${1:-build}/host/ferry" ]; then FERRY=${1:-build}/host/ferry; fi
export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
net_init net-hostile "${1:-build}"
SAN=$(grep -c __asan_init "$FERRY" 2>/dev/null)
echo "  (running $FERRY$([ "${SAN:-0}" -gt 0 ] && echo ', with ASan and UBSan'))"
# sanitizers WHAT FILE: the run left no sanitizer report
sanitizers() {
	if [ "${SAN:-0}" -gt 0 ]; then
		check "$1: nothing from the sanitizers" sh -c "! grep -qE 'runtime error|AddressSanitizer|LeakSanitizer' $2"
	else
		echo "  skipped: $1: nothing from the sanitizers: $FERRY has none (make build/host/ferry)"
	fi
}
R="$(dirname "$0")/dhcp-responder.py"

# 0. Bad configuration: exit 2 before touching anything, each error with its file and line.
printf 'ferry.metric = wifi:abc\nip = :::::hx0:rarp\n' > "$W/bad.conf"
"$FERRY" net --config "$W/bad.conf" --cmdline "ferry.net.timeout=0" --run-dir "$W/run" > "$W/out0" 2>&1
rc=$?
cat "$W/out0"
check "bad config: exit status 2" test "$rc" = 2
check "bad config: file and line of a bad metric" grep -q "bad.conf:1: ferry.metric=wifi:abc: expected" "$W/out0"
check "bad config: rarp refused" grep -q "bad.conf:2: ip=:::::hx0:rarp: rarp is not supported" "$W/out0"
check "bad config: the command line's bad bound too" grep -q "command line: ferry.net.timeout=0: expected seconds" "$W/out0"

# 1. Nobody answers.
ip link add hx0 type veth peer name hx1
ip link set hx1 up
t0=$(date +%s%N)
"$FERRY" net --cmdline "ip=:::::hx0:dhcp ferry.net.timeout=3" --run-dir "$W/run" > "$W/out1" 2>&1
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
cat "$W/out1"
check "no server: exit status 1 (not a crash)" test "$rc" = 1
check "no server: bounded (3 s bound, took $ms ms)" test "$ms" -ge 2900 -a "$ms" -lt 5000
check "no server: the message names the bound and the cause" grep -q "not configured after 3 s (ferry.net.timeout): hx0: no DHCP offer" "$W/out1"
check "no server: no lease file" test ! -e "$W/run/hx0.lease"
ip link del hx0

# 2. Only a hostile server: garbage never configures anything.
srv_ns S
veth hg0 sg0 "$S" 10.81.0.1/24
bg ip netns exec "$S" python3 "$R" sg0 garbage "$W/garbage.log"
sleep 0.3
"$FERRY" net --cmdline "ip=:::::hg0:dhcp ferry.net.timeout=6" --run-dir "$W/run" > "$W/out2" 2>&1
rc=$?
tail -2 "$W/out2"
check "garbage: exit status 1, no crash (a sanitizer report would exit with another status)" test "$rc" = 1
check "garbage: the responder was heard" grep -q "got DISCOVER" "$W/garbage.log"
check "garbage: still looking for an offer at the bound" grep -q "hg0: no DHCP offer" "$W/out2"
check "garbage: no address" sh -c "! ip -4 -o addr show hg0 | grep -q inet"
check "garbage: no route" sh -c "! ip route show dev hg0 | grep -q ."
sanitizers garbage "$W/out2"

# 3. A NAK storm: every REQUEST gets 20 NAKs. No configuration, and no spinning.
kill $LAST; wait $LAST 2>/dev/null
bg ip netns exec "$S" python3 "$R" sg0 nakstorm "$W/nak.log"
sleep 0.3
"$FERRY" net --cmdline "ip=:::::hg0:dhcp ferry.net.timeout=6" --run-dir "$W/run" > "$W/out3" 2>&1
rc=$?
tail -2 "$W/out3"
n=$(grep -c "got DISCOVER" "$W/nak.log")
check "nak storm: exit status 1" test "$rc" = 1
check "nak storm: NAKs were seen and logged" grep -q "DHCP NAK" "$W/out3"
check "nak storm: the bound's message says so" grep -q "hg0: every request refused" "$W/out3"
check "nak storm: backs off ($n DISCOVERs in 6 s, at most 8)" test "$n" -ge 2 -a "$n" -le 8
check "nak storm: no address" sh -c "! ip -4 -o addr show hg0 | grep -q inet"
sanitizers "nak storm" "$W/out3"

# 4. Names that try to inject lines into the lease file and resolv.conf.
kill $LAST; wait $LAST 2>/dev/null
bg ip netns exec "$S" python3 "$R" sg0 inject "$W/inject.log"
sleep 0.3
"$FERRY" net --cmdline "ip=:::::hg0:dhcp ferry.net.timeout=6" --run-dir "$W/run" > "$W/out4" 2>&1
check "inject: configured (the reply is otherwise valid)" test $? = 0
check "inject: no injected nameserver" sh -c "! grep -q 6.6.6.6 $W/run/resolv.conf $W/run/hg0.lease"
check "inject: the real nameserver is there" grep -qx "nameserver 10.81.0.53" "$W/run/resolv.conf"
check "inject: hostname dropped" grep -qx "HOSTNAME=''" "$W/run/hg0.lease"
check "inject: the lease file still sources cleanly" sh -c "(. $W/run/hg0.lease) 2>&1 | grep -q . && exit 1; . $W/run/hg0.lease; test \"\$ADDRESS\" = 10.81.0.50"
sanitizers "bad config, no server, inject" "$W/out0 $W/out1 $W/out4"
net_done
