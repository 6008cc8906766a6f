# Netboot over HTTP in the VM: QEMU's user networking (restrict=on: no way out of the guest) forwards
# the guest's connections to 10.0.2.100:80 (guestfwd=...-cmd:) to a small HTTP/1.1 server of this
# test's own (netboot-httpd.py, spawned by QEMU for each connection on that connection's socket, so
# nothing listens on the host). n1: ferry.netboot= an iPXE script over HTTP naming a kernel and two
# initrds (one absolute, one relative to the script); n2: a kernel URL with ferry.netboot.initrd=,
# .append= and a sha256 pin for each file. Each time the second kernel reports its command line.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
kx_images
mkdir -p "$W/www"
cp "$KX_KERNEL" "$W/www/vmlinuz"
cp "$W/target.img" "$W/extra.img" "$W/www/"
cat > "$W/www/boot.ipxe" <<S
#!ipxe
kernel http://10.0.2.100/vmlinuz $KX_OPTS test.entry=http mac=\${net0/mac}
initrd http://10.0.2.100/target.img
initrd extra.img
boot
S
# guestfwd's command is split by libslirp like a shell line; a comma would end QEMU's option.
case "$W$TOP" in *,*|*' '*) skip "netboot-http: a comma or space in $W or $TOP (QEMU's option syntax)"; return 0 ;; esac
cat > "$W/httpd.sh" <<S
#!/bin/sh
exec python3 $TOP/tests/vm/scenarios/netboot-httpd.py $W/www $W/httpd.log
S
chmod +x "$W/httpd.sh"
NIC="user,restrict=on,model=virtio-net-pci,mac=52:54:00:12:34:56,guestfwd=tcp:10.0.2.100:80-cmd:$W/httpd.sh"

vm_boot n1 --initrd "$W/ferry.img" --nic "$NIC" --timeout 300 \
	--append "ferry.netboot=http://10.0.2.100/boot.ipxe ferry.boot=kexec ferry.timeout=2"
expect n1 'ferry: netboot: http://10.0.2.100/boot.ipxe: iPXE script' "HTTP: the script fetched through guestfwd, told apart"
expect n1 'ferry: netboot: http://10.0.2.100/vmlinuz: [0-9]+ bytes in [0-9]+ ms' "... the kernel over HTTP"
expect n1 'ferry: kexec: netboot entry "iPXE script": loading http://10.0.2.100/vmlinuz with 2 initrds' "the netboot entry is loaded"
expect n1 "^KEXEC-CMDLINE $KX_OPTS test.entry=http mac=52:54:00:12:34:56\$" "the second kernel has the script's command line"
expect n1 '^KEXEC-EXTRA second-initrd' "... and both initrds (the relative URL too)"
check '(for f in boot.ipxe vmlinuz target.img extra.img; do grep -q "\"GET /$f HTTP/1.1\" 200" "$W/httpd.log" || exit 1; done)' \
	"the test's server saw a GET of each of the four files"

pk=$(sha256sum "$W/www/vmlinuz" | cut -d' ' -f1)
pi=$(sha256sum "$W/www/target.img" | cut -d' ' -f1)
vm_boot n2 --initrd "$W/ferry.img" --nic "$NIC" --timeout 300 \
	--append "ferry.netboot=http://10.0.2.100/vmlinuz ferry.netboot.initrd=http://10.0.2.100/target.img ferry.netboot.append=test.entry=direct ferry.netboot.pin=sha256:$pk ferry.netboot.pin=sha256:$pi ferry.boot=kexec ferry.timeout=2"
expect n2 'ferry: netboot: http://10.0.2.100/vmlinuz: (a )?kernel' "a kernel URL, told apart by its magic"
expect n2 "http://10.0.2.100/vmlinuz: [0-9]+ bytes, sha256:$pk \\(pinned\\)" "... its pin matches"
expect n2 "http://10.0.2.100/target.img: [0-9]+ bytes, sha256:$pi \\(pinned\\)" "... and the initrd's"
expect n2 '^KEXEC-CMDLINE .*test.entry=direct' "the second kernel has ferry.netboot.append="
