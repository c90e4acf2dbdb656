/* SPDX-License-Identifier: BSD-2-Clause */
/* One ZooKeeper session (libzookeeper_st) driven by the daemon's libev loop. */

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/log.h"
#include "vrrpd/util.h"

#include "zk_priv.h"

static void sess_open(struct zk_sess *s);

/* The library's own lines: debug only, the session logs what matters. */
static void
zk_log_cb(const char *message)
{
	log_debug(DBG_ZK, "zk: %s", message);
}

const char *
zk_err(int rc)
{
	return zerror(rc);
}

struct ACL_vector *
zk_acl(const struct zk_sess *s)
{
	static char auth[] = "auth", empty[] = "", world[] = "world",
		    anyone[] = "anyone";
	static struct ACL authed[2];
	static struct ACL_vector authed_vec = { 2, authed };

	/* the library's permission bits are variables, not constants */
	authed[0] = (struct ACL) { ZOO_PERM_ALL, { auth, empty } };
	authed[1] = (struct ACL) { ZOO_PERM_READ, { world, anyone } };
	return s->ident != NULL ? &authed_vec : &ZOO_OPEN_ACL_UNSAFE;
}

static void
set_state(struct zk_sess *s, enum registry_conn st)
{
	s->state = st;
}

static void
note_server(struct zk_sess *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char a[INET6_ADDRSTRLEN];
	const void *ip;
	int port;

	s->server[0] = '\0';
	if (zookeeper_get_connected_host(s->zh, (struct sockaddr *)&ss, &len) ==
	    NULL)
		return;
	if (ss.ss_family == AF_INET) {
		ip = &((struct sockaddr_in *)&ss)->sin_addr;
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	} else if (ss.ss_family == AF_INET6) {
		ip = &((struct sockaddr_in6 *)&ss)->sin6_addr;
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	} else
		return;
	if (inet_ntop(ss.ss_family, ip, a, sizeof(a)) != NULL)
		snprintf(s->server, sizeof(s->server),
		    ss.ss_family == AF_INET6 ? "[%s]:%d" : "%s:%d", a, port);
}

static void
on_connected(struct zk_sess *s)
{
	const clientid_t *id = zoo_client_id(s->zh);
	bool fresh = s->new_sess || id->client_id != s->session;

	s->session = id->client_id;
	s->new_sess = false;
	s->backoff_ms = 0;
	s->connects++;
	note_server(s);
	set_state(s, REGISTRY_CONN_CONNECTED);
	if (!s->quiet)
		log_info("registry: connected to %s (session 0x%" PRIx64 ")",
		    s->server[0] != '\0' ? s->server : s->hosts,
		    (uint64_t)s->session);
	s->fn(s->arg, fresh ? ZK_SESS_NEW : ZK_SESS_UP);
}

/* Session events only: the registry's znode watches have their own. */
static void
sess_watch_cb(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
	struct zk_sess *s = ctx;

	(void)zh;
	(void)path;
	if (type != ZOO_SESSION_EVENT || s->closing)
		return;
	if (state == ZOO_CONNECTED_STATE) {
		on_connected(s);
	} else if (state == ZOO_CONNECTING_STATE ||
	    state == ZOO_ASSOCIATING_STATE) {
		if (s->state == REGISTRY_CONN_CONNECTED) {
			if (!s->quiet)
				log_info(
				    "registry: connection to %s lost, reconnecting",
				    s->server[0] != '\0' ? s->server :
							   s->hosts);
			set_state(s, REGISTRY_CONN_DISCONNECTED);
			s->fn(s->arg, ZK_SESS_DOWN);
		}
	} else if (state == ZOO_EXPIRED_SESSION_STATE) {
		log_info("registry: session 0x%" PRIx64
			 " expired, re-registering",
		    (uint64_t)s->session);
		s->expiries++;
		s->expired = true;
		set_state(s, REGISTRY_CONN_EXPIRED);
		s->fn(s->arg, ZK_SESS_EXPIRED);
	} else if (state == ZOO_AUTH_FAILED_STATE) {
		log_warnx("registry: authentication to %s refused; check "
			  "auth_file",
		    s->hosts);
		s->expired = true; /* the handle is unusable: start over */
		set_state(s, REGISTRY_CONN_AUTH_FAILED);
		s->fn(s->arg, ZK_SESS_EXPIRED);
	}
}

/* Mirror what the library waits for onto the watchers. */
static void
sess_interest(struct zk_sess *s)
{
	int fd = -1, interest = 0, rc;
	struct timeval tv = { 0, 0 };
	int ev = 0;

	if (s->zh == NULL)
		return;
	rc = zookeeper_interest(s->zh, &fd, &interest, &tv);
	if (rc != ZOK && rc != ZCONNECTIONLOSS && rc != ZOPERATIONTIMEOUT) {
		unsigned long more;

		if (log_ratelimit_ok(&s->rl, util_now_ms(), &more))
			log_warnx("registry: %s (%lu more suppressed)",
			    zk_err(rc), more);
	}
	if (interest & ZOOKEEPER_READ)
		ev |= EV_READ;
	if (interest & ZOOKEEPER_WRITE)
		ev |= EV_WRITE;
	/* libev keeps a flag of its own in .events: compare ours only */
	if (ev_is_active(&s->io) &&
	    (s->io.fd != fd || (s->io.events & (EV_READ | EV_WRITE)) != ev))
		ev_io_stop(s->loop, &s->io);
	if (fd >= 0 && ev != 0 && !ev_is_active(&s->io)) {
		ev_io_set(&s->io, fd, ev);
		ev_io_start(s->loop, &s->io);
	}
	ev_timer_stop(s->loop, &s->tmo);
	/* never spin: the library asks for 0 while it has nothing to do */
	ev_timer_set(&s->tmo,
	    tv.tv_sec + tv.tv_usec / 1e6 > 0.001 ?
		tv.tv_sec + tv.tv_usec / 1e6 :
		0.001,
	    0.);
	ev_timer_start(s->loop, &s->tmo);
}

