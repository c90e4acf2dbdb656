/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived sync groups (vrrp_sync_group), decided in pure code: the
 * instances of a group move together. What one member's step did (its
 * actions) and the members' state machines go in; the inputs the other
 * members must be fed come out. keepalived's rules (vrrp_sync.c):
 *
 *  - a member in Fault puts every other member in Fault
 *    (VRRP_FAULT_SYNC_GROUP), and they all leave it together;
 *  - a member leaving Master for Backup (a higher priority advert, a
 *    tie, a removed address, a demotion) takes every other Master with it
 *    (VRRP_IN_GROUP_BACKUP);
 *  - a Backup never becomes Master alone (its machine asks, with
 *    VRRP_ACT_WANT_MASTER): the group goes Master, every Backup member
 *    at once (VRRP_IN_GROUP_MASTER), when each member is Master or wants
 *    to be, and none is in Fault or not started.
 *
 * So preemption, nopreempt and preempt_delay work per member as they do
 * alone, and the group preempts only when every member would.
 */

#ifndef VRRPD_VRRP_SYNC_H
#define VRRPD_VRRP_SYNC_H

#include <stddef.h>

#include "vrrpd/vrrp_fsm.h"

/* An input for one member. */
struct vrrp_sync_order {
	size_t member; /* index into the members given */
	struct vrrp_input in;
};

/* The most orders one call makes: two per member. */
#define VRRP_SYNC_ORDERS_MAX(n) (2 * (n))

/*
 * Member who (< n) stepped and acts is what its step did; who == n and
 * acts NULL: no step, just reconcile (after the group was formed).
 * Fills out[] (room for VRRP_SYNC_ORDERS_MAX(n)) and returns how many
 * orders to apply, in order. Applying them makes new steps, to be fed
 * back the same way; that converges (group inputs lead to no further
 * orders).
 */
size_t vrrp_sync_react(const struct vrrp_fsm *const *m, size_t n, size_t who,
    const struct vrrp_actions *acts, struct vrrp_sync_order *out);

/*
 * The group's state as keepalived names it: FAULT when a member is in
 * Fault, MASTER when every member is, INIT when none started, else BACKUP.
 */
enum vrrp_state vrrp_sync_state(const struct vrrp_fsm *const *m, size_t n);

/*
 * Why the group is not master while member i wants to be: the index of
 * the first other member that is not ready (in Fault, not started, or a
 * Backup that hears a master it accepts); n when none holds it back.
 */
size_t vrrp_sync_holder(const struct vrrp_fsm *const *m, size_t n, size_t i);

/*
 * Why member i is in the group's Fault: the index of the first other
 * member with a fault of its own; n when none has one.
 */
size_t vrrp_sync_culprit(const struct vrrp_fsm *const *m, size_t n, size_t i);

#endif /* VRRPD_VRRP_SYNC_H */
