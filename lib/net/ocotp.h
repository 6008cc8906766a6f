/* MAC addresses from i.MX OCOTP fuses, decoded as U-Boot's imx_get_mac_from_fuse does.
 * Pure: fed the bytes of the nvmem file, no I/O. */
#ifndef FERRY_OCOTP_H
#define FERRY_OCOTP_H
#include <stddef.h>
#include <stdint.h>

#define OCOTP_NVMEM_DEFAULT "/sys/bus/nvmem/devices/imx-ocotp0/nvmem"
/* nvmem byte offset of the MAC fuse words: OCOTP register offset 0x620 (i.MX6) or 0x640 (i.MX7,
 * i.MX8M*), as (reg - 0x400) / 0x10 * 4 because the nvmem file packs one 32-bit word per fuse row. */
#define OCOTP_OFF_IMX6   0x88
#define OCOTP_OFF_IMX8MP 0x90

struct ocotp_spec {
	char iface[16];
	int which;          /* 0: MAC0, 1: MAC1 */
	char path[128];     /* nvmem file */
	size_t offset;      /* nvmem byte offset of the first MAC word */
};

/* "IFACE:MAC0|MAC1[@PATH[:OFFSET]]", OFFSET a number (0x90) or imx6 | imx7 | imx8m | imx8mp.
 * Returns 0 or -EINVAL. */
int ocotp_parse_spec(const char *s, struct ocotp_spec *out);
/* Decode MAC0 or MAC1 from nvmem bytes. -ERANGE: the file is too short; -ENODATA: the fuses are
 * blank (all zero), leave the MAC alone; -EADDRNOTAVAIL: multicast or broadcast, not usable. */
int ocotp_mac_decode(const uint8_t *nvmem, size_t len, size_t offset, int which, uint8_t mac[6]);

#endif
