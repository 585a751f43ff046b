#!/bin/sh
# cli.sh - the command line itself: help, version, list, show, lint, and
# the colour rules (colours on a terminal only, never with NO_COLOR or
# --no-color, always with --color).
. tests/e2e/lib.sh
set -u
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT
esc=$(printf '\033')

"$GRADER" --help >"$tmp/out" 2>&1
check "--help exits 0" test $? -eq 0
check "--help shows the commands" grep -q '^usage: grader run' "$tmp/out"
"$GRADER" --version >"$tmp/out" 2>&1
check "--version exits 0" test $? -eq 0
check "--version names the grader" grep -Eq '^grader [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out"
"$GRADER" >"$tmp/out" 2>&1
check "no command: exit 2" test $? -eq 2
"$GRADER" frobnicate >"$tmp/out" 2>&1
check "unknown command: exit 2" test $? -eq 2
check "unknown command: named" grep -q "unknown command 'frobnicate'" "$tmp/out"

"$GRADER" list >"$tmp/out" 2>&1
check "list exits 0" test $? -eq 0
cnt=$(grep -c '^ex[0-9][0-9] ' "$tmp/out")
check "list shows the 18 bundled exercises (got $cnt)" test "$cnt" -eq 18
check "list adds up to 10 points each" sh -c '! grep "^ex" "$1" | grep -vq " 10 points,"' _ "$tmp/out"
"$GRADER" show ex05 >"$tmp/out" 2>&1
check "show exits 0" test $? -eq 0
check "show prints the task" grep -q 'launch_child' "$tmp/out"
check "show lists the tests" grep -q '^  - run a function in a child (10)' "$tmp/out"
"$GRADER" show ex99 >"$tmp/out" 2>&1
check "show of an unknown exercise: exit 2" test $? -eq 2
"$GRADER" lint specs >"$tmp/out" 2>&1
check "lint of the bundled specs exits 0" test $? -eq 0
check "lint says how many" grep -q '^18 specs ok$' "$tmp/out"
"$GRADER" lint tests/bad_specs/23-three-errors.yaml >"$tmp/out" 2>&1
check "lint of a broken spec: exit 2" test $? -eq 2
cnt=$(grep -c '^tests/bad_specs/23-three-errors.yaml:[0-9]*:[0-9]*: ' "$tmp/out")
check "lint reports all three errors, each located (got $cnt)" test "$cnt" -eq 3
cp -r tests/solutions "$tmp/sub"
"$GRADER" run --only ex99 "$tmp/sub" >"$tmp/out" 2>&1
check "--only with no such exercise: exit 2" test $? -eq 2

# Colours: a terminal (through script(1)) gets them unless NO_COLOR;
# a pipe never does unless --color.
if command -v script >/dev/null 2>&1; then
	script -qec "'$GRADER' run --only ex02 '$tmp/sub'" /dev/null >"$tmp/tty" 2>&1
	check "on a terminal: colours" grep -q "$esc\[" "$tmp/tty"
	NO_COLOR=1 script -qec "'$GRADER' run --only ex02 '$tmp/sub'" /dev/null >"$tmp/tty" 2>&1
	check "on a terminal with NO_COLOR: no colours" sh -c '! grep -q "$1\[" "$2"' _ "$esc" "$tmp/tty"
	script -qec "'$GRADER' run --no-color --only ex02 '$tmp/sub'" /dev/null >"$tmp/tty" 2>&1
	check "on a terminal with --no-color: no colours" sh -c '! grep -q "$1\[" "$2"' _ "$esc" "$tmp/tty"
else
	ok "colours on a terminal # SKIP script(1) is not installed"
fi
"$GRADER" run --only ex02 "$tmp/sub" >"$tmp/pipe" 2>&1
check "through a pipe: no colours" sh -c '! grep -q "$1\[" "$2"' _ "$esc" "$tmp/pipe"
"$GRADER" run --color --only ex02 "$tmp/sub" >"$tmp/pipe" 2>&1
check "through a pipe with --color: colours" grep -q "$esc\[" "$tmp/pipe"
done_testing
