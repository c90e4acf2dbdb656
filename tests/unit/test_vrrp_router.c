/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The vrrp glue (router, sockets, reload, instance, tracks, announcements,
 * view) on a real libev loop, against the stubs of net/ and notify/
 * (stubs.h): no root, no socket, no netlink. Configurations come from
 * YAML strings; the stubs say what the glue sent and let the test script
 * interfaces, netlink events and received adverts. Waits are bounded
 * loop runs against a deadline, never sleeps.
 */

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <ev.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/conf.h"
#include "vrrpd/util.h"
#include "vrrpd/vrrp_instance.h"

#include "stubs.h"

#define PEER	  "192.0.2.2"
#define US_PER_MS 1000ULL

/* Every advert interval here is 1 s (100 cs): periodic adverts are rare. */
#define INT_CS 100

static struct ev_loop *loop;
static struct vrrp_router *router;
static struct conf *confs[8];
static size_t nconfs;
static unsigned int ready_calls;

/* A directory for the test's files: made in the runner, removed there. */
static char base[256];
static char dir[512];
static pid_t sleeper;

/*
 * fixtures
 */

static int
rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

/* Unchecked: once in the runner, so a failed test leaves no files. */
static void
base_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(base, sizeof(base), "%s/vrrpd-glue.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(base));
}

static void
base_teardown(void)
{
	(void)nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
world_setup(void)
{
	struct stub_iface eth0 = { .name = "eth0",
		.ifindex = 2,
		.up = true,
		.mac = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 } };
	struct stub_iface eth1 = { .name = "eth1",
		.ifindex = 3,
		.up = true,
		.mac = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x02 } };

	stub_reset();
	ck_assert_int_eq(addr_parse("192.0.2.1", &eth0.primary4), 0);
	ck_assert_int_eq(addr_parse("fe80::1", &eth0.linklocal6), 0);
	ck_assert_int_eq(addr_parse("198.51.100.1", &eth1.primary4), 0);
	ck_assert_int_eq(addr_parse("fe80::2", &eth1.linklocal6), 0);
	stub_iface_set(&eth0);
	stub_iface_set(&eth1);
	snprintf(dir, sizeof(dir), "%s/t.XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(loop = ev_loop_new(EVFLAG_AUTO));
	ck_assert_ptr_nonnull(router = vrrp_router_new(loop));
	ck_assert(stub_net.link_open);
	nconfs = 0;
	ready_calls = 0;
	sleeper = 0;
}

/* Everything the glue opened, it closed. */
static void
world_teardown(void)
{
	if (sleeper > 0) {
		(void)kill(sleeper, SIGKILL);
		(void)waitpid(sleeper, NULL, 0);
	}
	vrrp_router_free(router);
	ck_assert_uint_eq(stub_net.socks_open, 0);
	ck_assert_uint_eq(stub_net.anns_open, 0);
	ck_assert(!stub_net.link_open);
	ck_assert_uint_eq(stub_notify.live, 0);
	for (size_t i = 0; i < nconfs; i++)
		conf_free(confs[i]);
	ev_loop_destroy(loop);
	stub_reset();
}

/*
 * bounded loop runs
 */

static ev_timer wait_timer;
static uint64_t wait_until_us;

static void
wait_cb(struct ev_loop *l, ev_timer *w, int revents)
{
	(void)l;
	(void)w;
	(void)revents;
}

static void
wait_begin(uint64_t ms)
{
	wait_until_us = util_now_us() + ms * US_PER_MS;
	ev_init(&wait_timer, wait_cb);
}

/* One loop iteration, woken at the deadline at the latest. */
static bool
wait_more(void)
{
	uint64_t now = util_now_us();

	if (now >= wait_until_us)
		return false;
	if (!ev_is_active(&wait_timer)) {
		ev_now_update(loop);
		ev_timer_set(&wait_timer,
		    (double)(wait_until_us - now) / 1e6 + 0.001, 0.0);
		ev_timer_start(loop, &wait_timer);
	}
	ev_run(loop, EVRUN_ONCE);
	return true;
}

static void
wait_end(void)
{
	ev_timer_stop(loop, &wait_timer);
}

/* Run the loop until cond holds, for ms at most. */
#define RUN_UNTIL(cond, ms)                    \
	do {                                   \
		wait_begin(ms);                \
		while (!(cond) && wait_more()) \
			;                      \
		wait_end();                    \
	} while (0)

/* Run the loop for ms, whatever happens. */
static void
run_for(uint64_t ms)
{
	wait_begin(ms);
	while (wait_more())
		;
	wait_end();
}

/*
 * configurations
 */

static const char *fmt(const char *f, ...)
    __attribute__((format(printf, 1, 2)));

/* printf into a buffer of its own (the last eight stay valid). */
static const char *
fmt(const char *f, ...)
{
	static char bufs[8][4096];
	static size_t next;
	char *buf = bufs[next++ % 8];
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, sizeof(bufs[0]), f, ap);
	va_end(ap);
	ck_assert(n > 0 && (size_t)n < sizeof(bufs[0]));
	return buf;
}

