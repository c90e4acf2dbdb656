/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The http check kind: the pure matchers, then the real kind on a real
 * libev loop against servers this file starts on 127.0.0.1 (a forked
 * HTTP server, and openssl s_server with a certificate made here).
 */

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checker_priv.h"
#include "http_priv.h"

/*
 * Pure: status ranges
 */

START_TEST(status_default_is_200_to_299)
{
	ck_assert(checker_http_status_ok(NULL, 0, 200));
	ck_assert(checker_http_status_ok(NULL, 0, 204));
	ck_assert(checker_http_status_ok(NULL, 0, 299));
	ck_assert(!checker_http_status_ok(NULL, 0, 199));
	ck_assert(!checker_http_status_ok(NULL, 0, 300));
	ck_assert(!checker_http_status_ok(NULL, 0, 503));
	ck_assert(!checker_http_status_ok(NULL, 0, 0));
}
END_TEST

START_TEST(status_single_code_matches_only_itself)
{
	const struct conf_status_range r[] = { { .lo = 204, .hi = 204 } };

	ck_assert(checker_http_status_ok(r, 1, 204));
	ck_assert(!checker_http_status_ok(r, 1, 200));
	ck_assert(!checker_http_status_ok(r, 1, 203));
	ck_assert(!checker_http_status_ok(r, 1, 205));
}
END_TEST

START_TEST(status_ranges_are_inclusive_at_both_ends)
{
	const struct conf_status_range r[] = { { .lo = 200, .hi = 202 },
		{ .lo = 301, .hi = 302 }, { .lo = 404, .hi = 404 } };

	ck_assert(checker_http_status_ok(r, 3, 200));
	ck_assert(checker_http_status_ok(r, 3, 202));
	ck_assert(!checker_http_status_ok(r, 3, 203));
	ck_assert(!checker_http_status_ok(r, 3, 300));
	ck_assert(checker_http_status_ok(r, 3, 301));
	ck_assert(checker_http_status_ok(r, 3, 302));
	ck_assert(!checker_http_status_ok(r, 3, 303));
	ck_assert(checker_http_status_ok(r, 3, 404));
	ck_assert(!checker_http_status_ok(r, 3, 503));
}
END_TEST

START_TEST(status_out_of_range_values_never_match)
{
	const struct conf_status_range all[] = { { .lo = 0, .hi = 65535 } };
	const struct conf_status_range empty[] = { { .lo = 300, .hi = 200 } };

	ck_assert(!checker_http_status_ok(all, 1, -1));
	ck_assert(!checker_http_status_ok(all, 1, 65536));
	ck_assert(checker_http_status_ok(all, 1, 0));
	ck_assert(!checker_http_status_ok(empty, 1, 250));
}
END_TEST

/*
 * Pure: body match
 */

static bool
body_matches(const char *pattern, const char *buf, size_t len)
{
	regex_t re;
	bool ok;

	ck_assert_int_eq(checker_http_body_compile(&re, pattern), 0);
	ok = checker_http_body_match(&re, buf, len);
	regfree(&re);
	return ok;
}

START_TEST(body_regex_matches_anywhere)
{
	ck_assert(body_matches("OK", "status: OK\n", 11));
	ck_assert(body_matches("^status: (OK|GOOD)$", "status: GOOD", 12));
	ck_assert(body_matches("[0-9]{3}", "code 200 here", 13));
}
END_TEST

START_TEST(body_anchors_match_at_every_line)
{
	static const char body[] = "<html>\nstatus: OK\n</html>\n";

	ck_assert(body_matches("^status: OK$", body, sizeof(body) - 1));
	ck_assert(body_matches("^<html>$", body, sizeof(body) - 1));
	ck_assert(!body_matches("^OK$", body, sizeof(body) - 1));
	/* "." stays within a line. */
	ck_assert(!body_matches("html>.status", body, sizeof(body) - 1));
}
END_TEST

START_TEST(body_regex_mismatch_is_false)
{
	ck_assert(!body_matches("OK", "status: FAIL\n", 13));
	ck_assert(!body_matches("^OK$", "OK then more", 12));
}
END_TEST

START_TEST(body_is_bounded_by_its_length_not_a_nul)
{
	/* The buffer is not terminated where the body ends. */
	ck_assert(!body_matches("OK", "xxOKxx", 2));
	ck_assert(body_matches("OK", "xxOKxx", 4));
	ck_assert(body_matches("^xxOK$", "xxOKxx", 4));
}
END_TEST

START_TEST(body_with_embedded_nul_is_searched_past_it)
{
	static const char body[] = { 'a', 'b', 'c', '\0', 'O', 'K' };

	ck_assert(body_matches("OK", body, sizeof(body)));
	ck_assert(body_matches("^abc", body, sizeof(body)));
	/* A NUL is a byte that "." does not match. */
	ck_assert(!body_matches("^abc.OK$", body, sizeof(body)));
	ck_assert(!body_matches("FAIL", body, sizeof(body)));
}
END_TEST

START_TEST(body_empty_matches_only_what_matches_nothing)
{
	ck_assert(body_matches("^$", NULL, 0));
	ck_assert(body_matches("^$", "", 0));
	ck_assert(body_matches("x*", NULL, 0));
	ck_assert(!body_matches("OK", NULL, 0));
	ck_assert(!body_matches(".", "", 0));
}
END_TEST

/*
 * Pure: transfer outcome
 */

