/* make bench: ferry's SHA digest of a file, read in 64 KiB pieces as init/measure.c reads a kernel.
 * usage: shabench sha1|sha256|sha384|sha512 FILE  -> prints "<hex>  FILE" as sha256sum does. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../../lib/crypt/sha.h"

int main(int argc, char **argv)
{
	static unsigned char buf[65536];
	unsigned char d[SHA_MAX_LEN];
	struct sha_ctx c;
	enum sha_alg a;
	ssize_t n;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: shabench sha1|sha256|sha384|sha512 FILE\n");
		return 2;
	}
	for (a = SHA_1; a <= SHA_512 && strcmp(sha_name(a), argv[1]); a++)
		;
	if (a > SHA_512 || (fd = open(argv[2], O_RDONLY)) < 0) {
		perror(argv[2]);
		return 1;
	}
	sha_init(&c, a);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha_update(&c, buf, (size_t)n);
	sha_final(&c, d);
	for (size_t i = 0; i < sha_len(a); i++)
		printf("%02x", d[i]);
	printf("  %s\n", argv[2]);
	return n < 0;
}
