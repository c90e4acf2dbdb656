/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The native YAML schema (man/vrrpd.yaml.5) as tables, and the named blocks
 * (instances: NAME: {...}). Key names are keepalived's where one exists;
 * ranges are the keepalived front end's, so a model valid in one syntax
 * reads back in the other.
 */

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_priv.h"

/*
 * Entries are { F(key, type, struct, field), extras }: the macros leave the
 * braces to the table so that each key stays on one line.
 */
#define F(k, t, T, f)                                   \
	.key = (k), .type = (t), .off = offsetof(T, f), \
	.size = sizeof(((T *)0)->f)
#define CUSTOM(k, id)	  .key = (k), .type = Y_CUSTOM, .custom = (id)
#define RANGE(lo, hi)	  .min = (lo), .max = (hi)
#define SECS(s)		  .max = 1000LL * (s), .scale = 1000 /* in ms, at most s */
#define OWN(bit)	  .own = CONF_OWN_##bit
#define SUBMAP(k, fields) .key = (k), .type = Y_MAP, .sub = (fields)

#define CHK_KINDS (YF_SCRIPT | YF_TCP | YF_HTTP)

static const struct ys_name state_names[] = {
	{ "backup", CONF_STATE_BACKUP },
	{ "master", CONF_STATE_MASTER },
	{ NULL, 0 },
};

static const struct ys_name csum_names[] = {
	{ "pseudo_header", VRRP_CSUM_PSEUDO },
	{ "message_only", VRRP_CSUM_MSG_ONLY },
	{ NULL, 0 },
};

static const struct ys_name auth_names[] = {
	{ "none", VRRP_AUTH_NONE },
	{ "pass", VRRP_AUTH_PASS },
	{ "ah", VRRP_AUTH_AH },
	{ NULL, 0 },
};

static const struct ys_name kind_names[] = {
	{ "script", CONF_CHECK_SCRIPT },
	{ "tcp", CONF_CHECK_TCP },
	{ "http", CONF_CHECK_HTTP },
	{ NULL, 0 },
};

static const char *const methods[] = { "GET", "HEAD", NULL };
static const char *const param_matches[] = { "initial", "partial", NULL };

#define GA struct conf_garp
static const struct ys_field garp_fields[] = {
	{ F("master_delay", Y_DUR, GA, master_delay_ms), SECS(3600),
	    OWN(GARP_MASTER_DELAY) },
	{ F("master_repeat", Y_INT, GA, master_repeat), RANGE(1, 255),
	    OWN(GARP_MASTER_REPEAT) },
	{ F("master_refresh", Y_DUR, GA, master_refresh_ms), SECS(86400),
	    OWN(GARP_MASTER_REFRESH) },
	{ F("master_refresh_repeat", Y_INT, GA, master_refresh_repeat),
	    RANGE(1, 255), OWN(GARP_MASTER_REFRESH_REPEAT) },
	{ F("lower_prio_delay", Y_DUR, GA, lower_prio_delay_ms), SECS(3600),
	    OWN(GARP_LOWER_PRIO_DELAY) },
	{ F("lower_prio_repeat", Y_INT, GA, lower_prio_repeat), RANGE(0, 255),
	    OWN(GARP_LOWER_PRIO_REPEAT) },
	{ F("interval", Y_DUR, GA, interval_ms), SECS(60), OWN(GARP_INTERVAL) },
	{ F("na_interval", Y_DUR, GA, na_interval_ms), SECS(60),
	    OWN(NA_INTERVAL) },
	{ .key = NULL },
};

#define NO struct conf_notify
static const struct ys_field notify_fields[] = {
	{ F("master", Y_CMD, NO, master) },
	{ F("backup", Y_CMD, NO, backup) },
	{ F("fault", Y_CMD, NO, fault) },
	{ F("stop", Y_CMD, NO, stop) },
	{ F("any", Y_CMD, NO, any) },
	{ .key = NULL },
};

