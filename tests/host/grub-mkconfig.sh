#!/bin/bash
# grub.cfg files written by Debian's real grub-mkconfig (/etc/grub.d 00_header and 10_linux) from a
# fake /boot and several /etc/default/grub settings, read by `ferry plan ... ferry.kexec.device=DIR`:
# the entry it chooses, its kernel, initrd and command line must be the ones GRUB would boot.
#   - submenus on (GRUB_DEFAULT=0: the top entry, newest kernel) and off (GRUB_DISABLE_SUBMENU=y,
#     GRUB_DEFAULT=2: the older kernel's normal entry, counted in the flat menu)
#   - GRUB_DISABLE_RECOVERY=true with GRUB_DEFAULT="1>1" (submenu index 1, entry 1: no recovery entries)
#   - GRUB_DEFAULT=saved with saved_entry written by the real grub-editenv (submenu>entry ids)
#   - Ubuntu's build of the same 10_linux (vt_handoff=1 quick_boot=1 ...): the gfxmode function sets
#     vt_handoff, so vt.handoff=7 is on the command line; with recordfail=1 in grubenv it is not
#   - a search that cannot be decided at plan time is said in the plan
# The host's /boot, /etc/default and /etc/grub.d are never touched: grub-mkconfig runs in a private
# mount namespace with temporary directories mounted over them (and a fake grub-probe standing in
# for the disk it cannot probe).
# usage: tests/host/grub-mkconfig.sh [BUILD_DIR]   (needs root for unshare -m; apt: grub-common)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=$(cd "${1:-$top/build}" && pwd)
F=$B/ferry
pass=0 fail=0
T=$(mktemp -d /tmp/grub-mkconfig.XXXXXX)
[ -n "${GRUBMK_KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
. "$top/tests/ci.inc"

ok()   { pass=$((pass + 1)); echo "ok: $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL: $1"; }
finish() { echo "grub-mkconfig: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

if [ "$(id -u)" != 0 ]; then ci_cannot_run grub-mkconfig "needs root for unshare -m"; exit $?; fi
if ! command -v grub-mkconfig >/dev/null || ! command -v grub-editenv >/dev/null || [ ! -f /etc/grub.d/10_linux ]; then
	ci_cannot_run grub-mkconfig "grub-mkconfig, grub-editenv or /etc/grub.d/10_linux missing (apt install grub-common)"
	exit $?
fi
[ -x "$F" ] || { bad "$F missing: run make"; finish; }

uuid=f3c0c8a4-1111-2222-3333-444455556666
R=$T/boot
mkdir -p "$R/grub"
for v in 6.1.0-9 6.1.0-13; do
	echo "kernel $v" > "$R/vmlinuz-$v-amd64"
	echo "initrd $v" > "$R/initrd.img-$v-amd64"
done
# What the disk would say: / and /boot on one ext4 partition, hd0,gpt2.
cat > "$T/grub-probe" <<EOF
#!/bin/sh
for a; do case "\$a" in --target=*) t=\${a#--target=};; esac; done
case "\$t" in
device) echo /dev/vda2;; fs_uuid) echo $uuid;; fs) echo ext2;; partmap) echo gpt;;
abstraction) ;; drive|compatibility_hint) echo "hd0,gpt2";; partuuid) echo 11111111-2222;;
hints_string) echo "--hint-bios=hd0,gpt2 --hint-efi=hd0,gpt2 --hint-baremetal=ahci0,gpt2";;
disk) echo /dev/vda;; *) exit 1;;
esac
EOF
chmod +x "$T/grub-probe"

