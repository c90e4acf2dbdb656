/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The whole tree read once, for vrrpctl cluster: every node record, every
 * instance record, and histories when asked. All requests are queued at
 * once (ZooKeeper pipelines them); the result comes when the last one
 * returns. Values that cannot be decoded are listed with their path.
 */

#include <stdlib.h>
#include <string.h>

#include "vrrpd/log.h"
#include "vrrpd/util.h"

#include "zk_priv.h"

struct fleet_read {
	struct zk_sess *s;
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

/* One request's context (completions carry a single pointer). */
struct fleet_req {
	struct fleet_read *fr;
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

static void
node_cb(int rc, const char *value, int len, const struct Stat *stat,
    const void *data)
{
	struct fleet_req *q = ZK_CTX(data);
	struct fleet_read *fr = q->fr;
	struct registry_fleet *f = fr->f;
	char why[160];

	(void)stat;
	if (!fail_rc(fr, rc) && rc == ZOK &&
	    grow((void **)&f->nodes, f->nnodes, &f->nodes_cap,
		sizeof(*f->nodes))) {
		if (registry_node_decode(value, len < 0 ? 0 : (size_t)len,
			&f->nodes[f->nnodes], why, sizeof(why)) != REGISTRY_OK)
			add_error(f, q->path, why);
		else if (strcmp(f->nodes[f->nnodes].router_id, q->rid) != 0)
			add_error(f, q->path,
			    "its router_id differs from its "
			    "path");
		else
			f->nnodes++;
	}
	free(q);
	done_one(fr);
}

static void
inst_cb(int rc, const char *value, int len, const struct Stat *stat,
    const void *data)
{
	struct fleet_req *q = ZK_CTX(data);
	struct fleet_read *fr = q->fr;
	struct registry_fleet *f = fr->f;
	struct registry_inst_rec *rec;
	char why[160];

	(void)stat;
	if (!fail_rc(fr, rc) && rc == ZOK &&
	    grow((void **)&f->insts, f->ninsts, &f->insts_cap,
		sizeof(*f->insts)) &&
	    (rec = malloc(sizeof(*rec))) != NULL) {
		if (registry_inst_decode(value, len < 0 ? 0 : (size_t)len, rec,
			why, sizeof(why)) != REGISTRY_OK) {
			add_error(f, q->path, why);
			free(rec);
		} else if (strcmp(rec->name, q->name) != 0 ||
		    strcmp(rec->router_id, q->rid) != 0) {
			add_error(f, q->path,
			    "its name or router_id differs from its path");
			free(rec);
		} else {
			f->insts[f->ninsts++] = rec;
		}
	}
	free(q);
	done_one(fr);
}

static void
hist_cb(int rc, const char *value, int len, const struct Stat *stat,
    const void *data)
{
	struct fleet_req *q = ZK_CTX(data);
	struct fleet_read *fr = q->fr;
	struct registry_fleet *f = fr->f;
	struct registry_fleet_hist *h;
	char why[160];

	(void)stat;
	if (!fail_rc(fr, rc) && rc == ZOK &&
	    grow((void **)&f->hists, f->nhists, &f->hists_cap,
		sizeof(*f->hists)) &&
	    (h = calloc(1, sizeof(*h))) != NULL) {
		snprintf(h->name, sizeof(h->name), "%s", q->name);
		if (registry_history_decode(value, len < 0 ? 0 : (size_t)len,
			&h->h, why, sizeof(why)) != REGISTRY_OK) {
			add_error(f, q->path, why);
			free(h);
		} else {
			f->hists[f->nhists++] = h;
		}
	}
	free(q);
	done_one(fr);
}

static void
rids_cb(int rc, const struct String_vector *sv, const void *data)
{
	struct fleet_req *q = ZK_CTX(data);
	struct fleet_read *fr = q->fr;
	zhandle_t *zh = zk_sess_ready(fr->s);
	char path[REG_PATH_MAX];

	if (!fail_rc(fr, rc) && rc == ZOK && zh != NULL) {
		for (int i = 0; i < sv->count; i++) {
			struct fleet_req *c;
			int n = snprintf(path, sizeof(path), "%s/%s", q->path,
			    sv->data[i]);

			if (n < 0 || (size_t)n >= sizeof(path) ||
			    (c = req_new(fr, path, q->name, sv->data[i])) ==
				NULL)
				continue;
			issued(fr, c,
			    zoo_aget(zh, path, 0,
				q->name[0] != '\0' ? inst_cb : node_cb, c));
		}
		zk_sess_kick(fr->s);
	}
	free(q);
	done_one(fr);
}

static void
names_cb(int rc, const struct String_vector *sv, const void *data)
{
	struct fleet_req *q = ZK_CTX(data);
	struct fleet_read *fr = q->fr;
	zhandle_t *zh = zk_sess_ready(fr->s);
	char path[REG_PATH_MAX];

	if (!fail_rc(fr, rc) && rc == ZOK && zh != NULL) {
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
				    zoo_aget_children(zh, path, 0, rids_cb, c));
			n = snprintf(path, sizeof(path),
			    "%s/instances/%s/history", fr->root, name);
			if (fr->history && n > 0 && (size_t)n < sizeof(path) &&
			    (c = req_new(fr, path, name, NULL)) != NULL)
				issued(fr, c,
				    zoo_aget(zh, path, 0, hist_cb, c));
		}
		zk_sess_kick(fr->s);
	}
	free(q);
	done_one(fr);
}

int
reg_fleet_read(struct zk_sess *s, const char *root, const char *instance,
    bool history, registry_fleet_fn *fn, void *arg)
{
	zhandle_t *zh = zk_sess_ready(s);
	struct fleet_read *fr;
	struct fleet_req *q;
	char path[REG_PATH_MAX];

	if (zh == NULL || (fr = calloc(1, sizeof(*fr))) == NULL)
		return -1;
	if ((fr->f = calloc(1, sizeof(*fr->f))) == NULL) {
		free(fr);
		return -1;
	}
	fr->s = s;
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
		issued(fr, q, zoo_aget_children(zh, path, 0, rids_cb, q));
	snprintf(path, sizeof(path), "%s/instances", root);
	if ((q = req_new(fr, path, NULL, NULL)) != NULL)
		issued(fr, q, zoo_aget_children(zh, path, 0, names_cb, q));
	zk_sess_kick(s);
	done_one(fr);
	return 0;
}

void
registry_fleet_free(struct registry_fleet *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->ninsts; i++)
		free(f->insts[i]);
	for (size_t i = 0; i < f->nhists; i++)
		free(f->hists[i]);
	free(f->insts);
	free(f->hists);
	free(f->nodes);
	free(f);
}