#define GL struct conf_global
static const struct ys_field global_fields[] = {
	{ F("router_id", Y_STR, GL, router_id) },
	{ F("script_user", Y_STR, GL, script_user) },
	{ F("script_group", Y_STR, GL, script_group) },
	{ F("script_security", Y_BOOL, GL, script_security) },
	{ F("vrrp_version", Y_INT, GL, vrrp_version), RANGE(2, 3) },
	{ F("mcast_group4", Y_ADDR, GL, mcast_group4), .min = AF_INET },
	{ F("mcast_group6", Y_ADDR, GL, mcast_group6), .min = AF_INET6 },
	{ F("startup_delay", Y_DUR, GL, startup_delay_ms), SECS(3600) },
	{ F("strict", Y_BOOL, GL, strict) },
	{ F("skip_check_adv_addr", Y_BOOL, GL, skip_check_adv_addr) },
	{ F("check_unicast_src", Y_BOOL, GL, check_unicast_src) },
	{ F("lower_prio_no_advert", Y_BOOL, GL, lower_prio_no_advert) },
	{ F("higher_prio_send_advert", Y_BOOL, GL, higher_prio_send_advert) },
	{ F("owner_ignore_adverts", Y_BOOL, GL, owner_ignore_adverts) },
	{ F("down_timer_adverts", Y_INT, GL, down_timer_adverts),
	    RANGE(1, 100) },
	{ F("dynamic_interfaces", Y_BOOL, GL, dynamic_interfaces) },
	{ F("lvs_elsewhere", Y_BOOL, GL, lvs_elsewhere) },
	{ F("net_namespace", Y_STR, GL, net_namespace) },
	{ F("default_interface", Y_STR, GL, default_interface) },
	{ F("vmac_prefix", Y_STR, GL, vmac_prefix) },
	{ F("notify_fifo", Y_STR, GL, notify_fifo) },
	{ F("vrrp_notify_fifo", Y_STR, GL, vrrp_notify_fifo) },
	{ F("notify_fifo_script", Y_CMD, GL, notify_fifo_script) },
	{ F("vrrp_notify_fifo_script", Y_CMD, GL, vrrp_notify_fifo_script) },
	{ F("notify_priority_changes", Y_BOOL, GL, notify_priority_changes) },
	{ F("control_socket", Y_STR, GL, control_socket) },
	{ F("control_group", Y_STR, GL, control_group) },
	{ F("control_group_write", Y_BOOL, GL, control_group_write) },
	{ F("metrics_listen", Y_STR, GL, metrics_listen) },
	{ F("garp", Y_MAP, GL, garp), .sub = garp_fields },
	{ .key = NULL },
};

/* path and session_timeout are always written: a dump shows the defaults. */
#define RG struct conf_registry
static const struct ys_field registry_fields[] = {
	{ F("servers", Y_STR, RG, servers) },
	{ F("path", Y_STR, RG, path), .flags = YF_ALWAYS },
	{ F("session_timeout", Y_DUR, RG, session_timeout_ms), SECS(86400),
	    .flags = YF_ALWAYS },
	{ F("auth_file", Y_STR, RG, auth_file) },
	{ F("notify_split_brain", Y_CMD, RG, notify_split_brain) },
	{ F("zookeeper", Y_STR, RG, servers), .alias_of = "servers" },
	{ .key = NULL },
};

/* The four object keys come first: a track entry names exactly one. */
#define TR struct conf_track
static const struct ys_field track_fields[] = {
	{ CUSTOM("check", YC_TRACK_OBJ), .min = CONF_TRACK_CHECK },
	{ CUSTOM("interface", YC_TRACK_OBJ), .min = CONF_TRACK_IFACE },
	{ CUSTOM("file", YC_TRACK_OBJ), .min = CONF_TRACK_FILE },
	{ CUSTOM("process", YC_TRACK_OBJ), .min = CONF_TRACK_PROCESS },
	{ F("weight", Y_INT, TR, weight), RANGE(-253, 253),
	    .has = offsetof(TR, has_weight) },
	{ F("reverse", Y_BOOL, TR, reverse) },
	{ .key = NULL },
};

