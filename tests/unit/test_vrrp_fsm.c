/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VRRP state machine on fake time. Each scenario is a table of rows
 * {time, input, expected actions}; the actions are rendered to one line so a
 * failure shows what happened next to what the RFC asks for.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/vrrp_fsm.h"

#define MS(x) ((uint64_t)(x)*1000)
#define S(x)  ((uint64_t)(x)*1000000)

enum {
	NO_FAULT = -1
};

struct row {
	uint64_t at_us;
	enum vrrp_input_kind in;
	int arg;	     /* PRIORITY value, advert priority or fault */
	const char *src;     /* ADVERT source address */
	uint16_t int_cs;     /* ADVERT Max Adver Int; 0: 100 cs */
	const char *expect;  /* rendered actions; "" for none */
	unsigned int faults; /* TRACKS: the tracker faults */
};

/* Short tokens keep the tables readable; the daemon logs the long names. */
static const char *const reason_tok[VRRP_RSN_MAX] = {
	[VRRP_RSN_NONE] = "none",
	[VRRP_RSN_STARTUP] = "startup",
	[VRRP_RSN_OWNER] = "owner",
	[VRRP_RSN_MASTER_DOWN] = "down",
	[VRRP_RSN_MASTER_STOP] = "stop",
	[VRRP_RSN_PREEMPT] = "preempt",
	[VRRP_RSN_HIGHER_PRIO] = "higher",
	[VRRP_RSN_TIE_BREAK] = "tie",
	[VRRP_RSN_FAULT] = "fault",
	[VRRP_RSN_FAULT_CLEAR] = "clear",
	[VRRP_RSN_SHUTDOWN] = "shutdown",
	[VRRP_RSN_VIP_REMOVED] = "vip",
	[VRRP_RSN_DEMOTED] = "demoted",
	[VRRP_RSN_GROUP_MASTER] = "group",
	[VRRP_RSN_GROUP_BACKUP] = "group",
	[VRRP_RSN_ROUTE_REMOVED] = "route",
};

static const char *const timer_tok[VRRP_TIMER_MAX] = {
	[VRRP_TIMER_ADVER] = "ADVER",
	[VRRP_TIMER_MASTER_DOWN] = "DOWN",
};

static void
render(const struct vrrp_actions *acts, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < acts->n && off < size; i++) {
		const struct vrrp_action *a = &acts->a[i];
		const char *sep = i == 0 ? "" : ", ";

		switch (a->kind) {
		case VRRP_ACT_TRANSITION:
			off += snprintf(buf + off, size - off, "%s%s>%s:%s",
			    sep, vrrp_state_name(a->from),
			    vrrp_state_name(a->to), reason_tok[a->reason]);
			break;
		case VRRP_ACT_SEND_ADVERT:
			off += snprintf(buf + off, size - off, "%sSEND %u", sep,
			    a->priority);
			break;
		case VRRP_ACT_ADD_VIPS:
			off += snprintf(buf + off, size - off, "%sADD", sep);
			break;
		case VRRP_ACT_DEL_VIPS:
			off += snprintf(buf + off, size - off, "%sDEL", sep);
			break;
		case VRRP_ACT_ANNOUNCE:
			off += snprintf(buf + off, size - off, "%s%s", sep,
			    a->announce == VRRP_ANN_REASSERT ? "REGARP" :
							       "GARP");
			break;
		case VRRP_ACT_ARM_TIMER:
			off += snprintf(buf + off, size - off, "%sARM %s @%llu",
			    sep, timer_tok[a->timer],
			    (unsigned long long)a->at_us);
			break;
		case VRRP_ACT_CANCEL_TIMER:
			off += snprintf(buf + off, size - off, "%sCANCEL %s",
			    sep, timer_tok[a->timer]);
			break;
		case VRRP_ACT_WANT_MASTER:
			off += snprintf(buf + off, size - off, "%sWANT", sep);
			break;
		default:
			off += snprintf(buf + off, size - off, "%s?", sep);
			break;
		}
	}
}

static struct vrrp_fsm_config
base_cfg(void)
{
	struct vrrp_fsm_config cfg = {
		.version = 3,
		.priority = 100,
		.adver_int_cs = 100,
		.preempt = true,
		.down_timer_adverts = 3,
	};

	ck_assert_int_eq(addr_parse("192.0.2.10", &cfg.primary), 0);
	return cfg;
}

static void
step_row(struct vrrp_fsm *fsm, const struct row *r, struct vrrp_actions *acts)
{
	struct vrrp_advert adv;
	struct vrrp_input in;

	memset(&in, 0, sizeof(in));
	in.kind = r->in;
	switch (r->in) {
	case VRRP_IN_ADVERT:
		memset(&adv, 0, sizeof(adv));
		ck_assert_int_eq(addr_parse(r->src, &adv.meta.src), 0);
		adv.version = fsm->cfg.version;
		adv.priority = (uint8_t)r->arg;
		adv.adver_int_cs = r->int_cs != 0 ? r->int_cs : 100;
		in.advert = &adv;
		break;
	case VRRP_IN_PRIORITY:
		in.priority = r->arg;
		break;
	case VRRP_IN_FAULT_SET:
	case VRRP_IN_FAULT_CLEAR:
		in.fault = (enum vrrp_fault)r->arg;
		break;
	case VRRP_IN_TRACKS:
		in.tracks.priority = r->arg;
		in.tracks.faults = r->faults;
		break;
	default:
		break;
	}
	vrrp_fsm_step(fsm, &in, r->at_us, acts);
}

/* Run rows from Initialize; return the machine for further checks. */
static struct vrrp_fsm
run(const struct vrrp_fsm_config *cfg, const struct row *rows, size_t n)
{
	struct vrrp_actions acts;
	struct vrrp_fsm fsm;
	char got[512];

	vrrp_fsm_init(&fsm, cfg);
	for (size_t i = 0; i < n; i++) {
		step_row(&fsm, &rows[i], &acts);
		render(&acts, got, sizeof(got));
		ck_assert_msg(strcmp(got, rows[i].expect) == 0,
		    "row %zu (%s at %llu us):\n  got    \"%s\"\n  expect \"%s\"",
		    i, vrrp_input_name(rows[i].in),
		    (unsigned long long)rows[i].at_us, got, rows[i].expect);
	}
	return fsm;
}

#define RUN(cfg, rows) run(&(cfg), (rows), sizeof(rows) / sizeof((rows)[0]))

/* Row shorthands. */
#define STARTUP(t, e)                                    \
	{                                                \
		(t), VRRP_IN_STARTUP, 0, NULL, 0, (e), 0 \
	}
#define SHUTDOWN(t, e)                                    \
	{                                                 \
		(t), VRRP_IN_SHUTDOWN, 0, NULL, 0, (e), 0 \
	}
#define DOWN_TIMER(t, e)                                           \
	{                                                          \
		(t), VRRP_IN_MASTER_DOWN_TIMER, 0, NULL, 0, (e), 0 \
	}
#define ADVER_TIMER(t, e)                                    \
	{                                                    \
		(t), VRRP_IN_ADVER_TIMER, 0, NULL, 0, (e), 0 \
	}
