/* meta-readonly-rootfs-overlay's parameters, their defaults, and mount options as flags + data. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include "rootopts.h"

static const struct {
	const char *name;
	unsigned long set, clear;
} mflags[] = {
	{ "ro", MS_RDONLY, 0 },           { "rw", 0, MS_RDONLY },
	{ "noatime", MS_NOATIME, 0 },     { "atime", 0, MS_NOATIME },
	{ "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
	{ "relatime", MS_RELATIME, 0 },   { "norelatime", 0, MS_RELATIME },
	{ "strictatime", MS_STRICTATIME, 0 }, { "lazytime", MS_LAZYTIME, 0 },
	{ "nolazytime", 0, MS_LAZYTIME }, { "nosuid", MS_NOSUID, 0 },
	{ "suid", 0, MS_NOSUID },         { "nodev", MS_NODEV, 0 },
	{ "dev", 0, MS_NODEV },           { "noexec", MS_NOEXEC, 0 },
	{ "exec", 0, MS_NOEXEC },         { "sync", MS_SYNCHRONOUS, 0 },
	{ "async", 0, MS_SYNCHRONOUS },   { "dirsync", MS_DIRSYNC, 0 },
	{ "silent", MS_SILENT, 0 },       { "loud", 0, MS_SILENT },
	{ "defaults", 0, 0 },
};

bool rootopts_takes_mode(const char *fstype)
{
	return fstype && (!strcmp(fstype, "tmpfs") || !strcmp(fstype, "ramfs"));
}

static bool mount_flag(const char *w, size_t n, unsigned long *flags)
{
	for (size_t i = 0; i < sizeof(mflags) / sizeof(mflags[0]); i++) {
		if (strlen(mflags[i].name) == n && !strncmp(w, mflags[i].name, n)) {
			*flags = (*flags & ~mflags[i].clear) | mflags[i].set;
			return true;
		}
	}
	return false;
}

int rootopts_mount_opts(const char *opts, const char *fstype, unsigned long *flags,
			char *data, size_t len, bool *dropped)
{
	size_t used = 0;

	*flags = 0;
	*dropped = false;
	if (!len)
		return -E2BIG;
	data[0] = '\0';
	for (const char *w = opts ? opts : ""; *w; ) {
		size_t n = strcspn(w, ",");
		if (n && !mount_flag(w, n, flags)) {
			if (n > 5 && !strncmp(w, "mode=", 5) && !rootopts_takes_mode(fstype)) {
				*dropped = true;
			} else {
				if (used + !!used + n + 1 > len)
					return -E2BIG;
				if (used)
					data[used++] = ',';
				memcpy(data + used, w, n);
				data[used += n] = '\0';
			}
		}
		w += n + (w[n] == ',');
	}
	return 0;
}

static int copy_str(char *dst, size_t len, const char *src, const char *key, struct root_plan *out)
{
	if (strlen(src) >= len) {
		out->bad_key = key;
		return -ENAMETOOLONG;
	}
	strcpy(dst, src);
	return 0;
}

/* root=/rootrw= and their type/options into one root_mount. */
static int plan_mount(struct root_mount *m, const char *dev, const char *devkey, const char *type,
		      const char *typekey, const char *opts, const char *optskey, struct root_plan *out)
{
	int ret;

	if (dev && *dev) {
		m->present = true;
		if ((ret = devspec_parse(dev, &m->dev))) {
			out->bad_key = devkey;
			return ret;
		}
	}
	if (type && *type && (ret = copy_str(m->fstype, sizeof(m->fstype), type, typekey, out)))
		return ret;
	/* UBI volumes are mounted by name; blkid cannot probe a UBI character device */
	if (!m->fstype[0] && m->present &&
	    (m->dev.kind == DEVSPEC_UBI_NAME || m->dev.kind == DEVSPEC_UBI_VOL))
		strcpy(m->fstype, "ubifs");
	return copy_str(m->opts, sizeof(m->opts), opts, optskey, out);
}

