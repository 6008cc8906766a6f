/* lib/image/initlist.c: every line type of gen_init_cpio's format, the errors, ${VAR} expansion. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "t.h"
#include "../../lib/image/initlist.h"

static char line[16384];
static char err[256];
static struct initlist_entry e;

static int parse(const char *s)
{
	snprintf(line, sizeof(line), "%s", s);
	err[0] = '\0';
	return initlist_parse_line(line, &e, err, sizeof(err));
}

static void test_types(void)
{
	T_EQ(parse("file /init ${FERRY_BUILD}/ferry 0755 0 0\n"), 1);
	T_EQ(e.type, INITLIST_FILE);
	T_STREQ(e.name, "/init");
	T_STREQ(e.location, "${FERRY_BUILD}/ferry");
	T_EQ(e.mode, 0755);
	T_EQ(e.nlinks, 1);
	T_OK(e.links == NULL);
	T_EQ(initlist_mode(&e), S_IFREG | 0755);

	T_EQ(parse("dir\t/dev   0755 0\t0"), 1);
	T_EQ(e.type, INITLIST_DIR);
	T_EQ(initlist_mode(&e), S_IFDIR | 0755);

	T_EQ(parse("nod /dev/console 0600 0 5 c 5 1\r\n"), 1);   /* a CRLF list, too */
	T_EQ(e.type, INITLIST_NOD);
	T_EQ(e.gid, 5);
	T_EQ(e.dev_type, 'c');
	T_EQ(e.maj, 5);
	T_EQ(e.min, 1);
	T_EQ(initlist_mode(&e), S_IFCHR | 0600);
	T_EQ(parse("nod /dev/sda 0660 0 6 b 8 4294967295"), 1);
	T_EQ(initlist_mode(&e), S_IFBLK | 0660);
	T_EQ(e.min, 4294967295u);

	T_EQ(parse("slink /sbin/modprobe /init 0777 0 0"), 1);
	T_STREQ(e.location, "/init");
	T_EQ(initlist_mode(&e), S_IFLNK | 0777);
	T_EQ(parse("pipe /fifo 0644 1000 1000"), 1);
	T_EQ(e.uid, 1000);
	T_EQ(initlist_mode(&e), S_IFIFO | 0644);
	T_EQ(parse("sock /s 7777 2147483647 0"), 1);
	T_EQ(e.uid, 2147483647);
	T_EQ(initlist_mode(&e), S_IFSOCK | 07777);
	T_STREQ(initlist_type_name(INITLIST_SOCK), "sock");
}

static void test_links(void)
{
	T_EQ(parse("file /a src 0644 0 0 /b  \t c /d/e\n"), 1);
	T_EQ(e.nlinks, 4);
	/* back to back: "/b\0c\0/d/e\0" */
	T_MEMEQ(e.links, "/b\0c\0/d/e\0", 10);
	T_STREQ(e.name, "/a");
	T_STREQ(e.location, "src");
}

static void test_skipped(void)
{
	T_EQ(parse("# comment"), 0);
	T_EQ(parse("   # indented comment"), 0);
	T_EQ(parse(""), 0);
	T_EQ(parse("\n"), 0);
	T_EQ(parse(" \t \r\n"), 0);
}

static void test_errors(void)
{
	T_EQ(parse("fle /init x 0755 0 0"), -EINVAL);
	T_STREQ(err, "unknown type 'fle' (file, dir, nod, slink, pipe, sock)");
	T_EQ(parse("dir"), -EINVAL);
	T_STREQ(err, "dir: missing <name>");
	T_EQ(parse("dir /x 0755 0"), -EINVAL);
	T_STREQ(err, "dir: missing <gid>");
	T_EQ(parse("dir /x 0755 0 0 # trailing comment"), -EINVAL);
	T_STREQ(err, "unexpected '#' after <gid>");
	T_EQ(parse("dir /x 0855 0 0"), -EINVAL);
	T_STREQ(err, "<mode> '0855' is not an octal mode up to 07777");
	T_EQ(parse("dir /x 10000 0 0"), -EINVAL);
	T_EQ(parse("dir /x -755 0 0"), -EINVAL);
	T_EQ(parse("dir /x +755 0 0"), -EINVAL);
	T_EQ(parse("dir /x 0755 -1 0"), -EINVAL);
	T_STREQ(err, "<uid> '-1' is not a decimal number");
	T_EQ(parse("dir /x 0755 0 2147483648"), -EINVAL);
	T_EQ(parse("dir /x 0755 0 0x10"), -EINVAL);
	T_EQ(parse("nod /x 0600 0 0 x 1 1"), -EINVAL);
	T_STREQ(err, "<dev_type> 'x' is not b or c");
	T_EQ(parse("nod /x 0600 0 0 cc 1 1"), -EINVAL);
	T_EQ(parse("nod /x 0600 0 0 c 4294967296 1"), -EINVAL);
	T_EQ(parse("nod /x 0600 0 0 c 1"), -EINVAL);
	T_STREQ(err, "nod: missing <min>");
	T_EQ(parse("slink /x"), -EINVAL);
	T_STREQ(err, "slink: missing <location>");
}

static void test_lengths(void)
{
	char *big = malloc(9000);

	memcpy(big, "dir /", 5);
	memset(big + 5, 'a', 4095);
	strcpy(big + 5 + 4095, " 0755 0 0");       /* a 4096-character name: gen_init_cpio's limit */
	T_EQ(parse(big), 1);
	T_EQ(strlen(e.name), 4096);
	memset(big + 5, 'a', 4096);
	strcpy(big + 5 + 4096, " 0755 0 0");
	T_EQ(parse(big), -EINVAL);
	T_STREQ(err, "dir: <name> longer than 4096 characters");

	memset(big, ' ', 8240);
	strcpy(big + 8240, "\n");                   /* 8240 blanks and '\n' fill fgets' buffer */
	T_EQ(parse(big), 0);
	strcpy(big + 8240, " \n");
	T_EQ(parse(big), -EINVAL);
	free(big);
}

static const char *lookup(const char *name, void *ctx)
{
	(void)ctx;
	if (!strcmp(name, "B"))
		return "/build";
	if (!strcmp(name, "LOOP"))
		return "${B}";
	return NULL;
}

static void test_expand(void)
{
	char out[64];

	T_EQ(initlist_expand("${B}/ferry", out, sizeof(out), lookup, NULL), 12);
	T_STREQ(out, "/build/ferry");
	T_EQ(initlist_expand("a${UNSET}b${B}", out, sizeof(out), lookup, NULL), 8);
	T_STREQ(out, "ab/build");
	T_EQ(initlist_expand("${B", out, sizeof(out), lookup, NULL), 3);
	T_STREQ(out, "${B");
	T_EQ(initlist_expand("$B {B} $", out, sizeof(out), lookup, NULL), 8);
	T_STREQ(out, "$B {B} $");
	T_EQ(initlist_expand("${LOOP}", out, sizeof(out), lookup, NULL), 4);   /* not expanded again */
	T_STREQ(out, "${B}");
	T_EQ(initlist_expand("${B}", out, 6, lookup, NULL), -ENAMETOOLONG);
	T_EQ(initlist_expand("${B}", out, 7, lookup, NULL), 6);
	T_EQ(initlist_expand("", out, 1, lookup, NULL), 0);
	T_EQ(initlist_expand("x", out, 0, lookup, NULL), -ENAMETOOLONG);
}

int main(void)
{
	test_types();
	test_links();
	test_skipped();
	test_errors();
	test_lengths();
	test_expand();
	return T_DONE();
}
