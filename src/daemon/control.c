/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The daemon's answers to vrrpctl: the control socket's handler, the
 * metrics listener, and the event loop lag probe behind "stats".
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>
#include <json-c/json.h>

#include "vrrpd/checker.h"
#include "vrrpd/ctl.h"
#include "vrrpd/daemon.h"
#include "vrrpd/log.h"
#include "vrrpd/vrrp_instance.h"

#include "control_priv.h"

#define LAG_PROBE_S 1.0

struct daemon_ctl {
	struct ev_loop *loop;
	struct vrrp_router *r;
	const char *config_path;
	daemon_reload_fn *reload;
	void *reload_arg;
	struct ctl_server *srv;
	struct ctl_http *http;
	char *http_listen; /* what http listens on */
	uint64_t start_us;
	bool reloaded;	    /* a reload was tried */
	bool reload_ok;	    /* and applied */
	uint64_t reload_us; /* when */
	ev_timer lag;	    /* the probe */
	ev_tstamp lag_due;  /* when it should fire next */
	uint64_t lag_last_us;
	uint64_t lag_max_us;
	uint64_t lag_samples;
	struct registry *reg; /* the cluster registry, or NULL */
};

typedef json_object *cmd_fn(struct daemon_ctl *c, const struct ctl_req *req);

static void
put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

/*
 * The probe's lateness: a timer due every second, measured against the
 * time it was due. A check or a slow client that held the loop shows here.
 */
static void
lag_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon_ctl *c = w->data;
	ev_tstamp now;
	double late;

	(void)revents;
	ev_now_update(loop);
	now = ev_now(loop);
	late = now > c->lag_due ? now - c->lag_due : 0.0;
	c->lag_last_us = (uint64_t)(late * 1e6);
	if (c->lag_last_us > c->lag_max_us)
		c->lag_max_us = c->lag_last_us;
	c->lag_samples++;
	c->lag_due = now + LAG_PROBE_S;
	ev_timer_set(w, LAG_PROBE_S, 0.0);
	ev_timer_start(loop, w);
}

static json_object *
daemon_info(struct daemon_ctl *c)
{
	const struct conf *conf = vrrp_router_conf(c->r);
	json_object *d = json_object_new_object(), *lr = NULL;
	char host[256] = "";
	const char *rid = conf != NULL ? conf->global.router_id : NULL;
	uint64_t now = util_now_us();

	if (rid == NULL && gethostname(host, sizeof(host) - 1) == 0)
		rid = host;
	put(d, "version", json_object_new_string(VRRPD_VERSION));
	put(d, "pid", json_object_new_int((int)getpid()));
	put(d, "router_id", rid != NULL ? json_object_new_string(rid) : NULL);
	put(d, "config", json_object_new_string(c->config_path));
	put(d, "uptime_ms", ctl_json_u64((now - c->start_us) / 1000));
	if (c->reloaded) {
		lr = json_object_new_object();
		put(lr, "ok", json_object_new_boolean(c->reload_ok));
		put(lr, "ago_ms", ctl_json_u64((now - c->reload_us) / 1000));
	}
	put(d, "last_reload", lr);
	return d;
}

/* present: whether each of its VIPs is there, NULL: not known. */
static json_object *
inst_status(const struct vrrp_inst *vi, uint64_t now, const bool *present)
{
	struct vrrp_inst_view v;

	vrrp_inst_view(vi, now, &v);
	return ctl_json_instance(&v, present);
}

/* The instances the request names: one, or every one when it names none. */
static bool
wanted(const struct ctl_req *req, const struct vrrp_inst *vi)
{
	return req->instance[0] == '\0' ||
	    strcmp(vrrp_inst_name(vi), req->instance) == 0;
}

static json_object *
no_instance(const struct ctl_req *req)
{
	char msg[CTL_NAME_MAX + 32];

	snprintf(msg, sizeof(msg), "no instance %s", req->instance);
	return ctl_reply_error(req->cmd, CTL_E_NO_INSTANCE, msg);
}

