# ferry.linktest=eth0,eth1 at boot: two virtio-net ports on one QEMU hub (the cable: nothing of the
# host's, a hub joins only its own ports), the echoes across it, /run/ferry/linktest sourced by the
# target; then each port on a hub of its own (no cable), and a port that never appears. A failed
# test is the target's to read, not a failed boot: the handoff runs each time.
cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
if . /run/ferry/linktest; then
	echo "RESULT $LINKTEST $LINKTEST_IFACE1 $LINKTEST_IFACE2 count=$LINKTEST_COUNT received=$LINKTEST_RECEIVED lost=$LINKTEST_LOST" > $o
	echo "RTT $LINKTEST_RTT_US" > $o
	echo "ONE $LINKTEST_1TO2" > $o
	echo "REASON $LINKTEST_REASON" > $o
fi
for i in eth0 eth1; do
	ip -o link show $i > /dev/null 2>&1 && echo "BACK $i $(cat /sys/class/net/$i/operstate)" > $o
done
ip -4 addr show | grep -q 169.254.77 || echo "NOADDR ok" > $o
awk '$1 == "linktest" { l = $3 } $1 == "handoff" { h = $2 } END { exit !(l && h && l <= h) }' /run/ferry/timeline &&
	echo "ORDER ok" > $o
echo DONE > $o
poweroff -f
T
vm_initramfs "$W/initrd" --init "$W/target"
port() { echo "-netdev hubport,id=p$1,hubid=$2 -device virtio-net-pci,netdev=p$1,mac=52:54:00:77:00:0$1"; }

vm_boot cable --initrd "$W/initrd" --qemu "$(port 1 0) $(port 2 0)" \
	--append "ferry.linktest=eth0,eth1 ferry.linktest.count=3"
expect cable '^RESULT pass eth0 eth1 count=3 received=6 lost=0$' "a cable: every echo back, in the file the target sources"
expect cable '^RTT [0-9]+/[0-9]+/[0-9]+$' "... with the round-trip times"
expect cable '^ONE eth0 -> eth1: 3/3 replies, 0% loss, rtt min/avg/max [0-9]+/[0-9]+/[0-9]+ us$' "... and each direction's line"
expect cable 'ferry: linktest: eth0 eth1: pass, 6/6 replies in [0-9]+ ms' "the console shows the summary"
expect cable '^BACK eth0 down$' "eth0 is back under its name, down as it was found"
expect cable '^BACK eth1 down$' "eth1 too"
expect cable '^NOADDR ok' "no test address left behind"
expect cable '^ORDER ok' "the handoff came after the test"

vm_boot nocable --initrd "$W/initrd" --qemu "$(port 1 0) $(port 2 1)" \
	--append "ferry.linktest=eth0,eth1 ferry.linktest.count=2 ferry.linktest.timeout=4 ip=eth1:dhcp"
expect nocable '^RESULT fail eth0 eth1 count=2 received=0 lost=4$' "no cable: the file says fail, every echo lost"
expect nocable '^REASON 4 of 4 echoes lost' "... and why"
expect nocable 'ferry: linktest: eth0 eth1: FAIL: 4 of 4 echoes lost' "the console names the failure"
expect nocable '^BACK eth0 down$' "the ports are back"
expect nocable '^BACK eth1 up$' "ip=eth1:dhcp: net takes eth1 up once the test has given it back"
expect nocable '^DONE' "the boot goes on to the target"

vm_boot oneport --initrd "$W/initrd" --qemu "$(port 1 0)" \
	--append "ferry.linktest=eth0,eth1 ferry.linktest.timeout=3"
expect oneport '^REASON eth1: no such interface \(not there within the bound\)$' "a port that never appears: named"
expect oneport 'ferry: linktest: waiting for eth1 to appear' "... after waiting for it"
expect oneport '^DONE' "... and the boot goes on"

vm_boot badconf --initrd "$W/initrd" --qemu "$(port 1 0) $(port 2 0)" --append "ferry.linktest=eth0,eth0 ferry.onfail=poweroff"
expect badconf 'ferry: config: command line: ferry.linktest=eth0,eth0: eth0 given twice: the test needs two different interfaces' \
	"a bad ferry.linktest= is named with its value"
reject badconf '^RESULT' "... and the failure policy runs, no test" 'ferry: policy: '

