/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The metrics listener: HTTP/1.x GET and HEAD of /metrics, one request per
 * connection, at most CTL_CONN_MAX clients with a deadline each, every read
 * and write non-blocking.
 */

#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/ctl.h"
#include "vrrpd/log.h"
#include "vrrpd/util.h"
#include "conn_priv.h"
#include "server_priv.h"

#define HTTP_HEAD_MAX 4096
#define HTTP_PEER_MAX (ADDR_STRLEN + 8)

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
	struct ctl_conn conn; /* first: ctl_conn_free() frees the client */
	struct ctl_http *h;
	char peer[HTTP_PEER_MAX];
	char buf[HTTP_HEAD_MAX];
};

struct ctl_http {
	ctl_metrics_fn *fn;
	void *arg;
	char *listen;
	int fd;
	struct ctl_conn_set conns;
	struct log_ratelimit rl[HTTP_OUTCOME_MAX];
};

static void
http_log(struct ctl_http *h, const char *peer, enum http_outcome o)
{
	unsigned long more = 0;
	char tail[48] = "";

	if (!http_outcomes[o].logged)
		return;
	if (!log_ratelimit_ok(&h->rl[o], util_now_ms(), &more))
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
	size_t len = 0;
	char *out = http_error(o, false, &len);

	ctl_conn_send_once(fd, out, len);
}

static struct http_client *
client_of(struct ctl_conn *conn)
{
	return (struct http_client *)conn;
}

static void
client_respond(struct http_client *c, enum http_outcome o, bool head_only)
{
	struct ctl_http *h = c->h;
	char *out = NULL;
	size_t len = 0;

	if (o == HTTP_OK && (out = http_metrics(h, head_only, &len)) == NULL)
		o = HTTP_INTERNAL;
	if (o != HTTP_OK)
		out = http_error(o, head_only, &len);
	http_log(h, c->peer, o);
	log_debug(DBG_CTL, "ctl: http %s from %s: %d, %zu bytes",
	    head_only ? "HEAD" : "GET", c->peer, http_outcomes[o].code, len);
	ctl_conn_reply(&c->conn, out, len);
}

/* Up to the end of the head; a body, if any, is ignored. */
static void
client_read(struct ctl_conn *conn, size_t old, bool eof)
{
	struct http_client *c = client_of(conn);
	size_t from = old > 3 ? old - 3 : 0;
	enum http_outcome o;
	bool head_only;

	if (memmem(c->buf + from, conn->len - from, "\r\n\r\n", 4) != NULL) {
		o = http_parse(c->buf, conn->len, &head_only);
		client_respond(c, o, head_only);
	} else if (conn->len == sizeof(c->buf))
		client_respond(c, HTTP_TOO_LARGE, false);
	else if (eof)
		client_respond(c, HTTP_BAD_REQUEST, false);
}

/* The client is freed after. */
static void
client_timeout(struct ctl_conn *conn)
{
	struct http_client *c = client_of(conn);

	if (conn->out == NULL) {
		http_log(c->h, c->peer, HTTP_TIMEOUT);
		http_send_once(conn->fd, HTTP_TIMEOUT);
	}
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
client_new(struct ctl_conn_set *set, int fd, const struct sockaddr_storage *ss)
{
	struct ctl_http *h = set->arg;
	struct http_client *c;
	char peer[HTTP_PEER_MAX];

	peer_fmt(ss, peer, sizeof(peer));
	if (ctl_conn_full(set) || (c = calloc(1, sizeof(*c))) == NULL) {
		http_log(h, peer, HTTP_BUSY);
		http_send_once(fd, HTTP_BUSY);
		close(fd);
		return;
	}
	c->h = h;
	memcpy(c->peer, peer, sizeof(c->peer));
	ctl_conn_add(set, &c->conn, fd, c->buf, sizeof(c->buf));
}

static const struct ctl_conn_ops client_ops = {
	.accept = client_new,
	.read = client_read,
	.timeout = client_timeout,
	.gone = NULL,
};

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
	    listen(fd, CTL_CONN_BACKLOG) == -1) {
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
	h->fn = fn;
	h->arg = arg;
	for (int o = 0; o < HTTP_OUTCOME_MAX; o++)
		h->rl[o].interval_ms = CTL_CONN_RL_MS;
	ctl_conn_init(&h->conns, loop, &client_ops, h, "metrics");
	ctl_conn_listen(&h->conns, h->fd, h->listen);
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
	ctl_conn_close(&h->conns, NULL);
	close(h->fd);
	free(h->listen);
	free(h);
}

void
ctl_http_set_deadline(struct ctl_http *h, double seconds)
{
	h->conns.deadline_s = seconds;
}
