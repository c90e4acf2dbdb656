/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The control socket: a Unix stream listener, one request and one reply per
 * connection, the peer known by SO_PEERCRED, at most CTL_CONN_MAX clients
 * with a deadline each, every read and write non-blocking.
 */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <malloc.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "vrrpd/util.h"
#include "vrrpd/ctl.h"
#include "vrrpd/log.h"
#include "conn_priv.h"
#include "server_priv.h"

#define CTL_WHY_MAX 256

struct ctl_client {
	struct ctl_conn conn; /* first: ctl_conn_free() frees the client */
	struct ctl_server *s;
	struct ctl_later *later; /* a reply that comes later, or NULL */
	struct ctl_peer peer;
	char buf[CTL_REQ_MAX + 1]; /* one more, to tell "too big" */
};

/* A bound socket and what it is bound to, to unlink only our own. */
struct ctl_listener {
	int fd;
	char *path;
	dev_t dev;
	ino_t ino;
};

struct ctl_server {
	ctl_handler_fn *fn;
	void *arg;
	struct ctl_listener l;
	struct ctl_conn_set conns;
	char *group; /* NULL: none */
	gid_t gid;
	bool group_write;
	struct ctl_conn *answering; /* in the handler for this client */
	bool dying;		    /* freed by the handler */
	struct log_ratelimit rl[CTL_E_MAX];
};

static struct ctl_client *
client_of(struct ctl_conn *conn)
{
	return (struct ctl_client *)conn;
}

static void
log_peer(struct ctl_server *s, const struct ctl_peer *p, enum ctl_err e,
    const char *what, const char *msg)
{
	unsigned long more = 0;
	char tail[48] = "";

	if ((unsigned int)e >= CTL_E_MAX)
		e = CTL_E_INTERNAL;
	if (!log_ratelimit_ok(&s->rl[e], util_now_ms(), &more))
		return;
	if (more > 0)
		snprintf(tail, sizeof(tail), " (%lu more suppressed)", more);
	log_warnx("ctl: request from pid %ld uid %u %s: %s (%s)%s",
	    (long)p->pid, (unsigned int)p->uid, what, ctl_err_code(e), msg,
	    tail);
}

/*
 * The reply as one line, malloc'd; the object is released (the text is
 * far smaller than the tree). Paths stay readable: no "\/".
 */
/* Replies longer than this are followed by malloc_trim(). */
#define CTL_TRIM_AFTER 65536

static char *
reply_line(struct json_object *r, size_t *len)
{
	const char *text;
	char *line = NULL;
	size_t n;

	if (r == NULL)
		return NULL;
	text = json_object_to_json_string_length(r,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	if (text != NULL && (line = malloc(n + 1)) != NULL) {
		memcpy(line, text, n);
		line[n] = '\n';
		*len = n + 1;
	}
	json_object_put(r);
	/* A big reply's tree (status of hundreds of instances) leaves the
	 * heap full of holes malloc keeps: give them back. */
	if (line != NULL && *len > CTL_TRIM_AFTER)
		malloc_trim(0);
	return line;
}

/* For a client about to be dropped: one try, never waits. */
static void
send_once(int fd, struct json_object *r)
{
	size_t len = 0;
	char *line = reply_line(r, &len);

	ctl_conn_send_once(fd, line, len);
}

static int
group_lookup(const char *name, gid_t *gid)
{
	struct group *gr;

	errno = 0;
	if ((gr = getgrnam(name)) != NULL) {
		*gid = gr->gr_gid;
		return 0;
	}
	/* getgrnam(3): these, or none, mean the group does not exist. */
	if (errno == 0 || errno == ENOENT || errno == ESRCH || errno == EBADF ||
	    errno == EPERM) {
		log_warnx("ctl: control_group %s: no such group", name);
		errno = ENOENT;
	} else
		log_warn("ctl: control_group %s", name);
	return -1;
}

/* The path's directory, made with mode 0755 when missing. */
static int
mkdir_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	if (mkdir(dir, 0755) == 0)
		return chmod(dir, 0755); /* whatever the umask */
	return errno == EEXIST ? 0 : -1;
}

