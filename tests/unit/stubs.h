/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Link-time stubs for the vrrp glue tests (bgpd's unittests): every public
 * function of net/socket, net/netlink and net/announce (stubs_net.c) and of
 * notify (stubs_notify.c). A test links the stub objects before
 * libvrrpd.a, so the archive's real objects are never pulled in: no root,
 * no raw socket, no netlink.
 *
 * The stubs record what the glue did (adverts sent, decoded; VIPs added
 * and removed; GARP / NA frames; notifications) with the time
 * (util_now_us) it did it, and let the test script the world: the
 * interfaces net_link_info() reports, netlink events fired into the
 * callback the router gave net_link_open(), and adverts received on the
 * sockets the router opened (each a real eventfd the test makes readable,
 * so the router reads them from its own ev_io callback).
 */

#ifndef VRRPD_TESTS_STUBS_H
#define VRRPD_TESTS_STUBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrpd/net_netlink.h"
#include "vrrpd/notify.h"
#include "vrrpd/vrrp_packet.h"

#define STUB_ADVERT_ADDRS 8
#define STUB_PORTID	  4242 /* net_link_portid(): "our" requests */

/* One advert the glue sent (net_sock_send), as vrrp_pkt_decode read it. */
struct stub_advert {
	uint64_t at_us;
	char ifname[16];
	struct addr src;
	struct addr dst;
	uint8_t ttl;
	enum vrrp_pkt_err err; /* VRRP_PKT_OK when it decoded cleanly */
	uint8_t version;
	uint8_t vrid;
	uint8_t priority;
	uint16_t adver_int_cs;
	uint8_t naddr;
	struct addr addrs[STUB_ADVERT_ADDRS]; /* the first naddr of them */
};

/* One net_link_addr_add() (add) or net_link_addr_del(). */
struct stub_vip {
	uint64_t at_us;
	bool add;
	unsigned int ifindex;
	struct addr addr;
	uint8_t prefix;
};

/* One frame net_ann_send() sent: a GARP (AF_INET) or an NA (AF_INET6). */
struct stub_frame {
	uint64_t at_us;
	unsigned int ifindex;
	struct addr addr; /* ARP sender / NA target: the announced VIP */
};

/* One net_link_route_add/_del() or net_link_rule_add/_del(). */
struct stub_rt {
	uint64_t at_us;
	bool add;
	bool rule;	/* a rule: .ru; else a route: .rt */
	int rc;		/* what the stub returned */
	char line[256]; /* conf_route_format() / conf_rule_format() */
};

/*
 * What the glue did, in order per kind. The arrays grow: a pointer into
 * one is valid until the next record of that kind (copy what you keep).
 */
struct stub_net_log {
	struct stub_advert *adverts;
	size_t nadverts;
	struct stub_vip *vips;
	size_t nvips;
	struct stub_rt *rts; /* routes and rules added and removed */
	size_t nrts;
	int rt_errno;	 /* next route/rule add fails with it; 0: ok */
	bool mon_routes; /* net_link_monitor_routes() asked for */
	bool mon_rules;
	struct stub_frame *frames;
	size_t nframes;
	size_t link_info_calls; /* net_link_info(), every interface */
	size_t sock_opens;	/* net_sock_open() that succeeded */
	size_t socks_open;	/* VRRP sockets open now */
	size_t anns_open;	/* packet sockets open now */
	bool link_open;		/* the netlink handle is open */
};

extern struct stub_net_log stub_net;

/* An interface of the scripted world (what net_link_info() reports). */
struct stub_iface {
	char name[16];
	unsigned int ifindex;
	bool up;
	uint8_t mac[6];
	struct addr primary4;	/* AF_UNSPEC: none */
	struct addr linklocal6; /* AF_UNSPEC: none */
	size_t info_calls;	/* net_link_info() for this one */
};

/* Forget every record, interface, socket and queued datagram. */
void stub_net_reset(void);

/* Add the interface, or replace the one of that name. */
void stub_iface_set(const struct stub_iface *ifc);
/* The interface called name, or NULL. */
struct stub_iface *stub_iface(const char *name);
/*
 * Set name's link state and fire the NET_LINK_EV_LINK event netlink would
 * send into the router's callback, now.
 */
void stub_link_set_up(const char *name, bool up);
/* Fire any event into the router's callback, now. */
void stub_link_event(const struct net_link_ev *ev);

/*
 * Queue a datagram on the open VRRP socket of (ifname, af) and make its fd
 * readable: the router's callback reads it through net_sock_recv().
 * Returns false when no such socket is open.
 */
bool stub_rx(const char *ifname, sa_family_t af, const uint8_t *msg, size_t len,
    const struct vrrp_pkt_meta *meta);
/*
 * Encode tx (tx->src and tx->dst set) and queue it as above, received on
 * ifname with TTL 255.
 */
bool stub_rx_advert(const char *ifname, const struct vrrp_pkt_tx *tx);
/*
 * Queue a whole IPv4 datagram on the open AH socket (auth_type AH) of
 * ifname, as net_sock_recv() hands it over: header included, only the
 * ifindex in the metadata. False when no such socket is open.
 */
bool stub_rx_ah(const char *ifname, const uint8_t *dgram, size_t len);

/* Whether the glue's adds and removes leave addr on ifindex. */
bool stub_addr_present(unsigned int ifindex, const struct addr *addr);

/* Whether the glue's adds and removes leave the route or rule written
 * as line (conf_route_format() / conf_rule_format()) in place. */
bool stub_rt_present(const char *line);

/* ---- notify ---- */

struct stub_notify_rec {
	uint64_t at_us;
	char name[64]; /* the instance, "" when notify_new() gave NULL */
	struct notify_event ev;
};

/* A notify_priority() line (notify_priority_changes). */
struct stub_notify_prio {
	uint64_t at_us;
	char name[64];
	bool master;
	uint8_t priority;
};

struct stub_notify_log {
	struct stub_notify_rec *posts;
	size_t nposts;
	struct stub_notify_prio *prios;
	size_t nprios;
	size_t live; /* notifiers not freed yet */
};

extern struct stub_notify_log stub_notify;

void stub_notify_reset(void);

static inline void
stub_reset(void)
{
	stub_net_reset();
	stub_notify_reset();
}

#endif /* VRRPD_TESTS_STUBS_H */