#define ADVERT(t, p, src, e)                               \
	{                                                  \
		(t), VRRP_IN_ADVERT, (p), (src), 0, (e), 0 \
	}
#define ADVERT_INT(t, p, src, cs, e)                          \
	{                                                     \
		(t), VRRP_IN_ADVERT, (p), (src), (cs), (e), 0 \
	}
#define PRIORITY(t, p, e)                                   \
	{                                                   \
		(t), VRRP_IN_PRIORITY, (p), NULL, 0, (e), 0 \
	}
#define FAULT_SET(t, f, e)                                   \
	{                                                    \
		(t), VRRP_IN_FAULT_SET, (f), NULL, 0, (e), 0 \
	}
#define FAULT_CLEAR(t, f, e)                                   \
	{                                                      \
		(t), VRRP_IN_FAULT_CLEAR, (f), NULL, 0, (e), 0 \
	}
#define IFACE_DOWN(t, e)                                    \
	{                                                   \
		(t), VRRP_IN_IFACE_DOWN, 0, NULL, 0, (e), 0 \
	}
#define VIP_LOST(t, e)                                    \
	{                                                 \
		(t), VRRP_IN_VIP_LOST, 0, NULL, 0, (e), 0 \
	}
#define ROUTE_LOST(t, e)                                    \
	{                                                   \
		(t), VRRP_IN_ROUTE_LOST, 0, NULL, 0, (e), 0 \
	}
#define HAND_OVER(t, e)                                    \
	{                                                  \
		(t), VRRP_IN_HAND_OVER, 0, NULL, 0, (e), 0 \
	}
#define TRACKS(t, p, f, e)                                  \
	{                                                   \
		(t), VRRP_IN_TRACKS, (p), NULL, 0, (e), (f) \
	}
#define IFACE_UP(t, e)                                    \
	{                                                 \
		(t), VRRP_IN_IFACE_UP, 0, NULL, 0, (e), 0 \
	}
#define GROUP_MASTER(t, e)                                    \
	{                                                     \
		(t), VRRP_IN_GROUP_MASTER, 0, NULL, 0, (e), 0 \
	}
#define GROUP_BACKUP(t, e)                                    \
	{                                                     \
		(t), VRRP_IN_GROUP_BACKUP, 0, NULL, 0, (e), 0 \
	}

/* Priority 100, v3, 1 s: Master_Down_Interval = 3 s + 156/256 s. */
#define MDI_100	 3609375
#define MDI_150	 3414062
#define SKEW_100 609375

/* ---- timers ---- */

/*
 * Skew_Time and Master_Down_Interval, computed independently with exact
 * fractions and truncated to microseconds. v2 intervals are whole seconds
 * (RFC 3768), so the sub-second rows exist for v3 only; v2 rows show that
 * its skew does not scale with the interval.
 */
static const struct {
	uint8_t version, prio;
	uint16_t int_cs;
	uint64_t skew_us, mdi_us;
} timer_table[] = {
	{ 3, 1, 100, 996093, 3996093 },
	{ 3, 100, 100, 609375, 3609375 },
	{ 3, 150, 100, 414062, 3414062 },
	{ 3, 200, 100, 218750, 3218750 },
	{ 3, 254, 100, 7812, 3007812 },
	{ 3, 1, 10, 99609, 399609 },
	{ 3, 100, 10, 60937, 360937 },
	{ 3, 150, 10, 41406, 341406 },
	{ 3, 200, 10, 21875, 321875 },
	{ 3, 254, 10, 781, 300781 },
	{ 3, 1, 1, 9960, 39960 },
	{ 3, 100, 1, 6093, 36093 },
	{ 3, 150, 1, 4140, 34140 },
	{ 3, 200, 1, 2187, 32187 },
	{ 3, 254, 1, 78, 30078 },
	{ 3, 1, 4095, 40790039, 163640039 },
	{ 3, 100, 4095, 24953906, 147803906 },
	{ 3, 150, 4095, 16955859, 139805859 },
	{ 3, 200, 4095, 8957812, 131807812 },
	{ 3, 254, 4095, 319921, 123169921 },
	{ 2, 1, 100, 996093, 3996093 },
	{ 2, 100, 100, 609375, 3609375 },
	{ 2, 150, 100, 414062, 3414062 },
	{ 2, 200, 100, 218750, 3218750 },
	{ 2, 254, 100, 7812, 3007812 },
	{ 2, 1, 200, 996093, 6996093 },
	{ 2, 100, 200, 609375, 6609375 },
	{ 2, 150, 200, 414062, 6414062 },
	{ 2, 200, 200, 218750, 6218750 },
	{ 2, 254, 200, 7812, 6007812 },
	{ 2, 1, 4100, 996093, 123996093 },
	{ 2, 100, 4100, 609375, 123609375 },
	{ 2, 150, 4100, 414062, 123414062 },
	{ 2, 200, 4100, 218750, 123218750 },
	{ 2, 254, 4100, 7812, 123007812 },
	{ 2, 1, 25500, 996093, 765996093 },
	{ 2, 100, 25500, 609375, 765609375 },
	{ 2, 150, 25500, 414062, 765414062 },
	{ 2, 200, 25500, 218750, 765218750 },
	{ 2, 254, 25500, 7812, 765007812 },
};

START_TEST(skew_and_master_down_match_rfc_formulas)
{
	for (size_t i = 0; i < sizeof(timer_table) / sizeof(timer_table[0]);
	     i++) {
		const __typeof__(timer_table[0]) *t = &timer_table[i];

		ck_assert_msg(vrrp_fsm_skew_us(t->version, t->prio,
				  t->int_cs) == t->skew_us,
		    "skew v%u prio %u int %u cs", t->version, t->prio,
		    t->int_cs);
		ck_assert_msg(vrrp_fsm_master_down_us(t->version, t->prio,
				  t->int_cs, 3) == t->mdi_us,
		    "master down v%u prio %u int %u cs", t->version, t->prio,
		    t->int_cs);
	}
}
END_TEST

START_TEST(keepalived_observed_master_down_timer)
{
	/* keepalived 2.2.7, priority 150, v3, 1 s: "3414062 usecs". */
	ck_assert_uint_eq(vrrp_fsm_master_down_us(3, 150, 100, 3), 3414062);
	/* keepalived issue #1686: v2 priority 100, 1 s: 3.609375 s. */
	ck_assert_uint_eq(vrrp_fsm_master_down_us(2, 100, 100, 3), 3609375);
}
END_TEST

START_TEST(down_timer_adverts_replaces_the_three)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @5609375"),
	};

	cfg.down_timer_adverts = 5;
	RUN(cfg, rows);
	ck_assert_uint_eq(vrrp_fsm_master_down_us(3, 100, 100, 1), 1609375);
}
END_TEST

