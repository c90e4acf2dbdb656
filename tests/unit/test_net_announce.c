/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Gratuitous ARP and unsolicited NA builders against byte-exact vectors of
 * what keepalived 2.2.7 sends, plus the RFC rules the vectors encode.
 */

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/net_announce.h"
#include "vectors/garp.h"
#include "vectors/una.h"

#define CANARY 0xa5
#define BIG    256

/* Offsets into the frames, counted from the start of the Ethernet header. */
#define ETH_TYPE  12
#define ARP_OPER  20
#define ARP_SHA	  22
#define ARP_SPA	  28
#define ARP_THA	  32
#define ARP_TPA	  38
#define IP6_PLEN  18
#define IP6_NXT	  20
#define IP6_HLIM  21
#define IP6_SRC	  22
#define IP6_DST	  38
#define ICMP6	  54
#define NA_FLAGS  (ICMP6 + 4)
#define NA_TARGET (ICMP6 + 8)
#define NA_OPT	  (ICMP6 + 24)

static const uint8_t all_ones_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t allnodes_ip6[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0x01 };

static struct in_addr
garp_vip(void)
{
	struct in_addr a;

	memcpy(&a, vec_garp_vip, sizeof(a));
	return a;
}

static struct in6_addr
una_addr(void)
{
	struct in6_addr a;

	memcpy(&a, vec_una_addr, sizeof(a));
	return a;
}

static int
build_garp(uint8_t *buf, size_t size)
{
	struct in_addr vip = garp_vip();

	return net_ann_build_garp(buf, size, vec_garp_mac, &vip);
}

static int
build_una(uint8_t *buf, size_t size, bool router)
{
	struct in6_addr a = una_addr();

	return net_ann_build_una(buf, size, vec_una_mac, &a, &a, router);
}

/*
 * RFC 1071 sum in big-endian words, written out here rather than taken from
 * util so the test does not check the builder with its own arithmetic.
 */
