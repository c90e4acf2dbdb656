/* SPDX-License-Identifier: BSD-2-Clause */
/* The registry in vrrpctl's answers: status fields and vrrpctl cluster. */

#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vrrpd/ctl.h"
#include "vrrpd/registry.h"
#include "vrrpd/util.h"

#include "control_priv.h"

static void
put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

json_object *
daemon_ctl_registry_json(const struct registry *reg,
    const struct conf_registry *conf)
{
	struct registry_status st;
	const struct registry_flag *flags;
	json_object *o, *fl;
	char sid[32], line[256];
	size_t n;

	if (reg == NULL)
		return NULL;
	registry_get_status(reg, &st);
	o = json_object_new_object();
	put(o, "servers", ctl_json_str(conf != NULL ? conf->servers : NULL));
	put(o, "path", ctl_json_str(conf != NULL ? conf->path : NULL));
	put(o, "state", json_object_new_string(registry_conn_name(st.conn)));
	snprintf(sid, sizeof(sid), "0x%llx", (unsigned long long)st.session);
	put(o, "session", st.session != 0 ? json_object_new_string(sid) : NULL);
	put(o, "server",
	    st.server[0] != '\0' ? json_object_new_string(st.server) : NULL);
	put(o, "connects", ctl_json_u64(st.connects));
	put(o, "expiries", ctl_json_u64(st.expiries));
	put(o, "writes", ctl_json_u64(st.writes));
	put(o, "write_errors", ctl_json_u64(st.write_errors));
	put(o, "pending", ctl_json_u64(st.pending));
	put(o, "last_publish_us", ctl_json_u64(st.last_publish_us));
	put(o, "bad_znodes", ctl_json_u64(st.bad_znodes));
	put(o, "split_brains", ctl_json_u64(st.split_brains));
	put(o, "split_brain_now", ctl_json_u64(st.split_brain_now));
	put(o, "collisions_now", ctl_json_u64(st.collisions_now));
	put(o, "weight_traps_now", ctl_json_u64(st.weight_traps_now));
	fl = json_object_new_array();
	flags = registry_flags(reg, &n);
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_new_object();

		put(f, "kind",
		    json_object_new_string(
			registry_flag_kind_name(flags[i].kind)));
		put(f, "instance",
		    flags[i].name[0] != '\0' ?
			json_object_new_string(flags[i].name) :
			NULL);
		put(f, "text",
		    json_object_new_string(
			registry_flag_format(&flags[i], line, sizeof(line))));
		json_object_array_add(fl, f);
	}
	put(o, "flags", fl);
	return o;
}

bool
daemon_ctl_split_brain(const struct registry *reg, const char *name)
{
	const struct registry_flag *flags;
	size_t n;

	if (reg == NULL)
		return false;
	flags = registry_flags(reg, &n);
	for (size_t i = 0; i < n; i++)
		if (flags[i].kind == REGISTRY_FLAG_SPLIT_BRAIN &&
		    strcmp(flags[i].name, name) == 0)
			return true;
	return false;
}

/* A cluster request waiting for its read. */
struct cluster_wait {
	struct ctl_later *later;
	const struct registry *reg;
	struct registry_status st;
	char servers[512];
	char path[256];
	char instance[CTL_NAME_MAX];
	bool history;
};

static void
fleet_cb(void *arg, struct registry_fleet *f, const char *why)
{
	struct cluster_wait *w = arg;
	json_object *r;
	struct timeval tv;
	char msg[160];

	if (f == NULL) {
		snprintf(msg, sizeof(msg), "reading the registry failed: %s",
		    why != NULL ? why : "?");
		r = ctl_reply_error(CTL_CMD_CLUSTER, CTL_E_REJECTED, msg);
	} else {
		gettimeofday(&tv, NULL);
		r = registry_fleet_json(f, "daemon", w->servers, w->path,
		    &w->st, w->instance, w->history, util_now_us(),
		    (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000);
		registry_fleet_free(f);
	}
	ctl_later_reply(w->later, CTL_CMD_CLUSTER, r);
	free(w);
}

json_object *
daemon_ctl_cluster(struct ctl_server *srv, struct registry *reg,
    const struct conf_registry *conf, const struct ctl_req *req)
{
	struct cluster_wait *w;
	char msg[128];

	if (reg == NULL || conf == NULL || conf->servers == NULL)
		return ctl_reply_error(req->cmd, CTL_E_REJECTED,
		    "no registry configured");
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	registry_get_status(reg, &w->st);
	if (w->st.conn != REGISTRY_CONN_CONNECTED) {
		snprintf(msg, sizeof(msg), "the registry is %s: no view",
		    registry_conn_name(w->st.conn));
		free(w);
		return ctl_reply_error(req->cmd, CTL_E_REJECTED, msg);
	}
	w->reg = reg;
	snprintf(w->servers, sizeof(w->servers), "%s", conf->servers);
	snprintf(w->path, sizeof(w->path), "%s", conf->path);
	snprintf(w->instance, sizeof(w->instance), "%s", req->instance);
	w->history = req->history;
	if ((w->later = ctl_server_later(srv)) == NULL) {
		free(w);
		return NULL;
	}
	if (registry_read_fleet(reg, req->instance, req->history, fleet_cb,
		w) != 0) {
		ctl_later_reply(w->later, req->cmd,
		    ctl_reply_error(req->cmd, CTL_E_REJECTED,
			"the registry is not connected"));
		free(w);
	}
	return CTL_REPLY_LATER;
}
