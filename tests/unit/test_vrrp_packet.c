/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The advertisement codec against keepalived 2.2.7's own bytes (Appendix A
 * of reference/keepalived-notes.md), one negative test per receive rule, and
 * the checksum variants VRRPv3 over IPv4 has in the field.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/vrrp_packet.h"
#include "vectors/adv_v2_ipv4.h"
#include "vectors/adv_v3_ipv4.h"
#include "vectors/adv_v3_ipv6.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct vec {
	const char *name;
	const uint8_t *msg;
	size_t len;
	const char *src, *dst;
	uint8_t version, vrid, priority;
	uint16_t adver_int_cs;
	uint8_t auth_type;
	uint16_t csum;
	unsigned int csum_ok;
	const char *vips[2];
	size_t nvip;
};

static const struct vec vecs[] = {
	{ "v2 PASS VRID 52", adv_v2_pass_vrid52, sizeof(adv_v2_pass_vrid52),
	    ADV_V2_PASS_SRC, ADV_V2_PASS_DST, 2, 52, 100, 100, VRRP_AUTH_PASS,
	    0x87df, VRRP_CSUM_OK_MSG, { ADV_V2_PASS_VIP1, ADV_V2_PASS_VIP2 },
	    2 },
	{ "v3 IPv4 VRID 51", adv_v3_ipv4_vrid51, sizeof(adv_v3_ipv4_vrid51),
	    ADV_V3_IPV4_VRID51_SRC, ADV_V3_IPV4_VRID51_DST, 3, 51, 150, 100,
	    VRRP_AUTH_NONE, 0xd371, VRRP_CSUM_OK_PSEUDO,
	    { ADV_V3_IPV4_VRID51_VIP, NULL }, 1 },
	{ "v3 IPv4 VRID 51 prio 0", adv_v3_ipv4_vrid51_prio0,
	    sizeof(adv_v3_ipv4_vrid51_prio0), ADV_V3_IPV4_VRID51_PRIO0_SRC,
	    ADV_V3_IPV4_VRID51_PRIO0_DST, 3, 51, 0, 100, VRRP_AUTH_NONE, 0x6972,
	    VRRP_CSUM_OK_PSEUDO, { ADV_V3_IPV4_VRID51_VIP, NULL }, 1 },
	{ "v3 IPv4 unicast VRID 54", adv_v3_ipv4_unicast_vrid54,
	    sizeof(adv_v3_ipv4_unicast_vrid54), ADV_V3_IPV4_UNICAST_SRC,
	    ADV_V3_IPV4_UNICAST_DST, 3, 54, 254, 50, VRRP_AUTH_NONE, 0x89de,
	    VRRP_CSUM_OK_PSEUDO, { ADV_V3_IPV4_UNICAST_VIP, NULL }, 1 },
	{ "v3 IPv6 VRID 53", adv_v3_ipv6_vrid53, sizeof(adv_v3_ipv6_vrid53),
	    ADV_V3_IPV6_VRID53_SRC, ADV_V3_IPV6_VRID53_DST, 3, 53, 200, 100,
	    VRRP_AUTH_NONE, 0x584c, VRRP_CSUM_OK_PSEUDO,
	    { ADV_V3_IPV6_VRID53_VIP1, ADV_V3_IPV6_VRID53_VIP2 }, 2 },
};

static struct addr
ip(const char *text)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	ck_assert_msg(addr_parse(text, &a) == 0, "bad address %s", text);
	return a;
}

static struct vrrp_pkt_meta
meta_of(const char *src, const char *dst, uint8_t ttl)
{
	struct vrrp_pkt_meta m = { .src = ip(src), .dst = ip(dst), .ttl = ttl };

	return m;
}

static struct vrrp_pkt_meta
vec_meta(const struct vec *v)
{
	return meta_of(v->src, v->dst, VRRP_TTL);
}

/* Rewrite the checksum of msg the way a sender described by m would. */
static void
fix_csum(uint8_t *msg, size_t len, const struct vrrp_pkt_meta *m, bool pseudo)
{
	uint16_t c;

	msg[6] = msg[7] = 0;
	c = vrrp_pkt_csum(msg, len, &m->src, &m->dst, pseudo);
	msg[6] = (uint8_t)(c >> 8);
	msg[7] = (uint8_t)c;
}

static enum vrrp_pkt_err
decode_vec(const struct vec *v, struct vrrp_advert *adv)
{
	struct vrrp_pkt_meta m = vec_meta(v);

	return vrrp_pkt_decode(v->msg, v->len, &m, adv);
}

/* An instance configured exactly like the sender of v. */
static struct vrrp_pkt_expect
vec_expect(const struct vec *v)
{
	struct vrrp_pkt_expect e = { .version = v->version,
		.vrid = v->vrid,
		.csum_mode = VRRP_CSUM_PSEUDO,
		.auth_type = v->auth_type,
		.adver_int_cs = v->adver_int_cs };

	if (v->auth_type == VRRP_AUTH_PASS)
		memcpy(e.auth_data, ADV_V2_PASS_PASSWORD, VRRP_AUTH_LEN);
	return e;
}

/* The transmit description keepalived's instance corresponds to. */
static struct vrrp_pkt_tx
vec_tx(const struct vec *v, struct addr *vips)
{
	struct vrrp_pkt_tx tx = { .version = v->version,
		.vrid = v->vrid,
		.priority = v->priority,
		.adver_int_cs = v->adver_int_cs,
		.auth_type = v->auth_type,
		.addrs = vips,
		.naddr = v->nvip,
		.src = ip(v->src),
		.dst = ip(v->dst),
		.csum_mode = VRRP_CSUM_PSEUDO };

	for (size_t i = 0; i < v->nvip; i++)
		vips[i] = ip(v->vips[i]);
	if (v->auth_type == VRRP_AUTH_PASS)
		memcpy(tx.auth_data, ADV_V2_PASS_PASSWORD, VRRP_AUTH_LEN);
	return tx;
}

/* A hand-built IPv4 header (IHL 5) in front of payload; returns the length. */
static size_t
build_ip4(uint8_t *out, uint8_t proto, uint8_t ttl, const uint8_t *payload,
    size_t plen)
{
	struct addr s = ip("192.0.2.1"), d = ip("224.0.0.18");
	size_t tlen = 20 + plen;
	uint16_t c;

	memset(out, 0, 20);
	out[0] = 0x45;
	out[1] = 0xc0;
	out[2] = (uint8_t)(tlen >> 8);
	out[3] = (uint8_t)tlen;
	out[8] = ttl;
	out[9] = proto;
	memcpy(out + 12, &s.u.v4, 4);
	memcpy(out + 16, &d.u.v4, 4);
	c = util_csum_fold(util_csum_add(0, out, 20));
	memcpy(out + 10, &c, 2);
	memcpy(out + 20, payload, plen);
	return tlen;
}

/*
 * decode_vectors
 */

