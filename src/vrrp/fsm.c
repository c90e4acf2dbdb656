/* SPDX-License-Identifier: BSD-2-Clause */
/* The VRRP state machine: RFC 5798 §6.4 / RFC 9568 §6.4, pure. */

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "vrrpd/vrrp_fsm.h"

#define US_PER_CS 10000ULL
#define US_PER_S  1000000ULL

typedef void vrrp_fsm_fn(struct vrrp_fsm *, const struct vrrp_input *, uint64_t,
    struct vrrp_actions *);

static const char *const state_names[VRRP_STATE_MAX] = {
	[VRRP_STATE_INIT] = "INIT",
	[VRRP_STATE_BACKUP] = "BACKUP",
	[VRRP_STATE_MASTER] = "MASTER",
	[VRRP_STATE_FAULT] = "FAULT",
};

static const char *const reason_names[VRRP_RSN_MAX] = {
	[VRRP_RSN_NONE] = "none",
	[VRRP_RSN_STARTUP] = "startup",
	[VRRP_RSN_OWNER] = "address owner (priority 255)",
	[VRRP_RSN_MASTER_DOWN] = "master down timer expired",
	[VRRP_RSN_MASTER_STOP] = "master sent priority 0",
	[VRRP_RSN_PREEMPT] = "preempted a lower priority master",
	[VRRP_RSN_HIGHER_PRIO] = "higher priority advert received",
	[VRRP_RSN_TIE_BREAK] = "equal priority advert from a higher address",
	[VRRP_RSN_FAULT] = "fault",
	[VRRP_RSN_FAULT_CLEAR] = "fault cleared",
	[VRRP_RSN_SHUTDOWN] = "shutdown",
	[VRRP_RSN_VIP_REMOVED] = "a virtual address was removed",
	[VRRP_RSN_DEMOTED] = "demoted by the operator",
	[VRRP_RSN_GROUP_MASTER] = "its sync group became master",
	[VRRP_RSN_GROUP_BACKUP] = "a sync group member left master",
	[VRRP_RSN_ROUTE_REMOVED] = "a virtual route or rule was removed",
};

static const char *const fault_names[VRRP_FAULT_MAX] = {
	[VRRP_FAULT_LINK_DOWN] = "interface down",
	[VRRP_FAULT_NO_SRC_ADDR] = "no source address",
	[VRRP_FAULT_TRACKED_IF] = "tracked interface down",
	[VRRP_FAULT_CHECK] = "check failed",
	[VRRP_FAULT_TRACK_FILE] = "tracked file",
	[VRRP_FAULT_TRACK_PROC] = "tracked process down",
	[VRRP_FAULT_NO_PEER] = "no unicast peer",
	[VRRP_FAULT_SYNC_GROUP] = "sync group member in fault",
};

static const char *const input_names[VRRP_IN_MAX] = {
	[VRRP_IN_STARTUP] = "startup",
	[VRRP_IN_SHUTDOWN] = "shutdown",
	[VRRP_IN_ADVERT] = "advert",
	[VRRP_IN_ADVER_TIMER] = "adver timer",
	[VRRP_IN_MASTER_DOWN_TIMER] = "master down timer",
	[VRRP_IN_PRIORITY] = "priority",
	[VRRP_IN_FAULT_SET] = "fault set",
	[VRRP_IN_FAULT_CLEAR] = "fault clear",
	[VRRP_IN_IFACE_UP] = "interface up",
	[VRRP_IN_IFACE_DOWN] = "interface down",
	[VRRP_IN_HAND_OVER] = "hand over",
	[VRRP_IN_VIP_LOST] = "vip lost",
	[VRRP_IN_TRACKS] = "tracks",
	[VRRP_IN_GROUP_MASTER] = "group master",
	[VRRP_IN_GROUP_BACKUP] = "group backup",
	[VRRP_IN_ROUTE_LOST] = "route lost",
};

