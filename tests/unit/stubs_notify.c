/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Stub of notify/notify.c for the glue tests (see stubs.h): every function
 * it exports, so the real notifier (scripts, FIFOs, child watchers on the
 * default loop) is never linked. Each notifier is a name; every post is
 * recorded. The pure queue (notify/queue.c) is a separate object and is
 * not replaced.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/notify.h"

#include "stubs.h"

struct stub_notify_log stub_notify;

struct notify {
	char name[64];
};

void
stub_notify_reset(void)
{
	free(stub_notify.posts);
	free(stub_notify.prios);
	memset(&stub_notify, 0, sizeof(stub_notify));
}

/* A notifier for every instance, configured or not: all posts are seen. */
struct notify *
notify_new(struct ev_loop *loop, const char *name, const struct conf_notify *cn,
    const struct conf_global *g, uint32_t timeout_ms)
{
	struct notify *n;

	(void)loop;
	(void)cn;
	(void)g;
	(void)timeout_ms;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	snprintf(n->name, sizeof(n->name), "%s", name);
	stub_notify.live++;
	return n;
}

struct notify *
notify_new_group(struct ev_loop *loop, const char *name,
    const struct conf_notify *cn, const struct conf_global *g,
    uint32_t timeout_ms)
{
	return notify_new(loop, name, cn, g, timeout_ms);
}

void
notify_rebind(struct notify *n, const char *name, const struct conf_notify *cn,
    const struct conf_global *g)
{
	(void)cn;
	(void)g;
	snprintf(n->name, sizeof(n->name), "%s", name);
}

void
notify_post(struct notify *n, const struct notify_event *ev)
{
	struct stub_notify_rec *r;

	r = realloc(stub_notify.posts,
	    (stub_notify.nposts + 1) * sizeof(*stub_notify.posts));
	if (r == NULL)
		abort();
	stub_notify.posts = r;
	r = &r[stub_notify.nposts++];
	memset(r, 0, sizeof(*r));
	r->at_us = util_now_us();
	if (n != NULL)
		snprintf(r->name, sizeof(r->name), "%s", n->name);
	r->ev = *ev;
}

void
notify_priority(struct notify *n, bool master, uint8_t priority)
{
	struct stub_notify_prio *r;

	r = realloc(stub_notify.prios,
	    (stub_notify.nprios + 1) * sizeof(*stub_notify.prios));
	if (r == NULL)
		abort();
	stub_notify.prios = r;
	r = &r[stub_notify.nprios++];
	memset(r, 0, sizeof(*r));
	r->at_us = util_now_us();
	if (n != NULL)
		snprintf(r->name, sizeof(r->name), "%s", n->name);
	r->master = master;
	r->priority = priority;
}

bool
notify_busy(const struct notify *n)
{
	(void)n;
	return false;
}

void
notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	stub_notify.live--;
	free(n);
}
