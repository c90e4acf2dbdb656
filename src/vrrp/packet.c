/* SPDX-License-Identifier: BSD-2-Clause */
/* VRRPv2/v3 advertisements: decode, validate and encode over byte buffers. */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vrrpd/vrrp_packet.h"

#define IP4_HDR_MIN 20 /* RFC 791: IHL 5, no options */

static const char *const pkt_errstr[VRRP_PKT_ERR_MAX] = {
	[VRRP_PKT_OK] = "ok",
	[VRRP_PKT_TRUNCATED] = "truncated packet",
	[VRRP_PKT_BAD_PROTO] = "not a VRRP datagram",
	[VRRP_PKT_BAD_TTL] = "TTL or hop limit is not 255",
	[VRRP_PKT_BAD_VERSION] = "bad version",
	[VRRP_PKT_BAD_TYPE] = "bad packet type",
	[VRRP_PKT_BAD_ADDR_COUNT] = "address count exceeds packet length",
	[VRRP_PKT_BAD_CHECKSUM] = "bad checksum",
	[VRRP_PKT_BAD_VRID] = "VRID mismatch",
	[VRRP_PKT_BAD_AUTH_TYPE] = "invalid auth type",
	[VRRP_PKT_AUTH_MISMATCH] = "auth type mismatch",
	[VRRP_PKT_BAD_AUTH] = "authentication failure",
	[VRRP_PKT_BAD_INTERVAL] = "advertisement interval mismatch",
	[VRRP_PKT_BAD_ADDR_LIST] = "address list mismatch",
	[VRRP_PKT_NOSPACE] = "no space in buffer",
	[VRRP_PKT_BAD_FIELD] = "field out of range",
};

/*
 * RFC 6527 has no counter for a datagram that is not protocol 112 (a raw
 * socket bound to 112 never sees one); it is counted as "not an
 * advertisement", the nearest RFC 6527 reason.
 */
static const enum vrrp_pkt_ctr pkt_ctr[VRRP_PKT_ERR_MAX] = {
	[VRRP_PKT_OK] = VRRP_CTR_NONE,
	[VRRP_PKT_TRUNCATED] = VRRP_CTR_PACKET_LENGTH_ERRORS,
	[VRRP_PKT_BAD_PROTO] = VRRP_CTR_INVALID_TYPE,
	[VRRP_PKT_BAD_TTL] = VRRP_CTR_IP_TTL_ERRORS,
	[VRRP_PKT_BAD_VERSION] = VRRP_CTR_VERSION_ERRORS,
	[VRRP_PKT_BAD_TYPE] = VRRP_CTR_INVALID_TYPE,
	[VRRP_PKT_BAD_ADDR_COUNT] = VRRP_CTR_PACKET_LENGTH_ERRORS,
	[VRRP_PKT_BAD_CHECKSUM] = VRRP_CTR_CHECKSUM_ERRORS,
	[VRRP_PKT_BAD_VRID] = VRRP_CTR_VRID_ERRORS,
	[VRRP_PKT_BAD_AUTH_TYPE] = VRRP_CTR_INVALID_AUTH_TYPE,
	[VRRP_PKT_AUTH_MISMATCH] = VRRP_CTR_AUTH_TYPE_MISMATCH,
	[VRRP_PKT_BAD_AUTH] = VRRP_CTR_AUTH_FAILURES,
	[VRRP_PKT_BAD_INTERVAL] = VRRP_CTR_ADV_INTERVAL_ERRORS,
	[VRRP_PKT_BAD_ADDR_LIST] = VRRP_CTR_ADDRESS_LIST_ERRORS,
	[VRRP_PKT_NOSPACE] = VRRP_CTR_NONE,
	[VRRP_PKT_BAD_FIELD] = VRRP_CTR_NONE,
};

