/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The route and rule line parsers (conf/route_parse.c, rule_parse.c): every
 * option keepalived 2.2.7 reads is taken or refused by name, every error
 * names the option and the token, and format() gives back a line that
 * parses to an equal value.
 */

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <sys/stat.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/conf.h"
#include "vrrpd/conf_route.h"

#define MAX_TOK 96

/* A line split at blanks, as the keepalived tokenizer splits it. */
struct line {
	char buf[1024];
	const char *tok[MAX_TOK];
	size_t n;
};

static void
split(struct line *l, const char *text)
{
	char *save = NULL, *t;

	snprintf(l->buf, sizeof(l->buf), "%s", text);
	l->n = 0;
	for (t = strtok_r(l->buf, " \t", &save); t != NULL && l->n < MAX_TOK;
	     t = strtok_r(NULL, " \t", &save))
		l->tok[l->n++] = t;
}

static struct conf_rt_diag diag;

static enum conf_rt_err
route(const char *text, struct conf_route *rt)
{
	struct line l;

	split(&l, text);
	return conf_route_parse(l.tok, l.n, NULL, rt, &diag);
}

static enum conf_rt_err
rule_ctx(const char *text, struct conf_rt_ctx *ctx, struct conf_rule *ru)
{
	struct line l;

	split(&l, text);
	return conf_rule_parse(l.tok, l.n, ctx, ru, &diag);
}

static enum conf_rt_err
rule(const char *text, struct conf_rule *ru)
{
	return rule_ctx(text, NULL, ru);
}

static struct addr
ip(const char *text)
{
	struct addr a;

	ck_assert_msg(addr_parse(text, &a) == 0, "bad address %s", text);
	return a;
}

static bool
same_addr(const struct addr *a, const char *text)
{
	struct addr b = ip(text);

	return addr_cmp(a, &b) == 0;
}

#define ck_assert_addr(a, text) ck_assert(same_addr(&(a), (text)))

static void
ok_route(const char *text, struct conf_route *rt)
{
	enum conf_rt_err e = route(text, rt);

	ck_assert_msg(e == CONF_RT_OK, "%s: %s", text, diag.msg);
}

static void
ok_rule(const char *text, struct conf_rule *ru)
{
	enum conf_rt_err e = rule(text, ru);

	ck_assert_msg(e == CONF_RT_OK, "%s: %s", text, diag.msg);
}

static bool
warned(const char *needle)
{
	for (size_t i = 0; i < diag.nwarn; i++)
		if (strstr(diag.warn[i], needle) != NULL)
			return true;
	return false;
}

/* ---- routes ---- */

START_TEST(route_with_dev_has_keepalived_defaults)
{
	struct conf_route rt;

	ok_route("192.0.2.0/24 dev eth0", &rt);
	ck_assert_int_eq(rt.family, AF_INET);
	ck_assert_int_eq(rt.type, RTN_UNICAST);
	ck_assert_addr(rt.dst, "192.0.2.0");
	ck_assert_uint_eq(rt.dst_len, 24);
	ck_assert_str_eq(rt.dev, "eth0");
	ck_assert_uint_eq(rt.table, RT_TABLE_MAIN);
	ck_assert_uint_eq(rt.protocol, CONF_RT_PROTO_OWN);
	ck_assert(!rt.has_metric && !rt.has_scope && !rt.no_track);
	ck_assert_int_eq(rt.mode, CONF_RT_PREPEND);
	ck_assert_uint_eq(diag.nwarn, 0);
}
END_TEST

START_TEST(route_takes_every_ipv4_option)
{
	struct conf_route rt;

	ok_route("src 192.0.2.1 to 198.51.100.0/24 via 192.0.2.254 dev eth0 "
		 "onlink table 100 metric 10 scope link tos 0x10 protocol 18 "
		 "realms 1/2 mtu lock 1400 hoplimit 64 advmss 1360 "
		 "reordering 3 window 1000 cwnd lock 10 ssthresh 20 "
		 "initcwnd 10 initrwnd 20 quickack 1 fastopen_no_cookie 1 "
		 "features ecn append",
	    &rt);
	ck_assert_addr(rt.src, "192.0.2.1");
	ck_assert_addr(rt.dst, "198.51.100.0");
	ck_assert_addr(rt.via, "192.0.2.254");
	ck_assert(rt.onlink);
	ck_assert_uint_eq(rt.table, 100);
	ck_assert(rt.has_metric);
	ck_assert_uint_eq(rt.metric, 10);
	ck_assert(rt.has_scope);
	ck_assert_uint_eq(rt.scope, RT_SCOPE_LINK);
	ck_assert_uint_eq(rt.tos, 0x10);
	ck_assert_uint_eq(rt.realms, 1u << 16 | 2);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_MTU], 1400);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_HOPLIMIT], 64);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_ADVMSS], 1360);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_REORDERING], 3);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_WINDOW], 1000);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_CWND], 10);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_SSTHRESH], 20);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_INITCWND], 10);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_INITRWND], 20);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_QUICKACK], 1);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_FASTOPEN_NO_COOKIE], 1);
	ck_assert_uint_eq(rt.metrics[CONF_RTM_FEATURES], 1);
	ck_assert_uint_eq(rt.metrics_set, (1u << CONF_RTM_MAX) - 1);
	ck_assert_uint_eq(rt.metrics_lock,
	    1u << CONF_RTM_MTU | 1u << CONF_RTM_CWND);
	ck_assert_int_eq(rt.mode, CONF_RT_APPEND);
	ck_assert_uint_eq(diag.nwarn, 0);
}
END_TEST

START_TEST(route_takes_ipv6_options)
{
	struct conf_route rt;

	ok_route("inet6 default from 2001:db8:1::/48 via 2001:db8::1 dev "
		 "eth0 pref high metric 1024",
	    &rt);
	ck_assert_int_eq(rt.family, AF_INET6);
	ck_assert_int_eq(rt.dst.af, AF_INET6);
	ck_assert_uint_eq(rt.dst_len, 0);
	ck_assert_addr(rt.from, "2001:db8:1::");
	ck_assert_uint_eq(rt.from_len, 48);
	ck_assert_addr(rt.via, "2001:db8::1");
	ck_assert(rt.has_pref);
	ck_assert_uint_eq(rt.pref, 1);
	ok_route("2001:db8:2::/64 dev eth0 pref low", &rt);
	ck_assert_uint_eq(rt.pref, 3);
	ok_route("2001:db8:2::/64 dev eth0 pref medium", &rt);
	ck_assert_uint_eq(rt.pref, 0);
	ok_route("2001:db8:2::/64 via inet6 2001:db8::1 dev eth0", &rt);
	ck_assert_addr(rt.via, "2001:db8::1");
	ok_route("2001:db8::5 dev eth0", &rt);
	ck_assert_uint_eq(rt.dst_len, 128);
}
END_TEST

