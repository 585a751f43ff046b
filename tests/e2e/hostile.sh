#!/bin/sh
# hostile.sh - grade every attack in tests/hostile/ with the real grader at
# the default containment level, the process-tree ones again at L3 and in
# the container-like mode (the grader under tests/tools/nonamespace, a
# seccomp filter like Docker's default profile, where it picks L3 by
# itself), a few again at L2 (the grader run as an ordinary user), and a
# batch mixing hostile and correct submissions. Issue 12's five attacks
# (untraced clone children, a keyring channel, memfd and /dev/shm memory,
# looking around the file system, reading a spec) run at every level.
#
# For every run it asserts, besides the verdict and its text: the grader
# exited normally with the expected status (never 2, 3 or a signal) within
# a few seconds of the limit (and of the time the verdict says a busy
# machine added to it); no process of the run is alive afterwards
# (each run is marked with HOSTILE_MARK through the spec's env:, and its
# programs live under the suite's work dir); the grader's TMPDIR is empty
# again; and the grader's own peak memory (VmHWM, sampled by
# tests/hostile/tools/peakrss.c) stayed within MEM_SLACK_KIB of a trivial
# run's, whatever the program printed.
#
# Attacks that would reach outside the tree if containment failed
# (kill(-1, SIGKILL), stopping every ancestor, writing into world-writable
# dirs) run only at a level that contains them and are skipped visibly
# elsewhere.
#
# HOSTILE_KEEP=1 keeps the suite's work dir (its path is in the first
# lines of output: grader-hostile.*); MEM_SLACK_KIB (default 24 MiB) and
# HOSTILE_SLACK (seconds past a limit, default 5) set the bounds.
. tests/e2e/lib.sh
: "${GRADER:?run through tests/run-tests.sh}"
BUILD=${BUILD:-build}
B=$PWD/$BUILD/hostile
CC=${HOSTILE_CC:-cc}
MEM_SLACK_KIB=${MEM_SLACK_KIB:-24576}
SLACK=${HOSTILE_SLACK:-5}
SECRET_CANARY="hostile canary: must stay as it is"
NONS=$PWD/$BUILD/tools/nonamespace
[ -x "$NONS" ] || { echo "no $NONS: build it with make"; exit 1; }

