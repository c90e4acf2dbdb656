/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The script kind: command line splitting, then real runs through a
 * hand-made struct checker on EV_DEFAULT (libev's ev_child needs it).
 */

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <check.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker_priv.h"
#include "child_test.h"
#include "script_priv.h"

/*
 * splitting
 */

static char sbuf[1024];
static char *sargv[CHECKER_SCRIPT_MAX_ARGS + 1];
static size_t sargc;

static enum checker_script_split_err
split(const char *cmd)
{
	return checker_script_split(cmd, sbuf, sizeof(sbuf), sargv,
	    CHECKER_SCRIPT_MAX_ARGS, &sargc);
}

START_TEST(split_words_on_blanks)
{
	ck_assert_int_eq(split("  /bin/chk \t-a\n b  "), CHECKER_SPLIT_OK);
	ck_assert_uint_eq(sargc, 3);
	ck_assert_str_eq(sargv[0], "/bin/chk");
	ck_assert_str_eq(sargv[1], "-a");
	ck_assert_str_eq(sargv[2], "b");
	ck_assert_ptr_null(sargv[3]);
}
END_TEST

START_TEST(split_single_quotes_are_literal)
{
	ck_assert_int_eq(split("sh -c 'exit 7; echo \"x\" \\n'"),
	    CHECKER_SPLIT_OK);
	ck_assert_uint_eq(sargc, 3);
	ck_assert_str_eq(sargv[2], "exit 7; echo \"x\" \\n");
}
END_TEST

START_TEST(split_double_quotes_take_two_escapes)
{
	ck_assert_int_eq(split("/bin/sh -c \"exit 7\" \"a\\\"b\\\\c\\d\""),
	    CHECKER_SPLIT_OK);
	ck_assert_uint_eq(sargc, 4);
	ck_assert_str_eq(sargv[0], "/bin/sh");
	ck_assert_str_eq(sargv[1], "-c");
	ck_assert_str_eq(sargv[2], "exit 7");
	ck_assert_str_eq(sargv[3], "a\"b\\c\\d");
}
END_TEST

START_TEST(split_backslash_outside_quotes_escapes_one_char)
{
	ck_assert_int_eq(split("a\\ b c\\'d"), CHECKER_SPLIT_OK);
	ck_assert_uint_eq(sargc, 2);
	ck_assert_str_eq(sargv[0], "a b");
	ck_assert_str_eq(sargv[1], "c'd");
}
END_TEST

START_TEST(split_adjacent_parts_make_one_word)
{
	ck_assert_int_eq(split("--opt=\"a b\"'c d'e"), CHECKER_SPLIT_OK);
	ck_assert_uint_eq(sargc, 1);
	ck_assert_str_eq(sargv[0], "--opt=a bc de");
}
END_TEST

START_TEST(split_empty_quotes_are_an_empty_word)
{
	ck_assert_int_eq(split("chk \"\" ''"), CHECKER_SPLIT_OK);
	ck_assert_uint_eq(sargc, 3);
	ck_assert_str_eq(sargv[1], "");
	ck_assert_str_eq(sargv[2], "");
}
END_TEST

START_TEST(split_shell_syntax_is_not_special)
{
	ck_assert_int_eq(split("chk $HOME *;|>x"), CHECKER_SPLIT_OK);
	ck_assert_uint_eq(sargc, 3);
	ck_assert_str_eq(sargv[1], "$HOME");
	ck_assert_str_eq(sargv[2], "*;|>x");
}
END_TEST

START_TEST(split_empty_line_is_an_error)
{
	ck_assert_int_eq(split(""), CHECKER_SPLIT_EMPTY);
	ck_assert_int_eq(split(" \t\n"), CHECKER_SPLIT_EMPTY);
	ck_assert_uint_eq(sargc, 0);
}
END_TEST

START_TEST(split_unterminated_quote_is_an_error)
{
	ck_assert_int_eq(split("chk 'abc"), CHECKER_SPLIT_UNTERMINATED);
	ck_assert_int_eq(split("chk \"abc\\\""), CHECKER_SPLIT_UNTERMINATED);
	ck_assert_int_eq(split("chk abc\\"), CHECKER_SPLIT_TRAILING_BACKSLASH);
}
END_TEST

START_TEST(split_too_many_words_is_an_error)
{
	char line[512] = "";

	for (int i = 0; i < CHECKER_SCRIPT_MAX_ARGS; i++)
		strcat(line, "w ");
	ck_assert_int_eq(split(line), CHECKER_SPLIT_OK);
	ck_assert_uint_eq(sargc, CHECKER_SCRIPT_MAX_ARGS);
	ck_assert_ptr_null(sargv[CHECKER_SCRIPT_MAX_ARGS]);
	strcat(line, "w");
	ck_assert_int_eq(split(line), CHECKER_SPLIT_TOO_MANY);
}
END_TEST

START_TEST(split_needs_room_for_the_line)
{
	char small[4];

	ck_assert_int_eq(checker_script_split("abcd", small, sizeof(small),
			     sargv, CHECKER_SCRIPT_MAX_ARGS, &sargc),
	    CHECKER_SPLIT_TOO_LONG);
	ck_assert_int_eq(checker_script_split("abc", small, sizeof(small),
			     sargv, CHECKER_SCRIPT_MAX_ARGS, &sargc),
	    CHECKER_SPLIT_OK);
	ck_assert_str_eq(sargv[0], "abc");
	ck_assert_str_eq(checker_script_split_strerror(CHECKER_SPLIT_TOO_MANY),
	    "too many words");
}
END_TEST

/*
 * runs
 */

struct harness {
	struct conf_check cc;
	struct conf_global g;
	struct checker c;
};

static char tmp[128]; /* this test's directory */

static void
run_setup(void)
{
	child_test_dir(tmp, sizeof(tmp));
	/* Orphaned grandchildren come back to us, so their death shows. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
}

static struct harness *
h_new(const char *cmd, uint32_t timeout_ms)
{
	struct harness *h = calloc(1, sizeof(*h));

	ck_assert_ptr_nonnull(h);
	h->cc.name = strdup("t");
	h->cc.kind = CONF_CHECK_SCRIPT;
	h->cc.interval_ms = 1000;
	h->cc.timeout_ms = timeout_ms;
	h->cc.script.cmd = strdup(cmd);
	h->c.cc = &h->cc;
	h->c.g = &h->g;
	h->c.loop = EV_DEFAULT;
	h->c.kind = &checker_kind_script;
	checker_eval_init(&h->c.eval, 1, 1, false);
	return h;
}

static void
h_init(struct harness *h)
{
	const char *err = NULL;

	ck_assert_msg(h->c.kind->init(&h->c, &err) == 0, "init: %s", err);
}

static void
h_free(struct harness *h)
{
	if (h->c.kstate != NULL)
		h->c.kind->fini(&h->c);
	free(h->cc.name);
	free(h->cc.script.cmd);
	free(h->cc.script.user);
	free(h);
}

static void
guard_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

/* Turn the loop until done() or the deadline; false on the deadline. */
static bool
turn_until(bool (*done)(void *), void *arg, double limit_s)
{
	struct ev_loop *loop = EV_DEFAULT;
	double deadline = ev_time() + limit_s;
	ev_timer guard;
	bool ok;

	ev_timer_init(&guard, guard_cb, 0.01, 0.01);
	ev_timer_start(loop, &guard);
	while (!(ok = done(arg)) && ev_time() < deadline)
		ev_run(loop, EVRUN_ONCE);
	ev_timer_stop(loop, &guard);
	return ok;
}

static bool
not_running(void *arg)
{
	return !((struct checker *)arg)->running;
}

/* One run as the framework does it; returns what checker_done stored. */
static struct checker_outcome
h_run(struct harness *h, double limit_s)
{
	struct checker *c = &h->c;
	struct checker_outcome o;

	memset(&o, 0, sizeof(o));
	c->running = true;
	c->started_us = util_now_us();
	if (c->kind->start(c, &o) != 0) {
		c->running = false;
		return o;
	}
	ck_assert_msg(turn_until(not_running, c, limit_s),
	    "the run did not end within %.1f s", limit_s);
	return c->last;
}

static struct checker_outcome
run_cmd(const char *cmd, uint32_t timeout_ms)
{
	struct harness *h = h_new(cmd, timeout_ms);
	struct checker_outcome o;

	h_init(h);
	o = h_run(h, 5.0);
	h_free(h);
	return o;
}

START_TEST(true_is_ok)
{
	struct checker_outcome o = run_cmd("/bin/true", 2000);

	ck_assert_int_eq(o.result, CHECKER_OK);
	ck_assert_int_eq(o.detail, 0);
	ck_assert_uint_gt(o.latency_us, 0);
}
END_TEST

START_TEST(bare_name_is_found_in_the_fixed_path)
{
	ck_assert_int_eq(run_cmd("true", 2000).result, CHECKER_OK);
}
END_TEST

START_TEST(false_is_exit_1)
{
	struct checker_outcome o = run_cmd("/bin/false", 2000);

	ck_assert_int_eq(o.result, CHECKER_SCRIPT_EXIT);
	ck_assert_int_eq(o.detail, 1);
}
END_TEST

START_TEST(sh_dash_c_is_just_argv)
{
	struct checker_outcome o = run_cmd("/bin/sh -c \"exit 7\"", 2000);

	ck_assert_int_eq(o.result, CHECKER_SCRIPT_EXIT);
	ck_assert_int_eq(o.detail, 7);
}
END_TEST

START_TEST(killed_by_a_signal_is_script_signal)
{
	struct checker_outcome o = run_cmd("/bin/sh -c 'kill -USR1 $$'", 2000);

	ck_assert_int_eq(o.result, CHECKER_SCRIPT_SIGNAL);
	ck_assert_int_eq(o.detail, SIGUSR1);
}
END_TEST

START_TEST(missing_binary_is_exec_enoent)
{
	struct checker_outcome o = run_cmd("/nonexistent/chk arg", 2000);

	ck_assert_int_eq(o.result, CHECKER_SCRIPT_EXEC);
	ck_assert_int_eq(o.detail, ENOENT);
}
END_TEST

START_TEST(missing_bare_name_is_exec_enoent)
{
	struct checker_outcome o = run_cmd("no-such-command-vrrpd", 2000);

	ck_assert_int_eq(o.result, CHECKER_SCRIPT_EXEC);
	ck_assert_int_eq(o.detail, ENOENT);
}
END_TEST

START_TEST(not_executable_is_exec_eacces)
{
	char cmd[PATH_MAX];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s/noexec", tmp);
	ck_assert_ptr_nonnull(f = fopen(cmd, "w"));
	fclose(f);
	ck_assert_int_eq(chmod(cmd, 0644), 0);
	struct checker_outcome o = run_cmd(cmd, 2000);

	ck_assert_int_eq(o.result, CHECKER_SCRIPT_EXEC);
	ck_assert_int_eq(o.detail, EACCES);
}
END_TEST

START_TEST(init_refuses_bad_command_lines)
{
	struct harness *h = h_new("/bin/chk 'open", 1000);
	const char *err = NULL;

	ck_assert_int_eq(h->c.kind->init(&h->c, &err), -1);
	ck_assert_str_eq(err, "unterminated quote");
	ck_assert_ptr_null(h->c.kstate);
	free(h->cc.script.cmd);
	h->cc.script.cmd = strdup("   ");
	ck_assert_int_eq(h->c.kind->init(&h->c, &err), -1);
	ck_assert_str_eq(err, "empty command line");
	h_free(h);
}
END_TEST

START_TEST(init_refuses_an_unknown_user)
{
	struct harness *h = h_new("/bin/true", 1000);
	const char *err = NULL;

	h->cc.script.user = strdup("no-such-user-vrrpd");
	ck_assert_int_eq(h->c.kind->init(&h->c, &err), -1);
	ck_assert_str_eq(err, "script user: unknown user no-such-user-vrrpd");
	h_free(h);
}
END_TEST

/* The pid a script wrote to FILE, once it is there. */
static bool
file_has_pid(void *arg)
{
	FILE *f = fopen(arg, "r");
	long pid = 0;

	if (f == NULL)
		return false;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0;
}

static void
read_pids(const char *file, long *a, long *b)
{
	FILE *f = fopen(file, "r");

	ck_assert_ptr_nonnull(f);
	*b = 0;
	ck_assert_int_ge(fscanf(f, "%ld %ld", a, b), 1);
	fclose(f);
}

/* Gone for good: no /proc entry (reaped), not even a zombie. */
static bool
pid_gone(void *arg)
{
	return kill((pid_t)(long)(intptr_t)arg, 0) == -1 && errno == ESRCH;
}

static bool
group_gone(void *arg)
{
	return kill(-(pid_t)(long)(intptr_t)arg, 0) == -1 && errno == ESRCH;
}

START_TEST(sleeper_times_out)
{
	double t0 = ev_time();
	struct checker_outcome o = run_cmd("/bin/sleep 10", 200);

	ck_assert_int_eq(o.result, CHECKER_SCRIPT_TIMEOUT);
	/* SIGTERM ends sleep at once: well before the grace. */
	ck_assert_double_lt(ev_time() - t0, 0.4 + 0.3);
}
END_TEST

START_TEST(timeout_kills_the_whole_process_group)
{
	char pidf[PATH_MAX], cmd[PATH_MAX + 128];
	long sh, child;

	snprintf(pidf, sizeof(pidf), "%s/pid", tmp);
	snprintf(cmd, sizeof(cmd),
	    "/bin/sh -c '/bin/sleep 10 & echo $$ $! > %s; wait'", pidf);
	struct checker_outcome o = run_cmd(cmd, 200);

	ck_assert_int_eq(o.result, CHECKER_SCRIPT_TIMEOUT);
	read_pids(pidf, &sh, &child);
	ck_assert_int_gt(child, 0);
	ck_assert(turn_until(pid_gone, (void *)(intptr_t)sh, 2.0));
	ck_assert(turn_until(pid_gone, (void *)(intptr_t)child, 2.0));
	ck_assert(turn_until(group_gone, (void *)(intptr_t)sh, 2.0));
}
END_TEST

START_TEST(term_ignored_is_killed_after_the_grace)
{
	char pidf[PATH_MAX], cmd[PATH_MAX + 128];
	double t0 = ev_time(), dt;
	long sh, child;

	snprintf(pidf, sizeof(pidf), "%s/pid", tmp);
	snprintf(cmd, sizeof(cmd),
	    "/bin/sh -c 'trap \"\" TERM; /bin/sleep 10 & echo $$ $! > %s; "
	    "wait; wait'",
	    pidf);
	struct checker_outcome o = run_cmd(cmd, 200);

	dt = ev_time() - t0;
	ck_assert_int_eq(o.result, CHECKER_SCRIPT_TIMEOUT);
	/* timeout 0.2 s + grace min(0.2 s, 1 s) */
	ck_assert_double_ge(dt, 0.4);
	ck_assert_double_lt(dt, 1.5);
	read_pids(pidf, &sh, &child);
	ck_assert(turn_until(pid_gone, (void *)(intptr_t)child, 2.0));
	ck_assert(turn_until(group_gone, (void *)(intptr_t)sh, 2.0));
}
END_TEST

struct ticker {
	ev_timer w;
	double last, max_gap;
	unsigned int n;
};

static void
tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ticker *t = (struct ticker *)w;
	double now = ev_time();

	(void)loop;
	(void)revents;
	if (t->n++ > 0 && now - t->last > t->max_gap)
		t->max_gap = now - t->last;
	t->last = now;
}

START_TEST(a_hung_check_never_delays_the_loop)
{
	struct harness *h =
	    h_new("/bin/sh -c 'trap \"\" TERM; exec sleep 10'", 300);
	struct ticker t;
	struct checker_outcome o;

	memset(&t, 0, sizeof(t));
	h_init(h);
	ev_timer_init(&t.w, tick_cb, 0.01, 0.01);
	ev_timer_start(EV_DEFAULT, &t.w);
	o = h_run(h, 5.0);
	ev_timer_stop(EV_DEFAULT, &t.w);
	h_free(h);
	ck_assert_int_eq(o.result, CHECKER_SCRIPT_TIMEOUT);
	/* 0.3 s + 0.3 s grace at 10 ms: some 60 ticks, none late. */
	ck_assert_uint_ge(t.n, 40);
	ck_assert_msg(t.max_gap < 0.05, "a tick came %.3f s late", t.max_gap);
}
END_TEST

START_TEST(cancel_kills_and_reaps_after_the_check_is_freed)
{
	char pidf[PATH_MAX], cmd[PATH_MAX + 128];
	struct harness *h;
	struct checker_outcome o;
	long sh, child;

	snprintf(pidf, sizeof(pidf), "%s/pid", tmp);
	snprintf(cmd, sizeof(cmd),
	    "/bin/sh -c 'trap \"\" TERM; /bin/sleep 10 & echo $$ $! > %s; "
	    "wait'",
	    pidf);
	h = h_new(cmd, 5000);
	h_init(h);
	h->c.running = true;
	ck_assert_int_eq(h->c.kind->start(&h->c, &o), 0);
	ck_assert(turn_until(file_has_pid, pidf, 3.0));
	read_pids(pidf, &sh, &child);
	/* checker_free(): cancel, fini, then the memory is gone. */
	h->c.kind->cancel(&h->c);
	h_free(h);
	ck_assert(turn_until(pid_gone, (void *)(intptr_t)sh, 2.0));
	ck_assert(turn_until(pid_gone, (void *)(intptr_t)child, 2.0));
	ck_assert(turn_until(group_gone, (void *)(intptr_t)sh, 2.0));
	/* The detached record ran (ASan: no use of the freed check). */
	ev_run(EV_DEFAULT, EVRUN_NOWAIT);
}
END_TEST

START_TEST(a_start_failure_is_logged_once_not_every_run)
{
	struct harness *h = h_new("/nonexistent/chk", 1000);
	FILE *f = tmpfile();
	char buf[4096];
	const char *p;
	int saved, n = 0;
	size_t len;

	ck_assert_ptr_nonnull(f);
	h_init(h);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ne(dup2(fileno(f), STDERR_FILENO), -1);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(h_run(h, 5.0).result, CHECKER_SCRIPT_EXEC);
	dup2(saved, STDERR_FILENO);
	close(saved);
	h_free(h);
	rewind(f);
	len = fread(buf, 1, sizeof(buf) - 1, f);
	buf[len] = '\0';
	fclose(f);
	for (p = buf; (p = strstr(p, "could not run: execve")) != NULL; p++)
		n++;
	ck_assert_msg(n == 1, "logged %d times:\n%s", n, buf);
	ck_assert_ptr_nonnull(strstr(buf,
	    "check t: /nonexistent/chk: could "
	    "not run: execve: No such file"));
}
END_TEST

START_TEST(runs_repeat_on_one_check)
{
	struct harness *h = h_new("/bin/sh -c 'exit 3'", 2000);

	h_init(h);
	for (int i = 0; i < 5; i++) {
		struct checker_outcome o = h_run(h, 5.0);

		ck_assert_int_eq(o.result, CHECKER_SCRIPT_EXIT);
		ck_assert_int_eq(o.detail, 3);
	}
	h_free(h);
}
END_TEST

/*
 * privileges and the child's environment
 */

static char *
slurp(const char *dir, const char *name)
{
	static char buf[8][4096];
	static int k;
	char p[PATH_MAX];
	char *b = buf[k++ % 8];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "r");
	ck_assert_msg(f != NULL, "%s: %s", p, strerror(errno));
	n = fread(b, 1, sizeof(buf[0]) - 1, f);
	b[n] = '\0';
	fclose(f);
	return b;
}