static const struct conf *
parse(const char *yaml)
{
	struct conf *c = conf_load_mem("test.yaml", yaml, strlen(yaml), NULL);
	char *diags = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_ptr_nonnull(c);
	ck_assert_uint_lt(nconfs, sizeof(confs) / sizeof(confs[0]));
	confs[nconfs++] = c;
	if (c->nerrors > 0) {
		ck_assert_ptr_nonnull(f = open_memstream(&diags, &len));
		conf_print_diags(c, f);
		fclose(f);
		ck_abort_msg("configuration refused:\n%s\n%s", diags, yaml);
	}
	return c;
}

static void
ready_cb(void *arg)
{
	(void)arg;
	ready_calls++;
}

static void
load(const char *yaml)
{
	vrrp_router_set_ready_cb(router, ready_cb, NULL);
	ck_assert_int_eq(vrrp_router_load(router, parse(yaml)), 0);
}

static struct vrrp_reload_stats
reload(const char *yaml)
{
	struct vrrp_reload_stats st;

	ck_assert_int_eq(vrrp_router_reload(router, parse(yaml), &st), 0);
	return st;
}

/* An instance: "  NAME: {...}" lines under "instances:". */
static const char *
inst(const char *name, const char *ifname, int vrid, int prio, const char *vips,
    const char *extra)
{
	return fmt("  %s:\n    interface: %s\n    vrid: %d\n    priority: %d\n"
		   "    advert_interval: %dms\n    virtual_ipaddress: [%s]\n%s",
	    name, ifname, vrid, prio, INT_CS * 10, vips, extra);
}

#define GLOBAL                                  \
	"global:\n  vrrp_version: 3\n  garp:\n" \
	"    master_repeat: 2\n    master_delay: 0s\n"

/*
 * looking at instances and at what the stubs saw
 */

static struct vrrp_inst *
find(const char *name)
{
	struct vrrp_inst *vi = vrrp_router_find(router, name);

	ck_assert_msg(vi != NULL, "no instance %s", name);
	return vi;
}

static struct vrrp_inst_view
view_at(const char *name, uint64_t now)
{
	struct vrrp_inst_view v;

	vrrp_inst_view(find(name), now, &v);
	return v;
}

static struct vrrp_inst_view
view(const char *name)
{
	return view_at(name, util_now_us());
}

static enum vrrp_state
state(const char *name)
{
	return vrrp_inst_state(find(name));
}

static uint8_t
prio(const char *name)
{
	return view(name).priority;
}

static struct addr
ad(const char *text)
{
	struct addr a;

	ck_assert_msg(addr_parse(text, &a) == 0, "bad address %s", text);
	return a;
}

static bool
is(const struct addr *a, const char *text)
{
	struct addr b = ad(text);

	return addr_cmp(a, &b) == 0;
}

/* The glue's adds and removes leave address text on ifindex. */
static bool
present(unsigned int ifindex, const char *text)
{
	struct addr a = ad(text);

	return stub_addr_present(ifindex, &a);
}

/* Adverts from index from on, of vrid, with priority prio (-1: any). */
static size_t
adverts(size_t from, uint8_t vrid, int priority)
{
	size_t n = 0;

	for (size_t i = from; i < stub_net.nadverts; i++)
		n += stub_net.adverts[i].vrid == vrid &&
		    (priority < 0 || stub_net.adverts[i].priority == priority);
	return n;
}

/* A copy of the first advert of vrid from index from on (the log moves). */
static struct stub_advert
advert(size_t from, uint8_t vrid)
{
	for (size_t i = from; i < stub_net.nadverts; i++)
		if (stub_net.adverts[i].vrid == vrid)
			return stub_net.adverts[i];
	ck_abort_msg("no advert of VRID %u from %zu on", vrid, from);
	return stub_net.adverts[0];
}

/* VIP adds (add) or removes of address text from index from on. */
static size_t
vip_ops(size_t from, bool add, unsigned int ifindex, const char *text)
{
	size_t n = 0;

	for (size_t i = from; i < stub_net.nvips; i++)
		n += stub_net.vips[i].add == add &&
		    stub_net.vips[i].ifindex == ifindex &&
		    (text == NULL || is(&stub_net.vips[i].addr, text));
	return n;
}

static size_t
frames(size_t from, unsigned int ifindex, const char *text)
{
	size_t n = 0;

	for (size_t i = from; i < stub_net.nframes; i++)
		n += stub_net.frames[i].ifindex == ifindex &&
		    (text == NULL || is(&stub_net.frames[i].addr, text));
	return n;
}

/* Notifications of instance name from index from on, to state st. */
static size_t
posts(size_t from, const char *name, enum vrrp_state st)
{
	size_t n = 0;

	for (size_t i = from; i < stub_notify.nposts; i++)
		n += strcmp(stub_notify.posts[i].name, name) == 0 &&
		    stub_notify.posts[i].ev.state == st;
	return n;
}

/*
 * the world's side
 */

/* An advert from PEER on the instance's interface, with its VIPs. */
static void
peer_advert(const char *name, uint8_t priority)
{
	const struct conf_instance *ci = vrrp_inst_conf(find(name));
	struct addr addrs[8];
	struct vrrp_pkt_tx tx = { .version = 3,
		.vrid = ci->vrid,
		.priority = priority,
		.adver_int_cs = INT_CS,
		.addrs = addrs,
		.naddr = ci->nvips,
		.src = ad(PEER),
		.dst = ad("224.0.0.18"),
		.csum_mode = VRRP_CSUM_PSEUDO };

	ck_assert_uint_le(ci->nvips, 8);
	for (size_t i = 0; i < ci->nvips; i++)
		addrs[i] = ci->vips[i].addr;
	ck_assert(stub_rx_advert(ci->interface, &tx));
}

