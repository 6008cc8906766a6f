#!/bin/bash
# `ferry netboot --cmdline` (the netboot job's resolution, without the kexec) after a real lease
# from dnsmasq: iPXE scripts over TFTP and HTTP (variables from the lease, relative names, chains),
# the pxelinux search order, a kernel URL with ferry.netboot.initrd=, pins that match and pins that
# do not, a script that chains to itself, a refused command, and locked without pins.
. "$(dirname "$0")/net.lib"
net_init netboot-session "${1:-build}"

for tool in dnsmasq python3 sha256sum; do
	command -v $tool >/dev/null || { echo "skipped: netboot-session: no $tool"; echo "netboot-session: 0 passed, 0 failed"; exit 0; }
done
srv_ns S
veth nb0 sb0 "$S" 10.72.0.1/24
T=$W/tftp
mkdir -p "$T/pxelinux.cfg" "$T/x86_64" "$W/www"
# A kernel ferry recognises by its magic (an x86 bzImage header), and two initrds.
python3 -c "
import sys
b = bytearray(b'\0' * 0x4000)
b[0x1fe:0x200] = b'\x55\xaa'; b[0x202:0x206] = b'HdrS'
b[0x1000:] = bytes((i * 13) & 0xff for i in range(0x3000))
sys.stdout.buffer.write(b)" > "$T/x86_64/vmlinuz"
head -c 300000 /dev/urandom > "$T/x86_64/initrd.img"
head -c 5000 /dev/urandom > "$T/extra.cpio"
cp "$T/x86_64/vmlinuz" "$T/x86_64/initrd.img" "$W/www/"
cat > "$T/boot.ipxe" <<'EOF'
#!ipxe
# as generated scripts write them
isset ${net0/ip} || dhcp
set base tftp://${next-server}/${buildarch}
echo netbooting ${net0/mac} from ${base}
kernel ${base}/vmlinuz console=ttyS0 BOOTIF=01-${net0/mac:hexhyp}
initrd ${base}/initrd.img
initrd ../extra.cpio
boot || goto failed
:failed
shell
EOF
cat > "$W/www/one.ipxe" <<'EOF'
#!ipxe
chain two.ipxe
EOF
cat > "$W/www/two.ipxe" <<'EOF'
#!ipxe
chain --autofree http://10.72.0.1:8000/vmlinuz from=chain
EOF
printf '#!ipxe\nchain self.ipxe\n' > "$W/www/self.ipxe"
printf '#!ipxe\ndhcp\nmenu Choose\nitem a A\n' > "$W/www/menu.ipxe"
printf 'this is not a boot file\n' > "$W/www/junk"
# pxelinux: only the address in hex shortened to 4 digits (10.72 = 0A48) exists, and default.
printf 'DEFAULT net\nLABEL net\n  KERNEL x86_64/vmlinuz\n  INITRD x86_64/initrd.img,extra.cpio\n  APPEND console=ttyS0 from=pxelinux\n' > "$T/pxelinux.cfg/0A48"
printf 'DEFAULT wrong\nLABEL wrong\n  KERNEL wrong\n' > "$T/pxelinux.cfg/default"

dnsmasq_on "$S" sb0 10.72.0.10 10.72.0.20 10.72.0.1 --enable-tftp --tftp-root="$T" --dhcp-boot=boot.ipxe ||
	bad "dnsmasq did not start"
bg ip netns exec "$S" sh -c "exec python3 -m http.server --bind 10.72.0.1 --directory $W/www 8000 2>$W/http.log"
wait_for 5 ip netns exec "$S" sh -c "ss -ltn | grep -q 10.72.0.1:8000" || bad "http.server did not start"
"$FERRY" net --cmdline "ip=:::::nb0:dhcp ferry.net.timeout=10" --run-dir "$W/run" > "$W/net.out" 2>&1 ||
	{ cat "$W/net.out"; bad "no lease"; }
MAC=$(ip -br link show nb0 | awk "{print \$3}")

