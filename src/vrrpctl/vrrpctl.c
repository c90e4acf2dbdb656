/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vrrpctl: one request to vrrpd's control socket (or, for "cluster
 * --servers", a read of ZooKeeper), its reply for humans; --watch repeats.
 */

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "vrrpd/daemon.h"
#include "vrrpd/util.h"

#include "vrrpctl.h"

#define REPLY_MAX (64u << 20) /* bytes; metrics of thousands of instances */

/* Set by SIGINT and SIGTERM during --watch; a second one kills. */
static volatile sig_atomic_t interrupted;

static int fail(FILE *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(FILE *err, int status, const char *fmt, ...)
{
	va_list ap;

	fputs("vrrpctl: ", err);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
	return status;
}

/* Connect, or the exit status with the message printed. */
static int
connect_to(const char *path, int *fdp, FILE *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, e;

	/* The parser bounded the length. */
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return fail(err, VRRPCTL_EXIT_UNREACHABLE, "socket: %s",
		    strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		*fdp = fd;
		return VRRPCTL_EXIT_OK;
	}
	e = errno;
	close(fd);
	if (e == ENOENT)
		return fail(err, VRRPCTL_EXIT_UNREACHABLE,
		    "vrrpd is not running (no socket at %s)", path);
	if (e == ECONNREFUSED)
		return fail(err, VRRPCTL_EXIT_UNREACHABLE,
		    "vrrpd is not running (nothing listens on %s)", path);
	if (e == EACCES || e == EPERM)
		return fail(err, VRRPCTL_EXIT_PERMISSION,
		    "%s: permission denied (root or the control group only)",
		    path);
	return fail(err, VRRPCTL_EXIT_UNREACHABLE, "%s: %s", path, strerror(e));
}

/* Wait for fd until the deadline: 1 ready, 0 timed out, -1 error. */
static int
wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left;
	int n;

	for (;;) {
		if ((left = deadline - (int64_t)util_now_ms()) <= 0)
			return 0;
		n = poll(&p, 1, left > 1000 ? 1000 : (int)left);
		if (n > 0)
			return 1;
		/* --watch interrupted: the round is dropped. */
		if (n == -1 && (errno != EINTR || interrupted))
			return -1;
	}
}

/*
 * Send the request; a daemon that closes early (EPIPE) may still have
 * answered, so that is left to the read.
 */
static int
send_req(int fd, const char *req, int64_t deadline)
{
	size_t len = strlen(req), off = 0;
	ssize_t n;
	int w;

	while (off < len) {
		if ((w = wait_fd(fd, POLLOUT, deadline)) <= 0)
			return w == 0 ? 0 : -1;
		n = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && errno == EPIPE)
			break;
		if (n == -1 && errno != EINTR && errno != EAGAIN)
			return -1;
		if (n > 0)
			off += (size_t)n;
	}
	(void)shutdown(fd, SHUT_WR);
	return 1;
}

/*
 * Read until EOF: 1 with *buf (malloc'd, terminated), 0 timed out, -1
 * error (errno), -2 longer than REPLY_MAX.
 */
static int
read_reply(int fd, int64_t deadline, char **buf, size_t *len)
{
	size_t cap = 0, off = 0;
	char *p = NULL, *np;
	ssize_t n;
	int w;

	for (;;) {
		if (cap - off < 4096) {
			cap = cap == 0 ? 16384 : cap * 2;
			if (cap > REPLY_MAX) {
				free(p);
				return -2;
			}
			if ((np = realloc(p, cap + 1)) == NULL)
				goto fail;
			p = np;
		}
		if ((w = wait_fd(fd, POLLIN, deadline)) <= 0) {
			free(p);
			return w;
		}
		n = read(fd, p + off, cap - off);
		/* A daemon that closed without reading the request resets. */
		if (n == 0 || (n == -1 && errno == ECONNRESET))
			break;
		if (n == -1 && errno != EINTR && errno != EAGAIN)
			goto fail;
		if (n > 0)
			off += (size_t)n;
	}
	p[off] = '\0';
	*buf = p;
	*len = off;
	return 1;
fail:
	free(p);
	return -1;
}

