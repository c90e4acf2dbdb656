/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Addresses, link state and the monitor through rtnetlink, each test in a
 * fresh network namespace of its own (needs root). Results are read back
 * with ip(8), so the test does not trust the module to check itself.
 */

#include <sys/wait.h>
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

#define NEEDS_ROOT  "needs root (CAP_SYS_ADMIN) for a private network namespace"
#define EVENT_MS    2000 /* the monitor reports within this */
#define SETTLE_MS   5000 /* carrier and IPv6 DAD settle within this */
#define MAX_EVENTS  4096
#define SLOW_TEST_S 20

struct event {
	enum net_link_event ev;
	unsigned int ifindex;
	char ifname[16];
	bool up;
	struct addr addr;
	uint8_t prefix;
	uint32_t portid;
};

struct recorder {
	size_t n;
	size_t dropped;
	struct event e[MAX_EVENTS];
};

static struct recorder rec;

static void
record(void *arg, const struct net_link_ev *ev)
{
	struct recorder *r = arg;
	struct event *e;

	if (r->n == MAX_EVENTS) {
		r->dropped++;
		return;
	}
	e = &r->e[r->n++];
	memset(e, 0, sizeof(*e));
	e->ev = ev->kind;
	e->ifindex = ev->ifindex;
	if (ev->ifname != NULL)
		snprintf(e->ifname, sizeof(e->ifname), "%s", ev->ifname);
	e->up = ev->up;
	if (ev->addr != NULL)
		e->addr = *ev->addr;
	e->prefix = ev->prefix;
	e->portid = ev->portid;
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

/* A private network namespace holding only lo, which is brought up. */
static void
netns_enter(void)
{
	if (geteuid() != 0)
		ck_abort_msg(NEEDS_ROOT);
	if (unshare(CLONE_NEWNET) != 0) {
		if (errno == EPERM)
			ck_abort_msg(NEEDS_ROOT);
		ck_abort_msg("unshare(CLONE_NEWNET): %s", strerror(errno));
	}
	run("ip link set lo up");
	memset(&rec, 0, sizeof(rec));
}

static struct net_link *
open_nl(void)
{
	struct net_link *nl = net_link_open(record, &rec);

	ck_assert_msg(nl != NULL, "net_link_open: %s", strerror(errno));
	return nl;
}

/* The veth pair va/vb, both ends down. */
static unsigned int
veth(void)
{
	unsigned int ifindex;

	run("ip link add va type veth peer name vb");
	ifindex = if_nametoindex("va");
	ck_assert_uint_ne(ifindex, 0);
	return ifindex;
}

/* A fresh namespace with va/vb, and the module open on it. */
static struct net_link *
netns_veth(unsigned int *ifindex)
{
	netns_enter();
	*ifindex = veth();
	return open_nl();
}

static struct addr
ip(const char *text)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	ck_assert_msg(addr_parse(text, &a) == 0, "bad address %s", text);
	return a;
}

static struct conf_vip
vip(const char *text, uint8_t prefix)
{
	struct conf_vip v;

	memset(&v, 0, sizeof(v));
	v.addr = ip(text);
	v.prefix = prefix;
	v.preferred_lft = -1;
	return v;
}

/*
 * The line of `ip -o addr show dev DEV` holding needle (for instance
 * "inet 192.0.2.10/24 "), copied into buf. False when there is none.
 */
static bool
addr_line(const char *dev, const char *needle, char *buf, size_t size)
{
	char cmd[128], line[512];
	bool found = false;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ip -o addr show dev %s", dev);
	p = popen(cmd, "r");
	ck_assert_msg(p != NULL, "popen %s: %s", cmd, strerror(errno));
	/* Read to the end, so ip(8) never dies of SIGPIPE. */
	while (fgets(line, sizeof(line), p) != NULL) {
		if (!found && strstr(line, needle) != NULL) {
			snprintf(buf, size, "%s", line);
			found = true;
		}
	}
	ck_assert_int_eq(pclose(p), 0);
	if (!found && size > 0)
		buf[0] = '\0';
	return found;
}

