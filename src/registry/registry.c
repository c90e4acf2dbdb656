/* SPDX-License-Identifier: BSD-2-Clause */
/* The registry client: this node's znodes and the session they live in. */

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/log.h"
#include "vrrpd/util.h"

#include "zk_priv.h"

static struct reg_inst *
inst_find(struct registry *r, const char *name)
{
	struct reg_inst *i;

	TAILQ_FOREACH (i, &r->insts, entry)
		if (strcmp(i->name, name) == 0)
			return i;
	return NULL;
}

void
reg_sync_all(struct registry *r)
{
	struct reg_inst *i;

	if (zk_sess_ready(&r->sess) == NULL)
		return;
	TAILQ_FOREACH (i, &r->insts, entry)
		reg_parents(i);
	if (TAILQ_EMPTY(&r->insts)) {
		struct reg_inst none = { .r = r, .parents_ok = true };

		reg_parents(&none);
	}
	reg_znode_sync(&r->node);
	TAILQ_FOREACH (i, &r->insts, entry) {
		reg_znode_sync(&i->rec);
		reg_znode_sync(&i->master);
		reg_znode_sync(&i->claim);
		reg_hist_sync(&i->hist);
	}
}

/*
 * nodes/<router_id>, with the address this node reaches ZooKeeper from:
 * on a pair with a management LAN, the one an operator would ssh to.
 */
static void
node_publish(struct registry *r)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char buf[REGISTRY_RECORD_MAX];
	int n;

	if (r->sess.io.fd >= 0 &&
	    getsockname(r->sess.io.fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET) {
			r->self.addr.af = AF_INET;
			r->self.addr.u.v4 =
			    ((struct sockaddr_in *)&ss)->sin_addr;
		} else if (ss.ss_family == AF_INET6) {
			r->self.addr.af = AF_INET6;
			r->self.addr.u.v6 =
			    ((struct sockaddr_in6 *)&ss)->sin6_addr;
		}
	}
	if (r->self.addr.af == AF_UNSPEC)
		return;
	n = registry_node_encode(&r->self, buf, sizeof(buf));
	if (n < 0) {
		log_warnx("registry: cannot encode this node's record");
		return;
	}
	reg_znode_want(&r->node, buf, n);
}

static void
sess_cb(void *arg, enum zk_sess_event ev)
{
	struct registry *r = arg;
	struct reg_inst *i;

	if (ev == ZK_SESS_NEW || ev == ZK_SESS_UP)
		node_publish(r);
	switch (ev) {
	case ZK_SESS_NEW:
		r->base_ok = false;
		reg_znode_reset(&r->node);
		TAILQ_FOREACH (i, &r->insts, entry) {
			i->parents_ok = false;
			reg_znode_reset(&i->rec);
			reg_znode_reset(&i->master);
			reg_znode_reset(&i->claim);
			reg_hist_reset(&i->hist);
		}
		/* FALLTHROUGH */
	case ZK_SESS_UP:
		reg_sync_all(r);
		reg_watch_session(r, ev == ZK_SESS_NEW);
		break;
	case ZK_SESS_DOWN:
	case ZK_SESS_EXPIRED:
		break;
	}
}

struct registry *
registry_new(struct ev_loop *loop, const struct conf_registry *conf,
    const struct registry_node_rec *self, const char *ident,
    registry_sb_fn *sb_fn, void *sb_arg)
{
	struct registry *r = calloc(1, sizeof(*r));
	char path[REG_PATH_MAX];

	if (r == NULL)
		return NULL;
	r->loop = loop;
	if ((r->root = strdup(conf->path)) == NULL) {
		free(r);
		return NULL;
	}
	r->self = *self;
	r->sb_fn = sb_fn;
	r->sb_arg = sb_arg;
	r->rl_write.interval_ms = 10000;
	r->rl_bad.interval_ms = 10000;
	TAILQ_INIT(&r->insts);
	if (reg_path(r, path, sizeof(path), "nodes", self->router_id, NULL) !=
	    0) {
		free(r->root);
		free(r);
		errno = EINVAL;
		return NULL;
	}
	reg_znode_init(&r->node, r, path, ZOO_EPHEMERAL, true);
	reg_flush_init(r);
	if (reg_watch_new(r) != 0) {
		free(r->root);
		free(r);
		return NULL;
	}
	if (zk_sess_start(&r->sess, loop, conf->servers,
		(int)conf->session_timeout_ms, ident, sess_cb, r) != 0) {
		reg_watch_free(r);
		free(r->root);
		free(r);
		return NULL;
	}
	return r;
}

