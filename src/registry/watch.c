/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What this node watches: every record under the names of its own
 * instances (its peers: split brains, mismatches, the weight trap), the
 * node records of those peers (live or stale), and the claims sharing its
 * instances' VRID keys (collisions), whose names it then watches too. The
 * cost stays per instance, not per fleet: a transition wakes the nodes
 * that run that instance, no others.
 */

#include <stdlib.h>
#include <string.h>

#include "vrrpd/log.h"
#include "vrrpd/util.h"

#include "zk_priv.h"

#define WATCH_PEERS_MAX	  16 /* records per name followed */
#define WATCH_FOREIGN_MAX 8  /* other names per claim followed */

/* A record under instances/<name>/nodes/ and its node's liveness. */
struct wpeer {
	char rid[REGISTRY_ID_MAX];
	bool have;   /* rec decoded */
	bool alive;  /* nodes/<rid> exists */
	bool listed; /* in the last children list */
	struct registry_inst_rec rec;
	struct registry_node_rec node; /* router_id only */
};

/* One watched instance name; never freed before the registry (watch
 * contexts point here). */
struct wname {
	TAILQ_ENTRY(wname) entry;
	struct reg_watch *w;
	char name[REGISTRY_NAME_MAX];
	char dir[REG_PATH_MAX]; /* instances/<name>/nodes */
	bool own;		/* one of this node's */
	bool active;
	struct wpeer peers[WATCH_PEERS_MAX];
	size_t npeers;
	/* own only: the claim directory and the other names found in it */
	char claim_dir[REG_PATH_MAX];
	char foreign[WATCH_FOREIGN_MAX][REGISTRY_NAME_MAX];
	size_t nforeign;
};

struct reg_watch {
	struct registry *r;
	TAILQ_HEAD(, wname) names;
	struct registry_sb_state sb;
	struct registry_report rep;
	char prev[REGISTRY_FLAGS_MAX][160]; /* flag lines logged as raised */
	size_t nprev;
	ev_timer again; /* analysis: coalesced, and at next_us */
	bool scheduled;
};

/* A read in flight: which name, which record (completions carry only
 * one pointer, and must not point into arrays that move). */
struct wreq {
	struct wname *wn;
	char rid[REGISTRY_ID_MAX];
	int kind; /* 0: record, 1: node, 2: claim list */
};

static void wname_list(struct wname *wn);
static void schedule(struct reg_watch *w);

static struct reg_watch *
W(struct registry *r)
{
	return r->watch;
}

static struct wname *
wname_find(struct reg_watch *w, const char *name)
{
	struct wname *wn;

	TAILQ_FOREACH (wn, &w->names, entry)
		if (strcmp(wn->name, name) == 0)
			return wn;
	return NULL;
}

static struct wname *
wname_get(struct reg_watch *w, const char *name)
{
	struct wname *wn = wname_find(w, name);

	if (wn != NULL)
		return wn;
	if ((wn = calloc(1, sizeof(*wn))) == NULL)
		return NULL;
	wn->w = w;
	snprintf(wn->name, sizeof(wn->name), "%s", name);
	if (reg_path(w->r, wn->dir, sizeof(wn->dir), "instances", name, "nodes",
		NULL) != 0) {
		free(wn);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&w->names, wn, entry);
	return wn;
}

static struct wpeer *
peer_find(struct wname *wn, const char *rid)
{
	for (size_t i = 0; i < wn->npeers; i++)
		if (strcmp(wn->peers[i].rid, rid) == 0)
			return &wn->peers[i];
	return NULL;
}

static void
bad_value(struct registry *r, const char *path, const char *why)
{
	unsigned long more;

	r->st.bad_znodes++;
	if (log_ratelimit_ok(&r->rl_bad, util_now_ms(), &more))
		log_warnx("registry: %s: %s; ignored (%lu more suppressed)",
		    path, why, more);
}

/* wn->dir/rid into buf; -1 when it does not fit. */
static int
peer_path(const struct wname *wn, const char *rid, char *buf, size_t size)
{
	size_t a = strlen(wn->dir), b = strlen(rid);

	if (a + 1 + b >= size)
		return -1;
	memcpy(buf, wn->dir, a);
	buf[a] = '/';
	memcpy(buf + a + 1, rid, b + 1);
	return 0;
}