START_TEST(captured_vector_decodes_field_by_field)
{
	const struct vec *v = &vecs[_i];
	struct vrrp_advert adv;
	struct addr a;

	ck_assert_int_eq(decode_vec(v, &adv), VRRP_PKT_OK);
	ck_assert_msg(adv.version == v->version, "%s: version", v->name);
	ck_assert_msg(adv.vrid == v->vrid, "%s: vrid", v->name);
	ck_assert_msg(adv.priority == v->priority, "%s: prio", v->name);
	ck_assert_msg(adv.naddr == v->nvip, "%s: count", v->name);
	ck_assert_msg(adv.adver_int_cs == v->adver_int_cs, "%s: int", v->name);
	ck_assert_msg(adv.auth_type == v->auth_type, "%s: auth", v->name);
	ck_assert_msg(adv.csum == v->csum, "%s: csum %04x", v->name, adv.csum);
	ck_assert_msg(adv.csum_ok == v->csum_ok, "%s: csum_ok %u", v->name,
	    adv.csum_ok);
	ck_assert_ptr_eq(adv.addrs, v->msg + VRRP_HDR_LEN);
	ck_assert_int_eq(adv.meta.ttl, VRRP_TTL);
	for (size_t i = 0; i < v->nvip; i++) {
		struct addr want = ip(v->vips[i]);

		vrrp_pkt_addr_at(&adv, i, &a);
		ck_assert_msg(addr_cmp(&a, &want) == 0, "%s: vip %zu", v->name,
		    i);
	}
}
END_TEST

START_TEST(v2_pass_auth_data_carries_first_8_password_bytes)
{
	struct vrrp_advert adv;

	ck_assert_int_eq(decode_vec(&vecs[0], &adv), VRRP_PKT_OK);
	ck_assert_mem_eq(adv.auth_data, "secret12", VRRP_AUTH_LEN);
}
END_TEST

START_TEST(v3_ipv4_unicast_pseudo_header_uses_unicast_destination)
{
	const struct vec *v = &vecs[3];
	struct vrrp_pkt_meta m = meta_of(v->src, "224.0.0.18", VRRP_TTL);
	struct vrrp_advert adv;
	uint8_t b[sizeof(adv_v3_ipv4_unicast_vrid54)];

	/* keepalived <= 1.3.6 summed the group address: not accepted now. */
	ck_assert_int_eq(vrrp_pkt_decode(v->msg, v->len, &m, &adv),
	    VRRP_PKT_BAD_CHECKSUM);
	memcpy(b, v->msg, sizeof(b));
	b[6] = b[7] = 0;
	ck_assert_uint_eq(vrrp_pkt_csum(b, sizeof(b), &m.src, &m.dst, true),
	    ADV_V3_IPV4_UNICAST_CSUM_MCAST_DST);
	m.dst = ip(v->dst);
	ck_assert_uint_eq(vrrp_pkt_csum(b, sizeof(b), &m.src, &m.dst, true),
	    0x89de);
	ck_assert_int_eq(vrrp_pkt_decode(v->msg, v->len, &m, &adv),
	    VRRP_PKT_OK);
}
END_TEST

START_TEST(v3_ipv6_pseudo_header_uses_link_local_source)
{
	const struct vec *v = &vecs[4];
	struct vrrp_pkt_meta m = meta_of("fe80::1", v->dst, VRRP_TTL);
	struct vrrp_advert adv;
	struct addr first;

	ck_assert_int_eq(vrrp_pkt_decode(v->msg, v->len, &m, &adv),
	    VRRP_PKT_BAD_CHECKSUM);
	ck_assert_int_eq(decode_vec(v, &adv), VRRP_PKT_OK);
	ck_assert(addr_is_v6_linklocal(&adv.meta.src));
	vrrp_pkt_addr_at(&adv, 0, &first);
	ck_assert(addr_is_v6_linklocal(&first));
}
END_TEST

START_TEST(priority_zero_advert_decodes_as_master_leaving)
{
	struct vrrp_advert adv;

	ck_assert_int_eq(decode_vec(&vecs[2], &adv), VRRP_PKT_OK);
	ck_assert_uint_eq(adv.priority, VRRP_PRIO_STOP);
}
END_TEST

START_TEST(addr_at_out_of_range_gives_no_address)
{
	struct vrrp_advert adv;
	struct addr a;

	ck_assert_int_eq(decode_vec(&vecs[1], &adv), VRRP_PKT_OK);
	vrrp_pkt_addr_at(&adv, 1, &a);
	ck_assert_int_eq(a.af, AF_UNSPEC);
}
END_TEST

/*
 * encode_roundtrip
 */

START_TEST(captured_vector_reencodes_to_identical_bytes)
{
	const struct vec *v = &vecs[_i];
	struct addr vips[2];
	struct vrrp_pkt_tx tx = vec_tx(v, vips);
	uint8_t buf[VRRP_PKT_MAX_LEN];
	int n;

	n = vrrp_pkt_encode(&tx, buf, sizeof(buf));
	ck_assert_msg(n == (int)v->len, "%s: length %d", v->name, n);
	ck_assert_mem_eq(buf, v->msg, v->len);
}
END_TEST

START_TEST(decoded_vector_reencodes_to_identical_bytes)
{
	const struct vec *v = &vecs[_i];
	struct vrrp_advert adv;
	struct addr vips[2];
	struct vrrp_pkt_tx tx;
	uint8_t buf[VRRP_PKT_MAX_LEN];

	ck_assert_int_eq(decode_vec(v, &adv), VRRP_PKT_OK);
	for (size_t i = 0; i < adv.naddr; i++)
		vrrp_pkt_addr_at(&adv, i, &vips[i]);
	tx = (struct vrrp_pkt_tx) { .version = adv.version,
		.vrid = adv.vrid,
		.priority = adv.priority,
		.adver_int_cs = adv.adver_int_cs,
		.auth_type = adv.auth_type,
		.addrs = vips,
		.naddr = adv.naddr,
		.src = adv.meta.src,
		.dst = adv.meta.dst,
		.csum_mode = VRRP_CSUM_PSEUDO };
	memcpy(tx.auth_data, adv.auth_data, VRRP_AUTH_LEN);
	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, sizeof(buf)), (int)v->len);
	ck_assert_mem_eq(buf, v->msg, v->len);
}
END_TEST

START_TEST(v3_ipv4_msg_only_encode_gives_rfc9568_checksum)
{
	static const uint16_t want[] = { 0, ADV_V3_IPV4_VRID51_CSUM_MSG,
		ADV_V3_IPV4_VRID51_PRIO0_CSUM_MSG,
		ADV_V3_IPV4_UNICAST_CSUM_MSG };
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct addr vips[2];

	for (size_t i = 1; i <= 3; i++) {
		struct vrrp_pkt_tx tx = vec_tx(&vecs[i], vips);

		tx.csum_mode = VRRP_CSUM_MSG_ONLY;
		ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, sizeof(buf)), 12);
		ck_assert_uint_eq((unsigned)(buf[6] << 8 | buf[7]), want[i]);
		ck_assert_mem_eq(buf + 8, vecs[i].msg + 8, 4);
	}
}
END_TEST

START_TEST(v3_ipv6_encode_ignores_csum_mode)
{
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct addr vips[2];
	struct vrrp_pkt_tx tx = vec_tx(&vecs[4], vips);

	tx.csum_mode = VRRP_CSUM_MSG_ONLY;
	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, sizeof(buf)), 40);
	ck_assert_mem_eq(buf, adv_v3_ipv6_vrid53, 40);
}
END_TEST