/*
 * Something at the path: a socket nobody answers on is stale and removed;
 * one somebody answers on, or anything else, is left alone. The probe is
 * non-blocking, so a peer with a full backlog still counts as alive.
 */
static int
probe_existing(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, rc, err;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("ctl: %s", path);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("ctl: %s: exists and is not a socket", path);
		errno = ENOTSOCK;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("ctl: %s: socket", path);
		return -1;
	}
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	err = errno;
	close(fd);
	if (rc == 0 || err == EAGAIN || err == EINPROGRESS) {
		log_warnx("ctl: %s: another vrrpd answers on it", path);
		errno = EADDRINUSE;
		return -1;
	}
	errno = err;
	if (err != ECONNREFUSED) {
		log_warn("ctl: %s: cannot probe the existing socket", path);
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		log_warn("ctl: %s: cannot remove the stale socket", path);
		return -1;
	}
	log_debug(DBG_CTL, "ctl: %s: stale socket removed", path);
	return 0;
}

/* Mode 0660 root:group, or 0600; the group is set before access widens. */
static int
set_mode(const char *path, const char *group, gid_t gid)
{
	if (group != NULL && lchown(path, (uid_t)-1, gid) == -1) {
		log_warn("ctl: %s: chown to group %s", path, group);
		return -1;
	}
	if (chmod(path, group != NULL ? 0660 : 0600) == -1) {
		log_warn("ctl: %s: chmod", path);
		return -1;
	}
	return 0;
}

static int
listener_open(struct ctl_listener *l, const char *path, const char *group,
    gid_t gid)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *what = NULL;
	struct stat st;
	bool bound = false;
	mode_t old;
	int fd = -1, rc, saved;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("ctl: %s: path too long for a socket", path);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (mkdir_parent(path) == -1) {
		log_warn("ctl: %s: cannot make its directory", path);
		return -1;
	}
	if (probe_existing(path, &sun) == -1)
		return -1;
	what = "socket";
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto fail;
	what = "bind";
	old = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	(void)umask(old);
	if (rc == -1)
		goto fail;
	bound = true;
	what = "stat";
	if (lstat(path, &st) == -1)
		goto fail;
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	what = NULL;
	if (set_mode(path, group, gid) == -1)
		goto fail;
	what = "listen";
	if (listen(fd, CTL_CONN_BACKLOG) == -1 ||
	    (l->path = strdup(path)) == NULL)
		goto fail;
	l->fd = fd;
	return 0;
fail:
	saved = errno;
	if (what != NULL)
		log_warn("ctl: %s: %s", path, what);
	if (fd != -1)
		close(fd);
	if (bound)
		(void)unlink(path);
	errno = saved;
	return -1;
}

static bool
listener_is_ours(const struct ctl_listener *l)
{
	struct stat st;

	return l->path != NULL && lstat(l->path, &st) == 0 &&
	    S_ISSOCK(st.st_mode) && st.st_dev == l->dev && st.st_ino == l->ino;
}

/* Close, and unlink the path only while it is still our socket. */
static void
listener_close(struct ctl_listener *l)
{
	if (listener_is_ours(l))
		(void)unlink(l->path);
	if (l->fd != -1)
		close(l->fd);
	free(l->path);
	l->path = NULL;
	l->fd = -1;
}

/* Takes r's reference; from here on the client only writes. */
static void
client_reply(struct ctl_client *c, struct json_object *r)
{
	size_t len = 0;
	char *line = reply_line(r, &len);

	ctl_conn_reply(&c->conn, line, len);
}

static void
client_fail(struct ctl_client *c, enum ctl_cmd cmd, enum ctl_err e,
    const char *msg)
{
	log_peer(c->s, &c->peer, e, e == CTL_E_INTERNAL ? "failed" : "refused",
	    msg);
	client_reply(c, ctl_reply_error(cmd, e, msg));
}

/* "Groups: 4 24 27\n" holds gid. */
static bool
groups_hold(const char *s, gid_t gid)
{
	unsigned long v;
	char *end;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		v = strtoul(s, &end, 10);
		if (v == (unsigned long)gid)
			return true;
		s = end;
	}
}

/*
 * Supplementary groups from /proc/PID/status. The status must still show
 * the peer's effective uid, so a reused pid does not lend its groups.
 */
