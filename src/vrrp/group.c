/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived sync groups on the running router: the members of each
 * vrrp_sync_group, every step of a member shown to its group (vrrp/sync.c
 * decides who follows), the orders fed back at once, and the group's
 * state logged when it changes. Groups are formed after a load or a
 * reload has its instances, and dissolved before a reload touches them.
 */

#include <stdlib.h>
#include <string.h>

#include "vrrpd/vrrp_sync.h"

#include "instance_priv.h"

/* Orders within orders: sync.c converges at 2; more is a bug. */
#define GROUP_DEPTH_MAX 4

struct vrrp_group {
	TAILQ_ENTRY(vrrp_group) entry;
	struct vrrp_router *r;
	const struct conf_sync_group *cg;
	struct vrrp_inst **m;
	size_t n;
	enum vrrp_state state; /* as last logged */
	int depth;
	bool stopping;	       /* the daemon stops: members on their own */
	struct notify *notify; /* the group's scripts and FIFO lines */
};

static void
fsms(const struct vrrp_group *g, const struct vrrp_fsm **out)
{
	for (size_t j = 0; j < g->n; j++)
		out[j] = &g->m[j]->fsm;
}

static void
order(struct vrrp_inst *vi, const struct vrrp_input *in)
{
	if (in->kind == VRRP_IN_FAULT_SET || in->kind == VRRP_IN_FAULT_CLEAR)
		vrrp_inst_set_fault(vi, in->fault,
		    in->kind == VRRP_IN_FAULT_SET);
	else
		vrrp_inst_input(vi, in->kind);
}

/* After the outermost reaction: the group's state, logged on a change. */
static void
group_settled(struct vrrp_group *g)
{
	const struct vrrp_fsm *m[g->n > 0 ? g->n : 1];
	enum vrrp_state st;

	fsms(g, m);
	st = vrrp_sync_state(m, g->n);
	if (st == g->state)
		return;
	log_info("sync group %s: %s -> %s", g->cg->name,
	    vrrp_state_name(g->state), vrrp_state_name(st));
	g->state = st;
	if (st != VRRP_STATE_INIT) {
		struct notify_event ev = { .state = st };

		notify_post(g->notify, &ev);
	}
}

/* who stepped with acts (who == g->n: the group was just formed). */
static void
react(struct vrrp_group *g, size_t who, const struct vrrp_actions *acts)
{
	const struct vrrp_fsm *m[g->n > 0 ? g->n : 1];
	struct vrrp_sync_order out[VRRP_SYNC_ORDERS_MAX(g->n > 0 ? g->n : 1)];
	size_t k;

	if (g->depth >= GROUP_DEPTH_MAX) {
		log_warnx("sync group %s: orders do not settle; this is a bug",
		    g->cg->name);
		return;
	}
	fsms(g, m);
	k = vrrp_sync_react(m, g->n, who, acts, out);
	g->depth++;
	for (size_t i = 0; i < k; i++)
		order(g->m[out[i].member], &out[i].in);
	g->depth--;
	if (g->depth == 0)
		group_settled(g);
}

void
vrrp_group_stepped(struct vrrp_inst *vi, const struct vrrp_actions *acts)
{
	struct vrrp_group *g = vi->sgroup;

	if (g != NULL && g->stopping)
		return;
	for (size_t j = 0; g != NULL && j < g->n; j++)
		if (g->m[j] == vi) {
			react(g, j, acts);
			return;
		}
}

static void
group_free(struct vrrp_group *g)
{
	for (size_t j = 0; j < g->n; j++)
		g->m[j]->sgroup = NULL;
	notify_free(g->notify);
	free(g->m);
	free(g);
}

void
vrrp_groups_dissolve(struct vrrp_router *r)
{
	struct vrrp_group *g;

	while ((g = TAILQ_FIRST(&r->groups)) != NULL) {
		TAILQ_REMOVE(&r->groups, g, entry);
		group_free(g);
	}
}

