#!/bin/sh
# python.sh - Python submissions graded by the same eighteen specs: the
# Python reference solutions score full marks (one after the other and
# with -j 2), the Python skeletons score 0, every Python mutant loses
# exactly the checks in tests/mutants/expected-python.txt, a submission
# mixing C and Python grades each exercise in its own language, both
# files for one exercise fail that exercise naming both, and a
# SyntaxError is a build failure that shows the interpreter's message.
. tests/e2e/lib.sh
set -u
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT

# Reference solutions: 180/180, exit 0, every exercise graded as Python.
cp -r tests/solutions/python "$tmp/sol"
for j in 1 2; do
	"$GRADER" run -j "$j" --format json "$tmp/sol" >"$tmp/sol$j.json" 2>"$tmp/err"
	st=$?
	check "python solutions, -j $j: exit status 0 (got $st)" test "$st" -eq 0
	pts=$(jq -r '"\(.points)/\(.max_points)"' "$tmp/sol$j.json")
	check "python solutions, -j $j: 180/180 (got $pts)" test "$pts" = "180/180"
	if [ "$pts" != "180/180" ]; then
		jq -r '.exercises[] | .id as $x | .tests[] | select(.status != "pass") | "#   \($x) \(.name): " + ([.checks[] | select(.status != "pass") | .message] | join("; "))' "$tmp/sol$j.json"
	fi
done
check "python solutions: no message on stderr" test ! -s "$tmp/err"
langs=$(jq -r '[.exercises[].language] | unique | join(",")' "$tmp/sol1.json")
check "python solutions: every exercise graded as python (got $langs)" test "$langs" = python
"$GRADER" run --only ex02 "$tmp/sol" >"$tmp/sol.txt" 2>&1
check "the text report names the interpreter's version" grep -q 'Python 3\.' "$tmp/sol.txt"
find "$tmp/sol" -name __pycache__ >"$tmp/pyc"
check "no __pycache__ left in the submission" test ! -s "$tmp/pyc"

# Skeletons as handed out: not started, one line each, 0 points; touched
# (a comment added), they compile, run, and score 0.
cp -r student_template/python "$tmp/skel"
"$GRADER" run "$tmp/skel" >"$tmp/skel.txt" 2>"$tmp/err"
st=$?
check "python skeletons: exit status 1 (got $st)" test "$st" -eq 1
ns=$(grep -c ' 0/10  not started (ex[0-9][0-9]\.py is as handed out)$' "$tmp/skel.txt")
check "python skeletons: 18 exercises not started (got $ns)" test "$ns" -eq 18
for f in "$tmp/skel"/ex*.py; do echo "# started" >>"$f"; done
"$GRADER" run --format json "$tmp/skel" >"$tmp/skel.json" 2>"$tmp/err"
st=$?
check "touched python skeletons: exit status 1 (got $st)" test "$st" -eq 1
pts=$(jq -r '"\(.points)/\(.max_points)"' "$tmp/skel.json")
check "touched python skeletons score 0/180 (got $pts)" test "$pts" = "0/180"
built=$(jq '[.exercises[] | select(.built)] | length' "$tmp/skel.json")
check "touched python skeletons: all 18 build (got $built)" test "$built" -eq 18

# A mixed submission: C solutions, three exercises in Python instead.
cp -r tests/solutions "$tmp/mixed"
rm -rf "$tmp/mixed/python"
for x in ex02 ex08 ex15; do
	rm "$tmp/mixed/$x.c"
	cp "tests/solutions/python/$x.py" "$tmp/mixed/"
done
"$GRADER" run --format json --only ex01,ex02,ex08,ex14,ex15 "$tmp/mixed" >"$tmp/mixed.json" 2>"$tmp/err"
st=$?
check "mixed C and Python: exit status 0 (got $st)" test "$st" -eq 0
got=$(jq -r '[.exercises[] | "\(.id)=\(.language)"] | join(" ")' "$tmp/mixed.json")
check "mixed C and Python: each exercise in its own language (got $got)" \
	test "$got" = "ex01=c ex02=python ex08=python ex14=c ex15=python"

# Both files: that exercise fails to build, naming both; others unharmed.
cp tests/solutions/python/ex02.py "$tmp/mixed/ex01.py"
"$GRADER" run --format json --only ex01,ex14 "$tmp/mixed" >"$tmp/both.json" 2>"$tmp/err"
msg=$(jq -r '.exercises[0].build_message' "$tmp/both.json")
check "ex01.c and ex01.py: the build fails naming both (got: $msg)" \
	sh -c 'case "$1" in *ex01.c*ex01.py*) exit 0 ;; *) exit 1 ;; esac' - "$msg"
pts=$(jq -r '.exercises[1].points' "$tmp/both.json")
check "ex01.c and ex01.py: ex14 still scores 10 (got $pts)" test "$pts" = 10
rm "$tmp/mixed/ex01.py"

# Neither file: a build failure that says which files were looked for.
rm "$tmp/mixed/ex14.c"
"$GRADER" run --format json --only ex14 "$tmp/mixed" >"$tmp/none.json" 2>"$tmp/err"
msg=$(jq -r '.exercises[0].build_message' "$tmp/none.json")
check "no ex14 at all: the build fails naming ex14.c and ex14.py (got: $msg)" \
	sh -c 'case "$1" in *ex14.c*ex14.py*) exit 0 ;; *) exit 1 ;; esac' - "$msg"