static const char *const ctr_names[VRRP_CTR_MAX] = {
	[VRRP_CTR_NONE] = "none",
	[VRRP_CTR_PACKET_LENGTH_ERRORS] = "vrrpv3StatisticsPacketLengthErrors",
	[VRRP_CTR_IP_TTL_ERRORS] = "vrrpv3StatisticsIpTtlErrors",
	[VRRP_CTR_VERSION_ERRORS] = "vrrpv3RouterVersionErrors",
	[VRRP_CTR_INVALID_TYPE] = "vrrpv3StatisticsRcvdInvalidTypePackets",
	[VRRP_CTR_CHECKSUM_ERRORS] = "vrrpv3RouterChecksumErrors",
	[VRRP_CTR_VRID_ERRORS] = "vrrpv3RouterVrIdErrors",
	[VRRP_CTR_INVALID_AUTH_TYPE] = "vrrpStatsInvalidAuthType",
	[VRRP_CTR_AUTH_TYPE_MISMATCH] = "vrrpStatsAuthTypeMismatch",
	[VRRP_CTR_AUTH_FAILURES] = "vrrpStatsAuthFailures",
	[VRRP_CTR_ADV_INTERVAL_ERRORS] = "vrrpv3StatisticsAdvIntervalErrors",
	[VRRP_CTR_ADDRESS_LIST_ERRORS] = "vrrpv3StatisticsAddressListErrors",
};

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
addr_from_bytes(struct addr *a, sa_family_t af, const uint8_t *p)
{
	memset(a, 0, sizeof(*a));
	a->af = af;
	if (af == AF_INET)
		memcpy(&a->u.v4, p, sizeof(a->u.v4));
	else if (af == AF_INET6)
		memcpy(&a->u.v6, p, sizeof(a->u.v6));
}

/* Fixed header, the Count addresses and, for v2, the Authentication Data. */
static size_t
msg_len(unsigned int version, size_t naddr, size_t alen)
{
	return VRRP_HDR_LEN + naddr * alen + (version == 2 ? VRRP_AUTH_LEN : 0);
}

enum vrrp_pkt_err
vrrp_pkt_parse_ip4(const uint8_t *dgram, size_t len, struct vrrp_pkt_meta *meta,
    const uint8_t **payload, size_t *plen)
{
	size_t hlen, tlen;

	*payload = NULL;
	*plen = 0;
	if (len < IP4_HDR_MIN)
		return VRRP_PKT_TRUNCATED;
	addr_from_bytes(&meta->src, AF_INET, dgram + 12);
	addr_from_bytes(&meta->dst, AF_INET, dgram + 16);
	meta->ttl = dgram[8];
	/* RFC 791: a raw IPv4 socket should never hand us another version. */
	if (dgram[0] >> 4 != 4)
		return VRRP_PKT_BAD_PROTO;
	/* RFC 791: IHL is in 32-bit words; Total Length includes the header. */
	hlen = (size_t)(dgram[0] & 0x0f) * 4;
	tlen = get16(dgram + 2);
	if (hlen < IP4_HDR_MIN || hlen > len || tlen < hlen || tlen > len)
		return VRRP_PKT_TRUNCATED;
	/* RFC 5798 §5.1.1.4: Protocol 112. */
	if (dgram[9] != VRRP_IPPROTO)
		return VRRP_PKT_BAD_PROTO;
	/* Total Length, not the frame: short frames carry Ethernet padding. */
	*payload = dgram + hlen;
	*plen = tlen - hlen;
	return VRRP_PKT_OK;
}

/* Fill *out as far as the bytes allow, before any rule is applied. */
static void
decode_fields(const uint8_t *buf, size_t len, size_t alen,
    struct vrrp_advert *out)
{
	size_t mlen;