START_TEST(route_synonyms_and_names)
{
	struct conf_route rt;

	ok_route("198.51.100.0/24 gw 192.0.2.1 oif eth0 priority 5 dsfield 8 "
		 "table local protocol static scope host add",
	    &rt);
	ck_assert_addr(rt.via, "192.0.2.1");
	ck_assert_str_eq(rt.dev, "eth0");
	ck_assert_uint_eq(rt.metric, 5);
	ck_assert_uint_eq(rt.tos, 8);
	ck_assert_uint_eq(rt.table, RT_TABLE_LOCAL);
	ck_assert_uint_eq(rt.scope, RT_SCOPE_HOST);
	ck_assert_int_eq(rt.mode, CONF_RT_ADD);
	ck_assert(warned("gw is deprecated"));
	/* Tracked: the protocol is reset to keepalived's, as keepalived does. */
	ck_assert(warned("protocol 4 cannot be tracked"));
	ck_assert_uint_eq(rt.protocol, CONF_RT_PROTO_OWN);
	ok_route("198.51.100.0/24 dev eth0 preference 7 table main table "
		 "default scope global scope nowhere scope site prepend",
	    &rt);
	ck_assert_uint_eq(rt.metric, 7);
	ck_assert_uint_eq(rt.table, RT_TABLE_DEFAULT);
	ck_assert_uint_eq(rt.scope, RT_SCOPE_SITE);
	ck_assert_int_eq(rt.mode, CONF_RT_PREPEND);
	ok_route("198.51.100.0/24 dev eth0 protocol bird no_track", &rt);
	ck_assert_uint_eq(rt.protocol, 12);
	ck_assert_uint_eq(diag.nwarn, 0);
	ok_route("default via 192.0.2.1 dev eth0", &rt);
	ck_assert_int_eq(rt.family, AF_INET);
	ck_assert_uint_eq(rt.dst_len, 0);
	ok_route("any dev eth0", &rt);
	ck_assert_uint_eq(rt.dst_len, 0);
	ok_route("198.51.100.7 dev eth0 table 0x10", &rt);
	ck_assert_uint_eq(rt.dst_len, 32);
	ck_assert_uint_eq(rt.table, 16);
}
END_TEST

START_TEST(route_types)
{
	static const struct {
		const char *line;
		uint8_t type;
	} t[] = {
		{ "blackhole 198.51.100.0/24", RTN_BLACKHOLE },
		{ "unreachable 198.51.100.0/24", RTN_UNREACHABLE },
		{ "prohibit 198.51.100.0/24", RTN_PROHIBIT },
		{ "throw 198.51.100.0/24 table 100", RTN_THROW },
		{ "unicast 198.51.100.0/24 dev eth0", RTN_UNICAST },
		{ "to blackhole 198.51.100.0/24", RTN_BLACKHOLE },
		{ "to 198.51.100.0/24 dev eth0", RTN_UNICAST },
		{ "local 198.51.100.0 dev eth0 scope host table local",
		    RTN_LOCAL },
		{ "broadcast 198.51.100.0 dev eth0 scope link", RTN_BROADCAST },
		{ "brd 198.51.100.0 dev eth0", RTN_BROADCAST },
		{ "anycast 198.51.100.0 dev eth0", RTN_ANYCAST },
		{ "multicast 198.51.100.0 dev eth0", RTN_MULTICAST },
	};
	struct conf_route rt;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ok_route(t[i].line, &rt);
		ck_assert_uint_eq(rt.type, t[i].type);
		ck_assert_addr(rt.dst, "198.51.100.0");
	}
}
END_TEST

START_TEST(route_nexthops_and_or)
{
	struct conf_route rt;

	ok_route("198.51.100.0/24 table 10 nexthop via 192.0.2.1 dev eth0 "
		 "weight 2 onlink realms 3 nexthop via 192.0.2.2 nexthop dev "
		 "eth1",
	    &rt);
	ck_assert_uint_eq(rt.nnh, 3);
	ck_assert_addr(rt.nh[0].via, "192.0.2.1");
	ck_assert_str_eq(rt.nh[0].dev, "eth0");
	ck_assert_uint_eq(rt.nh[0].weight, 2);
	ck_assert(rt.nh[0].onlink);
	ck_assert_uint_eq(rt.nh[0].realms, 3);
	ck_assert_addr(rt.nh[1].via, "192.0.2.2");
	ck_assert_uint_eq(rt.nh[1].weight, 0);
	ck_assert_str_eq(rt.nh[2].dev, "eth1");
	ck_assert_uint_eq(rt.table, 10);
	/* keepalived's sample: "or" is two nexthops, with a warning. */
	ok_route("203.0.113.128/25 via 198.51.100.252 or 198.51.100.253 "
		 "dev eth1",
	    &rt);
	ck_assert(warned("or is deprecated"));
	ck_assert_uint_eq(rt.nnh, 2);
	ck_assert_int_eq(rt.via.af, AF_UNSPEC);
	ck_assert_addr(rt.nh[0].via, "198.51.100.252");
	ck_assert_addr(rt.nh[1].via, "198.51.100.253");
	ck_assert_str_eq(rt.dev, "eth1");
}
END_TEST

START_TEST(route_tracking_follows_keepalived)
{
	struct conf_route rt;

	ok_route("198.51.100.0/24 via 192.0.2.1", &rt);
	ck_assert(rt.no_track);
	ck_assert(warned("has no dev: it is not tracked"));
	ck_assert_uint_eq(diag.warn_tok[0], 0);
	ok_route("198.51.100.0/24 via 192.0.2.1 no_track", &rt);
	ck_assert(rt.no_track);
	ck_assert_uint_eq(diag.nwarn, 0);
	ok_route("198.51.100.0/24 dev eth0 protocol 99", &rt);
	ck_assert_uint_eq(rt.protocol, CONF_RT_PROTO_OWN);
	ck_assert(warned("protocol 99 cannot be tracked"));
	ck_assert_uint_eq(diag.warn_tok[0], 3);
	ok_route("default6 dev eth0", &rt);
	ck_assert_int_eq(rt.family, AF_INET6);
	ck_assert(warned("default6 is deprecated"));
}
END_TEST