/* Build case i of the out-of-range table from valid bases; names it. */
static const char *
bad_field_case(int i, struct vrrp_pkt_tx *tx, struct addr *vips)
{
	static struct addr many[VRRP_MAX_ADDRS + 1];

	*tx = vec_tx(&vecs[i < 8 ? 1 : 0], vips);
	switch (i) {
	case 0:
		tx->version = 4;
		return "version 4";
	case 1:
		tx->version = 1;
		return "version 1";
	case 2:
		tx->vrid = 0;
		return "VRID 0";
	case 3:
		tx->adver_int_cs = 0;
		return "v3 interval 0";
	case 4:
		tx->adver_int_cs = VRRP_V3_ADVER_INT_MAX_CS + 1;
		return "v3 interval 4096";
	case 5:
		tx->csum_mode = VRRP_CSUM_AUTO;
		return "v3/IPv4 csum AUTO";
	case 6:
		vips[0] = ip("2001:db8::1");
		return "IPv6 VIP from an IPv4 source";
	case 7:
		for (size_t k = 0; k < NELEM(many); k++)
			many[k] = ip("192.0.2.1");
		tx->addrs = many;
		tx->naddr = NELEM(many);
		return "256 addresses";
	case 8:
		tx->adver_int_cs = 150;
		return "v2 interval 1.5 s";
	case 9:
		tx->adver_int_cs = 0;
		return "v2 interval 0";
	case 10:
		tx->adver_int_cs = (VRRP_V2_ADVER_INT_MAX_S + 1) * 100;
		return "v2 interval 256 s";
	case 11:
		tx->auth_type = 3;
		return "v2 auth type 3";
	case 12:
		*tx = vec_tx(&vecs[4], vips);
		tx->version = 2;
		return "v2 over IPv6";
	case 13:
		tx->dst = ip("ff02::12");
		return "destination of another family";
	case 14:
		tx->src.af = AF_UNSPEC;
		return "no source address";
	case 15:
		tx->addrs = NULL;
		return "addresses missing";
	}
	return NULL;
}

#define BAD_FIELD_CASES 16

START_TEST(encode_rejects_field_out_of_range)
{
	struct addr vips[2];
	struct vrrp_pkt_tx tx;
	uint8_t buf[VRRP_PKT_MAX_LEN + VRRP_AUTH_LEN];
	const char *what = bad_field_case(_i, &tx, vips);
	int n;

	ck_assert_ptr_nonnull(what);
	n = vrrp_pkt_encode(&tx, buf, sizeof(buf));
	ck_assert_msg(n == -VRRP_PKT_BAD_FIELD, "%s: got %d", what, n);
}
END_TEST

START_TEST(encode_accepts_range_limits)
{
	static struct addr many[VRRP_MAX_ADDRS];
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct addr vips[2];
	struct vrrp_pkt_tx tx = vec_tx(&vecs[1], vips);
	struct vrrp_advert adv;
	struct vrrp_pkt_meta m = vec_meta(&vecs[4]);

	tx.adver_int_cs = 1;
	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, sizeof(buf)), 12);
	tx.adver_int_cs = VRRP_V3_ADVER_INT_MAX_CS;
	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, sizeof(buf)), 12);
	tx.vrid = 255;
	tx.naddr = 0;
	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, sizeof(buf)), 8);
	tx = vec_tx(&vecs[0], vips);
	tx.adver_int_cs = VRRP_V2_ADVER_INT_MAX_S * 100;
	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, sizeof(buf)), 24);
	ck_assert_uint_eq(buf[5], 255);
	tx = vec_tx(&vecs[4], vips);
	for (size_t k = 0; k < NELEM(many); k++)
		many[k] = ip("2001:db8::1");
	tx.addrs = many;
	tx.naddr = NELEM(many);
	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, sizeof(buf)),
	    VRRP_PKT_MAX_LEN);
	ck_assert_int_eq(vrrp_pkt_decode(buf, VRRP_PKT_MAX_LEN, &m, &adv),
	    VRRP_PKT_OK);
	ck_assert_uint_eq(adv.naddr, 255);
}
END_TEST

START_TEST(encode_needs_room_for_the_whole_message)
{
	const struct vec *v = &vecs[_i];
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct addr vips[2];
	struct vrrp_pkt_tx tx = vec_tx(v, vips);

	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, v->len - 1),
	    -VRRP_PKT_NOSPACE);
	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, 0), -VRRP_PKT_NOSPACE);
	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, v->len), (int)v->len);
}
END_TEST

START_TEST(v3_encode_writes_reserved_bits_as_zero)
{
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct addr vips[2];
	struct vrrp_pkt_tx tx = vec_tx(&vecs[1], vips);

	tx.adver_int_cs = VRRP_V3_ADVER_INT_MAX_CS;
	ck_assert_int_eq(vrrp_pkt_encode(&tx, buf, sizeof(buf)), 12);
	ck_assert_uint_eq(buf[4], 0x0f);
	ck_assert_uint_eq(buf[5], 0xff);
}
END_TEST

/*
 * decode_errors
 */

START_TEST(ttl_254_is_bad_ttl)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[1]);
	struct vrrp_advert adv;

	m.ttl = 254;
	ck_assert_int_eq(vrrp_pkt_decode(vecs[1].msg, vecs[1].len, &m, &adv),
	    VRRP_PKT_BAD_TTL);
	/* Fields are still filled in for the log line. */
	ck_assert_uint_eq(adv.vrid, 51);
	ck_assert_uint_eq(adv.meta.ttl, 254);
}
END_TEST

START_TEST(hop_limit_254_is_bad_ttl)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[4]);
	struct vrrp_advert adv;

	m.ttl = 254;
	ck_assert_int_eq(vrrp_pkt_decode(vecs[4].msg, vecs[4].len, &m, &adv),
	    VRRP_PKT_BAD_TTL);
}
END_TEST

START_TEST(version_4_is_bad_version)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[1]);
	struct vrrp_advert adv;
	uint8_t b[12];

	memcpy(b, vecs[1].msg, sizeof(b));
	b[0] = 0x41;
	fix_csum(b, sizeof(b), &m, true);
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv),
	    VRRP_PKT_BAD_VERSION);
	ck_assert_uint_eq(adv.version, 4);
	b[0] = 0x11;
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv),
	    VRRP_PKT_BAD_VERSION);
}
END_TEST

START_TEST(version_2_over_ipv6_is_bad_version)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[4]);
	struct vrrp_advert adv;
	uint8_t b[sizeof(adv_v3_ipv6_vrid53)];

	memcpy(b, vecs[4].msg, sizeof(b));
	b[0] = 0x21;
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv),
	    VRRP_PKT_BAD_VERSION);
}
END_TEST

START_TEST(type_2_is_bad_type)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[1]);
	struct vrrp_advert adv;
	uint8_t b[12];

	memcpy(b, vecs[1].msg, sizeof(b));
	b[0] = 0x32;
	fix_csum(b, sizeof(b), &m, true);
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv),
	    VRRP_PKT_BAD_TYPE);
}
END_TEST

