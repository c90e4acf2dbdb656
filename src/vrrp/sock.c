/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VRRP sockets: one raw socket per (interface, family, group,
 * protocol) shared by the instances on it, drained on every wakeup, each
 * datagram decoded and handed to the instance its VRID (and, with unicast,
 * its source) names. Drops no instance takes are counted on the router.
 * Instances with auth_type AH share a protocol 51 socket: an advert sent
 * as plain protocol 112 never reaches them, and theirs are verified by
 * the instance before they count.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "instance_priv.h"

static void sock_cb(struct ev_loop *loop, ev_io *w, int revents);
static void sock_count(struct vrrp_sock *s);

/* A VRRP socket's receive buffer: per instance on it, and at least. */
#define SOCK_RCVBUF_PER_INST (4u << 10)
#define SOCK_RCVBUF_MIN	     (256u << 10)

/*
 * (Re)open s on its interface. A missing interface is not an error: the
 * socket stays closed until netlink reports the interface.
 */
static int
sock_open(struct vrrp_router *r, struct vrrp_sock *s)
{
	struct net_sock ns;

	if (net_sock_open_proto(&ns, s->af, s->ifname,
		s->group.af != AF_UNSPEC ? &s->group : NULL, s->proto) != 0)
		return errno == ENODEV || errno == ENXIO ? 0 : -1;
	if (s->ns.fd >= 0) {
		ev_io_stop(r->loop, &s->io);
		net_sock_close(&s->ns);
	}
	s->ns = ns;
	ev_io_set(&s->io, s->ns.fd, EV_READ);
	ev_io_start(r->loop, &s->io);
	/* the counter is bound to the old index: what it counted stays */
	sock_count(s);
	net_pkt_counter_close(&s->cnt);
	vrrp_router_sock_filter(r, s);
	return 0;
}

/*
 * What s may receive: the versions and VRIDs of the instances on it, and
 * of those of the other protocol on its interface (an advert on the
 * wrong one is their auth type mismatch, counted and logged by them).
 */
static size_t
sock_spec(const struct vrrp_router *r, const struct vrrp_sock *s,
    struct net_bpf_spec *spec)
{
	const struct vrrp_inst *vi;
	size_t n = 0;

	memset(spec, 0, sizeof(*spec));
	spec->af = s->af;
	spec->proto = s->proto;
	spec->ttl255 = s->group.af != AF_UNSPEC;
	spec->group = s->group;
	TAILQ_FOREACH (vi, &r->insts, entry) {
		if (vi->sock == NULL || vi->sock->af != s->af ||
		    strcmp(vi->sock->ifname, s->ifname) != 0)
			continue;
		spec->versions |= (uint8_t)(1u << vi->ci->version);
		net_bpf_vrid_set(spec, vi->ci->vrid);
		n++;
	}
	return n;
}

/* The counter's packets so far into s->filtered. */
static void
sock_count(struct vrrp_sock *s)
{
	s->filtered += net_pkt_counter_take(&s->cnt);
}

/* s->by_vrid from the router's instances on s (O(instances)). */
static void
sock_index(const struct vrrp_router *r, struct vrrp_sock *s)
{
	struct vrrp_inst *vi, *tail[256] = { NULL };

	memset(s->by_vrid, 0, sizeof(s->by_vrid));
	TAILQ_FOREACH (vi, &r->insts, entry) {
		if (vi->sock != s)
			continue;
		vi->sock_next = NULL;
		if (tail[vi->ci->vrid] == NULL)
			s->by_vrid[vi->ci->vrid] = vi;
		else
			tail[vi->ci->vrid]->sock_next = vi;
		tail[vi->ci->vrid] = vi;
	}
}

