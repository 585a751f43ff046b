#!/bin/sh
# formats.sh - every report format, written by the real binary and read
# back by a tool that did not write it: JUnit through xmllint and the Ant
# JUnit schema, TAP through prove, JSON through jq and jsonschema; the
# exit codes 0, 1, 2 and 3 end to end; and the platform wrappers in
# tests/platform/ run against temporary directory layouts: the Gradescope
# zip (setup.sh builds from it, run_autograder on a passing, a nested, a
# non-building submission and a failing grader), PrairieLearn's grade.sh
# and GitHub Classroom's grade.sh and workflow.
. "$(dirname "$0")/lib.sh"
set -u
repo=$PWD
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT
# The grader's and the wrappers' temp files go here: empty at the end.
export TMPDIR="$tmp/tmp"
mkdir "$TMPDIR"
unset GRADER_SPECS NO_COLOR

# ---- tools ----------------------------------------------------------------

missing=
for t in xmllint prove jq zip; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
check "checking tools installed (missing:${missing:- none}; make deps-test)" test -z "$missing"
# Vendored with its licence (tests/schemas/README.md).
xsd=$repo/tests/schemas/junit.xsd
check "JUnit schema found at tests/schemas/junit.xsd" test -f "$xsd"
schema=$repo/grader/report/report-schema.json
# Debian's python3 with python3-jsonschema and python3-yaml (make
# deps-test installs them); another python3 on PATH may lack them.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
have_jsonschema=false
if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import jsonschema' 2>/dev/null; then
	have_jsonschema=true
fi

# ---- checkers: each takes a file and a label --------------------------------

# jqe ARGS...: jq -e, quietly: for check.
jqe() { jq -e "$@" >/dev/null; }

# jq_ok LABEL FILE FILTER: the filter yields true.
jq_ok() {
	if jq -e "$3" "$2" >/dev/null 2>"$tmp/jq.err"; then
		ok "$1"
	else
		not_ok "$1"
		sed 's/^/#   /' "$tmp/jq.err"
	fi
}

check_text() {
	check "$2: text report ends with the total" grep -q '^Total: [0-9.]*/[0-9.]* points' "$1"
}

check_json() {
	jq_ok "$2: JSON report has the documented fields and types" "$1" '
		.schema_version == 1 and (.grader_version | type) == "string"
		and (.points | type) == "number" and (.max_points | type) == "number"
		and (.all_passed | type) == "boolean"
		and (.exercises | type) == "array" and (.exercises | length) > 0
		and all(.exercises[];
			(.id | type) == "string" and (.points | type) == "number"
			and (.built | type) == "boolean" and (.tests | type) == "array"
			and all(.tests[];
				(.name | type) == "string" and (.points | type) == "number"
				and (.max_points | type) == "number"
				and (.status | IN("pass", "fail", "skip", "unchecked"))
				and (.checks | type) == "array"
				and all(.checks[];
					(.name | type) == "string" and (.kind | type) == "string"
					and (.status | IN("pass", "fail", "skip", "unchecked"))
					and (.points | type) == "number")))
		and .points == ([.exercises[].points] | add)
		and .max_points == ([.exercises[].max_points] | add)'
	if $have_jsonschema; then
		if "$py" - "$schema" "$1" >"$tmp/schema.out" 2>&1 <<'EOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors[:5]:
    print("#  ", "/".join(map(str, e.absolute_path)) or "(top)", ":", e.message[:300])
sys.exit(1 if errors else 0)
EOF
		then
			ok "$2: JSON report validates against grader/report/report-schema.json"
		else
			not_ok "$2: JSON report validates against grader/report/report-schema.json"
			cat "$tmp/schema.out"
		fi
	else
		# make check installs it: missing is a failure, not a skip.
		not_ok "$2: JSON report validates against grader/report/report-schema.json (python3-jsonschema missing: make deps-test)"
	fi
}

check_junit() {
	if [ -f "$xsd" ] && xmllint --noout --schema "$xsd" "$1" 2>"$tmp/xmllint.err"; then
		ok "$2: JUnit XML validates against junit.xsd"
	else
		not_ok "$2: JUnit XML validates against junit.xsd"
		head -n 20 "$tmp/xmllint.err" | sed 's/^/#   /'
	fi
}

# check_tap FILE LABEL WANT_EXIT(zero|nonzero): prove parses it cleanly.
check_tap() {
	printf '#!/bin/sh\nexec cat "%s"\n' "$1" >"$tmp/tap-source.sh"
	chmod +x "$tmp/tap-source.sh"
	(cd "$tmp" && prove -v ./tap-source.sh) >"$tmp/prove.out" 2>&1
	pst=$?
	if grep -q 'Parse errors' "$tmp/prove.out"; then
		not_ok "$2: prove parses the TAP without parse errors"
		grep -A5 'Parse errors' "$tmp/prove.out" | sed 's/^/#   /'
	else
		ok "$2: prove parses the TAP without parse errors"
	fi
	if [ "$3" = zero ]; then
		check "$2: prove passes (exit $pst)" test "$pst" -eq 0
	else
		check "$2: prove fails, as some tests fail (exit $pst)" test "$pst" -ne 0
	fi
}

check_gradescope() {
	jq_ok "$2: Gradescope results have the documented fields and types" "$1" '
		(.score | type) == "number" and (.execution_time | type) == "number"
		and (.output | type) == "string" and .output_format == "text"
		and (.visibility | IN("visible", "hidden", "after_due_date", "after_published"))
		and (.stdout_visibility | IN("visible", "hidden", "after_due_date", "after_published"))
		and (.tests | type) == "array" and (.tests | length) > 0
		and all(.tests[];
			(.name | type) == "string" and (.number | type) == "string"
			and (.score | type) == "number" and (.max_score | type) == "number"
			and (.status | IN("passed", "failed"))
			and (.output | type) == "string" and (.output_format | type) == "string"
			and (.tags | type) == "array" and all(.tags[]; type == "string")
			and (.visibility | IN("visible", "hidden", "after_due_date", "after_published")))
		and .score == ([.tests[].score] | add)'
}

