/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived sync groups on fake time: real state machines, the group's
 * orders fed back as the daemon feeds them (group.c), and the result
 * rendered to one line per scenario step, member by member.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/vrrp_sync.h"

#define MS(x) ((uint64_t)(x)*1000)
#define S(x)  ((uint64_t)(x)*1000000)
#define NMAX  4

struct group {
	struct vrrp_fsm m[NMAX];
	size_t n;
	char log[1024];
	int depth, max_depth;
};

static void
say(struct group *g, size_t who, const struct vrrp_actions *acts)
{
	size_t off = strlen(g->log);

	for (size_t i = 0; i < acts->n && off < sizeof(g->log); i++) {
		const struct vrrp_action *a = &acts->a[i];
		const char *sep = off == 0 ? "" : ", ";
		char c = (char)('A' + who);

		if (a->kind == VRRP_ACT_TRANSITION)
			off += snprintf(g->log + off, sizeof(g->log) - off,
			    "%s%c %s>%s", sep, c, vrrp_state_name(a->from),
			    vrrp_state_name(a->to));
		else if (a->kind == VRRP_ACT_SEND_ADVERT)
			off += snprintf(g->log + off, sizeof(g->log) - off,
			    "%s%c SEND %u", sep, c, a->priority);
		else if (a->kind == VRRP_ACT_WANT_MASTER)
			off += snprintf(g->log + off, sizeof(g->log) - off,
			    "%s%c WANT", sep, c);
	}
}

/* Step member who, then apply the group's orders, depth first. */
static void
feed(struct group *g, size_t who, const struct vrrp_input *in, uint64_t now)
{
	const struct vrrp_fsm *m[NMAX];
	struct vrrp_sync_order out[VRRP_SYNC_ORDERS_MAX(NMAX)];
	struct vrrp_actions acts;
	size_t k;

	vrrp_fsm_step(&g->m[who], in, now, &acts);
	say(g, who, &acts);
	for (size_t j = 0; j < g->n; j++)
		m[j] = &g->m[j];
	k = vrrp_sync_react(m, g->n, who, &acts, out);
	g->depth++;
	if (g->depth > g->max_depth)
		g->max_depth = g->depth;
	ck_assert_int_le(g->depth, 2); /* orders lead to no more orders */
	for (size_t i = 0; i < k; i++)
		feed(g, out[i].member, &out[i].in, now);
	g->depth--;
}

static void
group_init(struct group *g, size_t n, const uint8_t *prio)
{
	struct vrrp_fsm_config cfg = {
		.version = 3,
		.adver_int_cs = 100,
		.preempt = true,
		.down_timer_adverts = 3,
		.in_group = true,
	};

	memset(g, 0, sizeof(*g));
	g->n = n;
	for (size_t j = 0; j < n; j++) {
		cfg.priority = prio[j];
		ck_assert_int_eq(addr_parse("192.0.2.10", &cfg.primary), 0);
		vrrp_fsm_init(&g->m[j], &cfg);
	}
}

static void
input(struct group *g, size_t who, enum vrrp_input_kind kind, uint64_t now)
{
	struct vrrp_input in = { .kind = kind };

	feed(g, who, &in, now);
}

static void
advert(struct group *g, size_t who, uint8_t prio, const char *src, uint64_t now)
{
	struct vrrp_advert adv = { .version = 3,
		.priority = prio,
		.adver_int_cs = 100 };
	struct vrrp_input in = { .kind = VRRP_IN_ADVERT, .advert = &adv };

	ck_assert_int_eq(addr_parse(src, &adv.meta.src), 0);
	feed(g, who, &in, now);
}

/* The member's Master_Down_Timer runs out (now: its deadline). */
static void
timeout(struct group *g, size_t who)
{
	ck_assert(g->m[who].timers[VRRP_TIMER_MASTER_DOWN].armed);
	input(g, who, VRRP_IN_MASTER_DOWN_TIMER,
	    g->m[who].timers[VRRP_TIMER_MASTER_DOWN].at_us);
}

static void
expect(struct group *g, const char *want)
{
	ck_assert_msg(strcmp(g->log, want) == 0,
	    "\n  got    \"%s\"\n  expect \"%s\"", g->log, want);
	g->log[0] = '\0';
}

static void
start_all(struct group *g)
{
	for (size_t j = 0; j < g->n; j++)
		input(g, j, VRRP_IN_STARTUP, 0);
	g->log[0] = '\0';
}

static const struct vrrp_fsm *const *
view(const struct group *g, const struct vrrp_fsm **m)
{
	for (size_t j = 0; j < g->n; j++)
		m[j] = &g->m[j];
	return m;
}

