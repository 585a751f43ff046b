#!/bin/sh
# grade.sh [SUBMISSION_DIR [GRADER_RUN_OPTIONS...]] - the grading step of
# student_template/.github/workflows/classroom.yml: grade the student's
# repository, print the text report into the job log, and hand GitHub
# Classroom's reporter (classroom-resources/autograding-grading-reporter)
# its input: the step output `result`, the base64 of the runner result
# object {version, status, max_score, tests[]} that `--format classroom`
# writes. Exits 0 whenever it set that output; the reporter fails the job
# when the status is "fail" or "error".
#
# The job log is parsed by the Actions runner: a line of student output
# such as "::notice title=Autograding complete::..." or "::add-mask::..."
# would be a workflow command. Everything the grader prints goes out
# between "::stop-commands::TOKEN" and "::TOKEN::", TOKEN being 128 random
# bits that no student program sees (it is in no environment or command
# line, and printed before the grader starts). The result the reporter
# prints in its own step is defused by the grader itself.
#
# Environment:
#   GRADER_BIN       grader
#   GRADER_SPECS     where the specs are (read by the grader itself)
#   RESULTS          where results.json goes (default: results.json)
#   GITHUB_OUTPUT    set by GitHub Actions; without it the output line is
#                    printed on stdout
#   RESULT_MAX       largest base64 output in bytes (default 100000, under
#                    the 128 KiB Linux allows for one environment variable,
#                    which is how the reporter receives it)
set -u
sub=${1:-.}
[ $# -gt 0 ] && shift
grader=${GRADER_BIN:-grader}
results=${RESULTS:-results.json}
max=${RESULT_MAX:-100000}

# stdin as a JSON string: valid UTF-8, no control characters but \t and
# \n, at most 60000 bytes. (Same function in gradescope/run_autograder and
# prairielearn/grade.sh: each script has to work on its own.)
json_str() {
	head -c 60000 |
	if command -v iconv >/dev/null 2>&1; then iconv -c -f UTF-8 -t UTF-8 2>/dev/null; else cat; fi |
	LC_ALL=C tr -d '\000-\010\013-\037\177' |
	LC_ALL=C sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g' |
	LC_ALL=C awk 'BEGIN { printf "\"" } { printf "%s%s", (NR > 1 ? "\\n" : ""), $0 } END { printf "\"" }'
}

# Lines the Actions runner would take for workflow commands, made plain
# text (as the grader does for --format classroom): "::" first on a line
# after spaces, "##[" anywhere.
defuse() {
	LC_ALL=C sed -e 's/^\([[:space:]]*\)::/\1: :/' -e 's/##\[/## [/g'
}

# A result the reporter reads when the grader could not grade: status
# "error" fails the job, max_score 0 records no points in Classroom.
error_result() {
	{
		printf '{"version": 1, "status": "error", "max_score": 0, "tests": [{"name": "grader", "status": "error", "score": 0, "max_score": 0, "message": '
		{ printf 'The submission could not be graded: %s.\n' "$1"; tail -n 40 "$errlog"; } |
			defuse | json_str
		printf ', "test_code": "", "filename": "", "line_no": 0, "execution_time": "0.00s"}]}\n'
	} >"$results"
}

errlog=$(mktemp) || exit 1
b64=$(mktemp) || exit 1
trap 'rm -f "$errlog" "$b64" "$b64.json"' EXIT
rm -f "$results"
token=$(od -An -N16 -tx1 /dev/urandom 2>/dev/null | tr -d ' \n')
if [ "${#token}" -eq 32 ]; then
	echo "::stop-commands::$token"
	"$grader" run "$@" "$sub" --format text --format classroom="$results" 2>"$errlog"
	st=$?
	# stdout, not stderr: the runner reads the two separately, and the
	# grader's messages must come before the line that resumes commands.
	cat "$errlog"
	echo "::$token::"
else
	echo "grade.sh: no random token for ::stop-commands::; the report is not printed here" >&2
	"$grader" run "$@" "$sub" --format classroom="$results" 2>"$errlog"
	st=$?
fi
case $st in
0|1) [ -s "$results" ] || error_result "the grader wrote no results" ;;
2)   error_result "a spec or option error (exit status 2)" ;;
3)   error_result "an internal error of the grader (exit status 3)" ;;
*)   error_result "the grader failed with exit status $st" ;;
esac

# Long diffs and outputs can make the result too big for the reporter:
# cut each test's message and code shorter until it fits. The full report
# is in the log above.
base64 -w 0 <"$results" >"$b64"
# Last, each entry keeps only what the reporter reads (there is one entry
# per point: see grader/report/report_classroom.c).
for cut in 4000 1000 200 0 bare; do
	[ "$(wc -c <"$b64")" -le "$max" ] && break
	if ! command -v jq >/dev/null 2>&1; then
		error_result "the result is too big to report and jq is missing to shorten it"
		base64 -w 0 <"$results" >"$b64"
		break
	fi
	if [ "$cut" = bare ]; then
		jq -c '.tests |= map({name, status, score, max_score, message: "", execution_time})' "$results"
	else
		jq -c --argjson n "$cut" '
			def cut: if length > $n
				then .[:$n] + (if $n > 0 then "\n(cut; the whole report is in the job log)" else "" end)
				else . end;
			.tests |= map(.message |= cut | .test_code |= cut)' "$results"
	fi >"$b64.json" && mv "$b64.json" "$results"
	base64 -w 0 <"$results" >"$b64"
done

if [ -n "${GITHUB_OUTPUT:-}" ]; then
	{ printf 'result='; cat "$b64"; echo; } >>"$GITHUB_OUTPUT" || exit 1
else
	printf 'result='; cat "$b64"; echo
fi
exit 0
