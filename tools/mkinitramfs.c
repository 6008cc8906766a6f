/* mkinitramfs: a gen_init_cpio list (and optionally a kernel's modules) to a newc cpio archive,
 * gzip'd with zlib. With -t the output depends on nothing but the inputs' contents. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "../lib/image/cpio.h"
#include "../lib/image/initlist.h"
#include "../lib/core/kmod.h"
#include "../lib/core/modindex.h"

#define CHUNK 65536

static void usage(FILE *f)
{
	fputs("usage: mkinitramfs [-t TIMESTAMP] [-o OUT] [-z|--no-gzip] [-l LEVEL] [-m MODDIR -M \"MOD...\"]... LIST\n"
	      "\n"
	      "Writes a newc cpio archive of the entries in LIST (\"-\": stdin), gzip'd unless -z, to OUT\n"
	      "(default: stdout).\n"
	      "  -t TIMESTAMP  seconds since the epoch, the mtime of every entry (default: now for\n"
	      "                entries without a source file, the source's mtime for files)\n"
	      "  -o OUT        output file, written whole or not at all\n"
	      "  -z, --no-gzip write the cpio archive uncompressed\n"
	      "  -l LEVEL      gzip level, 1 (fastest) to 9 (smallest, the default)\n"
	      "  -m MODDIR     a kernel's module directory, /lib/modules/<version>\n"
	      "  -M \"MOD...\"   modules (names or aliases, '-' and '_' alike) to copy from MODDIR to\n"
	      "                /lib/modules/<version>/ with all their dependencies; \"all\" for every\n"
	      "                module. Writes a modules.dep and modules.alias covering exactly those,\n"
	      "                and modules.ferry, their binary index (lib/core/modindex.h).\n"
	      "\n"
	      "LIST is the kernel's usr/gen_init_cpio format, one entry a line:\n"
	      "  # a comment\n"
	      "  file  <name> <location> <mode> <uid> <gid> [<hard link>...]\n"
	      "  dir   <name> <mode> <uid> <gid>\n"
	      "  nod   <name> <mode> <uid> <gid> <dev_type> <maj> <min>\n"
	      "  slink <name> <target> <mode> <uid> <gid>\n"
	      "  pipe  <name> <mode> <uid> <gid>\n"
	      "  sock  <name> <mode> <uid> <gid>\n"
	      "\n"
	      "  <name>       path in the archive\n"
	      "  <location>   path of the source file; ${VAR} is replaced by the environment's VAR\n"
	      "  <target>     symlink target\n"
	      "  <mode>       permission bits, octal (0755)\n"
	      "  <uid> <gid>  owner, decimal (0 = root)\n"
	      "  <dev_type>   b (block) or c (character)\n"
	      "  <maj> <min>  device numbers, decimal\n"
	      "  <hard link>  further names of the same file\n"
	      "\n"
	      "example:\n"
	      "  dir /dev 0755 0 0\n"
	      "  nod /dev/console 0600 0 0 c 5 1\n"
	      "  file /init ${FERRY_BUILD}/ferry 0755 0 0\n"
	      "  slink /sbin/modprobe /init 0777 0 0\n", f);
}

/* --- output: buffered, optionally through zlib's gzip wrapper ----------------------------------- */

struct out {
	int fd;
	bool gzip;
	z_stream z;
	unsigned char buf[CHUNK];
	size_t used;
};

static int out_flush(struct out *o)
{
	int ret = cpio_sink_fd(&o->fd, o->buf, o->used);

	o->used = 0;
	return ret;
}