void
vrrp_router_sock_filter(struct vrrp_router *r, struct vrrp_sock *s)
{
	struct sock_filter f[NET_BPF_MAX], c[NET_BPF_MAX];
	struct net_bpf_spec spec;
	unsigned long more;
	size_t ninst;
	int n, m;

	sock_index(r, s);
	if (s->ns.fd < 0)
		return;
	ninst = sock_spec(r, s, &spec);
	/*
	 * Room for a burst of one advert from each instance here (a peer
	 * that starts or takes over them all at once, a batch of due
	 * adverts), at a few kB of kernel memory each (a clone's truesize),
	 * so that a backup drops none of them: with the default (208 kB) a
	 * burst of 255 lost some, and the backup took over.
	 */
	if (net_sock_set_rcvbuf(&s->ns,
		ninst * SOCK_RCVBUF_PER_INST > SOCK_RCVBUF_MIN ?
		    ninst * SOCK_RCVBUF_PER_INST :
		    SOCK_RCVBUF_MIN) != 0 &&
	    log_ratelimit_ok(&s->rl_filter, util_now_us() / 1000, &more))
		log_warn("%s: cannot size the VRRP socket's receive buffer "
			 "(%lu more suppressed)",
		    s->ifname, more);
	n = net_bpf_build(&spec, f, NET_BPF_MAX);
	m = net_bpf_build_counter(&spec, c, NET_BPF_MAX);
	if (n > 0 && net_sock_set_filter(&s->ns, f, (size_t)n) == 0) {
		sock_count(s);
		if (s->cnt.fd >= 0 ?
			net_pkt_counter_set(&s->cnt, c, (size_t)m) == 0 :
			net_pkt_counter_open(&s->cnt, s->ns.ifindex, s->af, c,
			    (size_t)m) == 0)
			return;
		net_pkt_counter_close(&s->cnt);
		if (log_ratelimit_ok(&s->rl_filter, util_now_us() / 1000,
			&more))
			log_warn("%s: cannot count the packets the in-kernel "
				 "filter drops (%lu more suppressed)",
			    s->ifname, more);
		return;
	}
	/* without a filter every packet reaches the checks in user space */
	(void)net_sock_set_filter(&s->ns, NULL, 0);
	if (log_ratelimit_ok(&s->rl_filter, util_now_us() / 1000, &more))
		log_warn("%s: no in-kernel filter on the VRRP socket; the "
			 "checks run in user space (%lu more suppressed)",
		    s->ifname, more);
}

uint64_t
vrrp_router_filtered(struct vrrp_router *r)
{
	struct vrrp_sock *s;
	uint64_t n = r->filtered_gone;

	TAILQ_FOREACH (s, &r->socks, entry) {
		sock_count(s);
		n += s->filtered;
	}
	return n;
}

