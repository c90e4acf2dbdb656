/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The metrics listener: HTTP/1.x GET and HEAD of /metrics, one request per
 * connection, at most HTTP_CLIENTS clients with a deadline each, every read
 * and write non-blocking.
 */

#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "vrrpd/ctl.h"
#include "vrrpd/log.h"
#include "vrrpd/util.h"
#include "server_priv.h"

#define HTTP_CLIENTS	16
#define HTTP_BACKLOG	16
#define HTTP_DEADLINE_S 5.0
#define HTTP_HEAD_MAX	4096
#define HTTP_RL_MS	10000
#define HTTP_BACKOFF_S	1.0
#define HTTP_PEER_MAX	(ADDR_STRLEN + 8)

/* What a request gets; each has its status line. */
enum http_outcome {
	HTTP_OK = 0,	  /* 200: the metrics */
	HTTP_BAD_REQUEST, /* 400: not an HTTP/1.x request line */
	HTTP_NOT_FOUND,	  /* 404: a path other than /metrics */
	HTTP_BAD_METHOD,  /* 405: neither GET nor HEAD */
	HTTP_TIMEOUT,	  /* 408: no complete head in time */
	HTTP_TOO_LARGE,	  /* 431: a head past HTTP_HEAD_MAX */
	HTTP_INTERNAL,	  /* 500: the metrics could not be made */
	HTTP_BUSY,	  /* 503: too many clients */
	HTTP_OUTCOME_MAX
};

static const struct {
	int code;
	const char *reason;
	bool logged; /* a warning (rate limited), not the client's typo */
} http_outcomes[HTTP_OUTCOME_MAX] = {
	[HTTP_OK] = { 200, "OK", false },
	[HTTP_BAD_REQUEST] = { 400, "Bad Request", true },
	[HTTP_NOT_FOUND] = { 404, "Not Found", false },
	[HTTP_BAD_METHOD] = { 405, "Method Not Allowed", false },
	[HTTP_TIMEOUT] = { 408, "Request Timeout", true },
	[HTTP_TOO_LARGE] = { 431, "Request Header Fields Too Large", true },
	[HTTP_INTERNAL] = { 500, "Internal Server Error", true },
	[HTTP_BUSY] = { 503, "Service Unavailable", true },
};

struct http_client {
	TAILQ_ENTRY(http_client) entry;
	struct ctl_http *h;
	int fd;
	ev_io io;
	ev_timer deadline;
	char peer[HTTP_PEER_MAX];
	size_t len; /* bytes in buf */
	char buf[HTTP_HEAD_MAX];
	char *out; /* the response; NULL while reading */
	size_t outlen, off;
};

struct ctl_http {
	struct ev_loop *loop;
	ctl_metrics_fn *fn;
	void *arg;
	char *listen;
	int fd;
	ev_io accept_io;
	ev_timer backoff;
	double deadline_s;
	TAILQ_HEAD(, http_client) clients;
	unsigned int nclients;
	struct log_ratelimit rl[HTTP_OUTCOME_MAX];
	struct log_ratelimit rl_accept;
};

static void
http_log(struct ctl_http *h, const char *peer, enum http_outcome o)
{
	unsigned long more = 0;
	char tail[48] = "";

	if (!http_outcomes[o].logged)
		return;
	if (!log_ratelimit_ok(&h->rl[o], (uint64_t)(ev_now(h->loop) * 1000.0),
		&more))
		return;
	if (more > 0)
		snprintf(tail, sizeof(tail), " (%lu more suppressed)", more);
	log_warnx("metrics: %s: %d %s%s", peer, http_outcomes[o].code,
	    http_outcomes[o].reason, tail);
}

/* "HTTP/d.d" */
static bool
http_version_ok(const char *v, size_t n)
{
	return n == 8 && strncmp(v, "HTTP/", 5) == 0 &&
	    isdigit((unsigned char)v[5]) && v[6] == '.' &&
	    isdigit((unsigned char)v[7]);
}

/* A path in origin form: '/', then visible ASCII. */
static bool
http_target_ok(const char *t, size_t n)
{
	if (n == 0 || t[0] != '/')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
			return false;
	return true;
}

/* "METHOD SP TARGET SP HTTP/d.d CRLF"; headers are not looked at. */
static enum http_outcome
http_parse(const char *buf, size_t len, bool *head_only)
{
	const char *end = memmem(buf, len, "\r\n", 2), *sp1, *sp2;
	size_t mlen, plen;

	*head_only = false;
	if (end == NULL ||
	    (sp1 = memchr(buf, ' ', (size_t)(end - buf))) == NULL ||
	    (sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1))) == NULL)
		return HTTP_BAD_REQUEST;
	mlen = (size_t)(sp1 - buf);
	if (mlen == 0 || strspn(buf, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != mlen ||
	    !http_target_ok(sp1 + 1, (size_t)(sp2 - sp1 - 1)) ||
	    !http_version_ok(sp2 + 1, (size_t)(end - sp2 - 1)))
		return HTTP_BAD_REQUEST;
	plen = strcspn(sp1 + 1, "? ");
	if (plen != strlen("/metrics") ||
	    strncmp(sp1 + 1, "/metrics", plen) != 0)
		return HTTP_NOT_FOUND;
	if (mlen == 3 && strncmp(buf, "GET", 3) == 0)
		return HTTP_OK;
	if (mlen == 4 && strncmp(buf, "HEAD", 4) == 0) {
		*head_only = true;
		return HTTP_OK;
	}
	return HTTP_BAD_METHOD;
}

