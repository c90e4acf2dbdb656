/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Routes and rules through rtnetlink (net/netlink_route.c), each test in a
 * fresh network namespace of its own (needs root). The routes come from
 * keepalived lines through the pure parser; what the kernel holds is read
 * back with ip(8), so the module does not check itself.
 */

#include <sys/wait.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vrrpd/net_netlink.h"

#define NEEDS_ROOT "needs root (CAP_SYS_ADMIN) for a private network namespace"
#define EVENT_MS   2000
#define MAX_EVENTS 256
#define MAX_TOK	   64

struct event {
	enum net_link_event kind;
	struct net_link_rtkey key;
	uint32_t portid;
};

static struct {
	size_t n;
	struct event e[MAX_EVENTS];
} rec;

static void
record(void *arg, const struct net_link_ev *ev)
{
	(void)arg;
	if (rec.n == MAX_EVENTS ||
	    (ev->kind != NET_LINK_EV_ROUTE_DEL &&
		ev->kind != NET_LINK_EV_RULE_DEL))
		return;
	rec.e[rec.n].kind = ev->kind;
	rec.e[rec.n].key = *ev->rt;
	rec.e[rec.n].portid = ev->portid;
	rec.n++;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	ck_assert_msg(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "command failed: %s", cmd);
}

/*
 * A private namespace with lo up and the veth pair va/vb up, va holding
 * 192.0.2.10/24 and 2001:db8::10/64; the module open on it.
 */
static struct net_link *
setup(void)
{
	struct net_link *nl;

	if (geteuid() != 0)
		ck_abort_msg(NEEDS_ROOT);
	if (unshare(CLONE_NEWNET) != 0)
		ck_abort_msg(errno == EPERM ? NEEDS_ROOT : "unshare: %s",
		    strerror(errno));
	run("ip link set lo up && ip link add va type veth peer name vb && "
	    "ip link set va up && ip link set vb up && "
	    "ip addr add 192.0.2.10/24 dev va && "
	    "ip addr add 2001:db8::10/64 dev va nodad");
	memset(&rec, 0, sizeof(rec));
	nl = net_link_open(record, NULL);
	ck_assert_msg(nl != NULL, "net_link_open: %s", strerror(errno));
	return nl;
}

static void
split(char *buf, const char **tok, size_t *n)
{
	char *save = NULL;

	*n = 0;
	for (char *t = strtok_r(buf, " ", &save); t != NULL && *n < MAX_TOK;
	     t = strtok_r(NULL, " ", &save))
		tok[(*n)++] = t;
}

static struct conf_route
rt_of(const char *text)
{
	struct conf_rt_diag diag;
	struct conf_route rt;
	const char *tok[MAX_TOK];
	char buf[512];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", text);
	split(buf, tok, &n);
	ck_assert_msg(conf_route_parse(tok, n, NULL, &rt, &diag) == CONF_RT_OK,
	    "%s: %s", text, diag.msg);
	return rt;
}

static struct conf_rule
ru_of(const char *text)
{
	struct conf_rt_diag diag;
	struct conf_rule ru;
	const char *tok[MAX_TOK];
	char buf[512];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", text);
	split(buf, tok, &n);
	ck_assert_msg(conf_rule_parse(tok, n, NULL, &ru, &diag) == CONF_RT_OK,
	    "%s: %s", text, diag.msg);
	return ru;
}

/*
 * The lines of the command's output holding needle, joined (ip -d puts
 * a route on one line, a multipath route's paths on the next ones).
 */
static const char *
out_of(const char *cmd, const char *needle)
{
	static char all[4096];
	char line[1024];
	bool in = false;
	FILE *p;

	all[0] = '\0';
	ck_assert((p = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\t' && line[0] != ' ')
			in = strstr(line, needle) != NULL;
		if (in && strlen(all) + strlen(line) + 2 < sizeof(all)) {
			strcat(all, line);
			strcat(all, " ");
		}
	}
	ck_assert_int_eq(pclose(p), 0);
	return all;
}

static void
has(const char *text, const char *token)
{
	ck_assert_msg(strstr(text, token) != NULL, "\"%s\" not in: %s", token,
	    text);
}

static int
count(const char *text, const char *token)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, token)) != NULL; p++)
		n++;
	return n;
}