mkdir -p "$B"
for src in tests/hostile/*.c tests/hostile/tools/*.c; do
	bin=$B/$(basename "$src" .c)
	if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
		$CC -std=c11 -D_GNU_SOURCE -O1 -g -pthread -o "$bin" "$src" ||
			{ echo "cannot build $src"; exit 1; }
	fi
done

# The suite's work dir: under /tmp, traversable (not listable) by the
# student uid at L3, which has no private view of /tmp.
W=$(mktemp -d "${TMPDIR:-/tmp}/grader-hostile.XXXXXX")
chmod 0711 "$W"
echo "# work dir: $W"
# At L2 the grader itself runs as uid 65534, which may not be able to
# reach the checkout (a clone in a 0700 dir, under /root): it runs copies
# of the grader and of peakrss from here, root's and 0755.
PUB=$W/bin
mkdir "$PUB" && chmod 0755 "$PUB" &&
	cp "$GRADER" "$PUB/grader" && cp "$B/peakrss" "$PUB/peakrss" &&
	chmod 0755 "$PUB/grader" "$PUB/peakrss" ||
	{ echo "cannot copy the grader to $PUB"; exit 1; }
# Spec files that must stay out of reach live outside every temp dir, so
# that only the grader's own hiding can hide them.
SPECS_OUT=$PWD/$BUILD/hostile-specs.$$
mkdir -p "$SPECS_OUT"
LISTENER_PID=
VICTIMS=
cleanup() {
	[ -n "$LISTENER_PID" ] && kill "$LISTENER_PID" 2>/dev/null
	for v in $VICTIMS; do kill "$v" 2>/dev/null; done
	rm -rf "$W" "$SPECS_OUT"
}
[ -n "$HOSTILE_KEEP" ] || trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ROOT=no
[ "$(id -u)" = 0 ] && ROOT=yes

# ---- helpers ---------------------------------------------------------------

# alive MARK: pids of processes marked MARK or running a program from $W.
alive() {
	perl -e '
		my ($mark, $dir) = @ARGV;
		for my $p (glob "/proc/[0-9]*") {
			my ($pid) = $p =~ m{(\d+)$};
			next if $pid == $$;
			my $exe = readlink("$p/exe") // "";
			my $env = "";
			if (open my $f, "<", "$p/environ") { local $/; $env = <$f> // ""; }
			print "$pid\n" if index($env, $mark) >= 0 || index($exe, "$dir/") == 0;
		}' "$1" "$W"
}

# field REPORT KEY: one fact of the first test of the first exercise
# (verdict, verdict_text, stdout, stdout_bytes, checks), of the exercise
# (built, build_message, build_output) or of the report (containment,
# warnings).
field() {
	perl -MJSON::PP -e '
		my ($file, $key) = @ARGV;
		open my $f, "<", $file or exit 1;
		local $/; my $r = decode_json(<$f>);
		my $x = $r->{exercises}[0];
		my $t = $x->{tests}[0];
		my %v = (
			verdict => $t->{verdict},
			verdict_text => $t->{verdict_text} // "",
			stdout => $t->{stdout}{text} // "",
			stdout_bytes => $t->{stdout}{bytes},
			checks => join("\n", map { "$_->{status} $_->{name}: " .
				($_->{message} // "") } @{$t->{checks}}),
			containment => $r->{containment} // "",
			warnings => join("\n", @{$r->{warnings} // []}),
			built => $x->{built} ? "yes" : "no",
			build_message => $x->{build_message} // "",
			build_output => $x->{build_output} // "",
		);
		print $v{$key} // "", "\n";' "$1" "$2"
}

# yaml_str TEXT: TEXT as a double-quoted YAML scalar.
yaml_str() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

# A trivial run first: its peak memory is the baseline every hostile run
# is held to.
BASE_KIB=

# grade NAME LEVEL PROG [ARG...]: grade one submission holding the program
# PROG (a binary of $B) with the spec test body in $TEST (YAML lines at
# test level, indented by 4) and limits in $LIMITS (a YAML flow mapping).
# Sets: D (the case dir), REPORT, GST (grader exit status), GWALL (ms),
# GPEAK (KiB), GSIG ("exit" or "signal"), LEFT (pids still alive),
# TMPLEFT (what stayed in TMPDIR), ERR (the grader's stderr).
# LEVEL: auto, L2 (the grader runs as uid 65534), L3, "container" (the
# grader under nonamespace), "notrace", or "nocgroup" (--no-cgroup).
grade() {
	name=$1 level=$2 prog=$3
	shift 3
	D=$W/$name-$level
	mkdir -p "$D/sub" "$D/tmp"
	chmod 0711 "$D" "$D/tmp"
	cp "$B/$prog" "$D/sub/prog"
	mark="HOSTILE_MARK_$$_${name}_$level"
	spec=${SPEC_PATH:-$D/spec.yaml}
	{
		echo "id: hostile"
		echo "title: hostile $name"
		echo "build: false"
		echo "limits: ${LIMITS:-{wall: 10s\}}"
		echo "tests:"
		echo "  - name: $name"
		printf '    command: [./prog'
		for a in "$@"; do printf ', %s' "$(yaml_str "$a")"; done
		echo "]"
		echo "    env: {HOSTILE_MARK: \"$mark\"}"
		printf '%s\n' "$TEST"
	} >"$spec"
	REPORT=$D/report.json
	opts=
	runas=
	grader=$GRADER peakrss=$B/peakrss
	case $level in
	L3) opts="--containment L3" ;;
	notrace) opts="--no-trace" ;;
	nocgroup) opts="--no-cgroup" ;;
	container) runas=$NONS ;;
	L2)
		chown -R 65534:65534 "$D"
		runas="setpriv --reuid=65534 --regid=65534 --clear-groups"
		grader=$PUB/grader peakrss=$PUB/peakrss
		;;
	esac
	if [ -n "$IN_TERMINAL" ]; then
		# Under a pty of its own, owned by the grader's uid: the terminal
		# a student program would like to write fake results to.
		TMPDIR=$D/tmp $runas script -qec "'$peakrss' '$D/peak' '$grader' run '$spec' \
			'$D/sub' $opts --format 'json=$REPORT' 2>'$D/err'" /dev/null >"$D/out"
	else
		TMPDIR=$D/tmp $runas "$peakrss" "$D/peak" "$grader" run "$spec" "$D/sub" \
			$opts --format "json=$REPORT" >"$D/out" 2>"$D/err"
	fi
	GST=$?
	set -- $(cat "$D/peak" 2>/dev/null)
	GPEAK=${1:-0} GWALL=${2:-0} GSIG=${3:-none}
	ERR=$(cat "$D/err")
	LEFT=$(alive "$mark")
	TMPLEFT=$(ls -A "$D/tmp" 2>/dev/null)
}

# expect NAME LEVEL EXIT VERDICT TEXT-REGEX MAX-SECONDS: the common
# assertions on the last grade(); one "ok" line, or "not ok" and why.
expect() {
	ename=$1 elevel=$2 eexit=$3 everdict=$4 etext=$5 emax=$6
	why=
	verdict=$(field "$REPORT" verdict 2>/dev/null)
	vtext=$(field "$REPORT" verdict_text 2>/dev/null)
	[ "$GSIG" = exit ] || why="$why; the grader ended by a signal ($GST)"
	[ "$GST" = "$eexit" ] || why="$why; grader exit $GST, expected $eexit"
	[ -z "$everdict" ] || [ "$verdict" = "$everdict" ] ||
		why="$why; verdict '$verdict', expected '$everdict'"
	[ -z "$etext" ] || printf '%s\n' "$vtext" | grep -Eq -- "$etext" ||
		why="$why; verdict text '$vtext' does not match /$etext/"
	# The time a busy machine added to the limit, when the verdict says
	# so (specs/FORMAT.md, "Timing"): up to three times the limit.
	given=$(printf '%s\n' "$vtext" |
		sed -n 's/.*; given \([0-9.]*\) \(m*s\) more, the time other work.*/\1 \2/p' |
		awk '{ printf "%d", $2 == "ms" ? $1 : $1 * 1000 }')
	[ "$GWALL" -le $(( (emax + SLACK) * 1000 + ${given:-0} )) ] ||
		why="$why; took ${GWALL} ms, limit ${emax} s + ${SLACK} s${given:+ + ${given} ms given for a busy machine}"
	[ -z "$LEFT" ] || why="$why; still alive: $(echo $LEFT)"
	[ -z "$TMPLEFT" ] || why="$why; left in TMPDIR: $(echo $TMPLEFT)"
	if [ -n "$BASE_KIB" ] && [ "$GPEAK" -gt $((BASE_KIB + MEM_SLACK_KIB)) ]; then
		why="$why; grader peak ${GPEAK} KiB, baseline ${BASE_KIB} KiB"
	fi
	case $ERR in *"grader:"*) why="$why; grader said: $ERR" ;; esac
	desc="$ename at $elevel: $verdict, exit $GST, ${GWALL} ms, peak ${GPEAK} KiB"
	if [ -z "$why" ]; then
		ok "$desc, nothing left"
	else
		not_ok "$desc"
		echo "#${why#;}"
		[ -n "$vtext" ] && echo "# verdict text: $vtext"
		sed 's/^/# stderr: /' "$D/err" | head -n 5
		if [ -n "$LEFT" ]; then
			for p in $LEFT; do
				echo "# alive: $p $(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null)"
				kill -9 "$p" 2>/dev/null
			done
		fi
	fi
}

skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# ---- the cases -------------------------------------------------------------

