#!/bin/sh
# exercises.sh - the eighteen specs against real programs: the reference
# solutions score full marks, the untouched skeletons score 0 without
# harming the grader, and every mutant loses exactly the checks listed in
# tests/mutants/expected.txt (each mutant's exercise is graded on its own:
# exercises build and run independently, so the others are unaffected,
# which the reference run shows).
. tests/e2e/lib.sh
set -u
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT

# Reference solutions: 180/180, exit 0.
cp -r tests/solutions "$tmp/solutions"
"$GRADER" run --format json "$tmp/solutions" >"$tmp/solutions.json" 2>"$tmp/err"
st=$?
check "reference solutions: exit status 0 (got $st)" test "$st" -eq 0
pts=$(jq -r '"\(.points)/\(.max_points)"' "$tmp/solutions.json")
check "reference solutions score 180/180 (got $pts)" test "$pts" = "180/180"
check "reference solutions: no message on stderr" test ! -s "$tmp/err"

# Skeletons as handed out: they build, score 0, and the grader exits 1.
cp -r student_template "$tmp/skel"
"$GRADER" run --format json "$tmp/skel" >"$tmp/skel.json" 2>"$tmp/err"
st=$?
check "skeletons: exit status 1 (got $st)" test "$st" -eq 1
pts=$(jq -r '"\(.points)/\(.max_points)"' "$tmp/skel.json")
check "skeletons score 0/180 (got $pts)" test "$pts" = "0/180"
built=$(jq '[.exercises[] | select(.built)] | length' "$tmp/skel.json")
check "skeletons: all 18 build (got $built)" test "$built" -eq 18

# Mutants: two graded at a time.
mkdir "$tmp/mut"
for m in tests/mutants/ex*.c; do
	name=$(basename "$m" .c)
	mkdir "$tmp/mut/$name"
	cp tests/solutions/Makefile "$tmp/mut/$name/"
	cp "$m" "$tmp/mut/$name/${name%%-*}.c"
done
ls "$tmp/mut" | xargs -P 2 -I{} sh -c \
	'"$GRADER" run --only "$(echo {} | cut -d- -f1)" --format json "$0/{}" >"$0/{}.json" 2>"$0/{}.err"; echo $? >"$0/{}.st"' \
	"$tmp/mut"
for m in tests/mutants/ex*.c; do
	name=$(basename "$m" .c)
	st=$(cat "$tmp/mut/$name.st")
	check "$name: grader exit status 1 (got $st)" test "$st" -eq 1
	got=$(jq -r --arg n "$name" '.exercises[0] as $e | "\($n) \($e.points)/\($e.max_points): " + ([$e.tests[] | .name as $t | .checks[] | select(.status!="pass") | "\($t) / \(.name)"] | join(" | "))' "$tmp/mut/$name.json")
	want=$(grep "^$name " tests/mutants/expected.txt)
	if [ "$got" = "$want" ]; then
		ok "$name loses exactly the expected checks"
	else
		not_ok "$name loses exactly the expected checks"
		echo "#   want: $want"
		echo "#   got:  $got"
	fi
	# Every failed check says why, and the failed tests carry a hint.
	nomsg=$(jq '[.exercises[0].tests[].checks[] | select(.status!="pass" and (.message == null or .message == ""))] | length' "$tmp/mut/$name.json")
	check "$name: every failed check has a message" test "$nomsg" -eq 0
done
done_testing
