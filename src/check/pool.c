/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running trackers, by kind and name. A reload stages the set the new
 * configuration needs, carrying over every tracker whose configuration is
 * unchanged (a check keeps its rise/fall state, a file is not initialised
 * again, a process set keeps its count), then commits it or drops it.
 */

#include <stdlib.h>
#include <string.h>

#include "checker_priv.h"
#include "vrrpd/log.h"

/* One tracker the configuration wants, and where it came from. */
struct want {
	const struct tracker_ops *ops;
	const char *name;
	const void *cfg;
	struct tracker *t;
	bool carried; /* t is the running one, rebound on commit */
};

struct tracker_pool {
	struct ev_loop *loop;
	tracker_link_fn *link;
	void *link_arg;
	struct tracker **run; /* in force */
	size_t nrun;
	struct want *staged; /* prepared, not committed */
	size_t nstaged;
	struct tracker **next; /* room for the staged set: commit can't fail */
	const struct conf *staged_conf;
};

struct tracker_pool *
tracker_pool_new(struct ev_loop *loop, tracker_link_fn *link, void *arg)
{
	struct tracker_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->loop = loop;
	p->link = link;
	p->link_arg = arg;
	return p;
}

/* Some instance of conf tracks an object of that kind and name. */
static bool
tracked(const struct conf *conf, enum conf_track_kind kind, const char *name)
{
	const struct conf_instance *ci;

	for (size_t i = 0; i < conf->ninstances; i++) {
		ci = &conf->instances[i];
		for (size_t t = 0; t < ci->ntracks; t++)
			if (ci->tracks[t].kind == kind &&
			    strcmp(ci->tracks[t].name, name) == 0)
				return true;
	}
	return false;
}

static bool
wanted(const struct want *w, size_t n, const struct tracker_ops *ops,
    const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].ops == ops && strcmp(w[i].name, name) == 0)
			return true;
	return false;
}

static void
want(struct want *w, size_t *n, const struct tracker_ops *ops, const char *name,
    const void *cfg)
{
	if (wanted(w, *n, ops, name))
		return;
	w[*n] = (struct want) { .ops = ops, .name = name, .cfg = cfg };
	(*n)++;
}

/*
 * What conf needs, in a stable order: checks, files, process sets, then
 * interfaces. A check nothing tracks would run for nothing (keepalived
 * does not run an unused vrrp_script either).
 */
static struct want *
wants_of(const struct conf *conf, size_t *n)
{
	const struct conf_instance *ci;
	size_t max = conf->nchecks + conf->ntrack_files + conf->ntrack_procs;
	struct want *w;

	for (size_t i = 0; i < conf->ninstances; i++)
		max += conf->instances[i].ntracks;
	if ((w = calloc(max + 1, sizeof(*w))) == NULL)
		return NULL;
	*n = 0;
	for (size_t i = 0; i < conf->nchecks; i++)
		if (tracked(conf, CONF_TRACK_CHECK, conf->checks[i].name))
			want(w, n, &tracker_ops_check, conf->checks[i].name,
			    &conf->checks[i]);
	for (size_t i = 0; i < conf->ntrack_files; i++)
		want(w, n, &tracker_ops_file, conf->track_files[i].name,
		    &conf->track_files[i]);
	for (size_t i = 0; i < conf->ntrack_procs; i++)
		want(w, n, &tracker_ops_proc, conf->track_procs[i].name,
		    &conf->track_procs[i]);
	for (size_t i = 0; i < conf->ninstances; i++) {
		ci = &conf->instances[i];
		for (size_t t = 0; t < ci->ntracks; t++)
			if (ci->tracks[t].kind == CONF_TRACK_IFACE)
				want(w, n, &tracker_ops_iface,
				    ci->tracks[t].name, ci->tracks[t].name);
	}
	return w;
}

/* The running tracker w can go on with, not yet claimed by another. */
static struct tracker *
carry(struct tracker_pool *p, const struct want *w, size_t nw)
{
	struct tracker *t;

	for (size_t i = 0; i < p->nrun; i++) {
		t = p->run[i];
		if (t->ops != w->ops || strcmp(t->name, w->name) != 0 ||
		    !t->ops->same(t, w->cfg))
			continue;
		for (size_t k = 0; k < nw; k++)
			if (p->staged[k].t == t)
				t = NULL;
		if (t != NULL)
			return t;
	}
	return NULL;
}