# cases LEVEL: the attacks every level must contain.
cases() {
	lv=$1

	LIMITS="{wall: 10s, processes: 30}"
	TEST="    exit: 0"
	grade forkbomb "$lv" forkbomb
	expect "fork bomb" "$lv" 1 process_limit 'too many processes: the limit is 30' 10

	LIMITS="{wall: 10s, output: 4MiB, capture: 64KiB}"
	TEST="    exit: 0"
	grade flood_stdout "$lv" flood_stdout
	expect "endless stdout" "$lv" 1 output_limit 'more than 4 MiB on stdout' 10

	grade flood_stderr "$lv" flood_stderr
	expect "endless stderr" "$lv" 1 output_limit 'more than 4 MiB on stderr' 10

	LIMITS="{wall: 10s, memory: 64MiB}"
	TEST="    exit: 0"
	grade memhog "$lv" memhog
	expect "memory hog" "$lv" 1 memory_limit \
		'memory limit of 64 MiB exceeded: its address space reached [0-9.]+ [KM]iB, then it was killed by signal 11' 10

	LIMITS="{wall: 20s, cpu: 1s}"
	TEST="    exit: 0"
	grade cpuspin "$lv" cpuspin
	expect "CPU spin" "$lv" 1 cpu_limit 'CPU time limit of 1' 3

	LIMITS="{wall: 2s}"
	TEST="    exit: 0"
	grade ignore_signals "$lv" ignore_signals
	expect "sleep ignoring every signal" "$lv" 1 timeout 'time limit of 2[.0]* s exceeded; still running: root' 2

	grade daemon "$lv" daemon
	expect "setsid double-fork daemon" "$lv" 1 timeout 'still running: root\.1\.1 ' 2

	TEST="    stdout: {contains: still here}"
	grade grandchild "$lv" grandchild
	expect "grandchild outliving everyone" "$lv" 1 timeout 'still running: root\.1\.1 ' 2

	TEST="    stdout: \"closing\\n\""
	grade close_stdout "$lv" close_stdout
	expect "closing stdout and stderr" "$lv" 1 timeout 'still running: root ' 2

	LIMITS="{wall: 3s}"
	TEST="    stdout: {contains: threads}"
	grade threads "$lv" threads
	expect "thousands of threads" "$lv" 1 timeout 'time limit of 3[.0]* s exceeded' 3

	LIMITS="{wall: 2s}"
	TEST="    exit: 0"
	grade vfork_clone3 "$lv" vfork_clone3
	expect "vfork and clone3 children" "$lv" 1 timeout 'still running: root' 2

	LIMITS="{wall: 5s}"
	TEST="    exit: 0
    stdout: \"child resumed\\nroot done\\n\""
	grade stop_self "$lv" stop_self
	expect "a child stopping itself (traced: let go)" "$lv" 0 exited '' 5

	LIMITS="{wall: 2s}"
	TEST="    exit: 0"
	grade exec_loop "$lv" exec_loop
	expect "exec loop" "$lv" 1 timeout 'time limit of 2[.0]* s exceeded' 2

	LIMITS="{wall: 10s}"
	TEST="    exit: 0
    stdout: {regex: '^parent [0-9]+: still running$'}"
	if [ "$lv" = L3 ] && [ $ROOT = no ]; then
		skip "killing its parent at L3" "the grader is not root: student code runs as the helper's uid"
	else
		grade kill_parent "$lv" kill_parent
		expect "killing its parent" "$lv" 0 exited '' 10
	fi

	TEST="    exit: 0
    stdout: \"0\\n1\\n2\\n\""
	grade fds_leak "$lv" fds_leak
	expect "only descriptors 0 1 2 reach the program" "$lv" 0 exited '' 10

	LIMITS="{wall: 10s, file_size: 1MiB}"
	TEST="    exit: 0"
	grade fill_disk "$lv" fill_disk
	expect "filling the disk up to the file size limit" "$lv" 1 file_size_limit \
		'file size limit of 1 MiB exceeded' 10

	LIMITS="{wall: 10s, open_files: 32}"
	TEST="    exit: 0"
	grade emfile "$lv" emfile
	expect "opening files until EMFILE" "$lv" 1 exited \
		'exited with status 1; it reached the open-file limit of 32 descriptors' 10

	LIMITS="{wall: 30s, cpu: 20s}"
	TEST="    exit: 0
    stdout: \"made 1000 levels\\n\""
	grade deep_dirs "$lv" deep_dirs
	expect "a mess of 1000 nested dirs, no permissions, fifos and links left behind" \
		"$lv" 0 exited '' 30

	LIMITS="{wall: 10s}"
	TEST="    exit: 0
    output_files:
      out.txt: {contains: real output}"
	echo "$SECRET_CANARY" >"$W/canary"
	grade symlink_plant "$lv" symlink_plant /etc/shadow "$W/canary"
	expect "symlinks planted where the grader reads" "$lv" 1 exited '' 10
	leak=no
	grep -q 'root:' "$REPORT" && leak=yes
	checks=$(field "$REPORT" checks)
	check "symlink at $lv: the check fails, /etc/shadow stays out of the report" \
		sh -c "[ $leak = no ] && printf '%s' \"\$1\" | grep -q '^fail '" sh "$checks"
	check "symlink at $lv: the files the links point to are untouched" \
		sh -c "[ \"\$(cat '$W/canary')\" = '$SECRET_CANARY' ] && [ -s /etc/passwd ]"
}

# stdin: 4 MiB fed to a reader that reads on past end of file, and to a
# program that never reads at all.
stdin_cases() {
	lv=$1
	big=$W/big-stdin.txt
	[ -f "$big" ] || perl -e 'print "z" x 4194304' >"$big"
	LIMITS="{wall: 10s}"
	TEST="    stdin_file: ../big-stdin.txt
    exit: 0
    stdout: \"read 4194304 bytes\\n\""
	grade stdin_read "$lv" stdin_forever
	expect "reading stdin past end of file" "$lv" 0 exited '' 10

	LIMITS="{wall: 2s}"
	TEST="    stdin_file: ../big-stdin.txt
    exit: 0"
	grade stdin_ignore "$lv" stdin_forever ignore
	expect "never reading 4 MiB of stdin" "$lv" 1 timeout 'time limit of 2[.0]* s exceeded' 2
}

# gigantic line: 48 MiB, no newline; the report keeps 1 MiB of it.
bigline_case() {
	lv=$1
	LIMITS="{wall: 20s}"
	TEST="    stdout: \"x\\n\""
	grade bigline "$lv" bigline
	expect "one gigantic line with no newline" "$lv" 1 exited '' 20
	bytes=$(field "$REPORT" stdout_bytes)
	kept=$(field "$REPORT" stdout | wc -c)
	check "gigantic line at $lv: all 48 MiB counted ($bytes), 1 MiB kept ($kept)" \
		sh -c "[ '$bytes' = 50331648 ] && [ '$kept' -le 1048577 ]"
}

