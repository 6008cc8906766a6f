/* ferry.crypt= values and dm-crypt table lines. Pure: no I/O, no globals that change. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cryptspec.h"

static const char *const src_names[] = {
	[CRYPT_SRC_KEYFILE] = "keyfile",
	[CRYPT_SRC_CAAM] = "caam",
	[CRYPT_SRC_TRUSTED] = "trusted",
	[CRYPT_SRC_ENCRYPTED] = "encrypted",
	[CRYPT_SRC_AUTO] = "auto",
};

const char *cryptspec_src_name(enum crypt_src src)
{
	if (src <= CRYPT_SRC_NONE || src > CRYPT_SRC_AUTO)
		return "none";
	return src_names[src];
}

enum crypt_src cryptspec_src_from(const char *name, size_t len)
{
	for (int i = CRYPT_SRC_KEYFILE; i <= CRYPT_SRC_AUTO; i++)
		if (strlen(src_names[i]) == len && !memcmp(src_names[i], name, len))
			return i;
	return CRYPT_SRC_NONE;
}

const char *cryptspec_default_cipher(enum crypt_src src)
{
	/* The CAAM black key can only be used by the CAAM's own tk() transforms. */
	if (src == CRYPT_SRC_CAAM)
		return "capi:tk(cbc(aes))-plain";
	return "aes-xts-plain64";
}

unsigned cryptspec_default_size(enum crypt_src src)
{
	/* tk(cbc(aes)) takes one AES-256 key; xts takes two. */
	return src == CRYPT_SRC_CAAM ? 32 : 64;
}

/* Copy a field into a fixed buffer; fails on empty, too long or an embedded control/space. */
static int copy_field(char *dst, size_t dstlen, const char *v, size_t n)
{
	if (n == 0 || n >= dstlen)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == 0x7f)
			return -EINVAL;
	memcpy(dst, v, n);
	dst[n] = '\0';
	return 0;
}

/* Parse an unsigned decimal (or 0x hex) that fills the whole field. */
static int parse_u64(const char *v, size_t n, uint64_t max, uint64_t *out)
{
	char buf[24];
	char *end;

	if (n == 0 || n >= sizeof(buf) || v[0] == '-' || v[0] == '+')
		return -EINVAL;
	memcpy(buf, v, n);
	buf[n] = '\0';
	errno = 0;
	unsigned long long x = strtoull(buf, &end, 0);
	if (errno || *end || x > max)
		return -EINVAL;
	*out = x;
	return 0;
}

/* A dm name becomes /dev/mapper/<name> and part of a key description: keep it to a safe set. */
static int set_name(struct crypt_spec *s, const char *v, size_t n)
{
	if (n == 0 || n >= CRYPT_NAME_MAX || (v[0] == '.' && (n == 1 || (n == 2 && v[1] == '.'))))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return -EINVAL;
	}
	return copy_field(s->name, sizeof(s->name), v, n);
}

static int set_device(struct crypt_spec *s, const char *v, size_t n)
{
	return copy_field(s->device, sizeof(s->device), v, n);
}

/* SOURCE:ARG; auto needs an argument like the others (the blob file). */
static int set_key(struct crypt_spec *s, const char *v, size_t n)
{
	const char *colon = memchr(v, ':', n);

	if (!colon)
		return -EINVAL;
	s->src = cryptspec_src_from(v, colon - v);
	if (s->src == CRYPT_SRC_NONE)
		return -EINVAL;
	return copy_field(s->arg, sizeof(s->arg), colon + 1, n - (colon + 1 - v));
}

static int set_blobdev(struct crypt_spec *s, const char *v, size_t n)
{
	return copy_field(s->blobdev, sizeof(s->blobdev), v, n);
}

static int set_cipher(struct crypt_spec *s, const char *v, size_t n)
{
	return copy_field(s->cipher, sizeof(s->cipher), v, n);
}

static int set_sector(struct crypt_spec *s, const char *v, size_t n)
{
	uint64_t x;

	if (parse_u64(v, n, 4096, &x) || x < 512 || (x & (x - 1)))
		return -EINVAL;
	s->sector = x;
	return 0;
}

static int set_size(struct crypt_spec *s, const char *v, size_t n)
{
	uint64_t x;

	if (parse_u64(v, n, CRYPT_KEY_MAX, &x) || x < CRYPT_KEY_MIN)
		return -EINVAL;
	s->size = x;
	return 0;
}

static int set_keyhandle(struct crypt_spec *s, const char *v, size_t n)
{
	uint64_t x;

	if (parse_u64(v, n, UINT32_MAX, &x) || x == 0)
		return -EINVAL;
	s->keyhandle = x;
	return 0;
}

static int set_master(struct crypt_spec *s, const char *v, size_t n)
{
	if (!((n > 8 && !memcmp(v, "trusted:", 8)) || (n > 5 && !memcmp(v, "user:", 5))))
		return -EINVAL;
	return copy_field(s->master, sizeof(s->master), v, n);
}

static int set_offset(struct crypt_spec *s, const char *v, size_t n)
{
	/* Bounded so that offset + length arithmetic cannot overflow. */
	return parse_u64(v, n, UINT64_MAX / 4, &s->offset);
}

static int set_fstype(struct crypt_spec *s, const char *v, size_t n)
{
	return copy_field(s->fstype, sizeof(s->fstype), v, n);
}

static int set_check(struct crypt_spec *s, const char *v, size_t n)
{
	if (n == 2 && !memcmp(v, "fs", 2))
		s->check = true;
	else if (n == 4 && !memcmp(v, "none", 4))
		s->check = false;
	else
		return -EINVAL;
	return 0;
}

struct opt {
	const char *name;
	int (*set)(struct crypt_spec *s, const char *v, size_t n);
	const char *why;
};

