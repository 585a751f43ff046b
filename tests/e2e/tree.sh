#!/bin/sh
# tree.sh - every kind of tree check, passing and failing, on the fixture
# program run by the real grader; at the default containment level, at the
# fallback (L3), and without tracing (where no tree check may pass).
. tests/e2e/lib.sh
set -u
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/sub"
cp "$FIXTURES/fixture" "$tmp/sub/fixture"
export TMPDIR="$tmp/tmp"
mkdir "$TMPDIR"

cat >"$tmp/tree.yaml" <<'SPEC'
id: tree
title: tree checks on the fixture
build: false
limits:
  wall: 5s
tests:
  - {name: forks pass, command: [./fixture, fork, "3"], tree: [{forks: 3}]}
  - {name: forks fail, command: [./fixture, fork, "3"], tree: [{forks: 2}]}
  - {name: forks range pass, command: [./fixture, fork, "3"], tree: [{forks: {min: 2, max: 4}}]}
  - {name: vfork is not a fork, command: [./fixture, vfork], tree: [{forks: 0}]}
  - {name: system is not a fork, command: [./fixture, system, "true"], tree: [{forks: 0}]}
  - {name: threads are not processes, command: [./fixture, threads, "8"], tree: [{forks: 0}, {max_alive: 0}]}
  - {name: clone3 is not a fork, command: [./fixture, clone3], tree: [{forks: 0}]}
  - {name: max_alive pass, command: [./fixture, fork-nowait, "3"], tree: [{max_alive: {min: 3}}]}
  - {name: max_alive fail, command: [./fixture, fork, "3"], tree: [{max_alive: {min: 2}}]}
  - {name: sequential pass, command: [./fixture, fork, "3"], tree: [{sequential: true}]}
  - {name: sequential fail, command: [./fixture, fork-nowait, "3"], tree: [{sequential: true}]}
  - {name: sequential without children fails, command: [./fixture, exit], tree: [{sequential: true}]}
  - {name: concurrent pass, command: [./fixture, fork-nowait, "3"], tree: [{concurrent: true}]}
  - {name: concurrent fail, command: [./fixture, fork, "3"], tree: [{concurrent: true}]}
  - {name: exec pass, command: [./fixture, sh-exec, "true"], tree: [{exec: /bin/sh, role: root.1}]}
  - {name: exec same file other spelling, command: [./fixture, sh-exec, "true"], tree: [{exec: /usr/bin/sh, role: root.1}]}
  - {name: exec by basename and argv, command: [./fixture, sh-exec, "true"], tree: [{exec: {basename: dash, argv: [sh, "-c", "true"]}, role: root.1}]}
  - {name: exec fail, command: [./fixture, sh-exec, "true"], tree: [{exec: /bin/true, role: root.1}]}
  - {name: no_exec pass, command: [./fixture, fork, "1"], tree: [{no_exec: true, role: root.1}]}
  - {name: no_exec fail, command: [./fixture, sh-exec, "true"], tree: [{no_exec: true, role: root.1}]}
  - {name: no_shell pass, command: [./fixture, spawn, /bin/true], tree: [{no_shell: true, role: root.1}]}
  - {name: no_shell fail, command: [./fixture, system, "true"], tree: [{no_shell: true, role: root.1}]}
  - {name: exit of a child pass, command: [./fixture, fork, "3"], tree: [{exit: 2, role: root.2}]}
  - {name: exit of a child fail, command: [./fixture, fork, "3"], tree: [{exit: 3, role: root.2}]}
  - {name: signal pass, command: [./fixture, raise, "15"], signal: SIGTERM, tree: [{signal: SIGTERM}]}
  - {name: signal fail, command: [./fixture, raise, "15"], signal: SIGTERM, tree: [{signal: SIGKILL}]}
  - {name: reaped pass, command: [./fixture, fork, "3"], tree: [{reaped: true}]}
  - {name: reaped fail zombie, command: [./fixture, zombie], tree: [{reaped: true}]}
  - {name: reaped fail orphans, command: [./fixture, fork-nowait, "2"], tree: [{reaped: true}]}
  - {name: no_zombies pass, command: [./fixture, fork-nowait, "2"], tree: [{no_zombies: true}]}
  - {name: no_zombies fail, command: [./fixture, zombie], tree: [{no_zombies: true}]}
  - {name: orphaned pass, command: [./fixture, orphan, "20"], tree: [{orphaned: true, role: root.1}]}
  - {name: orphaned fail, command: [./fixture, fork, "1"], tree: [{orphaned: true, role: root.1}]}
  - {name: fds at exec pass, command: [./fixture, exec, /bin/true], tree: [{fds: {at: exec, only: [0, 1, 2]}}]}
  - {name: fds at exec fail, command: [./fixture, leak-fd, /bin/true], tree: [{fds: {at: exec, only: [0, 1, 2]}}]}
  - {name: fds leaked pipe end fail, command: [./fixture, pipe-leak], tree: [{fds: {at: exec, only: [0, 1, 2]}, role: root.*}]}
  - {name: fds max_pipes at exit pass, command: [./fixture, pipe-leak], tree: [{fds: {at: exit, max_pipes: 0}, role: root.2}]}
  - {name: pipeline pass, command: [./fixture, pipe-leak], tree: [{pipeline: true}]}
  - {name: pipeline fail, command: [./fixture, fork, "2"], tree: [{pipeline: true}]}
  - {name: wall_under pass, command: [./fixture, sleep, "10"], tree: [{wall_under: 3s}]}
  - {name: wall_under fail, command: [./fixture, sleep, "300"], tree: [{wall_under: 100ms}]}
  - {name: pids are real, command: [./fixture, pids], stdout: "{pid:root} {pid:reaper}\n"}
  - {name: orphan pid and reaper, command: [./fixture, orphan, "20"], stdout: "{pid:root.1} orphan {pid:reaper}\n"}
  - {name: a fork bomb is stopped by the budget, command: [./fixture, forkbomb], limits: {processes: 20}, exit: 0}
  - {name: a setsid daemon is killed at the limit, command: [./fixture, daemon], timeout: 1s, exit: 0}
