/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * notify: the per-instance queue (one running, the latest waiting), the
 * instance scripts and the split-brain script, run for real.
 */

#include <sys/stat.h>

#include <check.h>
#include <ev.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vrrpd/notify.h"

static struct notify_event
ev(enum vrrp_state s, uint8_t prio)
{
	struct notify_event e = { .state = s, .priority = prio };

	return e;
}

START_TEST(idle_queue_runs_at_once_busy_queue_waits)
{
	struct notify_queue q = { 0 };
	struct notify_event e = ev(VRRP_STATE_BACKUP, 100), next;

	ck_assert(notify_queue_post(&q, &e));
	ck_assert(q.busy);
	e = ev(VRRP_STATE_MASTER, 100);
	ck_assert(!notify_queue_post(&q, &e));
	ck_assert(notify_queue_done(&q, &next));
	ck_assert_int_eq(next.state, VRRP_STATE_MASTER);
	ck_assert(q.busy);
	ck_assert(!notify_queue_done(&q, &next));
	ck_assert(!q.busy);
}
END_TEST

START_TEST(backlog_coalesces_to_the_latest_state)
{
	struct notify_queue q = { 0 };
	struct notify_event e, next;

	e = ev(VRRP_STATE_BACKUP, 100);
	ck_assert(notify_queue_post(&q, &e));
	/* a flap while BACKUP's script runs: only the last one waits */
	e = ev(VRRP_STATE_MASTER, 100);
	ck_assert(!notify_queue_post(&q, &e));
	e = ev(VRRP_STATE_BACKUP, 100);
	ck_assert(!notify_queue_post(&q, &e));
	e = ev(VRRP_STATE_FAULT, 90);
	ck_assert(!notify_queue_post(&q, &e));
	ck_assert_uint_eq(q.coalesced, 2);
	ck_assert(notify_queue_done(&q, &next));
	ck_assert_int_eq(next.state, VRRP_STATE_FAULT);
	ck_assert_uint_eq(next.priority, 90);
	ck_assert(!notify_queue_done(&q, &next));
}
END_TEST

START_TEST(state_words_are_keepalived_s)
{
	ck_assert_str_eq(notify_state_word(VRRP_STATE_MASTER), "MASTER");
	ck_assert_str_eq(notify_state_word(VRRP_STATE_BACKUP), "BACKUP");
	ck_assert_str_eq(notify_state_word(VRRP_STATE_FAULT), "FAULT");
	ck_assert_str_eq(notify_state_word(VRRP_STATE_INIT), "STOP");
}
END_TEST

/* ---- the notifier, with real scripts on the default loop ---- */

static char dir[64];

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A script in dir that appends "$1 $VRRPD_STATE" to dir/log, then sleeps
 * $2 seconds when $2 is a number. */
static void
write_script(void)
{
	char path[128];
	FILE *f;

	snprintf(dir, sizeof(dir), "/run/vrrpd-test-notify.%d", (int)getpid());
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/s", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f,
	    "#!/bin/sh\necho \"$1 $VRRPD_STATE\" >>%s/log\n"
	    "case $2 in [1-9]*|0.*) exec /bin/sleep \"$2\";; esac\n",
	    dir);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

static void
cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)system(cmd);
}

static const char *
log_text(void)
{
	static char buf[8192];
	char path[128];
	size_t n = 0;
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/log", dir);
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* Turn the loop until n is idle (or the deadline). */
static void
drain(struct notify *n, double secs)
{
	double end = now_s() + secs;

	while (notify_busy(n) && now_s() < end)
		ev_run(EV_DEFAULT, EVRUN_ONCE);
}

START_TEST(scripts_run_one_at_a_time_and_a_backlog_coalesces)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_notify cn = { 0 };
	char master[160], any[160];
	struct notify *n;
	struct notify_event ev = { .state = VRRP_STATE_MASTER,
		.priority = 150 };

	write_script();
	snprintf(master, sizeof(master), "%s/s own 0.3", dir);
	snprintf(any, sizeof(any), "%s/s generic", dir);
	cn.master.cmd = master;
	cn.any.cmd = any; /* gets INSTANCE VI_1 STATE PRIO: $2 = INSTANCE */
	cn.backup.cmd = master;
	cn.fault.cmd = master;
	n = notify_new(EV_DEFAULT, "VI_1", &cn, &g, 5000);
	ck_assert_ptr_nonnull(n);
	notify_post(n, &ev);
	/* while MASTER's own script sleeps: BACKUP, then FAULT */
	ev.state = VRRP_STATE_BACKUP;
	notify_post(n, &ev);
	ev.state = VRRP_STATE_FAULT;
	notify_post(n, &ev);
	drain(n, 5.0);
	ck_assert(!notify_busy(n));
	/* BACKUP was replaced by FAULT before it ran; never two at once */
	ck_assert_str_eq(log_text(),
	    "own MASTER\ngeneric MASTER\n"
	    "own FAULT\ngeneric FAULT\n");
	notify_free(n);
	cleanup();
}
END_TEST