static bool
peer_in_group(const struct ctl_peer *p, gid_t gid)
{
	char path[64], *line = NULL;
	unsigned long ruid, euid;
	bool uid_ok = false, found = false;
	size_t cap = 0;
	FILE *f;

	if (p->gid == gid)
		return true;
	if (p->pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)p->pid);
	if ((f = fopen(path, "re")) == NULL)
		return false;
	while (getline(&line, &cap, f) != -1) {
		if (sscanf(line, "Uid: %lu %lu", &ruid, &euid) == 2)
			uid_ok = euid == (unsigned long)p->uid;
		else if (strncmp(line, "Groups:", 7) == 0) {
			found = groups_hold(line + 7, gid);
			break;
		}
	}
	free(line);
	fclose(f);
	return uid_ok && found;
}

/* Sets p->may_write; CTL_E_PERMISSION with the reason in why. */
static enum ctl_err
peer_authorize(const struct ctl_server *s, struct ctl_peer *p,
    const struct ctl_req *req, char *why, size_t whylen)
{
	p->may_write = false;
	if (p->uid == 0 || p->uid == geteuid()) {
		p->may_write = true;
		return CTL_OK;
	}
	if (s->group == NULL) {
		snprintf(why, whylen, "permission denied: uid %u is not root",
		    (unsigned int)p->uid);
		return CTL_E_PERMISSION;
	}
	if (!peer_in_group(p, s->gid)) {
		snprintf(why, whylen,
		    "permission denied: uid %u is neither root nor in group %s",
		    (unsigned int)p->uid, s->group);
		return CTL_E_PERMISSION;
	}
	p->may_write = s->group_write;
	if (ctl_req_mutating(req) && !p->may_write) {
		snprintf(why, whylen, "permission denied: %s needs root",
		    ctl_cmd_name(req->cmd));
		return CTL_E_PERMISSION;
	}
	return CTL_OK;
}

/*
 * The handler freed the server (a reload that drops the control socket):
 * its client gets one try at the reply, then the server goes.
 */
static void
server_last_reply(struct ctl_server *s, struct ctl_client *c,
    struct json_object *r)
{
	if (r == NULL)
		r = ctl_reply_error(CTL_CMD_MAX, CTL_E_INTERNAL,
		    "internal error");
	send_once(c->conn.fd, r);
	ctl_conn_free(&c->conn);
	ctl_server_free(s);
}

/* Any value but a real reply: its address is what matters. */
static int later_marker;
struct json_object *const CTL_REPLY_LATER =
    (struct json_object *)(void *)&later_marker;

struct ctl_later {
	struct ctl_client *c; /* NULL once the client is gone */
};

