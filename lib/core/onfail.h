/* The failure policy as written in ferry.onfail=: shell | reboot[:SECONDS] | poweroff | halt. Pure. */
#ifndef FERRY_ONFAIL_H
#define FERRY_ONFAIL_H

enum onfail_action { ONFAIL_HALT, ONFAIL_SHELL, ONFAIL_REBOOT, ONFAIL_POWEROFF };

struct onfail {
	enum onfail_action action;
	unsigned delay_s;  /* reboot only */
};

#define ONFAIL_REBOOT_DELAY 10
/* 0, or -EINVAL for anything else. */
int onfail_parse(const char *s, struct onfail *out);
const char *onfail_name(enum onfail_action a);

#endif