/* Runs deflate until it has taken all input (or, with Z_FINISH, written the gzip trailer). */
static int out_deflate(struct out *o, const void *buf, size_t len, int flush)
{
	int zr;

	o->z.next_in = (unsigned char *)(uintptr_t)buf;
	o->z.avail_in = (uInt)len;
	do {
		o->z.next_out = o->buf + o->used;
		o->z.avail_out = (uInt)(sizeof(o->buf) - o->used);
		zr = deflate(&o->z, flush);
		if (zr == Z_STREAM_ERROR)
			return -EIO;
		o->used = sizeof(o->buf) - o->z.avail_out;
		if (o->used == sizeof(o->buf)) {
			int ret = out_flush(o);

			if (ret)
				return ret;
		}
	} while (o->z.avail_in || (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

static int out_put(struct out *o, const void *buf, size_t len)
{
	int ret = 0;

	if (o->gzip)
		return out_deflate(o, buf, len, Z_NO_FLUSH);
	if (o->used + len > sizeof(o->buf))
		ret = out_flush(o);
	if (!ret) {
		memcpy(o->buf + o->used, buf, len);
		o->used += len;
	}
	return ret;
}

/* In pieces of at most CHUNK: the buffer's size, and within zlib's uInt. */
static int out_sink(void *ctx, const void *buf, size_t len)
{
	const char *p = buf;
	int ret = 0;

	while (len && !ret) {
		size_t n = len < CHUNK ? len : CHUNK;

		ret = out_put(ctx, p, n);
		p += n;
		len -= n;
	}
	return ret;
}

/* The gzip header zlib writes has mtime 0, no name and OS "unix": the same bytes on every run. */
static int out_open(struct out *o, int fd, bool gzip, int level)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->gzip = gzip;
	if (gzip && deflateInit2(&o->z, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	return 0;
}

static int out_close(struct out *o)
{
	int ret = 0;

	if (o->gzip) {
		ret = out_deflate(o, "", 0, Z_FINISH);
		deflateEnd(&o->z);
	}
	return ret ? ret : out_flush(o);
}

/* --- the archive, entry by entry, with gen_init_cpio's field values -------------------------- */

struct mk {
	struct cpio_writer w;
	struct out out;
	uint32_t ino;         /* gen_init_cpio counts from 721 */
	bool fixed_time;
	uint32_t now;
	char where[PATH_MAX + 32]; /* "LIST:LINE" or a file name, for messages */
	int errors;
	char **dirs;          /* directories in the archive so far, for module parents */
	size_t ndirs;
};

static void err(struct mk *mk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void err(struct mk *mk, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkinitramfs: %s: ", mk->where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	mk->errors++;
}

/* The fields every gen_init_cpio entry shares: its device is 3:1 whatever the entry. */
static struct cpio_hdr base_hdr(struct mk *mk, uint32_t mode, unsigned uid, unsigned gid)
{
	return (struct cpio_hdr){ .ino = mk->ino, .mode = mode, .uid = uid, .gid = gid,
				  .nlink = 1, .mtime = mk->now, .devmajor = 3, .devminor = 1 };
}

static const char *strip_slash(const char *name)
{
	return name[0] == '/' ? name + 1 : name;
}

static int put(struct mk *mk, const struct cpio_hdr *h, const char *name, const void *data)
{
	int ret = cpio_write_entry(&mk->w, h, name, data);

	if (ret)
		err(mk, "writing '%s': %s", name, strerror(-ret));
	return ret;
}

static void remember_dir(struct mk *mk, const char *name)
{
	size_t len = strlen(name);
	char **d = realloc(mk->dirs, (mk->ndirs + 1) * sizeof(*d));

	if (!d)
		return;
	mk->dirs = d;
	while (len > 1 && name[len - 1] == '/')
		len--;
	d[mk->ndirs] = strndup(name, len);
	if (d[mk->ndirs])
		mk->ndirs++;
}

static int has_dir(const struct mk *mk, const char *name)
{
	for (size_t i = 0; i < mk->ndirs; i++)
		if (!strcmp(mk->dirs[i], name))
			return 1;
	return 0;
}

/* dir, pipe, sock: gen_init_cpio gives these nlink 2. */
static int put_generic(struct mk *mk, const struct initlist_entry *e, const char *name)
{
	struct cpio_hdr h = base_hdr(mk, initlist_mode(e), e->uid, e->gid);

	if (e->type != INITLIST_NOD)
		h.nlink = 2;
	h.rdevmajor = e->maj;
	h.rdevminor = e->min;
	mk->ino++;
	if (e->type == INITLIST_DIR)
		remember_dir(mk, name);
	return put(mk, &h, name, NULL);
}

/* gen_init_cpio stores the target with its NUL; the kernel and cpio(1) both read it as a string. */
static int put_slink(struct mk *mk, const struct initlist_entry *e, const char *name)
{
	struct cpio_hdr h = base_hdr(mk, initlist_mode(e), e->uid, e->gid);

	h.filesize = (uint32_t)strlen(e->location) + 1;
	mk->ino++;
	return put(mk, &h, name, e->location);
}

static int copy_data(struct mk *mk, int fd, uint32_t size, const char *src)
{
	static unsigned char buf[CHUNK];

	while (size) {
		ssize_t n = read(fd, buf, size < sizeof(buf) ? size : sizeof(buf));
		int ret;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err(mk, "%s: %s", src, n ? strerror(errno) : "file shrank while being read");
			return -EIO;
		}
		ret = cpio_write_data(&mk->w, buf, (size_t)n);
		if (ret) {
			err(mk, "writing %s: %s", src, strerror(-ret));
			return ret;
		}
		size -= (uint32_t)n;
	}
	return 0;
}

/* A regular file under nlinks names (back to back in names): every name an entry with the same
 * inode, the data on the last one, as gen_init_cpio and the kernel's unpacker expect. */
static int put_file(struct mk *mk, const char *names, unsigned nlinks, const char *src,
		    unsigned mode, unsigned uid, unsigned gid)
{
	struct stat st;
	struct cpio_hdr h = base_hdr(mk, S_IFREG | mode, uid, gid);
	int fd = open(src, O_RDONLY | O_CLOEXEC), ret = -EINVAL;

	if (fd < 0 || fstat(fd, &st)) {
		err(mk, "%s: %s", src, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)UINT32_MAX) {
		err(mk, "%s: %s", src, S_ISREG(st.st_mode) ? "larger than cpio's 4 GiB" :
		    "not a regular file");
		goto out;
	}
	if (!mk->fixed_time)
		h.mtime = st.st_mtime < 0 ? 0 : st.st_mtime > UINT32_MAX ? UINT32_MAX : (uint32_t)st.st_mtime;
	h.nlink = nlinks;
	for (unsigned i = 1; i <= nlinks; i++, names += strlen(names) + 1) {
		h.filesize = i == nlinks ? (uint32_t)st.st_size : 0;
		ret = cpio_write_header(&mk->w, &h, strip_slash(names));
		if (ret)
			err(mk, "writing '%s': %s", names, strerror(-ret));
		else if (h.filesize)
			ret = copy_data(mk, fd, h.filesize, src);
		if (ret)
			goto out;
	}
	mk->ino++;
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

static const char *env_lookup(const char *name, void *ctx)
{
	return getenv(name);
}

static int put_list_file(struct mk *mk, const struct initlist_entry *e)
{
	char src[PATH_MAX + 1];
	char *names;
	size_t n1 = strlen(e->name) + 1, nrest = 0;
	const char *l = e->links;
	int ret;

	if (initlist_expand(e->location, src, sizeof(src), env_lookup, NULL) < 0) {
		err(mk, "<location> '%.40s...' is longer than %d characters once expanded",
		    e->location, PATH_MAX);
		return -ENAMETOOLONG;
	}
	for (unsigned i = 1; i < e->nlinks; i++, l += strlen(l) + 1)
		nrest += strlen(l) + 1;
	names = malloc(n1 + nrest);
	if (!names) {
		err(mk, "out of memory");
		return -ENOMEM;
	}
	memcpy(names, e->name, n1);
	if (nrest)
		memcpy(names + n1, e->links, nrest);
	ret = put_file(mk, names, e->nlinks, src, e->mode, e->uid, e->gid);
	free(names);
	return ret;
}

static int put_entry(struct mk *mk, const struct initlist_entry *e)
{
	const char *name = strip_slash(e->name);
	const char *l = e->links;
	bool empty = !*name;

	for (unsigned i = 1; i < e->nlinks; i++, l += strlen(l) + 1)
		empty |= !*strip_slash(l);
	if (empty) {
		err(mk, "%s: a name is empty once its leading '/' is dropped",
		    initlist_type_name(e->type));
		return -EINVAL;
	}
	switch (e->type) {
	case INITLIST_FILE:
		return put_list_file(mk, e);
	case INITLIST_SLINK:
		return put_slink(mk, e, name);
	default:
		return put_generic(mk, e, name);
	}
}

/* Every line is parsed, so that one run reports every error in the list; once one has been
 * found nothing more is written. */
static int put_list(struct mk *mk, const char *list)
{
	FILE *f = strcmp(list, "-") ? fopen(list, "r") : stdin;
	char *line = NULL, msg[256];
	size_t cap = 0;
	int lineno = 0;

	snprintf(mk->where, sizeof(mk->where), "%s", list);
	if (!f) {
		err(mk, "%s", strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) >= 0) {
		struct initlist_entry e;
		int ret;

		snprintf(mk->where, sizeof(mk->where), "%s:%d", list, ++lineno);
		ret = initlist_parse_line(line, &e, msg, sizeof(msg));
		if (ret < 0)
			err(mk, "%s", msg);
		else if (ret > 0 && !mk->errors)
			(void)put_entry(mk, &e);
	}
	if (ferror(f))
		err(mk, "reading: %s", strerror(errno));
	free(line);
	if (f != stdin)
		fclose(f);
	return mk->errors ? -1 : 0;
}

/* --- a kernel's modules ------------------------------------------------------------------------ */

struct mods {
	char *dir;                /* -m: /lib/modules/<version> */
	const char *version;      /* its last component */
	struct kmod_index x;
	char *builtin;            /* modules.builtin, when there is one */
	size_t *order;            /* selected modules, each after its dependencies */
	size_t norder;
};

struct buf {
	char *p;
	size_t len, cap;
};

static int buf_add(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
	return 0;
}

static int read_whole(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "r");
	char chunk[CHUNK + 1];
	size_t n;
	int ret = 0;

	if (!f)
		return -errno;
	while (!ret && (n = fread(chunk, 1, CHUNK, f)) > 0) {
		chunk[n] = '\0';
		if (memchr(chunk, '\0', n))
			ret = -EINVAL;   /* not text: no modules file has a NUL */
		else
			ret = buf_add(b, chunk);
	}
	if (!ret && ferror(f))
		ret = -EIO;
	fclose(f);
	return ret;
}

static int mods_read(struct mk *mk, struct mods *m, const char *file, struct buf *b, bool must)
{
	int ret;

	snprintf(mk->where, sizeof(mk->where), "%s/%s", m->dir, file);
	ret = read_whole(mk->where, b);
	if (ret && (must || ret != -ENOENT)) {
		err(mk, "%s", strerror(-ret));
		return ret;
	}
	return 0;
}

static int mods_open(struct mk *mk, struct mods *m)
{
	struct buf dep = { 0 }, alias = { 0 }, builtin = { 0 };
	char *real = realpath(m->dir, NULL);
	int ret;

	/* The version is the directory's own name, also when given as "." or with a trailing '/'. */
	if (!real) {
		snprintf(mk->where, sizeof(mk->where), "%s", m->dir);
		err(mk, "%s", strerror(errno));
		return -1;
	}
	m->dir = real;
	m->version = strrchr(real, '/') + 1;
	ret = mods_read(mk, m, "modules.dep", &dep, true);
	if (!ret)
		ret = mods_read(mk, m, "modules.alias", &alias, false);
	if (!ret)
		ret = mods_read(mk, m, "modules.builtin", &builtin, false);
	if (!ret && (kmod_parse_dep(&m->x, dep.p ? dep.p : "", dep.len) ||
		     kmod_parse_alias(&m->x, alias.p ? alias.p : "", alias.len))) {
		err(mk, "out of memory");
		ret = -ENOMEM;
	}
	m->builtin = builtin.p;
	free(dep.p);
	free(alias.p);
	if (!ret && !(m->order = calloc(m->x.nmods + 1, sizeof(*m->order))))
		ret = -ENOMEM;
	return ret;
}

static int mods_add(struct mk *mk, struct mods *m, size_t mod)
{
	ssize_t n = kmod_load_order(&m->x, mod, m->order, m->norder, m->x.nmods);

	if (n < 0) {
		err(mk, "%s: dependencies: %s", m->x.mods[mod].name,
		    n == -ENOENT ? "one has no line of its own" : strerror((int)-n));
		return (int)n;
	}
	m->norder = (size_t)n;
	return 0;
}

/* One -M word: "all", a module name, or an alias ("fs-overlay") with every module it names. */
static int mods_select(struct mk *mk, struct mods *m, const char *word)
{
	size_t hits[64], n;
	int ret = 0;

	if (!strcmp(word, "all")) {
		for (size_t i = 0; i < m->x.nmods && !ret; i++)
			ret = mods_add(mk, m, i);
		return ret;
	}
	n = kmod_lookup(&m->x, word, hits, 64);
	for (size_t i = 0; i < n && !ret; i++)
		ret = mods_add(mk, m, hits[i]);
	if (!n && m->builtin && kmod_builtin_has(m->builtin, strlen(m->builtin), word))
		fprintf(stderr, "mkinitramfs: note: %s is built into the kernel\n", word);
	else if (!n)
		err(mk, "no module or alias '%s'", word);
	return ret;
}

/* The kernel's unpacker creates no parent directories: each must come before what it holds. */
static int ensure_dir(struct mk *mk, const char *path)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct cpio_hdr h;

	if (has_dir(mk, path))
		return 0;
	if (slash) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
		if (ensure_dir(mk, parent))
			return -1;
	}
	h = base_hdr(mk, S_IFDIR | 0755, 0, 0);
	h.nlink = 2;
	mk->ino++;
	remember_dir(mk, path);
	return put(mk, &h, path, NULL);
}

static int put_generated(struct mk *mk, const char *name, const struct buf *b)
{
	struct cpio_hdr h = base_hdr(mk, S_IFREG | 0644, 0, 0);

	h.filesize = (uint32_t)b->len;
	mk->ino++;
	return put(mk, &h, name, b->p);
}

/* modules.dep as depmod writes it ("path: dep dep"), and the modules.alias lines of the copied
 * modules, both in the order of the originals. */
static int mods_index(const struct mods *m, const bool *sel, struct buf *dep, struct buf *alias)
{
	int ret = buf_add(alias, "# Aliases extracted from modules themselves.\n");

	for (size_t i = 0; i < m->x.nmods && !ret; i++) {
		const struct kmod_module *km = &m->x.mods[i];

		if (!sel[i])
			continue;
		ret = buf_add(dep, km->path) || buf_add(dep, ":");
		for (size_t d = 0; d < km->ndeps && !ret; d++)
			ret = buf_add(dep, " ") || buf_add(dep, m->x.mods[km->deps[d]].path);
		ret = ret || buf_add(dep, "\n");
	}
	for (size_t i = 0; i < m->x.naliases && !ret; i++) {
		const struct kmod_alias *a = &m->x.aliases[i];
		ssize_t mod = kmod_find(&m->x, a->module);

		if (mod >= 0 && sel[mod])
			ret = buf_add(alias, "alias ") || buf_add(alias, a->raw) ||
			      buf_add(alias, " ") || buf_add(alias, a->module) || buf_add(alias, "\n");
	}
	return ret ? -ENOMEM : 0;
}

static int mods_put_files(struct mk *mk, const struct mods *m, const bool *sel)
{
	char src[PATH_MAX], dst[PATH_MAX];

	for (size_t i = 0; i < m->x.nmods; i++) {
		const char *path = m->x.mods[i].path;
		char *slash;

		if (!sel[i])
			continue;
		snprintf(src, sizeof(src), "%s%s%s", path[0] == '/' ? "" : m->dir,
			 path[0] == '/' ? "" : "/", path);
		snprintf(dst, sizeof(dst), "lib/modules/%s/%s", m->version, strip_slash(path));
		slash = strrchr(dst, '/');
		*slash = '\0';
		if (ensure_dir(mk, dst))
			return -1;
		*slash = '/';
		if (put_file(mk, dst, 1, src, 0644, 0, 0))
			return -1;
	}
	return 0;
}

/* modules.ferry (lib/core/modindex.h), made from the very text just written, so the two agree. */
static int put_index(struct mk *mk, const struct mods *m, const struct buf *dep, const struct buf *alias)
{
	struct kmod_index x = { 0 };
	struct modindex chk;
	unsigned char *ix = NULL;
	size_t len = 0;
	char dst[PATH_MAX];
	int ret;

	if ((ret = kmod_parse_dep(&x, dep->p ? dep->p : "", dep->len)) ||
	    (ret = kmod_parse_alias(&x, alias->p ? alias->p : "", alias->len)) ||
	    (ret = modindex_write(&x, (uint32_t)dep->len, &ix, &len)) || (ret = modindex_open(&chk, ix, len))) {
		err(mk, "modules.ferry: %s", strerror(-ret));
		kmod_index_free(&x);
		free(ix);
		return -1;
	}
	kmod_index_free(&x);
	snprintf(dst, sizeof(dst), "lib/modules/%s/modules.ferry", m->version);
	ret = put_generated(mk, dst, &(struct buf){ (char *)ix, len, 0 });
	free(ix);
	return ret;
}

static int put_modules(struct mk *mk, struct mods *m)
{
	struct buf dep = { 0 }, alias = { 0 };
	char dst[PATH_MAX];
	bool *sel = calloc(m->x.nmods + 1, sizeof(*sel));
	int ret = -1;

	if (!sel)
		goto out;
	for (size_t i = 0; i < m->norder; i++)
		sel[m->order[i]] = true;
	if (mods_index(m, sel, &dep, &alias)) {
		err(mk, "out of memory");
		goto out;
	}
	if (mods_put_files(mk, m, sel))
		goto out;
	snprintf(dst, sizeof(dst), "lib/modules/%s", m->version);
	if (ensure_dir(mk, dst))
		goto out;
	snprintf(dst, sizeof(dst), "lib/modules/%s/modules.dep", m->version);
	if (put_generated(mk, dst, &dep))
		goto out;
	snprintf(dst, sizeof(dst), "lib/modules/%s/modules.alias", m->version);
	if (put_generated(mk, dst, &alias))
		goto out;
	if (put_index(mk, m, &dep, &alias))
		goto out;
	/* So that PID 1 can tell a request for a built-in module from a missing one. */
	snprintf(dst, sizeof(dst), "lib/modules/%s/modules.builtin", m->version);
	if (m->builtin && put_generated(mk, dst, &(struct buf){ m->builtin, strlen(m->builtin), 0 }))
		goto out;
	ret = 0;
out:
	free(sel);
	free(dep.p);
	free(alias.p);
	return ret;
}

/* --- main --------------------------------------------------------------------------------------- */

struct opts {
	const char *out, *list;
	bool gzip;
	int level;  /* gzip level, 1 (fast) to 9 (small, the default) */
	struct mods mods;
	char *modwords[64];
	size_t nmodwords;
};

static int parse_time(const char *s, uint32_t *t)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *end || *s == '-' || errno || v > UINT32_MAX)
		return -EINVAL;
	*t = (uint32_t)v;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o, struct mk *mk)
{
	static const struct option longopts[] = {
		{ "no-gzip", no_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "t:o:zl:m:M:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_time(optarg, &mk->now)) {
				fprintf(stderr, "mkinitramfs: -t %s: not seconds since the epoch (0 to %u)\n",
					optarg, UINT32_MAX);
				return 2;
			}
			mk->fixed_time = true;
			break;
		case 'o': o->out = optarg; break;
		case 'z': o->gzip = false; break;
		case 'l':
			if (optarg[0] < '1' || optarg[0] > '9' || optarg[1]) {
				fprintf(stderr, "mkinitramfs: -l %s: a gzip level from 1 to 9\n", optarg);
				return 2;
			}
			o->level = optarg[0] - '0';
			break;
		case 'm': o->mods.dir = optarg; break;
		case 'M':
			if (o->nmodwords == sizeof(o->modwords) / sizeof(o->modwords[0])) {
				fprintf(stderr, "mkinitramfs: more than 64 -M options\n");
				return 2;
			}
			o->modwords[o->nmodwords++] = optarg;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1 || !o->mods.dir != !o->nmodwords) {
		usage(stderr);
		return 2;
	}
	o->list = argv[optind];
	return 0;
}