/* Status line and headers for a body of blen bytes, into buf. */
static size_t
http_head(char *buf, size_t size, enum http_outcome o, size_t blen)
{
	int n;

	n = snprintf(buf, size,
	    "HTTP/1.1 %d %s\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Length: %zu\r\n"
	    "%s"
	    "Connection: close\r\n"
	    "\r\n",
	    http_outcomes[o].code, http_outcomes[o].reason,
	    o == HTTP_OK ? "text/plain; version=0.0.4; charset=utf-8" :
			   "text/plain; charset=utf-8",
	    blen, o == HTTP_BAD_METHOD ? "Allow: GET, HEAD\r\n" : "");
	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

/* The response for an error: the reason as its body. */
static char *
http_error(enum http_outcome o, bool head_only, size_t *len)
{
	char hdr[256], body[64], *out;
	size_t hlen, blen;

	blen = (size_t)snprintf(body, sizeof(body), "%s\n",
	    http_outcomes[o].reason);
	hlen = http_head(hdr, sizeof(hdr), o, blen);
	if (head_only)
		blen = 0;
	if ((out = malloc(hlen + blen)) == NULL)
		return NULL;
	memcpy(out, hdr, hlen);
	memcpy(out + hlen, body, blen);
	*len = hlen + blen;
	return out;
}

static char *
http_metrics(struct ctl_http *h, bool head_only, size_t *len)
{
	char hdr[256], *body, *out;
	size_t hlen, blen = 0;

	if ((body = h->fn(h->arg, &blen)) == NULL)
		return NULL;
	hlen = http_head(hdr, sizeof(hdr), HTTP_OK, blen);
	if (head_only)
		blen = 0;
	if ((out = malloc(hlen + blen)) != NULL) {
		memcpy(out, hdr, hlen);
		memcpy(out + hlen, body, blen);
		*len = hlen + blen;
	}
	free(body);
	return out;
}

static void
http_send_once(int fd, enum http_outcome o)
{
	size_t len;
	char *out = http_error(o, false, &len);

	if (out != NULL)
		(void)send(fd, out, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	free(out);
}

static void
client_free(struct http_client *c)
{
	struct ctl_http *h = c->h;

	ev_io_stop(h->loop, &c->io);
	ev_timer_stop(h->loop, &c->deadline);
	close(c->fd);
	free(c->out);
	TAILQ_REMOVE(&h->clients, c, entry);
	h->nclients--;
	free(c);
}

static void
client_write(struct http_client *c)
{
	ssize_t n;

	while (c->off < c->outlen) {
		n = send(c->fd, c->out + c->off, c->outlen - c->off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n == -1)
			break;
		c->off += (size_t)n;
	}
	client_free(c);
}

static void
client_respond(struct http_client *c, enum http_outcome o, bool head_only)
{
	struct ctl_http *h = c->h;

	if (o == HTTP_OK &&
	    (c->out = http_metrics(h, head_only, &c->outlen)) == NULL)
		o = HTTP_INTERNAL;
	if (o != HTTP_OK)
		c->out = http_error(o, head_only, &c->outlen);
	http_log(h, c->peer, o);
	if (c->out == NULL) {
		client_free(c);
		return;
	}
	ev_io_stop(h->loop, &c->io);
	ev_io_set(&c->io, c->fd, EV_WRITE);
	ev_io_start(h->loop, &c->io);
	client_write(c);
}

/* Up to the end of the head; a body, if any, is ignored. */
static void
client_read(struct http_client *c)
{
	size_t from = c->len > 3 ? c->len - 3 : 0;
	enum http_outcome o;
	bool head_only;
	ssize_t n;

	do
		n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n == -1 || (n == 0 && c->len == 0)) {
		client_free(c);
		return;
	}
	c->len += (size_t)n;
	if (memmem(c->buf + from, c->len - from, "\r\n\r\n", 4) != NULL) {
		o = http_parse(c->buf, c->len, &head_only);
		client_respond(c, o, head_only);
	} else if (c->len == sizeof(c->buf))
		client_respond(c, HTTP_TOO_LARGE, false);
	else if (n == 0)
		client_respond(c, HTTP_BAD_REQUEST, false);
}

static void
client_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct http_client *c = w->data;

	(void)loop;
	(void)revents;
	if (c->out == NULL)
		client_read(c);
	else
		client_write(c);
}

static void
client_deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct http_client *c = w->data;

	(void)loop;
	(void)revents;
	if (c->out == NULL) {
		http_log(c->h, c->peer, HTTP_TIMEOUT);
		http_send_once(c->fd, HTTP_TIMEOUT);
	}
	client_free(c);
}

