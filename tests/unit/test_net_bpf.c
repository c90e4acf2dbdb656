/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The socket filters (net/bpf.c) run through a classic BPF interpreter of
 * the opcodes they use, with the kernel's rules (a load past the end
 * drops; SKF_NET_OFF reads the network header; SKF_AD_PKTTYPE), against
 * valid adverts and against each kind of packet they must drop; and the
 * counter accepts exactly what the socket filter drops.
 */

#include <arpa/inet.h>
#include <check.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/net_bpf.h"
#include "vrrpd/vrrp_packet.h"

/* A packet as a filter sees it: data, and the network header apart. */
struct pkt {
	const uint8_t *data;
	size_t len;
	const uint8_t *net; /* SKF_NET_OFF */
	size_t netlen;
	uint32_t pkttype;
};

static bool
load(const struct pkt *p, uint32_t k, uint32_t size, uint32_t *v)
{
	const uint8_t *base = p->data;
	size_t len = p->len;

	if (k == (uint32_t)SKF_AD_OFF + SKF_AD_PKTTYPE) {
		*v = p->pkttype;
		return true;
	}
	if (k >= (uint32_t)SKF_NET_OFF && k < (uint32_t)SKF_NET_OFF + 0x1000) {
		base = p->net;
		len = p->netlen;
		k -= (uint32_t)SKF_NET_OFF;
	}
	if (k + size > len)
		return false;
	*v = 0;
	for (uint32_t i = 0; i < size; i++)
		*v = (*v << 8) | base[k + i];
	return true;
}

/* Returns what the program returns; 0 also for a load out of bounds. */
static uint32_t
run(const struct sock_filter *f, int n, const struct pkt *p)
{
	uint32_t a = 0, x = 0, v;

	for (int pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];

		switch (i->code) {
		case BPF_LD | BPF_B | BPF_ABS:
		case BPF_LD | BPF_H | BPF_ABS:
		case BPF_LD | BPF_W | BPF_ABS:
			if (!load(p, i->k,
				BPF_SIZE(i->code) == BPF_B     ? 1 :
				    BPF_SIZE(i->code) == BPF_H ? 2 :
								 4,
				&a))
				return 0;
			break;
		case BPF_LD | BPF_B | BPF_IND:
			if (!load(p, x + i->k, 1, &a))
				return 0;
			break;
		case BPF_LD | BPF_W | BPF_LEN:
			a = (uint32_t)p->len;
			break;
		case BPF_LDX | BPF_B | BPF_MSH:
			if (!load(p, i->k, 1, &v))
				return 0;
			x = (v & 0xf) * 4;
			break;
		case BPF_ALU | BPF_SUB | BPF_X:
			a -= x;
			break;
		case BPF_ALU | BPF_SUB | BPF_K:
			a -= i->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > i->k ? i->jt : i->jf;
			break;
		case BPF_RET | BPF_K:
			return i->k;
		default:
			ck_abort_msg("opcode 0x%x not modelled", i->code);
		}
	}
	ck_abort_msg("fell off the end");
	return 0;
}

/* An Ethernet + IPv4 + VRRP frame; the raw socket's view starts at 14. */
static uint8_t frame[14 + 60 + 64];
static size_t framelen;