static json_object *
cmd_status(struct daemon_ctl *c, const struct ctl_req *req)
{
	json_object *rep, *a = json_object_new_array();
	uint64_t now = util_now_us();
	const struct conf *conf = vrrp_router_conf(c->r);
	const struct vrrp_inst **vis = NULL;
	size_t n = 0, nv = 0, off = 0;
	bool *present = NULL;

	/* the instances wanted, and one address dump for all of them */
	for (const struct vrrp_inst *vi = vrrp_router_first(c->r); vi != NULL;
	     vi = vrrp_router_next(vi))
		n += wanted(req, vi);
	if (n > 0 && (vis = calloc(n, sizeof(*vis))) != NULL) {
		n = 0;
		for (const struct vrrp_inst *vi = vrrp_router_first(c->r);
		     vi != NULL; vi = vrrp_router_next(vi))
			if (wanted(req, vi)) {
				vis[n++] = vi;
				nv += vrrp_inst_nvips_all(vi);
			}
		present = calloc(nv + 1, sizeof(*present));
		if (present != NULL &&
		    vrrp_inst_vips_present_many(vis, n, present) != 0) {
			free(present);
			present = NULL;
		}
	}
	for (size_t i = 0; vis != NULL && i < n; i++) {
		json_object *o = inst_status(vis[i], now,
		    present != NULL ? present + off : NULL);

		off += vrrp_inst_nvips_all(vis[i]);
		if (c->reg != NULL)
			put(o, "split_brain",
			    json_object_new_boolean(daemon_ctl_split_brain(
				c->reg, vrrp_inst_name(vis[i]))));
		json_object_array_add(a, o);
	}
	free(present);
	free(vis);
	if (req->instance[0] != '\0' && json_object_array_length(a) == 0) {
		json_object_put(a);
		return no_instance(req);
	}
	rep = ctl_reply_ok(req->cmd);
	put(rep, "daemon", daemon_info(c));
	put(rep, "instances", a);
	put(rep, "registry",
	    daemon_ctl_registry_json(c->reg,
		conf != NULL ? &conf->global.registry : NULL));
	return rep;
}

static json_object *
cmd_stats(struct daemon_ctl *c, const struct ctl_req *req)
{
	json_object *rep, *a = json_object_new_array(), *o, *loop;

	for (const struct vrrp_inst *vi = vrrp_router_first(c->r); vi != NULL;
	     vi = vrrp_router_next(vi)) {
		if (!wanted(req, vi))
			continue;
		o = json_object_new_object();
		put(o, "name", json_object_new_string(vrrp_inst_name(vi)));
		put(o, "counters", ctl_json_inst_counters(vrrp_inst_stats(vi)));
		json_object_array_add(a, o);
	}
	if (req->instance[0] != '\0' && json_object_array_length(a) == 0) {
		json_object_put(a);
		return no_instance(req);
	}
	rep = ctl_reply_ok(req->cmd);
	put(rep, "cleared", json_object_new_boolean(req->clear));
	put(rep, "instances", a);
	o = json_object_new_object();
	put(o, "counters", ctl_json_router_counters(vrrp_router_stats(c->r)));
	put(rep, "router", o);
	loop = json_object_new_object();
	put(loop, "lag_last_us", ctl_json_u64(c->lag_last_us));
	put(loop, "lag_max_us", ctl_json_u64(c->lag_max_us));
	put(loop, "samples", ctl_json_u64(c->lag_samples));
	put(rep, "loop", loop);
	put(rep, "counter_info", ctl_json_counter_info());
	if (req->clear) {
		vrrp_router_clear_stats(c->r);
		c->lag_max_us = c->lag_samples = 0;
		log_info("ctl: counters cleared");
	}
	return rep;
}

static json_object *
cmd_checks(struct daemon_ctl *c, const struct ctl_req *req)
{
	json_object *rep = ctl_reply_ok(req->cmd);

	put(rep, "checks", daemon_ctl_checks(c->r));
	put(rep, "trackers", daemon_ctl_trackers(c->r));
	return rep;
}

static json_object *
cmd_metrics(struct daemon_ctl *c, const struct ctl_req *req)
{
	json_object *rep;
	char *text;
	size_t len;

	if ((text = daemon_ctl_metrics(c, &len)) == NULL)
		return NULL;
	rep = ctl_reply_ok(req->cmd);
	put(rep, "content_type",
	    json_object_new_string("text/plain; version=0.0.4"));
	put(rep, "text", json_object_new_string_len(text, (int)len));
	free(text);
	return rep;
}

static json_object *
reload_rejected(const struct ctl_req *req, char **lines, size_t n,
    const char *msg)
{
	json_object *rep, *err = NULL, *d = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object_array_add(d, json_object_new_string(lines[i]));
		free(lines[i]);
	}
	free(lines);
	rep = ctl_reply_error(req->cmd, CTL_E_REJECTED, msg);
	if (rep != NULL && json_object_object_get_ex(rep, "error", &err))
		put(err, "details", d);
	else
		json_object_put(d);
	return rep;
}

