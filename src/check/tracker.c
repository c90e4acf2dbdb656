/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The tracker interface: subscriptions for every kind in one place, and
 * the one kind that lives here, a tracked interface, whose state the
 * router feeds from the netlink events it receives anyway.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker_priv.h"
#include "vrrpd/log.h"

void
tracker_init(struct tracker *t, const struct tracker_ops *ops, const char *name)
{
	t->ops = ops;
	t->name = name;
	TAILQ_INIT(&t->subs);
}

void
tracker_subscribe(struct tracker *t, struct tracker_sub *s, tracker_fn *fn,
    void *arg)
{
	tracker_unsubscribe(s);
	s->t = t;
	s->fn = fn;
	s->arg = arg;
	TAILQ_INSERT_TAIL(&t->subs, s, entry);
}

void
tracker_unsubscribe(struct tracker_sub *s)
{
	if (s->t == NULL)
		return;
	TAILQ_REMOVE(&s->t->subs, s, entry);
	s->t = NULL;
}

void
tracker_changed(struct tracker *t)
{
	struct tracker_sub *s;

	TAILQ_FOREACH (s, &t->subs, entry)
		s->fn(s->arg, t);
}

void
tracker_free(struct tracker *t)
{
	struct tracker_sub *s;

	if (t == NULL)
		return;
	while ((s = TAILQ_FIRST(&t->subs)) != NULL)
		tracker_unsubscribe(s);
	t->ops->free(t);
}

const char *
tracker_name(const struct tracker *t)
{
	return t->name;
}

enum conf_track_kind
tracker_kind(const struct tracker *t)
{
	return t->ops->kind;
}

void
tracker_state(const struct tracker *t, struct tracker_state *st)
{
	memset(st, 0, sizeof(*st));
	t->ops->state(t, st);
}

int
tracker_weight(const struct tracker *t, bool *reverse)
{
	*reverse = false;
	return t->ops->weight != NULL ? t->ops->weight(t, reverse) : 0;
}

const char *
tracker_describe(const struct tracker *t, char *buf, size_t size)
{
	if (size > 0)
		buf[0] = '\0';
	t->ops->describe(t, buf, size);
	return buf;
}

const struct checker *
tracker_checker(const struct tracker *t)
{
	if (t == NULL || t->ops != &tracker_ops_check)
		return NULL;
	return (const struct checker *)t;
}

/* ---- a tracked interface ---- */

struct tracker_iface {
	struct tracker tr; /* first */
	char name[64];
	bool up;
};

static struct tracker *
iface_create(struct ev_loop *loop, const void *cfg, const struct conf_global *g,
    const char **err)
{
	struct tracker_iface *ti;

	(void)loop;
	(void)g;
	if ((ti = calloc(1, sizeof(*ti))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	snprintf(ti->name, sizeof(ti->name), "%s", (const char *)cfg);
	tracker_init(&ti->tr, &tracker_ops_iface, ti->name);
	ti->up = true;
	return &ti->tr;
}

static bool
iface_same(const struct tracker *t, const void *cfg)
{
	return strcmp(t->name, cfg) == 0;
}

static void
iface_rebind(struct tracker *t, const void *cfg, const struct conf_global *g)
{
	(void)t;
	(void)cfg;
	(void)g;
}

static void
iface_state(const struct tracker *t, struct tracker_state *st)
{
	st->up = ((const struct tracker_iface *)t)->up;
}

static void
iface_describe(const struct tracker *t, char *buf, size_t size)
{
	snprintf(buf, size, "tracked interfaces (%s %s)", t->name,
	    ((const struct tracker_iface *)t)->up ? "up" : "down");
}

static void
iface_free(struct tracker *t)
{
	free(t);
}

const struct tracker_ops tracker_ops_iface = {
	.kind = CONF_TRACK_IFACE,
	.what = "track_interface",
	.create = iface_create,
	.same = iface_same,
	.rebind = iface_rebind,
	.state = iface_state,
	.describe = iface_describe,
	.free = iface_free,
};

/* The interface's state: a change tells the subscribers. */
void
tracker_iface_set(struct tracker *t, bool up)
{
	struct tracker_iface *ti = (struct tracker_iface *)t;

	if (t->ops != &tracker_ops_iface || ti->up == up)
		return;
	ti->up = up;
	tracker_changed(t);
}
