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

# ---- nothing to find (issue 12, attack 4) ------------------------------------
# At L1 and L2 student code sees a constructed root (sandbox.h), not the
# host's tree: world-readable files planted in the checkout, in /srv and in
# a home directory, the reference solutions, the submission's own dir and
# /etc/shadow are not there to list or read, and /proc/1/cmdline (the
# sandbox helper, a fork of the grader) does not show the grader's
# arguments. L2 is tried by running the grader as uid 65534 when this
# suite runs as root (and as the user itself otherwise).
name=grader-e2e-plant-$$
checkout=$PWD
plant_c=$(mktemp "$checkout/.$name.XXXXXX") && echo secret >"$plant_c" && chmod 644 "$plant_c"
plants="$plant_c $checkout/tests/solutions/ex01.c $checkout/Makefile"
dirs="$checkout"
cleanup4() { rm -f "$plant_c"; rm -rf "/srv/$name" "/home/$name"; }
trap 'rm -rf "$tmp"; cleanup4' EXIT
if [ "$(id -u)" = 0 ]; then
	mkdir -p "/srv/$name" "/home/$name" &&
		echo secret >"/srv/$name/secret" && echo secret >"/home/$name/secret" &&
		chmod 755 "/srv/$name" "/home/$name" &&
		chmod 644 "/srv/$name/secret" "/home/$name/secret"
	plants="$plants /srv/$name/secret /home/$name/secret"
	dirs="$dirs /srv /home"
else
	n=$((n + 1))
	echo "ok $n - plants in /srv and /home # SKIP not root: cannot plant there"
fi
mkdir "$tmp/sub4"
echo secret >"$tmp/sub4/notes.txt"
chmod 755 "$tmp" "$tmp/sub4"
chmod 644 "$tmp/sub4/notes.txt"
plants="$plants $tmp/sub4/notes.txt /etc/shadow /etc/gshadow /etc/sudoers /root /var/log"
cat >"$tmp/find.yaml" <<SPEC
id: find
title: nothing to find
build: false
tests:
  - name: look
    shell: >-
      f=0;
      for p in $plants; do
      if test -e "\$p" || cat "\$p" >/dev/null 2>&1; then echo "found \$p"; f=1; fi; done;
      for d in $dirs; do
      if ls -A "\$d" 2>/dev/null | grep -q "$name"; then echo "listed \$d"; f=1; fi; done;
      if tr '\\000' ' ' </proc/1/cmdline | grep -q 'find[.]yaml'; then
      echo "pid 1: \$(tr '\\000' ' ' </proc/1/cmdline)"; f=1; fi;
      test -e /usr/bin/cc && test -w /tmp && exit \$f
    exit: 0
SPEC
chmod 644 "$tmp/find.yaml"

# find_nothing LEVEL GRADER [RUN-AS...]: grade find.yaml at LEVEL.
find_nothing() {
	level=$1 grader=$2
	shift 2
	"$@" "$grader" run "$tmp/find.yaml" "$tmp/sub4" --containment "$level" --format json \
		>"$tmp/find.json" 2>"$tmp/find.err"
	st=$?
	got=$(jq -r '.containment' "$tmp/find.json" 2>/dev/null)
	case "$got" in
	"$level"*)
		check "$level: nothing planted is found, /proc/1 hides the grader's arguments (exit $st: $(jq -r '.exercises[0].tests[0] | "\(.status): \(.stdout.text // "")"' "$tmp/find.json" | tr '\n' ' '))" \
			test "$st" -eq 0
		check "$level: no message on stderr" test ! -s "$tmp/find.err"
		;;
	*)
		n=$((n + 1))
		echo "ok $n - $level: nothing planted is found # SKIP containment is '$got' here: $(head -n 1 "$tmp/find.err")"
		;;
	esac
}

if [ "$(id -u)" = 0 ]; then
	find_nothing L1 "$GRADER"
	if command -v setpriv >/dev/null 2>&1; then
		# Its own temp dir: /tmp need not be writable to all. And a copy
		# of the grader in $tmp (0755): uid 65534 may not be able to
		# reach the checkout (a clone in a 0700 dir, under /root).
		mkdir "$tmp/tmp65534" && chown 65534:65534 "$tmp/tmp65534"
		mkdir "$tmp/bin" && cp "$GRADER" "$tmp/bin/grader" &&
			chmod 0755 "$tmp/bin" "$tmp/bin/grader"
		find_nothing L2 "$tmp/bin/grader" \
			setpriv --reuid=65534 --regid=65534 --clear-groups \
			env TMPDIR="$tmp/tmp65534"
	else
		n=$((n + 1))
		echo "ok $n - L2: nothing planted is found # SKIP no setpriv to run the grader as uid 65534"
	fi
else
	find_nothing L2 "$GRADER"
fi

done_testing
