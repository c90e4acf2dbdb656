/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the checkers: the framework (checker.c) and the kinds (tcp.c,
 * http.c, script.c) share these. The framework owns the schedule (one run
 * every interval, never two at once) and the rise/fall state; a kind owns
 * one run: it starts it, bounds it by the check's timeout itself, and
 * reports it exactly once with checker_done().
 */

#ifndef VRRPD_CHECKER_PRIV_H
#define VRRPD_CHECKER_PRIV_H

#include <ev.h>

#include "vrrpd/checker.h"

/* A kind of check: a table of functions, like keepalived's checker_funcs. */
struct checker_kind {
	const char *name; /* "tcp", "http", "script" */
	/*
	 * Prepare c->kstate from c->cc once (parse the address or URL, ...).
	 * Returns 0, or -1 with *err naming the cause (static string).
	 */
	int (*init)(struct checker *c, const char **err);
	/*
	 * Start one run. The kind reports it with checker_done(), never from
	 * inside start(), within the check's timeout (plus, for a script, the
	 * time to kill it). Returns 0, or -1 when nothing could be started
	 * (then o is filled and the framework reports it).
	 */
	int (*start)(struct checker *c, struct checker_outcome *o);
	/* Stop a run in progress at once, without reporting it. */
	void (*cancel)(struct checker *c);
	/* Release c->kstate. */
	void (*fini)(struct checker *c);
};

extern const struct checker_kind checker_kind_tcp;
extern const struct checker_kind checker_kind_http;
extern const struct checker_kind checker_kind_script;

struct checker_sub {
	checker_change_fn *fn;
	void *arg;
};

struct checker {
	const struct conf_check *cc;
	const struct conf_global *g; /* script_user, script_security */
	struct ev_loop *loop;
	const struct checker_kind *kind;
	void *kstate; /* the kind's own */
	struct checker_eval eval;
	struct checker_outcome last;
	bool running;
	uint64_t started_us; /* monotonic, of the run in progress */
	uint64_t changed_us; /* of the last state change; 0: none yet */
	uint64_t runs;	     /* runs reported */
	uint64_t failures;   /* of which failed */
	ev_timer tick;	     /* next run */
	struct checker_sub *subs;
	size_t nsubs;
};

/* The kind reports the run in progress (o->latency_us may be left 0). */
void checker_done(struct checker *c, const struct checker_outcome *o);

#endif /* VRRPD_CHECKER_PRIV_H */