START_TEST(a_script_past_its_timeout_is_stopped)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_notify cn = { 0 };
	struct notify_event ev = { .state = VRRP_STATE_MASTER,
		.priority = 150 };
	char master[160];
	struct notify *n;
	double t0;

	write_script();
	snprintf(master, sizeof(master), "%s/s own 30", dir);
	cn.master.cmd = master;
	n = notify_new(EV_DEFAULT, "VI_1", &cn, &g, 200);
	ck_assert_ptr_nonnull(n);
	t0 = now_s();
	notify_post(n, &ev);
	drain(n, 5.0);
	ck_assert(!notify_busy(n));
	/* stopped by TERM after 200 ms, not after the script's 30 s */
	ck_assert_msg(now_s() - t0 < 2.0, "stopped after %.3f s", now_s() - t0);
	ck_assert_msg(now_s() - t0 >= 0.19, "stopped after %.3f s",
	    now_s() - t0);
	ck_assert_str_eq(log_text(), "own MASTER\n");
	notify_free(n);
	cleanup();
}
END_TEST

/* ---- the split-brain script ---- */

static int err_fd = -1; /* the test's stderr: a file read back */

/* Log lines (stderr) go to a file the test reads with err_text(). */
static void
err_capture(void)
{
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	err_fd = fileno(f);
	ck_assert_int_ne(dup2(err_fd, STDERR_FILENO), -1);
}

