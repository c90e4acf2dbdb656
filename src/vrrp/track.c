/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What an instance tracks: checks, files, process sets and interfaces,
 * all through the one tracker interface (check/). Their states go through
 * check/eval's keepalived arithmetic, the one place the priority is
 * computed, into an effective priority and fault reasons for the state
 * machine, one input per change; every change of the effective priority
 * is one log line with its cause. Demotion (vrrpctl demote) lives here.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance_priv.h"

static void
changed_cb(void *arg, struct tracker *t)
{
	vrrp_track_update(arg, t);
}

static void gather(const struct vrrp_inst *vi, size_t i,
    struct checker_part *p);

int
vrrp_track_bind(struct vrrp_inst *vi)
{
	const struct conf_instance *ci = vi->ci;
	const struct conf_track *t;
	struct tracker *tr;
	int rc = 0;

	if (ci->ntracks == 0)
		return 0;
	vrrp_track_unbind(vi);
	vi->track_subs = calloc(ci->ntracks, sizeof(*vi->track_subs));
	vi->parts = calloc(ci->ntracks, sizeof(*vi->parts));
	if (vi->track_subs == NULL || vi->parts == NULL) {
		vrrp_track_unbind(vi);
		return -1;
	}
	for (size_t i = 0; i < ci->ntracks; i++) {
		t = &ci->tracks[i];
		if ((tr = tracker_pool_find(vi->r->trackers, t->kind,
			 t->name)) == NULL) {
			log_warnx("(%s) track %s: not running", ci->name,
			    t->name);
			rc = -1;
			continue;
		}
		tracker_subscribe(tr, &vi->track_subs[i], changed_cb, vi);
	}
	/* the breakdown is read (status, metrics) before the first update:
	 * while the instance waits for its interface, for one */
	for (size_t i = 0; i < ci->ntracks; i++)
		gather(vi, i, &vi->parts[i]);
	return rc;
}

void
vrrp_track_unbind(struct vrrp_inst *vi)
{
	if (vi->track_subs != NULL)
		for (size_t i = 0; i < vi->ci->ntracks; i++)
			tracker_unsubscribe(&vi->track_subs[i]);
	free(vi->track_subs);
	vi->track_subs = NULL;
	free(vi->parts);
	vi->parts = NULL;
}

const struct checker_part *
vrrp_inst_breakdown(const struct vrrp_inst *vi, size_t *n)
{
	*n = vi->parts != NULL ? vi->ci->ntracks : 0;
	return vi->parts;
}

/*
 * Track i's part as inputs for the arithmetic: the tracker's state, and
 * the weight in effect (the track's own, else the object's: keepalived).
 * A tracker that could not be had counts as up (a process set: down).
 */
static void
gather(const struct vrrp_inst *vi, size_t i, struct checker_part *p)
{
	const struct conf_track *t = &vi->ci->tracks[i];
	const struct tracker *tr = vi->track_subs[i].t;
	struct tracker_state st = { .up = t->kind != CONF_TRACK_PROCESS };
	bool reverse = false;
	int weight = 0;

	if (tr != NULL) {
		tracker_state(tr, &st);
		weight = tracker_weight(tr, &reverse);
	}
	*p = (struct checker_part) { .name = t->name,
		.kind = t->kind,
		.up = st.up,
		.value = st.value,
		.weight = t->has_weight ? t->weight : weight,
		.reverse = t->reverse || reverse };
}

/* A tracked interface's change is one line per instance (keepalived). */
static void
log_iface(struct vrrp_inst *vi, size_t i, bool up)
{
	bool was;

	if (i >= 64)
		return;
	was = ((vi->tracked_down >> i) & 1) == 0;
	if (up != was)
		log_info("(%s) tracked interface %s %s", vi->ci->name,
		    vi->ci->tracks[i].name, up ? "up" : "down");
	vi->tracked_down = up ? vi->tracked_down & ~(1ULL << i) :
				vi->tracked_down | (1ULL << i);
}

/* "tracks: check web -60, file maint +10" (those that count), or
 * "tracks: none counting". */
static void
parts_format(const struct checker_part *p, size_t n, char *buf, size_t size)
{
	size_t off;
	int len;

	len = snprintf(buf, size, "tracks:");
	off = len > 0 ? (size_t)len : 0;
	for (size_t i = 0; i < n && off < size; i++) {
		if (p[i].contrib == 0 && !p[i].fault)
			continue;
		len = snprintf(buf + off, size - off, " %s %s %+d%s,",
		    checker_kind_name(p[i].kind), p[i].name, p[i].contrib,
		    p[i].fault ? " fault" : "");
		off += len > 0 ? (size_t)len : 0;
	}
	if (off >= size)
		off = size - 1;
	if (buf[off - 1] == ',')
		buf[off - 1] = '\0';
	else if (buf[off - 1] == ':') /* none counts: the base alone */
		snprintf(buf + off, size - off, " none counting");
}

