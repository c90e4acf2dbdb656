/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * auth_type AH against keepalived 2.2.7's own datagrams (captured on the
 * wire: tests/vectors/ah_v2_ipv4.h): verify them, build them again byte for
 * byte, refuse every change to a covered byte, and the sequence numbers.
 */

#include <arpa/inet.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/vrrp_ah.h"
#include "vrrpd/vrrp_packet.h"
#include "vectors/ah_v2_ipv4.h"

struct vec {
	const char *name;
	const uint8_t *dgram;
	size_t len;
	const char *src, *dst, *key;
	bool unicast;
	uint8_t vrid, priority, naddr;
};

static const struct vec vecs[] = {
	{ "multicast VRID 61", ah_v2_mcast_vrid61, sizeof(ah_v2_mcast_vrid61),
	    AH_V2_MC61_SRC, AH_V2_MC61_DST, AH_V2_MC61_KEY, false, 61, 150, 1 },
	{ "multicast VRID 62, 2 addresses, long auth_pass", ah_v2_mcast_vrid62,
	    sizeof(ah_v2_mcast_vrid62), AH_V2_MC62_SRC, AH_V2_MC62_DST,
	    AH_V2_MC62_KEY, false, 62, 200, 2 },
	{ "unicast VRID 64", ah_v2_ucast_vrid64, sizeof(ah_v2_ucast_vrid64),
	    AH_V2_UC64_SRC, AH_V2_UC64_DST, AH_V2_UC64_KEY, true, 64, 200, 1 },
};
#define NVEC ((int)(sizeof(vecs) / sizeof(vecs[0])))

static struct addr
ip(const char *text)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	ck_assert_msg(addr_parse(text, &a) == 0, "bad address %s", text);
	return a;
}

static void
key_of(const char *pass, uint8_t key[VRRP_AH_KEY_LEN])
{
	vrrp_ah_key(pass, key);
}

/* A writable copy of vector i, with room to spare. */
static size_t
copy_vec(int i, uint8_t *buf, size_t size)
{
	ck_assert_uint_le(vecs[i].len, size);
	memcpy(buf, vecs[i].dgram, vecs[i].len);
	return vecs[i].len;
}

START_TEST(vector_parses)
{
	const struct vec *v = &vecs[_i];
	struct vrrp_pkt_meta meta = { .ttl = 0 };
	struct vrrp_ah_hdr ah;
	struct vrrp_advert adv;
	const uint8_t *msg;
	size_t mlen;
	struct addr src = ip(v->src), dst = ip(v->dst);

	ck_assert_int_eq(
	    vrrp_ah_parse(v->dgram, v->len, &meta, &ah, &msg, &mlen),
	    VRRP_AH_OK);
	ck_assert_int_eq(addr_cmp(&meta.src, &src), 0);
	ck_assert_int_eq(addr_cmp(&meta.dst, &dst), 0);
	ck_assert_uint_eq(meta.ttl, 255);
	ck_assert_uint_eq(ah.next_header, VRRP_IPPROTO);
	ck_assert_uint_eq(ah.payload_len, VRRP_AH_PLEN);
	ck_assert_uint_eq(ah.spi, ntohl(src.u.v4.s_addr));
	ck_assert_uint_eq(ah.seq, 1);
	ck_assert_ptr_eq(msg, v->dgram + 44);
	ck_assert_uint_eq(mlen, v->len - 44);
	/* The VRRP message inside is an ordinary v2 advert, Auth Type 2. */
	ck_assert_int_eq(vrrp_pkt_decode(msg, mlen, &meta, &adv), VRRP_PKT_OK);
	ck_assert_uint_eq(adv.version, 2);
	ck_assert_uint_eq(adv.vrid, v->vrid);
	ck_assert_uint_eq(adv.priority, v->priority);
	ck_assert_uint_eq(adv.naddr, v->naddr);
	ck_assert_uint_eq(adv.auth_type, VRRP_AUTH_AH);
	ck_assert_uint_eq(adv.adver_int_cs, 100);
	for (size_t k = 0; k < VRRP_AUTH_LEN; k++)
		ck_assert_uint_eq(adv.auth_data[k], 0);
}
END_TEST