static void
route_ok(struct net_link *nl, const char *text)
{
	struct conf_route rt = rt_of(text);

	ck_assert_msg(net_link_route_add(nl, &rt) == 0, "add %s: %s", text,
	    strerror(errno));
}

static void
rule_ok(struct net_link *nl, const char *text)
{
	struct conf_rule ru = ru_of(text);

	ck_assert_msg(net_link_rule_add(nl, &ru) == 0, "add %s: %s", text,
	    strerror(errno));
}

/* ---- routes ---- */

START_TEST(ipv4_route_gets_every_option)
{
	struct net_link *nl = setup();
	const char *l;

	route_ok(nl,
	    "198.51.100.0/24 src 192.0.2.10 via 192.0.2.1 dev va table 100 "
	    "metric 5 mtu lock 1400 advmss 1300 hoplimit 33 initcwnd 10 "
	    "initrwnd 11 window 5000 reordering 4 quickack 1 features ecn");
	l = out_of("ip -d route show table 100", "198.51.100.0/24");
	has(l,
	    "unicast 198.51.100.0/24 via 192.0.2.1 dev va proto keepalived "
	    "scope global src 192.0.2.10 metric 5");
	has(l, "src 192.0.2.10");
	has(l, "mtu lock 1400");
	has(l, "advmss 1300");
	has(l, "hoplimit 33");
	has(l, "initcwnd 10");
	has(l, "initrwnd 11");
	has(l, "window 5000");
	has(l, "reordering 4");
	has(l, "quickack 1");
	has(l, "features ecn");
	route_ok(nl,
	    "203.0.113.0/24 dev va scope link tos 0x10 table 1000 "
	    "protocol 99 no_track realms 2/3");
	l = out_of("ip -d route show table 1000", "203.0.113.0/24");
	has(l, "proto openr scope link");
	has(l, "tos 0x10");
	has(l, "realms 2/3");
	route_ok(nl, "203.0.113.0/24 via 198.51.100.1 dev va onlink");
	has(out_of("ip route show", "203.0.113.0/24"),
	    "via 198.51.100.1 dev va proto keepalived onlink");
	net_link_close(nl);
}
END_TEST

START_TEST(ipv6_route_gets_pref_and_metric)
{
	struct net_link *nl = setup();
	const char *l;

	route_ok(nl,
	    "2001:db8:1::/48 via 2001:db8::1 dev va metric 7 pref "
	    "high table 100");
	l = out_of("ip -6 -d route show table 100", "2001:db8:1::/48");
	has(l,
	    "via 2001:db8::1 dev va proto keepalived scope global metric 7 "
	    "pref high");
	route_ok(nl,
	    "inet6 default from 2001:db8:2::/64 via 2001:db8::1 dev va");
	l = out_of("ip -6 route show", "default from 2001:db8:2::/64");
	has(l, "via 2001:db8::1 dev va proto keepalived");
	net_link_close(nl);
}
END_TEST

START_TEST(route_types_and_nexthops)
{
	struct net_link *nl = setup();
	const char *l;

	route_ok(nl, "blackhole 198.51.100.0/25 table 100");
	route_ok(nl, "unreachable 198.51.100.128/25 table 100");
	route_ok(nl, "prohibit 203.0.113.0/25 table 100");
	route_ok(nl, "throw 203.0.113.128/25 table 100");
	route_ok(nl, "inet6 blackhole 2001:db8:5::/48 table 100");
	route_ok(nl, "local 198.51.100.1 dev va scope host table local");
	has(out_of("ip route show table local", "198.51.100.1"),
	    "local 198.51.100.1 dev va proto keepalived scope host");
	l = out_of("ip route show table 100", "");
	has(l, "blackhole 198.51.100.0/25 proto keepalived");
	has(l, "unreachable 198.51.100.128/25 proto keepalived");
	has(l, "prohibit 203.0.113.0/25 proto keepalived");
	has(l, "throw 203.0.113.128/25 proto keepalived");
	has(out_of("ip -6 route show table 100", ""),
	    "blackhole 2001:db8:5::/48");
	route_ok(nl,
	    "198.51.100.0/24 dev va nexthop via 192.0.2.1 weight 2 "
	    "nexthop via 192.0.2.2 weight 3");
	l = out_of("ip route show", "198.51.100.0/24");
	has(l, "nexthop via 192.0.2.1 dev va weight 2");
	has(l, "nexthop via 192.0.2.2 dev va weight 3");
	net_link_close(nl);
}
END_TEST