START_TEST(count_larger_than_payload_is_bad_addr_count)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[1]);
	struct vrrp_advert adv;
	char line[200];
	uint8_t b[12];

	memcpy(b, vecs[1].msg, sizeof(b));
	b[3] = 2;
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv),
	    VRRP_PKT_BAD_ADDR_COUNT);
	ck_assert_uint_eq(adv.naddr, 2);
	ck_assert_ptr_null(adv.addrs);
	/* Safe to log although the addresses are missing. */
	vrrp_pkt_format(&adv, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "truncated"));
}
END_TEST

START_TEST(v2_without_auth_data_is_bad_addr_count)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[0]);
	struct vrrp_advert adv;

	ck_assert_int_eq(
	    vrrp_pkt_decode(vecs[0].msg, vecs[0].len - 1, &m, &adv),
	    VRRP_PKT_BAD_ADDR_COUNT);
	ck_assert_int_eq(vrrp_pkt_decode(vecs[0].msg, 16, &m, &adv),
	    VRRP_PKT_BAD_ADDR_COUNT);
}
END_TEST

START_TEST(shorter_than_fixed_header_is_truncated)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[1]);
	struct vrrp_advert adv;

	for (size_t n = 0; n < VRRP_HDR_LEN; n++)
		ck_assert_int_eq(vrrp_pkt_decode(vecs[1].msg, n, &m, &adv),
		    VRRP_PKT_TRUNCATED);
}
END_TEST

START_TEST(carp_advert_is_rejected_by_length)
{
	/*
	 * OpenBSD carp / ucarp on protocol 112: version 2, type 1, VHID,
	 * advskew, authlen 7, demote, advbase, checksum, 8-byte counter and
	 * 20-byte HMAC: 36 bytes, where VRRPv2 with Count 7 needs 44.
	 */
	uint8_t carp[36] = { 0x21, 0x01, 0x00, 0x07, 0x00, 0x01 };
	struct vrrp_pkt_meta m = meta_of("192.0.2.1", "224.0.0.18", 255);
	struct vrrp_advert adv;

	for (size_t i = 8; i < sizeof(carp); i++)
		carp[i] = (uint8_t)(i * 7);
	fix_csum(carp, sizeof(carp), &m, false);
	ck_assert_int_eq(vrrp_pkt_decode(carp, sizeof(carp), &m, &adv),
	    VRRP_PKT_BAD_ADDR_COUNT);
}
END_TEST

START_TEST(trailing_padding_is_accepted)
{
	const struct vec *v = &vecs[_i];
	struct vrrp_pkt_meta m = vec_meta(v);
	struct vrrp_advert adv;
	uint8_t b[VRRP_PKT_MAX_LEN];

	memcpy(b, v->msg, v->len);
	/* Odd and even amounts: the sum stops at the length Count implies. */
	for (size_t pad = 1; pad <= 6; pad++) {
		b[v->len + pad - 1] = (uint8_t)(0xa5 + pad);
		ck_assert_msg(vrrp_pkt_decode(b, v->len + pad, &m, &adv) ==
			VRRP_PKT_OK,
		    "%s with %zu padding bytes", v->name, pad);
		ck_assert_uint_eq(adv.csum_ok, v->csum_ok);
	}
}
END_TEST

START_TEST(checksum_off_by_one_is_bad_checksum)
{
	const struct vec *v = &vecs[_i];
	struct vrrp_pkt_meta m = vec_meta(v);
	struct vrrp_advert adv;
	uint8_t b[VRRP_PKT_MAX_LEN];

	memcpy(b, v->msg, v->len);
	b[7]++;
	ck_assert_int_eq(vrrp_pkt_decode(b, v->len, &m, &adv),
	    VRRP_PKT_BAD_CHECKSUM);
	ck_assert_uint_eq(adv.csum_ok, 0);
	ck_assert_uint_eq(adv.csum, v->csum + 1);
}
END_TEST

START_TEST(v2_unknown_auth_type_3_is_bad_auth_type)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[0]);
	struct vrrp_advert adv;
	uint8_t b[sizeof(adv_v2_pass_vrid52)];

	memcpy(b, vecs[0].msg, sizeof(b));
	b[4] = 3;
	fix_csum(b, sizeof(b), &m, false);
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv),
	    VRRP_PKT_BAD_AUTH_TYPE);
	b[4] = VRRP_AUTH_AH;
	fix_csum(b, sizeof(b), &m, false);
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv), VRRP_PKT_OK);
}
END_TEST

START_TEST(unknown_address_family_in_meta_is_bad_proto)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[1]);
	struct vrrp_advert adv;

	m.src.af = AF_UNSPEC;
	ck_assert_int_eq(vrrp_pkt_decode(vecs[1].msg, vecs[1].len, &m, &adv),
	    VRRP_PKT_BAD_PROTO);
	m = vec_meta(&vecs[1]);
	m.dst = ip("ff02::12");
	ck_assert_int_eq(vrrp_pkt_decode(vecs[1].msg, vecs[1].len, &m, &adv),
	    VRRP_PKT_BAD_PROTO);
}
END_TEST

START_TEST(every_receive_error_maps_to_a_counter)
{
	for (int e = VRRP_PKT_OK + 1; e < VRRP_PKT_ERR_MAX; e++) {
		enum vrrp_pkt_ctr c = vrrp_pkt_counter((enum vrrp_pkt_err)e);

		if (e == VRRP_PKT_NOSPACE || e == VRRP_PKT_BAD_FIELD)
			ck_assert_int_eq(c, VRRP_CTR_NONE);
		else
			ck_assert_msg(c != VRRP_CTR_NONE && c < VRRP_CTR_MAX,
			    "%s has no counter",
			    vrrp_pkt_strerror((enum vrrp_pkt_err)e));
	}
	ck_assert_int_eq(vrrp_pkt_counter(VRRP_PKT_OK), VRRP_CTR_NONE);
	ck_assert_int_eq(vrrp_pkt_counter(VRRP_PKT_ERR_MAX), VRRP_CTR_NONE);
	ck_assert_int_eq(vrrp_pkt_counter(VRRP_PKT_BAD_CHECKSUM),
	    VRRP_CTR_CHECKSUM_ERRORS);
	ck_assert_int_eq(vrrp_pkt_counter(VRRP_PKT_BAD_TTL),
	    VRRP_CTR_IP_TTL_ERRORS);
	ck_assert_int_eq(vrrp_pkt_counter(VRRP_PKT_BAD_ADDR_LIST),
	    VRRP_CTR_ADDRESS_LIST_ERRORS);
}
END_TEST

/*
 * checksum_modes
 */

/* Validate v (v3/IPv4) with its checksum rewritten message-only or not. */
static enum vrrp_pkt_err
check_mode(const struct vec *v, bool pseudo_on_wire, enum vrrp_csum_mode mode)
{
	struct vrrp_pkt_meta m = vec_meta(v);
	struct vrrp_pkt_expect e = vec_expect(v);
	struct vrrp_advert adv;
	static uint8_t b[VRRP_PKT_MAX_LEN];
	enum vrrp_pkt_err err;

	memcpy(b, v->msg, v->len);
	fix_csum(b, v->len, &m, pseudo_on_wire);
	err = vrrp_pkt_decode(b, v->len, &m, &adv);
	if (err != VRRP_PKT_OK)
		return err;
	e.csum_mode = mode;
	return vrrp_pkt_validate(&adv, &e);
}

