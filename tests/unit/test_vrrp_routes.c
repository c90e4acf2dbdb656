/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Virtual and static routes and rules in the vrrp glue (routes.c), on a
 * real libev loop against the stubs of net/ and notify/ (stubs.h): routes
 * follow the addresses on becoming master and leaving, a tracked one
 * deleted behind a master's back makes it step down, static ones are
 * there from the load, replaced one by one at a reload, put back when
 * deleted and removed at the stop. No root, no netlink.
 */

#include <linux/rtnetlink.h>

#include <check.h>
#include <errno.h>
#include <ev.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/conf.h"
#include "vrrpd/conf_route.h"
#include "vrrpd/util.h"
#include "vrrpd/vrrp_instance.h"

#include "stubs.h"

#define US_PER_MS 1000ULL

static struct ev_loop *loop;
static struct vrrp_router *router;
static struct conf *confs[8];
static size_t nconfs;

static void
world_setup(void)
{
	struct stub_iface eth0 = { .name = "eth0", .ifindex = 2, .up = true };
	struct stub_iface eth1 = { .name = "eth1", .ifindex = 3, .up = true };

	stub_reset();
	ck_assert_int_eq(addr_parse("192.0.2.1", &eth0.primary4), 0);
	ck_assert_int_eq(addr_parse("198.51.100.1", &eth1.primary4), 0);
	stub_iface_set(&eth0);
	stub_iface_set(&eth1);
	ck_assert_ptr_nonnull(loop = ev_loop_new(EVFLAG_AUTO));
	ck_assert_ptr_nonnull(router = vrrp_router_new(loop));
	nconfs = 0;
}

static void
world_teardown(void)
{
	vrrp_router_free(router);
	for (size_t i = 0; i < nconfs; i++)
		conf_free(confs[i]);
	ev_loop_destroy(loop);
	stub_reset();
}

static ev_timer wait_timer;

static void
wait_cb(struct ev_loop *l, ev_timer *w, int revents)
{
	(void)l;
	(void)w;
	(void)revents;
}

/* Run the loop until cond holds, for ms at most. */
#define RUN_UNTIL(cond, ms)                                       \
	do {                                                      \
		uint64_t until_ = util_now_us() + (ms)*US_PER_MS; \
		ev_init(&wait_timer, wait_cb);                    \
		while (!(cond) && util_now_us() < until_) {       \
			ev_now_update(loop);                      \
			ev_timer_set(&wait_timer, 0.02, 0.0);     \
			ev_timer_start(loop, &wait_timer);        \
			ev_run(loop, EVRUN_ONCE);                 \
			ev_timer_stop(loop, &wait_timer);         \
		}                                                 \
	} while (0)

static const struct conf *
parse(const char *yaml)
{
	struct conf *c = conf_load_mem("test.yaml", yaml, strlen(yaml), NULL);

	ck_assert_ptr_nonnull(c);
	ck_assert_msg(c->nerrors == 0, "configuration refused: %s",
	    c->ndiags > 0 ? c->diags[0].msg : "");
	ck_assert_uint_lt(nconfs, sizeof(confs) / sizeof(confs[0]));
	confs[nconfs++] = c;
	return c;
}

static enum vrrp_state
state(const char *name)
{
	struct vrrp_inst *vi = vrrp_router_find(router, name);

	ck_assert_ptr_nonnull(vi);
	return vrrp_inst_state(vi);
}

/* One instance on eth0, alone: master after Master_Down_Interval. */
#define INSTANCE                                                       \
	"instances:\n"                                                 \
	"  VI_1:\n"                                                    \
	"    interface: eth0\n"                                        \
	"    vrid: 51\n"                                               \
	"    version: 3\n"                                             \
	"    priority: 100\n"                                          \
	"    advert_interval: 100ms\n"                                 \
	"    virtual_ipaddress: [192.0.2.100/24]\n"                    \
	"    virtual_routes:\n"                                        \
	"      - 198.51.100.0/24 via 192.0.2.254 dev eth1 table 100\n" \
	"      - blackhole 203.0.113.0/24 no_track\n"                  \
	"    virtual_rules:\n"                                         \
	"      - from 192.0.2.100/32 table 100 preference 100\n"

#define ROUTE	 "198.51.100.0/24 via 192.0.2.254 dev eth1 table 100"
#define NT_ROUTE "blackhole 203.0.113.0/24 no_track"
#define RULE	 "from 192.0.2.100/32 preference 100 table 100"