START_TEST(vector_verifies_with_its_key)
{
	const struct vec *v = &vecs[_i];
	uint8_t key[VRRP_AH_KEY_LEN];

	key_of(v->key, key);
	ck_assert_int_eq(vrrp_ah_verify(v->dgram, v->len, key, v->unicast),
	    VRRP_AH_OK);
}
END_TEST

START_TEST(vector_fails_with_another_key)
{
	const struct vec *v = &vecs[_i];
	uint8_t key[VRRP_AH_KEY_LEN];

	key_of("wrong", key);
	ck_assert_int_eq(vrrp_ah_verify(v->dgram, v->len, key, v->unicast),
	    VRRP_AH_BAD_ICV);
	/* Only the first 8 bytes of auth_pass count, as in keepalived. */
	key_of(v->key, key);
	key[VRRP_AH_KEY_LEN - 1] ^= 1;
	ck_assert_int_eq(vrrp_ah_verify(v->dgram, v->len, key, v->unicast),
	    VRRP_AH_BAD_ICV);
}
END_TEST

/* keepalived covers the TTL with multicast and zeroes it with unicast. */
START_TEST(ttl_rule_follows_unicast)
{
	const struct vec *v = &vecs[_i];
	uint8_t key[VRRP_AH_KEY_LEN];

	key_of(v->key, key);
	ck_assert_int_eq(vrrp_ah_verify(v->dgram, v->len, key, !v->unicast),
	    VRRP_AH_BAD_ICV);
}
END_TEST

/* TOS, flags/offset, checksum (and TTL with unicast) may change. */
static bool
mutable_byte(size_t off, bool unicast)
{
	return off == 1 || off == 6 || off == 7 || off == 10 || off == 11 ||
	    (unicast && off == 8);
}

START_TEST(every_covered_byte_is_authenticated)
{
	uint8_t buf[VRRP_AH_RX_MAX_LEN], key[VRRP_AH_KEY_LEN];

	for (int i = 0; i < NVEC; i++) {
		size_t len = copy_vec(i, buf, sizeof(buf));

		key_of(vecs[i].key, key);
		/* Bytes 0, 2, 3 and 9 are checked by the parser as well. */
		for (size_t off = 0; off < len; off++) {
			enum vrrp_ah_err err;

			buf[off] ^= 0x01;
			err = vrrp_ah_verify(buf, len, key, vecs[i].unicast);
			if (mutable_byte(off, vecs[i].unicast))
				ck_assert_msg(err == VRRP_AH_OK,
				    "%s: byte %zu is mutable: %s", vecs[i].name,
				    off, vrrp_ah_strerror(err));
			else
				ck_assert_msg(err != VRRP_AH_OK,
				    "%s: byte %zu changed, still verifies",
				    vecs[i].name, off);
			buf[off] ^= 0x01;
		}
	}
}
END_TEST

/* The Identification is covered: a kernel-chosen one breaks the ICV. */
START_TEST(identification_is_covered)
{
	uint8_t buf[VRRP_AH_RX_MAX_LEN], key[VRRP_AH_KEY_LEN];
	size_t len = copy_vec(0, buf, sizeof(buf));

	key_of(vecs[0].key, key);
	buf[4] = 0x6c;
	buf[5] = 0x2d;
	ck_assert_int_eq(vrrp_ah_verify(buf, len, key, false), VRRP_AH_BAD_ICV);
}
END_TEST

START_TEST(encode_rebuilds_keepalived_bytes)
{
	const struct vec *v = &vecs[_i];
	struct vrrp_ah_tx tx = { .src = ip(v->src),
		.dst = ip(v->dst),
		.ttl = 255,
		.tos = VRRP_AH_TOS,
		.ip_id = 1,
		.seq = 1,
		.zero_ttl = v->unicast };
	uint8_t buf[VRRP_AH_MAX_LEN];
	size_t hl = VRRP_AH_IP4_LEN + VRRP_AH_LEN;
	int n;

	vrrp_ah_key(v->key, tx.key);
	n = vrrp_ah_encode(&tx, v->dgram + hl, v->len - hl, buf, sizeof(buf));
	ck_assert_int_eq(n, (int)v->len);
	ck_assert_mem_eq(buf, v->dgram, v->len);
}
END_TEST