/* The line of address needle on va, which must be there. */
static const char *
line_of(const char *needle)
{
	static char line[512];

	ck_assert_msg(addr_line("va", needle, line, sizeof(line)),
	    "no \"%s\" on va", needle);
	return line;
}

static bool
on_va(const char *needle)
{
	char line[512];

	return addr_line("va", needle, line, sizeof(line));
}

static void
assert_has(const char *line, const char *token)
{
	ck_assert_msg(strstr(line, token) != NULL, "\"%s\" not in: %s", token,
	    line);
}

static void
assert_lacks(const char *line, const char *token)
{
	ck_assert_msg(strstr(line, token) == NULL, "\"%s\" in: %s", token,
	    line);
}

static void
add_ok(struct net_link *nl, unsigned int ifindex, const struct conf_vip *v)
{
	ck_assert_msg(net_link_addr_add(nl, ifindex, v) == 0,
	    "net_link_addr_add: %s", strerror(errno));
}

static void
del_ok(struct net_link *nl, unsigned int ifindex, const struct conf_vip *v)
{
	ck_assert_msg(net_link_addr_del(nl, ifindex, v) == 0,
	    "net_link_addr_del: %s", strerror(errno));
}

/* Poll net_link_info until pred holds or SETTLE_MS pass. */
static bool
info_until(struct net_link *nl, const char *ifname,
    bool (*pred)(const struct net_link_info *), struct net_link_info *info)
{
	uint64_t deadline = now_ms() + SETTLE_MS;

	for (;;) {
		ck_assert_int_eq(net_link_info(nl, ifname, info), 0);
		if (pred(info))
			return true;
		if (now_ms() >= deadline)
			return false;
		(void)poll(NULL, 0, 20);
	}
}

static bool
is_up(const struct net_link_info *info)
{
	return info->up;
}

static bool
has_ll6(const struct net_link_info *info)
{
	return info->linklocal6.af == AF_INET6;
}

static bool
seen(enum net_link_event ev, unsigned int ifindex, const struct addr *a,
    size_t from)
{
	for (size_t i = from; i < rec.n; i++)
		if (rec.e[i].ev == ev && rec.e[i].ifindex == ifindex &&
		    (a == NULL || (addr_cmp(&rec.e[i].addr, a) == 0)))
			return true;
	return false;
}

/* The last link event for ifindex recorded from from on, or NULL. */
static const struct event *
last_link(unsigned int ifindex, size_t from)
{
	const struct event *e = NULL;

	for (size_t i = from; i < rec.n; i++)
		if (rec.e[i].ev == NET_LINK_EV_LINK &&
		    rec.e[i].ifindex == ifindex)
			e = &rec.e[i];
	return e;
}

/* Wait on the monitor fd until the event is recorded (EVENT_MS at most). */
static bool
wait_event(struct net_link *nl, enum net_link_event ev, unsigned int ifindex,
    const struct addr *a, size_t from)
{
	struct pollfd pfd = { .fd = net_link_monitor_fd(nl), .events = POLLIN };
	uint64_t deadline = now_ms() + EVENT_MS, t;

	while (!seen(ev, ifindex, a, from)) {
		if ((t = now_ms()) >= deadline)
			return false;
		if (poll(&pfd, 1, (int)(deadline - t)) > 0)
			net_link_monitor_read(nl);
	}
	return true;
}

/*
 * Adding and removing addresses
 */

