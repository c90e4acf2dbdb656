/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The whole tree read once, for vrrpctl cluster: every node record, every
 * instance record, and histories when asked. All requests are queued at
 * once (ZooKeeper pipelines them); the result comes when the last one
 * returns. Values that cannot be decoded are listed with their path.
 * Given several sessions, the requests go round the connected ones: a
 * server answers one session's requests in order, so several sessions
 * (on several servers) are read in parallel.
 */

#include <sys/mman.h>

#include <stdlib.h>
#include <string.h>

#include "vrrpd/log.h"
#include "vrrpd/util.h"

#include "zk_priv.h"

struct fleet_read {
	struct zk_sess *s[REG_FLEET_SESS_MAX];
	size_t ns;
	size_t next;	   /* the session the next request goes to */
	unsigned int used; /* sessions given requests since the last kick */
	char root[REG_PATH_MAX];
	char instance[REGISTRY_NAME_MAX]; /* "": all */
	bool history;
	size_t pending;
	bool failed;
	int rc; /* the first connection error */
	uint64_t t0_us;
	struct registry_fleet *f;
	registry_fleet_fn *fn;
	void *arg;
};

/*
 * Instance records (about 10 KB each, fixed size) come from slabs of
 * FLEET_SLAB_BYTES, one mapping for hundreds, on huge pages where the
 * kernel allows: 5,000 of them from malloc cost a page fault a page and a
 * heap consolidation a call, a third of vrrpctl cluster's CPU.
 */
#define FLEET_SLAB_BYTES ((size_t)4 << 20)

struct fleet_slab {
	struct fleet_slab *next;
	size_t used, cap;
	_Alignas(64) struct registry_inst_rec rec[];
};

