#!/bin/bash
# `ferry netboot --fetch` (the netboot transports) on a veth: TFTP from dnsmasq --enable-tftp,
# HTTP from python3 -m http.server, and each hostile case from the tests' own responder
# (tests/netns/netboot-responder.py): duplicate and out-of-order TFTP blocks, a stranger's transfer ID,
# a server that stops mid-file, a lying Content-Length, endless chunks, redirect loops.
. "$(dirname "$0")/net.lib"
net_init netboot-fetch "${1:-build}"
TOP=$(cd "$(dirname "$0")/../.." && pwd)

for tool in dnsmasq python3; do
	command -v $tool >/dev/null || { echo "skipped: netboot-fetch: no $tool"; echo "netboot-fetch: 0 passed, 0 failed"; exit 0; }
done
srv_ns S
veth nb0 sb0 "$S" 10.71.0.1/24
ip addr add 10.71.0.2/24 dev nb0 && ip link set nb0 up

mkdir -p "$W/tftp/sub" "$W/www"
head -c 3000000 /dev/urandom > "$W/tftp/big"
head -c 100 /dev/urandom > "$W/tftp/sub/small"
head -c $((1468 * 3)) /dev/urandom > "$W/tftp/even"
: > "$W/tftp/empty"
cp "$W/tftp/big" "$W/www/big"
printf 'hello\n' > "$W/www/hello.txt"
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=53 --no-resolv --no-hosts \
	--address=/boot.test/10.71.0.1 --address=/nx.test/ --user=root --pid-file= \
	--interface=sb0 --bind-interfaces --enable-tftp --tftp-root="$W/tftp" --log-facility="$W/dnsmasq.log"
bg ip netns exec "$S" sh -c "exec python3 -m http.server --bind 10.71.0.1 --directory $W/www 8000 2>$W/http.log"
bg ip netns exec "$S" python3 "$TOP/tests/netns/netboot-responder.py" 10.71.0.1 8080 6969 "$W/resp.log"
wait_for 5 sh -c "grep -q ready $W/resp.log" || bad "the responder did not start"
wait_for 5 ip netns exec "$S" sh -c "ss -ltn | grep -q 10.71.0.1:8000" || bad "http.server did not start"
sleep 0.3

fetch() { timeout -k 2 60 "$FERRY" netboot --fetch "$@" > "$W/out" 2>&1; rc=$?; cat "$W/out" | tail -4 | sed 's/^/    /'; return $rc; }

echo "tftp (dnsmasq)"
check "3 MB file: exit 0" fetch tftp://10.71.0.1/big --out "$W/got"
check "3 MB file: the same bytes" cmp "$W/tftp/big" "$W/got"
check "100-byte file in a directory" fetch tftp://10.71.0.1/sub/small --out "$W/got"
check "  the same bytes" cmp "$W/tftp/sub/small" "$W/got"
check "a file of exactly 3 blocks" fetch tftp://10.71.0.1/even --out "$W/got"
check "  the same bytes" cmp "$W/tftp/even" "$W/got"
check "an empty file" fetch tftp://10.71.0.1/empty --out "$W/got"
check "  is empty" test ! -s "$W/got"
fetch tftp://10.71.0.1/missing --out "$W/got"; rc=$?
check "a missing file: exit 1" test "$rc" = 1
check "  the server's error, named" grep -q "server error: .*not found" "$W/out"
check "  not retried (no 'trying again')" sh -c "! grep -q 'trying again' $W/out"
fetch tftp://10.71.0.1/big --out "$W/got" --max 1000000; rc=$?
check "beyond --max: exit 1, named" sh -c "test $rc = 1 && grep -q 'tsize beyond the limit' $W/out"
t0=$(date +%s)
fetch tftp://10.71.0.9/big --out "$W/got" --timeout 2; rc=$?
t1=$(date +%s)
check "no server: exit 1 after bounded retries (took $((t1 - t0)) s)" sh -c "test $rc = 1 && test $((t1 - t0)) -le 20"
check "  three attempts, with backoff" sh -c "grep -q 'attempt 3 of 3' $W/out"

echo "tftp (hostile)"
check "every block twice: exit 0" fetch tftp://10.71.0.1:6969/dup --out "$W/got" --timeout 5
python3 -c "import sys; sys.stdout.buffer.write(bytes((i*7+3)&0xff for i in range(100*1024)))" > "$W/pat"
check "  the file is right" cmp "$W/got" <(head -c $((20 * 512 + 100)) "$W/pat")
wait_for 3 grep -q "tftp done dup" "$W/resp.log"
check "  one ACK per block (no Sorcerer's Apprentice)" grep -q "tftp done dup max acks per block 1$" "$W/resp.log"
check "a stranger's transfer ID: exit 0" fetch tftp://10.71.0.1:6969/stranger --out "$W/got" --timeout 5
check "  the stranger got error 5" grep -q "stranger got error 5" "$W/resp.log"
check "  the file is whole" test "$(stat -c %s "$W/got")" = $((20 * 512 + 100))
t0=$(date +%s)
fetch tftp://10.71.0.1:6969/stall --out "$W/got" --timeout 2; rc=$?
t1=$(date +%s)
check "a server that stops mid-file: exit 1, bounded ($((t1 - t0)) s)" sh -c "test $rc = 1 && test $((t1 - t0)) -le 20"
check "  named" grep -Eq "no progress for 2 s|no reply" "$W/out"
fetch tftp://10.71.0.1:6969/wrongblock --out "$W/got" --timeout 2; rc=$?
check "a block from far ahead: dropped, then no reply: exit 1" test "$rc" = 1