/* The VRRP message from our own codec, then the datagram around it. */
START_TEST(encode_with_the_packet_codec_matches_vector)
{
	struct addr vip = ip(AH_V2_MC61_VIP);
	struct vrrp_pkt_tx ptx = { .version = 2,
		.vrid = 61,
		.priority = 150,
		.adver_int_cs = 100,
		.auth_type = VRRP_AUTH_AH,
		.addrs = &vip,
		.naddr = 1,
		.src = ip(AH_V2_MC61_SRC),
		.dst = ip(AH_V2_MC61_DST) };
	struct vrrp_ah_tx tx = { .src = ptx.src,
		.dst = ptx.dst,
		.ttl = 255,
		.tos = VRRP_AH_TOS,
		.ip_id = 1,
		.seq = 1 };
	uint8_t msg[VRRP_PKT_MAX_LEN], buf[VRRP_AH_MAX_LEN];
	int mlen, n;

	mlen = vrrp_pkt_encode(&ptx, msg, sizeof(msg));
	ck_assert_int_gt(mlen, 0);
	vrrp_ah_key(AH_V2_MC61_KEY, tx.key);
	n = vrrp_ah_encode(&tx, msg, (size_t)mlen, buf, sizeof(buf));
	ck_assert_int_eq(n, (int)sizeof(ah_v2_mcast_vrid61));
	ck_assert_mem_eq(buf, ah_v2_mcast_vrid61, sizeof(ah_v2_mcast_vrid61));
}
END_TEST

START_TEST(encode_then_verify_round_trip)
{
	uint8_t msg[VRRP_AUTH_LEN + VRRP_HDR_LEN + 4 * VRRP_MAX_ADDRS];
	uint8_t buf[VRRP_AH_MAX_LEN];
	struct vrrp_ah_tx tx = { .src = ip("198.51.100.7"),
		.dst = ip("198.51.100.9"),
		.ttl = 64,
		.tos = VRRP_AH_TOS,
		.ip_id = 65535,
		.seq = 0xfffffffe,
		.zero_ttl = true };
	struct vrrp_pkt_meta meta;
	struct vrrp_ah_hdr ah;
	const uint8_t *p;
	size_t plen;
	int n;

	memset(msg, 0xa5, sizeof(msg));
	vrrp_ah_key("12345678", tx.key);
	n = vrrp_ah_encode(&tx, msg, sizeof(msg), buf, sizeof(buf));
	ck_assert_int_eq(n, (int)sizeof(buf));
	ck_assert_int_eq(vrrp_ah_verify(buf, (size_t)n, tx.key, true),
	    VRRP_AH_OK);
	/* the header checksum we put in sums to zero */
	ck_assert_uint_eq(util_csum_fold(util_csum_add(0, buf, 20)), 0);
	/* the kernel may lower the TTL of unicast on the way: not covered */
	buf[8] = 1;
	ck_assert_int_eq(vrrp_ah_verify(buf, (size_t)n, tx.key, true),
	    VRRP_AH_OK);
	ck_assert_int_eq(vrrp_ah_parse(buf, (size_t)n, &meta, &ah, &p, &plen),
	    VRRP_AH_OK);
	ck_assert_uint_eq(ah.seq, 0xfffffffe);
	ck_assert_uint_eq(plen, sizeof(msg));
	ck_assert_mem_eq(p, msg, sizeof(msg));
	ck_assert_uint_eq(buf[4], 0xff);
	ck_assert_uint_eq(buf[5], 0xff);
}
END_TEST