/* A line that must fail: the error, the token it points at, a phrase. */
struct bad {
	const char *line;
	enum conf_rt_err err;
	size_t tok;
	const char *msg;
};

static const struct bad bad_routes[] = {
	{ "", CONF_RT_NO_DEST, 0, "empty route" },
	{ "via 192.0.2.1 dev eth0", CONF_RT_NO_DEST, 0, "no destination" },
	{ "198.51.100.0/24 via", CONF_RT_MISSING_VALUE, 1,
	    "route option via needs a value" },
	{ "198.51.100.0/24 dev", CONF_RT_MISSING_VALUE, 1, "dev needs" },
	{ "198.51.100.0/24 bogus", CONF_RT_UNKNOWN, 1,
	    "unknown route option bogus" },
	{ "198.51.100.0/24 via 192.0.2.300", CONF_RT_BAD_VALUE, 2,
	    "via: 192.0.2.300 is not an IPv4 or IPv6 address" },
	{ "198.51.100.0/24 metric ten", CONF_RT_BAD_VALUE, 2,
	    "metric: ten is not a number" },
	{ "198.51.100.0/24 metric -1", CONF_RT_BAD_VALUE, 2, "metric: -1" },
	{ "198.51.100.0/24 table web", CONF_RT_BAD_VALUE, 2,
	    "unknown routing table web" },
	{ "198.51.100.0/24 table 4294967296", CONF_RT_BAD_VALUE, 2,
	    "table: 4294967296" },
	{ "198.51.100.0/24 scope galaxy", CONF_RT_BAD_VALUE, 2,
	    "unknown scope galaxy" },
	{ "198.51.100.0/24 protocol foo", CONF_RT_BAD_VALUE, 2,
	    "unknown protocol foo" },
	{ "198.51.100.0/24 tos 256", CONF_RT_BAD_VALUE, 2, "tos: 256" },
	{ "198.51.100.0/24 hoplimit 256", CONF_RT_BAD_VALUE, 2,
	    "hoplimit: 256" },
	{ "198.51.100.0/24 quickack 2", CONF_RT_BAD_VALUE, 2, "quickack: 2" },
	{ "198.51.100.0/24 mtu lock", CONF_RT_MISSING_VALUE, 2, "mtu lock" },
	{ "198.51.100.0/24 mtu lock x", CONF_RT_BAD_VALUE, 3,
	    "route option mtu: x is not a number" },
	{ "198.51.100.0/24 cwnd", CONF_RT_MISSING_VALUE, 1,
	    "route option cwnd needs a value" },
	{ "198.51.100.0/24 features sack", CONF_RT_BAD_VALUE, 2,
	    "features: sack" },
	{ "198.51.100.0/24 realms 1/300", CONF_RT_BAD_VALUE, 2,
	    "realms: 1/300" },
	{ "198.51.100.0/24 dev eth0123456789abc", CONF_RT_BAD_VALUE, 2,
	    "dev: eth0123456789abc is not an interface name" },
	{ "2001:db8::/64 dev eth0 pref highest", CONF_RT_BAD_VALUE, 4,
	    "pref: highest" },
	{ "198.51.100.1/24 dev eth0", CONF_RT_BAD_VALUE, 0,
	    "198.51.100.1/24 has host bits set" },
	{ "198.51.100.0/33 dev eth0", CONF_RT_UNKNOWN, 0, "198.51.100.0/33" },
	{ "to 198.51.100.0/33", CONF_RT_BAD_VALUE, 1,
	    "destination 198.51.100.0/33 is not a prefix" },
	{ "198.51.100.0/24 192.0.2.0/24", CONF_RT_CONFLICT, 1,
	    "two destinations: 198.51.100.0/24 and 192.0.2.0/24" },
	{ "198.51.100.0/24 via 2001:db8::1", CONF_RT_FAMILY_MIX, 2,
	    "mixes IPv4 and IPv6: 2001:db8::1 is IPv6" },
	{ "inet6 198.51.100.0/24", CONF_RT_FAMILY_MIX, 1, "198.51.100.0/24" },
	{ "inet 2001:db8::/64", CONF_RT_FAMILY_MIX, 1, "2001:db8::/64" },
	{ "198.51.100.0/24 src 2001:db8::1", CONF_RT_FAMILY_MIX, 2,
	    "2001:db8::1" },
	{ "198.51.100.0/24 via inet6 192.0.2.1", CONF_RT_FAMILY_MIX, 2,
	    "inet6" },
	{ "198.51.100.0/24 from 192.0.2.0/24", CONF_RT_BAD_VALUE, 2,
	    "for IPv6 routes only" },
	{ "2001:db8::/64 realms 1", CONF_RT_FAMILY_MIX, 1, "realms" },
	{ "198.51.100.0/24 pref high", CONF_RT_FAMILY_MIX, 1, "pref" },
	{ "nat 198.51.100.0/24", CONF_RT_UNSUPPORTED, 0,
	    "route type nat is not supported by vrrpd: Linux removed it" },
	{ "xresolve 198.51.100.0/24", CONF_RT_UNSUPPORTED, 0, "xresolve" },
	{ "198.51.100.0/24 dev eth0 rtt 100", CONF_RT_UNSUPPORTED, 3,
	    "route option rtt is not supported by vrrpd" },
	{ "198.51.100.0/24 dev eth0 rttvar 10", CONF_RT_UNSUPPORTED, 3,
	    "rttvar" },
	{ "198.51.100.0/24 dev eth0 rto_min 10", CONF_RT_UNSUPPORTED, 3,
	    "rto_min" },
	{ "198.51.100.0/24 dev eth0 congctl cubic", CONF_RT_UNSUPPORTED, 3,
	    "congctl" },
	{ "198.51.100.0/24 dev eth0 encap mpls 100", CONF_RT_UNSUPPORTED, 3,
	    "encap" },
	{ "2001:db8::/64 dev eth0 expires 10", CONF_RT_UNSUPPORTED, 3,
	    "expires" },
	{ "198.51.100.0/24 vrf blue", CONF_RT_UNSUPPORTED, 1,
	    "route option vrf is not supported by vrrpd: write table N" },
	{ "198.51.100.0/24 as to 100", CONF_RT_UNSUPPORTED, 1, "as" },
	{ "198.51.100.0/24 ttl-propagate enabled", CONF_RT_UNSUPPORTED, 1,
	    "ttl-propagate" },
	{ "198.51.100.0/24 dev eth0 track_group G", CONF_RT_UNSUPPORTED, 3,
	    "route option track_group is not supported by vrrpd" },
	{ "blackhole 198.51.100.0/24 dev eth0", CONF_RT_CONFLICT, 1,
	    "is a blackhole route: it takes no via, dev or nexthop" },
	{ "unreachable 198.51.100.0/24 via 192.0.2.1", CONF_RT_CONFLICT, 1,
	    "unreachable" },
	{ "198.51.100.0/24 via 192.0.2.1 via 192.0.2.2", CONF_RT_CONFLICT, 3,
	    "second gateway" },
	{ "198.51.100.0/24 or 192.0.2.2", CONF_RT_CONFLICT, 1,
	    "or: needs a via" },
	{ "198.51.100.0/24 via 192.0.2.1 or 192.0.2.2 or 192.0.2.3",
	    CONF_RT_CONFLICT, 5, "only one or" },
	{ "198.51.100.0/24 via 192.0.2.1 or 192.0.2.2 nexthop via 192.0.2.3",
	    CONF_RT_CONFLICT, 5, "both or and nexthop" },
	{ "198.51.100.0/24 via 192.0.2.9 nexthop via 192.0.2.1",
	    CONF_RT_CONFLICT, 0, "has a via and nexthops" },
	{ "198.51.100.0/24 nexthop weight 2", CONF_RT_BAD_VALUE, 1,
	    "nexthop needs a via or a dev" },
	{ "198.51.100.0/24 nexthop via 192.0.2.1 weight 0", CONF_RT_BAD_VALUE,
	    5, "weight: 0" },
	{ "198.51.100.0/24 nexthop via 192.0.2.1 weight 257", CONF_RT_BAD_VALUE,
	    5, "weight: 257" },
	{ "198.51.100.0/24 nexthop via 192.0.2.1 table 5", CONF_RT_UNKNOWN, 4,
	    "unknown nexthop option table" },
	{ "198.51.100.0/24 nexthop via 192.0.2.1 encap ip", CONF_RT_UNSUPPORTED,
	    4, "nexthop option encap is not supported" },
	{ "198.51.100.0/24 nexthop via 2001:db8::1", CONF_RT_FAMILY_MIX, 3,
	    "2001:db8::1" },
};

