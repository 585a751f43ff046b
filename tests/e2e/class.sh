#!/bin/sh
# class.sh - a class of 50 submissions with the real specs: 30 copies of
# the reference solutions and 20 with one mutant each, graded with -j 4
# into a gradebook whose every row is known in advance (full marks, or the
# mutant's points from tests/mutants/expected.txt); no stray process and
# no temporary file afterwards. Seven quick exercises keep it short.
. tests/e2e/lib.sh
set -u
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR="$tmp/tmp"
mkdir "$TMPDIR" "$tmp/subs"
only="ex02 ex05 ex06 ex09 ex10 ex16 ex17"

i=1
while [ $i -le 30 ]; do
	d=$(printf '%s/subs/sol%02d' "$tmp" $i)
	mkdir "$d"
	cp tests/solutions/*.c tests/solutions/Makefile "$d/"
	i=$((i + 1))
done
for ex in $only; do
	for m in tests/mutants/$ex-*.c; do
		name=$(basename "$m" .c)
		mkdir "$tmp/subs/$name"
		cp tests/solutions/*.c tests/solutions/Makefile "$tmp/subs/$name/"
		cp "$m" "$tmp/subs/$name/$ex.c"
	done
done
nsubs=$(ls "$tmp/subs" | wc -l)
check "50 submissions (got $nsubs)" test "$nsubs" -eq 50

# The expected gradebook: 10 per exercise, but the mutant's own.
{
	printf 'student'
	for ex in $only; do printf ',%s' "$ex"; done
	printf ',total,max\n'
	for s in $(ls "$tmp/subs"); do
		total=0
		printf '%s' "$s"
		for ex in $only; do
			p=10
			case $s in
			$ex-*) p=$(grep "^$s " tests/mutants/expected.txt | sed 's/^[^ ]* \([0-9.]*\)\/.*/\1/') ;;
			esac
			printf ',%s' "$p"
			total=$((total + p))
		done
		printf ',%s,70\n' "$total"
	done
} >"$tmp/expected.csv"

"$GRADER" batch --only "$(echo $only | tr ' ' ,)" -j 4 --out "$tmp/out" "$tmp/subs" \
	>"$tmp/run.out" 2>"$tmp/run.err"
st=$?
check "batch exits 1: some submissions lose points (got $st)" test "$st" -eq 1
# Compare without the status column, which says in words what the points say.
cut -d, -f1-10 "$tmp/out/gradebook.csv" >"$tmp/got.csv"
if diff -u "$tmp/expected.csv" "$tmp/got.csv" >"$tmp/diff"; then
	ok "the gradebook has every row right"
else
	not_ok "the gradebook has every row right"
	sed 's/^/# /' "$tmp/diff" | head -40
fi
okrows=$(grep -c ',ok$' "$tmp/out/gradebook.csv")
check "the 30 correct submissions are 'ok' (got $okrows)" test "$okrows" -eq 30
reports=$(ls "$tmp/out/reports" | wc -l)
check "one report per submission (got $reports)" test "$reports" -eq 50
check "a summary page" test -s "$tmp/out/summary.html"
# Processes of this class: their executable lies below $tmp.
left=0
for p in $(pgrep -x 'ex[0-9][0-9]'); do
	case $(readlink "/proc/$p/exe" 2>/dev/null) in "$tmp"/*) left=$((left + 1)) ;; esac
done
check "no exercise process left (got $left)" test "$left" -eq 0
check "no temporary file left" test -z "$(ls -A "$TMPDIR")"
done_testing
