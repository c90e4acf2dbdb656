/* SPDX-License-Identifier: BSD-2-Clause */
/* VRRPv2 with IPsec AH (keepalived's auth_type AH): build, parse, verify. */

#include <stdbool.h>
#include <string.h>

#include "vrrpd/md5.h"
#include "vrrpd/vrrp_ah.h"

#define IP4_HDR_MIN 20
#define IP4_HDR_MAX 60 /* IHL 15 */
#define AH_ICV_OFF  12 /* ICV offset in the AH */

static const char *const ah_errstr[VRRP_AH_ERR_MAX] = {
	[VRRP_AH_OK] = "ok",
	[VRRP_AH_TRUNCATED] = "truncated AH datagram",
	[VRRP_AH_BAD_PROTO] = "not an IPv4 AH datagram",
	[VRRP_AH_NOT_VRRP] = "AH carries another protocol than VRRP",
	[VRRP_AH_BAD_LEN] = "AH payload length is not that of HMAC-MD5-96",
	[VRRP_AH_BAD_ICV] = "AH ICV mismatch (another auth_pass?)",
	[VRRP_AH_BAD_SPI] = "AH SPI is not the source address",
	[VRRP_AH_REPLAY] = "AH sequence number not above the last one",
	[VRRP_AH_NOSPACE] = "no space in buffer",
	[VRRP_AH_BAD_FIELD] = "field out of range",
};

/* keepalived counts ICV, SPI and sequence failures as auth_failure. */
static const enum vrrp_pkt_ctr ah_ctr[VRRP_AH_ERR_MAX] = {
	[VRRP_AH_OK] = VRRP_CTR_NONE,
	[VRRP_AH_TRUNCATED] = VRRP_CTR_PACKET_LENGTH_ERRORS,
	[VRRP_AH_BAD_PROTO] = VRRP_CTR_INVALID_TYPE,
	[VRRP_AH_NOT_VRRP] = VRRP_CTR_INVALID_TYPE,
	[VRRP_AH_BAD_LEN] = VRRP_CTR_PACKET_LENGTH_ERRORS,
	[VRRP_AH_BAD_ICV] = VRRP_CTR_AUTH_FAILURES,
	[VRRP_AH_BAD_SPI] = VRRP_CTR_AUTH_FAILURES,
	[VRRP_AH_REPLAY] = VRRP_CTR_AUTH_FAILURES,
	[VRRP_AH_NOSPACE] = VRRP_CTR_NONE,
	[VRRP_AH_BAD_FIELD] = VRRP_CTR_NONE,
};

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* Where the IPv4 header ends and the datagram ends (Total Length). */
struct ah_layout {
	size_t hlen, tlen;
};

static enum vrrp_ah_err
layout(const uint8_t *dgram, size_t len, struct ah_layout *l)
{
	if (len < IP4_HDR_MIN)
		return VRRP_AH_TRUNCATED;
	if (dgram[0] >> 4 != 4)
		return VRRP_AH_BAD_PROTO;
	/* RFC 791: IHL in 32-bit words; Total Length includes the header. */
	l->hlen = (size_t)(dgram[0] & 0x0f) * 4;
	l->tlen = get16(dgram + 2);
	if (l->hlen < IP4_HDR_MIN || l->hlen > len || l->tlen < l->hlen ||
	    l->tlen > len)
		return VRRP_AH_TRUNCATED;
	if (dgram[9] != VRRP_AH_PROTO)
		return VRRP_AH_BAD_PROTO;
	if (l->tlen - l->hlen < VRRP_AH_LEN)
		return VRRP_AH_TRUNCATED;
	/* RFC 4302 §2.1: Next Header; keepalived ignores other protocols. */
	if (dgram[l->hlen] != VRRP_IPPROTO)
		return VRRP_AH_NOT_VRRP;
	/* RFC 4302 §2.2: (12 + 12 bytes of ICV) / 4 - 2. */
	if (dgram[l->hlen + 1] != VRRP_AH_PLEN)
		return VRRP_AH_BAD_LEN;
	if (l->tlen - l->hlen - VRRP_AH_LEN < VRRP_HDR_LEN)
		return VRRP_AH_TRUNCATED;
	return VRRP_AH_OK;
}

enum vrrp_ah_err
vrrp_ah_parse(const uint8_t *dgram, size_t len, struct vrrp_pkt_meta *meta,
    struct vrrp_ah_hdr *ah, const uint8_t **payload, size_t *plen)
{
	struct ah_layout l;
	enum vrrp_ah_err err;
	const uint8_t *a;

