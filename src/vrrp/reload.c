/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loading a configuration and moving to a new one: trackers first (a check
 * that cannot run rejects the reload before anything changes), then the
 * instances, matched by name: unchanged ones go on as they are, those whose
 * addresses alone changed take the new ones in place, other changed ones
 * are stopped and created anew (keeping a demotion), removed ones stop,
 * new ones start.
 */

#include <stdlib.h>
#include <string.h>

#include "instance_priv.h"

/* Create and start one instance; NULL after logging why it failed. */
static struct vrrp_inst *
inst_add(struct vrrp_router *r, const struct conf_instance *ci,
    uint32_t delay_ms, const struct vrrp_inst *prev)
{
	struct vrrp_inst *vi;

	if ((vi = vrrp_inst_new(r, ci)) == NULL) {
		log_warn("(%s) cannot create the instance", ci->name);
		return NULL;
	}
	/*
	 * A re-created instance starts as demoted as its predecessor, and
	 * with AH goes on with its sequence numbers.
	 */
	if (prev != NULL) {
		vrrp_inst_demote_carry(vi, prev);
		vrrp_inst_ah_carry(vi, prev);
	}
	TAILQ_INSERT_TAIL(&r->insts, vi, entry);
	r->nwaiting++;
	if (vrrp_inst_start(vi, delay_ms) != 0) {
		r->nwaiting--;
		TAILQ_REMOVE(&r->insts, vi, entry);
		vrrp_inst_free(vi);
		return NULL;
	}
	return vi;
}

/*
 * The trackers conf needs, in force: every instance lets go of the old
 * ones first (the one place subscriptions end, whatever the kind), then
 * the pool keeps the unchanged ones and frees the rest. -1 when a check
 * cannot run (logged): nothing changed.
 */
static int
trackers_replace(struct vrrp_router *r, const struct conf *conf)
{
	struct vrrp_inst *vi;

	if (tracker_pool_prepare(r->trackers, conf) != 0)
		return -1;
	TAILQ_FOREACH (vi, &r->insts, entry)
		vrrp_track_unbind(vi);
	tracker_pool_commit(r->trackers);
	return 0;
}

int
vrrp_router_load(struct vrrp_router *r, const struct conf *conf)
{
	if (trackers_replace(r, conf) != 0)
		return -1;
	/* Static entries first: a route's src may be a static address. */
	vrrp_statics_apply(r, NULL, conf);
	/* Counted as waiting until the loop is over: READY comes after. */
	r->conf = conf;
	r->nwaiting++;
	for (size_t i = 0; i < conf->ninstances; i++)
		if (inst_add(r, &conf->instances[i],
			conf->global.startup_delay_ms, NULL) == NULL)
			return -1;
	vrrp_groups_form(r, true);
	vrrp_router_started(r);
	return 0;
}

static const struct conf_instance *
find_instance(const struct conf *conf, const char *name)
{
	for (size_t i = 0; i < conf->ninstances; i++)
		if (strcmp(conf->instances[i].name, name) == 0)
			return &conf->instances[i];
	return NULL;
}

/*
 * The running instance can go on under the new configuration as it is
 * (or, but_vips, with other addresses: vrrp_inst_readdress()).
 */
static bool
unchanged(const struct vrrp_router *r, const struct vrrp_inst *vi,
    const struct conf *conf, const struct conf_instance *ci, bool but_vips)
{
	const struct conf_global *a = &r->conf->global, *b = &conf->global;

	if (!(but_vips ? conf_instance_equal_but_vips(vi->ci, ci) :
			 conf_instance_equal(vi->ci, ci)))
		return false;
	if (ci->unicast)
		return true;
	return ci->family == AF_INET ?
	    addr_cmp(&a->mcast_group4, &b->mcast_group4) == 0 :
	    addr_cmp(&a->mcast_group6, &b->mcast_group6) == 0;
}

int
vrrp_router_reload(struct vrrp_router *r, const struct conf *conf,
    struct vrrp_reload_stats *st)
{
	struct vrrp_inst *vi, *next;
	const struct conf_instance *ci;
	struct vrrp_inst **old;
	bool *kept;

	memset(st, 0, sizeof(*st));
	/* Checks first: one that cannot run rejects the whole reload. */
	if (trackers_replace(r, conf) != 0)
		return -1;
	/* Only the static entries that changed are removed and added. */
	vrrp_statics_apply(r, r->conf, conf);
	/* formed again below, from the instances as they will be */
	vrrp_groups_dissolve(r);
	kept = calloc(conf->ninstances + 1, sizeof(*kept));
	/* A re-created instance keeps its predecessor's demotion, AH state. */
	old = calloc(conf->ninstances + 1, sizeof(*old));
	/* Stop what goes away first, so a VIP that moves is free again. */
	TAILQ_FOREACH_SAFE (vi, &r->insts, entry, next) {
		ci = find_instance(conf, vi->ci->name);
		if (ci != NULL && kept != NULL &&
		    unchanged(r, vi, conf, ci, false)) {
			vrrp_inst_rebind(vi, ci, &conf->global);
			kept[ci - conf->instances] = true;
			st->kept++;
			continue;
		}
		/* Only its addresses changed: as keepalived, in place (a
		 * master adds and removes them, no priority 0, no move). */
		if (ci != NULL && kept != NULL &&
		    unchanged(r, vi, conf, ci, true) &&
		    vrrp_inst_readdress(vi, ci, &conf->global) == 0) {
			kept[ci - conf->instances] = true;
			st->readdressed++;
			continue;
		}
		log_info("(%s) %s by the reload", vi->ci->name,
		    ci != NULL ? "changed" : "removed");
		st->recreated += ci != NULL;
		st->removed += ci == NULL;
		vrrp_inst_stop(vi);
		TAILQ_REMOVE(&r->insts, vi, entry);
		if (ci != NULL && old != NULL &&
		    (vi->demoted || vi->ci->auth_type == VRRP_AUTH_AH))
			old[ci - conf->instances] = vi;
		else
			vrrp_inst_free(vi);
	}
	r->conf = conf;
	for (size_t i = 0; i < conf->ninstances; i++) {
		if (kept != NULL && kept[i])
			continue;
		if (inst_add(r, &conf->instances[i], 0,
			old != NULL ? old[i] : NULL) == NULL)
			st->failed++;
		if (old != NULL)
			vrrp_inst_free(old[i]);
	}
	st->added =
	    conf->ninstances - st->kept - st->readdressed - st->recreated;
	free(kept);
	free(old);
	TAILQ_FOREACH (vi, &r->insts, entry) {
		/* P4: addresses left by a crash or an older configuration. */
		vrrp_inst_clean_vips(vi);
		/* Kept instances follow the trackers carried over or new. */
		if (vi->track_subs == NULL && vi->ci->ntracks > 0) {
			vrrp_track_bind(vi);
			vrrp_track_update(vi, NULL);
		}
	}
	vrrp_groups_form(r, false);
	return 0;
}
