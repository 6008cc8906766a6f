/* Which entry boots, in which order the others are tried, and the second kernel's command line. */
#include "t.h"
#include <errno.h>
#include <stdlib.h>
#include "../../lib/boot/bootcfg.h"

static void add(struct boot_list *l, const char *id, const char *title, const char *problem)
{
	struct boot_entry *e = boot_list_add(l, BOOT_EXTLINUX);
	snprintf(e->id, sizeof(e->id), "%s", id);
	snprintf(e->title, sizeof(e->title), "%s", title);
	snprintf(e->kernel, sizeof(e->kernel), "/%s", id);
	e->problem = problem;
}

static void test_order(void)
{
	struct boot_list *l = boot_list_new(), *m = boot_list_new();
	size_t o[BOOT_MAX_ENTRIES], n;
	int matched;

	add(l, "a", "Alpha", NULL);
	add(l, "b", "Beta", NULL);
	add(l, "c", "Gamma", "no kernel");
	add(l, "d", "Delta", NULL);
	l->def = 1;
	n = boot_order(l, NULL, o, BOOT_MAX_ENTRIES, &matched);
	T_EQ(matched, 1);
	T_EQ(n, 3);                      /* the default, then the rest in order, unbootable ones left out */
	T_EQ(o[0], 1);
	T_EQ(o[1], 0);
	T_EQ(o[2], 3);
	n = boot_order(l, "3", o, BOOT_MAX_ENTRIES, &matched);
	T_EQ(o[0], 3);                   /* by index */
	T_EQ(o[1], 0);
	n = boot_order(l, "Alpha", o, BOOT_MAX_ENTRIES, &matched);
	T_EQ(o[0], 0);                   /* by title */
	T_EQ(o[1], 1);
	n = boot_order(l, "d", o, BOOT_MAX_ENTRIES, &matched);
	T_EQ(o[0], 3);                   /* by id */
	n = boot_order(l, "nosuch", o, BOOT_MAX_ENTRIES, &matched);
	T_EQ(matched, 0);                /* reported, and the default boots */
	T_EQ(o[0], 1);
	n = boot_order(l, "2", o, BOOT_MAX_ENTRIES, &matched);
	T_EQ(matched, 1);                /* names an unbootable entry: the default instead */
	T_EQ(o[0], 1);
	T_EQ(n, 3);
	n = boot_order(l, NULL, o, 2, &matched);
	T_EQ(n, 2);
	T_EQ(boot_find(l, "99"), -1);

	/* Merging keeps the first list's default and shifts a later one. */
	add(m, "x", "X", NULL);
	m->def = 0;
	boot_list_init(l);
	boot_list_merge(l, m);
	T_EQ(l->def, 0);
	add(m, "y", "Y", NULL);
	m->def = 1;
	boot_list_merge(l, m);
	T_EQ(l->n, 3);
	T_EQ(l->def, 0);
	boot_list_init(l);
	add(l, "z", "Z", NULL);
	boot_list_merge(l, m);
	T_EQ(l->def, 2);
	free(l);
	free(m);
}

static void test_cmdline(void)
{
	char out[128];

	T_EQ(boot_cmdline("root=/dev/sda1 ro quiet splash console=tty0 console=ttyS0,115200", "quiet,splash,console=tty0",
		"console=ttyS1 ferry.x=\"a b\"", out, sizeof(out)), 0);
	T_STREQ(out, "root=/dev/sda1 ro console=ttyS0,115200 console=ttyS1 ferry.x=\"a b\"");
	T_EQ(boot_cmdline("a=1 b x=\"q r\" b=2", "b", NULL, out, sizeof(out)), 0);
	T_STREQ(out, "a=1 x=\"q r\"");   /* a bare key drops every value of it; quotes keep one word */
	T_EQ(boot_cmdline(NULL, NULL, "  ", out, sizeof(out)), 0);
	T_STREQ(out, "");
	T_EQ(boot_cmdline("  a   b  ", "", "", out, sizeof(out)), 0);
	T_STREQ(out, "a b");
	T_EQ(boot_cmdline("0123456789 0123456789 0123456789", NULL, "0123456789 0123456789 0123456789", out, 40),
		-ENAMETOOLONG);
}

static void test_describe(void)
{
	struct boot_list *l = boot_list_new();
	char d[512];

	add(l, "a", "Alpha", "no kernel");
	snprintf(l->e[0].initrd[0], BOOT_PATH, "/i1");
	snprintf(l->e[0].initrd[1], BOOT_PATH, "/i2");
	l->e[0].ninitrd = 2;
	boot_entry_describe(&l->e[0], d, sizeof(d));
	T_OK(strstr(d, "[extlinux] \"Alpha\"") != NULL);
	T_OK(strstr(d, "initrd=/i1,/i2") != NULL);
	T_OK(strstr(d, "(skipped: no kernel)") != NULL);
	boot_entry_describe(&l->e[0], d, 20);
	T_EQ(strlen(d), 19);
	/* a quoted grub id or title with a newline cannot split the log line: \xHH, and '\\' too */
	add(l, "b", "Evil\nferry: kexec: entry 0 (default)", NULL);
	snprintf(l->e[1].id, BOOT_NAME, "x\ty\\z\x7f");
	boot_entry_describe(&l->e[1], d, sizeof(d));
	T_OK(strchr(d, '\n') == NULL && strchr(d, '\t') == NULL);
	T_OK(strstr(d, "\"Evil\\x0aferry: kexec: entry 0 (default)\"") != NULL);
	T_OK(strstr(d, "id=x\\x09y\\x5cz\\x7f ") != NULL);
	char esc[8];
	T_STREQ(boot_escape("a\nbcdef", esc, sizeof(esc)), "a\\x0abc");   /* cut whole, never half an escape */
	boot_entry_describe(&l->e[1], d, 12);
	T_OK(strlen(d) <= 11);
	free(l);
}

/* The checks every format shares (lib/boot/bootsel.c boot_entry_check). */
static void test_check(void)
{
	struct boot_entry e;
	memset(&e, 0, sizeof(e));
	snprintf(e.kernel, BOOT_PATH, "/vmlinuz");
	boot_entry_check(&e);
	T_OK(e.problem == NULL);
	e.ninitrd = 1;
	snprintf(e.initrd[0], BOOT_PATH, "initrd.img");
	boot_entry_check(&e);
	T_OK(e.problem && strstr(e.problem, "initrd path is relative"));
	e.problem = NULL;
	e.initrd[0][0] = 0;
	boot_entry_check(&e);
	T_OK(e.problem && strstr(e.problem, "initrd path is empty"));
	e.problem = NULL;
	e.ninitrd = 0;
	snprintf(e.devicetree, BOOT_PATH, "board.dtb");
	boot_entry_check(&e);
	T_OK(e.problem && strstr(e.problem, "device tree"));
	e.problem = "already";
	e.kernel[0] = 0;
	boot_entry_check(&e);
	T_STREQ(e.problem, "already");                   /* the first reason stays */
}

int main(void)
{
	test_order();
	test_cmdline();
	test_describe();
	test_check();
	return T_DONE();
}
