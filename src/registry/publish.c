/* SPDX-License-Identifier: BSD-2-Clause */
/* The znodes this node writes: its records, the master znode, history. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/log.h"
#include "vrrpd/util.h"

#include "zk_priv.h"

/* The request in flight for a znode (struct reg_znode.step). */
enum {
	ZN_CREATE = 1,
	ZN_SET,
	ZN_DELETE,
	ZN_OWNER,  /* exists: whose is it? */
	ZN_REPLACE /* delete an old session's */
};

/* ... and for a history (struct reg_hist.step). */
enum {
	HI_CREATE = 1, /* an entry */
	HI_LIST	       /* the entries, to trim them */
};

/* A history is trimmed back to its newest REGISTRY_HISTORY_MAX entries
 * after every this many of this node's appends (so it holds at most about
 * REGISTRY_HISTORY_MAX + this times the nodes writing it). */
#define HIST_TRIM_EVERY 10

/* The most entries one trim deletes (one multi); more: trim again. */
#define HIST_TRIM_MAX 100

int
reg_path(const struct registry *r, char *buf, size_t size, ...)
{
	va_list ap;
	const char *p;
	size_t n = strlen(r->root);

	if (n >= size)
		return -1;
	memcpy(buf, r->root, n + 1);
	va_start(ap, size);
	while ((p = va_arg(ap, const char *)) != NULL) {
		size_t l = strlen(p);

		if (n + 1 + l >= size) {
			va_end(ap);
			return -1;
		}
		buf[n++] = '/';
		memcpy(buf + n, p, l + 1);
		n += l;
	}
	va_end(ap);
	return 0;
}

bool
reg_conn_error(int rc)
{
	return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT ||
	    rc == ZSESSIONEXPIRED || rc == ZCLOSING || rc == ZINVALIDSTATE ||
	    rc == ZSESSIONMOVED;
}

void
reg_write_failed(struct registry *r, const char *path, const char *what, int rc)
{
	unsigned long more;

	r->st.write_errors++;
	if (log_ratelimit_ok(&r->rl_write, util_now_ms(), &more))
		log_warnx("registry: %s %s: %s (%lu more suppressed)", what,
		    path, zk_err(rc), more);
}

/* ---- parents ---- */

static void
parent_done(int rc, const char *name, const void *data)
{
	struct registry *r = (struct registry *)ZK_CTX(data);

	(void)name;
	if (rc != ZOK && rc != ZNODEEXISTS && !reg_conn_error(rc))
		reg_write_failed(r, "(a parent)", "cannot create a parent of",
		    rc);
}

static void
mkparent(struct registry *r, zhandle_t *zh, const char *path)
{
	(void)zoo_acreate(zh, path, "", 0, zk_acl(&r->sess), ZOO_PERSISTENT,
	    parent_done, r);
}

/* ZooKeeper runs one session's requests in order: the parents queued
 * first exist when the child's create is served. */
void
reg_parents(struct reg_inst *inst)
{
	struct registry *r = inst->r;
	zhandle_t *zh = zk_sess_ready(&r->sess);
	char p[REG_PATH_MAX];

	if (zh == NULL || (r->base_ok && inst->parents_ok))
		return;
	if (!r->base_ok) {
		const char *root = r->root;

		/* every component of the root itself */
		for (const char *s = strchr(root + 1, '/'); s != NULL;
		     s = strchr(s + 1, '/')) {
			snprintf(p, sizeof(p), "%.*s", (int)(s - root), root);
			mkparent(r, zh, p);
		}
		mkparent(r, zh, root);
		const char *subs[] = { "nodes", "instances", "vrids" };
		for (size_t i = 0; i < 3; i++)
			if (reg_path(r, p, sizeof(p), subs[i], NULL) == 0)
				mkparent(r, zh, p);
		r->base_ok = true;
	}
	if (inst != NULL && !inst->parents_ok) {
		if (reg_path(r, p, sizeof(p), "instances", inst->name, NULL) ==
		    0)
			mkparent(r, zh, p);
		if (reg_path(r, p, sizeof(p), "instances", inst->name, "nodes",
			NULL) == 0)
			mkparent(r, zh, p);
		if (reg_path(r, p, sizeof(p), "instances", inst->name,
			"history", NULL) == 0)
			mkparent(r, zh, p);
		if (inst->claim_dir[0] != '\0')
			mkparent(r, zh, inst->claim_dir);
		inst->parents_ok = true;
	}
}

