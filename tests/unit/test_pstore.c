/* pstore_verity(): the previous boot's end, read from pstore records shaped as the kernel (6.1)
 * writes them (ramoops, "Shutdown#1 Part1" then syslog-style lines). */
#include <string.h>
#include "t.h"
#include "../../lib/storage/pstore.h"

static const char restart[] =
	"Shutdown#1 Part1\n"
	"<6>[    3.101112] EXT4-fs (vdc): mounted filesystem with ordered data mode.\n"
	"<3>[    9.876543] device-mapper: verity: 254:0: data block 300 is corrupted\n"
	"<3>[    9.876600] device-mapper: verity: 254:0: data block 301 is corrupted\n"
	"<0>[    9.880000] reboot: Restarting system with command 'dm-verity device corrupted'\n";

static const char panic_rec[] =
	"Panic#1 Part1\n"
	"<3>[    4.000000] device-mapper: verity: 254:0: metadata block 7 is corrupted\n"
	"<0>[    4.000100] Kernel panic - not syncing: dm-verity device corrupted\n";

static enum pstore_verity pv(const char *s, size_t n, char *b, size_t bl) { return pstore_verity(s, n, b, bl); }

int main(void)
{
	char b[128];

	T_EQ(pv(restart, strlen(restart), b, sizeof(b)), PSTORE_VERITY_RESTART);
	T_STREQ(b, "device-mapper: verity: 254:0: data block 301 is corrupted");
	T_EQ(pv(panic_rec, strlen(panic_rec), b, sizeof(b)), PSTORE_VERITY_PANIC);
	T_STREQ(b, "device-mapper: verity: 254:0: metadata block 7 is corrupted");

	/* a restart for another reason, a plain oops, an empty record: nothing */
	static const char other[] = "Shutdown#1 Part1\n<0>[ 1.0] reboot: Restarting system with command 'bootloader'\n";
	T_EQ(pv(other, strlen(other), b, sizeof(b)), PSTORE_VERITY_NONE);
	T_STREQ(b, "");
	static const char oops[] = "Oops#1 Part1\n<3>[ 2.0] device-mapper: verity: 254:0: data block 1 is corrupted\n";
	T_EQ(pv(oops, strlen(oops), b, sizeof(b)), PSTORE_VERITY_NONE);
	T_EQ(pv("", 0, b, sizeof(b)), PSTORE_VERITY_NONE);

	/* the cause without the block line (the record cut before it): the restart, no detail */
	const char *cause = strstr(restart, "<0>");
	T_EQ(pv(cause, strlen(cause), b, sizeof(b)), PSTORE_VERITY_RESTART);
	T_STREQ(b, "");

	/* cut inside the cause: len is respected, nothing is found */
	T_EQ(pv(restart, strlen(restart) - 5, b, sizeof(b)), PSTORE_VERITY_NONE);

	/* a short output buffer: cut, still terminated */
	char s[12];
	T_EQ(pv(restart, strlen(restart), s, sizeof(s)), PSTORE_VERITY_RESTART);
	T_STREQ(s, "device-mapp");

	/* binary bytes in the line are dropped, NULs in the record do not stop the search */
	static const char bin[] = "x\0y\n<3>[ 1.0] device-mapper: verity: 254:0: data\x01\x1b block 9 is corrupted\n"
		"\0<0>[ 1.1] reboot: Restarting system with command 'dm-verity device corrupted'\n";
	T_EQ(pv(bin, sizeof(bin) - 1, b, sizeof(b)), PSTORE_VERITY_RESTART);
	T_STREQ(b, "device-mapper: verity: 254:0: data block 9 is corrupted");

	/* "is corrupted" on a line that is not verity's does not count */
	static const char fs[] = "<3>[ 1.0] EXT4-fs: block 5 is corrupted\n"
		"<0>[ 1.1] reboot: Restarting system with command 'dm-verity device corrupted'\n";
	T_EQ(pv(fs, strlen(fs), b, sizeof(b)), PSTORE_VERITY_RESTART);
	T_STREQ(b, "");
	return T_DONE();
}
