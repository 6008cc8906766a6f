/* The boot menu's key decoder, line editor and model, fed console bytes. The input's first byte
 * says where the bytes are split into two reads: the keys must not depend on it. The keys then
 * drive the menu (three entries, an edit of "root=/dev/vda1 ro"), and every frame goes through the
 * screen diff: the model's invariants hold, the frame is printable, the diff fits its bound. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/boot/menu.h"
#include "../../lib/core/term.h"

#define MAXK 8192

/* The bytes as two reads, [0, split) and [split, n); flush: the ESC timeout passed between them
 * (term_key_flush, as init/menu.c calls it). Returns the number of keys; *before: how many came
 * from the first read. */
static size_t decode(const uint8_t *d, size_t n, size_t split, int flush, struct term_key *out, size_t *before)
{
	struct term_dec dec = { 0 };
	struct term_key k[2];
	size_t nk = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i == split) {
			if (flush && term_key_flush(&dec, k) && nk < MAXK)
				out[nk++] = k[0];
			*before = nk;
		}
		if (i == n)
			break;
		int got = term_key_feed(&dec, d[i], k);
		if (got < 0 || got > 2)
			abort();
		for (int j = 0; j < got && nk < MAXK; j++)
			out[nk++] = k[j];
	}
	if (term_key_flush(&dec, k) && nk < MAXK)
		out[nk++] = k[0];
	if (term_key_pending(&dec) || nk > 2 * n + 1)
		abort();
	return nk;
}

static int same(const struct term_key *a, const struct term_key *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].code != b[i].code || a[i].ch != b[i].ch)
			return 0;
	return 1;
}

static void check_screen(struct term_screen *s)
{
	static char out[8192];

	for (int r = 0; r < TERM_ROWS; r++)
		for (int c = 0; c < TERM_COLS - 1; c++)
			if (s->want[r][c] < 0x20 || s->want[r][c] > 0x7e)
				abort();
	size_t n = term_screen_diff(s, out, sizeof(out));
	if (n > sizeof(out) || memcmp(s->have, s->want, sizeof(s->have)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct term_key a[MAXK], b[MAXK];
	static struct menu m;
	static struct term_screen s;
	static struct boot_list l;
	static char dumb[MENU_DUMB_OUT];

	if (!size)
		return 0;
	size_t split = data[0] % size, n = size - 1, pa, pb, pc;
	const uint8_t *d = data + 1;
	/* Without a timeout the split changes nothing; with one, what the first read gave is what the
	 * prefix alone gives once flushed: a key, once out, is never taken back or held for later. */
	size_t na = decode(d, n, split, 0, a, &pa), nb = decode(d, n, n, 0, b, &pb);
	if (na != nb || !same(a, b, na))
		abort();
	nb = decode(d, n, split, 1, b, &pb);
	size_t nc = decode(d, split, split, 1, a, &pc);
	if (nc != pb || !same(a, b, nc))
		abort();
	na = decode(d, n, n, 0, a, &pa);
	for (size_t i = 0; i < na; i++)
		if (a[i].code > TK_OTHER || (a[i].code == TK_CHAR && (a[i].ch < 0x20 || a[i].ch > 0x7e)))
			abort();

	static int ready;
	for (int i = 0; !ready && i < 3; i++) {
		struct boot_entry *e = boot_list_add(&l, BOOT_GRUB);
		memcpy(e->title, "T\033x", 4);
		strcpy(e->options, "root=/dev/vda1 ro");
		strcpy(e->source, "/boot/grub/grub.cfg");
		strcpy(e->device, "/dev/vda");
	}
	ready = 1;
	menu_init(&m, 3, data[0] & 1, data[0] & 2);
	menu_set_entries(&m, &l, 1);
	s.valid = false;
	for (size_t i = 0; i < na; i++) {
		enum menu_action act = (i % 5 == 4) ? menu_tick(&m) : menu_key(&m, &a[i]);
		if (act == MENU_EDIT) {
			if (m.locked || m.edit_idx < 0 || m.edit_idx > 2)
				abort();
			menu_edit_begin(&m, l.e[m.edit_idx].options);
		} else if (act == MENU_SHELL && m.locked)
			abort();
		else if (act == MENU_BOOT) {
			if (m.chosen < -1 || m.chosen > 2 || (m.edited && strlen(m.edit_buf) >= sizeof(m.edit_buf)))
				abort();
			menu_init(&m, 3, data[0] & 1, data[0] & 2);
			menu_set_entries(&m, &l, 1);
		}
		if (m.editing && (m.ed.cur > m.ed.len || m.ed.len >= m.ed.cap || m.ed.buf[m.ed.len] || strlen(m.ed.buf) != m.ed.len))
			abort();
		if (m.sel < 0 || (size_t)m.sel >= m.n || m.top > (size_t)m.sel || (size_t)m.sel >= m.top + MENU_ROWS)
			abort();
		if (m.dumb) {
			size_t t = menu_dumb_take(&m, dumb, sizeof(dumb));
			if (memchr(dumb, 0x1b, t))
				abort();
		} else {
			menu_draw(&m, &s);
			check_screen(&s);
		}
	}
	return 0;
}
