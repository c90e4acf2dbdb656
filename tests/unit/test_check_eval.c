/* SPDX-License-Identifier: BSD-2-Clause */
/* check/eval: rise/fall and keepalived's weight arithmetic, pure. */

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/checker.h"
#include "vrrpd/vrrp_fsm.h"

/* Feed a string of results ('+' success, '-' failure); "u"/"d" per step. */
static void
feed(struct checker_eval *e, const char *results, const char *want)
{
	char got[64];
	size_t i;

	for (i = 0; results[i] != '\0' && i < sizeof(got) - 1; i++) {
		checker_eval_result(e, results[i] == '+');
		got[i] = e->up ? 'u' : 'd';
	}
	got[i] = '\0';
	ck_assert_str_eq(got, want);
}

START_TEST(up_check_goes_down_after_fall_failures_in_a_row)
{
	struct checker_eval e;

	checker_eval_init(&e, 2, 3, false);
	ck_assert(e.up);
	/* a success in between restarts the count */
	feed(&e, "--+---", "uuuuud");
}
END_TEST

START_TEST(down_check_goes_up_after_rise_successes_in_a_row)
{
	struct checker_eval e;

	checker_eval_init(&e, 2, 3, true); /* init_fail */
	ck_assert(!e.up);
	/* a failure in between restarts the count */
	feed(&e, "+-++", "dddu");
}
END_TEST

START_TEST(result_reports_only_changes)
{
	struct checker_eval e;

	checker_eval_init(&e, 1, 1, false);
	ck_assert(!checker_eval_result(&e, true));
	ck_assert(checker_eval_result(&e, false));
	ck_assert(!checker_eval_result(&e, false));
	ck_assert(checker_eval_result(&e, true));
}
END_TEST

START_TEST(rise_and_fall_of_zero_count_as_one)
{
	struct checker_eval e;

	checker_eval_init(&e, 0, 0, false);
	feed(&e, "-+-", "dud");
}
END_TEST

/* keepalived: weight +W added while up, -W added while down. */
START_TEST(weights_follow_keepalived)
{
	static const struct {
		bool up;
		int weight;
		bool reverse;
		int contrib;
		bool faulty;
	} rows[] = {
		{ true, 20, false, 20, false },
		{ false, 20, false, 0, false },
		{ true, -30, false, 0, false },
		{ false, -30, false, -30, false },
		/* reverse: the adjustment goes the other way */
		{ true, 20, true, -20, false },
		{ false, 20, true, 0, false },
		{ true, -30, true, 0, false },
		{ false, -30, true, 30, false },
		/* weight 0: fault while down (reverse: while up) */
		{ true, 0, false, 0, false },
		{ false, 0, false, 0, true },
		{ true, 0, true, 0, true },
		{ false, 0, true, 0, false },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct checker_part c = { .up = rows[i].up,
			.weight = rows[i].weight,
			.reverse = rows[i].reverse };

		ck_assert_msg(checker_eval_weight(&c) == rows[i].contrib,
		    "row %zu: weight %d", i, checker_eval_weight(&c));
		ck_assert_msg(checker_eval_faulty(&c) == rows[i].faulty,
		    "row %zu: faulty", i);
	}
}
END_TEST

START_TEST(priority_is_base_plus_weights_clamped)
{
	struct checker_part c[] = {
		{ .up = false, .weight = -60 }, /* check web failed */
		{ .up = true, .weight = 10 },	/* a bonus while up */
		{ .up = true, .weight = 0 },	/* fault-only, fine */
	};
	struct checker_prio p;

	checker_eval_priority(150, false, c, 3, &p);
	ck_assert_int_eq(p.priority, 100);
	ck_assert_int_eq(p.sum, -50);
	ck_assert_int_eq(c[0].contrib, -60);
	ck_assert_int_eq(c[1].contrib, 10);
	ck_assert_uint_eq(p.faults, 0);
	c[0].weight = -253;
	checker_eval_priority(150, false, c, 3, &p);
	ck_assert_int_eq(p.priority, 1);
	c[0].up = true;
	c[1].weight = 253;
	checker_eval_priority(150, false, c, 3, &p);
	ck_assert_int_eq(p.priority, 254);
	c[2].up = false;
	checker_eval_priority(150, false, c, 3, &p);
	ck_assert_uint_eq(p.faults, 1U << VRRP_FAULT_CHECK);
	ck_assert(c[2].fault && !c[0].fault);
}
END_TEST

START_TEST(owner_priority_never_moves)
{
	struct checker_part c = { .up = false, .weight = -100 };
	struct checker_prio p;

	checker_eval_priority(255, false, &c, 1, &p);
	ck_assert_int_eq(p.priority, 255);
	checker_eval_priority(255, false, NULL, 0, &p);
	ck_assert_int_eq(p.priority, 255);
	ck_assert_int_eq(p.sum, 0);
	/* an owner cannot hand over: a demotion does not lower it */
	checker_eval_priority(255, true, NULL, 0, &p);
	ck_assert_int_eq(p.priority, 255);
}
END_TEST