/* ---- one znode ---- */

void
reg_znode_init(struct reg_znode *z, struct registry *r, const char *path,
    int flags, bool steal)
{
	memset(z, 0, sizeof(*z));
	z->r = r;
	snprintf(z->path, sizeof(z->path), "%s", path);
	z->flags = flags;
	z->steal = steal;
}

void
reg_znode_want(struct reg_znode *z, const char *val, int len)
{
	char *copy = NULL;

	if (val != NULL) {
		copy = malloc((size_t)len + 1);
		if (copy == NULL) {
			log_warn("registry: %s not written", z->path);
			return;
		}
		memcpy(copy, val, (size_t)len);
		copy[len] = '\0';
	}
	if (copy == NULL && z->want == NULL && !z->created && !z->busy)
		return;
	if (copy == NULL && z->blocked && !z->created && !z->busy) {
		/* a peer's holds the path and ours is no longer wanted: done
		 * (the watch on it fires once more, unanswered) */
		free(z->want);
		z->want = NULL;
		z->dirty = false;
		z->blocked = false;
		return;
	}
	if (copy != NULL && z->want != NULL && len == z->wantlen &&
	    memcmp(copy, z->want, (size_t)len) == 0 && !z->dirty) {
		free(copy); /* steady state writes nothing */
		return;
	}
	free(z->want);
	z->want = copy;
	z->wantlen = len;
	if (!z->dirty)
		z->dirty_us = util_now_us();
	z->dirty = true;
	reg_znode_sync(z);
}

bool
reg_znode_idle(const struct reg_znode *z)
{
	return !z->busy && !z->dirty;
}

void
reg_znode_reset(struct reg_znode *z)
{
	z->created = false;
	z->blocked = false;
	if (z->want != NULL && !z->dirty) {
		z->dirty = true;
		z->dirty_us = util_now_us();
	}
}

void
reg_znode_free(struct reg_znode *z)
{
	free(z->want);
	z->want = NULL;
}

static void znode_stat_cb(int rc, const struct Stat *stat, const void *data);
static void znode_void_cb(int rc, const void *data);
static void znode_create_cb(int rc, const char *name, const void *data);

/* A foreign session deleted the znode we wait for: try again. */
static void
znode_gone_cb(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
	struct reg_znode *z = ctx;

	(void)zh;
	(void)state;
	(void)path;
	if (type != ZOO_DELETED_EVENT || !z->blocked)
		return;
	z->blocked = false;
	if (z->want != NULL && !z->created && !z->dirty) {
		z->dirty = true;
		z->dirty_us = util_now_us();
	}
	/* also when no longer wanted: that clears dirty (nothing to do) */
	reg_znode_sync(z);
}

void
reg_znode_sync(struct reg_znode *z)
{
	if (z->batch)
		reg_flush_schedule(z->r);
	else
		reg_znode_send(z);
}

void
reg_znode_send(struct reg_znode *z)
{
	struct registry *r = z->r;
	zhandle_t *zh;
	int rc;

	if (z->busy || !z->dirty || z->blocked ||
	    (zh = zk_sess_ready(&r->sess)) == NULL)
		return;
	z->dirty = false;
	z->sent_us = z->dirty_us;
	if (z->want != NULL && z->created) {
		z->step = ZN_SET;
		rc = zoo_aset(zh, z->path, z->want, z->wantlen, -1,
		    znode_stat_cb, z);
	} else if (z->want != NULL) {
		z->step = ZN_CREATE;
		rc = zoo_acreate(zh, z->path, z->want, z->wantlen,
		    zk_acl(&r->sess), z->flags, znode_create_cb, z);
	} else if (z->created) {
		z->step = ZN_DELETE;
		rc = zoo_adelete(zh, z->path, -1, znode_void_cb, z);
	} else {
		return; /* absent and not ours: nothing to do */
	}
	if (rc != ZOK) {
		z->dirty = true; /* the session went: the next one writes */
		return;
	}
	z->busy = true;
	zk_sess_kick(&r->sess);
}

