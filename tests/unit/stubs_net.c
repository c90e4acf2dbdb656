/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Stubs of net/socket, net/netlink and net/announce for the glue tests
 * (see stubs.h): every function those modules export, so the linker never
 * pulls the real objects out of libvrrpd.a. A VRRP socket is an eventfd
 * with a queue of datagrams; the netlink handle keeps the callback it was
 * given; a packet socket is /dev/null. Nothing needs privileges.
 */

#include <sys/eventfd.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/net_announce.h"
#include "vrrpd/net_netlink.h"
#include "vrrpd/net_socket.h"
#include "vrrpd/vrrp_ah.h"

#include "stubs.h"

#define MAX_IFACES 16
#define MAX_SOCKS  64

struct stub_net_log stub_net;

/* A datagram queued for net_sock_recv(). */
struct dgram {
	struct dgram *next;
	struct vrrp_pkt_meta meta;
	size_t len;
	uint8_t buf[VRRP_PKT_MAX_LEN];
};

/* An open VRRP socket: its eventfd is readable while dgrams wait. */
struct ssock {
	bool used;
	int fd;
	sa_family_t af;
	int proto; /* VRRP_IPPROTO or VRRP_AH_PROTO */
	char ifname[16];
	struct dgram *head;
};

struct net_link {
	net_link_event_fn *fn;
	void *arg;
	int fd; /* the monitor: an eventfd nothing writes */
};

/* An address the glue's adds and removes left on an interface. */
struct present {
	unsigned int ifindex;
	struct addr addr;
};

static struct stub_iface ifaces[MAX_IFACES];
static size_t nifaces;
static struct ssock socks[MAX_SOCKS];
static struct net_link *the_nl;
static struct present *present;
static size_t npresent;

static void *
grow(void *p, size_t n, size_t size)
{
	if ((p = realloc(p, n * size)) == NULL)
		abort();
	return p;
}

/* A new zeroed element at the end of arr (n elements): its address. */
#define PUSH(arr, n)                                   \
	((arr) = grow((arr), (n) + 1, sizeof(*(arr))), \
	    memset(&(arr)[(n)], 0, sizeof(*(arr))), &(arr)[(n)++])

static void
drop_queue(struct ssock *s)
{
	struct dgram *d;

	while ((d = s->head) != NULL) {
		s->head = d->next;
		free(d);
	}
}

void
stub_net_reset(void)
{
	for (size_t i = 0; i < MAX_SOCKS; i++)
		if (socks[i].used) {
			drop_queue(&socks[i]);
			close(socks[i].fd);
		}
	memset(socks, 0, sizeof(socks));
	free(stub_net.adverts);
	free(stub_net.vips);
	free(stub_net.frames);
	free(stub_net.rts);
	memset(&stub_net, 0, sizeof(stub_net));
	memset(ifaces, 0, sizeof(ifaces));
	nifaces = 0;
	free(present);
	present = NULL;
	npresent = 0;
	the_nl = NULL;
}

struct stub_iface *
stub_iface(const char *name)
{
	for (size_t i = 0; i < nifaces; i++)
		if (strcmp(ifaces[i].name, name) == 0)
			return &ifaces[i];
	return NULL;
}

void
stub_iface_set(const struct stub_iface *ifc)
{
	struct stub_iface *old = stub_iface(ifc->name);

	if (old == NULL) {
		if (nifaces == MAX_IFACES)
			abort();
		old = &ifaces[nifaces++];
	}
	*old = *ifc;
}

void
stub_link_event(const struct net_link_ev *ev)
{
	if (the_nl != NULL && the_nl->fn != NULL)
		the_nl->fn(the_nl->arg, ev);
}

void
stub_link_set_up(const char *name, bool up)
{
	struct stub_iface *ifc = stub_iface(name);
	struct net_link_ev ev = { .kind = NET_LINK_EV_LINK };

	if (ifc == NULL)
		abort();
	ifc->up = up;
	ev.ifindex = ifc->ifindex;
	ev.ifname = ifc->name;
	ev.up = up;
	stub_link_event(&ev);
}

