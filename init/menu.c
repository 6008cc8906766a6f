/* The boot menu (ferry.menu=SECONDS), a job between kexec discovery and the handoff. It shows the
 * entries the kexec job found on every console the kernel writes to (/proc/consoles, else
 * /sys/class/tty/console/active), each in raw mode; the first key on any of them takes over and
 * the others are let go. It runs on the loop like every job: uevents, DHCP renewals and the
 * watchdog go on while it is shown, and a disk that appears adds its entries. The model, the key
 * decoder and the screen are pure (lib/boot/menu.c, lib/core/term.c); this file does the I/O. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include "ferry.h"
#include "kexec.h"
#include "stages.h"
#include "../lib/boot/menu.h"
#include "../lib/core/fileio.h"
#include "../lib/core/term.h"
#include "../lib/core/uevent.h"

#define MENU_CONS 4
/* A lone ESC: nothing followed it within this. A sequence normally comes in one read, but a serial
 * line, a busy host or a terminal multiplexer may split it; ncurses waits 1 s (ESCDELAY), vim 100 ms. */
#define ESC_WAIT_MS 300

static struct con {
	int fd;
	char name[TERM_NAME];
	struct termios saved;
	bool live;
	struct term_dec dec;
	struct term_screen scr;
} cons[MENU_CONS];
static size_t ncons;

/* Zero-initialised (owner is set at the start): an initialised struct with the 30 KiB model in it
 * would sit in the binary's .data. */
static struct {
	struct job *job;
	struct menu m;
	int owner;                 /* the console that took over, -1: none yet */
	bool active, shell;
	struct loop_timer tick, esc;
	char printk[16];           /* the console log level before the menu lowered it */
	bool rescan_asked;         /* r was pressed: the rescan's answer is shown even with no entry */
	char rescan_why[64];       /* the device whose uevent asked for it */
} mu;

static void con_release(struct con *c, const char *why)
{
	if (!c->live)
		return;
	(void)loop_unwatch(loop, c->fd);
	if (why)
		(void)!write(c->fd, why, strlen(why));
	(void)tcsetattr(c->fd, TCSANOW, &c->saved);
	close(c->fd);
	c->live = false;
}

static int con_raw(struct con *c)
{
	struct termios t = c->saved;

	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL | IEXTEN | ISIG);
	t.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR | IXON | IXOFF | ISTRIP | INPCK);
	t.c_cflag &= ~(tcflag_t)CRTSCTS;   /* a write must never wait on a line nobody drives */
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	return tcsetattr(c->fd, TCSANOW, &t) < 0 ? -errno : 0;
}