static size_t
adds_of(const char *line, bool add)
{
	size_t n = 0;

	for (size_t i = 0; i < stub_net.nrts; i++)
		n += stub_net.rts[i].add == add &&
		    strcmp(stub_net.rts[i].line, line) == 0;
	return n;
}

/* The time of the last VIP add (or removal) recorded. */
static uint64_t
vip_at(bool add)
{
	uint64_t at = 0;

	for (size_t i = 0; i < stub_net.nvips; i++)
		if (stub_net.vips[i].add == add)
			at = stub_net.vips[i].at_us;
	return at;
}

static uint64_t
rt_at(const char *line, bool add)
{
	uint64_t at = 0;

	for (size_t i = 0; i < stub_net.nrts; i++)
		if (stub_net.rts[i].add == add &&
		    strcmp(stub_net.rts[i].line, line) == 0)
			at = stub_net.rts[i].at_us;
	return at;
}

static void
to_master(void)
{
	ck_assert_int_eq(vrrp_router_load(router, parse(INSTANCE)), 0);
	RUN_UNTIL(state("VI_1") == VRRP_STATE_MASTER, 3000);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_MASTER);
}

START_TEST(routes_follow_the_addresses_in_and_out_of_master)
{
	to_master();
	ck_assert(stub_rt_present(ROUTE));
	ck_assert(stub_rt_present(NT_ROUTE));
	ck_assert(stub_rt_present(RULE));
	/* Added right after the addresses, the rule after the routes. */
	ck_assert_uint_ge(rt_at(ROUTE, true), vip_at(true));
	ck_assert_uint_ge(rt_at(RULE, true), rt_at(NT_ROUTE, true));
	/* Tracked ones exist: deletions are watched. */
	ck_assert(stub_net.mon_routes && stub_net.mon_rules);
	stub_link_set_up("eth0", false);
	RUN_UNTIL(state("VI_1") == VRRP_STATE_FAULT, 1000);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_FAULT);
	ck_assert(!stub_rt_present(ROUTE));
	ck_assert(!stub_rt_present(NT_ROUTE));
	ck_assert(!stub_rt_present(RULE));
	/* Removed before the addresses, the rule before the routes. */
	ck_assert_uint_le(rt_at(ROUTE, false), vip_at(false));
	ck_assert_uint_le(rt_at(RULE, false), rt_at(ROUTE, false));
}
END_TEST

/* The deleted route as netlink reports it. */
static void
route_deleted(uint32_t portid, const char *dst, uint8_t len, uint32_t table,
    uint8_t proto)
{
	struct net_link_rtkey k = { .af = AF_INET,
		.protocol = proto,
		.type = RTN_UNICAST,
		.table = table,
		.dst_len = len,
		.oif = 3 };
	struct net_link_ev ev = { .kind = NET_LINK_EV_ROUTE_DEL,
		.ifindex = 3,
		.rt = &k,
		.portid = portid };

	ck_assert_int_eq(addr_parse(dst, &k.dst), 0);
	stub_link_event(&ev);
}

START_TEST(a_tracked_route_deleted_behind_the_masters_back_makes_it_step_down)
{
	to_master();
	/* Our own removal, a route of another protocol: nothing. */
	route_deleted(STUB_PORTID, "198.51.100.0", 24, 100, 18);
	route_deleted(4242 + 1, "198.51.100.0", 24, 100, 4);
	route_deleted(4242 + 1, "198.51.100.0", 24, 254, 18);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_MASTER);
	/* The no_track blackhole: nothing either. */
	route_deleted(4242 + 1, "203.0.113.0", 24, 254, 18);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_MASTER);
	route_deleted(4242 + 1, "198.51.100.0", 24, 100, 18);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_BACKUP);
	ck_assert(!stub_rt_present(RULE));
	/* Alone, it is elected again and puts the route back. */
	RUN_UNTIL(state("VI_1") == VRRP_STATE_MASTER, 3000);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_MASTER);
	ck_assert(stub_rt_present(ROUTE));
	ck_assert_uint_eq(adds_of(ROUTE, true), 2);
}
END_TEST

START_TEST(a_failed_add_leaves_the_instance_master)
{
	stub_net.rt_errno = ENETUNREACH; /* the first add fails */
	to_master();
	ck_assert(!stub_rt_present(ROUTE));
	ck_assert(stub_rt_present(NT_ROUTE));
	ck_assert(stub_rt_present(RULE));
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_MASTER);
}
END_TEST

#define STATICS(second)                                            \
	"static_routes:\n"                                         \
	"  - 198.51.100.0/24 via 192.0.2.254 dev eth0 table 200\n" \
	"  - " second "\n"                                         \
	"static_rules:\n"                                          \
	"  - from 203.0.113.0/24 table 200 preference 200\n"       \
	"static_ipaddress:\n"                                      \
	"  - { address: 203.0.113.1/24, dev: eth1 }\n"

