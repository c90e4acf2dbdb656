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

#include "vrrpd/conf.h"

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

/*
 * A kind of tracker, like the checker kinds: the pool builds, carries and
 * frees trackers through these, and the glue reads them through
 * tracker_state(), whatever they are. cfg is the kind's configuration:
 * struct conf_check, conf_track_file, conf_track_process, or the
 * interface's name (const char).
 */
struct tracker_ops {
	enum conf_track_kind kind;
	const char *what; /* "check", "track_file", ... for log lines */
	/* A new tracker for cfg, not started; NULL with *err set. */
	struct tracker *(*create)(struct ev_loop *loop, const void *cfg,
	    const struct conf_global *g, const char **err);
	/* t can go on under cfg as it is (a reload). */
	bool (*same)(const struct tracker *t, const void *cfg);
	/* Reload: t now reads cfg, which same() accepted. */
	void (*rebind)(struct tracker *t, const void *cfg,
	    const struct conf_global *g);
	/* Start watching or running (NULL: nothing to start). */
	void (*start)(struct tracker *t);
	void (*state)(const struct tracker *t, struct tracker_state *st);
	int (*weight)(const struct tracker *t, bool *reverse);
	void (*describe)(const struct tracker *t, char *buf, size_t size);
	/* Release the kind's object (subscriptions are already detached). */
	void (*free)(struct tracker *t);
};

extern const struct tracker_ops tracker_ops_check;
extern const struct tracker_ops tracker_ops_file;
extern const struct tracker_ops tracker_ops_proc;
extern const struct tracker_ops tracker_ops_iface;

/* Embedded in each kind's object; t->name points into its cfg. */
struct tracker {
	const struct tracker_ops *ops;
	const char *name;
	TAILQ_HEAD(, tracker_sub) subs;
};

/* Set up t (from a kind's constructor). */
void tracker_init(struct tracker *t, const struct tracker_ops *ops,
    const char *name);
/* The kind's state changed: tell every subscriber. */
void tracker_changed(struct tracker *t);
/* Detach every subscriber, then free t through its kind. */
void tracker_free(struct tracker *t);
/* An interface tracker is now up or down; a change tells subscribers. */
void tracker_iface_set(struct tracker *t, bool up);

struct checker {
	struct tracker tr; /* first: a check is a tracker */
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
};

/* The kind reports the run in progress (o->latency_us may be left 0). */
void checker_done(struct checker *c, const struct checker_outcome *o);

#endif /* VRRPD_CHECKER_PRIV_H */
