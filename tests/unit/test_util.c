/* SPDX-License-Identifier: BSD-2-Clause */
/* Addresses as values and the RFC 1071 checksum. */

#include <arpa/inet.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/md5.h"
#include "vrrpd/util.h"

static struct addr
ip(const char *text)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	ck_assert_msg(addr_parse(text, &a) == 0, "bad address %s", text);
	return a;
}

/*
 * addr
 */

START_TEST(parse_accepts_numeric_ipv4_and_ipv6)
{
	struct addr a;

	ck_assert_int_eq(addr_parse("192.0.2.1", &a), 0);
	ck_assert_int_eq(a.af, AF_INET);
	ck_assert_uint_eq(ntohl(a.u.v4.s_addr), 0xc0000201);
	ck_assert_int_eq(addr_parse("2001:db8::53", &a), 0);
	ck_assert_int_eq(a.af, AF_INET6);
	ck_assert_uint_eq(a.u.v6.s6_addr[0], 0x20);
	ck_assert_uint_eq(a.u.v6.s6_addr[15], 0x53);
}
END_TEST

START_TEST(parse_rejects_prefix_scope_names_and_garbage)
{
	static const char *const bad[] = { "", "192.0.2.1/24", "fe80::1%eth0",
		"localhost", "192.0.2", "192.0.2.256", "2001:db8:::1",
		" 1.2.3.4" };
	struct addr a = { .af = AF_UNSPEC };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(addr_parse(bad[i], &a) == -1, "accepted '%s'",
		    bad[i]);
		/* A failed parse leaves *out alone. */
		ck_assert_int_eq(a.af, AF_UNSPEC);
	}
}
END_TEST

START_TEST(hostport_takes_an_address_and_a_port)
{
	struct addr a;
	uint16_t port = 0;
	char buf[ADDR_STRLEN];

	ck_assert_int_eq(addr_parse_hostport("192.0.2.1:80", &a, &port), 0);
	ck_assert_str_eq(addr_fmt(&a, buf, sizeof(buf)), "192.0.2.1");
	ck_assert_uint_eq(port, 80);
	ck_assert_int_eq(addr_parse_hostport("[2001:db8::1]:65535", &a, &port),
	    0);
	ck_assert_str_eq(addr_fmt(&a, buf, sizeof(buf)), "2001:db8::1");
	ck_assert_uint_eq(port, 65535);
}
END_TEST

START_TEST(hostport_rejects_names_bare_ipv6_and_bad_ports)
{
	static const char *const bad[] = { "192.0.2.1",
		"192.0.2.1:", "192.0.2.1:0", "192.0.2.1:65536", "192.0.2.1:8x",
		"localhost:80", "2001:db8::1:80", "[192.0.2.1]:80",
		"[2001:db8::1]80", "[2001:db8::1]:", ":80", "",
		"192.0.2.1:99999999999999999999" };
	struct addr a = { .af = AF_UNSPEC };
	uint16_t port = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(addr_parse_hostport(bad[i], &a, &port) == -1,
		    "accepted \"%s\"", bad[i]);
		ck_assert_uint_eq(port, 7);
	}
	ck_assert_int_eq(addr_parse_hostport(NULL, &a, &port), -1);
}
END_TEST

START_TEST(fmt_writes_canonical_text)
{
	char buf[ADDR_STRLEN];
	struct addr a = ip("2001:0db8:0:0:0:0:0:0053");
	struct addr none = { .af = AF_UNSPEC };

	ck_assert_str_eq(addr_fmt(&a, buf, sizeof(buf)), "2001:db8::53");
	a = ip("192.0.2.1");
	ck_assert_str_eq(addr_fmt(&a, buf, sizeof(buf)), "192.0.2.1");
	ck_assert_str_eq(addr_fmt(&none, buf, sizeof(buf)), "none");
	a = ip("fe80::18ec:a6ff:fea1:c47b");
	ck_assert_str_eq(addr_fmt(&a, buf, sizeof(buf)),
	    "fe80::18ec:a6ff:fea1:c47b");
}
END_TEST

START_TEST(fmt_stays_inside_a_short_buffer)
{
	char buf[8];
	struct addr a = ip("2001:db8::53");

	memset(buf, 'X', sizeof(buf));
	ck_assert_ptr_eq(addr_fmt(&a, buf, 0), buf);
	ck_assert_int_eq(buf[0], 'X');
	addr_fmt(&a, buf, 4);
	ck_assert_uint_lt(strlen(buf), 4);
	ck_assert_int_eq(buf[4], 'X');
}
END_TEST

START_TEST(cmp_orders_ipv4_before_ipv6)
{
	struct addr v4 = ip("255.255.255.255"), v6 = ip("::");
	struct addr none = { .af = AF_UNSPEC };

	ck_assert_int_lt(addr_cmp(&v4, &v6), 0);
	ck_assert_int_gt(addr_cmp(&v6, &v4), 0);
	ck_assert_int_lt(addr_cmp(&none, &v4), 0);
}
END_TEST

