#!/bin/sh
# run.sh BUILD - the benchmark behind `make bench`: prints a table of
# medians (and min/max) over repeated runs, each per-test figure also as a
# ratio to the floor measured in the same run, then the goals with
# PASS/MISS. Asserts nothing: exits 0 when goals are missed, non-zero only
# when it could not measure at all. Everything it makes lives in one temp
# dir (the grader's own temp dirs included, through TMPDIR), removed on
# exit; the only processes it runs in the background are the floor loops
# it runs side by side, and it waits for them.
#
# What is measured (N trivial tests, REPS repetitions, interleaved so that
# a noisy moment of the machine hits every row alike):
#
#   floor        tests/bench/floor.c: fork, exec echo, write "hello\n"
#                through a pipe, read the output to EOF, wait; N times
#   grader       one spec of N tests of the same program (stdin in, stdout
#                and exit checked), graded at L1 and L3, traced or not
#   bash loop    the loop an instructor would write: timeout, redirects,
#                diff, per test
#   copy         fs_copy_tree + fs_remove_tree of the test dir alone, the
#                per-test copy that run_test() makes (tests/bench/intrinsic.c)
#   fork-heavy   a test that forks and reaps 200 children, traced / not
#   writes       a test whose program writes 1000 lines, one write(2)
#                each (tests/bench/lines.c), traced (every write to
#                stdout stops in the tracer: write attribution) / not,
#                next to its own floor (floor.c running lines)
#   solutions    the reference solutions graded with the bundled specs,
#                one exercise after the other and with `run -j 4` (four
#                exercises at once), next to the slowest exercise alone,
#                next to the intrinsic floor: the same builds and the same
#                test commands run once each directly, no grader (their
#                sleeps included; tests/bench/intrinsic.c)
#   batch        40 small submissions (build + 10 tests each), -j 1, 2, 4
#   floor x K    K floor loops side by side (K = 1, 2, 4), in the same
#                repetitions as the batch: how far this machine itself
#                scales fork+exec work (it may not: two loops ran 1.09x
#                faster than one on a development machine whose CPU work
#                scaled 2x); the batch's -j speed-ups are judged against it
#   memory       the grader's own peak RSS (VmHWM read at its exit by
#                tests/bench/peakrss.c) while a test prints 200 MiB
#
# Environment: BENCH_N (tests per spec, 200), BENCH_REPS (5),
# BENCH_SLOW_REPS (3, for the solutions, batch and memory rows).
#
# The sleeps the contract (each spec's description) itself requires of
# one run of each exercise, with default arguments, for reference: the
# intrinsic floor is measured, not summed from this table, because specs
# run several cases per exercise with other arguments.
#   ex01 200 ms (two overlapping sleeps)   ex06 300 ms (N=3: 300,200,100)
#   ex03 ~10 ms (polls getppid every 10)    ex11 ~550 ms (5 lines / 100 ms
#   ex04 ~110 ms (orphan wait, 2 x 50 ms)        + the child's 50 ms start)
#   ex14 300 ms (N=3)                       ex15 200 ms (children at once)
#   the other twelve: none
set -u