START_TEST(v3_ipv4_pseudo_checksum_accepted_only_in_pseudo_or_auto)
{
	const struct vec *v = &vecs[1 + _i];

	ck_assert_int_eq(check_mode(v, true, VRRP_CSUM_PSEUDO), VRRP_PKT_OK);
	ck_assert_int_eq(check_mode(v, true, VRRP_CSUM_AUTO), VRRP_PKT_OK);
	ck_assert_int_eq(check_mode(v, true, VRRP_CSUM_MSG_ONLY),
	    VRRP_PKT_BAD_CHECKSUM);
}
END_TEST

START_TEST(v3_ipv4_msg_only_checksum_accepted_only_in_msg_only_or_auto)
{
	const struct vec *v = &vecs[1 + _i];

	ck_assert_int_eq(check_mode(v, false, VRRP_CSUM_MSG_ONLY), VRRP_PKT_OK);
	ck_assert_int_eq(check_mode(v, false, VRRP_CSUM_AUTO), VRRP_PKT_OK);
	ck_assert_int_eq(check_mode(v, false, VRRP_CSUM_PSEUDO),
	    VRRP_PKT_BAD_CHECKSUM);
}
END_TEST

START_TEST(v3_ipv4_msg_only_checksums_match_appendix_a)
{
	static const uint16_t want[] = { 0, ADV_V3_IPV4_VRID51_CSUM_MSG,
		ADV_V3_IPV4_VRID51_PRIO0_CSUM_MSG,
		ADV_V3_IPV4_UNICAST_CSUM_MSG };
	uint8_t b[12];

	for (size_t i = 1; i <= 3; i++) {
		struct vrrp_advert adv;
		struct vrrp_pkt_meta m = vec_meta(&vecs[i]);

		memcpy(b, vecs[i].msg, sizeof(b));
		b[6] = (uint8_t)(want[i] >> 8);
		b[7] = (uint8_t)want[i];
		ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv),
		    VRRP_PKT_OK);
		ck_assert_uint_eq(adv.csum_ok, VRRP_CSUM_OK_MSG);
	}
}
END_TEST

START_TEST(v2_and_ipv6_ignore_csum_mode)
{
	for (int mode = VRRP_CSUM_PSEUDO; mode <= VRRP_CSUM_AUTO; mode++) {
		struct vrrp_pkt_expect e0 = vec_expect(&vecs[0]);
		struct vrrp_pkt_expect e4 = vec_expect(&vecs[4]);
		struct vrrp_advert a0, a4;

		ck_assert_int_eq(decode_vec(&vecs[0], &a0), VRRP_PKT_OK);
		ck_assert_int_eq(decode_vec(&vecs[4], &a4), VRRP_PKT_OK);
		e0.csum_mode = e4.csum_mode = (enum vrrp_csum_mode)mode;
		ck_assert_int_eq(vrrp_pkt_validate(&a0, &e0), VRRP_PKT_OK);
		ck_assert_int_eq(vrrp_pkt_validate(&a4, &e4), VRRP_PKT_OK);
	}
}
END_TEST

START_TEST(v2_checksum_has_no_pseudo_header)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[0]);
	struct vrrp_advert adv;
	uint8_t b[sizeof(adv_v2_pass_vrid52)];

	memcpy(b, vecs[0].msg, sizeof(b));
	fix_csum(b, sizeof(b), &m, true);
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv),
	    VRRP_PKT_BAD_CHECKSUM);
	/* The sum covers the Authentication Data. */
	memcpy(b, vecs[0].msg, sizeof(b));
	b[sizeof(b) - 1] ^= 1;
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv),
	    VRRP_PKT_BAD_CHECKSUM);
}
END_TEST

START_TEST(checksum_ffff_verifies_like_zero)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[1]);
	struct vrrp_advert adv;
	uint8_t b[12];
	bool found = false;

	/* Find a message whose checksum is 0; send it as 0xffff ("-0"). */
	memcpy(b, vecs[1].msg, sizeof(b));
	b[6] = b[7] = 0;
	for (unsigned int w = 0; w <= 0xffff && !found; w++) {
		b[1] = (uint8_t)w;
		b[2] = (uint8_t)(w >> 8);
		found = vrrp_pkt_csum(b, sizeof(b), NULL, NULL, false) == 0;
	}
	ck_assert(found);
	b[6] = b[7] = 0xff;
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv), VRRP_PKT_OK);
	ck_assert_uint_eq(adv.csum_ok & VRRP_CSUM_OK_MSG, VRRP_CSUM_OK_MSG);
}
END_TEST

START_TEST(csum_is_host_order_and_verifies_to_zero)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[1]);
	uint8_t b[12];

	memcpy(b, vecs[1].msg, sizeof(b));
	ck_assert_uint_eq(vrrp_pkt_csum(b, sizeof(b), &m.src, &m.dst, true), 0);
	b[6] = b[7] = 0;
	ck_assert_uint_eq(vrrp_pkt_csum(b, sizeof(b), &m.src, &m.dst, true),
	    0xd371);
	ck_assert_uint_eq(vrrp_pkt_csum(b, sizeof(b), &m.src, &m.dst, false),
	    ADV_V3_IPV4_VRID51_CSUM_MSG);
	ck_assert_uint_eq(vrrp_pkt_csum(b, sizeof(b), NULL, NULL, false),
	    ADV_V3_IPV4_VRID51_CSUM_MSG);
}
END_TEST

/*
 * validate
 */

START_TEST(vector_passes_its_senders_configuration)
{
	const struct vec *v = &vecs[_i];
	struct vrrp_pkt_expect e = vec_expect(v);
	struct vrrp_advert adv;

	ck_assert_int_eq(decode_vec(v, &adv), VRRP_PKT_OK);
	ck_assert_int_eq(vrrp_pkt_validate(&adv, &e), VRRP_PKT_OK);
}
END_TEST

START_TEST(version_mismatch_is_bad_version)
{
	struct vrrp_pkt_expect e = vec_expect(&vecs[1]);
	struct vrrp_advert adv;

	ck_assert_int_eq(decode_vec(&vecs[1], &adv), VRRP_PKT_OK);
	e.version = 2;
	ck_assert_int_eq(vrrp_pkt_validate(&adv, &e), VRRP_PKT_BAD_VERSION);
	ck_assert_int_eq(decode_vec(&vecs[0], &adv), VRRP_PKT_OK);
	e = vec_expect(&vecs[0]);
	e.version = 3;
	ck_assert_int_eq(vrrp_pkt_validate(&adv, &e), VRRP_PKT_BAD_VERSION);
}
END_TEST

START_TEST(vrid_mismatch_is_bad_vrid)
{
	const struct vec *v = &vecs[_i];
	struct vrrp_pkt_expect e = vec_expect(v);
	struct vrrp_advert adv;

	ck_assert_int_eq(decode_vec(v, &adv), VRRP_PKT_OK);
	e.vrid = (uint8_t)(v->vrid + 1);
	ck_assert_int_eq(vrrp_pkt_validate(&adv, &e), VRRP_PKT_BAD_VRID);
}
END_TEST

