#!/bin/sh
# Sum every "N passed, N failed[, N skipped]" line of the check logs into the closing line.
dir=$1
p=0; f=0; s=0
for log in "$dir"/*.log; do
	[ -e "$log" ] || continue
	while read -r np nf ns; do
		p=$((p + np)); f=$((f + nf)); s=$((s + ns))
	done <<EOT
$(sed -n 's/.*: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\(, \([0-9][0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p' "$log" | grep -v '^$' | awk '{print $1, $2, ($3 == "" ? 0 : $3)}')
EOT
done
# "skipped: why" lines of the layers without a skipped column of their own
sk=$(ls "$dir"/*.log 2>/dev/null | grep -v '/vm.log$' | xargs cat 2>/dev/null | grep -c 'skipped:')
echo
echo "check: $p passed, $f failed, $((s + sk)) skipped"
[ "$f" = 0 ] && [ "$p" -gt 0 ]
