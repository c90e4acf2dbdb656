/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl: one request to vrrpd's control socket, its reply for humans. */

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
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

static int fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("vrrpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

/* Connect, or the exit status with the message printed. */
static int
connect_to(const char *path, int *fdp)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, e;

	/* The parser bounded the length. */
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return fail(VRRPCTL_EXIT_UNREACHABLE, "socket: %s",
		    strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		*fdp = fd;
		return VRRPCTL_EXIT_OK;
	}
	e = errno;
	close(fd);
	if (e == ENOENT)
		return fail(VRRPCTL_EXIT_UNREACHABLE,
		    "vrrpd is not running (no socket at %s)", path);
	if (e == ECONNREFUSED)
		return fail(VRRPCTL_EXIT_UNREACHABLE,
		    "vrrpd is not running (nothing listens on %s)", path);
	if (e == EACCES || e == EPERM)
		return fail(VRRPCTL_EXIT_PERMISSION,
		    "%s: permission denied (root or the control group only)",
		    path);
	return fail(VRRPCTL_EXIT_UNREACHABLE, "%s: %s", path, strerror(e));
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
		if (n == -1 && errno != EINTR)
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
exchange(const char *path, const struct ctl_req *req, char **reply, size_t *len)
{
	int64_t deadline;
	char *line;
	int fd = -1, rc, t = vrrpctl_timeout_s(req);

	if ((line = ctl_req_build(req)) == NULL)
		return fail(VRRPCTL_EXIT_UNREACHABLE, "out of memory");
	if ((rc = connect_to(path, &fd)) != VRRPCTL_EXIT_OK) {
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
		return fail(VRRPCTL_EXIT_UNREACHABLE,
		    "no reply from vrrpd within %d s", t);
	if (rc == -2)
		return fail(VRRPCTL_EXIT_UNREACHABLE,
		    "malformed reply from vrrpd: more than %u MiB",
		    REPLY_MAX >> 20);
	if (rc == -1)
		return fail(VRRPCTL_EXIT_UNREACHABLE, "%s: %s", path,
		    strerror(errno));
	return VRRPCTL_EXIT_OK;
}

static bool
want_color(enum vrrpctl_color c)
{
	if (c == VRRPCTL_COLOR_AUTO)
		return vrrpctl_color_auto(isatty(STDOUT_FILENO) == 1,
		    getenv("NO_COLOR"), getenv("TERM"));
	return c == VRRPCTL_COLOR_ALWAYS;
}

static int
show(const struct vrrpctl_opts *o, const struct ctl_req *req, const char *text,
    size_t len)
{
	struct vrrpctl_render_opts ro = { .width = VRRPCTL_WIDTH };
	enum json_tokener_error jerr;
	json_object *reply;
	int rc;

	if (len == 0)
		return fail(VRRPCTL_EXIT_UNREACHABLE,
		    "vrrpd closed the connection without a reply");
	reply = json_tokener_parse_verbose(text, &jerr);
	if (reply == NULL)
		return fail(VRRPCTL_EXIT_UNREACHABLE,
		    "malformed reply from vrrpd: not JSON (%s)",
		    json_tokener_error_desc(jerr));
	if (o->json) {
		printf("%s\n",
		    json_object_to_json_string_ext(reply,
			JSON_C_TO_STRING_PRETTY |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
		rc = vrrpctl_reply_status(reply);
	} else {
		ro.color = want_color(o->color);
		rc = vrrpctl_render(reply, req, &ro, stdout, stderr);
	}
	json_object_put(reply);
	return rc;
}

int
main(int argc, char **argv)
{
	struct vrrpctl_opts opts;
	struct ctl_req req;
	char why[256], *reply = NULL;
	size_t len = 0;
	int rc;

	switch (vrrpctl_parse(argc, argv, getenv("VRRPCTL_SOCKET"), &opts, &req,
	    why, sizeof(why))) {
	case VRRPCTL_HELP:
		vrrpctl_usage(stdout);
		return VRRPCTL_EXIT_OK;
	case VRRPCTL_VERSION:
		printf("vrrpctl %s\n", VRRPD_VERSION);
		return VRRPCTL_EXIT_OK;
	case VRRPCTL_BAD_USAGE:
		return fail(VRRPCTL_EXIT_USAGE, "%s", why);
	default:
		break;
	}
	(void)signal(SIGPIPE, SIG_IGN);
	if ((rc = exchange(opts.socket, &req, &reply, &len)) != 0)
		return rc;
	rc = show(&opts, &req, reply, len);
	free(reply);
	if (fflush(stdout) == EOF && rc == VRRPCTL_EXIT_OK)
		rc = fail(VRRPCTL_EXIT_ERROR, "stdout: %s", strerror(errno));
	return rc;
}
