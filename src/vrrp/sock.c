/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VRRP sockets: one raw socket per (interface, family, group) shared
 * by the instances on it, drained on every wakeup, each datagram decoded
 * and handed to the instance its VRID (and, with unicast, its source)
 * names. Drops no instance takes are counted on the router.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "instance_priv.h"

static void sock_cb(struct ev_loop *loop, ev_io *w, int revents);

/*
 * (Re)open s on its interface. A missing interface is not an error: the
 * socket stays closed until netlink reports the interface.
 */
static int
sock_open(struct vrrp_router *r, struct vrrp_sock *s)
{
	struct net_sock ns;

	if (net_sock_open(&ns, s->af, s->ifname,
		s->group.af != AF_UNSPEC ? &s->group : NULL) != 0)
		return errno == ENODEV || errno == ENXIO ? 0 : -1;
	if (s->ns.fd >= 0) {
		ev_io_stop(r->loop, &s->io);
		net_sock_close(&s->ns);
	}
	s->ns = ns;
	ev_io_set(&s->io, s->ns.fd, EV_READ);
	ev_io_start(r->loop, &s->io);
	return 0;
}

struct vrrp_sock *
vrrp_router_sock(struct vrrp_router *r, const char *ifname, sa_family_t af,
    const struct addr *group)
{
	struct vrrp_sock *s;

	TAILQ_FOREACH (s, &r->socks, entry)
		if (s->af == af && strcmp(s->ifname, ifname) == 0 &&
		    (group == NULL ? s->group.af == AF_UNSPEC :
				     addr_cmp(&s->group, group) == 0)) {
			s->refs++;
			return s;
		}
	if (strlen(ifname) >= sizeof(s->ifname)) {
		errno = ENODEV;
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->r = r;
	s->refs = 1;
	s->af = af;
	strcpy(s->ifname, ifname);
	s->group.af = AF_UNSPEC;
	if (group != NULL)
		s->group = *group;
	s->ns.fd = -1;
	ev_init(&s->io, sock_cb);
	s->io.data = s;
	ev_set_priority(&s->io, EV_MAXPRI); /* adverts before checks */
	if (sock_open(r, s) != 0) {
		free(s);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&r->socks, s, entry);
	return s;
}

/*
 * The interface appeared, or was deleted and created again: a socket
 * bound to the old one hears nothing, so it is opened again.
 */
void
vrrp_router_sock_refresh(struct vrrp_router *r, struct vrrp_sock *s,
    unsigned int ifindex)
{
	if (ifindex == 0 || (s->ns.fd >= 0 && ifindex == s->ns.ifindex))
		return;
	if (sock_open(r, s) != 0)
		log_warn("%s: cannot open the VRRP socket", s->ifname);
	else if (s->ns.fd >= 0)
		log_info("%s: VRRP socket open on interface index %u",
		    s->ifname, s->ns.ifindex);
}

void
vrrp_router_sock_put(struct vrrp_router *r, struct vrrp_sock *s)
{
	if (--s->refs > 0)
		return;
	if (s->ns.fd >= 0) {
		ev_io_stop(r->loop, &s->io);
		net_sock_close(&s->ns);
	}
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
	enum vrrp_pkt_ctr ctr;
	struct vrrp_inst *vi;
	char line[256];
	unsigned long more;

	err = vrrp_pkt_decode(r->rxbuf, len, meta, &adv);
	if ((vi = demux(r, s, &adv)) != NULL) {
		if (err != VRRP_PKT_OK)
			vrrp_inst_rx_error(vi, err, &adv);
		else
			vrrp_inst_rx(vi, &adv);
		return;
	}
	/* RFC 6527 vrrpv3RouterVrIdErrors, or a broken packet. */
	ctr = err == VRRP_PKT_OK ? VRRP_CTR_VRID_ERRORS : vrrp_pkt_counter(err);
	r->stats.rx_errors[ctr]++;
	if (log_debug_on(DBG_PKT, NULL))
		log_debug(DBG_PKT, "%s: pkt: dropped for no instance (%s) %s",
		    s->ifname,
		    err == VRRP_PKT_OK ? "VRID not configured" :
					 vrrp_pkt_strerror(err),
		    vrrp_pkt_format(&adv, line, sizeof(line)));
	if (!log_ratelimit_ok(&r->rl_unknown, util_now_us() / 1000, &more))
		return;
	log_warnx("%s: advert for no instance here (%s): %s (%lu more "
		  "suppressed)",
	    s->ifname,
	    err == VRRP_PKT_OK ? "VRID not configured" : vrrp_pkt_strerror(err),
	    vrrp_pkt_format(&adv, line, sizeof(line)), more);
}

/* A datagram that is no VRRP message at all (short IP header, ...). */
static void
rx_broken(struct vrrp_router *r, const struct vrrp_sock *s,
    enum vrrp_pkt_err err)
{
	unsigned long more;

	r->stats.rx_errors[vrrp_pkt_counter(err)]++;
	log_debug(DBG_PKT, "%s: pkt: datagram dropped (%s)", s->ifname,
	    vrrp_pkt_strerror(err));
	if (log_ratelimit_ok(&r->rl_broken, util_now_us() / 1000, &more))
		log_warnx("%s: datagram dropped: %s (%lu more suppressed)",
		    s->ifname, vrrp_pkt_strerror(err), more);
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
				log_warn("%s: receive", s->ifname);
			return;
		}
		if (n > 0)
			rx_one(r, s, (size_t)n, &meta);
		else
			rx_broken(r, s, err);
	}
}
