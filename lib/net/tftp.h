/* A TFTP client's state machine (RFC 1350; options RFC 2347, blksize 2348, timeout and tsize 2349,
 * windowsize 7440). Pure: packets in, packets and file data out, no sockets and no clock. The caller
 * sends what a step holds, stores the data at its offset, and calls tftp_timeout() when no packet
 * came for tftp.timeout_ms.
 *
 * Duplicates never cause a second ACK (the Sorcerer's Apprentice bug, RFC 1123 4.2.3.1): a block
 * already stored is dropped, and only the timeout resends the last ACK. A block from beyond a gap
 * (windowsize > 1) makes one ACK of the last block in order, so the server resends from there. */
#ifndef FERRY_TFTP_H
#define FERRY_TFTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TFTP_PORT 69
#define TFTP_PKT_MAX (4 + 65464)
#define TFTP_BLKSIZE_DEF 512
#define TFTP_RETRIES 5           /* timeouts in a row before giving up */

enum tftp_err {
	TFTP_E_SERVER = 1,       /* the server sent an ERROR packet: tftp.msg */
	TFTP_E_PROTO,            /* a packet that is not TFTP, or an opcode a client cannot get */
	TFTP_E_OPTION,           /* an OACK option not asked for, or a value beyond the one asked */
	TFTP_E_TOOBIG,           /* beyond max_size (also a tsize beyond it) */
	TFTP_E_SIZE,             /* the file ended at another size than tsize said */
	TFTP_E_TIMEOUT,          /* TFTP_RETRIES timeouts in a row */
	TFTP_E_STATE,            /* fed after the end */
};

struct tftp_opts {
	unsigned blksize;        /* 0: leave out (512) */
	unsigned windowsize;     /* 0: leave out (1) */
	unsigned timeout_s;      /* 0: leave out; also the resend interval asked of the server */
	bool tsize;              /* ask for the size */
};

struct tftp {
	/* set by tftp_init */
	struct tftp_opts want;
	uint64_t max_size;
	unsigned timeout_ms;     /* the caller's resend interval */
	/* negotiated */
	unsigned blksize, windowsize;
	bool oack, has_tsize;
	uint64_t tsize;
	/* progress */
	enum { TFTP_REQ, TFTP_DATA, TFTP_DONE, TFTP_FAILED } st;
	uint16_t last;           /* the last block stored in order (wraps to 0 after 65535) */
	uint64_t blocks;         /* stored in order */
	uint64_t bytes;
	unsigned inwin;          /* blocks since the last ACK */
	bool gap_acked;          /* a gap was ACKed since the last block in order */
	unsigned retries, dups;
	bool no_opts;            /* the server refused the options (error 8): asked again without */
	char file[256];
	char msg[128];           /* the server's error message (printable characters only) */
	const char *why;         /* what went wrong, for the log */
};

/* What to do after a packet or a timeout: send pkt (pkt_len > 0), store data at off (len > 0). */
struct tftp_step {
	uint8_t pkt[600];
	size_t pkt_len;
	const uint8_t *data;
	size_t len;
	uint64_t off;
	bool done;
};

/* -EINVAL for a file name that does not fit or holds a NUL-less control character. */
int tftp_init(struct tftp *t, const char *file, const struct tftp_opts *o, uint64_t max_size);
/* The read request to send to port 69 (again after a refusal of options: tftp_input says so). */
void tftp_start(struct tftp *t, struct tftp_step *s);
/* A packet from the server's transfer port. 0, or -TFTP_E_*; s says what to do (even on error:
 * an ERROR packet to send back). */
int tftp_input(struct tftp *t, const uint8_t *pkt, size_t len, struct tftp_step *s);
/* No packet for timeout_ms: the request or the last ACK again, or -TFTP_E_TIMEOUT. */
int tftp_timeout(struct tftp *t, struct tftp_step *s);
/* An ERROR packet for a stranger (another source port: error 5, unknown transfer ID). */
size_t tftp_error_pkt(uint8_t *buf, size_t cap, unsigned code, const char *msg);
const char *tftp_strerror(int err);

#endif