static const char probe[] =
    "#!/bin/sh\n"
    "d=$1\n"
    "id -u > $d/uid\n"
    "id -g > $d/gid\n"
    "id -G > $d/groups\n"
    "grep -E '^(Cap|NoNewPrivs)' /proc/self/status > $d/status\n"
    "tr '\\0' '\\n' < /proc/$$/environ > $d/env\n"
    "ls -l /proc/self/fd > $d/fds\n"
    "readlink /proc/self/fd/0 > $d/stdin\n";

static void
write_probe(char *path, size_t size, char *out, size_t outsize)
{
	FILE *f;

	snprintf(path, size, "%s/probe", tmp);
	snprintf(out, outsize, "%s/out", tmp);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(probe, f);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(mkdir(out, 0777), 0);
	ck_assert_int_eq(chmod(out, 0777), 0);
}

/* Every fd above 2 in ls's listing is ls's own /proc/N/fd. */
static void
assert_only_stdio(const char *fds)
{
	const char *line = fds;

	for (; (line = strchr(line, '\n')) != NULL; line++) {
		int fd;
		char target[256];

		if (sscanf(line + 1,
			"%*s %*s %*s %*s %*s %*s %*s %*s %d -> %255s", &fd,
			target) != 2)
			continue;
		if (fd <= 2)
			continue;
		ck_assert_msg(strncmp(target, "/proc/", 6) == 0 &&
			strstr(target, "/fd") != NULL,
		    "fd %d is open in the child: %s", fd, target);
	}
}