static const char *
err_text(void)
{
	static char buf[16384];
	ssize_t n = pread(err_fd, buf, sizeof(buf) - 1, 0);

	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return buf;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/*
 * The script dir/sb appends one line to dir/log: its argument count, each
 * argument in brackets, then its VRRPD_* environment sorted; then sleeps
 * $1 seconds when $1 is a number.
 */
static void
write_sb_script(void)
{
	char path[128];
	FILE *f;

	write_script();
	snprintf(path, sizeof(path), "%s/sb", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f,
	    "#!/bin/sh\n"
	    "{ printf '%%s' \"$#\"; for a; do printf ' [%%s]' \"$a\"; done\n"
	    "  env | grep '^VRRPD_' | sort | while read -r e; do\n"
	    "    printf ' %%s' \"$e\"; done; echo; } >>%s/log\n"
	    "case $1 in [1-9]*|0.*) exec /bin/sleep \"$1\";; esac\n",
	    dir);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

static void
drain_sb(struct notify_sb *n, double secs)
{
	double end = now_s() + secs;

	while (notify_sb_busy(n) && now_s() < end)
		ev_run(EV_DEFAULT, EVRUN_ONCE);
}

START_TEST(split_brain_script_gets_arguments_and_environment)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_cmd cmd = { 0 };
	const char *masters[] = { "node-a", "node-b" };
	char line[160];
	struct notify_sb *n;

	err_capture();
	write_sb_script();
	snprintf(line, sizeof(line), "%s/sb 'own word'", dir);
	cmd.cmd = line;
	ck_assert_ptr_nonnull(n = notify_sb_new(EV_DEFAULT, &cmd, &g));
	notify_sb_post(n, "VI_1", true, masters, 2);
	ck_assert(notify_sb_busy(n));
	drain_sb(n, 5.0);
	ck_assert(!notify_sb_busy(n));
	ck_assert_str_eq(log_text(),
	    "5 [own word] [SPLIT_BRAIN] [VI_1] [STARTED] [node-a,node-b]"
	    " VRRPD_INSTANCE=VI_1 VRRPD_MASTERS=node-a,node-b"
	    " VRRPD_SPLIT_BRAIN=started\n");
	ck_assert_msg(strstr(err_text(),
			  "registry: notify_split_brain VI_1 "
			  "started: exit 0 after ") != NULL,
	    "%s", err_text());
	notify_sb_free(n);
	cleanup();
}
END_TEST

START_TEST(split_brain_events_back_to_back_both_run_in_order)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_cmd cmd = { 0 };
	const char *masters[] = { "node-a", "node-b" };
	const char *last[] = { "node-b" };
	char line[160];
	struct notify_sb *n;

	write_sb_script();
	snprintf(line, sizeof(line), "%s/sb 0.2", dir);
	cmd.cmd = line;
	ck_assert_ptr_nonnull(n = notify_sb_new(EV_DEFAULT, &cmd, &g));
	/* the end arrives while the start's script still runs */
	notify_sb_post(n, "VI_1", true, masters, 2);
	notify_sb_post(n, "VI_1", false, last, 1);
	notify_sb_post(n, "VI_2", false, NULL, 0);
	drain_sb(n, 5.0);
	ck_assert(!notify_sb_busy(n));
	ck_assert_str_eq(log_text(),
	    "5 [0.2] [SPLIT_BRAIN] [VI_1] [STARTED] [node-a,node-b]"
	    " VRRPD_INSTANCE=VI_1 VRRPD_MASTERS=node-a,node-b"
	    " VRRPD_SPLIT_BRAIN=started\n"
	    "5 [0.2] [SPLIT_BRAIN] [VI_1] [ENDED] [node-b]"
	    " VRRPD_INSTANCE=VI_1 VRRPD_MASTERS=node-b"
	    " VRRPD_SPLIT_BRAIN=ended\n"
	    "5 [0.2] [SPLIT_BRAIN] [VI_2] [ENDED] []"
	    " VRRPD_INSTANCE=VI_2 VRRPD_MASTERS="
	    " VRRPD_SPLIT_BRAIN=ended\n");
	notify_sb_free(n);
	cleanup();
}
END_TEST

START_TEST(split_brain_without_a_command_is_ignored)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_cmd cmd = { 0 };
	const char *masters[] = { "node-a", "node-b" };
	struct notify_sb *n;

	err_capture();
	ck_assert_ptr_nonnull(n = notify_sb_new(EV_DEFAULT, &cmd, &g));
	notify_sb_post(n, "VI_1", true, masters, 2);
	ck_assert(!notify_sb_busy(n));
	ev_run(EV_DEFAULT, EVRUN_NOWAIT);
	ck_assert_str_eq(err_text(), "");
	notify_sb_free(n);
	/* the daemon's calls with no runner at all (out of memory) */
	notify_sb_post(NULL, "VI_1", true, masters, 2);
	notify_sb_rebind(NULL, &cmd, &g);
	ck_assert(!notify_sb_busy(NULL));
	notify_sb_free(NULL);
}
END_TEST

START_TEST(split_brain_script_not_found_is_logged_and_skipped)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_cmd cmd = { .cmd = "vrrpd-no-such-script" };
	struct notify_sb *n;

	err_capture();
	ck_assert_ptr_nonnull(n = notify_sb_new(EV_DEFAULT, &cmd, &g));
	notify_sb_post(n, "VI_1", true, NULL, 0);
	notify_sb_post(n, "VI_1", false, NULL, 0);
	ck_assert(!notify_sb_busy(n));
	ck_assert_int_eq(count(err_text(),
			     "registry: notify_split_brain: "
			     "vrrpd-no-such-script not found"),
	    2);
	notify_sb_free(n);
}
END_TEST

