/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unsolicited neighbour advertisements (RFC 4861 §4.4, §7.2.6) as keepalived
 * 2.2.7 sends them (reference notes, Appendix A: from the VIP to ff02::1,
 * flags [override] only with forwarding off, TLLA = interface MAC), here for
 * VIP 2001:db8::53 from 2001:db8::53 with MAC 02:00:00:00:00:01; once with
 * the Router flag clear, once with it set.
 *
 * Checksums: computed independently by a throw-away python3 script (RFC 1071
 * sum over src, dst, 32-bit length 32, three zero bytes, next header 58, then
 * the 32-byte ICMPv6 message with checksum zero), checked to sum to zero with
 * the value in place; the script also rebuilt both frames from the field
 * values and matched them against these arrays. The two checksums differ by
 * exactly 0x8000, the R bit.
 */

#ifndef VRRPD_TESTS_UNA_H
#define VRRPD_TESTS_UNA_H

#include <stdint.h>

static const uint8_t vec_una_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t vec_una_addr[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0x53 };

/* Router flag clear: what keepalived sends with IPv6 forwarding off. */
static const uint8_t vec_una[86] = {
	/* Ethernet */
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, /* dst: ff02::1 (RFC 2464 §7) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* src: interface MAC */
	0x86, 0xdd,			    /* ethertype: IPv6 */
	/* IPv6 */
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0, flow 0 */
	0x00, 0x20,		/* payload length 32 */
	0x3a,			/* next header 58 (ICMPv6) */
	0xff,			/* hop limit 255 */
	/* src 2001:db8::53 (the VIP, as keepalived sends it) */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* 2001:0db8:0:0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x53, /* 0:0:0:0053 */
	/* dst ff02::1 (all-nodes) */
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ff02:0:0:0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* 0:0:0:0001 */
	/* ICMPv6 neighbour advertisement */
	0x88,		  /* type 136 */
	0x00,		  /* code 0 */
	0xf8, 0x86,	  /* checksum (see above) */
	0x20,		  /* flags: R=0 S=0 O=1 */
	0x00, 0x00, 0x00, /* reserved */
	/* target 2001:db8::53 (the VIP) */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* 2001:0db8:0:0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x53, /* 0:0:0:0053 */
	0x02,				    /* option: Target Link-Layer Addr */
	0x01,				    /* option length: 1 (8 bytes) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* interface MAC */
};

/* Router flag set: the same with IPv6 forwarding on. */
static const uint8_t vec_una_router[86] = {
	/* Ethernet */
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, /* dst: ff02::1 (RFC 2464 §7) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* src: interface MAC */
	0x86, 0xdd,			    /* ethertype: IPv6 */
	/* IPv6 */
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0, flow 0 */
	0x00, 0x20,		/* payload length 32 */
	0x3a,			/* next header 58 (ICMPv6) */
	0xff,			/* hop limit 255 */
	/* src 2001:db8::53 (the VIP, as keepalived sends it) */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* 2001:0db8:0:0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x53, /* 0:0:0:0053 */
	/* dst ff02::1 (all-nodes) */
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ff02:0:0:0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* 0:0:0:0001 */
	/* ICMPv6 neighbour advertisement */
	0x88,		  /* type 136 */
	0x00,		  /* code 0 */
	0x78, 0x86,	  /* checksum (see above) */
	0xa0,		  /* flags: R=1 S=0 O=1 */
	0x00, 0x00, 0x00, /* reserved */
	/* target 2001:db8::53 (the VIP) */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* 2001:0db8:0:0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x53, /* 0:0:0:0053 */
	0x02,				    /* option: Target Link-Layer Addr */
	0x01,				    /* option length: 1 (8 bytes) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* interface MAC */
};

#endif /* VRRPD_TESTS_UNA_H */