# ptrace: at L1/L2 every pid the program can see; at L3 only its own
# ancestors (it sees the whole machine there).
ptrace_case() {
	lv=$1
	LIMITS="{wall: 10s}"
	TEST="    exit: 0"
	# The seccomp policy refuses ptrace itself: the run ends there.
	if [ "$lv" = L3 ] || [ "$lv" = container ]; then
		grade ptrace_attack "$lv" ptrace_attack ancestors
		expect "ptrace-attaching the helper and the grader" "$lv" 1 signaled \
			'called ptrace, which graded programs may not' 10
	else
		grade ptrace_attack "$lv" ptrace_attack
		expect "ptrace-attaching the helper, the grader and every pid" "$lv" 1 signaled \
			'called ptrace, which graded programs may not' 10
	fi
}

# connect: a listener on 127.0.0.1 on the host side.
connect_case() {
	lv=$1
	port_file=$W/port-$lv
	conn_file=$W/conns-$lv
	rm -f "$port_file" "$conn_file"
	perl -MIO::Socket::INET -e '
		my ($pf, $cf) = @ARGV;
		my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0,
			Listen => 5, ReuseAddr => 1) or die "listen: $!";
		open my $p, ">", "$pf.tmp" or die; print $p $s->sockport, "\n"; close $p;
		rename "$pf.tmp", $pf;
		my $n = 0;
		$SIG{TERM} = sub { open my $c, ">", $cf; print $c "$n\n"; close $c; exit 0 };
		while (my $c = $s->accept) { $n++; close $c; }' "$port_file" "$conn_file" &
	LISTENER_PID=$!
	i=0
	while [ ! -s "$port_file" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	port=$(cat "$port_file")
	LIMITS="{wall: 10s}"
	TEST="    exit: 0"
	grade connect_local "$lv" connect_local "$port"
	kill "$LISTENER_PID"
	wait "$LISTENER_PID" 2>/dev/null
	LISTENER_PID=
	conns=$(cat "$conn_file" 2>/dev/null)
	# The seccomp policy refuses sockets other than AF_UNIX at every
	# level: at L3 too, where no network namespace exists.
	expect "connecting to a 127.0.0.1 listener" "$lv" 1 signaled \
		'called socket other than AF_UNIX, which graded programs may not' 10
	check "connect at $lv: the listener saw no connection" [ "$conns" = 0 ]
}

# write outside the work dir: nothing may appear on the host.
write_case() {
	lv=$1
	stamp="hostile-escape-$$-$lv"
	LIMITS="{wall: 10s}"
	TEST="    exit: 0"
	grade write_outside "$lv" write_outside "$stamp" "$W" "$W/write_outside-$lv/tmp"
	expect "writing outside the work dir" "$lv" 0 exited '' 10
	found=$(find /tmp /var/tmp /dev/shm "$W" / -maxdepth 1 -name "$stamp" 2>/dev/null;
		find "$W" -name "$stamp" 2>/dev/null)
	check "write outside at $lv: no file escaped the run ($(field "$REPORT" stdout | grep -c written) writes seen inside)" \
		[ -z "$found" ]
	[ -n "$found" ] && rm -f $found
}

kill_all_case() {
	lv=$1
	LIMITS="{wall: 10s}"
	TEST="    exit: 0
    stdout: \"survived\\n\""
	grade kill_all "$lv" kill_all
	expect "kill(-1, SIGKILL)" "$lv" 0 exited '' 10
}

# kill(-1, SIGKILL) at L3, where no pid namespace contains it: Landlock's
# signal scope (ABI 6, Linux 6.12) must. A victim of the student uid
# outside the run (65534 when root, else ours) is started first; the
# program checks that signal 0 cannot reach it (EPERM) and attacks
# nothing otherwise; afterwards the victim must still be sleeping, neither
# stopped nor killed. CONTAINMENT is the level's, to read its Landlock ABI.
kill_all_scoped_case() {
	lv=$1
	abi=$(printf '%s\n' "$2" | sed -n 's/.*Landlock ABI \([0-9][0-9]*\).*/\1/p')
	if [ -z "$abi" ]; then
		skip "kill(-1, SIGKILL) at $lv" "no pid namespace and no Landlock: it would kill every process of the student uid on this machine"
		return
	elif [ "$abi" -lt 6 ]; then
		skip "kill(-1, SIGKILL) at $lv" "Landlock ABI $abi has no signal scope (ABI 6, Linux 6.12): it would kill every process of the student uid on this machine"
		return
	elif [ $ROOT = yes ] && ! command -v setpriv >/dev/null 2>&1; then
		skip "kill(-1, SIGKILL) at $lv" "needs setpriv to start a victim of uid 65534"
		return
	fi
	if [ $ROOT = yes ]; then
		vuid=65534
		setpriv --reuid=65534 --regid=65534 --clear-groups sleep 300 &
	else
		vuid=$(id -u)
		sleep 300 &
	fi
	victim=$!
	VICTIMS="$VICTIMS $victim"
	# Until setpriv has dropped to the uid and become sleep.
	tries=0
	while [ "$(cat "/proc/$victim/comm" 2>/dev/null)" != sleep ] && [ $tries -lt 100 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	LIMITS="{wall: 10s}"
	TEST="    exit: 0
    stdout: \"victim out of reach: Operation not permitted\\nsurvived\\n\""
	grade kill_all "$lv" kill_all "$victim"
	expect "kill(-1, SIGKILL) (Landlock ABI $abi scopes signals)" "$lv" 0 exited '' 10
	vstate=$(awk '{ print $3 }' "/proc/$victim/stat" 2>/dev/null)
	check "kill(-1) at $lv: a process of uid $vuid outside the run is still sleeping (state ${vstate:-gone})" \
		test "$vstate" = S
	kill "$victim" 2>/dev/null
	wait "$victim" 2>/dev/null
}

stop_ancestors_case() {
	lv=$1
	LIMITS="{wall: 10s}"
	TEST="    exit: 0
    stdout: {regex: '^stopped 0 of [0-9]+ ancestors$'}"
	grade stop_ancestors "$lv" stop_ancestors
	expect "SIGSTOP every ancestor" "$lv" 0 exited '' 10
}

# The hidden material: a spec outside every temp dir, which the program
# tries to read by its path.
read_spec_case() {
	lv=$1
	SPEC_PATH=$SPECS_OUT/answers-$lv.yaml
	LIMITS="{wall: 10s}"
	TEST="    exit: 0"
	grade read_spec "$lv" read_spec "$SPEC_PATH"
	expect "reading the spec (hidden answers)" "$lv" 0 exited '' 10
	out=$(field "$REPORT" stdout)
	case $out in
	*": hidden ("*) ok "read spec at $lv: the spec dir is hidden from student code" ;;
	*) not_ok "read spec at $lv: the spec dir is readable by student code: $out" ;;
	esac
	SPEC_PATH=
}

