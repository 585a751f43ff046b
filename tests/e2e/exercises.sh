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

# Skeletons as handed out: work not started, one line each, 0 points,
# the grader exits 1.
cp -r student_template "$tmp/skel"
"$GRADER" run "$tmp/skel" >"$tmp/skel.txt" 2>"$tmp/err"
st=$?
check "skeletons: exit status 1 (got $st)" test "$st" -eq 1
ns=$(grep -c '^ex[0-9][0-9] .* 0/10  not started (ex[0-9][0-9]\.c is as handed out)$' "$tmp/skel.txt")
check "skeletons: 18 exercises not started, one line each (got $ns)" test "$ns" -eq 18
check "skeletons: nothing but those lines and the total" \
	test "$(grep -c . "$tmp/skel.txt")" -eq 20
# A skeleton touched (a comment added) is graded: each builds and scores
# nothing, without harming the grader.
for f in "$tmp/skel"/ex*.c; do echo "/* started */" >>"$f"; done
"$GRADER" run --format json "$tmp/skel" >"$tmp/skel.json" 2>"$tmp/err"
st=$?
check "touched skeletons: exit status 1 (got $st)" test "$st" -eq 1
pts=$(jq -r '"\(.points)/\(.max_points)"' "$tmp/skel.json")
check "touched skeletons score 0/180 (got $pts)" test "$pts" = "0/180"
built=$(jq '[.exercises[] | select(.built)] | length' "$tmp/skel.json")
check "touched skeletons: all 18 build (got $built)" test "$built" -eq 18

# A copy of the template with four exercises solved, one of them wrongly:
# those four reported, one line for each of the other fourteen.
cp -r student_template "$tmp/four"
for x in 01 02 05; do cp "tests/solutions/ex$x.c" "$tmp/four/"; done
cp tests/mutants/ex06-raw-status.c "$tmp/four/ex06.c"
"$GRADER" run "$tmp/four" >"$tmp/four.txt" 2>"$tmp/err"
ns=$(grep -c ' not started (' "$tmp/four.txt")
check "four solved: fourteen one-line exercises not started (got $ns)" test "$ns" -eq 14
check "four solved: ex06's failure is shown" grep -q 'FAIL  three children' "$tmp/four.txt"
check "four solved: 34/180" grep -q '^Total: 34/180 points' "$tmp/four.txt"

# Exercises in threads (run -j 3) grade exactly as one after the other:
# the same checks pass and fail, the exercises in spec order. A mixed
# submission (two mutants among solutions), and only exercises without a
# timing check, so that a busy machine cannot tell the two runs apart.
# (ASan builds grade one exercise after the other whatever -j says:
# grade.c says why; there this compares two sequential runs.)
cp -r tests/solutions "$tmp/mixed"
cp tests/mutants/ex02-fork-twice.c "$tmp/mixed/ex02.c"
cp tests/mutants/ex10-stop-on-failure.c "$tmp/mixed/ex10.c"
proj='[.exercises[] | {id, points, built, tests: [.tests[] | {name, status, checks: [.checks[] | {name, status}]}]}]'
for j in 1 3; do
	"$GRADER" run --format json --only ex02,ex05,ex09,ex10,ex16,ex17 -j "$j" \
		"$tmp/mixed" >"$tmp/mixed$j.json" 2>"$tmp/err"
	echo $? >"$tmp/mixed$j.st"
	jq -c "$proj" "$tmp/mixed$j.json" >"$tmp/mixed$j.proj"
done
check "run -j 3: exit status 1, as -j 1 ($(cat "$tmp/mixed1.st") and $(cat "$tmp/mixed3.st"))" \
	test "$(cat "$tmp/mixed1.st")" = 1 -a "$(cat "$tmp/mixed3.st")" = 1
ids=$(jq -r '[.exercises[].id] | join(",")' "$tmp/mixed3.json")
check "run -j 3: exercises in spec order (got $ids)" test "$ids" = "ex02,ex05,ex09,ex10,ex16,ex17"
pts=$(jq -r '"\(.points)/\(.max_points)"' "$tmp/mixed3.json")
check "run -j 3: the two mutants lose their points (got $pts)" test "$pts" = "45/60"
if cmp -s "$tmp/mixed1.proj" "$tmp/mixed3.proj"; then
	ok "run -j 3: every check as with -j 1"
else
	not_ok "run -j 3: every check as with -j 1"
	diff "$tmp/mixed1.proj" "$tmp/mixed3.proj" | sed 's/^/# /' | head -n 20
fi

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
	# Each failed check shows the hint that applies to this mistake, or the
	# check it follows from (tests/mutants/expected-hints.txt).
	got=$(jq -r --arg n "$name" '.exercises[0].tests[] | .name as $t | .checks[] | select(.status!="pass") | "\($n) | \($t) / \(.name) | " + (if .because then "follows from: \(.because)" else "hint: \(.hint // "-")" end)' "$tmp/mut/$name.json")
	want=$(grep "^$name | " tests/mutants/expected-hints.txt)
	if [ "$got" = "$want" ]; then
		ok "$name shows the expected hints"
	else
		not_ok "$name shows the expected hints"
		echo "$want" >"$tmp/mut/$name.hints.want"
		echo "$got" >"$tmp/mut/$name.hints.got"
		diff "$tmp/mut/$name.hints.want" "$tmp/mut/$name.hints.got" | sed 's/^/#   /' | head -n 20
	fi
	# Every failed check says why, and the failed tests carry a hint.
	nomsg=$(jq '[.exercises[0].tests[].checks[] | select(.status!="pass" and (.message == null or .message == ""))] | length' "$tmp/mut/$name.json")
	check "$name: every failed check has a message" test "$nomsg" -eq 0
done
# A build flooded with warnings that dies: the report keeps the end of
# the output (where the compiler stops), and says how much it was.
mkdir "$tmp/flood"
cp tests/solutions/Makefile "$tmp/flood/"
{
	echo 'int main(void) {'
	i=0
	while [ $i -lt 12000 ]; do echo "  int unused$i;"; i=$((i + 1)); done
	echo '  return 0; }'
	echo 'int last_line_is_an_error = undefined_name;'
} >"$tmp/flood/ex02.c"
"$GRADER" run --only ex02 "$tmp/flood" >"$tmp/flood.txt" 2>&1
check "flooded build: the message says how big the output was and what is kept" \
	grep -Eq "build failed: 'make ex02' exited with status 2; its output was [0-9]+ bytes, of which the last 16384 are kept" "$tmp/flood.txt"
check "flooded build: the report shows its last lines, the error at the end" \
	grep -q "undefined_name" "$tmp/flood.txt"
done_testing