START_TEST(priority_clamps_like_keepalived)
{
	ck_assert_uint_eq(vrrp_fsm_clamp_priority(100, -500), 1);
	ck_assert_uint_eq(vrrp_fsm_clamp_priority(100, 0), 1);
	ck_assert_uint_eq(vrrp_fsm_clamp_priority(100, 1), 1);
	ck_assert_uint_eq(vrrp_fsm_clamp_priority(100, 254), 254);
	ck_assert_uint_eq(vrrp_fsm_clamp_priority(100, 255), 254);
	ck_assert_uint_eq(vrrp_fsm_clamp_priority(100, 1000), 254);
	ck_assert_uint_eq(vrrp_fsm_clamp_priority(255, 0), 255);
	ck_assert_uint_eq(vrrp_fsm_clamp_priority(255, 100), 255);
}
END_TEST

/* ---- startup (RFC 5798 §6.4.1) ---- */

START_TEST(backup_takes_over_after_master_down_interval)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		/* early or duplicate timer events are stale: no action */
		DOWN_TIMER(3609374, ""),
		ADVER_TIMER(3609374, ""),
		DOWN_TIMER(3609375,
		    "BACKUP>MASTER:down, SEND 100, ADD, "
		    "GARP, ARM ADVER @4609375"),
		DOWN_TIMER(3609376, ""),
	};
	struct vrrp_fsm fsm = RUN(cfg, rows);

	ck_assert_int_eq(fsm.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(fsm.reason, VRRP_RSN_MASTER_DOWN);
	ck_assert_uint_eq(fsm.since_us, 3609375);
	ck_assert_int_eq(addr_cmp(&fsm.master_addr, &cfg.primary), 0);
}
END_TEST

START_TEST(owner_starts_as_master_and_keeps_255)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0,
		    "INIT>MASTER:owner, SEND 255, ADD, GARP, "
		    "ARM ADVER @1000000"),
		/* trackers never move an owner */
		PRIORITY(MS(500), 255 - 60, ""),
		PRIORITY(MS(600), 1000, ""),
		ADVER_TIMER(S(1), "SEND 255, ARM ADVER @2000000"),
	};

	cfg.priority = 255;
	ck_assert_uint_eq(RUN(cfg, rows).priority, 255);
}
END_TEST

START_TEST(startup_with_fault_goes_to_fault_and_releases)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		IFACE_DOWN(0, ""),
		STARTUP(MS(1), "INIT>FAULT:fault, DEL"),
		IFACE_UP(MS(2), "FAULT>BACKUP:clear, ARM DOWN @3611375"),
	};

	RUN(cfg, rows);
}
END_TEST

/* ---- Backup (RFC 5798 §6.4.2) ---- */

START_TEST(backup_resets_master_down_timer_on_each_advert)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		ADVERT(S(1), 150, "192.0.2.20", "ARM DOWN @4609375"),
		ADVERT(S(2), 150, "192.0.2.20", "ARM DOWN @5609375"),
		/* the old deadline has moved: its event is stale */
		DOWN_TIMER(4609375, ""),
		DOWN_TIMER(5609375,
		    "BACKUP>MASTER:down, SEND 100, ADD, "
		    "GARP, ARM ADVER @6609375"),
	};
	struct vrrp_fsm fsm;

	cfg.preempt = true;
	fsm = RUN(cfg, rows);
	ck_assert_int_eq(fsm.state, VRRP_STATE_MASTER);
}
END_TEST

START_TEST(backup_records_current_master)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		ADVERT(S(1), 150, "192.0.2.20", "ARM DOWN @4609375"),
	};
	struct vrrp_fsm fsm = RUN(cfg, rows);
	struct addr want;

	addr_parse("192.0.2.20", &want);
	ck_assert_int_eq(addr_cmp(&fsm.master_addr, &want), 0);
	ck_assert_uint_eq(fsm.master_priority, 150);
}
END_TEST

START_TEST(priority_zero_advert_takes_over_after_skew_time)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		ADVERT(S(1), 150, "192.0.2.20", "ARM DOWN @4609375"),
		/* Master_Down_Timer := Skew_Time = 156/256 s */
		ADVERT(MS(1500), 0, "192.0.2.20", "ARM DOWN @2109375"),
		DOWN_TIMER(1500000 + SKEW_100,
		    "BACKUP>MASTER:stop, SEND 100, ADD, GARP, "
		    "ARM ADVER @3109375"),
	};

	RUN(cfg, rows);
}
END_TEST

START_TEST(priority_zero_from_another_than_the_master_is_ignored)
{
	/* A host on the LAN cannot make the backup take over (or hold it
	 * back) with priority 0 in the master's stead. */
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		/* no master heard yet: any priority 0 counts */
		ADVERT(MS(100), 0, "192.0.2.30", "ARM DOWN @709375"),
		ADVERT(S(1) / 2, 150, "192.0.2.20", "ARM DOWN @4109375"),
		ADVERT(S(1), 0, "192.0.2.30", ""),
		ADVERT(S(1) + 1, 0, "192.0.2.20", "ARM DOWN @1609376"),
	};
	struct vrrp_fsm fsm = RUN(cfg, rows);

	ck_assert_uint_eq(fsm.stops_ignored, 1);
}
END_TEST

START_TEST(backup_accepts_equal_priority_without_address_tie_break)
{
	/* RFC 5798 §6.4.2 compares addresses only in Master (issue #1440). */
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		ADVERT(S(1), 100, "192.0.2.5", "ARM DOWN @4609375"),
		ADVERT(S(2), 100, "192.0.2.20", "ARM DOWN @5609375"),
	};

	RUN(cfg, rows);
}
END_TEST

START_TEST(backup_with_preempt_discards_lower_priority_and_takes_over)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3414062"),
		ADVERT(S(1), 100, "192.0.2.20", ""),
		ADVERT(S(2), 100, "192.0.2.20", ""),
		ADVERT(S(3), 100, "192.0.2.20", ""),
		DOWN_TIMER(MDI_150,
		    "BACKUP>MASTER:preempt, SEND 150, ADD, "
		    "GARP, ARM ADVER @4414062"),
	};

	cfg.priority = 150;
	ck_assert_int_eq(RUN(cfg, rows).reason, VRRP_RSN_PREEMPT);
}
END_TEST

START_TEST(nopreempt_backup_follows_lower_priority_master)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3414062"),
		ADVERT(S(1), 100, "192.0.2.20", "ARM DOWN @4414062"),
		ADVERT(S(2), 100, "192.0.2.20", "ARM DOWN @5414062"),
		DOWN_TIMER(4414062, ""),
		ADVERT(S(3), 100, "192.0.2.20", "ARM DOWN @6414062"),
	};

	cfg.priority = 150;
	cfg.preempt = false;
	ck_assert_int_eq(RUN(cfg, rows).state, VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(nopreempt_backup_still_takes_over_when_master_dies)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3414062"),
		ADVERT(S(1), 100, "192.0.2.20", "ARM DOWN @4414062"),
		DOWN_TIMER(4414062,
		    "BACKUP>MASTER:down, SEND 150, ADD, "
		    "GARP, ARM ADVER @5414062"),
	};

	cfg.priority = 150;
	cfg.preempt = false;
	RUN(cfg, rows);
}
END_TEST