static struct checker_outcome
classify(CURLcode code, long os_errno, bool too_big)
{
	struct checker_outcome o = { .result = CHECKER_OK, .detail = 77 };

	checker_http_classify(code, os_errno, too_big, &o);
	return o;
}

START_TEST(classify_maps_connect_errors_by_errno)
{
	struct checker_outcome o;

	o = classify(CURLE_COULDNT_CONNECT, ECONNREFUSED, false);
	ck_assert_int_eq(o.result, CHECKER_CONNECT_REFUSED);
	ck_assert_int_eq(o.detail, 0);
	o = classify(CURLE_COULDNT_CONNECT, EHOSTUNREACH, false);
	ck_assert_int_eq(o.result, CHECKER_UNREACHABLE);
	o = classify(CURLE_COULDNT_CONNECT, ENETUNREACH, false);
	ck_assert_int_eq(o.result, CHECKER_UNREACHABLE);
	o = classify(CURLE_COULDNT_CONNECT, EACCES, false);
	ck_assert_int_eq(o.result, CHECKER_CONNECT_ERROR);
	ck_assert_int_eq(o.detail, EACCES);
	o = classify(CURLE_COULDNT_RESOLVE_HOST, 0, false);
	ck_assert_int_eq(o.result, CHECKER_UNREACHABLE);
	o = classify(CURLE_OPERATION_TIMEDOUT, 0, false);
	ck_assert_int_eq(o.result, CHECKER_TIMEOUT);
}
END_TEST

START_TEST(classify_maps_tls_and_protocol_failures)
{
	ck_assert_int_eq(
	    classify(CURLE_PEER_FAILED_VERIFICATION, 0, false).result,
	    CHECKER_TLS_VERIFY);
	ck_assert_int_eq(classify(CURLE_SSL_CONNECT_ERROR, 0, false).result,
	    CHECKER_TLS_ERROR);
	ck_assert_int_eq(classify(CURLE_SSL_CACERT_BADFILE, 0, false).result,
	    CHECKER_TLS_ERROR);
	ck_assert_int_eq(classify(CURLE_WEIRD_SERVER_REPLY, 0, false).result,
	    CHECKER_HTTP_PROTOCOL);
	ck_assert_int_eq(classify(CURLE_UNSUPPORTED_PROTOCOL, 0, false).result,
	    CHECKER_HTTP_PROTOCOL);
	ck_assert_int_eq(classify(CURLE_GOT_NOTHING, 0, false).result,
	    CHECKER_HTTP_PROTOCOL);
	ck_assert_int_eq(classify(CURLE_OK, 0, false).result, CHECKER_OK);
	ck_assert_int_eq(classify(CURLE_OK, 0, false).detail, 0);
}
END_TEST

START_TEST(classify_too_big_wins_over_the_write_error)
{
	ck_assert_int_eq(classify(CURLE_WRITE_ERROR, 0, true).result,
	    CHECKER_HTTP_TOO_BIG);
	ck_assert_int_eq(classify(CURLE_FILESIZE_EXCEEDED, 0, false).result,
	    CHECKER_HTTP_TOO_BIG);
	ck_assert_int_eq(classify(CURLE_OUT_OF_MEMORY, 0, false).result,
	    CHECKER_INTERNAL);
	ck_assert_int_eq(classify(CURLE_OUT_OF_MEMORY, 0, false).detail,
	    ENOMEM);
	ck_assert_int_eq(classify(CURLE_WRITE_ERROR, 0, false).result,
	    CHECKER_INTERNAL);
}
END_TEST

/*
 * Servers
 */

static pid_t srv_pid = -1;
static int srv_port;

static int
listen_any(int *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd, one = 1;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 16), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void
srv_send(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0 && (n = send(fd, p, len, MSG_NOSIGNAL)) > 0) {
		p += n;
		len -= (size_t)n;
	}
}

static void
srv_puts(int fd, const char *s)
{
	srv_send(fd, s, strlen(s));
}

static void
srv_sendf(int fd, const char *body)
{
	char buf[1024];
	int n;

	n = snprintf(buf, sizeof(buf),
	    "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s",
	    strlen(body), body);
	srv_send(fd, buf, (size_t)n);
}

/* The value of request header name, up to its line end. */
static void
srv_header(const char *req, const char *name, char *out, size_t size)
{
	const char *p = strcasestr(req, name), *e;

	out[0] = '\0';
	if (p == NULL)
		return;
	p += strlen(name);
	e = strstr(p, "\r\n");
	if (e == NULL || (size_t)(e - p) >= size)
		return;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
}

static void
srv_stream(int fd, const char *head)
{
	static char chunk[16384];

	memset(chunk, 'x', sizeof(chunk));
	srv_send(fd, head, strlen(head));
	for (int i = 0; i < 1024; i++)
		if (send(fd, chunk, sizeof(chunk), MSG_NOSIGNAL) < 0)
			return;
}

