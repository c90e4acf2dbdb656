/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vrrpctl cluster --servers: sessions of its own, one read, closed. The
 * read starts on the first session connected and spreads its requests
 * over the others as they connect: a server answers one session's
 * requests in order, so FETCH_SESSIONS of them (the client library picks
 * each one's server at random) read 5,000 records in parallel.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk_priv.h"

#ifndef FETCH_SESSIONS
#define FETCH_SESSIONS 3
#endif

struct fetch {
	struct zk_sess s[FETCH_SESSIONS];
	struct ev_loop *loop;
	const char *path;
	const char *instance;
	bool history;
	bool started;
	bool done;
	struct registry_fleet *f;
	char *why;
	size_t whylen;
	ev_timer deadline;
};

static void
fetch_done(void *arg, struct registry_fleet *f, const char *why)
{
	struct fetch *ft = arg;

	ft->f = f;
	if (f == NULL)
		snprintf(ft->why, ft->whylen, "reading %s: %s", ft->path,
		    why != NULL ? why : "failed");
	ft->done = true;
	ev_break(ft->loop, EVBREAK_ALL);
}

static void
fetch_sess_cb(void *arg, enum zk_sess_event ev)
{
	struct fetch *ft = arg;
	struct zk_sess *all[FETCH_SESSIONS];

	if ((ev != ZK_SESS_NEW && ev != ZK_SESS_UP) || ft->started)
		return;
	ft->started = true;
	for (size_t i = 0; i < FETCH_SESSIONS; i++)
		all[i] = &ft->s[i];
	if (reg_fleet_read(all, FETCH_SESSIONS, ft->path, ft->instance,
		ft->history, fetch_done, ft) != 0) {
		snprintf(ft->why, ft->whylen, "out of memory");
		ft->done = true;
		ev_break(ft->loop, EVBREAK_ALL);
	}
}

static void
deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fetch *ft = w->data;

	(void)revents;
	if (!ft->done)
		snprintf(ft->why, ft->whylen, "%s: %s",
		    ft->started ? "no complete answer" : "could not connect",
		    ft->s[0].hosts);
	ev_break(loop, EVBREAK_ALL);
}

struct registry_fleet *
registry_fleet_fetch(const char *servers, const char *path,
    const char *instance, bool history, double timeout_s, char *why,
    size_t whylen)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch ft = { .path = path,
		.instance = instance,
		.history = history,
		.why = why,
		.whylen = whylen };

	size_t n = 0;

	snprintf(why, whylen, "failed");
	if (loop == NULL)
		return NULL;
	ft.loop = loop;
	for (; n < FETCH_SESSIONS; n++) {
		if (zk_sess_start(&ft.s[n], loop, servers,
			(int)(timeout_s * 1000) + 2000, NULL, fetch_sess_cb,
			&ft) != 0)
			break;
		ft.s[n].quiet = true;
	}
	if (n < FETCH_SESSIONS) {
		while (n > 0)
			zk_sess_stop(&ft.s[--n]);
		ev_loop_destroy(loop);
		return NULL;
	}
	ev_timer_init(&ft.deadline, deadline_cb, timeout_s, 0.);
	ft.deadline.data = &ft;
	ev_timer_start(loop, &ft.deadline);
	ev_run(loop, 0);
	ev_timer_stop(loop, &ft.deadline);
	/* a read still running ends with ZCLOSING */
	for (n = 0; n < FETCH_SESSIONS; n++)
		zk_sess_stop(&ft.s[n]);
	ev_loop_destroy(loop);
	if (!ft.done) {
		registry_fleet_free(ft.f);
		return NULL;
	}
	return ft.f;
}
