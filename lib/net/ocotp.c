/* i.MX OCOTP MAC fuses. Three consecutive 32-bit little-endian words w0 w1 w2 hold two MACs:
 *   MAC0 = w1[15:0] w0[31:0]          (bytes: w1>>8, w1, w0>>24, w0>>16, w0>>8, w0)
 *   MAC1 = w2[31:0] w1[31:16]         (bytes: w2>>24 .. w2, w1>>24, w1>>16)
 * which is U-Boot's imx_get_mac_from_fuse for dev_id 0 and 1 (mach-imx/mx6/soc.c for the
 * i.MX6SX/UL/ULL/SLL second FEC, mach-imx/mx7/soc.c, mach-imx/imx8m/soc.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ocotp.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int ocotp_mac_decode(const uint8_t *nvmem, size_t len, size_t offset, int which, uint8_t mac[6])
{
	uint32_t w0, w1, w2;

	if (which != 0 && which != 1)
		return -EINVAL;
	if (offset > len || len - offset < 12)
		return -ERANGE;
	w0 = le32(nvmem + offset);
	w1 = le32(nvmem + offset + 4);
	w2 = le32(nvmem + offset + 8);
	if (which == 0) {
		mac[0] = w1 >> 8; mac[1] = w1;
		mac[2] = w0 >> 24; mac[3] = w0 >> 16; mac[4] = w0 >> 8; mac[5] = w0;
	} else {
		mac[0] = w2 >> 24; mac[1] = w2 >> 16; mac[2] = w2 >> 8; mac[3] = w2;
		mac[4] = w1 >> 24; mac[5] = w1 >> 16;
	}
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -ENODATA;
	/* An unprogrammed part reads 0; a multicast bit means the fuses are not a unicast MAC. */
	if (mac[0] & 1)
		return -EADDRNOTAVAIL;
	return 0;
}

static int parse_offset(const char *s, size_t *out)
{
	static const struct { const char *name; size_t off; } socs[] = {
		{ "imx6", OCOTP_OFF_IMX6 }, { "imx7", OCOTP_OFF_IMX8MP },
		{ "imx8m", OCOTP_OFF_IMX8MP }, { "imx8mp", OCOTP_OFF_IMX8MP },
	};
	char *end;
	unsigned long v;

	for (size_t i = 0; i < sizeof(socs) / sizeof(socs[0]); i++)
		if (!strcmp(s, socs[i].name)) {
			*out = socs[i].off;
			return 0;
		}
	errno = 0;
	v = strtoul(s, &end, 0);
	if (!*s || *end || errno || v > 1 << 20)
		return -EINVAL;
	*out = v;
	return 0;
}

int ocotp_parse_spec(const char *s, struct ocotp_spec *out)
{
	const char *colon = strchr(s, ':'), *at, *sel, *off;
	size_t n;

	memset(out, 0, sizeof(*out));
	strcpy(out->path, OCOTP_NVMEM_DEFAULT);
	out->offset = OCOTP_OFF_IMX8MP;
	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(out->iface))
		return -EINVAL;
	memcpy(out->iface, s, colon - s);
	sel = colon + 1;
	at = strchr(sel, '@');
	n = at ? (size_t)(at - sel) : strlen(sel);
	if (n == 4 && !strncmp(sel, "MAC0", 4))
		out->which = 0;
	else if (n == 4 && !strncmp(sel, "MAC1", 4))
		out->which = 1;
	else
		return -EINVAL;
	if (!at)
		return 0;
	/* The path is absolute; the offset follows its last ':' (paths with ':' are not supported). */
	off = strrchr(at + 1, ':');
	n = off ? (size_t)(off - at - 1) : strlen(at + 1);
	if (!n || n >= sizeof(out->path) || at[1] != '/')
		return -EINVAL;
	memcpy(out->path, at + 1, n);
	out->path[n] = 0;
	return off ? parse_offset(off + 1, &out->offset) : 0;
}