static struct wreq *
wreq_new(struct wname *wn, const char *rid, int kind)
{
	struct wreq *q = calloc(1, sizeof(*q));

	if (q == NULL)
		return NULL;
	q->wn = wn;
	q->kind = kind;
	if (rid != NULL)
		snprintf(q->rid, sizeof(q->rid), "%s", rid);
	return q;
}

/* ---- watchers: re-read what changed ---- */

static void read_peer(struct wname *wn, const char *rid);
static void read_node(struct wname *wn, const char *rid);
static void read_claims(struct wname *wn);

static const char *
last_part(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static void
watch_cb(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
	struct wname *wn = ctx;

	(void)zh;
	(void)state;
	if (type == ZOO_SESSION_EVENT || !wn->active || wn->w->r->sess.closing)
		return;
	if (strcmp(path, wn->dir) == 0)
		wname_list(wn);
	else if (wn->claim_dir[0] != '\0' && strcmp(path, wn->claim_dir) == 0)
		read_claims(wn);
	else if (strncmp(path, wn->dir, strlen(wn->dir)) == 0)
		read_peer(wn, last_part(path));
	else
		read_node(wn, last_part(path)); /* nodes/<rid> */
}

/* ---- reads ---- */

static void
peer_data_cb(int rc, const char *value, int len, const struct Stat *stat,
    const void *data)
{
	struct wreq *q = (struct wreq *)ZK_CTX(data);
	struct wname *wn = q->wn;
	struct wpeer *p = peer_find(wn, q->rid);
	char why[160], path[REG_PATH_MAX];

	(void)stat;
	if (p != NULL && rc == ZOK) {
		if (registry_inst_decode(value, len < 0 ? 0 : (size_t)len,
			&p->rec, why, sizeof(why)) != REGISTRY_OK) {
			(void)peer_path(wn, q->rid, path, sizeof(path));
			bad_value(wn->w->r, path, why);
			p->have = false;
		} else if (strcmp(p->rec.name, wn->name) != 0 ||
		    strcmp(p->rec.router_id, q->rid) != 0) {
			(void)peer_path(wn, q->rid, path, sizeof(path));
			bad_value(wn->w->r, path,
			    "its name or router_id differs from its path");
			p->have = false;
		} else {
			p->have = true;
		}
		schedule(wn->w);
	} else if (p != NULL && rc == ZNONODE) {
		p->have = false;
		schedule(wn->w);
	}
	free(q);
}

static void
read_peer(struct wname *wn, const char *rid)
{
	zhandle_t *zh = zk_sess_ready(&wn->w->r->sess);
	char path[REG_PATH_MAX];
	struct wreq *q;

	if (zh == NULL || peer_path(wn, rid, path, sizeof(path)) != 0 ||
	    (q = wreq_new(wn, rid, 0)) == NULL)
		return;
	if (zoo_awget(zh, path, watch_cb, wn, peer_data_cb, q) != ZOK)
		free(q);
}

static void
node_stat_cb(int rc, const struct Stat *stat, const void *data)
{
	struct wreq *q = (struct wreq *)ZK_CTX(data);
	struct wpeer *p = peer_find(q->wn, q->rid);

	(void)stat;
	if (p != NULL && (rc == ZOK || rc == ZNONODE)) {
		p->alive = rc == ZOK;
		schedule(q->wn->w);
	}
	free(q);
}

static void
read_node(struct wname *wn, const char *rid)
{
	zhandle_t *zh = zk_sess_ready(&wn->w->r->sess);
	char path[REG_PATH_MAX];
	struct wreq *q;

	if (zh == NULL ||
	    reg_path(wn->w->r, path, sizeof(path), "nodes", rid, NULL) != 0 ||
	    (q = wreq_new(wn, rid, 1)) == NULL)
		return;
	if (zoo_awexists(zh, path, watch_cb, wn, node_stat_cb, q) != ZOK)
		free(q);
}

/* The records under the name: follow new ones, forget gone ones. */
static void
list_cb(int rc, const struct String_vector *sv, const void *data)
{
	struct wreq *q = (struct wreq *)ZK_CTX(data);
	struct wname *wn = q->wn;
	size_t n = 0;

	free(q);
	if (rc == ZNONODE) {
		wn->npeers = 0;
		schedule(wn->w);
		return;
	}
	if (rc != ZOK)
		return;
	for (size_t i = 0; i < wn->npeers; i++)
		wn->peers[i].listed = false;
	for (int i = 0; i < sv->count; i++) {
		struct wpeer *p = peer_find(wn, sv->data[i]);

		/* not this node's own: analyze() takes it as published,
		 * and a watch on it would wake this node on its own writes */
		if (!registry_name_valid(sv->data[i]) ||
		    strcmp(sv->data[i], wn->w->r->self.router_id) == 0)
			continue;
		if (p == NULL) {
			if (wn->npeers == WATCH_PEERS_MAX)
				continue;
			p = &wn->peers[wn->npeers++];
			memset(p, 0, sizeof(*p));
			snprintf(p->rid, sizeof(p->rid), "%s", sv->data[i]);
			snprintf(p->node.router_id, sizeof(p->node.router_id),
			    "%s", sv->data[i]);
			read_peer(wn, p->rid);
			read_node(wn, p->rid);
		}
		p->listed = true;
	}
	for (size_t i = 0; i < wn->npeers; i++)
		if (wn->peers[i].listed)
			wn->peers[n++] = wn->peers[i];
	wn->npeers = n;
	schedule(wn->w);
}

static void
wname_list(struct wname *wn)
{
	zhandle_t *zh = zk_sess_ready(&wn->w->r->sess);
	struct wreq *q;

	if (zh == NULL || (q = wreq_new(wn, NULL, 0)) == NULL)
		return;
	if (zoo_awget_children(zh, wn->dir, watch_cb, wn, list_cb, q) != ZOK)
		free(q);
}

/* Is name among the other names in the claims of this node's instances? */
static bool
claimed(struct reg_watch *w, const char *name)
{
	struct wname *wn;

	TAILQ_FOREACH (wn, &w->names, entry)
		for (size_t i = 0; wn->own && i < wn->nforeign; i++)
			if (strcmp(wn->foreign[i], name) == 0)
				return true;
	return false;
}

/*
 * Follow the names found in the claims of this node's instances, and stop
 * following those no claim holds any more (their watches fire once more,
 * unanswered).
 */
static void
foreign_sync(struct reg_watch *w)
{
	struct wname *wn, *o;

	TAILQ_FOREACH (wn, &w->names, entry)
		for (size_t i = 0; wn->own && i < wn->nforeign; i++)
			if ((o = wname_get(w, wn->foreign[i])) != NULL &&
			    !o->active) {
				o->active = true;
				wname_list(o);
			}
	TAILQ_FOREACH (o, &w->names, entry)
		if (!o->own && o->active && !claimed(w, o->name)) {
			o->active = false;
			o->npeers = 0;
		}
	schedule(w);
}

/* Other names in this instance's VRID claim: follow them too. */
static void
claims_cb(int rc, const struct String_vector *sv, const void *data)
{
	struct wreq *q = (struct wreq *)ZK_CTX(data);
	struct wname *wn = q->wn;

	free(q);
	if (rc != ZOK && rc != ZNONODE)
		return;
	wn->nforeign = 0;
	for (int i = 0; rc == ZOK && i < sv->count; i++) {
		char name[REGISTRY_NAME_MAX];
		const char *at = strchr(sv->data[i], '@');
		bool dup = false;

		if (at == NULL || (size_t)(at - sv->data[i]) >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(at - sv->data[i]),
		    sv->data[i]);
		if (!registry_name_valid(name) || strcmp(name, wn->name) == 0)
			continue;
		for (size_t j = 0; j < wn->nforeign && !dup; j++)
			dup = strcmp(wn->foreign[j], name) == 0;
		if (!dup && wn->nforeign < WATCH_FOREIGN_MAX)
			snprintf(wn->foreign[wn->nforeign++], REGISTRY_NAME_MAX,
			    "%s", name);
	}
	foreign_sync(wn->w);
}

static void
read_claims(struct wname *wn)
{
	zhandle_t *zh = zk_sess_ready(&wn->w->r->sess);
	struct wreq *q;

	if (zh == NULL || wn->claim_dir[0] == '\0' ||
	    (q = wreq_new(wn, NULL, 2)) == NULL)
		return;
	if (zoo_awget_children(zh, wn->claim_dir, watch_cb, wn, claims_cb, q) !=
	    ZOK)
		free(q);
}

/* ---- analysis ---- */

static void
log_flags(struct reg_watch *w, const struct registry_report *rep)
{
	char now[REGISTRY_FLAGS_MAX][160];
	size_t n = 0;

	for (size_t i = 0; i < rep->nflags; i++) {
		const struct registry_flag *f = &rep->flags[i];

		/* split brains log through their events; stale records come
		 * and go with every restart */
		if (f->kind == REGISTRY_FLAG_SPLIT_BRAIN ||
		    f->kind == REGISTRY_FLAG_STALE_RECORD ||
		    f->kind == REGISTRY_FLAG_SILENT_NODE)
			continue;
		registry_flag_format(f, now[n], sizeof(now[n]));
		bool old = false;
		for (size_t j = 0; j < w->nprev && !old; j++)
			old = strcmp(w->prev[j], now[n]) == 0;
		if (!old)
			log_warnx("registry: %s", now[n]);
		n++;
	}
	for (size_t j = 0; j < w->nprev; j++) {
		bool still = false;
		for (size_t i = 0; i < n && !still; i++)
			still = strcmp(w->prev[j], now[i]) == 0;
		if (!still)
			log_info("registry: cleared: %s", w->prev[j]);
	}
	memcpy(w->prev, now, n * sizeof(now[0]));
	w->nprev = n;
}

static void
sb_events(struct reg_watch *w, const struct registry_cluster *c,
    const struct registry_report *rep)
{
	struct registry *r = w->r;
	char line[200];

	for (size_t i = 0; i < rep->nevents; i++) {
		const struct registry_sb_event *ev = &rep->events[i];
		const char *masters[REGISTRY_SUM_MASTERS];
		struct registry_inst_sum s;
		size_t nm = 0;

		registry_sb_event_format(ev, line, sizeof(line));
		if (ev->edge == REGISTRY_SB_STARTED) {
			r->st.split_brains++;
			log_warnx("registry: %s", line);
		} else {
			log_info("registry: %s", line);
		}
		for (size_t j = 0; registry_cluster_inst(c, j, &s);
		     j = s.first + s.n)
			if (strcmp(s.name, ev->name) == 0)
				for (nm = 0; nm < s.nmasters &&
				     nm < REGISTRY_SUM_MASTERS;
				     nm++)
					masters[nm] = s.masters[nm];
		if (r->sb_fn != NULL)
			r->sb_fn(r->sb_arg, ev, masters, nm);
	}
}

/* The records: this node's own as it publishes them (no lag), peers' as
 * read; node records for the live peers and this node. */
static void
analyze(struct reg_watch *w)
{
	struct registry *r = w->r;
	const struct registry_node_rec **nodes;
	const struct registry_inst_rec **insts;
	struct registry_cluster c = { 0 };
	size_t cap = 1;
	struct wname *wn;
	struct reg_inst *ri;
	uint64_t now = util_now_us();

	TAILQ_FOREACH (wn, &w->names, entry)
		cap += wn->active ? wn->npeers + 1 : 0;
	nodes = calloc(cap, sizeof(*nodes));
	insts = calloc(cap, sizeof(*insts));
	if (nodes == NULL || insts == NULL)
		goto done;
	c.nodes = nodes;
	c.insts = insts;
	nodes[c.nnodes++] = &r->self;
	TAILQ_FOREACH (wn, &w->names, entry) {
		if (!wn->active)
			continue;
		for (size_t i = 0; i < wn->npeers; i++) {
			struct wpeer *p = &wn->peers[i];

			if (strcmp(p->rid, r->self.router_id) == 0)
				continue;
			if (p->alive)
				nodes[c.nnodes++] = &p->node;
			if (p->have)
				insts[c.ninsts++] = &p->rec;
		}
	}
	TAILQ_FOREACH (ri, &r->insts, entry)
		if (!ri->withdrawn && ri->have_last && c.ninsts < cap)
			insts[c.ninsts++] = &ri->last;
	/* a peer seen under two names is one node */
	registry_cluster_sort(&c);
	size_t n = 0;
	for (size_t i = 0; i < c.nnodes; i++)
		if (n == 0 ||
		    strcmp(nodes[n - 1]->router_id, nodes[i]->router_id) != 0)
			nodes[n++] = nodes[i];
	c.nnodes = n;
	registry_cluster_analyze(&c, &w->sb, now, &w->rep);
	sb_events(w, &c, &w->rep);
	log_flags(w, &w->rep);
	r->st.split_brain_now = 0;
	r->st.collisions_now = 0;
	r->st.weight_traps_now = 0;
	for (size_t i = 0; i < w->rep.nflags; i++) {
		enum registry_flag_kind k = w->rep.flags[i].kind;

		if (k == REGISTRY_FLAG_SPLIT_BRAIN)
			r->st.split_brain_now++;
		else if (k == REGISTRY_FLAG_VRID_COLLISION ||
		    k == REGISTRY_FLAG_VRID_MISMATCH ||
		    k == REGISTRY_FLAG_VIPS_MISMATCH)
			r->st.collisions_now++;
		else if (k == REGISTRY_FLAG_WEIGHT_TRAP)
			r->st.weight_traps_now++;
	}
	if (w->rep.next_us != 0) {
		ev_timer_stop(r->loop, &w->again);
		ev_timer_set(&w->again,
		    w->rep.next_us > now ? (w->rep.next_us - now) / 1e6 : 0.,
		    0.);
		ev_timer_start(r->loop, &w->again);
	}
done:
	free(nodes);
	free(insts);
}

static void
again_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct reg_watch *w = t->data;

	(void)loop;
	(void)revents;
	w->scheduled = false;
	analyze(w);
}

