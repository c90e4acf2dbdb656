/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Health checks and the priority arithmetic they feed. Two halves:
 *
 * - eval (src/check/eval.c), pure: rise/fall counting and keepalived's
 *   weight arithmetic, over plain values; no clock, no I/O.
 * - the checkers (src/check/checker.c and one file per kind: tcp.c,
 *   http.c, script.c), glue on the daemon's libev loop: a check runs every
 *   interval, never two runs of one check at once, never blocking the loop,
 *   and reports each run as an outcome (an enum value with a detail and a
 *   latency) to the instances that track it.
 */

#ifndef VRRPD_CHECKER_H
#define VRRPD_CHECKER_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrpd/conf.h"

struct ev_loop;
struct checker;

/* What one run of a check found. */
enum checker_result {
	CHECKER_OK = 0,		 /* the check passed */
	CHECKER_CONNECT_REFUSED, /* TCP RST / ECONNREFUSED */
	CHECKER_TIMEOUT,	 /* no answer within the timeout */
	CHECKER_UNREACHABLE,	 /* EHOSTUNREACH, ENETUNREACH */
	CHECKER_CONNECT_ERROR,	 /* another connect error: detail errno */
	CHECKER_HTTP_STATUS,	 /* unexpected status: detail the status */
	CHECKER_HTTP_BODY,	 /* the body does not match */
	CHECKER_HTTP_TOO_BIG,	 /* the response passed max_size */
	CHECKER_HTTP_PROTOCOL,	 /* not a usable HTTP response */
	CHECKER_TLS_VERIFY,	 /* the server's certificate was refused */
	CHECKER_TLS_ERROR,	 /* another TLS failure */
	CHECKER_SCRIPT_EXIT,	 /* exit status not 0: detail the status */
	CHECKER_SCRIPT_SIGNAL,	 /* killed by a signal: detail the signal */
	CHECKER_SCRIPT_TIMEOUT,	 /* killed after the timeout */
	CHECKER_SCRIPT_EXEC,	 /* could not be run: detail errno */
	CHECKER_SCRIPT_INSECURE, /* refused by enable_script_security */
	CHECKER_INTERNAL,	 /* no memory, no descriptor: detail errno */
	CHECKER_RESULT_MAX
};

/* One run: the result, its detail (see above, else 0), how long it took. */
struct checker_outcome {
	enum checker_result result;
	int detail;
	uint32_t latency_us;
};

/* "connection refused", "HTTP status", ... (never NULL). */
const char *checker_result_name(enum checker_result r);

/*
 * The outcome as a log/status phrase: "HTTP status 503", "script exit 2",
 * "connection refused", "timeout". Returns buf (always terminated).
 */
const char *checker_outcome_format(const struct checker_outcome *o, char *buf,
    size_t size);

/* ---- eval: pure ---- */

/* Rise/fall state of one check (keepalived's rise, fall, init_fail). */
struct checker_eval {
	bool up;       /* the state trackers see */
	uint32_t rise; /* consecutive successes that make a down check up */
	uint32_t fall; /* consecutive failures that make an up check down */
	uint32_t run;  /* consecutive results against the current state */
};

/* Start up (or down with init_fail); rise and fall of 0 count as 1. */
void checker_eval_init(struct checker_eval *e, uint32_t rise, uint32_t fall,
    bool init_fail);

/* Feed one run's success; returns true when e->up changed. */
bool checker_eval_result(struct checker_eval *e, bool success);

/*
 * One tracked object's part in an instance's effective priority. The
 * caller fills the inputs from the object's state and the track's
 * configuration; checker_eval_priority() fills the outputs. vrrpctl status
 * shows the same values.
 */
struct checker_part {
	const char *name;	   /* the check, interface, file or process */
	enum conf_track_kind kind; /* what it is */
	bool up;		   /* in: a check's, interface's, process's */
	long value;		   /* in: a file's number */
	int weight; /* in: -253..253, the track's own or the object's */
	bool reverse;
	int contrib; /* out: added to the base priority */
	bool fault;  /* out: it puts the instance in FAULT */
};

/* "check", "interface", "file", "process" (never NULL). */
const char *checker_kind_name(enum conf_track_kind kind);