START_TEST(ipv4_vip_gets_prefix_brd_plus_label_and_scope)
{
	struct net_link *nl;
	struct conf_vip v = vip("192.0.2.10", 24);
	unsigned int ifindex;
	const char *line;

	nl = netns_veth(&ifindex);
	v.brd = CONF_BRD_PLUS;
	strcpy(v.label, "va:vip");
	v.scope = RT_SCOPE_LINK;
	add_ok(nl, ifindex, &v);
	line = line_of("inet 192.0.2.10/24 ");
	assert_has(line, " brd 192.0.2.255 ");
	assert_has(line, " scope link ");
	assert_has(line, " va:vip");
	assert_has(line, "valid_lft forever preferred_lft forever");
	assert_lacks(line, "deprecated");
	ck_assert(net_link_addr_present(nl, ifindex, &v.addr));
	net_link_close(nl);
}
END_TEST

/* brd +, brd -, brd ADDR, none; iproute2 sets no broadcast on /31, /32. */
static const struct {
	const char *addr;
	uint8_t prefix;
	enum conf_brd brd;
	const char *brd_addr;
	const char *line;
	const char *want; /* NULL: no broadcast at all */
} brd_cases[] = {
	{ "192.0.2.10", 24, CONF_BRD_PLUS, NULL, "inet 192.0.2.10/24 ",
	    " brd 192.0.2.255 " },
	{ "198.51.100.77", 25, CONF_BRD_MINUS, NULL, "inet 198.51.100.77/25 ",
	    " brd 198.51.100.0 " },
	{ "203.0.113.5", 24, CONF_BRD_ADDR, "203.0.113.254",
	    "inet 203.0.113.5/24 ", " brd 203.0.113.254 " },
	{ "192.0.2.20", 24, CONF_BRD_NONE, NULL, "inet 192.0.2.20/24 ", NULL },
	{ "192.0.2.21", 32, CONF_BRD_PLUS, NULL, "inet 192.0.2.21/32 ", NULL },
	{ "192.0.2.22", 31, CONF_BRD_MINUS, NULL, "inet 192.0.2.22/31 ", NULL },
};

START_TEST(ipv4_vip_broadcast_follows_brd_plus_minus_addr_or_none)
{
	struct net_link *nl;
	struct conf_vip v = vip(brd_cases[_i].addr, brd_cases[_i].prefix);
	unsigned int ifindex;
	const char *line;

	nl = netns_veth(&ifindex);
	v.brd = brd_cases[_i].brd;
	if (brd_cases[_i].brd_addr != NULL)
		v.brd_addr = ip(brd_cases[_i].brd_addr);
	add_ok(nl, ifindex, &v);
	line = line_of(brd_cases[_i].line);
	if (brd_cases[_i].want != NULL)
		assert_has(line, brd_cases[_i].want);
	else
		assert_lacks(line, " brd ");
	assert_has(line, " scope global ");
	net_link_close(nl);
}
END_TEST

START_TEST(deleted_vip_is_gone)
{
	struct net_link *nl;
	struct conf_vip v = vip("192.0.2.30", 24);
	unsigned int ifindex;

	nl = netns_veth(&ifindex);
	v.brd = CONF_BRD_PLUS;
	strcpy(v.label, "va:x");
	add_ok(nl, ifindex, &v);
	ck_assert(net_link_addr_present(nl, ifindex, &v.addr));
	del_ok(nl, ifindex, &v);
	ck_assert(!on_va("inet 192.0.2.30/"));
	ck_assert(!net_link_addr_present(nl, ifindex, &v.addr));
	net_link_close(nl);
}
END_TEST

START_TEST(add_twice_and_delete_twice_both_succeed)
{
	struct net_link *nl;
	struct conf_vip v4 = vip("198.51.100.1", 24);
	struct conf_vip v6 = vip("2001:db8::1", 64);
	unsigned int ifindex;

	nl = netns_veth(&ifindex);
	v6.nodad = true;
	for (int i = 0; i < 2; i++) {
		add_ok(nl, ifindex, &v4);
		add_ok(nl, ifindex, &v6);
	}
	ck_assert(on_va("inet 198.51.100.1/24 "));
	ck_assert(on_va("inet6 2001:db8::1/64 "));
	for (int i = 0; i < 2; i++) {
		del_ok(nl, ifindex, &v4);
		del_ok(nl, ifindex, &v6);
	}
	ck_assert(!on_va("198.51.100.1/"));
	ck_assert(!on_va("2001:db8::1/"));
	net_link_close(nl);
}
END_TEST

