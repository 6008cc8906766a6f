#include <errno.h>
#include "t.h"
#include "../../lib/crypt/cryptspec.h"

static int parse(const char *v, struct crypt_spec *s, const char **why)
{
	char bad[64];
	*why = "";
	return cryptspec_parse(v, s, why, bad, sizeof(bad));
}

static void test_positional(void)
{
	struct crypt_spec s;
	const char *why;

	T_EQ(parse("data,LABEL=secure,keyfile:/etc/keys/data.key,cipher=aes-xts-plain64", &s, &why), 0);
	T_STREQ(s.name, "data");
	T_STREQ(s.device, "LABEL=secure");
	T_EQ(s.src, CRYPT_SRC_KEYFILE);
	T_STREQ(s.arg, "/etc/keys/data.key");
	T_STREQ(s.cipher, "aes-xts-plain64");
	T_EQ(s.sector, 512);
	T_OK(!s.provision);
	T_OK(s.check);
}

static void test_named_and_options(void)
{
	struct crypt_spec s;
	const char *why;

	T_EQ(parse("key=trusted:/data/vol.blob,device=/dev/vdb,name=vol,sector=4096,provision,"
		   "keyhandle=0x81000001,size=32,offset=2048,fstype=ext4,check=none", &s, &why), 0);
	T_STREQ(s.name, "vol");
	T_STREQ(s.device, "/dev/vdb");
	T_EQ(s.src, CRYPT_SRC_TRUSTED);
	T_STREQ(s.arg, "/data/vol.blob");
	T_EQ(s.sector, 4096);
	T_EQ(s.keyhandle, 0x81000001u);
	T_EQ(s.size, 32);
	T_EQ(s.offset, 2048);
	T_STREQ(s.fstype, "ext4");
	T_OK(!s.check);
	T_OK(s.provision);
	/* An "=" inside a positional device is not an option name. */
	T_EQ(parse("v,PARTUUID=1234-01,caam:/b.bb", &s, &why), 0);
	T_STREQ(s.device, "PARTUUID=1234-01");
	T_EQ(s.src, CRYPT_SRC_CAAM);
	T_EQ(parse("v,/dev/vda,auto:/b,provision,blobdev=LABEL=keys", &s, &why), 0);
	T_STREQ(s.blobdev, "LABEL=keys");
	T_EQ(s.src, CRYPT_SRC_AUTO);
}

static void test_errors(void)
{
	struct crypt_spec s;
	const char *why;
	char bad[64];
	static const char *const badv[] = {
		"", "data", "data,/dev/vda", "data,/dev/vda,nokey", "data,/dev/vda,magic:/x",
		"data,/dev/vda,keyfile:", "da/ta,/dev/vda,keyfile:/k", "..,/dev/vda,keyfile:/k",
		"data,/dev/vda,keyfile:/k,sector=1000", "data,/dev/vda,keyfile:/k,sector=8192",
		"data,/dev/vda,keyfile:/k,sector=-512", "data,/dev/vda,keyfile:/k,size=8",
		"data,/dev/vda,keyfile:/k,size=129", "data,/dev/vda,keyfile:/k,bogus=1",
		"data,/dev/vda,keyfile:/k,extra", "data,/dev/vda,keyfile:/k,provision",
		"data,/dev/vda,encrypted:/b,provision", "data,/dev/vda,encrypted:/b,master=kmk",
		"data,/dev/vda,trusted:/b,keyhandle=0", "data,/dev/vda,trusted:/b,keyhandle=0x1ffffffff",
		"data,/dev/vda,trusted:/b,offset=x", "data,/dev/vda,trusted:/b,check=maybe",
		"data,/dev/v da,trusted:/b", "data,,trusted:/b",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,/dev/vda,keyfile:/k",
	};
	for (size_t i = 0; i < sizeof(badv) / sizeof(badv[0]); i++) {
		why = NULL;
		int r = cryptspec_parse(badv[i], &s, &why, bad, sizeof(bad));
		T_CHECK(r == -EINVAL && why && *why, "accepted \"%s\"", badv[i]);
	}
	T_EQ(cryptspec_parse("data,/dev/vda,keyfile:/k,sector=1000", &s, &why, bad, sizeof(bad)), -EINVAL);
	T_STREQ(bad, "sector=1000");
	T_EQ(parse("data,/dev/vda,encrypted:/b,provision,master=trusted:kmk", &s, &why), 0);
	T_STREQ(s.master, "trusted:kmk");
}

static void test_table(void)
{
	struct crypt_spec s;
	const char *why;
	char t[CRYPT_TABLE_MAX];

	T_EQ(parse("data,/dev/vdb,keyfile:/k", &s, &why), 0);
	T_OK(cryptspec_table(&s, s.src, 64, 254, 16, t, sizeof(t)) > 0);
	T_STREQ(t, "aes-xts-plain64 :64:logon:ferry:data 0 254:16 0");
	T_EQ(parse("sec,/dev/mmcblk2p10,caam:/k.bb", &s, &why), 0);
	T_OK(cryptspec_table(&s, s.src, 36, 179, 10, t, sizeof(t)) > 0);
	T_STREQ(t, "capi:tk(cbc(aes))-plain :36:logon:ferry:sec 0 179:10 0");
	T_EQ(parse("v,/dev/vdb,trusted:/b,sector=4096,offset=8", &s, &why), 0);
	T_OK(cryptspec_table(&s, s.src, 64, 8, 0, t, sizeof(t)) > 0);
	T_STREQ(t, "aes-xts-plain64 :64:trusted:ferry:v 0 8:0 8 1 sector_size:4096");
	T_EQ(parse("v,/dev/vdb,encrypted:/b,cipher=aes-cbc-essiv:sha256", &s, &why), 0);
	T_OK(cryptspec_table(&s, s.src, 32, 8, 1, t, sizeof(t)) > 0);
	T_STREQ(t, "aes-cbc-essiv:sha256 :32:encrypted:ferry:v 0 8:1 0");
	/* auto must be resolved before a table is built; a short buffer is refused, not cut. */
	T_EQ(cryptspec_table(&s, CRYPT_SRC_AUTO, 32, 8, 1, t, sizeof(t)), -EINVAL);
	T_EQ(cryptspec_table(&s, s.src, 0, 8, 1, t, sizeof(t)), -EINVAL);
	T_EQ(cryptspec_table(&s, s.src, 32, 8, 1, t, 10), -ENOSPC);
	T_EQ(cryptspec_keydesc(&s, t, sizeof(t)), 7);
	T_STREQ(t, "ferry:v");
}

static void test_length(void)
{
	struct crypt_spec s;
	const char *why;

	T_EQ(parse("v,/dev/vdb,keyfile:/k", &s, &why), 0);
	T_EQ(cryptspec_length(&s, 2048, &why), 2048);
	T_EQ(parse("v,/dev/vdb,keyfile:/k,sector=4096,offset=3", &s, &why), 0);
	T_EQ(cryptspec_length(&s, 2048, &why), 2040);
	why = NULL;
	T_EQ(cryptspec_length(&s, 3, &why), 0);
	T_OK(why != NULL);
	why = NULL;
	T_EQ(cryptspec_length(&s, 10, &why), 0);
	T_OK(why != NULL);
	T_EQ(cryptspec_default_size(CRYPT_SRC_CAAM), 32);
	T_STREQ(cryptspec_src_name(CRYPT_SRC_TRUSTED), "trusted");
	T_STREQ(cryptspec_src_name(CRYPT_SRC_NONE), "none");
}

int main(void)
{
	test_positional();
	test_named_and_options();
	test_errors();
	test_table();
	test_length();
	return T_DONE();
}
