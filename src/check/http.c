/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The http kind: one HTTP/1.1 or HTTPS request per run through libcurl's
 * multi interface, driven by the daemon's libev loop (socket and timer
 * callbacks, curl_multi_socket_action). All http checks on one loop share
 * one multi handle (one timer, one socket table, one DNS cache); it is
 * created with the first and freed with the last.
 *
 * Deliberately unlike a browser: no redirect is followed (a 3xx is a
 * status like any other), no proxy is taken from the environment, no
 * connection is reused between runs, and max_size counts every response
 * byte, headers included. A host name in the URL is resolved by libcurl's
 * asynchronous resolver (a short-lived thread inside libcurl on Debian's
 * build); numeric addresses need none.
 */

#include <sys/queue.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checker_priv.h"
#include "http_priv.h"
#include "vrrpd/log.h"

/* One multi handle per loop, shared by its http checks. */
struct http_multi {
	LIST_ENTRY(http_multi) entry;
	struct ev_loop *loop;
	CURLM *multi;
	ev_timer timer;	   /* libcurl's CURLMOPT_TIMERFUNCTION deadline */
	unsigned int refs; /* http checks, plus callbacks in progress */
	LIST_HEAD(, http_sock) socks;
};

/* A socket libcurl asked us to watch. */
struct http_sock {
	LIST_ENTRY(http_sock) entry;
	ev_io io;
	struct http_multi *m;
};

struct http_state {
	struct checker *c;
	struct http_multi *m;
	CURL *easy;
	struct curl_slist *headers;
	regex_t re;
	bool has_re;
	uint64_t max_size;
	uint32_t timeout_ms;
	ev_timer guard; /* in case libcurl never ends a run */
	/* the run in progress */
	bool active; /* easy is in m->multi */
	bool too_big;
	bool nomem;
	uint64_t got; /* response bytes so far, headers included */
	char *body;   /* kept only with expect_body */
	size_t blen, bcap;
	char errbuf[CURL_ERROR_SIZE];
};

static LIST_HEAD(, http_multi) multis = LIST_HEAD_INITIALIZER(multis);

static void multi_drain(struct http_multi *);

static void
multi_release(struct http_multi *m)
{
	struct http_sock *s;

	if (--m->refs > 0)
		return;
	LIST_REMOVE(m, entry);
	curl_multi_cleanup(m->multi);
	ev_timer_stop(m->loop, &m->timer);
	/* Sockets libcurl did not take back itself. */
	while ((s = LIST_FIRST(&m->socks)) != NULL) {
		ev_io_stop(m->loop, &s->io);
		LIST_REMOVE(s, entry);
		free(s);
	}
	free(m);
	curl_global_cleanup();
}

static void
io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct http_sock *s = w->data;
	struct http_multi *m = s->m;
	int action = 0, running;

	(void)loop;
	if (revents & EV_READ)
		action |= CURL_CSELECT_IN;
	if (revents & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	m->refs++;
	/* s may be freed in here (CURL_POLL_REMOVE). */
	curl_multi_socket_action(m->multi, w->fd, action, &running);
	multi_drain(m);
	multi_release(m);
}

static void
timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct http_multi *m = w->data;
	int running;

	(void)loop;
	(void)revents;
	m->refs++;
	curl_multi_socket_action(m->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	multi_drain(m);
	multi_release(m);
}