static void
peer_fmt(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	struct addr a = { .af = AF_UNSPEC };

	if (ss->ss_family == AF_INET) {
		a.af = AF_INET;
		a.u.v4 = ((const struct sockaddr_in *)ss)->sin_addr;
	} else if (ss->ss_family == AF_INET6) {
		a.af = AF_INET6;
		a.u.v6 = ((const struct sockaddr_in6 *)ss)->sin6_addr;
	}
	(void)addr_fmt(&a, buf, size);
}

static void
client_new(struct ctl_http *h, int fd, const struct sockaddr_storage *ss)
{
	struct http_client *c;
	char peer[HTTP_PEER_MAX];

	peer_fmt(ss, peer, sizeof(peer));
	if (h->nclients >= HTTP_CLIENTS ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		http_log(h, peer, HTTP_BUSY);
		http_send_once(fd, HTTP_BUSY);
		close(fd);
		return;
	}
	c->h = h;
	c->fd = fd;
	memcpy(c->peer, peer, sizeof(c->peer));
	ev_io_init(&c->io, client_io_cb, fd, EV_READ);
	c->io.data = c;
	ev_timer_init(&c->deadline, client_deadline_cb, h->deadline_s, 0.);
	c->deadline.data = c;
	ev_io_start(h->loop, &c->io);
	ev_timer_start(h->loop, &c->deadline);
	TAILQ_INSERT_TAIL(&h->clients, c, entry);
	h->nclients++;
}

static void
accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_http *h = w->data;
	struct sockaddr_storage ss;
	socklen_t sslen;
	int fd;

	(void)revents;
	for (int i = 0; i < 2 * HTTP_CLIENTS; i++) {
		sslen = sizeof(ss);
		fd = accept4(h->fd, (struct sockaddr *)&ss, &sslen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd != -1) {
			client_new(h, fd, &ss);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		/* EMFILE and the like: pause rather than spin. */
		if (log_ratelimit_ok(&h->rl_accept,
			(uint64_t)(ev_now(loop) * 1000.0), NULL))
			log_warn("metrics: %s: accept", h->listen);
		ev_io_stop(loop, &h->accept_io);
		ev_timer_start(loop, &h->backoff);
		return;
	}
}

static void
backoff_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_http *h = w->data;

	(void)revents;
	ev_io_start(loop, &h->accept_io);
}

static int
http_listen(const char *text, const struct addr *a, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = sizeof(*sin);
	int fd, on = 1, saved;

	ss.ss_family = a->af;
	if (a->af == AF_INET) {
		sin->sin_port = htons(port);
		sin->sin_addr = a->u.v4;
	} else {
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->u.v6;
		len = sizeof(*sin6);
	}
	fd = socket(a->af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, HTTP_BACKLOG) == -1) {
		saved = errno;
		log_warn("metrics: %s", text);
		if (fd != -1)
			close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

struct ctl_http *
ctl_http_new(struct ev_loop *loop, const char *listen, ctl_metrics_fn *fn,
    void *arg)
{
	struct ctl_http *h;
	struct addr a;
	uint16_t port;
	int saved;

	if (listen == NULL || fn == NULL ||
	    addr_parse_hostport(listen, &a, &port) == -1) {
		log_warnx("metrics: %s: expected ADDR:PORT",
		    listen != NULL ? listen : "(none)");
		errno = EINVAL;
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->listen = strdup(listen)) == NULL) {
		log_warn("metrics: %s", listen);
		goto fail;
	}
	if ((h->fd = http_listen(listen, &a, port)) == -1)
		goto fail;
	h->loop = loop;
	h->fn = fn;
	h->arg = arg;
	h->deadline_s = HTTP_DEADLINE_S;
	TAILQ_INIT(&h->clients);
	for (int o = 0; o < HTTP_OUTCOME_MAX; o++)
		h->rl[o].interval_ms = HTTP_RL_MS;
	h->rl_accept.interval_ms = HTTP_RL_MS;
	ev_io_init(&h->accept_io, accept_cb, h->fd, EV_READ);
	h->accept_io.data = h;
	ev_timer_init(&h->backoff, backoff_cb, HTTP_BACKOFF_S, 0.);
	h->backoff.data = h;
	ev_io_start(loop, &h->accept_io);
	log_info("metrics: listening on %s", listen);
	return h;
fail:
	saved = errno;
	if (h != NULL)
		free(h->listen);
	free(h);
	errno = saved;
	return NULL;
}

void
ctl_http_free(struct ctl_http *h)
{
	if (h == NULL)
		return;
	while (!TAILQ_EMPTY(&h->clients))
		client_free(TAILQ_FIRST(&h->clients));
	ev_io_stop(h->loop, &h->accept_io);
	ev_timer_stop(h->loop, &h->backoff);
	close(h->fd);
	free(h->listen);
	free(h);
}

void
ctl_http_set_deadline(struct ctl_http *h, double seconds)
{
	h->deadline_s = seconds;
}