# mkgrub NAME FLAVOUR SETTINGS...: /etc/default/grub of those lines, /etc/grub.d of 00_header and
# 10_linux (FLAVOUR ubuntu: as Ubuntu builds them); grub.cfg into $R/grub, copied to $T/NAME.cfg.
mkgrub() {
	local name=$1 flavour=$2; shift 2
	rm -rf "$T/default" "$T/grub.d" && mkdir -p "$T/default" "$T/grub.d"
	{ echo 'GRUB_DISTRIBUTOR=Debian'; echo 'GRUB_CMDLINE_LINUX="console=ttyS0"'
	  echo 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"'; echo 'GRUB_DISABLE_OS_PROBER=true'; printf '%s\n' "$@"; } > "$T/default/grub"
	cp /etc/grub.d/00_header /etc/grub.d/10_linux "$T/grub.d/"
	if [ "$flavour" = ubuntu ]; then
		sed -i 's/^\(ubuntu_recovery\|quiet_boot\|quick_boot\|gfxpayload_dynamic\|vt_handoff\)="0"/\1="1"/' \
			"$T/grub.d/10_linux" "$T/grub.d/00_header"
	fi
	rm -f "$R/grub/grub.cfg"
	unshare -m --propagation private sh -c '
		mount -t tmpfs boot /boot && cp -a "$1/." /boot/ && mount --bind "$2/grub-probe" /usr/sbin/grub-probe &&
		mount --bind "$2/default" /etc/default && mount --bind "$2/grub.d" /etc/grub.d &&
		grub-mkconfig -o /boot/grub/grub.cfg && cp -a /boot/grub/grub.cfg "$1/grub/"' sh "$R" "$T" > "$T/$name.log" 2>&1 ||
		{ bad "$name: grub-mkconfig ran"; sed 's/^/  | /' "$T/$name.log" | tail -20; return 1; }
	cp "$R/grub/grub.cfg" "$T/$name.cfg"
	if command -v grub-script-check >/dev/null && ! grub-script-check "$R/grub/grub.cfg"; then
		bad "$name: grub-script-check accepts what grub-mkconfig wrote"; return 1
	fi
	return 0
}

# plan NAME: ferry plan over $R; the chosen entry's line in $T/NAME.entry, its command line in .cmdline
plan() {
	timeout 20 "$F" plan --cmdline "ferry.boot=kexec ferry.kexec.device=$R" > "$T/$1.plan" 2>&1
	local n
	n=$(sed -n 's/^kexec:   order: \([0-9]*\).*/\1/p' "$T/$1.plan")
	grep -E "^kexec:   entry $n( \(default\))? \[" "$T/$1.plan" > "$T/$1.entry"
	sed -n "s/^kexec:   command line of entry $n: //p" "$T/$1.plan" > "$T/$1.cmdline"
	[ -n "$n" ] && [ -s "$T/$1.entry" ]
}

# expect NAME WHAT KERNEL INITRD CMDLINE: the plan's choice is GRUB's
expect() {
	local name=$1 what=$2 k=$3 i=$4 c=$5
	if ! plan "$name"; then bad "$name: $what: no entry chosen"; sed 's/^/  | /' "$T/$name.plan"; return; fi
	if grep -qF "linux=UUID=$uuid:$k initrd=$i options=" "$T/$name.entry" && [ "$(cat "$T/$name.cmdline")" = "$c" ]; then
		ok "$name: $what"
	else
		bad "$name: $what: wanted $k $i \"$c\""
		sed 's/^/  | /' "$T/$name.entry" "$T/$name.cmdline"
	fi
}

v13=/vmlinuz-6.1.0-13-amd64 i13=/initrd.img-6.1.0-13-amd64 v9=/vmlinuz-6.1.0-9-amd64 i9=/initrd.img-6.1.0-9-amd64

if mkgrub submenus debian 'GRUB_DEFAULT=0'; then
	grep -q "^submenu 'Advanced options for Debian GNU/Linux'" "$T/submenus.cfg" && ok "submenus: grub-mkconfig wrote a submenu" ||
		bad "submenus: a submenu in grub.cfg"
	expect submenus "GRUB_DEFAULT=0 is the top entry, the newest kernel" $v13 $i13 "root=/dev/vda2 ro console=ttyS0 quiet"
	grep -q "not decided at plan time: /grub/grub.cfg:[0-9]*: search --fs-uuid $uuid: cannot be decided here" "$T/submenus.plan" &&
		ok "submenus: the entry's search --fs-uuid cannot be decided at plan time, and the plan says so" ||
		bad "submenus: the undecided search is said"
	n=$(grep -c '^kexec:   entry [0-9]' "$T/submenus.plan")
	[ "$(grep -c '^kexec:   entry [0-9]* \(.default. \)\?\[grub\]' "$T/submenus.plan")" = 5 ] &&
		ok "submenus: 5 entries (1 top, 2 kernels x normal+recovery in the submenu)" || bad "submenus: 5 entries ($n lines)"
fi

if mkgrub flat debian 'GRUB_DEFAULT=2' 'GRUB_DISABLE_SUBMENU=y'; then
	grep -q "^submenu" "$T/flat.cfg" && bad "flat: no submenu" || ok "flat: no submenu written"
	expect flat "GRUB_DISABLE_SUBMENU=y, GRUB_DEFAULT=2: the older kernel's normal entry" $v9 $i9 \
		"root=/dev/vda2 ro console=ttyS0 quiet"
fi

if mkgrub norecovery debian 'GRUB_DEFAULT="1>1"' 'GRUB_DISABLE_RECOVERY=true'; then
	grep -q "recovery mode" "$T/norecovery.cfg" && bad "norecovery: no recovery entry" || ok "norecovery: no recovery entry written"
	expect norecovery "GRUB_DISABLE_RECOVERY=true, GRUB_DEFAULT=1>1: the submenu's second entry is the older kernel" \
		$v9 $i9 "root=/dev/vda2 ro console=ttyS0 quiet"
fi

if mkgrub saved debian 'GRUB_DEFAULT=saved' 'GRUB_SAVEDEFAULT=true'; then
	expect saved "GRUB_DEFAULT=saved, no grubenv: entry 0" $v13 $i13 "root=/dev/vda2 ro console=ttyS0 quiet"
	grub-editenv "$R/grub/grubenv" create
	grub-editenv "$R/grub/grubenv" set "saved_entry=gnulinux-advanced-$uuid>gnulinux-6.1.0-9-amd64-recovery-$uuid"
	expect saved "grub-editenv saved_entry=submenu>entry ids: the older recovery entry" $v9 $i9 "root=/dev/vda2 ro single console=ttyS0"
	grub-editenv "$R/grub/grubenv" set "next_entry=Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux 6.1.0-13-amd64"
	expect saved "next_entry (grub-reboot) wins over saved_entry, by titles" $v13 $i13 "root=/dev/vda2 ro console=ttyS0 quiet"
	rm -f "$R/grub/grubenv"
fi

if mkgrub ubuntu ubuntu 'GRUB_DEFAULT=0' 'GRUB_CMDLINE_LINUX_DEFAULT="quiet splash"'; then
	grep -q 'set vt_handoff=vt.handoff=7' "$T/ubuntu.cfg" && grep -q 'gfxmode \$linux_gfx_mode' "$T/ubuntu.cfg" &&
		ok "ubuntu: grub.cfg has the gfxmode function and its calls" || bad "ubuntu: gfxmode in grub.cfg"
	expect ubuntu "gfxmode keep sets vt_handoff: vt.handoff=7 on the command line" $v13 $i13 \
		"root=/dev/vda2 ro console=ttyS0 quiet splash vt.handoff=7"
	grub-editenv "$R/grub/grubenv" create
	grub-editenv "$R/grub/grubenv" set recordfail=1
	expect ubuntu "recordfail=1 in grubenv: linux_gfx_mode=text, no vt.handoff" $v13 $i13 \
		"root=/dev/vda2 ro console=ttyS0 quiet splash"
	rm -f "$R/grub/grubenv"
fi
finish
