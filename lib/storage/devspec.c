/* Device specifications: /dev paths, blkid-style tags, major:minor and the UBI forms. */
#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "devspec.h"

static const struct {
	const char *prefix;      /* "LABEL=" form, compared case-insensitively as mount(8) does */
	const char *byname;      /* the udev symlink directory users may still write */
	enum devspec_kind kind;
} tags[] = {
	{ "LABEL=",     "/dev/disk/by-label/",     DEVSPEC_LABEL },
	{ "UUID=",      "/dev/disk/by-uuid/",      DEVSPEC_UUID },
	{ "PARTUUID=",  "/dev/disk/by-partuuid/",  DEVSPEC_PARTUUID },
	{ "PARTLABEL=", "/dev/disk/by-partlabel/", DEVSPEC_PARTLABEL },
};

/* Copy v into out, decoding the \xHH escapes udev uses in by-label names ("my\x20disk"). */
static int copy_value(char *out, const char *v, size_t n, int decode)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (decode && c == '\\' && i + 3 < n && v[i + 1] == 'x' &&
		    isxdigit((unsigned char)v[i + 2]) && isxdigit((unsigned char)v[i + 3])) {
			char hex[3] = { v[i + 2], v[i + 3], 0 };
			c = (char)strtol(hex, NULL, 16);
			i += 3;
		}
		if (c == '\0')
			return -EINVAL;
		if (o + 1 >= DEVSPEC_MAX)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return o ? 0 : -EINVAL;
}

/* Digits only, at least one, fitting an unsigned: returns the end or NULL. */
static const char *parse_uint(const char *s, unsigned *out)
{
	unsigned v = 0;
	const char *p = s;

	/* checked before the multiply: on 32-bit, unsigned long is as wide as unsigned and wraps */
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT_MAX - d) / 10)
			return NULL;
		v = v * 10 + d;
	}
	if (p == s)
		return NULL;
	*out = v;
	return p;
}

/* ubiN:name, ubiN_M (what ubifs and the meta layer accept). 1: parsed, 0: not a UBI form. */
static int parse_ubi(const char *s, size_t n, struct devspec *d)
{
	const char *p;

	if (strncmp(s, "ubi", 3) || !(p = parse_uint(s + 3, &d->ubi)))
		return 0;
	if (*p == ':') {
		d->kind = DEVSPEC_UBI_NAME;
		int ret = copy_value(d->value, p + 1, n - (size_t)(p + 1 - s), 0);
		return ret ? ret : 1;
	}
	if (*p == '_' && (p = parse_uint(p + 1, &d->vol)) && *p == '\0') {
		d->kind = DEVSPEC_UBI_VOL;
		return copy_value(d->value, s, n, 0) ? -EINVAL : 1;
	}
	return 0;
}

static int parse_majmin(const char *s, struct devspec *d)
{
	const char *p = parse_uint(s, &d->major);

	if (!p || *p != ':' || !(p = parse_uint(p + 1, &d->minor)) || *p)
		return 0;
	d->kind = DEVSPEC_MAJMIN;
	snprintf(d->value, sizeof(d->value), "%u:%u", d->major, d->minor);
	return 1;
}

static int parse_tag(const char *s, size_t n, struct devspec *d)
{
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t pl = strlen(tags[i].prefix), bl = strlen(tags[i].byname);
		if (n >= pl && !strncasecmp(s, tags[i].prefix, pl)) {
			d->kind = tags[i].kind;
			int ret = copy_value(d->value, s + pl, n - pl, 0);
			return ret ? ret : 1;
		}
		if (n > bl && !strncmp(s, tags[i].byname, bl)) {
			d->kind = tags[i].kind;
			int ret = copy_value(d->value, s + bl, n - bl, 1);
			return ret ? ret : 1;
		}
	}
	return 0;
}

int devspec_parse(const char *s, struct devspec *d)
{
	size_t n = strlen(s);
	int ret;

	memset(d, 0, sizeof(*d));
	/* LABEL="my disk": the quotes protect spaces on the kernel command line */
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	if (!n || memchr(s, '"', n))
		return -EINVAL;
	if ((ret = parse_tag(s, n, d)))
		return ret < 0 ? ret : 0;
	char plain[DEVSPEC_MAX];
	if ((ret = copy_value(plain, s, n, 0)))
		return ret;
	if ((ret = parse_ubi(plain, n, d)) || (ret = parse_majmin(plain, d)))
		return ret < 0 ? ret : 0;
	if (plain[0] == '/') {
		d->kind = DEVSPEC_PATH;
		memcpy(d->value, plain, n + 1);
		return 0;
	}
	/* the kernel takes root=vda1 for /dev/vda1 */
	if (strchr(plain, '/') || strchr(plain, '=') || strchr(plain, ':') || n + 5 >= DEVSPEC_MAX)
		return -EINVAL;
	d->kind = DEVSPEC_PATH;
	memcpy(d->value, "/dev/", 5);
	memcpy(d->value + 5, plain, n + 1);
	return 0;
}

const char *devspec_tag(enum devspec_kind k)
{
	switch (k) {
	case DEVSPEC_LABEL: return "LABEL";
	case DEVSPEC_UUID: return "UUID";
	case DEVSPEC_PARTUUID: return "PARTUUID";
	case DEVSPEC_PARTLABEL: return "PARTLABEL";
	default: return NULL;
	}
}

int devspec_format(const struct devspec *d, char *out, size_t len)
{
	const char *tag = devspec_tag(d->kind);
	int n;

	if (tag)
		n = snprintf(out, len, "%s=%s", tag, d->value);
	else if (d->kind == DEVSPEC_UBI_NAME)
		n = snprintf(out, len, "ubi%u:%s", d->ubi, d->value);
	else
		n = snprintf(out, len, "%s", d->value);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
