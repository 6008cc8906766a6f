/* DHCPv6 messages (see dhcp6.h). */
#include <errno.h>
#include <string.h>
#include "dhcp6.h"

enum {
	OPT_CLIENTID = 1, OPT_SERVERID = 2, OPT_IA_NA = 3, OPT_IAADDR = 5, OPT_ORO = 6, OPT_PREFERENCE = 7,
	OPT_ELAPSED = 8, OPT_STATUS = 13, OPT_RAPID = 14, OPT_DNS = 23, OPT_BOOTFILE_URL = 59,
};
enum { DUID_LEN = 10 };

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p) { return (uint32_t)be16(p) << 16 | be16(p + 2); }

static void duid(uint8_t d[DUID_LEN], const uint8_t mac[6])
{
	d[0] = 0, d[1] = 3, d[2] = 0, d[3] = 1;  /* DUID-LL, ethernet */
	memcpy(d + 4, mac, 6);
}

struct w { uint8_t *p; size_t cap, n; };

static uint8_t *opt(struct w *w, uint16_t code, size_t len)
{
	uint8_t *o = w->p + w->n;

	if (w->n + 4 + len > w->cap) {
		w->n = w->cap + 1;
		return NULL;
	}
	o[0] = code >> 8, o[1] = code & 0xff, o[2] = len >> 8, o[3] = len & 0xff;
	w->n += 4 + len;
	return o + 4;
}

int dhcp6_build(uint8_t *buf, size_t cap, int type, uint32_t xid, const uint8_t mac[6], uint16_t elapsed_cs,
		const struct dhcp6_lease *from)
{
	static const uint8_t oro[] = { 0, OPT_DNS, 0, OPT_BOOTFILE_URL };
	struct w w = { buf, cap, 4 };
	uint8_t *o;

	if (cap < 4 || (type == DHCP6_REQUEST && !from))
		return -ENOSPC;
	buf[0] = type, buf[1] = xid >> 16, buf[2] = xid >> 8, buf[3] = xid;
	if ((o = opt(&w, OPT_CLIENTID, DUID_LEN)))
		duid(o, mac);
	if (type == DHCP6_REQUEST && (o = opt(&w, OPT_SERVERID, from->serverid_len)))
		memcpy(o, from->serverid, from->serverid_len);
	if (type != DHCP6_INFO_REQUEST && (o = opt(&w, OPT_IA_NA, 12 + (type == DHCP6_REQUEST ? 28 : 0)))) {
		memcpy(o, mac + 2, 4);              /* IAID; T1, T2 0: the server's choice */
		memset(o + 4, 0, 8);
		if (type == DHCP6_REQUEST) {
			o[12] = 0, o[13] = OPT_IAADDR, o[14] = 0, o[15] = 24;
			memcpy(o + 16, &from->addr, 16);
			memset(o + 32, 0, 8);
		}
	}
	if ((o = opt(&w, OPT_ELAPSED, 2)))
		o[0] = elapsed_cs >> 8, o[1] = elapsed_cs & 0xff;
	if ((o = opt(&w, OPT_ORO, sizeof(oro))))
		memcpy(o, oro, sizeof(oro));
	if (type == DHCP6_SOLICIT)
		(void)opt(&w, OPT_RAPID, 0);
	return w.n > cap ? -ENOSPC : (int)w.n;
}

static const char *status_name(unsigned code)
{
	static const char *const names[] = { "Success", "UnspecFail", "NoAddrsAvail", "NoBinding", "NotOnLink",
					     "UseMulticast" };

	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "an unknown status";
}

