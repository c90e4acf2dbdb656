/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Gratuitous ARP as keepalived 2.2.7 puts it on the wire (reference notes,
 * Appendix A: "who-has 192.0.2.54 tell 192.0.2.54", target MAC
 * ff:ff:ff:ff:ff:ff, to broadcast), here for VIP 192.0.2.54 from the
 * interface MAC 02:00:00:00:00:01. Written by hand from RFC 826 and
 * RFC 5227 §2.3; the capture gave the field values, not these bytes. A
 * throw-away python3 script rebuilt the frame from the field values and
 * matched it against this array.
 */

#ifndef VRRPD_TESTS_GARP_H
#define VRRPD_TESTS_GARP_H

#include <stdint.h>

static const uint8_t vec_garp_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t vec_garp_vip[4] = { 192, 0, 2, 54 };

static const uint8_t vec_garp[42] = {
	/* Ethernet */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* dst: broadcast */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* src: interface MAC */
	0x08, 0x06,			    /* ethertype: ARP */
	/* ARP (RFC 826) */
	0x00, 0x01,			    /* htype: Ethernet */
	0x08, 0x00,			    /* ptype: IPv4 */
	0x06,				    /* hlen */
	0x04,				    /* plen */
	0x00, 0x01,			    /* oper: request */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* sha: interface MAC */
	0xc0, 0x00, 0x02, 0x36,		    /* spa: 192.0.2.54 (VIP) */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* tha: all ones, as keepalived */
	0xc0, 0x00, 0x02, 0x36,		    /* tpa: 192.0.2.54 (VIP) */
};

#endif /* VRRPD_TESTS_GARP_H */