struct ctl_later *
ctl_server_later(struct ctl_server *s)
{
	struct ctl_later *t;
	struct ctl_client *c;

	if (s->answering == NULL || (t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	c = client_of(s->answering);
	t->c = c;
	c->later = t;
	return t;
}

void
ctl_later_reply(struct ctl_later *t, enum ctl_cmd cmd, struct json_object *r)
{
	struct ctl_client *c = t->c;

	if (c == NULL) {
		json_object_put(r);
	} else {
		c->later = NULL;
		if (r == NULL)
			client_fail(c, cmd, CTL_E_INTERNAL, "internal error");
		else
			client_reply(c, r);
	}
	free(t);
}

/* The client goes: a ticket still out must not reach it. */
static void
client_forget(struct ctl_client *c)
{
	if (c->later != NULL)
		c->later->c = NULL;
	c->later = NULL;
}

static void
client_request(struct ctl_client *c, size_t len)
{
	struct ctl_server *s = c->s;
	char why[CTL_WHY_MAX];
	struct json_object *r;
	struct ctl_req req;
	enum ctl_err e;

	e = ctl_req_parse(c->buf, len, &req, why, sizeof(why));
	if (e == CTL_OK)
		e = peer_authorize(s, &c->peer, &req, why, sizeof(why));
	if (e != CTL_OK) {
		client_fail(c, req.cmd, e, why);
		return;
	}
	log_debug(DBG_CTL, "ctl: pid %ld uid %u: %s", (long)c->peer.pid,
	    (unsigned int)c->peer.uid, ctl_cmd_name(req.cmd));
	s->answering = &c->conn;
	r = s->fn(s->arg, &req, &c->peer);
	s->answering = NULL;
	if (r == CTL_REPLY_LATER) {
		if (!s->dying && c->later != NULL)
			return; /* ctl_later_reply() answers */
		client_forget(c);
		r = NULL;
	}
	if (s->dying) {
		server_last_reply(s, c, r);
		return;
	}
	if (r == NULL) {
		snprintf(why, sizeof(why), "%s failed", ctl_cmd_name(req.cmd));
		client_fail(c, req.cmd, CTL_E_INTERNAL, why);
		return;
	}
	client_reply(c, r);
}

/* Up to a newline or the end of the stream; bytes after it are ignored. */
static void
client_read(struct ctl_conn *conn, size_t old, bool eof)
{
	struct ctl_client *c = client_of(conn);
	size_t lim = conn->len < CTL_REQ_MAX ? conn->len : CTL_REQ_MAX;
	const char *nl;

	if (c->later != NULL)
		return; /* answered later: its end of stream changes nothing */
	if (old < lim && (nl = memchr(c->buf + old, '\n', lim - old)) != NULL)
		client_request(c, (size_t)(nl - c->buf) + 1);
	else if (conn->len > CTL_REQ_MAX)
		client_fail(c, CTL_CMD_MAX, CTL_E_TOO_BIG,
		    "request longer than 8192 bytes");
	else if (eof)
		client_request(c, conn->len);
}

/* The client is freed after. */
static void
client_timeout(struct ctl_conn *conn)
{
	struct ctl_client *c = client_of(conn);
	double deadline_s = c->s->conns.deadline_s;
	char msg[64];
	bool waiting = c->later != NULL;

	client_forget(c);
	if (conn->out == NULL && waiting) {
		snprintf(msg, sizeof(msg), "no answer within %g s", deadline_s);
		log_peer(c->s, &c->peer, CTL_E_TIMEOUT, "dropped", msg);
		send_once(conn->fd,
		    ctl_reply_error(CTL_CMD_MAX, CTL_E_TIMEOUT, msg));
	} else if (conn->out == NULL) {
		snprintf(msg, sizeof(msg), "no complete request within %g s",
		    deadline_s);
		log_peer(c->s, &c->peer, CTL_E_TIMEOUT, "refused", msg);
		send_once(conn->fd,
		    ctl_reply_error(CTL_CMD_MAX, CTL_E_TIMEOUT, msg));
	} else {
		snprintf(msg, sizeof(msg), "reply not read within %g s",
		    deadline_s);
		log_peer(c->s, &c->peer, CTL_E_TIMEOUT, "dropped", msg);
	}
}

static void
client_gone(struct ctl_conn *conn)
{
	struct ctl_client *c = client_of(conn);

	client_forget(c);
	if (conn->out == NULL)
		log_debug(DBG_CTL, "ctl: pid %ld: closed without a request",
		    (long)c->peer.pid);
	else
		log_debug(DBG_CTL, "ctl: pid %ld: write: %s", (long)c->peer.pid,
		    strerror(errno));
}

/* Unknown credentials are nobody's: uid and gid -1 are refused. */
static void
peer_creds(int fd, struct ctl_peer *p)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	p->pid = 0;
	p->uid = (uid_t)-1;
	p->gid = (gid_t)-1;
	p->may_write = false;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0) {
		p->pid = uc.pid;
		p->uid = uc.uid;
		p->gid = uc.gid;
	}
}

/* Turned away at the door: one try at the error, then closed. */
static void
client_refuse(struct ctl_server *s, int fd, const struct ctl_peer *p,
    enum ctl_err e, const char *msg)
{
	log_peer(s, p, e, "refused", msg);
	send_once(fd, ctl_reply_error(CTL_CMD_MAX, e, msg));
	close(fd);
}

