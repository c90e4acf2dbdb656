/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Prometheus text exposition (format 0.0.4) from the status, stats and
 * checks payloads: one family per metric with HELP and TYPE, states as
 * gauges, counters as counters ending in _total, times in seconds.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vrrpd/ctl.h"
#include "vrrpd/vrrp_fsm.h"

/* Member lookups that tolerate anything: NULL when missing. */
static json_object *
get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *
str(json_object *o, const char *key)
{
	json_object *v = get(o, key);

	return json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) :
	    "";
}

static size_t
len(json_object *a)
{
	return json_object_is_type(a, json_type_array) ?
	    json_object_array_length(a) :
	    0;
}

static json_object *
at(json_object *a, size_t i)
{
	return json_object_array_get_idx(a, i);
}

static void
family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value with \\, \" and \n escaped. */
static void
label(FILE *f, const char *key, const char *val, bool first)
{
	fprintf(f, "%s%s=\"", first ? "" : ",", key);
	for (const char *p = val; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void
num(FILE *f, json_object *v)
{
	if (json_object_is_type(v, json_type_double))
		fprintf(f, " %.17g\n", json_object_get_double(v));
	else if (json_object_is_type(v, json_type_boolean))
		fprintf(f, " %d\n", json_object_get_boolean(v) ? 1 : 0);
	else
		fprintf(f, " %lld\n", (long long)json_object_get_int64(v));
}

/* "NAME{instance=\"VI_1\"": a sample's start; more labels may follow. */
static void
inst_labels(FILE *f, const char *name, json_object *inst)
{
	fprintf(f, "%s{", name);
	label(f, "instance", str(inst, "name"), true);
}

/* A gauge per instance from one member (skipped when null). */
static void
inst_gauge(FILE *f, json_object *insts, const char *name, const char *help,
    const char *obj, const char *key)
{
	json_object *v;

	family(f, name, "gauge", help);
	for (size_t i = 0; i < len(insts); i++) {
		v = get(obj != NULL ? get(at(insts, i), obj) : at(insts, i),
		    key);
		if (v == NULL)
			continue;
		inst_labels(f, name, at(insts, i));
		fputs("}", f);
		num(f, v);
	}
}

static void
inst_states(FILE *f, json_object *insts)
{
	static const enum vrrp_state states[] = { VRRP_STATE_INIT,
		VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_STATE_FAULT };
	json_object *inst;

	family(f, "vrrpd_instance_state", "gauge",
	    "1 for the state the instance is in");
	for (size_t i = 0; i < len(insts); i++) {
		inst = at(insts, i);
		for (size_t s = 0; s < sizeof(states) / sizeof(states[0]);
		     s++) {
			inst_labels(f, "vrrpd_instance_state", inst);
			label(f, "state", vrrp_state_name(states[s]), false);
			fprintf(f, "} %d\n",
			    strcmp(str(inst, "state"),
				vrrp_state_name(states[s])) == 0);
		}
	}
	family(f, "vrrpd_instance_info", "gauge",
	    "the instance's interface, VRID, family and version");
	for (size_t i = 0; i < len(insts); i++) {
		inst = at(insts, i);
		inst_labels(f, "vrrpd_instance_info", inst);
		label(f, "interface", str(inst, "interface"), false);
		label(f, "vrid",
		    json_object_get_string(get(inst, "vrid")) ?: "", false);
		label(f, "family", str(inst, "family"), false);
		label(f, "version",
		    json_object_get_string(get(inst, "version")) ?: "", false);
		fputs("} 1\n", f);
	}
}

static void
inst_faults(FILE *f, json_object *insts)
{
	json_object *faults;

	family(f, "vrrpd_instance_fault", "gauge",
	    "1 for each fault reason that is set");
	for (size_t i = 0; i < len(insts); i++) {
		faults = get(at(insts, i), "faults");
		for (int r = 0; r < VRRP_FAULT_MAX; r++) {
			bool on = false;

			for (size_t k = 0; k < len(faults); k++)
				on |=
				    strcmp(
					json_object_get_string(at(faults, k)) ?:
					    "",
					vrrp_fault_name(r)) == 0;
			inst_labels(f, "vrrpd_instance_fault", at(insts, i));
			label(f, "reason", vrrp_fault_name(r), false);
			fprintf(f, "} %d\n", on);
		}
	}
}

static void
inst_vips(FILE *f, json_object *insts)
{
	json_object *vips, *vip;

	family(f, "vrrpd_instance_vip_present", "gauge",
	    "1 when the virtual address is on its interface");
	for (size_t i = 0; i < len(insts); i++) {
		vips = get(at(insts, i), "vips");
		for (size_t k = 0; k < len(vips); k++) {
			vip = at(vips, k);
			if (!json_object_is_type(get(vip, "present"),
				json_type_boolean))
				continue;
			inst_labels(f, "vrrpd_instance_vip_present",
			    at(insts, i));
			label(f, "address", str(vip, "address"), false);
			label(f, "interface", str(vip, "interface"), false);
			fputs("}", f);
			num(f, get(vip, "present"));
		}
	}
}

static void
inst_parts(FILE *f, json_object *insts, const char *name, const char *help,
    const char *key)
{
	json_object *parts, *p;

	family(f, name, "gauge", help);
	for (size_t i = 0; i < len(insts); i++) {
		parts = get(get(at(insts, i), "priority"), "parts");
		for (size_t k = 0; k < len(parts); k++) {
			p = at(parts, k);
			if (strcmp(key, "up") == 0 &&
			    strcmp(str(p, "kind"), "demote") == 0)
				continue;
			inst_labels(f, name, at(insts, i));
			label(f, "kind", str(p, "kind"), false);
			label(f, "name", str(p, "name"), false);
			fputs("}", f);
			num(f, get(p, key));
		}
	}
}

/* The ms member of each instance as seconds. */
static void
inst_seconds(FILE *f, json_object *insts, const char *name, const char *help,
    const char *key)
{
	json_object *v;

	family(f, name, "gauge", help);
	for (size_t i = 0; i < len(insts); i++) {
		if ((v = get(at(insts, i), key)) == NULL)
			continue;
		inst_labels(f, name, at(insts, i));
		fprintf(f, "} %.3f\n", (double)json_object_get_int64(v) / 1e3);
	}
}

/* The registry's session and findings (status "registry"; none: skip). */
static void
render_registry(FILE *f, json_object *status)
{
	static const struct {
		const char *key, *name, *type, *help;
	} plain[] = {
		{ "pending", "vrrpd_registry_pending_writes", "gauge",
		    "znode writes waiting or in flight" },
		{ "writes", "vrrpd_registry_writes_total", "counter",
		    "znode writes completed" },
		{ "write_errors", "vrrpd_registry_write_errors_total",
		    "counter", "znode writes refused" },
		{ "expiries", "vrrpd_registry_session_expiries_total",
		    "counter", "ZooKeeper sessions that expired" },
		{ "bad_znodes", "vrrpd_registry_bad_znodes_total", "counter",
		    "znode values that could not be decoded" },
		{ "split_brains", "vrrpd_registry_split_brains_total",
		    "counter", "split brains seen to start" },
		{ "collisions_now", "vrrpd_registry_collisions", "gauge",
		    "VRID collisions and mismatches now" },
		{ "weight_traps_now", "vrrpd_registry_weight_traps", "gauge",
		    "failing checks that leave their node the highest "
		    "priority now" },
	};
	json_object *reg = get(status, "registry"), *v, *insts;
	const char *state;

	if (reg == NULL)
		return;
	state = str(reg, "state");
	family(f, "vrrpd_registry_connected", "gauge",
	    "1 while a ZooKeeper session is connected");
	fprintf(f, "vrrpd_registry_connected{");
	label(f, "state", state != NULL ? state : "unknown", true);
	fprintf(f, "} %d\n", state != NULL && strcmp(state, "connected") == 0);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		if ((v = get(reg, plain[i].key)) == NULL)
			continue;
		family(f, plain[i].name, plain[i].type, plain[i].help);
		fputs(plain[i].name, f);
		num(f, v);
	}
	if ((v = get(reg, "last_publish_us")) != NULL) {
		family(f, "vrrpd_registry_last_publish_seconds", "gauge",
		    "from a state change to its znode written, the last one");
		fprintf(f, "vrrpd_registry_last_publish_seconds %.6f\n",
		    (double)json_object_get_int64(v) / 1e6);
	}
	insts = get(status, "instances");
	family(f, "vrrpd_registry_split_brain", "gauge",
	    "1 while the registry sees two or more masters of the instance");
	for (size_t i = 0; i < len(insts); i++) {
		if ((v = get(at(insts, i), "split_brain")) == NULL)
			continue;
		inst_labels(f, "vrrpd_registry_split_brain", at(insts, i));
		fputs("}", f);
		num(f, v);
	}
}

static void
render_status(FILE *f, json_object *status)
{
	json_object *d = get(status, "daemon"),
		    *insts = get(status, "instances");

	family(f, "vrrpd_build_info", "gauge", "the version of vrrpd");
	fputs("vrrpd_build_info{", f);
	label(f, "version", str(d, "version"), true);
	fputs("} 1\n", f);
	family(f, "vrrpd_uptime_seconds", "gauge", "time since vrrpd started");
	fprintf(f, "vrrpd_uptime_seconds %.3f\n",
	    (double)json_object_get_int64(get(d, "uptime_ms")) / 1e3);
	family(f, "vrrpd_config_last_reload_successful", "gauge",
	    "1 when the last reload was applied (or there was none)");
	fprintf(f, "vrrpd_config_last_reload_successful %d\n",
	    get(get(d, "last_reload"), "ok") == NULL ||
		json_object_get_boolean(get(get(d, "last_reload"), "ok")));
	inst_states(f, insts);
	inst_gauge(f, insts, "vrrpd_instance_priority",
	    "effective priority, after tracking and demotion", "priority",
	    "effective");
	inst_gauge(f, insts, "vrrpd_instance_base_priority",
	    "configured priority", "priority", "base");
	inst_gauge(f, insts, "vrrpd_instance_master_priority",
	    "priority of the current master, when one is known", "master",
	    "priority");
	inst_seconds(f, insts, "vrrpd_instance_state_duration_seconds",
	    "time in the current state", "in_state_ms");
	inst_seconds(f, insts, "vrrpd_instance_master_down_seconds",
	    "time left on Master_Down_Timer (backup)", "master_down_in_ms");
	family(f, "vrrpd_instance_demoted", "gauge",
	    "1 while demoted by vrrpctl demote");
	for (size_t i = 0; i < len(insts); i++) {
		inst_labels(f, "vrrpd_instance_demoted", at(insts, i));
		fprintf(f, "} %d\n", get(at(insts, i), "demoted") != NULL);
	}
	inst_faults(f, insts);
	inst_vips(f, insts);
	inst_parts(f, insts, "vrrpd_track_contribution",
	    "what a tracked object adds to the priority", "contrib");
	inst_parts(f, insts, "vrrpd_track_up", "1 while a tracked object is up",
	    "up");
}

/* Counters: vrrpd_<metric>_total per instance. */
static const struct {
	const char *key, *metric;
} counter_metrics[] = {
	{ "advert_rcvd", "vrrpd_adverts_received_total" },
	{ "advert_sent", "vrrpd_adverts_sent_total" },
	{ "become_master", "vrrpd_become_master_total" },
	{ "release_master", "vrrpd_release_master_total" },
	{ "pri_zero_rcvd", "vrrpd_priority_zero_received_total" },
	{ "pri_zero_sent", "vrrpd_priority_zero_sent_total" },
	{ "garp_sent", "vrrpd_gratuitous_arps_sent_total" },
	{ "na_sent", "vrrpd_neighbour_advertisements_sent_total" },
	{ "send_errors", "vrrpd_send_errors_total" },
	{ "answers_suppressed", "vrrpd_answers_suppressed_total" },
	{ "pri_zero_ignored", "vrrpd_priority_zero_ignored_total" },
};

static bool
is_rx_error(const char *key)
{
	for (size_t i = 0;
	     i < sizeof(counter_metrics) / sizeof(counter_metrics[0]); i++)
		if (strcmp(key, counter_metrics[i].key) == 0)
			return false;
	return true;
}

static void
render_rx_errors(FILE *f, json_object *insts, json_object *router)
{
	family(f, "vrrpd_receive_errors_total", "counter",
	    "adverts dropped by an instance, by kind (keepalived's names)");
	for (size_t i = 0; i < len(insts); i++) {
		json_object *ctrs = get(at(insts, i), "counters");

		if (!json_object_is_type(ctrs, json_type_object))
			continue;
		json_object_object_foreach(ctrs, k, v)
		{
			if (!is_rx_error(k))
				continue;
			inst_labels(f, "vrrpd_receive_errors_total",
			    at(insts, i));
			label(f, "kind", k, false);
			fputs("}", f);
			num(f, v);
		}
	}
	family(f, "vrrpd_router_receive_errors_total", "counter",
	    "packets no instance took, by kind");
	if (json_object_is_type(router, json_type_object)) {
		json_object_object_foreach(router, k, v)
		{
			fputs("vrrpd_router_receive_errors_total{", f);
			label(f, "kind", k, true);
			fputs("}", f);
			num(f, v);
		}
	}
}

static void
render_stats(FILE *f, json_object *stats)
{
	json_object *insts = get(stats, "instances"),
		    *loop = get(stats, "loop");
	const char *help;

	for (size_t c = 0;
	     c < sizeof(counter_metrics) / sizeof(counter_metrics[0]); c++) {
		help =
		    str(get(get(stats, "counter_info"), counter_metrics[c].key),
			"help");
		family(f, counter_metrics[c].metric, "counter",
		    *help != '\0' ? help : counter_metrics[c].key);
		for (size_t i = 0; i < len(insts); i++) {
			inst_labels(f, counter_metrics[c].metric, at(insts, i));
			fputs("}", f);
			num(f,
			    get(get(at(insts, i), "counters"),
				counter_metrics[c].key));
		}
	}
	render_rx_errors(f, insts, get(get(stats, "router"), "counters"));
	family(f, "vrrpd_event_loop_lag_seconds", "gauge",
	    "how late the 1 s event loop probe fired last");
	fprintf(f, "vrrpd_event_loop_lag_seconds %.6f\n",
	    (double)json_object_get_int64(get(loop, "lag_last_us")) / 1e6);
	family(f, "vrrpd_event_loop_lag_max_seconds", "gauge",
	    "the highest event loop lag since start or the last clear");
	fprintf(f, "vrrpd_event_loop_lag_max_seconds %.6f\n",
	    (double)json_object_get_int64(get(loop, "lag_max_us")) / 1e6);
}

static void
check_labels(FILE *f, const char *name, json_object *c)
{
	fprintf(f, "%s{", name);
	label(f, "check", str(c, "name"), true);
	label(f, "kind", str(c, "kind"), false);
	fputs("}", f);
}

static void
render_checks(FILE *f, json_object *checks)
{
	json_object *cs = get(checks, "checks"), *ts = get(checks, "trackers");
	json_object *c;

	family(f, "vrrpd_check_up", "gauge",
	    "1 while the check is up; unused checks are not listed");
	for (size_t i = 0; i < len(cs); i++)
		if (strcmp(str(at(cs, i), "state"), "unused") != 0) {
			check_labels(f, "vrrpd_check_up", at(cs, i));
			fprintf(f, " %d\n",
			    strcmp(str(at(cs, i), "state"), "up") == 0);
		}
	family(f, "vrrpd_check_latency_seconds", "gauge",
	    "how long the last run of the check took");
	for (size_t i = 0; i < len(cs); i++)
		if ((c = get(at(cs, i), "latency_us")) != NULL) {
			check_labels(f, "vrrpd_check_latency_seconds",
			    at(cs, i));
			fprintf(f, " %.6f\n",
			    (double)json_object_get_int64(c) / 1e6);
		}
	family(f, "vrrpd_check_runs_total", "counter", "runs of the check");
	for (size_t i = 0; i < len(cs); i++) {
		check_labels(f, "vrrpd_check_runs_total", at(cs, i));
		num(f, get(at(cs, i), "runs"));
	}
	family(f, "vrrpd_check_failures_total", "counter",
	    "failed runs of the check");
	for (size_t i = 0; i < len(cs); i++) {
		check_labels(f, "vrrpd_check_failures_total", at(cs, i));
		num(f, get(at(cs, i), "failures"));
	}
	family(f, "vrrpd_tracker_up", "gauge",
	    "1 while a tracked interface, file or process set is up");
	for (size_t i = 0; i < len(ts); i++) {
		fputs("vrrpd_tracker_up{", f);
		label(f, "kind", str(at(ts, i), "kind"), true);
		label(f, "name", str(at(ts, i), "name"), false);
		fprintf(f, "} %d\n",
		    strcmp(str(at(ts, i), "state"), "up") == 0);
	}
}

char *
ctl_metrics_render(json_object *status, json_object *stats, json_object *checks,
    size_t *lenp)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &n)) == NULL)
		return NULL;
	if (status != NULL) {
		render_status(f, status);
		render_registry(f, status);
	}
	if (stats != NULL)
		render_stats(f, stats);
	if (checks != NULL)
		render_checks(f, checks);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*lenp = n;
	return buf;
}