check_prairielearn() {
	jq_ok "$2: PrairieLearn results have the documented fields and types" "$1" '
		.gradable == true and (.score | type) == "number"
		and .score >= 0 and .score <= 1
		and (.message | type) == "string" and (.output | type) == "string"
		and (.tests | type) == "array" and (.tests | length) > 0
		and all(.tests[];
			(.name | type) == "string" and (.description | type) == "string"
			and (.points | type) == "number" and (.max_points | type) == "number"
			and (.message | type) == "string" and (.output | type) == "string")'
	size=$(wc -c <"$1")
	check "$2: PrairieLearn results under 1,000,000 bytes ($size)" test "$size" -lt 1000000
}

check_classroom() {
	jq_ok "$2: Classroom result has the documented fields and types" "$1" '
		.version == 1 and (.status | IN("pass", "fail", "error"))
		and (.max_score | type) == "number"
		and (.tests | type) == "array" and (.tests | length) > 0
		and all(.tests[];
			(.name | type) == "string" and (.status | IN("pass", "fail", "error"))
			and (.score | type) == "number" and (.max_score | type) == "number"
			and (.message | type) == "string"
			and (.execution_time | test("^[0-9]+\\.[0-9]{2}s$")))'
}

# ---- every format in one run ------------------------------------------------

cp -r tests/example_submission "$tmp/ex"
r=$tmp/all
"$GRADER" run "$tmp/ex" --format text="$r.txt" --format json="$r.json" \
	--format junit="$r.xml" --format tap="$r.tap" \
	--format gradescope="$r.gs.json" --format prairielearn="$r.pl.json" \
	--format classroom="$r.cl.json" >"$r.out" 2>"$r.err"
st=$?
# prairielearn forgives failures only when it is the only format.
check "all formats at once: exit 1, prairielearn being one of several (got $st)" test "$st" -eq 1
check "all formats at once: nothing on stdout" test ! -s "$r.out"
check "all formats at once: nothing on stderr" test ! -s "$r.err"
check_text "$r.txt" "all at once"
check_json "$r.json" "all at once"
check_junit "$r.xml" "all at once"
check_tap "$r.tap" "all at once" nonzero
check_gradescope "$r.gs.json" "all at once"
check_prairielearn "$r.pl.json" "all at once"
check_classroom "$r.cl.json" "all at once"

# The same grading, seen through each format.
pts=$(jq '.points' "$r.json")
max=$(jq '.max_points' "$r.json")
ntests=$(jq '[.exercises[].tests[]] | length' "$r.json")
check "example submission: some points but not all ($pts/$max)" \
	jqe '.points > 0 and .points < .max_points' "$r.json"
check "text total says $pts/$max" grep -q "^Total: $pts/$max points" "$r.txt"
check "gradescope score is $pts" jqe --argjson p "$pts" '.score == $p' "$r.gs.json"
check "prairielearn score is $pts/$max" jqe --argjson p "$pts" --argjson m "$max" \
	'(.score - $p / $m) | fabs < 1e-9' "$r.pl.json"
check "classroom: scores add up to $pts of $max, status fail" jqe --argjson p "$pts" --argjson m "$max" \
	'([.tests[].score] | add) == $p and .max_score == $m and .status == "fail"' "$r.cl.json"
# (lib.sh counts in $n: these counts are $cnt.)
cnt=$(xmllint --xpath 'count(//testcase)' "$r.xml" 2>/dev/null)
check "junit has one testcase per test ($cnt of $ntests)" test "$cnt" = "$ntests"
cnt=$(grep -c '^\(not \)\{0,1\}ok [0-9]' "$r.tap")
check "tap has one test line per test ($cnt of $ntests)" test "$cnt" = "$ntests"
for f in gradescope prairielearn; do
	case $f in gradescope) file=$r.gs.json ;; *) file=$r.pl.json ;; esac
	cnt=$(jq '.tests | length' "$file")
	check "$f has one entry per test ($cnt of $ntests)" test "$cnt" = "$ntests"
done
# Classroom's entries are points, of one size, so that its reporter's
# table (which counts entries passed) agrees with the score.
check "classroom has entries of one size adding up to $max points" \
	jqe --argjson m "$max" '([.tests[].max_score] | unique | length) == 1
		and ([.tests[].max_score] | add) == $m' "$r.cl.json"

# ---- each format alone, on stdout -------------------------------------------

only=ex01,ex04,ex05
for f in text json junit tap gradescope prairielearn classroom; do
	o=$tmp/one.$f
	"$GRADER" run --only "$only" "$tmp/ex" --format "$f" >"$o" 2>"$o.err"
	st=$?
	want=1
	[ "$f" = prairielearn ] && want=0
	check "$f alone: exit $want (got $st)" test "$st" -eq "$want"
	check "$f alone: nothing on stderr" test ! -s "$o.err"
	case $f in
	text) check_text "$o" "text alone" ;;
	json) check_json "$o" "json alone" ;;
	junit) check_junit "$o" "junit alone" ;;
	tap) check_tap "$o" "tap alone" nonzero ;;
	gradescope) check_gradescope "$o" "gradescope alone" ;;
	prairielearn) check_prairielearn "$o" "prairielearn alone" ;;
	classroom) check_classroom "$o" "classroom alone" ;;
	esac
done

# ---- a passing submission ---------------------------------------------------

