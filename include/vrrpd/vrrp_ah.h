/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VRRPv2 "auth_type AH" as keepalived 2.2.7 puts it on the wire (RFC 2338
 * §5.3.6.3 with RFC 2402/4302 AH and RFC 2403 HMAC-MD5-96): build, parse
 * and verify IPv4 + AH + VRRP datagrams, and the anti-replay state. Pure:
 * no I/O, no clock, no logging, no allocation (the HMAC is
 * src/util/md5.c's).
 *
 * Wire format, learned from keepalived's vrrp.c and pinned by captures
 * (tests/vectors/ah_v2_ipv4.h):
 *
 *   IPv4 header, 20 bytes, protocol 51, TOS 0xc0, no DF, TTL 255 (unicast:
 *   unicast_ttl), Identification a per-sender counter that is never 0
 *   AH: Next Header 112, Payload Len 4, Reserved 0, SPI = the IPv4 source
 *   address, Sequence Number, ICV = HMAC-MD5 truncated to 96 bits
 *   VRRPv2 message: Auth Type 2, the 8 bytes of Authentication Data zero
 *
 * The ICV covers the whole datagram with TOS, flags and fragment offset,
 * the header checksum and the ICV itself zeroed; the TTL is zeroed too with
 * unicast peers only (keepalived's rule; RFC 4302 zeroes it always). The
 * Identification is covered, so a sender must choose it: with IP_HDRINCL
 * the kernel replaces an Identification of 0 after the ICV is computed,
 * and every receiver then rejects the datagram. The key is auth_pass,
 * truncated or zero padded to 8 bytes.
 */

#ifndef VRRPD_VRRP_AH_H
#define VRRPD_VRRP_AH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrpd/util.h"
#include "vrrpd/vrrp_packet.h"

#define VRRP_AH_PROTO	51 /* IP protocol number of AH (IPPROTO_AH) */
#define VRRP_AH_LEN	24 /* AH with a 96-bit ICV */
#define VRRP_AH_ICV_LEN 12 /* HMAC-MD5-96 (RFC 2403 §2) */
#define VRRP_AH_PLEN	4  /* Payload Len: 32-bit words of AH minus 2 */
#define VRRP_AH_KEY_LEN 8  /* auth_pass, zero padded */
#define VRRP_AH_IP4_LEN 20 /* the IPv4 header we send: no options */
#define VRRP_AH_TOS	0xc0
/* Largest datagram we build: header, AH and a VRRPv2 message. */
#define VRRP_AH_MAX_LEN                                                      \
	(VRRP_AH_IP4_LEN + VRRP_AH_LEN + VRRP_HDR_LEN + VRRP_MAX_ADDRS * 4 + \
	    VRRP_AUTH_LEN)
/* Largest datagram we verify: an IPv4 header with 40 bytes of options. */
#define VRRP_AH_RX_MAX_LEN (VRRP_AH_MAX_LEN + 40)
/* Sources whose last sequence number an instance remembers. */
#define VRRP_AH_PEERS 8

/*
 * Outcome of parsing, verifying or building. Every receive-side value but
 * VRRP_AH_OK discards the datagram and maps to one counter
 * (vrrp_ah_counter()); vrrp_ah_strerror() names it.
 */
enum vrrp_ah_err {
	VRRP_AH_OK = 0,
	VRRP_AH_TRUNCATED, /* shorter than IPv4 + AH + VRRP fixed header */
	VRRP_AH_BAD_PROTO, /* not IPv4, or the protocol is not 51 */
	VRRP_AH_NOT_VRRP,  /* AH Next Header is not 112: other IPsec traffic */
	VRRP_AH_BAD_LEN,   /* AH Payload Len is not 4 (no 96-bit ICV) */
	VRRP_AH_BAD_ICV,   /* the ICV does not verify: key or bytes differ */
	VRRP_AH_BAD_SPI,   /* the SPI is not the IPv4 source address */
	VRRP_AH_REPLAY,	   /* sequence number not above the last accepted */
	VRRP_AH_NOSPACE,   /* build: buffer too small */
	VRRP_AH_BAD_FIELD, /* build: a field is out of range */
	VRRP_AH_ERR_MAX
};

/* The fields of an Authentication Header, host byte order. */
struct vrrp_ah_hdr {
	uint8_t next_header;
	uint8_t payload_len;
	uint32_t spi;
	uint32_t seq;
	uint8_t icv[VRRP_AH_ICV_LEN];
};

/* What to put around one VRRP message (vrrp_ah_encode). */
struct vrrp_ah_tx {
	struct addr src; /* IPv4 source, also the SPI */
	struct addr dst; /* 224.0.0.18 or a unicast peer */
	uint8_t ttl;	 /* 255, or unicast_ttl */
	uint8_t tos;	 /* VRRP_AH_TOS */
	uint16_t ip_id;	 /* 1..65535 (vrrp_ah_next()) */
	uint32_t seq;	 /* vrrp_ah_next() */
	bool zero_ttl;	 /* unicast peers: the TTL is left out of the ICV */
	uint8_t key[VRRP_AH_KEY_LEN];
};

/* The last sequence number accepted from one source. */
struct vrrp_ah_peer {
	struct in_addr src;
	uint32_t seq;
	uint64_t used; /* vrrp_ah_state.tick when last accepted, 0: free */
};

/*
 * One instance's AH counters; all zero is the initial state (after a
 * start, as keepalived: the first sequence number sent is 1, any number
 * above 0 is accepted from a source not heard before).
 *
 * Sequence numbers follow keepalived's rule so that both interoperate:
 * keepalived keeps one counter per instance, raised by what it sends and by
 * what it accepts, and accepts only numbers above it. vrrpd remembers the
 * last number per source (so a restarted peer is heard once it numbers
 * above its own old adverts) and numbers its adverts above everything it
 * sent or accepted (so a keepalived peer that heard them accepts ours; a
 * new master continues the old master's numbering). Its own adverts are
 * remembered under its own source, so a replay of them is refused too.
 */
struct vrrp_ah_state {
	uint32_t tx_seq; /* last sequence number sent or accepted */
	uint16_t ip_id;	 /* last IPv4 Identification sent */
	uint64_t tick;	 /* counts accepted numbers, for eviction */
	struct vrrp_ah_peer peers[VRRP_AH_PEERS];
};

/*
 * Take the IPv4 Identification and AH sequence number for the next
 * advert, one pair for all its destinations (unicast peers), and remember
 * the number under src (the advert source, IPv4). The Identification
 * skips 0; the sequence number stops at 0xffffffff (RFC 4302 §3.3.3 forbids
 * cycling; 2^32 adverts at 1 s is 136 years).
 */
void vrrp_ah_next(struct vrrp_ah_state *st, const struct addr *src,
    uint16_t *ip_id, uint32_t *seq);

/*
 * Anti-replay (RFC 4302 §3.4.3, keepalived's strict form without a
 * window): accept seq from src when it is above the last number accepted
 * from src (any number above 0 for a new source), then remember it and
 * raise the number the next advert carries above it. A new source takes a
 * free slot, else the one least recently accepted. Call only for a
 * datagram whose ICV verified. Returns VRRP_AH_OK, VRRP_AH_REPLAY (then
 * nothing changes), or VRRP_AH_BAD_PROTO when src is not IPv4.
 */
enum vrrp_ah_err vrrp_ah_seq_check(struct vrrp_ah_state *st,
    const struct addr *src, uint32_t seq);

/*
 * Build an IPv4 + AH datagram around the VRRP message msg[0..mlen) (as
 * vrrp_pkt_encode() made it: Auth Type 2, zero Authentication Data) into
 * buf (size bytes): the header as described above with its checksum, the
 * AH, the message, and the ICV over all of it. Returns the datagram length,
 * or a negated enum vrrp_ah_err: -VRRP_AH_BAD_FIELD (addresses not IPv4,
 * ip_id 0, message shorter than the VRRP header or longer than a VRRPv2
 * advert can be), -VRRP_AH_NOSPACE.
 */
int vrrp_ah_encode(const struct vrrp_ah_tx *tx, const uint8_t *msg, size_t mlen,
    uint8_t *buf, size_t size);

/*
 * Take apart an IPv4 datagram as a raw IPPROTO_AH socket returns it
 * (untrusted bytes): check the IPv4 header (version 4, IHL, Total Length
 * within len: bytes after it are ignored), protocol 51, the AH Next Header
 * (112) and Payload Len (4). Fills meta->src, ->dst and ->ttl (ifindex is
 * left alone), *ah, and points *payload / *plen at the VRRP message (which
 * vrrp_pkt_decode() then checks). Nothing is authenticated yet: the caller
 * uses the message only to find the instance, whose key
 * vrrp_ah_verify() needs. Returns VRRP_AH_OK, _TRUNCATED (also when fewer
 * than VRRP_HDR_LEN bytes follow the AH), _BAD_PROTO, _NOT_VRRP or _BAD_LEN.
 */
enum vrrp_ah_err vrrp_ah_parse(const uint8_t *dgram, size_t len,
    struct vrrp_pkt_meta *meta, struct vrrp_ah_hdr *ah, const uint8_t **payload,
    size_t *plen);

/*
 * Verify the datagram dgram[0..len) (vrrp_ah_parse() must accept it; it
 * is parsed again here) with key: the ICV, compared in constant time, then
 * the SPI against the source, in keepalived's order (a datagram whose ICV
 * fails says nothing true). zero_ttl: our instance uses unicast peers.
 * Returns VRRP_AH_OK, VRRP_AH_BAD_ICV, VRRP_AH_BAD_SPI, or what
 * vrrp_ah_parse() returns. The sequence number is the caller's
 * next step (vrrp_ah_seq_check()).
 */
enum vrrp_ah_err vrrp_ah_verify(const uint8_t *dgram, size_t len,
    const uint8_t key[VRRP_AH_KEY_LEN], bool zero_ttl);

/*
 * Compute the ICV of the datagram dgram[0..len) (parsed as by
 * vrrp_ah_parse()) and write it into its AH; also for tests that change a
 * field and sign again. Returns VRRP_AH_OK or what vrrp_ah_parse()
 * returns (then nothing is written).
 */
enum vrrp_ah_err vrrp_ah_sign(uint8_t *dgram, size_t len,
    const uint8_t key[VRRP_AH_KEY_LEN], bool zero_ttl);

/* The key for an auth_pass: its first 8 bytes, zero padded. */
void vrrp_ah_key(const char *pass, uint8_t key[VRRP_AH_KEY_LEN]);

/* Short text for an outcome ("ICV mismatch"); never NULL. */
const char *vrrp_ah_strerror(enum vrrp_ah_err err);

/* The counter a discarded datagram increments for err. */
enum vrrp_pkt_ctr vrrp_ah_counter(enum vrrp_ah_err err);

#endif /* VRRPD_VRRP_AH_H */
