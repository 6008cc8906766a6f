/* The boot menu's model: which entry is selected, the countdown, a number being typed, the edit
 * line, and the frame (VT100) or the transcript (a dumb terminal) that shows them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "menu.h"

static const char prompt[] = "boot> ";

/* dumb terminal: text for the console, cut when the buffer is full (it is taken after every key) */
static void dumb_add(struct menu *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void dumb_add(struct menu *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!m->dumb || m->outn + 1 >= sizeof(m->out))
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->out + m->outn, sizeof(m->out) - m->outn, fmt, ap);
	va_end(ap);
	if (n > 0)
		m->outn += (size_t)n < sizeof(m->out) - m->outn ? (size_t)n : sizeof(m->out) - m->outn - 1;
}

void menu_init(struct menu *m, unsigned seconds, bool dumb, bool locked)
{
	memset(m, 0, sizeof(*m));
	m->def = -1;
	m->chosen = -1;
	m->edit_idx = -1;
	m->dumb = dumb;
	m->locked = locked;
	m->counting = seconds > 0;
	m->left = seconds;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Copy at most n bytes of s into out[cap] (cap > 0); a cut here is on purpose. */
static void put_cut(char *out, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = 0;
}

void menu_item_text(const struct boot_entry *e, char *out, size_t cols)
{
	char title[BOOT_NAME * 4], where[BOOT_PATH + BOOT_NAME + 8], ew[sizeof(where) * 4], line[sizeof(title) + 8];
	const char *t = e->title[0] ? e->title : e->id[0] ? e->id : e->kernel;
	size_t tl, wl;

	if (!cols)
		return;
	if (cols > TERM_COLS * 2)
		cols = TERM_COLS * 2;
	tl = term_escape(title, sizeof(title), t);
	snprintf(where, sizeof(where), "[%s on %s]", base_name(e->source), e->device);
	wl = term_escape(ew, sizeof(ew), where);
	/* too long: the middle of the title gives way to "..." (grub's titles differ at their ends:
	 * "..., with Linux 6.1.0-57 (recovery mode)"), the place is kept unless it alone is too long */
	if (tl + 3 + wl >= cols && wl + 10 < cols) {
		size_t keep = cols - 1 - wl - 3 - 3, head = keep / 3, tail = keep - head;
		memmove(title + head + 3, title + tl - tail, tail + 1);
		memcpy(title + head, "...", 3);
		tl = head + 3 + tail;
	}
	memcpy(line, title, tl);
	memcpy(line + tl, "   ", 3);
	put_cut(out, cols, line, tl + 3);
	if (tl + 3 < cols)
		put_cut(out + tl + 3, cols - tl - 3, ew, wl);
	else
		put_cut(out, cols, title, tl);
}

void menu_set_entries(struct menu *m, const struct boot_list *l, int first)
{
	int was = m->sel >= 0 && (size_t)m->sel < m->n ? m->item[m->sel].idx : -1;

	m->n = 0;
	m->def = -1;
	m->sel = 0;
	for (size_t i = 0; i < l->n && m->n < BOOT_MAX_ENTRIES; i++) {
		if (l->e[i].problem)
			continue;
		struct menu_item *it = &m->item[m->n];
		it->idx = (int)i;
		menu_item_text(&l->e[i], it->text, MENU_TEXT_COLS + 1);
		if ((int)i == first)
			m->def = (int)m->n;
		if ((int)i == was)
			m->sel = (int)m->n;
		m->n++;
	}
	if (was < 0 && m->def >= 0)
		m->sel = m->def;
	if (m->top > (size_t)m->sel)
		m->top = (size_t)m->sel;
	m->list_shown = false;
}

void menu_say(struct menu *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->status, sizeof(m->status), fmt, ap);
	va_end(ap);
	dumb_add(m, "\r\n%s\r\n%s%.*s", m->status, prompt, (int)m->ndigits, m->digits);
}

void menu_resume(struct menu *m)
{
	m->list_shown = false;
}

static enum menu_action boot_item(struct menu *m, int item)
{
	m->chosen = item >= 0 && (size_t)item < m->n ? m->item[item].idx : -1;
	m->counting = false;
	dumb_add(m, "\r\n");
	return MENU_BOOT;
}

enum menu_action menu_tick(struct menu *m)
{
	if (!m->counting || m->editing)
		return MENU_NONE;
	if (m->left > 1) {
		m->left--;
		return MENU_NONE;
	}
	m->left = 0;
	return boot_item(m, m->def >= 0 ? m->def : 0);
}

