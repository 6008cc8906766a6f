#include <stddef.h>
#include "words.h"

int words_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *words_next(char **p)
{
	char *s = *p, *w;

	while (words_blank(*s))
		s++;
	if (!*s) {
		*p = s;
		return NULL;
	}
	w = s;
	while (*s && !words_blank(*s))
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return w;
}