START_TEST(ipv6_vips_skip_dad_with_or_without_nodad)
{
	struct net_link *nl;
	struct conf_vip written = vip("2001:db8::10", 64);
	struct conf_vip plain = vip("2001:db8::11", 64);
	unsigned int ifindex;
	const char *line;

	nl = netns_veth(&ifindex);
	run("ip link set va up && ip link set vb up");
	written.nodad = true;
	add_ok(nl, ifindex, &written);
	add_ok(nl, ifindex, &plain);
	line = line_of("inet6 2001:db8::10/64 ");
	assert_has(line, " nodad");
	assert_lacks(line, "tentative");
	assert_has(line, "valid_lft forever preferred_lft forever");
	/* As keepalived: a moved VIP must be usable at once. */
	line = line_of("inet6 2001:db8::11/64 ");
	assert_has(line, " nodad");
	assert_lacks(line, "tentative");
	/* The contrast: an address added without nodad runs DAD. */
	run("ip addr add 2001:db8::12/64 dev va");
	assert_has(line_of("inet6 2001:db8::12/64 "), "tentative");
	net_link_close(nl);
}
END_TEST

START_TEST(preferred_lft_zero_makes_vip_deprecated)
{
	struct net_link *nl;
	struct conf_vip v6 = vip("2001:db8::20", 64);
	struct conf_vip v4 = vip("203.0.113.20", 24);
	unsigned int ifindex;
	const char *line;

	nl = netns_veth(&ifindex);
	v6.nodad = true;
	v6.preferred_lft = 0;
	v4.preferred_lft = 0;
	add_ok(nl, ifindex, &v6);
	add_ok(nl, ifindex, &v4);
	line = line_of("inet6 2001:db8::20/64 ");
	assert_has(line, "deprecated");
	assert_has(line, "valid_lft forever preferred_lft 0sec");
	/* IPv4 reports a permanent address's lifetimes both as forever. */
	line = line_of("inet 203.0.113.20/24 ");
	assert_has(line, "deprecated");
	net_link_close(nl);
}
END_TEST

START_TEST(preferred_lft_in_seconds_keeps_valid_lft_forever)
{
	struct net_link *nl;
	struct conf_vip v = vip("2001:db8::21", 64);
	unsigned int ifindex;
	const char *line;

	nl = netns_veth(&ifindex);
	v.nodad = true;
	v.preferred_lft = 3600;
	add_ok(nl, ifindex, &v);
	line = line_of("inet6 2001:db8::21/64 ");
	assert_has(line, "valid_lft forever preferred_lft 3");
	assert_lacks(line, "preferred_lft forever");
	assert_lacks(line, "deprecated");
	net_link_close(nl);
}
END_TEST

START_TEST(addr_present_is_per_interface_and_address)
{
	struct net_link *nl;
	struct conf_vip v = vip("192.0.2.40", 24);
	struct addr other = ip("192.0.2.41");
	unsigned int va, vb;

	netns_enter();
	nl = open_nl();
	va = veth();
	vb = if_nametoindex("vb");
	add_ok(nl, va, &v);
	ck_assert(net_link_addr_present(nl, va, &v.addr));
	ck_assert(!net_link_addr_present(nl, vb, &v.addr));
	ck_assert(!net_link_addr_present(nl, va, &other));
	net_link_close(nl);
}
END_TEST