/* The peer master stops (priority 0): name takes over after Skew_Time. */
static void
take_over(const char *name)
{
	peer_advert(name, VRRP_PRIO_STOP);
	RUN_UNTIL(state(name) == VRRP_STATE_MASTER, 3000);
	ck_assert_msg(state(name) == VRRP_STATE_MASTER, "%s is %s", name,
	    vrrp_state_name(state(name)));
}

/* Replace path's content at once (rename), as operators' tools do. */
static void
write_file(const char *path, const char *text)
{
	char tmp[PATH_MAX + 8];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	ck_assert_ptr_nonnull(f = fopen(tmp, "w"));
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(rename(tmp, path), 0);
}

/*
 * A sleep whose argv[0] is argv0 (unique), running once this returns
 * (the pipe closes on exec); killed with us if we die first.
 */
static pid_t
spawn_sleeper(char *argv0)
{
	int pfd[2];
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		close(pfd[0]);
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		execv("/bin/sleep", (char *[]) { argv0, "60", NULL });
		_exit(127);
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], &c, 1), 0);
	close(pfd[0]);
	return pid;
}

/*
 * load
 */

START_TEST(load_shares_one_socket_per_interface_and_starts_backups)
{
	static const char *const names[] = { "VI_1", "VI_2", "VI_3" };
	uint64_t mdi = vrrp_fsm_master_down_us(3, 100, INT_CS, 3);
	struct vrrp_inst_view v;

	load(fmt(GLOBAL "instances:\n%s%s%s",
	    inst("VI_1", "eth0", 51, 100, "192.0.2.100/24", ""),
	    inst("VI_2", "eth0", 52, 100, "192.0.2.102/24", ""),
	    inst("VI_3", "eth1", 53, 100, "198.51.100.100/24", "")));
	ck_assert_uint_eq(ready_calls, 1);
	ck_assert_uint_eq(stub_net.sock_opens, 2);
	ck_assert_uint_eq(stub_net.socks_open, 2);
	for (size_t i = 0; i < 3; i++) {
		const char *n = names[i];

		v = view(n);
		ck_assert_int_eq(v.state, VRRP_STATE_BACKUP);
		ck_assert_int_eq(v.reason, VRRP_RSN_STARTUP);
		ck_assert(v.master_down_armed);
		ck_assert_uint_le(v.master_down_in_us, mdi);
		ck_assert_uint_gt(v.master_down_in_us, mdi - 500 * US_PER_MS);
		ck_assert_uint_eq(posts(0, n, VRRP_STATE_BACKUP), 1);
	}
	/* A backup starts by removing its VIPs (left by a crash?). */
	ck_assert_uint_eq(stub_net.nvips, 3);
	ck_assert_uint_eq(vip_ops(0, false, 2, "192.0.2.100"), 1);
	ck_assert_uint_eq(vip_ops(0, false, 2, "192.0.2.102"), 1);
	ck_assert_uint_eq(vip_ops(0, false, 3, "198.51.100.100"), 1);
	ck_assert_uint_eq(stub_net.nadverts, 0);
	ck_assert_uint_eq(stub_net.nframes, 0);
}
END_TEST

/*
 * reload
 */

START_TEST(reload_counts_kept_recreated_added_removed)
{
	struct vrrp_reload_stats st;
	struct vrrp_inst *kept;
	uint64_t t0;
	size_t p0;

	load(fmt(GLOBAL "instances:\n%s%s%s",
	    inst("VI_1", "eth0", 51, 100, "192.0.2.100/24", ""),
	    inst("VI_2", "eth0", 52, 100, "192.0.2.102/24", ""),
	    inst("VI_3", "eth1", 53, 100, "198.51.100.100/24", "")));
	kept = find("VI_1");
	p0 = stub_notify.nposts;
	t0 = util_now_us();
	st = reload(fmt(GLOBAL "instances:\n%s%s%s",
	    inst("VI_1", "eth0", 51, 100, "192.0.2.100/24", ""),
	    inst("VI_2", "eth0", 52, 110, "192.0.2.102/24", ""),
	    inst("VI_4", "eth1", 54, 100, "198.51.100.104/24", "")));
	ck_assert_uint_eq(st.kept, 1);
	ck_assert_uint_eq(st.recreated, 1);
	ck_assert_uint_eq(st.added, 1);
	ck_assert_uint_eq(st.removed, 1);
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_ptr_eq(find("VI_1"), kept);
	ck_assert_ptr_null(vrrp_router_find(router, "VI_3"));
	/* The changed one stopped and started anew, with its new priority. */
	ck_assert_uint_eq(posts(p0, "VI_2", VRRP_STATE_INIT), 1);
	ck_assert_uint_eq(posts(p0, "VI_2", VRRP_STATE_BACKUP), 1);
	ck_assert_uint_eq(view("VI_2").base_priority, 110);
	ck_assert_uint_ge(util_now_us() - view("VI_2").in_state_us, t0);
	ck_assert_uint_eq(posts(p0, "VI_3", VRRP_STATE_INIT), 1);
	ck_assert_uint_eq(posts(p0, "VI_4", VRRP_STATE_BACKUP), 1);
	ck_assert_uint_eq(posts(p0, "VI_1", VRRP_STATE_INIT), 0);
	ck_assert_uint_eq(state("VI_4"), VRRP_STATE_BACKUP);
	/* VI_1 and VI_2 still share one socket; eth1's was reopened. */
	ck_assert_uint_eq(stub_net.socks_open, 2);
}
END_TEST