static json_object *
cmd_reload(struct daemon_ctl *c, const struct ctl_req *req)
{
	struct vrrp_reload_stats st;
	char **lines = NULL, msg[256] = "";
	json_object *rep, *o;
	size_t n = 0;

	if (c->reload(c->reload_arg, &st, &lines, &n, msg, sizeof(msg)) != 0)
		return reload_rejected(req, lines, n, msg);
	rep = ctl_reply_ok(req->cmd);
	o = json_object_new_object();
	put(o, "kept", ctl_json_u64(st.kept));
	put(o, "recreated", ctl_json_u64(st.recreated));
	put(o, "readdressed", ctl_json_u64(st.readdressed));
	put(o, "added", ctl_json_u64(st.added));
	put(o, "removed", ctl_json_u64(st.removed));
	put(o, "failed", ctl_json_u64(st.failed));
	put(rep, "reload", o);
	return rep;
}

/* demote and promote: every instance named, all or nothing. */
static json_object *
cmd_demote(struct daemon_ctl *c, const struct ctl_req *req)
{
	bool demote = req->cmd == CTL_CMD_DEMOTE;
	const struct vrrp_inst *vi;
	struct vrrp_inst *w;
	json_object *rep, *a;
	char msg[CTL_NAME_MAX + 80];

	for (vi = vrrp_router_first(c->r); vi != NULL;
	     vi = vrrp_router_next(vi))
		if (demote && wanted(req, vi) &&
		    vrrp_inst_conf(vi)->priority == VRRP_PRIO_OWNER) {
			snprintf(msg, sizeof(msg),
			    "%s is the address owner (priority 255) and "
			    "cannot hand over",
			    vrrp_inst_name(vi));
			return ctl_reply_error(req->cmd, CTL_E_ARGUMENT, msg);
		}
	if (!req->all && vrrp_router_find(c->r, req->instance) == NULL)
		return no_instance(req);
	a = json_object_new_array();
	for (vi = vrrp_router_first(c->r); vi != NULL;
	     vi = vrrp_router_next(vi)) {
		if (!wanted(req, vi)) /* --all names none: every one */
			continue;
		/* The same instance, as one we may change. */
		w = vrrp_router_find(c->r, vrrp_inst_name(vi));
		if (w == NULL ||
		    (demote ? vrrp_inst_demote(w, req->for_ms) != 0 :
			      !vrrp_inst_promote(w)))
			continue;
		json_object_array_add(a,
		    json_object_new_string(vrrp_inst_name(vi)));
	}
	rep = ctl_reply_ok(req->cmd);
	put(rep, "instances", a);
	if (demote)
		put(rep, "for_ms",
		    req->for_ms > 0 ? ctl_json_u64(req->for_ms) : NULL);
	return rep;
}

static json_object *
cmd_debug(struct daemon_ctl *c, const struct ctl_req *req)
{
	json_object *rep, *on, *all;
	unsigned int mask, cur;
	const char *name, *only;
	const char *inst = req->instance[0] != '\0' ? req->instance : NULL;
	char msg[CTL_NAME_MAX + 128];

	if (inst != NULL && vrrp_router_find(c->r, inst) == NULL) {
		snprintf(msg, sizeof(msg), "no instance %s", inst);
		return ctl_reply_error(req->cmd, CTL_E_NO_INSTANCE, msg);
	}
	if (req->category[0] != '\0') {
		if (log_set_debug_cat(req->category, req->on, inst) != 0) {
			snprintf(msg, sizeof(msg),
			    "unknown debug category %s (pkt, fsm, net, check, "
			    "zk, ctl, conf, all)",
			    req->category);
			return ctl_reply_error(req->cmd, CTL_E_ARGUMENT, msg);
		}
		log_info("ctl: debug %s %s%s%s", req->category,
		    req->on ? "on" : "off", inst != NULL ? " for " : "",
		    inst != NULL ? inst : "");
	}
	rep = ctl_reply_ok(req->cmd);
	on = json_object_new_array();
	all = json_object_new_array();
	cur = log_debug_mask();
	for (size_t i = 0; (name = log_debug_cat_name(i, &mask)) != NULL; i++) {
		json_object_array_add(all, json_object_new_string(name));
		if ((cur & mask) != mask || strcmp(name, "all") == 0)
			continue;
		/* One limited to an instance is written CATEGORY:INSTANCE. */
		only = log_debug_instance((enum log_cat)mask);
		snprintf(msg, sizeof(msg), "%s%s%s", name, only ? ":" : "",
		    only ? only : "");
		json_object_array_add(on, json_object_new_string(msg));
	}
	put(rep, "enabled", on);
	put(rep, "categories", all);
	return rep;
}

static json_object *
cmd_cluster(struct daemon_ctl *c, const struct ctl_req *req)
{
	const struct conf *conf = vrrp_router_conf(c->r);

	return daemon_ctl_cluster(c->srv, c->reg,
	    conf != NULL ? &conf->global.registry : NULL, req);
}

