/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One notification script at a time, shared by the instance notifier
 * (notify.c) and the split-brain runner (sb.c): split, resolve, check,
 * start with the privilege drop, stop at the timeout, log the exit.
 */

#ifndef VRRPD_NOTIFY_RUN_PRIV_H
#define VRRPD_NOTIFY_RUN_PRIV_H

#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>

#include <ev.h>

#include "vrrpd/conf.h"

#define NOTIFY_RUN_MAX_WORDS 4	 /* words appended to a command at most */
#define NOTIFY_RUN_LABEL     160 /* who and event, truncated past it */

/* Called once a started script is over (its exit logged). */
typedef void (*notify_run_done_fn)(void *arg);

/* What to run and how to name it in the log. */
struct notify_run_spec {
	const struct conf_cmd *cmd;  /* cmd->cmd not NULL; user, group */
	const struct conf_global *g; /* script_user/group, script_security */
	/* "(VI_1) notify_master": the prefix of every line */
	const char *who;
	/* "MASTER": after who in the lines about a started script */
	const char *event;
	/* appended to the command's words, NULL-terminated (may be NULL) */
	char *const *words;
	/* "NAME=value" entries, NULL-terminated (may be NULL) */
	char *const *env;
};

/* The one script of a notifier: embedded in its owner. */
struct notify_run {
	struct ev_loop *loop;
	notify_run_done_fn done;
	void *arg;
	uint32_t timeout_ms; /* one script's time; 0: no limit */
	pid_t pid;	     /* 0: none running */
	int errfd;
	uint64_t started_us;
	bool killing; /* TERM sent */
	char who[NOTIFY_RUN_LABEL];
	char event[NOTIFY_RUN_LABEL];
	ev_child child;
	ev_timer timeout;
};

/*
 * Set up r on loop (the default loop): idle, timeout_ms per script (0:
 * none, for a script that runs as long as the daemon).
 */
void notify_run_init(struct notify_run *r, struct ev_loop *loop,
    uint32_t timeout_ms, notify_run_done_fn done, void *arg);

/*
 * Start spec's script (r idle): true when it runs (done is called once it
 * is over), false when it could not be started, with the cause logged
 * ("WHO: ..."). The spec's strings are copied or no longer needed once
 * this returns.
 */
bool notify_run_start(struct notify_run *r, const struct notify_run_spec *spec);

/* A script runs. */
bool notify_run_busy(const struct notify_run *r);

/*
 * Forget r: a script still running is left to finish (libev's SIGCHLD
 * handler reaps it), done is not called.
 */
void notify_run_abandon(struct notify_run *r);

#endif /* VRRPD_NOTIFY_RUN_PRIV_H */
