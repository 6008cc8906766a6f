/* Minimal unit-test helpers: each check counts once; T_DONE() prints the closing line. */
#ifndef FERRY_T_H
#define FERRY_T_H
#include <stdio.h>
#include <string.h>

static int t_passed, t_failed;

#define T_CHECK(ok, ...) do { \
	if (ok) { t_passed++; } else { \
		t_failed++; \
		fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
	} } while (0)

#define T_OK(c) T_CHECK((c), "%s", #c)
#define T_EQ(a, b) do { long long t_a_ = (long long)(a), t_b_ = (long long)(b); \
	T_CHECK(t_a_ == t_b_, "%s == %s: %lld != %lld", #a, #b, t_a_, t_b_); } while (0)
#define T_STREQ(a, b) do { const char *t_a_ = (a), *t_b_ = (b); \
	T_CHECK(t_a_ && t_b_ && !strcmp(t_a_, t_b_), "%s == %s: \"%s\" != \"%s\"", #a, #b, \
		t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)"); } while (0)
#define T_MEMEQ(a, b, n) T_CHECK(!memcmp((a), (b), (n)), "%s == %s (%zu bytes)", #a, #b, (size_t)(n))

#define T_DONE() (printf("%s: %d passed, %d failed\n", __FILE__, t_passed, t_failed), \
	(t_failed || !t_passed) ? 1 : 0)

#endif
