#!/bin/bash
# ferry linktest on veth pairs, every end created in this test's own namespace (run.sh's
# `unshare --net`): a pair is the cable (exit 0, N replies each way, the ports back as they were);
# two ends whose peers are down is no cable (exit 1, no carrier); two ends whose peers are up but
# not joined is a wrong cable (exit 1, echoes lost); bad arguments (exit 2, each named); SIGTERM
# and SIGINT in the middle (the ports back); SIGKILL (what the kernel does: veths destroyed).
. "$(dirname "$0")/net.lib"
net_init linktest "${1:-build}"

# "NAME[@PEER] MTU up|down", or "gone"
link_state() {
	line=$(ip -o link show "$1" 2>/dev/null) || { echo gone; return; }
	name=$(echo "$line" | cut -d: -f2 | tr -d ' ')
	mtu=$(echo "$line" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
	case "$line" in *"<UP,"*|*",UP,"*|*",UP>"*|*"<UP>"*) up=up;; *) up=down;; esac
	echo "$name $mtu $up"
}
# (not /sys/class/net: the sysfs mounted is the host's, not this namespace's)
tx() { ip -j -s link show "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["packets"])'; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# expect_back WHAT NAME STATE...: each link as it was
expect_back() {
	ew=$1; shift
	for l in "$@"; do
		check "$ew: $l back as before ($(eval echo \"\$was_$l\"))" \
			test "$(link_state "$l")" = "$(eval echo \"\$was_$l\")"
	done
}
remember() { for l in "$@"; do eval "was_$l=\"\$(link_state $l)\""; done; }

# --- the cable: lt0 up at MTU 1400, lt1 down at 1500 (the test brings both up, then restores) ---
ip link add lt0 type veth peer name lt1
ip link set lt0 mtu 1400 up
remember lt0 lt1
echo "  before: $was_lt0 / $was_lt1"
tx0=$(tx lt0) tx1=$(tx lt1)
t=$(date +%s%N)
"$FERRY" linktest lt0 lt1 > "$W/out" 2> "$W/err"
rc=$?
took=$(ms_since "$t")
cat "$W/out" "$W/err" | sed "s/^/  | /"
echo "  (took $took ms)"
check "cable: exit 0" test "$rc" = 0
check "cable: 5/5 replies lt0 -> lt1" grep -Eq '^lt0 -> lt1: 5/5 replies, 0% loss, rtt min/avg/max [0-9]+/[0-9]+/[0-9]+ us$' "$W/out"
check "cable: 5/5 replies lt1 -> lt0" grep -Eq '^lt1 -> lt0: 5/5 replies, 0% loss, rtt min/avg/max [0-9]+/[0-9]+/[0-9]+ us$' "$W/out"
check "cable: summary pass" grep -Eq '^linktest lt0 lt1: pass, 10/10 replies in [0-9]+ ms$' "$W/out"
check "cable: nothing on stderr" test ! -s "$W/err"
expect_back "cable" lt0 lt1
check "cable: the pair is still a pair here (lt0@lt1)" sh -c "ip -o link show lt0 | grep -q 'lt0@lt1'"
check "cable: no test address left" sh -c "! ip -4 addr show | grep -q 169.254.77"
# The echoes crossed the veth (the kernel did not answer them from its local table): each end
# sent its 5 requests and 5 replies, plus ARP.
check "cable: lt0 sent >= 10 frames ($(( $(tx lt0) - tx0 )))" test $(( $(tx lt0) - tx0 )) -ge 10
check "cable: lt1 sent >= 10 frames ($(( $(tx lt1) - tx1 )))" test $(( $(tx lt1) - tx1 )) -ge 10

"$FERRY" linktest --count 200 --timeout 10 lt1 lt0 > "$W/out" 2>&1
rc=$?
cat "$W/out" | sed "s/^/  | /"
check "cable, 200 each way: exit 0" test "$rc" = 0
check "cable, 200 each way: 200/200 both" test "$(grep -c ' 200/200 replies, 0% loss' "$W/out")" = 2
expect_back "cable, 200" lt0 lt1

# --- bad arguments: exit 2, the argument named, nothing touched -----------------------------------
bad_args() {
	want=$1; shift
	"$FERRY" linktest "$@" > "$W/out" 2>&1
	rc=$?
	check "bad arguments ($*): exit 2 ($rc)" test "$rc" = 2
	check "bad arguments ($*): says \"$want\"" grep -qF "ferry: linktest: $want" "$W/out"
}
bad_args "unknown option --bogus" --bogus lt0 lt1
bad_args "missing IFACE2" lt0
bad_args "missing IFACE1 and IFACE2" --count 3
bad_args "lt0 given twice" lt0 lt0
bad_args "too many arguments: lt2" lt0 lt1 lt2
bad_args "--count 0: out of range 1..1000" --count 0 lt0 lt1
bad_args "--count 1001: out of range 1..1000" --count 1001 lt0 lt1
bad_args "--count x: not a number" --count x lt0 lt1
bad_args "--timeout 0: out of range 1..600" --timeout 0 lt0 lt1
bad_args "--timeout 601: out of range 1..600" --timeout=601 lt0 lt1
bad_args "--timeout: missing value" lt0 lt1 --timeout
check "usage on bad arguments" grep -q '^usage: ferry linktest' "$W/out"
"$FERRY" linktest lt0 nosuch0 > "$W/out" 2>&1
rc=$?
check "no such interface: exit 1 ($rc)" test "$rc" = 1
check "no such interface: named" grep -q 'nosuch0: no such interface' "$W/out"
expect_back "bad arguments" lt0 lt1

# --- no cable: lt2 and lt4, whose peers lt3 and lt5 stay down here ---------------------------------
ip link add lt2 type veth peer name lt3
ip link add lt4 type veth peer name lt5
ip link set lt4 mtu 1280
remember lt2 lt3 lt4 lt5
t=$(date +%s%N)
"$FERRY" linktest --timeout 2 lt2 lt4 > "$W/out" 2>&1
rc=$?
took=$(ms_since "$t")
cat "$W/out" | sed "s/^/  | /"
check "no cable: exit 1" test "$rc" = 1
check "no cable: no carrier on either, named" grep -q '^linktest lt2 lt4: FAIL: no carrier on lt2 and lt4 after 2 s' "$W/out"
check "no cable: 0/5 both ways" test "$(grep -c ': 0/5 replies, 100% loss, rtt -$' "$W/out")" = 2
check "no cable: within the timeout ($took ms <= 3000)" test "$took" -le 3000
expect_back "no cable" lt2 lt3 lt4 lt5

# --- wrong cable: carrier on both (lt3, lt5 up), but lt3 and lt5 are not joined --------------------
ip link set lt3 up
ip link set lt5 up
remember lt2 lt3 lt4 lt5
t=$(date +%s%N)
"$FERRY" linktest --count 3 --timeout 2 lt2 lt4 > "$W/out" 2>&1
rc=$?
took=$(ms_since "$t")
cat "$W/out" | sed "s/^/  | /"
check "wrong cable: exit 1" test "$rc" = 1
check "wrong cable: echoes lost, named" grep -q '^linktest lt2 lt4: FAIL: 6 of 6 echoes lost' "$W/out"
check "wrong cable: within the timeout ($took ms <= 3000)" test "$took" -le 3000
expect_back "wrong cable" lt2 lt3 lt4 lt5

# --- signals in the middle: the ports come back --------------------------------------------------
# interrupted SIGNAL [env prefix...]
interrupted() {
	sig=$1; shift
	"$@" "$FERRY" linktest --count 1000 --timeout 60 lt2 lt4 > "$W/out" 2>&1 &
	pid=$!
	# in the middle: both ports moved away, echoes going out
	wait_for 5 sh -c '! ip link show lt2 && ! ip link show lt4'
	check "$sig: the ports left this namespace" sh -c '! ip link show lt2 >/dev/null 2>&1'
	sleep 1.2
	t=$(date +%s%N)
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	took=$(ms_since "$t")
	cat "$W/out" | sed "s/^/  | /"
	check "$sig: exit 1 ($rc)" test "$rc" = 1
	check "$sig: within 2 s ($took ms)" test "$took" -le 2000
	check "$sig: says so" grep -q "^linktest lt2 lt4: FAIL: interrupted by SIG$sig" "$W/out"
	check "$sig: echoes had been sent (lost, 1 or 2 each way)" grep -Eq '^lt2 -> lt4: 0/1000 replies' "$W/out"
	expect_back "$sig" lt2 lt3 lt4 lt5
}
interrupted TERM
# A background job of a non-interactive shell starts with SIGINT ignored, and an ignored signal
# never reaches a signalfd: give it back its default first (as a terminal's ctrl-c would find it).
if env --default-signal=INT true 2>/dev/null; then
	interrupted INT env --default-signal=INT
else
	echo "  skipped: SIGINT: this env has no --default-signal"
fi

# --- SIGKILL: nothing to catch; the namespaces die with ferry and the kernel destroys the veth
# ends in them (a physical port would return to the initial namespace instead) ------------------
"$FERRY" linktest --count 1000 --timeout 60 lt2 lt4 > "$W/out" 2>&1 &
pid=$!
wait_for 5 sh -c '! ip link show lt2 && ! ip link show lt4'
kill -KILL "$pid"
wait "$pid" 2>/dev/null
check "SIGKILL: the veth pairs are destroyed (lt3 and lt5 gone with their peers)" \
	wait_for 10 sh -c '! ip link show lt3 && ! ip link show lt5'
check "SIGKILL: the cable pair, not in the test, untouched" test "$(link_state lt0)" = "$was_lt0"
net_done
