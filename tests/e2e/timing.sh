#!/bin/sh
# timing.sh - timing checks judge the program, not the machine's load
# (specs/FORMAT.md, "Timing"): on a starved machine (twice as many CPU
# burners as cores, the grader at nice 19) the C and Python solutions of
# ex01 (two sleeps that overlap: wall_under) and ex15 (eight children
# alive at once: concurrent) keep full marks, run after run; and on a
# busy machine (one burner per core, the grader at the same priority) a
# wrong ex01 (the parent waits before its own sleep) still fails its
# timing check after every rerun: load can slow a correct program, never
# speed up a wrong one. Not starved: there the time a process waited for
# a CPU while another slept is taken off too, and the wrong program can
# pass (specs/FORMAT.md, "Timing").
. tests/e2e/lib.sh
set -u
tmp=$(tmpdir)
burners=
stop() { for b in $burners; do kill "$b" 2>/dev/null; done; burners=; }
trap 'stop; rm -rf "$tmp"' EXIT INT TERM

mkdir "$tmp/c" "$tmp/py" "$tmp/wrong" "$tmp/wrongpy"
cp tests/solutions/Makefile tests/solutions/ex01.c tests/solutions/ex15.c "$tmp/c/"
cp tests/solutions/python/ex01.py tests/solutions/python/ex15.py "$tmp/py/"
cp tests/solutions/Makefile "$tmp/wrong/"
cp tests/mutants/ex01-parent-waits-first.c "$tmp/wrong/ex01.c"
# The same mistake in Python: wait for the child before the parent sleeps.
sed 's/^\( *\)time\.sleep(0\.2)$/\1if pid: os.waitpid(pid, 0)\n\1time.sleep(0.2)/' \
	tests/solutions/python/ex01.py >"$tmp/wrongpy/ex01.py"
check "the Python mistake was made (the parent waits before its sleep)" \
	grep -q 'if pid: os.waitpid(pid, 0)' "$tmp/wrongpy/ex01.py"

cores=$(nproc 2>/dev/null || echo 2)
i=0
while [ "$i" -lt $((cores * 2)) ]; do
	sh -c 'while :; do :; done' &
	burners="$burners $!"
	i=$((i + 1))
done

for lang in c py; do
	for run in 1 2 3; do
		nice -n 19 "$GRADER" run --only ex01,ex15 --format json "$tmp/$lang" \
			>"$tmp/$lang$run.json" 2>"$tmp/err"
		st=$?
		pts=$(jq -r '"\(.points)/\(.max_points)"' "$tmp/$lang$run.json")
		check "starved, $lang, run $run: ex01 and ex15 keep full marks (got $pts, exit $st)" \
			test "$pts" = "20/20" -a "$st" -eq 0
		if [ "$pts" != "20/20" ]; then
			jq -r '.exercises[].tests[] | select(.status != "pass") | "#   \(.name) (runs \(.runs)): " + ([.checks[] | select(.status != "pass") | .message] | join("; "))' "$tmp/$lang$run.json"
		fi
	done
done

stop
i=0
while [ "$i" -lt "$cores" ]; do
	sh -c 'while :; do :; done' &
	burners="$burners $!"
	i=$((i + 1))
done
for w in wrong wrongpy; do
	"$GRADER" run --only ex01 --format json "$tmp/$w" >"$tmp/$w.json" 2>"$tmp/err"
	got=$(jq -r '.exercises[0].tests[1] | "\(.status) after \(.runs) runs: \(.checks[0].message)"' "$tmp/$w.json")
	check "busy, $w ex01: the overlap check still fails, after three runs ($got)" \
		sh -c 'case "$1" in "fail after 3 runs: "*) exit 0 ;; *) exit 1 ;; esac' - "$got"
done
stop
done_testing
