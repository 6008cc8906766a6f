/* The merged configuration: /etc/ferry.conf first, the kernel command line second; for a key that
 * is not repeatable the last occurrence wins. Pure: fed lines and buffers, no I/O. */
#ifndef FERRY_CONFIG_H
#define FERRY_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

enum cfg_src { CFG_FILE = 1, CFG_CMDLINE = 2 };

/* Key flags, from the registry in lib/core/config_keys.c */
enum {
	CFG_REPEAT  = 1 << 0, /* every occurrence counts (ferry.crypt=, ip=), in order: file, then cmdline */
	CFG_LOCK    = 1 << 1, /* changes what runs or what is trusted (the README marks it); a locked
	                       * config ignores every key on the command line that locked.allow omits */
	CFG_FLAG    = 1 << 2, /* a bare word (rootwait, ro) */
	CFG_FERRY   = 1 << 3, /* internal: key starts with "ferry." */
	CFG_FILEONLY = 1 << 4, /* only in the file (locked.allow): never taken from the command line */
};

struct cfg_key {
	const char *name;
	unsigned flags;
	const char *help; /* one line for the README reference and `ferry plan` */
};
extern const struct cfg_key cfg_keys[];  /* terminated by { NULL } */
const struct cfg_key *cfg_key_find(const char *name);

struct cfg_item {
	const char *key;
	const char *val;  /* "" for a bare word */
	enum cfg_src src;
	int line;         /* line in the file (CFG_FILE) */
};

#define CFG_MAX_ITEMS 512
#define CFG_MAX_ERRORS 32
#define CFG_MAX_IGNORED 32
#define CFG_MAX_ALLOW 32
struct ferry_config {
	struct cfg_item items[CFG_MAX_ITEMS];
	size_t n;
	bool locked;
	const char *file;  /* name used in messages, e.g. "/etc/ferry.conf" */
	char errors[CFG_MAX_ERRORS][200]; /* "file:line: what is wrong" / "command line: ..." */
	size_t nerrors;
	size_t nignored;   /* command-line words ignored because the file is locked */
	unsigned full;     /* the item table overflowed (reported once) */
	char ignored[CFG_MAX_IGNORED][120];  /* each word as written ("init=/bin/sh"), cut at 119 */
	const char *allow[CFG_MAX_ALLOW];    /* locked.allow: the keys the command line may still set */
	size_t nallow;
	int allow_line;    /* the file's line of locked.allow (0: none) */
};

void cfg_init(struct ferry_config *c, const char *file);
void cfg_free(struct ferry_config *c);
/* One line of the config file (without or with its '\n'). Errors are recorded, never fatal. */
void cfg_parse_line(struct ferry_config *c, int lineno, const char *line);
/* A whole file's contents. */
void cfg_parse_file(struct ferry_config *c, const char *buf, size_t len);
/* The kernel command line (as /proc/cmdline); call after the file. Unknown words are ignored. */
void cfg_parse_cmdline(struct ferry_config *c, const char *buf, size_t len);

/* With `locked`, may the command line set this key? (only the keys locked.allow names) */
bool cfg_cmdline_allowed(const struct ferry_config *c, const char *key);

/* Lookups. cfg_get: the value of the last occurrence, NULL when absent. */
const char *cfg_get(const struct ferry_config *c, const char *key);
const struct cfg_item *cfg_last(const struct ferry_config *c, const char *key);
bool cfg_has(const struct ferry_config *c, const char *key);
/* Iterate every occurrence in order: for (it = NULL; (it = cfg_next(c, "ip", it)); ) */
const struct cfg_item *cfg_next(const struct ferry_config *c, const char *key, const struct cfg_item *prev);
/* "ferry.conf:12" or "command line" */
const char *cfg_where(const struct ferry_config *c, const struct cfg_item *it, char *buf, size_t len);
/* Typed value of the last occurrence; absent: *out = def, 0. Bad value: -EINVAL (error recorded). */
int cfg_get_uint(struct ferry_config *c, const char *key, unsigned long def, unsigned long min, unsigned long max,
		 unsigned long *out);
int cfg_get_bool(struct ferry_config *c, const char *key, bool def, bool *out);
/* Record an error as written (the caller names the place). */
void cfg_errorf(struct ferry_config *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record an error against an item: "<where>: <key>=<val>: <msg>". */
void cfg_error(struct ferry_config *c, const struct cfg_item *it, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