# key_count: how many keys uid 65534 holds (/proc/key-users), 0 if none.
key_count() {
	awk '$1 == "65534:" { print $2; f = 1 } END { if (!f) print 0 }' /proc/key-users
}

# Issue 12's attacks 1 to 4 (the fifth is read_spec_case) at LEVEL: each
# ends in a verdict that names what was refused, and leaves nothing: no
# process, no key, no file outside the work dir.
attacks12() {
	lv=$1
	stamp="hostile12-$$-$lv"

	LIMITS="{wall: 5s, processes: 40}"
	TEST="    exit: 0"
	grade untraced_clone "$lv" untraced_clone "$stamp"
	expect "untraced clone children and a daemon named like a kernel thread" "$lv" 1 signaled \
		'called clone with CLONE_UNTRACED, which graded programs may not' 5
	kthreads=$(pgrep -u 65534 kworker 2>/dev/null)
	check "untraced clone at $lv: no 'kworker' of uid 65534, no file in /tmp" \
		sh -c "[ -z '$kthreads' ] && [ ! -e '/tmp/$stamp' ]"
	rm -f "/tmp/$stamp"

	keys=$(key_count)
	LIMITS="{wall: 10s}"
	if [ "$lv" = container ]; then
		# Docker's profile (nonamespace) refuses the keyring calls
		# first, with EPERM: the grader's policy never sees them.
		TEST="    exit: 0
    stdout: \"add_key: Operation not permitted\\n\""
		grade keyring_plant "$lv" keyring plant "SECRET-$stamp"
		expect "a key left in the uid's keyring (refused by the container)" "$lv" 0 exited '' 10
		TEST="    exit: 0
    stdout: \"no key: Operation not permitted\\n\""
		grade keyring_read "$lv" keyring read
		expect "looking for a key an earlier submission left (refused by the container)" \
			"$lv" 0 exited '' 10
		TEST="    exit: 0"
	else
		grade keyring_plant "$lv" keyring plant "SECRET-$stamp"
		expect "a key left in the uid's keyring for the next submission" "$lv" 1 signaled \
			'called add_key, which graded programs may not' 10
		grade keyring_read "$lv" keyring read
		expect "looking for a key an earlier submission left" "$lv" 1 signaled \
			'called request_key, which graded programs may not' 10
	fi
	check "keyring at $lv: uid 65534 holds as many keys as before ($keys, now $(key_count)), none of ours" \
		sh -c "[ '$(key_count)' = '$keys' ] && ! grep -q hostile-leak /proc/keys"

	LIMITS="{wall: 10s, memory: 512MiB, file_size: 32MiB}"
	grade shm_hog "$lv" shm_hog "$stamp"
	expect "1280 MiB in memfds under a 512 MiB limit, 16 MiB files in the temp dirs" "$lv" 1 signaled \
		'called memfd_create, which graded programs may not' 10
	left=$(ls -d "/tmp/$stamp" "/var/tmp/$stamp" "/dev/shm/$stamp" 2>/dev/null)
	check "memory hog at $lv: nothing left in /tmp, /var/tmp, /dev/shm ($left)" [ -z "$left" ]
	rm -f $left

	canary=hostile-canary-$$
	mkdir -p "/home/$canary" "/srv/$canary"
	for d in "/home/$canary" "/srv/$canary"; do
		echo "SECRET planted by hostile.sh" >"$d/answers.txt"
		chmod 0755 "$d"
		chmod 0644 "$d/answers.txt"
	done
	LIMITS="{wall: 10s}"
	TEST="    exit: 0
    stdout: {contains: 'found 0 of'}"
	grade look_around "$lv" look_around "$PWD/README.md" "$PWD/tests/solutions/ex01.c" \
		"$PWD/tests" "/home/$canary/answers.txt" "/srv/$canary/answers.txt" \
		"/home/$canary" "/srv/$canary" "$W/canary"
	rm -rf "/home/$canary" "/srv/$canary"
	case $(field "$REPORT" containment) in
	L3*)
		expect "looking around: the checkout, /home, /srv, other runs" "$lv" 0 exited '' 10 ;;
	*)
		if field "$REPORT" stdout | grep -q '^found 0 of'; then
			expect "looking around: the checkout, /home, /srv, other runs" "$lv" 0 exited '' 10
		else
			skip "looking around at $lv: $(field "$REPORT" stdout | grep -c '^found /') found" \
				"L1/L2 show the host read-only until the constructed root lands (issue 12, sbx_confine_*)"
		fi ;;
	esac
	TEST="    exit: 0
    stdout: \"found 0 of 1\\n\""
	if [ "$lv" = auto ]; then
		grade proc_cmdline "$lv" look_around /proc/1/cmdline
		expect "reading pid 1's command line (hidepid)" "$lv" 0 exited '' 10
	fi
}

