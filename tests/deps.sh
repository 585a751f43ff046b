#!/bin/sh
# deps.sh - make sure what the Debian packages named as arguments provide
# is there, and install the packages that are missing.
#
# Each package is first probed for what the build and the tests use of it
# (a pkg-config module, a command, a python module), so that a machine
# without dpkg (another distribution, a hand-built library) passes when
# the things themselves are installed. Only what a probe does not find is
# looked up with dpkg-query, then installed: as root with apt-get update
# and apt-get install; otherwise the exact command is printed and the
# script fails, so nothing half-builds.

# probe PACKAGE: 0 when what the package provides is usable here, 1 when
# it is not, 2 when there is no probe for it (then dpkg decides).
probe() {
	case "$1" in
	gcc) command -v gcc >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 ;;
	pkg-config) command -v pkg-config >/dev/null 2>&1 ;;
	libyaml-dev) pkg-config --exists yaml-0.1 2>/dev/null ;;
	libjson-c-dev) pkg-config --exists json-c 2>/dev/null ;;
	libseccomp-dev) pkg-config --exists libseccomp 2>/dev/null ;;
	check) pkg-config --exists check 2>/dev/null ;;
	libsubunit-dev) pkg-config --exists libsubunit 2>/dev/null ;;
	libxml2-utils) command -v xmllint >/dev/null 2>&1 ;;
	python3-jsonschema) python_has jsonschema ;;
	python3-yaml) python_has yaml ;;
	# moreutils has a parallel of its own that takes other arguments.
	parallel) parallel --version 2>/dev/null | grep -q 'GNU parallel' ;;
	make | perl | zip | unzip | clang | jq | bc)
		command -v "$1" >/dev/null 2>&1 ;;
	*) return 2 ;;
	esac
}

# The tests run Debian's python3 when there is one (formats.sh).
python_has() {
	py=python3
	[ -x /usr/bin/python3 ] && py=/usr/bin/python3
	"$py" -c "import $1" >/dev/null 2>&1
}

installed_deb() {
	command -v dpkg-query >/dev/null 2>&1 || return 1
	case "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" in
	*" installed") return 0 ;;
	esac
	return 1
}

missing=
for p in "$@"; do
	probe "$p"
	st=$?
	[ "$st" = 0 ] && continue
	# A failed probe is trusted over dpkg: the package may be installed
	# while the thing the build needs is not found (another python3).
	[ "$st" = 2 ] && installed_deb "$p" && continue
	missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing:$missing (Debian package names; install their equivalents)" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
		echo "deps: apt-get install$missing failed" >&2; exit 1; }
else
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
