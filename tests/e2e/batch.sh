#!/bin/sh
# batch.sh - `grader batch` and `grader merge` on a small class: a spec of
# two exercises written here, two correct submissions and four broken ones
# (a syntax error, a hang, an output flood, a wrong answer under a name
# full of CSV and HTML metacharacters). Checks the gradebook, the reports,
# rerun skipping, --force, shards + merge, a crashed worker, an
# interrupted batch, and that nothing is left behind: no temp dir, no
# process.
. "$(dirname "$0")/lib.sh"

root=$(tmpdir)
trap 'rm -rf "$root"' EXIT
# The grader's temp dirs go here: it must be empty after every run.
export TMPDIR="$root/tmp"
mkdir "$TMPDIR"
repo=$PWD
cd "$root" || exit 1

# ---- the spec ---------------------------------------------------------------

mkdir specs
cat >specs/ex01.yaml <<'EOF'
id: ex01
title: Say hello
build: cc -o hello hello.c
tests:
  - name: greet
    command: ./hello
    stdin: "world\n"
    stdout:
      exact: "hello world\n"
    exit: 0
    limits: {wall: 1s}
  - name: no input
    command: ./hello
    stdout:
      exact: "hello \n"
    exit: 0
    limits: {wall: 1s}
EOF
cat >specs/ex02.yaml <<'EOF'
id: ex02
title: Count lines
build: false
tests:
  - name: three lines
    command: [sh, count.sh]
    stdin: "a\nb\nc\n"
    stdout:
      exact: "3\n"
    limits: {wall: 2s, output: 64KiB}
EOF

# ---- the class --------------------------------------------------------------

weird='=x, "y" <marquee>'
mkdir -p subs/alice subs/.git subs/.hidden-student
cat >subs/alice/hello.c <<'EOF'
#include <stdio.h>
#include <string.h>

int main(void)
{
	char buf[256] = "";

	if (!fgets(buf, sizeof(buf), stdin))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("hello %s\n", buf);
	return 0;
}
EOF
echo 'wc -l | tr -d " "' >subs/alice/count.sh
echo 'not a submission' >subs/notes.txt
cp -R subs/alice subs/bob
cp -R subs/alice subs/carol && echo 'int broken = ;' >>subs/carol/hello.c
cp -R subs/alice subs/dave && sed -i 's/return 0;/for (;;) ; return 0;/' subs/dave/hello.c
cp -R subs/alice subs/erin && echo 'yes flood' >subs/erin/count.sh
cp -R subs/alice "subs/$weird" && sed -i 's/hello %s/hallo %s/' "subs/$weird/hello.c"

cat >expected.csv <<'EOF'
student,ex01,ex02,total,max,status
"'=x, ""y"" <marquee>",0,1,1,3,failed: ex01
alice,2,1,3,3,ok
bob,2,1,3,3,ok
carol,0,1,1,3,build failed: ex01
dave,0,1,1,3,timeout: ex01
erin,2,0,2,3,output limit: ex02
EOF

# ---- helpers ----------------------------------------------------------------

grader_exe=$(readlink -f "$GRADER")


