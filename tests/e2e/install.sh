#!/bin/sh
# install.sh - the quick start leaves a working `grader` command: `make
# install` to a PREFIX puts the binary and the specs there, and from a
# copy of the student template, with only PREFIX/bin added to PATH,
# `grader show ex05`, `grader list` and `grader run --only ex05 .` work.
. tests/e2e/lib.sh
set -u
: "${GRADER:?run through tests/run-tests.sh}"
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT
BUILD=${BUILD:-build}

# The build is up to date (run-tests.sh runs after it): install only.
if make -s install BUILD="$BUILD" PREFIX="$tmp/prefix" >"$tmp/make.out" 2>&1; then
	ok "make install PREFIX=DIR"
else
	not_ok "make install PREFIX=DIR"
	sed 's/^/#   /' "$tmp/make.out"
fi
check "the binary in PREFIX/bin" test -x "$tmp/prefix/bin/grader"
check "the specs in PREFIX/share/grader/specs" test -f "$tmp/prefix/share/grader/specs/ex05.yaml"

cp -r student_template "$tmp/student"
# What a student's shell has: no GRADER_SPECS, the checkout out of sight.
unset GRADER_SPECS
P="$tmp/prefix/bin:/usr/bin:/bin"
jqe() { jq -e "$@" >/dev/null; }
(cd "$tmp/student" && env PATH="$P" grader show ex05) >"$tmp/show" 2>&1
st=$?
check "grader show ex05 from a copy of the template (exit $st)" test "$st" -eq 0
check "it shows the task" grep -q '^ex05: ' "$tmp/show"
cnt=$(cd "$tmp/student" && env PATH="$P" grader list 2>/dev/null | grep -c '^ex[0-9][0-9] ')
check "grader list finds the eighteen installed specs (got $cnt)" test "$cnt" -eq 18
(cd "$tmp/student" && env PATH="$P" grader run --only ex05 --format json=r.json . >/dev/null 2>&1)
st=$?
check "grader run --only ex05 . grades the untouched template: exit 1 (got $st)" test "$st" -eq 1
check "... and writes its report" jqe '.exercises[0].id == "ex05"' "$tmp/student/r.json"
check "... in which the installed grader knows ex05 is not started" \
	jqe '.exercises[0].not_started == true' "$tmp/student/r.json"
# A Python student, in a copy of the Python template.
cp -r student_template/python "$tmp/pystudent"
(cd "$tmp/pystudent" && env PATH="$P" grader show ex05) >"$tmp/pyshow" 2>&1
check "grader show ex05 in the Python template speaks Python" \
	grep -q '^ex05: .*(python)$' "$tmp/pyshow"
(cd "$tmp/pystudent" && env PATH="$P" grader run --only ex05 --format json=r.json . >/dev/null 2>&1)
check "grader run --only ex05 . in the Python template: python, not started" \
	jqe '.exercises[0].language == "python" and .exercises[0].not_started == true' \
	"$tmp/pystudent/r.json"
done_testing
