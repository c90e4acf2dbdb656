/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The router: the running instances, the pool of trackers they follow,
 * and the netlink monitor whose events reach both. The sockets are in
 * sock.c, loading and reloading in reload.c, what vrrpctl reads in view.c;
 * only instance.c steps a state machine.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "instance_priv.h"

/*
 * Link events are rare and may concern a re-created interface (a new
 * ifindex): the tracked interfaces follow the event itself, and the
 * instances on that interface (by index or name) recheck it. Address events (our own VIPs among
 * them) only matter to the instances on that link whose source address is
 * missing or is the one that changed, and a removal that is not ours to
 * the masters holding that address. ifindex 0: events were lost.
 */
int
vrrp_router_link_info(struct vrrp_router *r, const char *ifname,
    struct net_link_info *info)
{
	struct vrrp_link_cache *c;
	int rc;

	for (size_t i = 0; r->link_cache_on && i < r->nlink_cache; i++)
		if (strcmp(r->link_cache[i].name, ifname) == 0) {
			*info = r->link_cache[i].info;
			if (r->link_cache[i].rc != 0)
				errno = ENODEV;
			return r->link_cache[i].rc;
		}
	rc = net_link_info(r->nl, ifname, info);
	if (r->link_cache_on && r->nlink_cache < 16 && strlen(ifname) < 16) {
		c = &r->link_cache[r->nlink_cache++];
		strcpy(c->name, ifname);
		c->rc = rc;
		c->info = *info;
	}
	return rc;
}

static void link_event_instances(struct vrrp_router *r,
    const struct net_link_ev *ev);

static void
link_event(void *arg, const struct net_link_ev *ev)
{
	struct vrrp_router *r = arg;

	/* each interface read once for all its instances */
	r->link_cache_on = true;
	r->nlink_cache = 0;
	link_event_instances(r, ev);
	r->link_cache_on = false;
}

static void
link_event_instances(struct vrrp_router *r, const struct net_link_ev *ev)
{
	struct vrrp_inst *vi;
	char buf[ADDR_STRLEN];

	/* Route and rule deletions: tracked virtual and static ones only. */
	if (ev->kind == NET_LINK_EV_ROUTE_DEL ||
	    ev->kind == NET_LINK_EV_RULE_DEL) {
		if (ev->portid != r->nl_portid)
			TAILQ_FOREACH (vi, &r->insts, entry)
				vrrp_inst_route_removed(vi, ev);
		vrrp_statics_event(r, ev);
		return;
	}
	if (ev->kind == NET_LINK_EV_LINK && ev->up)
		vrrp_statics_event(r, ev);
	if (ev->kind == NET_LINK_EV_LINK) {
		log_debug(DBG_NET, "netlink: link %s (index %u) %s",
		    ev->ifname != NULL ? ev->ifname : "(events lost)",
		    ev->ifindex,
		    ev->removed ? "removed" :
			ev->up	? "up" :
				  "down");
		if (ev->ifindex == 0)
			tracker_pool_relink(r->trackers);
		else if (ev->ifname != NULL)
			tracker_pool_link(r->trackers, ev->ifname, ev->up);
	} else if (ev->addr != NULL) {
		log_debug(DBG_NET, "netlink: address %s/%u %s index %u by %s%u",
		    addr_fmt(ev->addr, buf, sizeof(buf)), ev->prefix,
		    ev->kind == NET_LINK_EV_ADDR_ADD ? "added to" :
						       "removed from",
		    ev->ifindex,
		    ev->portid == r->nl_portid ? "us, port " : "port ",
		    ev->portid);
	}
	TAILQ_FOREACH (vi, &r->insts, entry) {
		if (ev->kind == NET_LINK_EV_LINK && ev->ifindex != 0 &&
		    vi->link.ifindex != ev->ifindex &&
		    (vi->vmac_ifindex == 0 ||
			vi->vmac_ifindex != ev->ifindex) &&
		    (ev->ifname == NULL ||
			strcmp(ev->ifname, vi->ci->interface) != 0))
			continue; /* another interface's link */
		if (ev->kind == NET_LINK_EV_LINK || ev->ifindex == 0 ||
		    ev->addr == NULL ||
		    (vi->link.ifindex == ev->ifindex &&
			(vi->src.af == AF_UNSPEC ||
			    addr_cmp(ev->addr, &vi->src) == 0)))
			vrrp_inst_link_changed(vi);
		if (ev->kind == NET_LINK_EV_ADDR_DEL && ev->addr != NULL &&
		    ev->portid != r->nl_portid)
			vrrp_inst_addr_removed(vi, ev->ifindex, ev->addr,
			    ev->portid);
	}
}

/* A new interface tracker's state: asked once, then events follow. */
static void
link_state(void *arg, const char *ifname, bool *up)
{
	struct vrrp_router *r = arg;
	struct net_link_info info;

	*up = net_link_info(r->nl, ifname, &info) == 0 && info.up;
}

static void
nl_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct vrrp_router *r = w->data;

	(void)loop;
	(void)revents;
	net_link_monitor_read(r->nl);
}

