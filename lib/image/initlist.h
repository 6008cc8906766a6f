/* The initramfs list format of the kernel's usr/gen_init_cpio.c (Linux 6.1), one line at a time:
 *
 *   # a comment                      (a line whose first non-blank character is '#')
 *   file  <name> <location> <mode> <uid> <gid> [<hard link> ...]
 *   dir   <name> <mode> <uid> <gid>
 *   nod   <name> <mode> <uid> <gid> <b|c> <maj> <min>
 *   slink <name> <target> <mode> <uid> <gid>
 *   pipe  <name> <mode> <uid> <gid>
 *   sock  <name> <mode> <uid> <gid>
 *
 * Pure: the parser tokenises the caller's line in place, no I/O, no globals. It is stricter than
 * gen_init_cpio (which skips unknown types and ignores trailing words) so that every list it
 * accepts gives the same archive with the kernel's tool. */
#ifndef FERRY_INITLIST_H
#define FERRY_INITLIST_H
#include <stddef.h>

/* gen_init_cpio reads lines with fgets into 2 * PATH_MAX + 50 bytes (so 8240 characters and the
 * '\n') and words with %4096s: longer ones it splits silently, we reject. */
#define INITLIST_LINE_MAX (2 * 4096 + 50 - 2)
#define INITLIST_WORD_MAX 4096

enum initlist_type { INITLIST_FILE = 1, INITLIST_DIR, INITLIST_NOD, INITLIST_SLINK,
		     INITLIST_PIPE, INITLIST_SOCK };

struct initlist_entry {
	enum initlist_type type;
	const char *name;     /* as written, a leading '/' included */
	const char *location; /* file: the source path, ${VAR}s not yet expanded; slink: the target */
	unsigned mode;        /* permission bits only (<= 07777) */
	unsigned uid, gid;
	char dev_type;        /* nod: 'b' or 'c' */
	unsigned maj, min;
	const char *links;    /* file: nlinks - 1 further names, each NUL-terminated, back to back */
	unsigned nlinks;      /* file: names in all (1 + hard links); 1 for the other types */
};

/* Parses one line (its '\n' optional) in place. Returns 1 with *e filled, 0 for a blank or comment
 * line, or -EINVAL with a message ("unknown type 'x'") in err. */
int initlist_parse_line(char *line, struct initlist_entry *e, char *err, size_t errlen);

/* The whole st_mode of an entry: its type's S_IF* bits (nod: S_IFBLK or S_IFCHR) and e->mode. */
unsigned initlist_mode(const struct initlist_entry *e);
const char *initlist_type_name(enum initlist_type t);

/* gen_init_cpio's ${VAR} expansion of a source path: each "${NAME}" becomes lookup(NAME) ("" when
 * NULL); a "${" without a closing '}' stays as written. Values are not expanded again.
 * Returns the length, or -ENAMETOOLONG when out (outlen bytes) is too small. */
typedef const char *(*initlist_lookup_fn)(const char *name, void *ctx);
int initlist_expand(const char *in, char *out, size_t outlen, initlist_lookup_fn lookup, void *ctx);

#endif