static const char *const action_names[VRRP_ACT_MAX] = {
	[VRRP_ACT_TRANSITION] = "transition",
	[VRRP_ACT_SEND_ADVERT] = "send advert",
	[VRRP_ACT_ADD_VIPS] = "add vips",
	[VRRP_ACT_DEL_VIPS] = "delete vips",
	[VRRP_ACT_ANNOUNCE] = "announce",
	[VRRP_ACT_ARM_TIMER] = "arm timer",
	[VRRP_ACT_CANCEL_TIMER] = "cancel timer",
	[VRRP_ACT_WANT_MASTER] = "want master",
};

static const char *
name_of(const char *const *table, size_t n, unsigned int i)
{
	if (i >= n || table[i] == NULL)
		return "unknown";
	return table[i];
}

const char *
vrrp_state_name(enum vrrp_state state)
{
	return name_of(state_names, VRRP_STATE_MAX, state);
}

const char *
vrrp_reason_name(enum vrrp_reason reason)
{
	return name_of(reason_names, VRRP_RSN_MAX, reason);
}

const char *
vrrp_fault_name(enum vrrp_fault fault)
{
	return name_of(fault_names, VRRP_FAULT_MAX, fault);
}

const char *
vrrp_fault_format(unsigned int faults, char *buf, size_t size)
{
	size_t off = 0;
	int n;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (int f = 0; f < VRRP_FAULT_MAX && off < size; f++) {
		if ((faults & (1U << f)) == 0)
			continue;
		n = snprintf(buf + off, size - off, "%s%s",
		    off == 0 ? "" : ", ", fault_names[f]);
		off += n > 0 ? (size_t)n : 0;
	}
	return buf;
}

const char *
vrrp_input_name(enum vrrp_input_kind kind)
{
	return name_of(input_names, VRRP_IN_MAX, kind);
}

const char *
vrrp_action_name(enum vrrp_action_kind kind)
{
	return name_of(action_names, VRRP_ACT_MAX, kind);
}

uint8_t
vrrp_fsm_clamp_priority(uint8_t base, int computed)
{
	if (base == VRRP_PRIO_OWNER)
		return VRRP_PRIO_OWNER;
	if (computed < 1)
		return 1;
	if (computed > VRRP_PRIO_OWNER - 1)
		return VRRP_PRIO_OWNER - 1;
	return (uint8_t)computed;
}

uint64_t
vrrp_fsm_skew_us(uint8_t version, uint8_t priority,
    uint16_t master_adver_int_cs)
{
	uint64_t spread = 256 - (uint64_t)priority;

	/* RFC 3768 §6.1: v2 skew does not scale with the interval. */
	if (version == 2)
		return spread * US_PER_S / 256;
	/* RFC 5798 §6.1 */
	return spread * master_adver_int_cs * US_PER_CS / 256;
}

uint64_t
vrrp_fsm_master_down_us(uint8_t version, uint8_t priority,
    uint16_t master_adver_int_cs, uint8_t adverts)
{
	return adverts * (uint64_t)master_adver_int_cs * US_PER_CS +
	    vrrp_fsm_skew_us(version, priority, master_adver_int_cs);
}

