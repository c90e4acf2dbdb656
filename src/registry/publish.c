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
	HI_GET = 1,
	HI_SET,
	HI_CREATE
};

#define HIST_RETRIES 8 /* version races in a row before waiting for news */

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

static bool
conn_error(int rc)
{
	return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT ||
	    rc == ZSESSIONEXPIRED || rc == ZCLOSING || rc == ZINVALIDSTATE ||
	    rc == ZSESSIONMOVED;
}

static void
write_failed(struct registry *r, const char *path, const char *what, int rc)
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
	if (rc != ZOK && rc != ZNODEEXISTS && !conn_error(rc))
		write_failed(r, "(a parent)", "cannot create a parent of", rc);
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

static void
znode_written(struct reg_znode *z)
{
	struct registry *r = z->r;

	r->st.writes++;
	r->st.last_publish_us = util_now_us() - z->sent_us;
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

static void
znode_retry(struct reg_znode *z, int rc)
{
	if (!z->dirty) {
		z->dirty = true;
		z->dirty_us = z->sent_us;
	}
	if (!conn_error(rc) && rc != ZOK)
		write_failed(z->r, z->path, "cannot write", rc);
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
		znode_retry(z, ZCONNECTIONLOSS);
	} else if (rc == ZNONODE) {
		/* a parent was removed by hand: make them again */
		z->r->base_ok = false;
		for (struct reg_inst *i = TAILQ_FIRST(&z->r->insts); i != NULL;
		     i = TAILQ_NEXT(i, entry))
			i->parents_ok = false;
		znode_retry(z, ZCONNECTIONLOSS);
		z->busy = false;
		reg_sync_all(z->r);
		return;
	} else {
		znode_retry(z, rc);
		if (!conn_error(rc))
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
		znode_retry(z, rc == ZNONODE ? ZOK : rc);
	} else if (rc == ZOK) {
		znode_written(z);
	} else if (rc == ZNONODE) {
		z->created = false; /* removed by hand: create it again */
		znode_retry(z, ZOK);
	} else {
		znode_retry(z, rc);
	}
	znode_next(z);
}

static void
znode_void_cb(int rc, const void *data)
{
	struct reg_znode *z = (struct reg_znode *)ZK_CTX(data);

	if (z->step == ZN_REPLACE) {
		if (rc != ZOK && rc != ZNONODE && rc != ZBADVERSION)
			write_failed(z->r, z->path, "cannot replace", rc);
		z->dirty = z->want != NULL;
	} else if (rc == ZOK || rc == ZNONODE) {
		z->created = false;
		znode_written(z);
	} else {
		znode_retry(z, rc);
	}
	znode_next(z);
}

/* ---- history ---- */

void
reg_hist_init(struct reg_hist *h, struct registry *r, const char *path)
{
	memset(h, 0, sizeof(*h));
	h->r = r;
	snprintf(h->path, sizeof(h->path), "%s", path);
}

void
reg_hist_add(struct reg_hist *h, const struct registry_transition *t)
{
	if (h->nq == REGISTRY_HISTORY_MAX) {
		/* a long outage: the oldest queued go (not in flight) */
		size_t keep = h->nsent;

		memmove(&h->q[keep], &h->q[keep + 1],
		    (h->nq - keep - 1) * sizeof(h->q[0]));
		h->nq--;
	}
	h->q[h->nq++] = *t;
	h->retries = 0;
	reg_hist_sync(h);
}

void
reg_hist_reset(struct reg_hist *h)
{
	h->retries = 0;
}

static void hist_data_cb(int rc, const char *value, int len,
    const struct Stat *stat, const void *data);

void
reg_hist_sync(struct reg_hist *h)
{
	zhandle_t *zh;

	if (h->busy || h->nq == 0 || h->retries >= HIST_RETRIES ||
	    (zh = zk_sess_ready(&h->r->sess)) == NULL)
		return;
	h->step = HI_GET;
	if (zoo_aget(zh, h->path, 0, hist_data_cb, h) != ZOK)
		return;
	h->busy = true;
	zk_sess_kick(&h->r->sess);
}

static void
hist_done(struct reg_hist *h, int rc)
{
	h->busy = false;
	if (rc == ZOK) {
		memmove(&h->q[0], &h->q[h->nsent],
		    (h->nq - h->nsent) * sizeof(h->q[0]));
		h->nq -= h->nsent;
		h->r->st.writes++;
		h->retries = 0;
	} else if (rc == ZBADVERSION || rc == ZNODEEXISTS) {
		h->retries++; /* a peer wrote first: read again */
	} else if (!conn_error(rc)) {
		write_failed(h->r, h->path, "cannot write", rc);
		h->retries = HIST_RETRIES; /* until the next transition */
	}
	h->nsent = 0;
	if (!h->r->sess.closing)
		reg_hist_sync(h);
}

static void
hist_write_cb(int rc, const struct Stat *stat, const void *data)
{
	(void)stat;
	hist_done((struct reg_hist *)ZK_CTX(data), rc);
}

static void
hist_create_cb(int rc, const char *name, const void *data)
{
	(void)name;
	hist_done((struct reg_hist *)ZK_CTX(data), rc);
}

/* Read, append what is queued, write back with the version read. */
static void
hist_data_cb(int rc, const char *value, int len, const struct Stat *stat,
    const void *data)
{
	struct reg_hist *h = (struct reg_hist *)ZK_CTX(data);
	struct registry_history *hist;
	zhandle_t *zh = zk_sess_ready(&h->r->sess);
	char why[160], *buf = NULL;
	int n, wrc = ZCONNECTIONLOSS;

	if ((rc != ZOK && rc != ZNONODE) || zh == NULL) {
		hist_done(h, rc == ZOK ? ZCONNECTIONLOSS : rc);
		return;
	}
	hist = calloc(1, sizeof(*hist));
	buf = malloc(REGISTRY_HISTORY_BYTES_MAX);
	if (hist == NULL || buf == NULL) {
		free(hist);
		free(buf);
		hist_done(h, ZSYSTEMERROR);
		return;
	}
	if (rc == ZOK && len > 0 &&
	    registry_history_decode(value, (size_t)len, hist, why,
		sizeof(why)) != REGISTRY_OK) {
		unsigned long more;

		h->r->st.bad_znodes++;
		if (log_ratelimit_ok(&h->r->rl_bad, util_now_ms(), &more))
			log_warnx("registry: %s: %s; starting it anew (%lu "
				  "more suppressed)",
			    h->path, why, more);
	}
	for (size_t i = 0; i < h->nq; i++)
		registry_history_append(hist, &h->q[i]);
	h->nsent = h->nq;
	n = registry_history_encode(hist, buf, REGISTRY_HISTORY_BYTES_MAX);
	if (n < 0) {
		wrc = ZSYSTEMERROR;
	} else if (rc == ZOK) {
		h->step = HI_SET;
		wrc = zoo_aset(zh, h->path, buf, n, stat->version,
		    hist_write_cb, h);
	} else {
		h->step = HI_CREATE;
		wrc = zoo_acreate(zh, h->path, buf, n, zk_acl(&h->r->sess),
		    ZOO_PERSISTENT, hist_create_cb, h);
	}
	free(hist);
	free(buf);
	if (wrc != ZOK) {
		hist_done(h, wrc);
		return;
	}
	zk_sess_kick(&h->r->sess);
}
