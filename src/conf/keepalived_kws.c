/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived.conf: global_defs, vrrp_script, vrrp_track_process, track_file
 * and vrrp_sync_group keywords.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kaparse.h"

/* ---- vrrp_script, vrrp_track_process, track_file, sync group ---- */

/* weight W [reverse|no_reverse] */
static void
kw_weight(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	long long v;
	bool *reverse = (bool *)((char *)obj + kw->hi);

	if (!ka_get_int(p, st, 0, -253, 253, &v))
		return;
	*FIELD(obj, kw, int) = (int)v;
	if (st->nargs == 2 && strcmp(st->args[1], "reverse") == 0)
		*reverse = true;
	else if (st->nargs == 2 && strcmp(st->args[1], "no_reverse") == 0)
		*reverse = false;
	else if (st->nargs == 2)
		ka_err(p, ka_arg_loc(st, 1),
		    "weight: unknown option \"%s\" "
		    "(expected reverse)",
		    st->args[1]);
}

/* keepalived: deprecated, and the same as sync_group_tracking_weight. */
static void
kw_global_tracking(struct kparse *p, struct stmt *st, void *obj,
    const struct kw *kw)
{
	conf_diag(p->conf, &st->kw.loc, CONF_WARNING,
	    "global_tracking is deprecated (keepalived): it keeps the "
	    "members' weights, as sync_group_tracking_weight does; track on "
	    "the sync group instead");
	*FIELD(obj, kw, bool) = true;
}

/* vrrp_script user USER [GROUP] */
static void
kw_script_user(struct kparse *p, struct stmt *st, void *obj,
    const struct kw *kw)
{
	struct conf_cmd *c = FIELD(obj, kw, struct conf_cmd);

	(void)p;
	free(c->user);
	free(c->group);
	c->user = conf_strdup(st->args[0]);
	c->group = st->nargs > 1 ? conf_strdup(st->args[1]) : NULL;
}

static void
kw_script_cmd(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_cmd *c = FIELD(obj, kw, struct conf_cmd);

	(void)p;
	free(c->cmd);
	c->loc = st->kw.loc;
	c->cmd = conf_strdup(st->args[0]);
}

/* track_file init_file [VALUE] [overwrite] */
static void
kw_init_file(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_track_file *t = obj;
	long long v;

	(void)kw;
	t->has_init = true;
	for (size_t i = 0; i < st->nargs; i++) {
		if (strcmp(st->args[i], "overwrite") == 0)
			t->init_overwrite = true;
		else if (ka_get_int(p, st, i, -2147483647LL, 2147483647LL, &v))
			t->init_value = (int)v;
	}
}

/* param_match initial|partial */
static void
kw_param_match(struct kparse *p, struct stmt *st, void *obj,
    const struct kw *kw)
{
	if (strcmp(st->args[0], "initial") != 0 &&
	    strcmp(st->args[0], "partial") != 0) {
		ka_err(p, ka_arg_loc(st, 0),
		    "param_match: expected initial or "
		    "partial, got \"%s\"",
		    st->args[0]);
		return;
	}
	ka_str(p, st, obj, kw);
}

/* process NAME [PARAMETERS...] */
static void
kw_process(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_track_process *t = obj;
	size_t len = 0;

	(void)p;
	(void)kw;
	free(t->process);
	free(t->params);
	t->process = conf_strdup(st->args[0]);
	t->params = NULL;
	for (size_t i = 1; i < st->nargs; i++)
		len += strlen(st->args[i]) + 1;
	if (len == 0)
		return;
	t->params = calloc(1, len);
	if (t->params == NULL)
		abort();
	for (size_t i = 1; i < st->nargs; i++) {
		if (i > 1)
			strcat(t->params, " ");
		strcat(t->params, st->args[i]);
	}
}

