/* SPDX-License-Identifier: BSD-2-Clause */
/* The fleet as vrrpctl cluster's JSON reply (docs/ctl-protocol.md). */

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vrrpd/registry.h"

static json_object *
jstr(const char *s)
{
	return json_object_new_string(s);
}

static json_object *
jint(int64_t v)
{
	return json_object_new_int64(v);
}

static json_object *
jaddr(const struct addr *a)
{
	char buf[ADDR_STRLEN];

	if (a->af == AF_UNSPEC || addr_fmt(a, buf, sizeof(buf)) == NULL)
		return NULL;
	return jstr(buf);
}

static json_object *
node_json(const struct registry_node_rec *n, bool silent)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "router_id", jstr(n->router_id));
	json_object_object_add(o, "addr", jaddr(&n->addr));
	json_object_object_add(o, "version", jstr(n->version));
	json_object_object_add(o, "start_time", jint((int64_t)n->start_time));
	json_object_object_add(o, "config_digest", jstr(n->config_digest));
	json_object_object_add(o, "silent", json_object_new_boolean(silent));
	return o;
}

static json_object *
rec_json(const struct registry_inst_rec *r, bool registered)
{
	json_object *o = json_object_new_object();
	json_object *prio = json_object_new_object();
	json_object *failing = json_object_new_array();
	json_object *faults = json_object_new_array();
	json_object *vips = json_object_new_array();

	json_object_object_add(o, "router_id", jstr(r->router_id));
	json_object_object_add(o, "registered",
	    json_object_new_boolean(registered));
	json_object_object_add(o, "state", jstr(vrrp_state_name(r->state)));
	json_object_object_add(prio, "base", jint(r->base_priority));
	json_object_object_add(prio, "effective", jint(r->priority));
	json_object_object_add(o, "priority", prio);
	for (size_t i = 0; i < r->nparts; i++)
		if (r->parts[i].kind == CONF_TRACK_CHECK && !r->parts[i].up)
			json_object_array_add(failing, jstr(r->parts[i].name));
	json_object_object_add(o, "failing", failing);
	for (size_t i = 0; i < r->nfaults; i++)
		json_object_array_add(faults, jstr(r->faults[i]));
	json_object_object_add(o, "faults", faults);
	for (size_t i = 0; i < r->nvips; i++) {
		json_object *v = json_object_new_object();

		json_object_object_add(v, "addr", jaddr(&r->vips[i].addr));
		json_object_object_add(v, "prefix", jint(r->vips[i].prefix));
		json_object_object_add(v, "present",
		    json_object_new_boolean(r->vips[i].present));
		json_object_array_add(vips, v);
	}
	json_object_object_add(o, "vips", vips);
	json_object_object_add(o, "since", jint((int64_t)r->since_ms));
	json_object_object_add(o, "master", jaddr(&r->master));
	json_object_object_add(o, "interface", jstr(r->interface));
	json_object_object_add(o, "vrid", jint(r->vrid));
	json_object_object_add(o, "adver_int_cs", jint(r->adver_int_cs));
	return o;
}

static bool
flagged_sb(const struct registry_report *rep, const char *name)
{
	for (size_t i = 0; i < rep->nflags; i++)
		if (rep->flags[i].kind == REGISTRY_FLAG_SPLIT_BRAIN &&
		    strcmp(rep->flags[i].name, name) == 0)
			return true;
	return false;
}

