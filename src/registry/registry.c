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