static void
member_fn(struct kparse *p, struct stmt *st, void *obj)
{
	struct conf_sync_group *g = obj;
	struct conf_loc *loc;
	char **m;
	size_t n = g->nmembers;

	for (size_t i = 0; i <= st->nargs; i++) {
		const char *name = i == 0 ? st->kwtext : st->args[i - 1];

		m = CONF_PUSH(p->conf, ka_arg_loc(st, i - 1), g->members,
		    g->nmembers);
		if (m == NULL)
			return;
		*m = conf_strdup(name);
		loc = CONF_PUSH(p->conf, NULL, g->member_locs, n);
		if (loc == NULL)
			return;
		*loc = i == 0 ? st->kw.loc : st->locs[i - 1];
	}
}

static void
kw_members(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	(void)kw;
	ka_parse_items(p, st, obj, member_fn);
}

/* delay SECS: fork_delay and terminate_delay at once (keepalived). */
static void
kw_tp_delay(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_track_process *t = obj;
	const struct kw one = { .name = kw->name, .hi = kw->hi };
	uint32_t ms = UINT32_MAX; /* stays when the value is refused */

	ka_secs_ms(p, st, &ms, &one);
	if (ms != UINT32_MAX)
		t->delay_ms = t->terminate_delay_ms = ms;
}

/* ---- global_defs specifics ---- */

/* default_interface IF: a name, kept as a string (conf_global). */
static void
kw_default_if(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	if (strlen(st->args[0]) >= CONF_IFNAMSIZ) {
		ka_err(p, ka_arg_loc(st, 0),
		    "%s: interface name \"%s\" longer than %d characters",
		    st->kwtext, st->args[0], CONF_IFNAMSIZ - 1);
		return;
	}
	ka_str(p, st, obj, kw);
}

static void
kw_global_script_user(struct kparse *p, struct stmt *st, void *obj,
    const struct kw *kw)
{
	struct conf_global *g = obj;

	(void)p;
	(void)kw;
	free(g->script_user);
	free(g->script_group);
	g->script_user = conf_strdup(st->args[0]);
	g->script_group = st->nargs > 1 ? conf_strdup(st->args[1]) : NULL;
}

/* vrrp_min_garp: one GARP, no second burst (keepalived). */
static void
kw_min_garp(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_global *g = obj;
	bool v = true;

	(void)kw;
	if (st->nargs == 1 && conf_parse_bool(st->args[0], &v) != 0) {
		ka_err(p, ka_arg_loc(st, 0), "%s: expected on/off", st->kwtext);
		return;
	}
	if (!v)
		return;
	g->garp.master_repeat = 1;
	g->garp.master_delay_ms = 0;
	g->garp.master_refresh_repeat = 1;
	g->garp.lower_prio_repeat = 1;
	g->garp.lower_prio_delay_ms = 0;
}

/* dynamic_interfaces [allow_if_changes] */
static void
kw_dynamic_if(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	(void)kw;
	if (st->nargs == 1 && strcmp(st->args[0], "allow_if_changes") != 0) {
		ka_err(p, ka_arg_loc(st, 0),
		    "dynamic_interfaces: unknown option "
		    "\"%s\"",
		    st->args[0]);
		return;
	}
	((struct conf_global *)obj)->dynamic_interfaces = true;
}

/*
 * vrrpd_registry_*: the registry's location is its first keyword's, for
 * the messages about it (validate.c).
 */
static void
registry_loc(struct stmt *st, void *obj)
{
	struct conf_registry *r = &((struct conf_global *)obj)->registry;

	if (r->loc.line == 0)
		r->loc = st->kw.loc;
}

static void
kw_registry_str(struct kparse *p, struct stmt *st, void *obj,
    const struct kw *kw)
{
	registry_loc(st, obj);
	ka_str(p, st, obj, kw);
}

/* Milliseconds, unlike keepalived's timeouts: ZooKeeper counts in them. */
static void
kw_registry_ms(struct kparse *p, struct stmt *st, void *obj,
    const struct kw *kw)
{
	registry_loc(st, obj);
	ka_u32(p, st, obj, kw);
}

