#!/bin/sh
# run.sh BUILD [SECONDS] - fuzz the spec loader with libFuzzer.
#
# Builds BUILD/fuzz/fuzz_spec with clang (-fsanitize=fuzzer,address,
# undefined), replays every input in tests/fuzz/regressions/ (each a crash
# found once, kept so that it never comes back), then fuzzes for SECONDS
# (default $FUZZ_SECONDS or 20) from the real specs and tests/bad_specs/,
# with the YAML keys of specs/FORMAT.md as a dictionary. The corpus grows
# in BUILD/fuzz/corpus between runs. A crash, leak or timeout fails the
# run and leaves its input as BUILD/fuzz/crash-*: minimize it with
#   BUILD/fuzz/fuzz_spec -minimize_crash=1 -runs=10000 FILE
# and add it to tests/fuzz/regressions/ with the fix.
# Prints "ok N - ..." / "not ok N - ..." lines; exits 1 on any failure.
build=${1:-build}
secs=${2:-${FUZZ_SECONDS:-20}}
out=$build/fuzz
bin=$out/fuzz_spec
here=tests/fuzz
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

mkdir -p "$out/corpus" || exit 1
command -v clang >/dev/null 2>&1 || { echo "fuzz: clang is missing (make deps-test)" >&2; exit 1; }
# The loader (every file of load/, so that a new one is not forgotten) and
# what it links against.
srcs="$(echo grader/load/*.c) grader/model/spec.c grader/model/lang.c grader/model/role.c grader/base/util.c grader/base/err.c $here/fuzz_spec.c"
stale=no
[ -x "$bin" ] || stale=yes
for f in $srcs grader/*/*.h; do
	[ "$f" -nt "$bin" ] && stale=yes
done
if [ $stale = yes ]; then
	# -Werror stays with the real build: clang may warn where gcc does not.
	clang -std=c11 -D_GNU_SOURCE -g -O1 -Wall \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(pkg-config --cflags yaml-0.1) -iquote grader \
		-o "$bin" $srcs $(pkg-config --libs yaml-0.1) -lm ||
		{ echo "fuzz: cannot build $bin" >&2; exit 1; }
fi
export FUZZ_SPEC_DATA="$PWD/specs/data"
export TMPDIR="${TMPDIR:-/tmp}"

# Every regression input, once each: a crash found before stays fixed.
regs=$(ls "$here"/regressions/* 2>/dev/null | grep -v '/README$')
if [ -n "$regs" ]; then
	if "$bin" -runs=1 $regs >"$out/replay.log" 2>&1; then
		ok "replayed $(echo "$regs" | wc -l) regression inputs"
	else
		not_ok "a regression input fails again (see $out/replay.log)"
		tail -n 30 "$out/replay.log"
	fi
else
	ok "no regression inputs yet # SKIP tests/fuzz/regressions/ is empty"
fi

# The real specs and the bad ones are the seeds; the corpus dir comes
# first, so that libFuzzer keeps what it finds there.
seeds=
for d in specs tests/bad_specs; do
	[ -d "$d" ] && seeds="$seeds $d"
done
rm -f "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
	-dict="$here/spec.dict" -artifact_prefix="$out/" -print_final_stats=1 \
	"$out/corpus" $seeds >"$out/fuzz.log" 2>&1
st=$?
found=$(ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* 2>/dev/null)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log")
cov=$(grep -o 'cov: [0-9]*' "$out/fuzz.log" | tail -n 1)
if [ $st -eq 0 ] && [ -z "$found" ]; then
	ok "fuzzed the spec loader for ${secs} s: ${execs:-?} inputs, ${cov:-cov: ?}, corpus $(ls "$out/corpus" | wc -l) files"
else
	not_ok "the spec loader failed under the fuzzer (exit $st): ${found:-see $out/fuzz.log}"
	grep -A25 'ERROR: \|==ERROR\|runtime error' "$out/fuzz.log" | head -n 60
	echo "# add the input to $here/regressions/ once fixed"
fi
echo "1..$n"
exit $fail
