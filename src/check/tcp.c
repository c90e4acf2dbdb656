/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCP check: a non-blocking connect to ADDRESS:PORT, optionally from a
 * source address, within the timeout; success when the connection is
 * established. The connection is then reset, not closed, so a thousand
 * checks a second leave no TIME_WAIT sockets behind.
 */

#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker_priv.h"

struct tcp_state {
	struct sockaddr_storage dst, src;
	socklen_t dstlen, srclen; /* srclen 0: no bind */
	int fd;
	ev_io io;
	ev_timer timeout;
};

static socklen_t
to_sockaddr(const struct addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->u.v4;
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	sin6->sin6_addr = a->u.v6;
	return sizeof(*sin6);
}

static enum checker_result
from_errno(int err)
{
	switch (err) {
	case 0:
		return CHECKER_OK;
	case ECONNREFUSED:
		return CHECKER_CONNECT_REFUSED;
	case ETIMEDOUT:
		return CHECKER_TIMEOUT;
	case EHOSTUNREACH:
	case ENETUNREACH:
		return CHECKER_UNREACHABLE;
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case ENOMEM:
		return CHECKER_INTERNAL;
	default:
		return CHECKER_CONNECT_ERROR;
	}
}

static void
tcp_stop(struct checker *c)
{
	struct tcp_state *t = c->kstate;
	struct linger rst = { .l_onoff = 1, .l_linger = 0 };

	ev_io_stop(c->loop, &t->io);
	ev_timer_stop(c->loop, &t->timeout);
	if (t->fd >= 0) {
		(void)setsockopt(t->fd, SOL_SOCKET, SO_LINGER, &rst,
		    sizeof(rst));
		close(t->fd);
		t->fd = -1;
	}
}

static void
finish(struct checker *c, int err)
{
	struct checker_outcome o = { .result = from_errno(err) };

	if (o.result != CHECKER_OK && o.result != CHECKER_TIMEOUT)
		o.detail = err;
	tcp_stop(c);
	checker_done(c, &o);
}

/* Writable: the connect finished, one way or the other. */
static void
io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct checker *c = w->data;
	struct tcp_state *t = c->kstate;
	socklen_t len = sizeof(int);
	int err = 0;

	(void)loop;
	(void)revents;
	if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	finish(c, err);
}

static void
timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	finish(w->data, ETIMEDOUT);
}

static int
tcp_init(struct checker *c, const char **err)
{
	const struct conf_check *cc = c->cc;
	struct tcp_state *t;
	struct addr a;
	uint16_t port;

	if (addr_parse_hostport(cc->connect, &a, &port) != 0) {
		*err = "connect: expected ADDRESS:PORT with a numeric address";
		return -1;
	}
	if (cc->has_bind && cc->bind.af != a.af) {
		*err = "bind: not of the family of the connect address";
		return -1;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		*err = "out of memory";
		return -1;
	}
	t->dstlen = to_sockaddr(&a, port, &t->dst);
	if (cc->has_bind)
		t->srclen = to_sockaddr(&cc->bind, 0, &t->src);
	t->fd = -1;
	ev_init(&t->io, io_cb);
	t->io.data = c;
	ev_init(&t->timeout, timeout_cb);
	t->timeout.data = c;
	c->kstate = t;
	return 0;
}

static int
tcp_start(struct checker *c, struct checker_outcome *o)
{
	struct tcp_state *t = c->kstate;
	uint32_t ms = c->cc->timeout_ms > 0 ? c->cc->timeout_ms : 1000;
	int fd, err;

	fd = socket(t->dst.ss_family,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto fail;
	if ((t->srclen > 0 &&
		bind(fd, (struct sockaddr *)&t->src, t->srclen) == -1) ||
	    (connect(fd, (struct sockaddr *)&t->dst, t->dstlen) == -1 &&
		errno != EINPROGRESS)) {
		err = errno;
		close(fd);
		errno = err;
		goto fail;
	}
	/* Connected or not yet: either way the answer comes as writable. */
	t->fd = fd;
	ev_io_set(&t->io, fd, EV_WRITE);
	ev_io_start(c->loop, &t->io);
	ev_timer_set(&t->timeout, ms / 1000.0, 0.0);
	ev_timer_start(c->loop, &t->timeout);
	return 0;
fail:
	o->result = from_errno(errno);
	o->detail = errno;
	return -1;
}

static void
tcp_cancel(struct checker *c)
{
	tcp_stop(c);
}

static void
tcp_fini(struct checker *c)
{
	if (c->kstate == NULL)
		return;
	tcp_stop(c);
	free(c->kstate);
	c->kstate = NULL;
}

const struct checker_kind checker_kind_tcp = {
	.name = "tcp",
	.init = tcp_init,
	.start = tcp_start,
	.cancel = tcp_cancel,
	.fini = tcp_fini,
};
