/* The boot menu's model (ferry.menu=SECONDS): the bootable entries numbered from 1, the default
 * marked, a countdown, the keys, the one-line edit of an entry's command line, and what the
 * screen shows. Pure: keys and ticks in, an action and the text to send out; init/menu.c owns the
 * consoles, the loop and the boot. */
#ifndef FERRY_MENU_H
#define FERRY_MENU_H
#include <stdbool.h>
#include <stddef.h>
#include "bootcfg.h"
#include "../core/term.h"

#define MENU_ROWS 17             /* entries shown at once on a 24-row screen (rows 2..18) */
#define MENU_DUMB_OUT 16384
#define MENU_TEXT_COLS (TERM_COLS - 1 - 6)  /* an entry's text after ">*12) " on an 80-column line */

enum menu_action {
	MENU_NONE,
	MENU_BOOT,       /* boot m->chosen (a list index; -1: nothing to choose, go on as without a menu) */
	MENU_EDIT,       /* the caller starts the edit: menu_edit_begin(m, options of m->edit_idx) */
	MENU_RESCAN,     /* look at the devices again, then menu_set_entries() */
	MENU_SHELL,      /* run ferry.shell=, then menu_resume() */
	MENU_REDRAW,     /* ^L: the caller draws the whole screen again */
};

struct menu_item {
	int idx;                         /* in the boot_list */
	char text[TERM_COLS * 2];        /* "Title   [grub.cfg on /dev/vda1]", escaped */
};

struct menu {
	struct menu_item item[BOOT_MAX_ENTRIES];
	size_t n;
	int def;                 /* item marked as the default, -1 none */
	int sel;                 /* item selected */
	size_t top;              /* first item shown */
	bool dumb, locked;
	bool counting;           /* the countdown runs (until the first key) */
	unsigned left;           /* its seconds left */
	bool editing;
	char digits[4];          /* a number being typed (10 and more entries) */
	size_t ndigits;
	char status[TERM_COLS];  /* one line: a refusal, "no entry 7" */
	int chosen;              /* MENU_BOOT: the list index */
	bool edited;             /* ... with its options replaced by edit_buf */
	int edit_idx;            /* MENU_EDIT: the list index whose options to edit */
	struct term_line ed;
	char edit_buf[BOOT_OPTS];
	char out[MENU_DUMB_OUT]; /* dumb terminal: text not yet sent */
	size_t outn;
	bool list_shown;         /* dumb: the list has been printed since it last changed */
};

/* seconds: the countdown (ferry.menu=); dumb: no escape codes; locked: e and s are refused. */
void menu_init(struct menu *m, unsigned seconds, bool dumb, bool locked);
/* The bootable entries of l (entries with a problem are left out); first: the list index that
 * boots first without a key (marked as the default), -1 none. The selection stays on the entry it
 * was on. */
void menu_set_entries(struct menu *m, const struct boot_list *l, int first);
enum menu_action menu_key(struct menu *m, const struct term_key *k);
/* One second passed: the countdown; MENU_BOOT (the default) when it reaches 0. */
enum menu_action menu_tick(struct menu *m);
/* Edit options (the entry's own command line: ferry.kexec.remove=/append= still apply after it). */
void menu_edit_begin(struct menu *m, const char *options);
/* After the shell, or anything else that wrote on the screen: the list is shown again. */
void menu_resume(struct menu *m);
/* A line of status ("r: 2 new entries"). */
void menu_say(struct menu *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A VT100 terminal: the frame into s->want (the caller then sends term_screen_diff). */
void menu_draw(const struct menu *m, struct term_screen *s);
/* A dumb terminal: the text produced since the last call (at most cap bytes; the rest stays). */
size_t menu_dumb_take(struct menu *m, char *out, size_t cap);

/* "Debian GNU/Linux (recovery mode)   [grub.cfg on /dev/vda1]", escaped, at most cols columns:
 * a long title loses its middle to "...", the place is kept. out has cols bytes. */
void menu_item_text(const struct boot_entry *e, char *out, size_t cols);

#endif