#define S_ROUTE	 "198.51.100.0/24 via 192.0.2.254 dev eth0 table 200"
#define S_ROUTE2 "203.0.113.0/25 via 198.51.100.254 dev eth1"
#define S_ROUTE3 "203.0.113.0/26 via 198.51.100.254 dev eth1"
#define S_RULE	 "from 203.0.113.0/24 preference 200 table 200"

static bool
addr_on(unsigned int ifindex, const char *text)
{
	struct addr a;

	ck_assert_int_eq(addr_parse(text, &a), 0);
	return stub_addr_present(ifindex, &a);
}

START_TEST(statics_from_the_load_to_the_stop)
{
	struct vrrp_reload_stats st;
	size_t n;

	ck_assert_int_eq(
	    vrrp_router_load(router, parse(STATICS(S_ROUTE2) INSTANCE)), 0);
	ck_assert(stub_rt_present(S_ROUTE));
	ck_assert(stub_rt_present(S_ROUTE2));
	ck_assert(stub_rt_present(S_RULE));
	ck_assert(addr_on(3, "203.0.113.1"));
	/* The same statics: a reload touches none of them. */
	n = stub_net.nrts;
	ck_assert_int_eq(
	    vrrp_router_reload(router, parse(STATICS(S_ROUTE2) INSTANCE), &st),
	    0);
	for (size_t i = n; i < stub_net.nrts; i++)
		ck_assert_msg(strcmp(stub_net.rts[i].line, S_ROUTE) != 0 &&
			strcmp(stub_net.rts[i].line, S_ROUTE2) != 0 &&
			strcmp(stub_net.rts[i].line, S_RULE) != 0,
		    "the reload touched %s", stub_net.rts[i].line);
	/* One changed: it alone is replaced. */
	n = stub_net.nrts;
	ck_assert_int_eq(
	    vrrp_router_reload(router, parse(STATICS(S_ROUTE3) INSTANCE), &st),
	    0);
	ck_assert(!stub_rt_present(S_ROUTE2));
	ck_assert(stub_rt_present(S_ROUTE3));
	ck_assert_uint_eq(adds_of(S_ROUTE, true), 1);
	ck_assert_uint_eq(adds_of(S_RULE, true), 1);
	/* Deleted by someone else: put back. */
	{
		struct net_link_rtkey k = { .af = AF_INET,
			.protocol = 18,
			.table = 200,
			.dst_len = 24,
			.oif = 2 };
		struct net_link_ev ev = { .kind = NET_LINK_EV_ROUTE_DEL,
			.rt = &k,
			.portid = 77 };

		ck_assert_int_eq(addr_parse("198.51.100.0", &k.dst), 0);
		stub_link_event(&ev);
	}
	ck_assert_uint_eq(adds_of(S_ROUTE, true), 2);
	/* An interface coming up gets its static routes back. */
	stub_link_set_up("eth1", false);
	stub_link_set_up("eth1", true);
	ck_assert_uint_eq(adds_of(S_ROUTE3, true), 2);
	/* The stop removes them all. */
	vrrp_router_shutdown(router);
	ck_assert(!stub_rt_present(S_ROUTE));
	ck_assert(!stub_rt_present(S_ROUTE3));
	ck_assert(!stub_rt_present(S_RULE));
	ck_assert(!addr_on(3, "203.0.113.1"));
}
END_TEST

START_TEST(no_tracked_route_no_watching)
{
	ck_assert_int_eq(vrrp_router_load(router,
			     parse("static_routes:\n"
				   "  - 198.51.100.0/24 via 192.0.2.254 "
				   "no_track\n")),
	    0);
	ck_assert(!stub_net.mon_routes && !stub_net.mon_rules);
}
END_TEST

static Suite *
vrrp_routes_suite(void)
{
	Suite *s = suite_create("vrrp_routes");
	TCase *tc = tcase_create("virtual");

	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_add_test(tc, routes_follow_the_addresses_in_and_out_of_master);
	tcase_add_test(tc,
	    a_tracked_route_deleted_behind_the_masters_back_makes_it_step_down);
	tcase_add_test(tc, a_failed_add_leaves_the_instance_master);
	suite_add_tcase(s, tc);

	tc = tcase_create("static");
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_add_test(tc, statics_from_the_load_to_the_stop);
	tcase_add_test(tc, no_tracked_route_no_watching);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vrrp_routes_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
