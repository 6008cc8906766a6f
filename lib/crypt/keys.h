/* Kernel keys for dm-crypt (libkeyutils): logon keys from raw bytes, trusted and encrypted keys
 * from their sealed blobs. Keys go into the process keyring, where dm-crypt's request_key finds
 * them while our DM_TABLE_LOAD runs, and which exec discards; keys_release unlinks them. */
#ifndef FERRY_KEYS_H
#define FERRY_KEYS_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define KEYS_BLOB_MAX 4096   /* a sealed blob as hex text, as keyctl read returns it */

/* Each returns the new key's serial (> 0) or -errno. */
int32_t keys_add_logon(const char *desc, const uint8_t *key, size_t len);
/* "load <blob>[ keyhandle=0x...]": keyhandle 0 leaves it out (CAAM/TEE backends, TPM 1.2). */
int32_t keys_trusted_load(const char *desc, const char *blob, size_t len, uint32_t keyhandle);
/* "new <bytes>[ keyhandle=0x...]": a fresh random key sealed by the backend. */
int32_t keys_trusted_new(const char *desc, unsigned bytes, uint32_t keyhandle);
int32_t keys_encrypted_load(const char *desc, const char *blob, size_t len);
/* "new default <master> <bytes>", master as "trusted:DESC" or "user:DESC". */
int32_t keys_encrypted_new(const char *desc, const char *master, unsigned bytes);

/* The sealed blob of a trusted or encrypted key, as text (no NUL counted). -errno, -E2BIG. */
ssize_t keys_read_blob(int32_t key, char *buf, size_t len);

/* Link the key into the keyring named ring under parent (created when missing), so that it
 * outlives our process keyring. Returns the keyring's serial or -errno. */
int32_t keys_keep(int32_t key, const char *ring, int32_t parent);
/* Unlink the key from the process keyring; with no other link the kernel frees it. */
int keys_release(int32_t key);

/* Read a whole small file (a key or a blob) into buf. -EFBIG when it is larger than len. The
 * caller clears buf. */
ssize_t keys_read_file(const char *path, void *buf, size_t len);

/* Write a blob so that a crash leaves the old file or the new one, never a torn one: a temp file
 * next to it, fsync, rename over, fsync the directory. Mode 0600. -errno. */
int keys_write_file(const char *path, const void *buf, size_t len);
/* The same in two steps, for a blob that may only become final once its volume is usable:
 * keys_stage_file writes and fsyncs "<path>.new" (path itself untouched, so a crash or a failed
 * format leaves the volume unprovisioned); keys_commit_file renames it over path and fsyncs the
 * directory; keys_discard_file removes it. -errno. */
int keys_stage_file(const char *path, const void *buf, size_t len);
int keys_commit_file(const char *path);
int keys_discard_file(const char *path);

#endif
