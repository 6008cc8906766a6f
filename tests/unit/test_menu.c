/* The boot menu's pure parts: the key decoder (sequences split across reads at every byte), the
 * line editor, the screen diff, the console list, and the menu model (digits, countdown, edit,
 * locked refusals, the dumb terminal's list). */
#include "t.h"
#include <stdlib.h>
#include "../../lib/boot/menu.h"
#include "../../lib/core/bootplan.h"
#include "../../lib/core/term.h"

/* Decode bytes delivered in reads split at `split` (no timeout in between, so the split must not
 * matter); a flush at the end (the timeout) ends a pending sequence. Codes into out. */
static size_t decode(const char *s, size_t len, size_t split, struct term_key *out, size_t max)
{
	struct term_dec d = { 0 };
	struct term_key k[2];
	size_t n = 0;

	for (size_t part = 0; part < 2; part++)
		for (size_t i = part ? split : 0; i < (part ? len : split); i++) {
			int got = term_key_feed(&d, (unsigned char)s[i], k);
			for (int j = 0; j < got && n < max; j++)
				out[n++] = k[j];
		}
	if (term_key_flush(&d, k) && n < max)
		out[n++] = k[0];
	return n;
}

static void check_keys(const char *s, size_t len, const enum term_keycode *want, size_t nwant, const char *what)
{
	struct term_key got[32];

	for (size_t split = 0; split <= len; split++) {
		size_t n = decode(s, len, split, got, 32);
		int same = n == nwant;
		for (size_t i = 0; same && i < n; i++)
			same = got[i].code == want[i];
		T_CHECK(same, "%s split at %zu: %zu keys, first code %d", what, split, n, n ? (int)got[0].code : -1);
	}
}

