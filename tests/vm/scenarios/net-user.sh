# Network: virtio-net on QEMU user networking (restrict=on: nothing leaves the host). ferry loads
# virtio_net by coldplug, sees the link appear over rtnetlink, gets a lease from QEMU's DHCP
# server and, with ferry.net=required, hands over only once it is configured. A restricted slirp
# offers no router and no DNS (slirp's bootp.c leaves both out), so none may be invented.
cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
ip -4 -o addr show eth0 | grep -q 'inet 10.0.2.15/24' && echo "ADDR ok" > $o
ip route | grep -q '^default' || echo "NOROUTE ok" > $o
ip route show 10.0.2.0/24 | grep -q 'metric 100' && echo "SUBNET ok" > $o
grep -qx 'ADDRESS=10.0.2.15' /run/ferry/net/eth0.lease && echo "LEASE ok" > $o
grep -qx 'ROUTER=' /run/ferry/net/eth0.lease && grep -qx "DNS=''" /run/ferry/net/eth0.lease &&
	grep -qx 'METHOD=dhcp' /run/ferry/net/eth0.lease && echo "LEASEFIELDS ok" > $o
[ -f /run/ferry/net/resolv.conf ] && ! grep -q nameserver /run/ferry/net/resolv.conf && echo "RESOLV ok" > $o
# The handoff came after the net job: its end is no later than the handoff's start.
awk '$1 == "net" { n = $3 } $1 == "handoff" { h = $2 } END { exit !(n && h && n <= h) }' /run/ferry/timeline &&
	echo "ORDER ok" > $o
grep '^net ' /run/ferry/timeline > $o
echo DONE > $o
poweroff -f
T
vm_initramfs "$W/initrd" --init "$W/target"
vm_boot user --initrd "$W/initrd" --nic "user,restrict=on,model=virtio-net-pci" \
	--append "ip=dhcp ferry.net=required ferry.net.timeout=30"
expect user '^ADDR ok' "eth0 has QEMU's lease 10.0.2.15/24"
expect user '^NOROUTE ok' "no router offered (restrict=on): no default route invented"
expect user '^SUBNET ok' "the subnet route carries the metric too"
expect user '^LEASE ok' "/run/ferry/net/eth0.lease survives the handoff"
expect user '^LEASEFIELDS ok' "the lease file says dhcp, no router, no DNS"
expect user '^RESOLV ok' "/run/ferry/net/resolv.conf is written, with no nameserver to name"
expect user '^ORDER ok' "ferry.net=required: the handoff waited for the net job"
expect user 'ferry: net: eth0: 10.0.2.15/24 metric 100 \(ethernet, dhcp\)' "the console shows the lease"
expect user '^DONE' "the target ran to the end"

# No network device at all and ferry.net=required: the bound, a message naming it, the policy.
cat > "$W/target2" <<'T'
#!/bin/sh
echo "HANDOFF-REACHED" > /dev/ttyS1
poweroff -f
T
vm_initramfs "$W/initrd2" --init "$W/target2"
vm_boot nonic --initrd "$W/initrd2" --append "ip=dhcp ferry.net=required ferry.net.timeout=3 ferry.onfail=poweroff"
expect nonic 'ferry: net: not configured after 3 s \(ferry.net.timeout\): no link to configure' \
	"no device: the bound's message says what is missing"
reject nonic 'HANDOFF-REACHED' "the handoff never ran without the required network" 'ferry: policy:'

# ferry.net=optional (the default with ip=): no device, and the handoff does not wait for one.
vm_boot optional --initrd "$W/initrd2" --append "ip=dhcp ferry.onfail=poweroff"
expect optional '^HANDOFF-REACHED' "optional: the handoff runs without a network"
reject optional 'ferry: net: not configured' "optional: no failure reported" '^HANDOFF-REACHED'

# ferry.net.ipv6=auto on slirp's router advertisements (fec0::/64): while ferry runs, the RAs are its
# own (accept_ra_pinfo=0: ferry forms the address and routes); at the handoff they go back to the
# kernel's defaults, so a target without an RA client of its own still has its address renewed.
cat > "$W/target6" <<'T'
#!/bin/sh
o=/dev/ttyS1
c=/proc/sys/net/ipv6/conf/eth0
[ "$(cat $c/accept_ra_pinfo) $(cat $c/autoconf) $(cat $c/accept_ra_defrtr)" = "1 1 1" ] && echo "KERNELRA ok" > $o
grep -q '^ROUTER6=fe80::' /run/ferry/net/eth0.lease && echo "RA ok" > $o
# fec0::/10 is site-local to the kernel (scope site, not global); busybox's ip names no proto
ip -6 -o addr show dev eth0 | grep -q 'inet6 fec0::5054:ff:fe12:3456/64 ' && echo "SLAAC ok" > $o
ip -6 route show fec0::/64 dev eth0 | grep -q ' metric 100 ' && echo "PREFIX ok" > $o
ip -6 route show fec0::/64 dev eth0 > $o
echo DONE > $o
poweroff -f
T
vm_initramfs "$W/initrd6" --init "$W/target6"
vm_boot v6 --initrd "$W/initrd6" --nic "user,restrict=on,model=virtio-net-pci" \
	--append "ip=eth0:auto6 ferry.net=required ferry.net.timeout=20"
expect v6 '^RA ok' "slirp's router advertisement reached ferry (the lease's ROUTER6=)"
expect v6 '^SLAAC ok' "ferry formed the SLAAC address in fec0::/64 (the EUI-64 of 52:54:00:12:34:56)"
expect v6 '^PREFIX ok' "the on-link prefix route at the link's metric (ethernet 100)"
expect v6 '^KERNELRA ok' "after the handoff the link's RAs are the kernel's again (accept_ra_pinfo, autoconf, accept_ra_defrtr = 1)"
expect v6 '^DONE' "the target ran to the end"
