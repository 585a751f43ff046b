#!/bin/sh
# explore.sh - grader run --explore N and --schedule SEED: every reference
# solution (C and Python) still passes under 5 explored schedules per
# test (5, not the issue's 50, to keep CI time reasonable: about 35 s a
# language here); each racy mutant (tests/mutants/racy.txt) passes a
# plain run, fails with --explore 20 as "passes only by timing" naming
# the schedule and its seed, and --schedule SEED gives the same failure;
# the JSON report validates and carries the schedule.
. tests/e2e/lib.sh
set -u
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3

# Reference solutions under 5 schedules per explorable test.
mkdir "$tmp/c"
cp tests/solutions/*.c tests/solutions/Makefile "$tmp/c/"
cp -r tests/solutions/python "$tmp/py"
for lang in c py; do
	"$GRADER" run -j 2 --explore 5 --format json "$tmp/$lang" >"$tmp/$lang.json" 2>"$tmp/err"
	st=$?
	pts=$(jq -r '"\(.points)/\(.max_points)"' "$tmp/$lang.json")
	check "$lang solutions, --explore 5: exit 0 and 180/180 (got $st, $pts)" \
		test "$st" -eq 0 -a "$pts" = "180/180"
	jq -r '.exercises[] | .id as $x | .tests[] | select(.status != "pass") | "#   \($x) \(.name): " + ([.checks[] | select(.status != "pass") | .message] | join("; "))' "$tmp/$lang.json"
	nexp=$(jq '[.exercises[].tests[] | select(.explored == 5)] | length' "$tmp/$lang.json")
	check "$lang solutions: at least 15 tests explored 5 times (got $nexp)" test "$nexp" -ge 15
	# A single-process test (ex16 execs, never forks) is not explored.
	n16=$(jq '[.exercises[] | select(.id == "ex16") | .tests[] | select(.explored > 0)] | length' "$tmp/$lang.json")
	check "$lang solutions: ex16's tests (no fork) are not explored (got $n16)" test "$n16" -eq 0
done

# Racy mutants: pass plainly, caught by --explore 20, replayed by seed.
while read -r file ex rest; do
	case "$file" in ''|'#'*) continue ;; esac
	name=${file%.*}
	ext=${file##*.}
	d="$tmp/racy-$name-$ext"
	mkdir "$d"
	cp "tests/mutants/racy/$file" "$d/$ex.$ext"
	[ "$ext" = c ] && cp tests/solutions/Makefile "$d/"
	"$GRADER" </dev/null run --only "$ex" --format json "$d" >"$d.plain.json" 2>/dev/null
	st=$?
	pts=$(jq -r '"\(.points)/\(.max_points)"' "$d.plain.json")
	check "$file: a plain run passes (exit $st, $pts)" test "$st" -eq 0 -a "$pts" = "10/10"
	"$GRADER" </dev/null run --only "$ex" --explore 20 --format json "$d" >"$d.x.json" 2>/dev/null
	st=$?
	check "$file: --explore 20 fails it (exit $st)" test "$st" -eq 1
	t=$(jq -c '[.exercises[0].tests[] | select(.timing_only)][0]' "$d.x.json")
	check "$file: a test passes only by timing" test "$t" != null
	seed=$(printf "%s\n" "$t" | jq -r '.schedule.seed')
	words=$(printf "%s\n" "$t" | jq -r '.schedule.text')
	check "$file: the schedule is named in words ($words)" \
		sh -c 'printf "%s\n" "$1" | grep -q "ran first and the parent root was held [0-9]* ms after fork"' sh "$words"
	lost=$(printf "%s\n" "$t" | jq -r '.name as $n | [.checks[] | select(.status != "pass" and .kind != "schedule") | "\($n) / \(.name)"] | join(" | ")')
	check "$file: loses '$rest' under seed $seed (lost: $lost)" \
		sh -c 'printf "%s\n" "$1" | grep -qF "$2"' sh "$lost" "$rest"
	if [ "$(cat "$d.x.json" | $py -c 'import json,sys,jsonschema; jsonschema.validate(json.load(sys.stdin), json.load(open("grader/report/report-schema.json"))); print("ok")' 2>&1)" = ok ]; then
		ok "$file: the explored JSON report matches the schema"
	else
		not_ok "$file: the explored JSON report matches the schema"
	fi
	"$GRADER" </dev/null run --only "$ex" --explore 20 "$d" >"$d.x.txt" 2>/dev/null
	check "$file: the text report says how to replay it" \
		grep -q "passes only by timing.*ran first\|replay: grader run --schedule [0-9]" "$d.x.txt"
	"$GRADER" </dev/null run --only "$ex" --schedule "$seed" --format json "$d" >"$d.r.json" 2>/dev/null
	st=$?
	tname=$(printf "%s\n" "$t" | jq -r '.name')
	rlost=$(jq -r --arg t "$tname" '.exercises[0].tests[] | select(.name == $t) | .name as $n | .checks[] | select(.status != "pass") | "\($n) / \(.name)"' "$d.r.json" | paste -sd'|' | sed 's/|/ | /g')
	check "$file: --schedule $seed replays the failure (exit $st, lost: $rlost)" \
		test "$st" -eq 1 -a "$rlost" = "$lost"
done <tests/mutants/racy.txt

# grader batch --explore N: a class of the reference ex03 and its racy
# mutant; the mutant passes only by timing, the solution keeps full marks;
# reports record N, and a rerun with the same N grades nothing, with
# another N everything again.
mkdir -p "$tmp/class/good" "$tmp/class/lucky"
cp tests/solutions/ex03.c tests/solutions/Makefile "$tmp/class/good/"
cp tests/mutants/racy/ex03-getppid-once-after-sleep.c "$tmp/class/lucky/ex03.c"
cp tests/solutions/Makefile "$tmp/class/lucky/"
"$GRADER" </dev/null batch --only ex03 --explore 20 --out "$tmp/grades" "$tmp/class" >/dev/null 2>"$tmp/b1.err"
st=$?
check "batch --explore 20: exit 1, a student lacks full marks (got $st)" test "$st" -eq 1
g=$(jq -r '"\(.points)/\(.max_points) \(.explore)"' "$tmp/grades/reports/good.json")
check "batch --explore 20: the solution keeps full marks, explore recorded (got $g)" test "$g" = "10/10 20"
l=$(jq -r '[.exercises[0].tests[] | select(.timing_only)] | length' "$tmp/grades/reports/lucky.json")
check "batch --explore 20: the racy mutant passes only by timing (got $l tests)" test "$l" -eq 1
"$GRADER" </dev/null batch --only ex03 --explore 20 --out "$tmp/grades" "$tmp/class" >/dev/null 2>"$tmp/b2.err"
check "batch: a rerun with the same --explore grades nothing" \
	sh -c '! grep -q "^graded " "$1"' sh "$tmp/b2.err"
"$GRADER" </dev/null batch --only ex03 --out "$tmp/grades" "$tmp/class" >/dev/null 2>"$tmp/b3.err"
st=$?
ng=$(grep -c '^graded ' "$tmp/b3.err")
check "batch: without --explore both are graded again, and pass (exit $st, $ng graded)" \
	test "$st" -eq 0 -a "$ng" -eq 2
"$GRADER" </dev/null batch --schedule 4 --out "$tmp/grades" "$tmp/class" >/dev/null 2>"$tmp/err"
st=$?
check "batch --schedule: usage error, exit 2 (got $st)" test "$st" -eq 2

# Usage errors: exit 2.
"$GRADER" run --explore many "$tmp/c" >/dev/null 2>"$tmp/err"
st=$?
check "--explore many: usage error, exit 2 (got $st)" test "$st" -eq 2
"$GRADER" run --schedule 0 "$tmp/c" >/dev/null 2>"$tmp/err"
st=$?
check "--schedule 0: usage error, exit 2 (got $st)" test "$st" -eq 2
done_testing
