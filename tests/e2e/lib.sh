# lib.sh - helpers for end-to-end suites: TAP-ish "ok N - name" lines.
# Sourced by tests/e2e/*.sh; GRADER and FIXTURES come from run-tests.sh.
n=0 # the count of test points: suites must not use $n themselves
nfail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); nfail=$((nfail + 1)); echo "not ok $n - $1"; }
# check NAME CONDITION-COMMAND...: ok when the command succeeds.
check() {
	_check_name=$1; shift
	if "$@"; then ok "$_check_name"; else not_ok "$_check_name"; fi
}
tmpdir() { mktemp -d "${TMPDIR:-/tmp}/grader-e2e.XXXXXX"; }
done_testing() { echo "1..$n"; [ "$nfail" -eq 0 ]; }