START_TEST(owner_leaving_fault_goes_straight_to_master)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		/* an owner in Fault at start, then back: it goes Master */
		IFACE_DOWN(0, ""),
		STARTUP(0, "INIT>FAULT:fault, DEL"),
		IFACE_UP(S(1),
		    "FAULT>MASTER:owner, SEND 255, ADD, GARP, "
		    "ARM ADVER @2000000"),
	};

	cfg.priority = 255;
	cfg.preempt = false;
	RUN(cfg, rows);
}
END_TEST

START_TEST(owner_in_backup_preempts_even_with_nopreempt)
{
	/* RFC 5798 §6.4.2: Preempt_Mode is ignored by the address owner. */
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0,
		    "INIT>MASTER:owner, SEND 255, ADD, GARP, "
		    "ARM ADVER @1000000"),
		/* a duplicate owner with a higher address: yield */
		ADVERT(MS(500), 255, "192.0.2.20",
		    "MASTER>BACKUP:tie, CANCEL ADVER, DEL, ARM DOWN @3503906"),
		/* now a lower master: discarded despite nopreempt */
		ADVERT(S(1), 100, "192.0.2.30", ""),
		DOWN_TIMER(3503906,
		    "BACKUP>MASTER:preempt, SEND 255, ADD, "
		    "GARP, ARM ADVER @4503906"),
	};

	cfg.priority = 255;
	cfg.preempt = false;
	RUN(cfg, rows);
}
END_TEST

START_TEST(preempt_delay_follows_lower_master_until_delay_from_startup)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3414062"),
		ADVERT(S(1), 100, "192.0.2.20", "ARM DOWN @4414062"),
		ADVERT(S(4), 100, "192.0.2.20", "ARM DOWN @7414062"),
		/* 5 s after startup: the delay is over, preempt */
		ADVERT(S(5), 100, "192.0.2.20", ""),
		ADVERT(S(6), 100, "192.0.2.20", ""),
		DOWN_TIMER(7414062,
		    "BACKUP>MASTER:preempt, SEND 150, ADD, "
		    "GARP, ARM ADVER @8414062"),
	};

	cfg.priority = 150;
	cfg.preempt_delay_ms = 5000;
	RUN(cfg, rows);
}
END_TEST

START_TEST(preempt_delay_restarts_when_a_lower_master_appears)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3414062"),
		/* a higher master: followed, delay forgotten */
		ADVERT(S(1), 200, "192.0.2.30", "ARM DOWN @4414062"),
		ADVERT(S(3), 200, "192.0.2.30", "ARM DOWN @6414062"),
		/* a lower master at 5 s: delay runs 5 s..10 s */
		ADVERT(S(5), 100, "192.0.2.20", "ARM DOWN @8414062"),
		ADVERT(S(9), 100, "192.0.2.20", "ARM DOWN @12414062"),
		ADVERT(S(10), 100, "192.0.2.20", ""),
		DOWN_TIMER(12414062,
		    "BACKUP>MASTER:preempt, SEND 150, ADD, "
		    "GARP, ARM ADVER @13414062"),
	};

	cfg.priority = 150;
	cfg.preempt_delay_ms = 5000;
	RUN(cfg, rows);
}
END_TEST

START_TEST(v3_backup_learns_max_adver_int)
{
	/* own 100 cs; master sends 200 cs: 3 * 2 s + 156 * 2 s / 256 */
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		ADVERT_INT(S(1), 150, "192.0.2.20", 200, "ARM DOWN @8218750"),
		/* priority 0 from it: Skew_Time scales with the learnt 2 s */
		ADVERT_INT(S(2), 0, "192.0.2.20", 200, "ARM DOWN @3218750"),
	};
	struct vrrp_fsm fsm = RUN(cfg, rows);

	ck_assert_uint_eq(fsm.master_adver_int_cs, 200);
}
END_TEST

START_TEST(v2_backup_does_not_learn_the_interval)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		ADVERT_INT(S(1), 150, "192.0.2.20", 200, "ARM DOWN @4609375"),
	};

	cfg.version = 2;
	ck_assert_uint_eq(RUN(cfg, rows).master_adver_int_cs, 100);
}
END_TEST

START_TEST(ten_millisecond_adverts_keep_sub_millisecond_skew)
{
	/* v3, 1 cs, priority 254: skew = 2 * 10 ms / 256 = 78 us */
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @30078"),
		ADVERT_INT(MS(10), 255, "192.0.2.20", 1, "ARM DOWN @40078"),
		ADVERT_INT(MS(20), 0, "192.0.2.20", 1, "ARM DOWN @20078"),
		DOWN_TIMER(20078,
		    "BACKUP>MASTER:stop, SEND 254, ADD, GARP, "
		    "ARM ADVER @30078"),
	};

	cfg.priority = 254;
	cfg.adver_int_cs = 1;
	RUN(cfg, rows);
}
END_TEST

/* ---- Master (RFC 5798 §6.4.3) ---- */

/* Rows that bring a priority-100, 1 s instance to Master at 3609375 us. */
#define TO_MASTER                                                  \
	STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"), \
	    DOWN_TIMER(MDI_100,                                    \
		"BACKUP>MASTER:down, SEND 100, ADD, "              \
		"GARP, ARM ADVER @4609375")

START_TEST(master_sends_adverts_on_schedule_without_drift)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		ADVER_TIMER(4609375, "SEND 100, ARM ADVER @5609375"),
		/* woken 90 ms late: the next deadline keeps the grid */
		ADVER_TIMER(5699375, "SEND 100, ARM ADVER @6609375"),
		/* woken more than an interval late: restart from now */
		ADVER_TIMER(S(9), "SEND 100, ARM ADVER @10000000"),
	};

	RUN(cfg, rows);
}
END_TEST

START_TEST(master_yields_to_higher_priority)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		/* learns the new master's 2 s: 3 * 2 s + 156 * 2 s / 256 */
		ADVERT_INT(S(4), 200, "192.0.2.5", 200,
		    "MASTER>BACKUP:higher, CANCEL ADVER, DEL, "
		    "ARM DOWN @11218750"),
		ADVER_TIMER(4609375, ""),
	};
	struct vrrp_fsm fsm = RUN(cfg, rows);

	ck_assert_uint_eq(fsm.master_priority, 200);
	ck_assert_uint_eq(fsm.master_adver_int_cs, 200);
}
END_TEST

START_TEST(higher_prio_send_advert_sends_one_before_yielding)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		ADVERT(S(4), 200, "192.0.2.5",
		    "MASTER>BACKUP:higher, CANCEL ADVER, SEND 100, DEL, "
		    "ARM DOWN @7609375"),
	};

	cfg.higher_prio_send_advert = true;
	RUN(cfg, rows);
}
END_TEST

START_TEST(master_equal_priority_tie_break_by_primary_address)
{
	struct vrrp_fsm_config cfg = base_cfg(); /* primary 192.0.2.10 */
	const struct row rows[] = {
		TO_MASTER,
		/* lower address: we stay, answer and re-announce */
		ADVERT(S(4), 100, "192.0.2.5",
		    "SEND 100, ARM ADVER @5000000, REGARP"),
		/* higher address: we yield */
		ADVERT(MS(4500), 100, "192.0.2.20",
		    "MASTER>BACKUP:tie, CANCEL ADVER, DEL, ARM DOWN @8109375"),
	};

	ck_assert_int_eq(RUN(cfg, rows).reason, VRRP_RSN_TIE_BREAK);
}
END_TEST