/*
 * keepalived's arithmetic for one object that is up or down: a positive
 * weight is added while the object is up, a negative one added (so
 * subtracted) while it is down, otherwise 0; reverse turns the adjustment
 * the other way (positive: subtracted while up; negative: added while
 * down). Weight 0 contributes nothing here: see checker_eval_faulty().
 */
int checker_eval_weight(const struct checker_part *p);

/* Weight 0 and down (reverse: weight 0 and up): the instance faults. */
bool checker_eval_faulty(const struct checker_part *p);

/* The effective priority of an instance and why. */
struct checker_prio {
	uint8_t priority; /* base + sum within 1..254; 255 stays; 1 demoted */
	int sum;	  /* the parts' total, before clamping */
	unsigned int
	    faults; /* 1 << enum vrrp_fault: VRRP_FAULTS_TRACKED bits */
};

/*
 * The one place an instance's priority is computed: from the base
 * priority, the operator's demotion (vrrpctl demote: 1, below any peer;
 * an owner's 255 is never demoted) and n tracked objects, whose contrib
 * and fault it fills. A failing unweighted check sets VRRP_FAULT_CHECK,
 * an interface VRRP_FAULT_TRACKED_IF, a file VRRP_FAULT_TRACK_FILE, a
 * process set VRRP_FAULT_TRACK_PROC (vrrp_fsm_clamp_priority's rule: an
 * owner's 255 is never changed).
 */
void checker_eval_priority(uint8_t base, bool demoted,
    struct checker_part *parts, size_t n, struct checker_prio *out);

/*
 * keepalived track_file: the file's value times the weight (reverse: the
 * opposite) is added to the priority; with weight 0 any value but 0 is a
 * fault, and so is a product below -253.
 */
void checker_eval_file(long value, int weight, bool reverse, int *contrib,
    bool *fault);

/* ---- checkers: glue on the event loop ---- */

/*
 * A checker for cc (which must outlive it) on loop. Nothing runs before
 * checker_start(). NULL, with *err naming the cause, when cc cannot be
 * run here (unknown kind, a URL libcurl refuses, ...).
 */
struct checker *checker_new(struct ev_loop *loop, const struct conf_check *cc,
    const struct conf_global *g, const char **err);
void checker_start(struct checker *c);
/* Stops a run in progress (a script's process group is killed). */
void checker_free(struct checker *c);

/*
 * Reload: c now reads cc and g, a configuration equal to its own (kinds
 * keep no pointer into the old one after init).
 */
void checker_rebind(struct checker *c, const struct conf_check *cc,
    const struct conf_global *g);

/* c as a tracker: subscribers hear of every up/down change. */
struct tracker *checker_tracker(struct checker *c);

const char *checker_name(const struct checker *c);
bool checker_up(const struct checker *c);
const struct checker_outcome *checker_last(const struct checker *c);
const struct checker_eval *checker_state(const struct checker *c);
/* Runs reported since start, and (*failures, may be NULL) failed ones. */
uint64_t checker_runs(const struct checker *c, uint64_t *failures);
/* Monotonic time (util_now_us) of the last up/down change; 0: none. */
uint64_t checker_changed_us(const struct checker *c);

/* ---- tracked files (keepalived track_file), src/check/track_file.c ---- */

struct checker_file;

/*
 * Watch tf->path (inotify on its directory, so a file replaced by rename
 * is seen) and read its value now; init_file writes the initial value
 * first when the file is missing (or always, with overwrite). NULL with
 * *err set when the directory cannot be watched.
 */
struct checker_file *checker_file_new(struct ev_loop *loop,
    const struct conf_track_file *tf, const char **err);
void checker_file_free(struct checker_file *f);
/* The number the file holds: its first integer, 0 when missing or not one. */
long checker_file_value(const struct checker_file *f);
const char *checker_file_name(const struct checker_file *f);
void checker_file_rebind(struct checker_file *f,
    const struct conf_track_file *tf);

/* ---- tracked processes (keepalived vrrp_track_process), track_process.c */

struct checker_proc;

/*
 * Track the processes tp describes (name, full_command, param_match and
 * params, quorum..quorum_max, fork/terminate delays), from the kernel's
 * process events (the proc connector, no polling) after one scan of
 * /proc. NULL with *err set when the events cannot be had.
 */