# Compile-time bomb: the build step's limits end it.
compile_bomb_case() {
	lv=$1
	D=$W/compile_bomb-$lv
	mkdir -p "$D/sub" "$D/tmp"
	chmod 0711 "$D" "$D/tmp"
	cp tests/hostile/compile_bomb/bomb.c tests/hostile/compile_bomb/Makefile "$D/sub/"
	mark="HOSTILE_MARK_$$_compile_bomb_$lv"
	cat >"$D/spec.yaml" <<EOF
id: hostile
title: hostile compile bomb
build: [make, "CC=cc", hostile]
build_limits: {wall: 5s, memory: 512MiB}
tests:
  - name: runs
    command: ./hostile
    env: {HOSTILE_MARK: "$mark"}
    exit: 0
EOF
	REPORT=$D/report.json
	opts=
	[ "$lv" = L3 ] && opts="--containment L3"
	TMPDIR=$D/tmp "$B/peakrss" "$D/peak" "$GRADER" run "$D/spec.yaml" "$D/sub" \
		$opts --format "json=$REPORT" >"$D/out" 2>"$D/err"
	GST=$?
	set -- $(cat "$D/peak" 2>/dev/null)
	GPEAK=${1:-0} GWALL=${2:-0} GSIG=${3:-none}
	ERR=$(cat "$D/err")
	LEFT=$(alive "$D/")
	TMPLEFT=$(ls -A "$D/tmp" 2>/dev/null)
	expect "compile-time bomb (#include \"/dev/random\")" "$lv" 1 '' '' 5
	msg=$(field "$REPORT" build_message)
	built=$(field "$REPORT" built)
	why=$(field "$REPORT" build_output | grep -E 'out of memory|memory exhausted' | head -n 1)
	check "compile bomb at $lv: a failed build, and why ($msg: $why)" \
		sh -c "[ '$built' = no ] &&
		       printf '%s\n' \"\$1\" | grep -Eq 'time limit of 5|out of memory|memory exhausted'" sh "$msg
$why"
}

# The grader's terminal: the run happens under a pty owned by the
# grader's uid; the program looks for it to print fake results.
tty_case() {
	lv=$1
	LIMITS="{wall: 10s}"
	TEST="    exit: 0
    stdout: \"opened 0 terminals\\n\""
	IN_TERMINAL=yes
	grade tty_write "$lv" tty_write
	IN_TERMINAL=
	expect "writing fake results to the grader's terminal" "$lv" 0 exited '' 10
	check "tty at $lv: nothing reached the terminal" \
		sh -c "! grep -q 'all tests passed' '$D/out'"
}

# Filling the disk from the build step: files of up to the build's file
# size limit, more of them than a work dir may hold.
build_fill_case() {
	lv=$1
	D=$W/build_fill-$lv
	mkdir -p "$D/sub" "$D/tmp"
	chmod 0711 "$D" "$D/tmp"
	mark="HOSTILE_MARK_$$_build_fill_$lv"
	printf '%s\n' '# The hostile build: 3 files of 100 MB each, then a program.' \
		'hostile:' \
		'	for f in 1 2 3; do head -c 100000000 /dev/zero >fill$$f.bin; done' \
		"	echo '#!/bin/sh' >hostile; echo 'echo hello' >>hostile" \
		'	chmod +x hostile' >"$D/sub/Makefile"
	cat >"$D/spec.yaml" <<EOF
id: hostile
title: hostile build filling the disk
build: [make, hostile]
tests:
  - name: runs
    command: ./hostile
    env: {HOSTILE_MARK: "$mark"}
    exit: 0
EOF
	REPORT=$D/report.json
	opts=
	[ "$lv" = L3 ] && opts="--containment L3"
	TMPDIR=$D/tmp "$B/peakrss" "$D/peak" "$GRADER" run "$D/spec.yaml" "$D/sub" \
		$opts --format "json=$REPORT" >"$D/out" 2>"$D/err"
	GST=$?
	set -- $(cat "$D/peak" 2>/dev/null)
	GPEAK=${1:-0} GWALL=${2:-0} GSIG=${3:-none}
	ERR=$(cat "$D/err")
	LEFT=$(alive "$D/")
	TMPLEFT=$(ls -A "$D/tmp" 2>/dev/null)
	expect "a build filling the disk" "$lv" 1 '' '' 60
	msg=$(jq -r '.exercises[0].tests[0].checks[0].message // ""' "$REPORT")
	case $msg in
	*"could not be set up"*"larger than"*) ok "a build filling the disk at $lv: the test fails and says why" ;;
	*) not_ok "a build filling the disk at $lv: the test fails and says why: $msg" ;;
	esac
}

# Memory outside RLIMIT_AS (issue 12): 256 MiB each in /dev/shm files, in
# /tmp and /var/tmp files and in detached SysV segments, under a 64 MiB
# memory limit. Where the report names a cgroup, the run's processes and
# all they hold count together and the kernel ends it at the limit and a
# quarter (80 MiB): a memory verdict. Elsewhere (L1, L2 without one) the temp dirs' tmpfs
# mounts (16 MiB each here) and, at L1, the IPC namespace's shmall (the
# memory limit) bound what it can hold: at most 48 + 64 MiB.
shm_fill_case() {
	lv=$1
	stamp="hostile-fill-$$-$lv"
	LIMITS="{wall: 10s, memory: 64MiB, file_size: 16MiB}"
	TEST="    exit: 0"
	grade shm_fill "$lv" shm_fill "$stamp" 256
	cont=$(field "$REPORT" containment)
	out=$(field "$REPORT" stdout)
	mib() { v=$(printf '%s\n' "$out" | sed -n "s|^$1: \([0-9]*\) MiB\$|\1|p"); echo "${v:-999}"; }
	case $cont in
	*"memory: cgroup v"*)
		expect "256 MiB in /dev/shm, temp files and SysV under a 64 MiB limit (a cgroup)" \
			"$lv" 1 memory_limit \
			"memory limit of 64 MiB exceeded by the run's processes together with their shared memory and temp files: they reached 80 MiB \\(the limit and a quarter\\), and the kernel ended [0-9]+ process" 10 ;;
	L3*)
		# No cgroup at L3: SysV is refused, /dev/shm files only
		# capped one by one.
		expect "256 MiB in /dev/shm and SysV under a 64 MiB limit (no cgroup)" \
			"$lv" 1 signaled 'called shmget, which graded programs may not' 10 ;;
	*)
		expect "256 MiB in /dev/shm, temp files and SysV under a 64 MiB limit (no cgroup)" \
			"$lv" 0 exited '' 10
		files=$(( $(mib /dev/shm) + $(mib /tmp) + $(mib /var/tmp) ))
		check "memory outside the limit at $lv without a cgroup: $files MiB in temp files, at most 48 (3 tmpfs mounts of 16 MiB)" \
			[ "$files" -le 48 ]
		case $cont in
		*"SysV IPC sized"*)
			check "memory outside the limit at $lv without a cgroup: $(mib SysV) MiB in SysV segments, at most 64 (shmall)" \
				[ "$(mib SysV)" -le 64 ] ;;
		*)
			skip "memory outside the limit at $lv without a cgroup: $(mib SysV) MiB in SysV segments" \
				"SysV IPC is not sized here ($cont)" ;;
		esac ;;
	esac
	left=$(ls -d /tmp/$stamp.* /var/tmp/$stamp.* /dev/shm/$stamp.* 2>/dev/null)
	check "memory outside the limit at $lv: nothing left in /tmp, /var/tmp, /dev/shm ($left)" [ -z "$left" ]
	rm -f $left
}

