/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The registry's notify_split_brain script, on the default loop: every
 * split-brain edge runs it once, one at a time and in order, from a
 * bounded queue that drops its oldest events when full.
 */

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/log.h"
#include "vrrpd/notify.h"
#include "vrrpd/util.h"
#include "run_priv.h"

#define DROP_WARN_MS 10000 /* one warning about dropped events at most */

/* One split-brain edge, with its own copies of the names. */
struct sb_event {
	TAILQ_ENTRY(sb_event) entry;
	bool started;
	char *instance;
	char *masters; /* router ids joined with commas, "" for none */
};

TAILQ_HEAD(sb_queue, sb_event);

struct notify_sb {
	const struct conf_cmd *cmd;
	const struct conf_global *g;
	struct sb_queue waiting; /* oldest first */
	size_t nwaiting;
	struct sb_event *cur; /* the running script's event */
	struct notify_run run;
	/* The dropped events' warning: drops are counted, then reported
	 * together once the loop turns, at most every DROP_WARN_MS. */
	unsigned long dropped; /* not reported yet */
	uint64_t warned_ms;    /* monotonic, 0: never */
	ev_timer drop_warn;
};

static void run_next(struct notify_sb *n);

static void
event_free(struct sb_event *e)
{
	if (e == NULL)
		return;
	free(e->instance);
	free(e->masters);
	free(e);
}

static struct sb_event *
event_new(const char *instance, bool started, const char *const *masters,
    size_t nmasters)
{
	struct sb_event *e;
	size_t len = 1;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->started = started;
	for (size_t i = 0; i < nmasters; i++)
		len += strlen(masters[i]) + 1;
	if ((e->instance = strdup(instance)) == NULL ||
	    (e->masters = malloc(len)) == NULL) {
		event_free(e);
		return NULL;
	}
	e->masters[0] = '\0';
	for (size_t i = 0; i < nmasters; i++) {
		if (i > 0)
			strcat(e->masters, ",");
		strcat(e->masters, masters[i]);
	}
	return e;
}

static void
drop_warn_log(struct notify_sb *n)
{
	log_warnx("registry: notify_split_brain: queue full (%d waiting): "
		  "%lu oldest event%s dropped",
	    NOTIFY_SB_QUEUE_MAX, n->dropped, n->dropped == 1 ? "" : "s");
	n->dropped = 0;
	n->warned_ms = util_now_us() / 1000;
}

static void
drop_warn_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	drop_warn_log(w->data);
}

/* The queue is full: drop its oldest event, warn once the loop turns. */
static void
drop_oldest(struct notify_sb *n)
{
	struct sb_event *e = TAILQ_FIRST(&n->waiting);
	uint64_t now_ms = util_now_us() / 1000;
	double delay = 0.0;

	TAILQ_REMOVE(&n->waiting, e, entry);
	n->nwaiting--;
	log_debug(DBG_ZK, "registry: notify_split_brain %s %s: dropped",
	    e->instance, e->started ? "started" : "ended");
	event_free(e);
	n->dropped++;
	if (ev_is_active(&n->drop_warn))
		return;
	if (n->warned_ms != 0 && now_ms < n->warned_ms + DROP_WARN_MS)
		delay = (n->warned_ms + DROP_WARN_MS - now_ms) / 1000.0;
	ev_timer_set(&n->drop_warn, delay, 0.0);
	ev_timer_start(n->run.loop, &n->drop_warn);
}

/* "NAME=value", allocated; NULL when out of memory. */
static char *
env_new(const char *name, const char *value)
{
	size_t len = strlen(name) + strlen(value) + 2;
	char *s;

	if ((s = malloc(len)) != NULL)
		snprintf(s, len, "%s=%s", name, value);
	return s;
}