START_TEST(cmp_orders_numerically_within_a_family)
{
	struct addr a = ip("192.0.2.2"), b = ip("192.0.2.10");
	struct addr c = ip("192.0.2.1"), d = ip("192.0.2.2");
	struct addr e = ip("fe80::2"), f = ip("fe80::10");

	ck_assert_int_lt(addr_cmp(&a, &b), 0);
	ck_assert_int_gt(addr_cmp(&b, &a), 0);
	ck_assert_int_lt(addr_cmp(&c, &a), 0);
	ck_assert_int_eq(addr_cmp(&a, &d), 0);
	ck_assert_int_lt(addr_cmp(&e, &f), 0);
	ck_assert_int_gt(addr_cmp(&f, &e), 0);
}
END_TEST

START_TEST(len_is_wire_size_of_family)
{
	struct addr v4 = ip("192.0.2.1"), v6 = ip("::1");
	struct addr none = { .af = AF_UNSPEC };

	ck_assert_uint_eq(addr_len(&v4), 4);
	ck_assert_uint_eq(addr_len(&v6), 16);
	ck_assert_uint_eq(addr_len(&none), 0);
}
END_TEST

START_TEST(linklocal_is_fe80_slash_10_only)
{
	struct addr a;

	a = ip("fe80::53");
	ck_assert(addr_is_v6_linklocal(&a));
	a = ip("febf:ffff::1");
	ck_assert(addr_is_v6_linklocal(&a));
	a = ip("fec0::1");
	ck_assert(!addr_is_v6_linklocal(&a));
	a = ip("2001:db8::53");
	ck_assert(!addr_is_v6_linklocal(&a));
	a = ip("ff02::12");
	ck_assert(!addr_is_v6_linklocal(&a));
	a = ip("169.254.0.1");
	ck_assert(!addr_is_v6_linklocal(&a));
}
END_TEST

/*
 * csum
 */

/* The checksum as the two bytes that go on the wire. */
static void
csum_bytes(uint32_t sum, uint8_t out[2])
{
	uint16_t c = util_csum_fold(sum);

	memcpy(out, &c, 2);
}

START_TEST(csum_matches_rfc1071_example)
{
	/* RFC 1071 §3: these bytes sum to 0xddf2; the checksum is 0x220d. */
	static const uint8_t data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
		0xf6, 0xf7 };
	uint8_t c[2];

	csum_bytes(util_csum_add(0, data, sizeof(data)), c);
	ck_assert_uint_eq(c[0], 0x22);
	ck_assert_uint_eq(c[1], 0x0d);
}
END_TEST

START_TEST(csum_in_pieces_equals_csum_in_one)
{
	static const uint8_t data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
		0xf6, 0xf7, 0x12 };
	uint8_t one[2], pieces[2];
	uint32_t sum;

	csum_bytes(util_csum_add(0, data, sizeof(data)), one);
	sum = util_csum_add(0, data, 2);
	sum = util_csum_add(sum, data + 2, 4);
	sum = util_csum_add(sum, data + 6, 3);
	csum_bytes(sum, pieces);
	ck_assert_mem_eq(one, pieces, 2);
}
END_TEST

START_TEST(csum_pads_odd_length_with_zero)
{
	static const uint8_t odd[] = { 0x01, 0x02, 0x03 };
	static const uint8_t even[] = { 0x01, 0x02, 0x03, 0x00 };
	uint8_t a[2], b[2];

	csum_bytes(util_csum_add(0, odd, sizeof(odd)), a);
	csum_bytes(util_csum_add(0, even, sizeof(even)), b);
	ck_assert_mem_eq(a, b, 2);
	/* 0x0102 + 0x0300 = 0x0402, complemented. */
	ck_assert_uint_eq(a[0], 0xfb);
	ck_assert_uint_eq(a[1], 0xfd);
}
END_TEST

START_TEST(csum_carries_wrap_around)
{
	static const uint8_t data[] = { 0xff, 0xff, 0xff, 0xff, 0x00, 0x02 };
	uint8_t c[2];

	/* 0xffff + 0xffff + 0x0002 = 0x20000 -> 0x0002 -> ~ = 0xfffd. */
	csum_bytes(util_csum_add(0, data, sizeof(data)), c);
	ck_assert_uint_eq(c[0], 0xff);
	ck_assert_uint_eq(c[1], 0xfd);
}
END_TEST

START_TEST(message_with_its_checksum_verifies_to_zero)
{
	uint8_t msg[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40,
		0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00,
		0xc7 };
	uint16_t c;

	c = util_csum_fold(util_csum_add(0, msg, sizeof(msg)));
	memcpy(msg + 10, &c, 2);
	/* The classic IPv4 header example: checksum 0xb861. */
	ck_assert_uint_eq(msg[10], 0xb8);
	ck_assert_uint_eq(msg[11], 0x61);
	ck_assert_uint_eq(util_csum_fold(util_csum_add(0, msg, sizeof(msg))),
	    0);
}
END_TEST

