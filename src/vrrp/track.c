/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What an instance tracks: checks (through the router's checkers) and
 * interfaces. Their states go through check/eval's keepalived arithmetic
 * into an effective priority and fault reasons for the state machine, and
 * every change of the effective priority is one log line with its cause.
 */

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
file_contrib(struct vrrp_inst *vi, size_t i, bool *fault)
{
	const struct conf_track *t = &vi->ci->tracks[i];
	const struct conf_track_file *tf = NULL;
	struct checker_file *f = vrrp_router_file(vi->r, t->name, &tf);
	int contrib = 0;

	*fault = false;
	if (f != NULL)
		checker_eval_file(checker_file_value(f),
		    t->has_weight ? t->weight : tf->weight,
		    t->reverse || tf->reverse, &contrib, fault);
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
			p.contrib = file_contrib(vi, i, &f);
			p.fault = f;
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
	vrrp_inst_set_priority(vi, (int)ci->priority + sum);
	if (vi->fsm.priority != before) {
		if (cause != NULL)
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