struct vrrp_router *
vrrp_router_new(struct ev_loop *loop)
{
	struct vrrp_router *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->loop = loop;
	TAILQ_INIT(&r->socks);
	TAILQ_INIT(&r->anns);
	TAILQ_INIT(&r->insts);
	TAILQ_INIT(&r->groups);
	r->rl_unknown.interval_ms = r->rl_broken.interval_ms = 10000;
	if ((r->nl = net_link_open(link_event, r)) == NULL) {
		free(r);
		return NULL;
	}
	if ((r->trackers = tracker_pool_new(loop, link_state, r)) == NULL) {
		net_link_close(r->nl);
		free(r);
		return NULL;
	}
	if (vrrp_timers_init(r) != 0) {
		tracker_pool_free(r->trackers);
		net_link_close(r->nl);
		free(r);
		return NULL;
	}
	r->nl_portid = net_link_portid(r->nl);
	ev_io_init(&r->nl_io, nl_cb, net_link_monitor_fd(r->nl), EV_READ);
	r->nl_io.data = r;
	ev_io_start(loop, &r->nl_io);
	return r;
}

uint64_t *
vrrp_router_ann_gate(struct vrrp_router *r, unsigned int ifindex)
{
	struct vrrp_ann_gate *g;

	for (size_t i = 0; i < r->ngates; i++)
		if (r->gates[i].ifindex == ifindex)
			return &r->gates[i].next_us;
	g = realloc(r->gates, (r->ngates + 1) * sizeof(*g));
	if (g == NULL)
		return NULL;
	r->gates = g;
	g[r->ngates].ifindex = ifindex;
	g[r->ngates].next_us = 0;
	return &g[r->ngates++].next_us;
}

void
vrrp_router_set_observer(struct vrrp_router *r, vrrp_router_observe_fn *fn,
    vrrp_router_gone_fn *gone, void *arg)
{
	r->observe_fn = fn;
	r->gone_fn = gone;
	r->observe_arg = arg;
}

void
vrrp_router_set_ready_cb(struct vrrp_router *r, vrrp_router_ready_fn *fn,
    void *arg)
{
	r->ready_fn = fn;
	r->ready_arg = arg;
}

void
vrrp_router_started(struct vrrp_router *r)
{
	vrrp_router_ready_fn *fn = r->ready_fn;

	if (r->nwaiting > 0)
		r->nwaiting--;
	if (r->nwaiting == 0 && fn != NULL) {
		r->ready_fn = NULL;
		fn(r->ready_arg);
	}
}

void
vrrp_router_shutdown(struct vrrp_router *r)
{
	struct vrrp_inst *vi;

	/* each member stops on its own: no group to follow any more */
	vrrp_groups_stop(r);
	TAILQ_FOREACH (vi, &r->insts, entry)
		vrrp_inst_stop(vi);
	/* keepalived 2.2.7 removes its static entries at a stop too. */
	vrrp_statics_remove(r);
}

bool
vrrp_router_notifying(const struct vrrp_router *r)
{
	const struct vrrp_inst *vi;

	TAILQ_FOREACH (vi, &r->insts, entry)
		if (notify_busy(vi->notify))
			return true;
	return vrrp_groups_notifying(r);
}

const struct vrrp_router_stats *
vrrp_router_stats(struct vrrp_router *r)
{
	r->stats.kernel_filtered = vrrp_router_filtered(r) - r->filtered_base;
	return &r->stats;
}

void
vrrp_router_free(struct vrrp_router *r)
{
	struct vrrp_inst *vi;

	if (r == NULL)
		return;
	vrrp_groups_dissolve(r);
	while ((vi = TAILQ_FIRST(&r->insts)) != NULL) {
		TAILQ_REMOVE(&r->insts, vi, entry);
		vrrp_inst_free(vi);
	}
	tracker_pool_free(r->trackers);
	vrrp_timers_fini(r);
	ev_io_stop(r->loop, &r->nl_io);
	net_link_close(r->nl);
	free(r->gates);
	free(r->st_rl);
	free(r);
}

void
vrrp_inst_ann_close(struct vrrp_inst *vi)
{
	struct vrrp_ann *a = vi->ann;

	vi->ann = NULL;
	if (a == NULL || --a->refs > 0)
		return;
	TAILQ_REMOVE(&vi->r->anns, a, entry);
	net_ann_close(&a->s);
	free(a);
}

int
vrrp_inst_ann_open(struct vrrp_inst *vi, unsigned int ifindex)
{
	struct vrrp_router *r = vi->r;
	struct vrrp_ann *a;

	if (vi->ann != NULL && vi->ann->s.ifindex == ifindex)
		return 0;
	vrrp_inst_ann_close(vi);
	TAILQ_FOREACH (a, &r->anns, entry)
		if (a->s.ifindex == ifindex)
			break;
	if (a == NULL) {
		if ((a = calloc(1, sizeof(*a))) == NULL)
			return -1;
		if (net_ann_open(&a->s, ifindex) != 0) {
			free(a);
			return -1;
		}
		TAILQ_INSERT_TAIL(&r->anns, a, entry);
	}
	a->refs++;
	vi->ann = a;
	return 0;
}
