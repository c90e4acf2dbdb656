/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What an instance tracks: checks (through the router's checkers) and
 * interfaces. Their states go through check/eval's keepalived arithmetic
 * into an effective priority and fault reasons for the state machine, and
 * every change of the effective priority is one log line with its cause.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance_priv.h"

/* The weight a track uses: its own, else its check's (keepalived). */
static void
contrib_of(const struct vrrp_inst *vi, size_t i, struct checker_contrib *c)
{
	const struct conf_track *t = &vi->ci->tracks[i];
	struct checker *chk =
	    vi->track_ref != NULL ? vi->track_ref[i].chk : NULL;
	const struct conf_check *cc = NULL;

	/* Only a check has defaults; an interface may share a check's name. */
	for (size_t k = 0;
	     t->kind == CONF_TRACK_CHECK && k < vi->r->conf->nchecks; k++)
		if (strcmp(vi->r->conf->checks[k].name, t->name) == 0)
			cc = &vi->r->conf->checks[k];
	c->weight = t->has_weight || cc == NULL ? t->weight : cc->weight;
	c->reverse = t->reverse || (cc != NULL && cc->reverse);
	c->up = chk != NULL ? checker_up(chk) : true;
}

/* A track_file's part: its value times the weight (eval's rules). */
static int
file_contrib(struct vrrp_inst *vi, size_t i, struct vrrp_track_part *p)
{
	const struct conf_track *t = &vi->ci->tracks[i];
	const struct conf_track_file *tf = NULL;
	struct checker_file *f = vrrp_router_file(vi->r, t->name, &tf);
	int contrib = 0;

	p->fault = false;
	p->weight = t->weight;
	p->reverse = t->reverse;
	if (f != NULL) {
		p->weight = t->has_weight ? t->weight : tf->weight;
		p->reverse = t->reverse || tf->reverse;
		checker_eval_file(checker_file_value(f), p->weight, p->reverse,
		    &contrib, &p->fault);
	}
	return contrib;
}

static void
changed_cb(void *arg, struct checker *c)
{
	vrrp_track_update(arg, c);
}

static void
file_cb(void *arg, struct checker_file *f)
{
	(void)f;
	vrrp_track_update(arg, NULL);
}

static void
proc_cb(void *arg, struct checker_proc *p)
{
	(void)p;
	vrrp_track_update(arg, NULL);
}

/* A vrrp_track_process's part: up while its quorum is met. */
static void
proc_contrib(struct vrrp_inst *vi, size_t i, struct checker_contrib *c)
{
	const struct conf_track *t = &vi->ci->tracks[i];
	const struct conf_track_process *tp = NULL;
	struct checker_proc *p = vrrp_router_proc(vi->r, t->name, &tp);

	c->up = p != NULL && checker_proc_up(p);
	c->weight = t->has_weight || tp == NULL ? t->weight : tp->weight;
	c->reverse = t->reverse || (tp != NULL && tp->reverse);
}

int
vrrp_track_bind(struct vrrp_inst *vi)
{
	const struct conf_instance *ci = vi->ci;
	const struct conf_track *t;
	struct vrrp_track_ref *ref;
	int rc = 0;

	if (ci->ntracks == 0)
		return 0;
	if (vi->track_ref == NULL &&
	    (vi->track_ref = calloc(ci->ntracks, sizeof(*vi->track_ref))) ==
		NULL)
		return -1;
	free(vi->parts);
	if ((vi->parts = calloc(ci->ntracks, sizeof(*vi->parts))) == NULL)
		return -1;
	for (size_t i = 0; i < ci->ntracks; i++) {
		t = &ci->tracks[i];
		ref = &vi->track_ref[i];
		ref->chk = t->kind == CONF_TRACK_CHECK ?
		    vrrp_router_checker(vi->r, t->name) :
		    NULL;
		ref->file = t->kind == CONF_TRACK_FILE ?
		    vrrp_router_file(vi->r, t->name, NULL) :
		    NULL;
		ref->proc = t->kind == CONF_TRACK_PROCESS ?
		    vrrp_router_proc(vi->r, t->name, NULL) :
		    NULL;
		if ((ref->chk != NULL &&
			checker_subscribe(ref->chk, changed_cb, vi) != 0) ||
		    (ref->file != NULL &&
			checker_file_subscribe(ref->file, file_cb, vi) != 0) ||
		    (ref->proc != NULL &&
			checker_proc_subscribe(ref->proc, proc_cb, vi) != 0) ||
		    ((t->kind == CONF_TRACK_CHECK && ref->chk == NULL) ||
			(t->kind == CONF_TRACK_FILE && ref->file == NULL) ||
			(t->kind == CONF_TRACK_PROCESS && ref->proc == NULL))) {
			log_warnx("(%s) track %s: not running", ci->name,
			    t->name);
			rc = -1;
		}
	}
	return rc;
}

void
vrrp_track_unbind(struct vrrp_inst *vi)
{
	if (vi->track_ref == NULL)
		return;
	for (size_t i = 0; i < vi->ci->ntracks; i++) {
		if (vi->track_ref[i].chk != NULL)
			checker_unsubscribe(vi->track_ref[i].chk, changed_cb,
			    vi);
		if (vi->track_ref[i].file != NULL)
			checker_file_unsubscribe(vi->track_ref[i].file, file_cb,
			    vi);
	}
	free(vi->track_ref);
	vi->track_ref = NULL;
	free(vi->parts);
	vi->parts = NULL;
}

const struct vrrp_track_part *
vrrp_inst_breakdown(const struct vrrp_inst *vi, size_t *n)
{
	*n = vi->parts != NULL ? vi->ci->ntracks : 0;
	return vi->parts;
}

/* Interface tracks: link state now; a change is logged once. */
static bool
iface_up(struct vrrp_inst *vi, size_t i)
{
	const struct conf_track *t = &vi->ci->tracks[i];
	struct net_link_info info;
	bool up, was;

	up = net_link_info(vi->r->nl, t->name, &info) == 0 && info.up;
	if (i < 64) {
		was = ((vi->tracked_down >> i) & 1) == 0;
		if (up != was)
			log_info("(%s) tracked interface %s %s", vi->ci->name,
			    t->name, up ? "up" : "down");
		vi->tracked_down = up ? vi->tracked_down & ~(1ULL << i) :
					vi->tracked_down | (1ULL << i);
	}
	return up;
}

void
vrrp_track_update(struct vrrp_inst *vi, struct checker *cause)
{
	const struct conf_instance *ci = vi->ci;
	struct checker_contrib c;
	bool check_fault = false, if_fault = false, file_fault = false, f;
	bool proc_fault = false;
	uint8_t before = vi->fsm.priority;
	char why[160], out[64];
	int sum = 0;

	for (size_t i = 0; i < ci->ntracks; i++) {
		const struct conf_track *t = &ci->tracks[i];
		struct vrrp_track_part p = { .name = t->name, .kind = t->kind };

		if (t->kind == CONF_TRACK_FILE) {
			p.applied = true;
			p.contrib = file_contrib(vi, i, &p);
			f = p.fault;
			if (vi->track_ref != NULL && vi->track_ref[i].file)
				p.value =
				    checker_file_value(vi->track_ref[i].file);
			file_fault |= f;
		} else {
			if (t->kind == CONF_TRACK_PROCESS)
				proc_contrib(vi, i, &c);
			else
				contrib_of(vi, i, &c);
			if (t->kind == CONF_TRACK_IFACE)
				c.up = iface_up(vi, i);
			p.applied = true;
			p.up = c.up;
			p.weight = c.weight;
			p.reverse = c.reverse;
			p.contrib = checker_eval_weight(&c);
			p.fault = checker_eval_faulty(&c);
			check_fault |= p.fault && t->kind == CONF_TRACK_CHECK;
			if_fault |= p.fault && t->kind == CONF_TRACK_IFACE;
			proc_fault |= p.fault && t->kind == CONF_TRACK_PROCESS;
		}
		sum += p.contrib;
		if (vi->parts != NULL)
			vi->parts[i] = p;
	}
	vi->track_sum = sum;
	/* Demoted: below any peer's priority (an owner is never demoted). */
	vrrp_inst_set_priority(vi, vi->demoted ? 1 : (int)ci->priority + sum);
	if (vi->fsm.priority != before) {
		if (vi->demoted)
			snprintf(why, sizeof(why), "demoted");
		else if (vi->prio_note != NULL)
			snprintf(why, sizeof(why), "%s", vi->prio_note);
		else if (cause != NULL)
			snprintf(why, sizeof(why), "check %s %s (%s)",
			    checker_name(cause),
			    checker_up(cause) ? "up" : "down",
			    checker_outcome_format(checker_last(cause), out,
				sizeof(out)));
		else
			snprintf(why, sizeof(why),
			    "tracked interfaces, files or processes");
		log_info("(%s) priority %u -> %u: %s", ci->name, before,
		    vi->fsm.priority, why);
	}
	vi->prio_note = NULL;
	vrrp_inst_set_fault(vi, VRRP_FAULT_CHECK, check_fault);
	vrrp_inst_set_fault(vi, VRRP_FAULT_TRACKED_IF, if_fault);
	vrrp_inst_set_fault(vi, VRRP_FAULT_TRACK_FILE, file_fault);
	vrrp_inst_set_fault(vi, VRRP_FAULT_TRACK_PROC, proc_fault);
}

void
vrrp_track_warn_unapplied(const struct vrrp_inst *vi)
{
	const struct conf_instance *ci = vi->ci;

	if (ci->sync_group != NULL)
		log_warnx("(%s) sync group %s: its members are not kept in "
			  "step yet; each instance runs on its own",
		    ci->name, ci->sync_group);
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
