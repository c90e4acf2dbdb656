/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * check/tcp and the check framework, against listeners this test opens on
 * loopback: connected, refused, timed out (a listener whose queue is
 * full), from a source address, over IPv6; rise/fall and subscribers
 * through checker_new(); and the loop is never held up by a pending check.
 */

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <ev.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checker_priv.h"

#define DEADLINE_S 5.0

/* A listener on 127.0.0.1 or ::1, port chosen by the kernel. */
static int
listener(int af, int backlog, uint16_t *port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len = af == AF_INET ? sizeof(struct sockaddr_in) :
					sizeof(struct sockaddr_in6);
	int fd = socket(af, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ss.ss_family = (sa_family_t)af;
	if (af == AF_INET)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr =
		    htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&ss, len), 0);
	ck_assert_int_eq(listen(fd, backlog), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*port = ntohs(af == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
				      ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

/* A port nobody listens on: a listener's, closed again. */
static uint16_t
closed_port(void)
{
	uint16_t port;

	close(listener(AF_INET, 1, &port));
	return port;
}

struct fixture {
	struct ev_loop *loop;
	struct conf_check cc;
	struct conf_global g;
	struct checker c;
	char connect[64];
};

static void
setup_check(struct fixture *f, const char *connect, uint32_t timeout_ms)
{
	const char *err = NULL;

	memset(f, 0, sizeof(*f));
	f->loop = ev_loop_new(EVFLAG_AUTO);
	snprintf(f->connect, sizeof(f->connect), "%s", connect);
	f->cc.name = "t";
	f->cc.kind = CONF_CHECK_TCP;
	f->cc.connect = f->connect;
	f->cc.timeout_ms = timeout_ms;
	f->c.cc = &f->cc;
	f->c.g = &f->g;
	f->c.loop = f->loop;
	f->c.kind = &checker_kind_tcp;
	checker_eval_init(&f->c.eval, 1, 1, false);
	ck_assert_msg(checker_kind_tcp.init(&f->c, &err) == 0, "init: %s", err);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Start one run and turn the loop until it is reported. */
static const struct checker_outcome *
run_once(struct fixture *f)
{
	struct checker_outcome o = { 0 };
	double end = now_s() + DEADLINE_S;

	f->c.running = true;
	f->c.started_us = util_now_us();
	if (f->c.kind->start(&f->c, &o) != 0) {
		f->c.running = false;
		f->c.last = o;
		return &f->c.last;
	}
	while (f->c.running && now_s() < end)
		ev_run(f->loop, EVRUN_ONCE);
	ck_assert_msg(!f->c.running, "the run was never reported");
	return &f->c.last;
}

static void
teardown_check(struct fixture *f)
{
	f->c.kind->fini(&f->c);
	ev_loop_destroy(f->loop);
}

START_TEST(listening_port_is_ok_with_a_latency)
{
	struct fixture f;
	uint16_t port;
	int lfd = listener(AF_INET, 8, &port);
	char buf[32];
	const struct checker_outcome *o;

	snprintf(buf, sizeof(buf), "127.0.0.1:%u", port);
	setup_check(&f, buf, 1000);
	o = run_once(&f);
	ck_assert_int_eq(o->result, CHECKER_OK);
	ck_assert_uint_gt(o->latency_us + 1, 0);
	teardown_check(&f);
	close(lfd);
}
END_TEST

START_TEST(closed_port_is_connection_refused)
{
	struct fixture f;
	char buf[32];

	snprintf(buf, sizeof(buf), "127.0.0.1:%u", closed_port());
	setup_check(&f, buf, 1000);
	ck_assert_int_eq(run_once(&f)->result, CHECKER_CONNECT_REFUSED);
	teardown_check(&f);
}
END_TEST

/* A listener that never accepts, its queue full: new SYNs are dropped. */
static int
full_listener(uint16_t *port, int *fillers, size_t n)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int lfd = listener(AF_INET, 0, port);

	sin.sin_port = htons(*port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (size_t i = 0; i < n; i++) {
		fillers[i] = socket(AF_INET,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		(void)connect(fillers[i], (struct sockaddr *)&sin, sizeof(sin));
	}
	return lfd;
}

/* An ev_timer every 10 ms, counting its runs and the worst lateness. */
struct ticker {
	ev_timer w;
	double last, worst;
	unsigned int n;
};

static void
ticker_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ticker *t = (struct ticker *)w;
	double now = now_s();

	(void)loop;
	(void)revents;
	if (t->n > 0 && now - t->last > t->worst)
		t->worst = now - t->last;
	t->last = now;
	t->n++;
}

START_TEST(silent_listener_times_out_without_holding_the_loop)
{
	struct fixture f;
	struct ticker t = { 0 };
	int fillers[4];
	uint16_t port;
	int lfd = full_listener(&port, fillers, 4);
	char buf[32];
	double t0 = now_s();

	snprintf(buf, sizeof(buf), "127.0.0.1:%u", port);
	setup_check(&f, buf, 300);
	ev_timer_init(&t.w, ticker_cb, 0.01, 0.01);
	ev_timer_start(f.loop, &t.w);
	ck_assert_int_eq(run_once(&f)->result, CHECKER_TIMEOUT);
	ck_assert_msg(now_s() - t0 >= 0.29, "timed out after %.3f s",
	    now_s() - t0);
	/* the loop turned all along: about 30 ticks, none held up */
	ck_assert_uint_ge(t.n, 20);
	ck_assert_msg(t.worst < 0.1, "a tick came %.3f s after the last",
	    t.worst);
	ev_timer_stop(f.loop, &t.w);
	teardown_check(&f);
	for (size_t i = 0; i < 4; i++)
		close(fillers[i]);
	close(lfd);
}
END_TEST

START_TEST(source_address_is_bound)
{
	struct fixture f;
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	uint16_t port;
	int lfd = listener(AF_INET, 8, &port), afd;
	char buf[32];

	snprintf(buf, sizeof(buf), "127.0.0.1:%u", port);
	setup_check(&f, buf, 1000);
	f.c.kind->fini(&f.c);
	f.cc.has_bind = true;
	ck_assert_int_eq(addr_parse("127.0.0.1", &f.cc.bind), 0);
	{
		const char *err = NULL;

		ck_assert_int_eq(checker_kind_tcp.init(&f.c, &err), 0);
	}
	ck_assert_int_eq(run_once(&f)->result, CHECKER_OK);
	afd = accept(lfd, (struct sockaddr *)&peer, &len);
	ck_assert_int_ge(afd, 0);
	ck_assert_uint_eq(ntohl(peer.sin_addr.s_addr), INADDR_LOOPBACK);
	close(afd);
	teardown_check(&f);
	close(lfd);
}
END_TEST

START_TEST(ipv6_loopback_connects)
{
	struct fixture f;
	uint16_t port;
	int lfd = listener(AF_INET6, 8, &port);
	char buf[48];

	snprintf(buf, sizeof(buf), "[::1]:%u", port);
	setup_check(&f, buf, 1000);
	ck_assert_int_eq(run_once(&f)->result, CHECKER_OK);
	teardown_check(&f);
	close(lfd);
}
END_TEST

START_TEST(names_and_mixed_families_are_refused_at_init)
{
	struct fixture f;
	const char *err = NULL;

	memset(&f, 0, sizeof(f));
	f.cc.name = "t";
	f.cc.connect = "localhost:80";
	f.c.cc = &f.cc;
	ck_assert_int_eq(checker_kind_tcp.init(&f.c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "numeric address"));
	f.cc.connect = "[::1]:80";
	f.cc.has_bind = true;
	ck_assert_int_eq(addr_parse("127.0.0.1", &f.cc.bind), 0);
	ck_assert_int_eq(checker_kind_tcp.init(&f.c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "family"));
}
END_TEST

/* ---- the framework: schedule, rise/fall, subscribers ---- */

struct seen {
	unsigned int changes;
	bool up;
	struct ev_loop *loop;
};

static void
changed(void *arg, struct tracker *t)
{
	struct seen *s = arg;

	s->changes++;
	s->up = checker_up(tracker_checker(t));
	ev_break(s->loop, EVBREAK_ALL);
}

static void
wait_change(struct ev_loop *loop, struct seen *s, unsigned int want)
{
	double end = now_s() + DEADLINE_S;

	while (s->changes < want && now_s() < end)
		ev_run(loop, EVRUN_ONCE);
	ck_assert_uint_eq(s->changes, want);
}

START_TEST(framework_applies_fall_then_rise_and_tells_subscribers)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct conf_check cc = { .name = "web",
		.kind = CONF_CHECK_TCP,
		.interval_ms = 50,
		.timeout_ms = 200,
		.rise = 2,
		.fall = 3 };
	struct conf_global g = { 0 };
	struct seen s = { .loop = loop };
	struct tracker_sub sub = { 0 };
	uint16_t port = closed_port();
	const char *err = NULL;
	struct checker *c;
	char buf[32];
	double t0;
	int lfd;

	snprintf(buf, sizeof(buf), "127.0.0.1:%u", port);
	cc.connect = buf;
	c = checker_new(loop, &cc, &g, &err);
	ck_assert_msg(c != NULL, "checker_new: %s", err);
	ck_assert(checker_up(c)); /* no init_fail */
	tracker_subscribe(checker_tracker(c), &sub, changed, &s);
	t0 = now_s();
	checker_start(c);
	wait_change(loop, &s, 1);
	ck_assert(!s.up);
	ck_assert_int_eq(checker_last(c)->result, CHECKER_CONNECT_REFUSED);
	/* fall 3 at 50 ms: the first run at once, the third at 100 ms */
	ck_assert_msg(now_s() - t0 >= 0.09, "down after %.3f s", now_s() - t0);
	/* the service comes back on the same port */
	{
		struct sockaddr_in sin = { .sin_family = AF_INET,
			.sin_port = htons(port),
			.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		int one = 1;

		lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		ck_assert_int_eq(setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one,
				     sizeof(one)),
		    0);
		ck_assert_int_eq(
		    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
		ck_assert_int_eq(listen(lfd, 64), 0);
	}
	wait_change(loop, &s, 2);
	ck_assert(s.up);
	ck_assert_int_eq(checker_last(c)->result, CHECKER_OK);
	tracker_unsubscribe(&sub);
	checker_free(c);
	close(lfd);
	ev_loop_destroy(loop);
}
END_TEST

static Suite *
tcp_suite(void)
{
	Suite *s = suite_create("check_tcp");
	TCase *tc = tcase_create("tcp");

	tcase_add_test(tc, listening_port_is_ok_with_a_latency);
	tcase_add_test(tc, closed_port_is_connection_refused);
	tcase_add_test(tc, silent_listener_times_out_without_holding_the_loop);
	tcase_add_test(tc, source_address_is_bound);
	tcase_add_test(tc, ipv6_loopback_connects);
	tcase_add_test(tc, names_and_mixed_families_are_refused_at_init);
	suite_add_tcase(s, tc);
	tc = tcase_create("framework");
	tcase_add_test(tc,
	    framework_applies_fall_then_rise_and_tells_subscribers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tcp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