# Strays: a grader process, or anything working below $root (student
# programs run in work dirs under $TMPDIR).
strays() {
	found=
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		[ "$pid" = "$$" ] && continue
		exe=$(readlink "$d/exe" 2>/dev/null)
		cwd=$(readlink "$d/cwd" 2>/dev/null) || continue
		case "$exe" in "$grader_exe") found="$found $pid"; continue ;; esac
		case "$cwd" in "$root"/*) found="$found $pid" ;; esac
	done
	[ -z "$found" ] || { echo "# stray processes:$found"; ps -o pid,ppid,args -p "$(echo $found | tr ' ' ,)"; }
	[ -z "$found" ]
}

# After a signal, the grader's watcher removes its temp dir once every
# process of it has ended: give it a moment.
nothing_left() {
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		[ -z "$(ls -A "$TMPDIR")" ] && strays >/dev/null && return 0
		sleep 0.1
	done
	[ -z "$(ls -A "$TMPDIR")" ] || { echo "# left in TMPDIR:"; ls -la "$TMPDIR"; return 1; }
	strays
}

# validate DIR: every report in DIR/reports matches the one JSON schema.
schema=$repo/grader/report/report-schema.json
validate() {
	/usr/bin/python3 - "$schema" "$1"/reports/*.json <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
v = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(path))):
        print("#  %s: %s: %s" % (path, "/".join(map(str, e.absolute_path)), e.message[:200]))
        bad += 1
sys.exit(1 if bad else 0)
PY
}

# A fingerprint of every report: name, inode, checksum.
fingerprint() {
	for f in "$1"/reports/*.json; do
		printf '%s %s\n' "$(ls -i "$f" | cut -d' ' -f1)" "$(cksum <"$f")"
	done
}

count() { grep -c "$1" "$2"; }

# Wait until the grader $1 has a worker child; print its pid. A worker
# leads its own process group (the grader's other children, such as the
# sandbox probe at start, do not).
worker_of() {
	i=0
	while [ $i -lt 100 ]; do
		w=$(ps -o pid=,pgid= --ppid "$1" | awk '$1 == $2 { print $1; exit }')
		[ -n "$w" ] && { echo "$w"; return 0; }
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# ---- one run of the whole class ---------------------------------------------

"$GRADER" batch specs subs -j 4 --out out >run.out 2>run.err
st=$?
check "batch exits 1 when some submissions lose points (got $st)" [ "$st" -eq 1 ]
check "every report matches the JSON schema (grader/report/report-schema.json)" validate out
check "gradebook rows, points and statuses" diff -u expected.csv out/gradebook.csv
check "one JSON report per submission, nothing else" \
	[ "$(ls out/reports | wc -l)" -eq 6 ]
ok_reports=yes
for s in alice bob carol dave erin "$weird"; do
	[ -f "out/reports/$s.json" ] || ok_reports=no
	grep -q '"specs_hash":"[0-9a-f]\{16\}"' "out/reports/$s.json" 2>/dev/null || ok_reports=no
done
check "each report is named after its student and records the specs hash" [ "$ok_reports" = yes ]
check "hidden dirs and plain files are not submissions" \
	[ ! -e out/reports/.git.json -a ! -e out/reports/.hidden-student.json -a \
	  ! -e out/reports/notes.txt.json ]
check "the timeout is in dave's report" grep -q '"verdict":"timeout"' out/reports/dave.json
check "one progress line per submission off a terminal" [ "$(count '^graded ' run.err)" -eq 6 ]
check "progress line format" grep -q '^graded alice: 3/3 ([0-9.]*s)$' run.err
check "progress says what went wrong" grep -q '^graded carol: 1/3, build failed: ex01 (' run.err
check "nothing on stdout" [ ! -s run.out ]
check "summary page written" grep -q 'Needs a human look (3)' out/summary.html
check "summary page escapes student names" \
	grep -q '=x, &quot;y&quot; &lt;marquee&gt;' out/summary.html
check "summary page has no raw student markup" sh -c '! grep -q "<marquee" out/summary.html'
check "summary page links reports" \
	grep -q 'href="reports/%3Dx%2C%20%22y%22%20%3Cmarquee%3E.json"' out/summary.html
check "summary page is self-contained" sh -c '! grep -qi "<script\|<link\|http" out/summary.html'
check "no temp dir or process left" nothing_left

# ---- rerun: skipped; --force: graded again ----------------------------------

fingerprint out >before
"$GRADER" batch specs subs -j 4 --out out >/dev/null 2>rerun.err
st=$?
fingerprint out >after
check "rerun exits 1 still (got $st)" [ "$st" -eq 1 ]
check "rerun grades nothing" [ "$(count '^graded ' rerun.err)" -eq 0 ]
check "rerun says why" grep -q '^6 of 6 submissions already graded' rerun.err
check "rerun leaves the reports alone" cmp -s before after
check "rerun keeps the whole gradebook" diff -u expected.csv out/gradebook.csv

"$GRADER" batch specs subs -j 4 --out out --force >/dev/null 2>force.err
st=$?
fingerprint out >after
check "--force exits 1 (got $st)" [ "$st" -eq 1 ]
check "--force grades every submission again" [ "$(count '^graded ' force.err)" -eq 6 ]
check "--force rewrites the reports" sh -c '! cmp -s before after'
check "--force gives the same gradebook" diff -u expected.csv out/gradebook.csv

# A changed spec changes the hash: everything is graded again.
echo '# changed' >>specs/ex02.yaml
"$GRADER" batch specs subs -j 4 --out out >/dev/null 2>changed.err
check "a changed spec regrades everything" [ "$(count '^graded ' changed.err)" -eq 6 ]

# ---- shards and merge -------------------------------------------------------

"$GRADER" batch specs subs -j 4 --out shard1 --shard 1/2 >/dev/null 2>&1
st1=$?
"$GRADER" batch specs subs -j 4 --out shard2 --shard 2/2 >/dev/null 2>&1
st2=$?
check "each shard exits 1 (got $st1 and $st2)" [ "$st1" -eq 1 -a "$st2" -eq 1 ]
check "shards split the class" \
	[ "$(ls shard1/reports | wc -l)" -eq 3 -a "$(ls shard2/reports | wc -l)" -eq 3 ]
check "shards do not overlap" [ -z "$( (ls shard1/reports; ls shard2/reports) | sort | uniq -d)" ]
"$GRADER" merge merged shard1 shard2 >merge.out 2>&1
st=$?
check "merge exits 1 as the batch does: some without full marks (got $st)" [ "$st" -eq 1 ]
check "merge of a complete set warns of nothing" test ! -s merge.out
check "merge of the shards equals the single run" diff -u out/gradebook.csv merged/gradebook.csv
check "merge copies every report" [ "$(ls merged/reports | wc -l)" -eq 6 ]
check "merge writes the same summary page" cmp -s out/summary.html merged/summary.html

ln -s "$root/out/reports/alice.json" shard2/reports/mallory.json
"$GRADER" merge merged2 shard1 shard2 >merge.out 2>&1
st=$?
check "merge refuses a symlinked report (exit $st)" [ "$st" -eq 3 ]
check "merge says which file and why" grep -q "refusing to copy '.*mallory.json': a symbolic link" merge.out
rm shard2/reports/mallory.json
"$GRADER" merge merged3 shard1 nosuchdir >merge.out 2>&1
st=$?
check "merge of a shard dir that does not exist: usage error (exit $st)" [ "$st" -eq 2 ]
check "merge names the missing dir" grep -q "no such directory 'nosuchdir'" merge.out
check "no temp dir or process left after shards" nothing_left

# ---- a worker that crashes, a batch that is interrupted ---------------------

# One at a time: the first worker is dave's, which takes two seconds.
mkdir -p subs2 && cp -R subs/dave subs2/ && cp -R subs/alice subs2/zoe
"$GRADER" batch specs subs2 -j 1 --out crash >/dev/null 2>crash.err &
gp=$!
w=$(worker_of "$gp") && kill -KILL "$w"
wait "$gp"
st=$?
check "a crashed worker costs its submission only (exit $st)" [ "$st" -eq 1 ]
check "the crash is in the gradebook" \
	grep -q '^dave,0,0,0,3,crashed: killed by signal 9 (SIGKILL)$' crash/gradebook.csv
check "the others are graded" grep -q '^zoe,2,1,3,3,ok$' crash/gradebook.csv
check "the crash has a report" grep -q '"grader_error":"crashed: killed by signal 9 (SIGKILL)' crash/reports/dave.json
check "no temp dir or process left after a crash" nothing_left
check "every report, the crash's too, matches the JSON schema" validate crash
"$GRADER" batch specs subs2 -j 2 --out crash >/dev/null 2>crash2.err
check "a crashed submission is graded again on the next run" grep -q '^graded dave: 1/3' crash2.err

"$GRADER" batch specs subs2 -j 2 --out crash --force >/dev/null 2>&1 &
gp=$!
worker_of "$gp" >/dev/null
kill -TERM "$gp"
wait "$gp"
st=$?
check "an interrupted batch dies by its signal (exit $st)" [ "$st" -eq 143 ]
check "an interrupted batch leaves no temp dir or process" nothing_left
check "an interrupted batch leaves no half-written file" \
	[ -z "$(ls -A crash/reports | grep '^\.tmp')" ]

done_testing