START_TEST(add_on_missing_interface_is_enodev_and_delete_succeeds)
{
	struct net_link *nl;
	struct conf_vip v = vip("192.0.2.50", 24);

	netns_enter();
	nl = open_nl();
	errno = 0;
	ck_assert_int_eq(net_link_addr_add(nl, 9999, &v), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_int_eq(net_link_addr_del(nl, 9999, &v), 0);
	net_link_close(nl);
}
END_TEST

START_TEST(vip_without_family_or_with_long_prefix_is_einval)
{
	struct net_link *nl;
	struct conf_vip v = vip("192.0.2.60", 33);
	struct conf_vip none;

	netns_enter();
	nl = open_nl();
	memset(&none, 0, sizeof(none));
	errno = 0;
	ck_assert_int_eq(net_link_addr_add(nl, 1, &v), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(net_link_addr_add(nl, 1, &none), -1);
	ck_assert_int_eq(errno, EINVAL);
	net_link_close(nl);
}
END_TEST

/*
 * Interface state
 */

START_TEST(info_on_lo_is_up_without_mac_with_loopback_v4)
{
	struct net_link *nl;
	struct net_link_info info;
	struct addr lo4 = ip("127.0.0.1");

	netns_enter();
	nl = open_nl();
	ck_assert_int_eq(net_link_info(nl, "lo", &info), 0);
	ck_assert_uint_eq(info.ifindex, if_nametoindex("lo"));
	ck_assert(info.up);
	ck_assert(!info.has_mac);
	ck_assert_int_eq(addr_cmp(&info.primary4, &lo4), 0);
	ck_assert_int_eq(info.linklocal6.af, AF_UNSPEC);
	net_link_close(nl);
}
END_TEST

START_TEST(info_on_veth_is_down_until_both_ends_are_up)
{
	struct net_link *nl;
	struct net_link_info info;
	unsigned int ifindex;

	nl = netns_veth(&ifindex);
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert_uint_eq(info.ifindex, ifindex);
	ck_assert(!info.up);
	run("ip link set va up");
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert_msg(!info.up, "up without carrier (peer vb is down)");
	run("ip link set vb up");
	ck_assert_msg(info_until(nl, "va", is_up, &info),
	    "va not up within %d ms of both ends up", SETTLE_MS);
	run("ip link set vb down");
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert_msg(!info.up, "up after peer vb went down");
	net_link_close(nl);
}
END_TEST

START_TEST(info_on_veth_has_its_ethernet_mac)
{
	struct net_link *nl;
	struct net_link_info info;
	char cmd[] = "ip -o link show va", line[512], want[32], *p;
	FILE *f;

	netns_enter();
	nl = open_nl();
	(void)veth();
	ck_assert((f = popen(cmd, "r")) != NULL);
	ck_assert(fgets(line, sizeof(line), f) != NULL);
	pclose(f);
	ck_assert((p = strstr(line, "link/ether ")) != NULL);
	ck_assert_int_eq(sscanf(p, "link/ether %31s", want), 1);
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert(info.has_mac);
	snprintf(line, sizeof(line), "%02x:%02x:%02x:%02x:%02x:%02x",
	    info.mac[0], info.mac[1], info.mac[2], info.mac[3], info.mac[4],
	    info.mac[5]);
	ck_assert_str_eq(line, want);
	net_link_close(nl);
}
END_TEST

START_TEST(info_primary4_is_first_primary_not_secondary_or_vip)
{
	struct net_link *nl;
	struct net_link_info info;
	struct conf_vip v = vip("198.51.100.100", 32);
	struct addr want = ip("198.51.100.1");

	netns_enter();
	nl = open_nl();
	ck_assert_uint_ne(veth(), 0);
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert_int_eq(info.primary4.af, AF_UNSPEC);
	run("ip addr add 198.51.100.1/24 dev va");
	run("ip addr add 198.51.100.2/24 dev va");
	add_ok(nl, if_nametoindex("va"), &v);
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert_int_eq(addr_cmp(&info.primary4, &want), 0);
	net_link_close(nl);
}
END_TEST

START_TEST(info_linklocal6_appears_once_dad_is_done)
{
	struct net_link *nl;
	struct net_link_info info;
	char want[ADDR_STRLEN], got[ADDR_STRLEN];
	const char *line;

	netns_enter();
	nl = open_nl();
	(void)veth();
	run("ip link set va up && ip link set vb up");
	ck_assert_msg(info_until(nl, "va", has_ll6, &info),
	    "no usable link-local address within %d ms", SETTLE_MS);
	ck_assert(addr_is_v6_linklocal(&info.linklocal6));
	addr_fmt(&info.linklocal6, got, sizeof(got));
	line = line_of("inet6 fe80:");
	assert_lacks(line, "tentative");
	ck_assert_int_eq(sscanf(strstr(line, "inet6 "), "inet6 %45[^/]", want),
	    1);
	ck_assert_str_eq(got, want);
	net_link_close(nl);
}
END_TEST

START_TEST(info_linklocal6_skips_tentative_and_prefers_non_deprecated)
{
	struct net_link *nl;
	struct net_link_info info;
	struct conf_vip old = vip("fe80::2", 64), good = vip("fe80::3", 64);
	unsigned int ifindex;

	nl = netns_veth(&ifindex);
	run("ip link set va addrgenmode none");
	run("ip link set va up && ip link set vb up");
	/* tentative for about a second (VIPs skip DAD: ip(8) adds it) */
	run("ip addr add fe80::4/64 dev va");
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert_int_eq(info.linklocal6.af, AF_UNSPEC);
	old.nodad = good.nodad = true;
	old.preferred_lft = 0;
	/* Whichever order the kernel lists them in, the preferred one wins. */
	add_ok(nl, ifindex, &good);
	add_ok(nl, ifindex, &old);
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert_int_eq(addr_cmp(&info.linklocal6, &good.addr), 0);
	del_ok(nl, ifindex, &good);
	add_ok(nl, ifindex, &good);
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert_int_eq(addr_cmp(&info.linklocal6, &good.addr), 0);
	/* A deprecated one is still better than none. */
	del_ok(nl, ifindex, &good);
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert_int_eq(addr_cmp(&info.linklocal6, &old.addr), 0);
	net_link_close(nl);
}
END_TEST

START_TEST(info_on_missing_interface_is_enodev)
{
	struct net_link *nl;
	struct net_link_info info;

	netns_enter();
	nl = open_nl();
	errno = 0;
	ck_assert_int_eq(net_link_info(nl, "nosuch0", &info), -1);
	ck_assert_int_eq(errno, ENODEV);
	errno = 0;
	ck_assert_int_eq(net_link_info(nl, "a-name-far-too-long", &info), -1);
	ck_assert_int_eq(errno, ENODEV);
	net_link_close(nl);
}
END_TEST

/*
 * Monitor
 */

START_TEST(monitor_reports_link_down_and_up)
{
	struct net_link *nl;
	struct net_link_info info;
	unsigned int ifindex;
	size_t mark;

	nl = netns_veth(&ifindex);
	run("ip link set va up && ip link set vb up");
	ck_assert(info_until(nl, "va", is_up, &info));
	mark = rec.n;
	run("ip link set va down");
	ck_assert_msg(wait_event(nl, NET_LINK_EV_LINK, ifindex, NULL, mark),
	    "no link event for va down within %d ms", EVENT_MS);
	ck_assert_int_eq(net_link_info(nl, "va", &info), 0);
	ck_assert(!info.up);
	/* The event itself says which interface and that it is down. */
	ck_assert_str_eq(last_link(ifindex, mark)->ifname, "va");
	ck_assert(!last_link(ifindex, mark)->up);
	mark = rec.n;
	run("ip link set va up");
	ck_assert_msg(wait_event(nl, NET_LINK_EV_LINK, ifindex, NULL, mark),
	    "no link event for va up within %d ms", EVENT_MS);
	/* Carrier may come a moment after IFF_UP: the last event says up. */
	ck_assert(info_until(nl, "va", is_up, &info));
	while (!last_link(ifindex, mark)->up &&
	    wait_event(nl, NET_LINK_EV_LINK, ifindex, NULL, rec.n))
		;
	ck_assert_msg(last_link(ifindex, mark)->up,
	    "the last link event for va does not say up");
	net_link_close(nl);
}
END_TEST

START_TEST(monitor_reports_address_add_and_del_with_prefix)
{
	struct net_link *nl;
	struct conf_vip v4 = vip("198.51.100.7", 24);
	struct conf_vip v6 = vip("2001:db8::7", 64);
	unsigned int ifindex;
	size_t i;

	nl = netns_veth(&ifindex);
	v6.nodad = true;
	add_ok(nl, ifindex, &v4);
	add_ok(nl, ifindex, &v6);
	ck_assert(wait_event(nl, NET_LINK_EV_ADDR_ADD, ifindex, &v4.addr, 0));
	ck_assert(wait_event(nl, NET_LINK_EV_ADDR_ADD, ifindex, &v6.addr, 0));
	for (i = 0; i < rec.n; i++)
		if (addr_cmp(&rec.e[i].addr, &v4.addr) == 0)
			ck_assert_uint_eq(rec.e[i].prefix, 24);
		else if (addr_cmp(&rec.e[i].addr, &v6.addr) == 0)
			ck_assert_uint_eq(rec.e[i].prefix, 64);
	del_ok(nl, ifindex, &v4);
	run("ip addr del 2001:db8::7/64 dev va");
	ck_assert(wait_event(nl, NET_LINK_EV_ADDR_DEL, ifindex, &v4.addr, 0));
	ck_assert(wait_event(nl, NET_LINK_EV_ADDR_DEL, ifindex, &v6.addr, 0));
	net_link_close(nl);
}
END_TEST

/* The port of the first recorded event that removed a. */
static uint32_t
del_portid(const struct addr *a)
{
	for (size_t i = 0; i < rec.n; i++)
		if (rec.e[i].ev == NET_LINK_EV_ADDR_DEL &&
		    addr_cmp(&rec.e[i].addr, a) == 0)
			return rec.e[i].portid;
	ck_abort_msg("no removal event recorded");
	return 0;
}

START_TEST(monitor_names_the_port_that_removed_an_address)
{
	struct net_link *nl;
	struct conf_vip ours = vip("198.51.100.8", 24);
	struct conf_vip theirs = vip("203.0.113.9", 24);
	unsigned int ifindex;
	uint32_t port;

	nl = netns_veth(&ifindex);
	add_ok(nl, ifindex, &ours);
	add_ok(nl, ifindex, &theirs);
	del_ok(nl, ifindex, &ours);
	run("ip addr del 203.0.113.9/24 dev va");
	ck_assert(wait_event(nl, NET_LINK_EV_ADDR_DEL, ifindex, &ours.addr, 0));
	ck_assert(
	    wait_event(nl, NET_LINK_EV_ADDR_DEL, ifindex, &theirs.addr, 0));
	ck_assert_uint_eq(del_portid(&ours.addr), net_link_portid(nl));
	/* ip(8) ran in a child of ours: neither us nor the kernel */
	port = del_portid(&theirs.addr);
	ck_assert_uint_ne(port, net_link_portid(nl));
	ck_assert_uint_ne(port, 0);
	net_link_close(nl);
}
END_TEST

START_TEST(monitor_read_drains_all_pending_events_without_blocking)
{
	struct net_link *nl;
	struct pollfd pfd;
	unsigned int ifindex;
	char text[ADDR_STRLEN];
	struct addr a;

	nl = netns_veth(&ifindex);
	for (int i = 1; i <= 3; i++)
		run("ip addr add 203.0.113.%d/24 dev va", i);
	pfd =
	    (struct pollfd) { .fd = net_link_monitor_fd(nl), .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, EVENT_MS), 1);
	net_link_monitor_read(nl);
	for (int i = 1; i <= 3; i++) {
		snprintf(text, sizeof(text), "203.0.113.%d", i);
		a = ip(text);
		ck_assert_msg(seen(NET_LINK_EV_ADDR_ADD, ifindex, &a, 0),
		    "%s not reported by one read", text);
	}
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	net_link_monitor_read(nl); /* nothing pending: returns at once */
	net_link_close(nl);
}
END_TEST

START_TEST(monitor_overrun_is_reported_as_link_event_for_ifindex_0)
{
	struct net_link *nl;
	FILE *p;

	netns_enter();
	nl = open_nl();
	(void)veth();
	/* More notifications than the receive buffer holds. */
	ck_assert((p = popen("ip -batch -", "w")) != NULL);
	for (int i = 1; i <= 4000; i++)
		fprintf(p, "addr add 2001:db8:1::%x/128 dev va nodad\n", i);
	ck_assert_int_eq(pclose(p), 0);
	ck_assert(wait_event(nl, NET_LINK_EV_LINK, 0, NULL, 0));
	net_link_close(nl);
}
END_TEST

static Suite *
net_netlink_suite(void)
{
	Suite *s = suite_create("net_netlink");
	TCase *tc;

	tc = tcase_create("addresses");
	tcase_add_test(tc, ipv4_vip_gets_prefix_brd_plus_label_and_scope);
	tcase_add_loop_test(tc,
	    ipv4_vip_broadcast_follows_brd_plus_minus_addr_or_none, 0,
	    (int)(sizeof(brd_cases) / sizeof(brd_cases[0])));
	tcase_add_test(tc, deleted_vip_is_gone);
	tcase_add_test(tc, add_twice_and_delete_twice_both_succeed);
	tcase_add_test(tc, ipv6_vips_skip_dad_with_or_without_nodad);
	tcase_add_test(tc, preferred_lft_zero_makes_vip_deprecated);
	tcase_add_test(tc, preferred_lft_in_seconds_keeps_valid_lft_forever);
	tcase_add_test(tc, addr_present_is_per_interface_and_address);
	tcase_add_test(tc,
	    add_on_missing_interface_is_enodev_and_delete_succeeds);
	tcase_add_test(tc, vip_without_family_or_with_long_prefix_is_einval);
	suite_add_tcase(s, tc);

	tc = tcase_create("link info");
	tcase_set_timeout(tc, SLOW_TEST_S);
	tcase_add_test(tc, info_on_lo_is_up_without_mac_with_loopback_v4);
	tcase_add_test(tc, info_on_veth_is_down_until_both_ends_are_up);
	tcase_add_test(tc, info_on_veth_has_its_ethernet_mac);
	tcase_add_test(tc, info_primary4_is_first_primary_not_secondary_or_vip);
	tcase_add_test(tc, info_linklocal6_appears_once_dad_is_done);
	tcase_add_test(tc,
	    info_linklocal6_skips_tentative_and_prefers_non_deprecated);
	tcase_add_test(tc, info_on_missing_interface_is_enodev);
	suite_add_tcase(s, tc);

	tc = tcase_create("monitor");
	tcase_set_timeout(tc, SLOW_TEST_S);
	tcase_add_test(tc, monitor_reports_link_down_and_up);
	tcase_add_test(tc, monitor_reports_address_add_and_del_with_prefix);
	tcase_add_test(tc, monitor_names_the_port_that_removed_an_address);
	tcase_add_test(tc,
	    monitor_read_drains_all_pending_events_without_blocking);
	tcase_add_test(tc,
	    monitor_overrun_is_reported_as_link_event_for_ifindex_0);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(net_netlink_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