START_TEST(csum_of_nothing_is_ffff)
{
	ck_assert_uint_eq(util_csum_fold(util_csum_add(0, NULL, 0)), 0xffff);
}
END_TEST

/* ---- MD5 and HMAC-MD5 (AH's HMAC-MD5-96) ---- */

static void
hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void
md5_str(const char *msg, size_t step, char out[2 * MD5_LEN + 1])
{
	struct md5_ctx c;
	uint8_t d[MD5_LEN];
	size_t len = strlen(msg);

	md5_init(&c);
	for (size_t i = 0; i < len; i += step)
		md5_update(&c, msg + i, len - i < step ? len - i : step);
	md5_final(&c, d);
	hex(d, sizeof(d), out);
}

/* RFC 1321 A.5, whole and in pieces that straddle the 64-byte blocks. */
START_TEST(md5_matches_the_rfc1321_test_suite)
{
	static const struct {
		const char *msg, *md;
	} v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz",
		    "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz01234567"
		  "89",
		    "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "123456789012345678901234567890123456789012345678901234567890"
		  "12345678901234567890",
		    "57edf4a22be3c955ac49da2e2107b67a" },
	};
	char out[2 * MD5_LEN + 1];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (size_t step = 1; step <= 80; step += 13) {
			md5_str(v[i].msg, step, out);
			ck_assert_msg(strcmp(out, v[i].md) == 0,
			    "MD5(\"%s\") in steps of %zu: %s", v[i].msg, step,
			    out);
		}
	}
}
END_TEST

/* RFC 2202 §2 test cases 1, 2, 3 and 6 (a key longer than a block). */
START_TEST(hmac_md5_matches_rfc2202)
{
	uint8_t k1[16], k3[16], d3[50], k6[80], d[MD5_LEN];
	struct hmac_md5_ctx h;
	char out[2 * MD5_LEN + 1];
	static const char m6[] =
	    "Test Using Larger Than Block-Size Key - Hash Key First";

	memset(k1, 0x0b, sizeof(k1));
	memset(k3, 0xaa, sizeof(k3));
	memset(d3, 0xdd, sizeof(d3));
	memset(k6, 0xaa, sizeof(k6));

	hmac_md5_init(&h, k1, sizeof(k1));
	hmac_md5_update(&h, "Hi There", 8);
	hmac_md5_final(&h, d);
	hex(d, sizeof(d), out);
	ck_assert_str_eq(out, "9294727a3638bb1c13f48ef8158bfc9d");

	hmac_md5_init(&h, "Jefe", 4);
	hmac_md5_update(&h, "what do ya ", 11);
	hmac_md5_update(&h, "want for nothing?", 17);
	hmac_md5_final(&h, d);
	hex(d, sizeof(d), out);
	ck_assert_str_eq(out, "750c783e6ab0b503eaa86e310a5db738");

	hmac_md5_init(&h, k3, sizeof(k3));
	hmac_md5_update(&h, d3, sizeof(d3));
	hmac_md5_final(&h, d);
	hex(d, sizeof(d), out);
	ck_assert_str_eq(out, "56be34521d144c88dbb8c733f0e8b3f6");

	hmac_md5_init(&h, k6, sizeof(k6));
	hmac_md5_update(&h, m6, strlen(m6));
	hmac_md5_final(&h, d);
	hex(d, sizeof(d), out);
	ck_assert_str_eq(out, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");
}
END_TEST

static Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc;

	tc = tcase_create("addr");
	tcase_add_test(tc, parse_accepts_numeric_ipv4_and_ipv6);
	tcase_add_test(tc, parse_rejects_prefix_scope_names_and_garbage);
	tcase_add_test(tc, hostport_takes_an_address_and_a_port);
	tcase_add_test(tc, hostport_rejects_names_bare_ipv6_and_bad_ports);
	tcase_add_test(tc, fmt_writes_canonical_text);
	tcase_add_test(tc, fmt_stays_inside_a_short_buffer);
	tcase_add_test(tc, cmp_orders_ipv4_before_ipv6);
	tcase_add_test(tc, cmp_orders_numerically_within_a_family);
	tcase_add_test(tc, len_is_wire_size_of_family);
	tcase_add_test(tc, linklocal_is_fe80_slash_10_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("csum");
	tcase_add_test(tc, csum_matches_rfc1071_example);
	tcase_add_test(tc, csum_in_pieces_equals_csum_in_one);
	tcase_add_test(tc, csum_pads_odd_length_with_zero);
	tcase_add_test(tc, csum_carries_wrap_around);
	tcase_add_test(tc, message_with_its_checksum_verifies_to_zero);
	tcase_add_test(tc, csum_of_nothing_is_ffff);
	suite_add_tcase(s, tc);

	tc = tcase_create("md5");
	tcase_add_test(tc, md5_matches_the_rfc1321_test_suite);
	tcase_add_test(tc, hmac_md5_matches_rfc2202);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(util_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
