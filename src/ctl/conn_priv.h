/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside ctl: the client plumbing the control socket (server.c) and the
 * metrics listener (http.c) share. A set accepts on a listening socket,
 * holds at most CTL_CONN_MAX clients with a deadline each, reads one
 * bounded request per client and writes its reply, every read and write
 * non-blocking. What a request means, and what the peer is, is the owner's.
 */

#ifndef VRRPD_CTL_CONN_PRIV_H
#define VRRPD_CTL_CONN_PRIV_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "vrrpd/log.h"

#define CTL_CONN_MAX	    16	  /* clients at once */
#define CTL_CONN_BACKLOG    16	  /* for the owner's listen(2) */
#define CTL_CONN_DEADLINE_S 5.0	  /* default, for the whole exchange */
#define CTL_CONN_RL_MS	    10000 /* interval of the rate-limited warnings */

struct ctl_conn;
struct ctl_conn_set;

/* What the owner does; each is called from the set's watchers. */
struct ctl_conn_ops {
	/*
	 * A connection accepted on fd from ss: adopt it with ctl_conn_add()
	 * or refuse it (ctl_conn_send_once(), then close fd).
	 */
	void (*accept)(struct ctl_conn_set *set, int fd,
	    const struct sockaddr_storage *ss);
	/*
	 * Bytes arrived in c->buf, which held old bytes before; eof: the peer
	 * shut its side. Either answer with ctl_conn_reply() (or free c), or
	 * return and wait for more. c may be freed on return.
	 */
	void (*read)(struct ctl_conn *c, size_t old, bool eof);
	/* The deadline passed (c->out tells in which phase); c is freed after. */
	void (*timeout)(struct ctl_conn *c);
	/*
	 * May be NULL. The peer went away while c read (c->out NULL: a reset,
	 * or the end of the stream before a byte) or while the reply was
	 * written (errno set); c is freed after.
	 */
	void (*gone)(struct ctl_conn *c);
};

/* The clients of one listening socket, embedded in its owner. */
struct ctl_conn_set {
	struct ev_loop *loop;
	const struct ctl_conn_ops *ops;
	void *arg;	  /* the owner's */
	const char *what; /* the log prefix: "ctl", "metrics" */
	const char *name; /* the listener in logs, owned by the owner */
	ev_io accept_io;
	ev_timer backoff; /* accept paused after EMFILE and the like */
	double deadline_s;
	TAILQ_HEAD(, ctl_conn) conns;
	unsigned int n;
	struct log_ratelimit rl_accept;
};

/*
 * One client. The owner embeds it as the first member of its own client
 * struct (allocated with calloc), which ctl_conn_free() releases.
 */
struct ctl_conn {
	TAILQ_ENTRY(ctl_conn) entry;
	struct ctl_conn_set *set;
	int fd;
	ev_io io;
	ev_timer deadline;
	char *buf; /* the owner's, size bytes */
	size_t size;
	size_t len; /* bytes in buf */
	char *out;  /* the reply; NULL while reading */
	size_t outlen, off;
};

/*
 * Prepare set for loop, not yet listening: ops and arg are the owner's,
 * what prefixes the log lines. The deadline is CTL_CONN_DEADLINE_S.
 */
void ctl_conn_init(struct ctl_conn_set *set, struct ev_loop *loop,
    const struct ctl_conn_ops *ops, void *arg, const char *what);

/*
 * Accept on fd (non-blocking, listening, still the owner's); name stays
 * valid until ctl_conn_stop(). The set must not be listening.
 */
void ctl_conn_listen(struct ctl_conn_set *set, int fd, const char *name);

/* Stop accepting (the clients stay); the owner may then close its fd. */
void ctl_conn_stop(struct ctl_conn_set *set);

/* Free every client but keep (may be NULL), and stop accepting. */
void ctl_conn_close(struct ctl_conn_set *set, struct ctl_conn *keep);

/* Whether the set holds CTL_CONN_MAX clients already. */
bool ctl_conn_full(const struct ctl_conn_set *set);

/*
 * Start client c (zeroed) on fd, reading into buf of size bytes, with the
 * set's deadline. From here on the set owns fd and c.
 */
void ctl_conn_add(struct ctl_conn_set *set, struct ctl_conn *c, int fd,
    char *buf, size_t size);

/*
 * Answer c with the len bytes at out (malloc'd, taken over); from here on c
 * only writes, and is freed once all is sent, on an error or at the
 * deadline. out NULL: c is freed at once. c may be freed on return.
 */
void ctl_conn_reply(struct ctl_conn *c, char *out, size_t len);

/* Close c, stop its watchers, free its reply and c itself. */
void ctl_conn_free(struct ctl_conn *c);

/*
 * For a client about to be dropped: one try at the len bytes at out, never
 * waiting; out (malloc'd, may be NULL) is freed.
 */
void ctl_conn_send_once(int fd, char *out, size_t len);

#endif /* VRRPD_CTL_CONN_PRIV_H */
