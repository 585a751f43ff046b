#!/bin/sh
# html.sh - `grader run --format html=FILE`, opened in a real browser:
# headless Chromium renders the example submission's page with no console
# message at all (the page has no script), its DOM holds a timeline per
# traced test, and ex06's shows three children created in order and ending
# in the reverse order; a student program printing markup and script in
# its output injects nothing into the page Chromium builds.
. "$(dirname "$0")/lib.sh"
set -u
repo=$PWD
tmp=$(tmpdir)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
export TMPDIR="$tmp/tmp"
mkdir "$TMPDIR"
unset GRADER_SPECS NO_COLOR
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3

browser=
for b in chromium chromium-browser; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$b
		break
	fi
done
check "chromium installed (make deps-test)" test -n "$browser"
check "xmllint installed (make deps-test)" command -v xmllint

# browse LOG ARGS...: headless Chromium, nothing fetched, its own log in
# LOG (console messages of the page included).
browse() {
	_log=$1
	shift
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" \
		--enable-logging=stderr --v=0 "$@" 2>"$_log"
}

# console_clean LOG: no console message came from the page. The page has
# no script, so any message at all (an error, an uncaught exception, a
# refused resource) is a fault.
console_clean() {
	if grep -E 'Uncaught|:CONSOLE|Refused to|net::ERR' "$1" >"$1.bad"; then
		sed 's/^/#   /' "$1.bad" | head -n 20
		return 1
	fi
}

# The detector itself: a page with a failing script must be caught.
printf '<!DOCTYPE html><title>t</title><script>no_such_function()</script>\n' \
	>"$tmp/canary.html"
browse "$tmp/canary.log" --dump-dom "file://$tmp/canary.html" >/dev/null
if grep -Eq 'Uncaught|:CONSOLE' "$tmp/canary.log"; then
	ok "canary: Chromium logs an uncaught error as the check expects"
else
	not_ok "canary: Chromium logs an uncaught error as the check expects"
	sed 's/^/#   /' "$tmp/canary.log" | head -n 20
fi

# ---- the example submission ---------------------------------------------------

"$GRADER" run --format html="$tmp/report.html" --format json="$tmp/report.json" \
	tests/example_submission >"$tmp/run.out" 2>"$tmp/run.err"
st=$?
check "grader run on the example submission exits 1 (some checks fail)" test "$st" -eq 1
check "the page is written" test -s "$tmp/report.html"
check "the page is well-formed XML as well as HTML (xmllint)" \
	xmllint --noout "$tmp/report.html"
check "the page is self-contained: no script, no link, no image, no URL out" \
	sh -c '! grep -Eiq "<script|<link|<img|<iframe|<object|@import|src=" "$0" &&
	       ! grep -Eo "https?://[^\" ]*" "$0" | grep -v "^http://www.w3.org/"' \
	"$tmp/report.html"

browse "$tmp/dom.log" --dump-dom "file://$tmp/report.html" >"$tmp/dom.html"
check "Chromium renders the page (its DOM is dumped)" grep -q 'class="tl"' "$tmp/dom.html"
check "no console message while Chromium renders it" console_clean "$tmp/dom.log"
browse "$tmp/shot.log" --window-size=1100,1600 --hide-scrollbars \
	--screenshot="$tmp/shot.png" "file://$tmp/report.html" >/dev/null
check "Chromium takes a screenshot of it" test -s "$tmp/shot.png"
check "no console message while Chromium paints it" console_clean "$tmp/shot.log"

# Read the DOM Chromium built, not the file the grader wrote.
"$py" - "$tmp/dom.html" "$tmp/report.json" >"$tmp/dom.check" 2>&1 <<'EOF'
import html.parser, json, sys

class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__()
        s.section = None
        s.svgs = {}        # exercise id -> list of timelines, each a list of rows
        s.scripts = 0
    def handle_starttag(s, tag, attrs):
        a = dict(attrs)
        if tag == 'script':
            s.scripts += 1
        if tag == 'section' and 'data-id' in a:
            s.section = a['data-id']
        if tag == 'svg' and a.get('class') == 'tl':
            s.svgs.setdefault(s.section, []).append([])
        if tag == 'g' and 'proc' in a.get('class', '').split():
            s.svgs[s.section][-1].append(a)