	memset(ah, 0, sizeof(*ah));
	*payload = NULL;
	*plen = 0;
	if (len >= IP4_HDR_MIN) {
		memset(&meta->src, 0, sizeof(meta->src));
		memset(&meta->dst, 0, sizeof(meta->dst));
		meta->src.af = meta->dst.af = AF_INET;
		memcpy(&meta->src.u.v4, dgram + 12, 4);
		memcpy(&meta->dst.u.v4, dgram + 16, 4);
		meta->ttl = dgram[8];
	}
	if ((err = layout(dgram, len, &l)) != VRRP_AH_OK)
		return err;
	a = dgram + l.hlen;
	ah->next_header = a[0];
	ah->payload_len = a[1];
	ah->spi = get32(a + 4);
	ah->seq = get32(a + 8);
	memcpy(ah->icv, a + AH_ICV_OFF, VRRP_AH_ICV_LEN);
	*payload = a + VRRP_AH_LEN;
	*plen = l.tlen - l.hlen - VRRP_AH_LEN;
	return VRRP_AH_OK;
}

/*
 * HMAC-MD5-96 (RFC 2403) over head[0..hlen) then rest[0..rlen), keyed with
 * the 8 bytes of auth_pass as keepalived does (HMAC pads them to a block).
 */
static void
hmac_md5_96(const uint8_t key[VRRP_AH_KEY_LEN], const uint8_t *head,
    size_t hlen, const uint8_t *rest, size_t rlen, uint8_t icv[VRRP_AH_ICV_LEN])
{
	struct hmac_md5_ctx h;
	uint8_t md[MD5_LEN];

	hmac_md5_init(&h, key, VRRP_AH_KEY_LEN);
	hmac_md5_update(&h, head, hlen);
	hmac_md5_update(&h, rest, rlen);
	hmac_md5_final(&h, md);
	/* RFC 2404 §2: the first 96 bits. */
	memcpy(icv, md, VRRP_AH_ICV_LEN);
}