#define VI struct conf_vip
static const struct ys_field vip_fields[] = {
	{ CUSTOM("address", YC_VIP_ADDR) },
	{ F("dev", Y_CHARS, VI, dev) },
	{ F("label", Y_CHARS, VI, label) },
	{ CUSTOM("scope", YC_VIP_SCOPE) },
	{ CUSTOM("broadcast", YC_VIP_BRD) },
	{ CUSTOM("preferred_lft", YC_VIP_LFT) },
	{ F("nodad", Y_BOOL, VI, nodad) },
	{ F("no_track", Y_BOOL, VI, no_track) },
	{ .key = NULL },
};

#define PE struct conf_peer
static const struct ys_field peer_fields[] = {
	{ F("address", Y_ADDR, PE, addr) },
	{ F("min_ttl", Y_INT, PE, min_ttl), RANGE(0, 255) },
	{ F("max_ttl", Y_INT, PE, max_ttl), RANGE(0, 255) },
	{ .key = NULL },
};

#define VM struct conf_vmac
static const struct ys_field vmac_fields[] = {
	{ F("name", Y_CHARS, VM, name), .has = offsetof(VM, named) },
	{ F("address", Y_STR, VM, mac_text) },
	{ F("xmit_base", Y_BOOL, VM, xmit_base) },
	{ .key = NULL },
};

#define IN struct conf_instance
static const struct ys_field auth_fields[] = {
	{ F("type", Y_ENUM, IN, auth_type), .sub = auth_names },
	{ F("password", Y_CHARS, IN, auth_pass) },
	{ .key = NULL },
};

static const struct ys_field instance_fields[] = {
	{ F("interface", Y_CHARS, IN, interface) },
	{ F("vrid", Y_INT, IN, vrid), RANGE(1, 255) },
	{ F("version", Y_INT, IN, version), RANGE(2, 3), OWN(VERSION) },
	{ F("priority", Y_INT, IN, priority), RANGE(1, 255) },
	/* In centiseconds, at most keepalived's 255 s (VRRPv2). */
	{ F("advert_interval", Y_DUR, IN, adver_int_cs), .max = 25500,
	    .scale = 10000 },
	{ F("state", Y_ENUM, IN, state), .sub = state_names },
	{ F("preempt", Y_BOOL, IN, preempt) },
	{ F("preempt_delay", Y_DUR, IN, preempt_delay_ms), SECS(1000) },
	{ F("accept", Y_BOOL, IN, accept), OWN(ACCEPT) },
	{ F("down_timer_adverts", Y_INT, IN, down_timer_adverts), RANGE(1, 100),
	    OWN(DOWN_TIMER_ADVERTS) },
	{ F("lower_prio_no_advert", Y_BOOL, IN, lower_prio_no_advert),
	    OWN(LOWER_PRIO_NO_ADVERT) },
	{ F("higher_prio_send_advert", Y_BOOL, IN, higher_prio_send_advert),
	    OWN(HIGHER_PRIO_SEND_ADVERT) },
	{ F("owner_ignore_adverts", Y_BOOL, IN, owner_ignore_adverts),
	    OWN(OWNER_IGNORE_ADVERTS) },
	{ F("skip_check_adv_addr", Y_BOOL, IN, skip_check_adv_addr),
	    OWN(SKIP_CHECK_ADV_ADDR) },
	{ F("check_unicast_src", Y_BOOL, IN, check_unicast_src),
	    OWN(CHECK_UNICAST_SRC) },
	{ F("unicast_fault_no_peer", Y_BOOL, IN, unicast_fault_no_peer) },
	{ F("dont_track_primary", Y_BOOL, IN, dont_track_primary) },
	{ F("strict", Y_BOOL, IN, strict), OWN(STRICT) },
	{ F("checksum", Y_ENUM, IN, csum_mode), .sub = csum_names },
	{ SUBMAP("authentication", auth_fields) },
	{ F("source", Y_ADDR, IN, src), .has = offsetof(IN, has_src) },
	{ CUSTOM("unicast_peers", YC_PEERS), .sub = peer_fields },
	{ F("unicast_ttl", Y_INT, IN, unicast_ttl), RANGE(1, 255) },
	{ CUSTOM("virtual_ipaddress", YC_VIPS), .sub = vip_fields },
	{ CUSTOM("virtual_ipaddress_excluded", YC_VIPS_EXCL),
	    .sub = vip_fields },
	{ CUSTOM("virtual_routes", YC_ROUTES) },
	{ CUSTOM("virtual_rules", YC_RULES) },
	{ CUSTOM("track", YC_TRACKS_INST), .sub = track_fields },
	{ F("notify", Y_MAP, IN, notify), .sub = notify_fields },
	{ F("notify_priority_changes", Y_BOOL, IN, notify_priority_changes),
	    OWN(NOTIFY_PRIORITY_CHANGES) },
	{ F("garp", Y_MAP, IN, garp), .sub = garp_fields },
	{ F("vmac", Y_MAP, IN, vmac), .sub = vmac_fields,
	    .has = offsetof(IN, vmac.on), .at = offsetof(IN, vmac.loc) },
	{ .key = NULL },
};

