#!/bin/sh
# isolation.sh - what one test leaves behind cannot reach the next test of
# the same submission (at L1 and L2, where one sandbox helper serves all
# of a submission's runs, run.h): not through the exercise's built dir,
# the test's own work dir, /tmp, /dev/shm or a SysV shared memory segment.
# Then the same in the container-like mode (the grader under
# tests/tools/nonamespace, a seccomp filter like Docker's default profile,
# where it picks L3 by itself): there Landlock keeps each run to its work
# dir and a private temp dir, /dev/shm is emptied of the student's files
# after each run, and SysV IPC, which no namespace ends, is refused.
. tests/e2e/lib.sh
set -u
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/sub"
echo hello >"$tmp/sub/data.txt"
cat >"$tmp/iso.yaml" <<'SPEC'
id: iso
title: isolation between tests
build: false
tests:
  - name: plant
    shell: >-
      for d in ../../iso ../iso /tmp /dev/shm .; do
      echo planted > $d/planted.txt 2>/dev/null; done;
      echo planted > data.txt; ipcmk -M 4096 > /dev/null; exit 0
    exit: 0
  - name: look
    shell: >-
      test ! -e ../../iso/planted.txt && test ! -e /tmp/planted.txt &&
      test ! -e /dev/shm/planted.txt && test ! -e planted.txt &&
      grep -qx hello data.txt && test $(wc -l < /proc/sysvipc/shm) -eq 1
    exit: 0
SPEC

if [ "$(id -u)" = 0 ]; then level=L1; else level=L2; fi
"$GRADER" run "$tmp/iso.yaml" "$tmp/sub" --containment "$level" --format json \
	>"$tmp/report.json" 2>"$tmp/err"
st=$?
got=$(jq -r '.containment' "$tmp/report.json" 2>/dev/null)
case "$got" in
L1* | L2*)
	check "the second test sees nothing of the first (exit $st: $(jq -r '[.exercises[].tests[] | "\(.name) \(.status)"] | join(", ")' "$tmp/report.json"))" \
		test "$st" -eq 0
	check "the first test did write (its exit status 0)" \
		test "$(jq -r '.exercises[0].tests[0].status' "$tmp/report.json")" = pass
	;;
*)
	n=$((n + 1))
	echo "ok $n - the second test sees nothing of the first # SKIP containment is '$got' here"
	;;
esac
check "no message on stderr" test ! -s "$tmp/err"

# ---- the container-like mode ------------------------------------------------
NONS=$PWD/${BUILD:-build}/tools/nonamespace
cat >"$tmp/iso3.yaml" <<'SPEC'
id: iso
title: isolation between tests at L3
build: false
tests:
  - name: plant
    shell: >-
      for d in ../../iso ../iso /tmp /var/tmp /dev/shm . "$TMPDIR"; do
      echo planted > $d/planted.txt 2>/dev/null; done;
      echo planted > data.txt; exit 0
    exit: 0
  - name: look
    shell: >-
      test ! -e ../../iso/planted.txt && test ! -e ../iso/planted.txt &&
      test ! -e /tmp/planted.txt && test ! -e /var/tmp/planted.txt &&
      test ! -e /dev/shm/planted.txt && test ! -e planted.txt &&
      test ! -e "$TMPDIR/planted.txt" && grep -qx hello data.txt
    exit: 0
  - name: sysv
    shell: ipcmk -M 4096
    exit: 0
SPEC
"$NONS" "$GRADER" run "$tmp/iso3.yaml" "$tmp/sub" --format json >"$tmp/report3.json" 2>"$tmp/err3"
st=$?
got=$(jq -r '.containment' "$tmp/report3.json" 2>/dev/null)
case "$got" in
L3*Landlock*)
	tests=$(jq -r '[.exercises[].tests[] | "\(.name) \(.status)"] | join(", ")' "$tmp/report3.json")
	check "container-like mode: the grader chose L3 with Landlock" true
	check "container-like mode: the second test sees nothing of the first ($tests)" \
		test "$(jq -r '.exercises[0].tests[1].status' "$tmp/report3.json")" = pass
	check "container-like mode: the first test did run (exit 0)" \
		test "$(jq -r '.exercises[0].tests[0].status' "$tmp/report3.json")" = pass
	vt=$(jq -r '.exercises[0].tests[2].verdict_text' "$tmp/report3.json")
	check "container-like mode: SysV shared memory refused, and said ($vt)" \
		sh -c "printf '%s' \"\$1\" | grep -q 'called shmget, which graded programs may not'" sh "$vt"
	check "container-like mode: exit 1 (the sysv test fails), got $st" test "$st" -eq 1
	check "container-like mode: nothing left in /tmp, /var/tmp, /dev/shm" \
		sh -c '! ls /tmp/planted.txt /var/tmp/planted.txt /dev/shm/planted.txt 2>/dev/null | grep -q .'
	;;
*)
	n=$((n + 1))
	echo "ok $n - container-like mode # SKIP containment is '$got' here (no Landlock?)"
	;;
esac
check "container-like mode: no message on stderr" test ! -s "$tmp/err3"

done_testing
