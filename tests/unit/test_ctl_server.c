/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ctl/server and ctl/http over real sockets in a fresh loop and directory
 * per test: clients are driven by the loop itself (non-blocking, in this
 * process) or forked with other credentials (blocking, bounded by socket
 * timeouts, the reply passed back through a pipe). Every wait is on an
 * event with a deadline that fails the test, never a sleep.
 */

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>
#include <json-c/json.h>

#include "vrrpd/ctl.h"
#include "../../src/ctl/server_priv.h"

#define DEADLINE_S 5.0 /* any wait in these tests */
#define NOBODY	   65534
#define STATUS	   "{\"v\":1,\"cmd\":\"status\"}\n"
#define RELOAD	   "{\"v\":1,\"cmd\":\"reload\"}\n"
#define BIG_REPLY  (4u << 20)

static char base[32]; /* the runner's directory, removed after the tests */
static char dir[48], path[100];
static struct ev_loop *loop;
static FILE *log_file; /* stderr, read back by the tests */

/* What the handler saw, and what it answers. */
static struct {
	int calls;
	struct ctl_req req;
	struct ctl_peer peer;
	bool fail;
	size_t big;		/* a "text" member of this many bytes */
	struct ctl_server *srv; /* for the two below */
	bool free_srv;		/* as a reload dropping the socket */
	const char *move_to;	/* as a reload moving it */
} hs;

static struct json_object *
handler(void *arg, const struct ctl_req *req, const struct ctl_peer *peer)
{
	struct json_object *r;
	char *t;

	ck_assert_ptr_eq(arg, &hs);
	hs.calls++;
	hs.req = *req;
	hs.peer = *peer;
	if (hs.free_srv)
		ctl_server_free(hs.srv);
	if (hs.move_to != NULL) {
		struct ctl_server_opts o = { .path = hs.move_to };

		ck_assert_int_eq(ctl_server_reconfigure(hs.srv, &o), 0);
	}
	if (hs.fail)
		return NULL;
	r = ctl_reply_ok(req->cmd);
	json_object_object_add(r, "hello", json_object_new_string("world"));
	json_object_object_add(r, "where", json_object_new_string("/run/x"));
	if (hs.big > 0) {
		ck_assert_ptr_nonnull(t = malloc(hs.big));
		memset(t, 'x', hs.big);
		json_object_object_add(r, "text",
		    json_object_new_string_len(t, (int)hs.big));
		free(t);
	}
	return r;
}