static void
kw_registry_cmd(struct kparse *p, struct stmt *st, void *obj,
    const struct kw *kw)
{
	registry_loc(st, obj);
	ka_cmd(p, st, obj, kw);
}

const struct kw ka_script_kws[] = {
	{ "script", kw_script_cmd, C(script), A1 },
	{ "interval", ka_secs_ms, C(interval_ms), A1, .hi = 86400 },
	{ "timeout", ka_secs_ms, C(timeout_ms), A1, .hi = 86400 },
	{ "weight", kw_weight, C(weight), .min = 1, .max = 2,
	    .hi = (long long)C(reverse) },
	{ "rise", ka_u32, C(rise), A1, .lo = 1, .hi = 1000 },
	{ "fall", ka_u32, C(fall), A1, .lo = 1, .hi = 1000 },
	{ "user", kw_script_user, C(script), .min = 1, .max = 2 },
	{ "init_fail", ka_flag, C(init_fail), A01 },
	{ .name = NULL },
};

const struct kw ka_track_process_kws[] = {
	{ "process", kw_process, .min = 1, .max = MAX_ARGS },
	{ "param_match", kw_param_match, TP(param_match), A1 },
	{ "weight", kw_weight, TP(weight), .min = 1, .max = 2,
	    .hi = (long long)TP(reverse) },
	{ "quorum", ka_u32, TP(quorum), A1, .lo = 1, .hi = 65535 },
	{ "quorum_max", ka_u32, TP(quorum_max), A1, .lo = 0, .hi = 65535 },
	{ "fork_delay", ka_secs_ms, TP(delay_ms), A1, .hi = 3600 },
	{ "terminate_delay", ka_secs_ms, TP(terminate_delay_ms), A1,
	    .hi = 3600 },
	{ "delay", kw_tp_delay, A1, .hi = 3600 },
	{ "full_command", ka_flag, TP(full_command), A01 },
	{ .name = NULL },
};

const struct kw ka_track_file_kws[] = {
	{ "file", ka_str, TF(path), A1 },
	{ "weight", kw_weight, TF(weight), .min = 1, .max = 2,
	    .hi = (long long)TF(reverse) },
	{ "init_file", kw_init_file, .min = 0, .max = 2 },
	{ .name = NULL },
};

const struct kw ka_sync_group_kws[] = {
	{ "group", kw_members, BLOCK },
	{ "track_interface", ka_track_group, .lo = CONF_TRACK_IFACE, BLOCK },
	{ "track_script", ka_track_group, .lo = CONF_TRACK_CHECK, BLOCK },
	{ "track_file", ka_track_group, .lo = CONF_TRACK_FILE, BLOCK },
	{ "track_process", ka_track_group, .lo = CONF_TRACK_PROCESS, BLOCK },
	{ "notify_master", ka_cmd, SG(notify.master), ACMD },
	{ "notify_backup", ka_cmd, SG(notify.backup), ACMD },
	{ "notify_fault", ka_cmd, SG(notify.fault), ACMD },
	{ "notify_stop", ka_cmd, SG(notify.stop), ACMD },
	{ "notify", ka_cmd, SG(notify.any), ACMD },
	WARN("smtp_alert", NO_MAIL),
	{ "global_tracking", kw_global_tracking, SG(tracking_weight), A0 },
	{ "sync_group_tracking_weight", ka_flag, SG(tracking_weight), A0 },
	REJECT("track_bfd", NO_BFD),
	REJECT("notify_deleted", NO_DELETED),
	REJECT("notify_priority_changes",
	    "not for a group; set it in the member instances, or "
	    "vrrp_notify_priority_changes in global_defs"),
	{ .name = NULL },
};

