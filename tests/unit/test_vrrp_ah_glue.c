/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The glue of auth_type AH (vrrp/sock.c, vrrp/inst_ah.c) on a real libev
 * loop against the stubs of net/ and notify/ (stubs.h): keepalived's own
 * datagrams (tests/vectors/ah_v2_ipv4.h) are demultiplexed, verified and
 * counted; replays, other keys, other SPIs and plain protocol 112 adverts
 * never reach the instance; a master sends AH. No root.
 */

#include <check.h>
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/conf.h"
#include "vrrpd/util.h"
#include "vrrpd/vrrp_ah.h"
#include "vrrpd/vrrp_instance.h"
#include "vectors/ah_v2_ipv4.h"

#include "stubs.h"

static struct ev_loop *loop;
static struct vrrp_router *router;
static struct conf *conf;

/* eth0 is 192.0.2.2: the vectors come from 192.0.2.1, a peer. */
static void
world_setup(void)
{
	struct stub_iface eth0 = { .name = "eth0",
		.ifindex = 2,
		.up = true,
		.mac = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x02 } };

	stub_reset();
	ck_assert_int_eq(addr_parse("192.0.2.2", &eth0.primary4), 0);
	ck_assert_int_eq(addr_parse("fe80::2", &eth0.linklocal6), 0);
	stub_iface_set(&eth0);
	ck_assert_ptr_nonnull(loop = ev_loop_new(EVFLAG_AUTO));
	ck_assert_ptr_nonnull(router = vrrp_router_new(loop));
	conf = NULL;
}

static void
world_teardown(void)
{
	vrrp_router_free(router);
	ck_assert_uint_eq(stub_net.socks_open, 0);
	conf_free(conf);
	ev_loop_destroy(loop);
	stub_reset();
}

static bool fired;

static void
timeout_cb(struct ev_loop *l, ev_timer *w, int revents)
{
	(void)l;
	(void)w;
	(void)revents;
	fired = true;
}

/* Run the loop for ms (from now, not libev's cached time). */
static void
run_for(uint64_t ms)
{
	ev_timer t;

	fired = false;
	ev_now_update(loop);
	ev_timer_init(&t, timeout_cb, (double)ms / 1000.0, 0.0);
	ev_timer_start(loop, &t);
	while (!fired)
		ev_run(loop, EVRUN_ONCE);
}

/* VI_1: VRID 61, keepalived's vector instance; VI_2 without AH. */
static void
load(int prio61)
{
	char yaml[1024];

	snprintf(yaml, sizeof(yaml),
	    "instances:\n"
	    "  VI_1:\n    interface: eth0\n    vrid: 61\n    version: 2\n"
	    "    priority: %d\n    advert_interval: 1s\n"
	    "    authentication: { type: ah, password: %s }\n"
	    "    virtual_ipaddress: [192.0.2.61/24]\n"
	    "  VI_2:\n    interface: eth0\n    vrid: 62\n    version: 2\n"
	    "    priority: 100\n    advert_interval: 1s\n"
	    "    virtual_ipaddress: [192.0.2.62/24]\n",
	    prio61, AH_V2_MC61_KEY);
	conf = conf_load_mem("test.yaml", yaml, strlen(yaml), NULL);
	ck_assert_ptr_nonnull(conf);
	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert_int_eq(vrrp_router_load(router, conf), 0);
	run_for(20);
}

static const struct vrrp_inst_stats *
stats(const char *name)
{
	struct vrrp_inst *vi = vrrp_router_find(router, name);

	ck_assert_ptr_nonnull(vi);
	return vrrp_inst_stats(vi);
}

static void
rx(const uint8_t *dgram, size_t len)
{
	ck_assert(stub_rx_ah("eth0", dgram, len));
	run_for(20);
}

START_TEST(keepalived_advert_is_accepted_then_its_replay_refused)
{
	load(100);
	ck_assert_int_eq(vrrp_inst_state(vrrp_router_find(router, "VI_1")),
	    VRRP_STATE_BACKUP);
	rx(ah_v2_mcast_vrid61, sizeof(ah_v2_mcast_vrid61));
	ck_assert_uint_eq(stats("VI_1")->adverts_rcvd, 1);
	ck_assert_uint_eq(stats("VI_1")->rx_errors[VRRP_CTR_AUTH_FAILURES], 0);
	rx(ah_v2_mcast_vrid61, sizeof(ah_v2_mcast_vrid61));
	ck_assert_uint_eq(stats("VI_1")->adverts_rcvd, 1);
	ck_assert_uint_eq(stats("VI_1")->rx_errors[VRRP_CTR_AUTH_FAILURES], 1);
}
END_TEST

