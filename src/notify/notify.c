/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Notification scripts and FIFOs of one instance, on the default loop:
 * one script at a time (the state's own, then the generic one), a bounded
 * run each (TERM, then KILL to the process group), every exit logged.
 */

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "../check/script_priv.h"
#include "vrrpd/util.h"
#include "vrrpd/log.h"
#include "vrrpd/notify.h"
#include "vrrpd/priv.h"

#define KILL_GRACE_S 1.0
#define MAX_EXTRA    4 /* the generic script's appended words */

struct notify {
	struct ev_loop *loop;
	const char *name;
	const struct conf_notify *cn;
	const struct conf_global *g;
	struct notify_queue q;
	struct notify_event cur; /* the event whose scripts run */
	int step;  /* 0: the state's script, 1: "notify", 2: done */
	pid_t pid; /* 0: none running */
	int errfd;
	uint64_t started_us;
	const char *what; /* "notify_master", ... of the running script */
	bool killing;
	uint32_t timeout_ms; /* one script's time */
	int fifo_fd[2];	     /* notify_fifo, vrrp_notify_fifo; -1 closed */
	ev_child child;
	ev_timer timeout;
	struct log_ratelimit rl_fifo;
};

static void run_next(struct notify *n);

/*
 * keepalived's FIFO line. The FIFO stays open, as keepalived keeps it, so
 * a reader does not see an end of file after every line; it is opened
 * again when the reader went away. Never blocks.
 */
static void
fifo_write(struct notify *n, const char *path, int *fd,
    const struct notify_event *ev)
{
	char line[128];
	unsigned long more;
	int len;

	if (path == NULL)
		return;
	len = snprintf(line, sizeof(line), "INSTANCE \"%s\" %s %u\n", n->name,
	    notify_state_word(ev->state), ev->priority);
	for (int tries = 0; tries < 2; tries++) {
		if (*fd < 0)
			*fd = open(path,
			    O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (*fd >= 0 && write(*fd, line, (size_t)len) == len)
			return;
		if (*fd >= 0) {
			close(*fd);
			*fd = -1;
		}
	}
	if (log_ratelimit_ok(&n->rl_fifo, util_now_us() / 1000, &more))
		log_warn("(%s) notify FIFO %s: line not written (%lu more "
			 "suppressed)",
		    n->name, path, more);
}

static const struct conf_cmd *
state_cmd(const struct notify *n, enum vrrp_state state, const char **what)
{
	switch (state) {
	case VRRP_STATE_MASTER:
		*what = "notify_master";
		return &n->cn->master;
	case VRRP_STATE_BACKUP:
		*what = "notify_backup";
		return &n->cn->backup;
	case VRRP_STATE_FAULT:
		*what = "notify_fault";
		return &n->cn->fault;
	default:
		*what = "notify_stop";
		return &n->cn->stop;
	}
}

static void
finished(struct notify *n, int status)
{
	uint64_t ms = (util_now_us() - n->started_us) / 1000;
	enum priv_stage stage;
	int err;

	ev_child_stop(n->loop, &n->child);
	ev_timer_stop(n->loop, &n->timeout);
	if (priv_spawn_error(n->errfd, &stage, &err))
		log_warnx("(%s) %s: could not run: %s: %s", n->name, n->what,
		    priv_stage_name(stage), strerror(err));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		log_info("(%s) %s %s: exit 0 after %llu ms", n->name, n->what,
		    notify_state_word(n->cur.state), (unsigned long long)ms);
	else if (WIFEXITED(status))
		log_warnx("(%s) %s %s: exit %d after %llu ms", n->name, n->what,
		    notify_state_word(n->cur.state), WEXITSTATUS(status),
		    (unsigned long long)ms);
	else
		log_warnx("(%s) %s %s: killed by signal %d after %llu ms%s",
		    n->name, n->what, notify_state_word(n->cur.state),
		    WTERMSIG(status), (unsigned long long)ms,
		    n->killing ? " (timeout)" : "");
	close(n->errfd);
	n->pid = 0;
	n->killing = false;
	n->step++;
	run_next(n);
}

static void
child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	(void)loop;
	(void)revents;
	finished(w->data, w->rstatus);
}

/* The timeout: TERM to the group, then KILL after a grace period. */
static void
timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct notify *n = w->data;

	(void)revents;
	if (!n->killing) {
		log_warnx("(%s) %s %s: still running after %u ms, stopping it",
		    n->name, n->what, notify_state_word(n->cur.state),
		    n->timeout_ms);
		n->killing = true;
		priv_kill_group(n->pid, SIGTERM);
		ev_timer_set(w, KILL_GRACE_S, 0.0);
		ev_timer_start(loop, w);
		return;
	}
	priv_kill_group(n->pid, SIGKILL);
}