START_TEST(v2_auth_type_mismatch_is_auth_mismatch)
{
	struct vrrp_pkt_expect e = vec_expect(&vecs[0]);
	struct vrrp_advert adv;

	ck_assert_int_eq(decode_vec(&vecs[0], &adv), VRRP_PKT_OK);
	e.auth_type = VRRP_AUTH_NONE;
	ck_assert_int_eq(vrrp_pkt_validate(&adv, &e), VRRP_PKT_AUTH_MISMATCH);
}
END_TEST

START_TEST(v2_wrong_password_is_bad_auth)
{
	struct vrrp_pkt_expect e = vec_expect(&vecs[0]);
	struct vrrp_advert adv;

	ck_assert_int_eq(decode_vec(&vecs[0], &adv), VRRP_PKT_OK);
	memcpy(e.auth_data, "secret13", VRRP_AUTH_LEN);
	ck_assert_int_eq(vrrp_pkt_validate(&adv, &e), VRRP_PKT_BAD_AUTH);
	/* All 8 bytes count: "secret1" + NUL is not "secret12". */
	memcpy(e.auth_data, "secret1", VRRP_AUTH_LEN);
	ck_assert_int_eq(vrrp_pkt_validate(&adv, &e), VRRP_PKT_BAD_AUTH);
}
END_TEST

START_TEST(v2_no_auth_ignores_auth_data)
{
	struct vrrp_pkt_meta m = vec_meta(&vecs[0]);
	struct vrrp_pkt_expect e = vec_expect(&vecs[0]);
	struct vrrp_advert adv;
	uint8_t b[sizeof(adv_v2_pass_vrid52)];

	memcpy(b, vecs[0].msg, sizeof(b));
	b[4] = VRRP_AUTH_NONE;
	fix_csum(b, sizeof(b), &m, false);
	ck_assert_int_eq(vrrp_pkt_decode(b, sizeof(b), &m, &adv), VRRP_PKT_OK);
	e.auth_type = VRRP_AUTH_NONE;
	memset(e.auth_data, 0, VRRP_AUTH_LEN);
	ck_assert_int_eq(vrrp_pkt_validate(&adv, &e), VRRP_PKT_OK);
}
END_TEST

START_TEST(v2_interval_mismatch_is_bad_interval)
{
	struct vrrp_pkt_expect e = vec_expect(&vecs[0]);
	struct vrrp_advert adv;

	ck_assert_int_eq(decode_vec(&vecs[0], &adv), VRRP_PKT_OK);
	e.adver_int_cs = 200;
	ck_assert_int_eq(vrrp_pkt_validate(&adv, &e), VRRP_PKT_BAD_INTERVAL);
}
END_TEST

START_TEST(v3_interval_difference_is_accepted)
{
	struct vrrp_pkt_expect e = vec_expect(&vecs[3]);
	struct vrrp_advert adv;

	/* RFC 5798 §6.4.2: a v3 Backup learns Master_Adver_Interval. */
	ck_assert_int_eq(decode_vec(&vecs[3], &adv), VRRP_PKT_OK);
	e.adver_int_cs = 100;
	ck_assert_int_eq(vrrp_pkt_validate(&adv, &e), VRRP_PKT_OK);
}
END_TEST

START_TEST(address_list_mismatch_is_detected)
{
	struct vrrp_advert adv;
	struct addr vips[3] = { ip(ADV_V2_PASS_VIP1), ip(ADV_V2_PASS_VIP2),
		ip("192.0.2.54") };
	struct addr dup[2] = { ip(ADV_V2_PASS_VIP1), ip(ADV_V2_PASS_VIP1) };
	struct addr v6[2] = { ip("::ffff:192.0.2.52"),
		ip("::ffff:192.0.2.53") };

	ck_assert_int_eq(decode_vec(&vecs[0], &adv), VRRP_PKT_OK);
	ck_assert(vrrp_pkt_addrs_match(&adv, vips, 2));
	ck_assert(!vrrp_pkt_addrs_match(&adv, vips, 1));
	ck_assert(!vrrp_pkt_addrs_match(&adv, vips, 3));
	ck_assert(!vrrp_pkt_addrs_match(&adv, vips + 1, 2));
	ck_assert(!vrrp_pkt_addrs_match(&adv, dup, 2));
	ck_assert(!vrrp_pkt_addrs_match(&adv, v6, 2));
	ck_assert(!vrrp_pkt_addrs_match(&adv, NULL, 0));
	ck_assert_int_eq(vrrp_pkt_counter(VRRP_PKT_BAD_ADDR_LIST),
	    VRRP_CTR_ADDRESS_LIST_ERRORS);
}
END_TEST

START_TEST(same_addresses_in_another_order_match)
{
	struct vrrp_advert adv;
	struct addr v4[2] = { ip(ADV_V2_PASS_VIP2), ip(ADV_V2_PASS_VIP1) };
	struct addr v6[2] = { ip(ADV_V3_IPV6_VRID53_VIP2),
		ip(ADV_V3_IPV6_VRID53_VIP1) };

	ck_assert_int_eq(decode_vec(&vecs[0], &adv), VRRP_PKT_OK);
	ck_assert(vrrp_pkt_addrs_match(&adv, v4, 2));
	ck_assert_int_eq(decode_vec(&vecs[4], &adv), VRRP_PKT_OK);
	ck_assert(vrrp_pkt_addrs_match(&adv, v6, 2));
}
END_TEST

START_TEST(empty_address_list_matches_no_vips)
{
	struct vrrp_advert adv;
	struct addr vips[1];
	struct vrrp_pkt_tx tx = vec_tx(&vecs[1], vips);
	struct vrrp_pkt_meta m = vec_meta(&vecs[1]);
	uint8_t b[VRRP_PKT_MAX_LEN];

	tx.naddr = 0;
	ck_assert_int_eq(vrrp_pkt_encode(&tx, b, sizeof(b)), VRRP_HDR_LEN);
	ck_assert_int_eq(vrrp_pkt_decode(b, VRRP_HDR_LEN, &m, &adv),
	    VRRP_PKT_OK);
	ck_assert(vrrp_pkt_addrs_match(&adv, NULL, 0));
	ck_assert(!vrrp_pkt_addrs_match(&adv, vips, 1));
}
END_TEST

/*
 * ip4_header
 */

START_TEST(parse_ip4_fills_meta_and_points_at_payload)
{
	uint8_t d[64];
	size_t n = build_ip4(d, VRRP_IPPROTO, 255, vecs[1].msg, vecs[1].len);
	struct vrrp_pkt_meta m = { .ifindex = 7 };
	struct vrrp_advert adv;
	struct addr src, dst;
	const uint8_t *p;
	size_t plen;

	ck_assert_int_eq(vrrp_pkt_parse_ip4(d, n, &m, &p, &plen), VRRP_PKT_OK);
	ck_assert_ptr_eq(p, d + 20);
	ck_assert_uint_eq(plen, vecs[1].len);
	ck_assert_uint_eq(m.ttl, 255);
	ck_assert_uint_eq(m.ifindex, 7);
	src = ip("192.0.2.1");
	dst = ip("224.0.0.18");
	ck_assert_int_eq(addr_cmp(&m.src, &src), 0);
	ck_assert_int_eq(addr_cmp(&m.dst, &dst), 0);
	ck_assert_int_eq(vrrp_pkt_decode(p, plen, &m, &adv), VRRP_PKT_OK);
}
END_TEST

