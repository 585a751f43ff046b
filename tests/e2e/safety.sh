#!/bin/sh
# safety.sh - a grade is never lost, never faked: regrades with --only
# merge into the reports and the gradebook; an unknown exercise id, a
# missing dir or an empty class is a usage error before anything is
# written; a full disk (a small tmpfs mounted here) stops a batch with
# exit 3 naming the file and leaves no half-written report; temp dirs are
# removed after SIGTERM and SIGKILL, and stale ones of a killed grader are
# swept, never those of a live one; a check on a run cut short by a limit
# earns nothing; merge warns about missing and repeated shards; and the
# README's GNU parallel recipe, with local slots standing in for machines,
# gives the gradebook of one unsharded batch.
. "$(dirname "$0")/lib.sh"
set -u
: "${GRADER:?run through tests/run-tests.sh}"
repo=$PWD
root=$(tmpdir)
full=
cleanup() {
	[ -n "$full" ] && umount "$full" 2>/dev/null
	rm -rf "$root"
}
trap cleanup EXIT
export TMPDIR="$root/tmp"
mkdir "$TMPDIR"
cd "$root" || exit 1

# empty_tmp: TMPDIR empty, within 2 s (after a signal, the grader's
# watcher removes its dir once every process of it has ended).
empty_tmp() {
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		[ -z "$(ls -A "$TMPDIR")" ] && return 0
		sleep 0.1
	done
	echo "# left in TMPDIR:"; ls -la "$TMPDIR"
	return 1
}
jqe() { jq -e "$@" >/dev/null; }
fingerprint() { (cd "$1" && cksum gradebook.csv reports/*.json); }
cols() { head -n 1 "$1"; }

# ---- a class of three, two exercises and a fork loop --------------------------

mkdir specs
cat >specs/ex01.yaml <<'EOF'
id: ex01
title: Say hello
build: false
tests:
  - name: greet
    command: [sh, hello.sh]
    stdout:
      exact: "hello\n"
    points: 2
EOF
cat >specs/ex02.yaml <<'EOF'
id: ex02
title: Count lines
build: false
tests:
  - name: three lines
    command: [sh, count.sh]
    stdin: "a\nb\nc\n"
    stdout:
      exact: "3\n"
EOF
# A fork loop that the process limit ends: the forks it made before the
# cut depend on timing, and must earn nothing.
cat >limit.yaml <<'EOF'
id: ex09
title: Fork a few
build: false
tests:
  - name: forks in a loop
    shell: "i=0; while [ $i -lt 50 ]; do sleep 5 & i=$((i+1)); done; wait"
    limits: {processes: 5, wall: 5s}
    tree:
      - forks: {min: 1}
        points: 1
EOF
# One that runs long enough to be interrupted.
cat >slow.yaml <<'EOF'
id: ex08
title: Sleep
build: false
tests:
  - name: sleeps
    command: [sleep, "3"]
    exit: 0
EOF
mkdir -p subs/alice subs/bob subs/carol
echo 'echo hello' >subs/alice/hello.sh
echo 'wc -l | tr -d " "' >subs/alice/count.sh
cp subs/alice/* subs/bob/
cp subs/alice/* subs/carol/ && echo 'echo bye' >subs/carol/hello.sh

"$GRADER" batch specs subs --out grades >/dev/null 2>&1
st=$?
check "a first batch: exit 1, carol fails ex01 (got $st)" [ "$st" -eq 1 ]
check "the gradebook has both exercises" [ "$(cols grades/gradebook.csv)" = "student,ex01,ex02,total,max,status" ]

# ---- 1: a regrade with --only merges -----------------------------------------

echo 'echo hello' >subs/carol/hello.sh # carol fixed ex01
echo 'echo 4' >subs/bob/count.sh      # bob broke ex02 since
"$GRADER" batch specs subs --only ex01 --out grades >/dev/null 2>regrade.err
st=$?
check "--only ex01 regrade: exit 0, every report now full marks (got $st)" [ "$st" -eq 0 ]
check "the regrade keeps the ex02 column" [ "$(cols grades/gradebook.csv)" = "student,ex01,ex02,total,max,status" ]
check "carol's ex01 is regraded, her ex02 kept" grep -q '^carol,2,1,3,3,ok$' grades/gradebook.csv
check "bob's ex02 is not regraded: his old grade stays" grep -q '^bob,2,1,3,3,ok$' grades/gradebook.csv
check "each report still holds both exercises" \
	jqe -s 'all(.[]; [.exercises[].id] == ["ex01", "ex02"] and .max_points == 3)' grades/reports/*.json
/usr/bin/python3 - "$repo/grader/report/report-schema.json" grades/reports/*.json >schema.out 2>&1 <<'PY'
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
errs = [(p, e.message[:200]) for p in sys.argv[2:] for e in v.iter_errors(json.load(open(p)))]
for p, m in errs: print("#", p, m)
sys.exit(1 if errs else 0)
PY
check "merged reports match the JSON schema" test $? -eq 0

# ---- 2: an unknown exercise id writes nothing --------------------------------

before=$(fingerprint grades)
"$GRADER" batch specs subs --only ex99 --out grades >/dev/null 2>typo.err
st=$?
check "batch --only ex99: usage error, exit 2 (got $st)" [ "$st" -eq 2 ]
check "batch --only ex99 says which id" grep -q "no exercise 'ex99'" typo.err
check "batch --only ex99 wrote nothing" [ "$(fingerprint grades)" = "$before" ]
"$GRADER" batch specs subs --only ex01,ex99 --out grades >/dev/null 2>&1
st=$?
check "batch --only ex01,ex99: exit 2 too, nothing written (got $st)" \
	[ "$st" -eq 2 -a "$(fingerprint grades)" = "$before" ]
"$GRADER" run specs subs/alice --only ex01,ex99 >/dev/null 2>typo.err
st=$?
check "run --only ex01,ex99: exit 2 before grading (got $st)" [ "$st" -eq 2 ]

# ---- 7: exit statuses by the README's table -----------------------------------

"$GRADER" run specs nosuchdir >/dev/null 2>missing.err
st=$?
check "run on a missing dir: exit 2 (got $st)" [ "$st" -eq 2 ]
check "... saying 'no such directory'" grep -q "no such directory 'nosuchdir'" missing.err
mkdir empty
"$GRADER" batch specs empty --out empty-grades >/dev/null 2>empty.err
st=$?
check "batch of a dir with no student dirs: exit 2 (got $st)" [ "$st" -eq 2 ]
check "... with a message" grep -q "no submissions in 'empty'" empty.err
check "... and nothing written" test ! -e empty-grades

"$GRADER" batch specs subs --out s1 --shard 1/3 >/dev/null 2>&1
"$GRADER" batch specs subs --out s2 --shard 2/3 >/dev/null 2>&1
"$GRADER" batch specs subs --out s3 --shard 3/3 >/dev/null 2>&1
"$GRADER" merge m1 s1 s3 >/dev/null 2>merge.err
st=$?
check "merge with shard 2/3 missing warns" grep -q "warning: shard 2/3 is missing" merge.err
"$GRADER" merge --strict m2 s1 s3 >/dev/null 2>merge.err
st=$?
check "merge --strict with a shard missing fails: exit 2 (got $st)" [ "$st" -eq 2 ]
check "... and merges nothing" test ! -e m2/gradebook.csv
"$GRADER" merge m3 s1 s2 s3 grades >/dev/null 2>merge.err
check "merge of overlapping inputs names the student in both" \
	grep -q "warning: 'alice.json' is in both 's1' and 'grades'" merge.err
"$GRADER" merge --strict m4 s1 s2 s3 >/dev/null 2>merge.err
st=$?
check "merge --strict of a complete set: no warning, exit 1 as batch (got $st)" \
	[ "$st" -eq 1 -a ! -s merge.err ]

# ---- 6: a run cut short by a limit earns nothing --------------------------------

mkdir -p limited
"$GRADER" run limit.yaml limited --format json=limited.json >/dev/null 2>&1
check "the fork loop is ended by the process limit" \
	jqe '.exercises[0].tests[0].verdict == "process_limit"' limited.json
check "its passing-looking fork check earns nothing" \
	jqe '.points == 0 and ([.exercises[0].tests[0].checks[] | select(.kind == "tree") | .status] == ["unchecked"])' limited.json

# ---- 4: no temp dir left, stale ones swept ------------------------------------

check "nothing left in TMPDIR so far" empty_tmp
for sig in TERM KILL; do
	# Its own session: a background job ignores SIGINT, not SIGTERM.
	setsid "$GRADER" run slow.yaml limited >/dev/null 2>&1 &
	gp=$!
	sleep 0.5
	kill -"$sig" "$gp"
	wait "$gp"
	check "after SIG$sig, no temp dir is left" empty_tmp
done
# A killed grader's dir (its lock free), a live one's (lock held), and one
# with no lock (not provably a grader's).
mkdir "$TMPDIR/grader-AAAAAA" "$TMPDIR/grader-BBBBBB" "$TMPDIR/grader-CCCCCC"
echo 1 >"$TMPDIR/grader-AAAAAA/.lock"
mkdir "$TMPDIR/grader-AAAAAA/grader-XXXXXX"
echo 1 >"$TMPDIR/grader-BBBBBB/.lock"
flock "$TMPDIR/grader-BBBBBB/.lock" sleep 30 &
holder=$!
sleep 0.2
"$GRADER" run specs subs/alice >/dev/null 2>&1
check "a killed grader's stale dir is removed" test ! -e "$TMPDIR/grader-AAAAAA"
check "a live grader's dir is left alone" test -d "$TMPDIR/grader-BBBBBB"
check "a dir without a lock is left alone" test -d "$TMPDIR/grader-CCCCCC"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
rm -rf "$TMPDIR"/grader-BBBBBB "$TMPDIR"/grader-CCCCCC

# ---- 3: a full disk -----------------------------------------------------------

if [ "$(id -u)" = 0 ]; then
	full=$root/full
	mkdir "$full"
	if mount -t tmpfs -o size=64k tmpfs "$full"; then
		cp -R grades "$full/grades"
		before=$(fingerprint "$full/grades")
		# Fill it: the next report cannot be written.
		dd if=/dev/zero of="$full/fill" bs=4k 2>/dev/null
		"$GRADER" batch specs subs --out "$full/grades" --force >/dev/null 2>full.err
		st=$?
		check "batch on a full disk: exit 3 (got $st)" [ "$st" -eq 3 ]
		check "... naming the file it could not write" \
			grep -q "cannot write '$full/grades/reports/[a-z]*.json': No space left on device" full.err
		check "... in one message" [ "$(grep -c '^grader: ' full.err)" -eq 1 ]
		check "... leaving every report and the gradebook as they were" \
			[ "$(fingerprint "$full/grades")" = "$before" ]
		check "... and no temp file" [ -z "$(ls -A "$full/grades/reports" | grep '^\.')" ]
		echo '{"old": true}' >old.json
		rm -f "$full/fill"
		cp old.json "$full/r.json"
		dd if=/dev/zero of="$full/fill" bs=1k 2>/dev/null
		"$GRADER" run specs subs/alice --format json="$full/r.json" >/dev/null 2>run-full.err
		st=$?
		check "run --format json=FILE on a full disk: exit 3 (got $st)" [ "$st" -eq 3 ]
		check "... one message, naming the file" \
			[ "$(grep -c '^grader: ' run-full.err)" -eq 1 -a "$(grep -c "$full/r.json" run-full.err)" -eq 1 ]
		check "... the old FILE intact, no truncated report" cmp -s old.json "$full/r.json"
		umount "$full" && full=
	else
		not_ok "mount a 64 KiB tmpfs for the full-disk cases"
	fi
else
	ok "full-disk cases # SKIP mounting a small tmpfs needs root"
fi
check "nothing left in TMPDIR after the full-disk cases" empty_tmp

# ---- past one machine: the README's GNU parallel recipe ------------------------

if parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
	mkdir -p class
	for s in ann ben cat dan eve fay gus hal; do
		mkdir "class/$s" && cp subs/alice/* "class/$s/"
	done
	echo 'echo nope' >class/dan/hello.sh
	"$GRADER" batch specs class --out whole >/dev/null 2>&1
	# As in the README, with local job slots for the machines.
	G=$GRADER parallel -j4 '"$G" batch specs class --shard {}/4 --out shard{} >/dev/null 2>&1' ::: 1 2 3 4
	"$GRADER" merge grades-par shard1 shard2 shard3 shard4 >/dev/null 2>par.err
	st=$?
	check "parallel shards merged: exit 1 as the whole batch (got $st), no warning" \
		[ "$st" -eq 1 -a ! -s par.err ]
	check "the merged gradebook equals one unsharded batch's" \
		diff -u whole/gradebook.csv grades-par/gradebook.csv
else
	not_ok "GNU parallel is installed (make deps-test)"
fi
check "nothing left in TMPDIR at the end" empty_tmp
done_testing
