/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside net/netlink: what netlink.c (links, addresses, the monitor) and
 * netlink_route.c (routes and rules) share.
 */

#ifndef VRRPD_NET_NETLINK_PRIV_H
#define VRRPD_NET_NETLINK_PRIV_H

#include <netlink/netlink.h>
#include <netlink/object.h>

#include "vrrpd/net_netlink.h"

struct net_link {
	struct nl_sock *cmd; /* blocking requests: add, delete, get, dump */
	struct nl_sock *mon; /* non-blocking multicast listener */
	net_link_event_fn *fn;
	void *arg;
	uint32_t portid; /* sender port of the message being parsed */
	bool mon_routes, mon_rules; /* route/rule groups joined */
};

/* Set errno from a negative libnl code and return -1. */
int net_link_nlerr(int nlerr);

/* A libnl address from ours; prefix 0 leaves the prefix unset. */
struct nl_addr *net_link_nladdr(const struct addr *a, uint8_t prefix);

/* Ours from a libnl address: 0, or -1 when it is not IPv4 or IPv6. */
int net_link_addr_from_nl(const struct nl_addr *na, struct addr *out);

/*
 * The monitor got a route or rule message (obj, of type msgtype): report
 * the deletions. Returns false for any other message.
 */
bool net_link_route_event(struct net_link *nl, struct nl_object *obj,
    int msgtype);

#endif /* VRRPD_NET_NETLINK_PRIV_H */