START_TEST(route_errors_name_option_and_token)
{
	const struct bad *b = &bad_routes[_i];
	struct conf_route rt;
	enum conf_rt_err e = route(b->line, &rt);

	ck_assert_msg(e == b->err, "\"%s\": %s (%s), want %s", b->line,
	    conf_rt_strerror(e), diag.msg, conf_rt_strerror(b->err));
	ck_assert_msg(strstr(diag.msg, b->msg) != NULL,
	    "\"%s\": message \"%s\" lacks \"%s\"", b->line, diag.msg, b->msg);
	ck_assert_msg(diag.err_tok == b->tok, "\"%s\": token %zu, want %zu",
	    b->line, diag.err_tok, b->tok);
}
END_TEST

START_TEST(route_too_many_nexthops)
{
	char line[2048] = "198.51.100.0/24";
	struct conf_route rt;

	for (int i = 0; i <= CONF_RT_MAX_NEXTHOPS; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
		    " nexthop via 192.0.2.%d", i + 1);
	ck_assert_int_eq(route(line, &rt), CONF_RT_TOO_MANY);
	ck_assert_ptr_nonnull(strstr(diag.msg, "more than 16 nexthops"));
}
END_TEST

/* ---- rules ---- */

START_TEST(rule_from_table)
{
	struct conf_rule ru;

	ok_rule("from 192.0.2.0/24 table 100 preference 100", &ru);
	ck_assert_int_eq(ru.family, AF_INET);
	ck_assert(ru.has_from && !ru.has_to);
	ck_assert_addr(ru.from, "192.0.2.0");
	ck_assert_uint_eq(ru.from_len, 24);
	ck_assert_uint_eq(ru.action, FR_ACT_TO_TBL);
	ck_assert_uint_eq(ru.table, 100);
	ck_assert_uint_eq(ru.priority, 100);
	ck_assert_uint_eq(ru.protocol, CONF_RT_PROTO_OWN);
	ck_assert_int_eq(ru.suppress_prefixlen, -1);
	ck_assert_uint_eq(diag.nwarn, 0);
}
END_TEST

START_TEST(rule_takes_every_selector)
{
	struct conf_rule ru;

	ok_rule("not from 192.0.2.0/24 to 198.51.100.0/24 priority 10 tos "
		"0x10 fwmark 0x10/0xff iif eth0 oif eth1 tunnel-id 5 uidrange "
		"1000-2000 ipproto tcp sport 80 dport 1000-2000 protocol 18 "
		"lookup 100 realms 1/2 suppress_prefixlength 0 "
		"suppress_ifgroup 5",
	    &ru);
	ck_assert(ru.invert);
	ck_assert_addr(ru.to, "198.51.100.0");
	ck_assert_uint_eq(ru.to_len, 24);
	ck_assert_uint_eq(ru.priority, 10);
	ck_assert_uint_eq(ru.tos, 0x10);
	ck_assert(ru.has_fwmark && ru.has_fwmask);
	ck_assert_uint_eq(ru.fwmark, 0x10);
	ck_assert_uint_eq(ru.fwmask, 0xff);
	ck_assert_str_eq(ru.iif, "eth0");
	ck_assert_str_eq(ru.oif, "eth1");
	ck_assert_uint_eq(ru.tunnel_id, 5);
	ck_assert(ru.has_uidrange);
	ck_assert_uint_eq(ru.uid_lo, 1000);
	ck_assert_uint_eq(ru.uid_hi, 2000);
	ck_assert(ru.has_ipproto);
	ck_assert_uint_eq(ru.ipproto, 6);
	ck_assert(ru.has_sport && ru.has_dport);
	ck_assert_uint_eq(ru.sport_lo, 80);
	ck_assert_uint_eq(ru.sport_hi, 80);
	ck_assert_uint_eq(ru.dport_lo, 1000);
	ck_assert_uint_eq(ru.dport_hi, 2000);
	ck_assert_uint_eq(ru.table, 100);
	ck_assert_uint_eq(ru.realms, 1u << 16 | 2);
	ck_assert_int_eq(ru.suppress_prefixlen, 0);
	ck_assert(ru.has_suppress_ifgroup);
	ck_assert_uint_eq(ru.suppress_ifgroup, 5);
	ck_assert_uint_eq(diag.nwarn, 0);
}
END_TEST