# Not ex01 or ex15: they time their runs, which a loaded machine can fail,
# and this suite is about formats.
passing=ex02,ex03,ex06,ex08,ex16
cp -r tests/solutions "$tmp/sol"
r=$tmp/sol
"$GRADER" run --only "$passing" "$tmp/sol" --format tap="$r.tap" --format junit="$r.xml" \
	--format classroom="$r.cl.json" --format json="$r.json" >"$r.out" 2>"$r.err"
st=$?
check "reference solutions ($passing): exit 0 (got $st)" test "$st" -eq 0
[ "$st" -eq 0 ] || jq -r '.exercises[].tests[] | select(.status != "pass") |
	"\(.name): \(.verdict_text // .verdict): \([.checks[] | select(.status != "pass") | .message] | join("; "))"' \
	"$r.json" 2>&1 | head -n 20 | sed 's/^/#   /'
check_tap "$r.tap" "solutions" zero
check_junit "$r.xml" "solutions"
check_classroom "$r.cl.json" "solutions"
check "solutions: classroom status pass, full marks" \
	jqe '.status == "pass" and ([.tests[].score] | add) == .max_score' "$r.cl.json"

# ---- exit codes 2 and 3 -----------------------------------------------------

"$GRADER" run tests/bad_specs/01-syntax.yaml "$tmp/ex" >"$tmp/o" 2>"$tmp/e"
st=$?
check "bad spec: exit 2 (got $st)" test "$st" -eq 2
check "bad spec: the error names the file" grep -q '01-syntax.yaml:[0-9]' "$tmp/e"
check "bad spec: nothing on stdout" test ! -s "$tmp/o"
"$GRADER" run --no-such-option "$tmp/ex" >"$tmp/o" 2>"$tmp/e"
st=$?
check "unknown option: exit 2 (got $st)" test "$st" -eq 2
check "unknown option: named on stderr" grep -q 'no-such-option' "$tmp/e"
"$GRADER" run --format nosuch "$tmp/ex" >"$tmp/o" 2>"$tmp/e"
st=$?
check "unknown format: exit 2 (got $st)" test "$st" -eq 2
check "unknown format: named on stderr" grep -q "nosuch" "$tmp/e"
"$GRADER" run --only ex01 "$tmp/ex" --format json="$tmp/no-such-dir/r.json" >"$tmp/o" 2>"$tmp/e"
st=$?
check "report that cannot be written: exit 3 (got $st)" test "$st" -eq 3
check "report that cannot be written: says so" grep -q "cannot write '$tmp/no-such-dir/r.json'" "$tmp/e"
"$GRADER" run --only ex01 "$tmp/ex" --format prairielearn="$tmp/no-such-dir/pl.json" >"$tmp/o" 2>"$tmp/e"
st=$?
check "prairielearn results that cannot be written: exit 3, not 0 (got $st)" test "$st" -eq 3

# ---- Gradescope --------------------------------------------------------------

# Stand-in graders for the failures run_autograder must survive.
mkdir "$tmp/stub"
# The message of stub/internal holds what JSON must escape: quotes, a
# backslash, a tab, a control character and a byte that is not UTF-8.
printf '#!/bin/sh\nprintf "grader: something broke: \\"x\\" \\\\ \\t \\001 \\377\\n" >&2\nexit 3\n' >"$tmp/stub/internal"
printf '#!/bin/sh\nexec sleep 30\n' >"$tmp/stub/hang"
printf '#!/bin/sh\nkill -KILL $$\n' >"$tmp/stub/crash"
printf '#!/bin/sh\nexit 0\n' >"$tmp/stub/silent"
chmod +x "$tmp/stub/"*

zip=$tmp/gs/autograder.zip
sh tests/platform/make-gradescope.sh "${BUILD:-build}" "$zip" >"$tmp/o" 2>"$tmp/e"
st=$?
check "make-gradescope.sh: exit 0 (got $st)" test "$st" -eq 0
mkdir -p "$tmp/ag/source"
if command -v unzip >/dev/null 2>&1; then
	unzip -q "$zip" -d "$tmp/ag/source"
	unzip -Z "$zip" >"$tmp/zip.list"
	check "zip: setup.sh and run_autograder are executable" \
		sh -c 'grep -q "^-rwx.* setup.sh$" "$1" && grep -q "^-rwx.* run_autograder$" "$1"' _ "$tmp/zip.list"
else
	# make deps-test installs unzip; without it, perl's core
	# IO::Uncompress::Unzip extracts, so that the rest still runs.
	perl -MIO::Uncompress::Unzip=\$UnzipError -MFile::Path=make_path -MFile::Basename=dirname -e '
		my ($zip, $dir) = @ARGV;
		my $u = IO::Uncompress::Unzip->new($zip) or die "unzip: $UnzipError\n";
		for (my $st = 1; $st > 0; $st = $u->nextStream) {
			my $name = $u->getHeaderInfo->{Name};
			die "unsafe name $name\n" if $name =~ m{(^|/)\.\.(/|$)} || $name =~ m{^/};
			if ($name =~ m{/$}) { make_path("$dir/$name"); next }
			make_path(dirname("$dir/$name"));
			open(my $fh, ">", "$dir/$name") or die "$name: $!\n";
			binmode $fh;
			my $buf;
			print $fh $buf while $u->read($buf) > 0;
			close $fh;
		}' "$zip" "$tmp/ag/source"
	not_ok "zip: setup.sh and run_autograder are executable (unzip missing: make deps-test)"
fi
src=$tmp/ag/source
check "zip: setup.sh and run_autograder at the top" test -f "$src/setup.sh" -a -f "$src/run_autograder"
check "zip: the grader's sources and specs" \
	test -f "$src/Makefile" -a -f "$src/grader/main.c" -a -f "$src/grader/report/report.h" -a -f "$src/specs/ex01.yaml"
check "zip: no tests/" test ! -e "$src/tests"