static cmd_fn *const cmds[CTL_CMD_MAX] = {
	[CTL_CMD_CLUSTER] = cmd_cluster,
	[CTL_CMD_STATUS] = cmd_status,
	[CTL_CMD_STATS] = cmd_stats,
	[CTL_CMD_CHECKS] = cmd_checks,
	[CTL_CMD_METRICS] = cmd_metrics,
	[CTL_CMD_RELOAD] = cmd_reload,
	[CTL_CMD_DEMOTE] = cmd_demote,
	[CTL_CMD_PROMOTE] = cmd_demote,
	[CTL_CMD_DEBUG] = cmd_debug,
};

static json_object *
handle(void *arg, const struct ctl_req *req, const struct ctl_peer *peer)
{
	struct daemon_ctl *c = arg;

	if (ctl_req_mutating(req))
		log_info("ctl: %s from pid %ld uid %lu", ctl_cmd_name(req->cmd),
		    (long)peer->pid, (unsigned long)peer->uid);
	if ((unsigned int)req->cmd >= CTL_CMD_MAX || cmds[req->cmd] == NULL)
		return ctl_reply_error(req->cmd, CTL_E_COMMAND, NULL);
	return cmds[req->cmd](c, req);
}

char *
daemon_ctl_metrics(struct daemon_ctl *c, size_t *len)
{
	struct ctl_req all = { .cmd = CTL_CMD_STATUS };
	json_object *status, *stats, *checks;
	char *text;

	status = cmd_status(c, &all);
	all.cmd = CTL_CMD_STATS;
	stats = cmd_stats(c, &all);
	all.cmd = CTL_CMD_CHECKS;
	checks = cmd_checks(c, &all);
	text = ctl_metrics_render(status, stats, checks, len);
	json_object_put(status);
	json_object_put(stats);
	json_object_put(checks);
	return text;
}

static char *
http_metrics(void *arg, size_t *len)
{
	return daemon_ctl_metrics(arg, len);
}

struct daemon_ctl *
daemon_ctl_new(struct ev_loop *loop, struct vrrp_router *r,
    const char *config_path, daemon_reload_fn *fn, void *arg)
{
	struct daemon_ctl *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->loop = loop;
	c->r = r;
	c->config_path = config_path;
	c->reload = fn;
	c->reload_arg = arg;
	c->start_us = util_now_us();
	ev_timer_init(&c->lag, lag_cb, LAG_PROBE_S, 0.0);
	c->lag.data = c;
	ev_set_priority(&c->lag, EV_MINPRI);
	c->lag_due = ev_now(loop) + LAG_PROBE_S;
	ev_timer_start(loop, &c->lag);
	return c;
}

static int
configure_http(struct daemon_ctl *c, const char *listen)
{
	struct ctl_http *h;

	if (listen == NULL) {
		ctl_http_free(c->http);
		c->http = NULL;
		free(c->http_listen);
		c->http_listen = NULL;
		return 0;
	}
	if (c->http != NULL && strcmp(c->http_listen, listen) == 0)
		return 0;
	/* The old listener goes first: the new one may want its port. */
	ctl_http_free(c->http);
	c->http = NULL;
	free(c->http_listen);
	c->http_listen = NULL;
	if ((h = ctl_http_new(c->loop, listen, http_metrics, c)) == NULL)
		return -1;
	c->http = h;
	c->http_listen = strdup(listen);
	return 0;
}

int
daemon_ctl_configure(struct daemon_ctl *c, const struct conf_global *g,
    const char *sock_override)
{
	struct ctl_server_opts o = {
		.path =
		    sock_override != NULL ? sock_override : g->control_socket,
		.group = g->control_group,
		.group_write = g->control_group_write,
	};
	int rc = 0;

	if (o.path == NULL) {
		ctl_server_free(c->srv);
		c->srv = NULL;
	} else if (c->srv == NULL) {
		if ((c->srv = ctl_server_new(c->loop, &o, handle, c)) == NULL)
			rc = -1;
	} else if (ctl_server_reconfigure(c->srv, &o) != 0)
		rc = -1;
	if (configure_http(c, g->metrics_listen) != 0)
		rc = -1;
	return rc;
}

void
daemon_ctl_set_registry(struct daemon_ctl *c, struct registry *reg)
{
	if (c != NULL)
		c->reg = reg;
}

void
daemon_ctl_reloaded(struct daemon_ctl *c, bool ok)
{
	c->reloaded = true;
	c->reload_ok = ok;
	c->reload_us = util_now_us();
}

void
daemon_ctl_free(struct daemon_ctl *c)
{
	if (c == NULL)
		return;
	ev_timer_stop(c->loop, &c->lag);
	ctl_server_free(c->srv);
	ctl_http_free(c->http);
	free(c->http_listen);
	free(c);
}