START_TEST(ipv6_tie_break_compares_link_local_sources)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		ADVERT(S(4), 100, "fe80::1",
		    "SEND 100, ARM ADVER @5000000, REGARP"),
		ADVERT(MS(4500), 100, "fe80::ff",
		    "MASTER>BACKUP:tie, CANCEL ADVER, DEL, ARM DOWN @8109375"),
	};

	addr_parse("fe80::a", &cfg.primary);
	RUN(cfg, rows);
}
END_TEST

START_TEST(master_answers_at_most_once_an_interval)
{
	/* A flood of lower-priority or priority-0 adverts gets one answer
	 * an Advertisement_Interval, not one each (issue #15). */
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		ADVERT(S(4), 50, "192.0.2.20",
		    "SEND 100, ARM ADVER @5000000, REGARP"),
		ADVERT(S(4) + 1000, 50, "192.0.2.20", "REGARP"),
		ADVERT(S(4) + 500000, 0, "192.0.2.20", ""),
		ADVERT(S(4) + 999999, 50, "192.0.2.21", "REGARP"),
		/* the steady advert is not held back by them */
		ADVER_TIMER(S(5), "SEND 100, ARM ADVER @6000000"),
		ADVERT(S(5), 0, "192.0.2.20", "SEND 100, ARM ADVER @6000000"),
		ADVERT(S(5) + 1, 50, "192.0.2.20", "REGARP"),
	};
	struct vrrp_fsm fsm = RUN(cfg, rows);

	ck_assert_uint_eq(fsm.answers_suppressed, 4);
}
END_TEST

START_TEST(master_answers_lower_priority_and_reannounces)
{
	/* RFC 9568 §6.4.3 and keepalived: heal a split brain at once. */
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		ADVERT(S(4), 50, "192.0.2.20",
		    "SEND 100, ARM ADVER @5000000, REGARP"),
	};

	ck_assert_int_eq(RUN(cfg, rows).state, VRRP_STATE_MASTER);
}
END_TEST

START_TEST(lower_prio_no_advert_gives_pre_9568_discard)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		ADVERT(S(4), 50, "192.0.2.20", "REGARP"),
		ADVER_TIMER(4609375, "SEND 100, ARM ADVER @5609375"),
	};

	cfg.lower_prio_no_advert = true;
	RUN(cfg, rows);
}
END_TEST

START_TEST(master_answers_priority_zero_with_an_advert)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		ADVERT(S(4), 0, "192.0.2.20", "SEND 100, ARM ADVER @5000000"),
	};

	RUN(cfg, rows);
}
END_TEST

START_TEST(master_ignores_its_own_looped_advert)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		ADVERT(S(4), 100, "192.0.2.10", ""),
	};

	RUN(cfg, rows);
}
END_TEST

START_TEST(duplicate_owner_yields_to_higher_address_unless_ignoring)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row tie[] = {
		STARTUP(0,
		    "INIT>MASTER:owner, SEND 255, ADD, GARP, "
		    "ARM ADVER @1000000"),
		ADVERT(MS(500), 255, "192.0.2.20",
		    "MASTER>BACKUP:tie, CANCEL ADVER, DEL, ARM DOWN @3503906"),
	};
	const struct row ignore[] = {
		STARTUP(0,
		    "INIT>MASTER:owner, SEND 255, ADD, GARP, "
		    "ARM ADVER @1000000"),
		ADVERT(MS(500), 255, "192.0.2.20", ""),
	};

	cfg.priority = 255;
	RUN(cfg, tie);
	cfg.owner_ignore_adverts = true;
	RUN(cfg, ignore);
}
END_TEST

START_TEST(master_priority_change_is_advertised_at_once)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		PRIORITY(S(4), 40, "SEND 40, ARM ADVER @5000000"),
		PRIORITY(MS(4100), 40, ""),
		PRIORITY(MS(4200), -20, "SEND 1, ARM ADVER @5200000"),
		PRIORITY(MS(4300), 300, "SEND 254, ARM ADVER @5300000"),
	};

	ck_assert_uint_eq(RUN(cfg, rows).priority, 254);
}
END_TEST

/* One tracked object changing is one input: priority and faults at once. */
START_TEST(tracks_input_moves_priority_and_tracker_faults_together)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		/* a weighted check: priority only, advertised at once */
		TRACKS(S(4), 40, 0, "SEND 40, ARM ADVER @5000000"),
		TRACKS(MS(4100), 40, 0, ""),
		/* an unweighted one fails too: Fault, no advert of 40 first */
		TRACKS(MS(4200), 40, 1U << VRRP_FAULT_CHECK,
		    "MASTER>FAULT:fault, CANCEL ADVER, SEND 0, DEL"),
		/* bits the trackers do not own are ignored */
		TRACKS(MS(4300), 60,
		    (1U << VRRP_FAULT_CHECK) | (1U << VRRP_FAULT_NO_PEER), ""),
		TRACKS(MS(4400), 100, 0,
		    "FAULT>BACKUP:clear, ARM DOWN @8009375"),
	};
	struct vrrp_fsm fsm = RUN(cfg, rows);

	ck_assert_uint_eq(fsm.priority, 100);
	ck_assert_uint_eq(fsm.faults, 0);
}
END_TEST

/* Tracker faults leave the interface's own fault alone, and back. */
START_TEST(tracks_input_keeps_faults_it_does_not_own)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		IFACE_DOWN(S(1), "BACKUP>FAULT:fault, CANCEL DOWN"),
		TRACKS(S(2), 100, 1U << VRRP_FAULT_TRACKED_IF, ""),
		TRACKS(S(3), 100, 0, ""),
		IFACE_UP(S(4), "FAULT>BACKUP:clear, ARM DOWN @7609375"),
	};

	ck_assert_uint_eq(RUN(cfg, rows).faults, 0);
}
END_TEST

START_TEST(backup_priority_change_sets_skew_for_next_interval)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		PRIORITY(MS(100), 150, ""),
		/* 1 s + 3 s + 106/256 s */
		ADVERT(S(1), 200, "192.0.2.20", "ARM DOWN @4414062"),
	};

	RUN(cfg, rows);
}
END_TEST

/* ---- shutdown ---- */

START_TEST(master_shutdown_sends_priority_zero_and_releases)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		SHUTDOWN(S(4),
		    "MASTER>INIT:shutdown, CANCEL ADVER, SEND 0, "
		    "DEL"),
		ADVER_TIMER(4609375, ""),
		SHUTDOWN(S(5), ""),
		STARTUP(S(6), "INIT>BACKUP:startup, DEL, ARM DOWN @9609375"),
	};

	RUN(cfg, rows);
}
END_TEST