static struct reg_inst *
inst_new(struct registry *r, const char *name)
{
	struct reg_inst *i = calloc(1, sizeof(*i));
	char p[REG_PATH_MAX];

	if (i == NULL)
		return NULL;
	i->r = r;
	snprintf(i->name, sizeof(i->name), "%s", name);
	if (reg_path(r, p, sizeof(p), "instances", name, "nodes",
		r->self.router_id, NULL) != 0) {
		free(i);
		return NULL;
	}
	reg_znode_init(&i->rec, r, p, ZOO_EPHEMERAL, true);
	(void)reg_path(r, p, sizeof(p), "instances", name, "master", NULL);
	reg_znode_init(&i->master, r, p, ZOO_EPHEMERAL, false);
	(void)reg_path(r, p, sizeof(p), "instances", name, "history", NULL);
	reg_hist_init(&i->hist, r, p);
	reg_znode_init(&i->claim, r, "", ZOO_EPHEMERAL, true);
	i->rec.batch = i->master.batch = i->claim.batch = true;
	TAILQ_INSERT_TAIL(&r->insts, i, entry);
	return i;
}

/* The VRID claim follows the record's key; a new key is a new znode. */
static void
set_claim(struct reg_inst *i, const struct registry_inst_rec *rec)
{
	struct registry *r = i->r;
	char key[128], dir[REG_PATH_MAX], who[2 * REGISTRY_NAME_MAX];

	if (registry_claim_key(rec, key, sizeof(key)) != 0 ||
	    reg_path(r, dir, sizeof(dir), "vrids", key, NULL) != 0)
		dir[0] = '\0';
	if (strcmp(dir, i->claim_dir) == 0)
		return;
	reg_znode_want(&i->claim, NULL, 0);
	if (i->claim.busy || i->claim.created) {
		/* the old one is removed first; the new one next time */
		return;
	}
	snprintf(i->claim_dir, sizeof(i->claim_dir), "%s", dir);
	i->parents_ok = false;
	if (dir[0] != '\0') {
		snprintf(who, sizeof(who), "%s@%s", i->name, r->self.router_id);
		snprintf(i->claim.path, sizeof(i->claim.path), "%s/%s", dir,
		    who);
		reg_parents(i);
		reg_znode_want(&i->claim, "", 0);
	}
}

void
registry_publish(struct registry *r, const struct registry_inst_rec *rec)
{
	struct reg_inst *i = inst_find(r, rec->name);
	char *buf;
	int n;

	if (i == NULL && (i = inst_new(r, rec->name)) == NULL) {
		log_warnx("(%s) registry: cannot publish this instance",
		    rec->name);
		return;
	}
	if ((buf = malloc(REGISTRY_RECORD_MAX)) == NULL)
		return;
	n = registry_inst_encode(rec, buf, REGISTRY_RECORD_MAX);
	if (n < 0) {
		log_warnx("(%s) registry: its record cannot be encoded",
		    rec->name);
		free(buf);
		return;
	}
	i->withdrawn = false;
	i->last = *rec;
	i->have_last = true;
	reg_parents(i);
	reg_znode_want(&i->rec, buf, n);
	if (rec->state == VRRP_STATE_MASTER) {
		struct registry_master_rec m = { .since_ms = rec->since_ms };

		snprintf(m.router_id, sizeof(m.router_id), "%s",
		    r->self.router_id);
		n = registry_master_encode(&m, buf, REGISTRY_RECORD_MAX);
		/* once: its since stays; again after a delete (even one in
		 * flight: MASTER, BACKUP, MASTER within a round trip) */
		if (n >= 0 && i->master.want == NULL)
			reg_znode_want(&i->master, buf, n);
	} else {
		reg_znode_want(&i->master, NULL, 0);
	}
	set_claim(i, rec);
	free(buf);
	reg_watch_inst(i);
	reg_watch_changed(r);
}