void menu_edit_begin(struct menu *m, const char *options)
{
	int item = m->sel;

	m->editing = true;
	m->status[0] = 0;
	term_line_init(&m->ed, m->edit_buf, sizeof(m->edit_buf), options);
	dumb_add(m, "\r\nedit %d) (Enter boots, Esc cancels, backspace):\r\n%s", item + 1, m->edit_buf);
}

static enum menu_action edit_key(struct menu *m, const struct term_key *k)
{
	size_t len = m->ed.len;

	/* a dumb terminal cannot show a cursor inside the line: typing and backspace at its end only */
	if (m->dumb && k->code != TK_CHAR && k->code != TK_BACKSPACE && k->code != TK_ENTER &&
	    k->code != TK_ESC && k->code != TK_KILL)
		return MENU_NONE;
	switch (term_line_key(&m->ed, k)) {
	case TL_ACCEPT:
		m->editing = false;
		m->edited = true;
		return boot_item(m, m->sel);
	case TL_CANCEL:
		m->editing = false;
		menu_say(m, "edit cancelled");
		return MENU_NONE;
	case TL_EDITING:
		break;
	}
	if (k->code == TK_CHAR && m->ed.len > len)
		dumb_add(m, "%c", k->ch);
	else if (k->code == TK_BACKSPACE && m->ed.len < len)
		dumb_add(m, "\b \b");
	else if (k->code == TK_KILL)
		dumb_add(m, "\r\n");
	return MENU_NONE;
}

/* A digit: the entry of that number boots at once, unless a longer number could still follow
 * (with 12 entries, "1" waits for a second digit or Enter; "2" boots 2). */
static enum menu_action digit_key(struct menu *m, char c)
{
	unsigned v = 0;

	if (m->ndigits == sizeof(m->digits) - 1)
		m->ndigits = 0;
	m->digits[m->ndigits++] = c;
	for (size_t i = 0; i < m->ndigits; i++)
		v = v * 10 + (unsigned)(m->digits[i] - '0');
	if (v == 0 || v > m->n) {
		m->ndigits = 0;
		if (m->n)
			menu_say(m, "no entry %u: the entries are 1 to %zu", v, m->n);
		else
			menu_say(m, "no entry %u: no bootable entry was found (r looks again)", v);
		return MENU_NONE;
	}
	m->sel = (int)v - 1;
	if ((unsigned long)v * 10 > m->n) {
		m->ndigits = 0;
		return boot_item(m, (int)v - 1);
	}
	dumb_add(m, "%c", c);
	return MENU_NONE;
}

static void move_sel(struct menu *m, int to)
{
	if (!m->n)
		return;
	m->sel = to < 0 ? 0 : (size_t)to >= m->n ? (int)m->n - 1 : to;
	if ((size_t)m->sel < m->top)
		m->top = (size_t)m->sel;
	if ((size_t)m->sel >= m->top + MENU_ROWS)
		m->top = (size_t)m->sel - MENU_ROWS + 1;
}

enum menu_action menu_key(struct menu *m, const struct term_key *k)
{
	if (k->code == TK_NONE)
		return MENU_NONE;
	m->counting = false;   /* any key stops the countdown */
	if (m->editing)
		return edit_key(m, k);
	m->status[0] = 0;
	if (k->code == TK_CHAR && k->ch >= '0' && k->ch <= '9')
		return digit_key(m, k->ch);
	if (k->code == TK_ENTER) {
		if (m->ndigits) {
			unsigned v = 0;
			for (size_t i = 0; i < m->ndigits; i++)
				v = v * 10 + (unsigned)(m->digits[i] - '0');
			m->ndigits = 0;
			return boot_item(m, (int)v - 1);
		}
		if (!m->n) {
			menu_say(m, "no bootable entry was found: r looks again, or wait");
			return MENU_NONE;
		}
		return boot_item(m, m->sel);
	}
	if (k->code == TK_BACKSPACE && m->ndigits) {
		m->ndigits--;
		dumb_add(m, "\b \b");
		return MENU_NONE;
	}
	m->ndigits = 0;
	switch (k->code) {
	case TK_UP: move_sel(m, m->sel - 1); break;
	case TK_DOWN: move_sel(m, m->sel + 1); break;
	case TK_HOME: move_sel(m, 0); break;
	case TK_END: move_sel(m, (int)m->n - 1); break;
	case TK_REDRAW: m->list_shown = false; return MENU_REDRAW;
	case TK_CHAR:
		if (k->ch == 'e' || k->ch == 's') {
			if (m->locked) {
				menu_say(m, "%s: refused: /etc/ferry.conf is locked", k->ch == 'e' ? "e (edit)" : "s (shell)");
				return MENU_NONE;
			}
			if (k->ch == 's')
				return MENU_SHELL;
			if (!m->n) {
				menu_say(m, "no entry to edit");
				return MENU_NONE;
			}
			m->edit_idx = m->item[m->sel].idx;
			return MENU_EDIT;
		}
		if (k->ch == 'r')
			return MENU_RESCAN;
		break;
	default:
		break;
	}
	return MENU_NONE;
}