/* The group is master only once every member's master is gone. */
START_TEST(group_goes_master_when_every_member_wants)
{
	static const uint8_t prio[] = { 100, 100 };
	const struct vrrp_fsm *m[NMAX];
	struct group g;

	group_init(&g, 2, prio);
	start_all(&g);
	timeout(&g, 0);
	expect(&g, "A WANT");
	ck_assert_uint_eq(vrrp_sync_holder(view(&g, m), 2, 0), 1);
	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_BACKUP);
	timeout(&g, 1);
	expect(&g,
	    "B WANT, A BACKUP>MASTER, A SEND 100, B BACKUP>MASTER, "
	    "B SEND 100");
	ck_assert_int_eq(vrrp_sync_state(view(&g, m), 2), VRRP_STATE_MASTER);
	ck_assert_int_eq(g.m[0].reason, VRRP_RSN_MASTER_DOWN);
}
END_TEST

/*
 * One LAN partitioned silently: B still hears its master, so A's wish is
 * refused again at each interval (keepalived holds the whole group back
 * rather than splitting it), until B's master is gone too.
 */
START_TEST(member_hearing_its_master_holds_the_group)
{
	static const uint8_t prio[] = { 100, 100 };
	struct group g;

	group_init(&g, 2, prio);
	start_all(&g);
	advert(&g, 1, 150, "192.0.2.2", S(1));
	timeout(&g, 0);
	advert(&g, 1, 150, "192.0.2.2", S(4));
	timeout(&g, 0);
	expect(&g, "A WANT, A WANT");
	ck_assert_int_eq(g.m[0].state, VRRP_STATE_BACKUP);
	advert(&g, 1, 0, "192.0.2.2", S(8));
	timeout(&g, 1);
	expect(&g,
	    "B WANT, A BACKUP>MASTER, A SEND 100, B BACKUP>MASTER, "
	    "B SEND 100");
	ck_assert_int_eq(g.m[1].reason, VRRP_RSN_MASTER_STOP);
}
END_TEST

/* A higher priority advert to one master sends the whole group back,
 * the others without a priority 0 advert. */
START_TEST(member_leaving_master_takes_the_group_along)
{
	static const uint8_t prio[] = { 100, 100, 100 };
	struct group g;

	group_init(&g, 3, prio);
	start_all(&g);
	timeout(&g, 0);
	timeout(&g, 1);
	timeout(&g, 2);
	g.log[0] = '\0';
	advert(&g, 1, 200, "192.0.2.2", S(5));
	expect(&g, "B MASTER>BACKUP, A MASTER>BACKUP, C MASTER>BACKUP");
	ck_assert_int_eq(g.m[0].reason, VRRP_RSN_GROUP_BACKUP);
	ck_assert_int_eq(g.m[2].state, VRRP_STATE_BACKUP);
}
END_TEST

/* A fault in one member faults the group (masters say priority 0); the
 * group leaves Fault, as Backup, when the last own fault clears. */
START_TEST(member_fault_faults_the_group_until_it_clears)
{
	static const uint8_t prio[] = { 100, 100 };
	const struct vrrp_fsm *m[NMAX];
	struct group g;

	group_init(&g, 2, prio);
	start_all(&g);
	timeout(&g, 0);
	timeout(&g, 1);
	g.log[0] = '\0';
	input(&g, 0, VRRP_IN_IFACE_DOWN, S(5));
	expect(&g, "A MASTER>FAULT, A SEND 0, B MASTER>FAULT, B SEND 0");
	ck_assert_int_eq(vrrp_sync_state(view(&g, m), 2), VRRP_STATE_FAULT);
	ck_assert_uint_eq(g.m[1].faults, 1U << VRRP_FAULT_SYNC_GROUP);
	ck_assert_uint_eq(vrrp_sync_culprit(m, 2, 1), 0);
	ck_assert_uint_eq(vrrp_sync_culprit(m, 2, 0), 2);
	/* B's own fault too: A's recovery alone does not end it */
	input(&g, 1, VRRP_IN_IFACE_DOWN, S(6));
	input(&g, 0, VRRP_IN_IFACE_UP, S(7));
	expect(&g, "");
	ck_assert_int_eq(g.m[0].state, VRRP_STATE_FAULT);
	input(&g, 1, VRRP_IN_IFACE_UP, S(8));
	expect(&g, "B FAULT>BACKUP, A FAULT>BACKUP");
	ck_assert_uint_eq(g.m[0].faults, 0);
	ck_assert_uint_eq(g.m[1].faults, 0);
}
END_TEST

/* nopreempt in one member keeps the group from preempting. */
START_TEST(nopreempt_member_keeps_the_group_from_preempting)
{
	static const uint8_t prio[] = { 200, 200 };
	const struct vrrp_fsm *m[NMAX];
	struct group g;

	group_init(&g, 2, prio);
	g.m[1].cfg.preempt = false;
	start_all(&g);
	advert(&g, 0, 100, "192.0.2.2", S(1));
	advert(&g, 1, 100, "192.0.2.2", S(1));
	timeout(&g, 0);
	advert(&g, 1, 100, "192.0.2.2", S(4));
	expect(&g, "A WANT");
	ck_assert_uint_eq(vrrp_sync_holder(view(&g, m), 2, 0), 1);
	ck_assert_int_eq(g.m[0].down_reason, VRRP_RSN_PREEMPT);
}
END_TEST

