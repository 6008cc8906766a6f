# From ferry, kexec through Boot Loader Specification entries (/loader/entries on a $BOOT partition
# of its own): the newest version sorts first; two initrds are concatenated into one; an entry
# chosen by id with ferry.kexec.entry=.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
kx_images
tok=0123456789abcdef0123456789abcdef
mkdir -p "$W/disk/loader/entries" "$W/disk/$tok/6.1.0-2" "$W/disk/$tok/6.1.0-10"
for v in 6.1.0-2 6.1.0-10; do
	cp "$KX_KERNEL" "$W/disk/$tok/$v/linux"
	cp "$W/target.img" "$W/disk/$tok/$v/initrd.img"
done
cp "$W/extra.img" "$W/disk/$tok/6.1.0-10/extra.img"
cat > "$W/disk/loader/entries/$tok-6.1.0-2.conf" <<X
title      Debian GNU/Linux 12 (bookworm)
version    6.1.0-2
machine-id $tok
sort-key   debian
options    $KX_OPTS test.fmt=bls-old
linux      /$tok/6.1.0-2/linux
initrd     /$tok/6.1.0-2/initrd.img
X
cat > "$W/disk/loader/entries/$tok-6.1.0-10.conf" <<X
title      Debian GNU/Linux 12 (bookworm)
version    6.1.0-10
machine-id $tok
sort-key   debian
options    $KX_OPTS
options    test.fmt=bls
linux      /$tok/6.1.0-10/linux
initrd     /$tok/6.1.0-10/initrd.img
initrd     /$tok/6.1.0-10/extra.img
X
mkdisk_ext4 "$W/disk.img" "$W/disk" 64 esp

vm_boot b1 --initrd "$W/ferry.img" --disk "$W/disk.img" --append "ferry.boot=kexec" --timeout 180
expect b1 'ferry: kexec: /dev/vda: /loader/entries: 2 entries' "BLS entries found"
expect b1 'entry 0 \(default\) .*version=6.1.0-10' "version 6.1.0-10 sorts before 6.1.0-2"
expect b1 '^KEXEC-CMDLINE console=ttyS0 panic=-1 test.fmt=bls$' "repeated options lines joined"
expect b1 '^KEXEC-EXTRA second-initrd' "two initrds concatenated into one"

vm_boot b2 --initrd "$W/ferry.img" --disk "$W/disk.img" --append "ferry.boot=kexec ferry.kexec.entry=$tok-6.1.0-2" --timeout 180
expect b2 '^KEXEC-CMDLINE .*test.fmt=bls-old$' "ferry.kexec.entry=<id> picks the older entry"
reject b2 '^KEXEC-EXTRA' "... with its single initrd" '^KEXEC-DONE'