#define KEYS(s, ...) do { static const enum term_keycode w_[] = { __VA_ARGS__ }; \
	check_keys(s, sizeof(s) - 1, w_, sizeof(w_) / sizeof(*w_), #s); } while (0)

static void test_decoder(void)
{
	KEYS("\033[A", TK_UP);
	KEYS("\033[B\033[C\033[D", TK_DOWN, TK_RIGHT, TK_LEFT);
	KEYS("\033OA\033OB", TK_UP, TK_DOWN);           /* application cursor mode */
	KEYS("\033[3~", TK_DELETE);
	KEYS("\033[1~\033[4~\033[7~\033[8~\033[H\033[F", TK_HOME, TK_END, TK_HOME, TK_END, TK_HOME, TK_END);
	KEYS("\033[1;5C", TK_RIGHT);                      /* ctrl-right: the modifier is ignored */
	KEYS("\033[15~", TK_OTHER);                       /* F5 */
	KEYS("\033", TK_ESC);                             /* a lone Escape, once the timeout passed */
	KEYS("\033x", TK_ESC, TK_CHAR);
	KEYS("\033\033[A", TK_ESC, TK_UP);
	KEYS("\033[\r", TK_OTHER, TK_ENTER);              /* a broken sequence; the byte still counts */
	KEYS("\033[", TK_OTHER);
	KEYS("\033[1;2;3;4;5;6;7;8;9;10;11;12;13;14~x", TK_OTHER, TK_CHAR);  /* overlong: one key */
	KEYS("\r\n", TK_ENTER);                           /* CR LF is one Enter */
	KEYS("\n\n\r\r", TK_ENTER, TK_ENTER, TK_ENTER, TK_ENTER);
	KEYS("2e", TK_CHAR, TK_CHAR);
	KEYS("\x7f\x08\x15\x0c\x03\xc3\xa9", TK_BACKSPACE, TK_BACKSPACE, TK_KILL, TK_REDRAW, TK_OTHER, TK_OTHER, TK_OTHER);

	struct term_key k[4];
	T_EQ(decode("a", 1, 0, k, 4), 1);
	T_EQ(k[0].ch, 'a');
}

static struct term_key key(enum term_keycode c, char ch)
{
	return (struct term_key){ c, ch };
}

static void typed(struct term_line *l, const char *s)
{
	for (; *s; s++) {
		struct term_key k = key(TK_CHAR, *s);
		T_EQ(term_line_key(l, &k), TL_EDITING);
	}
}

static void press(struct term_line *l, enum term_keycode c, int times)
{
	struct term_key k = key(c, 0);
	while (times--)
		(void)term_line_key(l, &k);
}

static void test_line(void)
{
	char buf[32];
	struct term_line l;
	struct term_key k;

	term_line_init(&l, buf, sizeof(buf), "quiet splash");
	T_EQ(l.cur, 12);
	press(&l, TK_LEFT, 7);                            /* before " splash" */
	press(&l, TK_BACKSPACE, 5);                       /* "quiet" gone */
	typed(&l, "single");
	T_STREQ(buf, "single splash");
	press(&l, TK_HOME, 1);
	press(&l, TK_DELETE, 7);
	T_STREQ(buf, "splash");
	press(&l, TK_END, 1);
	typed(&l, " x=1");
	T_STREQ(buf, "splash x=1");
	press(&l, TK_RIGHT, 3);                           /* at the end already */
	T_EQ(l.cur, l.len);
	press(&l, TK_LEFT, 40);
	T_EQ(l.cur, 0);
	press(&l, TK_BACKSPACE, 2);                       /* nothing before the cursor */
	T_STREQ(buf, "splash x=1");
	press(&l, TK_KILL, 1);
	T_EQ(l.len, 0);
	typed(&l, "0123456789012345678901234567890123456789");
	T_EQ(l.len, sizeof(buf) - 1);                     /* full: the rest is not taken */
	T_EQ(strlen(buf), sizeof(buf) - 1);
	k = key(TK_ENTER, 0);
	T_EQ(term_line_key(&l, &k), TL_ACCEPT);
	k = key(TK_ESC, 0);
	T_EQ(term_line_key(&l, &k), TL_CANCEL);

	/* the window follows the cursor */
	term_line_init(&l, buf, sizeof(buf), "abcdefghijklmnopqrstuvwxyz");
	T_EQ(term_line_view(&l, 10), 17);                 /* the cursor at 26 is the last column */
	press(&l, TK_HOME, 1);
	T_EQ(term_line_view(&l, 10), 0);
	press(&l, TK_RIGHT, 12);
	T_EQ(term_line_view(&l, 10), 3);
	term_line_init(&l, buf, 8, "abcdefghijkl");       /* cut to the buffer */
	T_STREQ(buf, "abcdefg");
}

static void test_screen(void)
{
	static struct term_screen s;
	char out[4096];
	size_t n;

	term_screen_clear(&s);
	term_screen_put(&s, 0, 0, "hello");
	term_screen_put(&s, 2, 4, "a\033b");              /* a control byte cannot reach the terminal */
	n = term_screen_diff(&s, out, sizeof(out));
	out[n] = 0;
	T_OK(!strncmp(out, "\033[H\033[2J", 7));          /* first frame: clear, then everything */
	T_OK(strstr(out, "\033[1;1Hhello") != NULL);
	T_OK(strstr(out, "\033[3;5Ha?b") != NULL);
	T_OK(memchr(out + 7, 0x1b, n - 7) != NULL);

	term_screen_clear(&s);                            /* the same frame: only the cursor is placed */
	term_screen_put(&s, 0, 0, "hello");
	term_screen_put(&s, 2, 4, "a?b");
	n = term_screen_diff(&s, out, sizeof(out));
	out[n] = 0;
	T_STREQ(out, "\033[24;1H");

	term_screen_clear(&s);                            /* one character: only from its column */
	term_screen_put(&s, 0, 0, "help");
	term_screen_put(&s, 2, 4, "a?b");
	s.crow = 5; s.ccol = 3;
	n = term_screen_diff(&s, out, sizeof(out));
	out[n] = 0;
	T_STREQ(out, "\033[1;4Hp\033[K\033[6;4H");       /* "hello" -> "help": "p", then erase the rest */

	term_screen_clear(&s);
	term_screen_put(&s, 0, 0, "help");
	term_screen_put(&s, 23, 70, "0123456789abcdef");  /* cut before the last column: no wrap */
	n = term_screen_diff(&s, out, 4);                  /* too small: the length needed, nothing sent */
	T_OK(n > 4);
	T_OK(term_screen_diff(&s, out, sizeof(out)) == n);
	out[n] = 0;
	T_STREQ(out, "\033[3;5H\033[K\033[24;71H012345678\033[24;1H");
	s.valid = false;                                  /* ^L: everything again */
	n = term_screen_diff(&s, out, sizeof(out));
	T_OK(n > 7 && !strncmp(out, "\033[H\033[2J", 7));

	char e[64];
	T_EQ(term_escape(e, sizeof(e), "Deb\033]0;x\x07\\ian\xc3\xa9"), 30);
	T_STREQ(e, "Deb\\x1b]0;x\\x07\\x5cian\\xc3\\xa9");
	term_escape(e, 6, "\033\033");                    /* never half an escape */
	T_STREQ(e, "\\x1b");

	T_OK(term_is_vt100("linux"));
	T_OK(term_is_vt100("xterm-256color"));
	T_OK(term_is_vt100("vt220"));
	T_OK(term_is_vt100(NULL));
	T_OK(!term_is_vt100("dumb"));
	T_OK(!term_is_vt100("emacs"));
}

static void test_consoles(void)
{
	static const char proc[] = "ttyS0                -W- (EC p a)    4:64\n"
				   "tty0                 -WU (E  p  )    4:1\n"
				   "ttyS0                -W- (EC p a)    4:64\n"
				   "../../etc/x          -W- (EC p a)    4:64\n"
				   "hvc0                 -W- (E  p  )  229:0\n";
	char names[4][TERM_NAME];

	T_EQ(term_console_names(proc, sizeof(proc) - 1, true, names, 4), 3);
	T_STREQ(names[0], "ttyS0");
	T_STREQ(names[1], "tty0");
	T_STREQ(names[2], "hvc0");
	T_EQ(term_console_names("tty0 ttyS0 ttyAMA0\n", 19, false, names, 2), 2);
	T_STREQ(names[1], "ttyS0");
	T_EQ(term_console_names("", 0, false, names, 4), 0);
}

static void entry(struct boot_list *l, const char *title, const char *problem)
{
	struct boot_entry *e = boot_list_add(l, BOOT_GRUB);
	snprintf(e->title, sizeof(e->title), "%s", title);
	snprintf(e->options, sizeof(e->options), "root=/dev/vda1 ro quiet");
	snprintf(e->source, sizeof(e->source), "/boot/grub/grub.cfg");
	snprintf(e->device, sizeof(e->device), "/dev/vda1");
	e->problem = problem;
}

static enum menu_action ch(struct menu *m, char c)
{
	struct term_key k = key(TK_CHAR, c);
	return menu_key(m, &k);
}

static enum menu_action kc(struct menu *m, enum term_keycode c)
{
	struct term_key k = key(c, 0);
	return menu_key(m, &k);
}

static void test_menu_model(void)
{
	static struct menu m;
	static struct term_screen s;
	struct boot_list *l = boot_list_new();
	char row[TERM_COLS + 1];

	entry(l, "Debian GNU/Linux", NULL);
	entry(l, "broken", "no kernel");
	entry(l, "Debian GNU/Linux, with Linux 6.1.0-57-cloud-amd64 (recovery mode)", NULL);
	entry(l, "Evil\033[2J title", NULL);

	menu_init(&m, 2, false, false);
	menu_set_entries(&m, l, 2);
	T_EQ(m.n, 3);                                     /* the entry with a problem is not listed */
	T_EQ(m.def, 1);
	T_EQ(m.sel, 1);
	/* 73 columns: the title's middle gives way, its end (recovery mode) and the place stay */
	T_STREQ(m.item[1].text, "Debian GNU/Lin...57-cloud-amd64 (recovery mode)   [grub.cfg on /dev/vda1]");
	T_EQ(strlen(m.item[1].text), MENU_TEXT_COLS);
	T_STREQ(m.item[2].text, "Evil\\x1b[2J title   [grub.cfg on /dev/vda1]");
	menu_draw(&m, &s);
	memcpy(row, s.want[3], TERM_COLS - 1);
	row[TERM_COLS - 1] = 0;
	T_OK(!strncmp(row, ">*2) Debian GNU/Lin...57-cloud-amd64 (recovery mode)   [grub.cfg on /dev/vda1]", 78));
	T_OK(!strncmp(s.want[21], "booting 2) in 2 s", 17));

	/* the countdown boots the default */
	T_EQ(menu_tick(&m), MENU_NONE);
	menu_draw(&m, &s);
	T_OK(!strncmp(s.want[21], "booting 2) in 1 s", 17));
	T_EQ(menu_tick(&m), MENU_BOOT);
	T_EQ(m.chosen, 2);
	T_EQ(m.edited, 0);

	/* a digit boots that entry at once (a list index: 3 is the fourth entry) */
	menu_init(&m, 5, false, false);
	menu_set_entries(&m, l, 2);
	T_EQ(ch(&m, '3'), MENU_BOOT);
	T_EQ(m.chosen, 3);
	menu_init(&m, 5, false, false);
	menu_set_entries(&m, l, 2);
	T_EQ(ch(&m, '7'), MENU_NONE);                     /* no such entry: said, nothing boots */
	T_OK(strstr(m.status, "no entry 7") != NULL);
	T_EQ(m.counting, 0);                              /* any key stops the countdown */
	T_EQ(menu_tick(&m), MENU_NONE);
	T_EQ(kc(&m, TK_UP), MENU_NONE);
	T_EQ(kc(&m, TK_UP), MENU_NONE);                   /* stops at the first */
	T_EQ(kc(&m, TK_ENTER), MENU_BOOT);
	T_EQ(m.chosen, 0);
	T_EQ(ch(&m, 'r'), MENU_RESCAN);
	T_EQ(kc(&m, TK_REDRAW), MENU_REDRAW);

	/* e edits the selected entry's command line; Enter boots it, Esc cancels */
	menu_init(&m, 5, false, false);
	menu_set_entries(&m, l, 0);
	T_EQ(kc(&m, TK_DOWN), MENU_NONE);
	T_EQ(ch(&m, 'e'), MENU_EDIT);
	T_EQ(m.edit_idx, 2);
	menu_edit_begin(&m, l->e[2].options);
	menu_draw(&m, &s);
	T_OK(!strncmp(s.want[23], "root=/dev/vda1 ro quiet", 23));
	T_EQ(s.crow, 23);
	T_EQ(s.ccol, 23);
	for (int i = 0; i < 5; i++)
		T_EQ(kc(&m, TK_BACKSPACE), MENU_NONE);
	T_EQ(ch(&m, 'x'), MENU_NONE);                     /* a letter is text while editing, not a command */
	T_EQ(ch(&m, 's'), MENU_NONE);
	T_EQ(kc(&m, TK_ESC), MENU_NONE);
	T_EQ(m.editing, 0);
	T_EQ(ch(&m, 'e'), MENU_EDIT);
	menu_edit_begin(&m, l->e[2].options);
	T_EQ(kc(&m, TK_HOME), MENU_NONE);
	T_EQ(ch(&m, 'a'), MENU_NONE);
	T_EQ(ch(&m, ' '), MENU_NONE);
	T_EQ(kc(&m, TK_ENTER), MENU_BOOT);
	T_EQ(m.chosen, 2);
	T_EQ(m.edited, 1);
	T_STREQ(m.edit_buf, "a root=/dev/vda1 ro quiet");

	/* locked: e and s refused with a one-line reason */
	menu_init(&m, 5, false, true);
	menu_set_entries(&m, l, 0);
	T_EQ(ch(&m, 'e'), MENU_NONE);
	T_OK(strstr(m.status, "refused") != NULL);
	T_EQ(m.editing, 0);
	T_EQ(ch(&m, 's'), MENU_NONE);
	T_OK(strstr(m.status, "s (shell): refused") != NULL);
	menu_draw(&m, &s);
	T_OK(!strncmp(s.want[22], "s (shell): refused", 18));
	menu_init(&m, 5, false, false);
	menu_set_entries(&m, l, 0);
	T_EQ(ch(&m, 's'), MENU_SHELL);

	/* 12 entries: "1" waits for a second digit, "2" boots at once, "12" the twelfth */
	struct boot_list *b = boot_list_new();
	for (int i = 0; i < 12; i++)
		entry(b, "e", NULL);
	menu_init(&m, 5, false, false);
	menu_set_entries(&m, b, 0);
	T_EQ(ch(&m, '1'), MENU_NONE);
	T_EQ(ch(&m, '2'), MENU_BOOT);
	T_EQ(m.chosen, 11);
	menu_init(&m, 5, false, false);
	menu_set_entries(&m, b, 0);
	T_EQ(ch(&m, '1'), MENU_NONE);
	T_EQ(kc(&m, TK_ENTER), MENU_BOOT);
	T_EQ(m.chosen, 0);
	menu_init(&m, 5, false, false);
	menu_set_entries(&m, b, 0);
	T_EQ(ch(&m, '2'), MENU_BOOT);
	T_EQ(m.chosen, 1);
	menu_init(&m, 5, false, false);
	menu_set_entries(&m, b, 0);
	T_EQ(ch(&m, '1'), MENU_NONE);
	T_EQ(ch(&m, '3'), MENU_NONE);                     /* 13: none */
	T_EQ(m.ndigits, 0);

	/* the selection stays on its entry when a rescan adds some */
	for (int i = 0; i < 30; i++)
		entry(b, "more", NULL);
	menu_init(&m, 0, false, false);
	menu_set_entries(&m, b, 0);
	T_EQ(kc(&m, TK_END), MENU_NONE);
	T_EQ(m.sel, 41);
	T_EQ(m.top, 41 - MENU_ROWS + 1);
	menu_draw(&m, &s);
	T_OK(!strncmp(s.want[2 + MENU_ROWS - 1], ">", 1));
	T_OK(!strncmp(s.want[19], "  (26-42 of 42", 14));
	entry(b, "new", NULL);
	menu_set_entries(&m, b, 0);
	T_EQ(m.sel, 41);
	T_EQ(m.n, 43);

	/* a dumb terminal: a numbered list and a prompt, no escape codes */
	char out[MENU_DUMB_OUT];
	size_t n;
	menu_init(&m, 5, true, false);
	menu_set_entries(&m, l, 2);
	n = menu_dumb_take(&m, out, sizeof(out) - 1);
	out[n] = 0;
	T_OK(strstr(out, "  1) Debian GNU/Linux   [grub.cfg on /dev/vda1]\r\n") != NULL);
	T_OK(strstr(out, " *2) Debian GNU/Lin...57-cloud-amd64 (recovery mode)   [grub.cfg on /dev/vda1]\r\n") != NULL);
	T_OK(strstr(out, "booting 2) in 5 s") != NULL);
	T_OK(!memchr(out, 0x1b, n));
	T_EQ(menu_dumb_take(&m, out, sizeof(out)), 0);    /* nothing new */
	T_EQ(ch(&m, 'e'), MENU_EDIT);
	menu_edit_begin(&m, "ro");
	T_EQ(kc(&m, TK_LEFT), MENU_NONE);                 /* no cursor inside the line here */
	T_EQ(ch(&m, 'x'), MENU_NONE);
	T_EQ(kc(&m, TK_BACKSPACE), MENU_NONE);
	T_EQ(kc(&m, TK_BACKSPACE), MENU_NONE);
	T_EQ(ch(&m, 'w'), MENU_NONE);
	n = menu_dumb_take(&m, out, sizeof(out) - 1);
	out[n] = 0;
	T_OK(strstr(out, "\r\nro") != NULL);
	T_OK(strstr(out, "x\b \b\b \bw") != NULL);
	T_OK(!memchr(out, 0x1b, n));
	T_EQ(kc(&m, TK_ENTER), MENU_BOOT);
	T_STREQ(m.edit_buf, "rw");

	/* nothing found: Enter says so, the countdown goes on without a choice */
	struct boot_list *none = boot_list_new();
	menu_init(&m, 1, false, false);
	menu_set_entries(&m, none, -1);
	menu_draw(&m, &s);
	T_OK(!strncmp(s.want[2], "  no bootable entry found", 25));
	T_EQ(menu_tick(&m), MENU_BOOT);
	T_EQ(m.chosen, -1);
	T_EQ(kc(&m, TK_ENTER), MENU_NONE);
	T_EQ(ch(&m, 'e'), MENU_NONE);
	free(l);
	free(b);
	free(none);
}

static void test_item_text(void)
{
	struct boot_list *l = boot_list_new();
	char out[80];

	entry(l, "A very long title that goes on and on and on, and on, and on again until it does not fit", NULL);
	menu_item_text(&l->e[0], out, 60);
	T_EQ(strlen(out), 59);
	T_OK(!strncmp(out, "A very lon...ntil it does not fit   [grub.cfg on /dev/vda1]", 59));
	l->e[0].title[0] = 0;
	snprintf(l->e[0].id, sizeof(l->e[0].id), "the-id");
	menu_item_text(&l->e[0], out, sizeof(out));
	T_STREQ(out, "the-id   [grub.cfg on /dev/vda1]");
	free(l);
}

/* ferry.menu=SECONDS in the plan: 0 by default, 0..3600, and with locked only the file's. */
static unsigned plan_menu(const char *file, const char *cmdline, size_t *errors)
{
	static struct ferry_config c;
	static struct boot_plan p;

	cfg_init(&c, "/etc/ferry.conf");
	cfg_parse_file(&c, file, strlen(file));
	cfg_parse_cmdline(&c, cmdline, strlen(cmdline));
	*errors = (size_t)bootplan_build(&c, &p, NULL);
	if (*errors)
		T_OK(strstr(c.errors[0], "ferry.menu=") != NULL);
	cfg_free(&c);
	return p.menu_s;
}

static void test_plan_key(void)
{
	size_t e;

	T_EQ(plan_menu("", "", &e), 0);
	T_EQ(e, 0);
	T_EQ(plan_menu("", "ferry.menu=5", &e), 5);
	T_EQ(plan_menu("ferry.menu = 10\n", "ferry.menu=3", &e), 3);   /* the command line wins */
	T_EQ(plan_menu("", "ferry.menu=3601", &e), 0);
	T_EQ(e, 1);
	T_EQ(plan_menu("", "ferry.menu=soon", &e), 0);
	T_EQ(e, 1);
	T_EQ(plan_menu("locked\n", "ferry.menu=30", &e), 0);          /* locked: the command line cannot ask */
	T_EQ(e, 0);
	T_EQ(plan_menu("locked\nferry.menu = 7\n", "ferry.menu=0", &e), 7);  /* ... nor turn it off */
	T_EQ(plan_menu("locked\nlocked.allow = ferry.menu\n", "ferry.menu=4", &e), 4);
}

int main(void)
{
	test_plan_key();
	test_decoder();
	test_line();
	test_screen();
	test_consoles();
	test_menu_model();
	test_item_text();
	return T_DONE();
}
