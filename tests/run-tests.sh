#!/bin/sh
# run-tests.sh BUILD [unit|e2e|all] - run the unit test binaries, then the
# end-to-end suites, and print one closing line "N passed, N failed".
# Each unit binary is a Check suite; each e2e suite is a shell script in
# tests/e2e/ that prints "ok N - ..." / "not ok N - ..." lines.
build=${1:-build}
what=${2:-all}
passed=0
failed=0
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
		log="$build/e2e-$name.log"
		sh "$s" >"$log" 2>&1
		st=$?
		p=$(grep -c '^ok ' "$log")
		f=$(grep -c '^not ok ' "$log")
		if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		passed=$((passed + p))
		failed=$((failed + f))
		if [ "$f" -ne 0 ]; then
			failures="$failures e2e/$name"
			grep -A30 '^not ok ' "$log" | head -n 200
			[ "$st" -ne 0 ] && tail -n 20 "$log"
		fi
		echo "e2e/$name: $p passed, $f failed"
	done
fi

[ -n "$failures" ] && echo "failing:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