	if (len < VRRP_HDR_LEN)
		return;
	out->version = buf[0] >> 4;
	out->vrid = buf[1];
	out->priority = buf[2];
	out->naddr = buf[3];
	if (out->version == 2) {
		/* RFC 3768 §5.3.6-7: Auth Type, then Adver Int in seconds. */
		out->auth_type = buf[4];
		out->adver_int_cs = (uint16_t)(buf[5] * 100);
	} else {
		/* RFC 5798 §5.2.6-7: 4 reserved bits, 12 bits of cs. */
		out->adver_int_cs = get16(buf + 4) & 0x0fff;
	}
	out->csum = get16(buf + 6);
	if (alen == 0 || len < VRRP_HDR_LEN + out->naddr * alen)
		return;
	out->addrs = buf + VRRP_HDR_LEN;
	mlen = msg_len(out->version, out->naddr, alen);
	if (out->version == 2 && len >= mlen)
		memcpy(out->auth_data, buf + mlen - VRRP_AUTH_LEN,
		    VRRP_AUTH_LEN);
}

static unsigned int
decode_csum(const uint8_t *buf, size_t mlen, const struct vrrp_advert *adv)
{
	const struct addr *src = &adv->meta.src, *dst = &adv->meta.dst;
	unsigned int ok = 0;

	/* RFC 3768 §5.3.8: v2 sums the message only, auth data included. */
	if (adv->version == 2) {
		if (vrrp_pkt_csum(buf, mlen, src, dst, false) == 0)
			ok |= VRRP_CSUM_OK_MSG;
		return ok;
	}
	/* RFC 5798 §5.2.8: v3 adds the pseudo-header (RFC 8200 §8.1). */
	if (vrrp_pkt_csum(buf, mlen, src, dst, true) == 0)
		ok |= VRRP_CSUM_OK_PSEUDO;
	/* RFC 9568 §5.2.8: over IPv4, the message only; keep both known. */
	if (src->af == AF_INET &&
	    vrrp_pkt_csum(buf, mlen, src, dst, false) == 0)
		ok |= VRRP_CSUM_OK_MSG;
	return ok;
}

enum vrrp_pkt_err
vrrp_pkt_decode(const uint8_t *buf, size_t len,
    const struct vrrp_pkt_meta *meta, struct vrrp_advert *out)
{
	size_t alen = addr_len(&meta->src), mlen;

	memset(out, 0, sizeof(*out));
	out->meta = *meta;
	decode_fields(buf, len, alen, out);
	/* The caller's metadata: one known family for both ends. */
	if (alen == 0 || meta->dst.af != meta->src.af)
		return VRRP_PKT_BAD_PROTO;
	/* RFC 5798 §7.1 item 1, RFC 3768 §7.1: TTL / Hop Limit 255. */
	if (meta->ttl != VRRP_TTL)
		return VRRP_PKT_BAD_TTL;
	/* RFC 5798 §7.1 item 3: at least the fixed header. */
	if (len < VRRP_HDR_LEN)
		return VRRP_PKT_TRUNCATED;
	/* RFC 5798 §7.1 item 2: version 2 or 3. */
	if (out->version != 2 && out->version != 3)
		return VRRP_PKT_BAD_VERSION;
	/* RFC 3768 §1: VRRPv2 is defined for IPv4 only. */
	if (out->version == 2 && meta->src.af != AF_INET)
		return VRRP_PKT_BAD_VERSION;
	/* RFC 5798 §5.2.2: type 1 (ADVERTISEMENT) only. */
	if ((buf[0] & 0x0f) != VRRP_TYPE_ADVERT)
		return VRRP_PKT_BAD_TYPE;
	/* RFC 5798 §7.1 item 3; trailing bytes (padding) are tolerated. */
	mlen = msg_len(out->version, out->naddr, alen);
	if (len < mlen)
		return VRRP_PKT_BAD_ADDR_COUNT;
	/* RFC 2338 §5.3.6: Auth Type 0, 1 or 2 (RFC 3768 §5.3.6 reserves). */
	if (out->version == 2 && out->auth_type > VRRP_AUTH_AH)
		return VRRP_PKT_BAD_AUTH_TYPE;
	/* RFC 5798 §7.1 item 4: the checksum over Count addresses only. */
	out->csum_ok = decode_csum(buf, mlen, out);
	if (out->csum_ok == 0)
		return VRRP_PKT_BAD_CHECKSUM;
	return VRRP_PKT_OK;
}