START_TEST(parse_ip4_wrong_protocol_is_bad_proto)
{
	uint8_t d[64];
	size_t n = build_ip4(d, 6, 255, vecs[1].msg, vecs[1].len);
	struct vrrp_pkt_meta m;
	const uint8_t *p;
	size_t plen;

	ck_assert_int_eq(vrrp_pkt_parse_ip4(d, n, &m, &p, &plen),
	    VRRP_PKT_BAD_PROTO);
	ck_assert_ptr_null(p);
	d[0] = 0x65; /* IP version 6 on an IPv4 socket */
	d[9] = VRRP_IPPROTO;
	ck_assert_int_eq(vrrp_pkt_parse_ip4(d, n, &m, &p, &plen),
	    VRRP_PKT_BAD_PROTO);
}
END_TEST

START_TEST(parse_ip4_header_beyond_buffer_is_truncated)
{
	uint8_t d[64];
	size_t n = build_ip4(d, VRRP_IPPROTO, 255, vecs[1].msg, vecs[1].len);
	struct vrrp_pkt_meta m;
	const uint8_t *p;
	size_t plen;

	for (size_t k = 0; k < 20; k++)
		ck_assert_int_eq(vrrp_pkt_parse_ip4(d, k, &m, &p, &plen),
		    VRRP_PKT_TRUNCATED);
	d[0] = 0x4f; /* IHL 15: 60 bytes */
	ck_assert_int_eq(vrrp_pkt_parse_ip4(d, n, &m, &p, &plen),
	    VRRP_PKT_TRUNCATED);
	d[0] = 0x44; /* IHL 4: below the minimum */
	ck_assert_int_eq(vrrp_pkt_parse_ip4(d, n, &m, &p, &plen),
	    VRRP_PKT_TRUNCATED);
}
END_TEST

START_TEST(parse_ip4_total_length_beyond_buffer_is_truncated)
{
	uint8_t d[64];
	size_t n = build_ip4(d, VRRP_IPPROTO, 255, vecs[1].msg, vecs[1].len);
	struct vrrp_pkt_meta m;
	const uint8_t *p;
	size_t plen;

	ck_assert_int_eq(vrrp_pkt_parse_ip4(d, n - 1, &m, &p, &plen),
	    VRRP_PKT_TRUNCATED);
	d[3] = 19; /* Total Length shorter than the header */
	ck_assert_int_eq(vrrp_pkt_parse_ip4(d, n, &m, &p, &plen),
	    VRRP_PKT_TRUNCATED);
}
END_TEST

START_TEST(parse_ip4_ignores_ethernet_padding_after_total_length)
{
	uint8_t d[64];
	size_t n = build_ip4(d, VRRP_IPPROTO, 255, vecs[1].msg, vecs[1].len);
	struct vrrp_pkt_meta m;
	struct vrrp_advert adv;
	const uint8_t *p;
	size_t plen;

	/* A 60-byte minimum frame: 14 Ethernet + 32 IP + 14 padding. */
	memset(d + n, 0xee, 14);
	ck_assert_int_eq(vrrp_pkt_parse_ip4(d, n + 14, &m, &p, &plen),
	    VRRP_PKT_OK);
	ck_assert_uint_eq(plen, vecs[1].len);
	ck_assert_int_eq(vrrp_pkt_decode(p, plen, &m, &adv), VRRP_PKT_OK);
}
END_TEST

START_TEST(parse_ip4_skips_ip_options)
{
	uint8_t d[64];
	size_t n = build_ip4(d, VRRP_IPPROTO, 255, vecs[1].msg, vecs[1].len);
	struct vrrp_pkt_meta m;
	const uint8_t *p;
	size_t plen;

	/* Insert 4 bytes of options (NOPs): IHL 6. */
	memmove(d + 24, d + 20, n - 20);
	memset(d + 20, 1, 4);
	d[0] = 0x46;
	d[3] = (uint8_t)(n + 4);
	ck_assert_int_eq(vrrp_pkt_parse_ip4(d, n + 4, &m, &p, &plen),
	    VRRP_PKT_OK);
	ck_assert_ptr_eq(p, d + 24);
	ck_assert_uint_eq(plen, vecs[1].len);
}
END_TEST

START_TEST(parse_ip4_reports_the_ttl_for_decode)
{
	uint8_t d[64];
	size_t n = build_ip4(d, VRRP_IPPROTO, 64, vecs[1].msg, vecs[1].len);
	struct vrrp_pkt_meta m;
	struct vrrp_advert adv;
	const uint8_t *p;
	size_t plen;

	ck_assert_int_eq(vrrp_pkt_parse_ip4(d, n, &m, &p, &plen), VRRP_PKT_OK);
	ck_assert_uint_eq(m.ttl, 64);
	ck_assert_int_eq(vrrp_pkt_decode(p, plen, &m, &adv), VRRP_PKT_BAD_TTL);
}
END_TEST

/*
 * format
 */

START_TEST(format_v3_ipv4_vector)
{
	struct vrrp_advert adv;
	char line[200];

	ck_assert_int_eq(decode_vec(&vecs[1], &adv), VRRP_PKT_OK);
	ck_assert_str_eq(vrrp_pkt_format(&adv, line, sizeof(line)),
	    "v3 vrid 51 prio 150 int 100cs 192.0.2.1 > 224.0.0.18 ttl 255 "
	    "addrs 192.0.2.100");
}
END_TEST

START_TEST(format_v2_shows_auth_type_but_not_password)
{
	struct vrrp_advert adv;
	char line[200];

	ck_assert_int_eq(decode_vec(&vecs[0], &adv), VRRP_PKT_OK);
	ck_assert_str_eq(vrrp_pkt_format(&adv, line, sizeof(line)),
	    "v2 vrid 52 prio 100 int 100cs auth pass 192.0.2.1 > 224.0.0.18 "
	    "ttl 255 addrs 192.0.2.52,192.0.2.53");
	ck_assert_ptr_null(strstr(line, "secret"));
}
END_TEST

START_TEST(format_v3_ipv6_lists_every_address)
{
	struct vrrp_advert adv;
	char line[200];

	ck_assert_int_eq(decode_vec(&vecs[4], &adv), VRRP_PKT_OK);
	ck_assert_str_eq(vrrp_pkt_format(&adv, line, sizeof(line)),
	    "v3 vrid 53 prio 200 int 100cs fe80::18ec:a6ff:fea1:c47b > "
	    "ff02::12 ttl 255 addrs fe80::53,2001:db8::53");
}
END_TEST

START_TEST(format_truncates_to_any_size)
{
	const struct vec *v = &vecs[_i];
	struct vrrp_advert adv;
	char full[256], small[256];
	size_t len;

	ck_assert_int_eq(decode_vec(v, &adv), VRRP_PKT_OK);
	len = strlen(vrrp_pkt_format(&adv, full, sizeof(full)));
	ck_assert_uint_lt(len, sizeof(full) - 1);
	for (size_t size = 0; size <= len + 1; size++) {
		memset(small, 'X', sizeof(small));
		ck_assert_ptr_eq(vrrp_pkt_format(&adv, small, size), small);
		if (size == 0) {
			ck_assert_int_eq(small[0], 'X');
			continue;
		}
		ck_assert_uint_eq(strlen(small),
		    size - 1 < len ? size - 1 : len);
		ck_assert_int_eq(strncmp(small, full, size - 1), 0);
		ck_assert_int_eq(small[size], 'X');
	}
}
END_TEST

