/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Addresses and link state through rtnetlink (libnl-route-3; the only
 * module that uses libnl). Adding and removing virtual addresses with their
 * options, reading an interface's state, and a monitor of link and address
 * changes for the event loop. Calls block only on the kernel's netlink
 * answer (no network I/O).
 */

#ifndef VRRPD_NET_NETLINK_H
#define VRRPD_NET_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrpd/conf.h"
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

#endif /* VRRPD_NET_NETLINK_H */