static struct vrrp_group *
group_new(struct vrrp_router *r, const struct conf_sync_group *cg)
{
	struct vrrp_group *g = calloc(1, sizeof(*g));
	struct vrrp_inst *vi;

	if (g == NULL ||
	    (g->m = calloc(cg->nmembers + 1, sizeof(*g->m))) == NULL) {
		free(g);
		return NULL;
	}
	g->r = r;
	g->cg = cg;
	g->notify = notify_new_group(r->loop, cg->name, &cg->notify,
	    &r->conf->global, NOTIFY_TIMEOUT_MS);
	/* validated: every member exists, in one group only */
	for (size_t i = 0; i < cg->nmembers; i++)
		if ((vi = vrrp_router_find(r, cg->members[i])) != NULL &&
		    vi->sgroup == NULL) {
			g->m[g->n++] = vi;
			vi->sgroup = g;
		}
	return g;
}

void
vrrp_groups_form(struct vrrp_router *r, bool start)
{
	const struct conf *conf = r->conf;
	struct vrrp_group *g;

	vrrp_groups_dissolve(r);
	for (size_t i = 0; conf != NULL && i < conf->nsync_groups; i++) {
		if ((g = group_new(r, &conf->sync_groups[i])) == NULL) {
			log_warn("sync group %s: cannot form it",
			    conf->sync_groups[i].name);
			continue;
		}
		TAILQ_INSERT_TAIL(&r->groups, g, entry);
	}
	/* what the members did before the group existed */
	TAILQ_FOREACH (g, &r->groups, entry) {
		const struct vrrp_fsm *all[g->n > 0 ? g->n : 1];

		fsms(g, all);
		g->state = vrrp_sync_state(all, g->n);
		/* keepalived notifies a group in BACKUP or FAULT at start (not
		 * at a reload that keeps its state) */
		if (start &&
		    (g->state == VRRP_STATE_BACKUP ||
			g->state == VRRP_STATE_FAULT)) {
			struct notify_event ev = { .state = g->state };

			notify_post(g->notify, &ev);
		}
		react(g, g->n, NULL);
	}
}

void
vrrp_group_forget(struct vrrp_inst *vi)
{
	struct vrrp_group *g = vi->sgroup;
	size_t k = 0;

	if (g == NULL)
		return;
	for (size_t j = 0; j < g->n; j++)
		if (g->m[j] != vi)
			g->m[k++] = g->m[j];
	g->n = k;
	vi->sgroup = NULL;
}

void
vrrp_groups_stop(struct vrrp_router *r)
{
	struct vrrp_group *g;
	struct notify_event ev = { .state = VRRP_STATE_INIT }; /* STOP */

	TAILQ_FOREACH (g, &r->groups, entry) {
		g->stopping = true;
		notify_post(g->notify, &ev);
	}
}

bool
vrrp_groups_notifying(const struct vrrp_router *r)
{
	const struct vrrp_group *g;

	TAILQ_FOREACH (g, &r->groups, entry)
		if (notify_busy(g->notify))
			return true;
	return false;
}

const char *
vrrp_group_name(const struct vrrp_inst *vi)
{
	return vi->sgroup != NULL ? vi->sgroup->cg->name : NULL;
}

enum vrrp_state
vrrp_group_state(const struct vrrp_inst *vi)
{
	return vi->sgroup != NULL ? vi->sgroup->state : VRRP_STATE_INIT;
}

/*
 * The member that keeps vi where it is: in the group's Fault, the one
 * with a fault of its own; wanting Master, the first not ready.
 */
const struct vrrp_inst *
vrrp_group_holder(const struct vrrp_inst *vi)
{
	const struct vrrp_group *g = vi->sgroup;
	size_t h;

	if (g == NULL)
		return NULL;
	const struct vrrp_fsm *m[g->n > 0 ? g->n : 1];

	fsms(g, m);
	for (size_t j = 0; j < g->n; j++) {
		if (g->m[j] != vi)
			continue;
		if (vi->fsm.state == VRRP_STATE_FAULT)
			h = vrrp_sync_culprit(m, g->n, j);
		else if (vi->fsm.wants_master)
			h = vrrp_sync_holder(m, g->n, j);
		else
			h = g->n;
		return h < g->n ? g->m[h] : NULL;
	}
	return NULL;
}
