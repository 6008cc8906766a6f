/* What a failure means: ferry.onfail= (default halt). Applied once, for the first failure; later
 * failures are only logged. Outside PID 1 (ferry net, ferry plan) it never reboots anything. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include "ferry.h"
#include "stages.h"
#include "../lib/core/fileio.h"
#include "../lib/core/onfail.h"

static struct onfail policy = { ONFAIL_HALT, 0 };
static struct loop_timer reboot_timer = { .fd = -1 };
static const char *shell = "/bin/sh";
static int applied;

/* The plan has checked ferry.onfail= (a bad one is a configuration error, and halt). */
void policy_setup(const struct boot_plan *p)
{
	policy = p->onfail;
	shell = p->shell;
}

const char *policy_describe(void)
{
	static char buf[64];

	if (policy.action == ONFAIL_REBOOT)
		snprintf(buf, sizeof(buf), "reboot after %u s", policy.delay_s);
	else if (policy.action == ONFAIL_SHELL)
		snprintf(buf, sizeof(buf), "shell (%s)", shell);
	else
		snprintf(buf, sizeof(buf), "%s", onfail_name(policy.action));
	return buf;
}

static void do_reboot(void *arg, uint32_t ev)
{
	log_info("policy", "rebooting now");
	sync();
	(void)reboot(RB_AUTOBOOT);
	log_err("policy", "reboot: %s; halting instead", strerror(errno));
}

static void halt_here(void)
{
	log_err("policy", "boot stopped (ferry.onfail=halt); ferry stays as PID 1, reaping");
	watchdog_halted();
}

static void shell_exited(void *arg, int status)
{
	log_info("policy", "%s exited; boot stays stopped", shell);
	halt_here();
}

void policy_apply(const char *stage)
{
	if (applied++)
		return;
	if (getpid() != 1)
		return; /* ferry net / plan: the caller reports the failure and exits non-zero */
	switch (policy.action) {
	case ONFAIL_SHELL: {
		char *argv[] = { (char *)shell, NULL };
		if (access(shell, X_OK) == 0 && child_spawn(argv, shell_exited, NULL) == 0) {
			log_err("policy", "%s failed: starting %s on the console (ferry.onfail=shell)", stage, shell);
			return;
		}
		log_err("policy", "%s failed and ferry.onfail=shell, but %s cannot run: %s", stage, shell,
			strerror(errno));
		halt_here();
		return;
	}
	case ONFAIL_REBOOT:
		log_err("policy", "%s failed: rebooting in %u s (ferry.onfail=reboot)", stage, policy.delay_s);
		if (loop_timer_arm(loop, &reboot_timer, policy.delay_s * 1000ULL, do_reboot, NULL) < 0)
			do_reboot(NULL, 0);
		return;
	case ONFAIL_POWEROFF:
		log_err("policy", "%s failed: powering off (ferry.onfail=poweroff)", stage);
		sync();
		(void)reboot(RB_POWER_OFF);
		log_err("policy", "poweroff: %s", strerror(errno));
		halt_here();
		return;
	case ONFAIL_HALT:
		log_err("policy", "%s failed", stage);
		halt_here();
		return;
	}
}

/* What busybox init does before a signalled reboot, without its sleeps: every other process
 * killed, every filesystem but / unmounted, innermost first (remounted read-only when busy),
 * everything synced. A path with an escape in /proc/self/mounts (\040) is only synced. */
static void shutdown_fs(void)
{
	char *buf = NULL, *dirs[128];
	size_t len, n = 0;

	(void)kill(-1, SIGKILL);
	sync();
	if (file_read_all("/proc/self/mounts", 1 << 17, &buf, &len) == 0) {
		for (char *l = strtok(buf, "\n"); l && n < sizeof(dirs) / sizeof(*dirs); l = strtok(NULL, "\n")) {
			char *dir = strchr(l, ' ');
			if (!dir++ || !strchr(dir, ' '))
				continue;
			*strchr(dir, ' ') = '\0';
			if (strcmp(dir, "/") && !strchr(dir, '\\'))
				dirs[n++] = dir;
		}
		while (n--)
			if (umount2(dirs[n], 0) < 0)
				(void)mount(NULL, dirs[n], NULL, MS_REMOUNT | MS_RDONLY, NULL);
	}
	free(buf);
	sync();
}

int policy_signal(int signo)
{
	static const struct { int signo, cmd; const char *what; } acts[] = {
		{ SIGTERM, RB_AUTOBOOT, "rebooting" },
		{ SIGUSR1, RB_HALT_SYSTEM, "halting" },
		{ SIGUSR2, RB_POWER_OFF, "powering off" },
	};

	if (!applied || getpid() != 1)
		return 0;  /* while the boot runs, PID 1 keeps going */
	for (unsigned i = 0; i < sizeof(acts) / sizeof(*acts); i++) {
		if (acts[i].signo != signo)
			continue;
		log_info("policy", "%s received while the boot is stopped: %s", strsignal(signo), acts[i].what);
		shutdown_fs();
		(void)reboot(acts[i].cmd);
		log_err("policy", "%s: %s", acts[i].what, strerror(errno));
		return 1;
	}
	return 0;
}
