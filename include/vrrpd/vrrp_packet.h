/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VRRPv2 (RFC 3768) and VRRPv3 (RFC 5798, RFC 9568) advertisements: decode,
 * validate and encode over byte buffers. Pure: no allocation, no logging, no
 * I/O, no clock. The caller counts and logs what these functions return.
 */

#ifndef VRRPD_VRRP_PACKET_H
#define VRRPD_VRRP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrpd/util.h"

#define VRRP_IPPROTO	  112 /* IP protocol number */
#define VRRP_TTL	  255 /* TTL / Hop Limit sent and required */
#define VRRP_TYPE_ADVERT  1   /* the only packet type */
#define VRRP_HDR_LEN	  8   /* fixed header, both versions */
#define VRRP_AUTH_LEN	  8   /* v2 Authentication Data */
#define VRRP_MAX_ADDRS	  255 /* the Count field is one byte */
#define VRRP_PRIO_OWNER	  255 /* address owner */
#define VRRP_PRIO_STOP	  0   /* "the Master is leaving" */
#define VRRP_PRIO_DEFAULT 100

/* v3 Max Adver Int: 12 bits of centiseconds; v2 Adver Int: 8 bits of s. */
#define VRRP_V3_ADVER_INT_MAX_CS 4095
#define VRRP_V2_ADVER_INT_MAX_S	 255

/* Largest advert: v3 over IPv6 with 255 addresses. */
#define VRRP_PKT_MAX_LEN (VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16)

/* v2 Auth Type values (RFC 2338; "reserved" since RFC 3768). */
#define VRRP_AUTH_NONE 0
#define VRRP_AUTH_PASS 1 /* simple text password (keepalived) */
#define VRRP_AUTH_AH   2 /* IP Authentication Header */

/*
 * Outcome of decoding, validating or encoding. Every receive-side value but
 * VRRP_PKT_OK is a reason to discard the packet and maps to one counter
 * (vrrp_pkt_counter()); vrrp_pkt_strerror() names it.
 */
enum vrrp_pkt_err {
	VRRP_PKT_OK = 0,
	VRRP_PKT_TRUNCATED,	 /* shorter than the fixed header(s) */
	VRRP_PKT_BAD_PROTO,	 /* not IPv4/IPv6, or protocol is not 112 */
	VRRP_PKT_BAD_TTL,	 /* TTL / Hop Limit is not 255 */
	VRRP_PKT_BAD_VERSION,	 /* not 2 or 3, v2 over IPv6, or not ours */
	VRRP_PKT_BAD_TYPE,	 /* type is not ADVERTISEMENT */
	VRRP_PKT_BAD_ADDR_COUNT, /* Count IPvX Addr needs more bytes */
	VRRP_PKT_BAD_CHECKSUM,	 /* no checksum variant allowed here matches */
	VRRP_PKT_BAD_VRID,	 /* VRID is not the instance's */
	VRRP_PKT_BAD_AUTH_TYPE,	 /* v2 Auth Type unknown (not 0, 1 or 2) */
	VRRP_PKT_AUTH_MISMATCH,	 /* v2 Auth Type differs from ours */
	VRRP_PKT_BAD_AUTH,	 /* v2 password differs from ours */
	VRRP_PKT_BAD_INTERVAL,	 /* v2 Adver Int differs from ours */
	VRRP_PKT_BAD_ADDR_LIST,	 /* address list differs from our VIPs */
	VRRP_PKT_NOSPACE,	 /* encode: buffer too small */
	VRRP_PKT_BAD_FIELD,	 /* encode: a field is out of range */
	VRRP_PKT_ERR_MAX
};

/*
 * Counters a discarded packet increments. Names follow RFC 6527 (VRRPv3 MIB)
 * and, for v2 authentication, RFC 2787.
 */