/* "type" is first: its bit in struct ys_seen is bit 0. */
#define CH struct conf_check
static const struct ys_field check_fields[] = {
	{ F("type", Y_ENUM, CH, kind), .sub = kind_names, .flags = YF_ALWAYS },
	{ F("interval", Y_DUR, CH, interval_ms), SECS(86400) },
	{ F("timeout", Y_DUR, CH, timeout_ms), SECS(86400) },
	{ F("rise", Y_INT, CH, rise), RANGE(1, 1000) },
	{ F("fall", Y_INT, CH, fall), RANGE(1, 1000) },
	{ F("weight", Y_INT, CH, weight), RANGE(-253, 253) },
	{ F("reverse", Y_BOOL, CH, reverse) },
	{ F("init_fail", Y_BOOL, CH, init_fail) },
	{ F("command", Y_STR, CH, script.cmd), .flags = YF_SCRIPT },
	{ F("user", Y_STR, CH, script.user), .flags = YF_SCRIPT },
	{ F("group", Y_STR, CH, script.group), .flags = YF_SCRIPT },
	{ F("connect", Y_STR, CH, connect), .flags = YF_TCP },
	{ F("bind", Y_ADDR, CH, bind), .has = offsetof(CH, has_bind),
	    .flags = YF_TCP | YF_HTTP },
	{ F("url", Y_STR, CH, url), .flags = YF_HTTP },
	{ F("method", Y_WORD, CH, method), .sub = methods, .flags = YF_HTTP },
	{ CUSTOM("expect_status", YC_STATUS), .flags = YF_HTTP },
	{ F("expect_body", Y_STR, CH, expect_body), .flags = YF_HTTP },
	{ F("host", Y_STR, CH, host), .flags = YF_HTTP },
	{ F("ca_file", Y_STR, CH, ca_file), .flags = YF_HTTP },
	{ F("tls_verify", Y_BOOL, CH, tls_verify), .flags = YF_HTTP },
	{ F("max_size", Y_INT, CH, max_size), RANGE(0, UINT32_MAX),
	    .flags = YF_HTTP },
	{ .key = NULL },
};

#define TF struct conf_track_file
static const struct ys_field init_file_fields[] = {
	{ F("value", Y_INT, TF, init_value), RANGE(INT_MIN, INT_MAX) },
	{ F("overwrite", Y_BOOL, TF, init_overwrite) },
	{ .key = NULL },
};

static const struct ys_field track_file_fields[] = {
	{ F("path", Y_STR, TF, path) },
	{ F("weight", Y_INT, TF, weight), RANGE(-253, 253) },
	{ F("reverse", Y_BOOL, TF, reverse) },
	{ SUBMAP("init_file", init_file_fields),
	    .has = offsetof(TF, has_init) },
	{ .key = NULL },
};

#define TP struct conf_track_process
static const struct ys_field track_proc_fields[] = {
	{ F("process", Y_STR, TP, process) },
	{ F("param_match", Y_WORD, TP, param_match), .sub = param_matches },
	{ F("params", Y_STR, TP, params) },
	{ F("full_command", Y_BOOL, TP, full_command) },
	{ F("weight", Y_INT, TP, weight), RANGE(-253, 253) },
	{ F("reverse", Y_BOOL, TP, reverse) },
	{ F("quorum", Y_INT, TP, quorum), RANGE(1, 65535) },
	/* Not written: CONF_QUORUM_MAX_NONE, no maximum. */
	{ F("quorum_max", Y_INT, TP, quorum_max), RANGE(0, 65535) },
	{ F("fork_delay", Y_DUR, TP, delay_ms), SECS(3600) },
	{ F("terminate_delay", Y_DUR, TP, terminate_delay_ms), SECS(3600) },
	{ .key = NULL },
};