/* Our IA_NA: T1, T2 and its first address with a non-zero valid lifetime. */
static int ia_na(const uint8_t *o, size_t len, const uint8_t mac[6], struct dhcp6_lease *l, const char **why)
{
	if (len < 12)
		return *why = "IA_NA shorter than 12 bytes", -EBADMSG;
	if (memcmp(o, mac + 2, 4))
		return 0;  /* another IAID: not ours */
	l->t1 = be32(o + 4);
	l->t2 = be32(o + 8);
	for (size_t off = 12; off < len;) {
		size_t sl;
		if (len - off < 4 || (sl = be16(o + off + 2)) > len - off - 4)
			return *why = "IA_NA option runs past its end", -EBADMSG;
		if (be16(o + off) == OPT_STATUS && sl >= 2 && be16(o + off + 4))
			return *why = status_name(be16(o + off + 4)), -EPROTO;
		if (be16(o + off) == OPT_IAADDR) {
			if (sl < 24)
				return *why = "IAADDR shorter than 24 bytes", -EBADMSG;
			if (be32(o + off + 24) && be32(o + off + 20) <= be32(o + off + 24) && !l->valid) {
				memcpy(&l->addr, o + off + 4, 16);
				l->preferred = be32(o + off + 20);
				l->valid = be32(o + off + 24);
			}
		}
		off += 4 + sl;
	}
	return 0;
}

static int url_opt(const uint8_t *o, size_t len, struct dhcp6_lease *l, const char **why)
{
	if (len >= sizeof(l->bootfile))
		return *why = "boot file URL longer than 255 bytes", -EBADMSG;
	for (size_t i = 0; i < len; i++)
		if (o[i] < 0x21 || o[i] > 0x7e)
			return *why = "boot file URL with a space or control character", -EBADMSG;
	memcpy(l->bootfile, o, len);
	l->bootfile[len] = 0;
	return 0;
}

int dhcp6_parse(const uint8_t *p, size_t len, uint32_t xid, const uint8_t mac[6], bool want_addr,
		struct dhcp6_lease *l, const char **why)
{
	uint8_t want[DUID_LEN];
	bool client = false;
	int ret = 0;

	memset(l, 0, sizeof(*l));
	*why = NULL;
	if (len < 4 || (p[0] != DHCP6_ADVERTISE && p[0] != DHCP6_REPLY))
		return *why = "not an Advertise or a Reply", -ESRCH;
	if ((uint32_t)(p[1] << 16 | p[2] << 8 | p[3]) != (xid & 0xffffff))
		return *why = "another transaction", -ESRCH;
	l->type = p[0];
	duid(want, mac);
	for (size_t off = 4; off < len && !ret;) {
		const uint8_t *o = p + off + 4;
		size_t ol;
		if (len - off < 4 || (ol = be16(p + off + 2)) > len - off - 4)
			return *why = "option runs past the end", -EBADMSG;
		switch (be16(p + off)) {
		case OPT_CLIENTID:
			if (ol != DUID_LEN || memcmp(o, want, DUID_LEN))
				return *why = "another client's id", -ESRCH;
			client = true;
			break;
		case OPT_SERVERID:
			if (!ol || ol > DHCP6_DUID_MAX)
				return *why = "server id of a bad length", -EBADMSG;
			memcpy(l->serverid, o, ol);
			l->serverid_len = ol;
			break;
		case OPT_PREFERENCE: l->pref = ol ? o[0] : 0; break;
		case OPT_RAPID: l->rapid = true; break;
		case OPT_STATUS:
			if (ol >= 2 && be16(o))
				return *why = status_name(be16(o)), -EPROTO;
			break;
		case OPT_IA_NA: ret = ia_na(o, ol, mac, l, why); break;
		case OPT_DNS:
			if (ol % 16)
				return *why = "DNS servers not a multiple of 16 bytes", -EBADMSG;
			for (size_t i = 0; i < ol && l->ndns < DHCP6_MAX_DNS; i += 16)
				memcpy(&l->dns[l->ndns++], o + i, 16);
			break;
		case OPT_BOOTFILE_URL: ret = url_opt(o, ol, l, why); break;
		}
		off += 4 + ol;
	}
	if (ret)
		return ret;
	if (!client)
		return *why = "no client id", -ESRCH;
	if (!l->serverid_len)
		return *why = "no server id", -EBADMSG;
	if (want_addr && !l->valid)
		return *why = "no address for our IA_NA", -EPROTO;
	if (l->t1 > l->t2 && l->t2)
		return *why = "T1 above T2", -EBADMSG;
	return 0;
}