enum vrrp_pkt_ctr {
	VRRP_CTR_NONE = 0,	       /* encode-only outcomes, or OK */
	VRRP_CTR_PACKET_LENGTH_ERRORS, /* vrrpv3StatisticsPacketLengthErrors */
	VRRP_CTR_IP_TTL_ERRORS,	       /* vrrpv3StatisticsIpTtlErrors */
	VRRP_CTR_VERSION_ERRORS,       /* vrrpv3RouterVersionErrors */
	VRRP_CTR_INVALID_TYPE,	    /* vrrpv3StatisticsRcvdInvalidTypePackets */
	VRRP_CTR_CHECKSUM_ERRORS,   /* vrrpv3RouterChecksumErrors */
	VRRP_CTR_VRID_ERRORS,	    /* vrrpv3RouterVrIdErrors */
	VRRP_CTR_INVALID_AUTH_TYPE, /* vrrpStatsInvalidAuthType */
	VRRP_CTR_AUTH_TYPE_MISMATCH,  /* vrrpStatsAuthTypeMismatch */
	VRRP_CTR_AUTH_FAILURES,	      /* vrrpStatsAuthFailures */
	VRRP_CTR_ADV_INTERVAL_ERRORS, /* vrrpv3StatisticsAdvIntervalErrors */
	VRRP_CTR_ADDRESS_LIST_ERRORS, /* vrrpv3StatisticsAddressListErrors */
	VRRP_CTR_MAX
};

/*
 * VRRPv3 over IPv4 checksum variants. RFC 5798 was ambiguous; keepalived and
 * FRR add an IPv4 pseudo-header (with the real, possibly unicast,
 * destination), RFC 9568 and Cisco/Juniper sum the message only. VRRPv2 and
 * VRRPv3 over IPv6 have one variant each and ignore this setting.
 */
enum vrrp_csum_mode {
	VRRP_CSUM_PSEUDO = 0, /* IPv4 pseudo-header (keepalived default) */
	VRRP_CSUM_MSG_ONLY,   /* message only (RFC 9568) */
	VRRP_CSUM_AUTO,	      /* receive only: accept either */
};

/* Bits of struct vrrp_advert.csum_ok: which computed variants matched. */
#define VRRP_CSUM_OK_PSEUDO 0x1 /* with a pseudo-header (v3) */
#define VRRP_CSUM_OK_MSG    0x2 /* over the message only (v2, v3/IPv4) */

/*
 * What the receiving socket knows about a datagram, from the IPv4 header or
 * from IPV6_PKTINFO / IPV6_HOPLIMIT control messages.
 */
struct vrrp_pkt_meta {
	struct addr src;      /* IP source; its .af is the family */
	struct addr dst;      /* IP destination (group or unicast) */
	uint8_t ttl;	      /* IPv4 TTL or IPv6 Hop Limit */
	unsigned int ifindex; /* receiving interface, 0 if unknown */
};

/*
 * A decoded advertisement. .addrs points into the caller's buffer and is valid
 * as long as that buffer is; read entries with vrrp_pkt_addr_at().
 */
struct vrrp_advert {
	struct vrrp_pkt_meta meta;
	uint8_t version;       /* 2 or 3 */
	uint8_t vrid;	       /* 1..255 (0 is decoded, never valid) */
	uint8_t priority;      /* 0..255 */
	uint8_t naddr;	       /* Count IPvX Addr */
	uint16_t adver_int_cs; /* v3 Max Adver Int; v2 Adver Int x 100 */
	uint8_t auth_type;     /* v2 only, else 0 */
	uint8_t auth_data[VRRP_AUTH_LEN]; /* v2 only, else zero */
	uint16_t csum;			  /* as on the wire, host byte order */
	unsigned int csum_ok;		  /* VRRP_CSUM_OK_* bits */
	const uint8_t *addrs;		  /* naddr * 4 or 16 bytes */
};

/* What an instance expects of the adverts for its VRID (vrrp_pkt_validate). */
struct vrrp_pkt_expect {
	uint8_t version; /* 2 or 3 */
	uint8_t vrid;
	enum vrrp_csum_mode csum_mode;	  /* v3 over IPv4 only */
	uint8_t auth_type;		  /* v2: VRRP_AUTH_NONE or _PASS */
	uint8_t auth_data[VRRP_AUTH_LEN]; /* v2 PASS: zero padded */
	uint16_t adver_int_cs;		  /* v2: our Advertisement_Interval */
};

/* What to encode (vrrp_pkt_encode). */
struct vrrp_pkt_tx {
	uint8_t version;       /* 2 (IPv4 only) or 3 */
	uint8_t vrid;	       /* 1..255 */
	uint8_t priority;      /* 0..255 */
	uint16_t adver_int_cs; /* v3: 1..4095; v2: whole seconds 1..255 */
	uint8_t auth_type;     /* v2 only */
	uint8_t auth_data[VRRP_AUTH_LEN]; /* v2 only */
	const struct addr *addrs;	  /* all of the family of .src */
	size_t naddr;			  /* 0..255 */
	struct addr src;		  /* IP source, for the pseudo-header */
	struct addr dst; /* IP destination, for the pseudo-header */
	enum vrrp_csum_mode csum_mode; /* v3/IPv4: PSEUDO or MSG_ONLY */
};