/* Answers one request by its path. */
static void
srv_answer(int fd, const char *req)
{
	static const char nul[] = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n"
				  "Connection: close\r\n\r\nabc\0OK";
	char val[256], body[300];

	if (strncmp(req, "HEAD /head ", 11) == 0)
		srv_puts(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
	else if (strncmp(req, "GET /head ", 10) == 0)
		srv_puts(fd, "HTTP/1.1 405 No\r\nContent-Length: 0\r\n\r\n");
	else if (strncmp(req, "GET /ok ", 8) == 0)
		srv_sendf(fd, "status: OK\n");
	else if (strncmp(req, "GET /503 ", 9) == 0)
		srv_puts(fd,
		    "HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy");
	else if (strncmp(req, "GET /redirect ", 14) == 0)
		srv_puts(fd,
		    "HTTP/1.1 302 Found\r\nLocation: /ok\r\n"
		    "Content-Length: 0\r\n\r\n");
	else if (strncmp(req, "GET /garbage ", 13) == 0)
		srv_puts(fd, "no http here\r\n\r\n");
	else if (strncmp(req, "GET /badstatus ", 15) == 0)
		srv_puts(fd, "HTTP/1.1 abc\r\n\r\n");
	else if (strncmp(req, "GET /nul ", 9) == 0)
		srv_send(fd, nul, sizeof(nul) - 1);
	else if (strncmp(req, "GET /huge ", 10) == 0)
		srv_stream(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
	else if (strncmp(req, "GET /huge-cl ", 13) == 0)
		srv_stream(fd,
		    "HTTP/1.1 200 OK\r\nContent-Length: 16777216"
		    "\r\n\r\n");
	else if (strncmp(req, "GET /hang ", 10) == 0) {
		/* Until the client gives up. */
		while (read(fd, val, sizeof(val)) > 0)
			continue;
	} else if (strncmp(req, "GET /host ", 10) == 0) {
		srv_header(req, "\r\nHost: ", val, sizeof(val));
		snprintf(body, sizeof(body), "host=%s", val);
		srv_sendf(fd, body);
	} else if (strncmp(req, "GET /ua ", 8) == 0) {
		srv_header(req, "\r\nUser-Agent: ", val, sizeof(val));
		snprintf(body, sizeof(body), "ua=%s", val);
		srv_sendf(fd, body);
	} else if (strncmp(req, "GET /close ", 11) != 0)
		srv_puts(fd, "HTTP/1.1 404 No\r\nContent-Length: 0\r\n\r\n");
}

static void
srv_serve(int lfd)
{
	char req[4096];
	size_t n;
	ssize_t r;
	int fd;

	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			continue;
		n = 0;
		req[0] = '\0';
		while (n < sizeof(req) - 1 && strstr(req, "\r\n\r\n") == NULL) {
			if ((r = read(fd, req + n, sizeof(req) - 1 - n)) <= 0)
				break;
			n += (size_t)r;
			req[n] = '\0';
			/* Not a request line (a TLS ClientHello): answer now. */
			if (req[0] < 'A' || req[0] > 'Z')
				break;
		}
		srv_answer(fd, req);
		close(fd);
	}
}

/* Dies with the test process, even when an assertion ends it. */
static void
die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
}

static void
srv_start(void)
{
	pid_t parent = getpid();
	int lfd = listen_any(&srv_port);

	srv_pid = fork();
	ck_assert_int_ne(srv_pid, -1);
	if (srv_pid == 0) {
		die_with_parent(parent);
		srv_serve(lfd);
		_exit(0);
	}
	close(lfd);
}

static void
srv_stop(void)
{
	if (srv_pid > 0) {
		kill(srv_pid, SIGKILL);
		waitpid(srv_pid, NULL, 0);
	}
	srv_pid = -1;
}

/*
 * Driving the kind
 */

struct harness {
	struct ev_loop *loop;
	struct conf_check cc;
	char url[256];
	struct checker c;
};

static void h_setup(struct harness *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
h_setup(struct harness *h, const char *fmt, ...)
{
	va_list ap;

	memset(h, 0, sizeof(*h));
	va_start(ap, fmt);
	vsnprintf(h->url, sizeof(h->url), fmt, ap);
	va_end(ap);
	h->loop = ev_loop_new(EVFLAG_AUTO);
	ck_assert_ptr_nonnull(h->loop);
	h->cc.name = "web";
	h->cc.kind = CONF_CHECK_HTTP;
	h->cc.url = h->url;
	h->cc.timeout_ms = 3000;
	h->cc.interval_ms = 5000;
	h->cc.tls_verify = true;
	h->c.cc = &h->cc;
	h->c.loop = h->loop;
	h->c.kind = &checker_kind_http;
	checker_eval_init(&h->c.eval, 1, 1, false);
}

static const char *
h_init(struct harness *h)
{
	const char *err = NULL;

	if (h->c.kind->init(&h->c, &err) != 0) {
		ck_assert_ptr_nonnull(err);
		return err;
	}
	return NULL;
}

static void
h_start(struct checker *c)
{
	struct checker_outcome o = { .result = CHECKER_OK };

	c->running = true;
	c->started_us = util_now_us();
	ck_assert_int_eq(c->kind->start(c, &o), 0);
	/* Never reported from inside start(). */
	ck_assert(c->running);
}

static void
flag_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	*(bool *)w->data = true;
}

/* Runs loop until every check in cs has its result, or limit_s passes. */
static void
run_until_done(struct ev_loop *loop, struct checker **cs, size_t n,
    double limit_s)
{
	ev_timer guard;
	bool expired = false, busy = true;

	ev_timer_init(&guard, flag_cb, limit_s, 0.0);
	guard.data = &expired;
	ev_timer_start(loop, &guard);
	while (busy && !expired) {
		ev_run(loop, EVRUN_ONCE);
		busy = false;
		for (size_t i = 0; i < n; i++)
			busy = busy || cs[i]->running;
	}
	ev_timer_stop(loop, &guard);
	ck_assert_msg(!busy, "no result within %.1f s", limit_s);
}

