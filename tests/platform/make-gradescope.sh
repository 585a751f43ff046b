#!/bin/sh
# make-gradescope.sh BUILD [ZIP] - package the Gradescope autograder:
# setup.sh and run_autograder at the top (Gradescope's layout), and the
# sources setup.sh builds the grader from (Makefile, grader/, specs/).
# The zip goes to ZIP, by default BUILD/gradescope/autograder.zip. Run from
# the repository root (`make gradescope` does).
set -eu
build=${1:-build}
zip=${2:-$build/gradescope/autograder.zip}

command -v zip >/dev/null 2>&1 || {
	echo "make-gradescope: 'zip' is missing (apt-get install zip)" >&2; exit 1; }
# Refuse to ship specs that would fail on every submission.
if [ -x "$build/grader" ]; then
	"$build/grader" lint specs >/dev/null || {
		echo "make-gradescope: the specs do not lint; not packaging them" >&2; exit 1; }
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/gradescope.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp tests/platform/gradescope/setup.sh tests/platform/gradescope/run_autograder "$stage/"
chmod 755 "$stage/setup.sh" "$stage/run_autograder"
cp Makefile LICENSE "$stage/"
cp -R grader "$stage/grader"
cp -R specs "$stage/specs"
# The skeletons as handed out (languages.yaml: work not started).
mkdir -p "$stage/student_template/python"
cp student_template/Makefile student_template/ex[0-9][0-9].c "$stage/student_template/"
cp student_template/python/ex[0-9][0-9].py "$stage/student_template/python/"
# Hidden tests: the zip itself carries them as the owner's alone (0700
# dirs, 0600 files); setup.sh makes them root's.
chmod -R u=rwX,go= "$stage/specs"

mkdir -p "$(dirname "$zip")"
case $zip in /*) abs=$zip ;; *) abs=$PWD/$zip ;; esac
rm -f "$abs"
# -X: no extra attributes (uid/gid, times): the zip depends on the files only.
(cd "$stage" && zip -qrX "$abs" .)
echo "make-gradescope: wrote $zip ($(wc -c <"$abs") bytes); upload it as the autograder"
