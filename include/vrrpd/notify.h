/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived-compatible notifications of an instance's transitions: the
 * notify_master / notify_backup / notify_fault / notify_stop scripts (the
 * configured arguments only), the generic notify script (with
 * "INSTANCE NAME STATE PRIORITY" appended), and the notify FIFOs
 * (one line per event, `INSTANCE "VI_1" MASTER 150`).
 *
 * Unlike keepalived, the scripts of one instance run one at a time, in
 * order: a backlog coalesces to the latest state, a script that outlives
 * its timeout is stopped (TERM, then KILL, its whole process group), and
 * every run's exit status and duration is logged. Scripts run as the
 * script user with the same privilege drop as script checks; the state is
 * also in their environment (VRRPD_INSTANCE, VRRPD_STATE,
 * VRRPD_PRIORITY, VRRPD_MASTER).
 */

#ifndef VRRPD_NOTIFY_H
#define VRRPD_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrpd/conf.h"
#include "vrrpd/util.h"
#include "vrrpd/vrrp_fsm.h"

struct ev_loop;
struct notify;

/* How long one notification script may run (the daemon's setting). */
#define NOTIFY_TIMEOUT_MS 30000

/* What is notified: the state entered and the context. */
struct notify_event {
	enum vrrp_state state; /* INIT is reported as STOP */
	uint8_t priority;      /* effective priority */
	struct addr master;    /* the master's address, AF_UNSPEC unknown */
};

/* ---- the queue: pure ---- */

/* One instance's queue: at most one event running, one waiting. */
struct notify_queue {
	bool busy;
	bool has_pending;
	struct notify_event pending; /* the latest event, the others dropped */
	unsigned long coalesced;     /* events replaced before they ran */
};

/*
 * An event arrives: true when it may run now (the queue was idle; it is
 * then busy), false when it waits (replacing any event already waiting).
 */
bool notify_queue_post(struct notify_queue *q, const struct notify_event *ev);

/*
 * The running event is over: true with *next the event to run now (the
 * queue stays busy), false when the queue is idle again.
 */
bool notify_queue_done(struct notify_queue *q, struct notify_event *next);

/* "MASTER", "BACKUP", "FAULT", "STOP": keepalived's words. */
const char *notify_state_word(enum vrrp_state state);

/* ---- the notifier: glue on the default libev loop ---- */

/*
 * The notifier of instance name (cn and g must outlive it, or be replaced
 * with notify_rebind()), on the default loop (child watchers need it);
 * each script may run timeout_ms (0: NOTIFY_TIMEOUT_MS). NULL when nothing
 * is configured (no script, no FIFO) or out of memory.
 */
struct notify *notify_new(struct ev_loop *loop, const char *name,
    const struct conf_notify *cn, const struct conf_global *g,
    uint32_t timeout_ms);
void notify_rebind(struct notify *n, const char *name,
    const struct conf_notify *cn, const struct conf_global *g);

/* A transition happened: write the FIFO lines, queue the scripts. */
void notify_post(struct notify *n, const struct notify_event *ev);

/* A script runs or waits (the daemon lets them end before it exits). */
bool notify_busy(const struct notify *n);

/*
 * Stop notifying: a script still running is left to finish on its own
 * (its own session; systemd's KillMode=mixed ends it with the service),
 * what waits is dropped.
 */
void notify_free(struct notify *n);

#endif /* VRRPD_NOTIFY_H */
