/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A VRRPv3 advertisement over IPv6 as sent by keepalived 2.2.7 (Debian 12
 * package) and captured with tcpdump between two network namespaces joined
 * by a veth pair; see reference/keepalived-notes.md Appendix A. The bytes are
 * the VRRP message only (after the IPv6 header: Hop Limit 255, traffic class
 * 0xc0, Next Header 112). The checksum includes the RFC 8200 §8.1
 * pseudo-header; the source is the interface's link-local address.
 */

#ifndef VRRPD_TESTS_ADV_V3_IPV6_H
#define VRRPD_TESTS_ADV_V3_IPV6_H

#include <stdint.h>

/*
 * virtual_router_id 53, priority 200, advert_int 1, virtual_ipaddress
 * fe80::53 2001:db8::53 (the first one link-local, RFC 5798 §5.2.9).
 */
#define ADV_V3_IPV6_VRID53_SRC	"fe80::18ec:a6ff:fea1:c47b"
#define ADV_V3_IPV6_VRID53_DST	"ff02::12"
#define ADV_V3_IPV6_VRID53_VIP1 "fe80::53"
#define ADV_V3_IPV6_VRID53_VIP2 "2001:db8::53"

static const uint8_t adv_v3_ipv6_vrid53[] = {
	0x31, /* Version 3, Type 1 (ADVERTISEMENT) */
	0x35, /* Virtual Rtr ID 53 */
	0xc8, /* Priority 200 */
	0x02, /* Count IPvX Addr 2 */
	0x00,
	0x64, /* rsvd 0, Max Adver Int 100 cs */
	0x58,
	0x4c, /* Checksum: IPv6 pseudo-header */
	0xfe,
	0x80,
	0x00,
	0x00, /* IPvX Address 1: fe80::53 */
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x53,
	0x20,
	0x01,
	0x0d,
	0xb8, /* IPvX Address 2: 2001:db8::53 */
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x53,
};

#endif /* VRRPD_TESTS_ADV_V3_IPV6_H */
