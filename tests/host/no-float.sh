#!/usr/bin/env bash
# ferry's own printf and scanf (lib/core/printf.c, scanf.c) have no floating-point conversions: a
# "%.1f" in ferry's code would print nothing in the static binary (the call fails with EINVAL), while
# the unit tests, built against glibc, would pass. So no format string in init/ or lib/ may hold one.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
pass=0; fail=0
# A conversion: % flags width .precision length, then one of a A e E f F g G.
re='%[-+ #0]*([0-9]+|\*)?(\.([0-9]+|\*))?(hh|h|ll|l|L|j|z|t)?[aAeEfFgG]'
self=$(printf '%s\n' 'log_info("x", "%s %.1f MiB", a, b);' 'printf("%Lg", x);' 'printf("%5s %d%%", a, b);' |
	grep -cE "\"[^\"]*$re")
if [ "$self" = 2 ]; then pass=$((pass + 1)); else
	echo "  FAIL the pattern finds $self of the 2 float formats in its own sample"; fail=$((fail + 1)); fi
hits=$(cd "$TOP" && grep -nE "\"[^\"]*$re" init/*.c lib/*/*.c | grep -vE '%%[aAeEfFgG]' )
if [ -z "$hits" ]; then pass=$((pass + 1)); else
	echo "  FAIL floating-point conversions in format strings (ferry's printf has none):"
	echo "$hits" | sed 's/^/    /'; fail=$((fail + 1)); fi
echo "no-float: $pass passed, $fail failed"
[ $fail = 0 ]