START_TEST(rule_synonyms_and_actions)
{
	struct conf_rule ru;

	ok_rule("to 192.0.2.0/24 order 5 dsfield 8 dev eth0 sup_pl 8 "
		"sup_group default table main",
	    &ru);
	ck_assert_uint_eq(ru.priority, 5);
	ck_assert_str_eq(ru.iif, "eth0");
	ck_assert_uint_eq(ru.table, RT_TABLE_MAIN);
	ck_assert_int_eq(ru.suppress_prefixlen, 8);
	ok_rule("from all fwmark 7 preference 9 goto 20", &ru);
	ck_assert(!ru.has_from);
	ck_assert(ru.has_fwmark && !ru.has_fwmask);
	ck_assert_uint_eq(ru.action, FR_ACT_GOTO);
	ck_assert_uint_eq(ru.goto_target, 20);
	ok_rule("from 192.0.2.0/24 preference 9 nop", &ru);
	ck_assert_uint_eq(ru.action, FR_ACT_NOP);
	ok_rule("from 192.0.2.0/24 preference 9 blackhole", &ru);
	ck_assert_uint_eq(ru.action, FR_ACT_BLACKHOLE);
	ok_rule("from 192.0.2.0/24 preference 9 type unreachable", &ru);
	ck_assert_uint_eq(ru.action, FR_ACT_UNREACHABLE);
	ok_rule("from 192.0.2.0/24 preference 9 prohibit", &ru);
	ck_assert_uint_eq(ru.action, FR_ACT_PROHIBIT);
	ok_rule("inet6 iif eth0 preference 9 l3mdev", &ru);
	ck_assert_int_eq(ru.family, AF_INET6);
	ck_assert(ru.l3mdev);
	ck_assert_uint_eq(ru.action, FR_ACT_TO_TBL);
	ck_assert_uint_eq(ru.table, 0);
	ok_rule("from 2001:db8::/32 ipproto UDP preference 9 table 7", &ru);
	ck_assert_int_eq(ru.family, AF_INET6);
	ck_assert_uint_eq(ru.ipproto, 17);
	ok_rule("from 192.0.2.0/24 preference 9 table 7 protocol 4 no_track",
	    &ru);
	ck_assert_uint_eq(ru.protocol, 4);
	ok_rule("from 192.0.2.0/24 preference 9 table 7 protocol 4", &ru);
	ck_assert_uint_eq(ru.protocol, CONF_RT_PROTO_OWN);
	ck_assert(warned("rule protocol 4 cannot be tracked"));
}
END_TEST

START_TEST(rule_without_preference_is_numbered_like_keepalived)
{
	struct conf_rt_ctx ctx = { 0 };
	struct conf_rule ru;

	ck_assert_int_eq(rule_ctx("from 192.0.2.0/24 table 1", &ctx, &ru),
	    CONF_RT_OK);
	ck_assert_uint_eq(ru.priority, 16384);
	ck_assert(warned("rule has no preference: 16384 is used"));
	ck_assert_int_eq(rule_ctx("to 192.0.2.0/24 table 1", &ctx, &ru),
	    CONF_RT_OK);
	ck_assert_uint_eq(ru.priority, 16383);
	ck_assert_int_eq(rule_ctx("from 2001:db8::/32 table 1", &ctx, &ru),
	    CONF_RT_OK);
	ck_assert_uint_eq(ru.priority, 16384);
	ck_assert_int_eq(
	    rule_ctx("to 192.0.2.0/24 table 1 preference 3", &ctx, &ru),
	    CONF_RT_OK);
	ck_assert_uint_eq(ru.priority, 3);
	ck_assert_uint_eq(diag.nwarn, 0);
	ck_assert_uint_eq(ctx.next_prio4, 16382);
}
END_TEST

static const struct bad bad_rules[] = {
	{ "", CONF_RT_NO_ACTION, 0, "empty rule" },
	{ "from 192.0.2.0/24 preference 1", CONF_RT_NO_ACTION, 0,
	    "rule has no action" },
	{ "from 192.0.2.0/24 table 1 goto 5", CONF_RT_CONFLICT, 4,
	    "two actions: table and goto" },
	{ "from 192.0.2.0/24 table 1 l3mdev", CONF_RT_CONFLICT, 4,
	    "two actions: table and l3mdev" },
	{ "from 192.0.2.0/24 goto 5", CONF_RT_CONFLICT, 2,
	    "goto 5 needs a preference below it" },
	{ "from 192.0.2.0/24 preference 5 goto 5", CONF_RT_CONFLICT, 4,
	    "goto 5 needs a preference below it" },
	{ "from 192.0.2.0/24 preference 1 nop realms 3", CONF_RT_CONFLICT, 5,
	    "realms applies to table lookups only" },
	{ "from 192.0.2.0/24 preference 1 blackhole sup_pl 3", CONF_RT_CONFLICT,
	    5, "sup_pl applies to table lookups only" },
	{ "from 192.0.2.0/24 table 0", CONF_RT_BAD_VALUE, 3,
	    "table: table 0 is not valid" },
	{ "from 192.0.2.0/24 table", CONF_RT_MISSING_VALUE, 2,
	    "rule option table needs a value" },
	{ "from 192.0.2.0/24 table 1 bogus", CONF_RT_UNKNOWN, 4,
	    "unknown rule option bogus" },
	{ "from 192.0.2.0/24 type local", CONF_RT_BAD_VALUE, 3,
	    "type: local is not goto" },
	{ "from 192.0.2.0/24 table 1 fwmark 0x1/x", CONF_RT_BAD_VALUE, 5,
	    "fwmark: 0x1/x" },
	{ "from 192.0.2.0/24 table 1 uidrange 5", CONF_RT_BAD_VALUE, 5,
	    "uidrange: 5 is not a range" },
	{ "from 192.0.2.0/24 table 1 uidrange 9-5", CONF_RT_BAD_VALUE, 5,
	    "uidrange: 9-5" },
	{ "from 192.0.2.0/24 table 1 sport 70000", CONF_RT_BAD_VALUE, 5,
	    "sport: 70000" },
	{ "from 192.0.2.0/24 table 1 dport 1-x", CONF_RT_BAD_VALUE, 5,
	    "dport: 1-x" },
	{ "from 192.0.2.0/24 table 1 ipproto bogus", CONF_RT_BAD_VALUE, 5,
	    "ipproto: bogus" },
	{ "from 192.0.2.0/24 table 1 tunnel-id x", CONF_RT_BAD_VALUE, 5,
	    "tunnel-id: x" },
	{ "from 192.0.2.0/24 table 1 suppress_ifgroup nogroup",
	    CONF_RT_BAD_VALUE, 5, "unknown interface group nogroup" },
	{ "from 192.0.2.0/24 table 1 track_group G", CONF_RT_UNSUPPORTED, 4,
	    "rule option track_group is not supported by vrrpd" },
	{ "from 192.0.2.0/24 to 2001:db8::/32 table 1", CONF_RT_FAMILY_MIX, 3,
	    "2001:db8::/32 is IPv6" },
	{ "inet6 from 192.0.2.0/24 table 1", CONF_RT_FAMILY_MIX, 2,
	    "192.0.2.0/24" },
	{ "from 2001:db8::/32 realms 1 table 1", CONF_RT_FAMILY_MIX, 2,
	    "realms" },
	{ "from 192.0.2.1/24 table 1", CONF_RT_BAD_VALUE, 1,
	    "192.0.2.1/24 has host bits set" },
	{ "to 192.168.100./24 table 1", CONF_RT_BAD_VALUE, 1,
	    "to: 192.168.100./24 is not a prefix" },
	{ "from 192.0.2.0/24 iif eth0123456789abc table 1", CONF_RT_BAD_VALUE,
	    3, "iif: eth0123456789abc" },
	{ "from 192.0.2.0/24 preference x table 1", CONF_RT_BAD_VALUE, 3,
	    "preference: x" },
};

