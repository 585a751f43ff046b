#!/bin/sh
# isolation.sh - what one test leaves behind cannot reach the next test of
# the same submission (at L1 and L2, where one sandbox helper serves all
# of a submission's runs, run.h): not through the exercise's built dir,
# the test's own work dir, /tmp, /dev/shm or a SysV shared memory segment.
# At L3 there is no file-system isolation to test: skipped, visibly.
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

done_testing