/* Coalesce a burst of reads into one analysis, on the next loop turn. */
static void
schedule(struct reg_watch *w)
{
	if (w->scheduled)
		return;
	w->scheduled = true;
	ev_timer_stop(w->r->loop, &w->again);
	ev_timer_set(&w->again, 0., 0.);
	ev_timer_start(w->r->loop, &w->again);
}

/* ---- the registry's calls ---- */

int
reg_watch_new(struct registry *r)
{
	struct reg_watch *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return -1;
	w->r = r;
	TAILQ_INIT(&w->names);
	ev_timer_init(&w->again, again_cb, 0., 0.);
	w->again.data = w;
	r->watch = w;
	return 0;
}

void
reg_watch_free(struct registry *r)
{
	struct reg_watch *w = W(r);
	struct wname *wn;

	if (w == NULL)
		return;
	ev_timer_stop(r->loop, &w->again);
	while ((wn = TAILQ_FIRST(&w->names)) != NULL) {
		TAILQ_REMOVE(&w->names, wn, entry);
		free(wn);
	}
	free(w);
	r->watch = NULL;
}

void
reg_watch_inst(struct reg_inst *inst)
{
	struct reg_watch *w = W(inst->r);
	struct wname *wn = wname_get(w, inst->name);

	if (wn == NULL)
		return;
	wn->own = true;
	inst->watch = wn;
	if (strcmp(wn->claim_dir, inst->claim_dir) != 0) {
		snprintf(wn->claim_dir, sizeof(wn->claim_dir), "%s",
		    inst->claim_dir);
		read_claims(wn);
	}
	if (!wn->active) {
		wn->active = true;
		wname_list(wn);
	}
	schedule(w);
}