static json_object *
insts_json(const struct registry_cluster *c, const struct registry_report *rep)
{
	json_object *arr = json_object_new_array();
	struct registry_inst_sum s;

	for (size_t i = 0; registry_cluster_inst(c, i, &s); i = s.first + s.n) {
		json_object *o = json_object_new_object();
		json_object *masters = json_object_new_array();
		json_object *nodes = json_object_new_array();
		const struct registry_inst_rec *first = c->insts[s.first];

		json_object_object_add(o, "name", jstr(s.name));
		json_object_object_add(o, "vrid", jint(first->vrid));
		json_object_object_add(o, "family",
		    jint(first->family == AF_INET6 ? 6 : 4));
		for (size_t m = 0; m < s.nmasters && m < REGISTRY_SUM_MASTERS;
		     m++)
			json_object_array_add(masters, jstr(s.masters[m]));
		json_object_object_add(o, "masters", masters);
		json_object_object_add(o, "split_brain",
		    json_object_new_boolean(flagged_sb(rep, s.name)));
		for (size_t j = s.first; j < s.first + s.n; j++)
			json_object_array_add(nodes,
			    rec_json(c->insts[j],
				registry_cluster_registered(c, j)));
		json_object_object_add(o, "nodes", nodes);
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *
flags_json(const struct registry_report *rep)
{
	json_object *arr = json_object_new_array();
	char line[256];

	for (size_t i = 0; i < rep->nflags; i++) {
		const struct registry_flag *f = &rep->flags[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "kind",
		    jstr(registry_flag_kind_name(f->kind)));
		json_object_object_add(o, "instance",
		    f->name[0] != '\0' ? jstr(f->name) : NULL);
		json_object_object_add(o, "text",
		    jstr(registry_flag_format(f, line, sizeof(line))));
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *
history_json(const struct registry_fleet *f)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < f->nhists; i++) {
		const struct registry_fleet_hist *h = f->hists[i];

		for (size_t j = 0; j < h->h.n; j++) {
			const struct registry_transition *t = &h->h.t[j];
			json_object *o = json_object_new_object();

			json_object_object_add(o, "instance", jstr(h->name));
			json_object_object_add(o, "time",
			    jint((int64_t)t->time_ms));
			json_object_object_add(o, "router_id",
			    jstr(t->router_id));
			json_object_object_add(o, "from",
			    jstr(vrrp_state_name(t->from)));
			json_object_object_add(o, "to",
			    jstr(vrrp_state_name(t->to)));
			json_object_object_add(o, "reason", jstr(t->reason));
			json_object_array_add(arr, o);
		}
	}
	return arr;
}

static bool
node_silent(const struct registry_report *rep, const char *rid)
{
	for (size_t i = 0; i < rep->nflags; i++)
		if (rep->flags[i].kind == REGISTRY_FLAG_SILENT_NODE &&
		    strcmp(rep->flags[i].node, rid) == 0)
			return true;
	return false;
}

static json_object *
registry_json(const char *servers, const char *path,
    const struct registry_status *st)
{
	json_object *o = json_object_new_object();
	char sid[32];

	json_object_object_add(o, "servers", jstr(servers));
	json_object_object_add(o, "path", jstr(path));
	json_object_object_add(o, "state",
	    jstr(registry_conn_name(
		st != NULL ? st->conn : REGISTRY_CONN_CONNECTED)));
	snprintf(sid, sizeof(sid), "0x%llx",
	    st != NULL ? (unsigned long long)st->session : 0ULL);
	json_object_object_add(o, "session",
	    st != NULL && st->session != 0 ? jstr(sid) : NULL);
	return o;
}

struct json_object *
registry_fleet_json(struct registry_fleet *f, const char *source,
    const char *servers, const char *path, const struct registry_status *st,
    const char *instance, bool history, uint64_t now_us, uint64_t wall_ms)
{
	struct registry_cluster c = { 0 };
	struct registry_sb_state *sb = calloc(1, sizeof(*sb));
	struct registry_report *rep = calloc(1, sizeof(*rep));
	json_object *o = NULL, *nodes, *errs;

	c.nodes = calloc(f->nnodes + 1, sizeof(*c.nodes));
	c.insts = calloc(f->ninsts + 1, sizeof(*c.insts));
	if (sb == NULL || rep == NULL || c.nodes == NULL || c.insts == NULL)
		goto done;
	for (size_t i = 0; i < f->nnodes; i++)
		c.nodes[c.nnodes++] = &f->nodes[i];
	for (size_t i = 0; i < f->ninsts; i++)
		if (instance == NULL || instance[0] == '\0' ||
		    strcmp(f->insts[i]->name, instance) == 0)
			c.insts[c.ninsts++] = f->insts[i];
	registry_sb_seed(&c, sb, now_us, wall_ms);
	registry_cluster_analyze(&c, sb, now_us, rep);
	o = json_object_new_object();
	json_object_object_add(o, "v", jint(1));
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "cmd", jstr("cluster"));
	json_object_object_add(o, "source", jstr(source));
	json_object_object_add(o, "registry", registry_json(servers, path, st));
	json_object_object_add(o, "read_ms",
	    jint((int64_t)(f->read_us / 1000)));
	nodes = json_object_new_array();
	for (size_t i = 0; i < c.nnodes; i++)
		json_object_array_add(nodes,
		    node_json(c.nodes[i],
			node_silent(rep, c.nodes[i]->router_id)));
	json_object_object_add(o, "nodes", nodes);
	json_object_object_add(o, "instances", insts_json(&c, rep));
	json_object_object_add(o, "flags", flags_json(rep));
	errs = json_object_new_array();
	for (size_t i = 0; i < f->nerrs; i++) {
		json_object *e = json_object_new_object();

		json_object_object_add(e, "path", jstr(f->errs[i].path));
		json_object_object_add(e, "error", jstr(f->errs[i].why));
		json_object_array_add(errs, e);
	}
	json_object_object_add(o, "errors", errs);
	if (history)
		json_object_object_add(o, "history", history_json(f));
done:
	free(c.nodes);
	free(c.insts);
	free(sb);
	free(rep);
	return o;
}