struct vrrp_sock *
vrrp_router_sock(struct vrrp_router *r, const char *ifname, sa_family_t af,
    const struct addr *group, int proto)
{
	struct vrrp_sock *s;

	TAILQ_FOREACH (s, &r->socks, entry)
		if (s->af == af && s->proto == proto &&
		    strcmp(s->ifname, ifname) == 0 &&
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
	s->proto = proto;
	strcpy(s->ifname, ifname);
	s->group.af = AF_UNSPEC;
	if (group != NULL)
		s->group = *group;
	s->ns.fd = -1;
	s->cnt.fd = -1;
	s->rl_filter.interval_ms = 60000;
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
	if (--s->refs > 0) {
		vrrp_router_sock_filter(r, s); /* one instance less */
		return;
	}
	sock_count(s);
	r->filtered_gone += s->filtered;
	net_pkt_counter_close(&s->cnt);
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
demux(const struct vrrp_sock *s, const struct vrrp_advert *adv)
{
	struct vrrp_inst *vi, *any = NULL;

	for (vi = s->by_vrid[adv->vrid]; vi != NULL; vi = vi->sock_next) {
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

/*
 * keepalived: "No AH header but auth type is AH", and the reverse: an
 * advert on one protocol for a VRID whose instance on this interface
 * listens on the other is an auth type mismatch for that instance.
 */
static struct vrrp_inst *
demux_other(struct vrrp_router *r, const struct vrrp_sock *s,
    const struct vrrp_advert *adv)
{
	struct vrrp_inst *vi;

	TAILQ_FOREACH (vi, &r->insts, entry)
		if (vi->sock != NULL && vi->sock->proto != s->proto &&
		    vi->sock->af == s->af && vi->ci->vrid == adv->vrid &&
		    strcmp(vi->sock->ifname, s->ifname) == 0)
			return vi;
	return NULL;
}

/* An advert no instance takes: counted on the router, logged. */
static void
rx_unknown(struct vrrp_router *r, const struct vrrp_sock *s,
    enum vrrp_pkt_err err, const struct vrrp_advert *adv)
{
	enum vrrp_pkt_ctr ctr;
	char line[256];
	unsigned long more;

	/* RFC 6527 vrrpv3RouterVrIdErrors, or a broken packet. */
	ctr = err == VRRP_PKT_OK ? VRRP_CTR_VRID_ERRORS : vrrp_pkt_counter(err);
	r->stats.rx_errors[ctr]++;
	if (log_debug_on(DBG_PKT, NULL))
		log_debug(DBG_PKT, "%s: pkt: dropped for no instance (%s) %s",
		    s->ifname,
		    err == VRRP_PKT_OK ? "VRID not configured" :
					 vrrp_pkt_strerror(err),
		    vrrp_pkt_format(adv, line, sizeof(line)));
	if (!log_ratelimit_ok(&r->rl_unknown, util_now_us() / 1000, &more))
		return;
	log_warnx("%s: advert for no instance here (%s): %s (%lu more "
		  "suppressed)",
	    s->ifname,
	    err == VRRP_PKT_OK ? "VRID not configured" : vrrp_pkt_strerror(err),
	    vrrp_pkt_format(adv, line, sizeof(line)), more);
}

/*
 * The instance a decoded advert (err: the decoder's verdict) is for, when
 * it is valid; otherwise it is counted and logged where it belongs (the
 * instance, its other-protocol twin, or the router) and NULL returned.
 */
static struct vrrp_inst *
rx_instance(struct vrrp_router *r, const struct vrrp_sock *s,
    enum vrrp_pkt_err err, const struct vrrp_advert *adv)
{
	struct vrrp_inst *vi;

	if ((vi = demux(s, adv)) == NULL && err == VRRP_PKT_OK &&
	    (vi = demux_other(r, s, adv)) != NULL)
		vrrp_inst_rx_error(vi, VRRP_PKT_AUTH_MISMATCH, adv);
	else if (vi == NULL)
		rx_unknown(r, s, err, adv);
	else if (err != VRRP_PKT_OK)
		vrrp_inst_rx_error(vi, err, adv);
	else
		return vi;
	return NULL;
}

static void
rx_one(struct vrrp_router *r, struct vrrp_sock *s, const uint8_t *buf,
    size_t len, const struct vrrp_pkt_meta *meta)
{
	struct vrrp_advert adv;
	enum vrrp_pkt_err err;
	struct vrrp_inst *vi;

	err = vrrp_pkt_decode(buf, len, meta, &adv);
	if ((vi = rx_instance(r, s, err, &adv)) != NULL)
		vrrp_inst_rx(vi, &adv);
}

/*
 * An AH datagram: the VRRP message inside names the instance, whose key
 * authenticates the whole (nothing in it is trusted before that).
 * keepalived ignores AH for other protocols (IPsec traffic of others).
 */
static void
rx_ah(struct vrrp_router *r, struct vrrp_sock *s, const uint8_t *buf,
    size_t len, const struct vrrp_pkt_meta *rmeta)
{
	struct vrrp_pkt_meta meta = *rmeta;
	struct vrrp_advert adv;
	struct vrrp_ah_hdr ah;
	enum vrrp_ah_err aerr;
	enum vrrp_pkt_err err;
	struct vrrp_inst *vi;
	const uint8_t *msg;
	unsigned long more;
	size_t mlen;

	aerr = vrrp_ah_parse(buf, len, &meta, &ah, &msg, &mlen);
	if (aerr != VRRP_AH_OK) {
		r->stats.rx_errors[vrrp_ah_counter(aerr)]++;
		log_debug(DBG_PKT, "%s: pkt: AH datagram dropped (%s)",
		    s->ifname, vrrp_ah_strerror(aerr));
		if (aerr != VRRP_AH_NOT_VRRP &&
		    log_ratelimit_ok(&r->rl_broken, util_now_us() / 1000,
			&more))
			log_warnx("%s: AH datagram dropped: %s (%lu more "
				  "suppressed)",
			    s->ifname, vrrp_ah_strerror(aerr), more);
		return;
	}
	err = vrrp_pkt_decode(msg, mlen, &meta, &adv);
	if ((vi = rx_instance(r, s, err, &adv)) != NULL)
		vrrp_inst_rx_ah(vi, buf, len, &ah, &adv);
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

/*
 * Drain the socket, NET_SOCK_RECV_MAX datagrams a system call: a flood is
 * read (at most 256 a wake-up), not queued behind other work.
 */
static void
sock_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct vrrp_sock *s = w->data;
	struct vrrp_router *r = s->r;
	struct net_rx rx[NET_SOCK_RECV_MAX];
	int n;

	(void)loop;
	(void)revents;
	for (size_t i = 0; i < NET_SOCK_RECV_MAX; i++) {
		rx[i].buf = r->rxbuf[i];
		rx[i].size = sizeof(r->rxbuf[i]);
	}
	for (int round = 0; round < 256 / NET_SOCK_RECV_MAX; round++) {
		n = net_sock_recv_many(&s->ns, rx, NET_SOCK_RECV_MAX);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("%s: receive", s->ifname);
			return;
		}
		for (int i = 0; i < n; i++) {
			size_t len = (size_t)rx[i].len;

			if (len > 0 && s->proto == VRRP_AH_PROTO)
				rx_ah(r, s, rx[i].buf, len, &rx[i].meta);
			else if (len > 0)
				rx_one(r, s, rx[i].buf, len, &rx[i].meta);
			else
				rx_broken(r, s, rx[i].err);
		}
		if (n < NET_SOCK_RECV_MAX)
			return;
	}
}