static int
sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct http_multi *m = userp;
	struct http_sock *s = socketp;
	int events = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			ev_io_stop(m->loop, &s->io);
			LIST_REMOVE(s, entry);
			free(s);
			curl_multi_assign(m->multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return -1;
		s->m = m;
		ev_init(&s->io, io_cb);
		s->io.data = s;
		LIST_INSERT_HEAD(&m->socks, s, entry);
		curl_multi_assign(m->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		events |= EV_READ;
	if (what & CURL_POLL_OUT)
		events |= EV_WRITE;
	ev_io_stop(m->loop, &s->io);
	ev_io_set(&s->io, fd, events);
	ev_io_start(m->loop, &s->io);
	return 0;
}

/* libcurl wants socket_action after timeout_ms; never called from here. */
static int
multi_timer_set_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http_multi *m = userp;

	(void)multi;
	ev_timer_stop(m->loop, &m->timer);
	if (timeout_ms >= 0) {
		ev_timer_set(&m->timer, (double)timeout_ms / 1000.0, 0.0);
		ev_timer_start(m->loop, &m->timer);
	}
	return 0;
}

static struct http_multi *
multi_get(struct ev_loop *loop, const char **err)
{
	static char dl_err[256]; /* the loader's reason, while it stands */
	struct http_multi *m;

	LIST_FOREACH (m, &multis, entry) {
		if (m->loop == loop) {
			m->refs++;
			return m;
		}
	}
	*err = "libcurl cannot be set up";
	if (curl_dl_load(dl_err, sizeof(dl_err)) != 0) {
		*err = dl_err;
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->multi = curl_multi_init()) == NULL) {
		free(m);
		curl_global_cleanup();
		return NULL;
	}
	m->loop = loop;
	m->refs = 1;
	LIST_INIT(&m->socks);
	ev_init(&m->timer, timer_cb);
	m->timer.data = m;
	curl_multi_setopt(m->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(m->multi, CURLMOPT_SOCKETDATA, m);
	curl_multi_setopt(m->multi, CURLMOPT_TIMERFUNCTION, multi_timer_set_cb);
	curl_multi_setopt(m->multi, CURLMOPT_TIMERDATA, m);
	LIST_INSERT_HEAD(&multis, m, entry);
	return m;
}

/* Counts every response byte; false once past max_size. */
static bool
http_count(struct http_state *h, size_t n)
{
	h->got += n;
	if (h->got > h->max_size) {
		h->too_big = true;
		return false;
	}
	return true;
}

static size_t
header_cb(char *buf, size_t size, size_t n, void *arg)
{
	(void)buf;
	return http_count(arg, size * n) ? size * n : 0;
}

static size_t
write_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct http_state *h = arg;
	size_t len = size * n, cap;
	char *p;

	if (!http_count(h, len))
		return 0;
	if (!h->has_re)
		return len;
	/* One byte more for a NUL: ASan's regexec reads up to one. */
	if (h->blen + len + 1 > h->bcap) {
		/* got <= max_size bounds the buffer. */
		cap = h->bcap > 0 ? h->bcap : 4096;
		while (cap < h->blen + len + 1)
			cap *= 2;
		if ((p = realloc(h->body, cap)) == NULL) {
			h->nomem = true;
			return 0;
		}
		h->body = p;
		h->bcap = cap;
	}
	memcpy(h->body + h->blen, buf, len);
	h->blen += len;
	h->body[h->blen] = '\0';
	return len;
}

/* The outcome of a transfer libcurl finished with code. */
static void
http_judge(struct http_state *h, CURLcode code, struct checker_outcome *o)
{
	const struct conf_check *cc = h->c->cc;
	long status = 0, os_errno = 0;
	curl_off_t total_us = 0;

	curl_easy_getinfo(h->easy, CURLINFO_OS_ERRNO, &os_errno);
	checker_http_classify(code, os_errno, h->too_big, o);
	if (h->nomem && !h->too_big) {
		o->result = CHECKER_INTERNAL;
		o->detail = ENOMEM;
	}
	if (curl_easy_getinfo(h->easy, CURLINFO_TOTAL_TIME_T, &total_us) ==
		CURLE_OK &&
	    total_us > 0 && total_us <= UINT32_MAX)
		o->latency_us = (uint32_t)total_us;
	if (o->result != CHECKER_OK) {
		log_debug(DBG_CHECK, "check %s: curl: %s", cc->name,
		    h->errbuf[0] != '\0' ? h->errbuf :
					   curl_easy_strerror(code));
		return;
	}
	curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
	if (!checker_http_status_ok(cc->expect_status, cc->nexpect_status,
		status)) {
		o->result = CHECKER_HTTP_STATUS;
		o->detail = (int)status;
	} else if (h->has_re &&
	    !checker_http_body_match(&h->re, h->body, h->blen)) {
		o->result = CHECKER_HTTP_BODY;
	}
}

