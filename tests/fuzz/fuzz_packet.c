/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the advertisement codec. Input: one selector byte,
 * then either a whole IPv4 datagram (selector bit 0 set) or a Hop Limit byte
 * and a VRRP message received over IPv6 from fe80::18ec:a6ff:fea1:c47b to
 * ff02::12. Selector bits 1-2 choose the v3/IPv4 checksum mode to validate
 * with, bits 3-7 a small buffer size for vrrp_pkt_format(). Whatever decodes
 * must validate against its own fields, match its own address list and
 * survive an encode/decode round trip; anything else abort()s.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/vrrp_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
mode_accepts(unsigned int csum_ok, enum vrrp_csum_mode mode)
{
	if (mode == VRRP_CSUM_PSEUDO)
		return (csum_ok & VRRP_CSUM_OK_PSEUDO) != 0;
	if (mode == VRRP_CSUM_MSG_ONLY)
		return (csum_ok & VRRP_CSUM_OK_MSG) != 0;
	return csum_ok != 0;
}

static void
check_validate(const struct vrrp_advert *adv, enum vrrp_csum_mode mode)
{
	struct vrrp_pkt_expect exp = { .version = adv->version,
		.vrid = adv->vrid,
		.csum_mode = mode,
		.auth_type = adv->auth_type,
		.adver_int_cs = adv->adver_int_cs };
	enum vrrp_pkt_err want = VRRP_PKT_OK;

	memcpy(exp.auth_data, adv->auth_data, VRRP_AUTH_LEN);
	if (adv->version == 3 && adv->meta.src.af == AF_INET &&
	    !mode_accepts(adv->csum_ok, mode))
		want = VRRP_PKT_BAD_CHECKSUM;
	if (vrrp_pkt_validate(adv, &exp) != want)
		abort();
	exp.csum_mode = VRRP_CSUM_AUTO;
	if (vrrp_pkt_validate(adv, &exp) != VRRP_PKT_OK)
		abort();
	exp.vrid++;
	if (vrrp_pkt_validate(adv, &exp) != VRRP_PKT_BAD_VRID)
		abort();
}

static void
check_addrs(const struct vrrp_advert *adv, struct addr *addrs)
{
	struct addr rev[VRRP_MAX_ADDRS];
	size_t n = adv->naddr;

	for (size_t i = 0; i < n; i++) {
		vrrp_pkt_addr_at(adv, i, &addrs[i]);
		rev[n - 1 - i] = addrs[i];
	}
	if (!vrrp_pkt_addrs_match(adv, addrs, n) ||
	    !vrrp_pkt_addrs_match(adv, rev, n))
		abort();
	if (n > 0 && vrrp_pkt_addrs_match(adv, addrs, n - 1))
		abort();
}

/* Decode accepts VRID 0 and interval 0 (validate's job); encode does not. */
static bool
encodable(const struct vrrp_advert *adv)
{
	return adv->vrid != 0 && adv->adver_int_cs != 0;
}

/* Encode the decoded fields and decode the result: nothing may change. */
static void
check_roundtrip(const struct vrrp_advert *adv, const uint8_t *msg,
    const struct addr *addrs)
{
	static uint8_t out[VRRP_PKT_MAX_LEN + VRRP_AUTH_LEN];
	struct vrrp_pkt_tx tx = { .version = adv->version,
		.vrid = adv->vrid,
		.priority = adv->priority,
		.adver_int_cs = adv->adver_int_cs,
		.auth_type = adv->auth_type,
		.addrs = addrs,
		.naddr = adv->naddr,
		.src = adv->meta.src,
		.dst = adv->meta.dst,
		.csum_mode = (adv->csum_ok & VRRP_CSUM_OK_PSEUDO) ?
		    VRRP_CSUM_PSEUDO :
		    VRRP_CSUM_MSG_ONLY };
	struct vrrp_advert back;
	size_t alen = addr_len(&adv->meta.src);
	int n;

	memcpy(tx.auth_data, adv->auth_data, VRRP_AUTH_LEN);
	n = vrrp_pkt_encode(&tx, out, sizeof(out));
	if (!encodable(adv)) {
		if (n != -VRRP_PKT_BAD_FIELD)
			abort();
		return;
	}
	if (n < VRRP_HDR_LEN ||
	    vrrp_pkt_encode(&tx, out, (size_t)n - 1) != -VRRP_PKT_NOSPACE)
		abort();
	if (vrrp_pkt_decode(out, (size_t)n, &adv->meta, &back) != VRRP_PKT_OK)
		abort();
	if (back.version != adv->version || back.vrid != adv->vrid ||
	    back.priority != adv->priority || back.naddr != adv->naddr ||
	    back.adver_int_cs != adv->adver_int_cs ||
	    back.auth_type != adv->auth_type ||
	    memcmp(back.auth_data, adv->auth_data, VRRP_AUTH_LEN) != 0 ||
	    memcmp(back.addrs, adv->addrs, adv->naddr * alen) != 0)
		abort();
	/* v3 reserved bits are ignored on receive and sent as zero. */
	if (adv->version == 3 && (msg[4] & 0xf0) != 0)
		return;
	/* RFC 1071: 0xffff ("-0") verifies like 0x0000, which we send. */
	if (adv->csum == 0xffff && back.csum == 0)
		out[6] = out[7] = 0xff;
	if (memcmp(out, msg, (size_t)n) != 0)
		abort();
}

static void
check_format(const struct vrrp_advert *adv, size_t small)
{
	char line[8192], tiny[32];

	vrrp_pkt_format(adv, line, sizeof(line));
	if (strlen(line) >= sizeof(line))
		abort();
	memset(tiny, 'X', sizeof(tiny));
	vrrp_pkt_format(adv, tiny, small);
	if (small > 0 && strlen(tiny) >= small)
		abort();
	if (small < sizeof(tiny) && tiny[small] != 'X')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct addr addrs[VRRP_MAX_ADDRS];
	struct vrrp_pkt_meta meta = { .ttl = 0 };
	struct vrrp_advert adv;
	const uint8_t *msg;
	size_t len;
	enum vrrp_pkt_err err;
	unsigned int sel, mode;

	if (size < 2)
		return 0;
	sel = data[0];
	if (sel & 1) {
		err = vrrp_pkt_parse_ip4(data + 1, size - 1, &meta, &msg, &len);
		if (err != VRRP_PKT_OK)
			return 0;
	} else {
		addr_parse("fe80::18ec:a6ff:fea1:c47b", &meta.src);
		addr_parse("ff02::12", &meta.dst);
		meta.ttl = data[1];
		msg = data + 2;
		len = size - 2;
	}
	err = vrrp_pkt_decode(msg, len, &meta, &adv);
	if (vrrp_pkt_strerror(err) == NULL ||
	    vrrp_pkt_ctr_name(vrrp_pkt_counter(err)) == NULL)
		abort();
	check_format(&adv, sel >> 3);
	if (err != VRRP_PKT_OK)
		return 0;
	if (adv.csum_ok == 0 || adv.meta.ttl != VRRP_TTL)
		abort();
	mode = (sel >> 1) & 3;
	check_validate(&adv,
	    mode > VRRP_CSUM_AUTO ? VRRP_CSUM_AUTO : (enum vrrp_csum_mode)mode);
	check_addrs(&adv, addrs);
	check_roundtrip(&adv, msg, addrs);
	return 0;
}
