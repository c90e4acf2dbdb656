/* SPDX-License-Identifier: BSD-2-Clause */
/* What the running instances and checks look like from outside: vrrpctl. */

#include <string.h>

#include "instance_priv.h"

const struct conf *
vrrp_router_conf(const struct vrrp_router *r)
{
	return r->conf;
}

const struct vrrp_inst *
vrrp_router_first(const struct vrrp_router *r)
{
	return TAILQ_FIRST(&r->insts);
}

const struct vrrp_inst *
vrrp_router_next(const struct vrrp_inst *vi)
{
	return TAILQ_NEXT(vi, entry);
}

const struct conf_instance *
vrrp_inst_conf(const struct vrrp_inst *vi)
{
	return vi->ci;
}

struct vrrp_inst *
vrrp_router_find(struct vrrp_router *r, const char *name)
{
	struct vrrp_inst *vi;

	TAILQ_FOREACH (vi, &r->insts, entry)
		if (strcmp(vi->ci->name, name) == 0)
			return vi;
	return NULL;
}

static uint64_t
left(uint64_t at, uint64_t now)
{
	return at > now ? at - now : 0;
}

void
vrrp_inst_view(const struct vrrp_inst *vi, uint64_t now_us,
    struct vrrp_inst_view *v)
{
	const struct vrrp_fsm *fsm = &vi->fsm;
	const struct vrrp_fsm_timer *down =
	    &fsm->timers[VRRP_TIMER_MASTER_DOWN];

	memset(v, 0, sizeof(*v));
	v->ci = vi->ci;
	v->state = fsm->state;
	/* Every transition has a reason: none means there was none yet. */
	v->transitioned = fsm->reason != VRRP_RSN_NONE;
	v->in_state_us =
	    left(now_us, v->transitioned ? fsm->since_us : vi->created_us);
	v->prev_state = vi->prev_state;
	v->reason = fsm->reason;
	v->base_priority = vi->ci->priority;
	v->priority = fsm->priority;
	v->track_sum = vi->track_sum;
	v->parts = vrrp_inst_breakdown(vi, &v->nparts);
	v->demoted = vi->demoted;
	if (vi->demoted && vi->demote_until_us > 0)
		v->demote_left_us = left(vi->demote_until_us, now_us);
	v->faults = fsm->faults;
	v->adver_int_cs = vi->ci->adver_int_cs;
	v->src = vi->src;
	v->waiting = vi->waiting;
	if (fsm->state == VRRP_STATE_MASTER) {
		v->master_known = true;
		v->master_addr = vi->src;
		v->master_priority = fsm->priority;
		v->master_adver_int_cs = vi->ci->adver_int_cs;
	} else if (fsm->state == VRRP_STATE_BACKUP &&
	    fsm->master_addr.af != AF_UNSPEC) {
		v->master_known = true;
		v->master_addr = fsm->master_addr;
		v->master_priority = fsm->master_priority;
		v->master_adver_int_cs = fsm->master_adver_int_cs;
	}
	if (fsm->state == VRRP_STATE_BACKUP && down->armed) {
		v->master_down_armed = true;
		v->master_down_in_us = left(down->at_us, now_us);
	}
	if (fsm->state == VRRP_STATE_BACKUP && fsm->preempt_at_us > 0)
		v->preempt_in_us = left(fsm->preempt_at_us, now_us);
}

int
vrrp_inst_vips_present(const struct vrrp_inst *vi, bool *present)
{
	const struct conf_instance *ci = vi->ci;
	size_t n = ci->nvips + ci->nvips_excluded;
	unsigned int ifindex[n > 0 ? n : 1];
	struct addr addrs[n > 0 ? n : 1];
	const struct conf_vip *v;

	for (size_t i = 0; i < n; i++) {
		v = i < ci->nvips ? &ci->vips[i] :
				    &ci->vips_excluded[i - ci->nvips];
		ifindex[i] = vrrp_inst_vip_ifindex(vi, v);
		addrs[i] = v->addr;
	}
	return net_link_addrs_present(vi->r->nl, ifindex, addrs, present, n);
}

void
vrrp_router_clear_stats(struct vrrp_router *r)
{
	struct vrrp_inst *vi;

	TAILQ_FOREACH (vi, &r->insts, entry)
		memset(&vi->stats, 0, sizeof(vi->stats));
	memset(&r->stats, 0, sizeof(r->stats));
}

size_t
vrrp_router_nchecks(const struct vrrp_router *r)
{
	return r->nchecks;
}

void
vrrp_router_check_view(const struct vrrp_router *r, size_t i,
    struct vrrp_check_view *v)
{
	v->cc = r->checks[i].cc;
	v->chk = r->checks[i].unused ? NULL : r->checks[i].chk;
}

int
vrrp_router_file_value(const struct vrrp_router *r, const char *name,
    long *value)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i].tf->name, name) == 0 &&
		    r->files[i].f != NULL) {
			*value = checker_file_value(r->files[i].f);
			return 0;
		}
	return -1;
}

int
vrrp_router_proc_state(const struct vrrp_router *r, const char *name, bool *up,
    unsigned int *count)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (strcmp(r->procs[i].tp->name, name) == 0 &&
		    r->procs[i].p != NULL) {
			*up = checker_proc_up(r->procs[i].p);
			*count = checker_proc_count(r->procs[i].p);
			return 0;
		}
	return -1;
}
