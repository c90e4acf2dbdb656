/* SPDX-License-Identifier: BSD-2-Clause */
/* notify: the per-instance queue (one running, the latest waiting). */

#include <sys/stat.h>

#include <check.h>
#include <ev.h>
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
	static char buf[512];
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
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