#define SG struct conf_sync_group
static const struct ys_field sync_group_fields[] = {
	{ CUSTOM("members", YC_MEMBERS) },
	{ CUSTOM("track", YC_TRACKS_GROUP), .sub = track_fields },
	{ F("notify", Y_MAP, SG, notify), .sub = notify_fields },
	{ F("tracking_weight", Y_BOOL, SG, tracking_weight) },
	{ .key = NULL },
};

/* ---- named blocks ---- */

static void *
add_instance(struct conf *conf, const struct conf_loc *loc, const char *name)
{
	return conf_add_instance(conf, loc, name);
}

static void *
add_check(struct conf *conf, const struct conf_loc *loc, const char *name)
{
	/* The kind follows from "type", wherever it is in the mapping. */
	return conf_add_check(conf, loc, name, CONF_CHECK_SCRIPT);
}

static void *
add_track_file(struct conf *conf, const struct conf_loc *loc, const char *name)
{
	return conf_add_track_file(conf, loc, name);
}

static void *
add_track_proc(struct conf *conf, const struct conf_loc *loc, const char *name)
{
	return conf_add_track_process(conf, loc, name);
}

static void *
add_sync_group(struct conf *conf, const struct conf_loc *loc, const char *name)
{
	return conf_add_sync_group(conf, loc, name);
}

static void
check_done(struct ys *ys, void *elem, const struct ys_seen *seen)
{
	static const unsigned int kind_flag[] = {
		[CONF_CHECK_SCRIPT] = YF_SCRIPT,
		[CONF_CHECK_TCP] = YF_TCP,
		[CONF_CHECK_HTTP] = YF_HTTP,
	};
	const struct conf_check *c = elem;

	if (!(seen->mask & 1))
		ys_error(ys, &c->loc, CONF_ERROR,
		    "%s: missing key 'type' (script, tcp or http)",
		    ys_path(ys));
	if (!(seen->ok & 1))
		return;
	for (size_t i = 0; check_fields[i].key != NULL; i++)
		if ((seen->mask & (1ull << i)) &&
		    (check_fields[i].flags & CHK_KINDS) != 0 &&
		    (check_fields[i].flags & kind_flag[c->kind]) == 0)
			ys_error(ys, &seen->locs[i], CONF_WARNING,
			    "%s.%s: not used by %s checks", ys_path(ys),
			    check_fields[i].key, kind_names[c->kind].name);
}

#define NAMED(T, field, cnt)                                                  \
	.arr = offsetof(struct conf, field), .n = offsetof(struct conf, cnt), \
	.size = sizeof(T), .name = offsetof(T, name)

static const struct ys_named named_instances = {
	NAMED(struct conf_instance, instances, ninstances),
	.add = add_instance,
	.fields = instance_fields,
	.instance = true,
};
static const struct ys_named named_checks = {
	NAMED(struct conf_check, checks, nchecks),
	.add = add_check,
	.fields = check_fields,
	.done = check_done,
};
static const struct ys_named named_track_files = {
	NAMED(struct conf_track_file, track_files, ntrack_files),
	.add = add_track_file,
	.fields = track_file_fields,
};
static const struct ys_named named_track_procs = {
	NAMED(struct conf_track_process, track_procs, ntrack_procs),
	.add = add_track_proc,
	.fields = track_proc_fields,
};
static const struct ys_named named_sync_groups = {
	NAMED(struct conf_sync_group, sync_groups, nsync_groups),
	.add = add_sync_group,
	.fields = sync_group_fields,
};

/* named_find() reads an element's conf_loc at its start. */
_Static_assert(offsetof(struct conf_instance, loc) == 0, "loc first");
_Static_assert(offsetof(struct conf_check, loc) == 0, "loc first");
_Static_assert(offsetof(struct conf_track_file, loc) == 0, "loc first");
_Static_assert(offsetof(struct conf_track_process, loc) == 0, "loc first");
_Static_assert(offsetof(struct conf_sync_group, loc) == 0, "loc first");