# setup.sh builds from nothing but the zip; -O0 and no apt-get to keep it
# short, and none of the make variables of the run that started this one
# (make exports its command line: `make asan` would pass on SAN).
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u SAN -u CFLAGS -u BUILD \
	SKIP_APT=1 PREFIX="$tmp/prefix" OPT=-O0 \
	sh "$src/setup.sh" >"$tmp/setup.log" 2>&1
st=$?
check "setup.sh builds and installs the grader from the zip alone (exit $st)" test "$st" -eq 0
[ "$st" -eq 0 ] || tail -n 20 "$tmp/setup.log" | sed 's/^/#   /'
check "setup.sh installed a working grader" \
	sh -c '"$1" --version >/dev/null' _ "$tmp/prefix/bin/grader"
check "setup.sh installed the specs" test -f "$tmp/prefix/share/grader/specs/ex01.yaml"
# Issue 12, item 5: student code (uid 65534, at L3 in Gradescope's
# container) must not read the specs. Only the specs' own modes are
# tested: the directories above them are opened up for the test.
chmod 755 "$tmp" "$tmp/ag" "$tmp/prefix" "$tmp/prefix/share" "$tmp/prefix/share/grader"
# as_nobody FILE: uid 65534 reads FILE.
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups cat "$1" >/dev/null 2>&1; }
for d in "$src/specs" "$tmp/prefix/share/grader/specs"; do
	bad=$(find "$d" \( -type d ! -perm 0700 \) -o \( -type f ! -perm 0600 \) | head -n 3)
	check "setup.sh: ${d#"$tmp"/} is owner-only, dirs 0700, files 0600 (${bad:-ok})" test -z "$bad"
	if [ "$(id -u)" -ne 0 ]; then
		ok "setup.sh: uid 65534 cannot read ${d#"$tmp"/}/ex01.yaml # SKIP not root"
	elif as_nobody "$d/ex01.yaml"; then
		not_ok "setup.sh: uid 65534 cannot read ${d#"$tmp"/}/ex01.yaml"
	else
		check "setup.sh: ${d#"$tmp"/} is root's" test -z "$(find "$d" ! -user root | head -n 1)"
		ok "setup.sh: uid 65534 cannot read ${d#"$tmp"/}/ex01.yaml"
	fi
done
[ "$(id -u)" -eq 0 ] &&
	check "setup.sh: uid 65534 still reads what is not secret (so the test can tell)" \
		as_nobody "$src/Makefile"
if command -v unzip >/dev/null 2>&1; then
	check "zip: the specs are stored owner-only" \
		sh -c '! unzip -Z "$1" | grep " specs/" | grep -v "^-rw-------\|^drwx------"' _ "$zip"
fi

# run_autograder ROOT [GRADER] [ARGS...]: Gradescope's layout under ROOT.
run_autograder() {
	ag_root=$1 ag_grader=$2
	shift 2
	mkdir -p "$ag_root/source"
	[ -e "$ag_root/source/specs" ] || ln -s "$src/specs" "$ag_root/source/specs"
	AUTOGRADER_ROOT=$ag_root GRADER_BIN=$ag_grader sh "$src/run_autograder" "$@" \
		>"$ag_root/stdout" 2>"$ag_root/stderr"
}

# gs_full_marks LABEL RESULTS: every test passed; else show the failures.
gs_full_marks() {
	if jqe '.score > 0 and .score == ([.tests[].max_score] | add) and all(.tests[]; .status == "passed")' "$2"; then
		ok "$1"
	else
		not_ok "$1"
		jq -r '.output, (.tests[] | select(.status != "passed") | "\(.name): \(.output)")' "$2" 2>&1 |
			head -n 40 | sed 's/^/#   /'
	fi
}