static int
rm_cb(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

/* Unchecked: in the runner, so a failed test's files still go. */
static void
base_setup(void)
{
	snprintf(base, sizeof(base), "/tmp/vrrpd-ctl.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	ck_assert_int_eq(chmod(base, 0755), 0);
}

static void
base_teardown(void)
{
	nftw(base, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* Log lines go to a file the test can read. */
static void
log_capture(void)
{
	ck_assert_ptr_nonnull(log_file = tmpfile());
	ck_assert_int_ne(dup2(fileno(log_file), STDERR_FILENO), -1);
}

/* Everything logged since log_capture(), NUL-terminated (static). */
static const char *
log_text(void)
{
	static char buf[16384];
	ssize_t n = pread(fileno(log_file), buf, sizeof(buf) - 1, 0);

	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return buf;
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "%s/t.XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/vrrpd.sock", dir);
	ck_assert_ptr_nonnull(loop = ev_loop_new(EVFLAG_AUTO));
	memset(&hs, 0, sizeof(hs));
	log_capture();
}

static void
teardown(void)
{
	ev_loop_destroy(loop);
	nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static bool
exists(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0;
}

/* ---- clients: bytes read until the end of the stream ---- */

struct cl {
	int fd;
	pid_t pid; /* forked: fd is the pipe from it */
	ev_io io;
	char *buf;
	size_t len, cap;
	bool done;
};

static void
cl_read_cb(struct ev_loop *l, ev_io *w, int revents)
{
	struct cl *c = w->data;
	ssize_t n;

	(void)revents;
	for (;;) {
		if (c->cap - c->len < 65536) {
			c->cap = c->cap * 2 + 65536;
			ck_assert_ptr_nonnull(c->buf = realloc(c->buf, c->cap));
		}
		n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
		if (n > 0) {
			c->len += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		break; /* the end, or a reset after the reply */
	}
	c->buf[c->len] = '\0';
	ev_io_stop(l, w);
	c->done = true;
}

static void
cl_watch(struct cl *c, int fd)
{
	c->fd = fd;
	ck_assert_int_eq(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	ev_io_init(&c->io, cl_read_cb, fd, EV_READ);
	c->io.data = c;
	ev_io_start(loop, &c->io);
}

/* Connected, not yet read; EAGAIN (a full backlog) lets the loop run. */
static void
cl_connect(struct cl *c, const char *p)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	memset(c, 0, sizeof(*c));
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", p);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(c->fd, 0);
	for (int tries = 0;; tries++) {
		if (connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			return;
		ck_assert_msg(errno == EAGAIN && tries < 100, "connect %s: %s",
		    p, strerror(errno));
		ev_run(loop, EVRUN_NOWAIT);
	}
}

static void
cl_send(struct cl *c, const char *data, size_t len)
{
	ck_assert_int_eq(send(c->fd, data, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Connect, send req, and read what comes back as the loop runs. */
static void
cl_exchange(struct cl *c, const char *req)
{
	cl_connect(c, path);
	cl_send(c, req, strlen(req));
	cl_watch(c, c->fd);
}

static void
cl_close(struct cl *c)
{
	int st;

	ev_io_stop(loop, &c->io);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	if (c->pid > 0) {
		ck_assert_int_eq(waitpid(c->pid, &st, 0), c->pid);
		c->pid = 0;
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "client status %d", st);
	}
}

/* ---- the loop, until a condition holds or the deadline fails us ---- */

static bool timed_out;

static void
deadline_cb(struct ev_loop *l, ev_timer *w, int revents)
{
	(void)l;
	(void)w;
	(void)revents;
	timed_out = true;
}

/* Wakes the loop, so conditions outside it are seen within 10 ms. */
static void
tick_cb(struct ev_loop *l, ev_timer *w, int revents)
{
	(void)l;
	(void)w;
	(void)revents;
}

static void
run_until(bool (*cond)(const void *), const void *arg, const char *what)
{
	ev_timer deadline, tick;

	timed_out = false;
	ev_timer_init(&deadline, deadline_cb, DEADLINE_S, 0.);
	ev_timer_init(&tick, tick_cb, 0.01, 0.01);
	ev_timer_start(loop, &deadline);
	ev_timer_start(loop, &tick);
	while (!cond(arg) && !timed_out)
		ev_run(loop, EVRUN_ONCE);
	ev_timer_stop(loop, &deadline);
	ev_timer_stop(loop, &tick);
	ck_assert_msg(cond(arg), "%s: not within %g s", what, DEADLINE_S);
}

static bool
all_done(const void *arg)
{
	for (struct cl *const *v = arg; *v != NULL; v++)
		if (!(*v)->done)
			return false;
	return true;
}

#define RUN(...) \
	run_until(all_done, (struct cl *[]) { __VA_ARGS__, NULL }, #__VA_ARGS__)

static bool
calls_reach(const void *arg)
{
	return hs.calls >= *(const int *)arg;
}

/* The peer closed, seen without reading what it sent. */
static bool
peer_closed(const void *arg)
{
	struct pollfd p = { .fd = *(const int *)arg, .events = POLLRDHUP };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP));
}

/* ---- replies ---- */

/*
 * One JSON line with "v": 1, "ok", "cmd" (NULL: null), and for an error
 * (code not NULL) its code and a message holding msg.
 */
static void
expect_reply(const struct cl *c, const char *cmd, const char *code,
    const char *msg)
{
	struct json_object *r, *v, *e;

	ck_assert_msg(c->done, "no reply");
	ck_assert_msg(c->len > 0 && c->buf[c->len - 1] == '\n' &&
		memchr(c->buf, '\n', c->len) == c->buf + c->len - 1,
	    "not one line: %.200s", c->buf);
	ck_assert_msg((r = json_tokener_parse(c->buf)) != NULL, "not JSON: %s",
	    c->buf);
	ck_assert(json_object_object_get_ex(r, "v", &v));
	ck_assert_int_eq(json_object_get_int(v), 1);
	ck_assert(json_object_object_get_ex(r, "ok", &v));
	ck_assert_msg(json_object_get_boolean(v) == (code == NULL), "%.300s",
	    c->buf);
	ck_assert(json_object_object_get_ex(r, "cmd", &v));
	if (cmd == NULL)
		ck_assert_ptr_null(v);
	else
		ck_assert_str_eq(json_object_get_string(v), cmd);
	if (code != NULL) {
		ck_assert(json_object_object_get_ex(r, "error", &e));
		ck_assert(json_object_object_get_ex(e, "code", &v));
		ck_assert_str_eq(json_object_get_string(v), code);
		ck_assert(json_object_object_get_ex(e, "message", &v));
		ck_assert_msg(strstr(json_object_get_string(v), msg) != NULL,
		    "message \"%s\" lacks \"%s\"", json_object_get_string(v),
		    msg);
	}
	json_object_put(r);
}

static struct ctl_server *
server(const char *group, bool group_write)
{
	struct ctl_server_opts o = { .path = path,
		.group = group,
		.group_write = group_write };
	struct ctl_server *s = ctl_server_new(loop, &o, handler, &hs);

	ck_assert_msg(s != NULL, "ctl_server_new: %s", strerror(errno));
	return s;
}

/* A status request answered "ok" with the handler's member. */
static void
expect_served(void)
{
	struct cl c;
	int before = hs.calls;

	cl_exchange(&c, STATUS);
	RUN(&c);
	expect_reply(&c, "status", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(c.buf, "\"hello\":\"world\""));
	ck_assert_int_eq(hs.calls, before + 1);
	cl_close(&c);
}

/* ---- exchanges ---- */

START_TEST(status_reaches_the_handler_and_the_reply_comes_back)
{
	struct ctl_server *s = server(NULL, false);
	struct cl c;

	cl_exchange(&c, STATUS);
	RUN(&c);
	expect_reply(&c, "status", NULL, NULL);
	ck_assert_str_eq(c.buf,
	    "{\"v\":1,\"ok\":true,\"cmd\":\"status\",\"hello\":\"world\","
	    "\"where\":\"/run/x\"}\n");
	cl_close(&c);
	ck_assert_int_eq(hs.calls, 1);
	ck_assert_int_eq(hs.req.cmd, CTL_CMD_STATUS);
	ck_assert_int_eq(hs.peer.pid, getpid());
	ck_assert_uint_eq(hs.peer.uid, geteuid());
	ck_assert_uint_eq(hs.peer.gid, getegid());
	ck_assert(hs.peer.may_write);
	ctl_server_free(s);
}
END_TEST

START_TEST(request_may_end_at_eof_without_a_newline)
{
	struct ctl_server *s = server(NULL, false);
	const char req[] = "{\"v\":1,\"cmd\":\"stats\",\"clear\":true}";
	struct cl c;

	cl_connect(&c, path);
	cl_send(&c, req, strlen(req));
	ck_assert_int_eq(shutdown(c.fd, SHUT_WR), 0);
	cl_watch(&c, c.fd);
	RUN(&c);
	expect_reply(&c, "stats", NULL, NULL);
	ck_assert(hs.req.clear);
	cl_close(&c);
	ctl_server_free(s);
}
END_TEST

START_TEST(a_megabyte_reply_arrives_whole)
{
	struct ctl_server *s = server(NULL, false);
	struct json_object *r, *t;
	struct cl c;

	hs.big = BIG_REPLY;
	cl_exchange(&c, STATUS);
	RUN(&c);
	expect_reply(&c, "status", NULL, NULL);
	ck_assert_ptr_nonnull(r = json_tokener_parse(c.buf));
	ck_assert(json_object_object_get_ex(r, "text", &t));
	ck_assert_int_eq(json_object_get_string_len(t), BIG_REPLY);
	json_object_put(r);
	cl_close(&c);
	ctl_server_free(s);
}
END_TEST

START_TEST(handler_null_is_internal)
{
	struct ctl_server *s = server(NULL, false);
	struct cl c;

	hs.fail = true;
	cl_exchange(&c, STATUS);
	RUN(&c);
	expect_reply(&c, "status", "internal", "status failed");
	ck_assert_int_eq(hs.calls, 1);
	ck_assert_ptr_nonnull(strstr(log_text(), "failed: internal"));
	cl_close(&c);
	ctl_server_free(s);
}
END_TEST

START_TEST(bad_json_is_refused_logged_once_and_the_next_is_served)
{
	struct ctl_server *s = server(NULL, false);
	char want[128];
	struct cl a, b;

	cl_exchange(&a, "[1]\n");
	cl_exchange(&b, "{\"v\":1,\n");
	RUN(&a, &b);
	expect_reply(&a, NULL, "bad_json", "expected a JSON object");
	expect_reply(&b, NULL, "bad_json", "not JSON");
	ck_assert_int_eq(hs.calls, 0);
	cl_close(&a);
	cl_close(&b);
	expect_served();
	snprintf(want, sizeof(want),
	    "ctl: request from pid %ld uid %u refused: bad_json (",
	    (long)getpid(), (unsigned int)geteuid());
	ck_assert_msg(count(log_text(), want) == 1,
	    "want one \"%s\" (rate limited) in: %s", want, log_text());
	ctl_server_free(s);
}
END_TEST

START_TEST(parse_errors_carry_the_parser_s_reason)
{
	struct ctl_server *s = server(NULL, false);
	struct cl a, b;

	cl_exchange(&a, "{\"v\":2,\"cmd\":\"status\"}\n");
	cl_exchange(&b, "{\"v\":1,\"cmd\":\"status\",\"bogus\":1}\n");
	RUN(&a, &b);
	expect_reply(&a, NULL, "bad_version", "\"v\" must be 1");
	expect_reply(&b, NULL, "bad_argument", "bogus");
	ck_assert_int_eq(hs.calls, 0);
	cl_close(&a);
	cl_close(&b);
	ctl_server_free(s);
}
END_TEST

START_TEST(oversized_request_is_too_big_and_the_next_is_served)
{
	struct ctl_server *s = server(NULL, false);
	size_t n = CTL_REQ_MAX + 100;
	char *big = malloc(n);
	struct cl c;

	ck_assert_ptr_nonnull(big);
	memset(big, ' ', n);
	cl_connect(&c, path);
	cl_send(&c, big, n);
	cl_watch(&c, c.fd);
	RUN(&c);
	expect_reply(&c, NULL, "too_big", "8192");
	cl_close(&c);
	/* The limit counts the newline: 8192 bytes with it still pass. */
	memset(big, ' ', n);
	memcpy(big, "{\"v\":1,", 7);
	memcpy(big + CTL_REQ_MAX - 16, "\"cmd\":\"status\"}\n", 16);
	cl_connect(&c, path);
	cl_send(&c, big, CTL_REQ_MAX);
	cl_watch(&c, c.fd);
	RUN(&c);
	expect_reply(&c, "status", NULL, NULL);
	cl_close(&c);
	free(big);
	expect_served();
	ctl_server_free(s);
}
END_TEST

START_TEST(a_connection_closed_unused_is_not_logged)
{
	struct ctl_server *s = server(NULL, false);
	struct cl c;

	cl_connect(&c, path);
	cl_watch(&c, c.fd);
	ck_assert_int_eq(shutdown(c.fd, SHUT_WR), 0);
	RUN(&c);
	ck_assert_uint_eq(c.len, 0);
	cl_close(&c);
	expect_served();
	ck_assert_msg(strstr(log_text(), "ctl:") == NULL, "%s", log_text());
	ctl_server_free(s);
}
END_TEST

START_TEST(the_handler_may_move_or_free_the_server)
{
	char old[sizeof(path)];
	struct cl c;

	hs.srv = server(NULL, false);
	snprintf(old, sizeof(old), "%s", path);
	snprintf(path, sizeof(path), "%s/moved.sock", dir);
	hs.move_to = path;
	cl_connect(&c, old);
	cl_send(&c, RELOAD, strlen(RELOAD));
	cl_watch(&c, c.fd);
	RUN(&c);
	expect_reply(&c, "reload", NULL, NULL);
	cl_close(&c);
	ck_assert(!exists(old));
	hs.move_to = NULL;
	hs.free_srv = true;
	cl_exchange(&c, RELOAD);
	RUN(&c);
	expect_reply(&c, "reload", NULL, NULL);
	cl_close(&c);
	ck_assert(!exists(path));
	ck_assert_int_eq(hs.calls, 2);
}
END_TEST

/* ---- bounds ---- */

START_TEST(a_silent_client_does_not_delay_another)
{
	struct ctl_server *s = server(NULL, false);
	struct cl silent, c;

	cl_connect(&silent, path);
	cl_watch(&silent, silent.fd);
	cl_exchange(&c, STATUS);
	RUN(&c);
	expect_reply(&c, "status", NULL, NULL);
	ck_assert_msg(!silent.done, "the silent client was dropped early");
	cl_close(&c);
	cl_close(&silent);
	ctl_server_free(s);
}
END_TEST

START_TEST(seventeenth_client_is_busy_the_sixteen_are_served)
{
	struct ctl_server *s = server(NULL, false);
	struct cl c[17];
	int want = 16;

	for (int i = 0; i < 17; i++) {
		cl_connect(&c[i], path);
		cl_watch(&c[i], c[i].fd);
	}
	RUN(&c[16]);
	expect_reply(&c[16], NULL, "busy", "too many clients");
	for (int i = 0; i < 16; i++) {
		ck_assert_msg(!c[i].done, "client %d dropped", i);
		cl_send(&c[i], STATUS, strlen(STATUS));
	}
	run_until(calls_reach, &want, "16 requests");
	for (int i = 0; i < 16; i++) {
		RUN(&c[i]);
		expect_reply(&c[i], "status", NULL, NULL);
	}
	for (int i = 0; i < 17; i++)
		cl_close(&c[i]);
	ck_assert_ptr_nonnull(strstr(log_text(), "refused: busy"));
	expect_served();
	ctl_server_free(s);
}
END_TEST

START_TEST(incomplete_requests_time_out_with_a_reply)
{
	struct ctl_server *s = server(NULL, false);
	struct cl silent, partial;

	ctl_server_set_deadline(s, 0.2);
	cl_connect(&silent, path);
	cl_watch(&silent, silent.fd);
	cl_exchange(&partial, "{\"v\":1,");
	RUN(&silent, &partial);
	expect_reply(&silent, NULL, "timeout", "no complete request");
	expect_reply(&partial, NULL, "timeout", "no complete request");
	ck_assert_int_eq(hs.calls, 0);
	ck_assert_ptr_nonnull(strstr(log_text(), "refused: timeout"));
	cl_close(&silent);
	cl_close(&partial);
	ctl_server_free(s);
}
END_TEST

/* An ev_timer every 10 ms, recording the longest gap between runs. */
struct ticker {
	ev_timer w;
	double last, worst;
};

static void
ticker_cb(struct ev_loop *l, ev_timer *w, int revents)
{
	struct ticker *t = (struct ticker *)w;
	double now = ev_time();

	(void)l;
	(void)revents;
	if (t->last > 0 && now - t->last > t->worst)
		t->worst = now - t->last;
	t->last = now;
}

START_TEST(a_client_not_reading_a_large_reply_holds_nothing_up)
{
	struct ctl_server *s = server(NULL, false);
	struct ticker t = { .last = 0 };
	struct cl stuck;
	size_t got = 0;
	char buf[65536];
	ssize_t n;
	int one = 1;

	hs.big = BIG_REPLY;
	ctl_server_set_deadline(s, 0.3);
	cl_connect(&stuck, path);
	cl_send(&stuck, STATUS, strlen(STATUS));
	run_until(calls_reach, &one, "the stuck client's request");
	/* From here on the server only writes: that must never hold up. */
	ev_timer_init(&t.w, ticker_cb, 0.01, 0.01);
	ev_timer_start(loop, &t.w);
	ctl_server_set_deadline(s, DEADLINE_S);
	hs.big = 0;
	expect_served();
	run_until(peer_closed, &stuck.fd, "the stuck client dropped");
	while ((n = recv(stuck.fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		got += (size_t)n;
	ck_assert_msg(n == 0, "not closed by the server: %s", strerror(errno));
	ck_assert_uint_lt(got, BIG_REPLY);
	ck_assert_msg(t.worst < 0.25, "the loop stalled %.3f s", t.worst);
	ev_timer_stop(loop, &t.w);
	cl_close(&stuck);
	ctl_server_free(s);
}
END_TEST

/* ---- permissions: forked clients with other credentials (root) ---- */

struct creds {
	uid_t uid;
	gid_t gid;
	gid_t groups[1];
	size_t ngroups;
};

static void __attribute__((noreturn)) child_fail(int out, const char *what)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "child: %s: %s\n", what,
	    strerror(errno));

	(void)!write(out, line, (size_t)n);
	_exit(1);
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A blocking exchange as vrrpctl does it, as another user. */
static void __attribute__((noreturn))
child_exchange(const char *req, const struct creds *cr, int out)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = (time_t)DEADLINE_S };
	char buf[65536];
	ssize_t n;
	int fd;

	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setgroups(cr->ngroups, cr->groups) == -1 || setgid(cr->gid) == -1 ||
	    setuid(cr->uid) == -1)
		child_fail(out, "credentials");
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		child_fail(out, "connect");
	if (write_all(fd, req, strlen(req)) == -1)
		child_fail(out, "write");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, (size_t)n) == -1)
			_exit(1);
	if (n == -1)
		child_fail(out, "read");
	_exit(0);
}

static void
cl_fork(struct cl *c, const char *req, const struct creds *cr)
{
	int p[2];

	memset(c, 0, sizeof(*c));
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_ge(c->pid = fork(), 0);
	if (c->pid == 0) {
		close(p[0]);
		child_exchange(req, cr, p[1]);
	}
	close(p[1]);
	cl_watch(c, p[0]);
}

/* A group other than root's and nobody's, for the membership tests. */
static gid_t group_gid;
static char group_name[64];

static void
find_group(void)
{
	struct group *gr;

	setgrent();
	while ((gr = getgrent()) != NULL &&
	    (gr->gr_gid == 0 || gr->gr_gid == NOBODY))
		;
	ck_assert_msg(gr != NULL, "no group to test membership with");
	group_gid = gr->gr_gid;
	snprintf(group_name, sizeof(group_name), "%s", gr->gr_name);
	endgrent();
}

static void
perm_setup(void)
{
	setup();
	find_group();
}

static const struct creds nobody = { NOBODY, NOBODY, { 0 }, 0 };

START_TEST(a_non_root_peer_may_not_read_without_a_group)
{
	struct ctl_server *s = server(NULL, false);
	char want[160];
	struct cl c;

	ck_assert_int_eq(chmod(path, 0666), 0); /* let it reach the check */
	cl_fork(&c, STATUS, &nobody);
	RUN(&c);
	expect_reply(&c, "status", "permission",
	    "permission denied: uid 65534 is not root");
	ck_assert_int_eq(hs.calls, 0);
	snprintf(want, sizeof(want),
	    "ctl: request from pid %ld uid 65534 refused: permission (",
	    (long)c.pid);
	ck_assert_msg(strstr(log_text(), want) != NULL, "no \"%s\" in %s", want,
	    log_text());
	cl_close(&c);
	ctl_server_free(s);
}
END_TEST

START_TEST(a_non_member_is_refused_when_a_group_is_set)
{
	struct ctl_server *s = server(group_name, true);
	char want[160];
	struct cl c;

	ck_assert_int_eq(chmod(path, 0666), 0);
	cl_fork(&c, STATUS, &nobody);
	RUN(&c);
	snprintf(want, sizeof(want),
	    "uid 65534 is neither root nor in group %s", group_name);
	expect_reply(&c, "status", "permission", want);
	ck_assert_int_eq(hs.calls, 0);
	cl_close(&c);
	ctl_server_free(s);
}
END_TEST

START_TEST(a_member_reads_but_may_not_reload)
{
	struct ctl_server *s = server(group_name, false);
	struct creds member = { NOBODY, NOBODY, { group_gid }, 1 };
	struct cl c;

	cl_fork(&c, STATUS, &member); /* reaches the 0660 socket as a member */
	RUN(&c);
	expect_reply(&c, "status", NULL, NULL);
	ck_assert_int_eq(hs.calls, 1);
	ck_assert_uint_eq(hs.peer.uid, NOBODY);
	ck_assert_int_eq(hs.peer.pid, c.pid);
	ck_assert(!hs.peer.may_write);
	cl_close(&c);
	cl_fork(&c, RELOAD, &member);
	RUN(&c);
	expect_reply(&c, "reload", "permission",
	    "permission denied: reload needs root");
	ck_assert_int_eq(hs.calls, 1);
	cl_close(&c);
	ctl_server_free(s);
}
END_TEST

START_TEST(a_primary_group_member_may_reload_with_group_write)
{
	struct ctl_server *s = server(group_name, true);
	struct creds member = { NOBODY, group_gid, { 0 }, 0 };
	struct cl c;

	cl_fork(&c, RELOAD, &member);
	RUN(&c);
	expect_reply(&c, "reload", NULL, NULL);
	ck_assert_int_eq(hs.calls, 1);
	ck_assert_int_eq(hs.req.cmd, CTL_CMD_RELOAD);
	ck_assert_uint_eq(hs.peer.gid, group_gid);
	ck_assert(hs.peer.may_write);
	cl_close(&c);
	ctl_server_free(s);
}
END_TEST

/* ---- the socket file ---- */

static mode_t
mode_of(const char *p, gid_t *gid)
{
	struct stat st;

	ck_assert_msg(lstat(p, &st) == 0, "%s: %s", p, strerror(errno));
	ck_assert(S_ISSOCK(st.st_mode));
	if (gid != NULL)
		*gid = st.st_gid;
	return st.st_mode & 07777;
}

START_TEST(socket_is_0600_alone_and_0660_with_a_group)
{
	struct group *gr;
	struct ctl_server *s = server(NULL, false);
	gid_t gid;
	char name[64];

	ck_assert_uint_eq(mode_of(path, NULL), 0600);
	ctl_server_free(s);
	/* As root a real group; otherwise our own, the one chown allows. */
	if (geteuid() == 0) {
		find_group();
		snprintf(name, sizeof(name), "%s", group_name);
	} else {
		ck_assert_ptr_nonnull(gr = getgrgid(getegid()));
		snprintf(name, sizeof(name), "%s", gr->gr_name);
	}
	ck_assert_ptr_nonnull(gr = getgrnam(name));
	s = server(name, false);
	ck_assert_uint_eq(mode_of(path, &gid), 0660);
	ck_assert_uint_eq(gid, gr->gr_gid);
	ctl_server_free(s);
}
END_TEST

START_TEST(a_missing_directory_is_made_0755)
{
	struct ctl_server *s;
	char sub[64];
	struct stat st;

	snprintf(sub, sizeof(sub), "%s/run", dir);
	snprintf(path, sizeof(path), "%s/vrrpd.sock", sub);
	s = server(NULL, false);
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0755);
	expect_served();
	ctl_server_free(s);
}
END_TEST

START_TEST(unknown_group_fails_with_a_log_line)
{
	struct ctl_server_opts o = { .path = path, .group = "no-such-grp-x" };

	ck_assert_ptr_null(ctl_server_new(loop, &o, handler, &hs));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert(!exists(path));
	ck_assert_ptr_nonnull(strstr(log_text(),
	    "ctl: control_group no-such-grp-x: no such group"));
}
END_TEST

START_TEST(a_stale_socket_is_replaced)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct ctl_server *s;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd); /* left behind, as by a daemon that was killed */
	ck_assert(exists(path));
	s = server(NULL, false);
	expect_served();
	ctl_server_free(s);
}
END_TEST

START_TEST(a_live_socket_is_not_taken_over)
{
	struct ctl_server_opts o = { .path = path };
	struct ctl_server *s = server(NULL, false);
	char want[256];

	ck_assert_ptr_null(ctl_server_new(loop, &o, handler, &hs));
	ck_assert_int_eq(errno, EADDRINUSE);
	snprintf(want, sizeof(want), "ctl: %s: another vrrpd answers on it",
	    path);
	ck_assert_msg(strstr(log_text(), want) != NULL, "%s", log_text());
	expect_served(); /* the first one, still; its probe was no request */
	ck_assert_msg(strstr(log_text(), "refused") == NULL, "%s", log_text());
	ctl_server_free(s);
}
END_TEST

START_TEST(a_file_that_is_no_socket_is_left_alone)
{
	struct ctl_server_opts o = { .path = path };
	struct stat st;
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_ptr_null(ctl_server_new(loop, &o, handler, &hs));
	ck_assert_int_eq(errno, ENOTSOCK);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_ptr_nonnull(strstr(log_text(), path));
}
END_TEST

START_TEST(free_unlinks_only_its_own_socket)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ctl_server *s = server(NULL, false);
	int fd;

	ctl_server_free(s);
	ck_assert(!exists(path));
	/* Replaced by someone else's socket: free leaves that one be. */
	s = server(NULL, false);
	ck_assert_int_eq(unlink(path), 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ck_assert_int_ge(fd = socket(AF_UNIX, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ctl_server_free(s);
	ck_assert(exists(path));
	close(fd);
}
END_TEST

START_TEST(reconfigure_moves_the_socket)
{
	struct ctl_server *s = server(NULL, false);
	struct ctl_server_opts o = { .path = NULL };
	char old[sizeof(path)], bad[256];
	FILE *f;

	snprintf(old, sizeof(old), "%s", path);
	snprintf(path, sizeof(path), "%s/new/ctl.sock", dir);
	o.path = path;
	ck_assert_int_eq(ctl_server_reconfigure(s, &o), 0);
	ck_assert(!exists(old));
	expect_served();
	/* A path that cannot be bound: the socket stays where it is. */
	snprintf(bad, sizeof(bad), "%s/file", dir);
	ck_assert_ptr_nonnull(f = fopen(bad, "w"));
	fclose(f);
	snprintf(bad, sizeof(bad), "%s/file/ctl.sock", dir);
	o.path = bad;
	ck_assert_int_eq(ctl_server_reconfigure(s, &o), -1);
	expect_served();
	ctl_server_free(s);
	ck_assert(!exists(path));
}
END_TEST

START_TEST(reconfigure_in_place_changes_the_mode)
{
	struct ctl_server *s = server(NULL, false);
	struct ctl_server_opts o = { .path = path, .group = "no-such-grp-x" };
	struct group *gr;
	gid_t gid;

	ck_assert_int_eq(ctl_server_reconfigure(s, &o), -1);
	ck_assert_uint_eq(mode_of(path, NULL), 0600);
	ck_assert_ptr_nonnull(gr = getgrgid(getegid()));
	o.group = gr->gr_name;
	ck_assert_int_eq(ctl_server_reconfigure(s, &o), 0);
	ck_assert_uint_eq(mode_of(path, &gid), 0660);
	ck_assert_uint_eq(gid, getegid());
	o.group = NULL;
	ck_assert_int_eq(ctl_server_reconfigure(s, &o), 0);
	ck_assert_uint_eq(mode_of(path, NULL), 0600);
	expect_served();
	ctl_server_free(s);
}
END_TEST

/* ---- the metrics listener ---- */

static const char *metrics_body; /* NULL: the callback fails */
static uint16_t http_port;

static char *
metrics_fn(void *arg, size_t *len)
{
	ck_assert_ptr_eq(arg, &metrics_body);
	if (metrics_body == NULL)
		return NULL;
	*len = strlen(metrics_body);
	return strdup(metrics_body);
}

/* A port free a moment ago: bound to port 0 and closed again. */
static uint16_t
free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, len), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

static struct ctl_http *
http_server(const char *body)
{
	struct ctl_http *h;
	char listen[32];

	metrics_body = body;
	http_port = free_port();
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", http_port);
	h = ctl_http_new(loop, listen, metrics_fn, &metrics_body);
	ck_assert_msg(h != NULL, "ctl_http_new %s: %s", listen,
	    strerror(errno));
	return h;
}

/* Loopback connects complete in the kernel, before any accept. */
static void
http_connect(struct cl *c)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	memset(c, 0, sizeof(*c));
	sin.sin_port = htons(http_port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0),
	    0);
	ck_assert_int_eq(connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	cl_watch(c, c->fd);
}

static void
http_exchange(struct cl *c, const char *req)
{
	http_connect(c);
	cl_send(c, req, strlen(req));
}

/* The status code; *body: what follows the head. */
static int
http_status(const struct cl *c, const char **body)
{
	const char *end;
	int code = 0;

	ck_assert_msg(c->done, "no response");
	ck_assert_msg(sscanf(c->buf, "HTTP/1.1 %d ", &code) == 1,
	    "not a status line: %.200s", c->buf);
	ck_assert_msg((end = strstr(c->buf, "\r\n\r\n")) != NULL,
	    "no end of head: %.200s", c->buf);
	*body = end + 4;
	return code;
}

static bool
http_has(const struct cl *c, const char *header)
{
	const char *end = strstr(c->buf, "\r\n\r\n"),
		   *p = strstr(c->buf, header);

	return p != NULL && end != NULL && p < end;
}

#define METRICS "# TYPE vrrpd_up gauge\nvrrpd_up 1\n"

START_TEST(http_get_metrics_is_200_with_type_length_and_body)
{
	struct ctl_http *h;
	const char *body;
	char want[64];
	struct cl c;

	h = http_server(METRICS);
	snprintf(want, sizeof(want), "metrics: listening on 127.0.0.1:%u",
	    http_port);
	ck_assert_msg(strstr(log_text(), want) != NULL, "%s", log_text());
	http_exchange(&c, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
	RUN(&c);
	ck_assert_int_eq(http_status(&c, &body), 200);
	ck_assert(http_has(&c,
	    "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
	snprintf(want, sizeof(want), "\r\nContent-Length: %zu\r\n",
	    strlen(METRICS));
	ck_assert(http_has(&c, want));
	ck_assert(http_has(&c, "\r\nConnection: close\r\n"));
	ck_assert_str_eq(body, METRICS);
	cl_close(&c);
	http_exchange(&c, "GET /metrics?name[]=up HTTP/1.0\r\n\r\n");
	RUN(&c);
	ck_assert_int_eq(http_status(&c, &body), 200);
	ck_assert_str_eq(body, METRICS);
	cl_close(&c);
	ctl_http_free(h);
}
END_TEST

START_TEST(http_head_has_the_length_but_no_body)
{
	struct ctl_http *h = http_server(METRICS);
	const char *body;
	char want[64];
	struct cl c;

	http_exchange(&c, "HEAD /metrics HTTP/1.1\r\n\r\n");
	RUN(&c);
	ck_assert_int_eq(http_status(&c, &body), 200);
	snprintf(want, sizeof(want), "\r\nContent-Length: %zu\r\n",
	    strlen(METRICS));
	ck_assert(http_has(&c, want));
	ck_assert_str_eq(body, "");
	cl_close(&c);
	ctl_http_free(h);
}
END_TEST

START_TEST(http_other_paths_are_404_other_methods_405)
{
	struct ctl_http *h = http_server(METRICS);
	const char *body;
	struct cl a, b, c;

	http_exchange(&a, "GET /other HTTP/1.1\r\n\r\n");
	http_exchange(&b, "GET /metricsx HTTP/1.1\r\n\r\n");
	http_exchange(&c,
	    "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
	RUN(&a, &b, &c);
	ck_assert_int_eq(http_status(&a, &body), 404);
	ck_assert_int_eq(http_status(&b, &body), 404);
	ck_assert_int_eq(http_status(&c, &body), 405);
	ck_assert(http_has(&c, "\r\nAllow: GET, HEAD\r\n"));
	ck_assert(!http_has(&a, "Allow:"));
	cl_close(&a);
	cl_close(&b);
	cl_close(&c);
	ctl_http_free(h);
}
END_TEST

START_TEST(http_malformed_requests_are_400)
{
	static const char *const bad[] = { "garbage\r\n\r\n",
		"GET /metrics\r\n\r\n", "get /metrics HTTP/1.1\r\n\r\n",
		"GET metrics HTTP/1.1\r\n\r\n",
		"GET /metrics HTTP/1.1x\r\n\r\n",
		"GET /metrics HTTQ/1.1\r\n\r\n" };
	struct ctl_http *h = http_server(METRICS);
	const char *body;
	struct cl c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		http_exchange(&c, bad[i]);
		RUN(&c);
		ck_assert_msg(http_status(&c, &body) == 400, "%s: %s", bad[i],
		    c.buf);
		cl_close(&c);
	}
	/* A head cut short by the end of the stream. */
	http_exchange(&c, "GET /metrics HTTP/1.1\r\n");
	ck_assert_int_eq(shutdown(c.fd, SHUT_WR), 0);
	RUN(&c);
	ck_assert_int_eq(http_status(&c, &body), 400);
	cl_close(&c);
	ctl_http_free(h);
}
END_TEST

START_TEST(http_failing_metrics_are_500)
{
	struct ctl_http *h = http_server(NULL);
	const char *body;
	struct cl c;

	http_exchange(&c, "GET /metrics HTTP/1.1\r\n\r\n");
	RUN(&c);
	ck_assert_int_eq(http_status(&c, &body), 500);
	cl_close(&c);
	ctl_http_free(h);
}
END_TEST

START_TEST(http_a_head_past_4096_bytes_is_431)
{
	struct ctl_http *h = http_server(METRICS);
	char head[4096];
	const char *body;
	struct cl c;

	/* Exactly the limit, so nothing is left unread to reset the reply. */
	memset(head, 'a', sizeof(head));
	memcpy(head, "GET /metrics HTTP/1.1\r\nX: ", 26);
	http_connect(&c);
	cl_send(&c, head, sizeof(head));
	RUN(&c);
	ck_assert_int_eq(http_status(&c, &body), 431);
	cl_close(&c);
	ctl_http_free(h);
}
END_TEST

START_TEST(http_seventeenth_client_is_503_silent_ones_time_out)
{
	struct ctl_http *h = http_server(METRICS);
	const char *body;
	struct cl c[17];

	ctl_http_set_deadline(h, 0.3);
	for (int i = 0; i < 17; i++) {
		http_connect(&c[i]);
		ev_run(loop, EVRUN_NOWAIT);
	}
	RUN(&c[16]);
	ck_assert_int_eq(http_status(&c[16], &body), 503);
	cl_send(&c[0], "GET /metrics HTTP/1.1\r\n\r\n", 25);
	RUN(&c[0]);
	ck_assert_int_eq(http_status(&c[0], &body), 200);
	for (int i = 1; i < 16; i++) {
		RUN(&c[i]);
		ck_assert_int_eq(http_status(&c[i], &body), 408);
	}
	for (int i = 0; i < 17; i++)
		cl_close(&c[i]);
	ctl_http_free(h);
}
END_TEST

START_TEST(http_listen_must_be_numeric_addr_port)
{
	static const char *const bad[] = { "localhost:9650", "127.0.0.1",
		"127.0.0.1:0", "[::1]:99999", "::1:9650", "" };
	struct ctl_http *h = http_server(METRICS);
	char listen[32];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_ptr_null(
		    ctl_http_new(loop, bad[i], metrics_fn, &metrics_body));
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert_ptr_nonnull(
	    strstr(log_text(), "metrics: localhost:9650: expected ADDR:PORT"));
	/* A port that is taken. */
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", http_port);
	ck_assert_ptr_null(
	    ctl_http_new(loop, listen, metrics_fn, &metrics_body));
	ck_assert_int_eq(errno, EADDRINUSE);
	ctl_http_free(h);
}
END_TEST

static void
add(Suite *s, const char *name, void (*fn)(void), const TTest *const *t)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 15);
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, fn, teardown);
	for (; *t != NULL; t++)
		tcase_add_test(tc, *t);
	suite_add_tcase(s, tc);
}

int
main(void)
{
	Suite *s = suite_create("ctl_server");
	SRunner *sr;
	int failed;

	add(s, "exchange", setup,
	    (const TTest *[]) {
		status_reaches_the_handler_and_the_reply_comes_back,
		request_may_end_at_eof_without_a_newline,
		a_megabyte_reply_arrives_whole, handler_null_is_internal,
		bad_json_is_refused_logged_once_and_the_next_is_served,
		parse_errors_carry_the_parser_s_reason,
		oversized_request_is_too_big_and_the_next_is_served,
		a_connection_closed_unused_is_not_logged,
		the_handler_may_move_or_free_the_server, NULL });
	add(s, "bounds", setup,
	    (const TTest *[]) { a_silent_client_does_not_delay_another,
		seventeenth_client_is_busy_the_sixteen_are_served,
		incomplete_requests_time_out_with_a_reply,
		a_client_not_reading_a_large_reply_holds_nothing_up, NULL });
	if (geteuid() == 0)
		add(s, "permissions", perm_setup,
		    (const TTest *[]) {
			a_non_root_peer_may_not_read_without_a_group,
			a_non_member_is_refused_when_a_group_is_set,
			a_member_reads_but_may_not_reload,
			a_primary_group_member_may_reload_with_group_write,
			NULL });
	else
		printf("ctl_server: permission tests skipped: they need root "
		       "(a client setuid to %d)\n",
		    NOBODY);
	add(s, "socket_file", setup,
	    (const TTest *[]) { socket_is_0600_alone_and_0660_with_a_group,
		a_missing_directory_is_made_0755,
		unknown_group_fails_with_a_log_line, a_stale_socket_is_replaced,
		a_live_socket_is_not_taken_over,
		a_file_that_is_no_socket_is_left_alone,
		free_unlinks_only_its_own_socket, reconfigure_moves_the_socket,
		reconfigure_in_place_changes_the_mode, NULL });
	add(s, "http", setup,
	    (const TTest *[]) {
		http_get_metrics_is_200_with_type_length_and_body,
		http_head_has_the_length_but_no_body,
		http_other_paths_are_404_other_methods_405,
		http_malformed_requests_are_400, http_failing_metrics_are_500,
		http_a_head_past_4096_bytes_is_431,
		http_seventeenth_client_is_503_silent_ones_time_out,
		http_listen_must_be_numeric_addr_port, NULL });
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