START_TEST(master_losing_a_vip_goes_backup_and_is_elected_again)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		VIP_LOST(S(4),
		    "MASTER>BACKUP:vip, CANCEL ADVER, DEL, "
		    "ARM DOWN @7609375"),
		/* no master heard: the election makes us master again */
		DOWN_TIMER(7609375,
		    "BACKUP>MASTER:down, SEND 100, ADD, GARP, "
		    "ARM ADVER @8609375"),
		/* only a master reacts; a backup has nothing to lose */
		SHUTDOWN(S(9),
		    "MASTER>INIT:shutdown, CANCEL ADVER, SEND 0, DEL"),
		STARTUP(S(10), "INIT>BACKUP:startup, DEL, ARM DOWN @13609375"),
		VIP_LOST(S(11), ""),
	};

	RUN(cfg, rows);
}
END_TEST

/* keepalived 2.2.7: a tracked virtual route or rule removed, the same. */
START_TEST(master_losing_a_route_goes_backup_and_is_elected_again)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		ROUTE_LOST(S(4),
		    "MASTER>BACKUP:route, CANCEL ADVER, DEL, "
		    "ARM DOWN @7609375"),
		DOWN_TIMER(7609375,
		    "BACKUP>MASTER:down, SEND 100, ADD, GARP, "
		    "ARM ADVER @8609375"),
		SHUTDOWN(S(9),
		    "MASTER>INIT:shutdown, CANCEL ADVER, SEND 0, DEL"),
		STARTUP(S(10), "INIT>BACKUP:startup, DEL, ARM DOWN @13609375"),
		ROUTE_LOST(S(11), ""),
	};

	RUN(cfg, rows);
}
END_TEST

/*
 * vrrpctl demote: the priority drops to 1 (advertised at once), then the
 * master hands over with priority 0 like a graceful stop, so a backup
 * takes over after Skew_Time even with nopreempt. Alone, the demoted
 * router is elected again after its own Master_Down_Interval.
 */
START_TEST(demoted_master_hands_over_with_priority_zero)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		PRIORITY(S(4), 1, "SEND 1, ARM ADVER @5000000"),
		HAND_OVER(S(4),
		    "MASTER>BACKUP:demoted, CANCEL ADVER, SEND 0, DEL, "
		    "ARM DOWN @7996093"),
		/* the peer took over: followed, whatever its priority */
		ADVERT(S(5), 100, "192.0.2.2", "ARM DOWN @8996093"),
		/* a demoted backup has nothing to hand over */
		HAND_OVER(S(6), ""),
		/* the peer is gone too: the demoted router serves again */
		DOWN_TIMER(8996093,
		    "BACKUP>MASTER:down, SEND 1, ADD, GARP, "
		    "ARM ADVER @9996093"),
	};

	RUN(cfg, rows);
}
END_TEST

START_TEST(backup_shutdown_cancels_its_timer)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		SHUTDOWN(S(1), "BACKUP>INIT:shutdown, CANCEL DOWN"),
		DOWN_TIMER(MDI_100, ""),
	};

	ck_assert_int_eq(RUN(cfg, rows).state, VRRP_STATE_INIT);
}
END_TEST

/* ---- Fault (keepalived; named reasons, not a counter) ---- */

START_TEST(master_entering_fault_sends_priority_zero_and_releases)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		TO_MASTER,
		FAULT_SET(S(4), VRRP_FAULT_CHECK,
		    "MASTER>FAULT:fault, CANCEL ADVER, SEND 0, DEL"),
		ADVER_TIMER(4609375, ""),
		ADVERT(S(5), 50, "192.0.2.20", ""),
	};

	RUN(cfg, rows);
}
END_TEST

START_TEST(fault_lasts_until_every_reason_clears)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		IFACE_DOWN(S(1), "BACKUP>FAULT:fault, CANCEL DOWN"),
		FAULT_SET(S(2), VRRP_FAULT_CHECK, ""),
		IFACE_UP(S(3), ""),
		/* clearing a reason that was never set changes nothing */
		FAULT_CLEAR(S(4), VRRP_FAULT_NO_PEER, ""),
		FAULT_CLEAR(S(5), VRRP_FAULT_CHECK,
		    "FAULT>BACKUP:clear, ARM DOWN @8609375"),
	};
	struct vrrp_fsm fsm;

	fsm = RUN(cfg, rows);
	ck_assert_uint_eq(fsm.faults, 0);
}
END_TEST

START_TEST(fault_set_records_each_reason_bit)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		FAULT_SET(S(1), VRRP_FAULT_TRACKED_IF,
		    "BACKUP>FAULT:fault, CANCEL DOWN"),
		FAULT_SET(S(2), VRRP_FAULT_NO_SRC_ADDR, ""),
		FAULT_SET(S(2), VRRP_FAULT_NO_SRC_ADDR, ""),
	};
	struct vrrp_fsm fsm = RUN(cfg, rows);

	ck_assert_uint_eq(fsm.faults,
	    (1U << VRRP_FAULT_TRACKED_IF) | (1U << VRRP_FAULT_NO_SRC_ADDR));
}
END_TEST

START_TEST(leaving_fault_with_nopreempt_waits_as_backup)
{
	/* keepalived PR #346: nopreempt must hold when leaving Fault. */
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3414062"),
		IFACE_DOWN(S(1), "BACKUP>FAULT:fault, CANCEL DOWN"),
		IFACE_UP(S(2), "FAULT>BACKUP:clear, ARM DOWN @5414062"),
		ADVERT(S(3), 100, "192.0.2.20", "ARM DOWN @6414062"),
	};

	cfg.priority = 150;
	cfg.preempt = false;
	ck_assert_int_eq(RUN(cfg, rows).state, VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(fault_shutdown_goes_to_init_without_advert)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		IFACE_DOWN(S(1), "BACKUP>FAULT:fault, CANCEL DOWN"),
		SHUTDOWN(S(2), "FAULT>INIT:shutdown"),
	};

	RUN(cfg, rows);
}
END_TEST

/* ---- robustness ---- */

START_TEST(inputs_out_of_range_are_ignored)
{
	struct vrrp_fsm_config cfg = base_cfg();
	struct vrrp_actions acts;
	struct vrrp_input in;
	struct vrrp_fsm fsm;

	vrrp_fsm_init(&fsm, &cfg);
	memset(&in, 0, sizeof(in));
	in.kind = VRRP_IN_STARTUP;
	vrrp_fsm_step(&fsm, &in, 0, &acts);
	ck_assert_int_eq(fsm.state, VRRP_STATE_BACKUP);

	in.kind = VRRP_IN_FAULT_SET;
	in.fault = VRRP_FAULT_MAX;
	vrrp_fsm_step(&fsm, &in, 1, &acts);
	ck_assert_uint_eq(acts.n, 0);
	in.kind = VRRP_IN_ADVERT;
	in.advert = NULL;
	vrrp_fsm_step(&fsm, &in, 1, &acts);
	ck_assert_uint_eq(acts.n, 0);
	in.kind = VRRP_IN_MAX;
	vrrp_fsm_step(&fsm, &in, 1, &acts);
	ck_assert_uint_eq(acts.n, 0);
	ck_assert_int_eq(fsm.state, VRRP_STATE_BACKUP);
}
END_TEST

/* ---- sync groups ---- */

/*
 * A grouped backup whose master falls silent asks instead of taking over,
 * keeps asking at each Master_Down_Interval, and becomes master for the
 * reason its timer ran out when the group lets it.
 */