void
reg_watch_drop(struct reg_inst *inst)
{
	struct wname *wn = inst->watch;

	if (wn == NULL)
		return;
	wn->own = false;
	wn->active = false;
	wn->npeers = 0;
	wn->claim_dir[0] = '\0';
	wn->nforeign = 0;
	foreign_sync(wn->w); /* the name may be another instance's foreign */
}

void
reg_watch_session(struct registry *r, bool new_sess)
{
	struct reg_watch *w = W(r);
	struct wname *wn;

	/* the library re-arms watches on a reconnect; a new session has
	 * none, and what changed meanwhile is read again either way */
	(void)new_sess;
	TAILQ_FOREACH (wn, &w->names, entry) {
		if (!wn->active)
			continue;
		wname_list(wn);
		for (size_t i = 0; i < wn->npeers; i++) {
			read_peer(wn, wn->peers[i].rid);
			read_node(wn, wn->peers[i].rid);
		}
		read_claims(wn);
	}
}

void
reg_watch_changed(struct registry *r)
{
	schedule(W(r));
}

const struct registry_flag *
registry_flags(const struct registry *r, size_t *n)
{
	const struct reg_watch *w = r->watch;

	*n = w != NULL ? w->rep.nflags : 0;
	return w != NULL ? w->rep.flags : NULL;
}