/* Send the request and read the whole reply, or the exit status. */
static int
exchange(const char *path, const struct ctl_req *req, char **reply, size_t *len,
    FILE *err)
{
	int64_t deadline;
	char *line;
	int fd = -1, rc, t = vrrpctl_timeout_s(req);

	if ((line = ctl_req_build(req)) == NULL)
		return fail(err, VRRPCTL_EXIT_UNREACHABLE, "out of memory");
	if ((rc = connect_to(path, &fd, err)) != VRRPCTL_EXIT_OK) {
		free(line);
		return rc;
	}
	deadline = (int64_t)util_now_ms() + t * 1000;
	rc = send_req(fd, line, deadline);
	if (rc == 1)
		rc = read_reply(fd, deadline, reply, len);
	free(line);
	close(fd);
	if (rc == 0)
		return fail(err, VRRPCTL_EXIT_UNREACHABLE,
		    "no reply from vrrpd within %d s", t);
	if (rc == -2)
		return fail(err, VRRPCTL_EXIT_UNREACHABLE,
		    "malformed reply from vrrpd: more than %u MiB",
		    REPLY_MAX >> 20);
	if (rc == -1)
		return fail(err, VRRPCTL_EXIT_UNREACHABLE, "%s: %s", path,
		    strerror(errno));
	return VRRPCTL_EXIT_OK;
}

/* The daemon's reply as JSON, or the exit status. */
static int
ask_vrrpd(const char *path, const struct ctl_req *req, json_object **reply,
    FILE *err)
{
	enum json_tokener_error jerr;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if ((rc = exchange(path, req, &text, &len, err)) != VRRPCTL_EXIT_OK)
		return rc;
	if (len == 0)
		rc = fail(err, VRRPCTL_EXIT_UNREACHABLE,
		    "vrrpd closed the connection without a reply");
	else if ((*reply = json_tokener_parse_verbose(text, &jerr)) == NULL)
		rc = fail(err, VRRPCTL_EXIT_UNREACHABLE,
		    "malformed reply from vrrpd: not JSON (%s)",
		    json_tokener_error_desc(jerr));
	free(text);
	return rc;
}

static bool
want_color(enum vrrpctl_color c)
{
	if (c == VRRPCTL_COLOR_AUTO)
		return vrrpctl_color_auto(isatty(STDOUT_FILENO) == 1,
		    getenv("NO_COLOR"), getenv("TERM"));
	return c == VRRPCTL_COLOR_ALWAYS;
}