/* Close the dead handle and open another after the backoff. */
static void
sess_reopen(struct zk_sess *s)
{
	s->expired = false;
	ev_io_stop(s->loop, &s->io);
	ev_timer_stop(s->loop, &s->tmo);
	if (s->zh != NULL) {
		zhandle_t *zh = s->zh;

		s->zh = NULL;
		zookeeper_close(zh);
	}
	s->new_sess = true;
	ev_timer_set(&s->backoff, s->backoff_ms / 1000.0, 0.);
	ev_timer_start(s->loop, &s->backoff);
	s->backoff_ms =
	    s->backoff_ms == 0 ? ZK_BACKOFF_MIN_MS : s->backoff_ms * 2;
	if (s->backoff_ms > ZK_BACKOFF_MAX_MS)
		s->backoff_ms = ZK_BACKOFF_MAX_MS;
}

static void
sess_process(struct zk_sess *s, int events)
{
	if (s->zh == NULL)
		return;
	(void)zookeeper_process(s->zh, events);
	if (s->expired)
		sess_reopen(s);
	else
		sess_interest(s);
}

static void
sess_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct zk_sess *s = w->data;
	int events = 0;

	(void)loop;
	if (revents & EV_READ)
		events |= ZOOKEEPER_READ;
	if (revents & EV_WRITE)
		events |= ZOOKEEPER_WRITE;
	sess_process(s, events);
}

static void
sess_tmo_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	sess_process(w->data, 0);
}

static void
sess_backoff_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	sess_open(w->data);
}

static void
sess_open(struct zk_sess *s)
{
	set_state(s, REGISTRY_CONN_CONNECTING);
	s->zh = zookeeper_init2(s->hosts, sess_watch_cb, s->timeout_ms, NULL, s,
	    0, zk_log_cb);
	if (s->zh == NULL) {
		unsigned long more;

		if (log_ratelimit_ok(&s->rl, util_now_ms(), &more))
			log_warn("registry: cannot start a session with %s "
				 "(%lu more suppressed)",
			    s->hosts, more);
		sess_reopen(s);
		return;
	}
	/* numeric addresses: never resolve them again in zookeeper_interest()
	 * (by default it calls getaddrinfo() on every call) */
	(void)zoo_set_servers_resolution_delay(s->zh, -1);
	if (s->ident != NULL)
		(void)zoo_add_auth(s->zh, "digest", s->ident,
		    (int)strlen(s->ident), NULL, NULL);
	sess_interest(s);
}

int
zk_sess_start(struct zk_sess *s, struct ev_loop *loop, const char *hosts,
    int timeout_ms, const char *ident, zk_sess_fn *fn, void *arg)
{
	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->timeout_ms = timeout_ms;
	s->fn = fn;
	s->arg = arg;
	s->new_sess = true;
	s->rl.interval_ms = 10000;
	s->hosts = strdup(hosts);
	if (s->hosts == NULL)
		return -1;
	if (ident != NULL && (s->ident = strdup(ident)) == NULL) {
		free(s->hosts);
		return -1;
	}
	zoo_set_debug_level(log_debug_on(DBG_ZK, NULL) ? ZOO_LOG_LEVEL_DEBUG :
							 ZOO_LOG_LEVEL_WARN);
	ev_io_init(&s->io, sess_io_cb, -1, 0);
	s->io.data = s;
	ev_timer_init(&s->tmo, sess_tmo_cb, 0., 0.);
	s->tmo.data = s;
	ev_timer_init(&s->backoff, sess_backoff_cb, 0., 0.);
	s->backoff.data = s;
	sess_open(s);
	return 0;
}

void
zk_sess_kick(struct zk_sess *s)
{
	sess_interest(s);
}

zhandle_t *
zk_sess_ready(struct zk_sess *s)
{
	return s->state == REGISTRY_CONN_CONNECTED ? s->zh : NULL;
}

void
zk_sess_stop(struct zk_sess *s)
{
	s->closing = true;
	ev_io_stop(s->loop, &s->io);
	ev_timer_stop(s->loop, &s->tmo);
	ev_timer_stop(s->loop, &s->backoff);
	if (s->zh != NULL) {
		zhandle_t *zh = s->zh;

		s->zh = NULL;
		zookeeper_close(zh);
	}
	set_state(s, REGISTRY_CONN_OFF);
	if (s->ident != NULL) {
		explicit_bzero(s->ident, strlen(s->ident));
		free(s->ident);
	}
	free(s->hosts);
	s->ident = s->hosts = NULL;
}