/* Start cur's script; false when it could not be started (logged). */
static bool
spawn(struct notify_sb *n)
{
	const struct sb_event *e = n->cur;
	const char *edge = e->started ? "started" : "ended";
	char event[NOTIFY_RUN_LABEL], w_type[] = "SPLIT_BRAIN";
	char w_edge[] = "STARTED", w_ended[] = "ENDED";
	char *words[5], *env[4];
	struct notify_run_spec spec = { .cmd = n->cmd,
		.g = n->g,
		.who = "registry: notify_split_brain",
		.event = event,
		.words = words,
		.env = env };
	bool ok = false;

	snprintf(event, sizeof(event), "%s %s", e->instance, edge);
	words[0] = w_type;
	words[1] = e->instance;
	words[2] = e->started ? w_edge : w_ended;
	words[3] = e->masters;
	words[4] = NULL;
	env[0] = env_new("VRRPD_INSTANCE", e->instance);
	env[1] = env_new("VRRPD_SPLIT_BRAIN", edge);
	env[2] = env_new("VRRPD_MASTERS", e->masters);
	env[3] = NULL;
	if (env[0] == NULL || env[1] == NULL || env[2] == NULL)
		log_warnx("registry: notify_split_brain %s: out of memory, "
			  "not run",
		    event);
	else
		ok = notify_run_start(&n->run, &spec);
	for (int i = 0; i < 3; i++)
		free(env[i]);
	return ok;
}

static void
finished(void *arg)
{
	struct notify_sb *n = arg;

	event_free(n->cur);
	n->cur = NULL;
	run_next(n);
}

/* The oldest waiting event whose script starts, or idle. */
static void
run_next(struct notify_sb *n)
{
	while (n->cur == NULL && !TAILQ_EMPTY(&n->waiting)) {
		n->cur = TAILQ_FIRST(&n->waiting);
		TAILQ_REMOVE(&n->waiting, n->cur, entry);
		n->nwaiting--;
		/* a reload may have removed the command since the post */
		if (n->cmd->cmd != NULL && spawn(n))
			return;
		event_free(n->cur);
		n->cur = NULL;
	}
}

struct notify_sb *
notify_sb_new(struct ev_loop *loop, const struct conf_cmd *cmd,
    const struct conf_global *g)
{
	struct notify_sb *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	TAILQ_INIT(&n->waiting);
	notify_run_init(&n->run, loop, NOTIFY_TIMEOUT_MS, finished, n);
	ev_init(&n->drop_warn, drop_warn_cb);
	n->drop_warn.data = n;
	notify_sb_rebind(n, cmd, g);
	return n;
}

void
notify_sb_rebind(struct notify_sb *n, const struct conf_cmd *cmd,
    const struct conf_global *g)
{
	if (n == NULL)
		return;
	n->cmd = cmd;
	n->g = g;
}

void
notify_sb_set_timeout(struct notify_sb *n, uint32_t timeout_ms)
{
	n->run.timeout_ms = timeout_ms > 0 ? timeout_ms : NOTIFY_TIMEOUT_MS;
}

void
notify_sb_post(struct notify_sb *n, const char *instance, bool started,
    const char *const *masters, size_t nmasters)
{
	struct sb_event *e;

	if (n == NULL || n->cmd->cmd == NULL)
		return;
	if ((e = event_new(instance, started, masters, nmasters)) == NULL) {
		log_warnx("registry: notify_split_brain %s %s: out of memory, "
			  "not run",
		    instance, started ? "started" : "ended");
		return;
	}
	if (n->nwaiting >= NOTIFY_SB_QUEUE_MAX)
		drop_oldest(n);
	TAILQ_INSERT_TAIL(&n->waiting, e, entry);
	n->nwaiting++;
	run_next(n);
}

bool
notify_sb_busy(const struct notify_sb *n)
{
	return n != NULL && (n->cur != NULL || n->nwaiting > 0);
}

void
notify_sb_free(struct notify_sb *n)
{
	struct sb_event *e;

	if (n == NULL)
		return;
	/* As notify_free(): a running script is left to finish. */
	notify_run_abandon(&n->run);
	ev_timer_stop(n->run.loop, &n->drop_warn);
	if (n->dropped > 0)
		drop_warn_log(n);
	while ((e = TAILQ_FIRST(&n->waiting)) != NULL) {
		TAILQ_REMOVE(&n->waiting, e, entry);
		event_free(e);
	}
	event_free(n->cur);
	free(n);
}