/* The wall clock in Unix ms, for the ages of the registry's times. */
static uint64_t
wall_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1 || ts.tv_sec < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
show(const struct vrrpctl_opts *o, const struct ctl_req *req,
    json_object *reply, FILE *out, FILE *err)
{
	struct vrrpctl_render_opts ro = { .width = VRRPCTL_WIDTH };

	/* --watch --json: one object per line, a stream for jq and logs. */
	if (o->json) {
		fprintf(out, "%s\n",
		    json_object_to_json_string_ext(reply,
			(o->watch ? JSON_C_TO_STRING_PLAIN :
				    JSON_C_TO_STRING_PRETTY) |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
		return vrrpctl_reply_status(reply);
	}
	ro.color = want_color(o->color);
	ro.now_ms = wall_ms();
	return vrrpctl_render(reply, req, &ro, out, err);
}

/* One request and its reply shown: the exit status. */
static int
one_round(const struct vrrpctl_opts *o, const struct ctl_req *req, FILE *out,
    FILE *err)
{
	json_object *reply = NULL;
	char why[256] = "";
	int rc;

	if (o->servers != NULL) {
		reply = vrrpctl_cluster_direct(o->servers, o->path, req,
		    vrrpctl_timeout_s(req), why, sizeof(why));
		if (reply == NULL)
			return fail(err, VRRPCTL_EXIT_UNREACHABLE,
			    "ZooKeeper %s: %s", o->servers,
			    why[0] != '\0' ? why : "no reply");
	} else if ((rc = ask_vrrpd(o->socket, req, &reply, err)) !=
	    VRRPCTL_EXIT_OK) {
		return rc;
	}
	rc = show(o, req, reply, out, err);
	json_object_put(reply);
	return rc;
}

static void
interrupt_cb(int sig)
{
	if (interrupted) {
		(void)signal(sig, SIG_DFL);
		(void)raise(sig);
	}
	interrupted = 1;
}

/* No SA_RESTART: a blocking poll() or nanosleep() returns at once. */
static void
catch_interrupts(void)
{
	struct sigaction sa = { .sa_handler = interrupt_cb };

	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
}

static void
sleep_until(uint64_t deadline)
{
	struct timespec ts;
	uint64_t now, left;

	while (!interrupted && (now = util_now_ms()) < deadline) {
		left = deadline - now;
		ts.tv_sec = (time_t)(left / 1000);
		ts.tv_nsec = (long)(left % 1000) * 1000000;
		(void)nanosleep(&ts, NULL);
	}
}

/*
 * --watch: a round every VRRPCTL_WATCH_MS until interrupted. Each round is
 * rendered into memory first, so the screen is cleared and redrawn at
 * once, and a failed round shows its error in place of the view. The exit
 * status is the last round's.
 */
static int
watch(const struct vrrpctl_opts *o, const struct ctl_req *req)
{
	bool clear = !o->json && isatty(STDOUT_FILENO) == 1;
	char *obuf = NULL, *ebuf = NULL;
	size_t olen = 0, elen = 0;
	int rc = VRRPCTL_EXIT_OK, r;
	uint64_t next;
	FILE *out, *err;

	catch_interrupts();
	for (unsigned long n = 0; !interrupted; n++) {
		next = util_now_ms() + VRRPCTL_WATCH_MS;
		if ((out = open_memstream(&obuf, &olen)) == NULL)
			return fail(stderr, VRRPCTL_EXIT_UNREACHABLE,
			    "out of memory");
		if ((err = open_memstream(&ebuf, &elen)) == NULL) {
			fclose(out);
			free(obuf);
			return fail(stderr, VRRPCTL_EXIT_UNREACHABLE,
			    "out of memory");
		}
		r = one_round(o, req, out, err);
		/* A failed close (out of memory) shows the round in part. */
		(void)fclose(out);
		(void)fclose(err);
		if (!interrupted) {
			if (clear)
				fputs("\033[H\033[2J", stdout);
			else if (n > 0 && !o->json)
				fputc('\n', stdout);
			if (obuf != NULL)
				fwrite(obuf, 1, olen, stdout);
			if (ebuf != NULL)
				fwrite(ebuf, 1, elen, stderr);
			rc = r;
		}
		free(obuf);
		free(ebuf);
		if (fflush(stdout) == EOF)
			return fail(stderr, VRRPCTL_EXIT_ERROR, "stdout: %s",
			    strerror(errno));
		sleep_until(next);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct vrrpctl_opts opts;
	struct ctl_req req;
	char why[256], ns[NAME_MAX + 1], nsock[108];
	const char *sock = getenv("VRRPCTL_SOCKET");
	int rc;

	/* In a named network namespace vrrpd's default socket is its own. */
	if ((sock == NULL || sock[0] == '\0') &&
	    daemon_netns_identify(ns, sizeof(ns)) == 0 &&
	    daemon_run_path(ns, "vrrpd.sock", nsock, sizeof(nsock)) == 0)
		sock = nsock;
	switch (
	    vrrpctl_parse(argc, argv, sock, &opts, &req, why, sizeof(why))) {
	case VRRPCTL_HELP:
		vrrpctl_usage(stdout);
		return VRRPCTL_EXIT_OK;
	case VRRPCTL_VERSION:
		printf("vrrpctl %s\n", VRRPD_VERSION);
		return VRRPCTL_EXIT_OK;
	case VRRPCTL_BAD_USAGE:
		return fail(stderr, VRRPCTL_EXIT_USAGE, "%s", why);
	default:
		break;
	}
	(void)signal(SIGPIPE, SIG_IGN);
	if (opts.watch)
		return watch(&opts, &req);
	rc = one_round(&opts, &req, stdout, stderr);
	if (fflush(stdout) == EOF && rc == VRRPCTL_EXIT_OK)
		rc = fail(stderr, VRRPCTL_EXIT_ERROR, "stdout: %s",
		    strerror(errno));
	return rc;
}
