/* The terminal side of the boot menu, pure: keys decoded from VT100 escape sequences (ECMA-48 CSI
 * "ESC [ params final", and SS3 "ESC O final" of the application cursor mode), a one-line editor,
 * and a screen model that sends only the changed part of each changed row. */
#include <stdio.h>
#include <string.h>
#include "term.h"

static int key1(struct term_key *out, enum term_keycode code, char ch)
{
	out->code = code;
	out->ch = ch;
	return 1;
}

/* A byte outside any sequence. */
static int key_plain(struct term_dec *d, unsigned char c, struct term_key *out)
{
	static const enum term_keycode ctrl[32] = {
		['\x01'] = TK_HOME, ['\x02'] = TK_LEFT, ['\x04'] = TK_DELETE, ['\x05'] = TK_END,
		['\x06'] = TK_RIGHT, ['\x08'] = TK_BACKSPACE, ['\x0c'] = TK_REDRAW, ['\x0e'] = TK_DOWN,
		['\x10'] = TK_UP, ['\x15'] = TK_KILL,
	};
	bool cr = d->cr;

	d->cr = c == '\r';
	if (c == '\r')
		return key1(out, TK_ENTER, 0);
	if (c == '\n')
		return cr ? 0 : key1(out, TK_ENTER, 0);  /* \r\n from a terminal that sends both */
	if (c == 0x1b) {
		d->seq[0] = c;
		d->n = 1;
		return 0;
	}
	if (c >= 0x20 && c < 0x7f)
		return key1(out, TK_CHAR, (char)c);
	if (c == 0x7f)
		return key1(out, TK_BACKSPACE, 0);
	return key1(out, c < 32 && ctrl[c] ? ctrl[c] : TK_OTHER, 0);
}

/* The final byte of ESC [ ... or ESC O ... */
static enum term_keycode key_final(const struct term_dec *d, unsigned char c)
{
	unsigned p = 0;

	switch (c) {
	case 'A': return TK_UP;
	case 'B': return TK_DOWN;
	case 'C': return TK_RIGHT;
	case 'D': return TK_LEFT;
	case 'H': return TK_HOME;
	case 'F': return TK_END;
	case '~':
		if (d->seq[1] != '[' || d->n > sizeof(d->seq))
			return TK_OTHER;
		/* the first parameter: ESC [ 3 ~ delete, 1/7 home, 4/8 end (VT220, rxvt); ";5" modifiers ignored */
		for (size_t i = 2; i < d->n && d->seq[i] >= '0' && d->seq[i] <= '9' && p < 1000; i++)
			p = p * 10 + (unsigned)(d->seq[i] - '0');
		return p == 1 || p == 7 ? TK_HOME : p == 4 || p == 8 ? TK_END : p == 3 ? TK_DELETE : TK_OTHER;
	default:
		return TK_OTHER;
	}
}

int term_key_feed(struct term_dec *d, unsigned char c, struct term_key out[2])
{
	int k;

	if (d->n == 0)
		return key_plain(d, c, out);
	if (d->n == 1) {
		if (c == '[' || c == 'O') {
			d->seq[d->n++] = c;
			return 0;
		}
		/* ESC then something else: Escape, then that byte on its own (ESC ESC: the second pends) */
		d->n = 0;
		key1(out, TK_ESC, 0);
		return 1 + key_plain(d, c, out + 1);
	}
	/* CSI parameter and intermediate bytes; SS3 has none. An overlong sequence is counted, not stored. */
	if (d->seq[1] == '[' && c >= 0x20 && c <= 0x3f) {
		if (d->n < sizeof(d->seq))
			d->seq[d->n] = c;
		d->n++;
		return 0;
	}
	if (c >= 0x40 && c <= 0x7e) {
		k = key1(out, key_final(d, c), 0);
		d->n = 0;
		return k;
	}
	/* a control byte (or a high one) inside a sequence: the sequence is broken; the byte counts */
	d->n = 0;
	key1(out, TK_OTHER, 0);
	return 1 + key_plain(d, c, out + 1);
}

int term_key_flush(struct term_dec *d, struct term_key *out)
{
	size_t n = d->n;

	d->n = 0;
	if (!n)
		return 0;
	return key1(out, n == 1 ? TK_ESC : TK_OTHER, 0);
}

/* ---- the one-line editor ------------------------------------------------------------------------ */
void term_line_init(struct term_line *l, char *buf, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n >= cap)
		n = cap - 1;
	memmove(buf, s, n);
	buf[n] = 0;
	*l = (struct term_line){ .buf = buf, .cap = cap, .len = n, .cur = n };
}

enum term_line_result term_line_key(struct term_line *l, const struct term_key *k)
{
	switch (k->code) {
	case TK_ENTER:
		return TL_ACCEPT;
	case TK_ESC:
		return TL_CANCEL;
	case TK_CHAR:
		if (l->len + 1 >= l->cap)
			break;
		memmove(l->buf + l->cur + 1, l->buf + l->cur, l->len - l->cur + 1);
		l->buf[l->cur++] = k->ch;
		l->len++;
		break;
	case TK_BACKSPACE:
		if (!l->cur)
			break;
		l->cur--;
		/* fall through */
	case TK_DELETE:
		if (l->cur == l->len)
			break;
		memmove(l->buf + l->cur, l->buf + l->cur + 1, l->len - l->cur);
		l->len--;
		break;
	case TK_LEFT:
		l->cur -= l->cur > 0;
		break;
	case TK_RIGHT:
		l->cur += l->cur < l->len;
		break;
	case TK_HOME:
		l->cur = 0;
		break;
	case TK_END:
		l->cur = l->len;
		break;
	case TK_KILL:
		l->len = l->cur = 0;
		l->buf[0] = 0;
		break;
	default:
		break;
	}
	return TL_EDITING;
}

