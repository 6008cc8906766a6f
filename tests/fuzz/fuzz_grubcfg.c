/* grub.cfg: the input up to the first NUL is grub.cfg, the rest is every other file (grubenv for
 * load_env, the [ -s ] tests, and the script source and configfile run). A root other than the
 * config's own or one starting with 'a' cannot be read (-EXDEV, undecided). search finds any value
 * starting with 'a', cannot decide one starting with 'u'; blscfg adds one entry whose options and
 * initrd name variables. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/boot/bootcfg.h"

struct env {
	const char *p;
	size_t n;
	int have;
};

static int env_read(void *arg, const char *root, const char *path, char **buf, size_t *len)
{
	struct env *e = arg;

	if (root[0] && root[0] != 'a')
		return -18;
	if (!e->have)
		return -2;
	*buf = malloc(e->n + 1);
	if (!*buf)
		return -12;
	memcpy(*buf, e->p, e->n);
	(*buf)[e->n] = 0;  /* a real read adds no NUL; the parser must use len, this only helps find it */
	*len = e->n;
	return 0;
}

static int env_search(void *arg, const char *kind, const char *value, char *root, size_t len)
{
	if (value[0] == 'u')
		return snprintf(root, len, "UUID=%s", value) < (int)len ? 1 : -36;
	if (value[0] != 'a')
		return -2;
	return boot_copy(root, len, value, strlen(value)) < 0 ? -36 : 0;
}

static int env_bls(void *arg, struct boot_list *l)
{
	static const char t[] = "title T\nlinux /v\ninitrd /i.img $tuned_initrd\noptions $kernelopts \"$x\" ${y}z\n";
	struct boot_entry *e = boot_list_add(l, BOOT_BLS);
	return e ? bls_parse(e, "t.conf", t, sizeof(t) - 1) : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_list l;
	const char *buf = (const char *)data, *nul = memchr(buf, 0, size);
	struct env env = { 0 };
	struct grub_ops ops = { .arg = &env, .read_file = env_read, .search = env_search, .blscfg = env_bls };
	size_t order[BOOT_MAX_ENTRIES], cfglen = nul ? (size_t)(nul - buf) : size;
	char line[1024];
	int matched;

	if (nul)
		env = (struct env){ nul + 1, size - cfglen - 1, 1 };
	boot_list_init(&l);
	(void)grub_parse(&l, "/boot/grub", buf, cfglen, &ops);
	size_t n = boot_order(&l, l.def_name, order, BOOT_MAX_ENTRIES, &matched);
	for (size_t i = 0; i < n; i++)
		boot_entry_describe(&l.e[order[i]], line, sizeof(line));
	return 0;
}