/* Runs the loop for s seconds. */
static void
run_for(struct ev_loop *loop, double s)
{
	ev_timer t;
	bool done = false;

	ev_timer_init(&t, flag_cb, s, 0.0);
	t.data = &done;
	ev_timer_start(loop, &t);
	while (!done)
		ev_run(loop, EVRUN_ONCE);
}

static struct checker_outcome
h_run(struct harness *h)
{
	struct checker *c = &h->c;
	const char *err = h_init(h);

	ck_assert_msg(err == NULL, "init: %s", err);
	h_start(c);
	run_until_done(h->loop, &c, 1, 10.0);
	return c->last;
}

static void
h_done(struct harness *h)
{
	if (h->c.kstate != NULL)
		h->c.kind->fini(&h->c);
	ck_assert_ptr_null(h->c.kstate);
	ev_loop_destroy(h->loop);
}

#define ASSERT_RESULT(o, r)                                                \
	ck_assert_msg((o).result == (r), "result %s (detail %d), want %s", \
	    checker_result_name((o).result), (o).detail,                   \
	    checker_result_name(r))

/*
 * Integration: plain HTTP
 */

static void
http_setup(void)
{
	srv_start();
}

static void
http_teardown(void)
{
	srv_stop();
}

START_TEST(http_200_is_ok)
{
	struct harness h;
	struct checker_outcome o;

	h_setup(&h, "http://127.0.0.1:%d/ok", srv_port);
	o = h_run(&h);
	ASSERT_RESULT(o, CHECKER_OK);
	ck_assert_int_eq(o.detail, 0);
	ck_assert_uint_gt(o.latency_us, 0);
	ck_assert(h.c.eval.up);
	h_done(&h);
}
END_TEST

START_TEST(http_503_is_status_with_the_code)
{
	struct harness h;
	struct checker_outcome o;

	h_setup(&h, "http://127.0.0.1:%d/503", srv_port);
	o = h_run(&h);
	ASSERT_RESULT(o, CHECKER_HTTP_STATUS);
	ck_assert_int_eq(o.detail, 503);
	ck_assert(!h.c.eval.up);
	h_done(&h);
}
END_TEST

START_TEST(http_503_is_ok_when_expected)
{
	struct conf_status_range r[] = { { .lo = 200, .hi = 200 },
		{ .lo = 500, .hi = 503 } };
	struct harness h;

	h_setup(&h, "http://127.0.0.1:%d/503", srv_port);
	h.cc.expect_status = r;
	h.cc.nexpect_status = 2;
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);
}
END_TEST

START_TEST(http_redirect_is_not_followed)
{
	struct conf_status_range r[] = { { .lo = 300, .hi = 399 } };
	struct harness h;
	struct checker_outcome o;

	h_setup(&h, "http://127.0.0.1:%d/redirect", srv_port);
	o = h_run(&h);
	ASSERT_RESULT(o, CHECKER_HTTP_STATUS);
	ck_assert_int_eq(o.detail, 302);
	h_done(&h);

	h_setup(&h, "http://127.0.0.1:%d/redirect", srv_port);
	h.cc.expect_status = r;
	h.cc.nexpect_status = 1;
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);
}
END_TEST

START_TEST(http_garbage_reply_is_protocol_error)
{
	struct harness h;

	h_setup(&h, "http://127.0.0.1:%d/garbage", srv_port);
	ASSERT_RESULT(h_run(&h), CHECKER_HTTP_PROTOCOL);
	h_done(&h);
	h_setup(&h, "http://127.0.0.1:%d/badstatus", srv_port);
	ASSERT_RESULT(h_run(&h), CHECKER_HTTP_PROTOCOL);
	h_done(&h);
	h_setup(&h, "http://127.0.0.1:%d/close", srv_port);
	ASSERT_RESULT(h_run(&h), CHECKER_HTTP_PROTOCOL);
	h_done(&h);
}
END_TEST

START_TEST(http_body_regex_matches_or_fails)
{
	struct harness h;

	h_setup(&h, "http://127.0.0.1:%d/ok", srv_port);
	h.cc.expect_body = "^status: (OK|GOOD)$";
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);

	h_setup(&h, "http://127.0.0.1:%d/ok", srv_port);
	h.cc.expect_body = "FAIL";
	ASSERT_RESULT(h_run(&h), CHECKER_HTTP_BODY);
	h_done(&h);
}
END_TEST

START_TEST(http_body_with_nul_is_searched_whole)
{
	struct harness h;

	h_setup(&h, "http://127.0.0.1:%d/nul", srv_port);
	h.cc.expect_body = "OK$";
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);
}
END_TEST

START_TEST(http_huge_body_is_too_big)
{
	struct harness h;

	/* Streamed without a length: cut off past max_size. */
	h_setup(&h, "http://127.0.0.1:%d/huge", srv_port);
	h.cc.max_size = 100000;
	ASSERT_RESULT(h_run(&h), CHECKER_HTTP_TOO_BIG);
	h_done(&h);

	/* The default limit (64 KiB), with a body buffer. */
	h_setup(&h, "http://127.0.0.1:%d/huge", srv_port);
	h.cc.expect_body = "y";
	ASSERT_RESULT(h_run(&h), CHECKER_HTTP_TOO_BIG);
	h_done(&h);

	/* A Content-Length past max_size is refused before the body. */
	h_setup(&h, "http://127.0.0.1:%d/huge-cl", srv_port);
	ASSERT_RESULT(h_run(&h), CHECKER_HTTP_TOO_BIG);
	h_done(&h);
}
END_TEST