size_t term_line_view(struct term_line *l, size_t width)
{
	if (!width)
		return l->scroll = l->cur;
	if (l->len < width)
		l->scroll = 0;
	if (l->cur < l->scroll)
		l->scroll = l->cur;
	if (l->cur >= l->scroll + width)
		l->scroll = l->cur - width + 1;
	return l->scroll;
}

/* ---- the screen ----------------------------------------------------------------------------------- */
#define VIS (TERM_COLS - 1)

void term_screen_clear(struct term_screen *s)
{
	memset(s->want, ' ', sizeof(s->want));
	s->crow = s->ccol = -1;
}

void term_screen_put(struct term_screen *s, int row, int col, const char *text)
{
	if (row < 0 || row >= TERM_ROWS || col < 0)
		return;
	for (; *text && col < VIS; text++, col++)
		s->want[row][col] = *text >= 0x20 && *text < 0x7f ? *text : '?';
}

static size_t trimmed(const char *row)
{
	size_t n = VIS;

	while (n && row[n - 1] == ' ')
		n--;
	return n;
}

/* Append to out within cap; *at counts what is needed even past cap. */
static void emit(char *out, size_t cap, size_t *at, const char *s, size_t n)
{
	if (*at + n <= cap)
		memcpy(out + *at, s, n);
	*at += n;
}

static void emit_pos(char *out, size_t cap, size_t *at, int row, int col)
{
	char b[16];
	int n = snprintf(b, sizeof(b), "\033[%d;%dH", row + 1, col + 1);

	emit(out, cap, at, b, (size_t)n);
}

size_t term_screen_diff(struct term_screen *s, char *out, size_t cap)
{
	size_t at = 0;

	if (!s->valid) {
		emit(out, cap, &at, "\033[H\033[2J", 7);
		memset(s->have, ' ', sizeof(s->have));
	}
	for (int r = 0; r < TERM_ROWS; r++) {
		size_t f = 0, wl = trimmed(s->want[r]), hl = trimmed(s->have[r]);
		while (f < VIS && s->want[r][f] == s->have[r][f])
			f++;
		if (f == VIS)
			continue;
		emit_pos(out, cap, &at, r, (int)f);
		if (f < wl)
			emit(out, cap, &at, s->want[r] + f, wl - f);
		if (hl > wl)
			emit(out, cap, &at, "\033[K", 3);
	}
	if (s->crow >= 0)
		emit_pos(out, cap, &at, s->crow, s->ccol < 0 ? 0 : s->ccol >= VIS ? VIS - 1 : s->ccol);
	else
		emit_pos(out, cap, &at, TERM_ROWS - 1, 0);
	if (at > cap) {
		if (!s->valid)
			memset(s->have, 0, sizeof(s->have));  /* still unknown: everything is drawn next time */
		return at;
	}
	memcpy(s->have, s->want, sizeof(s->have));
	s->valid = true;
	return at;
}

size_t term_escape(char *out, size_t cap, const char *s)
{
	size_t at = 0;

	if (!cap)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (at + 1 >= cap)
				break;
			out[at++] = (char)c;
		} else {
			if (at + 4 >= cap)
				break;
			at += (size_t)snprintf(out + at, cap - at, "\\x%02x", c);
		}
	}
	out[at] = 0;
	return at;
}

bool term_is_vt100(const char *term)
{
	static const char *const known[] = { "vt100", "vt102", "vt220", "vt320", "linux", "xterm", "screen",
		"tmux", "rxvt", "ansi", "putty", "konsole", "gnome", "alacritty", "foot", "st-", "kitty" };

	if (!term || !*term)
		return true;
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (!strncmp(term, known[i], strlen(known[i])))
			return true;
	return false;
}

size_t term_console_names(const char *buf, size_t len, bool per_line, char names[][TERM_NAME], size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
			i++;
		size_t s = i;
		while (i < len && buf[i] && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n')
			i++;
		if (i == s)
			break;
		bool ok = i - s < TERM_NAME && buf[s] != '.';
		for (size_t j = s; ok && j < i; j++)
			ok = (buf[j] >= 'a' && buf[j] <= 'z') || (buf[j] >= 'A' && buf[j] <= 'Z') ||
			     (buf[j] >= '0' && buf[j] <= '9') || buf[j] == '_' || buf[j] == '.' || buf[j] == '-';
		for (size_t k = 0; ok && k < n; k++)
			ok = strlen(names[k]) != i - s || memcmp(names[k], buf + s, i - s);
		if (ok) {
			memcpy(names[n], buf + s, i - s);
			names[n++][i - s] = 0;
		}
		if (per_line)
			while (i < len && buf[i] && buf[i] != '\n')
				i++;
		if (i < len && !buf[i])
			break;
	}
	return n;
}