START_TEST(split_brain_script_past_its_timeout_is_stopped)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_cmd cmd = { 0 };
	const char *masters[] = { "node-a", "node-b" };
	char line[160];
	struct notify_sb *n;
	double t0;

	err_capture();
	write_sb_script();
	snprintf(line, sizeof(line), "%s/sb 30", dir);
	cmd.cmd = line;
	ck_assert_ptr_nonnull(n = notify_sb_new(EV_DEFAULT, &cmd, &g));
	notify_sb_set_timeout(n, 200);
	t0 = now_s();
	notify_sb_post(n, "VI_1", true, masters, 2);
	drain_sb(n, 5.0);
	ck_assert(!notify_sb_busy(n));
	ck_assert_msg(now_s() - t0 < 2.0, "stopped after %.3f s", now_s() - t0);
	ck_assert_msg(now_s() - t0 >= 0.19, "stopped after %.3f s",
	    now_s() - t0);
	ck_assert_int_eq(count(err_text(),
			     "registry: notify_split_brain VI_1 started: "
			     "still running after 200 ms, stopping it\n"),
	    1);
	ck_assert_msg(strstr(err_text(),
			  "registry: notify_split_brain VI_1 started: "
			  "killed by signal 15 after ") != NULL,
	    "%s", err_text());
	ck_assert_ptr_nonnull(strstr(err_text(), " ms (timeout)\n"));
	notify_sb_free(n);
	cleanup();
}
END_TEST

START_TEST(split_brain_queue_overflow_drops_the_oldest_with_one_warning)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_cmd cmd = { 0 };
	char line[160], name[16], want[128];
	const char *text, *at, *prev;
	struct notify_sb *n;

	err_capture();
	write_sb_script();
	snprintf(line, sizeof(line), "%s/sb", dir);
	cmd.cmd = line;
	ck_assert_ptr_nonnull(n = notify_sb_new(EV_DEFAULT, &cmd, &g));
	/*
	 * I0's script starts at once and is not reaped before the loop
	 * turns: I1..I64 fill the queue, I65 and I66 push out I1 and I2.
	 */
	for (int i = 0; i < NOTIFY_SB_QUEUE_MAX + 3; i++) {
		snprintf(name, sizeof(name), "I%d", i);
		notify_sb_post(n, name, true, NULL, 0);
	}
	drain_sb(n, 8.0);
	ck_assert(!notify_sb_busy(n));
	text = log_text();
	ck_assert_int_eq(count(text, "[SPLIT_BRAIN]"), NOTIFY_SB_QUEUE_MAX + 1);
	ck_assert_ptr_null(strstr(text, "[I1]"));
	ck_assert_ptr_null(strstr(text, "[I2]"));
	/* the others ran, in order */
	prev = strstr(text, "[I0]");
	ck_assert_ptr_nonnull(prev);
	for (int i = 3; i < NOTIFY_SB_QUEUE_MAX + 3; i++) {
		snprintf(name, sizeof(name), "[I%d]", i);
		at = strstr(text, name);
		ck_assert_msg(at != NULL && at > prev, "%s: %s", name, text);
		prev = at;
	}
	notify_sb_free(n);
	ck_assert_int_eq(count(err_text(), "dropped"), 1);
	snprintf(want, sizeof(want),
	    "registry: notify_split_brain: queue full (%d waiting): "
	    "2 oldest events dropped\n",
	    NOTIFY_SB_QUEUE_MAX);
	ck_assert_msg(strstr(err_text(), want) != NULL, "%s", err_text());
	cleanup();
}
END_TEST

/* ---- the notify FIFOs: their reader scripts, priority lines ---- */

/* Turn the loop until dir/name holds want (or the deadline). */
static bool
wait_text(const char *name, const char *want, double secs)
{
	static char buf[4096];
	double end = now_s() + secs;
	char path[160];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	do {
		buf[0] = '\0';
		if ((f = fopen(path, "r")) != NULL) {
			n = fread(buf, 1, sizeof(buf) - 1, f);
			buf[n] = '\0';
			fclose(f);
		}
		if (strcmp(buf, want) == 0)
			return true;
		ev_run(EV_DEFAULT, EVRUN_NOWAIT);
		usleep(10000);
	} while (now_s() < end);
	fprintf(stderr, "%s: %s", path, buf);
	return false;
}

/*
 * The reader script dir/reader OUT: after 0.3 s (lines are written before
 * it opens the FIFO), copies its last argument (the FIFO) to dir/OUT until
 * the end of the file, ignoring SIGTERM as keepalived's sample script
 * defers it (the test kills it with SIGKILL in the end).
 */