START_TEST(encode_refuses_bad_fields)
{
	struct vrrp_ah_tx tx = { .src = ip("192.0.2.1"),
		.dst = ip("224.0.0.18"),
		.ttl = 255,
		.tos = VRRP_AH_TOS,
		.ip_id = 1,
		.seq = 1 };
	uint8_t msg[VRRP_PKT_MAX_LEN] = { 0 }, buf[VRRP_PKT_MAX_LEN + 64];
	size_t v4max = VRRP_HDR_LEN + 4 * VRRP_MAX_ADDRS + VRRP_AUTH_LEN;

	ck_assert_int_eq(vrrp_ah_encode(&tx, msg, 16, buf, 59),
	    -VRRP_AH_NOSPACE);
	ck_assert_int_eq(vrrp_ah_encode(&tx, msg, 16, buf, 60), 60);
	ck_assert_int_eq(
	    vrrp_ah_encode(&tx, msg, VRRP_HDR_LEN - 1, buf, sizeof(buf)),
	    -VRRP_AH_BAD_FIELD);
	ck_assert_int_eq(vrrp_ah_encode(&tx, msg, v4max + 1, buf, sizeof(buf)),
	    -VRRP_AH_BAD_FIELD);
	ck_assert_int_eq(vrrp_ah_encode(&tx, msg, v4max, buf, sizeof(buf)),
	    (int)(v4max + 44));
	/* with IP_HDRINCL the kernel would replace Identification 0 */
	tx.ip_id = 0;
	ck_assert_int_eq(vrrp_ah_encode(&tx, msg, 16, buf, sizeof(buf)),
	    -VRRP_AH_BAD_FIELD);
	tx.ip_id = 1;
	tx.src = ip("2001:db8::1");
	ck_assert_int_eq(vrrp_ah_encode(&tx, msg, 16, buf, sizeof(buf)),
	    -VRRP_AH_BAD_FIELD);
	tx.src = ip("192.0.2.1");
	tx.dst = ip("ff02::12");
	ck_assert_int_eq(vrrp_ah_encode(&tx, msg, 16, buf, sizeof(buf)),
	    -VRRP_AH_BAD_FIELD);
}
END_TEST

START_TEST(every_truncation_is_refused)
{
	uint8_t key[VRRP_AH_KEY_LEN];
	struct vrrp_pkt_meta meta;
	struct vrrp_ah_hdr ah;
	const uint8_t *p;
	size_t plen;

	key_of(vecs[0].key, key);
	for (size_t n = 0; n < sizeof(ah_v2_mcast_vrid61); n++) {
		ck_assert_int_eq(
		    vrrp_ah_parse(ah_v2_mcast_vrid61, n, &meta, &ah, &p, &plen),
		    VRRP_AH_TRUNCATED);
		ck_assert_ptr_null(p);
		ck_assert_int_eq(
		    vrrp_ah_verify(ah_v2_mcast_vrid61, n, key, false),
		    VRRP_AH_TRUNCATED);
	}
}
END_TEST

/* Total Length rules: bytes after it (padding) are not the datagram. */
START_TEST(bytes_after_total_length_are_ignored)
{
	uint8_t buf[VRRP_AH_RX_MAX_LEN], key[VRRP_AH_KEY_LEN];
	size_t len = copy_vec(0, buf, sizeof(buf));

	key_of(vecs[0].key, key);
	memset(buf + len, 0xee, 6);
	ck_assert_int_eq(vrrp_ah_verify(buf, len + 6, key, false), VRRP_AH_OK);
}
END_TEST

/* A VRRP message shorter than the fixed header after the AH. */
START_TEST(ah_without_vrrp_header_is_truncated)
{
	uint8_t buf[VRRP_AH_RX_MAX_LEN];
	struct vrrp_pkt_meta meta;
	struct vrrp_ah_hdr ah;
	const uint8_t *p;
	size_t plen;
	copy_vec(0, buf, sizeof(buf));
	buf[3] = 44 + VRRP_HDR_LEN - 1;
	ck_assert_int_eq(vrrp_ah_parse(buf, 64, &meta, &ah, &p, &plen),
	    VRRP_AH_TRUNCATED);
	buf[3] = 44 + VRRP_HDR_LEN;
	ck_assert_int_eq(vrrp_ah_parse(buf, 64, &meta, &ah, &p, &plen),
	    VRRP_AH_OK);
	ck_assert_uint_eq(plen, VRRP_HDR_LEN);
}
END_TEST