const struct ys_field ys_root[] = {
	{ F("global", Y_MAP, struct conf, global), .sub = global_fields },
	{ F("registry", Y_MAP, struct conf, global.registry),
	    .sub = registry_fields,
	    .at = offsetof(struct conf, global.registry.loc) },
	{ CUSTOM("checks", YC_CHECKS), .sub = &named_checks },
	{ CUSTOM("track_files", YC_TRACK_FILES), .sub = &named_track_files },
	{ CUSTOM("track_processes", YC_TRACK_PROCS),
	    .sub = &named_track_procs },
	{ CUSTOM("sync_groups", YC_SYNC_GROUPS), .sub = &named_sync_groups },
	{ CUSTOM("instances", YC_INSTANCES), .sub = &named_instances },
	{ CUSTOM("static_ipaddress", YC_STATIC_ADDRS), .sub = vip_fields },
	{ CUSTOM("static_routes", YC_STATIC_ROUTES) },
	{ CUSTOM("static_rules", YC_STATIC_RULES) },
	{ .key = NULL },
};

/* Names are unique per block: the element already named so, or NULL. */
static const struct conf_loc *
named_find(const struct conf *conf, const struct ys_named *nd, const char *name)
{
	const char *arr, *e, *ename;
	size_t n;

	memcpy(&arr, (const char *)conf + nd->arr, sizeof(arr));
	memcpy(&n, (const char *)conf + nd->n, sizeof(n));
	for (size_t i = 0; i < n; i++) {
		e = arr + i * nd->size;
		memcpy(&ename, e + nd->name, sizeof(ename));
		if (strcmp(ename, name) == 0)
			return (const struct conf_loc *)(const void *)e;
	}
	return NULL;
}

/* The name of a named block's entry, copied; NULL when reported. */
static char *
named_key(struct ys *ys, const struct ys_named *nd)
{
	const struct conf_loc *prev;
	const char *key;

	if (ys->ev.type != YAML_SCALAR_EVENT || ys_is_null(ys)) {
		ys_expected(ys, "a name");
		return NULL;
	}
	if ((key = ys_scalar(ys, "a name")) == NULL)
		return NULL;
	if (*key == '\0')
		ys_expected(ys, "a name");
	else if ((prev = named_find(ys->conf, nd, key)) != NULL)
		ys_error(ys, NULL, CONF_ERROR,
		    "duplicate key '%s' in %s (first at line %u)", key,
		    ys_path(ys), prev->line);
	else
		return conf_strdup(key);
	return NULL;
}

static void
named_entry(struct ys *ys, const struct ys_named *nd)
{
	struct conf_loc loc = ys_loc(ys);
	struct ys_seen seen;
	char *name = named_key(ys, nd);
	void *elem = NULL;
	size_t mark;

	mark = ys_path_key(ys, name != NULL ? name : "?");
	if (ys_next(ys)) {
		/* An alias (reported) adds nothing: no follow-up messages. */
		if (name != NULL && ys->ev.type != YAML_ALIAS_EVENT)
			elem = nd->add(ys->conf, &loc, name);
		if (elem == NULL)
			ys_skip(ys);
		else {
			ys->inst = nd->instance ? elem : NULL;
			ys_map(ys, nd->fields, elem, &seen);
			ys->inst = NULL;
			if (nd->done != NULL)
				nd->done(ys, elem, &seen);
		}
	}
	ys_path_pop(ys, mark);
	free(name);
}

bool
ys_parse_named(struct ys *ys, const struct ys_field *f, void *obj)
{
	(void)obj;
	if (ys_is_null(ys))
		return true;
	if (ys->ev.type != YAML_MAPPING_START_EVENT) {
		ys_expected(ys, "a mapping of names");
		return false;
	}
	ys->depth++;
	while (ys_next(ys) && ys->ev.type != YAML_MAPPING_END_EVENT)
		named_entry(ys, f->sub);
	ys->depth--;
	return true;
}