const struct kw ka_global_kws[] = {
	{ "router_id", ka_str, G(router_id), A1 },
	{ "script_user", kw_global_script_user, .min = 1, .max = 2 },
	{ "enable_script_security", ka_flag, G(script_security), A01 },
	{ "vrrp_version", ka_u8, G(vrrp_version), A1, .lo = 2, .hi = 3 },
	{ "vrrp_mcast_group4", ka_addr, G(mcast_group4), A1 },
	{ "vrrp_mcast_group6", ka_addr, G(mcast_group6), A1 },
	{ "vrrp_garp_master_delay", ka_secs_ms, G(garp.master_delay_ms), A1,
	    .hi = 3600 },
	{ "vrrp_garp_master_repeat", ka_u32, G(garp.master_repeat), A1, .lo = 1,
	    .hi = 255 },
	{ "vrrp_garp_master_refresh", ka_secs_ms, G(garp.master_refresh_ms), A1,
	    .hi = 86400 },
	{ "vrrp_garp_master_refresh_repeat", ka_u32,
	    G(garp.master_refresh_repeat), A1, .lo = 1, .hi = 255 },
	{ "vrrp_garp_lower_prio_delay", ka_secs_ms, G(garp.lower_prio_delay_ms),
	    A1, .hi = 3600 },
	{ "vrrp_garp_lower_prio_repeat", ka_u32, G(garp.lower_prio_repeat), A1,
	    .lo = 0, .hi = 255 },
	{ "vrrp_garp_interval", ka_secs_ms, G(garp.interval_ms), A1, .hi = 60 },
	{ "vrrp_gna_interval", ka_secs_ms, G(garp.na_interval_ms), A1,
	    .hi = 60 },
	{ "vrrp_min_garp", kw_min_garp, A01 },
	{ "vrrp_startup_delay", ka_secs_ms, G(startup_delay_ms), A1,
	    .hi = 3600 },
	{ "vrrp_skip_check_adv_addr", ka_flag, G(skip_check_adv_addr), A01 },
	{ "vrrp_check_unicast_src", ka_flag, G(check_unicast_src), A01 },
	{ "vrrp_strict", ka_flag, G(strict), A01 },
	{ "vrrp_lower_prio_no_advert", ka_flag, G(lower_prio_no_advert), A01 },
	{ "vrrp_higher_prio_send_advert", ka_flag, G(higher_prio_send_advert),
	    A01 },
	{ "vrrp_owner_ignore_adverts", ka_flag, G(owner_ignore_adverts), A01 },
	{ "vrrp_down_timer_adverts", ka_u8, G(down_timer_adverts), A1, .lo = 1,
	    .hi = 100 },
	{ "vrrp_notify_fifo", ka_str, G(vrrp_notify_fifo), A1 },
	{ "notify_fifo", ka_str, G(notify_fifo), A1 },
	{ "vrrp_notify_fifo_script", ka_cmd, G(vrrp_notify_fifo_script), ACMD },
	{ "notify_fifo_script", ka_cmd, G(notify_fifo_script), ACMD },
	{ "vrrp_notify_priority_changes", ka_flag, G(notify_priority_changes),
	    A01 },
	{ "net_namespace", ka_str, G(net_namespace), A1 },
	{ "default_interface", kw_default_if, G(default_interface), A1 },
	/* vrrpd's own, for keepalived.conf users (man/vrrpd.yaml.5) */
	{ "vrrpd_control_socket", ka_str, G(control_socket), A1 },
	{ "vrrpd_control_group", ka_str, G(control_group), A1 },
	{ "vrrpd_control_group_write", ka_flag, G(control_group_write), A01 },
	{ "vrrpd_metrics_listen", ka_str, G(metrics_listen), A1 },
	{ "vrrpd_registry_servers", kw_registry_str, G(registry.servers), A1 },
	{ "vrrpd_registry_path", kw_registry_str, G(registry.path), A1 },
	{ "vrrpd_registry_session_timeout", kw_registry_ms,
	    G(registry.session_timeout_ms), A1, .lo = 1000, .hi = 120000 },
	{ "vrrpd_registry_auth_file", kw_registry_str, G(registry.auth_file),
	    A1 },
	{ "vrrpd_registry_notify_split_brain", kw_registry_cmd,
	    G(registry.notify_split_brain), ACMD },
	{ "dynamic_interfaces", kw_dynamic_if, A01 },
	WARN("notification_email", NO_MAIL),
	WARN("notification_email_from", NO_MAIL),
	WARN("smtp_server", NO_MAIL),
	WARN("smtp_helo_name", NO_MAIL),
	WARN("smtp_connect_timeout", NO_MAIL),
	WARN("smtp_alert", NO_MAIL),
	WARN("smtp_alert_vrrp", NO_MAIL),
	WARN("smtp_alert_checker", NO_MAIL),
	WARN("no_email_faults", NO_MAIL),
	WARN("enable_snmp_vrrp", NO_SNMP),
	WARN("enable_snmp_keepalived", NO_SNMP),
	WARN("enable_snmp_checker", NO_SNMP),
	WARN("enable_snmp_rfc", NO_SNMP),
	WARN("enable_snmp_rfcv2", NO_SNMP),
	WARN("enable_snmp_rfcv3", NO_SNMP),
	WARN("enable_traps", NO_SNMP),
	WARN("snmp_socket", NO_SNMP),
	WARN("enable_dbus", NO_DBUS),
	WARN("dbus_service_name", NO_DBUS),
	WARN("dbus_no_interface_name", NO_DBUS),
	WARN("process_names", NO_SCHED),
	WARN("process_name", NO_SCHED),
	WARN("vrrp_process_name", NO_SCHED),
	WARN("checker_process_name", NO_SCHED),
	WARN("lvs_process_name", NO_SCHED),
	WARN("bfd_process_name", NO_SCHED),
	WARN("max_auto_priority", NO_SCHED),
	WARN("min_auto_priority_delay", NO_SCHED),
	WARN("vrrp_priority", NO_SCHED),
	WARN("vrrp_rt_priority", NO_SCHED),
	WARN("vrrp_no_swap", NO_SCHED),
	WARN("vrrp_cpu_affinity", NO_SCHED),
	WARN("vrrp_rlimit_rttime", NO_SCHED),
	WARN("vrrp_rlimit_rtime", NO_SCHED),
	WARN("checker_priority", NO_SCHED),
	WARN("checker_rt_priority", NO_SCHED),
	WARN("checker_no_swap", NO_SCHED),
	WARN("checker_cpu_affinity", NO_SCHED),
	WARN("checker_rlimit_rttime", NO_SCHED),
	WARN("checker_rlimit_rtime", NO_SCHED),
	WARN("bfd_priority", NO_SCHED),
	WARN("bfd_rt_priority", NO_SCHED),
	WARN("bfd_no_swap", NO_SCHED),
	WARN("bfd_cpu_affinity", NO_SCHED),
	WARN("bfd_rlimit_rttime", NO_SCHED),
	WARN("bfd_rlimit_rtime", NO_SCHED),
	WARN("child_wait_time", NO_CHILDREN),
	WARN("linkbeat_use_polling", NO_LINKBEAT),
	WARN("log_unknown_vrids", "adverts for unknown VRIDs are counted"),
	WARN("umask", NO_DUMP),
	WARN("data_use_instance", NO_DUMP),
	WARN("state_dump_file", NO_DUMP),
	WARN("stats_dump_file", NO_DUMP),
	WARN("json_dump_file", NO_DUMP),
	WARN("json_version", NO_DUMP),
	{ "vmac_prefix", ka_str, G(vmac_prefix), A1 },
	WARN("vmac_addr_prefix", NO_VMAC_ADDR),
	WARN("vrrp_iptables", NO_FW),
	WARN("vrrp_ipsets", NO_FW),
	WARN("nftables", NO_FW),
	WARN("nftables_priority", NO_FW),
	WARN("nftables_counters", NO_FW),
	WARN("nftables_ifindex", NO_FW),
	WARN("namespace_with_ipsets", NO_FW),
	WARN("disable_local_igmp",
	    "vrrpd changes no sysctl; set "
	    "net.ipv4.igmp_link_local_mcast_reports yourself if wanted"),
	WARN("lvs_id", NO_LVS),
	WARN("lvs_flush", NO_LVS),
	WARN("lvs_flush_onstop", NO_LVS),
	WARN("lvs_flush_on_stop", NO_LVS),
	WARN("lvs_sync_daemon", NO_LVS),
	WARN("lvs_timeouts", NO_LVS),
	WARN("lvs_notify_fifo", NO_LVS),
	WARN("lvs_notify_fifo_script", NO_LVS),
	WARN("lvs_netlink_cmd_rcv_bufs", NO_LVS),
	WARN("lvs_netlink_cmd_rcv_bufs_force", NO_LVS),
	WARN("lvs_netlink_monitor_rcv_bufs", NO_LVS),
	WARN("lvs_netlink_monitor_rcv_bufs_force", NO_LVS),
	WARN("nftables_ipvs", NO_LVS),
	WARN("nftables_ipvs_priority", NO_LVS),
	WARN("nftables_ipvs_start_fwmark", NO_LVS),
	WARN("net_namespace_ipvs", NO_LVS),
	WARN("rs_init_notifies", NO_LVS),
	WARN("no_checker_emails", NO_LVS),
	WARN("checker_log_all_failures", NO_LVS),
	WARN("vrrp_netlink_cmd_rcv_bufs", NO_BUFS),
	WARN("vrrp_netlink_cmd_rcv_bufs_force", NO_BUFS),
	WARN("vrrp_netlink_monitor_rcv_bufs", NO_BUFS),
	WARN("vrrp_netlink_monitor_rcv_bufs_force", NO_BUFS),
	WARN("process_monitor_rcv_bufs", NO_BUFS),
	WARN("process_monitor_rcv_bufs_force", NO_BUFS),
	WARN("vrrp_rx_bufs_policy", NO_BUFS),
	WARN("vrrp_rx_bufs_multiplier", NO_BUFS),
	WARN("use_pid_dir", NO_PID_DIR),
	WARN("tmp_config_directory",
	    "vrrpd reads the configuration into its own memory"),
	WARN("config_save_dir", "vrrpd keeps no copies of its configuration"),
	WARN("random_seed", "vrrpd does not expand ${_RANDOM}, which it seeds"),
	WARN("reload_check_config",
	    "vrrpd always checks a new file before "
	    "using it"),
	REJECT("instance", NO_INSTANCE),
	REJECT("startup_script", NO_START_SCRIPTS),
	REJECT("startup_script_timeout", NO_START_SCRIPTS),
	REJECT("shutdown_script", NO_START_SCRIPTS),
	REJECT("shutdown_script_timeout", NO_START_SCRIPTS),
	REJECT("fifo_write_vrrp_states_on_reload",
	    "the FIFOs get a line per change only; after a reload read the "
	    "states with vrrpctl status --json"),
	REJECT("vrrp_garp_extra_if", NO_EXTRA_IF),
	REJECT("vrrp_vmac_garp_intvl", NO_EXTRA_IF),
	REJECT("vrrp_delay_after_boot",
	    "not implemented (keepalived 2.4); use vrrp_startup_delay"),
	REJECT("reload_time_file", NO_TIMED_RELOAD),
	REJECT("reload_repeat", NO_TIMED_RELOAD),
	REJECT("reload_file",
	    "vrrpd writes no reload file; vrrpctl reload returns once the new "
	    "file is read and applied, or refused"),
	REJECT("include_check",
	    "write includer, includem, includew, includeb or includea on the "
	    "include lines instead"),
	{ .name = NULL },
};
