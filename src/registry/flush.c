/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An instance's writes in one ZooKeeper transaction. A transition changes
 * the instance's record, often its master znode, and adds a history
 * entry: one request each made three transactions (each a proposal, a
 * quorum's log write and a commit), and the ensemble's transactions a
 * second are what a burst of failovers queues on. Before the loop waits,
 * reg_flush writes what each instance has pending as one multi, made only
 * of operations that cannot fail in the normal course:
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
 * (a znode or parent removed by hand) leaves all its changes pending, and
 * the instance's next writes go one by one, so nothing is lost.
 *
 * The daemon adds a transition to the history as the FSM steps and builds
 * the record on the loop's next turn; so a new history entry waits for its
 * record until the hold timer (zero seconds: the next turn) has run, and
 * goes alone only if no record came.
 */

#include <stdlib.h>
#include <string.h>

#include "vrrpd/log.h"
#include "vrrpd/util.h"

#include "zk_priv.h"

/* History entries appended by one multi, at most. */
#define FLUSH_HIST_MAX 32
#define FLUSH_OPS_MAX  (2 + FLUSH_HIST_MAX)
/* An encoded entry, at most (as publish.c's single append). */
#define FLUSH_ENTRY_MAX 1024

/* reg_znode.step of a znode written by a multi (publish.c's are 1..5). */
#define ZN_MULTI 100

/* One multi in flight: which of the instance's writes it carries. */
struct flush_multi {
	struct reg_inst *inst;
	bool rec;     /* the record's set */
	bool master;  /* the master znode's delete */
	size_t nhist; /* history entries: q[0..nhist) */
	int nops;
	struct Stat stat; /* the set's, unused */
	zoo_op_result_t res[FLUSH_OPS_MAX];
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

/* The first operation that failed, for the log line. */
static void
multi_failed(struct flush_multi *m, int rc)
{
	struct reg_inst *i = m->inst;
	const char *path = i->hist.path;
	int k = 0;

	for (; k < m->nops; k++)
		if (m->res[k].err != ZOK &&
		    m->res[k].err != ZRUNTIMEINCONSISTENCY)
			break;
	if (k < m->nops) {
		rc = m->res[k].err;
		if (m->rec && k == 0)
			path = i->rec.path;
		else if (m->master && k == (m->rec ? 1 : 0))
			path = i->master.path;
	}
	/* logged and counted by the single path if it fails there too */
	log_debug(DBG_ZK, "registry: %s: a multi failed (%s); one by one", path,
	    zk_err(rc));
	i->single = true;
}

static void
multi_cb(int rc, const void *data)
{
	struct flush_multi *m = (struct flush_multi *)ZK_CTX(data);
	struct reg_inst *i = m->inst;
	struct registry *r = i->r;

	if (rc == ZOK) {
		r->st.requests++;
		if (m->master) {
			i->master.created = false;
			reg_znode_written(&i->master);
		}
		if (m->rec)
			reg_znode_written(&i->rec); /* its latency is kept */
		if (m->nhist > 0)
			reg_hist_appended(&i->hist, m->nhist);
	} else {
		if (!reg_conn_error(rc))
			multi_failed(m, rc);
		/* pending again; the next session writes them */
		if (m->rec)
			reg_znode_retry(&i->rec, ZOK);
		if (m->master)
			reg_znode_retry(&i->master, ZOK);
	}
	if (m->rec)
		i->rec.busy = false;
	if (m->master)
		i->master.busy = false;
	if (m->nhist > 0) {
		i->hist.busy = false;
		i->hist.inflight = 0;
	}
	free(m);
	reg_flush_schedule(r);
}

/* Encode q[0..n) into ops from k on; the number encoded, or -1. */
static int
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
	return (int)j;
}

/*
 * The multi for inst, if at least two of its writes can go in one: the
 * record's set, the master znode's delete, the history entries (those
 * held for a record only with it). True when sent.
 */
static bool
inst_multi(struct reg_inst *i, zhandle_t *zh)
{
	struct reg_hist *h = &i->hist;
	struct flush_multi *m;
	zoo_op_t ops[FLUSH_OPS_MAX];
	char hpath[REG_PATH_MAX + 4], *bufs = NULL;
	bool rec = multi_ok(&i->rec, true),
	     master = multi_ok(&i->master, false);
	size_t nh = 0;
	int k = 0, rc;

	if (!h->busy && h->nq > 0 && (rec || master || !reg_hist_held(h)))
		nh = h->nq < FLUSH_HIST_MAX ? h->nq : FLUSH_HIST_MAX;
	if ((rec ? 1 : 0) + (master ? 1 : 0) + nh < 2)
		return false;
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (nh > 0 && (bufs = malloc(nh * FLUSH_ENTRY_MAX)) == NULL)) {
		free(m);
		return false; /* one by one */
	}
	m->inst = i;
	if (rec)
		zoo_set_op_init(&ops[k++], i->rec.path, i->rec.want,
		    i->rec.wantlen, -1, &m->stat);
	if (master)
		zoo_delete_op_init(&ops[k++], i->master.path, -1);
	snprintf(hpath, sizeof(hpath), "%s/t-", h->path);
	if (nh > 0)
		nh = (size_t)multi_hist(h, ops, k, nh, bufs, hpath);
	k += (int)nh;
	if (k < 2) {
		free(bufs);
		free(m);
		return false;
	}
	m->rec = rec;
	m->master = master;
	m->nhist = nh;
	m->nops = k;
	/* the values are serialised by the call; the results are not */
	rc = zoo_amulti(zh, k, ops, m->res, multi_cb, m);
	free(bufs);
	if (rc != ZOK) {
		free(m);
		return false; /* the session went: the next one writes */
	}
	if (rec)
		multi_znode(&i->rec);
	if (master)
		multi_znode(&i->master);
	if (nh > 0) {
		h->busy = true;
		h->inflight = nh;
	}
	return true;
}

static void
inst_flush(struct reg_inst *i, zhandle_t *zh)
{
	if (i->single)
		i->single = false;
	else
		(void)inst_multi(i, zh);
	/* the rest, or all of it: one request each (no-ops when busy) */
	reg_znode_send(&i->rec);
	reg_znode_send(&i->master);
	reg_znode_send(&i->claim);
	if (!reg_hist_held(&i->hist))
		reg_hist_send(&i->hist);
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
	TAILQ_FOREACH (i, &r->insts, entry)
		inst_flush(i, zh);
	zk_sess_kick(&r->sess);
}
