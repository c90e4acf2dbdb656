/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl checks: every check and tracker, and the instances it feeds. */

#include <string.h>

#include <json-c/json.h>

#include "vrrpd/checker.h"
#include "vrrpd/ctl.h"
#include "vrrpd/vrrp_instance.h"

#include "control_priv.h"

static const char *const check_kinds[] = {
	[CONF_CHECK_SCRIPT] = "script",
	[CONF_CHECK_TCP] = "tcp",
	[CONF_CHECK_HTTP] = "http",
};

static void
put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

/* Every instance whose tracks name (kind, name), with the weight used. */
static json_object *
feeds(const struct vrrp_router *r, enum conf_track_kind kind, const char *name)
{
	json_object *a = json_object_new_array(), *o;
	const struct checker_part *parts;
	size_t n;

	for (const struct vrrp_inst *vi = vrrp_router_first(r); vi != NULL;
	     vi = vrrp_router_next(vi)) {
		parts = vrrp_inst_breakdown(vi, &n);
		for (size_t i = 0; i < n; i++) {
			if (parts[i].kind != kind ||
			    strcmp(parts[i].name, name) != 0)
				continue;
			o = json_object_new_object();
			put(o, "instance", ctl_json_str(vrrp_inst_name(vi)));
			put(o, "weight", json_object_new_int(parts[i].weight));
			put(o, "reverse",
			    json_object_new_boolean(parts[i].reverse));
			json_object_array_add(a, o);
		}
	}
	return a;
}

static const char *
target(const struct conf_check *cc)
{
	switch (cc->kind) {
	case CONF_CHECK_TCP:
		return cc->connect;
	case CONF_CHECK_HTTP:
		return cc->url;
	default:
		return cc->script.cmd;
	}
}

static json_object *
one_check(const struct vrrp_router *r, const struct vrrp_check_view *v,
    uint64_t now)
{
	const struct conf_check *cc = v->cc;
	json_object *o = json_object_new_object();
	const struct checker_outcome *last = NULL;
	uint64_t runs = 0, failures = 0, changed = 0;
	char detail[96];

	if (v->chk != NULL) {
		runs = checker_runs(v->chk, &failures);
		last = runs > 0 ? checker_last(v->chk) : NULL;
		changed = checker_changed_us(v->chk);
	}
	put(o, "name", ctl_json_str(cc->name));
	put(o, "kind",
	    ctl_json_str(
		(unsigned int)cc->kind < 3 ? check_kinds[cc->kind] : "?"));
	put(o, "target", ctl_json_str(target(cc)));
	put(o, "state",
	    ctl_json_str(v->chk == NULL ? "unused" :
		    checker_up(v->chk)	? "up" :
					  "down"));
	put(o, "result",
	    last != NULL ? ctl_json_str(checker_result_name(last->result)) :
			   NULL);
	put(o, "detail",
	    last != NULL ? ctl_json_str(checker_outcome_format(last, detail,
			       sizeof(detail))) :
			   NULL);
	put(o, "latency_us",
	    last != NULL ? ctl_json_u64(last->latency_us) : NULL);
	put(o, "interval_ms", ctl_json_u64(cc->interval_ms));
	put(o, "rise", ctl_json_u64(cc->rise));
	put(o, "fall", ctl_json_u64(cc->fall));
	put(o, "run",
	    v->chk != NULL ? ctl_json_u64(checker_state(v->chk)->run) : NULL);
	put(o, "runs", ctl_json_u64(runs));
	put(o, "failures", ctl_json_u64(failures));
	put(o, "last_change_ago_ms",
	    changed > 0 && now >= changed ?
		ctl_json_u64((now - changed) / 1000) :
		NULL);
	put(o, "feeds", feeds(r, CONF_TRACK_CHECK, cc->name));
	return o;
}

json_object *
daemon_ctl_checks(const struct vrrp_router *r)
{
	json_object *a = json_object_new_array();
	struct vrrp_check_view v;
	uint64_t now = util_now_us();

	for (size_t i = 0; i < vrrp_router_nchecks(r); i++) {
		vrrp_router_check_view(r, i, &v);
		json_object_array_add(a, one_check(r, &v, now));
	}
	return a;
}

static json_object *
tracker(const struct vrrp_router *r, enum conf_track_kind kind,
    const char *name, const char *state, json_object *value)
{
	json_object *o = json_object_new_object();

	put(o, "kind", ctl_json_str(ctl_track_kind_name(kind)));
	put(o, "name", ctl_json_str(name));
	put(o, "state", ctl_json_str(state));
	put(o, "value", value);
	put(o, "feeds", feeds(r, kind, name));
	return o;
}

/* Tracked interfaces, once each, with their state as last seen. */
static void
interfaces(const struct vrrp_router *r, json_object *a)
{
	const struct checker_part *parts, *p2;
	const struct vrrp_inst *v2;
	size_t n, n2;
	bool seen;

	for (const struct vrrp_inst *vi = vrrp_router_first(r); vi != NULL;
	     vi = vrrp_router_next(vi)) {
		parts = vrrp_inst_breakdown(vi, &n);
		for (size_t i = 0; i < n; i++) {
			if (parts[i].kind != CONF_TRACK_IFACE)
				continue;
			seen = false;
			for (v2 = vrrp_router_first(r); v2 != vi && !seen;
			     v2 = vrrp_router_next(v2)) {
				p2 = vrrp_inst_breakdown(v2, &n2);
				for (size_t k = 0; k < n2; k++)
					seen |=
					    p2[k].kind == CONF_TRACK_IFACE &&
					    strcmp(p2[k].name, parts[i].name) ==
						0;
			}
			for (size_t k = 0; k < i; k++)
				seen |= parts[k].kind == CONF_TRACK_IFACE &&
				    strcmp(parts[k].name, parts[i].name) == 0;
			if (!seen)
				json_object_array_add(a,
				    tracker(r, CONF_TRACK_IFACE, parts[i].name,
					parts[i].up ? "up" : "down", NULL));
		}
	}
}

json_object *
daemon_ctl_trackers(const struct vrrp_router *r)
{
	const struct conf *conf = vrrp_router_conf(r);
	json_object *a = json_object_new_array();
	unsigned int count;
	long value;
	bool up;

	interfaces(r, a);
	for (size_t i = 0; conf != NULL && i < conf->ntrack_files; i++) {
		const char *name = conf->track_files[i].name;
		bool ok = vrrp_router_file_value(r, name, &value) == 0;

		json_object_array_add(a,
		    tracker(r, CONF_TRACK_FILE, name,
			!ok	       ? NULL :
			    value == 0 ? "up" :
					 "down",
			ok ? json_object_new_int64(value) : NULL));
	}
	for (size_t i = 0; conf != NULL && i < conf->ntrack_procs; i++) {
		const char *name = conf->track_procs[i].name;
		bool ok = vrrp_router_proc_state(r, name, &up, &count) == 0;

		json_object_array_add(a,
		    tracker(r, CONF_TRACK_PROCESS, name,
			!ok    ? NULL :
			    up ? "up" :
				 "down",
			ok ? ctl_json_u64(count) : NULL));
	}
	return a;
}
