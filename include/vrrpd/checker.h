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

/* One tracked object's state as an instance sees it. */
struct checker_contrib {
	bool up;
	int weight; /* -253..253; 0: the instance is in FAULT while down */
	bool reverse;
};

/*
 * keepalived's arithmetic for one tracked object: a positive weight is
 * added while the object is up, a negative one added (so subtracted) while
 * it is down, otherwise 0; reverse turns the adjustment the other way
 * (positive: subtracted while up; negative: added while down). Weight 0
 * contributes nothing here: see checker_eval_faulty().
 */
int checker_eval_weight(const struct checker_contrib *c);

/* Weight 0 and down (reverse: weight 0 and up): the instance faults. */
bool checker_eval_faulty(const struct checker_contrib *c);

/* The effective priority of an instance and why. */
struct checker_prio {
	uint8_t priority; /* base + sum, kept within 1..254; 255 stays */
	int sum;	  /* the weights' total, before clamping */
	bool fault;	  /* some weight-0 object is faulty */
};

/*
 * Effective priority from the base priority and n tracked objects
 * (vrrp_fsm_clamp_priority's rule: an owner's 255 is never changed).
 */
void checker_eval_priority(uint8_t base, const struct checker_contrib *c,
    size_t n, struct checker_prio *out);

/*
 * keepalived track_file: the file's value times the weight (reverse: the
 * opposite) is added to the priority; with weight 0 any value but 0 is a
 * fault, and so is a product below -253.
 */
void checker_eval_file(long value, int weight, bool reverse, int *contrib,
    bool *fault);

/* ---- checkers: glue on the event loop ---- */

/* Called after every state change of c (its up flag flipped). */
typedef void checker_change_fn(void *arg, struct checker *c);

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

/* One subscriber at a time per call; several may subscribe. */
int checker_subscribe(struct checker *c, checker_change_fn *fn, void *arg);
void checker_unsubscribe(struct checker *c, checker_change_fn *fn, void *arg);

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

/* Called when the value of f changed. */
typedef void checker_file_fn(void *arg, struct checker_file *f);

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
int checker_file_subscribe(struct checker_file *f, checker_file_fn *fn,
    void *arg);
void checker_file_unsubscribe(struct checker_file *f, checker_file_fn *fn,
    void *arg);

/* ---- tracked processes (keepalived vrrp_track_process), track_process.c */

struct checker_proc;

/* Called when the tracked process set went up (quorum met) or down. */
typedef void checker_proc_fn(void *arg, struct checker_proc *p);

/*
 * Track the processes tp describes (name, full_command, param_match and
 * params, quorum..quorum_max, fork/terminate delays), from the kernel's
 * process events (the proc connector, no polling) after one scan of
 * /proc. NULL with *err set when the events cannot be had.
 */
struct checker_proc *checker_proc_new(struct ev_loop *loop,
    const struct conf_track_process *tp, const char **err);
void checker_proc_free(struct checker_proc *p);
/* The quorum is met: quorum <= matching processes <= quorum_max (if set). */
bool checker_proc_up(const struct checker_proc *p);
unsigned int checker_proc_count(const struct checker_proc *p);
const char *checker_proc_name(const struct checker_proc *p);
void checker_proc_rebind(struct checker_proc *p,
    const struct conf_track_process *tp);
int checker_proc_subscribe(struct checker_proc *p, checker_proc_fn *fn,
    void *arg);
void checker_proc_unsubscribe(struct checker_proc *p, checker_proc_fn *fn,
    void *arg);

#endif /* VRRPD_CHECKER_H */