/* preempt_delay in one member: the group preempts when it has run out
 * (the longest delay of the group decides). */
START_TEST(preempt_delay_of_one_member_delays_the_group)
{
	static const uint8_t prio[] = { 200, 200 };
	const struct vrrp_fsm *m[NMAX];
	struct group g;
	uint64_t t;

	group_init(&g, 2, prio);
	g.m[0].cfg.preempt_delay_ms = 10000;
	start_all(&g);
	/* a lower master is heard every second by both */
	for (t = S(1); t <= S(9); t += S(1)) {
		advert(&g, 0, 100, "192.0.2.2", t);
		advert(&g, 1, 100, "192.0.2.2", t);
		if (g.m[1].timers[VRRP_TIMER_MASTER_DOWN].at_us <= t + S(1))
			timeout(&g, 1);
	}
	ck_assert_int_eq(vrrp_sync_state(view(&g, m), 2), VRRP_STATE_BACKUP);
	ck_assert(g.m[1].wants_master);
	ck_assert(!g.m[0].wants_master);
	ck_assert_uint_eq(vrrp_sync_holder(m, 2, 1), 0);
	/* the delay is over at 10 s: A discards the adverts from then on */
	advert(&g, 0, 100, "192.0.2.2", S(10));
	timeout(&g, 0);
	ck_assert_int_eq(vrrp_sync_state(view(&g, m), 2), VRRP_STATE_MASTER);
	ck_assert_int_eq(g.m[0].reason, VRRP_RSN_PREEMPT);
}
END_TEST

/* Formed with a member already in Fault: the others join it. */
START_TEST(reconcile_applies_a_fault_found_when_formed)
{
	static const uint8_t prio[] = { 100, 100 };
	const struct vrrp_fsm *m[NMAX];
	struct vrrp_sync_order out[VRRP_SYNC_ORDERS_MAX(NMAX)];
	struct group g;
	size_t k;

	struct vrrp_input down = { .kind = VRRP_IN_IFACE_DOWN };
	struct vrrp_input up = { .kind = VRRP_IN_STARTUP };
	struct vrrp_actions acts;

	group_init(&g, 2, prio);
	/* stepped before the group existed: nobody reacted */
	vrrp_fsm_step(&g.m[0], &down, 0, &acts);
	vrrp_fsm_step(&g.m[0], &up, 0, &acts);
	vrrp_fsm_step(&g.m[1], &up, 0, &acts);
	k = vrrp_sync_react(view(&g, m), 2, 2, NULL, out);
	ck_assert_uint_eq(k, 1);
	ck_assert_uint_eq(out[0].member, 1);
	ck_assert_int_eq(out[0].in.kind, VRRP_IN_FAULT_SET);
	ck_assert_int_eq(out[0].in.fault, VRRP_FAULT_SYNC_GROUP);
	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_FAULT);
}
END_TEST

/* Not started yet: the group waits for the member (keepalived
 * num_member_init). */
START_TEST(unstarted_member_holds_the_group)
{
	static const uint8_t prio[] = { 100, 100 };
	const struct vrrp_fsm *m[NMAX];
	struct group g;

	group_init(&g, 2, prio);
	input(&g, 0, VRRP_IN_STARTUP, 0);
	timeout(&g, 0);
	expect(&g, "A INIT>BACKUP, A WANT");
	ck_assert_int_eq(g.m[0].state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(vrrp_sync_holder(view(&g, m), 2, 0), 1);
	ck_assert_int_eq(vrrp_sync_state(m, 2), VRRP_STATE_BACKUP);
	input(&g, 1, VRRP_IN_STARTUP, S(4));
	timeout(&g, 1);
	ck_assert_int_eq(vrrp_sync_state(view(&g, m), 2), VRRP_STATE_MASTER);
}
END_TEST

static Suite *
sync_suite(void)
{
	Suite *s = suite_create("vrrp_sync");
	TCase *tc = tcase_create("group");

	tcase_add_test(tc, group_goes_master_when_every_member_wants);
	tcase_add_test(tc, member_hearing_its_master_holds_the_group);
	tcase_add_test(tc, member_leaving_master_takes_the_group_along);
	tcase_add_test(tc, member_fault_faults_the_group_until_it_clears);
	tcase_add_test(tc, nopreempt_member_keeps_the_group_from_preempting);
	tcase_add_test(tc, preempt_delay_of_one_member_delays_the_group);
	tcase_add_test(tc, reconcile_applies_a_fault_found_when_formed);
	tcase_add_test(tc, unstarted_member_holds_the_group);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sync_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