static const char *
master_and_backup(void)
{
	return fmt(GLOBAL "instances:\n%s%s",
	    inst("VI_1", "eth0", 51, 200, "192.0.2.100/24", ""),
	    inst("VI_2", "eth0", 52, 100, "192.0.2.102/24", ""));
}

START_TEST(reload_keeps_an_unchanged_master_without_transition_advert_or_garp)
{
	struct vrrp_reload_stats st;
	struct stub_advert last, next;
	uint64_t now, since[2];
	size_t a0, f0, v0, p0;
	struct vrrp_inst *vi;

	load(master_and_backup());
	take_over("VI_1");
	vi = find("VI_1");
	now = util_now_us();
	since[0] = now - view_at("VI_1", now).in_state_us;
	since[1] = now - view_at("VI_2", now).in_state_us;
	a0 = stub_net.nadverts;
	f0 = stub_net.nframes;
	v0 = stub_net.nvips;
	p0 = stub_notify.nposts;
	st = reload(master_and_backup());
	ck_assert_uint_eq(st.kept, 2);
	ck_assert_uint_eq(st.recreated + st.added + st.removed + st.failed, 0);
	ck_assert_ptr_eq(find("VI_1"), vi);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_MASTER);
	ck_assert_int_eq(state("VI_2"), VRRP_STATE_BACKUP);
	now = util_now_us();
	ck_assert_uint_eq(now - view_at("VI_1", now).in_state_us, since[0]);
	ck_assert_uint_eq(now - view_at("VI_2", now).in_state_us, since[1]);
	ck_assert_uint_eq(stub_net.nadverts, a0);
	ck_assert_uint_eq(stub_net.nframes, f0);
	ck_assert_uint_eq(stub_notify.nposts, p0);
	/* The master's VIPs stay; the backup's are cleaned (P4), no more. */
	ck_assert_uint_eq(vip_ops(v0, false, 2, "192.0.2.100"), 0);
	ck_assert_uint_eq(vip_ops(v0, false, 2, "192.0.2.102"), 1);
	ck_assert_uint_eq(vip_ops(v0, true, 2, NULL), 0);
	ck_assert(present(2, "192.0.2.100"));
	/* Its advert schedule goes on: the next one an interval later. */
	last = stub_net.adverts[a0 - 1];
	ck_assert_uint_eq(last.vrid, 51);
	RUN_UNTIL(adverts(a0, 51, -1) > 0, 3000);
	next = advert(a0, 51);
	ck_assert_uint_eq(next.priority, 200);
	/* (A restarted instance would first wait Master_Down_Interval.) */
	ck_assert_uint_ge(next.at_us - last.at_us, 990 * US_PER_MS);
	ck_assert_uint_lt(next.at_us - last.at_us, 2500 * US_PER_MS);
}
END_TEST

START_TEST(reload_stops_a_removed_master_with_priority_0_and_releases_its_vips)
{
	struct vrrp_reload_stats st;
	size_t a0, v0;

	load(fmt(GLOBAL "instances:\n%s%s",
	    inst("VI_1", "eth0", 51, 200, "192.0.2.100/24", ""),
	    inst("VI_2", "eth0", 52, 100, "192.0.2.102/24", "")));
	take_over("VI_1");
	ck_assert(present(2, "192.0.2.100"));
	a0 = stub_net.nadverts;
	v0 = stub_net.nvips;
	st = reload(fmt(GLOBAL "instances:\n%s",
	    inst("VI_2", "eth0", 52, 100, "192.0.2.102/24", "")));
	ck_assert_uint_eq(st.removed, 1);
	ck_assert_uint_eq(st.kept, 1);
	ck_assert_uint_eq(adverts(a0, 51, -1), 1);
	ck_assert_uint_eq(advert(a0, 51).priority, VRRP_PRIO_STOP);
	ck_assert_uint_eq(vip_ops(v0, false, 2, "192.0.2.100"), 1);
	ck_assert(!present(2, "192.0.2.100"));
	ck_assert_uint_eq(posts(0, "VI_1", VRRP_STATE_INIT), 1);
}
END_TEST

/* _i 0: demoted until promoted; 1: for 60 s. */
START_TEST(reload_carries_a_demotion_to_the_recreated_instance)
{
	uint64_t for_ms = _i == 0 ? 0 : 60000;
	struct vrrp_reload_stats st;
	struct vrrp_inst_view v;

	load(fmt(GLOBAL "instances:\n%s",
	    inst("VI_1", "eth0", 51, 150, "192.0.2.100/24", "")));
	ck_assert_int_eq(vrrp_inst_demote(find("VI_1"), for_ms), 0);
	ck_assert_uint_eq(prio("VI_1"), 1);
	st = reload(fmt(GLOBAL "instances:\n%s",
	    inst("VI_1", "eth0", 51, 160, "192.0.2.100/24", "")));
	ck_assert_uint_eq(st.recreated, 1);
	v = view("VI_1");
	ck_assert_uint_eq(v.base_priority, 160);
	ck_assert(v.demoted);
	ck_assert_uint_eq(v.priority, 1);
	if (for_ms == 0) {
		ck_assert_uint_eq(v.demote_left_us, 0);
	} else {
		ck_assert_uint_le(v.demote_left_us, for_ms * US_PER_MS);
		ck_assert_uint_gt(v.demote_left_us,
		    (for_ms - 5000) * US_PER_MS);
	}
	ck_assert(vrrp_inst_promote(find("VI_1")));
	v = view("VI_1");
	ck_assert(!v.demoted);
	ck_assert_uint_eq(v.priority, 160);
}
END_TEST