START_TEST(http_max_size_counts_headers_too)
{
	struct harness h;

	/* /ok is 11 body bytes after about 60 bytes of headers. */
	h_setup(&h, "http://127.0.0.1:%d/ok", srv_port);
	h.cc.max_size = 40;
	ASSERT_RESULT(h_run(&h), CHECKER_HTTP_TOO_BIG);
	h_done(&h);
	h_setup(&h, "http://127.0.0.1:%d/ok", srv_port);
	h.cc.max_size = 200;
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);
}
END_TEST

START_TEST(http_head_sends_head)
{
	struct harness h;

	h_setup(&h, "http://127.0.0.1:%d/head", srv_port);
	h.cc.method = "HEAD";
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);
	h_setup(&h, "http://127.0.0.1:%d/head", srv_port);
	h.cc.method = "GET";
	ASSERT_RESULT(h_run(&h), CHECKER_HTTP_STATUS);
	h_done(&h);
}
END_TEST

START_TEST(http_host_header_and_user_agent_are_sent)
{
	struct harness h;

	h_setup(&h, "http://127.0.0.1:%d/host", srv_port);
	h.cc.host = "vip.example.test";
	h.cc.expect_body = "^host=vip\\.example\\.test$";
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);

	/* Without host: the URL's. */
	h_setup(&h, "http://127.0.0.1:%d/host", srv_port);
	h.cc.expect_body = "^host=127\\.0\\.0\\.1:[0-9]+$";
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);

	h_setup(&h, "http://127.0.0.1:%d/ua", srv_port);
	h.cc.expect_body = "^ua=vrrpd-check/1$";
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);
}
END_TEST

START_TEST(http_proxy_from_environment_is_ignored)
{
	struct harness h;

	setenv("http_proxy", "http://127.0.0.1:9/", 1);
	setenv("HTTPS_PROXY", "http://127.0.0.1:9/", 1);
	setenv("ALL_PROXY", "http://127.0.0.1:9/", 1);
	h_setup(&h, "http://127.0.0.1:%d/ok", srv_port);
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);
}
END_TEST

START_TEST(http_bind_address_is_used)
{
	struct harness h;

	h_setup(&h, "http://127.0.0.1:%d/ok", srv_port);
	h.cc.has_bind = true;
	ck_assert_int_eq(addr_parse("127.0.0.1", &h.cc.bind), 0);
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);
}
END_TEST

START_TEST(http_refused_port_is_connect_refused)
{
	struct harness h;
	int port, fd = listen_any(&port);

	close(fd);
	h_setup(&h, "http://127.0.0.1:%d/ok", port);
	ASSERT_RESULT(h_run(&h), CHECKER_CONNECT_REFUSED);
	h_done(&h);
}
END_TEST

struct ticker {
	ev_timer w;
	unsigned int n;
	uint64_t last_us, max_gap_us;
};

static void
tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ticker *t = (struct ticker *)w;
	uint64_t now = util_now_us();

	(void)loop;
	(void)revents;
	if (now - t->last_us > t->max_gap_us)
		t->max_gap_us = now - t->last_us;
	t->last_us = now;
	t->n++;
}

START_TEST(http_hung_server_times_out_without_blocking_the_loop)
{
	struct harness h;
	struct ticker t = { .n = 0 };
	struct checker *c = &h.c;
	uint64_t t0;

	h_setup(&h, "http://127.0.0.1:%d/hang", srv_port);
	h.cc.timeout_ms = 400;
	ck_assert_ptr_null(h_init(&h));
	ev_timer_init(&t.w, tick_cb, 0.010, 0.010);
	ev_timer_start(h.loop, &t.w);
	t0 = t.last_us = util_now_us();
	h_start(c);
	run_until_done(h.loop, &c, 1, 5.0);
	ev_timer_stop(h.loop, &t.w);
	ASSERT_RESULT(c->last, CHECKER_TIMEOUT);
	ck_assert_uint_ge(util_now_us() - t0, 390000);
	ck_assert_uint_lt(util_now_us() - t0, 3000000);
	/* About 40 ticks in 400 ms; none held up. */
	ck_assert_uint_ge(t.n, 20);
	ck_assert_msg(t.max_gap_us < 100000, "the loop stalled %llu us",
	    (unsigned long long)t.max_gap_us);
	h_done(&h);
}
END_TEST

START_TEST(http_cancel_stops_without_reporting_and_reruns)
{
	struct harness h;
	struct checker *c = &h.c;

	h_setup(&h, "http://127.0.0.1:%d/hang", srv_port);
	h.cc.timeout_ms = 300;
	ck_assert_ptr_null(h_init(&h));
	h_start(c);
	run_for(h.loop, 0.05);
	ck_assert(c->running);
	c->kind->cancel(c);
	/* Past the timeout: nothing may come. */
	run_for(h.loop, 0.4);
	ck_assert(c->running);
	ck_assert_int_eq(c->last.result, CHECKER_OK);
	ck_assert_uint_eq(c->last.latency_us, 0);

	/* The same check runs again (the server is free once we left). */
	c->running = false;
	snprintf(h.url, sizeof(h.url), "http://127.0.0.1:%d/503", srv_port);
	c->kind->fini(c);
	ck_assert_ptr_null(h_init(&h));
	h_start(c);
	run_until_done(h.loop, &c, 1, 5.0);
	ASSERT_RESULT(c->last, CHECKER_HTTP_STATUS);
	h_start(c);
	run_until_done(h.loop, &c, 1, 5.0);
	ASSERT_RESULT(c->last, CHECKER_HTTP_STATUS);
	ck_assert_int_eq(c->last.detail, 503);
	h_done(&h);
}
END_TEST

