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

/*
 * The same for a keepalived sync group: its scripts, and "GROUP" where an
 * instance's say "INSTANCE" (the generic script's words `GROUP NAME STATE
 * 0`, the FIFO lines `GROUP "LVS" MASTER 0`, VRRPD_GROUP in the
 * environment); a group's priority is 0, as in keepalived.
 */
struct notify *notify_new_group(struct ev_loop *loop, const char *name,
    const struct conf_notify *cn, const struct conf_global *g,
    uint32_t timeout_ms);

/* A transition happened: write the FIFO lines, queue the scripts. */
void notify_post(struct notify *n, const struct notify_event *ev);

/*
 * The effective priority changed, with keepalived's
 * notify_priority_changes: one line on each FIFO,
 * `INSTANCE "VI_1" MASTER_PRIORITY 90` while master, else
 * `INSTANCE "VI_1" BACKUP_PRIORITY 90` (keepalived's words, Backup and
 * Fault alike); no script runs, as in keepalived. n may be NULL.
 */
void notify_priority(struct notify *n, bool master, uint8_t priority);

/* A script runs or waits (the daemon lets them end before it exits). */
bool notify_busy(const struct notify *n);

/*
 * Stop notifying: a script still running is left to finish on its own
 * (its own session; systemd's KillMode=mixed ends it with the service),
 * what waits is dropped.
 */
void notify_free(struct notify *n);

/* ---- the notify FIFOs' own side: glue on the default libev loop ---- */

/*
 * A notify FIFO (notify_fifo, vrrp_notify_fifo) for the daemon's life,
 * and its reader script (notify_fifo_script, vrrp_notify_fifo_script).
 * The instances' notifiers write the lines (notify_post); this makes
 * sure there is a FIFO to write to and, with a script, a reader.
 */
struct notify_fifo;

/*
 * Make the FIFO at path when it is missing (mode 0644; removed again by
 * notify_fifo_free); anything else at the path is refused. With a script
 * (cmd->cmd not NULL) the FIFO is also held open for reading, so that
 * lines written before the script opens it wait in the pipe, and the
 * script runs with the path appended as its last argument, as cmd's
 * user, else g's script user, checked as every script is, without a
 * timeout; its end is logged ("vrrp_notify_fifo_script: exit 0 after 5
 * ms"). who names the FIFO in the log ("vrrp_notify_fifo"). Returns NULL
 * (logged) when the FIFO cannot be made or opened, or out of memory; a
 * script that cannot start is logged and the FIFO kept. Strings are
 * copied; loop must be the default loop (child watchers need it).
 */
struct notify_fifo *notify_fifo_new(struct ev_loop *loop, const char *who,
    const char *path, const struct conf_cmd *cmd, const struct conf_global *g);

/* It serves this path with this script. */
bool notify_fifo_same(const struct notify_fifo *f, const char *path,
    const struct conf_cmd *cmd);

/*
 * A reload: when f serves path, it stays, with cmd as its script (a
 * different one is sent SIGTERM and cmd started; cmd->cmd NULL: none any
 * more), and true is returned; false when f is NULL or serves another
 * path, for the caller to replace it.
 */
bool notify_fifo_reload(struct notify_fifo *f, const char *path,
    const struct conf_cmd *cmd, const struct conf_global *g);

/*
 * The descriptor held for path's script, for the notifiers to write
 * their lines through; -1 when there is none (no script, or no such
 * FIFO): the notifier opens the FIFO itself.
 */
int notify_fifo_held_fd(const char *path);

/* The script's pid while it runs, else 0 (for tests and status). */
long notify_fifo_script_pid(const struct notify_fifo *f);

/*
 * Let the FIFO go (f may be NULL): closed, removed if it was made here,
 * and its script, if it still runs, sent SIGTERM as keepalived sends it
 * when it exits (keepalived's sample script then reads on to the end of
 * the file). Call it after the instances' notifiers are gone, so that
 * their last lines are in the pipe.
 */
void notify_fifo_free(struct notify_fifo *f);

/* ---- the split-brain script: glue on the default libev loop ---- */

/*
 * The registry's notify_split_brain script, run when a split brain of an
 * instance starts or ends as
 *
 *	CMD... SPLIT_BRAIN INSTANCE STARTED|ENDED MASTERS
 *
 * MASTERS being the masters' router ids joined with commas ("" when
 * none), with VRRPD_INSTANCE, VRRPD_SPLIT_BRAIN (started or ended) and
 * VRRPD_MASTERS in the environment. The command is split, resolved,
 * checked (script_security) and run as the instance scripts are, with
 * the same timeout; every run's exit is logged
 * ("registry: notify_split_brain VI_1 started: exit 0 after 3 ms").
 */
struct notify_sb;

/* Events waiting for the script at most; past it the oldest are dropped. */
#define NOTIFY_SB_QUEUE_MAX 64

/*
 * The split-brain script runner for cmd (cmd->cmd may be NULL: then
 * posts are ignored), run as cmd's user and group, else the script user
 * of g, like the other notify scripts; on loop, which must be the
 * default loop (child watchers need it). cmd and g must outlive it, or
 * be replaced with notify_sb_rebind() (a script already running keeps
 * its own copy of what it was given). NULL when out of memory.
 */
struct notify_sb *notify_sb_new(struct ev_loop *loop,
    const struct conf_cmd *cmd, const struct conf_global *g);
/* New settings (a reload) for the events still to run; n may be NULL. */
void notify_sb_rebind(struct notify_sb *n, const struct conf_cmd *cmd,
    const struct conf_global *g);

/*
 * For tests: one script's time (0: NOTIFY_TIMEOUT_MS, the daemon's),
 * from the next script on.
 */
void notify_sb_set_timeout(struct notify_sb *n, uint32_t timeout_ms);

/*
 * A split brain of instance started (true) or ended, with the masters'
 * router ids (nmasters may be 0, masters then NULL). Everything is
 * copied. Events run one at a time, in order, each one (no coalescing);
 * when NOTIFY_SB_QUEUE_MAX are already waiting the oldest waiting one is
 * dropped, and a warning (at most one every 10 s) says how many were.
 * Ignored when n is NULL or no command is configured; logs on failure to
 * allocate (the event is then lost).
 */
void notify_sb_post(struct notify_sb *n, const char *instance, bool started,
    const char *const *masters, size_t nmasters);

/* A script runs or events wait (n may be NULL: false). */
bool notify_sb_busy(const struct notify_sb *n);

/*
 * Stop (n may be NULL): a script still running is left to finish on its
 * own, as notify_free() leaves it; the events waiting are dropped.
 */
void notify_sb_free(struct notify_sb *n);

#endif /* VRRPD_NOTIFY_H */