void
registry_withdraw(struct registry *r, const char *name)
{
	struct reg_inst *i = inst_find(r, name);

	if (i == NULL || i->withdrawn)
		return;
	i->withdrawn = true;
	i->have_last = false;
	reg_znode_want(&i->rec, NULL, 0);
	reg_znode_want(&i->master, NULL, 0);
	reg_znode_want(&i->claim, NULL, 0);
	i->claim_dir[0] = '\0';
	reg_watch_drop(i);
}

void
registry_history_add(struct registry *r, const char *name,
    const struct registry_transition *t)
{
	struct reg_inst *i = inst_find(r, name);

	if (i == NULL && (i = inst_new(r, name)) == NULL)
		return;
	reg_parents(i);
	reg_hist_add(&i->hist, t);
}

void
registry_get_status(const struct registry *r, struct registry_status *st)
{
	const struct reg_inst *i;

	*st = r->st;
	st->conn = r->sess.state;
	st->session = r->sess.state == REGISTRY_CONN_CONNECTED ||
		r->sess.state == REGISTRY_CONN_DISCONNECTED ?
	    (uint64_t)r->sess.session :
	    0;
	snprintf(st->server, sizeof(st->server), "%s",
	    r->sess.state == REGISTRY_CONN_CONNECTED ? r->sess.server : "");
	st->connects = r->sess.connects;
	st->expiries = r->sess.expiries;
	st->pending = !reg_znode_idle(&r->node);
	TAILQ_FOREACH (i, &r->insts, entry)
		st->pending += !reg_znode_idle(&i->rec) +
		    !reg_znode_idle(&i->master) + !reg_znode_idle(&i->claim) +
		    i->hist.nq;
}

void
registry_free(struct registry *r)
{
	struct reg_inst *i;

	if (r == NULL)
		return;
	zk_sess_stop(&r->sess); /* completions run now, with ZCLOSING */
	reg_flush_stop(r);
	reg_watch_free(r);
	reg_znode_free(&r->node);
	while ((i = TAILQ_FIRST(&r->insts)) != NULL) {
		TAILQ_REMOVE(&r->insts, i, entry);
		reg_znode_free(&i->rec);
		reg_znode_free(&i->master);
		reg_znode_free(&i->claim);
		free(i);
	}
	free(r->root);
	free(r);
}

int
registry_read_fleet(struct registry *r, const char *instance, bool history,
    registry_fleet_fn *fn, void *arg)
{
	struct zk_sess *s = &r->sess;

	return reg_fleet_read(&s, 1, r->root, instance, history, fn, arg);
}

/*
 * ---- flush: a node's writes in one ZooKeeper transaction ----
 *
 * A transition changes the instance's record, often its master znode, and
 * adds a history entry: one request each made three transactions (each a
 * proposal, a quorum's log write and a commit), and the ensemble's
 * transactions a second are what a burst of failovers queues on. When a
 * node fails or is stopped, every instance it backs up moves at once.
 * (Here, not in a file of its own: the fuzz build leaves out the glue
 * files by name.) Before the loop waits, reg_flush writes what all of the
 * node's instances have pending as one multi (more when past
 * FLUSH_MULTI_OPS), made only of operations that cannot fail in the
 * normal course:
 *
 *   - the record, when it exists in this session: set, any version;
 *   - the master znode, when this session created it and it must go:
 *     delete, any version;
 *   - the queued history entries: persistent sequential creates.
 *
 * Everything else takes the single-request path of publish.c, whose state
 * machine handles what a multi cannot: a create that finds the znode held
 * by a peer or an old session (ZNODEEXISTS must never cost the record its
 * write: a multi is all or nothing), a record not yet created, the VRID
 * claim. A multi that fails for any other reason than the connection
 * (a znode or parent removed by hand) leaves all its changes pending; the
 * instance whose operation failed (all of them, if the server did not
 * say) writes one by one next, and the others go in the next multi, so
 * nothing is lost.
 *
 * The daemon adds a transition to the history as the FSM steps and builds
 * the record on the loop's next turn; so a new history entry waits for its
 * record until the hold timer (zero seconds: the next turn) has run, and
 * goes alone only if no record came.
 */