/*
 * subscriptions after a reload
 */

static const char *
file_conf(const char *path, int prio1)
{
	return fmt(GLOBAL
	    "track_files:\n  maint: { path: \"%s\", weight: -10 }\n"
	    "instances:\n%s%s",
	    path,
	    inst("VI_1", "eth0", 51, prio1, "192.0.2.100/24",
		"    track: [{ file: maint }]\n"),
	    inst("VI_2", "eth1", 52, 100, "198.51.100.100/24",
		"    track: [{ file: maint }]\n"));
}

START_TEST(recreated_instance_alone_follows_a_carried_track_file)
{
	char path[sizeof(dir) + 8];
	struct vrrp_reload_stats st;
	long value = -1;
	size_t a0;

	snprintf(path, sizeof(path), "%s/maint", dir);
	write_file(path, "0\n");
	load(file_conf(path, 150));
	ck_assert_uint_eq(prio("VI_1"), 150);
	st = reload(file_conf(path, 160));
	ck_assert_uint_eq(st.recreated, 1);
	ck_assert_uint_eq(st.kept, 1);
	ck_assert_uint_eq(prio("VI_1"), 160);
	take_over("VI_1");
	a0 = stub_net.nadverts;
	write_file(path, "2\n");
	RUN_UNTIL(prio("VI_1") == 140 && prio("VI_2") == 80, 3000);
	ck_assert_uint_eq(prio("VI_1"), 140);
	/* The kept instance follows the carried file too. */
	ck_assert_uint_eq(prio("VI_2"), 80);
	ck_assert_int_eq(vrrp_router_file_value(router, "maint", &value), 0);
	ck_assert_int_eq(value, 2);
	/* One change, one advert, from the one live VI_1. */
	ck_assert_uint_eq(adverts(a0, 51, -1), 1);
	ck_assert_uint_eq(adverts(a0, 51, 140), 1);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_MASTER);
}
END_TEST

static const char *
proc_conf(const char *argv0, int prio1)
{
	return fmt(GLOBAL "track_processes:\n  sleeper:\n"
			  "    process: \"%s\"\n    full_command: true\n"
			  "    weight: -10\n"
			  "instances:\n%s",
	    argv0,
	    inst("VI_1", "eth0", 51, prio1, "192.0.2.100/24",
		"    track: [{ process: sleeper }]\n"));
}

START_TEST(recreated_instance_alone_follows_a_carried_track_process)
{
	char argv0[sizeof(dir) + 32];
	struct vrrp_reload_stats st;
	unsigned int count = 99;
	bool up = false;

	snprintf(argv0, sizeof(argv0), "%s/vrrpd-glue-sleeper-%d", dir,
	    (int)getpid());
	sleeper = spawn_sleeper(argv0);
	load(proc_conf(argv0, 150));
	RUN_UNTIL(prio("VI_1") == 150, 5000);
	ck_assert_uint_eq(prio("VI_1"), 150);
	st = reload(proc_conf(argv0, 160));
	ck_assert_uint_eq(st.recreated, 1);
	ck_assert_int_eq(vrrp_router_proc_state(router, "sleeper", &up, &count),
	    0);
	ck_assert(up);
	ck_assert_uint_eq(count, 1);
	ck_assert_uint_eq(prio("VI_1"), 160);
	ck_assert_int_eq(kill(sleeper, SIGKILL), 0);
	ck_assert_int_eq(waitpid(sleeper, NULL, 0), sleeper);
	sleeper = 0;
	RUN_UNTIL(prio("VI_1") == 150, 5000);
	ck_assert_uint_eq(prio("VI_1"), 150);
	ck_assert_int_eq(vrrp_router_proc_state(router, "sleeper", &up, &count),
	    0);
	ck_assert(!up);
	ck_assert_uint_eq(count, 0);
}
END_TEST

/*
 * one advert in
 */