/* Start one script; false when it could not be started (logged). */
static bool
spawn(struct notify *n, const struct conf_cmd *cmd, bool generic)
{
	char buf[4096], path[PATH_MAX], prio[8], why[PATH_MAX + 96];
	char env[4][96], master[ADDR_STRLEN];
	char w_type[] = "INSTANCE", w_name[64], w_state[8];
	char *argv[CHECKER_SCRIPT_MAX_ARGS + MAX_EXTRA + 1];
	char *extra_env[5];
	struct priv_plan plan;
	enum checker_script_split_err e;
	size_t argc;

	e = checker_script_split(cmd->cmd, buf, sizeof(buf), argv,
	    CHECKER_SCRIPT_MAX_ARGS, &argc);
	if (e != CHECKER_SPLIT_OK) {
		log_warnx("(%s) %s: %s", n->name, n->what,
		    checker_script_split_strerror(e));
		return false;
	}
	if (generic) {
		snprintf(prio, sizeof(prio), "%u", n->cur.priority);
		snprintf(w_name, sizeof(w_name), "%s", n->name);
		snprintf(w_state, sizeof(w_state), "%s",
		    notify_state_word(n->cur.state));
		argv[argc++] = w_type;
		argv[argc++] = w_name;
		argv[argc++] = w_state;
		argv[argc++] = prio;
		argv[argc] = NULL;
	}
	if (priv_resolve(argv[0], path, sizeof(path)) != 0) {
		log_warnx("(%s) %s: %s not found (absolute, or in %s)", n->name,
		    n->what, argv[0], PRIV_PATH);
		return false;
	}
	if (n->g->script_security &&
	    priv_path_check(path, why, sizeof(why)) != 0) {
		log_warnx("(%s) %s: %s: refused: %s", n->name, n->what, path,
		    why);
		return false;
	}
	if (priv_plan(&priv_db_system,
		cmd->user != NULL ? cmd->user : n->g->script_user,
		cmd->user != NULL ? cmd->group : n->g->script_group, &plan, why,
		sizeof(why)) != 0) {
		log_warnx("(%s) %s: %s", n->name, n->what, why);
		return false;
	}
	snprintf(env[0], sizeof(env[0]), "VRRPD_INSTANCE=%s", n->name);
	snprintf(env[1], sizeof(env[1]), "VRRPD_STATE=%s",
	    notify_state_word(n->cur.state));
	snprintf(env[2], sizeof(env[2]), "VRRPD_PRIORITY=%u", n->cur.priority);
	snprintf(env[3], sizeof(env[3]), "VRRPD_MASTER=%s",
	    n->cur.master.af != AF_UNSPEC ?
		addr_fmt(&n->cur.master, master, sizeof(master)) :
		"");
	for (int i = 0; i < 4; i++)
		extra_env[i] = env[i];
	extra_env[4] = NULL;
	if (priv_spawn_env(path, argv, extra_env, &plan, &n->pid, &n->errfd) !=
	    0) {
		log_warn("(%s) %s: cannot start %s", n->name, n->what, path);
		n->pid = 0;
		return false;
	}
	n->started_us = util_now_us();
	ev_child_set(&n->child, n->pid, 0);
	ev_child_start(n->loop, &n->child);
	ev_timer_set(&n->timeout, n->timeout_ms / 1000.0, 0.0);
	ev_timer_start(n->loop, &n->timeout);
	return true;
}

/* The next script of the current event, or the next event, or idle. */
static void
run_next(struct notify *n)
{
	const struct conf_cmd *cmd;

	for (;;) {
		for (; n->step < 2; n->step++) {
			if (n->step == 0)
				cmd = state_cmd(n, n->cur.state, &n->what);
			else {
				cmd = &n->cn->any;
				n->what = "notify";
			}
			if (cmd->cmd != NULL && spawn(n, cmd, n->step == 1))
				return;
		}
		if (!notify_queue_done(&n->q, &n->cur))
			return;
		n->step = 0;
	}
}

struct notify *
notify_new(struct ev_loop *loop, const char *name, const struct conf_notify *cn,
    const struct conf_global *g, uint32_t timeout_ms)
{
	struct notify *n;

	if (cn->master.cmd == NULL && cn->backup.cmd == NULL &&
	    cn->fault.cmd == NULL && cn->stop.cmd == NULL &&
	    cn->any.cmd == NULL && g->notify_fifo == NULL &&
	    g->vrrp_notify_fifo == NULL)
		return NULL;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->loop = loop;
	n->timeout_ms = timeout_ms > 0 ? timeout_ms : NOTIFY_TIMEOUT_MS;
	n->fifo_fd[0] = n->fifo_fd[1] = -1;
	notify_rebind(n, name, cn, g);
	n->rl_fifo.interval_ms = 10000;
	ev_init(&n->child, child_cb);
	n->child.data = n;
	ev_init(&n->timeout, timeout_cb);
	n->timeout.data = n;
	return n;
}

void
notify_rebind(struct notify *n, const char *name, const struct conf_notify *cn,
    const struct conf_global *g)
{
	n->name = name;
	n->cn = cn;
	n->g = g;
}

void
notify_post(struct notify *n, const struct notify_event *ev)
{
	if (n == NULL)
		return;
	fifo_write(n, n->g->notify_fifo, &n->fifo_fd[0], ev);
	fifo_write(n, n->g->vrrp_notify_fifo, &n->fifo_fd[1], ev);
	if (!notify_queue_post(&n->q, ev))
		return;
	n->cur = *ev;
	n->step = 0;
	run_next(n);
}

bool
notify_busy(const struct notify *n)
{
	return n != NULL && n->q.busy;
}

void
notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	/* A script still running is left to finish; libev's SIGCHLD
	 * handler reaps it (it reaps every child, watched or not). */
	if (n->pid != 0)
		close(n->errfd);
	for (int i = 0; i < 2; i++)
		if (n->fifo_fd[i] >= 0)
			close(n->fifo_fd[i]);
	ev_child_stop(n->loop, &n->child);
	ev_timer_stop(n->loop, &n->timeout);
	free(n);
}