nb() { rm -rf "$W/o"; mkdir -p "$W/o"; timeout -k 2 60 "$FERRY" netboot --run-dir "$W/run" --out "$W/o" --cmdline "$*" > "$W/out" 2>&1; rc=$?; sed 's/^/    /' "$W/out" | tail -12; [ -e "$W/o/cmdline" ] && echo "    cmdline: $(cat "$W/o/cmdline")"; return $rc; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

echo "iPXE over TFTP"
check "exit 0" nb ferry.netboot=tftp://10.72.0.1/boot.ipxe ferry.netboot.append=quiet
check "  told apart: an iPXE script" grep -q "boot.ipxe: iPXE script" "$W/out"
check "  the kernel" cmp "$T/x86_64/vmlinuz" "$W/o/kernel"
check "  both initrds, the relative one resolved" sh -c "cmp $T/x86_64/initrd.img $W/o/initrd0 && cmp $T/extra.cpio $W/o/initrd1"
check "  the command line from the lease's MAC, plus .append" grep -qx "console=ttyS0 BOOTIF=01-${MAC//:/-} quiet" "$W/o/cmdline"
check "  the echo logged" grep -q "echo: netbooting $MAC from tftp://10.72.0.1/x86_64" "$W/out"

echo "ferry.netboot=dhcp: the lease's boot file (dnsmasq --dhcp-boot)"
check "the lease file has it" sh -c "grep -qx 'NEXT_SERVER=10.72.0.1' $W/run/nb0.lease && grep -Eqx \"BOOTFILE='?boot.ipxe'?\" $W/run/nb0.lease"
check "exit 0" nb ferry.netboot=dhcp
check "  tftp://NEXT_SERVER/BOOTFILE" grep -q "the lease's boot file (nb0): tftp://10.72.0.1/boot.ipxe" "$W/out"
check "  the same entry as the URL's" cmp "$T/x86_64/vmlinuz" "$W/o/kernel"

echo "iPXE over HTTP, two chains, to a kernel"
check "exit 0" nb ferry.netboot=http://10.72.0.1:8000/one.ipxe
check "  the kernel from the last chain" cmp "$W/www/vmlinuz" "$W/o/kernel"
check "  its arguments from the chain line" grep -qx "from=chain" "$W/o/cmdline"
nb ferry.netboot=http://10.72.0.1:8000/self.ipxe; rc=$?
check "a script that chains to itself: exit 1, named" sh -c "test $rc = 1 && grep -q 'more than 4 chains' $W/out"
nb ferry.netboot=http://10.72.0.1:8000/menu.ipxe; rc=$?
check "menu: refused by name with file and line" sh -c "test $rc = 1 && grep -q 'menu.ipxe:3: menu: not supported' $W/out"
nb ferry.netboot=http://10.72.0.1:8000/junk; rc=$?
check "neither script, config nor kernel: exit 1, named" sh -c "test $rc = 1 && grep -q 'neither an iPXE script' $W/out"

echo "pxelinux search order over TFTP"
check "exit 0" nb ferry.netboot=tftp://10.72.0.1/
check "  01-MAC tried first, then the hex address shortened to 0A48" sh -c "grep -q 'pxelinux.cfg/01-${MAC//:/-}' $W/out && grep -q 'pxelinux.cfg/0A48: pxelinux config' $W/out && ! grep -q 'pxelinux.cfg/default' $W/out"
check "  the kernel and initrds relative to the boot directory" sh -c "cmp $T/x86_64/vmlinuz $W/o/kernel && cmp $T/x86_64/initrd.img $W/o/initrd0 && cmp $T/extra.cpio $W/o/initrd1"
check "  APPEND" grep -qx "console=ttyS0 from=pxelinux" "$W/o/cmdline"

echo "a kernel URL"
check "exit 0" nb ferry.netboot=http://10.72.0.1:8000/vmlinuz ferry.netboot.initrd=http://10.72.0.1:8000/initrd.img,tftp://10.72.0.1/extra.cpio 'ferry.netboot.append="root=/dev/ram0 rw"'
check "  told apart: a kernel" grep -q "vmlinuz: kernel" "$W/out"
check "  .initrd= over both transports" sh -c "cmp $W/www/initrd.img $W/o/initrd0 && cmp $T/extra.cpio $W/o/initrd1"
check "  .append=" grep -qx "root=/dev/ram0 rw" "$W/o/cmdline"

echo "pins"
P="ferry.netboot.pin=sha256:$(sha "$T/boot.ipxe") ferry.netboot.pin=sha256:$(sha "$T/x86_64/vmlinuz") ferry.netboot.pin=sha256:$(sha "$T/x86_64/initrd.img")"
check "every file pinned: exit 0" nb ferry.netboot=tftp://10.72.0.1/boot.ipxe $P ferry.netboot.pin=sha256:$(sha "$T/extra.cpio")
check "  each logged as pinned" test "$(grep -c '(pinned)' "$W/out")" = 4
nb ferry.netboot=tftp://10.72.0.1/boot.ipxe $P; rc=$?
check "one file without its pin: exit 1, refused by name" sh -c "test $rc = 1 && grep -q 'extra.cpio: sha256:$(sha "$T/extra.cpio") matches no ferry.netboot.pin=: refused' $W/out"
check "  nothing written out" test ! -e "$W/o/kernel"
printf 'locked\nferry.netboot = tftp://10.72.0.1/boot.ipxe\n' > "$W/locked.conf"
"$FERRY" netboot --run-dir "$W/run" --config "$W/locked.conf" --cmdline "ferry.netboot.pin=sha256:$(sha "$T/boot.ipxe")" > "$W/out" 2>&1; rc=$?
check "locked, pins only on the command line: refused" sh -c "test $rc = 1 && grep -q 'locked and no ferry.netboot.pin= in the config' $W/out"
printf 'locked\nferry.netboot = http://10.72.0.1:8000/vmlinuz\nferry.netboot.pin = sha256:%s\n' "$(sha "$W/www/vmlinuz")" > "$W/locked.conf"
"$FERRY" netboot --run-dir "$W/run" --config "$W/locked.conf" --cmdline "" > "$W/out" 2>&1; rc=$?
check "locked with the file's pin: exit 0" test "$rc" = 0
net_done
