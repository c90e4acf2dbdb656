/* SPDX-License-Identifier: BSD-2-Clause */
/* Gratuitous ARP and unsolicited neighbour advertisements for the VIPs. */

#include <sys/socket.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netpacket/packet.h>

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/net_announce.h"
#include "vrrpd/util.h"

#define NA_MSG_LEN 32 /* NA 24 + Target Link-Layer Address option 8 */

/* RFC 4861 §4.4 flag bits, first byte of the reserved word. */
#define NA_FLAG_ROUTER	 0x80
#define NA_FLAG_OVERRIDE 0x20

static const uint8_t bcast_mac[NET_ANN_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff };
/* RFC 2464 §7: ff02::1 maps to 33:33 and its low 32 bits. */
static const uint8_t allnodes_mac[NET_ANN_MAC_LEN] = { 0x33, 0x33, 0x00, 0x00,
	0x00, 0x01 };
static const uint8_t allnodes_ip6[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0x01 };

static uint8_t *
put(uint8_t *p, const void *data, size_t len)
{
	memcpy(p, data, len);
	return p + len;
}

static uint8_t *
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static uint8_t *
put_eth(uint8_t *p, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	p = put(p, dst, NET_ANN_MAC_LEN);
	p = put(p, src, NET_ANN_MAC_LEN);
	return put16(p, type);
}

int
net_ann_build_garp(uint8_t *buf, size_t size,
    const uint8_t mac[NET_ANN_MAC_LEN], const struct in_addr *vip)
{
	uint8_t *p;

	if (size < NET_ANN_GARP_LEN)
		return -1;
	p = put_eth(buf, bcast_mac, mac, ETHERTYPE_ARP);
	p = put16(p, ARPHRD_ETHER);
	p = put16(p, ETHERTYPE_IP);
	*p++ = NET_ANN_MAC_LEN;
	*p++ = sizeof(vip->s_addr);
	p = put16(p, ARPOP_REQUEST);
	/* RFC 5227 §2.3: an announcement has sender IP = target IP = VIP. */
	p = put(p, mac, NET_ANN_MAC_LEN);
	p = put(p, &vip->s_addr, sizeof(vip->s_addr));
	/*
	 * RFC 5227 §2.1.1 ignores the target hardware address and asks for
	 * zeroes; keepalived 2.2.7 sends ff:ff:ff:ff:ff:ff, and so do we, so
	 * the frame on the wire does not change when vrrpd replaces it.
	 */
	p = put(p, bcast_mac, NET_ANN_MAC_LEN);
	p = put(p, &vip->s_addr, sizeof(vip->s_addr));
	return (int)(p - buf);
}

int
net_ann_build_una(uint8_t *buf, size_t size, const uint8_t mac[NET_ANN_MAC_LEN],
    const struct in6_addr *src, const struct in6_addr *vip, bool router)
{
	/* RFC 8200 §8.1 pseudo-header: upper-layer length, next header. */
	static const uint8_t pseudo[8] = { 0, 0, 0, NA_MSG_LEN, 0, 0, 0,
		IPPROTO_ICMPV6 };
	uint8_t *p, *ip6, *icmp;
	uint32_t sum;
	uint16_t csum;

	if (size < NET_ANN_UNA_LEN)
		return -1;
	p = put_eth(buf, allnodes_mac, mac, ETHERTYPE_IPV6);

	ip6 = p;
	p = put16(p, 0x6000); /* version 6, traffic class 0, flow label 0 */
	p = put16(p, 0);
	p = put16(p, NA_MSG_LEN);
	*p++ = IPPROTO_ICMPV6;
	*p++ = 255; /* RFC 4861 §7.1.2: receivers drop anything else */
	p = put(p, src, sizeof(*src));
	p = put(p, allnodes_ip6, sizeof(allnodes_ip6));

	/*
	 * RFC 4861 §7.2.6: S clear; RFC 5798 §6.4.1: O set. RFC 5798 also sets
	 * R, keepalived only when forwarding, so the caller decides.
	 */
	icmp = p;
	*p++ = ND_NEIGHBOR_ADVERT;
	*p++ = 0;
	p = put16(p, 0);
	*p++ = NA_FLAG_OVERRIDE | (router ? NA_FLAG_ROUTER : 0);
	*p++ = 0;
	p = put16(p, 0);
	p = put(p, vip, sizeof(*vip));
	*p++ = ND_OPT_TARGET_LINKADDR;
	*p++ = 1; /* length in units of 8 bytes */
	p = put(p, mac, NET_ANN_MAC_LEN);

	sum = util_csum_add(0, ip6 + 8, 2 * sizeof(struct in6_addr));
	sum = util_csum_add(sum, pseudo, sizeof(pseudo));
	sum = util_csum_add(sum, icmp, NA_MSG_LEN);
	csum = util_csum_fold(sum);
	memcpy(icmp + 2, &csum, sizeof(csum));
	return (int)(p - buf);
}

int
net_ann_open(struct net_ann_sock *s, unsigned int ifindex)
{
	struct sockaddr_ll sll;
	int fd, saved;

	s->fd = -1;
	s->ifindex = ifindex;
	if (ifindex == 0 || ifindex > INT_MAX) {
		errno = ENODEV;
		return -1;
	}
	/* Protocol 0: the socket is never hooked into receive, only sends. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = 0;
	sll.sll_ifindex = (int)ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1)
		goto fail;
	s->fd = fd;
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int
net_ann_send(struct net_ann_sock *s, const uint8_t *frame, size_t len)
{
	ssize_t n;

	if ((n = send(s->fd, frame, len, 0)) == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

void
net_ann_close(struct net_ann_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