START_TEST(route_delete_removes_only_ours)
{
	struct net_link *nl = setup();
	struct conf_route rt = rt_of("198.51.100.0/24 via 192.0.2.1 dev va");
	struct conf_route v6 = rt_of("2001:db8:1::/48 via 2001:db8::1 dev va");

	/* Someone else's route to the same place, and ours in front. */
	run("ip route add 198.51.100.0/24 via 192.0.2.2 dev va proto static");
	ck_assert_int_eq(net_link_route_add(nl, &rt), 0);
	ck_assert_int_eq(count(out_of("ip route show", "198.51.100.0/24"),
			     "198.51.100.0/24"),
	    2);
	/* The same route from us again: the kernel says it exists. */
	errno = 0;
	ck_assert_int_eq(net_link_route_add(nl, &rt), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(net_link_route_del(nl, &rt), 0);
	has(out_of("ip route show", "198.51.100.0/24"), "proto static");
	ck_assert_int_eq(count(out_of("ip route show", "198.51.100.0/24"),
			     "198.51.100.0/24"),
	    1);
	/* Not there any more: removed already, that is fine. */
	ck_assert_int_eq(net_link_route_del(nl, &rt), 0);
	has(out_of("ip route show", "198.51.100.0/24"), "via 192.0.2.2");
	/* IPv6: the kernel refuses a second route on the same path. */
	run("ip -6 route add 2001:db8:1::/48 via 2001:db8::1 dev va proto "
	    "static");
	errno = 0;
	ck_assert_int_eq(net_link_route_add(nl, &v6), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(net_link_route_del(nl, &v6), 0);
	has(out_of("ip -6 route show", "2001:db8:1::/48"), "proto static");
	net_link_close(nl);
}
END_TEST

START_TEST(route_modes_follow_ip_route)
{
	struct net_link *nl = setup();
	struct conf_route add =
	    rt_of("198.51.100.0/24 via 192.0.2.1 dev va add");
	struct conf_route app =
	    rt_of("198.51.100.0/24 via 192.0.2.3 dev va append");

	run("ip route add 198.51.100.0/24 via 192.0.2.2 dev va proto static");
	errno = 0;
	ck_assert_int_eq(net_link_route_add(nl, &add), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(net_link_route_add(nl, &app), 0);
	/* Appended: the other route stays first. */
	ck_assert_ptr_nonnull(strstr(out_of("ip route show", "198.51.100.0/24"),
	    "via 192.0.2.2 dev va proto static"));
	ck_assert(strstr(out_of("ip route show", "198.51.100.0/24"),
		      "via 192.0.2.2") <
	    strstr(out_of("ip route show", "198.51.100.0/24"),
		"via 192.0.2.3"));
	net_link_close(nl);
}
END_TEST

START_TEST(route_errors_keep_the_kernels_cause)
{
	struct net_link *nl = setup();
	struct conf_route nodev = rt_of("198.51.100.0/24 dev nosuch0");
	struct conf_route far = rt_of("198.51.100.0/24 via 203.0.113.1 dev va");
	struct conf_route down =
	    rt_of("198.51.100.0/24 via 192.0.2.1 dev va onlink");

	errno = 0;
	ck_assert_int_eq(net_link_route_add(nl, &nodev), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_int_eq(net_link_route_del(nl, &nodev), 0);
	errno = 0;
	ck_assert_int_eq(net_link_route_add(nl, &far), -1);
	ck_assert_int_eq(errno, ENETUNREACH);
	run("ip link set va down");
	errno = 0;
	ck_assert_int_eq(net_link_route_add(nl, &down), -1);
	ck_assert_int_eq(errno, ENETDOWN);
	net_link_close(nl);
}
END_TEST

/* ---- rules ---- */

START_TEST(ipv4_rule_gets_every_selector)
{
	struct net_link *nl = setup();
	struct conf_rule ru = ru_of(
	    "not from 192.0.2.0/24 to 198.51.100.0/24 preference 100 tos 0x10 "
	    "fwmark 0x10/0xff iif va oif vb uidrange 1000-2000 ipproto tcp "
	    "sport 80 dport 1000-2000 table 100 suppress_prefixlength 0 "
	    "suppress_ifgroup 5");
	const char *l;

	ck_assert_msg(net_link_rule_add(nl, &ru) == 0, "%s", strerror(errno));
	l = out_of("ip rule show", "100:");
	has(l,
	    "100:\tnot from 192.0.2.0/24 to 198.51.100.0/24 tos 0x10 "
	    "fwmark 0x10/0xff iif va oif vb uidrange 1000-2000 ipproto tcp "
	    "sport 80 dport 1000-2000 lookup 100");
	has(l, "suppress_prefixlength 0");
	has(l, "suppress_ifgroup 5");
	has(l, "proto keepalived");
	errno = 0;
	ck_assert_int_eq(net_link_rule_add(nl, &ru), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(net_link_rule_del(nl, &ru), 0);
	ck_assert_str_eq(out_of("ip rule show", "100:"), "");
	ck_assert_int_eq(net_link_rule_del(nl, &ru), 0);
	net_link_close(nl);
}
END_TEST

START_TEST(rule_actions_and_ipv6)
{
	struct net_link *nl = setup();
	const char *l;

	rule_ok(nl, "from 192.0.2.0/24 preference 10 goto 20");
	rule_ok(nl, "from 192.0.2.0/24 preference 11 nop");
	rule_ok(nl, "from 192.0.2.0/24 preference 12 blackhole");
	rule_ok(nl, "from 192.0.2.0/24 preference 13 unreachable");
	rule_ok(nl, "from 192.0.2.0/24 preference 14 prohibit");
	rule_ok(nl, "from 192.0.2.0/24 preference 15 table 5 realms 1/2");
	rule_ok(nl, "fwmark 7 preference 16 table 4000000");
	l = out_of("ip rule show", "");
	has(l, "10:\tfrom 192.0.2.0/24 goto 20 [unresolved] proto keepalived");
	has(l, "11:\tfrom 192.0.2.0/24 nop proto keepalived");
	has(l, "12:\tfrom 192.0.2.0/24 blackhole");
	has(l, "13:\tfrom 192.0.2.0/24 unreachable");
	has(l, "14:\tfrom 192.0.2.0/24 prohibit");
	has(l, "15:\tfrom 192.0.2.0/24 lookup 5 realms 1/2");
	has(l, "16:\tfrom all fwmark 0x7 lookup 4000000");
	rule_ok(nl, "from 2001:db8::/32 preference 20 table 6 tunnel-id 9");
	rule_ok(nl, "inet6 iif va preference 21 table 7");
	l = out_of("ip -6 rule show", "");
	has(l, "20:\tfrom 2001:db8::/32 tun_id 9 lookup 6 proto keepalived");
	has(l, "21:\tfrom all iif va lookup 7 proto keepalived");
	net_link_close(nl);
}
END_TEST

START_TEST(rule_delete_removes_only_ours)
{
	struct net_link *nl = setup();
	struct conf_rule ru = ru_of("from 192.0.2.0/24 preference 50 table 5");

	run("ip rule add from 192.0.2.0/24 preference 50 table 5 proto static");
	ck_assert_int_eq(net_link_rule_add(nl, &ru), 0);
	ck_assert_int_eq(count(out_of("ip rule show", "50:"), "50:"), 2);
	ck_assert_int_eq(net_link_rule_del(nl, &ru), 0);
	has(out_of("ip rule show", "50:"), "proto static");
	ck_assert_int_eq(count(out_of("ip rule show", "50:"), "50:"), 1);
	net_link_close(nl);
}
END_TEST

/* ---- the monitor ---- */

static const struct event *
wait_del(struct net_link *nl, enum net_link_event kind, size_t from)
{
	struct pollfd pfd = { .fd = net_link_monitor_fd(nl), .events = POLLIN };
	uint64_t deadline = now_ms() + EVENT_MS, t;

	for (;;) {
		for (size_t i = from; i < rec.n; i++)
			if (rec.e[i].kind == kind)
				return &rec.e[i];
		if ((t = now_ms()) >= deadline)
			return NULL;
		if (poll(&pfd, 1, (int)(deadline - t)) > 0)
			net_link_monitor_read(nl);
	}
}

START_TEST(monitor_reports_route_and_rule_deletions_when_asked)
{
	struct net_link *nl = setup();
	struct conf_route rt = rt_of("198.51.100.0/24 via 192.0.2.1 dev va "
				     "table 100 metric 5");
	struct conf_route v6 = rt_of("2001:db8:1::/48 via 2001:db8::1 dev va");
	struct conf_rule ru = ru_of("from 192.0.2.0/24 preference 50 table 5");
	const struct event *e;
	size_t mark;

	ck_assert_int_eq(net_link_route_add(nl, &rt), 0);
	run("ip route del 198.51.100.0/24 table 100");
	(void)poll(NULL, 0, 100);
	net_link_monitor_read(nl);
	ck_assert_uint_eq(rec.n, 0); /* not asked for */
	ck_assert_int_eq(net_link_monitor_routes(nl, true, true), 0);
	ck_assert_int_eq(net_link_route_add(nl, &rt), 0);
	ck_assert_int_eq(net_link_route_add(nl, &v6), 0);
	ck_assert_int_eq(net_link_rule_add(nl, &ru), 0);
	mark = rec.n;
	run("ip route del 198.51.100.0/24 table 100");
	ck_assert_ptr_nonnull(e = wait_del(nl, NET_LINK_EV_ROUTE_DEL, mark));
	ck_assert(net_link_route_is(&e->key, &rt, if_nametoindex("va")));
	ck_assert(!net_link_route_is(&e->key, &v6, 0));
	ck_assert_uint_ne(e->portid, net_link_portid(nl));
	mark = rec.n;
	run("ip -6 route del 2001:db8:1::/48");
	ck_assert_ptr_nonnull(e = wait_del(nl, NET_LINK_EV_ROUTE_DEL, mark));
	ck_assert(net_link_route_is(&e->key, &v6, if_nametoindex("va")));
	ck_assert(!net_link_route_is(&e->key, &rt, 0));
	mark = rec.n;
	ck_assert_int_eq(net_link_rule_del(nl, &ru), 0);
	ck_assert_ptr_nonnull(e = wait_del(nl, NET_LINK_EV_RULE_DEL, mark));
	ck_assert(net_link_rule_is(&e->key, &ru));
	/* Our own removal says so. */
	ck_assert_uint_eq(e->portid, net_link_portid(nl));
	ck_assert_int_eq(net_link_monitor_routes(nl, false, false), 0);
	net_link_close(nl);
}
END_TEST

static Suite *
net_route_suite(void)
{
	Suite *s = suite_create("net_route");
	TCase *tc;

	tc = tcase_create("routes");
	tcase_add_test(tc, ipv4_route_gets_every_option);
	tcase_add_test(tc, ipv6_route_gets_pref_and_metric);
	tcase_add_test(tc, route_types_and_nexthops);
	tcase_add_test(tc, route_delete_removes_only_ours);
	tcase_add_test(tc, route_modes_follow_ip_route);
	tcase_add_test(tc, route_errors_keep_the_kernels_cause);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_test(tc, ipv4_rule_gets_every_selector);
	tcase_add_test(tc, rule_actions_and_ipv6);
	tcase_add_test(tc, rule_delete_removes_only_ours);
	suite_add_tcase(s, tc);

	tc = tcase_create("monitor");
	tcase_add_test(tc, monitor_reports_route_and_rule_deletions_when_asked);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(net_route_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
