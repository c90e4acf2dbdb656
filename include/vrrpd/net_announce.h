/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Announcements a new master sends for its virtual addresses: gratuitous ARP
 * (RFC 5227 §2.3 ARP announcement, RFC 5798 §6.4.1) and unsolicited neighbour
 * advertisements (RFC 4861 §7.2.6). The builders here are pure: they write a
 * whole Ethernet frame into a caller buffer for an AF_PACKET socket.
 */

#ifndef VRRPD_NET_ANNOUNCE_H
#define VRRPD_NET_ANNOUNCE_H

#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_ANN_MAC_LEN	 6
#define NET_ANN_GARP_LEN 42 /* Ethernet 14 + ARP 28 */
#define NET_ANN_UNA_LEN	 86 /* Ethernet 14 + IPv6 40 + NA 24 + TLLA 8 */

/*
 * Build a gratuitous ARP request for vip as keepalived sends it: Ethernet
 * broadcast from mac, ARP request, sender = target = vip, sender hardware
 * address mac, target hardware address ff:ff:ff:ff:ff:ff. Returns the frame
 * length (NET_ANN_GARP_LEN), or -1 when size is too small (buf untouched).
 */
int net_ann_build_garp(uint8_t *buf, size_t size,
    const uint8_t mac[NET_ANN_MAC_LEN], const struct in_addr *vip);

/*
 * Build an unsolicited neighbour advertisement for vip: Ethernet from mac to
 * 33:33:00:00:00:01, IPv6 from src (keepalived sends from the VIP itself) to
 * ff02::1 with Hop Limit 255, ICMPv6 type 136 code 0 with Override set,
 * Solicited clear, Router set when router is true, target vip, and a Target
 * Link-Layer Address option carrying mac; ICMPv6 checksum filled in. Returns
 * the frame length (NET_ANN_UNA_LEN), or -1 when size is too small (buf
 * untouched).
 */
int net_ann_build_una(uint8_t *buf, size_t size,
    const uint8_t mac[NET_ANN_MAC_LEN], const struct in6_addr *src,
    const struct in6_addr *vip, bool router);

/* Sending (I/O): an AF_PACKET socket on one interface. */
struct net_ann_sock {
	int fd;
	unsigned int ifindex;
};

/*
 * Open a non-blocking AF_PACKET (SOCK_RAW) socket for sending frames on
 * ifindex; it receives nothing. Returns 0, or -1 with errno set. Needs
 * CAP_NET_RAW.
 */
int net_ann_open(struct net_ann_sock *s, unsigned int ifindex);

/* Send one frame built above. Returns 0, or -1 with errno set. */
int net_ann_send(struct net_ann_sock *s, const uint8_t *frame, size_t len);

void net_ann_close(struct net_ann_sock *s);

#endif /* VRRPD_NET_ANNOUNCE_H */