/*
 * Take apart an IPv4 datagram as a raw socket returns it (header included):
 * check the header, fill meta->src, ->dst and ->ttl (ifindex is left alone),
 * and point *payload / *plen at the VRRP message. The header's Total Length
 * is authoritative: bytes after it (Ethernet padding) are ignored.
 * Returns VRRP_PKT_OK, VRRP_PKT_TRUNCATED, or VRRP_PKT_BAD_PROTO (not IP
 * version 4, or not protocol 112).
 */
enum vrrp_pkt_err vrrp_pkt_parse_ip4(const uint8_t *dgram, size_t len,
    struct vrrp_pkt_meta *meta, const uint8_t **payload, size_t *plen);

/*
 * Decode the VRRP message buf[0..len) received with *meta, applying the
 * receive rules that need no configuration (RFC 5798 §7.1 items 1-4, RFC
 * 3768 §7.1), cheapest first: TTL, version (v2 only over IPv4), type, length
 * against Count (trailing bytes are tolerated), v2 Auth Type known, checksum
 * (at least one variant valid for the version and family). Metadata with
 * no usable family (source not IPv4/IPv6, or destination of another
 * family) gives VRRP_PKT_BAD_PROTO. Fills *out, also on most errors as far
 * as the bytes allow (for logging). No allocation.
 */
enum vrrp_pkt_err vrrp_pkt_decode(const uint8_t *buf, size_t len,
    const struct vrrp_pkt_meta *meta, struct vrrp_advert *out);

/*
 * Check a decoded advert against one instance's expectations, in RFC order:
 * version, VRID, checksum variant (v3/IPv4 per exp->csum_mode), v2 Auth Type
 * and password, v2 Adver Int. The address list is separate
 * (vrrp_pkt_addrs_match) because whether a mismatch discards is a policy.
 */
enum vrrp_pkt_err vrrp_pkt_validate(const struct vrrp_advert *adv,
    const struct vrrp_pkt_expect *exp);

/*
 * True when the advert's address list holds exactly the n addresses in vips,
 * in any order (RFC 3768 §7.1, RFC 5798 §7.1 item 7).
 */
bool vrrp_pkt_addrs_match(const struct vrrp_advert *adv,
    const struct addr *vips, size_t n);

/* Copy address i (0 <= i < adv->naddr) of the advert into *out. */
void vrrp_pkt_addr_at(const struct vrrp_advert *adv, size_t i,
    struct addr *out);

/*
 * Encode an advert into buf (size bytes). Returns the message length, or a
 * negated enum vrrp_pkt_err: -VRRP_PKT_NOSPACE, -VRRP_PKT_BAD_FIELD (version,
 * VRID, interval, address count or families out of range, or
 * VRRP_CSUM_AUTO). No allocation.
 */
int vrrp_pkt_encode(const struct vrrp_pkt_tx *tx, uint8_t *buf, size_t size);

/*
 * The checksum of the VRRP message msg[0..len) whose checksum field is zero
 * (or is verified when not: the result is then 0), with or without the
 * pseudo-header of the family of src carrying src and dst. Host byte order.
 */
uint16_t vrrp_pkt_csum(const uint8_t *msg, size_t len, const struct addr *src,
    const struct addr *dst, bool pseudo);

/* Short text for an outcome ("bad checksum"); never NULL. */
const char *vrrp_pkt_strerror(enum vrrp_pkt_err err);

/* The counter a discarded packet increments for err. */
enum vrrp_pkt_ctr vrrp_pkt_counter(enum vrrp_pkt_err err);

/* Name of a counter as in its MIB ("vrrpv3RouterChecksumErrors"). */
const char *vrrp_pkt_ctr_name(enum vrrp_pkt_ctr ctr);

/*
 * Render an advert on one line for debug logs, e.g. "v3 vrid 51 prio 150
 * int 100cs 192.0.2.1 > 224.0.0.18 ttl 255 addrs 192.0.2.100". Truncates to
 * size; returns buf.
 */
const char *vrrp_pkt_format(const struct vrrp_advert *adv, char *buf,
    size_t size);

#endif /* VRRPD_VRRP_PACKET_H */
