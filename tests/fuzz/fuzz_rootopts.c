/* The root parameters (root=, rootrw=, rootoptions=, ...): the input is split at NULs into the
 * fields of struct root_params in order (a missing field is absent), then the plan is made and
 * its option strings turned into mount(2) flags and data. A plan that is made has an absolute
 * init and an upperdir below the rw mount; one that is refused names the parameter. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/storage/rootopts.h"

enum { NFIELDS = 13 };

static void check_plan(const struct root_plan *pl)
{
	const char *u = pl->upperdir;

	if (pl->init[0] != '/' || (pl->preinit[0] && pl->preinit[0] != '/') || !u[0] || u[0] == '/' ||
	    !strcmp(u, ROOT_WORKDIR) || !strncmp(u, ROOT_WORKDIR "/", 5))
		abort();
	for (const char *c = u; *c; c += strcspn(c, "/"), c += *c == '/')
		if (!strncmp(c, "../", 3) || !strcmp(c, "..") || !strncmp(c, "./", 2) || !strcmp(c, ".") || *c == '/')
			abort();
}

static void check_opts(const struct root_mount *m)
{
	char data[512];
	unsigned long flags = 0;
	bool dropped;

	data[sizeof(data) - 1] = 'x';
	if (!rootopts_mount_opts(m->opts, m->fstype, &flags, data, sizeof(data), &dropped) &&
	    strlen(data) >= sizeof(data))
		abort();
	(void)rootopts_mount_opts(m->opts, m->fstype, &flags, data, 8, &dropped);
	(void)rootopts_takes_mode(m->fstype);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct root_plan pl;
	char *s = malloc(size + 1), *f[NFIELDS] = { 0 };
	struct root_params p;
	size_t i = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	for (char *c = s; i < NFIELDS && c <= s + size; c += strlen(c) + 1)
		f[i++] = c;
	p = (struct root_params){
		.root = f[0], .rootfstype = f[1], .rootoptions = f[2], .rootflags = f[3], .rootinit = f[4],
		.rootrw = f[5], .rootrwfstype = f[6], .rootrwoptions = f[7], .rootrwreset = f[8],
		.rootrwupperdir = f[9], .rootrwfallback = f[10], .preinit = f[11], .init = f[12],
		.init_is_ferry = size && data[0] & 1,
	};
	if (!rootopts_plan(&p, &pl)) {
		check_plan(&pl);
		check_opts(&pl.lower);
		check_opts(&pl.rw);
	} else if (!pl.bad_key) {
		abort();
	}
	free(s);
	return 0;
}