START_TEST(http_checks_on_one_loop_run_side_by_side)
{
	struct harness a;
	struct conf_check cc2;
	struct checker b = { .kind = &checker_kind_http };
	struct checker *cs[2];
	const char *err = NULL;
	char url2[256];

	h_setup(&a, "http://127.0.0.1:%d/ok", srv_port);
	ck_assert_ptr_null(h_init(&a));
	/* b shares a's loop, so libcurl's multi handle. */
	cc2 = a.cc;
	snprintf(url2, sizeof(url2), "http://127.0.0.1:%d/503", srv_port);
	cc2.url = url2;
	b.cc = &cc2;
	b.loop = a.loop;
	checker_eval_init(&b.eval, 1, 1, false);
	ck_assert_int_eq(b.kind->init(&b, &err), 0);
	cs[0] = &a.c;
	cs[1] = &b;
	for (int round = 0; round < 3; round++) {
		h_start(cs[0]);
		h_start(cs[1]);
		run_until_done(a.loop, cs, 2, 5.0);
		ASSERT_RESULT(cs[0]->last, CHECKER_OK);
		ASSERT_RESULT(cs[1]->last, CHECKER_HTTP_STATUS);
	}
	b.kind->fini(&b);
	/* The shared handle outlives b for a. */
	h_start(cs[0]);
	run_until_done(a.loop, cs, 1, 5.0);
	ASSERT_RESULT(cs[0]->last, CHECKER_OK);
	h_done(&a);
}
END_TEST

static void
count_change(void *arg, struct tracker *t)
{
	(void)t;
	(*(int *)arg)++;
}

static int
open_fds(void)
{
	char path[64];
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (access(path, F_OK) == 0)
			n++;
	}
	return n;
}

START_TEST(http_through_the_framework_reports_every_run)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct conf_global g = { .script_user = NULL };
	struct conf_check cc = { .name = "web",
		.kind = CONF_CHECK_HTTP,
		.interval_ms = 20,
		.timeout_ms = 1000,
		.rise = 1,
		.fall = 1,
		.tls_verify = true };
	struct checker *c;
	const char *err = NULL;
	char url[128];
	struct tracker_sub sub = { 0 };
	int changes = 0, fds;
	uint64_t deadline;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/503", srv_port);
	cc.url = url;
	c = checker_new(loop, &cc, &g, &err);
	ck_assert_msg(c != NULL, "checker_new: %s", err);
	tracker_subscribe(checker_tracker(c), &sub, count_change, &changes);
	fds = open_fds();
	checker_start(c);
	deadline = util_now_us() + 5000000;
	while (changes == 0 && util_now_us() < deadline)
		ev_run(loop, EVRUN_ONCE);
	ck_assert_int_eq(changes, 1);
	ck_assert(!checker_up(c));
	ck_assert_int_eq(checker_last(c)->result, CHECKER_HTTP_STATUS);
	ck_assert_int_eq(checker_last(c)->detail, 503);
	ck_assert_uint_gt(checker_last(c)->latency_us, 0);
	/* Many more runs: no descriptor is left behind. */
	deadline = util_now_us() + 400000;
	while (util_now_us() < deadline)
		ev_run(loop, EVRUN_ONCE);
	while (c->running)
		ev_run(loop, EVRUN_ONCE);
	ck_assert_int_eq(open_fds(), fds);
	checker_free(c);
	ev_loop_destroy(loop);
}
END_TEST

START_TEST(http_checker_free_during_a_run_cancels_it)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct conf_global g = { .script_user = NULL };
	struct conf_check cc = { .name = "web",
		.kind = CONF_CHECK_HTTP,
		.interval_ms = 1000,
		.timeout_ms = 1000,
		.tls_verify = true };
	struct checker *c;
	const char *err = NULL;
	char url[128];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hang", srv_port);
	cc.url = url;
	c = checker_new(loop, &cc, &g, &err);
	ck_assert_msg(c != NULL, "checker_new: %s", err);
	checker_start(c);
	/* the first run starts within the first interval */
	for (int i = 0; i < 30 && !c->running; i++)
		run_for(loop, 0.05);
	ck_assert(c->running);
	checker_free(c);
	/* Nothing of the check is left on the loop. */
	run_for(loop, 0.05);

	cc.url = "gopher://127.0.0.1/";
	ck_assert_ptr_null(checker_new(loop, &cc, &g, &err));
	ck_assert_str_eq(err, "the url is not http:// or https://");
	ev_loop_destroy(loop);
}
END_TEST

/* True when a file whose name holds what is mapped into this process. */
static bool
mapped(const char *what)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	bool found = false;

	ck_assert_ptr_nonnull(f);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, what) != NULL;
	fclose(f);
	return found;
}