START_TEST(grouped_backup_asks_the_group_before_taking_over)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		DOWN_TIMER(MDI_100, "WANT, ARM DOWN @7218750"),
		DOWN_TIMER(2 * MDI_100, "WANT, ARM DOWN @10828125"),
		GROUP_MASTER(S(8),
		    "BACKUP>MASTER:down, CANCEL DOWN, SEND 100, ADD, GARP, "
		    "ARM ADVER @9000000"),
	};
	struct vrrp_fsm fsm;

	cfg.in_group = true;
	fsm = RUN(cfg, rows);
	ck_assert_int_eq(fsm.state, VRRP_STATE_MASTER);
	ck_assert(!fsm.wants_master);
}
END_TEST

/* An accepted master heard again withdraws the wish; a group decision then
 * still moves the member, with the group as the reason. */
START_TEST(grouped_backup_hearing_its_master_no_longer_wants)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		DOWN_TIMER(MDI_100, "WANT, ARM DOWN @7218750"),
		ADVERT(S(4), 150, "192.0.2.20", "ARM DOWN @7609375"),
		GROUP_MASTER(S(5),
		    "BACKUP>MASTER:group, CANCEL DOWN, SEND 100, ADD, GARP, "
		    "ARM ADVER @6000000"),
	};
	struct vrrp_fsm fsm;

	cfg.in_group = true;
	fsm = RUN(cfg, rows);
	ck_assert_int_eq(fsm.reason, VRRP_RSN_GROUP_MASTER);
}
END_TEST

/* Priority 0 from the master: after Skew_Time the member asks, and the
 * takeover keeps "master sent priority 0" as its reason. */
START_TEST(grouped_backup_asks_after_skew_on_priority_zero)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		ADVERT(S(1), 0, "192.0.2.20", "ARM DOWN @1609375"),
		DOWN_TIMER(1609375, "WANT, ARM DOWN @5218750"),
		GROUP_MASTER(S(2),
		    "BACKUP>MASTER:stop, CANCEL DOWN, SEND 100, ADD, GARP, "
		    "ARM ADVER @3000000"),
	};

	cfg.in_group = true;
	RUN(cfg, rows);
}
END_TEST

/* Another member left Master: this one follows without a priority 0
 * advert (keepalived vrrp_sync_backup) and waits as a backup. */
START_TEST(grouped_master_follows_the_group_to_backup)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3609375"),
		DOWN_TIMER(MDI_100, "WANT, ARM DOWN @7218750"),
		GROUP_MASTER(S(4),
		    "BACKUP>MASTER:down, CANCEL DOWN, SEND 100, ADD, GARP, "
		    "ARM ADVER @5000000"),
		GROUP_BACKUP(S(4) + MS(500),
		    "MASTER>BACKUP:group, CANCEL ADVER, DEL, "
		    "ARM DOWN @8109375"),
		/* meaningless where they arrive: ignored */
		GROUP_BACKUP(S(5), ""),
	};
	struct vrrp_fsm fsm;

	cfg.in_group = true;
	fsm = RUN(cfg, rows);
	ck_assert_int_eq(fsm.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(fsm.reason, VRRP_RSN_GROUP_BACKUP);
	ck_assert(!fsm.wants_master);
}
END_TEST

/* An owner in a group starts as a backup asking to be master (keepalived:
 * a group is master only when every member can be). */
START_TEST(grouped_owner_waits_for_its_group)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		STARTUP(0, "INIT>BACKUP:startup, DEL, ARM DOWN @3003906, WANT"),
		GROUP_MASTER(MS(10),
		    "BACKUP>MASTER:owner, CANCEL DOWN, SEND 255, ADD, GARP, "
		    "ARM ADVER @1010000"),
		GROUP_MASTER(MS(20), ""),
	};

	cfg.priority = 255;
	cfg.in_group = true;
	RUN(cfg, rows);
}
END_TEST

/* In Initialize and Fault the group inputs change nothing. */
START_TEST(group_inputs_mean_nothing_outside_their_states)
{
	struct vrrp_fsm_config cfg = base_cfg();
	const struct row rows[] = {
		GROUP_MASTER(0, ""),
		FAULT_SET(0, VRRP_FAULT_SYNC_GROUP, ""),
		STARTUP(0, "INIT>FAULT:fault, DEL"),
		GROUP_MASTER(1, ""),
		GROUP_BACKUP(2, ""),
		FAULT_CLEAR(3, VRRP_FAULT_SYNC_GROUP,
		    "FAULT>BACKUP:clear, ARM DOWN @3609378"),
		GROUP_BACKUP(4, ""),
	};

	cfg.in_group = true;
	RUN(cfg, rows);
}
END_TEST

START_TEST(every_enum_has_a_name)
{
	for (int i = 0; i < VRRP_STATE_MAX; i++)
		ck_assert_str_ne(vrrp_state_name(i), "unknown");
	for (int i = 0; i < VRRP_RSN_MAX; i++)
		ck_assert_str_ne(vrrp_reason_name(i), "unknown");
	for (int i = 0; i < VRRP_FAULT_MAX; i++)
		ck_assert_str_ne(vrrp_fault_name(i), "unknown");
	for (int i = 0; i < VRRP_IN_MAX; i++)
		ck_assert_str_ne(vrrp_input_name(i), "unknown");
	for (int i = 0; i < VRRP_ACT_MAX; i++)
		ck_assert_str_ne(vrrp_action_name(i), "unknown");
	ck_assert_str_eq(vrrp_state_name(VRRP_STATE_MAX), "unknown");
	ck_assert_str_eq(vrrp_reason_name(VRRP_RSN_MAX), "unknown");
}
END_TEST

START_TEST(fault_set_formats_as_a_list_and_cuts_safely)
{
	char buf[64], small[10];

	ck_assert_str_eq(vrrp_fault_format(0, buf, sizeof(buf)), "");
	ck_assert_str_eq(vrrp_fault_format(1U << VRRP_FAULT_LINK_DOWN |
				 1U << VRRP_FAULT_CHECK,
			     buf, sizeof(buf)),
	    "interface down, check failed");
	memset(small, 'x', sizeof(small));
	vrrp_fault_format(~0U, small, 8);
	ck_assert_int_eq(strlen(small), 7);
	ck_assert_int_eq(small[8], 'x');
}
END_TEST

/*
 * Two simulated routers on one fake wire: whatever the inputs, at most one
 * is Master once adverts flow, and the higher priority wins with preempt.
 */
