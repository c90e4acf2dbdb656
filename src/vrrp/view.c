/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the running instances and checks look like from outside: the
 * views vrrpctl and the metrics read, and the counters SIGUSR2 logs.
 */

#include <stdio.h>
#include <stdlib.h>
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
	if ((v->group = vrrp_group_name(vi)) != NULL) {
		const struct vrrp_inst *h = vrrp_group_holder(vi);

		v->group_state = vrrp_group_state(vi);
		v->wants_master = fsm->wants_master;
		if (h != NULL) {
			v->group_holder = h->ci->name;
			v->group_holder_state = h->fsm.state;
		}
	}
}

size_t
vrrp_inst_nvips_all(const struct vrrp_inst *vi)
{
	return vi->ci->nvips + vi->ci->nvips_excluded;
}

int
vrrp_inst_vips_present_many(const struct vrrp_inst *const *vis, size_t n,
    bool *present)
{
	unsigned int *ifindex;
	struct addr *addrs;
	size_t total = 0, k = 0;
	int rc;

	if (n == 0)
		return 0;
	for (size_t j = 0; j < n; j++)
		total += vrrp_inst_nvips_all(vis[j]);
	ifindex = calloc(total + 1, sizeof(*ifindex));
	addrs = calloc(total + 1, sizeof(*addrs));
	if (ifindex == NULL || addrs == NULL) {
		free(ifindex);
		free(addrs);
		return -1;
	}
	for (size_t j = 0; j < n; j++) {
		const struct conf_instance *ci = vis[j]->ci;

		for (size_t i = 0; i < ci->nvips + ci->nvips_excluded; i++) {
			const struct conf_vip *v = i < ci->nvips ?
			    &ci->vips[i] :
			    &ci->vips_excluded[i - ci->nvips];

			ifindex[k] = vrrp_inst_vip_ifindex(vis[j], v);
			addrs[k++] = v->addr;
		}
	}
	rc = net_link_addrs_present(vis[0]->r->nl, ifindex, addrs, present,
	    total);
	free(ifindex);
	free(addrs);
	return rc;
}

int
vrrp_inst_vips_present(const struct vrrp_inst *vi, bool *present)
{
	return vrrp_inst_vips_present_many(&vi, 1, present);
}

void
vrrp_router_clear_stats(struct vrrp_router *r)
{
	struct vrrp_inst *vi;

	TAILQ_FOREACH (vi, &r->insts, entry)
		memset(&vi->stats, 0, sizeof(vi->stats));
	memset(&r->stats, 0, sizeof(r->stats));
	r->filtered_base = vrrp_router_filtered(r);
}

size_t
vrrp_router_nchecks(const struct vrrp_router *r)
{
	return r->conf != NULL ? r->conf->nchecks : 0;
}

void
vrrp_router_check_view(const struct vrrp_router *r, size_t i,
    struct vrrp_check_view *v)
{
	v->cc = &r->conf->checks[i];
	/* Not in the pool: no instance tracks it, it is not run. */
	v->chk = tracker_checker(
	    tracker_pool_find(r->trackers, CONF_TRACK_CHECK, v->cc->name));
}

int
vrrp_router_file_value(const struct vrrp_router *r, const char *name,
    long *value)
{
	struct tracker *t;
	struct tracker_state st;

	if ((t = tracker_pool_find(r->trackers, CONF_TRACK_FILE, name)) == NULL)
		return -1;
	tracker_state(t, &st);
	*value = st.value;
	return 0;
}

int
vrrp_router_proc_state(const struct vrrp_router *r, const char *name, bool *up,
    unsigned int *count)
{
	struct tracker *t;
	struct tracker_state st;

	if ((t = tracker_pool_find(r->trackers, CONF_TRACK_PROCESS, name)) ==
	    NULL)
		return -1;
	tracker_state(t, &st);
	*up = st.up;
	*count = (unsigned int)st.value;
	return 0;
}

/* ---- SIGUSR2: the counters and the priority breakdown in the log ---- */