START_TEST(header_field_errors)
{
	uint8_t buf[VRRP_AH_RX_MAX_LEN], key[VRRP_AH_KEY_LEN];
	struct vrrp_pkt_meta meta;
	struct vrrp_ah_hdr ah;
	const uint8_t *p;
	size_t plen;
	size_t len = copy_vec(0, buf, sizeof(buf));

	key_of(vecs[0].key, key);
	buf[9] = VRRP_IPPROTO; /* plain VRRP on the AH socket */
	ck_assert_int_eq(vrrp_ah_parse(buf, len, &meta, &ah, &p, &plen),
	    VRRP_AH_BAD_PROTO);
	/* meta is filled all the same, for the log line */
	ck_assert_uint_eq(meta.ttl, 255);
	ck_assert_int_eq(meta.src.af, AF_INET);
	buf[9] = VRRP_AH_PROTO;
	buf[0] = 0x65;
	ck_assert_int_eq(vrrp_ah_parse(buf, len, &meta, &ah, &p, &plen),
	    VRRP_AH_BAD_PROTO);
	buf[0] = 0x44; /* IHL 4 */
	ck_assert_int_eq(vrrp_ah_parse(buf, len, &meta, &ah, &p, &plen),
	    VRRP_AH_TRUNCATED);
	buf[0] = 0x45;
	buf[20] = 6; /* AH around TCP: someone's IPsec, not ours */
	ck_assert_int_eq(vrrp_ah_parse(buf, len, &meta, &ah, &p, &plen),
	    VRRP_AH_NOT_VRRP);
	ck_assert_int_eq(vrrp_ah_verify(buf, len, key, false),
	    VRRP_AH_NOT_VRRP);
	buf[20] = VRRP_IPPROTO;
	buf[21] = 6; /* a 128-bit ICV (RFC 4868) */
	ck_assert_int_eq(vrrp_ah_parse(buf, len, &meta, &ah, &p, &plen),
	    VRRP_AH_BAD_LEN);
	ck_assert_int_eq(vrrp_ah_sign(buf, len, key, false), VRRP_AH_BAD_LEN);
}
END_TEST

/* A signed datagram whose SPI is not its source: keepalived refuses it. */
START_TEST(spi_other_than_source_is_bad_spi)
{
	uint8_t buf[VRRP_AH_RX_MAX_LEN], key[VRRP_AH_KEY_LEN];
	size_t len = copy_vec(0, buf, sizeof(buf));

	key_of(vecs[0].key, key);
	buf[27] = 0x02; /* SPI 192.0.2.2 */
	ck_assert_int_eq(vrrp_ah_verify(buf, len, key, false), VRRP_AH_BAD_ICV);
	ck_assert_int_eq(vrrp_ah_sign(buf, len, key, false), VRRP_AH_OK);
	ck_assert_int_eq(vrrp_ah_verify(buf, len, key, false), VRRP_AH_BAD_SPI);
}
END_TEST

/* IPv4 options are covered as received (vrrpd sends none). */
START_TEST(ip_options_are_skipped_and_covered)
{
	uint8_t buf[VRRP_AH_RX_MAX_LEN], key[VRRP_AH_KEY_LEN];
	struct vrrp_pkt_meta meta;
	struct vrrp_ah_hdr ah;
	const uint8_t *p;
	size_t plen;
	size_t len = vecs[0].len + 4;

	key_of(vecs[0].key, key);
	memcpy(buf, vecs[0].dgram, 20);
	buf[0] = 0x46;
	buf[3] = (uint8_t)len;
	buf[20] = 0x94; /* Router Alert */
	buf[21] = 4;
	buf[22] = buf[23] = 0;
	memcpy(buf + 24, vecs[0].dgram + 20, vecs[0].len - 20);
	ck_assert_int_eq(vrrp_ah_sign(buf, len, key, false), VRRP_AH_OK);
	ck_assert_int_eq(vrrp_ah_verify(buf, len, key, false), VRRP_AH_OK);
	ck_assert_int_eq(vrrp_ah_parse(buf, len, &meta, &ah, &p, &plen),
	    VRRP_AH_OK);
	ck_assert_ptr_eq(p, buf + 48);
	ck_assert_uint_eq(ah.seq, 1);
	buf[22] = 1;
	ck_assert_int_eq(vrrp_ah_verify(buf, len, key, false), VRRP_AH_BAD_ICV);
}
END_TEST

START_TEST(key_is_first_eight_bytes_zero_padded)
{
	uint8_t key[VRRP_AH_KEY_LEN];
	static const uint8_t pw[VRRP_AH_KEY_LEN] = { 'p', 'w', '6', '4' };

	vrrp_ah_key("pw64", key);
	ck_assert_mem_eq(key, pw, sizeof(pw));
	vrrp_ah_key("abcdefghij", key);
	ck_assert_mem_eq(key, "abcdefgh", VRRP_AH_KEY_LEN);
	vrrp_ah_key(NULL, key);
	ck_assert_mem_eq(key, "\0\0\0\0\0\0\0\0", VRRP_AH_KEY_LEN);
}
END_TEST