struct checker_proc *checker_proc_new(struct ev_loop *loop,
    const struct conf_track_process *tp, const char **err);
void checker_proc_free(struct checker_proc *p);
/*
 * The quorum is met: quorum <= matching processes <= quorum_max (if set);
 * quorum_max 0: none runs.
 */
bool checker_proc_up(const struct checker_proc *p);
unsigned int checker_proc_count(const struct checker_proc *p);
const char *checker_proc_name(const struct checker_proc *p);
void checker_proc_rebind(struct checker_proc *p,
    const struct conf_track_process *tp);
/* p as a tracker: subscribers hear when the quorum is met or lost. */
struct tracker *checker_proc_tracker(struct checker_proc *p);

/* ---- trackers: src/check/tracker.c ---- */

struct tracker;

/* Called after t changed (up/down, or a file's value). */
typedef void tracker_fn(void *arg, struct tracker *t);

/*
 * A subscription, embedded in the subscriber: subscribing allocates
 * nothing and cannot fail. A tracker that is freed detaches its
 * subscriptions, so tracker_unsubscribe() is always safe: twice, or after
 * the tracker is gone. Subscribers do not (un)subscribe from inside fn.
 */
struct tracker_sub {
	TAILQ_ENTRY(tracker_sub) entry;
	struct tracker *t; /* NULL: not subscribed */
	tracker_fn *fn;
	void *arg;
};

/* What a tracker shows now. */
struct tracker_state {
	bool up;    /* a check, an interface, a process set */
	long value; /* a track_file's number */
};

void tracker_subscribe(struct tracker *t, struct tracker_sub *s, tracker_fn *fn,
    void *arg);
void tracker_unsubscribe(struct tracker_sub *s);

const char *tracker_name(const struct tracker *t);
enum conf_track_kind tracker_kind(const struct tracker *t);
void tracker_state(const struct tracker *t, struct tracker_state *st);
/*
 * The object's own weight and direction, which a track uses when it
 * names none (keepalived): a check's, a file's, a process set's; 0 and
 * false for an interface.
 */
int tracker_weight(const struct tracker *t, bool *reverse);
/*
 * The last change as a log phrase ("check web down (HTTP status 503)",
 * "tracked interfaces (eth1 down)"). Returns buf, always terminated.
 */
const char *tracker_describe(const struct tracker *t, char *buf, size_t size);
/* The check behind t, or NULL when t is another kind. */
const struct checker *tracker_checker(const struct tracker *t);

/* ---- the pool of running trackers: src/check/pool.c ---- */

struct tracker_pool;

/* An interface's state now (*up), for a new interface tracker. */
typedef void tracker_link_fn(void *arg, const char *ifname, bool *up);

/* An empty pool on loop; link (may be NULL: up) seeds interfaces. */
struct tracker_pool *tracker_pool_new(struct ev_loop *loop,
    tracker_link_fn *link, void *arg);

/*
 * Stage the trackers conf needs (the checks some instance tracks, every
 * track_file and vrrp_track_process, every tracked interface): one of the
 * same kind, name and configuration goes on with its state, others are
 * created. A check that cannot run rejects the whole set: -1, logged,
 * nothing changed. A file or process set that cannot be watched is
 * logged and left out. Returns 0; tracker_pool_commit() puts the set in
 * force (a later prepare or the pool's free drops an uncommitted one).
 * conf must outlive the pool or the next commit.
 */
int tracker_pool_prepare(struct tracker_pool *p, const struct conf *conf);
/*
 * The staged set in force: carried trackers read the new configuration,
 * new ones start, the rest are freed (detaching their subscribers).
 */
void tracker_pool_commit(struct tracker_pool *p);

/* The running tracker of that kind and name, or NULL. */
struct tracker *tracker_pool_find(const struct tracker_pool *p,
    enum conf_track_kind kind, const char *name);

/* Netlink says ifname is up or down: its interface tracker follows. */
void tracker_pool_link(struct tracker_pool *p, const char *ifname, bool up);
/* Events were lost: every interface tracker asks its state again. */
void tracker_pool_relink(struct tracker_pool *p);

void tracker_pool_free(struct tracker_pool *p);

#endif /* VRRPD_CHECKER_H */