static void
write_reader(void)
{
	char path[128];
	FILE *f;

	write_script();
	snprintf(path, sizeof(path), "%s/reader", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fprintf(f,
	    "#!/bin/sh\ntrap '' TERM\nsleep 0.3\nexec cat \"$2\" >%s/$1\n",
	    dir);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

START_TEST(fifo_script_reads_every_line_from_the_first)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_cmd cmd = { 0 };
	struct conf_notify cn = { 0 };
	char fifo[128], script[128];
	struct notify_fifo *f;
	struct notify *n;
	struct stat st;
	pid_t pid;
	bool ok;

	write_reader();
	snprintf(fifo, sizeof(fifo), "%s/vrrp.fifo", dir);
	snprintf(script, sizeof(script), "%s/reader out", dir);
	cmd.cmd = script;
	g.vrrp_notify_fifo = fifo;
	g.vrrp_notify_fifo_script = cmd;
	f = notify_fifo_new(EV_DEFAULT, "vrrp_notify_fifo", fifo, &cmd, &g);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_gt(pid = (pid_t)notify_fifo_script_pid(f), 0);
	/* made here, a FIFO */
	ck_assert_int_eq(lstat(fifo, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0644);
	ck_assert(notify_fifo_same(f, fifo, &cmd));
	ck_assert(!notify_fifo_same(f, "/run/other.fifo", &cmd));
	/* written at once, whether or not the script has it open yet */
	n = notify_new(EV_DEFAULT, "VI_1", &cn, &g, 0);
	ck_assert_ptr_nonnull(n);
	notify_post(n,
	    &(struct notify_event) { .state = VRRP_STATE_BACKUP,
		.priority = 150 });
	notify_priority(n, false, 120);
	/* lines written before the script opened it wait in the pipe */
	ok = wait_text("out",
	    "INSTANCE \"VI_1\" BACKUP 150\n"
	    "INSTANCE \"VI_1\" BACKUP_PRIORITY 120\n",
	    5.0);
	if (!ok)
		(void)kill(pid, SIGKILL); /* it ignores TERM */
	ck_assert(ok);
	notify_post(n,
	    &(struct notify_event) { .state = VRRP_STATE_MASTER,
		.priority = 120 });
	notify_priority(n, true, 90);
	notify_post(n,
	    &(struct notify_event) { .state = VRRP_STATE_INIT,
		.priority = 90 });
	notify_free(n);
	/* the end: removed, TERM (ignored here), end of file: cat exits */
	notify_fifo_free(f);
	ok = wait_text("out",
	    "INSTANCE \"VI_1\" BACKUP 150\n"
	    "INSTANCE \"VI_1\" BACKUP_PRIORITY 120\n"
	    "INSTANCE \"VI_1\" MASTER 120\n"
	    "INSTANCE \"VI_1\" MASTER_PRIORITY 90\n"
	    "INSTANCE \"VI_1\" STOP 90\n",
	    5.0);
	(void)kill(pid, SIGKILL); /* gone already, unless it failed */
	ck_assert(ok);
	ck_assert_int_eq(lstat(fifo, &st), -1);
	cleanup();
}
END_TEST

/*
 * A reload that changes the script: the FIFO is made anew, the old script
 * (which takes its time over SIGTERM) reads the old one to its end, the
 * new script gets every line from then on; none is lost or shared.
 */
START_TEST(fifo_script_changed_by_a_reload_takes_the_lines_from_then_on)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_cmd one = { 0 }, two = { 0 };
	struct conf_notify cn = { 0 };
	char fifo[128], s1[128], s2[128];
	struct notify_fifo *f;
	struct notify *n;
	pid_t p1, p2;
	bool ok;

	write_reader();
	snprintf(fifo, sizeof(fifo), "%s/vrrp.fifo", dir);
	snprintf(s1, sizeof(s1), "%s/reader one", dir);
	snprintf(s2, sizeof(s2), "%s/reader two", dir);
	one.cmd = s1;
	two.cmd = s2;
	g.vrrp_notify_fifo = fifo;
	f = notify_fifo_new(EV_DEFAULT, "vrrp_notify_fifo", fifo, &one, &g);
	ck_assert_ptr_nonnull(f);
	p1 = (pid_t)notify_fifo_script_pid(f);
	n = notify_new(EV_DEFAULT, "VI_1", &cn, &g, 0);
	notify_post(n,
	    &(struct notify_event) { .state = VRRP_STATE_BACKUP,
		.priority = 100 });
	ck_assert(notify_fifo_reload(f, fifo, &one, &g)); /* unchanged */
	ck_assert_int_eq(notify_fifo_script_pid(f), p1);
	/* (a script SIGTERM finds before it ignores it would just end) */
	ok = wait_text("one", "INSTANCE \"VI_1\" BACKUP 100\n", 5.0);
	ck_assert(notify_fifo_reload(f, fifo, &two, &g));
	p2 = (pid_t)notify_fifo_script_pid(f);
	ck_assert(!notify_fifo_reload(f, "/run/elsewhere.fifo", &two, &g));
	notify_post(n,
	    &(struct notify_event) { .state = VRRP_STATE_MASTER,
		.priority = 100 });
	ok = ok && wait_text("two", "INSTANCE \"VI_1\" MASTER 100\n", 5.0);
	notify_free(n);
	notify_fifo_free(f);
	/* nothing more for either: the old one had its end of file */
	ok = ok && wait_text("one", "INSTANCE \"VI_1\" BACKUP 100\n", 0.3) &&
	    wait_text("two", "INSTANCE \"VI_1\" MASTER 100\n", 0.3);
	(void)kill(p1, SIGKILL);
	(void)kill(p2, SIGKILL);
	ck_assert(ok);
	ck_assert_int_gt(p2, 0);
	ck_assert_int_ne(p2, p1);
	cleanup();
}
END_TEST

START_TEST(fifo_path_that_is_not_a_fifo_is_refused)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_cmd none = { 0 };
	char path[128];
	FILE *file;

	write_script();
	snprintf(path, sizeof(path), "%s/plain", dir);
	ck_assert_ptr_nonnull(file = fopen(path, "w"));
	fclose(file);
	ck_assert_ptr_null(
	    notify_fifo_new(EV_DEFAULT, "notify_fifo", path, &none, &g));
	/* left as it was */
	ck_assert_int_eq(access(path, F_OK), 0);
	cleanup();
}
END_TEST

