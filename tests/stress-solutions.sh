#!/bin/sh
# stress-solutions.sh [BUILD] [RUNS] - grade the reference solutions RUNS
# times in a row (default 20) while a CPU burner keeps the machine's other
# core busy; every run must score full marks. Run by `make stress`.
build=${1:-build}
runs=${2:-20}
grader="$PWD/$build/grader"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/grader-stress.XXXXXX")
trap 'kill $burner 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
cp -r tests/solutions "$tmp/sub"
# One busy loop: on a two-core machine, the other core.
sh -c 'while :; do :; done' &
burner=$!
fail=0
i=1
while [ "$i" -le "$runs" ]; do
	start=$(date +%s.%N)
	"$grader" run --format json "$tmp/sub" >"$tmp/run.json"
	st=$?
	end=$(date +%s.%N)
	pts=$(jq -r '"\(.points)/\(.max_points)"' "$tmp/run.json")
	printf 'run %2d: %s  exit %d  %.2f s\n' "$i" "$pts" "$st" "$(echo "$end - $start" | bc)"
	if [ "$st" -ne 0 ] || [ "$pts" != "180/180" ]; then
		fail=$((fail + 1))
		jq -r '.exercises[] | .id as $x | .tests[] | select(.status != "pass") | "  \($x) \(.name): " + ([.checks[] | select(.status != "pass") | .message] | join("; "))' "$tmp/run.json"
	fi
	i=$((i + 1))
done
echo "$((runs - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