START_TEST(every_outcome_and_counter_has_a_name)
{
	const char *unknown = vrrp_pkt_strerror(VRRP_PKT_ERR_MAX);
	const char *unknown_ctr = vrrp_pkt_ctr_name(VRRP_CTR_MAX);

	ck_assert_ptr_nonnull(unknown);
	ck_assert_ptr_nonnull(unknown_ctr);
	ck_assert_ptr_nonnull(vrrp_pkt_strerror((enum vrrp_pkt_err) - 1));
	ck_assert_ptr_nonnull(vrrp_pkt_ctr_name((enum vrrp_pkt_ctr) - 1));
	for (int e = 0; e < VRRP_PKT_ERR_MAX; e++) {
		const char *s = vrrp_pkt_strerror((enum vrrp_pkt_err)e);

		ck_assert_msg(s != NULL && *s != '\0' && strcmp(s, unknown),
		    "outcome %d has no text", e);
	}
	for (int c = 0; c < VRRP_CTR_MAX; c++) {
		const char *s = vrrp_pkt_ctr_name((enum vrrp_pkt_ctr)c);

		ck_assert_msg(s != NULL && *s != '\0' && strcmp(s, unknown_ctr),
		    "counter %d has no name", c);
	}
	ck_assert_str_eq(vrrp_pkt_strerror(VRRP_PKT_BAD_CHECKSUM),
	    "bad checksum");
	ck_assert_str_eq(vrrp_pkt_ctr_name(VRRP_CTR_CHECKSUM_ERRORS),
	    "vrrpv3RouterChecksumErrors");
}
END_TEST

static Suite *
packet_suite(void)
{
	Suite *s = suite_create("vrrp_packet");
	int nv = (int)NELEM(vecs);
	TCase *tc;

	tc = tcase_create("decode_vectors");
	tcase_add_loop_test(tc, captured_vector_decodes_field_by_field, 0, nv);
	tcase_add_test(tc, v2_pass_auth_data_carries_first_8_password_bytes);
	tcase_add_test(tc,
	    v3_ipv4_unicast_pseudo_header_uses_unicast_destination);
	tcase_add_test(tc, v3_ipv6_pseudo_header_uses_link_local_source);
	tcase_add_test(tc, priority_zero_advert_decodes_as_master_leaving);
	tcase_add_test(tc, addr_at_out_of_range_gives_no_address);
	suite_add_tcase(s, tc);

	tc = tcase_create("encode_roundtrip");
	tcase_add_loop_test(tc, captured_vector_reencodes_to_identical_bytes, 0,
	    nv);
	tcase_add_loop_test(tc, decoded_vector_reencodes_to_identical_bytes, 0,
	    nv);
	tcase_add_test(tc, v3_ipv4_msg_only_encode_gives_rfc9568_checksum);
	tcase_add_test(tc, v3_ipv6_encode_ignores_csum_mode);
	tcase_add_loop_test(tc, encode_rejects_field_out_of_range, 0,
	    BAD_FIELD_CASES);
	tcase_add_test(tc, encode_accepts_range_limits);
	tcase_add_loop_test(tc, encode_needs_room_for_the_whole_message, 0, nv);
	tcase_add_test(tc, v3_encode_writes_reserved_bits_as_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode_errors");
	tcase_add_test(tc, ttl_254_is_bad_ttl);
	tcase_add_test(tc, hop_limit_254_is_bad_ttl);
	tcase_add_test(tc, version_4_is_bad_version);
	tcase_add_test(tc, version_2_over_ipv6_is_bad_version);
	tcase_add_test(tc, type_2_is_bad_type);
	tcase_add_test(tc, count_larger_than_payload_is_bad_addr_count);
	tcase_add_test(tc, v2_without_auth_data_is_bad_addr_count);
	tcase_add_test(tc, shorter_than_fixed_header_is_truncated);
	tcase_add_test(tc, carp_advert_is_rejected_by_length);
	tcase_add_loop_test(tc, trailing_padding_is_accepted, 0, nv);
	tcase_add_loop_test(tc, checksum_off_by_one_is_bad_checksum, 0, nv);
	tcase_add_test(tc, v2_unknown_auth_type_3_is_bad_auth_type);
	tcase_add_test(tc, unknown_address_family_in_meta_is_bad_proto);
	tcase_add_test(tc, every_receive_error_maps_to_a_counter);
	suite_add_tcase(s, tc);

	tc = tcase_create("checksum_modes");
	tcase_add_loop_test(tc,
	    v3_ipv4_pseudo_checksum_accepted_only_in_pseudo_or_auto, 0, 3);
	tcase_add_loop_test(tc,
	    v3_ipv4_msg_only_checksum_accepted_only_in_msg_only_or_auto, 0, 3);
	tcase_add_test(tc, v3_ipv4_msg_only_checksums_match_appendix_a);
	tcase_add_test(tc, v2_and_ipv6_ignore_csum_mode);
	tcase_add_test(tc, v2_checksum_has_no_pseudo_header);
	tcase_add_test(tc, csum_is_host_order_and_verifies_to_zero);
	tcase_add_test(tc, checksum_ffff_verifies_like_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("validate");
	tcase_add_loop_test(tc, vector_passes_its_senders_configuration, 0, nv);
	tcase_add_test(tc, version_mismatch_is_bad_version);
	tcase_add_loop_test(tc, vrid_mismatch_is_bad_vrid, 0, nv);
	tcase_add_test(tc, v2_auth_type_mismatch_is_auth_mismatch);
	tcase_add_test(tc, v2_wrong_password_is_bad_auth);
	tcase_add_test(tc, v2_no_auth_ignores_auth_data);
	tcase_add_test(tc, v2_interval_mismatch_is_bad_interval);
	tcase_add_test(tc, v3_interval_difference_is_accepted);
	tcase_add_test(tc, address_list_mismatch_is_detected);
	tcase_add_test(tc, same_addresses_in_another_order_match);
	tcase_add_test(tc, empty_address_list_matches_no_vips);
	suite_add_tcase(s, tc);

	tc = tcase_create("ip4_header");
	tcase_add_test(tc, parse_ip4_fills_meta_and_points_at_payload);
	tcase_add_test(tc, parse_ip4_wrong_protocol_is_bad_proto);
	tcase_add_test(tc, parse_ip4_header_beyond_buffer_is_truncated);
	tcase_add_test(tc, parse_ip4_total_length_beyond_buffer_is_truncated);
	tcase_add_test(tc,
	    parse_ip4_ignores_ethernet_padding_after_total_length);
	tcase_add_test(tc, parse_ip4_skips_ip_options);
	tcase_add_test(tc, parse_ip4_reports_the_ttl_for_decode);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, format_v3_ipv4_vector);
	tcase_add_test(tc, format_v2_shows_auth_type_but_not_password);
	tcase_add_test(tc, format_v3_ipv6_lists_every_address);
	tcase_add_loop_test(tc, format_truncates_to_any_size, 0, nv);
	tcase_add_test(tc, every_outcome_and_counter_has_a_name);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(packet_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