static struct ssock *
sock_by_fd(int fd)
{
	for (size_t i = 0; i < MAX_SOCKS; i++)
		if (socks[i].used && socks[i].fd == fd)
			return &socks[i];
	return NULL;
}

static bool
rx_queue(const char *ifname, sa_family_t af, int proto, const uint8_t *msg,
    size_t len, const struct vrrp_pkt_meta *meta)
{
	struct ssock *s = NULL;
	struct dgram *d, **tail;
	uint64_t one = 1;

	for (size_t i = 0; i < MAX_SOCKS && s == NULL; i++)
		if (socks[i].used && socks[i].af == af &&
		    socks[i].proto == proto &&
		    strcmp(socks[i].ifname, ifname) == 0)
			s = &socks[i];
	if (s == NULL || len > sizeof(d->buf))
		return false;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		abort();
	memcpy(d->buf, msg, len);
	d->len = len;
	d->meta = *meta;
	for (tail = &s->head; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = d;
	return write(s->fd, &one, sizeof(one)) == sizeof(one);
}

bool
stub_rx(const char *ifname, sa_family_t af, const uint8_t *msg, size_t len,
    const struct vrrp_pkt_meta *meta)
{
	return rx_queue(ifname, af, VRRP_IPPROTO, msg, len, meta);
}

bool
stub_rx_ah(const char *ifname, const uint8_t *dgram, size_t len)
{
	struct stub_iface *ifc = stub_iface(ifname);
	struct vrrp_pkt_meta meta;

	memset(&meta, 0, sizeof(meta));
	meta.ifindex = ifc != NULL ? ifc->ifindex : 0;
	return rx_queue(ifname, AF_INET, VRRP_AH_PROTO, dgram, len, &meta);
}

bool
stub_rx_advert(const char *ifname, const struct vrrp_pkt_tx *tx)
{
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct stub_iface *ifc = stub_iface(ifname);
	struct vrrp_pkt_meta meta = { .src = tx->src,
		.dst = tx->dst,
		.ttl = VRRP_TTL,
		.ifindex = ifc != NULL ? ifc->ifindex : 0 };
	int len = vrrp_pkt_encode(tx, buf, sizeof(buf));

	return len > 0 && stub_rx(ifname, tx->src.af, buf, (size_t)len, &meta);
}

bool
stub_addr_present(unsigned int ifindex, const struct addr *addr)
{
	for (size_t i = 0; i < npresent; i++)
		if (present[i].ifindex == ifindex &&
		    addr_cmp(&present[i].addr, addr) == 0)
			return true;
	return false;
}

/* ---- net/socket ---- */

int
net_sock_open(struct net_sock *s, sa_family_t af, const char *ifname,
    const struct addr *group)
{
	return net_sock_open_proto(s, af, ifname, group, VRRP_IPPROTO);
}

int
net_sock_open_proto(struct net_sock *s, sa_family_t af, const char *ifname,
    const struct addr *group, int proto)
{
	struct stub_iface *ifc = stub_iface(ifname);
	struct ssock *ss = NULL;

	if (ifc == NULL) {
		errno = ENODEV;
		return -1;
	}
	for (size_t i = 0; i < MAX_SOCKS && ss == NULL; i++)
		if (!socks[i].used)
			ss = &socks[i];
	if (ss == NULL) {
		errno = EMFILE;
		return -1;
	}
	memset(s, 0, sizeof(*s));
	if ((s->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		return -1;
	s->af = af;
	s->proto = proto;
	s->ifindex = ifc->ifindex;
	strncpy(s->ifname, ifname, sizeof(s->ifname) - 1);
	s->group.af = AF_UNSPEC;
	if (group != NULL)
		s->group = *group;
	memset(ss, 0, sizeof(*ss));
	ss->used = true;
	ss->fd = s->fd;
	ss->af = af;
	ss->proto = proto;
	strncpy(ss->ifname, ifname, sizeof(ss->ifname) - 1);
	stub_net.sock_opens++;
	stub_net.socks_open++;
	return 0;
}

void
net_sock_close(struct net_sock *s)
{
	struct ssock *ss = sock_by_fd(s->fd);

	if (ss == NULL)
		return;
	drop_queue(ss);
	close(ss->fd);
	ss->used = false;
	s->fd = -1;
	stub_net.socks_open--;
}

int
net_sock_send(struct net_sock *s, const struct addr *src,
    const struct addr *dst, uint8_t ttl, const uint8_t *msg, size_t len)
{
	struct stub_advert *a = PUSH(stub_net.adverts, stub_net.nadverts);
	struct vrrp_pkt_meta meta = { .ttl = ttl, .ifindex = s->ifindex };
	struct vrrp_advert adv;

	meta.src.af = AF_UNSPEC;
	if (src != NULL)
		meta.src = *src;
	meta.dst = *dst;
	a->at_us = util_now_us();
	memcpy(a->ifname, s->ifname, sizeof(a->ifname));
	a->src = meta.src;
	a->dst = meta.dst;
	a->ttl = ttl;
	memset(&adv, 0, sizeof(adv));
	a->err = vrrp_pkt_decode(msg, len, &meta, &adv);
	a->version = adv.version;
	a->vrid = adv.vrid;
	a->priority = adv.priority;
	a->adver_int_cs = adv.adver_int_cs;
	a->naddr = adv.naddr;
	for (size_t i = 0;
	     a->err == VRRP_PKT_OK && i < adv.naddr && i < STUB_ADVERT_ADDRS;
	     i++)
		vrrp_pkt_addr_at(&adv, i, &a->addrs[i]);
	return 0;
}

/* An AH datagram (auth_type AH): recorded as the advert inside it. */
int
net_sock_send_dgram(struct net_sock *s, const struct addr *dst,
    const uint8_t *dgram, size_t len)
{
	struct vrrp_pkt_meta meta;
	struct vrrp_ah_hdr ah;
	const uint8_t *msg;
	size_t mlen;

	if (s->proto != VRRP_AH_PROTO) {
		errno = EPROTOTYPE;
		return -1;
	}
	if (vrrp_ah_parse(dgram, len, &meta, &ah, &msg, &mlen) != VRRP_AH_OK)
		abort();
	return net_sock_send(s, &meta.src, dst, meta.ttl, msg, mlen);
}

ssize_t
net_sock_recv(struct net_sock *s, uint8_t *buf, size_t size,
    struct vrrp_pkt_meta *meta, enum vrrp_pkt_err *err)
{
	struct ssock *ss = sock_by_fd(s->fd);
	struct dgram *d;
	uint64_t v;
	size_t n;

	*err = VRRP_PKT_OK;
	if (ss == NULL) {
		errno = EBADF;
		return -1;
	}
	if ((d = ss->head) == NULL) {
		/* Drained: the fd is no longer readable. */
		(void)read(ss->fd, &v, sizeof(v));
		errno = EAGAIN;
		return -1;
	}
	ss->head = d->next;
	n = d->len < size ? d->len : size;
	memcpy(buf, d->buf, n);
	*meta = d->meta;
	free(d);
	return (ssize_t)n;
}

/* ---- net/netlink ---- */

struct net_link *
net_link_open(net_link_event_fn *fn, void *arg)
{
	struct net_link *nl;

	if (the_nl != NULL) {
		errno = EBUSY;
		return NULL;
	}
	if ((nl = calloc(1, sizeof(*nl))) == NULL)
		return NULL;
	if ((nl->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		free(nl);
		return NULL;
	}
	nl->fn = fn;
	nl->arg = arg;
	the_nl = nl;
	stub_net.link_open = true;
	return nl;
}

void
net_link_close(struct net_link *nl)
{
	if (nl == NULL)
		return;
	close(nl->fd);
	if (nl == the_nl) {
		the_nl = NULL;
		stub_net.link_open = false;
	}
	free(nl);
}

uint32_t
net_link_portid(const struct net_link *nl)
{
	(void)nl;
	return STUB_PORTID;
}

int
net_link_monitor_fd(const struct net_link *nl)
{
	return nl->fd;
}

void
net_link_monitor_read(struct net_link *nl)
{
	uint64_t v;

	(void)read(nl->fd, &v, sizeof(v));
}

int
net_link_info(struct net_link *nl, const char *ifname,
    struct net_link_info *info)
{
	struct stub_iface *ifc = stub_iface(ifname);
	static const uint8_t zero[6];

	(void)nl;
	stub_net.link_info_calls++;
	if (ifc == NULL) {
		errno = ENODEV;
		return -1;
	}
	ifc->info_calls++;
	memset(info, 0, sizeof(*info));
	info->ifindex = ifc->ifindex;
	info->up = ifc->up;
	memcpy(info->mac, ifc->mac, sizeof(info->mac));
	info->has_mac = memcmp(ifc->mac, zero, sizeof(zero)) != 0;
	info->primary4 = ifc->primary4;
	info->linklocal6 = ifc->linklocal6;
	return 0;
}

static void
vip_record(bool add, unsigned int ifindex, const struct conf_vip *vip)
{
	struct stub_vip *v = PUSH(stub_net.vips, stub_net.nvips);

	v->at_us = util_now_us();
	v->add = add;
	v->ifindex = ifindex;
	v->addr = vip->addr;
	v->prefix = vip->prefix;
}

int
net_link_addr_add(struct net_link *nl, unsigned int ifindex,
    const struct conf_vip *vip)
{
	struct present *p;

	(void)nl;
	vip_record(true, ifindex, vip);
	if (!stub_addr_present(ifindex, &vip->addr)) {
		p = PUSH(present, npresent);
		p->ifindex = ifindex;
		p->addr = vip->addr;
	}
	return 0;
}

int
net_link_addr_del(struct net_link *nl, unsigned int ifindex,
    const struct conf_vip *vip)
{
	(void)nl;
	vip_record(false, ifindex, vip);
	for (size_t i = 0; i < npresent; i++)
		if (present[i].ifindex == ifindex &&
		    addr_cmp(&present[i].addr, &vip->addr) == 0) {
			present[i] = present[--npresent];
			break;
		}
	return 0;
}

int
net_link_addrs_present(struct net_link *nl, const unsigned int *ifindex,
    const struct addr *addrs, bool *present_out, size_t n)
{
	(void)nl;
	for (size_t i = 0; i < n; i++)
		present_out[i] = stub_addr_present(ifindex[i], &addrs[i]);
	return 0;
}

bool
net_link_addr_present(struct net_link *nl, unsigned int ifindex,
    const struct addr *addr)
{
	(void)nl;
	return stub_addr_present(ifindex, addr);
}

static int
rt_record(bool add, bool rule, const char *line)
{
	struct stub_rt *r = PUSH(stub_net.rts, stub_net.nrts);

	r->at_us = util_now_us();
	r->add = add;
	r->rule = rule;
	snprintf(r->line, sizeof(r->line), "%s", line);
	if (add && stub_net.rt_errno != 0) {
		r->rc = -1;
		errno = stub_net.rt_errno;
		stub_net.rt_errno = 0;
	}
	return r->rc;
}

bool
stub_rt_present(const char *line)
{
	bool on = false;

	for (size_t i = 0; i < stub_net.nrts; i++)
		if (strcmp(stub_net.rts[i].line, line) == 0 &&
		    stub_net.rts[i].rc == 0)
			on = stub_net.rts[i].add;
	return on;
}

int
net_link_route_add(struct net_link *nl, const struct conf_route *rt)
{
	char line[256];

	(void)nl;
	return rt_record(true, false,
	    conf_route_format(rt, line, sizeof(line)));
}

int
net_link_route_del(struct net_link *nl, const struct conf_route *rt)
{
	char line[256];

	(void)nl;
	return rt_record(false, false,
	    conf_route_format(rt, line, sizeof(line)));
}

int
net_link_rule_add(struct net_link *nl, const struct conf_rule *ru)
{
	char line[256];

	(void)nl;
	return rt_record(true, true, conf_rule_format(ru, line, sizeof(line)));
}

int
net_link_rule_del(struct net_link *nl, const struct conf_rule *ru)
{
	char line[256];

	(void)nl;
	return rt_record(false, true, conf_rule_format(ru, line, sizeof(line)));
}

int
net_link_monitor_routes(struct net_link *nl, bool routes, bool rules)
{
	(void)nl;
	stub_net.mon_routes = routes;
	stub_net.mon_rules = rules;
	return 0;
}

/* ---- net/announce ---- */

/*
 * The builders lay frames out as the real ones do, enough for
 * net_ann_send() to read the address back; their bytes are tested against
 * keepalived's captures in test_net_announce.c, not here.
 */
int
net_ann_build_garp(uint8_t *buf, size_t size,
    const uint8_t mac[NET_ANN_MAC_LEN], const struct in_addr *vip)
{
	uint8_t *arp = buf + 14;

	if (size < NET_ANN_GARP_LEN)
		return -1;
	memset(buf, 0xff, 6);
	memcpy(buf + 6, mac, 6);
	buf[12] = 0x08;
	buf[13] = 0x06;
	memcpy(arp, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	memcpy(arp + 8, mac, 6);
	memcpy(arp + 14, vip, 4);
	memset(arp + 18, 0xff, 6);
	memcpy(arp + 24, vip, 4);
	return NET_ANN_GARP_LEN;
}

int
net_ann_build_una(uint8_t *buf, size_t size, const uint8_t mac[NET_ANN_MAC_LEN],
    const struct in6_addr *src, const struct in6_addr *vip, bool router)
{
	uint8_t *ip6 = buf + 14, *na = buf + 54;

	if (size < NET_ANN_UNA_LEN)
		return -1;
	memset(buf, 0, NET_ANN_UNA_LEN);
	memcpy(buf, "\x33\x33\x00\x00\x00\x01", 6);
	memcpy(buf + 6, mac, 6);
	buf[12] = 0x86;
	buf[13] = 0xdd;
	ip6[0] = 0x60;
	ip6[5] = 32;  /* payload length */
	ip6[6] = 58;  /* ICMPv6 */
	ip6[7] = 255; /* hop limit */
	memcpy(ip6 + 8, src, 16);
	ip6[24] = 0xff;
	ip6[25] = 0x02;
	ip6[39] = 0x01;
	na[0] = 136;
	na[4] = (router ? 0x80 : 0) | 0x20; /* Router, Override */
	memcpy(na + 8, vip, 16);
	na[24] = 2; /* Target Link-Layer Address */
	na[25] = 1;
	memcpy(na + 26, mac, 6);
	return NET_ANN_UNA_LEN;
}

int
net_ann_open(struct net_ann_sock *s, unsigned int ifindex)
{
	if ((s->fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	s->ifindex = ifindex;
	stub_net.anns_open++;
	return 0;
}

int
net_ann_send(struct net_ann_sock *s, const uint8_t *frame, size_t len)
{
	struct stub_frame *f = PUSH(stub_net.frames, stub_net.nframes);

	f->at_us = util_now_us();
	f->ifindex = s->ifindex;
	f->addr.af = AF_UNSPEC;
	if (len >= NET_ANN_GARP_LEN && frame[12] == 0x08 && frame[13] == 0x06) {
		f->addr.af = AF_INET;
		memcpy(&f->addr.u.v4, frame + 28, 4);
	} else if (len >= NET_ANN_UNA_LEN && frame[12] == 0x86 &&
	    frame[13] == 0xdd) {
		f->addr.af = AF_INET6;
		memcpy(&f->addr.u.v6, frame + 62, 16);
	}
	return 0;
}

void
net_ann_close(struct net_ann_sock *s)
{
	if (s->fd < 0)
		return;
	close(s->fd);
	s->fd = -1;
	stub_net.anns_open--;
}

/* netlink_vmac.c: no glue test runs use_vmac; refused if one ever does. */
int
net_link_vmac_state(struct net_link *nl, const struct net_vmac *v,
    unsigned int *ifindex)
{
	(void)nl;
	(void)v;
	*ifindex = 0;
	errno = EOPNOTSUPP;
	return -1;
}

int
net_link_vmac_create(struct net_link *nl, const struct net_vmac *v,
    unsigned int *ifindex)
{
	return net_link_vmac_state(nl, v, ifindex);
}

int
net_link_addr_gen_none(struct net_link *nl, unsigned int ifindex)
{
	(void)nl;
	(void)ifindex;
	errno = EOPNOTSUPP;
	return -1;
}

int
net_link_set_up(struct net_link *nl, unsigned int ifindex, bool up)
{
	(void)up;
	return net_link_addr_gen_none(nl, ifindex);
}

int
net_link_set_mac(struct net_link *nl, unsigned int ifindex,
    const uint8_t mac[6])
{
	(void)mac;
	return net_link_addr_gen_none(nl, ifindex);
}

int
net_link_delete(struct net_link *nl, unsigned int ifindex)
{
	return net_link_addr_gen_none(nl, ifindex);
}

int
net_link_devconf4_set(struct net_link *nl, unsigned int ifindex,
    const struct net_devconf *c, size_t n)
{
	(void)c;
	(void)n;
	return net_link_addr_gen_none(nl, ifindex);
}

int
net_link_devconf4_get(struct net_link *nl, unsigned int ifindex, int id,
    uint32_t *value)
{
	(void)id;
	*value = 0;
	return net_link_addr_gen_none(nl, ifindex);
}

/* The in-kernel filters: accepted and forgotten (the glue tests feed
 * datagrams straight to the instances). */
int
net_sock_set_filter(struct net_sock *s, const struct sock_filter *f, size_t n)
{
	(void)s;
	(void)f;
	(void)n;
	return 0;
}

int
net_sock_set_rcvbuf(struct net_sock *s, size_t bytes)
{
	(void)s;
	(void)bytes;
	return 0;
}

int
net_pkt_counter_open(struct net_pkt_counter *c, unsigned int ifindex,
    sa_family_t af, const struct sock_filter *f, size_t n)
{
	(void)ifindex;
	(void)af;
	(void)f;
	(void)n;
	c->fd = -1;
	return 0;
}

int
net_pkt_counter_set(struct net_pkt_counter *c, const struct sock_filter *f,
    size_t n)
{
	(void)c;
	(void)f;
	(void)n;
	return 0;
}

uint64_t
net_pkt_counter_take(struct net_pkt_counter *c)
{
	(void)c;
	return 0;
}

void
net_pkt_counter_close(struct net_pkt_counter *c)
{
	c->fd = -1;
}

/* sendmmsg(): each message as net_sock_send() would send it. */
int
net_sock_send_many(struct net_sock *s, const struct net_tx_msg *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (net_sock_send(s, m[i].src, m[i].dst, m[i].ttl, m[i].msg,
			m[i].len) != 0)
			return i == 0 ? -1 : (int)i;
	return (int)n;
}

/* recvmmsg(): net_sock_recv() until the queue is empty or n. */
int
net_sock_recv_many(struct net_sock *s, struct net_rx *rx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ssize_t len = net_sock_recv(s, rx[i].buf, rx[i].size,
		    &rx[i].meta, &rx[i].err);

		if (len < 0)
			return i == 0 ? -1 : (int)i;
		rx[i].len = len;
	}
	return (int)n;
}