static const struct opt opts[] = {
	{ "name",      set_name,      "bad name (letters, digits, - _ ., at most 63)" },
	{ "device",    set_device,    "bad device" },
	{ "key",       set_key,       "bad key source (keyfile|caam|trusted|encrypted|auto):ARG" },
	{ "blobdev",   set_blobdev,   "bad blobdev" },
	{ "cipher",    set_cipher,    "bad cipher" },
	{ "sector",    set_sector,    "bad sector size (512, 1024, 2048 or 4096)" },
	{ "size",      set_size,      "bad key size (16..128 bytes)" },
	{ "keyhandle", set_keyhandle, "bad keyhandle (a TPM handle such as 0x81000001)" },
	{ "master",    set_master,    "bad master key (trusted:DESC or user:DESC)" },
	{ "offset",    set_offset,    "bad offset (512-byte sectors)" },
	{ "fstype",    set_fstype,    "bad fstype" },
	{ "check",     set_check,     "bad check (fs or none)" },
	{ NULL, NULL, NULL },
};

/* "opt=value" with a known opt name, or NULL (then the field is positional). */
static const struct opt *named(const char *f, size_t n, const char **v)
{
	const char *eq = memchr(f, '=', n);

	if (!eq)
		return NULL;
	for (const struct opt *o = opts; o->name; o++)
		if (strlen(o->name) == (size_t)(eq - f) && !memcmp(o->name, f, eq - f)) {
			*v = eq + 1;
			return o;
		}
	return NULL;
}

static void set_bad(char *bad, size_t badlen, const char *f, size_t n)
{
	if (!bad || !badlen)
		return;
	if (n >= badlen)
		n = badlen - 1;
	memcpy(bad, f, n);
	bad[n] = '\0';
}

/* One comma-separated field: "provision", a named option, or the next positional one. */
static int parse_field(struct crypt_spec *s, const char *f, size_t n, int *pos, const char **why)
{
	static const struct opt *const positional[] = { &opts[0], &opts[1], &opts[2] };
	const char *v;
	const struct opt *o;

	if (n == 9 && !memcmp(f, "provision", 9)) {
		s->provision = true;
		return 0;
	}
	o = named(f, n, &v);
	if (!o) {
		if (*pos >= 3) {
			*why = "unknown option";
			return -EINVAL;
		}
		o = positional[(*pos)++];
		v = f;
	}
	if (o->set(s, v, n - (v - f)) < 0) {
		*why = o->why;
		return -EINVAL;
	}
	return 0;
}

/* Required fields and per-source defaults, once every field is in. */
static int finish(struct crypt_spec *s, const char **why)
{
	if (!s->name[0] || !s->device[0] || s->src == CRYPT_SRC_NONE) {
		*why = "needs NAME,DEVICE,SOURCE:ARG";
		return -EINVAL;
	}
	if (s->provision && s->src == CRYPT_SRC_KEYFILE) {
		*why = "provision needs a sealed key (caam, trusted, encrypted or auto), not a keyfile";
		return -EINVAL;
	}
	if (s->provision && s->src == CRYPT_SRC_ENCRYPTED && !s->master[0]) {
		*why = "provision of an encrypted key needs master=trusted:DESC or master=user:DESC";
		return -EINVAL;
	}
	if (!s->sector)
		s->sector = 512;
	return 0;
}

int cryptspec_parse(const char *val, struct crypt_spec *s, const char **why, char *bad, size_t badlen)
{
	const char *p = val;
	int pos = 0;

	memset(s, 0, sizeof(*s));
	s->check = true;
	set_bad(bad, badlen, "", 0);
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (parse_field(s, p, n, &pos, why) < 0) {
			set_bad(bad, badlen, p, n);
			return -EINVAL;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return finish(s, why);
}

int cryptspec_keydesc(const struct crypt_spec *s, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "ferry:%s", s->name);

	return n < 0 || (size_t)n >= outlen ? -ENOSPC : n;
}

uint64_t cryptspec_length(const struct crypt_spec *s, uint64_t dev_sectors, const char **why)
{
	uint64_t per = (s->sector ? s->sector : 512) / 512;
	uint64_t len;

	if (dev_sectors <= s->offset) {
		*why = "the device is not larger than offset=";
		return 0;
	}
	len = (dev_sectors - s->offset) / per * per;
	if (!len)
		*why = "the device is smaller than one crypt sector";
	return len;
}

static const char *key_type(enum crypt_src src)
{
	switch (src) {
	case CRYPT_SRC_KEYFILE:
	case CRYPT_SRC_CAAM:
		return "logon";
	case CRYPT_SRC_TRUSTED:
		return "trusted";
	case CRYPT_SRC_ENCRYPTED:
		return "encrypted";
	default:
		return NULL;
	}
}

int cryptspec_table(const struct crypt_spec *s, enum crypt_src src, unsigned keylen,
		    unsigned major, unsigned minor, char *out, size_t outlen)
{
	const char *type = key_type(src);
	const char *cipher = s->cipher[0] ? s->cipher : cryptspec_default_cipher(src);
	char opt[32] = "";
	int n;

	if (!type || !keylen || keylen > 4096)
		return -EINVAL;
	/* sector_size:512 is the kernel default; leaving it out keeps old kernels happy. */
	if (s->sector && s->sector != 512)
		snprintf(opt, sizeof(opt), " 1 sector_size:%u", s->sector);
	n = snprintf(out, outlen, "%s :%u:%s:ferry:%s 0 %u:%u %" PRIu64 "%s",
		     cipher, keylen, type, s->name, major, minor, s->offset, opt);
	if (n < 0 || (size_t)n >= outlen)
		return -ENOSPC;
	return n;
}
