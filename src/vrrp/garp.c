/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An instance's gratuitous ARPs and unsolicited neighbour advertisements:
 * bursts on becoming master (and a second one later), refreshes while
 * master, re-announcements when a lower priority is heard, all through one
 * queue that keeps keepalived's per-interface gap between messages.
 */

#include <stdio.h>

#include "instance_priv.h"

#define US_PER_S 1000000ULL

/* VIP i of the announced list: the VIPs, then the excluded ones. */
static const struct conf_vip *
ann_vip(const struct vrrp_inst *vi, size_t i)
{
	const struct conf_instance *ci = vi->ci;

	return i < ci->nvips ? &ci->vips[i] : &ci->vips_excluded[i - ci->nvips];
}

/*
 * One GARP or unsolicited NA for v, if it is on our own interface (an
 * address with another dev is announced by the kernel's ARP on that link).
 * Returns true when a message went out.
 */
static const struct conf_vip nodev; /* dev "": the instance's own */

static bool
announce_one(struct vrrp_inst *vi, const struct conf_vip *v)
{
	const uint8_t *mac = vi->ci->vmac.on ? vi->ci->vmac.mac : vi->link.mac;
	uint8_t frame[NET_ANN_UNA_LEN];
	int len;

	if (vrrp_inst_vip_ifindex(vi, v) != vrrp_inst_vip_ifindex(vi, &nodev) ||
	    (!vi->ci->vmac.on && !vi->link.has_mac))
		return false;
	if (v->addr.af == AF_INET)
		len = net_ann_build_garp(frame, sizeof(frame), mac,
		    &v->addr.u.v4);
	else
		len = net_ann_build_una(frame, sizeof(frame), mac,
		    &v->addr.u.v6, &v->addr.u.v6, vi->ann_router);
	if (len <= 0 || net_ann_send(&vi->ann->s, frame, (size_t)len) != 0)
		return false;
	if (v->addr.af == AF_INET)
		vi->stats.garp_sent++;
	else
		vi->stats.na_sent++;
	return true;
}

/*
 * Send the queued messages, one VIP after the other, as fast as the
 * interface's gap allows (keepalived vrrp_garp_interval for ARP,
 * vrrp_gna_interval for NA: the gap between two messages on one
 * interface, whichever instance sends them). A queue left by a master
 * that is no longer master is dropped.
 */
static void
ann_run(struct vrrp_inst *vi)
{
	const struct conf_garp *g = &vi->ci->garp;
	size_t n = vi->ci->nvips + vi->ci->nvips_excluded;
	const struct conf_vip *v;
	uint64_t *gate, now, gap_us;

	ev_timer_stop(vi->r->loop, &vi->ann_timer);
	while (vi->ann_left > 0) {
		if (vi->fsm.state != VRRP_STATE_MASTER || vi->ann == NULL ||
		    n == 0) {
			vi->ann_left = 0;
			return;
		}
		v = ann_vip(vi, vi->ann_next % n);
		gap_us = (v->addr.af == AF_INET ? g->interval_ms :
						  g->na_interval_ms) *
		    1000ULL;
		gate = vrrp_router_ann_gate(vi->r,
		    vrrp_inst_vip_ifindex(vi, &nodev));
		now = util_now_us();
		if (gap_us > 0 && gate != NULL && *gate > now) {
			ev_timer_set(&vi->ann_timer,
			    (double)(*gate - now) / US_PER_S, 0.0);
			ev_timer_start(vi->r->loop, &vi->ann_timer);
			return;
		}
		vi->ann_next++;
		vi->ann_left--;
		if (announce_one(vi, v) && gap_us > 0 && gate != NULL)
			*gate = now + gap_us;
	}
}

static void
ann_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	ann_run(w->data);
}

/*
 * The NA Router flag: set when the interface forwards IPv6, as keepalived
 * does (RFC 5798 §6.4.2 sets it always, but a load balancer that does not
 * forward is no router, and a host clears IsRouter only on a change).
 */