/* Actions are appended in the order the caller must apply them. */
static struct vrrp_action *
emit(struct vrrp_actions *out, enum vrrp_action_kind kind)
{
	struct vrrp_action *a;

	assert(out->n < VRRP_FSM_MAX_ACTIONS);
	a = &out->a[out->n++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	return a;
}

static void
transition(struct vrrp_fsm *fsm, enum vrrp_state to, enum vrrp_reason reason,
    uint64_t now, struct vrrp_actions *out)
{
	struct vrrp_action *a = emit(out, VRRP_ACT_TRANSITION);

	/* Every transition has a reason (vrrp_inst_view relies on it). */
	assert(reason != VRRP_RSN_NONE);
	a->from = fsm->state;
	a->to = to;
	a->reason = reason;
	fsm->state = to;
	fsm->reason = reason;
	fsm->since_us = now;
	fsm->wants_master = false;
}

static void
send_advert(uint8_t priority, struct vrrp_actions *out)
{
	emit(out, VRRP_ACT_SEND_ADVERT)->priority = priority;
}

static void
arm(struct vrrp_fsm *fsm, enum vrrp_timer t, uint64_t at,
    struct vrrp_actions *out)
{
	struct vrrp_action *a = emit(out, VRRP_ACT_ARM_TIMER);

	a->timer = t;
	a->at_us = at;
	fsm->timers[t].armed = true;
	fsm->timers[t].at_us = at;
}

static void
cancel(struct vrrp_fsm *fsm, enum vrrp_timer t, struct vrrp_actions *out)
{
	if (!fsm->timers[t].armed)
		return;
	emit(out, VRRP_ACT_CANCEL_TIMER)->timer = t;
	fsm->timers[t].armed = false;
}

/*
 * A timer input is due only when its timer is armed and its deadline has
 * passed; the input consumes it (the caller's one-shot timer has stopped, so
 * no CANCEL is emitted). Anything else is a stale event and is ignored.
 */
static bool
consume_timer(struct vrrp_fsm *fsm, enum vrrp_timer t, uint64_t now)
{
	if (!fsm->timers[t].armed || now < fsm->timers[t].at_us)
		return false;
	fsm->timers[t].armed = false;
	return true;
}

static uint16_t
adver_int(const struct vrrp_fsm *fsm)
{
	return fsm->cfg.adver_int_cs;
}

static uint64_t
master_down_us(const struct vrrp_fsm *fsm)
{
	return vrrp_fsm_master_down_us(fsm->cfg.version, fsm->priority,
	    fsm->master_adver_int_cs, fsm->cfg.down_timer_adverts);
}

/* RFC 5798 §6.4.2: the address owner always preempts. */
static bool
preempts(const struct vrrp_fsm *fsm)
{
	return fsm->cfg.preempt || fsm->priority == VRRP_PRIO_OWNER;
}

static bool
is_owner_ignoring(const struct vrrp_fsm *fsm)
{
	return fsm->cfg.owner_ignore_adverts &&
	    fsm->priority == VRRP_PRIO_OWNER;
}

/* In Master, every advert sent restarts Adver_Timer (RFC 5798 §6.4.3). */
static void
master_send(struct vrrp_fsm *fsm, uint64_t now, struct vrrp_actions *out)
{
	send_advert(fsm->priority, out);
	arm(fsm, VRRP_TIMER_ADVER, now + adver_int(fsm) * US_PER_CS, out);
}

/* RFC 5798 §6.4.1 / §6.4.2: "Transition to the Master state". */
static void
become_master(struct vrrp_fsm *fsm, enum vrrp_reason reason, uint64_t now,
    struct vrrp_actions *out)
{
	transition(fsm, VRRP_STATE_MASTER, reason, now, out);
	cancel(fsm, VRRP_TIMER_MASTER_DOWN, out);
	send_advert(fsm->priority, out);
	emit(out, VRRP_ACT_ADD_VIPS);
	emit(out, VRRP_ACT_ANNOUNCE)->announce = VRRP_ANN_BECOME_MASTER;
	arm(fsm, VRRP_TIMER_ADVER, now + adver_int(fsm) * US_PER_CS, out);
	fsm->master_addr = fsm->cfg.primary;
	fsm->master_priority = fsm->priority;
	fsm->preempt_at_us = 0;
}

/*
 * Enter Backup from Initialize or Fault, as at startup (RFC 5798 §6.4.1):
 * Master_Adver_Interval starts at our own Advertisement_Interval. VIPs are
 * removed when coming from Initialize, so addresses left behind by a crash
 * are never held by a backup (keepalived "removing VIPs." at start).
 */
static void
start_backup(struct vrrp_fsm *fsm, enum vrrp_reason reason, uint64_t now,
    struct vrrp_actions *out)
{
	bool from_init = fsm->state == VRRP_STATE_INIT;

	transition(fsm, VRRP_STATE_BACKUP, reason, now, out);
	if (from_init)
		emit(out, VRRP_ACT_DEL_VIPS);
	fsm->master_adver_int_cs = adver_int(fsm);
	fsm->down_reason = VRRP_RSN_MASTER_DOWN;
	memset(&fsm->master_addr, 0, sizeof(fsm->master_addr));
	fsm->master_priority = 0;
	/* keepalived preempt_delay: counted from startup (and fault end). */
	fsm->preempt_at_us = fsm->cfg.preempt_delay_ms > 0 ?
	    now + fsm->cfg.preempt_delay_ms * 1000ULL :
	    0;
	arm(fsm, VRRP_TIMER_MASTER_DOWN, now + master_down_us(fsm), out);
}

/*
 * A grouped Backup that would be Master: it asks the group and waits,
 * its timer running again (keepalived re-arms it while the group holds
 * the member back).
 */
static void
want_master(struct vrrp_fsm *fsm, enum vrrp_reason reason, uint64_t now,
    struct vrrp_actions *out)
{
	fsm->wants_master = true;
	fsm->down_reason = reason;
	emit(out, VRRP_ACT_WANT_MASTER);
	arm(fsm, VRRP_TIMER_MASTER_DOWN, now + master_down_us(fsm), out);
}

/* Startup, or the last fault cleared: owner to Master, others to Backup. */
static void
start(struct vrrp_fsm *fsm, enum vrrp_reason reason, uint64_t now,
    struct vrrp_actions *out)
{
	if (fsm->priority != VRRP_PRIO_OWNER) {
		start_backup(fsm, reason, now, out);
	} else if (fsm->cfg.in_group) {
		/* an owner in a group waits for the group like the others */
		start_backup(fsm, reason, now, out);
		fsm->wants_master = true;
		fsm->down_reason = VRRP_RSN_OWNER;
		emit(out, VRRP_ACT_WANT_MASTER);
	} else {
		become_master(fsm, VRRP_RSN_OWNER, now, out);
	}
}

static void
enter_fault(struct vrrp_fsm *fsm, uint64_t now, struct vrrp_actions *out)
{
	enum vrrp_state from = fsm->state;

	transition(fsm, VRRP_STATE_FAULT, VRRP_RSN_FAULT, now, out);
	cancel(fsm, VRRP_TIMER_ADVER, out);
	cancel(fsm, VRRP_TIMER_MASTER_DOWN, out);
	/* A master leaving for Fault says so, as on shutdown (keepalived). */
	if (from == VRRP_STATE_MASTER)
		send_advert(VRRP_PRIO_STOP, out);
	if (from == VRRP_STATE_MASTER || from == VRRP_STATE_INIT)
		emit(out, VRRP_ACT_DEL_VIPS);
	memset(&fsm->master_addr, 0, sizeof(fsm->master_addr));
	fsm->master_priority = 0;
	fsm->preempt_at_us = 0;
}

/* Record the master a backup listens to; v3 learns its interval. */
static void
follow_master(struct vrrp_fsm *fsm, const struct vrrp_advert *adv, uint64_t now,
    struct vrrp_actions *out)
{
	/* RFC 5798 §6.4.2: Master_Adver_Interval := Max Adver Int. */
	if (fsm->cfg.version == 3 && adv->adver_int_cs > 0)
		fsm->master_adver_int_cs = adv->adver_int_cs;
	fsm->master_addr = adv->meta.src;
	fsm->master_priority = adv->priority;
	fsm->down_reason = VRRP_RSN_MASTER_DOWN;
	fsm->wants_master = false;
	arm(fsm, VRRP_TIMER_MASTER_DOWN, now + master_down_us(fsm), out);
}

static void
init_startup(struct vrrp_fsm *fsm, const struct vrrp_input *in, uint64_t now,
    struct vrrp_actions *out)
{
	(void)in;
	if (fsm->faults != 0)
		enter_fault(fsm, now, out);
	else
		start(fsm, VRRP_RSN_STARTUP, now, out);
}

/*
 * keepalived preempt_delay: a lower priority master is followed (as if
 * preempt were off) until the delay, started when it is first seen or at
 * startup, has run out.
 */
static bool
preempt_delayed(struct vrrp_fsm *fsm, uint64_t now)
{
	if (fsm->cfg.preempt_delay_ms == 0)
		return false;
	if (fsm->preempt_at_us == 0)
		fsm->preempt_at_us = now + fsm->cfg.preempt_delay_ms * 1000ULL;
	return now < fsm->preempt_at_us;
}

/* RFC 5798 §6.4.2, "If an ADVERTISEMENT is received". */
static void
backup_advert(struct vrrp_fsm *fsm, const struct vrrp_input *in, uint64_t now,
    struct vrrp_actions *out)
{
	const struct vrrp_advert *adv = in->advert;
	uint64_t skew;

	if (is_owner_ignoring(fsm))
		return;
	if (adv->priority == VRRP_PRIO_STOP) {
		/*
		 * Only the master this backup follows can hand over: a
		 * priority 0 from any other address says nothing true, and
		 * a flood of them from a host on the LAN would hold the
		 * takeover back, then let it happen once the flood stops.
		 */
		if (fsm->master_addr.af != AF_UNSPEC &&
		    addr_cmp(&adv->meta.src, &fsm->master_addr) != 0) {
			fsm->stops_ignored++;
			return;
		}
		/* Master_Down_Timer := Skew_Time: the fast takeover. */
		skew = vrrp_fsm_skew_us(fsm->cfg.version, fsm->priority,
		    fsm->master_adver_int_cs);
		fsm->down_reason = VRRP_RSN_MASTER_STOP;
		arm(fsm, VRRP_TIMER_MASTER_DOWN, now + skew, out);
		return;
	}
	if (adv->priority >= fsm->priority) {
		fsm->preempt_at_us = 0;
		follow_master(fsm, adv, now, out);
		return;
	}
	if (!preempts(fsm) || preempt_delayed(fsm, now)) {
		follow_master(fsm, adv, now, out);
		return;
	}
	/* Lower priority and we preempt: discard, let the timer run out. */
	fsm->down_reason = VRRP_RSN_PREEMPT;
}

static void
backup_master_down(struct vrrp_fsm *fsm, const struct vrrp_input *in,
    uint64_t now, struct vrrp_actions *out)
{
	(void)in;
	if (!consume_timer(fsm, VRRP_TIMER_MASTER_DOWN, now))
		return;
	if (fsm->cfg.in_group)
		want_master(fsm, fsm->down_reason, now, out);
	else
		become_master(fsm, fsm->down_reason, now, out);
}

/*
 * The group lets its members be master (every one wants to, or the others
 * are): as if the timer had run out, for the reason it did.
 */
static void
backup_group_master(struct vrrp_fsm *fsm, const struct vrrp_input *in,
    uint64_t now, struct vrrp_actions *out)
{
	(void)in;
	become_master(fsm,
	    fsm->wants_master ? fsm->down_reason : VRRP_RSN_GROUP_MASTER, now,
	    out);
}

/*
 * Master gives up mastership for reason and waits in Backup as at startup:
 * no master known, Master_Down_Timer at a full interval; with say_stop a
 * priority 0 advert first (the backups then take over after Skew_Time).
 */
static void
step_down(struct vrrp_fsm *fsm, enum vrrp_reason reason, bool say_stop,
    uint64_t now, struct vrrp_actions *out)
{
	transition(fsm, VRRP_STATE_BACKUP, reason, now, out);
	cancel(fsm, VRRP_TIMER_ADVER, out);
	if (say_stop)
		send_advert(VRRP_PRIO_STOP, out);
	emit(out, VRRP_ACT_DEL_VIPS);
	fsm->master_adver_int_cs = adver_int(fsm);
	fsm->down_reason = VRRP_RSN_MASTER_DOWN;
	memset(&fsm->master_addr, 0, sizeof(fsm->master_addr));
	fsm->master_priority = 0;
	arm(fsm, VRRP_TIMER_MASTER_DOWN, now + master_down_us(fsm), out);
}

/*
 * Another member left Master: this one follows (keepalived
 * vrrp_sync_backup), without a priority 0 advert, since the peer that
 * made the group move is already master of its own group.
 */
static void
master_group_backup(struct vrrp_fsm *fsm, const struct vrrp_input *in,
    uint64_t now, struct vrrp_actions *out)
{
	(void)in;
	step_down(fsm, VRRP_RSN_GROUP_BACKUP, false, now, out);
}

static void
master_adver_timer(struct vrrp_fsm *fsm, const struct vrrp_input *in,
    uint64_t now, struct vrrp_actions *out)
{
	uint64_t next;

	(void)in;
	if (!consume_timer(fsm, VRRP_TIMER_ADVER, now))
		return;
	send_advert(fsm->priority, out);
	/* Keep the schedule from the deadline, so late wake-ups don't drift. */
	next = fsm->timers[VRRP_TIMER_ADVER].at_us + adver_int(fsm) * US_PER_CS;
	if (next <= now)
		next = now + adver_int(fsm) * US_PER_CS;
	arm(fsm, VRRP_TIMER_ADVER, next, out);
}

/*
 * A master's answer to a priority-0 or a lower-priority advert: at most
 * one an Advertisement_Interval. Any host on the LAN can send those as
 * fast as it likes, and an answer to each made the master a 1:1 multicast
 * amplifier; one answer still heals a split brain at once, and the steady
 * adverts go on at their schedule. The rest are counted.
 */
static void
master_answer(struct vrrp_fsm *fsm, uint64_t now, struct vrrp_actions *out)
{
	uint64_t ivl = (uint64_t)adver_int(fsm) * US_PER_CS;

	if (fsm->answered_us != 0 && now < fsm->answered_us + ivl) {
		fsm->answers_suppressed++;
		return;
	}
	fsm->answered_us = now;
	master_send(fsm, now, out);
}

/* RFC 5798 §6.4.3, "If an ADVERTISEMENT is received". */
static void
master_advert(struct vrrp_fsm *fsm, const struct vrrp_input *in, uint64_t now,
    struct vrrp_actions *out)
{
	const struct vrrp_advert *adv = in->advert;
	int cmp = addr_cmp(&adv->meta.src, &fsm->cfg.primary);
	enum vrrp_reason reason;

	if (is_owner_ignoring(fsm) || cmp == 0)
		return; /* our own advert looped back */
	if (adv->priority == VRRP_PRIO_STOP) {
		master_answer(fsm, now, out);
		return;
	}
	if (adv->priority > fsm->priority ||
	    (adv->priority == fsm->priority && cmp > 0)) {
		reason = adv->priority > fsm->priority ? VRRP_RSN_HIGHER_PRIO :
							 VRRP_RSN_TIE_BREAK;
		transition(fsm, VRRP_STATE_BACKUP, reason, now, out);
		cancel(fsm, VRRP_TIMER_ADVER, out);
		/* keepalived higher_prio_send_advert: one last advert. */
		if (fsm->cfg.higher_prio_send_advert)
			send_advert(fsm->priority, out);
		emit(out, VRRP_ACT_DEL_VIPS);
		fsm->master_adver_int_cs = adver_int(fsm);
		follow_master(fsm, adv, now, out);
		return;
	}
	/*
	 * Lower priority, or equal from a lower address: another router
	 * believes it is master. RFC 9568 §6.4.3 answers with an advert
	 * (RFC 3768/5798 discard: lower_prio_no_advert); keepalived also
	 * re-announces the VIPs so clients that followed the other router
	 * come back.
	 */
	if (!fsm->cfg.lower_prio_no_advert)
		master_answer(fsm, now, out);
	emit(out, VRRP_ACT_ANNOUNCE)->announce = VRRP_ANN_REASSERT;
}

/*
 * keepalived: a master whose address was removed by someone else gives up
 * mastership and the election runs again (from Backup, the highest
 * priority router takes over after Master_Down_Interval and adds the
 * addresses back). The other addresses are released too, so the instance
 * never holds half its set. A tracked virtual route or rule removed behind
 * its back does the same (keepalived 2.2.7 netlink_route_filter).
 */
static void
master_vip_lost(struct vrrp_fsm *fsm, const struct vrrp_input *in, uint64_t now,
    struct vrrp_actions *out)
{
	step_down(fsm,
	    in->kind == VRRP_IN_ROUTE_LOST ? VRRP_RSN_ROUTE_REMOVED :
					     VRRP_RSN_VIP_REMOVED,
	    false, now, out);
}

/*
 * A demoted master (vrrpctl demote) hands over at once, as at a graceful
 * stop: priority 0 tells the backups to take over after Skew_Time (RFC
 * 5798 §6.4.2), whatever their preempt setting, and the addresses go. It
 * stays in Backup with its lowered priority, so with no other router
 * left it becomes master again after Master_Down_Interval.
 */
static void
master_hand_over(struct vrrp_fsm *fsm, const struct vrrp_input *in,
    uint64_t now, struct vrrp_actions *out)
{
	(void)in;
	step_down(fsm, VRRP_RSN_DEMOTED, true, now, out);
}

static void
stop(struct vrrp_fsm *fsm, const struct vrrp_input *in, uint64_t now,
    struct vrrp_actions *out)
{
	enum vrrp_state from = fsm->state;

	(void)in;
	transition(fsm, VRRP_STATE_INIT, VRRP_RSN_SHUTDOWN, now, out);
	cancel(fsm, VRRP_TIMER_ADVER, out);
	cancel(fsm, VRRP_TIMER_MASTER_DOWN, out);
	if (from == VRRP_STATE_MASTER) {
		/* RFC 5798 §6.4.3: "Send an ADVERTISEMENT with Priority = 0". */
		send_advert(VRRP_PRIO_STOP, out);
		emit(out, VRRP_ACT_DEL_VIPS);
	}
	memset(&fsm->master_addr, 0, sizeof(fsm->master_addr));
	fsm->master_priority = 0;
	fsm->preempt_at_us = 0;
}

static void
set_priority(struct vrrp_fsm *fsm, const struct vrrp_input *in, uint64_t now,
    struct vrrp_actions *out)
{
	uint8_t prio = vrrp_fsm_clamp_priority(fsm->cfg.priority, in->priority);

	if (prio == fsm->priority)
		return;
	fsm->priority = prio;
	/* A master tells its peers at once rather than at the next advert. */
	if (fsm->state == VRRP_STATE_MASTER) {
		fsm->master_priority = prio;
		master_send(fsm, now, out);
	}
}

static void
fault_set(struct vrrp_fsm *fsm, const struct vrrp_input *in, uint64_t now,
    struct vrrp_actions *out)
{
	fsm->faults |= 1U << in->fault;
	if (fsm->state == VRRP_STATE_BACKUP || fsm->state == VRRP_STATE_MASTER)
		enter_fault(fsm, now, out);
}

static void
fault_clear(struct vrrp_fsm *fsm, const struct vrrp_input *in, uint64_t now,
    struct vrrp_actions *out)
{
	fsm->faults &= ~(1U << in->fault);
	if (fsm->state == VRRP_STATE_FAULT && fsm->faults == 0)
		start(fsm, VRRP_RSN_FAULT_CLEAR, now, out);
}

/*
 * The tracked objects changed: the priority and the tracker faults move
 * together, so a master that a failing check both lowers and faults goes
 * to Fault without first advertising the lower priority.
 */
static void
set_tracks(struct vrrp_fsm *fsm, const struct vrrp_input *in, uint64_t now,
    struct vrrp_actions *out)
{
	struct vrrp_input prio = { .kind = VRRP_IN_PRIORITY,
		.priority = in->tracks.priority };
	unsigned int before = fsm->faults;

	fsm->faults = (before & ~VRRP_FAULTS_TRACKED) |
	    (in->tracks.faults & VRRP_FAULTS_TRACKED);
	if (before == 0 && fsm->faults != 0) {
		fsm->priority =
		    vrrp_fsm_clamp_priority(fsm->cfg.priority, prio.priority);
		if (fsm->state == VRRP_STATE_BACKUP ||
		    fsm->state == VRRP_STATE_MASTER)
			enter_fault(fsm, now, out);
		return;
	}
	if (fsm->state == VRRP_STATE_FAULT && fsm->faults == 0) {
		fsm->priority =
		    vrrp_fsm_clamp_priority(fsm->cfg.priority, prio.priority);
		start(fsm, VRRP_RSN_FAULT_CLEAR, now, out);
		return;
	}
	set_priority(fsm, &prio, now, out);
}

/*
 * (state, input) -> handler, after ospfd's iface_fsm[]. A missing entry
 * means the input changes nothing in that state.
 */
static vrrp_fsm_fn *const fsm_table[VRRP_STATE_MAX][VRRP_IN_MAX] = {
	[VRRP_STATE_INIT] = {
	    [VRRP_IN_STARTUP] = init_startup,
	    [VRRP_IN_PRIORITY] = set_priority,
	    [VRRP_IN_FAULT_SET] = fault_set,
	    [VRRP_IN_FAULT_CLEAR] = fault_clear,
	    [VRRP_IN_TRACKS] = set_tracks,
	},
	[VRRP_STATE_BACKUP] = {
	    [VRRP_IN_SHUTDOWN] = stop,
	    [VRRP_IN_ADVERT] = backup_advert,
	    [VRRP_IN_MASTER_DOWN_TIMER] = backup_master_down,
	    [VRRP_IN_GROUP_MASTER] = backup_group_master,
	    [VRRP_IN_PRIORITY] = set_priority,
	    [VRRP_IN_FAULT_SET] = fault_set,
	    [VRRP_IN_FAULT_CLEAR] = fault_clear,
	    [VRRP_IN_TRACKS] = set_tracks,
	},
	[VRRP_STATE_MASTER] = {
	    [VRRP_IN_SHUTDOWN] = stop,
	    [VRRP_IN_ADVERT] = master_advert,
	    [VRRP_IN_ADVER_TIMER] = master_adver_timer,
	    [VRRP_IN_VIP_LOST] = master_vip_lost,
	    [VRRP_IN_ROUTE_LOST] = master_vip_lost,
	    [VRRP_IN_HAND_OVER] = master_hand_over,
	    [VRRP_IN_GROUP_BACKUP] = master_group_backup,
	    [VRRP_IN_PRIORITY] = set_priority,
	    [VRRP_IN_FAULT_SET] = fault_set,
	    [VRRP_IN_FAULT_CLEAR] = fault_clear,
	    [VRRP_IN_TRACKS] = set_tracks,
	},
	[VRRP_STATE_FAULT] = {
	    [VRRP_IN_SHUTDOWN] = stop,
	    [VRRP_IN_PRIORITY] = set_priority,
	    [VRRP_IN_FAULT_SET] = fault_set,
	    [VRRP_IN_FAULT_CLEAR] = fault_clear,
	    [VRRP_IN_TRACKS] = set_tracks,
	},
};

void
vrrp_fsm_init(struct vrrp_fsm *fsm, const struct vrrp_fsm_config *cfg)
{
	memset(fsm, 0, sizeof(*fsm));
	fsm->cfg = *cfg;
	if (fsm->cfg.down_timer_adverts == 0)
		fsm->cfg.down_timer_adverts = 3;
	fsm->state = VRRP_STATE_INIT;
	fsm->priority = cfg->priority;
	fsm->master_adver_int_cs = cfg->adver_int_cs;
}

void
vrrp_fsm_step(struct vrrp_fsm *fsm, const struct vrrp_input *in,
    uint64_t now_us, struct vrrp_actions *out)
{
	struct vrrp_input link;
	vrrp_fsm_fn *fn;

	out->n = 0;
	if (in->kind == VRRP_IN_IFACE_UP || in->kind == VRRP_IN_IFACE_DOWN) {
		link.kind = in->kind == VRRP_IN_IFACE_UP ? VRRP_IN_FAULT_CLEAR :
							   VRRP_IN_FAULT_SET;
		link.fault = VRRP_FAULT_LINK_DOWN;
		in = &link;
	}
	if ((unsigned int)fsm->state >= VRRP_STATE_MAX ||
	    (unsigned int)in->kind >= VRRP_IN_MAX)
		return;
	if ((in->kind == VRRP_IN_FAULT_SET ||
		in->kind == VRRP_IN_FAULT_CLEAR) &&
	    (unsigned int)in->fault >= VRRP_FAULT_MAX)
		return;
	if (in->kind == VRRP_IN_ADVERT && in->advert == NULL)
		return;
	fn = fsm_table[fsm->state][in->kind];
	if (fn != NULL)
		fn(fsm, in, now_us, out);
}
