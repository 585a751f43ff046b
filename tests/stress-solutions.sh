#!/bin/sh
# stress-solutions.sh [BUILD] [RUNS] [MODE...] - grade the reference
# solutions, C and Python, RUNS times in a row each (default 20) on a
# loaded machine; every run must score full marks. Run by `make stress`.
#
# EXPLORE=N in the environment grades with --explore N (JOBS=N with -j
# N, LANGS="python" only those languages' solutions): every explorable test of every solution must then pass N
# schedules besides the natural one, each run. `make stress-explore` is
# the issue's acceptance run: --explore 50, five times in a row, on a
# busy machine (about an hour here: not part of make check).
#
# Modes (default: busy starved):
#   busy     one CPU burner: on a two-core machine, the other core
#   starved  more burners than cores, and the grader at nice 19: the
#            starvation under which timing checks once failed correct code
build=${1:-build}
runs=${2:-20}
shift 2 2>/dev/null || shift $#
modes=${*:-busy starved}
grader="$PWD/$build/grader"
extra=
[ -n "${EXPLORE:-}" ] && extra="--explore $EXPLORE"
[ -n "${JOBS:-}" ] && extra="$extra -j $JOBS"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/grader-stress.XXXXXX")
burners=
stop_burners() {
	for b in $burners; do kill "$b" 2>/dev/null; done
	burners=
}
trap 'stop_burners; rm -rf "$tmp"' EXIT INT TERM
# A copy of the specs: the runs all grade against the same ones.
cp -R specs "$tmp/specs"
mkdir "$tmp/c" "$tmp/python"
cp tests/solutions/Makefile tests/solutions/ex*.c "$tmp/c/"
cp tests/solutions/python/ex*.py "$tmp/python/"
cores=$(nproc 2>/dev/null || echo 2)
fail=0
total=0
for mode in $modes; do
	case $mode in
	busy) nburn=$((cores - 1)); nice= ;;
	starved) nburn=$((cores * 2)); nice="nice -n 19" ;;
	*) echo "stress: unknown mode '$mode'" >&2; exit 2 ;;
	esac
	[ "$nburn" -ge 1 ] || nburn=1
	i=0
	while [ "$i" -lt "$nburn" ]; do
		sh -c 'while :; do :; done' &
		burners="$burners $!"
		i=$((i + 1))
	done
	for lang in ${LANGS:-c python}; do
		i=1
		while [ "$i" -le "$runs" ]; do
			start=$(date +%s.%N)
			# shellcheck disable=SC2086 # $extra: words on purpose
			$nice "$grader" run "$tmp/specs" "$tmp/$lang" $extra --format json >"$tmp/run.json"
			st=$?
			end=$(date +%s.%N)
			pts=$(jq -r '"\(.points)/\(.max_points)"' "$tmp/run.json")
			xpl=
			[ -n "$extra" ] && xpl=$(jq -r '"  \([.exercises[].tests[] | select(.explored > 0)] | length) tests explored, \([.exercises[].tests[].explored // 0] | add) schedules, \([.exercises[].tests[] | select(.timing_only)] | length) timing-only"' "$tmp/run.json")
			printf '%-7s %-6s run %2d: %s  exit %d  %.2f s%s\n' "$mode" "$lang" "$i" \
				"$pts" "$st" "$(echo "$end - $start" | bc)" "$xpl"
			total=$((total + 1))
			if [ "$st" -ne 0 ] || [ "$pts" != "180/180" ]; then
				fail=$((fail + 1))
				jq -r '.exercises[] | .id as $x | .tests[] | select(.status != "pass" or .timing_only) | "  \($x) \(.name): " + ([.checks[] | select(.status != "pass") | .message] | join("; ")) + (if .timing_only then " [schedule \(.schedule.seed): \(.schedule.text)]" else "" end)' "$tmp/run.json"
			fi
			i=$((i + 1))
		done
	done
	stop_burners
done
echo "$((total - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