# A SyntaxError: the build fails, and the text report shows the
# interpreter's message with the file and line.
mkdir "$tmp/syntax"
printf 'import os\n\ndef main(:\n    pass\n' >"$tmp/syntax/ex02.py"
"$GRADER" run --only ex02 "$tmp/syntax" >"$tmp/syntax.txt" 2>&1
st=$?
check "SyntaxError: exit status 1 (got $st)" test "$st" -eq 1
check "SyntaxError: the report says the file does not build" grep -q 'ex02.py does not build' "$tmp/syntax.txt"
check "SyntaxError: the report shows the interpreter's message and line" \
	sh -c 'grep -q "File \"ex02.py\", line 3" "$1" && grep -q "SyntaxError" "$1"' - "$tmp/syntax.txt"

# A traceback after a flood of stderr (past the 1 MiB capture): the text
# and HTML reports show the end of the stream, where the traceback is,
# and say how much of it that is; the JSON keeps it as the stream's tail.
mkdir "$tmp/flood"
cat >"$tmp/flood/ex02.py" <<'PYEOF'
import sys
# In a few big writes: each write the tracer attributes costs a stop.
sys.stderr.write("".join("warning %d: nothing to see here\n" % i for i in range(40000)))
sys.stderr.flush()
raise RuntimeError("the real cause, after 1.3 MB of noise")
PYEOF
"$GRADER" run --only ex02 --format text --format json="$tmp/flood.json" \
	--format html="$tmp/flood.html" "$tmp/flood" >"$tmp/flood.txt" 2>&1
check "flooded stderr: the text report shows the traceback at its end" \
	grep -q 'RuntimeError: the real cause, after 1.3 MB of noise' "$tmp/flood.txt"
check "flooded stderr: ... and says it shows the last bytes of the stream" \
	grep -Eq 'stderr \(the last [0-9]+ of [0-9]+ bytes\):' "$tmp/flood.txt"
tail=$(jq -r '[.exercises[0].tests[].stderr.tail // empty | select(test("the real cause"))] | length' "$tmp/flood.json")
check "flooded stderr: the JSON stream's tail holds the traceback (got $tail tests)" \
	test "${tail:-0}" -gt 0
check "flooded stderr: the HTML report shows the traceback" \
	grep -q 'RuntimeError: the real cause' "$tmp/flood.html"

# The tree names the student's program, not the interpreter running it.
mkdir "$tmp/name"
cp tests/mutants/ex17-subprocess-run.py "$tmp/name/ex17.py"
"$GRADER" run --only ex17 "$tmp/name" >"$tmp/name.txt" 2>&1
check "the process tree calls the program ex17.py, not python3" \
	grep -Eq '^ +root [0-9]+ ex17\.py true ' "$tmp/name.txt"

# Mutants: each graded on its own exercise, two at a time.
mkdir "$tmp/mut"
for m in tests/mutants/ex*.py; do
	name=$(basename "$m" .py)
	mkdir "$tmp/mut/$name"
	cp "$m" "$tmp/mut/$name/${name%%-*}.py"
done
ls "$tmp/mut" | xargs -P 2 -I{} sh -c \
	'"$GRADER" run --only "$(echo {} | cut -d- -f1)" --format json "$0/{}" >"$0/{}.json" 2>"$0/{}.err"; echo $? >"$0/{}.st"' \
	"$tmp/mut"
for m in tests/mutants/ex*.py; do
	name=$(basename "$m" .py)
	st=$(cat "$tmp/mut/$name.st")
	check "$name.py: grader exit status 1 (got $st)" test "$st" -eq 1
	got=$(jq -r --arg n "$name" '.exercises[0] as $e | "\($n) \($e.points)/\($e.max_points): " + ([$e.tests[] | .name as $t | .checks[] | select(.status!="pass") | "\($t) / \(.name)"] | join(" | "))' "$tmp/mut/$name.json")
	want=$(grep "^$name " tests/mutants/expected-python.txt)
	if [ "$got" = "$want" ]; then
		ok "$name.py loses exactly the expected checks"
	else
		not_ok "$name.py loses exactly the expected checks"
		echo "#   want: $want"
		echo "#   got:  $got"
	fi
	# Each failed check shows the hint that applies to this mistake, or the
	# check it follows from (tests/mutants/expected-hints.txt).
	got=$(jq -r --arg n "$name" '.exercises[0].tests[] | .name as $t | .checks[] | select(.status!="pass") | "\($n) | \($t) / \(.name) | " + (if .because then "follows from: \(.because)" else "hint: \(.hint // "-")" end)' "$tmp/mut/$name.json")
	want=$(grep "^$name | " tests/mutants/expected-hints.txt)
	if [ "$got" = "$want" ]; then
		ok "$name.py shows the expected hints"
	else
		not_ok "$name.py shows the expected hints"
		echo "$want" >"$tmp/mut/$name.hints.want"
		echo "$got" >"$tmp/mut/$name.hints.got"
		diff "$tmp/mut/$name.hints.want" "$tmp/mut/$name.hints.got" | sed 's/^/#   /' | head -n 20
	fi
done
done_testing