/*
 * libcurl is opened by the first HTTP check, not linked: a daemon with no
 * HTTP check never maps it (each test runs in a fresh child, CK_FORK).
 */
START_TEST(http_libcurl_is_loaded_by_the_first_http_check)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct conf_global g = { .script_user = NULL };
	struct conf_check cc = { .name = "web",
		.kind = CONF_CHECK_HTTP,
		.interval_ms = 1000,
		.timeout_ms = 1000,
		.tls_verify = true };
	struct checker *c;
	const char *err = NULL;
	char url[128];

	ck_assert_msg(!mapped("libcurl"), "libcurl mapped before any check");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", srv_port);
	cc.url = url;
	c = checker_new(loop, &cc, &g, &err);
	ck_assert_msg(c != NULL, "checker_new: %s", err);
	ck_assert(mapped("libcurl.so.4"));
	checker_free(c);
	ev_loop_destroy(loop);
}
END_TEST

START_TEST(http_init_refuses_bad_settings)
{
	static const struct {
		const char *url, *method, *body, *host;
	} bad[] = {
		{ "ftp://127.0.0.1/", NULL, NULL, NULL },
		{ "not a url", NULL, NULL, NULL },
		{ "", NULL, NULL, NULL },
		{ "http://127.0.0.1/", "POST", NULL, NULL },
		{ "http://127.0.0.1/", "HEAD", "OK", NULL },
		{ "http://127.0.0.1/", NULL, "(unclosed", NULL },
		{ "http://127.0.0.1/", NULL, "a{2,1}", NULL },
		{ "http://127.0.0.1/", NULL, NULL, "evil\r\nX-Injected: 1" },
		{ "http://127.0.0.1/", NULL, NULL, "" },
	};
	struct harness h;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h_setup(&h, "%s", bad[i].url);
		h.cc.method = (char *)(uintptr_t)bad[i].method;
		h.cc.expect_body = (char *)(uintptr_t)bad[i].body;
		h.cc.host = (char *)(uintptr_t)bad[i].host;
		ck_assert_msg(h_init(&h) != NULL, "accepted case %zu", i);
		ck_assert_ptr_null(h.c.kstate);
		h_done(&h);
	}
	h_setup(&h, "http://127.0.0.1/");
	h.cc.url = NULL;
	ck_assert_ptr_nonnull(h_init(&h));
	h_done(&h);
}
END_TEST

/*
 * Integration: HTTPS against openssl s_server
 */

static char tls_dir[64];
static char tls_cert[128], tls_key[128];
static pid_t tls_pid = -1;
static int tls_port;
static const char *tls_fail; /* set when the fixture could not start */

static int
run_quiet(char *const argv[])
{
	pid_t pid;
	int st, fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool
port_open(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	ok = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return ok;
}

static void
tls_start_server(void)
{
	char accept[32];
	char *argv[] = { "openssl", "s_server", "-quiet", "-accept", accept,
		"-cert", tls_cert, "-key", tls_key, "-www", NULL };
	struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };
	pid_t parent = getpid();
	uint64_t deadline;
	int fd;

	close(listen_any(&tls_port));
	snprintf(accept, sizeof(accept), "127.0.0.1:%d", tls_port);
	if ((tls_pid = fork()) == -1) {
		tls_fail = "fork";
		return;
	}
	if (tls_pid == 0) {
		die_with_parent(parent);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	/* Ready when it accepts; polled against a deadline. */
	deadline = util_now_us() + 10 * 1000000ULL;
	while (!port_open(tls_port)) {
		if (util_now_us() > deadline ||
		    waitpid(tls_pid, NULL, WNOHANG) != 0) {
			tls_fail = "openssl s_server did not start";
			return;
		}
		nanosleep(&pause, NULL);
	}
}

static void
tls_setup(void)
{
	char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
		"ec_paramgen_curve:prime256v1", "-nodes", "-subj",
		"/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
		"-days", "2", "-keyout", tls_key, "-out", tls_cert, NULL };

	tls_fail = NULL;
	snprintf(tls_dir, sizeof(tls_dir), "/tmp/vrrpd-http-XXXXXX");
	if (mkdtemp(tls_dir) == NULL) {
		tls_fail = "mkdtemp";
		tls_dir[0] = '\0';
		return;
	}
	snprintf(tls_cert, sizeof(tls_cert), "%s/cert.pem", tls_dir);
	snprintf(tls_key, sizeof(tls_key), "%s/key.pem", tls_dir);
	if (run_quiet(argv) != 0) {
		tls_fail = "openssl req failed";
		return;
	}
	tls_start_server();
}

static void
tls_teardown(void)
{
	if (tls_pid > 0) {
		kill(tls_pid, SIGKILL);
		waitpid(tls_pid, NULL, 0);
		tls_pid = -1;
	}
	if (tls_dir[0] != '\0') {
		unlink(tls_cert);
		unlink(tls_key);
		rmdir(tls_dir);
		tls_dir[0] = '\0';
	}
}

START_TEST(https_self_signed_without_ca_is_verify_failure)
{
	struct harness h;

	ck_assert_msg(tls_fail == NULL, "fixture: %s", tls_fail);
	h_setup(&h, "https://127.0.0.1:%d/", tls_port);
	ASSERT_RESULT(h_run(&h), CHECKER_TLS_VERIFY);
	h_done(&h);
}
END_TEST