/* History entries of one instance in one multi, at most. */
#define FLUSH_HIST_MAX 32
/* Operations in one multi, at most (a few hundred bytes each: far below
 * the servers' 1 MB jute.maxbuffer). */
#define FLUSH_MULTI_OPS 256
/* An encoded entry, at most (as publish.c's single append). */
#define FLUSH_ENTRY_MAX 1024

/* reg_znode.step of a znode written by a multi (publish.c's are 1..5). */
#define ZN_MULTI 100

/* One instance's writes in a multi: ops [first, first + nops). */
struct flush_part {
	struct reg_inst *inst;
	bool rec;     /* the record's set */
	bool master;  /* the master znode's delete */
	size_t nhist; /* history entries: q[0..nhist) */
	int first, nops;
};

/* One multi in flight, with its parts and results after it. */
struct flush_multi {
	struct registry *r;
	size_t nparts;
	int nops;
	struct Stat stat; /* the sets', unused */
	struct flush_part *parts;
	zoo_op_result_t *res;
};

static void flush_cb(struct ev_loop *loop, ev_prepare *w, int revents);

static void
hold_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct registry *r = w->data;

	(void)loop;
	(void)revents;
	r->hold_gen++;
	reg_flush_schedule(r);
}

void
reg_flush_init(struct registry *r)
{
	ev_prepare_init(&r->flush, flush_cb);
	r->flush.data = r;
	ev_timer_init(&r->hold, hold_cb, 0., 0.);
	r->hold.data = r;
}

void
reg_flush_stop(struct registry *r)
{
	ev_prepare_stop(r->loop, &r->flush);
	ev_timer_stop(r->loop, &r->hold);
}

void
reg_flush_schedule(struct registry *r)
{
	if (!r->sess.closing && !ev_is_active(&r->flush))
		ev_prepare_start(r->loop, &r->flush);
}

void
reg_flush_hold(struct registry *r)
{
	if (!r->sess.closing && !ev_is_active(&r->hold))
		ev_timer_start(r->loop, &r->hold);
}

/* Can z's pending change be a set (or a delete) inside a multi? */
static bool
multi_ok(const struct reg_znode *z, bool set)
{
	return z->dirty && !z->busy && !z->blocked && z->created &&
	    (z->want != NULL) == set;
}

static void
multi_znode(struct reg_znode *z)
{
	z->dirty = false;
	z->sent_us = z->dirty_us;
	z->busy = true;
	z->step = ZN_MULTI;
}

/*
 * A multi the server refused: the part whose operation failed writes one
 * by one next (every part, when no result names one), logged at debug
 * level (the single path logs and counts it if it fails there too).
 */
static void
multi_failed(struct flush_multi *m, int rc)
{
	const struct flush_part *p;
	const char *path;
	int k = 0;

	for (; k < m->nops; k++)
		if (m->res[k].err != ZOK &&
		    m->res[k].err != ZRUNTIMEINCONSISTENCY)
			break;
	for (size_t j = 0; j < m->nparts; j++) {
		p = &m->parts[j];
		if (k < m->nops && (k < p->first || k >= p->first + p->nops))
			continue;
		p->inst->single = true;
		path = p->inst->hist.path;
		if (k < m->nops) {
			rc = m->res[k].err;
			if (p->rec && k == p->first)
				path = p->inst->rec.path;
			else if (p->master && k == p->first + (p->rec ? 1 : 0))
				path = p->inst->master.path;
		}
		log_debug(DBG_ZK,
		    "registry: %s: a multi failed (%s); one by one", path,
		    zk_err(rc));
	}
}