static bool
csum_mode_ok(unsigned int csum_ok, enum vrrp_csum_mode mode)
{
	switch (mode) {
	case VRRP_CSUM_PSEUDO:
		return (csum_ok & VRRP_CSUM_OK_PSEUDO) != 0;
	case VRRP_CSUM_MSG_ONLY:
		return (csum_ok & VRRP_CSUM_OK_MSG) != 0;
	case VRRP_CSUM_AUTO:
		return csum_ok != 0;
	}
	return false;
}

enum vrrp_pkt_err
vrrp_pkt_validate(const struct vrrp_advert *adv,
    const struct vrrp_pkt_expect *exp)
{
	/* RFC 5798 §8.4: v2 and v3 routers with one VRID are distinct. */
	if (adv->version != exp->version)
		return VRRP_PKT_BAD_VERSION;
	/* RFC 5798 §7.1 item 5, RFC 3768 §7.1: the VRID is configured. */
	if (adv->vrid != exp->vrid)
		return VRRP_PKT_BAD_VRID;
	/* RFC 9568 §5.2.8 vs keepalived/FRR: the v3/IPv4 variant we use. */
	if (adv->version == 3 && adv->meta.src.af == AF_INET &&
	    !csum_mode_ok(adv->csum_ok, exp->csum_mode))
		return VRRP_PKT_BAD_CHECKSUM;
	if (adv->version != 2)
		return VRRP_PKT_OK;
	/* RFC 2338 §7.1: Auth Type must match the local configuration. */
	if (adv->auth_type != exp->auth_type)
		return VRRP_PKT_AUTH_MISMATCH;
	/* RFC 2338 §5.3.6.2: simple text password, all 8 bytes. */
	if (adv->auth_type == VRRP_AUTH_PASS &&
	    memcmp(adv->auth_data, exp->auth_data, VRRP_AUTH_LEN) != 0)
		return VRRP_PKT_BAD_AUTH;
	/* RFC 3768 §7.1: MUST discard if Adver Int differs from ours. */
	if (adv->adver_int_cs != exp->adver_int_cs)
		return VRRP_PKT_BAD_INTERVAL;
	return VRRP_PKT_OK;
}

void
vrrp_pkt_addr_at(const struct vrrp_advert *adv, size_t i, struct addr *out)
{
	size_t alen = addr_len(&adv->meta.src);

	if (adv->addrs == NULL || i >= adv->naddr || alen == 0) {
		memset(out, 0, sizeof(*out));
		out->af = AF_UNSPEC;
		return;
	}
	addr_from_bytes(out, adv->meta.src.af, adv->addrs + i * alen);
}

bool
vrrp_pkt_addrs_match(const struct vrrp_advert *adv, const struct addr *vips,
    size_t n)
{
	bool used[VRRP_MAX_ADDRS];
	struct addr a;
	size_t i, j;

	if (n != adv->naddr)
		return false;
	memset(used, 0, sizeof(used));
	/* Pair each VIP with an unused advert entry: a multiset match. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			if (used[j])
				continue;
			vrrp_pkt_addr_at(adv, j, &a);
			if (a.af != AF_UNSPEC && addr_cmp(&a, &vips[i]) == 0)
				break;
		}
		if (j == n)
			return false;
		used[j] = true;
	}
	return true;
}

static bool
tx_interval_ok(const struct vrrp_pkt_tx *tx)
{
	/* RFC 3768 §5.3.7: v2 carries whole seconds in 8 bits. */
	if (tx->version == 2)
		return tx->adver_int_cs % 100 == 0 && tx->adver_int_cs >= 100 &&
		    tx->adver_int_cs / 100 <= VRRP_V2_ADVER_INT_MAX_S;
	/* RFC 5798 §5.2.7: 12 bits of centiseconds, 0 is meaningless. */
	return tx->adver_int_cs >= 1 &&
	    tx->adver_int_cs <= VRRP_V3_ADVER_INT_MAX_CS;
}

