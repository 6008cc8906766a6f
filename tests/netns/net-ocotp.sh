#!/bin/bash
# MACs from i.MX OCOTP fuses: a fake nvmem file holding the issue's example at 0x90 (i.MX8MP),
# decoded as U-Boot's imx_get_mac_from_fuse and set on a veth before it goes up.
. "$(dirname "$0")/net.lib"
net_init net-ocotp "${1:-build}"

# nvmem bytes at 0x90: ff ee dd cc bb 00 66 55 44 33 22 00
head -c 256 /dev/zero > "$W/nvmem"
printf '\377\356\335\314\273\000\146\125\104\063\042\000' | dd of="$W/nvmem" bs=1 seek=$((0x90)) conv=notrunc 2>/dev/null
cp "$W/nvmem" "$W/nvmem6"
printf '\377\356\335\314\273\000\146\125\104\063\042\000' | dd of="$W/nvmem6" bs=1 seek=$((0x88)) conv=notrunc 2>/dev/null
head -c 256 /dev/zero > "$W/blank"

mac() { cat "/sys/class/net/$1/address" 2>/dev/null || ip link show "$1" | sed -n 's/.*link\/ether \([^ ]*\).*/\1/p'; }
ip link add fo0 type veth peer name fo1
ip link add fo2 type veth peer name fo3
ip link set fo1 up; ip link set fo3 up
ip link set fo2 up    # already up: ferry must take it down for the change
static="ferry.net.timeout=5 ip=10.91.0.2:::255.255.255.0::fo0:off ip=10.92.0.2:::255.255.255.0::fo2:off"

"$FERRY" net --cmdline "$static ferry.ocotp=fo0:MAC0@$W/nvmem:0x90" --run-dir "$W/run" > "$W/out" 2>&1
cat "$W/out"
check "MAC0 on fo0: 00:bb:cc:dd:ee:ff" test "$(ip -br link show fo0 | awk '{print $3}')" = 00:bb:cc:dd:ee:ff
check "the change is logged" grep -q "fo0: MAC 00:bb:cc:dd:ee:ff from OCOTP MAC0" "$W/out"
check "fo0 is up with its address" sh -c "ip -4 -o addr show fo0 | grep -q 10.91.0.2/24 && ip link show fo0 | grep -q ',UP'"
check "lease file has the fused MAC" grep -qx "MAC=00:bb:cc:dd:ee:ff" "$W/run/fo0.lease"

"$FERRY" net --cmdline "$static ferry.ocotp=fo2:MAC1@$W/nvmem:imx8mp" --run-dir "$W/run" > "$W/out" 2>&1
check "MAC1 on fo2 (was up): 00:22:33:44:55:66" test "$(ip -br link show fo2 | awk '{print $3}')" = 00:22:33:44:55:66
check "fo2 is up again" sh -c "ip link show fo2 | grep -q ',UP'"

ip link set fo0 address 02:00:00:00:00:01; ip link set fo2 address 02:00:00:00:00:02
"$FERRY" net --cmdline "$static ferry.ocotp=fo0:MAC0@$W/nvmem ferry.ocotp=fo2:MAC1@$W/nvmem" --run-dir "$W/run" > "$W/out" 2>&1
check "two links at once: MAC0 on fo0" test "$(ip -br link show fo0 | awk '{print $3}')" = 00:bb:cc:dd:ee:ff
check "two links at once: MAC1 on fo2" test "$(ip -br link show fo2 | awk '{print $3}')" = 00:22:33:44:55:66

before=$(ip -br link show fo0 | awk '{print $3}')
ip link set fo0 down
"$FERRY" net --cmdline "$static ferry.ocotp=fo0:MAC1@$W/nvmem6:imx6" --run-dir "$W/run" > "$W/out" 2>&1
check "i.MX6 offset 0x88: MAC1 00:22:33:44:55:66 on fo0" test "$(ip -br link show fo0 | awk '{print $3}')" = 00:22:33:44:55:66

ip link set fo0 address "$before"
"$FERRY" net --cmdline "$static ferry.ocotp=fo0:MAC0@$W/blank" --run-dir "$W/run" > "$W/out" 2>&1
cat "$W/out"
check "blank fuses: MAC left alone" test "$(ip -br link show fo0 | awk '{print $3}')" = "$before"
check "blank fuses: a note says so" grep -q "fo0: MAC0 fuses are blank: MAC left alone" "$W/out"
"$FERRY" net --cmdline "$static ferry.ocotp=fo0:MAC0@$W/missing" --run-dir "$W/run" > "$W/out" 2>&1
check "missing nvmem: still configured (exit 0)" test $? = 0
check "missing nvmem: a warning names the file" grep -q "cannot open $W/missing" "$W/out"
# a FIFO where the nvmem file should be: refused at once (an open would block with no writer)
mkfifo "$W/fifo"
timeout 20 "$FERRY" net --cmdline "$static ferry.ocotp=fo0:MAC0@$W/fifo" --run-dir "$W/run" > "$W/out" 2>&1
check "a FIFO as nvmem: refused, not waited on (exit 0)" test $? = 0
check "a FIFO as nvmem: the warning names it" grep -q "cannot open $W/fifo: Invalid argument" "$W/out"
net_done
