# arm64 kexec through a BLS entry of Image.gz (gzip -9 of Debian's vmlinuz), inflated with zlib
# into a memfd and timed on its own (tests/vm/arm64-kexec.inc).
source "$TOP/tests/vm/arm64-kexec.inc"
a64_setup || return 0
a64_images
a64_kexec g1 gz
expect g1 'entry [0-9]+: gzip \(holding arm64 Image\), kexec_load' "Image.gz inflated"
expect g1 'gzip kernel inflated in [0-9]+\.[0-9]+ ms \(27[0-9]{6} bytes\)|gzip kernel inflated in [0-9]+\.[0-9]+ ms' \
	"inflation timed on its own"
expect g1 '^KEXEC-CMDLINE console=ttyAMA0 panic=-1 test.fmt=bls-gz$' "the second kernel runs (BLS, Image.gz)"
