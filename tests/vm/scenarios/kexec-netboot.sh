# Netboot: QEMU's user networking hands out the boot file by DHCP (bootfile=, siaddr 10.0.2.2) and
# serves it over TFTP; ferry.netboot=dhcp fetches the iPXE script, then the kernel and two initrds it
# names, into memfds, and kexecs them: the second kernel reports its command line (with the MAC the
# script put in) and the second initrd. A pin that matches nothing refuses the netboot by name, and
# the disk's entry boots instead.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
kx_images
kx_extlinux_disk
mkdir -p "$W/tftp"
cp "$KX_KERNEL" "$W/tftp/vmlinuz"
cp "$W/target.img" "$W/extra.img" "$W/tftp/"
cat > "$W/tftp/boot.ipxe" <<S
#!ipxe
isset \${net0/ip} || dhcp
kernel tftp://\${next-server}/vmlinuz $KX_OPTS test.entry=netboot mac=\${net0/mac}
initrd target.img
initrd extra.img
boot
S
NIC="user,restrict=on,model=virtio-net-pci,mac=52:54:00:12:34:56,tftp=$W/tftp,bootfile=boot.ipxe"

vm_boot n1 --initrd "$W/ferry.img" --nic "$NIC" --append "ferry.netboot=dhcp ferry.boot=kexec ferry.timeout=2" --timeout 300
expect n1 "ferry: netboot: the lease's boot file \(eth0\): tftp://10.0.2.2/boot.ipxe" "the boot file from QEMU's DHCP (siaddr + file)"
expect n1 'ferry: netboot: tftp://10.0.2.2/boot.ipxe: iPXE script' "... told apart: an iPXE script"
expect n1 'ferry: kexec: netboot entry "iPXE script": loading tftp://10.0.2.2/vmlinuz with 2 initrds' "the netboot entry is loaded"
expect n1 "^KEXEC-CMDLINE $KX_OPTS test.entry=netboot mac=52:54:00:12:34:56\$" "the second kernel has the script's command line"
expect n1 '^KEXEC-EXTRA second-initrd' "... and both initrds"

vm_boot n2 --initrd "$W/ferry.img" --nic "$NIC" --disk "$W/disk.img" --timeout 300 \
	--append "ferry.netboot=dhcp ferry.boot=kexec ferry.netboot.pin=sha256:$(printf '0%.0s' $(seq 64))"
expect n2 'boot.ipxe: sha256:[0-9a-f]{64} matches no ferry.netboot.pin=: refused' "a file without its pin: refused by name"
expect n2 "^KEXEC-CMDLINE $KX_OPTS test.entry=good\$" "... and the disk's entry boots instead"