static void con_write(struct con *c, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(c->fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Send what changed to every console still showing the menu. */
static void menu_show(void)
{
	static char out[8192];
	size_t n = 0;

	if (mu.m.dumb)
		n = menu_dumb_take(&mu.m, out, sizeof(out));
	for (size_t i = 0; i < ncons; i++) {
		struct con *c = &cons[i];
		if (!c->live || (mu.owner >= 0 && (size_t)mu.owner != i))
			continue;
		if (!mu.m.dumb) {
			menu_draw(&mu.m, &c->scr);
			n = term_screen_diff(&c->scr, out, sizeof(out));
			if (n > sizeof(out))
				continue;
		}
		con_write(c, out, n);
	}
}

/* The kernel's console log level, lowered to 1 while the menu is shown (a line printed into the
 * screen would scroll it); ferry's own lines go to kmsg only meanwhile. Restored at the end. */
static void printk_set(const char *level)
{
	int fd = open("/proc/sys/kernel/printk", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	(void)fd_write_all(fd, level, strlen(level));
	close(fd);
}

static void quiet_console(bool on)
{
	char line[64];

	if (on) {
		mu.printk[0] = 0;
		if (file_read_line("/proc/sys/kernel/printk", line, sizeof(line)) == 0 &&
		    sscanf(line, "%15s", mu.printk) == 1)
			printk_set("1");
		log_open("/dev/kmsg", -1);
	} else {
		if (mu.printk[0])
			printk_set(mu.printk);
		log_open("/dev/kmsg", 1);
	}
}

static void menu_end(void)
{
	const char *clear = mu.m.dumb ? "\r\n" : "\033[H\033[2J";

	mu.active = false;
	loop_timer_cancel(loop, &mu.tick);
	loop_timer_cancel(loop, &mu.esc);
	for (size_t i = 0; i < ncons; i++)
		con_release(&cons[i], cons[i].live ? clear : NULL);
	quiet_console(false);
}

static void menu_boot(void)
{
	struct boot_list *l = kexec_entries();
	int idx = mu.m.chosen;
	char t[BOOT_NAME * 4];

	menu_end();
	if (!l || idx < 0) {
		log_info("menu", "no entry chosen: the boot goes on as without a menu");
		job_done(mu.job);
		return;
	}
	if (mu.m.edited)
		snprintf(l->e[idx].options, sizeof(l->e[idx].options), "%s", mu.m.edit_buf);
	kexec_choose(idx);
	log_info("menu", "entry %d \"%s\" chosen%s%s%s", idx, boot_escape(l->e[idx].title, t, sizeof(t)), mu.owner >= 0 ? " on " : " (countdown)",
		 mu.owner >= 0 ? cons[mu.owner].name : "", mu.m.edited ? ", its command line edited" : "");
	job_done(mu.job);
}

/* The entry that boots without a key: ferry.kexec.entry=, else the configuration's default. */
static int menu_first(const struct boot_list *l)
{
	size_t order[BOOT_MAX_ENTRIES];
	int matched;

	return boot_order(l, plan->kexec.entry[0] ? plan->kexec.entry : NULL, order, BOOT_MAX_ENTRIES, &matched) ?
		(int)order[0] : -1;
}

/* The rescan is back (kexec_rescan: its probes ran in bounded children, the menu answering keys
 * meanwhile): its new entries join the list. */
static void menu_rescanned(int added)
{
	struct boot_list *l = kexec_entries();
	bool asked = mu.rescan_asked;

	mu.rescan_asked = false;
	if (!mu.active || !l)
		return;
	if (added > 0 || asked) {
		menu_set_entries(&mu.m, l, menu_first(l));
		menu_say(&mu.m, "%s: %d new entr%s", asked ? "r" : mu.rescan_why, added, added == 1 ? "y" : "ies");
	}
	if (!mu.shell)
		menu_show();
}

static void menu_rescan(const char *why)
{
	int ret;

	if (why)
		snprintf(mu.rescan_why, sizeof(mu.rescan_why), "%s", why);
	else
		mu.rescan_asked = true;
	if ((ret = kexec_rescan(menu_rescanned)) < 0)
		return;
	if (!why && mu.rescan_asked)  /* still out: say so; the answer comes by menu_rescanned */
		menu_say(&mu.m, "r: looking at the disks again...");
}

static void con_readable(void *arg, uint32_t events);

/* The consoles back in raw mode and read by the menu again, the screens drawn whole. */
static void menu_back(void)
{
	mu.shell = false;
	for (size_t i = 0; i < ncons; i++) {
		struct con *c = &cons[i];
		c->scr.valid = false;
		c->dec = (struct term_dec){ 0 };
		if (c->live && (con_raw(c) < 0 || loop_watch(loop, c->fd, EPOLLIN, con_readable, c) < 0)) {
			log_warn("menu", "%s: back to the menu after the shell: %s", c->name, strerror(errno));
			(void)tcsetattr(c->fd, TCSANOW, &c->saved);
			close(c->fd);
			c->live = false;
		}
	}
	quiet_console(true);
	menu_resume(&mu.m);
}

static void shell_done(void *arg, int status)
{
	if (!mu.active)
		return;
	menu_back();
	menu_say(&mu.m, "%s exited (status %d)", plan->shell, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	menu_show();
}

/* The shell's fds 0-2 are the console that took over (PID 1's are /dev/console, the last
 * console= only): swapped in around the fork, PID 1's put back after. */
static int shell_spawn(char *const argv[])
{
	int keep[3], fd = cons[mu.owner >= 0 ? mu.owner : 0].fd, ret;

	for (int i = 0; i < 3; i++)
		keep[i] = fcntl(i, F_DUPFD_CLOEXEC, 3);
	for (int i = 0; i < 3; i++)
		(void)dup2(fd, i);
	ret = child_spawn(argv, shell_done, NULL);
	for (int i = 0; i < 3; i++)
		if (keep[i] >= 0) {
			(void)dup2(keep[i], i);
			close(keep[i]);
		}
	return ret;
}

/* s: ferry.shell= on the console, the menu's own reads stopped (the shell's input is its own) and
 * the terminal as it was; the menu comes back when it exits. */
static void menu_shell(void)
{
	char *argv[] = { plan->shell, NULL };
	int ret;

	if (access(plan->shell, X_OK) < 0) {
		menu_say(&mu.m, "s: %s cannot run: %s", plan->shell, strerror(errno));
		return;
	}
	for (size_t i = 0; i < ncons; i++)
		if (cons[i].live) {
			(void)loop_unwatch(loop, cons[i].fd);
			(void)tcsetattr(cons[i].fd, TCSANOW, &cons[i].saved);
			con_write(&cons[i], "\033[H\033[2J", mu.m.dumb ? 0 : 7);
		}
	mu.shell = true;
	loop_timer_cancel(loop, &mu.esc);
	quiet_console(false);   /* at a shell, the kernel's lines are welcome again */
	if ((ret = shell_spawn(argv)) < 0) {
		menu_back();
		menu_say(&mu.m, "s: starting %s: %s", plan->shell, strerror(-ret));
		return;
	}
	log_info("menu", "%s started from the menu (ferry.shell=); the menu comes back when it exits", plan->shell);
}

static void menu_act(enum menu_action a)
{
	struct boot_list *l = kexec_entries();

	switch (a) {
	case MENU_BOOT:
		menu_boot();
		return;
	case MENU_EDIT:
		if (l && mu.m.edit_idx >= 0)
			menu_edit_begin(&mu.m, l->e[mu.m.edit_idx].options);
		break;
	case MENU_RESCAN:
		menu_rescan(NULL);
		break;
	case MENU_SHELL:
		menu_shell();
		if (mu.shell)
			return;
		break;
	case MENU_REDRAW:
		for (size_t i = 0; i < ncons; i++)
			cons[i].scr.valid = false;
		break;
	case MENU_NONE:
		break;
	}
	menu_show();
}

static void menu_keys(const struct term_key *k, int n)
{
	for (int i = 0; i < n && mu.active && !mu.shell; i++)
		menu_act(menu_key(&mu.m, &k[i]));
}

static void esc_fire(void *arg, uint32_t events)
{
	struct con *c = arg;
	struct term_key k;

	if (mu.active && !mu.shell)
		menu_keys(&k, term_key_flush(&c->dec, &k));
}

/* The first key on a console makes it the menu's; the others are let go with a line saying where. */
static void take_over(size_t i)
{
	char why[96];

	mu.owner = (int)i;
	snprintf(why, sizeof(why), "%sferry: menu: taken over on %s\r\n", mu.m.dumb ? "\r\n" : "\033[H\033[2J",
		 cons[i].name);
	for (size_t j = 0; j < ncons; j++)
		if (j != i)
			con_release(&cons[j], why);
}

static void con_readable(void *arg, uint32_t events)
{
	struct con *c = arg;
	unsigned char buf[64];
	struct term_key k[2];
	ssize_t n = read(c->fd, buf, sizeof(buf));

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			log_warn("menu", "%s: %s: no more input from it", c->name, n ? strerror(errno) : "hung up");
			con_release(c, NULL);
		}
		return;
	}
	if (!mu.active || mu.shell)
		return;
	if (mu.owner < 0)
		take_over((size_t)(c - cons));
	for (ssize_t i = 0; i < n && mu.active && !mu.shell; i++)
		menu_keys(k, term_key_feed(&c->dec, buf[i], k));
	if (mu.active && term_key_pending(&c->dec))
		(void)loop_timer_arm(loop, &mu.esc, ESC_WAIT_MS, esc_fire, c);
}

static void tick_fire(void *arg, uint32_t events)
{
	if (!mu.active)
		return;
	(void)loop_timer_arm(loop, &mu.tick, 1000, tick_fire, NULL);
	if (!mu.shell)
		menu_act(menu_tick(&mu.m));
}

/* A disk that appears while the menu is shown adds its entries. */
static void menu_uevent(const struct uevent *ev, void *arg)
{
	char why[64];

	if (!mu.active || (ev && (!ev->subsystem || strcmp(ev->subsystem, "block") ||
				  (strcmp(ev->action, "add") && strcmp(ev->action, "change")))))
		return;
	snprintf(why, sizeof(why), "/dev/%s", ev && ev->devname ? ev->devname : "?");
	menu_rescan(why);
	if (!mu.shell)
		menu_show();
}

/* Every console the kernel writes to that is a terminal, opened and put in raw mode. */
static size_t cons_open(char *why, size_t wlen)
{
	char names[MENU_CONS][TERM_NAME], *buf = NULL, dev[TERM_NAME + 8];
	size_t len, n = 0;

	if (file_read_all("/proc/consoles", 4096, &buf, &len) == 0)
		n = term_console_names(buf, len, true, names, MENU_CONS);
	free(buf);
	buf = NULL;
	if (!n && file_read_all("/sys/class/tty/console/active", 4096, &buf, &len) == 0)
		n = term_console_names(buf, len, false, names, MENU_CONS);
	free(buf);
	if (!n) {
		strcpy(names[0], "console");
		n = 1;
	}
	ncons = 0;
	snprintf(why, wlen, "no console");
	for (size_t i = 0; i < n; i++) {
		struct con *c = &cons[ncons];
		snprintf(dev, sizeof(dev), "/dev/%.*s", TERM_NAME - 1, names[i]);
		*c = (struct con){ .fd = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC) };
		snprintf(c->name, sizeof(c->name), "%.*s", TERM_NAME - 1, names[i]);
		if (c->fd < 0) {
			snprintf(why, wlen, "%s: %s", dev, strerror(errno));
			continue;
		}
		if (!isatty(c->fd) || tcgetattr(c->fd, &c->saved) < 0) {
			snprintf(why, wlen, "%s is not a terminal", dev);
			close(c->fd);
			continue;
		}
		if (con_raw(c) < 0 || loop_watch(loop, c->fd, EPOLLIN, con_readable, c) < 0) {
			snprintf(why, wlen, "%s: raw mode: %s", dev, strerror(errno));
			(void)tcsetattr(c->fd, TCSANOW, &c->saved);
			close(c->fd);
			continue;
		}
		(void)tcflush(c->fd, TCIFLUSH);  /* what was typed before the menu showed is not a choice */
		c->live = true;
		ncons++;
	}
	return ncons;
}

static int menu_start(struct job *j)
{
	static bool subscribed;
	struct boot_list *l = kexec_entries();
	const char *term = getenv("TERM");
	char why[128], names[64] = "";
	int ret;

	mu.job = j;
	mu.owner = -1;
	if (!l)
		return 0;
	menu_init(&mu.m, plan->menu_s, !term_is_vt100(term), plan->locked);
	menu_set_entries(&mu.m, l, menu_first(l));
	if (!cons_open(why, sizeof(why))) {
		log_info("menu", "%s: no menu, the default boots", why);
		return 0;
	}
	for (size_t i = 0; i < ncons; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? " " : "", cons[i].name);
	log_info("menu", "%zu entr%s on %s (%s), booting %d) in %u s unless a key is pressed", mu.m.n,
		 mu.m.n == 1 ? "y" : "ies", names, mu.m.dumb ? "dumb terminal: a list and a prompt" : "VT100",
		 mu.m.def + 1, plan->menu_s);
	job_mark("menu-shown");
	quiet_console(true);
	mu.active = true;
	if (!subscribed && (ret = uevent_subscribe(menu_uevent, NULL)) < 0)
		log_warn("menu", "uevent socket: %s; new disks only on r", strerror(-ret));
	subscribed = true;
	if ((ret = loop_timer_arm(loop, &mu.tick, 1000, tick_fire, NULL)) < 0) {
		menu_end();
		log_err("menu", "the countdown timer: %s; no menu", strerror(-ret));
		return 0;
	}
	menu_show();
	return JOB_PENDING;
}

static int menu_enabled(void)
{
	return plan->menu_s > 0 && handoff_decide().kexec;
}

struct job job_menu = {
	.name = "menu",
	.after = { "kexec" },
	.start = menu_start,
	.enabled = menu_enabled,
};

void menu_plan(const struct boot_plan *p, FILE *out)
{
	if (!p->menu_s) {
		fprintf(out, "menu: none (ferry.menu=0)\n");
		return;
	}
	fprintf(out, "menu: before the kexec, the bootable entries on every console (VT100, or a list and a prompt "
		"when TERM is dumb or unknown), booting the default after %u s unless a key is pressed%s\n", p->menu_s,
		p->locked ? "; locked: e (edit) and s (shell) refused" : "; e edits an entry's command line, s runs "
		"ferry.shell=");
}