static void
client_new(struct ctl_conn_set *set, int fd, const struct sockaddr_storage *ss)
{
	struct ctl_server *s = set->arg;
	struct ctl_client *c;
	struct ctl_peer peer;

	(void)ss;
	peer_creds(fd, &peer);
	if (ctl_conn_full(set)) {
		client_refuse(s, fd, &peer, CTL_E_BUSY, "too many clients");
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		client_refuse(s, fd, &peer, CTL_E_INTERNAL, "out of memory");
		return;
	}
	c->s = s;
	c->peer = peer;
	ctl_conn_add(set, &c->conn, fd, c->buf, sizeof(c->buf));
}

static const struct ctl_conn_ops client_ops = {
	.accept = client_new,
	.read = client_read,
	.timeout = client_timeout,
	.gone = client_gone,
};

/* Start listening on l, which replaces whatever socket s had. */
static void
server_listen(struct ctl_server *s, struct ctl_listener *l)
{
	ctl_conn_stop(&s->conns);
	listener_close(&s->l);
	s->l = *l;
	ctl_conn_listen(&s->conns, s->l.fd, s->l.path);
	log_debug(DBG_CTL, "ctl: listening on %s", s->l.path);
}

/* The group's gid and a copy of its name (NULL for no group). */
static int
opts_group(const struct ctl_server_opts *o, char **group, gid_t *gid)
{
	*group = NULL;
	*gid = (gid_t)-1;
	if (o->group == NULL)
		return 0;
	if (group_lookup(o->group, gid) == -1)
		return -1;
	if ((*group = strdup(o->group)) == NULL) {
		log_warn("ctl: control_group %s", o->group);
		return -1;
	}
	return 0;
}

struct ctl_server *
ctl_server_new(struct ev_loop *loop, const struct ctl_server_opts *o,
    ctl_handler_fn *fn, void *arg)
{
	struct ctl_listener l = { .fd = -1 };
	struct ctl_server *s;
	int saved;

	if (o == NULL || o->path == NULL || o->path[0] == '\0' || fn == NULL) {
		log_warnx("ctl: no control socket path");
		errno = EINVAL;
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("ctl: %s", o->path);
		return NULL;
	}
	s->fn = fn;
	s->arg = arg;
	s->l.fd = -1;
	ctl_conn_init(&s->conns, loop, &client_ops, s, "ctl");
	for (int e = 0; e < CTL_E_MAX; e++)
		s->rl[e].interval_ms = CTL_CONN_RL_MS;
	if (opts_group(o, &s->group, &s->gid) == -1 ||
	    listener_open(&l, o->path, s->group, s->gid) == -1)
		goto fail;
	s->group_write = o->group_write;
	server_listen(s, &l);
	return s;
fail:
	saved = errno;
	free(s->group);
	free(s);
	errno = saved;
	return NULL;
}

int
ctl_server_reconfigure(struct ctl_server *s, const struct ctl_server_opts *o)
{
	struct ctl_listener l = { .fd = -1 };
	char *group;
	gid_t gid;

	if (o == NULL || o->path == NULL || o->path[0] == '\0') {
		log_warnx("ctl: no control socket path");
		errno = EINVAL;
		return -1;
	}
	if (opts_group(o, &group, &gid) == -1)
		return -1;
	/* Same path and still our socket: in place; else a new socket. */
	if (strcmp(o->path, s->l.path) == 0 && listener_is_ours(&s->l)) {
		if (set_mode(s->l.path, group, gid) == -1)
			goto fail;
	} else {
		if (listener_open(&l, o->path, group, gid) == -1)
			goto fail;
		server_listen(s, &l);
	}
	free(s->group);
	s->group = group;
	s->gid = gid;
	s->group_write = o->group_write;
	return 0;
fail:
	free(group);
	return -1;
}

void
ctl_server_free(struct ctl_server *s)
{
	if (s == NULL)
		return;
	/* Every client but the one answered, and the socket. */
	for (struct ctl_conn *c = TAILQ_FIRST(&s->conns.conns); c != NULL;
	     c = TAILQ_NEXT(c, entry))
		client_forget(client_of(c));
	ctl_conn_close(&s->conns, s->answering);
	listener_close(&s->l);
	if (s->answering != NULL) {
		/* Called from the handler: client_request() finishes. */
		s->dying = true;
		return;
	}
	free(s->group);
	free(s);
}

void
ctl_server_set_deadline(struct ctl_server *s, double seconds)
{
	s->conns.deadline_s = seconds;
}