/* Reports every finished transfer; checker_done may free other checks. */
static void
multi_drain(struct http_multi *m)
{
	struct checker_outcome o;
	struct http_state *h;
	CURLMsg *msg;
	CURLcode code;
	char *p;
	int left;

	while ((msg = curl_multi_info_read(m->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		code = msg->data.result;
		p = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
		if ((h = (struct http_state *)(void *)p) == NULL || !h->active)
			continue;
		memset(&o, 0, sizeof(o));
		http_judge(h, code, &o);
		curl_multi_remove_handle(m->multi, h->easy);
		h->active = false;
		ev_timer_stop(m->loop, &h->guard);
		checker_done(h->c, &o);
	}
}

/*
 * CURLOPT_TIMEOUT_MS ends every transfer; this is the contract's promise
 * (one report per run, in time) kept even if libcurl were not to.
 */
static void
guard_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct http_state *h = w->data;
	struct checker_outcome o = { .result = CHECKER_TIMEOUT };

	(void)loop;
	(void)revents;
	if (!h->active)
		return;
	log_warnx("check %s: libcurl did not end the run after %u ms",
	    h->c->cc->name, h->timeout_ms);
	curl_multi_remove_handle(h->m->multi, h->easy);
	h->active = false;
	checker_done(h->c, &o);
}

static int
http_set_url(struct http_state *h, const char *url, const char **err)
{
	CURLU *u;
	char *scheme = NULL;
	int rc = -1;

	if ((u = curl_url()) == NULL) {
		*err = "out of memory";
		return -1;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		*err = "the url is not valid";
		goto fail;
	}
	if (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0) {
		*err = "the url is not http:// or https://";
		goto fail;
	}
	if (curl_easy_setopt(h->easy, CURLOPT_URL, url) != CURLE_OK) {
		*err = "libcurl refuses the url";
		goto fail;
	}
	rc = 0;
fail:
	curl_free(scheme);
	curl_url_cleanup(u);
	return rc;
}

static int
http_set_request(struct http_state *h, const struct conf_check *cc,
    const char **err)
{
	char line[512];
	int n;

	if (cc->method != NULL && strcmp(cc->method, "HEAD") == 0) {
		if (cc->expect_body != NULL) {
			*err = "expect_body needs method GET";
			return -1;
		}
		curl_easy_setopt(h->easy, CURLOPT_NOBODY, 1L);
	} else if (cc->method != NULL && strcmp(cc->method, "GET") != 0) {
		*err = "method is neither GET nor HEAD";
		return -1;
	}
	if (cc->host == NULL)
		return 0;
	n = snprintf(line, sizeof(line), "Host: %s", cc->host);
	if (n < 0 || (size_t)n >= sizeof(line) || cc->host[0] == '\0' ||
	    strpbrk(cc->host, "\r\n") != NULL) {
		*err = "the host header is empty, too long or holds a newline";
		return -1;
	}
	if ((h->headers = curl_slist_append(NULL, line)) == NULL) {
		*err = "out of memory";
		return -1;
	}
	curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, h->headers);
	return 0;
}

