#!/bin/sh
# grade.sh - entrypoint of a PrairieLearn external-grading image: grade the
# student's files and write results.json for PrairieLearn. When the grader
# itself fails, it writes "gradable": false with the reason instead, so the
# student loses no attempt and sees why; it exits 0 whenever results.json
# was written (PrairieLearn ignores the results of a failed entrypoint).
#
# PrairieLearn runs this as root inside the container. The grader notices
# and runs every student program (and the student's build) as uid 65534,
# inside namespaces when the container allows them.
#
# Environment (set through externalGradingOptions.environment):
#   GRADE_ROOT       /grade (student files in student/, results in results/)
#   GRADER_BIN       grader
#   GRADER_SPECS     where the specs are (default: those installed with the
#                    grader), e.g. /grade/serverFilesCourse/specs
#   GRADER_TIMEOUT   seconds before grading is stopped (default: no limit);
#                    keep it a few seconds below externalGradingOptions.timeout
# Arguments are passed on to `grader run`: `grade.sh --only ex05`.
set -u
root=${GRADE_ROOT:-/grade}
grader=${GRADER_BIN:-grader}
limit=${GRADER_TIMEOUT:-0}
results=$root/results/results.json

# stdin as a JSON string: valid UTF-8, no control characters but \t and
# \n, at most 60000 bytes. (Same function in gradescope/run_autograder and
# classroom/grade.sh: each script has to work on its own.)
json_str() {
	head -c 60000 |
	if command -v iconv >/dev/null 2>&1; then iconv -c -f UTF-8 -t UTF-8 2>/dev/null; else cat; fi |
	LC_ALL=C tr -d '\000-\010\013-\037\177' |
	LC_ALL=C sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g' |
	LC_ALL=C awk 'BEGIN { printf "\"" } { printf "%s%s", (NR > 1 ? "\\n" : ""), $0 } END { printf "\"" }'
}

# PrairieLearn does not create the results directory.
mkdir -p "$root/results" || exit 1

# Student code may run as uid 65534 on this file system (L3: Docker's
# default profile refuses namespaces): the specs and the course's server
# files must be root's alone. The image installs its specs so; specs
# shipped with the course (GRADER_SPECS) are locked here.
for d in ${GRADER_SPECS:+"$GRADER_SPECS/"} "$root/serverFilesCourse/" "$root/data/"; do
	[ -d "$d" ] || continue
	if [ "$(id -u)" -eq 0 ]; then
		chown -R 0:0 "$d" 2>/dev/null
	fi
	chmod -R u=rwX,go= "$d" 2>/dev/null
done
rm -f "$results"
errlog=$(mktemp) || exit 1
trap 'rm -f "$errlog"' EXIT

# The text report goes to stdout, which PrairieLearn keeps with the job.
# With a second format the grader exits 1 when checks failed: that is a
# result like 0.
if [ "$limit" -gt 0 ] 2>/dev/null && command -v timeout >/dev/null 2>&1; then
	timeout -k 5 "$limit" "$grader" run "$@" "$root/student" \
		--format prairielearn="$results" --format text 2>"$errlog"
else
	"$grader" run "$@" "$root/student" \
		--format prairielearn="$results" --format text 2>"$errlog"
fi
st=$?
cat "$errlog" >&2

case $st in
0|1) [ -s "$results" ] && exit 0
     why="the grader finished (exit status $st) but wrote no results" ;;
2)   why="the question is misconfigured (exit status 2: a spec or option error)" ;;
3)   why="the grader hit an internal error (exit status 3)" ;;
124) why="grading took longer than $limit s and was stopped" ;;
126|127) why="the grader could not be run ('$grader', exit status $st)" ;;
*)   if [ "$st" -gt 128 ]; then
	     why="the grader was killed by signal $((st - 128))"
     else
	     why="the grader failed with exit status $st"
     fi ;;
esac
msg="Your submission could not be graded: $why. You lose no attempt; please tell the course staff."
{
	printf '{\n  "gradable": false,\n  "score": 0,\n  "message": '
	printf '%s\n' "$msg" | json_str
	printf ',\n  "format_errors": ['
	printf '%s\n' "$msg" | json_str
	printf '],\n  "output": '
	tail -n 40 "$errlog" | json_str
	printf ',\n  "tests": []\n}\n'
} >"$results" || exit 1
echo "grade.sh: $why; wrote gradable: false to $results" >&2
exit 0