void
reg_znode_written(struct reg_znode *z)
{
	struct registry *r = z->r;

	r->st.writes++;
	r->st.last_publish_us = util_now_us() - z->sent_us;
}

/* ... by a request of its own. */
static void
znode_written(struct reg_znode *z)
{
	z->r->st.requests++;
	reg_znode_written(z);
}

/* After any completion: go on with what changed meanwhile. */
static void
znode_next(struct reg_znode *z)
{
	z->busy = false;
	if (z->r->sess.closing)
		return;
	reg_znode_sync(z);
}

void
reg_znode_retry(struct reg_znode *z, int rc)
{
	if (!z->dirty) {
		z->dirty = true;
		z->dirty_us = z->sent_us;
	}
	if (!reg_conn_error(rc) && rc != ZOK)
		reg_write_failed(z->r, z->path, "cannot write", rc);
}

static void
znode_create_cb(int rc, const char *name, const void *data)
{
	struct reg_znode *z = (struct reg_znode *)ZK_CTX(data);
	zhandle_t *zh;

	(void)name;
	if (rc == ZOK) {
		z->created = true;
		znode_written(z);
	} else if (rc == ZNODEEXISTS &&
	    (zh = zk_sess_ready(&z->r->sess)) != NULL) {
		/* ours from a lost reply, an old session's, or a peer's */
		z->step = ZN_OWNER;
		if (zoo_awexists(zh, z->path, znode_gone_cb, z, znode_stat_cb,
			z) == ZOK) {
			zk_sess_kick(&z->r->sess);
			return;
		}
		reg_znode_retry(z, ZCONNECTIONLOSS);
	} else if (rc == ZNONODE) {
		/* a parent was removed by hand: make them again */
		z->r->base_ok = false;
		for (struct reg_inst *i = TAILQ_FIRST(&z->r->insts); i != NULL;
		     i = TAILQ_NEXT(i, entry))
			i->parents_ok = false;
		reg_znode_retry(z, ZCONNECTIONLOSS);
		z->busy = false;
		reg_sync_all(z->r);
		return;
	} else {
		reg_znode_retry(z, rc);
		if (!reg_conn_error(rc))
			z->dirty = false; /* refused: wait for a change */
	}
	znode_next(z);
}

static void
znode_owner(struct reg_znode *z, const struct Stat *stat)
{
	zhandle_t *zh = zk_sess_ready(&z->r->sess);

	if (stat->ephemeralOwner == (int64_t)z->r->sess.session) {
		z->created = true; /* our create went through */
		z->dirty = true;   /* write the latest over it */
	} else if (z->steal && zh != NULL) {
		log_info("registry: %s belongs to an old session "
			 "(0x%llx); replacing it",
		    z->path, (unsigned long long)stat->ephemeralOwner);
		z->step = ZN_REPLACE;
		if (zoo_adelete(zh, z->path, stat->version, znode_void_cb, z) ==
		    ZOK) {
			zk_sess_kick(&z->r->sess);
			return;
		}
		z->dirty = true;
	} else {
		z->blocked = true; /* a peer's: znode_gone_cb() retries */
		z->dirty = z->want != NULL;
	}
	znode_next(z);
}

static void
znode_stat_cb(int rc, const struct Stat *stat, const void *data)
{
	struct reg_znode *z = (struct reg_znode *)ZK_CTX(data);

	if (z->step == ZN_OWNER) {
		if (rc == ZOK) {
			znode_owner(z, stat);
			return;
		}
		if (rc == ZNONODE)
			z->blocked = false; /* gone meanwhile */
		reg_znode_retry(z, rc == ZNONODE ? ZOK : rc);
	} else if (rc == ZOK) {
		znode_written(z);
	} else if (rc == ZNONODE) {
		z->created = false; /* removed by hand: create it again */
		reg_znode_retry(z, ZOK);
	} else {
		reg_znode_retry(z, rc);
	}
	znode_next(z);
}