START_TEST(two_routers_elect_one_master)
{
	struct vrrp_fsm_config ca = base_cfg(), cb = base_cfg();
	struct vrrp_fsm a, b;
	struct vrrp_actions acts;
	struct vrrp_input in = { .kind = VRRP_IN_STARTUP };
	uint64_t now = 0;

	ca.priority = 200;
	addr_parse("192.0.2.20", &cb.primary);
	vrrp_fsm_init(&a, &ca);
	vrrp_fsm_init(&b, &cb);
	/* B starts first and becomes master alone. */
	vrrp_fsm_step(&b, &in, now, &acts);
	now = b.timers[VRRP_TIMER_MASTER_DOWN].at_us;
	in.kind = VRRP_IN_MASTER_DOWN_TIMER;
	vrrp_fsm_step(&b, &in, now, &acts);
	ck_assert_int_eq(b.state, VRRP_STATE_MASTER);
	/* A starts; B's adverts (100 < 200) are discarded; A preempts. */
	in.kind = VRRP_IN_STARTUP;
	vrrp_fsm_step(&a, &in, now, &acts);
	for (int i = 0; i < 20 && a.state != VRRP_STATE_MASTER; i++) {
		struct vrrp_advert adv = { .version = 3,
			.priority = 100,
			.adver_int_cs = 100,
			.meta.src = cb.primary };
		struct vrrp_input ia = { .kind = VRRP_IN_ADVERT,
			.advert = &adv };

		now = b.timers[VRRP_TIMER_ADVER].at_us;
		in.kind = VRRP_IN_ADVER_TIMER;
		vrrp_fsm_step(&b, &in, now, &acts);
		vrrp_fsm_step(&a, &ia, now, &acts);
		if (a.timers[VRRP_TIMER_MASTER_DOWN].at_us <=
		    b.timers[VRRP_TIMER_ADVER].at_us) {
			now = a.timers[VRRP_TIMER_MASTER_DOWN].at_us;
			in.kind = VRRP_IN_MASTER_DOWN_TIMER;
			vrrp_fsm_step(&a, &in, now, &acts);
		}
	}
	ck_assert_int_eq(a.state, VRRP_STATE_MASTER);
	/* A's first advert makes B yield. */
	{
		struct vrrp_advert adv = { .version = 3,
			.priority = 200,
			.adver_int_cs = 100,
			.meta.src = ca.primary };
		struct vrrp_input ia = { .kind = VRRP_IN_ADVERT,
			.advert = &adv };

		vrrp_fsm_step(&b, &ia, now, &acts);
	}
	ck_assert_int_eq(b.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(b.reason, VRRP_RSN_HIGHER_PRIO);
}
END_TEST

static Suite *
fsm_suite(void)
{
	Suite *s = suite_create("vrrp_fsm");
	TCase *tc;

	tc = tcase_create("timers");
	tcase_add_test(tc, skew_and_master_down_match_rfc_formulas);
	tcase_add_test(tc, keepalived_observed_master_down_timer);
	tcase_add_test(tc, down_timer_adverts_replaces_the_three);
	tcase_add_test(tc, priority_clamps_like_keepalived);
	suite_add_tcase(s, tc);

	tc = tcase_create("startup");
	tcase_add_test(tc, backup_takes_over_after_master_down_interval);
	tcase_add_test(tc, owner_starts_as_master_and_keeps_255);
	tcase_add_test(tc, startup_with_fault_goes_to_fault_and_releases);
	suite_add_tcase(s, tc);

	tc = tcase_create("backup");
	tcase_add_test(tc, backup_resets_master_down_timer_on_each_advert);
	tcase_add_test(tc, backup_records_current_master);
	tcase_add_test(tc, priority_zero_advert_takes_over_after_skew_time);
	tcase_add_test(tc,
	    priority_zero_from_another_than_the_master_is_ignored);
	tcase_add_test(tc,
	    backup_accepts_equal_priority_without_address_tie_break);
	tcase_add_test(tc,
	    backup_with_preempt_discards_lower_priority_and_takes_over);
	tcase_add_test(tc, nopreempt_backup_follows_lower_priority_master);
	tcase_add_test(tc, nopreempt_backup_still_takes_over_when_master_dies);
	tcase_add_test(tc, owner_leaving_fault_goes_straight_to_master);
	tcase_add_test(tc, owner_in_backup_preempts_even_with_nopreempt);
	tcase_add_test(tc,
	    preempt_delay_follows_lower_master_until_delay_from_startup);
	tcase_add_test(tc, preempt_delay_restarts_when_a_lower_master_appears);
	tcase_add_test(tc, v3_backup_learns_max_adver_int);
	tcase_add_test(tc, v2_backup_does_not_learn_the_interval);
	tcase_add_test(tc, ten_millisecond_adverts_keep_sub_millisecond_skew);
	tcase_add_test(tc, backup_priority_change_sets_skew_for_next_interval);
	suite_add_tcase(s, tc);

	tc = tcase_create("master");
	tcase_add_test(tc, master_sends_adverts_on_schedule_without_drift);
	tcase_add_test(tc, master_yields_to_higher_priority);
	tcase_add_test(tc, higher_prio_send_advert_sends_one_before_yielding);
	tcase_add_test(tc, master_equal_priority_tie_break_by_primary_address);
	tcase_add_test(tc, ipv6_tie_break_compares_link_local_sources);
	tcase_add_test(tc, master_answers_lower_priority_and_reannounces);
	tcase_add_test(tc, master_answers_at_most_once_an_interval);
	tcase_add_test(tc, lower_prio_no_advert_gives_pre_9568_discard);
	tcase_add_test(tc, master_answers_priority_zero_with_an_advert);
	tcase_add_test(tc, master_ignores_its_own_looped_advert);
	tcase_add_test(tc,
	    duplicate_owner_yields_to_higher_address_unless_ignoring);
	tcase_add_test(tc, master_priority_change_is_advertised_at_once);
	tcase_add_test(tc,
	    tracks_input_moves_priority_and_tracker_faults_together);
	tcase_add_test(tc, tracks_input_keeps_faults_it_does_not_own);
	tcase_add_test(tc,
	    master_losing_a_vip_goes_backup_and_is_elected_again);
	tcase_add_test(tc,
	    master_losing_a_route_goes_backup_and_is_elected_again);
	tcase_add_test(tc, demoted_master_hands_over_with_priority_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("shutdown");
	tcase_add_test(tc, master_shutdown_sends_priority_zero_and_releases);
	tcase_add_test(tc, backup_shutdown_cancels_its_timer);
	suite_add_tcase(s, tc);

	tc = tcase_create("fault");
	tcase_add_test(tc,
	    master_entering_fault_sends_priority_zero_and_releases);
	tcase_add_test(tc, fault_lasts_until_every_reason_clears);
	tcase_add_test(tc, fault_set_records_each_reason_bit);
	tcase_add_test(tc, leaving_fault_with_nopreempt_waits_as_backup);
	tcase_add_test(tc, fault_shutdown_goes_to_init_without_advert);
	suite_add_tcase(s, tc);

	tc = tcase_create("sync group");
	tcase_add_test(tc, grouped_backup_asks_the_group_before_taking_over);
	tcase_add_test(tc, grouped_backup_hearing_its_master_no_longer_wants);
	tcase_add_test(tc, grouped_backup_asks_after_skew_on_priority_zero);
	tcase_add_test(tc, grouped_master_follows_the_group_to_backup);
	tcase_add_test(tc, grouped_owner_waits_for_its_group);
	tcase_add_test(tc, group_inputs_mean_nothing_outside_their_states);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_add_test(tc, inputs_out_of_range_are_ignored);
	tcase_add_test(tc, every_enum_has_a_name);
	tcase_add_test(tc, fault_set_formats_as_a_list_and_cuts_safely);
	tcase_add_test(tc, two_routers_elect_one_master);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fsm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