p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
report = json.load(open(sys.argv[2]))
fail = []
if p.scripts:
    fail.append('%d script elements' % p.scripts)
# A timeline for every visible test that was traced, none for the others.
for x in report['exercises']:
    want = sum(1 for t in x['tests'] if t.get('tree') and t.get('visibility', 'visible') != 'hidden')
    got = len(p.svgs.get(x['id'], []))
    if got != want:
        fail.append('%s: %d timelines, %d traced tests' % (x['id'], got, want))
ex06 = p.svgs.get('ex06')
if not ex06:
    fail.append('no timeline for ex06')
else:
    rows = {r['data-role']: r for r in ex06[0]}
    print('ex06 three children:', sorted((k, r.get('data-start-ms'), r.get('data-end-ms')) for k, r in rows.items()))
    kids = ['root.1', 'root.2', 'root.3']
    if sorted(rows) != ['root'] + kids:
        fail.append('ex06 rows: %s' % sorted(rows))
    else:
        start = [float(rows[k]['data-start-ms']) for k in kids]
        end = [float(rows[k]['data-end-ms']) for k in kids]
        if not start[0] < start[1] < start[2]:
            fail.append('ex06 children not created in order: %s' % start)
        if not end[0] > end[1] > end[2]:
            fail.append('ex06 children do not end in reverse order: %s' % end)
        if not all(rows[k]['data-reaped'] == 'parent' for k in kids):
            fail.append('ex06 children not all reaped by their parent')
        if float(rows['root']['data-end-ms']) < end[0]:
            fail.append('ex06 root ended before its first child')
for f in fail:
    print(f)
sys.exit(1 if fail else 0)
EOF
st=$?
if [ "$st" -eq 0 ]; then
	ok "the DOM has a timeline per traced test; ex06's children end in the reverse of their creation"
else
	not_ok "the DOM has a timeline per traced test; ex06's children end in the reverse of their creation"
fi
sed 's/^/#   /' "$tmp/dom.check"
check "the page says writers are inferred or shows traced writes" \
	grep -Eq 'writers inferred|data-writers="traced"' "$tmp/dom.html"

# ---- hostile output ---------------------------------------------------------

mkdir "$tmp/evil"
cp tests/example_submission/Makefile "$tmp/evil/"
cat >"$tmp/evil/ex01.c" <<'C'
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	printf("</pre></svg></title></style><script>document.title='PWNED'</script>"
	       "<img src=x onerror=\"document.title='PWNED'\">\n");
	fflush(stdout);
	if (fork() == 0) {
		printf("%d </tspan></text></g></svg><script>console.error('PWNED')</script>\n",
		       (int)getpid());
		fprintf(stderr, "<style>body{display:none}</style><b>PWNED</b>\n");
		return 0;
	}
	wait(NULL);
	return 3;
}
C
"$GRADER" run --only ex01 --format html="$tmp/evil.html" "$tmp/evil" \
	>/dev/null 2>"$tmp/evil.err"
st=$?
check "grader grades the hostile program (exit 1)" test "$st" -eq 1
check "its page is well-formed" xmllint --noout "$tmp/evil.html"
check "its page carries the hostile output escaped" \
	grep -q '&lt;/pre&gt;&lt;/svg&gt;&lt;/title&gt;&lt;/style&gt;&lt;script&gt;' "$tmp/evil.html"
browse "$tmp/evil.log" --dump-dom "file://$tmp/evil.html" >"$tmp/evil.dom"
check "Chromium builds no script, image or style from the output" \
	sh -c '! grep -Eiq "<script|<img|<b>PWNED|<style>body\{display:none" "$0"' \
	"$tmp/evil.dom"
check "the page keeps its own title" \
	grep -q '<title>Grader report: ' "$tmp/evil.dom"
check "no console message from the hostile page" console_clean "$tmp/evil.log"

done_testing
