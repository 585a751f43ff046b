#!/bin/sh
# setup.sh - Gradescope runs this once, as root, when it builds the
# autograder image: install the build dependencies, build the grader from
# the sources in this zip, install it. Nothing else is needed at run time.
#
# Tested locally by tests/e2e/formats.sh with SKIP_APT=1 and a temporary
# PREFIX; on Gradescope both keep their defaults.
set -eu
cd "$(dirname "$0")"
PREFIX=${PREFIX:-/usr/local}

if [ "${SKIP_APT:-0}" != 1 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# gcc and make also build the students' code at grading time, and
	# python3 runs the exercises handed in as Python.
	apt-get install -y -qq --no-install-recommends \
		build-essential pkg-config libyaml-dev libjson-c-dev libseccomp-dev python3
fi

# -Werror is for the grader's own development: another compiler version
# may warn about something new, and that must not break a course's
# autograder. The target is named directly, without `make all`, which
# would run the dependency check from tests/ (not shipped in the zip).
make BUILD=build WARN='-Wall -Wextra' PREFIX="$PREFIX" build/grader

install -d "$PREFIX/bin" "$PREFIX/share/grader"
install -m 755 build/grader "$PREFIX/bin/grader"
rm -rf "$PREFIX/share/grader/specs" "$PREFIX/share/grader/student_template"
cp -R specs "$PREFIX/share/grader/specs"
cp -R student_template "$PREFIX/share/grader/student_template"

# The specs hold the hidden tests' expected output. Gradescope's container
# refuses namespaces, so the grader runs student code at L3: as uid 65534
# on this very file system, where nothing but modes keeps it from reading
# /autograder/source/specs. Both copies become root's alone: directories
# 0700, files 0600.
lock_down() {
	if [ "$(id -u)" -eq 0 ]; then
		chown -R 0:0 "$1"
	fi
	chmod -R u=rwX,go= "$1"
}
lock_down specs
lock_down "$PREFIX/share/grader/specs"

# Broken specs fail here, when the autograder is uploaded, rather than on
# every student's submission.
"$PREFIX/bin/grader" lint specs
"$PREFIX/bin/grader" --version