START_TEST(https_self_signed_with_its_ca_file_is_ok)
{
	struct harness h;

	ck_assert_msg(tls_fail == NULL, "fixture: %s", tls_fail);
	h_setup(&h, "https://127.0.0.1:%d/", tls_port);
	h.cc.ca_file = tls_cert;
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);
}
END_TEST

START_TEST(https_name_not_in_certificate_is_verify_failure)
{
	struct harness h;

	ck_assert_msg(tls_fail == NULL, "fixture: %s", tls_fail);
	/* The certificate names 127.0.0.1 only. */
	h_setup(&h, "https://localhost:%d/", tls_port);
	h.cc.ca_file = tls_cert;
	ASSERT_RESULT(h_run(&h), CHECKER_TLS_VERIFY);
	h_done(&h);
}
END_TEST

START_TEST(https_verify_off_accepts_self_signed)
{
	struct harness h;

	ck_assert_msg(tls_fail == NULL, "fixture: %s", tls_fail);
	h_setup(&h, "https://127.0.0.1:%d/", tls_port);
	h.cc.tls_verify = false;
	ASSERT_RESULT(h_run(&h), CHECKER_OK);
	h_done(&h);
}
END_TEST

START_TEST(https_missing_ca_file_is_tls_error)
{
	struct harness h;

	ck_assert_msg(tls_fail == NULL, "fixture: %s", tls_fail);
	h_setup(&h, "https://127.0.0.1:%d/", tls_port);
	h.cc.ca_file = "/nonexistent/ca.pem";
	ASSERT_RESULT(h_run(&h), CHECKER_TLS_ERROR);
	h_done(&h);
}
END_TEST

START_TEST(https_against_plain_http_is_tls_error)
{
	struct harness h;

	srv_start();
	/* The plain server answers a ClientHello with a 404 in clear. */
	h_setup(&h, "https://127.0.0.1:%d/ok", srv_port);
	h.cc.tls_verify = false;
	ASSERT_RESULT(h_run(&h), CHECKER_TLS_ERROR);
	h_done(&h);
	srv_stop();
}
END_TEST

static Suite *
check_http_suite(void)
{
	Suite *s = suite_create("check_http");
	TCase *tc;

	tc = tcase_create("status");
	tcase_add_test(tc, status_default_is_200_to_299);
	tcase_add_test(tc, status_single_code_matches_only_itself);
	tcase_add_test(tc, status_ranges_are_inclusive_at_both_ends);
	tcase_add_test(tc, status_out_of_range_values_never_match);
	suite_add_tcase(s, tc);

	tc = tcase_create("body");
	tcase_add_test(tc, body_regex_matches_anywhere);
	tcase_add_test(tc, body_anchors_match_at_every_line);
	tcase_add_test(tc, body_regex_mismatch_is_false);
	tcase_add_test(tc, body_is_bounded_by_its_length_not_a_nul);
	tcase_add_test(tc, body_with_embedded_nul_is_searched_past_it);
	tcase_add_test(tc, body_empty_matches_only_what_matches_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("classify");
	tcase_add_test(tc, classify_maps_connect_errors_by_errno);
	tcase_add_test(tc, classify_maps_tls_and_protocol_failures);
	tcase_add_test(tc, classify_too_big_wins_over_the_write_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("http");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, http_setup, http_teardown);
	tcase_add_test(tc, http_200_is_ok);
	tcase_add_test(tc, http_503_is_status_with_the_code);
	tcase_add_test(tc, http_503_is_ok_when_expected);
	tcase_add_test(tc, http_redirect_is_not_followed);
	tcase_add_test(tc, http_garbage_reply_is_protocol_error);
	tcase_add_test(tc, http_body_regex_matches_or_fails);
	tcase_add_test(tc, http_body_with_nul_is_searched_whole);
	tcase_add_test(tc, http_huge_body_is_too_big);
	tcase_add_test(tc, http_max_size_counts_headers_too);
	tcase_add_test(tc, http_head_sends_head);
	tcase_add_test(tc, http_host_header_and_user_agent_are_sent);
	tcase_add_test(tc, http_proxy_from_environment_is_ignored);
	tcase_add_test(tc, http_bind_address_is_used);
	tcase_add_test(tc, http_refused_port_is_connect_refused);
	tcase_add_test(tc,
	    http_hung_server_times_out_without_blocking_the_loop);
	tcase_add_test(tc, http_cancel_stops_without_reporting_and_reruns);
	tcase_add_test(tc, http_checks_on_one_loop_run_side_by_side);
	tcase_add_test(tc, http_through_the_framework_reports_every_run);
	tcase_add_test(tc, http_checker_free_during_a_run_cancels_it);
	tcase_add_test(tc, http_init_refuses_bad_settings);
	tcase_add_test(tc, http_libcurl_is_loaded_by_the_first_http_check);
	suite_add_tcase(s, tc);

	tc = tcase_create("https");
	tcase_set_timeout(tc, 30);
	tcase_add_unchecked_fixture(tc, tls_setup, tls_teardown);
	tcase_add_test(tc, https_self_signed_without_ca_is_verify_failure);
	tcase_add_test(tc, https_self_signed_with_its_ca_file_is_ok);
	tcase_add_test(tc, https_name_not_in_certificate_is_verify_failure);
	tcase_add_test(tc, https_verify_off_accepts_self_signed);
	tcase_add_test(tc, https_missing_ca_file_is_tls_error);
	tcase_add_test(tc, https_against_plain_http_is_tls_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(check_http_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
