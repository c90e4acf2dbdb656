/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Raw IP protocol 112 sockets: one per (interface, family), shared by every
 * instance there (the caller demultiplexes by VRID). Multicast join of
 * 224.0.0.18 / ff02::12, TTL / Hop Limit 255 on send, multicast loopback
 * off, and on receive the TTL / hop limit, destination and interface from
 * control messages. Non-blocking; no allocation per packet.
 */

#ifndef VRRPD_NET_SOCKET_H
#define VRRPD_NET_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vrrpd/util.h"
#include "vrrpd/vrrp_packet.h"

/* An open VRRP socket; fd is for the caller's event loop (ev_io). */
struct net_sock {
	int fd;
	sa_family_t af;
	unsigned int ifindex;
	char ifname[16];
	struct addr group; /* joined multicast group, AF_UNSPEC if none */
};

/*
 * Open a raw VRRP socket of family af on interface ifname, bound to it
 * (SO_BINDTODEVICE) and, when group is not NULL, joined to that multicast
 * group on it. Returns 0, or -1 with errno set. Needs CAP_NET_RAW.
 */
int net_sock_open(struct net_sock *s, sa_family_t af, const char *ifname,
    const struct addr *group);

void net_sock_close(struct net_sock *s);

/*
 * Send the VRRP message msg[0..len) from src to dst (a group or a unicast
 * peer) with TTL / Hop Limit ttl (255 for VRRP; unicast_ttl may differ).
 * src must be an address of the interface (IPv6: its link-local address);
 * NULL lets the kernel choose. While src is not configured, sending fails:
 * ENETUNREACH (IPv4; IP_FREEBIND does not lift this for sendmsg) or EINVAL
 * (IPv6, also while src is tentative). Returns 0, or -1 with errno set
 * (EAGAIN when the socket buffer is full).
 */
int net_sock_send(struct net_sock *s, const struct addr *src,
    const struct addr *dst, uint8_t ttl, const uint8_t *msg, size_t len);

/*
 * Receive one datagram: the VRRP message is copied into buf (size bytes;
 * VRRP_PKT_MAX_LEN + IPv4 header room is enough) and *meta is filled from
 * the IPv4 header or the IPv6 control messages. Returns the message
 * length, 0 for a datagram that is not a usable VRRP message (truncated
 * IPv4 header, wrong protocol: *err says which), or -1 with errno set
 * (EAGAIN: nothing pending).
 */
ssize_t net_sock_recv(struct net_sock *s, uint8_t *buf, size_t size,
    struct vrrp_pkt_meta *meta, enum vrrp_pkt_err *err);

#endif /* VRRPD_NET_SOCKET_H */
