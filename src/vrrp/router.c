/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The set of running instances: one raw socket per (interface, family)
 * shared by its instances and demultiplexed by VRID, and the netlink
 * monitor whose link events reach the instances on that link.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "instance_priv.h"

static void sock_cb(struct ev_loop *loop, ev_io *w, int revents);

struct vrrp_sock *
vrrp_router_sock(struct vrrp_router *r, const char *ifname, sa_family_t af,
    const struct addr *group)
{
	struct vrrp_sock *s;

	TAILQ_FOREACH (s, &r->socks, entry)
		if (s->ns.af == af && strcmp(s->ns.ifname, ifname) == 0 &&
		    (group == NULL || addr_cmp(&s->ns.group, group) == 0)) {
			s->refs++;
			return s;
		}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (net_sock_open(&s->ns, af, ifname, group) != 0) {
		free(s);
		return NULL;
	}
	s->r = r;
	s->refs = 1;
	ev_io_init(&s->io, sock_cb, s->ns.fd, EV_READ);
	s->io.data = s;
	ev_io_start(r->loop, &s->io);
	TAILQ_INSERT_TAIL(&r->socks, s, entry);
	return s;
}

void
vrrp_router_sock_put(struct vrrp_router *r, struct vrrp_sock *s)
{
	if (--s->refs > 0)
		return;
	ev_io_stop(r->loop, &s->io);
	net_sock_close(&s->ns);
	TAILQ_REMOVE(&r->socks, s, entry);
	free(s);
}

/*
 * The instance an advert is for: same socket and VRID; with unicast, two
 * instances may share a VRID with disjoint peers, so the source decides.
 */
static struct vrrp_inst *
demux(struct vrrp_router *r, const struct vrrp_sock *s,
    const struct vrrp_advert *adv)
{
	struct vrrp_inst *vi, *any = NULL;

	TAILQ_FOREACH (vi, &r->insts, entry) {
		if (vi->sock != s || vi->ci->vrid != adv->vrid)
			continue;
		if (!vi->ci->unicast)
			return vi;
		for (size_t i = 0; i < vi->ci->npeers; i++)
			if (addr_cmp(&vi->ci->peers[i].addr, &adv->meta.src) ==
			    0)
				return vi;
		any = vi;
	}
	return any;
}

static void
rx_one(struct vrrp_router *r, struct vrrp_sock *s, size_t len,
    const struct vrrp_pkt_meta *meta)
{
	struct vrrp_advert adv;
	enum vrrp_pkt_err err;
	struct vrrp_inst *vi;
	char line[256];
	unsigned long more;

	err = vrrp_pkt_decode(r->rxbuf, len, meta, &adv);
	vi = demux(r, s, &adv);
	if (vi != NULL && err != VRRP_PKT_OK)
		vrrp_inst_rx_error(vi, err, &adv);
	else if (vi != NULL)
		vrrp_inst_rx(vi, &adv);
	else if (log_ratelimit_ok(&r->rl_unknown, vrrp_now_us() / 1000, &more))
		/* RFC 6527 vrrpv3RouterVrIdErrors, or a broken packet. */
		log_warnx("%s: advert for no instance here (%s): %s (%lu more "
			  "suppressed)",
		    s->ns.ifname,
		    err == VRRP_PKT_OK ? "VRID not configured" :
					 vrrp_pkt_strerror(err),
		    vrrp_pkt_format(&adv, line, sizeof(line)), more);
}

/* Drain the socket: a flood is read, not queued behind other work. */
static void
sock_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct vrrp_sock *s = w->data;
	struct vrrp_router *r = s->r;
	struct vrrp_pkt_meta meta;
	enum vrrp_pkt_err err;
	ssize_t n;

	(void)loop;
	(void)revents;
	for (int i = 0; i < 256; i++) {
		n = net_sock_recv(&s->ns, r->rxbuf, sizeof(r->rxbuf), &meta,
		    &err);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("%s: receive", s->ns.ifname);
			return;
		}
		if (n > 0)
			rx_one(r, s, (size_t)n, &meta);
	}
}

/*
 * Link events are rare and may concern a re-created interface (a new
 * ifindex): every instance rechecks. Address events (our own VIPs among
 * them) only matter to the instances on that link whose source address is
 * missing or is the one that changed. ifindex 0: events were lost.
 */
static void
link_event(void *arg, enum net_link_event ev, unsigned int ifindex,
    const struct addr *addr, uint8_t prefix)
{
	struct vrrp_router *r = arg;
	struct vrrp_inst *vi;

	(void)prefix;
	TAILQ_FOREACH (vi, &r->insts, entry) {
		if (ev == NET_LINK_EV_LINK || ifindex == 0 || addr == NULL ||
		    (vi->link.ifindex == ifindex &&
			(vi->src.af == AF_UNSPEC ||
			    addr_cmp(addr, &vi->src) == 0)))
			vrrp_inst_link_changed(vi);
	}
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
	TAILQ_INIT(&r->insts);
	r->rl_unknown.interval_ms = 10000;
	if ((r->nl = net_link_open(link_event, r)) == NULL) {
		free(r);
		return NULL;
	}
	ev_io_init(&r->nl_io, nl_cb, net_link_monitor_fd(r->nl), EV_READ);
	r->nl_io.data = r;
	ev_io_start(loop, &r->nl_io);
	return r;
}

int
vrrp_router_load(struct vrrp_router *r, const struct conf *conf)
{
	struct vrrp_inst *vi;

	r->conf = conf;
	for (size_t i = 0; i < conf->ninstances; i++) {
		if ((vi = vrrp_inst_new(r, &conf->instances[i])) == NULL) {
			log_warn("(%s) cannot create the instance",
			    conf->instances[i].name);
			return -1;
		}
		TAILQ_INSERT_TAIL(&r->insts, vi, entry);
		if (vrrp_inst_start(vi) != 0)
			return -1;
	}
	return 0;
}

void
vrrp_router_shutdown(struct vrrp_router *r)
{
	struct vrrp_inst *vi;

	TAILQ_FOREACH (vi, &r->insts, entry)
		vrrp_inst_stop(vi);
}

void
vrrp_router_free(struct vrrp_router *r)
{
	struct vrrp_inst *vi;

	if (r == NULL)
		return;
	while ((vi = TAILQ_FIRST(&r->insts)) != NULL) {
		TAILQ_REMOVE(&r->insts, vi, entry);
		vrrp_inst_free(vi);
	}
	ev_io_stop(r->loop, &r->nl_io);
	net_link_close(r->nl);
	free(r);
}