static bool
tx_fields_ok(const struct vrrp_pkt_tx *tx)
{
	bool v4 = tx->src.af == AF_INET;

	if (tx->version != 2 && tx->version != 3)
		return false;
	if (addr_len(&tx->src) == 0 || tx->dst.af != tx->src.af)
		return false;
	/* RFC 3768 §1: VRRPv2 is IPv4 only. */
	if (tx->version == 2 && !v4)
		return false;
	/* RFC 5798 §5.2.3: VRID 1..255. */
	if (tx->vrid == 0)
		return false;
	if (!tx_interval_ok(tx))
		return false;
	if (tx->naddr > VRRP_MAX_ADDRS || (tx->naddr > 0 && tx->addrs == NULL))
		return false;
	if (tx->version == 2 && tx->auth_type > VRRP_AUTH_AH)
		return false;
	/* AUTO is a receive-side setting: a sender must pick a variant. */
	if (tx->version == 3 && v4 && tx->csum_mode != VRRP_CSUM_PSEUDO &&
	    tx->csum_mode != VRRP_CSUM_MSG_ONLY)
		return false;
	for (size_t i = 0; i < tx->naddr; i++)
		if (tx->addrs[i].af != tx->src.af)
			return false;
	return true;
}

int
vrrp_pkt_encode(const struct vrrp_pkt_tx *tx, uint8_t *buf, size_t size)
{
	size_t alen = addr_len(&tx->src), mlen, off;
	bool pseudo;

	if (!tx_fields_ok(tx))
		return -VRRP_PKT_BAD_FIELD;
	mlen = msg_len(tx->version, tx->naddr, alen);
	if (size < mlen)
		return -VRRP_PKT_NOSPACE;
	buf[0] = (uint8_t)(tx->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = tx->vrid;
	buf[2] = tx->priority;
	buf[3] = (uint8_t)tx->naddr;
	if (tx->version == 2) {
		buf[4] = tx->auth_type;
		buf[5] = (uint8_t)(tx->adver_int_cs / 100);
	} else {
		/* RFC 5798 §5.2.6: Rsvd is sent as zero. */
		put16(buf + 4, tx->adver_int_cs);
	}
	put16(buf + 6, 0);
	off = VRRP_HDR_LEN;
	for (size_t i = 0; i < tx->naddr; i++, off += alen)
		memcpy(buf + off, &tx->addrs[i].u, alen);
	if (tx->version == 2)
		memcpy(buf + off, tx->auth_data, VRRP_AUTH_LEN);
	pseudo = tx->version == 3 &&
	    (tx->src.af == AF_INET6 || tx->csum_mode == VRRP_CSUM_PSEUDO);
	put16(buf + 6, vrrp_pkt_csum(buf, mlen, &tx->src, &tx->dst, pseudo));
	return (int)mlen;
}

/* The one's complement sum of the pseudo-header for the family of src. */
static uint32_t
pseudo_sum(const struct addr *src, const struct addr *dst, size_t len)
{
	uint8_t ph[8] = { 0 };
	uint32_t sum = 0;

	if (src->af == AF_INET) {
		/* keepalived/FRR: src, dst, zero, protocol, 16-bit length. */
		sum = util_csum_add(sum, &src->u.v4, 4);
		sum = util_csum_add(sum, &dst->u.v4, 4);
		ph[1] = VRRP_IPPROTO;
		put16(ph + 2, (uint16_t)len);
		return util_csum_add(sum, ph, 4);
	}
	if (src->af == AF_INET6) {
		/* RFC 8200 §8.1: src, dst, 32-bit length, 3 zeros, NH. */
		sum = util_csum_add(sum, &src->u.v6, 16);
		sum = util_csum_add(sum, &dst->u.v6, 16);
		put16(ph, (uint16_t)(len >> 16));
		put16(ph + 2, (uint16_t)len);
		ph[7] = VRRP_IPPROTO;
		return util_csum_add(sum, ph, 8);
	}
	return 0;
}

uint16_t
vrrp_pkt_csum(const uint8_t *msg, size_t len, const struct addr *src,
    const struct addr *dst, bool pseudo)
{
	uint32_t sum = 0;
	uint8_t b[2];
	uint16_t c;

	/* The pseudo-header goes first: only the last piece may be odd. */
	if (pseudo && src != NULL && dst != NULL)
		sum = pseudo_sum(src, dst, len);
	c = util_csum_fold(util_csum_add(sum, msg, len));
	/* util_csum_fold() is in network order as stored with memcpy(). */
	memcpy(b, &c, sizeof(b));
	return get16(b);
}

const char *
vrrp_pkt_strerror(enum vrrp_pkt_err err)
{
	if ((unsigned int)err >= VRRP_PKT_ERR_MAX || pkt_errstr[err] == NULL)
		return "unknown error";
	return pkt_errstr[err];
}

enum vrrp_pkt_ctr
vrrp_pkt_counter(enum vrrp_pkt_err err)
{
	if ((unsigned int)err >= VRRP_PKT_ERR_MAX)
		return VRRP_CTR_NONE;
	return pkt_ctr[err];
}

const char *
vrrp_pkt_ctr_name(enum vrrp_pkt_ctr ctr)
{
	if ((unsigned int)ctr >= VRRP_CTR_MAX || ctr_names[ctr] == NULL)
		return "unknown counter";
	return ctr_names[ctr];
}

/* Append to buf at *off; output past size is dropped, *off saturates. */
static void __attribute__((format(printf, 4, 5)))
fmt_append(char *buf, size_t size, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= size - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, size - *off, fmt, ap);
	va_end(ap);
	if (n < 0)
		buf[*off] = '\0';
	else if ((size_t)n >= size - *off)
		*off = size - 1;
	else
		*off += (size_t)n;
}