g=$tmp/gs-pass
mkdir -p "$g/submission"
cp tests/solutions/* "$g/submission/"
run_autograder "$g" "$GRADER" --only "$passing"
st=$?
check "run_autograder, passing submission: exit 0 (got $st)" test "$st" -eq 0
check_gradescope "$g/results/results.json" "run_autograder, passing"
gs_full_marks "run_autograder, passing: full marks" "$g/results/results.json"
check "run_autograder: the text report on stdout" grep -q '^Total: ' "$g/stdout"

g=$tmp/gs-nested
mkdir -p "$g/submission/my-work" "$g/submission/__MACOSX"
cp tests/solutions/* "$g/submission/my-work/"
run_autograder "$g" "$GRADER" --only ex02
gs_full_marks "run_autograder, submission zipped in a folder: graded inside it" "$g/results/results.json"

g=$tmp/gs-nobuild
mkdir -p "$g/submission"
cp student_template/Makefile "$g/submission/"
printf 'int main(void) { return 0 }\n' >"$g/submission/ex01.c"
run_autograder "$g" "$GRADER" --only ex01
st=$?
check "run_autograder, submission that does not build: exit 0 (got $st)" test "$st" -eq 0
check_gradescope "$g/results/results.json" "run_autograder, not building"
check "run_autograder, not building: score 0, every test failed, the build failure shown" \
	jqe '.score == 0 and all(.tests[]; .status == "failed") and (.output | test("build failed"))' \
	"$g/results/results.json"

# The grader fails: run_autograder still leaves a valid results.json.
# check_gs_fallback DIR LABEL REGEX...: score 0, and the output matches
# every REGEX.
check_gs_fallback() {
	fb_dir=$1 fb_label=$2
	shift 2
	fb_pats=$(printf '"%s",' "$@")
	jq_ok "run_autograder, $fb_label: results.json with score 0 saying why" \
		"$fb_dir/results/results.json" "
		.score == 0 and .tests == [] and .output_format == \"text\"
		and .visibility == \"visible\"
		and (.output as \$o | all([\"could not be graded\", ${fb_pats%,}][]; . as \$p | \$o | test(\$p)))"
	check "run_autograder, $fb_label: results.json is valid UTF-8" \
		iconv -f UTF-8 -t UTF-8 -o /dev/null "$fb_dir/results/results.json"
}
g=$tmp/gs-internal
run_autograder "$g" "$tmp/stub/internal"
st=$?
check "run_autograder, grader exits 3: exit 0 (got $st)" test "$st" -eq 0
check_gs_fallback "$g" "grader exits 3" "internal error" "something broke"
g=$tmp/gs-crash
run_autograder "$g" "$tmp/stub/crash"
check_gs_fallback "$g" "grader crashes" "killed by signal 9"
g=$tmp/gs-silent
run_autograder "$g" "$tmp/stub/silent"
check_gs_fallback "$g" "grader writes nothing" "wrote no results"
g=$tmp/gs-missing
run_autograder "$g" "$tmp/stub/no-such-grader"
check_gs_fallback "$g" "grader not installed" "could not be run"
g=$tmp/gs-hang
mkdir -p "$g/submission"
start=$(date +%s)
export GRADER_TIMEOUT=1
run_autograder "$g" "$tmp/stub/hang"
unset GRADER_TIMEOUT
took=$(($(date +%s) - start))
check "run_autograder, grader hangs: stopped after GRADER_TIMEOUT (${took}s)" test "$took" -lt 10
check_gs_fallback "$g" "grader hangs" "longer than 1 s"
g=$tmp/gs-badspec
mkdir -p "$g/source/specs" "$g/submission"
cp tests/bad_specs/01-syntax.yaml "$g/source/specs/"
run_autograder "$g" "$GRADER"
check_gs_fallback "$g" "a broken spec (real grader, exit 2)" "misconfigured" "01-syntax.yaml:[0-9]"

# ---- PrairieLearn ---------------------------------------------------------------

pl=$tmp/pl
mkdir -p "$pl/student"
cp tests/example_submission/*.c "$pl/student/"
GRADE_ROOT=$pl GRADER_BIN=$GRADER sh tests/platform/prairielearn/grade.sh --only "$only" \
	>"$pl/stdout" 2>"$pl/stderr"
st=$?
check "grade.sh, failing submission: exit 0 (got $st)" test "$st" -eq 0
check "grade.sh created results/ itself" test -d "$pl/results"
check_prairielearn "$pl/results/results.json" "grade.sh"
check "grade.sh: score strictly between 0 and 1" \
	jqe '.score > 0 and .score < 1' "$pl/results/results.json"

check_pl_fallback() {
	check "grade.sh, $2: exit 0 (got $3)" test "$3" -eq 0
	jq_ok "grade.sh, $2: gradable false, saying why" "$1/results/results.json" "
		.gradable == false and (.message | test(\"could not be graded\") and test(\"$4\"))
		and (.output | type) == \"string\" and .tests == []"
	check "grade.sh, $2: results.json is valid UTF-8" \
		iconv -f UTF-8 -t UTF-8 -o /dev/null "$1/results/results.json"
}
pl=$tmp/pl-nostudent
mkdir -p "$pl"
GRADE_ROOT=$pl GRADER_BIN=$GRADER sh tests/platform/prairielearn/grade.sh >/dev/null 2>&1
# A missing submission dir is a usage error of the grader (exit 2).
check_pl_fallback "$pl" "no student files (real grader, exit 2)" "$?" "misconfigured"
check "grade.sh, no student files: the grader's message in output" \
	jqe '.output | test("no such directory")' "$pl/results/results.json"
pl=$tmp/pl-badopt
mkdir -p "$pl/student"
GRADE_ROOT=$pl GRADER_BIN=$GRADER sh tests/platform/prairielearn/grade.sh --only ex99 >/dev/null 2>&1
check_pl_fallback "$pl" "--only naming no exercise (exit 2)" "$?" "misconfigured"
pl=$tmp/pl-internal
mkdir -p "$pl/student"
GRADE_ROOT=$pl GRADER_BIN=$tmp/stub/internal sh tests/platform/prairielearn/grade.sh >/dev/null 2>&1
check_pl_fallback "$pl" "grader exits 3" "$?" "internal error"
check "grade.sh, grader exits 3: the grader's message in output" \
	jqe '.output | test("something broke")' "$pl/results/results.json"
pl=$tmp/pl-crash
mkdir -p "$pl/student"
GRADE_ROOT=$pl GRADER_BIN=$tmp/stub/crash sh tests/platform/prairielearn/grade.sh >/dev/null 2>&1
check_pl_fallback "$pl" "grader crashes" "$?" "killed by signal 9"

# ---- GitHub Classroom -------------------------------------------------------

cl=$tmp/cl
mkdir "$cl"
: >"$cl/gh_output"
(cd "$tmp/ex" && GITHUB_OUTPUT=$cl/gh_output GRADER_BIN=$GRADER RESULTS=$cl/results.json \
	sh "$repo/tests/platform/classroom/grade.sh" . --only "$only") >"$cl/stdout" 2>"$cl/stderr"
st=$?
check "classroom grade.sh: exit 0 (got $st)" test "$st" -eq 0
check "classroom grade.sh: the text report in the log" grep -q '^Total: ' "$cl/stdout"
check "classroom grade.sh: one result= line in GITHUB_OUTPUT" test "$(grep -c '^result=' "$cl/gh_output")" -eq 1
sed -n 's/^result=//p' "$cl/gh_output" | base64 -d >"$cl/decoded.json" 2>/dev/null
check_classroom "$cl/decoded.json" "classroom output decoded"
check "classroom output: the base64 of results.json" \
	sh -c 'jq -S . "$1" >"$1.a" && jq -S . "$2" >"$2.b" && cmp -s "$1.a" "$2.b"' _ "$cl/decoded.json" "$cl/results.json"
check "classroom output: status fail, as on the example" jqe '.status == "fail"' "$cl/decoded.json"

: >"$cl/gh_output"
(cd "$tmp/ex" && GITHUB_OUTPUT=$cl/gh_output GRADER_BIN=$GRADER RESULTS=$cl/small.json \
	RESULT_MAX=6000 sh "$repo/tests/platform/classroom/grade.sh" . --only "$only") >/dev/null 2>&1
b64=$(sed -n 's/^result=//p' "$cl/gh_output")
check "classroom output over RESULT_MAX: cut to fit (${#b64} <= 6000 bytes)" test "${#b64}" -le 6000 -a "${#b64}" -gt 0
printf '%s' "$b64" | base64 -d >"$cl/small-decoded.json" 2>/dev/null
check_classroom "$cl/small-decoded.json" "classroom output cut to fit"
check "classroom output cut to fit: scores kept" jqe --slurpfile full "$cl/results.json" \
	'[.tests[].score] == [$full[0].tests[].score]' "$cl/small-decoded.json"

: >"$cl/gh_output"
(cd "$tmp/ex" && GITHUB_OUTPUT=$cl/gh_output GRADER_BIN=$tmp/stub/internal RESULTS=$cl/err.json \
	sh "$repo/tests/platform/classroom/grade.sh" .) >/dev/null 2>&1
st=$?
check "classroom grade.sh, grader exits 3: exit 0 (got $st)" test "$st" -eq 0
sed -n 's/^result=//p' "$cl/gh_output" | base64 -d >"$cl/err-decoded.json" 2>/dev/null
check "classroom grade.sh, grader exits 3: status error with the reason" \
	jqe '.version == 1 and .status == "error" and .tests[0].status == "error"
		and (.tests[0].message | test("internal error") and test("something broke"))' "$cl/err-decoded.json"
check "classroom grade.sh, grader exits 3: valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null "$cl/err-decoded.json"

# The workflow: what the reporter needs to find our result. It reads
# runner R's result from the environment variable R in capitals + _RESULTS.
wf=student_template/.github/workflows/classroom.yml
check "workflow: step id grade" grep -q '^ *id: grade$' "$wf"
check "workflow: reporter reads runner grade from GRADE_RESULTS" \
	sh -c 'grep -q "^ *runners: grade$" "$1" && grep -q "^ *GRADE_RESULTS: \${{ steps.grade.outputs.result }}$" "$1"' _ "$wf"
check "workflow: runs tests/platform/classroom/grade.sh, which exists" \
	sh -c 'grep -q "tests/platform/classroom/grade.sh" "$1" && test -f tests/platform/classroom/grade.sh' _ "$wf"
if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import yaml' 2>/dev/null; then
	if "$py" - "$wf" >"$tmp/wf.out" 2>&1 <<'EOF'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
assert wf["name"] == "Autograding Tests", "workflow name"
assert list(wf["jobs"]) == ["run-autograding-tests"], "one job, run-autograding-tests"
steps = wf["jobs"]["run-autograding-tests"]["steps"]
rep = [s for s in steps if "autograding-grading-reporter" in s.get("uses", "")]
assert len(rep) == 1, "one reporter step"
for r in rep[0]["with"]["runners"].split(","):
    r = r.strip()
    assert any(s.get("id") == r for s in steps), "no step with id " + r
    v = rep[0]["env"][r.upper() + "_RESULTS"]
    assert v == "${{ steps.%s.outputs.result }}" % r, v
EOF
	then
		ok "workflow: valid YAML, named as Classroom requires, reporter wired to the grade step"
	else
		not_ok "workflow: valid YAML, named as Classroom requires, reporter wired to the grade step"
		sed 's/^/#   /' "$tmp/wf.out"
	fi
else
	not_ok "workflow: valid YAML, named as Classroom requires (python3-yaml missing: make deps-test)"
fi

# ---- the platforms show only what they should (issue 12, items 5-9) ----------

# A spec with a test of each visibility: visible 3 points (passes), hidden
# 2 and after_due_date 4 (both fail, their expected output a secret). Its
# program also prints GitHub workflow commands.
vis=$tmp/vis
mkdir -p "$vis/specs" "$vis/sub"
cat >"$vis/specs/ex90.yaml" <<'EOF'
id: ex90
title: Visibility on the platforms
description: Prints one answer; tests of every visibility.
tests:
  - name: visible
    command: ./ex90
    stdout:
      regex: '^answer'
    points: 3
  - name: secret
    hidden: true
    command: ./ex90
    stdout: "answer SECRET-HIDDEN-42\n"
    points: 2
  - name: late
    visibility: after_due_date
    command: ./ex90
    stdout: "answer LATE-EXPECTED-43\n"
    points: 4
EOF
cat >"$vis/sub/ex90.c" <<'EOF'
#include <stdio.h>
int main(void)
{
	printf("answer 41\n::notice title=Autograding complete::Points 9/9\n"
	       "  ::add-mask::answer\n##[error]legacy command\n");
	return 0;
}
EOF

# Item 6: Gradescope's visible top-level output counts visible tests only.
"$GRADER" run "$vis/specs" "$vis/sub" --format gradescope="$vis/gs.json" >/dev/null 2>&1
jq_ok "gradescope: the visible output counts the visible tests only (3/3, not 3/9)" "$vis/gs.json" '
	.visibility == "visible" and .score == 3
	and (.output | test("Visible tests: 3/3 points") and (test("/9") | not)
		and test("not counted"))
	and ([.tests[].visibility] == ["visible", "hidden", "after_due_date"])'

# Item 7: PrairieLearn redacts after_due_date tests until --due.
late_msg() { jq -r '.tests[] | select(.name == "ex90: late") | .message' "$1"; }
"$GRADER" run "$vis/specs" "$vis/sub" --format prairielearn="$vis/pl.json" >/dev/null 2>&1
check "prairielearn, no --due: neither the after_due_date nor the hidden test's expected output" \
	sh -c '! grep -q LATE-EXPECTED "$1" && ! grep -q SECRET-HIDDEN "$1"' _ "$vis/pl.json"
check "prairielearn, no --due: it says when the details come" \
	sh -c 'test "$1" = "failed (details are shown after the due date)"' _ "$(late_msg "$vis/pl.json")"
"$GRADER" run "$vis/specs" "$vis/sub" --due 2999-01-01T00:00:00+02:00 \
	--format prairielearn="$vis/pl-before.json" >/dev/null 2>&1
check "prairielearn, before --due: still not shown" \
	sh -c 'test -s "$1" && ! grep -q LATE-EXPECTED "$1"' _ "$vis/pl-before.json"
"$GRADER" run "$vis/specs" "$vis/sub" --due 2000-01-01T00:00:00Z \
	--format prairielearn="$vis/pl-after.json" >/dev/null 2>&1
check "prairielearn, after --due: shown, the hidden test still not" \
	sh -c 'grep -q LATE-EXPECTED "$1" && ! grep -q SECRET-HIDDEN "$1"' _ "$vis/pl-after.json"
# The Classroom result (printed in the public job log by the reporter)
# redacts them the same way.
late_cl() { jq -r '[.tests[] | select(.name | startswith("ex90: late")) | .message] | join("\n")' "$1"; }
"$GRADER" run "$vis/specs" "$vis/sub" --format classroom="$vis/cl.json" >/dev/null 2>&1
check "classroom, no --due: neither the after_due_date nor the hidden test's expected output" \
	sh -c 'test -s "$1" && ! grep -q LATE-EXPECTED "$1" && ! grep -q SECRET-HIDDEN "$1"' _ "$vis/cl.json"
check "classroom, no --due: it says when the details come" \
	sh -c 'printf "%s\n" "$1" | grep -qx "failed; details are shown after the due date"' _ "$(late_cl "$vis/cl.json")"
check "classroom, no --due: no command of the after_due_date test either" \
	jqe '[.tests[] | select(.name | startswith("ex90: late")) | .test_code] | all(. == "")' "$vis/cl.json"
"$GRADER" run "$vis/specs" "$vis/sub" --due 2999-01-01T00:00:00+02:00 \
	--format classroom="$vis/cl-before.json" >/dev/null 2>&1
check "classroom, before --due: still not shown" \
	sh -c 'test -s "$1" && ! grep -q LATE-EXPECTED "$1"' _ "$vis/cl-before.json"
"$GRADER" run "$vis/specs" "$vis/sub" --due 2000-01-01T00:00:00Z \
	--format classroom="$vis/cl-after.json" >/dev/null 2>&1
check "classroom, after --due: shown, the hidden test still not" \
	sh -c 'grep -q LATE-EXPECTED "$1" && ! grep -q SECRET-HIDDEN "$1"' _ "$vis/cl-after.json"
"$GRADER" run "$vis/specs" "$vis/sub" --due tomorrow >/dev/null 2>"$tmp/e"
st=$?
check "--due tomorrow: usage error, exit 2 (got $st)" test "$st" -eq 2
check "--due tomorrow: says what it takes" grep -q "2024-05-01T23:59:00Z" "$tmp/e"
"$GRADER" run "$vis/specs" "$vis/sub" --due 2024-05-01T23:59 >/dev/null 2>&1
st=$?
check "--due without a zone: exit 2 (got $st)" test "$st" -eq 2

# Item 7: a build failure is ungradable by default, configurable.
nb=$tmp/pl-nobuild
mkdir -p "$nb/student"
printf 'int main(void) { return 0 }\n' >"$nb/student/ex01.c"
"$GRADER" run --only ex01 "$nb/student" --format prairielearn="$nb/plain.json" >/dev/null 2>&1
st=$?
check "prairielearn, build failure: exit 0 (got $st)" test "$st" -eq 0
jq_ok "prairielearn, build failure: gradable false, the compiler's error shown, no attempt lost" "$nb/plain.json" '
	.gradable == false and (.format_errors | length) == 1
	and (.format_errors[0] | test("^ex01 did not build"))
	and (.message | test("lose no attempt")) and (.output | test("error"))'
"$GRADER" run --only ex01 "$nb/student" --build-failure-gradable \
	--format prairielearn="$nb/graded.json" >/dev/null 2>&1
jq_ok "prairielearn, build failure, --build-failure-gradable: gradable, score 0" "$nb/graded.json" '
	.gradable == true and .score == 0 and (has("format_errors") | not)'
GRADE_ROOT=$nb GRADER_BIN=$GRADER sh tests/platform/prairielearn/grade.sh --only ex01 >/dev/null 2>&1
st=$?
check "grade.sh, build failure: exit 0 (got $st)" test "$st" -eq 0
jq_ok "grade.sh, build failure: gradable false with the build error" "$nb/results/results.json" '
	.gradable == false and (.format_errors[0] | test("ex01 did not build"))'

# Item 9: the exit status forgives failures only for prairielearn alone,
# or with --exit-zero.
"$GRADER" run --only "$only" "$tmp/ex" --format prairielearn="$tmp/x.pl.json" \
	--format junit="$tmp/x.xml" >/dev/null 2>&1
st=$?
check "prairielearn next to junit, failing run: exit 1 (got $st)" test "$st" -eq 1
"$GRADER" run --only "$only" "$tmp/ex" --format prairielearn="$tmp/x.pl.json" >/dev/null 2>&1
st=$?
check "prairielearn alone, failing run: exit 0 (got $st)" test "$st" -eq 0
"$GRADER" run --only "$only" "$tmp/ex" --exit-zero --format junit="$tmp/x.xml" \
	--format tap="$tmp/x.tap" >/dev/null 2>&1
st=$?
check "--exit-zero, failing run: exit 0 (got $st)" test "$st" -eq 0
"$GRADER" run tests/bad_specs/01-syntax.yaml "$tmp/ex" --exit-zero >/dev/null 2>&1
st=$?
check "--exit-zero does not hide a spec error: exit 2 (got $st)" test "$st" -eq 2
"$GRADER" run --only ex01 "$tmp/ex" --exit-zero --format json="$tmp/no-such-dir/r.json" >/dev/null 2>&1
st=$?
check "--exit-zero does not hide a report that cannot be written: exit 3 (got $st)" test "$st" -eq 3

# Item 5 for PrairieLearn: specs shipped with the course are locked by
# grade.sh before grading; the image's own by the Dockerfile.
pls=$tmp/pl-specs
mkdir -p "$pls/student" "$pls/serverFilesCourse/specs/data"
cp specs/ex02.yaml "$pls/serverFilesCourse/specs/"
cp tests/solutions/ex02.c "$pls/student/"
chmod -R a+rX "$pls"
GRADE_ROOT=$pls GRADER_BIN=$GRADER GRADER_SPECS=$pls/serverFilesCourse/specs \
	sh tests/platform/prairielearn/grade.sh --only ex02 >/dev/null 2>&1
bad=$(find "$pls/serverFilesCourse" \( -type d ! -perm 0700 \) -o \( -type f ! -perm 0600 \) | head -n 3)
check "grade.sh: the course's specs locked before grading, dirs 0700, files 0600 (${bad:-ok})" test -z "$bad"
check "grade.sh, the course's specs: graded all the same" \
	jqe '.gradable == true and .score == 1' "$pls/results/results.json"
check "Dockerfile: the image's specs are root's, dirs 0700, files 0600" \
	grep -q 'chmod -R u=rwX,go= /usr/local/share/grader/specs' tests/platform/prairielearn/Dockerfile

# Item 8: no workflow command from student output reaches the job log.
# runner_commands FILE: the commands GitHub's runner would act on, read as
# it reads them: lines split at \n and \r, "::" first after white space,
# "##[" anywhere, nothing while ::stop-commands:: is in force.
runner_commands() {
	awk 'BEGIN { RS = "[\r\n]" }
	{ line = $0; sub(/^[ \t\v\f]+/, "", line) }
	stopped { if (line == "::" tok "::") stopped = 0; next }
	line ~ /^::stop-commands::/ { tok = substr(line, 18); stopped = 1; next }
	line ~ /^::[^:]*::/ || index($0, "##[") { print }' "$1"
}
# Past the due date, so that the after_due_date test's failure carries the
# program's output into the result.
clv=$tmp/cl-vis
mkdir -p "$clv"
: >"$clv/gh_output"
(cd "$vis/sub" && GITHUB_OUTPUT=$clv/gh_output GRADER_BIN=$GRADER RESULTS=$clv/results.json \
	sh "$repo/tests/platform/classroom/grade.sh" . "$vis/specs" --due 2000-01-01T00:00:00Z) >"$clv/log" 2>&1
check "classroom grade.sh, program printing workflow commands: in the log as text" \
	grep -q 'Autograding complete' "$clv/log"
cmds=$(runner_commands "$clv/log")
check "classroom grade.sh: the runner acts on no command in its log (${cmds:-none})" test -z "$cmds"
check "classroom grade.sh: commands stopped with a 128-bit token" \
	grep -Eq '^::stop-commands::[0-9a-f]{32}$' "$clv/log"
tok1=$(sed -n 's/^::stop-commands:://p' "$clv/log")
(cd "$vis/sub" && GITHUB_OUTPUT=$clv/gh_output GRADER_BIN=$GRADER RESULTS=$clv/results.json \
	sh "$repo/tests/platform/classroom/grade.sh" . "$vis/specs" --due 2000-01-01T00:00:00Z) >"$clv/log2" 2>&1
tok2=$(sed -n 's/^::stop-commands:://p' "$clv/log2")
check "classroom grade.sh: a new token every run" test -n "$tok1" -a "$tok1" != "$tok2"
# What the reporter prints in its own step, where nothing stops commands:
# "❌ NAME" and "Error: MESSAGE" for each entry.
jq -r '.tests[] | "X \(.name)", "Error: \(.message)"' "$clv/results.json" >"$clv/reporter.log"
check "classroom result: the reporter prints the program's output" \
	grep -q 'Autograding complete' "$clv/reporter.log"
cmds=$(runner_commands "$clv/reporter.log")
check "classroom result: no workflow command in what the reporter prints (${cmds:-none})" test -z "$cmds"

# Item 8: the reporter's table ((passed entries / entries) * max_score)
# and the score it sends (the sum of the entries' scores) agree, and are
# the grader's points.
"$GRADER" run "$tmp/ex" --format classroom="$tmp/agree.json" \
	--format json="$tmp/agree.full.json" >/dev/null 2>&1
for f in "$tmp/agree.json" "$clv/results.json" "$cl/results.json"; do
	check "classroom ${f#"$tmp"/}: the table (passed/entries*max) is the score sent" jqe '
		([.tests[] | select(.status == "pass")] | length) as $p | (.tests | length) as $n
		| ([.tests[].score] | add) as $s
		| $n > 0 and ($p / $n * .max_score - $s | fabs) < 1e-9' "$f"
done
pts=$(jq '.points' "$tmp/agree.full.json")
max=$(jq '.max_points' "$tmp/agree.full.json")
check "classroom, example submission: the score sent is the grader's $pts of $max" \
	jqe --argjson p "$pts" --argjson m "$max" '([.tests[].score] | add) == $p and .max_score == $m' "$tmp/agree.json"

# ---- nothing left behind ------------------------------------------------------

left=$(ls -A "$TMPDIR")
check "no temporary files left behind (${left:-none})" test -z "$left"
done_testing
