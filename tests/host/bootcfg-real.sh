#!/bin/bash
# Boot configurations written by real tools nobody here wrote, parsed by ferry's code, and the
# right kernel, initrds and options chosen:
#   - Debian's u-boot-menu (u-boot-update) -> /boot/extlinux/extlinux.conf
#   - systemd's kernel-install (90-loaderentry) -> BLS entries
#   - grub-mkconfig (Debian's /etc/grub.d), grub-editenv and grub-reboot -> grub.cfg + grubenv
# The host's /boot is never touched: u-boot-update and grub-mkconfig hard-code /boot, so they run in
# a private mount namespace with a temporary directory bound over /boot (and, for grub-mkconfig, a
# fake grub-probe standing in for the disk it cannot probe). kernel-install takes BOOT_ROOT.
# usage: tests/host/bootcfg-real.sh [BUILD_DIR]   (needs root for unshare -m; apt: u-boot-menu
#        grub-common grub2-common systemd)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$top/build}
pass=0 fail=0
T=$(mktemp -d /tmp/bootcfg-real.XXXXXX)
[ -n "${BOOTCFG_KEEP:-}" ] || trap 'rm -rf "$T"' EXIT

ok()   { pass=$((pass + 1)); echo "ok: $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL: $1"; }
# check FILE REGEX what
check() { if grep -qE -- "$2" "$1"; then ok "$3"; else bad "$3"; echo "--- $1:"; cat "$1"; fi; }
finish() { echo "bootcfg-real: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

if [ "$(id -u)" != 0 ]; then echo "skipped: needs root for unshare -m"; finish; fi
make -C "$top" --no-print-directory "$B/host/libferry.a" >/dev/null || { bad "build libferry"; finish; }
show=$T/bootcfg-show
cc -g -fsanitize=address,undefined -o "$show" "$top/tests/host/bootcfg-show.c" "$B/host/libferry.a" \
	-lblkid -lkeyutils -lz || { bad "build bootcfg-show"; finish; }

fake_kernels() {  # DIR ARCH: two kernel versions with initrds, as Debian names them
	mkdir -p "$1"
	for v in 6.1.0-9 6.1.0-13; do
		echo "kernel $v" > "$1/vmlinuz-$v-$2"
		echo "initrd $v" > "$1/initrd.img-$v-$2"
	done
}

# --- u-boot-update ---------------------------------------------------------------------------------
uboot() {
	if ! command -v u-boot-update >/dev/null; then echo "skipped: u-boot-update missing (apt install u-boot-menu)"; return; fi
	local R=$T/uboot; fake_kernels "$R/boot" arm64
	printf 'U_BOOT_PARAMETERS="ro quiet console=ttyAMA0"\nU_BOOT_ROOT="root=LABEL=rootfs"\nU_BOOT_TIMEOUT="30"\n' > "$T/u-boot.default"
	touch "$T/empty"
	unshare -m --propagation private sh -c '
		mount --bind "$1/boot" /boot && mount --bind "$2" /etc/default/u-boot && u-boot-update' \
		sh "$R" "$T/u-boot.default" > "$T/uboot.log" 2>&1 || { bad "u-boot-update ran"; cat "$T/uboot.log"; return; }
	[ -s "$R/boot/extlinux/extlinux.conf" ] && ok "u-boot-update wrote extlinux.conf" || { bad "extlinux.conf written"; return; }
	"$show" "$R" > "$T/uboot.out" 2>&1
	check "$T/uboot.out" '^kernel: /boot/vmlinuz-6\.1\.0-13-arm64$' "extlinux: newest kernel chosen (DEFAULT l0)"
	check "$T/uboot.out" '^initrd: /boot/initrd\.img-6\.1\.0-13-arm64$' "extlinux: its initrd"
	check "$T/uboot.out" '^cmdline: root=LABEL=rootfs ro quiet console=ttyAMA0$' "extlinux: APPEND as the command line"
	check "$T/uboot.out" 'entry 3 .*rescue target.*single' "extlinux: 4 labels, rescue entries kept as fallbacks"
	"$show" "$R" l1r quiet,console console=ttyS0 > "$T/uboot2.out" 2>&1
	check "$T/uboot2.out" '^kernel: /boot/vmlinuz-6\.1\.0-9-arm64$' "extlinux: ferry.kexec.entry=l1r picks the older rescue label"
	check "$T/uboot2.out" '^cmdline: root=LABEL=rootfs ro single console=ttyS0$' "extlinux: remove and append rules"
	for p in $(sed -n 's/^kernel: //p; s/^initrd: //p' "$T/uboot.out"); do
		[ -f "$R$p" ] || bad "extlinux: $p exists on the fake root"
	done
}

# --- kernel-install --------------------------------------------------------------------------------
kinstall() {
	if ! command -v kernel-install >/dev/null; then echo "skipped: kernel-install missing (apt install systemd)"; return; fi
	local R=$T/esp C=$T/kconf tok=ferrytest
	fake_kernels "$T/src" amd64
	mkdir -p "$R" "$C"
	echo "root=PARTUUID=11111111-2222 rw quiet console=ttyS0" > "$C/cmdline"
	echo "layout=bls" > "$C/install.conf"
	echo "$tok" > "$C/entry-token"
	# The ESP is a filesystem of its own: kernel-install writes paths relative to its mount point.
	unshare -m --propagation private sh -c '
		mkdir -p "$1.mnt" && mount -t tmpfs esp "$1.mnt" && mkdir -p "$1.mnt/loader/entries" || exit 1
		for v in 6.1.0-9-amd64 6.1.0-13-amd64; do
			BOOT_ROOT=$1.mnt KERNEL_INSTALL_CONF_ROOT=$2 \
			KERNEL_INSTALL_PLUGINS=/usr/lib/kernel/install.d/90-loaderentry.install \
				kernel-install add "$v" "$3/vmlinuz-$v" "$3/initrd.img-$v" || exit 1
		done
		cp -a "$1.mnt/." "$1/"' sh "$R" "$C" "$T/src" > "$T/ki.log" 2>&1 ||
		{ bad "kernel-install add"; cat "$T/ki.log"; return; }
	[ -f "$R/loader/entries/$tok-6.1.0-13-amd64.conf" ] && ok "kernel-install wrote BLS entries" ||
		{ bad "kernel-install wrote BLS entries"; ls -R "$R"; return; }
	"$show" "$R" > "$T/ki.out" 2>&1
	check "$T/ki.out" "^kernel: /$tok/6\.1\.0-13-amd64/linux\$" "BLS: newest version first (same sort-key, version descending)"
	check "$T/ki.out" "^initrd: /$tok/6\.1\.0-13-amd64/initrd\.img-6\.1\.0-13-amd64\$" "BLS: its initrd"
	check "$T/ki.out" '^cmdline: root=PARTUUID=11111111-2222 rw quiet console=ttyS0' "BLS: options from /etc/kernel/cmdline"
	"$show" "$R" "$tok-6.1.0-9-amd64" > "$T/ki2.out" 2>&1
	check "$T/ki2.out" "^kernel: /$tok/6\.1\.0-9-amd64/linux\$" "BLS: ferry.kexec.entry=<id> picks the older entry"
	"$show" "$R" 1 > "$T/ki3.out" 2>&1
	check "$T/ki3.out" "^kernel: /$tok/6\.1\.0-9-amd64/linux\$" "BLS: ferry.kexec.entry=1 by index"
	for p in $(sed -n 's/^kernel: //p; s/^initrd: //p' "$T/ki.out"); do
		[ -f "$R$p" ] || bad "BLS: $p exists in BOOT_ROOT"
	done
}

# --- grub-mkconfig ---------------------------------------------------------------------------------
grub() {
	if ! command -v grub-mkconfig >/dev/null; then echo "skipped: grub-mkconfig missing (apt install grub2-common)"; return; fi
	local R=$T/grub uuid=f3c0c8a4-1111-2222-3333-444455556666 probe=$T/grub-probe
	# /boot is a partition of its own here: grub.cfg in /grub, kernels at the top.
	fake_kernels "$R" amd64
	mkdir -p "$R/grub"
	# What the disk would say: / and /boot on one ext4 partition, hd0,gpt2.
	cat > "$probe" <<-EOF
	#!/bin/sh
	for a; do case "\$a" in --target=*) t=\${a#--target=};; esac; done
	case "\$t" in
	device) echo /dev/vda2;; fs_uuid) echo $uuid;; fs) echo ext2;; partmap) echo gpt;;
	abstraction) ;; drive|compatibility_hint) echo "hd0,gpt2";; partuuid) echo 11111111-2222;;
	hints_string) echo "--hint-bios=hd0,gpt2 --hint-efi=hd0,gpt2 --hint-baremetal=ahci0,gpt2";;
	disk) echo /dev/vda;; *) exit 1;;
	esac
	EOF
	chmod +x "$probe"
	mkgrub() {  # GRUB_DEFAULT
		unshare -m --propagation private env GRUB_DEFAULT="$1" GRUB_DISTRIBUTOR=Debian GRUB_CMDLINE_LINUX="console=ttyS0" \
			GRUB_CMDLINE_LINUX_DEFAULT="quiet" GRUB_DISABLE_OS_PROBER=true sh -c '
			mount -t tmpfs boot /boot && cp -a "$1/." /boot/ && mount --bind "$2" /usr/sbin/grub-probe &&
			grub-mkconfig -o /boot/grub/grub.cfg && cp -a /boot/. "$1/"' sh "$R" "$probe" > "$T/grub.log" 2>&1
	}
	mkgrub 0 || { bad "grub-mkconfig ran"; cat "$T/grub.log"; return; }
	grep -q "menuentry 'Debian GNU/Linux'" "$R/grub/grub.cfg" && ok "grub-mkconfig wrote grub.cfg" ||
		{ bad "grub.cfg has the Debian entry"; cat "$R/grub/grub.cfg"; return; }
	"$show" "$R" > "$T/g1.out" 2>&1
	check "$T/g1.out" '^kernel: UUID='$uuid':/vmlinuz-6\.1\.0-13-amd64$' "grub: default=0, newest kernel, device from search --fs-uuid"
	check "$T/g1.out" '^initrd: /initrd\.img-6\.1\.0-13-amd64$' "grub: its initrd"
	check "$T/g1.out" "^cmdline: root=/dev/vda2 ro console=ttyS0 quiet\$" "grub: linux line options"
	check "$T/g1.out" 'entry 4 .*6\.1\.0-9-amd64 \(recovery mode\).*single' "grub: submenu entries listed"
	# GRUB_DEFAULT=saved + grub-set-default's grubenv (written by the real grub-editenv)
	mkgrub saved || { bad "grub-mkconfig (saved) ran"; return; }
	grub-editenv "$R/grub/grubenv" set \
		"saved_entry=gnulinux-advanced-$uuid>gnulinux-6.1.0-9-amd64-advanced-$uuid"
	"$show" "$R" > "$T/g2.out" 2>&1
	check "$T/g2.out" '^kernel: UUID='$uuid':/vmlinuz-6\.1\.0-9-amd64$' "grub: saved_entry (submenu>entry id) from grubenv"
	# grub-reboot: next_entry wins once, by title path
	grub-editenv "$R/grub/grubenv" set "next_entry=Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery mode)"
	"$show" "$R" > "$T/g3.out" 2>&1
	check "$T/g3.out" '^cmdline: root=/dev/vda2 ro single console=ttyS0$' "grub: next_entry by title path (recovery entry)"
	grub-editenv "$R/grub/grubenv" unset next_entry
	"$show" "$R" "gnulinux-6.1.0-13-amd64-advanced-$uuid" > "$T/g4.out" 2>&1
	check "$T/g4.out" '^cmdline: root=/dev/vda2 ro console=ttyS0 quiet$' "grub: ferry.kexec.entry=<menuentry id>"
	if command -v grub-script-check >/dev/null; then
		grub-script-check "$R/grub/grub.cfg" && ok "grub-script-check accepts the config we parsed" ||
			bad "grub-script-check"
	fi
}

uboot
kinstall
grub
finish
