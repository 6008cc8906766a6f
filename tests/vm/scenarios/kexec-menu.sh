# The boot menu (ferry.menu=) on the serial console, typed into by the test: a grub.cfg of three
# entries is listed; `2` boots the second; the countdown boots the default; `e` and an edit change
# the second kernel's command line; with `locked`, e and s are refused and only the file can ask for
# the menu; TERM=dumb gets a list and a prompt without escape codes.
source "$TOP/tests/vm/scenarios/kexec-menu.inc"
kx_images
menu_disk
A="ferry.boot=kexec ferry.kexec.device=LABEL=menudisk"
SHOWN='booting 1\) in [0-9]+ s; any key stops the countdown'

# two consoles (tty0, the VGA text console, is the last: /dev/console): the menu is on both, the
# first key (on ttyS0) takes over
menu_boot m1 --initrd "$W/ferry.img" --disk "$W/menu.img" --append "$A ferry.menu=30 console=tty0" -- \
	"wait:$SHOWN" 'send:2'
expect m1 'ferry: menu: 3 entries on (ttyS0 tty0|tty0 ttyS0) \(VT100\)' "the menu is on every console the kernel writes to"
expect m1 '[ >]\*1\) Debian GNU/Linux   \[grub.cfg on /dev/vda\]' "the entries are listed from 1, the default marked"
# (the diff sends a row from its first changed column: the two spaces before "2)" are not sent)
expect m1 '2\) Debian GNU/Linu\.\.\.57-cloud-amd64 \(recovery mode\)   \[grub\.cfg on /dev/vda\]' \
	"one line per entry: title (its middle cut to fit 80 columns) and where it was found"
expect m1 "$(menu_cmdline two)" "2 boots the second entry at once"
expect m1 'ferry: menu: entry 1 "Debian GNU/Linux, with Linux 6.1.0-57-cloud-amd64 \(recovery mode\)" chosen on ttyS0' \
	"the choice is logged with the console it came from"

menu_boot m2 --initrd "$W/ferry.img" --disk "$W/menu.img" --append "$A ferry.menu=2"
expect m2 'booting 1\) in 2 s' "the countdown is shown"
expect m2 'ferry: menu: entry 0 "Debian GNU/Linux" chosen \(countdown\)' "the countdown ends in the default"
expect m2 "$(menu_cmdline one)" "... which boots"

# Down to the second entry, e, then: three backspaces ("two" gone), "edted", left x3, "i": "edited".
# One escape sequence is sent in two writes (split across the guest's reads).
menu_boot m3 --initrd "$W/ferry.img" --disk "$W/menu.img" --append "$A ferry.menu=30" -- \
	"wait:$SHOWN" 'send:\x1b' 'send:[B' 'send:e' 'wait:Command line of 2\)' \
	'send:\x7f\x7f\x7fedted' 'send:\x1b[D\x1b[D\x1b[D' 'send:i' 'sleep:0.5' 'send:\r'
expect m3 'Command line of 2\) \(the entry.s options\):' "e opens the selected entry's command line"
expect m3 "$(menu_cmdline edited)" "the edit (backspace, left, insert) is the second kernel's command line"
expect m3 'chosen on ttyS0, its command line edited' "the edit is logged"

# locked: the file asks for the menu; the command line's ferry.menu=0 is ignored; e and s refused.
printf 'locked\nferry.boot = kexec\nferry.kexec.device = LABEL=menudisk\nferry.menu = 30\n' > "$W/locked.conf"
vm_initramfs "$W/ferry-locked.img" --conf "$W/locked.conf"
menu_boot m4 --initrd "$W/ferry-locked.img" --disk "$W/menu.img" --append "ferry.menu=0" -- \
	"wait:$SHOWN" 'send:e' 'wait:e \(edit\): refused' 'send:s' 'wait:s \(shell\): refused' 'send:3'
expect m4 'ferry.menu=0 on the command line ignored' "locked: the command line cannot turn the menu off"
expect m4 'e \(edit\): refused: /etc/ferry.conf is locked' "locked: e is refused with a reason"
expect m4 's \(shell\): refused: /etc/ferry.conf is locked' "locked: s is refused with a reason"
expect m4 "$(menu_cmdline three)" "locked: a digit still boots its entry"

# locked, the file without ferry.menu=: the command line cannot ask for one
printf 'locked\nferry.boot = kexec\nferry.kexec.device = LABEL=menudisk\n' > "$W/locked2.conf"
vm_initramfs "$W/ferry-locked2.img" --conf "$W/locked2.conf"
menu_boot m5 --initrd "$W/ferry-locked2.img" --disk "$W/menu.img" --append "ferry.menu=30"
reject m5 'ferry: boot menu' "locked: no menu when only the command line asks" "$(menu_cmdline one)"
expect m5 'ferry.menu=30 on the command line ignored' "... and the word is logged as ignored"

# TERM=dumb: a numbered list and a prompt, no escape codes
menu_boot m6 --initrd "$W/ferry.img" --disk "$W/menu.img" --append "$A ferry.menu=30 TERM=dumb" -- \
	'wait:boot> ' 'send:3'
expect m6 '^ \*1\) Debian GNU/Linux   \[grub.cfg on /dev/vda\]$' "dumb terminal: the list, one entry a line"
expect m6 '^  2\) Debian GNU/Linu\.\.\.57-cloud-amd64 \(recovery mode\)   \[grub\.cfg on /dev/vda\]$' "dumb terminal: ... numbered from 1"
expect m6 "$(menu_cmdline three)" "dumb terminal: 3 boots the third entry"
reject m6 $'\x1b\\[' "dumb terminal: no escape codes" "$(menu_cmdline three)"

# s runs ferry.shell= (busybox sh) on the console that took over; the menu comes back after it
menu_boot m7 --initrd "$W/ferry.img" --disk "$W/menu.img" --append "$A ferry.menu=30" -- \
	"wait:$SHOWN" 'send:s' 'sleep:3' 'send:echo SHELL-$((6*7))\r' 'wait:SHELL-42' 'send:exit\r' \
	'wait:exited \(status 0\)' 'send:2'
expect m7 'ferry: menu: /bin/sh started from the menu' "s starts the shell"
expect m7 '^SHELL-42$' "the shell reads the console and runs what is typed"
expect m7 '/bin/sh exited \(status 0\)' "the menu comes back when the shell exits"
expect m7 "$(menu_cmdline two)" "... and still boots the entry typed after it"