static int select_modules(struct mk *mk, struct opts *o)
{
	struct mods *m = &o->mods;

	if (!m->dir)
		return 0;
	if (mods_open(mk, m))
		return -1;
	snprintf(mk->where, sizeof(mk->where), "%s/modules.dep", m->dir);
	for (size_t i = 0; i < o->nmodwords; i++)
		for (char *save = NULL, *w = strtok_r(o->modwords[i], " \t\n,", &save); w;
		     w = strtok_r(NULL, " \t\n,", &save))
			(void)mods_select(mk, m, w);
	return mk->errors ? -1 : 0;
}

/* -o OUT: a temporary file next to it, renamed over it once complete. */
static int open_output(const char *out, char *tmp, size_t tmplen)
{
	int fd;

	if (!out)
		return STDOUT_FILENO;
	snprintf(tmp, tmplen, "%s.XXXXXX", out);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "mkinitramfs: %s: %s\n", out, strerror(errno));
		return -1;
	}
	(void)fchmod(fd, 0644);
	return fd;
}

static int write_archive(struct mk *mk, struct opts *o)
{
	int ret = put_list(mk, o->list);

	if (!ret && o->mods.dir)
		ret = put_modules(mk, &o->mods);
	if (!ret)
		ret = cpio_write_trailer(&mk->w, 512);
	if (!ret)
		ret = out_close(&mk->out);
	if (ret && !mk->errors) {
		snprintf(mk->where, sizeof(mk->where), "%s", o->out ? o->out : "stdout");
		err(mk, "writing: %s", strerror(-ret));
	}
	return ret;
}

int main(int argc, char **argv)
{
	static struct mk mk = { .ino = 721 };
	static struct opts o = { .gzip = true, .level = 9 };
	char tmp[PATH_MAX];
	time_t now = time(NULL);
	int ret, fd;

	mk.now = now < 0 ? 0 : now > UINT32_MAX ? UINT32_MAX : (uint32_t)now;
	ret = parse_opts(argc, argv, &o, &mk);
	if (ret)
		return ret;
	if (select_modules(&mk, &o))
		return 1;
	fd = open_output(o.out, tmp, sizeof(tmp));
	if (fd < 0 || out_open(&mk.out, fd, o.gzip, o.level))
		return 1;
	cpio_writer_init(&mk.w, out_sink, &mk.out);
	ret = write_archive(&mk, &o);
	if (o.out && (close(fd) || ret || rename(tmp, o.out))) {
		if (!ret)
			fprintf(stderr, "mkinitramfs: %s: %s\n", o.out, strerror(errno));
		unlink(tmp);
		return 1;
	}
	return ret ? 1 : 0;
}
