/* SPDX-License-Identifier: BSD-2-Clause */
/* keepalived sync groups: who follows whom (vrrp_sync.h), pure. */

#include <stdbool.h>

#include "vrrpd/vrrp_sync.h"

#define SYNC_BIT (1U << VRRP_FAULT_SYNC_GROUP)

/* The member's own faults, not the one its group gave it. */
static unsigned int
own_faults(const struct vrrp_fsm *f)
{
	return f->faults & ~SYNC_BIT;
}

static void
order(struct vrrp_sync_order *out, size_t *k, size_t member,
    enum vrrp_input_kind kind)
{
	struct vrrp_sync_order *o = &out[(*k)++];

	o->member = member;
	o->in = (struct vrrp_input) { .kind = kind };
	if (kind == VRRP_IN_FAULT_SET || kind == VRRP_IN_FAULT_CLEAR)
		o->in.fault = VRRP_FAULT_SYNC_GROUP;
}

/* Each member is in the group's Fault exactly while another has a fault. */
static size_t
faults(const struct vrrp_fsm *const *m, size_t n, struct vrrp_sync_order *out)
{
	size_t faulty = 0, k = 0;

	for (size_t j = 0; j < n; j++)
		faulty += own_faults(m[j]) != 0;
	for (size_t j = 0; j < n; j++) {
		bool others = faulty - (own_faults(m[j]) != 0) > 0;
		bool has = (m[j]->faults & SYNC_BIT) != 0;

		if (others != has)
			order(out, &k, j,
			    others ? VRRP_IN_FAULT_SET : VRRP_IN_FAULT_CLEAR);
	}
	return k;
}

/* The step took its member from Master to Backup, not on the group's word. */
static bool
left_master(const struct vrrp_actions *acts)
{
	for (size_t i = 0; acts != NULL && i < acts->n; i++) {
		const struct vrrp_action *a = &acts->a[i];

		if (a->kind == VRRP_ACT_TRANSITION &&
		    a->from == VRRP_STATE_MASTER &&
		    a->to == VRRP_STATE_BACKUP &&
		    a->reason != VRRP_RSN_GROUP_BACKUP)
			return true;
	}
	return false;
}

static bool
wants(const struct vrrp_actions *acts)
{
	for (size_t i = 0; acts != NULL && i < acts->n; i++)
		if (acts->a[i].kind == VRRP_ACT_WANT_MASTER)
			return true;
	return false;
}

/* Ready for Master: Master already, or a Backup that wants to be. */
static bool
ready(const struct vrrp_fsm *f)
{
	return f->state == VRRP_STATE_MASTER ||
	    (f->state == VRRP_STATE_BACKUP && f->wants_master);
}

size_t
vrrp_sync_react(const struct vrrp_fsm *const *m, size_t n, size_t who,
    const struct vrrp_actions *acts, struct vrrp_sync_order *out)
{
	size_t k, backups = 0;

	/* faults first: a member in Fault holds everything else */
	if ((k = faults(m, n, out)) > 0)
		return k;
	if (who < n && left_master(acts)) {
		for (size_t j = 0; j < n; j++)
			if (j != who && m[j]->state == VRRP_STATE_MASTER)
				order(out, &k, j, VRRP_IN_GROUP_BACKUP);
		return k;
	}
	/* only a new wish can complete the set (or a group just formed) */
	if (who < n && !wants(acts))
		return 0;
	for (size_t j = 0; j < n; j++) {
		if (!ready(m[j]))
			return 0;
		backups += m[j]->state == VRRP_STATE_BACKUP;
	}
	for (size_t j = 0; backups > 0 && j < n; j++)
		if (m[j]->state == VRRP_STATE_BACKUP)
			order(out, &k, j, VRRP_IN_GROUP_MASTER);
	return k;
}

enum vrrp_state
vrrp_sync_state(const struct vrrp_fsm *const *m, size_t n)
{
	size_t masters = 0, inits = 0;

	for (size_t j = 0; j < n; j++) {
		if (m[j]->state == VRRP_STATE_FAULT)
			return VRRP_STATE_FAULT;
		masters += m[j]->state == VRRP_STATE_MASTER;
		inits += m[j]->state == VRRP_STATE_INIT;
	}
	if (n > 0 && inits == n)
		return VRRP_STATE_INIT;
	if (n > 0 && masters == n)
		return VRRP_STATE_MASTER;
	return VRRP_STATE_BACKUP;
}

size_t
vrrp_sync_culprit(const struct vrrp_fsm *const *m, size_t n, size_t i)
{
	for (size_t j = 0; j < n; j++)
		if (j != i && own_faults(m[j]) != 0)
			return j;
	return n;
}

size_t
vrrp_sync_holder(const struct vrrp_fsm *const *m, size_t n, size_t i)
{
	for (size_t j = 0; j < n; j++)
		if (j != i && !ready(m[j]))
			return j;
	return n;
}