/* ", NAME N" for every counter that is not zero. */
static void
ctrs_append(char *buf, size_t size, size_t *off, const uint64_t *ctrs)
{
	int n;

	for (int c = VRRP_CTR_NONE + 1; c < VRRP_CTR_MAX && *off < size; c++) {
		if (ctrs[c] == 0)
			continue;
		n = snprintf(buf + *off, size - *off, ", %s %llu",
		    vrrp_pkt_ctr_name(c), (unsigned long long)ctrs[c]);
		*off += n > 0 ? (size_t)n : 0;
	}
}

/* "(VI_1) priority 90: base 150, check web -60 (down), ..." */
static void
log_breakdown(const struct vrrp_inst *vi)
{
	const struct checker_part *p;
	char buf[1024];
	size_t n, off;
	int len;

	p = vrrp_inst_breakdown(vi, &n);
	len = snprintf(buf, sizeof(buf), "base %u", vi->ci->priority);
	off = len > 0 ? (size_t)len : 0;
	for (size_t i = 0; i < n && off < sizeof(buf); i++) {
		if (p[i].kind == CONF_TRACK_FILE)
			len = snprintf(buf + off, sizeof(buf) - off,
			    ", file %s %+d (value %ld)%s", p[i].name,
			    p[i].contrib, p[i].value,
			    p[i].fault ? " fault" : "");
		else
			len = snprintf(buf + off, sizeof(buf) - off,
			    ", %s %s %+d (%s)%s", checker_kind_name(p[i].kind),
			    p[i].name, p[i].contrib, p[i].up ? "up" : "down",
			    p[i].fault ? " fault" : "");
		off += len > 0 ? (size_t)len : 0;
	}
	log_info("(%s) priority %u: %s", vi->ci->name, vi->fsm.priority, buf);
}

void
vrrp_router_log_stats(const struct vrrp_router *r)
{
	const struct vrrp_inst_stats *st;
	const struct vrrp_inst *vi;
	char buf[1024];
	size_t off;
	int n;

	TAILQ_FOREACH (vi, &r->insts, entry) {
		st = &vi->stats;
		n = snprintf(buf, sizeof(buf),
		    "adverts_rcvd %llu, adverts_sent %llu, become_master %llu, "
		    "release_master %llu, pri_zero_rcvd %llu, pri_zero_sent "
		    "%llu, garp_sent %llu, na_sent %llu, send_errors %llu, "
		    "answers_suppressed %llu, pri_zero_ignored %llu",
		    (unsigned long long)st->adverts_rcvd,
		    (unsigned long long)st->adverts_sent,
		    (unsigned long long)st->become_master,
		    (unsigned long long)st->release_master,
		    (unsigned long long)st->pri_zero_rcvd,
		    (unsigned long long)st->pri_zero_sent,
		    (unsigned long long)st->garp_sent,
		    (unsigned long long)st->na_sent,
		    (unsigned long long)st->send_errors,
		    (unsigned long long)st->answers_suppressed,
		    (unsigned long long)st->stops_ignored);
		off = n > 0 ? (size_t)n : 0;
		ctrs_append(buf, sizeof(buf), &off, st->rx_errors);
		log_info("(%s) stats: %s", vi->ci->name, buf);
		log_breakdown(vi);
	}
	buf[0] = '\0';
	off = 0;
	ctrs_append(buf, sizeof(buf), &off, r->stats.rx_errors);
	log_info("stats: dropped for no instance: %s",
	    off > 2 ? buf + 2 : "none");
}

void
vrrp_router_log_state(const struct vrrp_router *r)
{
	const struct vrrp_inst *vi;
	struct vrrp_inst_view v;
	char master[64];
	uint64_t now = util_now_us();

	TAILQ_FOREACH (vi, &r->insts, entry) {
		vrrp_inst_view(vi, now, &v);
		if (vi->fsm.master_addr.af != AF_UNSPEC)
			addr_fmt(&vi->fsm.master_addr, master, sizeof(master));
		else
			snprintf(master, sizeof(master), "none heard");
		log_info("(%s) state: %s for %.1f s, priority %u (base %u), "
			 "master %s, vrid %u on %s",
		    vi->ci->name, vrrp_state_name(v.state),
		    (double)v.in_state_us / 1e6, v.priority, v.base_priority,
		    master, vi->ci->vrid, vi->ci->interface);
	}
}
