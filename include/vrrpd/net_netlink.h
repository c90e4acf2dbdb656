/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Addresses, routes, rules and link state through rtnetlink (libnl-route-3;
 * the only module that uses libnl: netlink.c, netlink_route.c; rtkey.c is
 * its pure part). Adding and removing virtual addresses with their
 * options, routes and policy rules, reading an interface's state, and a
 * monitor of link and address changes (and, on request, of route and rule
 * deletions) for the event loop. Calls block only on the kernel's netlink
 * answer (no network I/O).
 */

#ifndef VRRPD_NET_NETLINK_H
#define VRRPD_NET_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrpd/conf.h"
#include "vrrpd/conf_route.h"
#include "vrrpd/util.h"

/*
 * Address protocol vrrpd sets on the addresses it adds (IFA_PROTO, kernel
 * 5.18+; ignored by older kernels), so leftovers after a crash can be told
 * from addresses an operator configured.
 */
#define NET_LINK_ADDR_PROTO 0x56 /* 'V' */

struct net_link;

/* What the daemon needs to know of an interface. */
struct net_link_info {
	unsigned int ifindex;
	bool up; /* IFF_UP and IFF_RUNNING (carrier) */
	uint8_t mac[6];
	bool has_mac;
	struct addr primary4;	/* first non-secondary IPv4, or AF_UNSPEC */
	struct addr linklocal6; /* fe80::/10 past DAD, or AF_UNSPEC */
};

/* Kinds of change the monitor reports. */
enum net_link_event {
	NET_LINK_EV_LINK = 0, /* link added, changed (up/down) or removed */
	NET_LINK_EV_ADDR_ADD,
	NET_LINK_EV_ADDR_DEL,
	NET_LINK_EV_ROUTE_DEL, /* only after net_link_monitor_routes() */
	NET_LINK_EV_RULE_DEL,
};

/*
 * What the kernel says of a route or rule it deleted: the fields that
 * tell one of ours from the others (its key: family, table, destination,
 * tos, metric; the protocol; the first path's interface).
 */
struct net_link_rtkey {
	sa_family_t af;
	uint8_t protocol;
	uint8_t tos;
	uint8_t type;	 /* route: RTN_*; rule: FR_ACT_* */
	uint32_t table;	 /* full 32-bit id */
	uint32_t prio;	 /* route: metric; rule: preference */
	struct addr dst; /* route destination, zero address for default */
	uint8_t dst_len;
	unsigned int oif; /* route: first nexthop's interface, 0: none */
};

/* One change the monitor reports. */
struct net_link_ev {
	enum net_link_event kind;
	/*
	 * The interface; 0 with NET_LINK_EV_LINK: events were lost (the
	 * monitor socket overran), recheck every interface.
	 */
	unsigned int ifindex;
	const char *ifname;	 /* LINK: the interface's name, or NULL */
	bool up;		 /* LINK: up with carrier; false once removed */
	bool removed;		 /* LINK: the interface was deleted */
	const struct addr *addr; /* ADDR_*: the address; NULL for LINK */
	uint8_t prefix;		 /* ADDR_*: its prefix length */
	const struct net_link_rtkey *rt; /* ROUTE_DEL, RULE_DEL; else NULL */
	/*
	 * The netlink port of the process whose request caused the change
	 * (0: the kernel itself; usually the pid of a tool such as ip(8));
	 * only messages sent by the kernel are reported at all.
	 */
	uint32_t portid;
};

typedef void net_link_event_fn(void *arg, const struct net_link_ev *ev);

/*
 * Open the netlink sockets: a command socket, and a monitor socket
 * subscribed to link and IPv4/IPv6 address groups whose events go to fn.
 * NULL on failure (errno set).
 */
struct net_link *net_link_open(net_link_event_fn *fn, void *arg);
void net_link_close(struct net_link *nl);

/* The netlink port of our own requests, to recognise our own changes. */
uint32_t net_link_portid(const struct net_link *nl);

/* The monitor's fd for the event loop, and the call when it is readable. */
int net_link_monitor_fd(const struct net_link *nl);
void net_link_monitor_read(struct net_link *nl);

/*
 * Fill *info for interface ifname. Returns 0, or -1 (errno ENODEV when it
 * does not exist).
 */
int net_link_info(struct net_link *nl, const char *ifname,
    struct net_link_info *info);

/*
 * Add or remove a virtual address with its options (prefix, broadcast,
 * label, scope, preferred_lft) on ifindex; IPv6 ones always without
 * duplicate address detection (nodad), as keepalived adds them. Adding an address that
 * is already there, or removing one that is not, succeeds. Returns 0, or
 * -1 with errno set.
 */
int net_link_addr_add(struct net_link *nl, unsigned int ifindex,
    const struct conf_vip *vip);
int net_link_addr_del(struct net_link *nl, unsigned int ifindex,
    const struct conf_vip *vip);

/*
 * present[i]: addrs[i] is configured on ifindex[i] now, for i < n; one
 * address dump for all. Returns 0, or -1 (all false) when it failed.
 */
int net_link_addrs_present(struct net_link *nl, const unsigned int *ifindex,
    const struct addr *addrs, bool *present, size_t n);

/* True when the address is configured on ifindex now. */
bool net_link_addr_present(struct net_link *nl, unsigned int ifindex,
    const struct addr *addr);