static uint32_t
sum_be(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len % 2 == 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/* RFC 8200 §8.1 pseudo-header plus message; 0 when the checksum holds. */
static uint16_t
icmp6_verify(const uint8_t *frame)
{
	uint32_t plen = (uint32_t)frame[IP6_PLEN] << 8 | frame[IP6_PLEN + 1];
	uint8_t tail[8] = { plen >> 24, plen >> 16, plen >> 8, plen, 0, 0, 0,
		frame[IP6_NXT] };
	uint32_t sum;

	sum = sum_be(0, frame + IP6_SRC, 32);
	sum = sum_be(sum, tail, sizeof(tail));
	sum = sum_be(sum, frame + ICMP6, plen);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
assert_untouched(const uint8_t *buf, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		ck_assert_msg(buf[i] == CANARY, "byte %zu written (0x%02x)", i,
		    buf[i]);
}

START_TEST(garp_matches_keepalived_vector)
{
	uint8_t buf[BIG];

	ck_assert_int_eq(build_garp(buf, sizeof(buf)), NET_ANN_GARP_LEN);
	ck_assert_uint_eq(sizeof(vec_garp), NET_ANN_GARP_LEN);
	ck_assert_mem_eq(buf, vec_garp, sizeof(vec_garp));
}
END_TEST

START_TEST(garp_is_a_broadcast_arp_request)
{
	uint8_t buf[BIG];

	ck_assert_int_eq(build_garp(buf, sizeof(buf)), NET_ANN_GARP_LEN);
	ck_assert_mem_eq(buf, all_ones_mac, 6);
	ck_assert_mem_eq(buf + 6, vec_garp_mac, 6);
	ck_assert_uint_eq(buf[ETH_TYPE], 0x08);
	ck_assert_uint_eq(buf[ETH_TYPE + 1], 0x06);
	ck_assert_uint_eq(buf[ARP_OPER], 0x00);
	ck_assert_uint_eq(buf[ARP_OPER + 1], 0x01);
}
END_TEST

START_TEST(garp_sender_and_target_are_the_vip)
{
	uint8_t buf[BIG];
	struct in_addr vip = { .s_addr = htonl(0xc6336401) }; /* 198.51.100.1 */
	static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

	ck_assert_int_eq(net_ann_build_garp(buf, sizeof(buf), mac, &vip),
	    NET_ANN_GARP_LEN);
	ck_assert_mem_eq(buf + ARP_SPA, &vip.s_addr, 4);
	ck_assert_mem_eq(buf + ARP_TPA, &vip.s_addr, 4);
	ck_assert_mem_eq(buf + ARP_SHA, mac, 6);
	ck_assert_mem_eq(buf + 6, mac, 6);
}
END_TEST

START_TEST(garp_target_mac_is_all_ones_like_keepalived)
{
	uint8_t buf[BIG];

	ck_assert_int_eq(build_garp(buf, sizeof(buf)), NET_ANN_GARP_LEN);
	ck_assert_mem_eq(buf + ARP_THA, all_ones_mac, 6);
}
END_TEST

START_TEST(garp_fits_an_exact_buffer_and_writes_nothing_past_it)
{
	uint8_t buf[BIG];
	uint8_t *exact = malloc(NET_ANN_GARP_LEN);

	ck_assert_ptr_nonnull(exact);
	ck_assert_int_eq(build_garp(exact, NET_ANN_GARP_LEN), NET_ANN_GARP_LEN);
	ck_assert_mem_eq(exact, vec_garp, NET_ANN_GARP_LEN);
	free(exact);

	memset(buf, CANARY, sizeof(buf));
	ck_assert_int_eq(build_garp(buf, sizeof(buf)), NET_ANN_GARP_LEN);
	assert_untouched(buf, NET_ANN_GARP_LEN, sizeof(buf));
}
END_TEST

START_TEST(garp_every_short_size_fails_without_writing)
{
	uint8_t buf[BIG];

	for (size_t size = 0; size < NET_ANN_GARP_LEN; size++) {
		memset(buf, CANARY, sizeof(buf));
		ck_assert_msg(build_garp(buf, size) == -1, "size %zu accepted",
		    size);
		assert_untouched(buf, 0, sizeof(buf));
	}
}
END_TEST

START_TEST(una_matches_keepalived_vector_without_router_flag)
{
	uint8_t buf[BIG];

	ck_assert_int_eq(build_una(buf, sizeof(buf), false), NET_ANN_UNA_LEN);
	ck_assert_uint_eq(sizeof(vec_una), NET_ANN_UNA_LEN);
	ck_assert_mem_eq(buf, vec_una, sizeof(vec_una));
}
END_TEST

START_TEST(una_matches_vector_with_router_flag)
{
	uint8_t buf[BIG];

	ck_assert_int_eq(build_una(buf, sizeof(buf), true), NET_ANN_UNA_LEN);
	ck_assert_uint_eq(sizeof(vec_una_router), NET_ANN_UNA_LEN);
	ck_assert_mem_eq(buf, vec_una_router, sizeof(vec_una_router));
}
END_TEST

START_TEST(una_vectors_checksum_verifies_with_pseudo_header)
{
	ck_assert_uint_eq(icmp6_verify(vec_una), 0);
	ck_assert_uint_eq(icmp6_verify(vec_una_router), 0);
}
END_TEST

START_TEST(una_checksum_verifies_with_pseudo_header)
{
	uint8_t buf[BIG];
	struct in6_addr src = { .s6_addr = { 0xfe, 0x80, [15] = 0x01 } };
	struct in6_addr vip = { .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, 0xff,
				    0xff, [14] = 0xab, [15] = 0xcd } };
	static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

	for (int router = 0; router <= 1; router++) {
		ck_assert_int_eq(net_ann_build_una(buf, sizeof(buf), mac, &src,
				     &vip, router),
		    NET_ANN_UNA_LEN);
		ck_assert_uint_eq(icmp6_verify(buf), 0);
		/* The checksum covers the source: changing it must show. */
		buf[IP6_SRC + 15] ^= 0x01;
		ck_assert_uint_ne(icmp6_verify(buf), 0);
	}
}
END_TEST

START_TEST(una_router_flag_only_when_router)
{
	uint8_t buf[BIG];

	ck_assert_int_eq(build_una(buf, sizeof(buf), false), NET_ANN_UNA_LEN);
	ck_assert_uint_eq(buf[NA_FLAGS] & 0x80, 0);
	ck_assert_int_eq(build_una(buf, sizeof(buf), true), NET_ANN_UNA_LEN);
	ck_assert_uint_eq(buf[NA_FLAGS] & 0x80, 0x80);
}
END_TEST

START_TEST(una_override_always_solicited_never)
{
	uint8_t buf[BIG];

	for (int router = 0; router <= 1; router++) {
		ck_assert_int_eq(build_una(buf, sizeof(buf), router),
		    NET_ANN_UNA_LEN);
		ck_assert_uint_eq(buf[NA_FLAGS] & 0x20, 0x20);
		ck_assert_uint_eq(buf[NA_FLAGS] & 0x40, 0);
		ck_assert_uint_eq(buf[NA_FLAGS] & 0x1f, 0);
		ck_assert_uint_eq(buf[NA_FLAGS + 1], 0);
		ck_assert_uint_eq(buf[NA_FLAGS + 2], 0);
		ck_assert_uint_eq(buf[NA_FLAGS + 3], 0);
	}
}
END_TEST

START_TEST(una_goes_from_src_to_all_nodes_with_hop_limit_255)
{
	uint8_t buf[BIG];
	struct in6_addr src = { .s6_addr = { 0xfe, 0x80, [15] = 0x01 } };
	struct in6_addr vip = una_addr();
	static const uint8_t mac33[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };

	ck_assert_int_eq(
	    net_ann_build_una(buf, sizeof(buf), vec_una_mac, &src, &vip, false),
	    NET_ANN_UNA_LEN);
	ck_assert_mem_eq(buf, mac33, 6);
	ck_assert_mem_eq(buf + 6, vec_una_mac, 6);
	ck_assert_uint_eq(buf[ETH_TYPE], 0x86);
	ck_assert_uint_eq(buf[ETH_TYPE + 1], 0xdd);
	ck_assert_uint_eq(buf[IP6_HLIM], 255);
	ck_assert_uint_eq(buf[IP6_NXT], 58);
	ck_assert_mem_eq(buf + IP6_SRC, &src, 16);
	ck_assert_mem_eq(buf + IP6_DST, allnodes_ip6, 16);
	ck_assert_mem_eq(buf + NA_TARGET, &vip, 16);
}
END_TEST

START_TEST(una_carries_target_link_layer_address_option)
{
	uint8_t buf[BIG];

	ck_assert_int_eq(build_una(buf, sizeof(buf), false), NET_ANN_UNA_LEN);
	ck_assert_uint_eq(buf[NA_OPT], 2);
	ck_assert_uint_eq(buf[NA_OPT + 1], 1);
	ck_assert_mem_eq(buf + NA_OPT + 2, vec_una_mac, 6);
}
END_TEST

START_TEST(una_fits_an_exact_buffer_and_writes_nothing_past_it)
{
	uint8_t buf[BIG];
	uint8_t *exact = malloc(NET_ANN_UNA_LEN);

	ck_assert_ptr_nonnull(exact);
	ck_assert_int_eq(build_una(exact, NET_ANN_UNA_LEN, false),
	    NET_ANN_UNA_LEN);
	ck_assert_mem_eq(exact, vec_una, NET_ANN_UNA_LEN);
	free(exact);

	memset(buf, CANARY, sizeof(buf));
	ck_assert_int_eq(build_una(buf, sizeof(buf), true), NET_ANN_UNA_LEN);
	assert_untouched(buf, NET_ANN_UNA_LEN, sizeof(buf));
}
END_TEST

START_TEST(una_every_short_size_fails_without_writing)
{
	uint8_t buf[BIG];

	for (size_t size = 0; size < NET_ANN_UNA_LEN; size++) {
		memset(buf, CANARY, sizeof(buf));
		ck_assert_msg(build_una(buf, size, true) == -1,
		    "size %zu accepted", size);
		assert_untouched(buf, 0, sizeof(buf));
	}
}
END_TEST

static Suite *
net_announce_suite(void)
{
	Suite *s = suite_create("net_announce");
	TCase *tc;

	tc = tcase_create("garp");
	tcase_add_test(tc, garp_matches_keepalived_vector);
	tcase_add_test(tc, garp_is_a_broadcast_arp_request);
	tcase_add_test(tc, garp_sender_and_target_are_the_vip);
	tcase_add_test(tc, garp_target_mac_is_all_ones_like_keepalived);
	tcase_add_test(tc,
	    garp_fits_an_exact_buffer_and_writes_nothing_past_it);
	tcase_add_test(tc, garp_every_short_size_fails_without_writing);
	suite_add_tcase(s, tc);

	tc = tcase_create("una");
	tcase_add_test(tc, una_matches_keepalived_vector_without_router_flag);
	tcase_add_test(tc, una_matches_vector_with_router_flag);
	tcase_add_test(tc, una_vectors_checksum_verifies_with_pseudo_header);
	tcase_add_test(tc, una_checksum_verifies_with_pseudo_header);
	tcase_add_test(tc, una_router_flag_only_when_router);
	tcase_add_test(tc, una_override_always_solicited_never);
	tcase_add_test(tc, una_goes_from_src_to_all_nodes_with_hop_limit_255);
	tcase_add_test(tc, una_carries_target_link_layer_address_option);
	tcase_add_test(tc, una_fits_an_exact_buffer_and_writes_nothing_past_it);
	tcase_add_test(tc, una_every_short_size_fails_without_writing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(net_announce_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0;
}