static void
v4(uint8_t ttl, uint8_t vt, uint8_t vrid, size_t vrrplen, uint8_t ihl_words,
    uint8_t proto, const char *dst)
{
	uint8_t *ip = frame + 14;
	size_t ihl = ihl_words * 4u;

	memset(frame, 0, sizeof(frame));
	frame[12] = 0x08;
	ip[0] = (uint8_t)(0x40 | ihl_words);
	ip[8] = ttl;
	ip[9] = proto;
	inet_pton(AF_INET, "192.0.2.1", ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	ip[ihl] = vt;
	ip[ihl + 1] = vrid;
	framelen = 14 + ihl + vrrplen;
}

static struct net_bpf_spec
spec4(bool mcast)
{
	struct net_bpf_spec s = { .af = AF_INET,
		.proto = VRRP_IPPROTO,
		.ttl255 = mcast,
		.versions = 1u << 3 };

	net_bpf_vrid_set(&s, 1);
	net_bpf_vrid_set(&s, 2);
	net_bpf_vrid_set(&s, 3);
	net_bpf_vrid_set(&s, 51);
	net_bpf_vrid_set(&s, 255);
	if (mcast)
		inet_pton(AF_INET, "224.0.0.18", &s.group.u.v4),
		    s.group.af = AF_INET;
	else
		s.group.af = AF_UNSPEC;
	return s;
}

/* Raw socket verdict and counter verdict for the frame built last. */
static void
verdicts(const struct net_bpf_spec *s, bool *pass, bool *counted)
{
	struct sock_filter f[NET_BPF_MAX], c[NET_BPF_MAX];
	int n = net_bpf_build(s, f, NET_BPF_MAX);
	int m = net_bpf_build_counter(s, c, NET_BPF_MAX);
	struct pkt raw = { frame + 14, framelen - 14, frame + 14, framelen - 14,
		PACKET_HOST };
	struct pkt eth = { frame, framelen, frame + 14, framelen - 14,
		PACKET_HOST };

	ck_assert_int_gt(n, 0);
	ck_assert_int_gt(m, 0);
	*pass = run(f, n, &raw) != 0;
	*counted = run(c, m, &eth) != 0;
}

static void
expect(const struct net_bpf_spec *s, bool want_pass, const char *what)
{
	bool pass, counted;

	verdicts(s, &pass, &counted);
	ck_assert_msg(pass == want_pass, "%s: %s", what,
	    pass ? "passed" : "dropped");
	ck_assert_msg(counted == !want_pass, "%s: counter %s", what,
	    counted ? "counted it" : "did not count it");
}

START_TEST(ipv4_multicast_filter)
{
	struct net_bpf_spec s = spec4(true);

	v4(255, 0x31, 51, 12, 5, 112, "224.0.0.18");
	expect(&s, true, "a valid v3 advert");
	v4(255, 0x31, 1, 8, 5, 112, "224.0.0.18");
	expect(&s, true, "VRID 1, header only");
	v4(255, 0x31, 255, 8, 5, 112, "224.0.0.18");
	expect(&s, true, "VRID 255");
	v4(255, 0x31, 3, 8, 6, 112, "224.0.0.18");
	expect(&s, true, "with an IP option");
	v4(254, 0x31, 51, 12, 5, 112, "224.0.0.18");
	expect(&s, false, "TTL 254");
	v4(255, 0x21, 51, 12, 5, 112, "224.0.0.18");
	expect(&s, false, "version 2 on a v3-only socket");
	v4(255, 0x32, 51, 12, 5, 112, "224.0.0.18");
	expect(&s, false, "type 2");
	v4(255, 0x31, 52, 12, 5, 112, "224.0.0.18");
	expect(&s, false, "VRID 52, not configured");
	v4(255, 0x31, 4, 12, 5, 112, "224.0.0.18");
	expect(&s, false, "VRID 4, past the range 1-3");
	v4(255, 0x31, 0, 12, 5, 112, "224.0.0.18");
	expect(&s, false, "VRID 0");
	v4(255, 0x31, 51, 7, 5, 112, "224.0.0.18");
	expect(&s, false, "7 bytes of VRRP");
	/* the counter only counts what this socket would have seen */
	{
		bool pass, counted;

		v4(254, 0x31, 51, 12, 5, 112, "224.0.0.19");
		verdicts(&s, &pass, &counted);
		ck_assert(!counted);
		v4(254, 0x31, 51, 12, 5, 51, "224.0.0.18");
		verdicts(&s, &pass, &counted);
		ck_assert(!counted);
	}
}
END_TEST

START_TEST(ipv4_unicast_keeps_any_ttl_and_both_versions)
{
	struct net_bpf_spec s = spec4(false);
	bool pass, counted;

	s.versions |= 1u << 2;
	v4(64, 0x31, 51, 12, 5, 112, "192.0.2.2");
	expect(&s, true, "unicast TTL 64 (unicast_ttl)");
	v4(64, 0x21, 51, 12, 5, 112, "192.0.2.2");
	expect(&s, true, "v2 on a v2+v3 socket");
	v4(64, 0x41, 51, 12, 5, 112, "192.0.2.2");
	expect(&s, false, "version 4");
	/* another host's packet (promiscuous capture) is not counted */
	for (int i = 0; i < 2; i++) {
		struct sock_filter c[NET_BPF_MAX];
		int m = net_bpf_build_counter(&s, c, NET_BPF_MAX);
		struct pkt eth = { frame, framelen, frame + 14, framelen - 14,
			i == 0 ? PACKET_OTHERHOST : PACKET_HOST };

		counted = run(c, m, &eth) != 0;
		ck_assert(counted == (i == 1));
	}
	(void)pass;
}
END_TEST

START_TEST(every_vrid_alone_and_in_alternation)
{
	struct net_bpf_spec s = { .af = AF_INET,
		.proto = VRRP_IPPROTO,
		.ttl255 = true,
		.versions = 1u << 3 };
	struct sock_filter f[NET_BPF_MAX];
	int n;

	/* the worst case: every other VRID, 128 ranges */
	for (unsigned int v = 1; v <= 255; v += 2)
		net_bpf_vrid_set(&s, (uint8_t)v);
	n = net_bpf_build(&s, f, NET_BPF_MAX);
	ck_assert_int_gt(n, 0);
	ck_assert_int_le(n, NET_BPF_MAX);
	ck_assert_int_eq(net_bpf_build(&s, f, (size_t)n - 1), -1);
	for (unsigned int v = 0; v <= 255; v++) {
		struct pkt raw;

		v4(255, 0x31, (uint8_t)v, 8, 5, 112, "224.0.0.18");
		raw = (struct pkt) { frame + 14, framelen - 14, frame + 14,
			framelen - 14, PACKET_HOST };
		ck_assert_msg((run(f, n, &raw) != 0) == (v % 2 == 1), "VRID %u",
		    v);
	}
	for (int i = 0; i < n; i++)
		ck_assert_msg(BPF_CLASS(f[i].code) != BPF_JMP ||
			i + 1 + (f[i].jt > f[i].jf ? f[i].jt : f[i].jf) < n,
		    "jump out of the program at %d", i);
}
END_TEST

/* IPv6: the raw socket sees the VRRP header; the hop limit is at
 * SKF_NET_OFF + 7; the counter sees the whole frame. */
START_TEST(ipv6_filter_reads_the_hop_limit_from_the_network_header)
{
	struct net_bpf_spec s = { .af = AF_INET6,
		.proto = VRRP_IPPROTO,
		.ttl255 = true,
		.versions = 1u << 3 };
	struct sock_filter f[NET_BPF_MAX], c[NET_BPF_MAX];
	uint8_t eth[14 + 40 + 24];
	int n, m;

	net_bpf_vrid_set(&s, 6);
	s.group.af = AF_INET6;
	inet_pton(AF_INET6, "ff02::12", &s.group.u.v6);
	n = net_bpf_build(&s, f, NET_BPF_MAX);
	m = net_bpf_build_counter(&s, c, NET_BPF_MAX);
	for (int hl = 254; hl <= 255; hl++)
		for (int vrid = 6; vrid <= 7; vrid++) {
			bool ok = hl == 255 && vrid == 6;
			struct pkt raw, fr;

			memset(eth, 0, sizeof(eth));
			eth[12] = 0x86;
			eth[13] = 0xdd;
			eth[14] = 0x60;
			eth[14 + 6] = 112;
			eth[14 + 7] = (uint8_t)hl;
			inet_pton(AF_INET6, "ff02::12", eth + 14 + 24);
			eth[54] = 0x31;
			eth[55] = (uint8_t)vrid;
			raw = (struct pkt) { eth + 54, 24, eth + 14, 64,
				PACKET_MULTICAST };
			fr = (struct pkt) { eth, sizeof(eth), eth + 14, 64,
				PACKET_MULTICAST };
			ck_assert_msg((run(f, n, &raw) != 0) == ok,
			    "hop limit %d VRID %d", hl, vrid);
			ck_assert_msg((run(c, m, &fr) != 0) == !ok,
			    "counter: hop limit %d VRID %d", hl, vrid);
		}
}
END_TEST

START_TEST(ah_socket_checks_ttl_length_and_the_carried_protocol)
{
	struct net_bpf_spec s = spec4(true);

	s.proto = 51;
	/* the AH header's first byte: next header 112 */
	v4(255, 112, 0, 12 + 8, 5, 51, "224.0.0.18");
	expect(&s, true, "AH carrying VRRP");
	v4(255, 50, 0, 12 + 8, 5, 51, "224.0.0.18");
	expect(&s, false, "AH carrying ESP");
	v4(255, 112, 0, 12 + 7, 5, 51, "224.0.0.18");
	expect(&s, false, "AH too short");
	v4(1, 112, 0, 12 + 8, 5, 51, "224.0.0.18");
	expect(&s, false, "AH with TTL 1");
}
END_TEST

static Suite *
bpf_suite(void)
{
	Suite *s = suite_create("net_bpf");
	TCase *tc = tcase_create("bpf");

	tcase_add_test(tc, ipv4_multicast_filter);
	tcase_add_test(tc, ipv4_unicast_keeps_any_ttl_and_both_versions);
	tcase_add_test(tc, every_vrid_alone_and_in_alternation);
	tcase_add_test(tc,
	    ipv6_filter_reads_the_hop_limit_from_the_network_header);
	tcase_add_test(tc,
	    ah_socket_checks_ttl_length_and_the_carried_protocol);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(bpf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