/* Without a script the FIFO is made, not held: no reader, no line. */
START_TEST(fifo_without_a_script_is_made_and_removed)
{
	struct conf_global g = { .script_user = "root" };
	struct conf_cmd none = { 0 };
	struct notify_fifo *f;
	char path[128];
	struct stat st;

	write_script();
	snprintf(path, sizeof(path), "%s/all.fifo", dir);
	f = notify_fifo_new(EV_DEFAULT, "notify_fifo", path, &none, &g);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(notify_fifo_script_pid(f), 0);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(open(path, O_WRONLY | O_NONBLOCK), -1); /* ENXIO */
	notify_fifo_free(f);
	ck_assert_int_eq(lstat(path, &st), -1);
	cleanup();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("queue");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, idle_queue_runs_at_once_busy_queue_waits);
	tcase_add_test(tc, backlog_coalesces_to_the_latest_state);
	tcase_add_test(tc, state_words_are_keepalived_s);
	suite_add_tcase(s, tc);
	tc = tcase_create("scripts");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, scripts_run_one_at_a_time_and_a_backlog_coalesces);
	tcase_add_test(tc, a_script_past_its_timeout_is_stopped);
	suite_add_tcase(s, tc);
	tc = tcase_create("split_brain");
	tcase_set_timeout(tc, 15);
	tcase_add_test(tc, split_brain_script_gets_arguments_and_environment);
	tcase_add_test(tc, split_brain_events_back_to_back_both_run_in_order);
	tcase_add_test(tc, split_brain_without_a_command_is_ignored);
	tcase_add_test(tc, split_brain_script_not_found_is_logged_and_skipped);
	tcase_add_test(tc, split_brain_script_past_its_timeout_is_stopped);
	tcase_add_test(tc,
	    split_brain_queue_overflow_drops_the_oldest_with_one_warning);
	suite_add_tcase(s, tc);
	tc = tcase_create("fifo");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, fifo_script_reads_every_line_from_the_first);
	tcase_add_test(tc,
	    fifo_script_changed_by_a_reload_takes_the_lines_from_then_on);
	tcase_add_test(tc, fifo_path_that_is_not_a_fifo_is_refused);
	tcase_add_test(tc, fifo_without_a_script_is_made_and_removed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
