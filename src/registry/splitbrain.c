/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The split-brain detector: two or more live sessions reporting MASTER for
 * one instance for longer than two advert intervals (DESIGN.md). A
 * preemption overlaps the old and the new master for a moment (the old
 * one steps down on the first advert it hears); the threshold keeps that
 * from ever being reported.
 */

#include <string.h>

#include "registry_priv.h"

#define US_PER_CS 10000ULL

static int
sb_find(const struct registry_sb_state *sb, const char *name)
{
	for (size_t i = 0; i < sb->n; i++)
		if (strcmp(sb->e[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
sb_event(struct registry_report *rep, enum registry_sb_edge edge,
    const struct registry_sb_entry *e, size_t nmasters, uint64_t now_us)
{
	struct registry_sb_event *ev;

	if (rep->nevents == REGISTRY_SB_MAX)
		return;
	ev = &rep->events[rep->nevents++];
	memset(ev, 0, sizeof(*ev));
	ev->edge = edge;
	reg_copy(ev->name, sizeof(ev->name), e->name);
	ev->nmasters = nmasters;
	ev->duration_us =
	    now_us > e->first_seen_us ? now_us - e->first_seen_us : 0;
}

/* The largest advert interval among the registered masters of s. */
static uint32_t
masters_adver_cs(const struct registry_cluster *c,
    const struct registry_inst_sum *s)
{
	uint32_t cs = 0;

	for (size_t j = s->first; j < s->first + s->n; j++)
		if (c->insts[j]->state == VRRP_STATE_MASTER &&
		    registry_cluster_registered(c, j) &&
		    c->insts[j]->adver_int_cs > cs)
			cs = c->insts[j]->adver_int_cs;
	return cs;
}

static void
sb_overlap(const struct registry_cluster *c, struct registry_sb_state *sb,
    const struct registry_inst_sum *s, uint64_t now_us,
    struct registry_report *rep)
{
	struct registry_sb_entry *e;
	struct registry_flag *f;
	uint64_t limit, dur, at;
	int i;

	if ((i = sb_find(sb, s->name)) >= 0) {
		e = &sb->e[i];
	} else if (sb->n == REGISTRY_SB_MAX) {
		sb->untracked++;
		return;
	} else {
		e = &sb->e[sb->n++];
		memset(e, 0, sizeof(*e));
		reg_copy(e->name, sizeof(e->name), s->name);
		e->first_seen_us = now_us;
	}
	e->seen = true;
	limit = 2 * (uint64_t)masters_adver_cs(c, s) * US_PER_CS;
	dur = now_us > e->first_seen_us ? now_us - e->first_seen_us : 0;
	if (!e->flagged && dur > limit) {
		e->flagged = true;
		sb_event(rep, REGISTRY_SB_STARTED, e, s->nmasters, now_us);
	}
	if (!e->flagged) {
		at = e->first_seen_us + limit + 1;
		if (rep->next_us == 0 || at < rep->next_us)
			rep->next_us = at;
		return;
	}
	if ((f = reg_flag_new(rep, REGISTRY_FLAG_SPLIT_BRAIN, s->name,
		 s->masters[0])) == NULL)
		return;
	reg_copy(f->other_node, sizeof(f->other_node), s->masters[1]);
	f->nmasters = s->nmasters;
	f->duration_us = dur;
}

/* Forget entry i; a flagged one ends now. */
static void
sb_remove(struct registry_sb_state *sb, size_t i, size_t nmasters,
    uint64_t now_us, struct registry_report *rep)
{
	if (sb->e[i].flagged)
		sb_event(rep, REGISTRY_SB_ENDED, &sb->e[i], nmasters, now_us);
	sb->e[i] = sb->e[--sb->n];
}

void
reg_sb_pass(const struct registry_cluster *c, struct registry_sb_state *sb,
    uint64_t now_us, struct registry_report *rep)
{
	struct registry_inst_sum s;
	int k;

	for (size_t i = 0; i < sb->n; i++)
		sb->e[i].seen = false;
	for (size_t i = 0; registry_cluster_inst(c, i, &s); i = s.first + s.n) {
		if (s.nmasters >= 2)
			sb_overlap(c, sb, &s, now_us, rep);
		else if ((k = sb_find(sb, s.name)) >= 0)
			sb_remove(sb, (size_t)k, s.nmasters, now_us, rep);
	}
	/* Names gone from the tree: no master at all. */
	for (size_t i = 0; i < sb->n;) {
		if (sb->e[i].seen)
			i++;
		else
			sb_remove(sb, i, 0, now_us, rep);
	}
}

/*
 * A one-shot reader has no memory: it takes the overlap to have begun
 * when the last of the masters' records says it became master (wall
 * clock, each node's own; close enough with NTP).
 */
void
registry_sb_seed(struct registry_cluster *c, struct registry_sb_state *sb,
    uint64_t now_us, uint64_t wall_ms)
{
	struct registry_inst_sum s;

	registry_cluster_sort(c);
	for (size_t i = 0; registry_cluster_inst(c, i, &s); i = s.first + s.n) {
		struct registry_sb_entry *e;
		uint64_t since = 0, ago_us;

		if (s.nmasters < 2 || sb->n == REGISTRY_SB_MAX ||
		    sb_find(sb, s.name) >= 0)
			continue;
		for (size_t j = s.first; j < s.first + s.n; j++)
			if (c->insts[j]->state == VRRP_STATE_MASTER &&
			    registry_cluster_registered(c, j) &&
			    c->insts[j]->since_ms > since)
				since = c->insts[j]->since_ms;
		ago_us = wall_ms > since ? (wall_ms - since) * 1000 : 0;
		e = &sb->e[sb->n++];
		memset(e, 0, sizeof(*e));
		reg_copy(e->name, sizeof(e->name), s.name);
		e->first_seen_us = now_us > ago_us ? now_us - ago_us : 0;
	}
}
