/* A dm-crypt volume as declared: ferry.crypt=NAME,DEVICE,KEYSOURCE:ARG[,opt=val...][,provision],
 * and the dm-crypt table line built from it. Pure: strings in, structs and strings out. */
#ifndef FERRY_CRYPTSPEC_H
#define FERRY_CRYPTSPEC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum crypt_src {
	CRYPT_SRC_NONE = 0,
	CRYPT_SRC_KEYFILE,   /* raw key bytes in a file, loaded as a logon key */
	CRYPT_SRC_CAAM,      /* NXP CAAM black blob, imported through /dev/caam-keygen */
	CRYPT_SRC_TRUSTED,   /* kernel trusted key blob (TPM, CAAM or TEE backend) */
	CRYPT_SRC_ENCRYPTED, /* kernel encrypted key blob, sealed by a trusted or user master key */
	CRYPT_SRC_AUTO,      /* caam when /dev/caam-keygen exists, otherwise trusted */
};

#define CRYPT_NAME_MAX 64     /* dm allows 128; a key description and a path are built from it */
#define CRYPT_PATH_MAX 256
#define CRYPT_CIPHER_MAX 64
#define CRYPT_KEY_MIN 16
#define CRYPT_KEY_MAX 128     /* a trusted key payload tops out at 128 bytes */
#define CRYPT_TABLE_MAX 512

struct crypt_spec {
	char name[CRYPT_NAME_MAX];     /* /dev/mapper/<name> */
	char device[CRYPT_PATH_MAX];   /* /dev/..., LABEL=, UUID=, PARTUUID=, PARTLABEL= */
	enum crypt_src src;
	char arg[CRYPT_PATH_MAX];      /* the key file or the blob file */
	char blobdev[CRYPT_PATH_MAX];  /* filesystem holding arg (arg is then relative to its root) */
	char cipher[CRYPT_CIPHER_MAX]; /* "" until parsed: then the source's default */
	unsigned sector;               /* dm-crypt sector size: 512 (default) ... 4096 */
	unsigned size;                 /* key bytes to create when provisioning (0: source default) */
	uint32_t keyhandle;            /* trusted: TPM 2.0 parent handle (0: none) */
	char master[CRYPT_NAME_MAX];   /* encrypted: "trusted:DESC" or "user:DESC" to seal new keys */
	uint64_t offset;               /* first data sector on the device (512-byte units) */
	char fstype[16];               /* expected filesystem; "" accepts any that libblkid knows */
	bool check;                    /* a mapped volume must hold a known filesystem (default on) */
	bool provision;                /* create key + blob on first boot when the blob is missing */
};

/* Parse one ferry.crypt value. Fields are positional (NAME, DEVICE, SOURCE:ARG) or named
 * (name=, device=, key=) in any order, then options. On error returns -EINVAL and points *why at
 * a static description (the offending field is copied into bad[badlen] when bad is not NULL). */
int cryptspec_parse(const char *val, struct crypt_spec *s, const char **why, char *bad, size_t badlen);

const char *cryptspec_src_name(enum crypt_src src);
enum crypt_src cryptspec_src_from(const char *name, size_t len);

/* The kernel key description used for a volume: "ferry:<name>" (logon keys need a "prefix:"). */
int cryptspec_keydesc(const struct crypt_spec *s, char *out, size_t outlen);

/* Mapped length in 512-byte sectors for a device of dev_sectors: what is left after the offset,
 * rounded down to the crypt sector size. 0 with *why set when nothing is left to map. */
uint64_t cryptspec_length(const struct crypt_spec *s, uint64_t dev_sectors, const char **why);

/* The dm-crypt target parameters: "<cipher> :<keylen>:<keytype>:<desc> 0 <maj>:<min> <offset>
 * [1 sector_size:<n>]". src is the resolved source (never AUTO). Returns the length, -ENOSPC
 * when out is too small, -EINVAL for a bad combination. */
int cryptspec_table(const struct crypt_spec *s, enum crypt_src src, unsigned keylen,
		    unsigned major, unsigned minor, char *out, size_t outlen);

/* The cipher a source uses when cipher= is absent. */
const char *cryptspec_default_cipher(enum crypt_src src);
/* Key bytes created when provisioning and size= is absent. */
unsigned cryptspec_default_size(enum crypt_src src);

#endif
