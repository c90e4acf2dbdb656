/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A VRRPv2 advertisement with keepalived's simple text password, as sent by
 * keepalived 2.2.7 (Debian 12 package) and captured with tcpdump between two
 * network namespaces joined by a veth pair; see
 * reference/keepalived-notes.md Appendix A. The bytes are the VRRP message
 * only (after the IPv4 header: TTL 255, TOS 0xc0, protocol 112).
 */

#ifndef VRRPD_TESTS_ADV_V2_IPV4_H
#define VRRPD_TESTS_ADV_V2_IPV4_H

#include <stdint.h>

/*
 * vrrp_instance: virtual_router_id 52, priority 100, advert_int 1,
 * virtual_ipaddress 192.0.2.52 192.0.2.53, auth_type PASS,
 * auth_pass secret12345 (keepalived keeps the first 8 bytes).
 */
#define ADV_V2_PASS_SRC	     "192.0.2.1"
#define ADV_V2_PASS_DST	     "224.0.0.18"
#define ADV_V2_PASS_VIP1     "192.0.2.52"
#define ADV_V2_PASS_VIP2     "192.0.2.53"
#define ADV_V2_PASS_PASSWORD "secret12" /* 8 bytes, no NUL on the wire */

static const uint8_t adv_v2_pass_vrid52[] = {
	0x21,			/* Version 2, Type 1 (ADVERTISEMENT) */
	0x34,			/* Virtual Rtr ID 52 */
	0x64,			/* Priority 100 */
	0x02,			/* Count IP Addrs 2 */
	0x01,			/* Auth Type 1 (simple text password) */
	0x01,			/* Adver Int 1 s */
	0x87, 0xdf,		/* Checksum: message incl. auth data only */
	0xc0, 0x00, 0x02, 0x34, /* IP Address 1: 192.0.2.52 */
	0xc0, 0x00, 0x02, 0x35, /* IP Address 2: 192.0.2.53 */
	0x73, 0x65, 0x63, 0x72, /* Authentication Data: "secr" */
	0x65, 0x74, 0x31, 0x32, /* "et12" */
};

#endif /* VRRPD_TESTS_ADV_V2_IPV4_H */