/* ---- sequence numbers ---- */

START_TEST(seq_strictly_increasing_per_source)
{
	struct vrrp_ah_state st = { 0 };
	struct addr a = ip("192.0.2.1"), b = ip("192.0.2.2");

	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 0), VRRP_AH_REPLAY);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 5), VRRP_AH_OK);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 5), VRRP_AH_REPLAY);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 4), VRRP_AH_REPLAY);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 6), VRRP_AH_OK);
	/* another source has its own numbering */
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &b, 2), VRRP_AH_OK);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &b, 2), VRRP_AH_REPLAY);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 7), VRRP_AH_OK);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 0xffffffff), VRRP_AH_OK);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 0xffffffff),
	    VRRP_AH_REPLAY);
	a = ip("2001:db8::1");
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 9), VRRP_AH_BAD_PROTO);
}
END_TEST

/* keepalived's rule: a new master continues the numbering it heard. */
START_TEST(next_advert_numbers_above_everything_accepted)
{
	struct vrrp_ah_state st = { 0 };
	struct addr self = ip("192.0.2.2"), peer = ip("192.0.2.1");
	struct addr other = ip("192.0.2.3");
	uint32_t seq;
	uint16_t id;

	vrrp_ah_next(&st, &self, &id, &seq);
	ck_assert_uint_eq(seq, 1);
	ck_assert_uint_eq(id, 1);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &peer, 5), VRRP_AH_OK);
	vrrp_ah_next(&st, &self, &id, &seq);
	ck_assert_uint_eq(seq, 6);
	ck_assert_uint_eq(id, 2);
	/* a lower number from a peer never lowers ours */
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &other, 3), VRRP_AH_OK);
	vrrp_ah_next(&st, &self, &id, &seq);
	ck_assert_uint_eq(seq, 7);
}
END_TEST

/* Our own adverts replayed to us are refused like a peer's. */
START_TEST(own_adverts_replayed_are_refused)
{
	struct vrrp_ah_state st = { 0 };
	struct addr self = ip("192.0.2.2");
	uint32_t seq;
	uint16_t id;

	for (int i = 0; i < 3; i++)
		vrrp_ah_next(&st, &self, &id, &seq);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &self, 3), VRRP_AH_REPLAY);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &self, 1), VRRP_AH_REPLAY);
}
END_TEST

/* A restarted keepalived starts again at 1: refused until it numbers
 * above its old adverts, which it does once it has heard ours. */
START_TEST(restarted_peer_is_heard_after_it_learned_our_numbers)
{
	struct vrrp_ah_state st = { 0 };
	struct addr self = ip("192.0.2.2"), peer = ip("192.0.2.1");
	uint32_t seq;
	uint16_t id;

	ck_assert_int_eq(vrrp_ah_seq_check(&st, &peer, 40), VRRP_AH_OK);
	vrrp_ah_next(&st, &self, &id, &seq);
	ck_assert_uint_eq(seq, 41);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &peer, 1), VRRP_AH_REPLAY);
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &peer, seq + 1), VRRP_AH_OK);
}
END_TEST

START_TEST(identification_skips_zero)
{
	struct vrrp_ah_state st = { .ip_id = 65534 };
	struct addr self = ip("192.0.2.2");
	uint32_t seq;
	uint16_t id;

	vrrp_ah_next(&st, &self, &id, &seq);
	ck_assert_uint_eq(id, 65535);
	vrrp_ah_next(&st, &self, &id, &seq);
	ck_assert_uint_eq(id, 1);
}
END_TEST

START_TEST(sequence_number_does_not_cycle)
{
	struct vrrp_ah_state st = { .tx_seq = 0xfffffffe };
	struct addr self = ip("192.0.2.2");
	uint32_t seq;
	uint16_t id;

	vrrp_ah_next(&st, &self, &id, &seq);
	ck_assert_uint_eq(seq, 0xffffffff);
	vrrp_ah_next(&st, &self, &id, &seq);
	ck_assert_uint_eq(seq, 0xffffffff);
}
END_TEST

