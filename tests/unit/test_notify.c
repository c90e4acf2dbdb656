/* SPDX-License-Identifier: BSD-2-Clause */
/* notify: the per-instance queue (one running, the latest waiting). */

#include <check.h>
#include <stdlib.h>

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
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