/* A part's znodes after the multi: written, or pending again. */
static void
part_done(const struct flush_part *p, int rc)
{
	struct reg_inst *i = p->inst;

	if (rc == ZOK) {
		if (p->master) {
			i->master.created = false;
			reg_znode_written(&i->master);
		}
		if (p->rec)
			reg_znode_written(&i->rec); /* its latency is kept */
		if (p->nhist > 0)
			reg_hist_appended(&i->hist, p->nhist);
	} else {
		/* pending again; the next multi or session writes them */
		if (p->rec)
			reg_znode_retry(&i->rec, ZOK);
		if (p->master)
			reg_znode_retry(&i->master, ZOK);
	}
	if (p->rec)
		i->rec.busy = false;
	if (p->master)
		i->master.busy = false;
	if (p->nhist > 0) {
		i->hist.busy = false;
		i->hist.inflight = 0;
	}
}

static void
multi_cb(int rc, const void *data)
{
	struct flush_multi *m = (struct flush_multi *)ZK_CTX(data);
	struct registry *r = m->r;

	if (rc == ZOK)
		r->st.requests++;
	else if (!reg_conn_error(rc))
		multi_failed(m, rc);
	for (size_t j = 0; j < m->nparts; j++)
		part_done(&m->parts[j], rc);
	free(m);
	reg_flush_schedule(r);
}

/* Encode q[0..n) into ops from k on; the number encoded. */
static size_t
multi_hist(struct reg_hist *h, zoo_op_t *ops, int k, size_t n, char *bufs,
    const char *path)
{
	size_t j = 0;

	while (j < n) {
		char *b = bufs + j * FLUSH_ENTRY_MAX;
		int len =
		    registry_transition_encode(&h->q[j], b, FLUSH_ENTRY_MAX);

		if (len < 0) {
			/* the single path drops it, and says so */
			break;
		}
		zoo_create_op_init(&ops[k + (int)j], path, b, len,
		    zk_acl(&h->r->sess), ZOO_PERSISTENT_SEQUENTIAL, NULL, 0);
		j++;
	}
	return j;
}

/* What of i can go in a multi now: its part, with nops 0 for nothing. */
static struct flush_part
inst_part(struct reg_inst *i)
{
	struct reg_hist *h = &i->hist;
	struct flush_part p = { .inst = i };

	if (i->single)
		return p;
	p.rec = multi_ok(&i->rec, true);
	p.master = multi_ok(&i->master, false);
	if (!h->busy && h->nq > 0 && (p.rec || p.master || !reg_hist_held(h)))
		p.nhist = h->nq < FLUSH_HIST_MAX ? h->nq : FLUSH_HIST_MAX;
	p.nops = (p.rec ? 1 : 0) + (p.master ? 1 : 0) + (int)p.nhist;
	return p;
}

/*
 * One multi of the writes of the instances from *next on, while they fit
 * in FLUSH_MULTI_OPS; *next is left at the first instance not taken. Sent
 * when it holds at least two operations (one alone goes as a single
 * request). False when nothing more can go (out of memory, the session
 * gone): the single path writes the rest. Nothing is allocated when
 * nothing is pending (the flush runs on every turn that changed
 * something).
 */