START_TEST(rule_errors_name_option_and_token)
{
	const struct bad *b = &bad_rules[_i];
	struct conf_rule ru;
	enum conf_rt_err e = rule(b->line, &ru);

	ck_assert_msg(e == b->err, "\"%s\": %s (%s), want %s", b->line,
	    conf_rt_strerror(e), diag.msg, conf_rt_strerror(b->err));
	ck_assert_msg(strstr(diag.msg, b->msg) != NULL,
	    "\"%s\": message \"%s\" lacks \"%s\"", b->line, diag.msg, b->msg);
	ck_assert_msg(diag.err_tok == b->tok, "\"%s\": token %zu, want %zu",
	    b->line, diag.err_tok, b->tok);
}
END_TEST

/* ---- format, equality, names ---- */

static const char *const round_routes[] = {
	"192.0.2.0/24 dev eth0",
	"src 192.0.2.1 to 198.51.100.0/24 via 192.0.2.254 dev eth0 onlink "
	"table 100 metric 10 scope link tos 0x10 realms 1/2 mtu lock 1400 "
	"hoplimit 64 advmss 1360 reordering 3 window 1000 cwnd lock 10 "
	"ssthresh 20 initcwnd 10 initrwnd 20 quickack 1 fastopen_no_cookie 1 "
	"features ecn append",
	"inet6 default from 2001:db8:1::/48 via 2001:db8::1 dev eth0 pref high",
	"blackhole 198.51.100.0/24 add",
	"throw 198.51.100.0/24 table 7 realms 9",
	"198.51.100.0/24 via 192.0.2.1",
	"198.51.100.0/24 dev eth0 protocol bird no_track",
	"198.51.100.0/24 table 10 nexthop via 192.0.2.1 dev eth0 weight 2 "
	"onlink realms 3 nexthop via 192.0.2.2",
	"203.0.113.128/25 via 198.51.100.252 or 198.51.100.253 dev eth1",
	"inet6 default dev eth0",
	"2001:db8::/64 dev eth0 metric 0 scope 0",
	"local 198.51.100.1 dev eth0 scope host table local",
	"broadcast 198.51.100.255 dev eth0 scope link table local",
	"anycast 198.51.100.0 dev eth0",
	"multicast 198.51.100.0 dev eth0",
};

START_TEST(route_format_parses_back_equal)
{
	struct conf_route a, b;
	char buf[1024];

	ok_route(round_routes[_i], &a);
	conf_route_format(&a, buf, sizeof(buf));
	ok_route(buf, &b);
	ck_assert_msg(conf_route_equal(&a, &b), "\"%s\" -> \"%s\"",
	    round_routes[_i], buf);
	ck_assert_uint_eq(diag.nwarn, 0);
}
END_TEST

static const char *const round_rules[] = {
	"from 192.0.2.0/24 table 100 preference 100",
	"not from 192.0.2.0/24 to 198.51.100.0/24 priority 10 tos 0x10 fwmark "
	"0x10/0xff iif eth0 oif eth1 tunnel-id 5 uidrange 1000-2000 ipproto "
	"tcp sport 80 dport 1000-2000 lookup 100 realms 1/2 "
	"suppress_prefixlength 0 suppress_ifgroup 5",
	"from all fwmark 7 preference 9 goto 20",
	"inet6 iif eth0 preference 9 l3mdev",
	"inet6 preference 9 prohibit no_track protocol 3",
	"to 192.0.2.0/24 table 1",
	"from 192.0.2.0/24 preference 9 unreachable",
	"from 192.0.2.0/24 preference 9 nop",
	"from 192.0.2.0/24 preference 9 blackhole",
};

START_TEST(rule_format_parses_back_equal)
{
	struct conf_rule a, b;
	char buf[1024];

	ok_rule(round_rules[_i], &a);
	conf_rule_format(&a, buf, sizeof(buf));
	ok_rule(buf, &b);
	ck_assert_msg(conf_rule_equal(&a, &b), "\"%s\" -> \"%s\"",
	    round_rules[_i], buf);
	ck_assert_uint_eq(diag.nwarn, 0);
}
END_TEST

START_TEST(format_writes_one_canonical_line)
{
	struct conf_route rt;
	struct conf_rule ru;
	char buf[512];

	ok_route("198.51.100.0/24 gw 192.0.2.1 dev eth0 priority 5 table main",
	    &rt);
	ck_assert_str_eq(conf_route_format(&rt, buf, sizeof(buf)),
	    "198.51.100.0/24 via 192.0.2.1 dev eth0 metric 5");
	ok_route("192.0.2.0/24 via 198.51.100.1", &rt);
	ck_assert_str_eq(conf_route_format(&rt, buf, sizeof(buf)),
	    "192.0.2.0/24 via 198.51.100.1 no_track");
	ok_rule("to 192.0.2.0/24 lookup 3 order 7", &ru);
	ck_assert_str_eq(conf_rule_format(&ru, buf, sizeof(buf)),
	    "from all to 192.0.2.0/24 preference 7 table 3");
	/* A short buffer is cut, never overrun. */
	ck_assert_str_eq(conf_rule_format(&ru, buf, 9), "from all");
}
END_TEST