# ---- a trivial run sets the memory baseline --------------------------------

LIMITS="{wall: 10s}"
TEST="    exit: 0"
grade baseline auto fds_leak
BASE_KIB=$GPEAK
expect "baseline (a trivial passing run)" auto 0 exited '' 10
echo "# containment: $(field "$REPORT" containment)"
echo "# baseline peak memory of the grader: $BASE_KIB KiB"

# ---- default level -----------------------------------------------------------

cases auto
stdin_cases auto
bigline_case auto
ptrace_case auto
connect_case auto
write_case auto
read_spec_case auto
compile_bomb_case auto
build_fill_case auto
tty_case auto
attacks12 auto
shm_fill_case auto
shm_fill_case nocgroup

LEVEL_DESC=$(field "$W/baseline-auto/report.json" containment)
case $LEVEL_DESC in
L1*|L2*)
	kill_all_case auto
	stop_ancestors_case auto
	;;
*)
	skip "kill(-1, SIGKILL) at the default level" "$LEVEL_DESC has no pid namespace"
	skip "SIGSTOP every ancestor at the default level" "$LEVEL_DESC has no pid namespace"
	;;
esac

# Untraced, a stopped child is not let go: the wall limit ends it.
LIMITS="{wall: 2s}"
TEST="    exit: 0"
grade stop_self notrace stop_self
expect "a child stopping itself (untraced: killed at the limit)" notrace 1 timeout 'time limit of 2[.0]* s exceeded' 2

# Untraced, a cgroup's pids.max is the fork budget (RLIMIT_NPROC, which
# counts every process of the student uid on the machine, is not set).
LIMITS="{wall: 10s, processes: 30}"
grade forkbomb notrace forkbomb
case $(field "$REPORT" containment) in
*"memory: cgroup v"*)
	expect "fork bomb (untraced: the cgroup's pids.max)" notrace 1 process_limit \
		'too many processes: more than 184 processes and threads at once \(the limit is 30 processes per run\)' 10 ;;
*)
	expect "fork bomb (untraced, no cgroup: RLIMIT_NPROC, then the time limit)" notrace 1 timeout '' 10 ;;
esac
shm_fill_case notrace

# ---- L3: no namespaces ------------------------------------------------------

LIMITS="{wall: 10s}"
TEST="    exit: 0"
grade baseline L3 fds_leak
expect "L3 is available and named" L3 0 exited '' 10
cont=$(field "$REPORT" containment)
warn=$(field "$REPORT" warnings)
check "L3: the report names the level ($cont) and warns that it is the weakest" \
	sh -c "printf '%s' '$cont' | grep -q '^L3' &&
	       printf '%s' \"\$1\" | grep -q 'weakest containment (L3)'" sh "$warn"

cases L3
stdin_cases L3
if [ $ROOT = yes ]; then
	ptrace_case L3
else
	skip "ptrace-attaching the helper and the grader at L3" "the grader is not root: student code runs as the grader's uid"
fi
connect_case L3
compile_bomb_case L3
attacks12 L3
shm_fill_case L3
read_spec_case L3
if [ $ROOT = yes ]; then
	# As root, student code runs as uid 65534 at L3: the grader and the
	# helper (root) are out of its reach.
	stop_ancestors_case L3
	tty_case L3
else
	skip "SIGSTOP every ancestor at L3" "the grader is not root: student code runs as the grader's uid"
	skip "writing to the grader's terminal at L3" "the grader is not root: student code runs as the grader's uid"
fi
LEVEL3=$(field "$W/baseline-L3/report.json" containment)
kill_all_scoped_case L3 "$LEVEL3"
case $LEVEL3 in
*Landlock*) write_case L3 ;;
*) skip "writing outside the work dir at L3" "no Landlock: world-writable dirs such as /tmp stay writable" ;;
esac

# ---- the container-like mode: L3 chosen by the grader itself -----------------

LIMITS="{wall: 10s}"
TEST="    exit: 0"
grade baseline container fds_leak
expect "under a Docker-like seccomp filter the grader runs" container 0 exited '' 10
cont=$(field "$REPORT" containment)
check "container-like mode: the grader chose L3 by itself ($cont)" \
	sh -c "printf '%s' '$cont' | grep -q '^L3'"
cases container
attacks12 container
shm_fill_case container
read_spec_case container
ptrace_case container
connect_case container
case $cont in
*Landlock*) write_case container ;;
esac
kill_all_scoped_case container "$cont"

# ---- L2: the grader run as an ordinary user ---------------------------------