echo "http (python3 -m http.server)"
check "3 MB file: exit 0" fetch http://10.71.0.1:8000/big --out "$W/got"
check "  the same bytes" cmp "$W/www/big" "$W/got"
check "a small file" fetch http://10.71.0.1:8000/hello.txt --out "$W/got"
check "  the same bytes" cmp "$W/www/hello.txt" "$W/got"
fetch http://10.71.0.1:8000/nothing --out "$W/got"; rc=$?
check "404: exit 1, named, not retried" sh -c "test $rc = 1 && grep -q 'HTTP status 404' $W/out && ! grep -q 'trying again' $W/out"
fetch http://10.71.0.1:8001/big --out "$W/got" --timeout 2; rc=$?
check "connection refused: exit 1 after retries" sh -c "test $rc = 1 && grep -q 'attempt 3 of 3' $W/out && grep -q 'Connection refused' $W/out"
fetch https://10.71.0.1/x --out "$W/got"; rc=$?
check "https: refused by name (no TLS)" sh -c "test $rc = 1 && grep -q 'no TLS' $W/out"
fetch http://boot.example/x --out "$W/got"; rc=$?
check "a name and no name server: refused by name" sh -c "test $rc = 1 && grep -q 'a name, and no name server' $W/out"
echo "names (dnsmasq as the name server)"
check "http://boot.test:8000/big: exit 0" fetch http://boot.test:8000/big --out "$W/got" --dns 10.71.0.1
check "  the A record used" grep -q "boot.test is 10.71.0.1" "$W/out"
check "  the same bytes" cmp "$W/www/big" "$W/got"
check "tftp://boot.test/big too" fetch tftp://boot.test/big --out "$W/got" --dns 10.71.0.1
check "  the same bytes" cmp "$W/tftp/big" "$W/got"
fetch http://nx.test/x --out "$W/got" --dns 10.71.0.1; rc=$?
check "NXDOMAIN: exit 1, named, not retried" sh -c "test $rc = 1 && grep -q 'no such name (NXDOMAIN)' $W/out && ! grep -q 'trying again' $W/out"
t0=$(date +%s)
fetch http://boot.test/x --out "$W/got" --dns 10.71.0.9; rc=$?
t1=$(date +%s)
check "a silent name server: exit 1, bounded ($((t1 - t0)) s), named" sh -c "test $rc = 1 && test $((t1 - t0)) -le 20 && grep -q 'no answer from the name servers (10.71.0.9)' $W/out"

echo "http (hostile)"
P=http://10.71.0.1:8080
check "Content-Length body" fetch $P/ok --out "$W/got"
check "  the bytes sent" cmp "$W/pat" "$W/got"
check "chunked body" fetch $P/chunked --out "$W/got"
check "  the same 100 KiB as /ok" cmp "$W/pat" "$W/got"
fetch $P/short --out "$W/got" --timeout 2; rc=$?
check "Content-Length longer than the body: exit 1, named" sh -c "test $rc = 1 && grep -q 'body cut short' $W/out"
fetch $P/long --out "$W/got"; rc=$?
check "Content-Length shorter than the body: exit 1, named" sh -c "test $rc = 1 && grep -q 'more bytes than Content-Length' $W/out"
check "  nothing beyond the length stored" sh -c "test \$(stat -c %s $W/got) -le 10"
fetch $P/endless --out "$W/got" --max 5000000; rc=$?
check "endless chunks: exit 1 at --max, named" sh -c "test $rc = 1 && grep -q 'chunked body beyond the limit' $W/out"
check "  no more than --max stored" sh -c "test \$(stat -c %s $W/got) -le 5000000"
fetch $P/loop --out "$W/got"; rc=$?
check "a redirect loop: exit 1, named" sh -c "test $rc = 1 && grep -q 'more than 5 redirects' $W/out"
check "3 relative redirects, then the file" fetch $P/hop/3 --out "$W/got"
check "  100 KiB" test "$(stat -c %s "$W/got")" = 102400
t0=$(date +%s)
fetch $P/stall --out "$W/got" --timeout 2; rc=$?
t1=$(date +%s)
check "a server that stops mid-body: exit 1, bounded ($((t1 - t0)) s)" sh -c "test $rc = 1 && test $((t1 - t0)) -le 15 && grep -q 'no progress for 2 s' $W/out"
fetch $P/garbage --out "$W/got"; rc=$?
check "not HTTP: exit 1, named" sh -c "test $rc = 1 && grep -q 'not an HTTP/1.x status line' $W/out"
fetch $P/bighead --out "$W/got"; rc=$?
check "a 100 KB header line: exit 1, named" sh -c "test $rc = 1 && grep -q 'line too long' $W/out"
net_done
