/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Notification scripts and FIFOs of one instance, on the default loop:
 * one script at a time (the state's own, then the generic one), a bounded
 * run each (TERM, then KILL to the process group), every exit logged.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/util.h"
#include "vrrpd/log.h"
#include "vrrpd/notify.h"
#include "run_priv.h"

#define MAX_EXTRA 4 /* the generic script's appended words */

struct notify {
	const char *name;
	bool group; /* a sync group's: "GROUP", not "INSTANCE" */
	const struct conf_notify *cn;
	const struct conf_global *g;
	struct notify_queue q;
	struct notify_event cur; /* the event whose scripts run */
	int step;	  /* 0: the state's script, 1: "notify", 2: done */
	const char *what; /* "notify_master", ... of the running script */
	int fifo_fd[2];	  /* notify_fifo, vrrp_notify_fifo; -1 closed */
	struct notify_run run;
	struct log_ratelimit rl_fifo;
};

static void run_next(struct notify *n);

/*
 * keepalived's FIFO line. The FIFO stays open, as keepalived keeps it, so
 * a reader does not see an end of file after every line; it is opened
 * again when the reader went away. A FIFO with a reader script of the
 * daemon's (notify_fifo_new) is written through the descriptor held for
 * it instead. Never blocks.
 */
static void
fifo_write(struct notify *n, const char *path, int *fd, const char *word,
    uint8_t priority)
{
	char line[512]; /* less than PIPE_BUF: one write, never interleaved */
	unsigned long more;
	int len, held;

	if (path == NULL)
		return;
	len = snprintf(line, sizeof(line), "%s \"%s\" %s %u\n",
	    n->group ? "GROUP" : "INSTANCE", n->name, word, priority);
	if (len < 0 || (size_t)len >= sizeof(line))
		return; /* a name of hundreds of bytes: no line at all */
	if ((held = notify_fifo_held_fd(path)) >= 0) {
		/* A reader script's FIFO: through the daemon's descriptor. */
		if (*fd >= 0) {
			close(*fd);
			*fd = -1;
		}
		if (write(held, line, (size_t)len) == len)
			return;
	} else
		for (int tries = 0; tries < 2; tries++) {
			/* read and write, as keepalived opens it: a line
			 * written before the reader opens it waits in the
			 * pipe (up to its 64 kB) rather than failing with
			 * ENXIO and being lost */
			if (*fd < 0)
				*fd = open(path,
				    O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
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

/* The script is over: the event's next script, or the next event. */
static void
finished(void *arg)
{
	struct notify *n = arg;

	n->step++;
	run_next(n);
}

/* Start one script; false when it could not be started (logged). */
static bool
spawn(struct notify *n, const struct conf_cmd *cmd, bool generic)
{
	char prio[8], who[NOTIFY_RUN_LABEL];
	char env[4][96], master[ADDR_STRLEN];
	char w_type[16], w_name[64], w_state[8];
	char *words[MAX_EXTRA + 1] = { NULL };
	char *extra_env[5];
	struct notify_run_spec spec = { .cmd = cmd, .g = n->g, .who = who };

	snprintf(who, sizeof(who), n->group ? "sync group %s %s" : "(%s) %s",
	    n->name, n->what);
	snprintf(w_type, sizeof(w_type), "%s", n->group ? "GROUP" : "INSTANCE");
	spec.event = notify_state_word(n->cur.state);
	if (generic) {
		snprintf(prio, sizeof(prio), "%u", n->cur.priority);
		snprintf(w_name, sizeof(w_name), "%s", n->name);
		snprintf(w_state, sizeof(w_state), "%s",
		    notify_state_word(n->cur.state));
		words[0] = w_type;
		words[1] = w_name;
		words[2] = w_state;
		words[3] = prio;
	}
	spec.words = words;
	snprintf(env[0], sizeof(env[0]), "%s=%s",
	    n->group ? "VRRPD_GROUP" : "VRRPD_INSTANCE", n->name);
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
	spec.env = extra_env;
	return notify_run_start(&n->run, &spec);
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
	notify_run_init(&n->run, loop,
	    timeout_ms > 0 ? timeout_ms : NOTIFY_TIMEOUT_MS, finished, n);
	n->fifo_fd[0] = n->fifo_fd[1] = -1;
	notify_rebind(n, name, cn, g);
	n->rl_fifo.interval_ms = 10000;
	return n;
}

struct notify *
notify_new_group(struct ev_loop *loop, const char *name,
    const struct conf_notify *cn, const struct conf_global *g,
    uint32_t timeout_ms)
{
	struct notify *n = notify_new(loop, name, cn, g, timeout_ms);

	if (n != NULL)
		n->group = true;
	return n;
}

static bool
same_path(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

void
notify_rebind(struct notify *n, const char *name, const struct conf_notify *cn,
    const struct conf_global *g)
{
	const char *was[2] = { NULL, NULL },
		   *now[2] = { g->notify_fifo, g->vrrp_notify_fifo };

	/* A FIFO the reload moved is opened again at the next line. */
	if (n->g != NULL) {
		was[0] = n->g->notify_fifo;
		was[1] = n->g->vrrp_notify_fifo;
	}
	for (int i = 0; i < 2; i++)
		if (n->fifo_fd[i] >= 0 && !same_path(was[i], now[i])) {
			close(n->fifo_fd[i]);
			n->fifo_fd[i] = -1;
		}
	n->name = name;
	n->cn = cn;
	n->g = g;
}

void
notify_post(struct notify *n, const struct notify_event *ev)
{
	if (n == NULL)
		return;
	fifo_write(n, n->g->notify_fifo, &n->fifo_fd[0],
	    notify_state_word(ev->state), ev->priority);
	fifo_write(n, n->g->vrrp_notify_fifo, &n->fifo_fd[1],
	    notify_state_word(ev->state), ev->priority);
	if (!notify_queue_post(&n->q, ev))
		return;
	n->cur = *ev;
	n->step = 0;
	run_next(n);
}

void
notify_priority(struct notify *n, bool master, uint8_t priority)
{
	const char *word = master ? "MASTER_PRIORITY" : "BACKUP_PRIORITY";

	if (n == NULL)
		return;
	fifo_write(n, n->g->notify_fifo, &n->fifo_fd[0], word, priority);
	fifo_write(n, n->g->vrrp_notify_fifo, &n->fifo_fd[1], word, priority);
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
	notify_run_abandon(&n->run);
	for (int i = 0; i < 2; i++)
		if (n->fifo_fd[i] >= 0)
			close(n->fifo_fd[i]);
	free(n);
}