START_TEST(backup_hearing_priority_0_takes_over_after_skew_time)
{
	uint64_t skew = vrrp_fsm_skew_us(3, 100, INT_CS);
	uint64_t mdi = vrrp_fsm_master_down_us(3, 100, INT_CS, 3);
	const struct vrrp_inst_stats *stats;
	struct stub_advert a;
	struct vrrp_inst_view v;
	uint64_t t0, now, at;
	size_t a0, v0, f0, p0;

	load(fmt(GLOBAL "instances:\n%s%s",
	    inst("VI_1", "eth0", 51, 100, "192.0.2.100/24, 192.0.2.101/24", ""),
	    inst("VI_2", "eth1", 51, 100, "198.51.100.100/24", "")));
	stats = vrrp_inst_stats(find("VI_1"));
	a0 = stub_net.nadverts;
	v0 = stub_net.nvips;
	f0 = stub_net.nframes;
	p0 = stub_notify.nposts;
	t0 = util_now_us();
	peer_advert("VI_1", VRRP_PRIO_STOP);
	RUN_UNTIL(stats->adverts_rcvd == 1, 1000);
	ck_assert_uint_eq(stats->adverts_rcvd, 1);
	ck_assert_uint_eq(stats->pri_zero_rcvd, 1);
	/* Master_Down_Timer := Skew_Time, from the advert's arrival. */
	now = util_now_us();
	v = view_at("VI_1", now);
	ck_assert_int_eq(v.state, VRRP_STATE_BACKUP);
	ck_assert(v.master_down_armed);
	at = now + v.master_down_in_us;
	ck_assert_uint_ge(at, t0 + skew);
	ck_assert_uint_le(at, now + skew);
	/* The same VRID on eth1 heard nothing. */
	ck_assert_uint_gt(view("VI_2").master_down_in_us, skew);
	ck_assert_uint_eq(vrrp_inst_stats(find("VI_2"))->adverts_rcvd, 0);

	RUN_UNTIL(state("VI_1") == VRRP_STATE_MASTER, 3000);
	v = view("VI_1");
	ck_assert_int_eq(v.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(v.reason, VRRP_RSN_MASTER_STOP);
	/* One advert, with its priority and VIPs, after Skew_Time only. */
	ck_assert_uint_eq(adverts(a0, 51, -1), 1);
	a = advert(a0, 51);
	ck_assert_int_eq(a.err, VRRP_PKT_OK);
	ck_assert_str_eq(a.ifname, "eth0");
	ck_assert_uint_eq(a.version, 3);
	ck_assert_uint_eq(a.priority, 100);
	ck_assert_uint_eq(a.adver_int_cs, INT_CS);
	ck_assert_uint_eq(a.ttl, 255);
	ck_assert(is(&a.src, "192.0.2.1"));
	ck_assert(is(&a.dst, "224.0.0.18"));
	ck_assert_uint_eq(a.naddr, 2);
	ck_assert(is(&a.addrs[0], "192.0.2.100"));
	ck_assert(is(&a.addrs[1], "192.0.2.101"));
	ck_assert_uint_ge(a.at_us + 1, t0 + skew);
	ck_assert_uint_lt(a.at_us, t0 + skew + (mdi - skew) / 2);
	/* Both VIPs on eth0 (index 2), nothing on eth1. */
	ck_assert_uint_eq(stub_net.nvips - v0, 2);
	ck_assert_uint_eq(vip_ops(v0, true, 2, "192.0.2.100"), 1);
	ck_assert_uint_eq(vip_ops(v0, true, 2, "192.0.2.101"), 1);
	ck_assert_uint_eq(stub_net.vips[v0].prefix, 24);
	ck_assert(present(2, "192.0.2.100"));
	ck_assert(present(2, "192.0.2.101"));
	/* garp master_repeat 2: two GARPs per IPv4 VIP on eth0. */
	RUN_UNTIL(stub_net.nframes - f0 >= 4, 1000);
	ck_assert_uint_eq(stub_net.nframes - f0, 4);
	ck_assert_uint_eq(frames(f0, 2, "192.0.2.100"), 2);
	ck_assert_uint_eq(frames(f0, 2, "192.0.2.101"), 2);
	ck_assert_uint_eq(posts(p0, "VI_1", VRRP_STATE_MASTER), 1);
	ck_assert_uint_eq(stub_notify.posts[p0].ev.priority, 100);
	ck_assert(is(&stub_notify.posts[p0].ev.master, "192.0.2.1"));
	ck_assert_int_eq(state("VI_2"), VRRP_STATE_BACKUP);
}
END_TEST

/*
 * tracks
 */

START_TEST(track_file_change_is_one_advert_with_the_new_priority_at_once)
{
	char path[sizeof(dir) + 8];
	struct stub_advert a, next;
	uint64_t t0;
	size_t a0, p0;

	snprintf(path, sizeof(path), "%s/maint", dir);
	write_file(path, "0\n");
	load(fmt(GLOBAL "track_files:\n  maint: { path: \"%s\", weight: -10 }\n"
			"instances:\n%s",
	    path,
	    inst("VI_1", "eth0", 51, 150, "192.0.2.100/24",
		"    track: [{ file: maint }]\n")));
	take_over("VI_1");
	a0 = stub_net.nadverts;
	p0 = stub_notify.nposts;
	t0 = util_now_us();
	write_file(path, "3\n");
	RUN_UNTIL(prio("VI_1") != 150, 3000);
	ck_assert_uint_eq(prio("VI_1"), 120);
	ck_assert_uint_eq(adverts(a0, 51, -1), 1);
	a = advert(a0, 51);
	ck_assert_uint_eq(a.priority, 120);
	/* At once, not at the next Adver_Timer (a second away). */
	ck_assert_uint_lt(a.at_us - t0, 500 * US_PER_MS);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_MASTER);
	ck_assert_uint_eq(stub_notify.nposts, p0);
	/* The change restarted Adver_Timer: the next advert a second on. */
	RUN_UNTIL(adverts(a0, 51, -1) == 2, 2000);
	ck_assert_uint_eq(adverts(a0, 51, 120), 2);
	next = stub_net.adverts[stub_net.nadverts - 1];
	ck_assert_uint_ge(next.at_us - a.at_us, 990 * US_PER_MS);
}
END_TEST