static void
znode_void_cb(int rc, const void *data)
{
	struct reg_znode *z = (struct reg_znode *)ZK_CTX(data);

	if (z->step == ZN_REPLACE) {
		if (rc != ZOK && rc != ZNONODE && rc != ZBADVERSION)
			reg_write_failed(z->r, z->path, "cannot replace", rc);
		z->dirty = z->want != NULL;
	} else if (rc == ZOK || rc == ZNONODE) {
		z->created = false;
		znode_written(z);
	} else {
		reg_znode_retry(z, rc);
	}
	znode_next(z);
}

/* ---- history ---- */

/*
 * instances/<name>/history holds one persistent sequential znode per
 * transition, t-<sequence>, appended by whichever node made it: no read,
 * no version race, a few hundred bytes a write. New entries usually go
 * in the multi that writes their record (registry.c); this is the path for
 * the others. Each node trims after every HIST_TRIM_EVERY of its appends:
 * the oldest past the newest REGISTRY_HISTORY_MAX go, in one multi of
 * deletes. Two nodes trimming at once send the same deletes (the oldest
 * first, so one list is a prefix of the other's): the first multi wins,
 * the other fails whole on a znode already gone, and nothing is lost.
 */

void
reg_hist_init(struct reg_hist *h, struct registry *r, const char *path)
{
	memset(h, 0, sizeof(*h));
	h->r = r;
	snprintf(h->path, sizeof(h->path), "%s", path);
	h->since_trim = HIST_TRIM_EVERY; /* trim after the first append */
}

void
reg_hist_add(struct reg_hist *h, const struct registry_transition *t)
{
	if (h->nq == REGISTRY_HISTORY_MAX) {
		/* a long outage: the oldest queued go (not those in flight) */
		size_t keep = h->busy ? h->inflight : 0;

		memmove(&h->q[keep], &h->q[keep + 1],
		    (h->nq - keep - 1) * sizeof(h->q[0]));
		h->nq--;
	}
	h->q[h->nq++] = *t;
	h->hold_gen = h->r->hold_gen;
	reg_flush_hold(h->r);
	reg_hist_sync(h);
}

bool
reg_hist_held(const struct reg_hist *h)
{
	return h->nq > 0 && h->hold_gen == h->r->hold_gen;
}

void
reg_hist_reset(struct reg_hist *h)
{
	h->since_trim = HIST_TRIM_EVERY;
}

void
reg_hist_appended(struct reg_hist *h, size_t n)
{
	memmove(&h->q[0], &h->q[n], (h->nq - n) * sizeof(h->q[0]));
	h->nq -= n;
	h->r->st.writes += n;
	h->since_trim += (unsigned int)n;
}

static void hist_create_cb(int rc, const char *name, const void *data);
static void hist_list_cb(int rc, const struct String_vector *sv,
    const void *data);

/* The oldest entries past the newest REGISTRY_HISTORY_MAX: list them. */
static bool
hist_trim(struct reg_hist *h, zhandle_t *zh)
{
	h->step = HI_LIST;
	if (zoo_aget_children(zh, h->path, 0, hist_list_cb, h) != ZOK)
		return false;
	h->busy = true;
	zk_sess_kick(&h->r->sess);
	return true;
}

void
reg_hist_sync(struct reg_hist *h)
{
	reg_flush_schedule(h->r);
}

void
reg_hist_send(struct reg_hist *h)
{
	char buf[1024], path[REG_PATH_MAX + 4];
	zhandle_t *zh;
	int n = -1;

	if (h->busy || (zh = zk_sess_ready(&h->r->sess)) == NULL)
		return;
	if (h->since_trim >= HIST_TRIM_EVERY && h->nq == 0 && hist_trim(h, zh))
		return;
	while (h->nq > 0 &&
	    (n = registry_transition_encode(&h->q[0], buf, sizeof(buf))) < 0) {
		log_warnx("registry: %s: a transition the encoder refuses; "
			  "this is a bug",
		    h->path);
		memmove(&h->q[0], &h->q[1], --h->nq * sizeof(h->q[0]));
	}
	if (h->nq == 0)
		return;
	snprintf(path, sizeof(path), "%s/t-", h->path);
	h->step = HI_CREATE;
	if (zoo_acreate(zh, path, buf, n, zk_acl(&h->r->sess),
		ZOO_PERSISTENT_SEQUENTIAL, hist_create_cb, h) != ZOK)
		return; /* the session went: the next one writes */
	h->busy = true;
	h->inflight = 1;
	zk_sess_kick(&h->r->sess);
}