START_TEST(equality_sees_every_difference)
{
	struct conf_route a, b;
	struct conf_rule x, y;

	ok_route("198.51.100.0/24 dev eth0 table 5", &a);
	ok_route("198.51.100.0/24 dev eth0 table 6", &b);
	ck_assert(!conf_route_equal(&a, &b));
	ok_route("198.51.100.0/24 dev eth0 table 5 mtu 1400", &b);
	ck_assert(!conf_route_equal(&a, &b));
	ok_route("198.51.100.0/24 dev eth0 table 5", &b);
	b.loc.line = 42;
	ck_assert(conf_route_equal(&a, &b));
	ok_rule("from 192.0.2.0/24 table 1 preference 5", &x);
	ok_rule("from 192.0.2.0/24 table 1 preference 6", &y);
	ck_assert(!conf_rule_equal(&x, &y));
	ok_rule("from 192.0.2.0/24 table 1 preference 5 not", &y);
	ck_assert(!conf_rule_equal(&x, &y));
}
END_TEST

static int
fake_names(void *arg, enum conf_rt_names kind, const char *name, uint32_t *id)
{
	(void)arg;
	if (kind == CONF_RTN_TABLE && strcmp(name, "web") == 0) {
		*id = 100;
		return 0;
	}
	if (kind == CONF_RTN_REALM && strcmp(name, "cosmos") == 0) {
		*id = 7;
		return 0;
	}
	return -1;
}

START_TEST(names_come_from_the_lookup)
{
	struct conf_rt_ctx ctx = { .lookup = fake_names };
	struct conf_route rt;
	struct line l;

	split(&l, "198.51.100.0/24 dev eth0 table web realms cosmos/2");
	ck_assert_int_eq(conf_route_parse(l.tok, l.n, &ctx, &rt, &diag),
	    CONF_RT_OK);
	ck_assert_uint_eq(rt.table, 100);
	ck_assert_uint_eq(rt.realms, 7u << 16 | 2);
	split(&l, "198.51.100.0/24 dev eth0 table db");
	ck_assert_int_eq(conf_route_parse(l.tok, l.n, &ctx, &rt, &diag),
	    CONF_RT_BAD_VALUE);
	ck_assert_ptr_nonnull(strstr(diag.msg, "unknown routing table db"));
	ck_assert_ptr_nonnull(strstr(diag.msg, "rt_tables"));
}
END_TEST

START_TEST(names_files_read_iproute2_tables)
{
	char dir[] = "/tmp/vrrpd-rtnames-XXXXXX", path[256];
	uint32_t id = 0;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rt_tables", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("# comment\n255\tlocal\n100 web\n0x20 hex\nbad line here\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/rt_tables.d", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/rt_tables.d/x.conf", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("200 db\n", f);
	fclose(f);
	ck_assert_int_eq(conf_rt_names_files(dir, CONF_RTN_TABLE, "web", &id),
	    0);
	ck_assert_uint_eq(id, 100);
	ck_assert_int_eq(conf_rt_names_files(dir, CONF_RTN_TABLE, "hex", &id),
	    0);
	ck_assert_uint_eq(id, 0x20);
	ck_assert_int_eq(conf_rt_names_files(dir, CONF_RTN_TABLE, "db", &id),
	    0);
	ck_assert_uint_eq(id, 200);
	ck_assert_int_eq(conf_rt_names_files(dir, CONF_RTN_TABLE, "nope", &id),
	    -1);
	ck_assert_int_eq(conf_rt_names_files(dir, CONF_RTN_PROTO, "web", &id),
	    -1);
	ck_assert_int_eq(system("rm -rf /tmp/vrrpd-rtnames-*"), 0);
}
END_TEST

START_TEST(strerror_names_every_code)
{
	for (int e = 0; e < CONF_RT_ERR_MAX; e++)
		ck_assert_str_ne(conf_rt_strerror(e), "unknown error");
	ck_assert_str_eq(conf_rt_strerror(CONF_RT_ERR_MAX), "unknown error");
}
END_TEST

/* ---- in the model: both front ends, finish, equality ---- */

static struct conf *
load(const char *name, const char *text)
{
	struct conf *c = conf_load_mem(name, text, strlen(text), NULL);

	ck_assert_ptr_nonnull(c);
	return c;
}

static const char ka_text[] =
    "global_defs {\n"
    "\tdefault_interface eth0\n"
    "}\n"
    "static_ipaddress {\n"
    "\t203.0.113.1/24\n"
    "}\n"
    "static_routes {\n"
    "\t198.51.100.0/24 via 192.0.2.254 dev eth0 table 200\n"
    "}\n"
    "static_rules {\n"
    "\tfrom 203.0.113.0/24 table 200\n"
    "}\n"
    "vrrp_instance VI_1 {\n"
    "\tinterface eth0\n"
    "\tvirtual_router_id 51\n"
    "\tvirtual_ipaddress {\n"
    "\t\t192.0.2.100/24\n"
    "\t}\n"
    "\tvirtual_routes {\n"
    "\t\t198.51.100.0/24 via 192.0.2.254 dev eth1 table 100\n"
    "\t\t203.0.113.0/24 dev eth0\n"
    "\t\t198.51.100.0/25 dev eth2 no_track\n"
    "\t}\n"
    "\tvirtual_rules {\n"
    "\t\tfrom 192.0.2.100/32 table 100\n"
    "\t\tiif eth3 oif eth1 table 100 preference 5\n"
    "\t}\n"
    "}\n";

static const char yaml_text[] =
    "global:\n"
    "  default_interface: eth0\n"
    "static_ipaddress: [203.0.113.1/24]\n"
    "static_routes:\n"
    "  - 198.51.100.0/24 via 192.0.2.254 dev eth0 table 200\n"
    "static_rules:\n"
    "  - from 203.0.113.0/24 table 200 preference 16384\n"
    "instances:\n"
    "  VI_1:\n"
    "    interface: eth0\n"
    "    vrid: 51\n"
    "    version: 2\n"
    "    advert_interval: 1s\n"
    "    virtual_ipaddress: [192.0.2.100/24]\n"
    "    virtual_routes:\n"
    "      - 198.51.100.0/24 via 192.0.2.254 dev eth1 table 100\n"
    "      - 203.0.113.0/24 dev eth0\n"
    "      - 198.51.100.0/25 dev eth2 no_track\n"
    "    virtual_rules:\n"
    "      - from 192.0.2.100/32 table 100 preference 16383\n"
    "      - iif eth3 oif eth1 table 100 preference 5\n";