START_TEST(another_key_or_spi_is_an_auth_failure)
{
	uint8_t d[sizeof(ah_v2_mcast_vrid61)], key[VRRP_AH_KEY_LEN];

	load(100);
	memcpy(d, ah_v2_mcast_vrid61, sizeof(d));
	vrrp_ah_key("wrong", key);
	ck_assert_int_eq(vrrp_ah_sign(d, sizeof(d), key, false), VRRP_AH_OK);
	rx(d, sizeof(d));
	/* the right key, another SPI */
	memcpy(d, ah_v2_mcast_vrid61, sizeof(d));
	d[27] = 9;
	vrrp_ah_key(AH_V2_MC61_KEY, key);
	ck_assert_int_eq(vrrp_ah_sign(d, sizeof(d), key, false), VRRP_AH_OK);
	rx(d, sizeof(d));
	ck_assert_uint_eq(stats("VI_1")->adverts_rcvd, 0);
	ck_assert_uint_eq(stats("VI_1")->rx_errors[VRRP_CTR_AUTH_FAILURES], 2);
	/* the genuine one is still heard */
	rx(ah_v2_mcast_vrid61, sizeof(ah_v2_mcast_vrid61));
	ck_assert_uint_eq(stats("VI_1")->adverts_rcvd, 1);
}
END_TEST

/* A plain advert for the AH instance's VRID does not reach it. */
START_TEST(protocol_112_advert_never_reaches_an_ah_instance)
{
	struct addr vip;
	struct vrrp_pkt_tx tx = { .version = 2,
		.vrid = 61,
		.priority = 200,
		.adver_int_cs = 100,
		.auth_type = VRRP_AUTH_AH,
		.addrs = &vip,
		.naddr = 1 };

	load(100);
	ck_assert_int_eq(addr_parse(AH_V2_MC61_VIP, &vip), 0);
	ck_assert_int_eq(addr_parse("192.0.2.1", &tx.src), 0);
	ck_assert_int_eq(addr_parse("224.0.0.18", &tx.dst), 0);
	ck_assert(stub_rx_advert("eth0", &tx));
	run_for(20);
	/* keepalived: "No AH header but auth type is AH" */
	ck_assert_uint_eq(stats("VI_1")->adverts_rcvd, 0);
	ck_assert_uint_eq(stats("VI_1")->rx_errors[VRRP_CTR_AUTH_TYPE_MISMATCH],
	    1);
	ck_assert_uint_eq(
	    vrrp_router_stats(router)->rx_errors[VRRP_CTR_VRID_ERRORS], 0);
}
END_TEST

/*
 * AH for the VRID of an instance without AH (an auth type mismatch for
 * it), for a VRID nobody has, and AH around another protocol.
 */
START_TEST(ah_for_no_ah_instance_is_counted)
{
	uint8_t d[sizeof(ah_v2_mcast_vrid62)], key[VRRP_AH_KEY_LEN];
	uint16_t csum;

	load(100);
	rx(ah_v2_mcast_vrid62, sizeof(ah_v2_mcast_vrid62));
	ck_assert_uint_eq(stats("VI_2")->adverts_rcvd, 0);
	ck_assert_uint_eq(stats("VI_2")->rx_errors[VRRP_CTR_AUTH_TYPE_MISMATCH],
	    1);
	memcpy(d, ah_v2_mcast_vrid62, sizeof(d));
	d[45] = 99; /* VRID 99, its VRRP checksum again */
	d[50] = d[51] = 0;
	csum = vrrp_pkt_csum(d + 44, sizeof(d) - 44, NULL, NULL, false);
	d[50] = (uint8_t)(csum >> 8);
	d[51] = (uint8_t)csum;
	vrrp_ah_key(AH_V2_MC62_KEY, key);
	ck_assert_int_eq(vrrp_ah_sign(d, sizeof(d), key, false), VRRP_AH_OK);
	rx(d, sizeof(d));
	ck_assert_uint_eq(
	    vrrp_router_stats(router)->rx_errors[VRRP_CTR_VRID_ERRORS], 1);
	memcpy(d, ah_v2_mcast_vrid62, sizeof(d));
	d[20] = 6;
	rx(d, sizeof(d));
	ck_assert_uint_eq(
	    vrrp_router_stats(router)->rx_errors[VRRP_CTR_INVALID_TYPE], 1);
}
END_TEST

START_TEST(owner_sends_ah_adverts)
{
	size_t n = 0;

	load(255);
	run_for(50);
	for (size_t i = 0; i < stub_net.nadverts; i++) {
		const struct stub_advert *a = &stub_net.adverts[i];

		if (a->vrid != 61)
			continue;
		ck_assert_int_eq(a->err, VRRP_PKT_OK);
		ck_assert_uint_eq(a->version, 2);
		ck_assert_uint_eq(a->priority, 255);
		ck_assert_uint_eq(a->ttl, 255);
		n++;
	}
	ck_assert_uint_ge(n, 1);
	ck_assert_uint_ge(stats("VI_1")->adverts_sent, 1);
}
END_TEST

static Suite *
glue_suite(void)
{
	Suite *s = suite_create("vrrp_ah_glue");
	TCase *tc = tcase_create("ah");

	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_add_test(tc,
	    keepalived_advert_is_accepted_then_its_replay_refused);
	tcase_add_test(tc, another_key_or_spi_is_an_auth_failure);
	tcase_add_test(tc, protocol_112_advert_never_reaches_an_ah_instance);
	tcase_add_test(tc, ah_for_no_ah_instance_is_counted);
	tcase_add_test(tc, owner_sends_ah_adverts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(glue_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
