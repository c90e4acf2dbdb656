/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived sync groups in the configuration, after the members are
 * known (conf_finish): the group's own tracks go to every member, and the
 * members' own weights are set to 0 unless the group keeps them, as
 * keepalived 2.2.7 does ("any track scripts/files configured against
 * member VRRP instances will have their tracking weights automatically
 * set to zero, in order to avoid inconsistent priorities across
 * instances"), each change said in a warning.
 */

#include <string.h>

#include "conf_priv.h"

/* The weight a track applies: its own, else its object's. */
static int
weight_of(const struct conf *conf, const struct conf_track *t)
{
	if (t->has_weight)
		return t->weight;
	switch (t->kind) {
	case CONF_TRACK_CHECK:
		for (size_t i = 0; i < conf->nchecks; i++)
			if (strcmp(conf->checks[i].name, t->name) == 0)
				return conf->checks[i].weight;
		break;
	case CONF_TRACK_FILE:
		for (size_t i = 0; i < conf->ntrack_files; i++)
			if (strcmp(conf->track_files[i].name, t->name) == 0)
				return conf->track_files[i].weight;
		break;
	case CONF_TRACK_PROCESS:
		for (size_t i = 0; i < conf->ntrack_procs; i++)
			if (strcmp(conf->track_procs[i].name, t->name) == 0)
				return conf->track_procs[i].weight;
		break;
	default:
		break;
	}
	return 0;
}

static const char *
kind_word(enum conf_track_kind k)
{
	switch (k) {
	case CONF_TRACK_IFACE:
		return "track_interface";
	case CONF_TRACK_FILE:
		return "track_file";
	case CONF_TRACK_PROCESS:
		return "track_process";
	default:
		return "track_script";
	}
}

/* The members' own weights: 0 (a failure then faults the whole group). */
static void
zero_weights(struct conf *conf, const struct conf_sync_group *g,
    struct conf_instance *in)
{
	for (size_t k = 0; k < in->ntracks; k++) {
		struct conf_track *t = &in->tracks[k];
		int w;

		if (t->implicit || (w = weight_of(conf, t)) == 0)
			continue;
		conf_diag(conf, &t->loc, CONF_WARNING,
		    "(%s) %s %s: weight %d ignored in sync group %s: a member "
		    "in FAULT faults the group instead (keepalived; "
		    "sync_group_tracking_weight, in YAML tracking_weight: "
		    "true, keeps the weights)",
		    in->name, kind_word(t->kind), t->name, w, g->name);
		t->has_weight = true;
		t->weight = 0;
	}
}

static struct conf_track *
find_track(struct conf_instance *in, const struct conf_track *t)
{
	for (size_t k = 0; k < in->ntracks; k++)
		if (in->tracks[k].kind == t->kind &&
		    strcmp(in->tracks[k].name, t->name) == 0)
			return &in->tracks[k];
	return NULL;
}

/* The group's tracks on a member: the group's weight wins (keepalived). */
static void
add_group_tracks(struct conf *conf, const struct conf_sync_group *g,
    struct conf_instance *in, bool owner)
{
	for (size_t k = 0; k < g->ntracks; k++) {
		const struct conf_track *gt = &g->tracks[k];
		struct conf_track *t = find_track(in, gt);

		if (t != NULL) {
			conf_diag(conf, &t->loc, CONF_WARNING,
			    "(%s) %s %s is tracked by the instance and by its "
			    "sync group %s: the group's weight applies",
			    in->name, kind_word(t->kind), t->name, g->name);
		} else {
			t = CONF_PUSH(conf, &gt->loc, in->tracks, in->ntracks);
			if (t == NULL)
				return;
			t->kind = gt->kind;
			t->name = conf_strdup(gt->name);
			t->implicit = true; /* --dump-config: in the group */
		}
		t->loc = gt->loc;
		t->has_weight = gt->has_weight;
		t->weight = gt->weight;
		t->reverse = gt->reverse;
		if (owner && weight_of(conf, t) != 0) {
			conf_diag(conf, &gt->loc, CONF_WARNING,
			    "sync group %s: %s %s: weight ignored, the group "
			    "has an address owner (priority 255)",
			    g->name, kind_word(gt->kind), gt->name);
			t->has_weight = true;
			t->weight = 0;
		}
	}
}

static struct conf_instance *
member(struct conf *conf, const struct conf_sync_group *g, size_t m)
{
	for (size_t k = 0; k < conf->ninstances; k++) {
		struct conf_instance *in = &conf->instances[k];

		if (strcmp(in->name, g->members[m]) == 0 &&
		    in->sync_group != NULL &&
		    strcmp(in->sync_group, g->name) == 0)
			return in;
	}
	return NULL; /* missing, or in another group: validation says so */
}

void
conf_finish_sync_groups(struct conf *conf)
{
	for (size_t i = 0; i < conf->nsync_groups; i++) {
		const struct conf_sync_group *g = &conf->sync_groups[i];
		struct conf_instance *in;
		bool owner = false;

		for (size_t m = 0; m < g->nmembers; m++)
			if ((in = member(conf, g, m)) != NULL)
				owner |= in->priority == 255;
		for (size_t m = 0; m < g->nmembers; m++) {
			if ((in = member(conf, g, m)) == NULL)
				continue;
			if (!g->tracking_weight)
				zero_weights(conf, g, in);
			add_group_tracks(conf, g, in, owner);
		}
	}
}