/*
 * Add a route (virtual_routes, static_routes) with its options: table,
 * metric, scope (RT_SCOPE_UNIVERSE unless written, as keepalived adds
 * them), type, src, via, dev (by name, looked up now), onlink, tos,
 * realms, metrics with their locks, IPv6 pref, and nexthops. The route is
 * marked with its protocol (CONF_RT_PROTO_OWN unless written). rt->mode
 * picks the kernel's NLM flags: CONF_RT_PREPEND creates, CONF_RT_ADD
 * refuses a matching route, CONF_RT_APPEND appends. Returns 0, or -1
 * with errno as the kernel set it: EEXIST (a route with the same key and
 * path is there: IPv4 with the same protocol, IPv6 whatever its
 * protocol), ENODEV (a dev is missing), ENETDOWN, ENETUNREACH (the
 * gateway is not on a link), EINVAL, ... Never logs.
 */
int net_link_route_add(struct net_link *nl, const struct conf_route *rt);

/*
 * Remove the route: only one with rt's protocol matches, so a route
 * someone else added with the same destination is never removed. A route
 * that is not there (ESRCH, ENOENT, its dev gone) counts as removed: 0.
 * Else -1 with errno.
 */
int net_link_route_del(struct net_link *nl, const struct conf_route *rt);

/*
 * Add or remove a policy rule with every selector of conf_rule (from, to,
 * not, preference, tos, fwmark/mask, iif, oif, uidrange, sport, dport,
 * ipproto, tunnel-id, realms, suppress_*, l3mdev) and its action, marked
 * with its protocol. Adding is exclusive (NLM_F_EXCL, as keepalived):
 * an identical rule gives EEXIST. Removing one that is not there
 * succeeds. Returns 0, or -1 with errno. Never logs.
 */
int net_link_rule_add(struct net_link *nl, const struct conf_rule *ru);
int net_link_rule_del(struct net_link *nl, const struct conf_rule *ru);

/*
 * Report route and rule deletions the kernel announces (of every family)
 * as NET_LINK_EV_ROUTE_DEL / NET_LINK_EV_RULE_DEL, or stop (false). Off
 * by default: a router's full table would otherwise flood the monitor.
 * Returns 0, or -1 with errno.
 */
int net_link_monitor_routes(struct net_link *nl, bool routes, bool rules);

/*
 * True when key (a deleted route) is rt as added, ifindex being rt->dev's
 * index when rt was added (0: none or unknown). Pure.
 */
bool net_link_route_is(const struct net_link_rtkey *key,
    const struct conf_route *rt, unsigned int ifindex);
/* The same for a deleted rule. Pure. */
bool net_link_rule_is(const struct net_link_rtkey *key,
    const struct conf_rule *ru);

/* ---- netlink_vmac.c: use_vmac's macvlans ---- */

/* A VMAC: its name, its parent's index and the MAC it carries. */
struct net_vmac {
	const char *name;
	unsigned int parent;
	uint8_t mac[6];
	bool any_mac; /* net_link_vmac_state(): whatever MAC it carries */
};

/* What net_link_vmac_state() found under the name. */
enum net_vmac_state {
	NET_VMAC_ABSENT = 0,
	NET_VMAC_MATCH,	   /* a private macvlan on parent (carrying mac) */
	NET_VMAC_MISMATCH, /* a macvlan, but another parent, mode or MAC */
	NET_VMAC_FOREIGN,  /* not a macvlan: never to be touched */
};

/*
 * Look v->name up: enum net_vmac_state, with *ifindex its index (0 when
 * absent), or -1 with errno.
 */
int net_link_vmac_state(struct net_link *nl, const struct net_vmac *v,
    unsigned int *ifindex);
/*
 * Create v: a private-mode macvlan named v->name on v->parent carrying
 * v->mac, left down. Returns 0 with *ifindex, or -1 with errno (EEXIST:
 * the name is taken).
 */
int net_link_vmac_create(struct net_link *nl, const struct net_vmac *v,
    unsigned int *ifindex);
/* IPv6 address generation off (no EUI-64 link-local from the MAC). */
int net_link_addr_gen_none(struct net_link *nl, unsigned int ifindex);
/* Set the link administratively up or down. Returns 0, or -1 (errno). */
int net_link_set_up(struct net_link *nl, unsigned int ifindex, bool up);
/* Change the link's MAC address. Returns 0, or -1 with errno. */
int net_link_set_mac(struct net_link *nl, unsigned int ifindex,
    const uint8_t mac[6]);
/* Delete the link. Returns 0, or -1 with errno. */
int net_link_delete(struct net_link *nl, unsigned int ifindex);

/* One IPv4 per-interface setting: IPV4_DEVCONF_* (linux/ip.h) = value. */
struct net_devconf {
	int id;
	uint32_t value;
};
/* Set n of them on ifindex in one request. Returns 0, or -1 (errno). */
int net_link_devconf4_set(struct net_link *nl, unsigned int ifindex,
    const struct net_devconf *c, size_t n);
/* Read one. Returns 0, or -1 with errno. */
int net_link_devconf4_get(struct net_link *nl, unsigned int ifindex, int id,
    uint32_t *value);

#endif /* VRRPD_NET_NETLINK_H */