/* The table is bounded: the least recently heard source makes room. */
START_TEST(least_recently_heard_source_is_evicted)
{
	struct vrrp_ah_state st = { 0 };
	struct addr a;
	char name[32];

	for (int i = 1; i <= VRRP_AH_PEERS; i++) {
		snprintf(name, sizeof(name), "192.0.2.%d", i);
		a = ip(name);
		ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 100), VRRP_AH_OK);
	}
	/* .1 heard again: .2 is now the oldest */
	a = ip("192.0.2.1");
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 101), VRRP_AH_OK);
	a = ip("192.0.2.200");
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 7), VRRP_AH_OK);
	a = ip("192.0.2.2");
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 50), VRRP_AH_OK);
	/* .1 and .3 are still remembered */
	a = ip("192.0.2.1");
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 101), VRRP_AH_REPLAY);
	a = ip("192.0.2.8");
	ck_assert_int_eq(vrrp_ah_seq_check(&st, &a, 100), VRRP_AH_REPLAY);
}
END_TEST

START_TEST(every_outcome_has_a_name_and_a_counter)
{
	for (int e = 0; e < VRRP_AH_ERR_MAX; e++) {
		ck_assert_str_ne(vrrp_ah_strerror(e), "unknown error");
		if (e == VRRP_AH_OK || e == VRRP_AH_NOSPACE ||
		    e == VRRP_AH_BAD_FIELD)
			ck_assert_int_eq(vrrp_ah_counter(e), VRRP_CTR_NONE);
		else
			ck_assert_int_ne(vrrp_ah_counter(e), VRRP_CTR_NONE);
	}
	ck_assert_int_eq(vrrp_ah_counter(VRRP_AH_BAD_ICV),
	    VRRP_CTR_AUTH_FAILURES);
	ck_assert_int_eq(vrrp_ah_counter(VRRP_AH_REPLAY),
	    VRRP_CTR_AUTH_FAILURES);
	ck_assert_str_eq(vrrp_ah_strerror(VRRP_AH_ERR_MAX), "unknown error");
	ck_assert_int_eq(vrrp_ah_counter(VRRP_AH_ERR_MAX), VRRP_CTR_NONE);
}
END_TEST

static Suite *
ah_suite(void)
{
	Suite *s = suite_create("vrrp_ah");
	TCase *tc;

	tc = tcase_create("keepalived_vectors");
	tcase_add_loop_test(tc, vector_parses, 0, NVEC);
	tcase_add_loop_test(tc, vector_verifies_with_its_key, 0, NVEC);
	tcase_add_loop_test(tc, vector_fails_with_another_key, 0, NVEC);
	tcase_add_loop_test(tc, ttl_rule_follows_unicast, 0, NVEC);
	tcase_add_test(tc, every_covered_byte_is_authenticated);
	tcase_add_test(tc, identification_is_covered);
	tcase_add_loop_test(tc, encode_rebuilds_keepalived_bytes, 0, NVEC);
	tcase_add_test(tc, encode_with_the_packet_codec_matches_vector);
	suite_add_tcase(s, tc);

	tc = tcase_create("codec");
	tcase_add_test(tc, encode_then_verify_round_trip);
	tcase_add_test(tc, encode_refuses_bad_fields);
	tcase_add_test(tc, every_truncation_is_refused);
	tcase_add_test(tc, bytes_after_total_length_are_ignored);
	tcase_add_test(tc, ah_without_vrrp_header_is_truncated);
	tcase_add_test(tc, header_field_errors);
	tcase_add_test(tc, spi_other_than_source_is_bad_spi);
	tcase_add_test(tc, ip_options_are_skipped_and_covered);
	tcase_add_test(tc, key_is_first_eight_bytes_zero_padded);
	tcase_add_test(tc, every_outcome_has_a_name_and_a_counter);
	suite_add_tcase(s, tc);

	tc = tcase_create("sequence");
	tcase_add_test(tc, seq_strictly_increasing_per_source);
	tcase_add_test(tc, next_advert_numbers_above_everything_accepted);
	tcase_add_test(tc, own_adverts_replayed_are_refused);
	tcase_add_test(tc,
	    restarted_peer_is_heard_after_it_learned_our_numbers);
	tcase_add_test(tc, identification_skips_zero);
	tcase_add_test(tc, sequence_number_does_not_cycle);
	tcase_add_test(tc, least_recently_heard_source_is_evicted);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ah_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