START_TEST(runs_as_nobody_without_capabilities_or_environment)
{
	char path[PATH_MAX], out[PATH_MAX], cmd[2 * PATH_MAX + 4];
	struct harness *h;
	struct checker_outcome o;
	const char *st;
	int leak;

	write_probe(path, sizeof(path), out, sizeof(out));
	snprintf(cmd, sizeof(cmd), "%s %s", path, out);
	/* A descriptor the daemon forgot to mark close-on-exec. */
	ck_assert_int_ge(leak = open("/dev/zero", O_RDONLY), 3);
	h = h_new(cmd, 3000);
	h->cc.script.user = strdup("nobody");
	h_init(h);
	o = h_run(h, 5.0);
	h_free(h);
	close(leak);
	ck_assert_int_eq(o.result, CHECKER_OK);
	ck_assert_str_eq(slurp(out, "uid"), "65534\n");
	ck_assert_str_eq(slurp(out, "gid"), "65534\n");
	ck_assert_str_eq(slurp(out, "groups"), "65534\n");
	st = slurp(out, "status");
	ck_assert_ptr_nonnull(strstr(st, "CapInh:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(st, "CapPrm:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(st, "CapEff:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(st, "CapBnd:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(st, "CapAmb:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(st, "NoNewPrivs:\t1\n"));
	ck_assert_str_eq(slurp(out, "env"),
	    "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLANG=C\n");
	ck_assert_str_eq(slurp(out, "stdin"), "/dev/null\n");
	assert_only_stdio(slurp(out, "fds"));
}
END_TEST

START_TEST(global_script_user_and_group_apply)
{
	char path[PATH_MAX], out[PATH_MAX], cmd[2 * PATH_MAX + 4];
	struct harness *h;
	struct checker_outcome o;

	write_probe(path, sizeof(path), out, sizeof(out));
	snprintf(cmd, sizeof(cmd), "%s %s", path, out);
	h = h_new(cmd, 3000);
	h->g.script_user = "nobody";
	h->g.script_group = "nogroup";
	h_init(h);
	o = h_run(h, 5.0);
	h_free(h);
	ck_assert_int_eq(o.result, CHECKER_OK);
	ck_assert_str_eq(slurp(out, "uid"), "65534\n");
	ck_assert_str_eq(slurp(out, "gid"), "65534\n");
}
END_TEST

START_TEST(root_fallback_still_drops_capabilities)
{
	char path[PATH_MAX], out[PATH_MAX], cmd[2 * PATH_MAX + 4];
	struct checker_outcome o;
	const char *st;

	ck_assert_msg(getpwnam("vrrpd-script") == NULL &&
		getpwnam("keepalived_script") == NULL,
	    "this host has a default script user: the test needs neither");
	write_probe(path, sizeof(path), out, sizeof(out));
	snprintf(cmd, sizeof(cmd), "%s %s", path, out);
	o = run_cmd(cmd, 3000);
	ck_assert_int_eq(o.result, CHECKER_OK);
	ck_assert_str_eq(slurp(out, "uid"), "0\n");
	st = slurp(out, "status");
	ck_assert_ptr_nonnull(strstr(st, "CapEff:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(st, "CapBnd:\t0000000000000000\n"));
}
END_TEST

START_TEST(explicit_root_keeps_the_daemons_capabilities)
{
	char path[PATH_MAX], out[PATH_MAX], cmd[2 * PATH_MAX + 4];
	struct harness *h;
	struct checker_outcome o;
	const char *st;

	write_probe(path, sizeof(path), out, sizeof(out));
	snprintf(cmd, sizeof(cmd), "%s %s", path, out);
	h = h_new(cmd, 3000);
	h->cc.script.user = strdup("root");
	h_init(h);
	o = h_run(h, 5.0);
	h_free(h);
	ck_assert_int_eq(o.result, CHECKER_OK);
	ck_assert_str_eq(slurp(out, "uid"), "0\n");
	st = slurp(out, "status");
	/* keepalived's root scripts run ip(8): they keep what vrrpd has */
	ck_assert_ptr_null(strstr(st, "CapEff:\t0000000000000000\n"));
	ck_assert_ptr_null(strstr(st, "CapBnd:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(st, "NoNewPrivs:\t1\n"));
	ck_assert_str_eq(slurp(out, "env"),
	    "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLANG=C\n");
}
END_TEST

/*
 * enable_script_security
 */

START_TEST(security_refuses_a_root_script_in_an_open_directory)
{
	char path[PATH_MAX];
	struct harness *h;
	struct checker_outcome o;
	FILE *f;

	snprintf(path, sizeof(path), "%s/open", tmp);
	ck_assert_int_eq(mkdir(path, 0777), 0);
	ck_assert_int_eq(chmod(path, 0777), 0);
	snprintf(path, sizeof(path), "%s/open/chk", tmp);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
	h = h_new(path, 1000);
	h->g.script_security = true;
	h->cc.script.user = strdup("nobody");
	h_init(h);
	o = h_run(h, 5.0);
	h_free(h);
	ck_assert_int_eq(o.result, CHECKER_SCRIPT_INSECURE);
}
END_TEST

START_TEST(security_allows_a_system_binary)
{
	struct harness *h = h_new("/bin/true", 1000);
	struct checker_outcome o;

	h->g.script_security = true;
	h_init(h);
	o = h_run(h, 5.0);
	h_free(h);
	ck_assert_int_eq(o.result, CHECKER_OK);
}
END_TEST

START_TEST(security_skips_a_user_script_run_as_a_user)
{
	char path[PATH_MAX];
	struct harness *h;
	struct checker_outcome o;
	FILE *f;

	snprintf(path, sizeof(path), "%s/chk", tmp);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	h = h_new(path, 1000);
	h->g.script_security = true;
	h->cc.script.user = strdup("nobody");
	h_init(h);
	o = h_run(h, 5.0);
	h_free(h);
	ck_assert_int_eq(o.result, CHECKER_OK);
}
END_TEST

static Suite *
script_suite(void)
{
	Suite *s = suite_create("check_script");
	TCase *tc;

	tc = tcase_create("split");
	tcase_add_test(tc, split_words_on_blanks);
	tcase_add_test(tc, split_single_quotes_are_literal);
	tcase_add_test(tc, split_double_quotes_take_two_escapes);
	tcase_add_test(tc, split_backslash_outside_quotes_escapes_one_char);
	tcase_add_test(tc, split_adjacent_parts_make_one_word);
	tcase_add_test(tc, split_empty_quotes_are_an_empty_word);
	tcase_add_test(tc, split_shell_syntax_is_not_special);
	tcase_add_test(tc, split_empty_line_is_an_error);
	tcase_add_test(tc, split_unterminated_quote_is_an_error);
	tcase_add_test(tc, split_too_many_words_is_an_error);
	tcase_add_test(tc, split_needs_room_for_the_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("runs");
	tcase_add_unchecked_fixture(tc, child_test_setup, child_test_teardown);
	tcase_add_checked_fixture(tc, run_setup, NULL);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, true_is_ok);
	tcase_add_test(tc, bare_name_is_found_in_the_fixed_path);
	tcase_add_test(tc, false_is_exit_1);
	tcase_add_test(tc, sh_dash_c_is_just_argv);
	tcase_add_test(tc, killed_by_a_signal_is_script_signal);
	tcase_add_test(tc, missing_binary_is_exec_enoent);
	tcase_add_test(tc, missing_bare_name_is_exec_enoent);
	tcase_add_test(tc, not_executable_is_exec_eacces);
	tcase_add_test(tc, init_refuses_bad_command_lines);
	tcase_add_test(tc, init_refuses_an_unknown_user);
	tcase_add_test(tc, sleeper_times_out);
	tcase_add_test(tc, timeout_kills_the_whole_process_group);
	tcase_add_test(tc, term_ignored_is_killed_after_the_grace);
	tcase_add_test(tc, a_hung_check_never_delays_the_loop);
	tcase_add_test(tc, cancel_kills_and_reaps_after_the_check_is_freed);
	tcase_add_test(tc, runs_repeat_on_one_check);
	tcase_add_test(tc, a_start_failure_is_logged_once_not_every_run);
	suite_add_tcase(s, tc);

	tc = tcase_create("privileges");
	tcase_add_unchecked_fixture(tc, child_test_setup, child_test_teardown);
	tcase_add_checked_fixture(tc, run_setup, NULL);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, runs_as_nobody_without_capabilities_or_environment);
	tcase_add_test(tc, global_script_user_and_group_apply);
	tcase_add_test(tc, root_fallback_still_drops_capabilities);
	tcase_add_test(tc, explicit_root_keeps_the_daemons_capabilities);
	suite_add_tcase(s, tc);

	tc = tcase_create("security");
	tcase_add_unchecked_fixture(tc, child_test_setup, child_test_teardown);
	tcase_add_checked_fixture(tc, run_setup, NULL);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, security_refuses_a_root_script_in_an_open_directory);
	tcase_add_test(tc, security_allows_a_system_binary);
	tcase_add_test(tc, security_skips_a_user_script_run_as_a_user);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(script_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