static int
http_set_options(struct http_state *h, const struct conf_check *cc,
    const char **err)
{
	CURL *e = h->easy;
	char iface[5 + ADDR_STRLEN];

	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)(void *)h);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "vrrpd-check/1");
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)h->timeout_ms);
	/* Every run tests a new connection, as keepalived's checks do. */
	curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->max_size);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, cc->tls_verify ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, cc->tls_verify ? 2L : 0L);
	if (cc->ca_file != NULL &&
	    curl_easy_setopt(e, CURLOPT_CAINFO, cc->ca_file) != CURLE_OK) {
		*err = "libcurl refuses ca_file";
		return -1;
	}
	if (cc->has_bind) {
		/* "host!": an address, never an interface name. */
		memcpy(iface, "host!", 5);
		addr_fmt(&cc->bind, iface + 5, sizeof(iface) - 5);
		if (curl_easy_setopt(e, CURLOPT_INTERFACE, iface) != CURLE_OK) {
			*err = "libcurl refuses the bind address";
			return -1;
		}
	}
	return 0;
}

static void
http_fini(struct checker *c)
{
	struct http_state *h = c->kstate;

	if (h == NULL)
		return;
	if (h->active)
		curl_multi_remove_handle(h->m->multi, h->easy);
	ev_timer_stop(c->loop, &h->guard);
	if (h->easy != NULL)
		curl_easy_cleanup(h->easy);
	curl_slist_free_all(h->headers);
	if (h->has_re)
		regfree(&h->re);
	free(h->body);
	if (h->m != NULL)
		multi_release(h->m);
	free(h);
	c->kstate = NULL;
}

static int
http_init(struct checker *c, const char **err)
{
	const struct conf_check *cc = c->cc;
	struct http_state *h;

	if (cc->url == NULL) {
		*err = "no url";
		return -1;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		*err = "out of memory";
		return -1;
	}
	c->kstate = h;
	h->c = c;
	h->max_size =
	    cc->max_size > 0 ? cc->max_size : CHECKER_HTTP_MAX_SIZE_DEFAULT;
	h->timeout_ms = cc->timeout_ms > 0 ? cc->timeout_ms :
					     CHECKER_HTTP_TIMEOUT_DEFAULT_MS;
	ev_init(&h->guard, guard_cb);
	h->guard.data = h;
	if ((h->m = multi_get(c->loop, err)) == NULL)
		goto fail;
	if ((h->easy = curl_easy_init()) == NULL) {
		*err = "libcurl cannot be set up";
		goto fail;
	}
	if (cc->expect_body != NULL) {
		if (checker_http_body_compile(&h->re, cc->expect_body) != 0) {
			*err = "expect_body is not a valid regular expression";
			goto fail;
		}
		h->has_re = true;
	}
	if (http_set_url(h, cc->url, err) != 0 ||
	    http_set_request(h, cc, err) != 0 ||
	    http_set_options(h, cc, err) != 0)
		goto fail;
	return 0;
fail:
	http_fini(c);
	return -1;
}

static int
http_start(struct checker *c, struct checker_outcome *o)
{
	struct http_state *h = c->kstate;
	CURLMcode mc;

	h->too_big = false;
	h->nomem = false;
	h->got = 0;
	h->blen = 0;
	h->errbuf[0] = '\0';
	/* The first socket_action comes from the timer, not from here. */
	if ((mc = curl_multi_add_handle(h->m->multi, h->easy)) != CURLM_OK) {
		log_warnx("check %s: libcurl: %s", c->cc->name,
		    curl_multi_strerror(mc));
		o->result = CHECKER_INTERNAL;
		o->detail = 0;
		return -1;
	}
	h->active = true;
	ev_timer_set(&h->guard, h->timeout_ms / 1000.0 + 0.5, 0.0);
	ev_timer_start(c->loop, &h->guard);
	return 0;
}

static void
http_cancel(struct checker *c)
{
	struct http_state *h = c->kstate;

	if (!h->active)
		return;
	curl_multi_remove_handle(h->m->multi, h->easy);
	h->active = false;
	ev_timer_stop(c->loop, &h->guard);
}

const struct checker_kind checker_kind_http = {
	.name = "http",
	.init = http_init,
	.start = http_start,
	.cancel = http_cancel,
	.fini = http_fini,
};