START_TEST(keepalived_blocks_land_in_the_model_at_their_words)
{
	struct conf *c = load("routes.conf", ka_text);
	const struct conf_instance *in = &c->instances[0];
	const struct conf_global *g = &c->global;

	ck_assert_uint_eq(c->nerrors, 0);
	ck_assert_uint_eq(in->nvroutes, 3);
	ck_assert_uint_eq(in->nvrules, 2);
	ck_assert_str_eq(in->vroutes[0].dev, "eth1");
	ck_assert_uint_eq(in->vroutes[0].table, 100);
	ck_assert_uint_eq(in->vroutes[0].loc.line, 20);
	ck_assert_uint_eq(in->vroutes[0].loc.col, 3);
	ck_assert(in->vroutes[2].no_track);
	ck_assert_str_eq(in->vrules[1].iif, "eth3");
	ck_assert_uint_eq(g->nstatic_addrs, 1);
	ck_assert_str_eq(g->static_addrs[0].dev,
	    "eth0"); /* default_interface */
	ck_assert_uint_eq(g->nstatic_routes, 1);
	ck_assert_uint_eq(g->static_routes[0].table, 200);
	ck_assert_uint_eq(g->nstatic_rules, 1);
	/* keepalived's numbering, in file order: static first. */
	ck_assert_uint_eq(g->static_rules[0].priority, 16384);
	ck_assert_uint_eq(in->vrules[0].priority, 16383);
	conf_free(c);
}
END_TEST

START_TEST(yaml_gives_the_same_model_and_dumps_round_trip)
{
	struct conf *k = load("routes.conf", ka_text);
	struct conf *y = load("routes.yaml", yaml_text);
	struct conf *back;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_uint_eq(y->nerrors, 0);
	ck_assert_msg(conf_equal(k, y), "keepalived and YAML models differ");
	ck_assert_ptr_nonnull(f = open_memstream(&buf, &len));
	ck_assert_int_eq(conf_emit_yaml(k, f), 0);
	fclose(f);
	ck_assert_ptr_null(strstr(buf, "interface: eth1")); /* implicit */
	ck_assert_ptr_nonnull(strstr(buf, "- 203.0.113.0/24 dev eth0"));
	back = load("back.yaml", buf);
	ck_assert_uint_eq(back->nerrors, 0);
	ck_assert(conf_equal(k, back));
	conf_free(back);
	free(buf);
	conf_free(k);
	conf_free(y);
}
END_TEST

/* A tracked route's dev and a rule's iif/oif: weight 0, once each. */
START_TEST(tracked_interfaces_become_implicit_tracks)
{
	struct conf *c = load("routes.conf", ka_text);
	const struct conf_instance *in = &c->instances[0];
	const char *want[] = { "eth1", "eth3" };

	/* eth0 is its own interface; eth2's route is no_track. */
	ck_assert_uint_eq(in->ntracks, 2);
	for (size_t i = 0; i < 2; i++) {
		ck_assert_int_eq(in->tracks[i].kind, CONF_TRACK_IFACE);
		ck_assert_str_eq(in->tracks[i].name, want[i]);
		ck_assert(in->tracks[i].implicit && in->tracks[i].has_weight);
		ck_assert_int_eq(in->tracks[i].weight, 0);
	}
	conf_free(c);
}
END_TEST

START_TEST(instance_equality_sees_a_changed_route)
{
	struct conf *a = load("a.conf", ka_text), *b;
	char *text = strdup(ka_text), *p = strstr(text, "table 100\n");

	ck_assert_ptr_nonnull(p);
	p[7] = '1'; /* table 101 */
	b = load("b.conf", text);
	ck_assert(!conf_instance_equal(&a->instances[0], &b->instances[0]));
	conf_free(b);
	b = load("b.conf", ka_text);
	ck_assert(conf_instance_equal(&a->instances[0], &b->instances[0]));
	ck_assert(conf_equal(a, b));
	conf_free(b);
	free(text);
	conf_free(a);
}
END_TEST

START_TEST(static_address_without_dev_needs_default_interface)
{
	struct conf *c = load("s.conf",
	    "static_ipaddress {\n"
	    "\t203.0.113.1/24\n"
	    "}\n");

	ck_assert_uint_eq(c->nerrors, 1);
	ck_assert_ptr_nonnull(
	    strstr(c->diags[0].msg, "needs default_interface"));
	ck_assert_uint_eq(c->diags[0].loc.line, 2);
	conf_free(c);
}
END_TEST

static Suite *
route_suite(void)
{
	Suite *s = suite_create("conf_route");
	TCase *tc = tcase_create("routes");

	tcase_add_test(tc, route_with_dev_has_keepalived_defaults);
	tcase_add_test(tc, route_takes_every_ipv4_option);
	tcase_add_test(tc, route_takes_ipv6_options);
	tcase_add_test(tc, route_synonyms_and_names);
	tcase_add_test(tc, route_types);
	tcase_add_test(tc, route_nexthops_and_or);
	tcase_add_test(tc, route_tracking_follows_keepalived);
	tcase_add_loop_test(tc, route_errors_name_option_and_token, 0,
	    sizeof(bad_routes) / sizeof(bad_routes[0]));
	tcase_add_test(tc, route_too_many_nexthops);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_test(tc, rule_from_table);
	tcase_add_test(tc, rule_takes_every_selector);
	tcase_add_test(tc, rule_synonyms_and_actions);
	tcase_add_test(tc, rule_without_preference_is_numbered_like_keepalived);
	tcase_add_loop_test(tc, rule_errors_name_option_and_token, 0,
	    sizeof(bad_rules) / sizeof(bad_rules[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, route_format_parses_back_equal, 0,
	    sizeof(round_routes) / sizeof(round_routes[0]));
	tcase_add_loop_test(tc, rule_format_parses_back_equal, 0,
	    sizeof(round_rules) / sizeof(round_rules[0]));
	tcase_add_test(tc, format_writes_one_canonical_line);
	tcase_add_test(tc, equality_sees_every_difference);
	tcase_add_test(tc, names_come_from_the_lookup);
	tcase_add_test(tc, names_files_read_iproute2_tables);
	tcase_add_test(tc, strerror_names_every_code);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_add_test(tc, keepalived_blocks_land_in_the_model_at_their_words);
	tcase_add_test(tc, yaml_gives_the_same_model_and_dumps_round_trip);
	tcase_add_test(tc, tracked_interfaces_become_implicit_tracks);
	tcase_add_test(tc, instance_equality_sees_a_changed_route);
	tcase_add_test(tc, static_address_without_dev_needs_default_interface);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(route_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
