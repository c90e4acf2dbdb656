/* SPDX-License-Identifier: BSD-2-Clause */
/* Client connections of the control socket and the metrics listener. */

#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <ev.h>

#include "vrrpd/util.h"
#include "vrrpd/log.h"
#include "conn_priv.h"

#define CTL_CONN_BACKOFF_S 1.0

void
ctl_conn_send_once(int fd, char *out, size_t len)
{
	if (out != NULL)
		(void)send(fd, out, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	free(out);
}

void
ctl_conn_free(struct ctl_conn *c)
{
	struct ctl_conn_set *set = c->set;

	ev_io_stop(set->loop, &c->io);
	ev_timer_stop(set->loop, &c->deadline);
	close(c->fd);
	free(c->out);
	TAILQ_REMOVE(&set->conns, c, entry);
	set->n--;
	free(c);
}

static void
conn_gone(struct ctl_conn *c)
{
	if (c->set->ops->gone != NULL)
		c->set->ops->gone(c);
	ctl_conn_free(c);
}

static void
conn_write(struct ctl_conn *c)
{
	ssize_t n;

	while (c->off < c->outlen) {
		n = send(c->fd, c->out + c->off, c->outlen - c->off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n == -1) {
			conn_gone(c);
			return;
		}
		c->off += (size_t)n;
	}
	ctl_conn_free(c);
}

void
ctl_conn_reply(struct ctl_conn *c, char *out, size_t len)
{
	struct ev_loop *loop = c->set->loop;

	if (out == NULL) {
		ctl_conn_free(c);
		return;
	}
	c->out = out;
	c->outlen = len;
	ev_io_stop(loop, &c->io);
	ev_io_set(&c->io, c->fd, EV_WRITE);
	ev_io_start(loop, &c->io);
	conn_write(c);
}

static void
conn_read(struct ctl_conn *c)
{
	size_t old = c->len;
	ssize_t n;

	do
		n = recv(c->fd, c->buf + c->len, c->size - c->len, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n == -1 || (n == 0 && c->len == 0)) {
		/* A reset, or a connect probe that sent nothing. */
		conn_gone(c);
		return;
	}
	c->len += (size_t)n;
	c->set->ops->read(c, old, n == 0);
}

static void
conn_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_conn *c = w->data;

	(void)loop;
	(void)revents;
	if (c->out == NULL)
		conn_read(c);
	else
		conn_write(c);
}

static void
conn_deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_conn *c = w->data;

	(void)loop;
	(void)revents;
	c->set->ops->timeout(c);
	ctl_conn_free(c);
}

bool
ctl_conn_full(const struct ctl_conn_set *set)
{
	return set->n >= CTL_CONN_MAX;
}

void
ctl_conn_add(struct ctl_conn_set *set, struct ctl_conn *c, int fd, char *buf,
    size_t size)
{
	c->set = set;
	c->fd = fd;
	c->buf = buf;
	c->size = size;
	ev_io_init(&c->io, conn_io_cb, fd, EV_READ);
	c->io.data = c;
	ev_timer_init(&c->deadline, conn_deadline_cb, set->deadline_s, 0.);
	c->deadline.data = c;
	ev_io_start(set->loop, &c->io);
	ev_timer_start(set->loop, &c->deadline);
	TAILQ_INSERT_TAIL(&set->conns, c, entry);
	set->n++;
}

static void
conn_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_conn_set *set = w->data;
	struct sockaddr_storage ss;
	socklen_t sslen;
	int fd;

	(void)revents;
	for (int i = 0; i < 2 * CTL_CONN_MAX; i++) {
		sslen = sizeof(ss);
		fd = accept4(w->fd, (struct sockaddr *)&ss, &sslen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd != -1) {
			set->ops->accept(set, fd, &ss);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		/* EMFILE and the like would spin the loop: pause. */
		if (log_ratelimit_ok(&set->rl_accept, util_now_ms(), NULL))
			log_warn("%s: %s: accept", set->what, set->name);
		ev_io_stop(loop, &set->accept_io);
		ev_timer_start(loop, &set->backoff);
		return;
	}
}

static void
conn_backoff_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_conn_set *set = w->data;

	(void)revents;
	ev_io_start(loop, &set->accept_io);
}

void
ctl_conn_init(struct ctl_conn_set *set, struct ev_loop *loop,
    const struct ctl_conn_ops *ops, void *arg, const char *what)
{
	set->loop = loop;
	set->ops = ops;
	set->arg = arg;
	set->what = what;
	set->name = NULL;
	set->deadline_s = CTL_CONN_DEADLINE_S;
	TAILQ_INIT(&set->conns);
	set->n = 0;
	set->rl_accept =
	    (struct log_ratelimit) { .interval_ms = CTL_CONN_RL_MS };
	ev_io_init(&set->accept_io, conn_accept_cb, -1, EV_READ);
	set->accept_io.data = set;
	ev_timer_init(&set->backoff, conn_backoff_cb, CTL_CONN_BACKOFF_S, 0.);
	set->backoff.data = set;
}

void
ctl_conn_listen(struct ctl_conn_set *set, int fd, const char *name)
{
	set->name = name;
	ev_io_set(&set->accept_io, fd, EV_READ);
	ev_io_start(set->loop, &set->accept_io);
}

void
ctl_conn_stop(struct ctl_conn_set *set)
{
	ev_io_stop(set->loop, &set->accept_io);
	ev_timer_stop(set->loop, &set->backoff);
}

void
ctl_conn_close(struct ctl_conn_set *set, struct ctl_conn *keep)
{
	struct ctl_conn *c, *next;

	for (c = TAILQ_FIRST(&set->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c != keep)
			ctl_conn_free(c);
	}
	ctl_conn_stop(set);
}