static void
drop_staged(struct tracker_pool *p)
{
	for (size_t i = 0; i < p->nstaged; i++)
		if (!p->staged[i].carried)
			tracker_free(p->staged[i].t);
	free(p->staged);
	p->staged = NULL;
	p->nstaged = 0;
	p->staged_conf = NULL;
	free(p->next);
	p->next = NULL;
}

int
tracker_pool_prepare(struct tracker_pool *p, const struct conf *conf)
{
	const char *err = "";
	struct want *w;
	size_t n = 0;

	drop_staged(p);
	if ((w = wants_of(conf, &n)) == NULL ||
	    (p->next = calloc(n + 1, sizeof(*p->next))) == NULL) {
		log_warn("trackers: out of memory");
		free(w);
		return -1;
	}
	p->staged = w;
	p->nstaged = n;
	p->staged_conf = conf;
	for (size_t i = 0; i < n; i++) {
		if ((w[i].t = carry(p, &w[i], i)) != NULL) {
			w[i].carried = true;
			continue;
		}
		w[i].t =
		    w[i].ops->create(p->loop, w[i].cfg, &conf->global, &err);
		if (w[i].t != NULL)
			continue;
		if (w[i].ops == &tracker_ops_check) {
			log_warnx("check %s: cannot run: %s", w[i].name, err);
			drop_staged(p);
			return -1;
		}
		log_warnx("%s %s: cannot be tracked: %s", w[i].ops->what,
		    w[i].name, err);
	}
	return 0;
}

static bool
link_up(struct tracker_pool *p, const char *ifname)
{
	bool up = true;

	if (p->link != NULL)
		p->link(p->link_arg, ifname, &up);
	return up;
}

void
tracker_pool_commit(struct tracker_pool *p)
{
	struct tracker **run = p->next;
	size_t n = 0;

	if (run == NULL)
		return; /* nothing prepared */
	for (size_t i = 0; i < p->nstaged; i++) {
		struct want *w = &p->staged[i];

		if (w->t == NULL)
			continue;
		run[n++] = w->t;
		if (w->carried) {
			w->t->ops->rebind(w->t, w->cfg,
			    &p->staged_conf->global);
			w->t->name = w->name;
			for (size_t k = 0; k < p->nrun; k++)
				if (p->run[k] == w->t)
					p->run[k] = NULL;
			continue;
		}
		if (w->ops == &tracker_ops_iface)
			tracker_iface_set(w->t, link_up(p, w->name));
		if (w->t->ops->start != NULL)
			w->t->ops->start(w->t);
	}
	for (size_t k = 0; k < p->nrun; k++)
		tracker_free(p->run[k]);
	free(p->run);
	p->run = run;
	p->nrun = n;
	p->next = NULL;
	free(p->staged);
	p->staged = NULL;
	p->nstaged = 0;
	p->staged_conf = NULL;
}

struct tracker *
tracker_pool_find(const struct tracker_pool *p, enum conf_track_kind kind,
    const char *name)
{
	for (size_t i = 0; i < p->nrun; i++)
		if (p->run[i]->ops->kind == kind &&
		    strcmp(p->run[i]->name, name) == 0)
			return p->run[i];
	return NULL;
}

void
tracker_pool_link(struct tracker_pool *p, const char *ifname, bool up)
{
	struct tracker *t = tracker_pool_find(p, CONF_TRACK_IFACE, ifname);

	if (t != NULL)
		tracker_iface_set(t, up);
}

void
tracker_pool_relink(struct tracker_pool *p)
{
	for (size_t i = 0; i < p->nrun; i++)
		if (p->run[i]->ops == &tracker_ops_iface)
			tracker_iface_set(p->run[i],
			    link_up(p, p->run[i]->name));
}

void
tracker_pool_free(struct tracker_pool *p)
{
	if (p == NULL)
		return;
	drop_staged(p);
	for (size_t i = 0; i < p->nrun; i++)
		tracker_free(p->run[i]);
	free(p->run);
	free(p);
}