/* keepalived vrrp_notify_priority_changes: FIFO lines, not before start. */
START_TEST(priority_changes_are_notified_when_asked)
{
	char path[sizeof(dir) + 8];
	struct stub_notify_prio *pr;

	snprintf(path, sizeof(path), "%s/maint", dir);
	write_file(path, "3\n");
	load(fmt(GLOBAL "track_files:\n  maint: { path: \"%s\", weight: -10 }\n"
			"instances:\n%s%s",
	    path,
	    inst("VI_1", "eth0", 51, 150, "192.0.2.100/24",
		"    track: [{ file: maint }]\n"
		"    notify_priority_changes: true\n"),
	    inst("VI_2", "eth1", 52, 150, "198.51.100.100/24",
		"    track: [{ file: maint }]\n")));
	/* 150 - 30 at the start: no line, the instance was not running */
	ck_assert_uint_eq(prio("VI_1"), 120);
	ck_assert_uint_eq(stub_notify.nprios, 0);
	write_file(path, "0\n");
	RUN_UNTIL(prio("VI_1") == 150, 3000);
	ck_assert_uint_eq(stub_notify.nprios, 1); /* VI_2 did not ask */
	pr = &stub_notify.prios[0];
	ck_assert_str_eq(pr->name, "VI_1");
	ck_assert(!pr->master);
	ck_assert_uint_eq(pr->priority, 150);
	take_over("VI_1");
	write_file(path, "2\n");
	RUN_UNTIL(prio("VI_1") == 130, 3000);
	ck_assert_uint_eq(stub_notify.nprios, 2);
	pr = &stub_notify.prios[1];
	ck_assert(pr->master);
	ck_assert_uint_eq(pr->priority, 130);
}
END_TEST

/*
 * keepalived ignores a track_interface naming the instance's own
 * interface ("Ignoring track_interface eth0 since own interface"): 150,
 * not 150 + 50, while eth0 is up.
 */
START_TEST(own_interface_track_adds_no_weight_like_keepalived)
{
	static const char text[] =
	    "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
	    " priority 150\n version 3\n"
	    " track_interface {\n  eth0 weight 50\n }\n"
	    " virtual_ipaddress {\n  192.0.2.100/24\n }\n}\n";
	struct conf *c = conf_load_mem("test.conf", text, strlen(text), NULL);

	ck_assert_ptr_nonnull(c);
	ck_assert_uint_lt(nconfs, sizeof(confs) / sizeof(confs[0]));
	confs[nconfs++] = c;
	ck_assert_uint_eq(c->nerrors, 0);
	vrrp_router_set_ready_cb(router, ready_cb, NULL);
	ck_assert_int_eq(vrrp_router_load(router, c), 0);
	ck_assert_uint_eq(prio("VI_1"), 150);
	stub_link_set_up("eth0", false);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_FAULT);
	stub_link_set_up("eth0", true);
	ck_assert_uint_eq(prio("VI_1"), 150);
}
END_TEST

static const char *
iface_conf(int weight)
{
	return fmt(GLOBAL "instances:\n%s",
	    inst("VI_1", "eth0", 51, 150, "192.0.2.100/24",
		fmt("    track: [{ interface: eth1, weight: %d }]\n", weight)));
}

START_TEST(tracked_interface_down_lowers_priority_by_its_weight_without_netlink)
{
	size_t c0;

	load(iface_conf(-30));
	/* The new interface tracker asked once; events follow. */
	ck_assert_uint_eq(stub_iface("eth1")->info_calls, 1);
	ck_assert_uint_eq(prio("VI_1"), 150);
	c0 = stub_net.link_info_calls;
	stub_link_set_up("eth1", false);
	ck_assert_uint_eq(prio("VI_1"), 120);
	ck_assert_int_eq(state("VI_1"), VRRP_STATE_BACKUP);
	/*
	 * No request at all: the tracker took the event's state, and VI_1
	 * (on eth0) does not recheck its own interface for eth1's event.
	 */
	ck_assert_uint_eq(stub_iface("eth1")->info_calls, 1);
	ck_assert_uint_eq(stub_net.link_info_calls - c0, 0);
	stub_link_set_up("eth1", true);
	ck_assert_uint_eq(prio("VI_1"), 150);
	ck_assert_uint_eq(stub_iface("eth1")->info_calls, 1);
	ck_assert_uint_eq(stub_net.link_info_calls - c0, 0);
}
END_TEST

