/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VRRPv3 advertisements over IPv4 as sent by keepalived 2.2.7 (Debian 12
 * package) and captured with tcpdump between two network namespaces joined
 * by a veth pair; see reference/keepalived-notes.md Appendix A. The bytes are
 * the VRRP message only (after the IPv4 header: TTL 255, protocol 112).
 *
 * keepalived's default checksum adds an IPv4 pseudo-header (source,
 * destination, zero, protocol 112, 16-bit length) carrying the real
 * destination. The other variants of the same messages, computed
 * independently, are given as *_CSUM_* so tests can build them: message
 * only (RFC 9568, Cisco/Juniper, keepalived v3_checksum_as_v2) and, for the
 * unicast advert, keepalived <= 1.3.6's pseudo-header with 224.0.0.18.
 */

#ifndef VRRPD_TESTS_ADV_V3_IPV4_H
#define VRRPD_TESTS_ADV_V3_IPV4_H

#include <stdint.h>

/* Offset of the checksum in the VRRP header. */
#define ADV_V3_IPV4_CSUM_OFF 6

/*
 * virtual_router_id 51, priority 150, advert_int 1, virtual_ipaddress
 * 192.0.2.100; multicast, TOS 0xc0.
 */
#define ADV_V3_IPV4_VRID51_SRC	    "192.0.2.1"
#define ADV_V3_IPV4_VRID51_DST	    "224.0.0.18"
#define ADV_V3_IPV4_VRID51_VIP	    "192.0.2.100"
#define ADV_V3_IPV4_VRID51_CSUM_MSG 0x7602 /* message only */

static const uint8_t adv_v3_ipv4_vrid51[] = {
	0x31,			/* Version 3, Type 1 (ADVERTISEMENT) */
	0x33,			/* Virtual Rtr ID 51 */
	0x96,			/* Priority 150 */
	0x01,			/* Count IPvX Addr 1 */
	0x00, 0x64,		/* rsvd 0, Max Adver Int 100 cs */
	0xd3, 0x71,		/* Checksum: IPv4 pseudo-header */
	0xc0, 0x00, 0x02, 0x64, /* IPvX Address: 192.0.2.100 */
};

/* The same instance stopping (SIGTERM): "the Master is leaving". */
#define ADV_V3_IPV4_VRID51_PRIO0_SRC	  "192.0.2.1"
#define ADV_V3_IPV4_VRID51_PRIO0_DST	  "224.0.0.18"
#define ADV_V3_IPV4_VRID51_PRIO0_CSUM_MSG 0x0c03 /* message only */

static const uint8_t adv_v3_ipv4_vrid51_prio0[] = {
	0x31,			/* Version 3, Type 1 (ADVERTISEMENT) */
	0x33,			/* Virtual Rtr ID 51 */
	0x00,			/* Priority 0 (stop) */
	0x01,			/* Count IPvX Addr 1 */
	0x00, 0x64,		/* rsvd 0, Max Adver Int 100 cs */
	0x69, 0x72,		/* Checksum: IPv4 pseudo-header */
	0xc0, 0x00, 0x02, 0x64, /* IPvX Address: 192.0.2.100 */
};

/*
 * virtual_router_id 54, priority 254, advert_int 0.5, virtual_ipaddress
 * 192.0.2.54, unicast_peer 192.0.2.2.
 */
#define ADV_V3_IPV4_UNICAST_SRC		   "192.0.2.1"
#define ADV_V3_IPV4_UNICAST_DST		   "192.0.2.2"
#define ADV_V3_IPV4_UNICAST_VIP		   "192.0.2.54"
#define ADV_V3_IPV4_UNICAST_CSUM_MSG	   0x0e5f /* message only */
#define ADV_V3_IPV4_UNICAST_CSUM_MCAST_DST 0x6bce /* 224.0.0.18 in pseudo */

static const uint8_t adv_v3_ipv4_unicast_vrid54[] = {
	0x31,			/* Version 3, Type 1 (ADVERTISEMENT) */
	0x36,			/* Virtual Rtr ID 54 */
	0xfe,			/* Priority 254 */
	0x01,			/* Count IPvX Addr 1 */
	0x00, 0x32,		/* rsvd 0, Max Adver Int 50 cs */
	0x89, 0xde,		/* Checksum: pseudo-header, dst 192.0.2.2 */
	0xc0, 0x00, 0x02, 0x36, /* IPvX Address: 192.0.2.54 */
};

#endif /* VRRPD_TESTS_ADV_V3_IPV4_H */
