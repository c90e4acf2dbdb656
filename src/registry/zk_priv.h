/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the registry's glue: the ZooKeeper session on libev (zk.c), what
 * this node writes (publish.c), what it watches (watch.c), the fleet read
 * for vrrpctl cluster (fleet.c) and the object tying them (registry.c).
 * Only these files include <zookeeper/zookeeper.h>.
 */

#ifndef VRRPD_REGISTRY_ZK_PRIV_H
#define VRRPD_REGISTRY_ZK_PRIV_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stdint.h>

#include <ev.h>
#include <zookeeper/zookeeper.h>

#include "vrrpd/log.h"
#include "vrrpd/registry.h"

/* A completion's context: the library hands back what it was given. */
#define ZK_CTX(p) ((void *)(uintptr_t)(p))

/* Longest znode path the registry builds (root path + names + slashes). */
#define REG_PATH_MAX 512

/* What the session tells its owner. */
enum zk_sess_event {
	ZK_SESS_UP,	 /* connected: same session, ephemerals kept */
	ZK_SESS_NEW,	 /* connected with a new session: none of ours exist */
	ZK_SESS_DOWN,	 /* connection lost; the library reconnects */
	ZK_SESS_EXPIRED, /* the session ended: a new one is being opened */
};

struct zk_sess;
typedef void zk_sess_fn(void *arg, enum zk_sess_event ev);

/*
 * One ZooKeeper session on a libev loop: zookeeper_interest() mirrored
 * onto an ev_io and an ev_timer, zookeeper_process() on either. A session
 * that expires, or a handle that cannot be made, is opened again after a
 * backoff (ZK_BACKOFF_MIN_MS doubling to ZK_BACKOFF_MAX_MS). One log line
 * per change of state; the library's own lines go to debug (zk).
 */
struct zk_sess {
	struct ev_loop *loop;
	zhandle_t *zh;
	char *hosts;
	int timeout_ms;
	char *ident; /* "user:password" for the digest scheme, or NULL */
	ev_io io;
	ev_timer tmo;	  /* the library's own deadline */
	ev_timer backoff; /* a new handle after this */
	enum registry_conn state;
	int64_t session; /* 0: none yet */
	uint32_t backoff_ms;
	bool expired;  /* seen inside zookeeper_process(): reopen after */
	bool new_sess; /* the next connect is a new session */
	bool closing;
	bool quiet; /* no info lines (vrrpctl) */
	zk_sess_fn *fn;
	void *arg;
	uint64_t connects; /* times connected */
	uint64_t expiries;
	char server[64]; /* connected to, for logs and status */
	struct log_ratelimit rl;
};

#define ZK_BACKOFF_MIN_MS 100
#define ZK_BACKOFF_MAX_MS 5000

/*
 * Start a session (asynchronous: ZK_SESS_NEW comes through fn once
 * connected). hosts must hold numeric addresses only (the configuration
 * checks it): the library resolves them with getaddrinfo(), which then
 * never asks a DNS server. Returns 0, or -1 out of memory.
 */
int zk_sess_start(struct zk_sess *s, struct ev_loop *loop, const char *hosts,
    int timeout_ms, const char *ident, zk_sess_fn *fn, void *arg);
/* After queuing requests: let the library say what it waits for now. */
void zk_sess_kick(struct zk_sess *s);
/* The handle when connected (requests may be queued), else NULL. */
zhandle_t *zk_sess_ready(struct zk_sess *s);
/*
 * Close the session: ZooKeeper removes its ephemeral znodes at once.
 * Pending completions run with ZCLOSING before it returns.
 */
void zk_sess_stop(struct zk_sess *s);

/* "ZOK", "ZNONODE", ...: zerror() with the code. */
const char *zk_err(int rc);

/* The ACL our znodes get: world-readable, writable by our identity when
 * there is one (the "auth" scheme), else by everyone. */
struct ACL_vector *zk_acl(const struct zk_sess *s);

/* ---- publish.c: the znodes this node owns ---- */

struct registry;

/*
 * One znode this node writes: the value it should have (want, NULL:
 * absent), and how far the server is from it. At most one request is in
 * flight per znode; a value changed meanwhile is written when it returns,
 * so only the latest is ever queued.
 */
struct reg_znode {
	struct registry *r;
	char path[REG_PATH_MAX];
	int flags;  /* ZOO_EPHEMERAL or ZOO_PERSISTENT */
	bool steal; /* a foreign owner can only be an old session of ours */
	char *want; /* malloc'd, or NULL */
	int wantlen;
	bool dirty;   /* want not written yet */
	bool busy;    /* a request is in flight */
	bool created; /* ours in this session */
	bool blocked; /* held by another session: wait for it to go */
	bool batch;   /* an instance's: written by the flush (registry.c) */
	int step;     /* the request in flight (publish.c, registry.c) */
	uint64_t dirty_us; /* first unwritten change */
	uint64_t sent_us;  /* that of the value in flight */
};

/* Transitions queued for one history (publish.c). */
struct reg_hist {
	struct registry *r;
	char path[REG_PATH_MAX]; /* instances/<name>/history */
	struct registry_transition q[REGISTRY_HISTORY_MAX];
	size_t nq;	 /* queued, oldest first */
	size_t inflight; /* q[0..inflight) being appended while busy */
	bool busy;
	int step;
	unsigned int since_trim; /* appends since the last trim */
	unsigned int hold_gen;	 /* registry's hold_gen at the last add */
};