START_TEST(tracked_interface_down_with_weight_0_faults_without_netlink)
{
	struct vrrp_inst_view v;
	size_t c0, a0, v0;

	load(iface_conf(0));
	take_over("VI_1");
	c0 = stub_net.link_info_calls;
	a0 = stub_net.nadverts;
	v0 = stub_net.nvips;
	stub_link_set_up("eth1", false);
	v = view("VI_1");
	ck_assert_int_eq(v.state, VRRP_STATE_FAULT);
	ck_assert_uint_eq(v.faults, 1U << VRRP_FAULT_TRACKED_IF);
	/* A master leaving for FAULT: priority 0, VIPs gone, nothing else. */
	ck_assert_uint_eq(adverts(a0, 51, -1), 1);
	ck_assert_uint_eq(adverts(a0, 51, VRRP_PRIO_STOP), 1);
	ck_assert_uint_eq(vip_ops(v0, false, 2, "192.0.2.100"), 1);
	ck_assert_uint_eq(stub_iface("eth1")->info_calls, 1);
	ck_assert_uint_eq(stub_net.link_info_calls - c0, 0);
	stub_link_set_up("eth1", true);
	v = view("VI_1");
	ck_assert_int_eq(v.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(v.reason, VRRP_RSN_FAULT_CLEAR);
	ck_assert_uint_eq(v.faults, 0);
	ck_assert_uint_eq(stub_iface("eth1")->info_calls, 1);
}
END_TEST

/*
 * announcements
 */

START_TEST(garps_of_two_masters_on_one_interface_keep_the_interval)
{
	static const char *const vips[] = { "192.0.2.10", "192.0.2.11",
		"192.0.2.20", "192.0.2.21" };
	/*
	 * The stub stamps a frame a little after the glue read the clock
	 * for its gate: slack covers that (being descheduled in between).
	 */
	const uint64_t gap = 100 * US_PER_MS, slack = 10 * US_PER_MS;
	const struct stub_frame *f, *prev = NULL, *first0 = NULL;
	const struct stub_frame *first1 = NULL;
	size_t n0 = 0, n1 = 0;

	load(fmt("global:\n  vrrp_version: 3\n  garp:\n    master_repeat: 2\n"
		 "    master_delay: 0s\n    interval: 100ms\n"
		 "instances:\n%s%s%s",
	    inst("VI_A", "eth0", 1, 255, "192.0.2.10/24, 192.0.2.11/24", ""),
	    inst("VI_B", "eth0", 2, 255, "192.0.2.20/24, 192.0.2.21/24", ""),
	    inst("VI_C", "eth1", 3, 255, "198.51.100.30/24", "")));
	ck_assert_int_eq(state("VI_A"), VRRP_STATE_MASTER);
	ck_assert_int_eq(state("VI_B"), VRRP_STATE_MASTER);
	RUN_UNTIL(stub_net.nframes >= 10, 3000);
	run_for(200);
	ck_assert_uint_eq(stub_net.nframes, 10);
	for (size_t i = 0; i < stub_net.nframes; i++) {
		f = &stub_net.frames[i];
		if (f->ifindex == 3) {
			if (first1 == NULL)
				first1 = f;
			n1++;
			continue;
		}
		ck_assert_uint_eq(f->ifindex, 2);
		if (first0 == NULL)
			first0 = f;
		if (prev != NULL)
			ck_assert_msg(f->at_us + slack >= prev->at_us + gap,
			    "GARPs %llu us apart on eth0",
			    (unsigned long long)(f->at_us - prev->at_us));
		prev = f;
		n0++;
	}
	ck_assert_uint_eq(n0, 8);
	ck_assert_uint_eq(n1, 2);
	for (size_t i = 0; i < 4; i++)
		ck_assert_uint_eq(frames(0, 2, vips[i]), 2);
	ck_assert_uint_eq(frames(0, 3, "198.51.100.30"), 2);
	/* eth1 keeps its own gap and never waits for eth0's. */
	ck_assert_uint_lt(first1->at_us, first0->at_us + gap);
	ck_assert_uint_ge(stub_net.frames[9].at_us + slack,
	    first1->at_us + gap);
}
END_TEST

static Suite *
vrrp_router_suite(void)
{
	Suite *s = suite_create("vrrp_router");
	TCase *tc;

	tc = tcase_create("load");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_add_test(tc,
	    load_shares_one_socket_per_interface_and_starts_backups);
	suite_add_tcase(s, tc);

	tc = tcase_create("reload");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_add_test(tc, reload_counts_kept_recreated_added_removed);
	tcase_add_test(tc,
	    reload_keeps_an_unchanged_master_without_transition_advert_or_garp);
	tcase_add_test(tc,
	    reload_stops_a_removed_master_with_priority_0_and_releases_its_vips);
	tcase_add_loop_test(tc,
	    reload_carries_a_demotion_to_the_recreated_instance, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("subscriptions");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc,
	    recreated_instance_alone_follows_a_carried_track_file);
	tcase_add_test(tc,
	    recreated_instance_alone_follows_a_carried_track_process);
	suite_add_tcase(s, tc);

	tc = tcase_create("advert");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_add_test(tc,
	    backup_hearing_priority_0_takes_over_after_skew_time);
	suite_add_tcase(s, tc);

	tc = tcase_create("tracks");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_add_test(tc,
	    track_file_change_is_one_advert_with_the_new_priority_at_once);
	tcase_add_test(tc,
	    tracked_interface_down_lowers_priority_by_its_weight_without_netlink);
	tcase_add_test(tc,
	    tracked_interface_down_with_weight_0_faults_without_netlink);
	tcase_add_test(tc, priority_changes_are_notified_when_asked);
	tcase_add_test(tc, own_interface_track_adds_no_weight_like_keepalived);
	suite_add_tcase(s, tc);

	tc = tcase_create("announce");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	tcase_add_test(tc,
	    garps_of_two_masters_on_one_interface_keep_the_interval);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vrrp_router_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
