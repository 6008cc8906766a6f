/* A plain VT100 terminal, without curses or terminfo: the key decoder (escape sequences may arrive
 * split across reads), a one-line editor, and a screen model that sends only what changed. Pure:
 * bytes in, keys and bytes out; the caller reads and writes the console (init/menu.c). */
#ifndef FERRY_TERM_H
#define FERRY_TERM_H
#include <stdbool.h>
#include <stddef.h>

enum term_keycode {
	TK_NONE = 0,
	TK_CHAR,        /* a printable ASCII byte, in ch */
	TK_ENTER,       /* \r, \n (\r\n is one Enter) */
	TK_ESC,         /* a lone Escape: ESC then nothing within the caller's timeout (term_key_flush) */
	TK_UP, TK_DOWN, TK_LEFT, TK_RIGHT, TK_HOME, TK_END, TK_DELETE, TK_BACKSPACE,
	TK_KILL,        /* ^U: the line is emptied */
	TK_REDRAW,      /* ^L */
	TK_OTHER,       /* a key ferry does not use (F1, PgUp, ^C, ...): it still stops a countdown */
};

struct term_key {
	enum term_keycode code;
	char ch;
};

/* Decoder state between reads. Zero-initialised is ready. */
struct term_dec {
	unsigned char seq[16];   /* the escape sequence so far (seq[0] is ESC) */
	size_t n;
	bool cr;                 /* the last byte was \r: a \n right after it is the same Enter */
};

/* Feed one byte; up to 2 keys are written to out (ESC followed by a byte that starts no sequence
 * is Escape, then that byte). Returns how many. */
int term_key_feed(struct term_dec *d, unsigned char c, struct term_key out[2]);
/* The caller's timeout passed with a sequence pending (term_key_pending): a lone ESC is Escape,
 * anything longer a key ferry does not know. Returns 0 or 1 keys. */
int term_key_flush(struct term_dec *d, struct term_key *out);
static inline bool term_key_pending(const struct term_dec *d) { return d->n > 0; }

/* One line of text being edited, in the caller's buffer. Printable ASCII only is inserted; bytes
 * already there stay as they are (shown escaped by the caller). */
struct term_line {
	char *buf;
	size_t cap;              /* buf's size: at most cap - 1 bytes of text */
	size_t len, cur;         /* text length, cursor (0..len) */
	size_t scroll;           /* first byte shown, kept by term_line_view */
};
enum term_line_result { TL_EDITING, TL_ACCEPT, TL_CANCEL };
/* Start editing s (cut to cap - 1 bytes), cursor at the end. */
void term_line_init(struct term_line *l, char *buf, size_t cap, const char *s);
enum term_line_result term_line_key(struct term_line *l, const struct term_key *k);
/* The window of width columns that shows the cursor: the first byte shown (also kept in scroll). */
size_t term_line_view(struct term_line *l, size_t width);

/* The screen: what the terminal shows (have) and what it should show (want), TERM_ROWS x TERM_COLS
 * (printable ASCII only; the last column is left empty, so no line ever makes the terminal wrap). */
#define TERM_ROWS 24
#define TERM_COLS 80
struct term_screen {
	char have[TERM_ROWS][TERM_COLS];
	char want[TERM_ROWS][TERM_COLS];
	bool valid;              /* have is what the terminal shows (false: clear and draw everything) */
	int crow, ccol;          /* where the cursor should be left (-1: hidden in the corner) */
};
/* Empty want (the next frame is drawn into it). */
void term_screen_clear(struct term_screen *s);
/* Write text at (row, col) of want, cut at the edge; bytes outside 0x20..0x7e become '?'. */
void term_screen_put(struct term_screen *s, int row, int col, const char *text);
/* The VT100 bytes that turn have into want (cursor moves, the changed part of each changed row,
 * erase to end of line), then the cursor placed; have becomes want. Returns the length, or the length
 * needed when it is larger than cap (then nothing is changed: call again with more room). */
size_t term_screen_diff(struct term_screen *s, char *out, size_t cap);

/* Escape a string for a terminal: every byte outside 0x20..0x7e, and the backslash, as \xNN (a
 * title with ESC in it cannot move the cursor or retitle the window). Returns the length written. */
size_t term_escape(char *out, size_t cap, const char *s);

/* TERM: true when it names a terminal that understands VT100 sequences (vt100, vt102, vt220,
 * linux, xterm*, screen*, tmux*, rxvt*, ansi; unset: the kernel sets TERM=linux, so true). */
bool term_is_vt100(const char *term);

/* The consoles the kernel writes to: /proc/consoles (per_line: the first word of each line) or
 * /sys/class/tty/console/active (the words of one line). Names that are not plain device names
 * ("../x", a slash, too long) and repeats are left out. Returns how many. */
#define TERM_NAME 32
size_t term_console_names(const char *buf, size_t len, bool per_line, char names[][TERM_NAME], size_t max);

#endif
