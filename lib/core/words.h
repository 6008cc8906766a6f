/* Splitting a line into blank-separated words in place: the list and modules.dep parsers share it. */
#ifndef FERRY_WORDS_H
#define FERRY_WORDS_H

/* Space, tab, newline, carriage return, vertical tab, form feed. */
int words_blank(char c);
/* The next word of *p, NUL-terminated in place, *p moved past it; NULL at the end of the line. */
char *words_next(char **p);

#endif
