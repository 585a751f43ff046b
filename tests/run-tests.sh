#!/bin/sh
# run-tests.sh BUILD [unit|e2e|all] [SUITE...] - run the unit test
# binaries, then the end-to-end suites (every tests/e2e/*.sh but lib.sh, or
# only the SUITEs named, e.g. "batch safety"), and print one closing line
# "N passed, N failed, N skipped" (CI reads its first two counts).
# Each unit binary is a Check suite; each e2e suite is a shell script in
# tests/e2e/ that prints "ok N - ..." / "not ok N - ..." lines; an "ok"
# line with "# SKIP" is counted as skipped, not passed. A suite skips only
# what this machine cannot do whatever is installed (no namespaces, not
# root): what `make deps-test` installs is a failure when missing.
build=${1:-build}
what=${2:-all}
[ $# -ge 2 ] && shift 2 || shift $#
only_suites=$*
passed=0
failed=0
skipped=0
failures=
export GRADER="$PWD/$build/grader"
export FIXTURES="$PWD/$build/fixture"
export BUILD="$build"

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		log="$build/tests/$name.log"
		if "$t" >"$log" 2>&1; then
			passed=$((passed + 1))
			tail -n 1 "$log" | sed "s/^/$name: /"
		else
			failed=$((failed + 1))
			failures="$failures $name"
			cat "$log"
		fi
	done
fi

if [ "$what" = all ] || [ "$what" = e2e ]; then
	for s in tests/e2e/*.sh; do
		[ -f "$s" ] || continue
		name=$(basename "$s" .sh)
		[ "$name" = lib ] && continue # sourced by the suites
		if [ -n "$only_suites" ]; then
			case " $only_suites " in *" $name "*) ;; *) continue ;; esac
		fi
		log="$build/e2e-$name.log"
		sh "$s" >"$log" 2>&1
		st=$?
		k=$(grep -c '^ok .*# *SKIP' "$log")
		p=$(($(grep -c '^ok ' "$log") - k))
		f=$(grep -c '^not ok ' "$log")
		if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + k))
		if [ "$f" -ne 0 ]; then
			failures="$failures e2e/$name"
			grep -A30 '^not ok ' "$log" | head -n 200
			[ "$st" -ne 0 ] && tail -n 20 "$log"
		fi
		echo "e2e/$name: $p passed, $f failed, $k skipped"
		grep '^ok .*# *SKIP' "$log" | sed "s|^|e2e/$name: |"
	done
fi

[ -n "$failures" ] && echo "failing:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