/* rootrwupperdir: a path below the rw mount; "/x/" is taken as "x", ".." and "work" are refused.
 * It lands in overlayfs's option string, where ',' ends an option, ':' separates layers and a backslash
 * escapes: none of them may reach it from a command line. */
static int plan_upperdir(const char *s, struct root_plan *out)
{
	char buf[sizeof(out->upperdir)];
	size_t n;

	s += strspn(s, "/");
	if (copy_str(buf, sizeof(buf), s, "rootrwupperdir", out))
		return -ENAMETOOLONG;
	if (strpbrk(buf, ",:\\"))
		goto bad;
	for (n = strlen(buf); n && buf[n - 1] == '/'; )
		buf[--n] = '\0';
	for (const char *c = buf; *c; c += strcspn(c, "/"), c += *c == '/') {
		size_t cl = strcspn(c, "/");
		if (!cl || (cl == 1 && c[0] == '.') || (cl == 2 && !strncmp(c, "..", 2)))
			goto bad;
	}
	if (!n || !strcmp(buf, ROOT_WORKDIR) || !strncmp(buf, ROOT_WORKDIR "/", 5))
		goto bad;
	strcpy(out->upperdir, buf);
	return 0;
bad:
	out->bad_key = "rootrwupperdir";
	return -EINVAL;
}

static int parse_yesno(const char *v, const char *key, bool *out, struct root_plan *plan)
{
	static const char *yes[] = { "yes", "y", "1", "true", "on" }, *no[] = { "no", "n", "0", "false", "off", "" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcasecmp(v, yes[i]))
			return *out = true, 0;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!strcasecmp(v, no[i]))
			return *out = false, 0;
	plan->bad_key = key;
	return -EINVAL;
}

static int plan_policy(const struct root_params *p, struct root_plan *out)
{
	int ret;

	if (p->rootrwreset && (ret = parse_yesno(p->rootrwreset, "rootrwreset", &out->reset, out)))
		return ret;
	if (!p->rootrwfallback || !strcmp(p->rootrwfallback, "tmpfs"))
		out->fallback = ROOT_FALLBACK_TMPFS;
	else if (!strcmp(p->rootrwfallback, "fail"))
		out->fallback = ROOT_FALLBACK_FAIL;
	else
		return out->bad_key = "rootrwfallback", -EINVAL;
	/* init= wins unless it names ferry itself: then rootinit= runs (default /sbin/init) */
	const char *init = p->init && *p->init && !p->init_is_ferry ? p->init :
			   p->rootinit && *p->rootinit ? p->rootinit : ROOT_DEFAULT_INIT;
	if (init[0] != '/')
		return out->bad_key = init == p->init ? "init" : "rootinit", -EINVAL;
	if ((ret = copy_str(out->init, sizeof(out->init), init, init == p->init ? "init" : "rootinit", out)))
		return ret;
	if (p->preinit && *p->preinit && p->preinit[0] != '/')
		return out->bad_key = "preinit", -EINVAL;
	return copy_str(out->preinit, sizeof(out->preinit), p->preinit ? p->preinit : "", "preinit", out);
}

int rootopts_plan(const struct root_params *p, struct root_plan *out)
{
	const char *lopts = p->rootoptions ? p->rootoptions : p->rootflags ? p->rootflags : ROOT_LOWER_OPTS;
	const char *lkey = p->rootoptions ? "rootoptions" : "rootflags";
	int ret;

	memset(out, 0, sizeof(*out));
	if ((ret = plan_mount(&out->lower, p->root, "root", p->rootfstype, "rootfstype", lopts, lkey, out)))
		return ret;
	if ((ret = plan_mount(&out->rw, p->rootrw, "rootrw", p->rootrwfstype, "rootrwfstype",
			      p->rootrwoptions ? p->rootrwoptions : ROOT_RW_OPTS, "rootrwoptions", out)))
		return ret;
	if (!out->rw.present)
		strcpy(out->rw.fstype, "tmpfs");
	if ((ret = plan_upperdir(p->rootrwupperdir ? p->rootrwupperdir : "upperdir", out)))
		return ret;
	return plan_policy(p, out);
}