static bool
node_multi(struct registry *r, zhandle_t *zh, struct reg_inst **next)
{
	struct flush_part parts[FLUSH_MULTI_OPS];
	struct flush_multi *m;
	zoo_op_t *ops = NULL;
	char *bufs = NULL, *hpaths = NULL;
	struct reg_inst *i;
	size_t nparts = 0, nhist = 0, hp = 0, npath = 0;
	int k = 0, rc;

	for (i = *next; i != NULL; i = TAILQ_NEXT(i, entry)) {
		struct flush_part p = inst_part(i);

		if (p.nops == 0)
			continue;
		if (k + p.nops > FLUSH_MULTI_OPS)
			break;
		p.first = k;
		k += p.nops;
		nhist += p.nhist;
		parts[nparts++] = p;
	}
	*next = i;
	if (k < 2)
		return true; /* nothing, or one write: the single path */
	m = calloc(1,
	    sizeof(*m) + nparts * sizeof(*parts) + (size_t)k * sizeof(*m->res));
	ops = calloc((size_t)k, sizeof(*ops));
	if (nhist > 0) {
		bufs = malloc(nhist * FLUSH_ENTRY_MAX);
		hpaths = malloc(nparts * (REG_PATH_MAX + 4));
	}
	if (m == NULL || ops == NULL ||
	    (nhist > 0 && (bufs == NULL || hpaths == NULL))) {
		free(m);
		free(ops);
		free(bufs);
		free(hpaths);
		return false;
	}
	m->r = r;
	m->parts = (struct flush_part *)(m + 1);
	m->res = (zoo_op_result_t *)(m->parts + nparts);
	k = 0;
	for (size_t j = 0; j < nparts; j++) {
		struct flush_part *q = &m->parts[m->nparts];
		struct reg_inst *pi = parts[j].inst;

		*q = parts[j];
		q->first = k;
		if (q->rec)
			zoo_set_op_init(&ops[k++], pi->rec.path, pi->rec.want,
			    pi->rec.wantlen, -1, &m->stat);
		if (q->master)
			zoo_delete_op_init(&ops[k++], pi->master.path, -1);
		if (q->nhist > 0) {
			char *path = hpaths + npath++ * (REG_PATH_MAX + 4);

			snprintf(path, REG_PATH_MAX + 4, "%s/t-",
			    pi->hist.path);
			q->nhist = multi_hist(&pi->hist, ops, k, q->nhist,
			    bufs + hp * FLUSH_ENTRY_MAX, path);
			/* each part's entries after the last's */
			hp += q->nhist;
			k += (int)q->nhist;
		}
		q->nops = k - q->first;
		if (q->nops > 0)
			m->nparts++;
	}
	m->nops = k;
	rc = k >= 2 ? zoo_amulti(zh, k, ops, m->res, multi_cb, m) : ZOK;
	/* the values are serialised by the call; the results are not */
	free(bufs);
	free(hpaths);
	free(ops);
	if (k < 2 || rc != ZOK) {
		free(m);
		return k < 2; /* false: the session went, the next one writes */
	}
	for (size_t j = 0; j < m->nparts; j++) {
		struct flush_part *q = &m->parts[j];

		if (q->rec)
			multi_znode(&q->inst->rec);
		if (q->master)
			multi_znode(&q->inst->master);
		if (q->nhist > 0) {
			q->inst->hist.busy = true;
			q->inst->hist.inflight = q->nhist;
		}
	}
	return true;
}

/* Before the loop waits: every instance's pending writes. */
static void
flush_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct registry *r = w->data;
	zhandle_t *zh = zk_sess_ready(&r->sess);
	struct reg_inst *i;

	(void)revents;
	ev_prepare_stop(loop, w);
	if (zh == NULL || r->sess.closing)
		return; /* a (re)connection syncs everything */
	/* every instance's writes that can go in multis, in as few as fit */
	i = TAILQ_FIRST(&r->insts);
	while (i != NULL && node_multi(r, zh, &i))
		;
	/* the rest, or all of it: one request each (no-ops when busy) */
	TAILQ_FOREACH (i, &r->insts, entry) {
		i->single = false;
		reg_znode_send(&i->rec);
		reg_znode_send(&i->master);
		reg_znode_send(&i->claim);
		if (!reg_hist_held(&i->hist))
			reg_hist_send(&i->hist);
	}
	zk_sess_kick(&r->sess);
}
