#include <errno.h>
#include <stdlib.h>
#include "t.h"
#include "../../lib/net/tftp.h"

static uint8_t pkt[TFTP_PKT_MAX];

static size_t mk_data(unsigned block, size_t n, uint8_t fill)
{
	pkt[0] = 0; pkt[1] = 3;
	pkt[2] = block >> 8; pkt[3] = block & 0xff;
	memset(pkt + 4, fill, n);
	return n + 4;
}

static size_t mk_raw(const char *s, size_t n)
{
	memcpy(pkt, s, n);
	return n;
}

static bool is_ack(const struct tftp_step *s, unsigned block)
{
	return s->pkt_len == 4 && s->pkt[0] == 0 && s->pkt[1] == 4 && s->pkt[2] == block >> 8 && s->pkt[3] == (block & 0xff);
}

int main(void)
{
	struct tftp t;
	struct tftp_step s;
	struct tftp_opts o = { .blksize = 1428, .windowsize = 4, .timeout_s = 2, .tsize = true };
	static const char rrq[] = "\0\1pxelinux.0\0octet\0blksize\0" "1428\0tsize\0" "0\0timeout\0" "2\0windowsize\0" "4";
	static const char oack[] = "\0\6blksize\0" "1024\0tsize\0" "2100\0windowsize\0" "2\0timeout\0" "2";

	/* The request carries every option asked for. */
	T_EQ(tftp_init(&t, "pxelinux.0", &o, 1 << 20), 0);
	tftp_start(&t, &s);
	T_EQ(s.pkt_len, sizeof(rrq));
	T_MEMEQ(s.pkt, rrq, sizeof(rrq));
	T_EQ(t.timeout_ms, 2000);

	/* OACK: blksize 1024, windowsize 2, tsize 2100 -> ACK 0. */
	T_EQ(tftp_input(&t, pkt, mk_raw(oack, sizeof(oack)), &s), 0);
	T_OK(is_ack(&s, 0));
	T_EQ(t.blksize, 1024);
	T_EQ(t.windowsize, 2);
	T_EQ(t.tsize, 2100);
	/* A second OACK (our ACK crossed it) is dropped. */
	T_EQ(tftp_input(&t, pkt, mk_raw(oack, sizeof(oack)), &s), 0);
	T_EQ(s.pkt_len, 0);

	/* Block 1: stored, no ACK yet (window 2). */
	T_EQ(tftp_input(&t, pkt, mk_data(1, 1024, 'a'), &s), 0);
	T_EQ(s.len, 1024);
	T_EQ(s.off, 0);
	T_EQ(s.pkt_len, 0);
	/* A duplicate of block 1: dropped, and no ACK (Sorcerer's Apprentice). */
	T_EQ(tftp_input(&t, pkt, mk_data(1, 1024, 'a'), &s), 0);
	T_EQ(s.len, 0);
	T_EQ(s.pkt_len, 0);
	/* Block 2 ends the window: ACK 2. */
	T_EQ(tftp_input(&t, pkt, mk_data(2, 1024, 'b'), &s), 0);
	T_EQ(s.off, 1024);
	T_OK(is_ack(&s, 2));
	/* Block 2 again (the server resent the window): no ACK. */
	T_EQ(tftp_input(&t, pkt, mk_data(2, 1024, 'b'), &s), 0);
	T_EQ(s.pkt_len, 0);
	/* Block 4 before 3 (a gap): ACK 2 once, then nothing for the rest of the gap. */
	T_EQ(tftp_input(&t, pkt, mk_data(4, 52, 'd'), &s), 0);
	T_OK(is_ack(&s, 2));
	T_EQ(s.len, 0);
	T_EQ(tftp_input(&t, pkt, mk_data(4, 52, 'd'), &s), 0);
	T_EQ(s.pkt_len, 0);
	/* Block 3 short: the end, but 2048 + 10 != tsize 2100. */
	T_EQ(tftp_input(&t, pkt, mk_data(3, 10, 'c'), &s), -TFTP_E_SIZE);
	T_EQ(tftp_input(&t, pkt, mk_data(4, 10, 'c'), &s), -TFTP_E_STATE);

	/* The same with tsize right: done, final ACK. */
	T_EQ(tftp_init(&t, "f", &o, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_raw(oack, sizeof(oack)), &s), 0);
	T_EQ(tftp_input(&t, pkt, mk_data(1, 1024, 'a'), &s), 0);
	T_EQ(tftp_input(&t, pkt, mk_data(2, 1024, 'a'), &s), 0);
	T_EQ(tftp_input(&t, pkt, mk_data(3, 52, 'a'), &s), 0);
	T_OK(s.done);
	T_OK(is_ack(&s, 3));
	T_EQ(t.bytes, 2100);
	T_EQ(t.st, TFTP_DONE);

	/* A server ignoring the options: DATA 1 of 512 bytes straight away. */
	T_EQ(tftp_init(&t, "f", &o, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_data(1, 512, 'x'), &s), 0);
	T_OK(is_ack(&s, 1));
	T_EQ(tftp_input(&t, pkt, mk_data(2, 0, 'x'), &s), 0);
	T_OK(s.done);
	T_EQ(t.bytes, 512);

	/* Longer than the block size: malformed, an ERROR packet back. */
	T_EQ(tftp_init(&t, "f", NULL, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_data(1, 513, 'x'), &s), -TFTP_E_PROTO);
	T_EQ(s.pkt[1], 5);

	/* Block numbers wrap at 65535 to 0. */
	T_EQ(tftp_init(&t, "f", NULL, 0), 0);
	tftp_start(&t, &s);
	for (unsigned i = 1; i <= 65537; i++) {
		if (tftp_input(&t, pkt, mk_data(i & 0xffff, 512, 1), &s) || !is_ack(&s, i & 0xffff)) {
			T_CHECK(0, "block %u", i);
			break;
		}
	}
	T_EQ(t.bytes, 65537ull * 512);
	T_EQ(tftp_input(&t, pkt, mk_data(65538 & 0xffff, 1, 1), &s), 0);
	T_OK(s.done);

	/* The limit: beyond max_size, and a tsize beyond it. */
	T_EQ(tftp_init(&t, "f", NULL, 1000), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_data(1, 512, 1), &s), 0);
	T_EQ(tftp_input(&t, pkt, mk_data(2, 512, 1), &s), -TFTP_E_TOOBIG);
	T_EQ(tftp_init(&t, "f", &o, 1000), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_raw(oack, sizeof(oack)), &s), -TFTP_E_TOOBIG);

	/* OACK with an option not asked for, or a blksize beyond the one asked. */
	struct tftp_opts o2 = { .blksize = 512 };
	T_EQ(tftp_init(&t, "f", &o2, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_raw(oack, sizeof(oack)), &s), -TFTP_E_OPTION);
	T_EQ(s.pkt[3], 8);
	T_EQ(tftp_init(&t, "f", &o2, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_raw("\0\6blksize\0" "x1", 12), &s), -TFTP_E_PROTO);
	T_EQ(tftp_init(&t, "f", &o2, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_raw("\0\6blksize\0" "-1\0", 13), &s), -TFTP_E_OPTION);

	/* Server errors: the message kept, printable; error 8 asks once more without options. */
	T_EQ(tftp_init(&t, "f", &o, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_raw("\0\5\0\10no options\0", 16), &s), 0);
	T_EQ(s.pkt_len, 2 + 2 + 6);
	T_OK(t.no_opts);
	T_EQ(tftp_input(&t, pkt, mk_raw("\0\5\0\10no options\0", 16), &s), -TFTP_E_SERVER);
	T_EQ(tftp_init(&t, "f", NULL, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_raw("\0\5\0\1File\nnot found", 19), &s), -TFTP_E_SERVER);
	T_STREQ(t.msg, "File?not found");

	/* Timeouts: the request again, then the last ACK, at most TFTP_RETRIES in a row. */
	T_EQ(tftp_init(&t, "f", NULL, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_timeout(&t, &s), 0);
	T_EQ(s.pkt[1], 1);
	T_EQ(tftp_input(&t, pkt, mk_data(1, 512, 1), &s), 0);
	for (int i = 0; i < TFTP_RETRIES; i++) {
		T_EQ(tftp_timeout(&t, &s), 0);
		T_OK(is_ack(&s, 1));
	}
	T_EQ(tftp_timeout(&t, &s), -TFTP_E_TIMEOUT);

	/* Bad names and options, short and unknown packets. */
	T_EQ(tftp_init(&t, "", NULL, 0), -EINVAL);
	T_EQ(tftp_init(&t, "a\nb", NULL, 0), -EINVAL);
	struct tftp_opts o3 = { .blksize = 70000 };
	T_EQ(tftp_init(&t, "f", &o3, 0), -EINVAL);
	T_EQ(tftp_init(&t, "f", NULL, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_raw("\0\3\0", 3), &s), -TFTP_E_PROTO);
	T_EQ(tftp_init(&t, "f", NULL, 0), 0);
	tftp_start(&t, &s);
	T_EQ(tftp_input(&t, pkt, mk_raw("\0\1ab", 4), &s), -TFTP_E_PROTO);
	T_STREQ(tftp_strerror(-TFTP_E_TIMEOUT), "no reply");
	return T_DONE();
}