/* vrrpctl demote: below any peer, whatever the weights say. */
START_TEST(demoted_priority_is_one_with_the_breakdown_kept)
{
	struct checker_part c = { .kind = CONF_TRACK_CHECK,
		.up = true,
		.weight = 50 };
	struct checker_prio p;

	checker_eval_priority(150, true, &c, 1, &p);
	ck_assert_int_eq(p.priority, 1);
	ck_assert_int_eq(p.sum, 50);
	ck_assert_int_eq(c.contrib, 50);
}
END_TEST

/* Each kind of object faults with its own reason; files count values. */
START_TEST(every_kind_faults_with_its_own_reason)
{
	struct checker_part c[] = {
		{ .kind = CONF_TRACK_CHECK, .up = true },
		{ .kind = CONF_TRACK_IFACE, .up = false },
		{ .kind = CONF_TRACK_FILE, .value = 2, .weight = -10 },
		{ .kind = CONF_TRACK_PROCESS, .up = false, .weight = -5 },
		{ .kind = CONF_TRACK_FILE, .value = 1 },
	};
	struct checker_prio p;

	checker_eval_priority(100, false, c, 5, &p);
	ck_assert_int_eq(p.sum, -25);
	ck_assert_int_eq(p.priority, 75);
	ck_assert_int_eq(c[2].contrib, -20);
	ck_assert_int_eq(c[3].contrib, -5);
	ck_assert_uint_eq(p.faults,
	    (1U << VRRP_FAULT_TRACKED_IF) | (1U << VRRP_FAULT_TRACK_FILE));
	c[1].up = true;
	c[4].value = 0;
	c[3].weight = 0;
	checker_eval_priority(100, false, c, 5, &p);
	ck_assert_uint_eq(p.faults, 1U << VRRP_FAULT_TRACK_PROC);
}
END_TEST

START_TEST(track_file_value_times_weight_as_keepalived)
{
	static const struct {
		long value;
		int weight;
		bool reverse;
		int contrib;
		bool fault;
	} rows[] = {
		{ 0, 10, false, 0, false }, { 3, 10, false, 30, false },
		{ -3, 10, false, -30, false }, { 3, 10, true, -30, false },
		{ 30, -10, false, -253, true },	 /* -300 < -253 */
		{ 25, -10, false, -250, false }, /* just above */
		{ 100, 10, false, 253, false },	 /* capped */
		{ 0, 0, false, 0, false },
		{ 1, 0, false, 0, true }, /* weight 0: non-zero is a fault */
		{ -1, 0, false, 0, true },
		{ 2147483647L, -253, false, -253, true }, /* no overflow */
	};
	int contrib;
	bool fault;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		checker_eval_file(rows[i].value, rows[i].weight,
		    rows[i].reverse, &contrib, &fault);
		ck_assert_msg(contrib == rows[i].contrib &&
			fault == rows[i].fault,
		    "row %zu: contrib %d fault %d", i, contrib, fault);
	}
}
END_TEST

START_TEST(every_result_has_a_name_and_details_show)
{
	struct checker_outcome o = { .result = CHECKER_HTTP_STATUS,
		.detail = 503 };
	char buf[64];

	for (int r = 0; r < CHECKER_RESULT_MAX; r++)
		ck_assert_str_ne(checker_result_name(r), "unknown result");
	ck_assert_str_eq(checker_result_name(CHECKER_RESULT_MAX),
	    "unknown result");
	ck_assert_str_eq(checker_outcome_format(&o, buf, sizeof(buf)),
	    "HTTP status 503");
	o.result = CHECKER_SCRIPT_EXIT;
	o.detail = 2;
	ck_assert_str_eq(checker_outcome_format(&o, buf, sizeof(buf)),
	    "script exit 2");
	o.result = CHECKER_CONNECT_REFUSED;
	ck_assert_str_eq(checker_outcome_format(&o, buf, sizeof(buf)),
	    "connection refused");
}
END_TEST

static Suite *
eval_suite(void)
{
	Suite *s = suite_create("check_eval");
	TCase *tc = tcase_create("rise_fall");

	tcase_add_test(tc, up_check_goes_down_after_fall_failures_in_a_row);
	tcase_add_test(tc, down_check_goes_up_after_rise_successes_in_a_row);
	tcase_add_test(tc, result_reports_only_changes);
	tcase_add_test(tc, rise_and_fall_of_zero_count_as_one);
	suite_add_tcase(s, tc);
	tc = tcase_create("priority");
	tcase_add_test(tc, weights_follow_keepalived);
	tcase_add_test(tc, priority_is_base_plus_weights_clamped);
	tcase_add_test(tc, owner_priority_never_moves);
	tcase_add_test(tc, demoted_priority_is_one_with_the_breakdown_kept);
	tcase_add_test(tc, every_kind_faults_with_its_own_reason);
	tcase_add_test(tc, track_file_value_times_weight_as_keepalived);
	tcase_add_test(tc, every_result_has_a_name_and_details_show);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(eval_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