build=${1:-build}
case "$build" in
/*) ;;
*) build=$PWD/$build ;;
esac
cd "$(dirname "$0")/../.." || exit 2 # the repository's top
G=$build/grader
N=${BENCH_N:-200}
REPS=${BENCH_REPS:-5}
SLOW=${BENCH_SLOW_REPS:-3}
CC=${CC:-cc}
NFORK_TESTS=10
NLINES_TESTS=20
NBATCH=40
NBATCH_TESTS=10

if [ ! -x "$G" ]; then
	echo "bench: no grader at '$G': run make first" >&2
	exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/grader-bench.XXXXXX") || exit 2
# A work area on tmpfs, for the one what-if row that shows what the
# per-test copies cost on the disk's file system.
S=
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
	S=$(mktemp -d /dev/shm/grader-bench.XXXXXX 2>/dev/null) || S=
fi
cleanup() {
	# Anything still running with its cwd in our temp dir was started by
	# this benchmark (student stand-ins the grader failed to end): end
	# those, by pid, and say so.
	for p in /proc/[0-9]*; do
		c=$(readlink "$p/cwd" 2>/dev/null) || continue
		case "$c" in
		"$T"/* | "${S:-$T}"/*)
			echo "bench: a process was left running: pid ${p#/proc/} in $c" >&2
			kill -9 "${p#/proc/}" 2>/dev/null ;;
		esac
	done
	rm -rf "$T"
	[ -n "$S" ] && rm -rf "$S"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$T/tmp" "$T/bin" "$T/sub"
export TMPDIR="$T/tmp"

# ---- helpers ------------------------------------------------------------

now() { date +%s%N; }

# timeit CMD...: the wall time of CMD in ns on stdout; CMD's exit status
# in $T/rc; its stderr in $T/err.
timeit() {
	_s=$(now)
	"$@" >/dev/null 2>"$T/err"
	echo $? >"$T/rc"
	_e=$(now)
	echo $((_e - _s))
}

# add NAME VALUE: record one sample of a row, tagged with the repetition
# $r it belongs to, so that rows can be compared run by run.
add() { echo "$r $2" >>"$T/samples.$1"; }

# stats NAME: "median min max" of a row's samples, or "" when it has none.
stats() {
	[ -s "$T/samples.$1" ] || return 0
	awk '{ print $2 }' "$T/samples.$1" | sort -n | awk '{ v[NR] = $1 }
		END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
		      printf "%.0f %.0f %.0f\n", m, v[1], v[NR] }'
}
median() { stats "$1" | awk '{ print $1 }'; }

# paired OP A B: the median over repetitions of A/B (OP "ratio") or A-B
# (OP "diff"), each pair taken from the same repetition: a machine that is
# busier in one repetition than in another then shifts both alike.
paired() {
	[ -s "$T/samples.$2" ] && [ -s "$T/samples.$3" ] || return 0
	awk -v op="$1" 'NR == FNR { b[$1] = $2; next }
		($1 in b) && (op == "diff" || b[$1] > 0) {
			print (op == "ratio") ? $2 / b[$1] : $2 - b[$1] }' \
		"$T/samples.$3" "$T/samples.$2" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR) printf "%.6f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# floor_su K: the floor's throughput gain with K loops side by side:
# K x (one loop's time / K loops' time), paired by repetition.
floor_su() {
	_r=$(paired ratio fpar1 "fpar$1")
	[ -n "$_r" ] && awk -v r="$_r" -v k="$1" 'BEGIN { printf "%.6f\n", k * r }'
}

notes=
# eagain FILE: a word on why, when a report shows the student uid's
# process limit striking (other processes of that uid on the machine
# count against every run's RLIMIT_NPROC).
eagain() {
	grep -q 'Resource temporarily unavailable\|Cannot fork' "$1" 2>/dev/null &&
		printf ' [fork/exec failed with EAGAIN: RLIMIT_NPROC of the shared student uid, %s processes of uid 65534 on the machine now]' \
			"$(ps -e -o uid= | awk '$1 == 65534' | wc -l)"
}
note() { # once per distinct text
	case "$notes" in
	*"- $*"*) ;;
	*) notes="$notes
  - $*" ;;
	esac
}

# ---- the programs and the specs -----------------------------------------

for p in echo forker flood floor peakrss lines; do
	$CC -std=c11 -D_GNU_SOURCE -O2 -o "$T/bin/$p" "tests/bench/$p.c" || {
		echo "bench: cannot compile tests/bench/$p.c" >&2; exit 2; }
done
have_intrinsic=1
# shellcheck disable=SC2046
$CC -std=c11 -D_GNU_SOURCE -O2 -iquote grader -o "$T/bin/intrinsic" \
	tests/bench/intrinsic.c "$build/libgrader.a" \
	$(pkg-config --libs yaml-0.1 json-c libseccomp 2>/dev/null) -lm -pthread 2>"$T/err" || {
	have_intrinsic=0
	note "cannot link tests/bench/intrinsic.c with $build/libgrader.a: $(head -n 1 "$T/err")"
}
cp "$T/bin/echo" "$T/bin/forker" "$T/bin/flood" "$T/bin/lines" "$T/sub/"

# gen_spec FILE ID COUNT TEST-BODY [TOP-LEVEL-EXTRA]: a spec of COUNT
# identical tests named t1..tCOUNT.
gen_spec() {
	{
		echo "id: $2"
		echo "title: benchmark $2"
		echo "build: false"
		[ -n "${5:-}" ] && echo "$5"
		echo "tests:"
		i=1
		while [ "$i" -le "$3" ]; do
			echo "  - name: t$i"
			printf '%s\n' "$4"
			i=$((i + 1))
		done
	} >"$1"
}
ECHO_TEST='    command: ./echo
    stdin: "hello\n"
    stdout: "hello\n"
    exit: 0'
gen_spec "$T/echo.yaml" echo "$N" "$ECHO_TEST"
gen_spec "$T/echo1.yaml" echo 1 "$ECHO_TEST"
gen_spec "$T/fork.yaml" forker "$NFORK_TESTS" '    command: [./forker, "200"]
    exit: 0' 'limits: {processes: 300}'
gen_spec "$T/lines.yaml" lines "$NLINES_TESTS" '    command: ./lines
    stdout: {line_count: 1000}
    exit: 0'
gen_spec "$T/flood.yaml" flood 1 '    command: [./flood, "200"]
    exit: 0' 'limits: {output: 300MiB, wall: 60s}'

# The instructor's loop: one input and one expected file per test.
mkdir -p "$T/loop/tests"
cp "$T/bin/echo" "$T/loop/"
i=1
while [ "$i" -le "$N" ]; do
	printf 'hello\n' >"$T/loop/tests/t$i.in"
	printf 'hello\n' >"$T/loop/tests/t$i.expected"
	i=$((i + 1))
done
cat >"$T/loop/grade.sh" <<'EOF'
#!/bin/bash
# What an instructor writes: run each test under timeout, diff the output.
cd "$(dirname "$0")" || exit 2
pass=0 fail=0
for in in tests/*.in; do
	t=${in%.in}
	timeout 10 ./echo <"$in" >out.txt 2>err.txt
	st=$?
	if [ "$st" -eq 0 ] && diff -q out.txt "$t.expected" >/dev/null; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $t (exit $st)"
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
EOF

# ---- per-test rows ------------------------------------------------------

# grader_row NAME SPEC [OPTIONS...]: one timed grader run, recorded as ns
# per test of SPEC (the spec's test count is in $count).
grader_row() {
	_name=$1 _spec=$2
	shift 2
	_s=$(now)
	"$G" run "$_spec" "$T/sub" --no-color "$@" --format text \
		--format "json=$T/out.json" >"$T/out" 2>"$T/err"
	_rc=$?
	_t=$(($(now) - _s))
	if [ "$_rc" -ne 0 ]; then
		note "$_name: a run left out, the grader exited $_rc: $(head -n 1 "$T/err")$(grep -m 1 -A 4 '^  FAIL' "$T/out" | tr -s ' \n' ' ')$(eagain "$T/out.json")"
		return 1
	fi
	add "$_name" $((_t / count))
}

load0=$(cut -d' ' -f1 /proc/loadavg)
echo "bench: $N trivial tests x $REPS runs, fork-heavy $NFORK_TESTS tests x 200 forks..." >&2
# run_row K: the K-th measure of one repetition. Each repetition starts at
# another row (rotation): what the machine does over time, and the disk's
# file system getting slower as it fills with recently deleted inodes,
# then weigh on every row alike.
NROWS=14
run_row() {
	case "$1" in
	0)
		count=$N
		t=$(timeit "$T/bin/floor" "$N" "$T/bin/echo")
		if [ "$(cat "$T/rc")" -eq 0 ]; then
			add floor $((t / N))
			measured=1
		fi ;;
	1) count=$N; grader_row l1_trace "$T/echo.yaml" ;;
	2) count=$N; grader_row l1_notrace "$T/echo.yaml" --no-trace ;;
	3) count=$N; grader_row l3_trace "$T/echo.yaml" --containment L3 ;;
	4) count=$N; grader_row l3_notrace "$T/echo.yaml" --containment L3 --no-trace ;;
	5)
		if [ -n "$S" ]; then
			count=$N
			export TMPDIR="$S"
			grader_row l1_tmpfs "$T/echo.yaml"
			export TMPDIR="$T/tmp"
		fi ;;
	6)
		t=$(timeit bash "$T/loop/grade.sh")
		[ "$(cat "$T/rc")" -eq 0 ] && add bashloop $((t / N)) ;;
	7)
		if [ "$have_intrinsic" = 1 ]; then
			# Where the grader copies: its private tmpfs when root.
			cdir=$T/tmp
			[ "$(id -u)" = 0 ] && [ -n "$S" ] && cdir=$S
			TMPDIR=$cdir "$T/bin/intrinsic" copy "$T/sub" "$N" >"$T/copy" 2>"$T/err" &&
				read -r c rm <"$T/copy" && add copy $((c + rm))
		fi ;;
	8) count=1; grader_row startup "$T/echo1.yaml" ;;
	9) count=$NFORK_TESTS; grader_row fork_trace "$T/fork.yaml" ;;
	10) count=$NFORK_TESTS; grader_row fork_notrace "$T/fork.yaml" --no-trace ;;
	11)
		t=$(timeit "$T/bin/floor" "$N" "$T/bin/lines" any)
		[ "$(cat "$T/rc")" -eq 0 ] && add floor_lines $((t / N)) ;;
	12) count=$NLINES_TESTS; grader_row lines_trace "$T/lines.yaml" ;;
	13) count=$NLINES_TESTS; grader_row lines_notrace "$T/lines.yaml" --no-trace ;;
	esac
}
measured=0
r=1
while [ "$r" -le "$REPS" ]; do
	k=0
	while [ "$k" -lt "$NROWS" ]; do
		run_row $(((k + r) % NROWS))
		k=$((k + 1))
	done
	r=$((r + 1))
done
if [ "$measured" = 0 ]; then
	echo "bench: the floor could not be measured (tests/bench/floor.c failed)" >&2
	exit 1
fi
floor=$(median floor)

# ---- the reference solutions ---------------------------------------------

set -- specs/ex*.yaml
[ -e "$1" ] || set --
nspecs=$#
sol_state="n/a (specs/ has no spec yet)"
if [ "$nspecs" -gt 0 ]; then
	echo "bench: the reference solutions against $nspecs specs x $SLOW runs..." >&2
	[ "$nspecs" -lt 18 ] && note "specs/ holds $nspecs of the 18 specs: the solutions row grades only those"
	mkdir -p "$T/solutions"
	cp -R tests/solutions/. "$T/solutions/"
	rm -f "$T/solutions"/ex[0-9][0-9] # built by the grader, not copied
	r=1
	while [ "$r" -le "$SLOW" ]; do
		_s=$(now)
		"$G" run "$@" "$T/solutions" --no-color --format text \
			--format "json=$T/solrep.json" >"$T/solrep" 2>"$T/err"
		rc=$?
		t=$(($(now) - _s))
		if [ "$rc" -eq 0 ]; then
			add sol $t
		elif [ "$rc" -eq 1 ]; then
			# Failed tests are cut short or skipped: such a run is not
			# timed, but said.
			sol_state="n/a (no run where every solution passed)"
			note "the reference solutions did not all pass in one run (grader exit 1, run left out): $(grep -c '^  FAIL' "$T/solrep") tests failed, first: $(grep -m 1 -A 3 '^  FAIL' "$T/solrep" | tr -s ' \n' ' ')$(eagain "$T/solrep.json")"
		else
			sol_state="n/a (the grader exited $rc)"
			note "grading the solutions failed (exit $rc): $(head -n 1 "$T/err")"
			break
		fi
		if [ "$have_intrinsic" = 1 ]; then
			"$T/bin/intrinsic" run "$T/solutions" "$@" >"$T/intr" 2>"$T/err" || true
			if read -r _ b t2 nt _ <<EOF
$(grep '^total ' "$T/intr")
EOF
			then
				add intr_build "$b"
				add intr_tests "$t2"
				add intr $((b + t2))
				ntests=$nt
			fi
			grep -q 'timed out' "$T/intr" && [ "$r" -eq 1 ] &&
				note "a direct run of a spec test timed out: $(grep 'timed out' "$T/intr" | head -n 1)"
		fi
		r=$((r + 1))
	done
fi

# ---- the Python reference solutions --------------------------------------
# The same specs, the eighteen handed in as exNN.py: the grader against the
# same test runs of python3 without it (intrinsic picks the language as the
# grader does).
pysol_state="n/a (no Python solutions)"
if [ "$nspecs" -gt 0 ] && [ -d tests/solutions/python ]; then
	echo "bench: the Python solutions against $nspecs specs x $SLOW runs..." >&2
	mkdir -p "$T/pysolutions"
	cp tests/solutions/python/ex*.py "$T/pysolutions/"
	r=1
	while [ "$r" -le "$SLOW" ]; do
		_s=$(now)
		"$G" run "$@" "$T/pysolutions" --no-color --format text >"$T/pyrep" 2>"$T/err"
		rc=$?
		t=$(($(now) - _s))
		if [ "$rc" -eq 0 ]; then
			add pysol $t
		else
			pysol_state="n/a (no run where every Python solution passed)"
			note "the Python solutions did not all pass in one run (grader exit $rc): $(grep -m 1 -A 3 '^  FAIL' "$T/pyrep" | tr -s ' \n' ' ')"
		fi
		if [ "$have_intrinsic" = 1 ]; then
			"$T/bin/intrinsic" run "$T/pysolutions" "$@" >"$T/pyintr" 2>"$T/err" || true
			if read -r _ b t2 _ _ <<EOF
$(grep '^total ' "$T/pyintr")
EOF
			then
				add pyintr $((b + t2))
			fi
		fi
		r=$((r + 1))
	done
fi

# ---- the solutions with exercises in parallel -------------------------------

if [ "$nspecs" -gt 0 ] && [ -s "$T/samples.sol" ]; then
	echo "bench: the solutions with exercises in parallel (-j 4) x $SLOW runs, then each exercise alone..." >&2
	r=1
	while [ "$r" -le "$SLOW" ]; do
		_s=$(now)
		"$G" run "$@" "$T/solutions" -j 4 --no-color >"$T/solpar" 2>"$T/err"
		rc=$?
		t=$(($(now) - _s))
		if [ "$rc" -eq 0 ]; then
			add solpar $t
		else
			note "grading the solutions with -j 4 did not give full marks (exit $rc, run left out): $(grep -m 1 -A 3 '^  FAIL' "$T/solpar" | tr -s ' \n' ' ')$(head -n 1 "$T/err")"
		fi
		r=$((r + 1))
	done
	# Exploration (grader run --explore): what one explored schedule
	# costs, from four forking exercises graded plainly and with
	# --explore 4 side by side: (explored - plain) / schedules run.
	# Most of it is the schedules' own holds (up to 350 ms after a fork,
	# 1-50 ms delays at forks, writes and exits, 1 s a run at most), not
	# the grader.
	xonly=ex02,ex03,ex05,ex06
	r=1
	while [ "$r" -le "$SLOW" ]; do
		_s=$(now)
		"$G" run "$@" "$T/solutions" --only "$xonly" --no-color >/dev/null 2>&1
		rc=$?
		tp=$(($(now) - _s))
		_s=$(now)
		"$G" run "$@" "$T/solutions" --only "$xonly" --explore 4 --no-color \
			--format "json=$T/xrep.json" >/dev/null 2>&1
		rc2=$?
		tx=$(($(now) - _s))
		nx=$(jq '[.exercises[].tests[].explored] | add' "$T/xrep.json" 2>/dev/null)
		if [ "$rc" -eq 0 ] && [ "$rc2" -eq 0 ] && [ "${nx:-0}" -gt 0 ]; then
			add explore_sched $(((tx - tp) / nx))
		else
			note "exploration row: a run left out (exit $rc / $rc2, ${nx:-0} schedules)"
		fi
		r=$((r + 1))
	done
	# The goal's yardstick: the slowest exercise graded alone (grader
	# start-up, build and tests), once.
	r=1
	slowest=0
	slowest_id=?
	for f in "$@"; do
		id=$(basename "$f" .yaml)
		_s=$(now)
		"$G" run "$@" "$T/solutions" --only "$id" --no-color >/dev/null 2>&1
		t=$(($(now) - _s))
		if [ "$t" -gt "$slowest" ]; then
			slowest=$t
			slowest_id=$id
		fi
	done
	add slowest "$slowest"
fi

# ---- batch ----------------------------------------------------------------

echo "bench: batch of $NBATCH submissions, -j 1 2 4 x $SLOW runs..." >&2
mkdir -p "$T/batch/subs"
{
	echo "id: echo"
	echo "title: benchmark batch (make echo, then $NBATCH_TESTS tests)"
	echo "tests:"
	i=1
	while [ "$i" -le "$NBATCH_TESTS" ]; do
		echo "  - name: t$i"
		printf '%s\n' "$ECHO_TEST"
		i=$((i + 1))
	done
} >"$T/batch.yaml"
i=1
while [ "$i" -le "$NBATCH" ]; do
	d=$(printf '%s/batch/subs/s%02d' "$T" "$i")
	mkdir -p "$d"
	cp tests/bench/echo.c "$d/" # built by make's built-in rule: cc echo.c -o echo
	i=$((i + 1))
done
# floor_side_by_side K: wall time (ns) of K floor loops run at once.
floor_side_by_side() {
	_s=$(now)
	_i=0
	while [ "$_i" -lt "$1" ]; do
		"$T/bin/floor" "$N" "$T/bin/echo" >/dev/null 2>&1 &
		_i=$((_i + 1))
	done
	wait
	echo $(($(now) - _s))
}
batch_state=
r=1
while [ "$r" -le "$SLOW" ] && [ -z "$batch_state" ]; do
	for j in 1 2 4; do
		add "fpar$j" "$(floor_side_by_side "$j")"
	done
	for j in 1 2 4; do
		rm -rf "$T/batch/out"
		t=$(timeit "$G" batch "$T/batch.yaml" "$T/batch/subs" -j "$j" \
			--out "$T/batch/out" --force --no-color)
		rc=$(cat "$T/rc")
		graded=$(ls "$T/batch/out/reports" 2>/dev/null | wc -l)
		if [ "$rc" -gt 1 ] || [ "$graded" -ne "$NBATCH" ]; then
			batch_state="n/a (batch failed: exit $rc, $graded of $NBATCH reports: $(head -n 1 "$T/err"))"
			break
		fi
		add "batch$j" "$t"
		[ "$rc" -eq 1 ] &&
			note "batch -j $j: not every submission got full marks (all are the same correct program): $(grep -v ',ok$' "$T/batch/out/gradebook.csv" | sed -n 2p)"
	done
	r=$((r + 1))
done

# ---- memory ---------------------------------------------------------------

echo "bench: peak memory while a test prints 200 MiB x $SLOW runs..." >&2
r=1
while [ "$r" -le "$SLOW" ]; do
	"$T/bin/peakrss" "$T/rss" "$G" run "$T/flood.yaml" "$T/sub" --no-color \
		>/dev/null 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 0 ] && read -r hwm kids _ <"$T/rss" && [ "$hwm" -gt 0 ]; then
		add rss "$hwm"
		add rss_kids "$kids"
	else
		note "memory: the grader exited $rc: $(head -n 1 "$T/err")"
		break
	fi
	r=$((r + 1))
done

left=$(find "$T/tmp" ${S:+"$S"} -mindepth 1 -maxdepth 1 -name 'grader*' | wc -l)
[ "$left" -gt 0 ] && note "the grader left $left temp dirs behind in TMPDIR"

# ---- the table ------------------------------------------------------------

us() { awk -v v="$1" 'BEGIN { printf "%.0f", v / 1000 }'; }
ms() { awk -v v="$1" 'BEGIN { printf "%.0f", v / 1000000 }'; }
sec() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1e9 }'; }
x() { [ -n "$1" ] && awk -v v="$1" 'BEGIN { printf "%.2fx", v }'; }

# row LABEL NAME UNIT [BASE]: median, min, max of a row, and with BASE
# the median of its per-repetition ratios to row BASE.
row() {
	_st=$(stats "$2")
	if [ -z "$_st" ]; then
		printf '  %-46s %10s\n' "$1" "n/a"
		return
	fi
	set -- "$1" "$2" "$3" "${4:-}" $_st
	printf '  %-46s %10s %10s %10s   %s\n' "$1" "$($3 "$5")" "$($3 "$6")" "$($3 "$7")" \
		"$([ -n "$4" ] && x "$(paired ratio "$2" "$4")")"
}
header() { printf '  %-46s %10s %10s %10s   %s\n' "$1" median min max "$2"; }

echo
load1=$(cut -d' ' -f1 /proc/loadavg)
echo "grader benchmark: $(nproc) cores, $(uname -r); medians of $REPS runs ($SLOW for whole runs);"
echo "ratios are medians of per-run ratios. Load average at start $load0, at end $load1:"
echo "other work on the machine makes every figure noisier, the batch speed-up most."
echo
header "per test, $N tests a run (us)" "x floor"
row "floor: fork + exec + pipe + wait" floor us floor
row "grader, L1 (namespaces), traced (default)" l1_trace us floor
row "grader, L1, --no-trace" l1_notrace us floor
row "grader, L3 (no namespaces), traced" l3_trace us floor
row "grader, L3, --no-trace" l3_notrace us floor
row "instructor's bash loop (timeout, diff)" bashloop us floor
row "what if: L1 traced, TMPDIR on tmpfs (/dev/shm)" l1_tmpfs us floor
echo
header "fixed and fork-heavy (ms)" ratio
row "grader startup + 1 test (whole run)" startup ms
row "fork-heavy test (200 forks), --no-trace" fork_notrace ms
row "fork-heavy test (200 forks), traced" fork_trace ms fork_notrace
echo
header "a test writing 1000 lines, one write each (us)" "x floor"
row "floor: fork + exec lines + pipe + wait" floor_lines us floor_lines
row "grader, --no-trace" lines_notrace us floor_lines
row "grader, traced: write attribution" lines_trace us floor_lines
echo
header "whole runs (s)" ratio
if [ -s "$T/samples.sol" ]; then
	row "grade the solutions ($nspecs specs, ${ntests:-?} tests)" sol sec intr
	row "intrinsic floor: direct builds + test runs" intr sec
	row "  of which builds (make exNN)" intr_build sec
	row "  of which test runs (their sleeps included)" intr_tests sec
else
	printf '  %-46s %s\n' "grade the solutions" "$sol_state"
fi
if [ -s "$T/samples.pysol" ]; then
	row "grade the Python solutions ($nspecs specs)" pysol sec pyintr
	row "intrinsic floor: python3 compile checks + test runs" pyintr sec
else
	printf '  %-46s %s\n' "grade the Python solutions" "$pysol_state"
fi
if [ -s "$T/samples.solpar" ]; then
	row "  with exercises in parallel (run -j 4)" solpar sec sol
	row "  the slowest exercise alone ($slowest_id)" slowest sec
else
	printf '  %-46s %s\n' "  with exercises in parallel (run -j 4)" "n/a (no run with full marks)"
fi
if [ -s "$T/samples.explore_sched" ]; then
	row "--explore: per explored schedule (ex02,03,05,06)" explore_sched ms
fi
if [ -n "$batch_state" ]; then
	printf '  %-46s %s\n' "batch of $NBATCH submissions" "$batch_state"
else
	for j in 1 2 4; do
		row "batch of $NBATCH submissions, -j $j" "batch$j" sec
	done
	for j in 1 2 4; do
		printf '  %-46s %10s   %s\n' "  -j $j: submissions per second, speed-up" \
			"$(awk -v n="$NBATCH" -v t="$(median "batch$j")" 'BEGIN { printf "%.1f", n / (t / 1e9) }')" \
			"$(x "$(paired ratio batch1 "batch$j")")"
	done
	for j in 2 4; do
		printf '  %-46s %10s   %s\n' "  floor loops, $j side by side vs 1: speed-up" "" \
			"$(x "$(floor_su "$j")")"
	done
fi
echo
header "memory while a test prints 200 MiB (KiB)" ""
row "grader's own peak RSS (VmHWM at its exit)" rss echo
row "  for comparison: wait4 maxrss (descendants too)" rss_kids echo

# Where a test's time goes: medians of per-run differences between rows.
d() { _v=$(paired diff "$1" "$2"); [ -n "$_v" ] && us "$_v"; }
if [ -s "$T/samples.l1_trace" ] && [ -s "$T/samples.l3_notrace" ]; then
	echo
	echo "  where a traced L1 test's $(us "$(median l1_trace)") us go (medians of per-run differences):"
	printf '    %-56s %6s us\n' "the floor: fork, exec, pipes, wait" "$(us "$floor")"
	printf '    %-56s %6s us\n' "L3 untraced - floor: copy, temp dir, Landlock, checks" "$(d l3_notrace floor)"
	printf '    %-56s %6s us\n' "  of which copy + remove of the test dir (alone$([ "$(id -u)" = 0 ] && [ -n "$S" ] && echo ", tmpfs"))" "$(us "$(median copy)")"
	printf '    %-56s %6s us\n' "L1 - L3, untraced: namespaces and mounts vs Landlock" "$(d l1_notrace l3_notrace)"
	printf '    %-56s %6s us\n' "tracer: L1 traced - untraced" "$(d l1_trace l1_notrace)"
	printf '    %-56s %6s us\n' "  (the same at L3)" "$(d l3_trace l3_notrace)"
	[ -s "$T/samples.l1_tmpfs" ] &&
		printf '    %-56s %6s us\n' "saved by a work dir on tmpfs: L1 traced, disk - tmpfs" "$(d l1_trace l1_tmpfs)"
fi

# ---- goals ----------------------------------------------------------------

# goal TEXT MEASURED OK: OK is 1 (PASS), 0 (MISS) or empty (not measured).
goal() {
	case "$3" in
	1) v=PASS ;;
	0) v=MISS ;;
	*) v="n/a " ;;
	esac
	printf '  %s  %-44s %s\n' "$v" "$1" "$2"
}
# ratio_goal TEXT A B LIMIT: paired ratio A/B against LIMIT (<=).
ratio_goal() {
	_r=$(paired ratio "$2" "$3")
	if [ -n "$_r" ]; then
		goal "$1" "$(x "$_r")" "$(awk -v a="$_r" -v b="$4" 'BEGIN { print (a <= b + 0.000001) ? 1 : 0 }')"
	else
		goal "$1" "not measured" ""
	fi
}
echo
echo "goals:"
ratio_goal "untraced per test <= 1.5x floor" l1_notrace floor 1.5
ratio_goal "traced per test, seccomp policy on <= 2.0x floor" l1_trace floor 2.0
ratio_goal "L3 traced per test (Landlock, policy) <= 1.5x floor" l3_trace floor 1.5
ratio_goal "fork-heavy traced <= 3x untraced" fork_trace fork_notrace 3
ratio_goal "traced test with write attribution <= 2.0x floor" lines_trace floor_lines 2.0
over=$(paired diff sol intr)
if [ -n "$over" ]; then
	goal "$nspecs solutions <= intrinsic floor + 0.3 s" \
		"$(sec "$(median sol)") s, floor $(sec "$(median intr)") s: +$(sec "$over") s" \
		"$(awk -v o="$over" 'BEGIN { print (o <= 300000000) ? 1 : 0 }')"
else
	goal "solutions <= intrinsic floor + 0.3 s" "not measured: $sol_state" ""
fi
over=$(paired diff pysol pyintr)
if [ -n "$over" ]; then
	goal "$nspecs Python solutions <= intrinsic floor + 0.3 s" \
		"$(sec "$(median pysol)") s, floor $(sec "$(median pyintr)") s: +$(sec "$over") s" \
		"$(awk -v o="$over" 'BEGIN { print (o <= 300000000) ? 1 : 0 }')"
else
	goal "Python solutions <= intrinsic floor + 0.3 s" "not measured: $pysol_state" ""
fi
if [ -s "$T/samples.solpar" ] && [ -s "$T/samples.slowest" ]; then
	_p=$(median solpar)
	_w=$(median slowest)
	goal "in parallel (-j 4) <= 2x the slowest exercise" \
		"$(sec "$_p") s, $slowest_id alone $(sec "$_w") s: $(x "$(awk -v a="$_p" -v b="$_w" 'BEGIN { print a / b }')")" \
		"$(awk -v a="$_p" -v b="$_w" 'BEGIN { print (a <= 2 * b) ? 1 : 0 }')"
else
	goal "in parallel (-j 4) <= 2x the slowest exercise" "not measured" ""
fi
# The batch's speed-up at -j K is judged against what K floor loops side
# by side gain on this machine in the same run: at least 90% of it. A
# machine whose fork+exec does not scale cannot make the batch scale.
for j in 2 4; do
	su=$(paired ratio batch1 "batch$j")
	fs=$(floor_su "$j")
	if [ -z "$batch_state" ] && [ -n "$su" ] && [ -n "$fs" ]; then
		want=$(awk -v f="$fs" 'BEGIN { printf "%.2f", 0.9 * f }')
		goal "batch speed-up -j1 -> -j$j >= 0.9x the floor's" \
			"$(x "$su"), floor x$j $(x "$fs"): goal ${want}x, $(awk -v a="$su" -v f="$fs" 'BEGIN { printf "%.0f%%", 100 * a / f }') of the floor's" \
			"$(awk -v v="$su" -v w="$want" 'BEGIN { print (v >= w) ? 1 : 0 }')"
	else
		goal "batch speed-up -j1 -> -j$j >= 0.9x the floor's" "not measured: ${batch_state:-no sample}" ""
	fi
done
m=$(median rss)
if [ -n "$m" ]; then
	goal "grader peak memory < 16 MiB" "$(awk -v k="$m" 'BEGIN { printf "%.1f MiB", k / 1024 }')" \
		"$(awk -v k="$m" 'BEGIN { print (k < 16384) ? 1 : 0 }')"
else
	goal "grader peak memory < 16 MiB" "not measured" ""
fi
if [ -n "$notes" ]; then
	echo
	echo "notes:$notes"
fi
exit 0