/* Equal n bytes, in time that does not depend on where they differ. */
static bool
same_ct(const uint8_t *a, const uint8_t *b, size_t n)
{
	volatile uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

/*
 * The ICV of a parsed datagram. RFC 4302 §3.3.3.1.1.1 zeroes the mutable
 * IPv4 fields; keepalived zeroes TOS, flags with fragment offset and the
 * checksum, and the TTL only with unicast peers. Options are covered as
 * received (vrrpd sends none).
 */
static void
compute_icv(const uint8_t *dgram, const struct ah_layout *l,
    const uint8_t key[VRRP_AH_KEY_LEN], bool zero_ttl,
    uint8_t icv[VRRP_AH_ICV_LEN])
{
	uint8_t head[IP4_HDR_MAX + VRRP_AH_LEN];
	size_t n = l->hlen + VRRP_AH_LEN;

	memcpy(head, dgram, n);
	head[1] = 0;
	head[6] = head[7] = 0;
	head[10] = head[11] = 0;
	if (zero_ttl)
		head[8] = 0;
	memset(head + l->hlen + AH_ICV_OFF, 0, VRRP_AH_ICV_LEN);
	hmac_md5_96(key, head, n, dgram + n, l->tlen - n, icv);
}

enum vrrp_ah_err
vrrp_ah_verify(const uint8_t *dgram, size_t len,
    const uint8_t key[VRRP_AH_KEY_LEN], bool zero_ttl)
{
	uint8_t icv[VRRP_AH_ICV_LEN];
	struct ah_layout l;
	enum vrrp_ah_err err;

	if ((err = layout(dgram, len, &l)) != VRRP_AH_OK)
		return err;
	compute_icv(dgram, &l, key, zero_ttl, icv);
	if (!same_ct(icv, dgram + l.hlen + AH_ICV_OFF, VRRP_AH_ICV_LEN))
		return VRRP_AH_BAD_ICV;
	/* keepalived: the SPI is the sender's address (no SA negotiated). */
	if (memcmp(dgram + l.hlen + 4, dgram + 12, 4) != 0)
		return VRRP_AH_BAD_SPI;
	return VRRP_AH_OK;
}

enum vrrp_ah_err
vrrp_ah_sign(uint8_t *dgram, size_t len, const uint8_t key[VRRP_AH_KEY_LEN],
    bool zero_ttl)
{
	uint8_t icv[VRRP_AH_ICV_LEN];
	struct ah_layout l;
	enum vrrp_ah_err err;

	if ((err = layout(dgram, len, &l)) != VRRP_AH_OK)
		return err;
	compute_icv(dgram, &l, key, zero_ttl, icv);
	memcpy(dgram + l.hlen + AH_ICV_OFF, icv, VRRP_AH_ICV_LEN);
	return VRRP_AH_OK;
}

int
vrrp_ah_encode(const struct vrrp_ah_tx *tx, const uint8_t *msg, size_t mlen,
    uint8_t *buf, size_t size)
{
	size_t tlen = VRRP_AH_IP4_LEN + VRRP_AH_LEN + mlen;
	uint8_t *ah = buf + VRRP_AH_IP4_LEN;
	enum vrrp_ah_err err;
	uint16_t csum;

	if (tx->src.af != AF_INET || tx->dst.af != AF_INET || tx->ip_id == 0 ||
	    mlen < VRRP_HDR_LEN || tlen > VRRP_AH_MAX_LEN)
		return -VRRP_AH_BAD_FIELD;
	if (size < tlen)
		return -VRRP_AH_NOSPACE;
	/* RFC 791 header as keepalived builds it: no options, no DF. */
	buf[0] = 0x45;
	buf[1] = tx->tos;
	put16(buf + 2, (uint16_t)tlen);
	put16(buf + 4, tx->ip_id);
	put16(buf + 6, 0);
	buf[8] = tx->ttl;
	buf[9] = VRRP_AH_PROTO;
	put16(buf + 10, 0);
	memcpy(buf + 12, &tx->src.u.v4, 4);
	memcpy(buf + 16, &tx->dst.u.v4, 4);
	/* The kernel sums it again under IP_HDRINCL; ours matches the wire. */
	csum = util_csum_fold(util_csum_add(0, buf, VRRP_AH_IP4_LEN));
	memcpy(buf + 10, &csum, sizeof(csum));
	ah[0] = VRRP_IPPROTO;
	ah[1] = VRRP_AH_PLEN;
	put16(ah + 2, 0);
	memcpy(ah + 4, &tx->src.u.v4, 4);
	put32(ah + 8, tx->seq);
	memset(ah + AH_ICV_OFF, 0, VRRP_AH_ICV_LEN);
	memcpy(ah + VRRP_AH_LEN, msg, mlen);
	if ((err = vrrp_ah_sign(buf, tlen, tx->key, tx->zero_ttl)) !=
	    VRRP_AH_OK)
		return -(int)err;
	return (int)tlen;
}

static struct vrrp_ah_peer *
peer_find(struct vrrp_ah_state *st, const struct in_addr *src)
{
	for (size_t i = 0; i < VRRP_AH_PEERS; i++)
		if (st->peers[i].used != 0 &&
		    st->peers[i].src.s_addr == src->s_addr)
			return &st->peers[i];
	return NULL;
}

/* A free slot, else the least recently accepted source's. */
static struct vrrp_ah_peer *
peer_new(struct vrrp_ah_state *st, const struct in_addr *src)
{
	struct vrrp_ah_peer *p = &st->peers[0];

	for (size_t i = 1; i < VRRP_AH_PEERS && p->used != 0; i++)
		if (st->peers[i].used < p->used)
			p = &st->peers[i];
	p->src = *src;
	p->seq = 0;
	return p;
}

static void
peer_note(struct vrrp_ah_state *st, struct vrrp_ah_peer *p, uint32_t seq)
{
	if (seq > p->seq)
		p->seq = seq;
	p->used = ++st->tick;
	if (seq > st->tx_seq)
		st->tx_seq = seq;
}

void
vrrp_ah_next(struct vrrp_ah_state *st, const struct addr *src, uint16_t *ip_id,
    uint32_t *seq)
{
	struct vrrp_ah_peer *p;

	/* 0 would make the kernel choose one after the ICV is computed. */
	if (++st->ip_id == 0)
		st->ip_id = 1;
	if (st->tx_seq < UINT32_MAX)
		st->tx_seq++;
	*ip_id = st->ip_id;
	*seq = st->tx_seq;
	if (src->af != AF_INET)
		return;
	if ((p = peer_find(st, &src->u.v4)) == NULL)
		p = peer_new(st, &src->u.v4);
	peer_note(st, p, *seq);
}

enum vrrp_ah_err
vrrp_ah_seq_check(struct vrrp_ah_state *st, const struct addr *src,
    uint32_t seq)
{
	struct vrrp_ah_peer *p;

	if (src->af != AF_INET)
		return VRRP_AH_BAD_PROTO;
	p = peer_find(st, &src->u.v4);
	/* keepalived: strictly above the last accepted; it starts at 0. */
	if (seq == 0 || (p != NULL && seq <= p->seq))
		return VRRP_AH_REPLAY;
	if (p == NULL)
		p = peer_new(st, &src->u.v4);
	peer_note(st, p, seq);
	return VRRP_AH_OK;
}

void
vrrp_ah_key(const char *pass, uint8_t key[VRRP_AH_KEY_LEN])
{
	memset(key, 0, VRRP_AH_KEY_LEN);
	if (pass != NULL)
		memcpy(key, pass, strnlen(pass, VRRP_AH_KEY_LEN));
}

const char *
vrrp_ah_strerror(enum vrrp_ah_err err)
{
	if ((unsigned int)err >= VRRP_AH_ERR_MAX || ah_errstr[err] == NULL)
		return "unknown error";
	return ah_errstr[err];
}

enum vrrp_pkt_ctr
vrrp_ah_counter(enum vrrp_ah_err err)
{
	if ((unsigned int)err >= VRRP_AH_ERR_MAX)
		return VRRP_CTR_NONE;
	return ah_ctr[err];
}