if [ $ROOT = yes ] && command -v setpriv >/dev/null 2>&1; then
	LIMITS="{wall: 10s}"
	TEST="    exit: 0"
	grade baseline L2 fds_leak
	if field "$REPORT" containment 2>/dev/null | grep -q '^L2'; then
		expect "L2 (grader as uid 65534) is available and named" L2 0 exited '' 10
		LIMITS="{wall: 10s, processes: 30}"
		grade forkbomb L2 forkbomb
		expect "fork bomb" L2 1 process_limit 'the limit is 30' 10
		LIMITS="{wall: 2s}"
		grade daemon L2 daemon
		expect "setsid double-fork daemon" L2 1 timeout 'still running: root\.1\.1 ' 2
		LIMITS="{wall: 10s, memory: 64MiB}"
		grade memhog L2 memhog
		expect "memory hog" L2 1 memory_limit 'memory limit of 64 MiB exceeded' 10
		shm_fill_case L2
		LIMITS="{wall: 10s}"
		TEST="    exit: 0
    stdout: {regex: '^parent [0-9]+: still running$'}"
		grade kill_parent L2 kill_parent
		expect "killing its parent" L2 0 exited '' 10
		TEST="    exit: 0"
		grade ptrace_attack L2 ptrace_attack
		expect "ptrace-attaching the helper and every pid" L2 1 signaled \
			'called ptrace, which graded programs may not' 10
		TEST="    exit: 0
    stdout: \"survived\\n\""
		grade kill_all L2 kill_all
		expect "kill(-1, SIGKILL)" L2 0 exited '' 10
		stamp="hostile-escape-$$-L2"
		TEST="    exit: 0"
		# At L2 the case dir and the spec belong to the student's uid.
		grade write_outside L2 write_outside "$stamp" "$W" "$W/write_outside-L2" \
			"$W/write_outside-L2/sub"
		expect "writing outside the work dir, into dirs of its own uid" L2 0 exited '' 10
		found=$(find /tmp /var/tmp /dev/shm -maxdepth 1 -name "$stamp" 2>/dev/null;
			find "$W" -name "$stamp" 2>/dev/null)
		check "write outside at L2: no file escaped the run" [ -z "$found" ]
		TEST="    exit: 0
    stdout: \"opened 0 terminals\\n\""
		IN_TERMINAL=yes
		grade tty_write L2 tty_write
		IN_TERMINAL=
		expect "writing fake results to the grader's terminal (its own uid)" L2 0 exited '' 10
		check "tty at L2: nothing reached the terminal" \
			sh -c "! grep -q 'all tests passed' '$D/out'"
	elif [ -s "$REPORT" ]; then
		skip "L2 cases" "user namespaces are not available to uid 65534 here: $(field "$REPORT" containment)"
	else
		not_ok "L2: the grader ran as uid 65534 and wrote its report (exit $GST)"
		sed 's/^/# stderr: /' "$D/err" | head -n 5
	fi
else
	skip "L2 cases" "needs root and setpriv to run the grader as an ordinary user"
fi

# ---- another submission graded at the same time ---------------------------------

# spy_case LEVEL: a spy (at LEVEL) and a victim graded at once by two
# graders sharing one TMPDIR base: the spy must neither read nor spoil
# the victim's work dir.
spy_case() {
	slv=$1
	base=$W/shared-tmp-$slv
	mkdir -p "$base"
	chmod 1777 "$base"
	Dv=$W/victim-$slv
	mkdir -p "$Dv/sub"
	markv="HOSTILE_MARK_$$_victim"
	cat >"$Dv/spec.yaml" <<EOF
id: victim
title: the victim
build: false
tests:
  - name: keeps its secret
    shell: "sleep 2; cat secret.txt"
    env: {HOSTILE_MARK: "$markv"}
    files:
      secret.txt: "SECRET victim data\n"
    exit: 0
    stdout: "SECRET victim data\n"
EOF
	TMPDIR=$base "$GRADER" run "$Dv/spec.yaml" "$Dv/sub" --format "json=$Dv/report.json" \
		>"$Dv/out" 2>"$Dv/err" &
	vpid=$!
	sleep 0.5
	SPEC_PATH=
	LIMITS="{wall: 10s}"
	TEST="    exit: 0
    stdout: {contains: 'found 0, spoiled 0'}"
	grade spy "$slv" spy "$base" /tmp
	wait $vpid
	vst=$?
	expect "a spy next to another run" "$slv" 0 exited '' 10
	check "the victim run graded fully while the spy ran (exit $vst)" [ "$vst" = 0 ]
	left=$(alive "$markv")
	check "nothing of the victim run left" sh -c "[ -z '$left' ] && [ -z \"\$(ls -A '$base')\" ]"
}
if [ "$LEVEL_DESC" != "${LEVEL_DESC#L3}" ]; then
	skip "a spy next to another run" "no mount namespace at the default level"
else
	spy_case auto
fi
# At L3 Landlock, not a mount namespace, keeps the spy to its work dir.
case $LEVEL3 in
*Landlock*) spy_case L3 ;;
*) skip "a spy next to another run at L3" "no Landlock: another run's work dir can be found through /proc" ;;
esac

# ---- batch: hostile and correct submissions together ---------------------------

batch_case() {
	Db=$W/batch
	mkdir -p "$Db/subs" "$Db/tmp"
	chmod 0711 "$Db" "$Db/tmp"
	markb="HOSTILE_MARK_$$_batch"
	cat >"$Db/spec.yaml" <<EOF
id: hello
title: say hello
build: false
limits: {wall: 3s, processes: 30, output: 4MiB, memory: 64MiB}
tests:
  - name: greets
    command: ./prog
    env: {HOSTILE_MARK: "$markb"}
    exit: 0
    stdout: "hello\n"
  - name: greets again
    command: ./prog
    env: {HOSTILE_MARK: "$markb"}
    exit: 0
    stdout: "hello\n"
EOF
	printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' >"$Db/hello.c"
	$CC -o "$B/hello" "$Db/hello.c" || return 1
	for s in alice:hello bob:forkbomb carol:hello dave:flood_stdout eve:kill_all \
		 frank:spy grace:hello heidi:memhog ivan:daemon judy:hello; do
		who=${s%%:*} prog=${s#*:}
		mkdir -p "$Db/subs/$who"
		cp "$B/$prog" "$Db/subs/$who/prog"
	done
	TMPDIR=$Db/tmp "$B/peakrss" "$Db/peak" "$GRADER" batch "$Db/spec.yaml" "$Db/subs" \
		--out "$Db/out" -j 3 >"$Db/stdout" 2>"$Db/stderr"
	bst=$?
	set -- $(cat "$Db/peak")
	check "batch: the grader exits 1 (some failed), not by a signal (exit $bst, $3 $4, $2 ms)" \
		sh -c "[ '$bst' = 1 ] && [ '$3' = exit ]"
	for who in alice carol grace judy; do
		row=$(grep "^$who," "$Db/out/gradebook.csv")
		check "batch: $who (correct) gets full marks next to hostile ones: $row" \
			sh -c "printf '%s' '$row' | grep -q ',2,2,ok'"
	done
	for who in bob dave eve frank heidi ivan; do
		row=$(grep "^$who," "$Db/out/gradebook.csv")
		check "batch: $who (hostile) is graded and gets nothing: $row" \
			sh -c "printf '%s' '$row' | grep -q '^$who,0,0,2,'"
	done
	left=$(alive "$markb")
	check "batch: nothing left alive, TMPDIR empty" \
		sh -c "[ -z '$left' ] && [ -z \"\$(ls -A '$Db/tmp')\" ]"
}
batch_case

done_testing