/* One of this node's instances. */
struct reg_inst {
	TAILQ_ENTRY(reg_inst) entry;
	struct registry *r;
	char name[REGISTRY_NAME_MAX];
	struct reg_znode rec;	      /* instances/<name>/nodes/<router_id> */
	struct reg_znode master;      /* instances/<name>/master */
	struct reg_znode claim;	      /* vrids/<key>/<name>@<router_id> */
	char claim_dir[REG_PATH_MAX]; /* vrids/<key>, "" without a subnet */
	struct reg_hist hist;	      /* instances/<name>/history */
	bool parents_ok; /* its persistent parents made this session */
	bool single;	 /* a multi failed: the next writes one by one */
	/*
	 * Withdrawn: its znodes removed. It stays allocated until
	 * registry_free() (watch and request contexts point into it) and is
	 * reused if the name comes back: one per name ever published.
	 */
	bool withdrawn;
	struct registry_inst_rec last; /* as last published */
	bool have_last;
	void *watch; /* watch.c's state */
};

struct registry {
	struct ev_loop *loop;
	char *root; /* the configured path */
	struct zk_sess sess;
	struct registry_node_rec self;
	struct reg_znode node; /* nodes/<router_id> */
	bool base_ok;	       /* root, nodes, instances, vrids made */
	TAILQ_HEAD(, reg_inst) insts;
	registry_sb_fn *sb_fn;
	void *sb_arg;
	struct registry_status st;
	struct log_ratelimit rl_write;
	struct log_ratelimit rl_bad;
	void *watch;	       /* watch.c's state */
	ev_prepare flush;      /* reg_flush: before the loop waits */
	ev_timer hold;	       /* ends the hold of new history entries */
	unsigned int hold_gen; /* times hold has run out */
};

/* Build root + "/" + the parts (NULL-terminated) into buf; -1 too long. */
int reg_path(const struct registry *r, char *buf, size_t size, ...)
    __attribute__((sentinel));

void reg_znode_init(struct reg_znode *z, struct registry *r, const char *path,
    int flags, bool steal);
/* Set the wanted value (copied; NULL: absent) and write it when possible. */
void reg_znode_want(struct reg_znode *z, const char *val, int len);
/* Write whatever is dirty, if the session allows. */
void reg_znode_sync(struct reg_znode *z);
/* The session is new: nothing of ours exists any more. */
void reg_znode_reset(struct reg_znode *z);
bool reg_znode_idle(const struct reg_znode *z);
void reg_znode_free(struct reg_znode *z);

void reg_hist_init(struct reg_hist *h, struct registry *r, const char *path);
void reg_hist_add(struct reg_hist *h, const struct registry_transition *t);
void reg_hist_sync(struct reg_hist *h);
void reg_hist_reset(struct reg_hist *h);

/* Create the persistent parents of inst's znodes (queued, in order). */
void reg_parents(struct reg_inst *inst);
/* Sync every znode of the registry (after a (re)connect, a parent fix). */
void reg_sync_all(struct registry *r);

/* publish.c's single-request path, and what the flush shares with it. */
bool reg_conn_error(int rc);
void reg_write_failed(struct registry *r, const char *path, const char *what,
    int rc);
/* Send z's pending change as one request, if it has one and may. */
void reg_znode_send(struct reg_znode *z);
/* A write of z completed: counted, its latency noted. */
void reg_znode_written(struct reg_znode *z);
/* A write of z failed (rc): its change is pending again. */
void reg_znode_retry(struct reg_znode *z, int rc);
/* Append h's oldest queued entry (or trim h) as one request. */
void reg_hist_send(struct reg_hist *h);
/* h's oldest n entries were appended. */
void reg_hist_appended(struct reg_hist *h, size_t n);
/* New entries wait for their record until the hold runs out. */
bool reg_hist_held(const struct reg_hist *h);

/*
 * ---- registry.c: an instance's writes, one transaction when they can ----
 *
 * reg_znode_sync() of an instance's znode and reg_hist_sync() only
 * schedule the flush, which runs before the loop next waits: by then the
 * whole loop turn's changes are known, and what one instance has to write
 * goes out as one multi where that is safe.
 */
void reg_flush_init(struct registry *r);
void reg_flush_stop(struct registry *r);
void reg_flush_schedule(struct registry *r);
/* A history entry was queued: hold it for its record (a loop turn). */
void reg_flush_hold(struct registry *r);

/* ---- fleet.c ---- */

/* Sessions one fleet read spreads its requests over, at most. */
#define REG_FLEET_SESS_MAX 4

/*
 * Read the tree under root through the ns sessions s (one connected at
 * least: the others take requests once they are); see registry.h.
 */
int reg_fleet_read(struct zk_sess *const *s, size_t ns, const char *root,
    const char *instance, bool history, registry_fleet_fn *fn, void *arg);

/* ---- watch.c: the peers of this node's instances ---- */

int reg_watch_new(struct registry *r);
void reg_watch_free(struct registry *r);
/* inst is new (or its record changed name/VRID/subnet: re-watch). */
void reg_watch_inst(struct reg_inst *inst);
void reg_watch_drop(struct reg_inst *inst);
/* The session is (again) connected; new: a new session. */
void reg_watch_session(struct registry *r, bool new_sess);
/* This node's own record of inst changed (analysis needs it at once). */
void reg_watch_changed(struct registry *r);

#endif /* VRRPD_REGISTRY_ZK_PRIV_H */