static void
hist_create_cb(int rc, const char *name, const void *data)
{
	struct reg_hist *h = (struct reg_hist *)ZK_CTX(data);

	(void)name;
	h->busy = false;
	h->inflight = 0;
	if (rc == ZOK) {
		h->r->st.requests++;
		reg_hist_appended(h, 1);
	} else if (rc == ZNONODE) {
		/* its parent was removed by hand: make the parents again */
		h->r->base_ok = false;
		for (struct reg_inst *i = TAILQ_FIRST(&h->r->insts); i != NULL;
		     i = TAILQ_NEXT(i, entry))
			i->parents_ok = false;
		reg_sync_all(h->r);
		return;
	} else if (!reg_conn_error(rc)) {
		reg_write_failed(h->r, h->path, "cannot append to", rc);
		memmove(&h->q[0], &h->q[1], --h->nq * sizeof(h->q[0]));
	}
	if (!h->r->sess.closing)
		reg_hist_sync(h);
}

/* One trim's deletes in flight. */
struct hist_trim {
	struct registry *r;
	char path[REG_PATH_MAX]; /* the history, for a log line */
	zoo_op_result_t res[HIST_TRIM_MAX];
};

static void
hist_trimmed_cb(int rc, const void *data)
{
	struct hist_trim *t = (struct hist_trim *)ZK_CTX(data);

	/* ZNONODE: another node trimmed them first */
	if (rc == ZOK)
		t->r->st.requests++;
	else if (rc != ZNONODE && !reg_conn_error(rc))
		reg_write_failed(t->r, t->path, "cannot trim", rc);
	free(t);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Delete the oldest n (at most HIST_TRIM_MAX) of the sorted names. */
static void
hist_delete(struct reg_hist *h, zhandle_t *zh, char **names, int n)
{
	struct hist_trim *t = calloc(1, sizeof(*t));
	zoo_op_t ops[HIST_TRIM_MAX];
	char(*paths)[REG_PATH_MAX + 16] = calloc((size_t)n, sizeof(*paths));

	if (t == NULL || paths == NULL) {
		free(t);
		free(paths);
		return; /* the next trim */
	}
	t->r = h->r;
	snprintf(t->path, sizeof(t->path), "%s", h->path);
	for (int i = 0; i < n; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", h->path,
		    names[i]);
		zoo_delete_op_init(&ops[i], paths[i], -1);
	}
	/* serialised by the call: the paths may go, the results may not */
	if (zoo_amulti(zh, n, ops, t->res, hist_trimmed_cb, t) == ZOK)
		zk_sess_kick(&h->r->sess);
	else
		free(t);
	free(paths);
}

static void
hist_list_cb(int rc, const struct String_vector *sv, const void *data)
{
	struct reg_hist *h = (struct reg_hist *)ZK_CTX(data);
	zhandle_t *zh = zk_sess_ready(&h->r->sess);
	int extra;

	h->busy = false;
	if (rc == ZOK || rc == ZNONODE)
		h->since_trim = 0;
	if (rc == ZOK && zh != NULL &&
	    (extra = sv->count - REGISTRY_HISTORY_MAX) > 0) {
		/* t-<10 digits>: the name order is the sequence order */
		qsort(sv->data, (size_t)sv->count, sizeof(sv->data[0]),
		    name_cmp);
		if (extra > HIST_TRIM_MAX) {
			extra = HIST_TRIM_MAX;
			h->since_trim = HIST_TRIM_EVERY; /* the rest next */
		}
		hist_delete(h, zh, sv->data, extra);
	}
	if (!h->r->sess.closing)
		reg_hist_sync(h);
}
