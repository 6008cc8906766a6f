# A real Debian root (bookworm, minbase + systemd + udev, built with mmdebstrap) as the lower, a tmpfs rw:
# ferry switch_roots into the overlay and Debian's systemd reaches multi-user.target, where a unit
# prints a marker on ttyS1. The root is built once (mmdebstrap, 1-2 min, needs the Debian mirror)
# and cached outside the tree; the scenario then takes about 30 s under TCG. FERRY_VM_DEBIAN=0
# leaves it out.
if [ "${FERRY_VM_DEBIAN:-1}" = 0 ]; then
	skip "root-debian: FERRY_VM_DEBIAN=0"
	return 0
fi
if ! command -v mmdebstrap >/dev/null; then
	skip "root-debian: mmdebstrap is not installed (apt-get install mmdebstrap)"
	return 0
fi
cache=${FERRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ferry}
tarball=$cache/debian-bookworm-udev.tar
mkdir -p "$cache"
if [ ! -s "$tarball" ]; then
	# mmdebstrap picks the output format from the name: keep ".tar" at the end of the temporary one
	mmdebstrap --variant=minbase --include=systemd-sysv,udev --mode=root bookworm "$cache/tmp-$$.tar" \
		>"$W/mmdebstrap.log" 2>&1 && mv "$cache/tmp-$$.tar" "$tarball"
fi
if [ ! -s "$tarball" ]; then
	skip "root-debian: mmdebstrap failed (see $W/mmdebstrap.log)"
	return 0
fi
r=$W/debian
mkdir -p "$r" && tar -C "$r" -xf "$tarball"
cat > "$r/etc/systemd/system/ferry-marker.service" <<'U'
[Unit]
Description=ferry test marker: multi-user reached
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "MULTIUSER $(systemctl is-system-running) $(stat -f -c %%T /)" > /dev/ttyS1; systemctl --no-block poweroff'

[Install]
WantedBy=multi-user.target
U
ln -sf ../ferry-marker.service "$r/etc/systemd/system/multi-user.target.wants/ferry-marker.service"
: > "$r/etc/machine-id"
rm -f "$W/debian.img"; truncate -s 1G "$W/debian.img"
mkfs.ext4 -q -F -L debian -d "$r" "$W/debian.img"
rm -rf "$r"
vm_initramfs "$W/initrd"
vm_boot deb --initrd "$W/initrd" --disk "$W/debian.img" --append "root=LABEL=debian" --timeout 600
expect deb 'switch_root into /newroot, then /sbin/init' "ferry switch_roots into the Debian root"
expect deb 'systemd\[1\]: .*(Debian|systemd 252)' "Debian's systemd runs as PID 1"
expect deb '^MULTIUSER (running|degraded|starting) overlay' "systemd reaches multi-user.target on the overlay root"
reject deb 'Freezing execution|Failed to mount API filesystems' "systemd accepts the tree ferry hands over" '^MULTIUSER'
