/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VRRPv2 adverts with auth_type AH as sent by keepalived 2.2.7 (Debian 12
 * package, Linux 6.18), captured with tcpdump on the bridge between two
 * network namespaces: whole IPv4 datagrams (IPv4 header, AH, VRRP). Each is
 * the first advert of a fresh keepalived (IPv4 Identification 1, sequence
 * number 1). keepalived sets TOS 0xc0, TTL 255, no DF, SPI = source,
 * VRRP Auth Type 2 with zero Authentication Data; the ICV is HMAC-MD5-96
 * keyed with auth_pass (8 bytes, zero padded) over the datagram with TOS,
 * flags/offset, checksum and ICV zeroed, and the TTL too with unicast.
 */

#ifndef VRRPD_TESTS_AH_V2_IPV4_H
#define VRRPD_TESTS_AH_V2_IPV4_H

#include <stdint.h>

/*
 * virtual_router_id 61, priority 150, advert_int 1, virtual_ipaddress
 * 192.0.2.61, auth_type AH, auth_pass secret; multicast from 192.0.2.1.
 */
#define AH_V2_MC61_SRC "192.0.2.1"
#define AH_V2_MC61_DST "224.0.0.18"
#define AH_V2_MC61_VIP "192.0.2.61"
#define AH_V2_MC61_KEY "secret"

static const uint8_t ah_v2_mcast_vrid61[] = {
	0x45, 0xc0, 0x00, 0x40, /* IPv4, IHL 5, TOS 0xc0, Total Length 64 */
	0x00, 0x01, 0x00, 0x00, /* Identification 1, no flags, offset 0 */
	0xff, 0x33, 0x18, 0xb6, /* TTL 255, protocol 51 (AH), checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xe0, 0x00, 0x00, 0x12, /* destination 224.0.0.18 */
	0x70, 0x04, 0x00, 0x00, /* AH: Next Header 112, Payload Len 4 */
	0xc0, 0x00, 0x02, 0x01, /* SPI: the source address */
	0x00, 0x00, 0x00, 0x01, /* Sequence Number 1 */
	0x0d, 0x4f, 0x83, 0xc9, /* ICV: HMAC-MD5-96 */
	0x32, 0x3a, 0xaa, 0xb5, /* */
	0x4b, 0xbf, 0x6c, 0x34, /* */
	0x21, 0x3d, 0x96, 0x01, /* VRRPv2 advert, VRID 61, prio 150, 1 addr */
	0x02, 0x01, 0x84, 0x82, /* Auth Type 2 (AH), Adver Int 1, checksum */
	0xc0, 0x00, 0x02, 0x3d, /* 192.0.2.61 */
	0x00, 0x00, 0x00, 0x00, /* Authentication Data: zero */
	0x00, 0x00, 0x00, 0x00, /* */
};

/*
 * virtual_router_id 62, priority 200, two addresses, auth_pass abcdefghij
 * (keepalived: "Truncating auth_pass to 8 characters"); multicast.
 */
#define AH_V2_MC62_SRC	"192.0.2.1"
#define AH_V2_MC62_DST	"224.0.0.18"
#define AH_V2_MC62_VIP1 "192.0.2.62"
#define AH_V2_MC62_VIP2 "192.0.2.63"
#define AH_V2_MC62_KEY	"abcdefgh"

static const uint8_t ah_v2_mcast_vrid62[] = {
	0x45, 0xc0, 0x00, 0x44, /* Total Length 68 */
	0x00, 0x01, 0x00, 0x00, /* Identification 1 */
	0xff, 0x33, 0x18, 0xb2, /* TTL 255, AH, checksum */
	0xc0, 0x00, 0x02, 0x01, /* 192.0.2.1 */
	0xe0, 0x00, 0x00, 0x12, /* 224.0.0.18 */
	0x70, 0x04, 0x00, 0x00, /* AH: Next Header 112, Payload Len 4 */
	0xc0, 0x00, 0x02, 0x01, /* SPI */
	0x00, 0x00, 0x00, 0x01, /* Sequence Number 1 */
	0x15, 0xef, 0x11, 0x60, /* ICV */
	0xfd, 0x50, 0x45, 0x0a, /* */
	0x15, 0x5f, 0x39, 0x7f, /* */
	0x21, 0x3e, 0xc8, 0x02, /* VRRPv2, VRID 62, prio 200, 2 addrs */
	0x02, 0x01, 0x90, 0x3f, /* Auth Type 2, Adver Int 1, checksum */
	0xc0, 0x00, 0x02, 0x3e, /* 192.0.2.62 */
	0xc0, 0x00, 0x02, 0x3f, /* 192.0.2.63 */
	0x00, 0x00, 0x00, 0x00, /* Authentication Data: zero */
	0x00, 0x00, 0x00, 0x00, /* */
};

/*
 * virtual_router_id 64, priority 200, virtual_ipaddress 192.0.2.64,
 * auth_pass pw64, unicast_src_ip 192.0.2.1, unicast_peer 192.0.2.2: the
 * TTL (255 on the wire) is zero in the ICV.
 */
#define AH_V2_UC64_SRC "192.0.2.1"
#define AH_V2_UC64_DST "192.0.2.2"
#define AH_V2_UC64_VIP "192.0.2.64"
#define AH_V2_UC64_KEY "pw64"

static const uint8_t ah_v2_ucast_vrid64[] = {
	0x45, 0xc0, 0x00, 0x40, /* Total Length 64 */
	0x00, 0x01, 0x00, 0x00, /* Identification 1 */
	0xff, 0x33, 0x36, 0xc6, /* TTL 255, AH, checksum */
	0xc0, 0x00, 0x02, 0x01, /* 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02, /* 192.0.2.2 */
	0x70, 0x04, 0x00, 0x00, /* AH: Next Header 112, Payload Len 4 */
	0xc0, 0x00, 0x02, 0x01, /* SPI */
	0x00, 0x00, 0x00, 0x01, /* Sequence Number 1 */
	0x01, 0x84, 0x84, 0x35, /* ICV */
	0x4e, 0x1a, 0x09, 0x5c, /* */
	0x54, 0x1d, 0xf9, 0xa0, /* */
	0x21, 0x40, 0xc8, 0x01, /* VRRPv2, VRID 64, prio 200, 1 addr */
	0x02, 0x01, 0x52, 0x7c, /* Auth Type 2, Adver Int 1, checksum */
	0xc0, 0x00, 0x02, 0x40, /* 192.0.2.64 */
	0x00, 0x00, 0x00, 0x00, /* Authentication Data: zero */
	0x00, 0x00, 0x00, 0x00, /* */
};

#endif /* VRRPD_TESTS_AH_V2_IPV4_H */