static const char *
auth_name(uint8_t type, char *tmp, size_t size)
{
	switch (type) {
	case VRRP_AUTH_NONE:
		return "none";
	case VRRP_AUTH_PASS:
		return "pass";
	case VRRP_AUTH_AH:
		return "ah";
	}
	snprintf(tmp, size, "%u", type);
	return tmp;
}

const char *
vrrp_pkt_format(const struct vrrp_advert *adv, char *buf, size_t size)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN], a[ADDR_STRLEN], tmp[4];
	struct addr ad;
	size_t off = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	fmt_append(buf, size, &off, "v%u vrid %u prio %u int %ucs",
	    adv->version, adv->vrid, adv->priority, adv->adver_int_cs);
	/* The password itself stays out of logs. */
	if (adv->version == 2)
		fmt_append(buf, size, &off, " auth %s",
		    auth_name(adv->auth_type, tmp, sizeof(tmp)));
	fmt_append(buf, size, &off, " %s > %s ttl %u addrs",
	    addr_fmt(&adv->meta.src, src, sizeof(src)),
	    addr_fmt(&adv->meta.dst, dst, sizeof(dst)), adv->meta.ttl);
	if (adv->naddr == 0)
		fmt_append(buf, size, &off, " none");
	else if (adv->addrs == NULL)
		fmt_append(buf, size, &off, " (%u, truncated)", adv->naddr);
	if (adv->addrs == NULL)
		return buf;
	for (size_t i = 0; i < adv->naddr && off < size - 1; i++) {
		vrrp_pkt_addr_at(adv, i, &ad);
		fmt_append(buf, size, &off, "%s%s", i == 0 ? " " : ",",
		    addr_fmt(&ad, a, sizeof(a)));
	}
	return buf;
}