/* ---- what the terminal shows ------------------------------------------------------------------- */
static void draw_edit(const struct menu *m, struct term_screen *s)
{
	struct term_line ed = m->ed;   /* term_line_view keeps its scroll; the model stays const */
	char line[TERM_COLS], head[TERM_COLS];
	size_t w = TERM_COLS - 1, from = term_line_view(&ed, w), i;

	snprintf(head, sizeof(head), "Command line of %d) (the entry's options):", m->sel + 1);
	term_screen_put(s, 20, 0, head);
	term_screen_put(s, 21, 0, "left/right, backspace, Enter boots, Esc cancels");
	for (i = 0; i < w - 1 && from + i < ed.len; i++)
		line[i] = ed.buf[from + i];
	line[i] = 0;
	term_screen_put(s, 23, 0, line);
	s->crow = 23;
	s->ccol = (int)(ed.cur - from);
}

void menu_draw(const struct menu *m, struct term_screen *s)
{
	char line[TERM_COLS * 2];

	term_screen_clear(s);
	term_screen_put(s, 0, 0, "ferry: boot menu");
	for (size_t i = m->top; i < m->n && i < m->top + MENU_ROWS; i++) {
		snprintf(line, sizeof(line), "%c%c%zu) %s", (int)i == m->sel ? '>' : ' ', (int)i == m->def ? '*' : ' ',
			 i + 1, m->item[i].text);
		term_screen_put(s, 2 + (int)(i - m->top), 0, line);
	}
	if (!m->n)
		term_screen_put(s, 2, 0, "  no bootable entry found (yet)");
	if (m->n > MENU_ROWS) {
		snprintf(line, sizeof(line), "  (%zu-%zu of %zu: up/down scrolls)", m->top + 1,
			 m->top + MENU_ROWS < m->n ? m->top + MENU_ROWS : m->n, m->n);
		term_screen_put(s, 19, 0, line);
	}
	if (m->status[0])
		term_screen_put(s, 22, 0, m->status);
	if (m->editing) {
		draw_edit(m, s);
		return;
	}
	term_screen_put(s, 20, 0, m->locked ? "number, or up/down and Enter: boot   r: look again   (* default)" :
			"number, or up/down and Enter: boot   e: edit   r: look again   s: shell   (* default)");
	if (m->counting) {
		snprintf(line, sizeof(line), "booting %d) in %u s; any key stops the countdown",
			 m->def >= 0 ? m->def + 1 : 1, m->left);
		term_screen_put(s, 21, 0, line);
	}
	snprintf(line, sizeof(line), "%s%.*s", prompt, (int)m->ndigits, m->digits);
	term_screen_put(s, 23, 0, line);
	s->crow = 23;
	s->ccol = (int)strlen(line);
}

static void dumb_list(struct menu *m)
{
	dumb_add(m, "\r\nferry: boot menu\r\n");
	for (size_t i = 0; i < m->n; i++)
		dumb_add(m, " %c%zu) %s\r\n", (int)i == m->def ? '*' : ' ', i + 1, m->item[i].text);
	if (!m->n)
		dumb_add(m, "  no bootable entry found (yet)\r\n");
	dumb_add(m, "%s\r\n", m->locked ? "number and Enter: boot   r: look again   (* default)" :
		 "number and Enter: boot   e: edit   r: look again   s: shell   (* default)");
	if (m->counting)
		dumb_add(m, "booting %d) in %u s; any key stops the countdown\r\n", m->def >= 0 ? m->def + 1 : 1, m->left);
	dumb_add(m, "%s%.*s", prompt, (int)m->ndigits, m->digits);
	m->list_shown = true;
}

size_t menu_dumb_take(struct menu *m, char *out, size_t cap)
{
	size_t n;

	if (!m->list_shown && !m->editing)
		dumb_list(m);
	n = m->outn < cap ? m->outn : cap;
	memcpy(out, m->out, n);
	memmove(m->out, m->out + n, m->outn - n);
	m->outn -= n;
	return n;
}