static bool
forwards_ipv6(const char *ifname)
{
	char path[96], c = '0';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding",
	    ifname);
	if ((f = fopen(path, "re")) == NULL)
		return false;
	if (fread(&c, 1, 1, f) != 1)
		c = '0';
	fclose(f);
	return c == '1';
}

/* repeat messages for every VIP, queued behind any still pending. */
static void
announce_burst(struct vrrp_inst *vi, uint32_t repeat)
{
	size_t n = vi->ci->nvips + vi->ci->nvips_excluded;

	if (vi->ann_left == 0)
		vi->ann_next = 0;
	if (vi->ci->family == AF_INET6 || vi->ci->nvips_excluded > 0)
		vi->ann_router = forwards_ipv6(vi->ci->interface);
	vi->ann_left += repeat * (uint32_t)n;
	log_debug_inst(DBG_NET, vi->ci->name,
	    "net: announce %u x %zu addresses on %s (%u queued)", repeat, n,
	    vi->ci->interface, vi->ann_left);
	ann_run(vi);
}

/* keepalived garp_master_delay: the second burst, if still master. */
static void
garp_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct vrrp_inst *vi = w->data;

	(void)loop;
	(void)revents;
	if (vi->fsm.state == VRRP_STATE_MASTER)
		announce_burst(vi, vi->last_burst_repeat);
}

/* keepalived garp_master_refresh: a burst every refresh while master. */
static void
refresh_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct vrrp_inst *vi = w->data;

	(void)revents;
	if (vi->fsm.state != VRRP_STATE_MASTER) {
		ev_timer_stop(loop, w);
		return;
	}
	announce_burst(vi, vi->ci->garp.master_refresh_repeat);
}

/*
 * A master hearing a lower priority re-announces (split brain healed), at
 * most once per second: a backlog of lower adverts (a peer that was
 * frozen, a flapping link) gets one burst, not one per advert.
 */
#define REASSERT_MIN_US 1000000ULL

void
vrrp_inst_announce(struct vrrp_inst *vi, enum vrrp_announce why)
{
	const struct conf_garp *g = &vi->ci->garp;
	bool become = why == VRRP_ANN_BECOME_MASTER;
	uint64_t now = util_now_us();
	uint32_t delay_ms;

	vrrp_tx_flush(vi->r); /* a queued advert goes before them */
	if (vi->ann == NULL)
		return;
	/* A new master's own burst counts: the yielder's last advert
	 * (higher_prio_send_advert) must not double it. */
	if (!become && vi->reassert_us != 0 &&
	    now - vi->reassert_us < REASSERT_MIN_US)
		return;
	vi->reassert_us = now;
	vi->last_burst_repeat =
	    become ? g->master_repeat : g->lower_prio_repeat;
	announce_burst(vi, vi->last_burst_repeat);
	delay_ms = become ? g->master_delay_ms : g->lower_prio_delay_ms;
	ev_timer_stop(vi->r->loop, &vi->garp_timer);
	if (delay_ms > 0) {
		ev_timer_set(&vi->garp_timer, delay_ms / 1000.0, 0.0);
		ev_timer_start(vi->r->loop, &vi->garp_timer);
	}
	if (become && g->master_refresh_ms > 0) {
		vi->refresh_timer.repeat = g->master_refresh_ms / 1000.0;
		ev_timer_again(vi->r->loop, &vi->refresh_timer);
	}
}

void
vrrp_inst_announce_init(struct vrrp_inst *vi)
{
	ev_timer_init(&vi->garp_timer, garp_cb, 0.0, 0.0);
	vi->garp_timer.data = vi;
	ev_timer_init(&vi->ann_timer, ann_cb, 0.0, 0.0);
	vi->ann_timer.data = vi;
	ev_init(&vi->refresh_timer, refresh_cb);
	vi->refresh_timer.data = vi;
}