SPEC

# name -> expected status at a traced level
expect() {
	case "$1" in
	*" pass"|"vfork is not a fork"|"system is not a fork"|"threads are not processes"|"clone3 is not a fork"|"exec same file other spelling"|"exec by basename and argv"|"pids are real"|"orphan pid and reaper") echo pass ;;
	*) echo fail ;;
	esac
}

for level in auto L3; do
	"$GRADER" run --containment "$level" --format json "$tmp/tree.yaml" "$tmp/sub" >"$tmp/out.json" 2>"$tmp/err"
	st=$?
	check "$level: grader exit status 1 (got $st)" test "$st" -eq 1
	jq -r '.exercises[0].tests[] | "\(.status)\t\(.name)"' "$tmp/out.json" >"$tmp/status"
	n_tests=$(wc -l <"$tmp/status")
	check "$level: all 45 tests reported (got $n_tests)" test "$n_tests" -eq 45
	while IFS="$(printf '\t')" read -r status name; do
		want=$(expect "$name")
		if [ "$status" = "$want" ]; then
			ok "$level: $name: $status"
		else
			not_ok "$level: $name: got $status, expected $want"
			jq -r --arg n "$name" '.exercises[0].tests[] | select(.name == $n) | .checks[] | "#   \(.status) \(.name): \(.message)"' "$tmp/out.json"
		fi
	done <"$tmp/status"
	v=$(jq -r '.exercises[0].tests[] | select(.name == "a fork bomb is stopped by the budget") | .verdict' "$tmp/out.json")
	check "$level: fork bomb verdict process_limit (got $v)" test "$v" = "process_limit"
	v=$(jq -r '.exercises[0].tests[] | select(.name == "a setsid daemon is killed at the limit") | .verdict' "$tmp/out.json")
	check "$level: daemon verdict timeout (got $v)" test "$v" = "timeout"
	t=$(jq -r '.exercises[0].tests[] | select(.name == "a setsid daemon is killed at the limit") | .verdict_text' "$tmp/out.json")
	case "$t" in *"still running: root.1.1"*) ok "$level: the timeout names the daemon still running" ;;
	*) not_ok "$level: the timeout names the daemon still running: $t" ;; esac
	left=$(pgrep -f "$tmp/sub/fixture" | wc -l)
	check "$level: no fixture process left (got $left)" test "$left" -eq 0
	check "$level: no temporary file left" test -z "$(ls -A "$TMPDIR")"
done

# Without tracing, a tree check is "not checked", never passed (wall_under
# needs no tree: the run's wall time is measured either way).
"$GRADER" run --no-trace --only tree --format json "$tmp/tree.yaml" "$tmp/sub" >"$tmp/out.json" 2>"$tmp/err"
passed=$(jq '[.exercises[0].tests[] | select(.status == "pass") | select(.name | test("pids|orphan pid|fork bomb|daemon|wall_under") | not)] | length' "$tmp/out.json")
check "untraced: no tree check passes (got $passed)" test "$passed" -eq 0
unchecked=$(jq '[.exercises[0].tests[].checks[] | select(.status == "unchecked")] | length' "$tmp/out.json")
check "untraced: tree checks are reported as not checked (got $unchecked)" test "$unchecked" -ge 40
w=$(jq -r '.warnings | join(" ")' "$tmp/out.json")
case "$w" in *"not checked"*) ok "untraced: the report warns once" ;; *) not_ok "untraced: the report warns: $w" ;; esac
# Who printed what: the unflushed-prompt mutants' text reports name the
# writer of each copy of the prompt (root, then root.1, or the other way
# round), and the JSON report carries the writer of every stdout line.
for m in ex01-prompt-not-flushed.c ex01-print-end-unflushed.py; do
	w=$(mktemp -d "$tmp/writers.XXXXXX")
	cp "tests/mutants/$m" "$w/ex01.${m##*.}"
	[ "${m##*.}" = c ] && cp tests/solutions/Makefile "$w/"
	chmod -R a+rwX "$w"
	"$GRADER" run specs/ex01.yaml "$w" --no-color --format text \
		--format "json=$w/out.json" >"$w/out.txt" 2>"$w/err"
	roots=$(grep -c '^ *root *| Ready to fork? [0-9]* I will print twice$' "$w/out.txt")
	childs=$(grep -c '^ *root\.1 *| Ready to fork? [0-9]* I will print twice$' "$w/out.txt")
	check "$m: the text report names root and root.1 as writers of the two prompts (got $roots, $childs)" \
		test "$roots" -ge 1 -a "$childs" -ge 1
	lines=$(jq -r '.exercises[0].tests[0].stdout | [.writers[] | map(.role) | join("+")] | join(",")' "$w/out.json")
	check "$m: the JSON report has a writer for each stdout line (got $lines)" \
		sh -c "echo '$lines' | grep -qx '\(root\|root\.1\)\(,\(root\|root\.1\)\)\{3\}'"
done
done_testing
