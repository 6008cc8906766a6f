/* Logon keys in the process keyring, keep and release; trusted keys only where a TPM answers. */
#include <errno.h>
#include <keyutils.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "t.h"
#include "../../lib/crypt/keys.h"

static void test_logon(void)
{
	uint8_t key[64];
	char d[256];
	int32_t k, ring;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = i;
	k = keys_add_logon("ferry:unit", key, sizeof(key));
	if (k == -ENOSYS || k == -EPERM || k == -EACCES) {
		printf("skipped: keyctl not allowed here (%s)\n", strerror(-k));
		return;
	}
	T_OK(k > 0);
	T_OK(keyctl_describe(k, d, sizeof(d)) > 0);
	T_OK(!strncmp(d, "logon;", 6) && strstr(d, ";ferry:unit"));
	/* Logon keys cannot be read back from user space: that is why they carry the key. */
	T_EQ(keys_read_blob(k, d, sizeof(d)), -EOPNOTSUPP);
	/* A logon description needs a "prefix:" — the kernel refuses one without. */
	T_EQ(keys_add_logon("nocolon", key, sizeof(key)), -EINVAL);
	/* keep: linked into a named keyring under a parent (here our own session keyring). */
	T_OK(keyctl_join_session_keyring(NULL) > 0);
	ring = keys_keep(k, "ferry-test", KEY_SPEC_SESSION_KEYRING);
	T_OK(ring > 0);
	T_EQ(keys_keep(k, "ferry-test", KEY_SPEC_SESSION_KEYRING), ring);
	T_EQ(keyctl_search(ring, "logon", "ferry:unit", 0), k);
	T_EQ(keys_release(k), 0);
	T_EQ(keyctl_search(KEY_SPEC_PROCESS_KEYRING, "logon", "ferry:unit", 0), -1);
	T_EQ(keyctl_search(ring, "logon", "ferry:unit", 0), k);
	/* Released without keep: gone from every keyring we can search. */
	int32_t k2 = keys_add_logon("ferry:unit2", key, 32);
	T_OK(k2 > 0);
	T_EQ(keys_release(k2), 0);
	T_EQ(keyctl_search(KEY_SPEC_PROCESS_KEYRING, "logon", "ferry:unit2", 0), -1);
	T_EQ(keys_release(k2), -ENOENT);
}

static void test_trusted_payloads(void)
{
	/* The kernel refuses, and for the reason it should: without a TPM there is no "trusted" key
	 * type (ENODEV); with one, "00ff" is no sealed blob (EINVAL). Any other errno is a bug here. */
	int32_t k = keys_trusted_load("ferry:t", "00ff\n", 5, 0x81000001);
	if (k == -ENOSYS || k == -EPERM || k == -EACCES)
		printf("skipped: trusted load: keyctl not allowed here (%s)\n", strerror(-k));
	else if (access("/dev/tpmrm0", F_OK) == 0 || access("/dev/tpm0", F_OK) == 0)
		T_EQ(k, -EINVAL);
	else
		T_EQ(k, -ENODEV);
	char big[KEYS_BLOB_MAX + 1];
	memset(big, 'a', sizeof(big));
	T_EQ(keys_trusted_load("ferry:t", big, sizeof(big), 0), -E2BIG);
	T_EQ(keys_encrypted_load("ferry:e", big, sizeof(big)), -E2BIG);
}

static void test_read_file(void)
{
	char path[] = "/tmp/ferry-test-keys-XXXXXX", buf[8];
	int fd = mkstemp(path);

	T_OK(fd >= 0);
	T_EQ(write(fd, "0123456789", 10), 10);
	close(fd);
	T_EQ(keys_read_file(path, buf, sizeof(buf)), -EFBIG);
	char big[16];
	T_EQ(keys_read_file(path, big, sizeof(big)), 10);
	T_MEMEQ(big, "0123456789", 10);
	T_EQ(keys_read_file("/nonexistent/key", big, sizeof(big)), -ENOENT);
	T_EQ(keys_read_file("/tmp", big, sizeof(big)), -EISDIR);
	/* a key file that is a FIFO: refused at once; an open that blocked would hang PID 1 (and, here,
	 * run into main's alarm) */
	char fifo[80];
	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	T_EQ(mkfifo(fifo, 0600), 0);
	T_EQ(keys_read_file(fifo, big, sizeof(big)), -EINVAL);
	unlink(fifo);
	/* The atomic write replaces the file whole and leaves no temp file behind. */
	T_EQ(keys_write_file(path, "abc", 3), 0);
	T_EQ(keys_read_file(path, big, sizeof(big)), 3);
	T_MEMEQ(big, "abc", 3);
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	T_OK(access(tmp, F_OK) < 0);
	struct stat st;
	T_OK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	T_EQ(keys_write_file("/nonexistent/dir/blob", "abc", 3), -ENOENT);
	unlink(path);
	/* Staged: the final name does not exist until the commit (a provisioned volume's blob is
	 * final only once the volume is usable); a discard leaves nothing. */
	char staged[80];
	snprintf(staged, sizeof(staged), "%s.new", path);
	T_EQ(keys_stage_file(path, "new", 3), 0);
	T_OK(access(path, F_OK) < 0 && errno == ENOENT);
	T_OK(stat(staged, &st) == 0 && st.st_size == 3 && (st.st_mode & 0777) == 0600);
	T_EQ(keys_commit_file(path), 0);
	T_OK(access(staged, F_OK) < 0);
	T_EQ(keys_read_file(path, big, sizeof(big)), 3);
	T_MEMEQ(big, "new", 3);
	T_EQ(keys_stage_file(path, "other", 5), 0);
	T_EQ(keys_discard_file(path), 0);
	T_OK(access(staged, F_OK) < 0);
	T_EQ(keys_read_file(path, big, sizeof(big)), 3);   /* the committed blob is untouched */
	T_EQ(keys_discard_file(path), 0);                  /* nothing staged: nothing to do */
	T_EQ(keys_commit_file(path), -ENOENT);
	unlink(path);
}

int main(void)
{
	alarm(60);
	test_logon();
	test_trusted_payloads();
	test_read_file();
	return T_DONE();
}