/* The next free record of f's slabs (taken by slab_take()), or NULL. */
static struct registry_inst_rec *
slab_next(struct registry_fleet *f)
{
	struct fleet_slab *s = f->slabs;
	void *p;

	if (s != NULL && s->used < s->cap)
		return &s->rec[s->used];
	p = mmap(NULL, FLEET_SLAB_BYTES, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	(void)madvise(p, FLEET_SLAB_BYTES, MADV_HUGEPAGE);
	s = p;
	s->next = f->slabs;
	s->used = 0;
	s->cap = (FLEET_SLAB_BYTES - sizeof(*s)) / sizeof(s->rec[0]);
	f->slabs = s;
	return &s->rec[0];
}

static void
slab_take(struct registry_fleet *f)
{
	((struct fleet_slab *)f->slabs)->used++;
}

struct fleet_req;
typedef const char *fleet_store_fn(struct registry_fleet *f,
    const struct fleet_req *q, const char *value, size_t len, char *why,
    size_t whylen);

/* One request's context (completions carry a single pointer). */
struct fleet_req {
	struct fleet_read *fr;
	fleet_store_fn *store;		  /* for a value: where it goes */
	struct registry_fleet_hist *hist; /* a history entry: its list, */
	size_t slot;			  /* and its place in it */
	char path[REG_PATH_MAX];
	char name[REGISTRY_NAME_MAX];
	char rid[REGISTRY_ID_MAX];
};

static void
add_error(struct registry_fleet *f, const char *path, const char *why)
{
	struct registry_fleet_err *e;

	if (f->nerrs == REGISTRY_FLEET_ERRS_MAX) {
		f->errs_dropped++;
		return;
	}
	e = &f->errs[f->nerrs++];
	snprintf(e->path, sizeof(e->path), "%s", path);
	snprintf(e->why, sizeof(e->why), "%s", why);
}

/* A connected session's handle, round robin; NULL when none is. */
static zhandle_t *
fr_zh(struct fleet_read *fr)
{
	for (size_t k = 0; k < fr->ns; k++) {
		size_t j = fr->next++ % fr->ns;
		zhandle_t *zh = zk_sess_ready(fr->s[j]);

		if (zh != NULL) {
			fr->used |= 1u << j;
			return zh;
		}
	}
	return NULL;
}

/* Let the sessions given requests send them. */
static void
fr_kick(struct fleet_read *fr)
{
	for (size_t j = 0; j < fr->ns; j++)
		if (fr->used & 1u << j)
			zk_sess_kick(fr->s[j]);
	fr->used = 0;
}

static bool
fr_ready(struct fleet_read *fr)
{
	for (size_t j = 0; j < fr->ns; j++)
		if (zk_sess_ready(fr->s[j]) != NULL)
			return true;
	return false;
}

static void hists_compact(struct registry_fleet *f);
static void value_cb(int rc, const char *value, int len,
    const struct Stat *stat, const void *data);

static bool
grow(void **arr, size_t n, size_t *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return true;
	p = realloc(*arr, (*cap == 0 ? 16 : *cap * 2) * size);
	if (p == NULL)
		return false;
	*arr = p;
	*cap = *cap == 0 ? 16 : *cap * 2;
	return true;
}

static void
done_one(struct fleet_read *fr)
{
	if (--fr->pending > 0)
		return;
	fr->f->read_us = util_now_us() - fr->t0_us;
	hists_compact(fr->f);
	if (fr->failed) {
		registry_fleet_free(fr->f);
		fr->f = NULL;
	}
	fr->fn(fr->arg, fr->f, fr->failed ? zk_err(fr->rc) : NULL);
	free(fr);
}

static bool
fail_rc(struct fleet_read *fr, int rc)
{
	if (rc == ZOK || rc == ZNONODE)
		return false;
	if (!fr->failed) {
		fr->failed = true;
		fr->rc = rc;
	}
	return true;
}

static struct fleet_req *
req_new(struct fleet_read *fr, const char *path, const char *name,
    const char *rid)
{
	struct fleet_req *q = calloc(1, sizeof(*q));

	if (q == NULL)
		return NULL;
	q->fr = fr;
	snprintf(q->path, sizeof(q->path), "%s", path);
	if (name != NULL)
		snprintf(q->name, sizeof(q->name), "%s", name);
	if (rid != NULL)
		snprintf(q->rid, sizeof(q->rid), "%s", rid);
	return q;
}

/* Queue a request; a refusal counts as a failed read. */
static void
issued(struct fleet_read *fr, struct fleet_req *q, int rc)
{
	fr->pending++;
	if (rc != ZOK) {
		free(q);
		fail_rc(fr, rc);
		done_one(fr);
	}
}

/*
 * fleet_store_fn: store one decoded value in f. Returns NULL when stored
 * (or dropped for want of memory), else why the value was refused.
 */
static const char *
store_node(struct registry_fleet *f, const struct fleet_req *q,
    const char *value, size_t len, char *why, size_t whylen)
{
	struct registry_node_rec *n;

	if (!grow((void **)&f->nodes, f->nnodes, &f->nodes_cap,
		sizeof(*f->nodes)))
		return NULL;
	n = &f->nodes[f->nnodes];
	if (registry_node_decode(value, len, n, why, whylen) != REGISTRY_OK)
		return why;
	if (strcmp(n->router_id, q->rid) != 0)
		return "its router_id differs from its path";
	f->nnodes++;
	return NULL;
}

static const char *
store_inst(struct registry_fleet *f, const struct fleet_req *q,
    const char *value, size_t len, char *why, size_t whylen)
{
	struct registry_inst_rec *rec;
	const char *bad = NULL;

	if (!grow((void **)&f->insts, f->ninsts, &f->insts_cap,
		sizeof(*f->insts)) ||
	    (rec = slab_next(f)) == NULL)
		return NULL;
	if (registry_inst_decode(value, len, rec, why, whylen) != REGISTRY_OK)
		bad = why;
	else if (strcmp(rec->name, q->name) != 0 ||
	    strcmp(rec->router_id, q->rid) != 0)
		bad = "its name or router_id differs from its path";
	if (bad == NULL) {
		slab_take(f);
		f->insts[f->ninsts++] = rec;
	}
	return bad;
}

static const char *
store_hist(struct registry_fleet *f, const struct fleet_req *q,
    const char *value, size_t len, char *why, size_t whylen)
{
	struct registry_fleet_hist *h = q->hist;

	(void)f;
	if (registry_transition_decode(value, len, &h->h.t[q->slot], why,
		whylen) != REGISTRY_OK)
		return why;
	h->have[q->slot] = true;
	return NULL;
}

/* The entries that came back, in sequence order. */
static void
hists_compact(struct registry_fleet *f)
{
	for (size_t i = 0; i < f->nhists; i++) {
		struct registry_fleet_hist *h = f->hists[i];
		size_t n = 0;

		for (size_t j = 0; j < h->h.n; j++)
			if (h->have[j])
				h->h.t[n++] = h->h.t[j];
		h->h.n = n;
	}
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* instances/<name>/history: the newest entries, each read. */
static void
hist_list_cb(int rc, const struct String_vector *sv, const void *data)
{
	struct fleet_req *q = ZK_CTX(data);
	struct fleet_read *fr = q->fr;
	struct registry_fleet *f = fr->f;
	struct registry_fleet_hist *h;
	char path[REG_PATH_MAX];
	int first;

	if (!fail_rc(fr, rc) && rc == ZOK && fr_ready(fr) &&
	    grow((void **)&f->hists, f->nhists, &f->hists_cap,
		sizeof(*f->hists)) &&
	    (h = calloc(1, sizeof(*h))) != NULL) {
		snprintf(h->name, sizeof(h->name), "%s", q->name);
		f->hists[f->nhists++] = h;
		/* t-<10 digits>: the name order is the sequence order */
		qsort(sv->data, (size_t)sv->count, sizeof(sv->data[0]),
		    name_cmp);
		first = sv->count > REGISTRY_HISTORY_MAX ?
		    sv->count - REGISTRY_HISTORY_MAX :
		    0;
		for (int i = first; i < sv->count; i++) {
			struct fleet_req *c;
			int n = snprintf(path, sizeof(path), "%s/%s", q->path,
			    sv->data[i]);

			if (n < 0 || (size_t)n >= sizeof(path) ||
			    (c = req_new(fr, path, q->name, NULL)) == NULL)
				continue;
			c->store = store_hist;
			c->hist = h;
			c->slot = h->h.n++;
			issued(fr, c,
			    zoo_aget(fr_zh(fr), path, 0, value_cb, c));
		}
		fr_kick(fr);
	}
	free(q);
	done_one(fr);
}

/* A value read (a node record, an instance record or a history). */
static void
value_cb(int rc, const char *value, int len, const struct Stat *stat,
    const void *data)
{
	struct fleet_req *q = ZK_CTX(data);
	struct fleet_read *fr = q->fr;
	const char *bad;
	char why[160];

	(void)stat;
	if (!fail_rc(fr, rc) && rc == ZOK) {
		bad = q->store(fr->f, q, value, len < 0 ? 0 : (size_t)len, why,
		    sizeof(why));
		if (bad != NULL)
			add_error(fr->f, q->path, bad);
	}
	free(q);
	done_one(fr);
}

static void
rids_cb(int rc, const struct String_vector *sv, const void *data)
{
	struct fleet_req *q = ZK_CTX(data);
	struct fleet_read *fr = q->fr;
	char path[REG_PATH_MAX];

	if (!fail_rc(fr, rc) && rc == ZOK && fr_ready(fr)) {
		for (int i = 0; i < sv->count; i++) {
			struct fleet_req *c;
			int n = snprintf(path, sizeof(path), "%s/%s", q->path,
			    sv->data[i]);

			if (n < 0 || (size_t)n >= sizeof(path) ||
			    (c = req_new(fr, path, q->name, sv->data[i])) ==
				NULL)
				continue;
			c->store = q->name[0] != '\0' ? store_inst : store_node;
			issued(fr, c,
			    zoo_aget(fr_zh(fr), path, 0, value_cb, c));
		}
		fr_kick(fr);
	}
	free(q);
	done_one(fr);
}

static void
names_cb(int rc, const struct String_vector *sv, const void *data)
{
	struct fleet_req *q = ZK_CTX(data);
	struct fleet_read *fr = q->fr;
	char path[REG_PATH_MAX];

	if (!fail_rc(fr, rc) && rc == ZOK && fr_ready(fr)) {
		for (int i = 0; i < sv->count; i++) {
			const char *name = sv->data[i];
			struct fleet_req *c;

			if (!registry_name_valid(name) ||
			    (fr->instance[0] != '\0' &&
				strcmp(fr->instance, name) != 0))
				continue;
			int n = snprintf(path, sizeof(path),
			    "%s/instances/%s/nodes", fr->root, name);
			if (n > 0 && (size_t)n < sizeof(path) &&
			    (c = req_new(fr, path, name, NULL)) != NULL)
				issued(fr, c,
				    zoo_aget_children(fr_zh(fr), path, 0,
					rids_cb, c));
			n = snprintf(path, sizeof(path),
			    "%s/instances/%s/history", fr->root, name);
			if (fr->history && n > 0 && (size_t)n < sizeof(path) &&
			    (c = req_new(fr, path, name, NULL)) != NULL)
				issued(fr, c,
				    zoo_aget_children(fr_zh(fr), path, 0,
					hist_list_cb, c));
		}
		fr_kick(fr);
	}
	free(q);
	done_one(fr);
}

int
reg_fleet_read(struct zk_sess *const *s, size_t ns, const char *root,
    const char *instance, bool history, registry_fleet_fn *fn, void *arg)
{
	struct fleet_read *fr;
	struct fleet_req *q;
	char path[REG_PATH_MAX];

	if (ns == 0 || ns > REG_FLEET_SESS_MAX ||
	    (fr = calloc(1, sizeof(*fr))) == NULL)
		return -1;
	memcpy(fr->s, s, ns * sizeof(s[0]));
	fr->ns = ns;
	if (!fr_ready(fr) || (fr->f = calloc(1, sizeof(*fr->f))) == NULL) {
		free(fr);
		return -1;
	}
	snprintf(fr->root, sizeof(fr->root), "%s", root);
	snprintf(fr->instance, sizeof(fr->instance), "%s",
	    instance != NULL ? instance : "");
	fr->history = history;
	fr->fn = fn;
	fr->arg = arg;
	fr->t0_us = util_now_us();
	fr->pending = 1; /* until both lists are queued */
	snprintf(path, sizeof(path), "%s/nodes", root);
	if ((q = req_new(fr, path, NULL, NULL)) != NULL)
		issued(fr, q,
		    zoo_aget_children(fr_zh(fr), path, 0, rids_cb, q));
	snprintf(path, sizeof(path), "%s/instances", root);
	if ((q = req_new(fr, path, NULL, NULL)) != NULL)
		issued(fr, q,
		    zoo_aget_children(fr_zh(fr), path, 0, names_cb, q));
	fr_kick(fr);
	done_one(fr);
	return 0;
}

void
registry_fleet_free(struct registry_fleet *f)
{
	if (f == NULL)
		return;
	while (f->slabs != NULL) {
		struct fleet_slab *s = f->slabs;

		f->slabs = s->next;
		munmap(s, FLEET_SLAB_BYTES);
	}
	for (size_t i = 0; i < f->nhists; i++)
		free(f->hists[i]);
	free(f->insts);
	free(f->hists);
	free(f->nodes);
	free(f);
}
