/* Netboot: files fetched over TFTP or HTTP into memfds, on the loop (no blocking call, no thread).
 * lib/net/tftp.c and lib/net/http.c hold the protocols; this file holds the sockets. */
#ifndef FERRY_NETBOOT_H
#define FERRY_NETBOOT_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include "../lib/core/loop.h"
#include "../lib/crypt/sha.h"
#include "../lib/net/http.h"
#include "../lib/net/tftp.h"

#define NB_ATTEMPTS 3            /* tries of one file: after 1 s, then 2 s */
#define NB_SRC_WAIT_MS 5000     /* at most, for a global IPv6 source while DAD runs */

struct nb_get;
typedef void (*nb_done_fn)(struct nb_get *g, int err);

struct nb_get {
	/* the caller's */
	char url_text[URL_MAX];
	int fd;                       /* the destination (a memfd): written from offset 0 */
	uint64_t max_size;
	unsigned timeout_ms;          /* without progress */
	bool quiet;                   /* no progress lines */
	bool hash;                    /* sha256 of the content (the pins) */
	char dns[3][46];              /* name servers for a host name (the lease's DNS=, then DNS6=), "" : none */
	nb_done_fn done;
	void *arg;
	/* the result */
	uint64_t size, total;         /* stored; announced (tsize, Content-Length), 0: not known */
	char why[300];                /* on failure: what went wrong */
	bool final;                   /* the failure would repeat (404, too big): no retry */
	unsigned char sha256[32];     /* of the content, when done */
	/* state */
	struct url url;
	const char *name;             /* the file's last path component, for progress lines */
	int sock;
	unsigned attempt, redirects;
	unsigned src_waited;      /* connections begun again for want of a global IPv6 source */
	uint64_t t_start, t_progress, t_report, report_size;
	struct tftp tftp;
	struct http_resp http;
	struct loop_timer retx, tick, backoff;
	struct sha_ctx sha;
	char req[URL_MAX + 400];
	size_t req_len, req_off;
	bool tid_known, writing;
	bool resolved;                /* url.host was a name: its address is in addr */
	struct sockaddr_storage addr;
	unsigned dns_i, dns_tries;
	uint16_t dns_id, dns_type;    /* A, then AAAA when the name has no A record */
	uint16_t tid;
};

/* Start fetching url into g->fd; g->done(g, 0 or -errno) from the loop when it is over. */
int nb_get_start(struct loop *l, struct nb_get *g, const char *url);
void nb_get_cancel(struct nb_get *g);

/* ferry netboot --fetch URL --out FILE ..., or --cmdline STRING [--run-dir DIR] [--out DIR] */
int netboot_main(int argc, char **argv);

#include <stddef.h>
#include <stdio.h>
struct job;
struct boot_plan;
extern struct job job_netboot;
/* For kexec_boot: netboot entry i loaded into the kernel (0), an error, or -ENOENT past the last. */
int netboot_load(size_t i, int refused);
void netboot_plan(const struct boot_plan *p, FILE *out);

#endif