void
vrrp_track_update(struct vrrp_inst *vi, const struct tracker *cause)
{
	const struct conf_instance *ci = vi->ci;
	struct checker_prio prio;
	uint8_t before = vi->fsm.priority;
	const char *note = vi->prio_note;
	char why[160];
	size_t n;

	vi->prio_note = NULL;
	if (vi->parts == NULL && ci->ntracks > 0)
		return; /* not bound: a reload is under way */
	n = vi->parts != NULL ? ci->ntracks : 0;
	for (size_t i = 0; i < n; i++) {
		gather(vi, i, &vi->parts[i]);
		if (vi->parts[i].kind == CONF_TRACK_IFACE)
			log_iface(vi, i, vi->parts[i].up);
	}
	checker_eval_priority(ci->priority, vi->demoted, vi->parts, n, &prio);
	vi->track_sum = prio.sum;
	if (prio.priority == before &&
	    prio.faults == (vi->fsm.faults & VRRP_FAULTS_TRACKED))
		return;
	if (prio.priority != before) {
		if (vi->demoted)
			snprintf(why, sizeof(why), "demoted");
		else if (note != NULL)
			snprintf(why, sizeof(why), "%s", note);
		else if (cause != NULL)
			tracker_describe(cause, why, sizeof(why));
		else
			parts_format(vi->parts, n, why, sizeof(why));
		log_info("(%s) priority %u -> %u: %s", ci->name, before,
		    prio.priority, why);
		/* keepalived notify_priority_changes; none before the start */
		if (ci->notify_priority_changes &&
		    vi->fsm.state != VRRP_STATE_INIT)
			notify_priority(vi->notify,
			    vi->fsm.state == VRRP_STATE_MASTER, prio.priority);
	}
	vrrp_inst_set_tracks(vi, prio.priority, prio.faults);
}

static void
demote_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct vrrp_inst *vi = w->data;

	(void)loop;
	(void)revents;
	log_info("(%s) demotion ended", vi->ci->name);
	vi->demoted = false;
	vi->demote_until_us = 0;
	vi->prio_note = "demotion ended";
	vrrp_track_update(vi, NULL);
}

void
vrrp_track_demote_init(struct vrrp_inst *vi)
{
	ev_timer_init(&vi->demote_timer, demote_cb, 0.0, 0.0);
	vi->demote_timer.data = vi;
}

void
vrrp_track_demote_fini(struct vrrp_inst *vi)
{
	ev_timer_stop(vi->r->loop, &vi->demote_timer);
}

/* Demoted until until_us (0: until promote): the priority drops. */
static void
demote_until(struct vrrp_inst *vi, uint64_t until_us, uint64_t now)
{
	ev_timer_stop(vi->r->loop, &vi->demote_timer);
	vi->demoted = true;
	vi->demote_until_us = until_us;
	if (until_us > 0) {
		ev_timer_set(&vi->demote_timer,
		    until_us > now ? (double)(until_us - now) / 1e6 : 0.0, 0.0);
		ev_timer_start(vi->r->loop, &vi->demote_timer);
	}
	vrrp_track_update(vi, NULL);
}

int
vrrp_inst_demote(struct vrrp_inst *vi, uint64_t for_ms)
{
	uint64_t now = util_now_us();

	if (vi->ci->priority == VRRP_PRIO_OWNER) {
		errno = EINVAL;
		return -1;
	}
	if (for_ms > 0)
		log_info("(%s) demoted for %llu ms", vi->ci->name,
		    (unsigned long long)for_ms);
	else
		log_info("(%s) demoted until promoted", vi->ci->name);
	demote_until(vi, for_ms > 0 ? now + for_ms * 1000 : 0, now);
	/* A master steps down at once rather than wait to be preempted. */
	vrrp_inst_input(vi, VRRP_IN_HAND_OVER);
	return 0;
}

bool
vrrp_inst_promote(struct vrrp_inst *vi)
{
	if (!vi->demoted)
		return false;
	log_info("(%s) promoted", vi->ci->name);
	ev_timer_stop(vi->r->loop, &vi->demote_timer);
	vi->demoted = false;
	vi->demote_until_us = 0;
	vi->prio_note = "promoted";
	vrrp_track_update(vi, NULL);
	return true;
}

void
vrrp_inst_demote_carry(struct vrrp_inst *vi, const struct vrrp_inst *old)
{
	uint64_t now = util_now_us();

	if (!old->demoted || vi->ci->priority == VRRP_PRIO_OWNER)
		return;
	if (old->demote_until_us > 0 && old->demote_until_us <= now)
		return;
	log_info("(%s) still demoted after the reload", vi->ci->name);
	demote_until(vi, old->demote_until_us, now);
}
