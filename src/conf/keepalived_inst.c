/* SPDX-License-Identifier: BSD-2-Clause */
/* keepalived.conf: the vrrp_instance block and its keywords. */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kaparse.h"

/* ---- vrrp_instance specifics ---- */

static void
kw_state(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_instance *in = obj;

	(void)kw;
	if (strcasecmp(st->args[0], "MASTER") == 0)
		in->state = CONF_STATE_MASTER;
	else if (strcasecmp(st->args[0], "BACKUP") == 0)
		in->state = CONF_STATE_BACKUP;
	else {
		/* keepalived warns and means BACKUP (its issue #707). */
		conf_diag(p->conf, ka_arg_loc(st, 0), CONF_WARNING,
		    "state: unknown state \"%s\", using BACKUP", st->args[0]);
		in->state = CONF_STATE_BACKUP;
	}
}

/* advert_int: seconds, v3 in 10 ms steps; the version is checked later. */
static void
kw_advert_int(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_instance *in = obj;
	uint64_t us;
	const char *why;

	(void)kw;
	if (conf_parse_duration(st->args[0], CONF_UNIT_S, 255000000ULL, &us,
		&why) != 0) {
		ka_err(p, ka_arg_loc(st, 0),
		    "advert_int: %s: \"%s\" (expected "
		    "seconds, 0.01..255)",
		    why, st->args[0]);
		return;
	}
	if (us % 10000 != 0 || us == 0) {
		ka_err(p, ka_arg_loc(st, 0),
		    "advert_int: \"%s\" is not a whole "
		    "number of centiseconds (0.01 s)",
		    st->args[0]);
		return;
	}
	in->adver_int_cs = (uint32_t)(us / 10000);
}

/*
 * One host address where keepalived takes ADDR[/LEN] and drops the
 * length (unicast_src_ip, mcast_src_ip, unicast_peer): the same, but said.
 */
static bool
host_addr(struct kparse *p, const char *what, const char *text,
    const struct conf_loc *loc, struct addr *a)
{
	const char *why;
	uint8_t len;

	if (strchr(text, '/') == NULL) {
		if (addr_parse(text, a) == 0)
			return true;
		ka_err(p, loc, "%s: \"%s\" is not an IP address", what, text);
		return false;
	}
	if (conf_parse_prefix(text, a, &len, &why) != 0) {
		ka_err(p, loc, "%s: \"%s\": %s", what, text, why);
		return false;
	}
	conf_diag(p->conf, loc, CONF_WARNING,
	    "%s: %s: prefix length /%u ignored, as keepalived ignores it (one "
	    "address is meant)",
	    what, text, len);
	return true;
}

static void
kw_src(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_instance *in = obj;

	(void)kw;
	if (host_addr(p, st->kwtext, st->args[0], ka_arg_loc(st, 0), &in->src))
		in->has_src = true;
}

static void
kw_csum_as_v2(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_instance *in = obj;
	bool v = true;

	(void)kw;
	if (st->nargs == 1 && conf_parse_bool(st->args[0], &v) != 0) {
		ka_err(p, ka_arg_loc(st, 0), "%s: expected on/off, got \"%s\"",
		    st->kwtext, st->args[0]);
		return;
	}
	in->csum_mode = v ? VRRP_CSUM_MSG_ONLY : VRRP_CSUM_PSEUDO;
}

/* use_vmac [NAME] [MAC]: a name has no ':', a MAC has (keepalived). */
static void
kw_use_vmac(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_vmac *v = &((struct conf_instance *)obj)->vmac;

	(void)kw;
	v->on = true;
	v->loc = st->kw.loc;
	for (size_t i = 0; i < st->nargs; i++) {
		const char *a = st->args[i];

		if (strchr(a, ':') == NULL) {
			if (strlen(a) >= CONF_IFNAMSIZ) {
				ka_err(p, ka_arg_loc(st, i),
				    "%s: interface name \"%s\" longer than "
				    "%d characters",
				    st->kwtext, a, CONF_IFNAMSIZ - 1);
				continue;
			}
			strcpy(v->name, a);
			v->named = true;
		} else if (conf_vmac_parse_mac(a, v->mac, &v->mac_vrid) != 0) {
			ka_err(p, ka_arg_loc(st, i),
			    "%s: \"%s\" is not a MAC address (6 octets, or 5 "
			    "and the VRID)",
			    st->kwtext, a);
		} else {
			v->has_mac = true;
		}
	}
}

/* notify_* CMD [USER [GROUP]] */
void
ka_cmd(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_cmd *c = FIELD(obj, kw, struct conf_cmd);

	(void)p;
	free(c->cmd);
	free(c->user);
	free(c->group);
	c->loc = st->kw.loc;
	c->cmd = conf_strdup(st->args[0]);
	c->user = st->nargs > 1 ? conf_strdup(st->args[1]) : NULL;
	c->group = st->nargs > 2 ? conf_strdup(st->args[2]) : NULL;
}

/* One virtual_ipaddress line: ADDR[/LEN] [brd X] [dev X] [scope X] ... */
static bool
vip_option(struct kparse *p, struct stmt *st, size_t *i, struct conf_vip *v)
{
	const char *o = st->args[*i], *a;
	const char *why;
	long long n;

	if (strcmp(o, "-nodad") == 0 || strcmp(o, "nodad") == 0)
		return v->nodad = true;
	if (strcmp(o, "no_track") == 0)
		return v->no_track = true;
	if (*i + 1 >= st->nargs)
		return false;
	a = st->args[++*i];
	if (strcmp(o, "dev") == 0 || strcmp(o, "label") == 0) {
		if (strlen(a) >= CONF_IFNAMSIZ) {
			ka_err(p, ka_arg_loc(st, *i), "%s: \"%s\" is too long",
			    o, a);
			return true;
		}
		strcpy(o[0] == 'd' ? v->dev : v->label, a);
	} else if (strcmp(o, "scope") == 0) {
		if (conf_parse_scope(a, &v->scope) != 0)
			ka_err(p, ka_arg_loc(st, *i),
			    "scope: unknown scope \"%s\"", a);
	} else if (strcmp(o, "brd") == 0 || strcmp(o, "broadcast") == 0) {
		if (strcmp(a, "+") == 0)
			v->brd = CONF_BRD_PLUS;
		else if (strcmp(a, "-") == 0)
			v->brd = CONF_BRD_MINUS;
		else if (addr_parse(a, &v->brd_addr) == 0)
			v->brd = CONF_BRD_ADDR;
		else
			ka_err(p, ka_arg_loc(st, *i),
			    "brd: \"%s\" is not an "
			    "address, + or -",
			    a);
	} else if (strcmp(o, "preferred_lft") == 0) {
		if (strcmp(a, "forever") == 0)
			v->preferred_lft = -1;
		else if (conf_parse_int(a, 0, UINT32_MAX - 1, &n, &why) == 0)
			v->preferred_lft = n;
		else
			ka_err(p, ka_arg_loc(st, *i),
			    "preferred_lft: %s: \"%s\"", why, a);
	} else {
		--*i;
		return false;
	}
	return true;
}

/* Options ip(8) has that vrrpd does not implement yet. */
static const char *const vip_rejected[] = { "peer", "home", "mngtmpaddr",
	"noprefixroute", "autojoin", "use_vmac", NULL };

void
ka_vip_item(struct kparse *p, struct stmt *st, struct conf_vip **arr, size_t *n)
{
	struct conf_vip *v;
	const char *why;

	v = CONF_PUSH(p->conf, &st->kw.loc, *arr, *n);
	if (v == NULL)
		return;
	v->loc = st->kw.loc;
	v->preferred_lft = -1;
	if (conf_parse_prefix(st->kwtext, &v->addr, &v->prefix, &why) != 0)
		ka_err(p, &st->kw.loc, "virtual address \"%s\": %s", st->kwtext,
		    why);
	for (size_t i = 0; i < st->nargs; i++) {
		if (vip_option(p, st, &i, v))
			continue;
		for (size_t r = 0; vip_rejected[r] != NULL; r++)
			if (strcmp(st->args[i], vip_rejected[r]) == 0) {
				ka_err(p, ka_arg_loc(st, i),
				    "virtual address "
				    "option %s: not "
				    "supported by vrrpd",
				    st->args[i]);
				goto next;
			}
		ka_err(p, ka_arg_loc(st, i),
		    "virtual address \"%s\": unknown or "
		    "incomplete option \"%s\"",
		    st->kwtext, st->args[i]);
		return;
next:;
	}
}

static void
vip_fn(struct kparse *p, struct stmt *st, void *obj)
{
	struct conf_instance *in = obj;

	ka_vip_item(p, st, &in->vips, &in->nvips);
}

static void
vipx_fn(struct kparse *p, struct stmt *st, void *obj)
{
	struct conf_instance *in = obj;

	ka_vip_item(p, st, &in->vips_excluded, &in->nvips_excluded);
}

static void
kw_vips(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	(void)st;
	ka_parse_items(p, st, obj, kw->lo == 0 ? vip_fn : vipx_fn);
}

/* unicast_peer { ADDR [min_ttl N] [max_ttl N] } */
static void
peer_fn(struct kparse *p, struct stmt *st, void *obj)
{
	struct conf_instance *in = obj;
	struct conf_peer *peer;
	long long v;

	peer = CONF_PUSH(p->conf, &st->kw.loc, in->peers, in->npeers);
	if (peer == NULL)
		return;
	peer->loc = st->kw.loc;
	peer->max_ttl = 255;
	(void)host_addr(p, "unicast_peer", st->kwtext, &st->kw.loc,
	    &peer->addr);
	for (size_t i = 0; i < st->nargs; i++) {
		bool min = strcmp(st->args[i], "min_ttl") == 0;

		if ((!min && strcmp(st->args[i], "max_ttl") != 0) ||
		    i + 1 >= st->nargs) {
			ka_err(p, ka_arg_loc(st, i),
			    "unicast_peer %s: unknown or "
			    "incomplete option \"%s\"",
			    st->kwtext, st->args[i]);
			return;
		}
		i++;
		if (ka_get_int(p, st, i, 0, 255, &v)) {
			if (min)
				peer->min_ttl = (uint8_t)v;
			else
				peer->max_ttl = (uint8_t)v;
		}
	}
}

static void
kw_peers(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_instance *in = obj;

	(void)kw;
	in->unicast = true;
	ka_parse_items(p, st, obj, peer_fn);
}

/* track_* { NAME [weight W [reverse|no_reverse]] } */
static void
track_item(struct kparse *p, struct stmt *st, struct conf_track **arr,
    size_t *n, enum conf_track_kind kind)
{
	struct conf_track *t;
	long long v;

	t = CONF_PUSH(p->conf, &st->kw.loc, *arr, *n);
	if (t == NULL)
		return;
	t->loc = st->kw.loc;
	t->kind = kind;
	t->name = conf_strdup(st->kwtext);
	for (size_t i = 0; i < st->nargs; i++) {
		const char *a = st->args[i];

		if (strcmp(a, "weight") == 0 && i + 1 < st->nargs) {
			if (ka_get_int(p, st, ++i, -253, 253, &v)) {
				t->weight = (int)v;
				t->has_weight = true;
			}
		} else if (strcmp(a, "reverse") == 0)
			t->reverse = true;
		else if (strcmp(a, "no_reverse") == 0)
			t->reverse = false;
		else {
			ka_err(p, ka_arg_loc(st, i),
			    "track %s: unknown or "
			    "incomplete option \"%s\"",
			    st->kwtext, a);
			return;
		}
	}
}

/* The track blocks of an instance or a sync group share one layout. */
struct track_target {
	struct conf_track **arr;
	size_t *n;
	enum conf_track_kind kind;
};

static void
track_fn(struct kparse *p, struct stmt *st, void *obj)
{
	struct track_target *tt = obj;

	track_item(p, st, tt->arr, tt->n, tt->kind);
}

static void
parse_tracks(struct kparse *p, const struct stmt *open, struct conf_track **arr,
    size_t *n, enum conf_track_kind kind)
{
	struct track_target tt = { arr, n, kind };

	ka_parse_items(p, open, &tt, track_fn);
}

static void
kw_track_inst(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_instance *in = obj;

	parse_tracks(p, st, &in->tracks, &in->ntracks,
	    (enum conf_track_kind)kw->lo);
}

void
ka_track_group(struct kparse *p, struct stmt *st, void *obj,
    const struct kw *kw)
{
	struct conf_sync_group *g = obj;

	parse_tracks(p, st, &g->tracks, &g->ntracks,
	    (enum conf_track_kind)kw->lo);
}

/* authentication { auth_type PASS|AH; auth_pass SECRET } */
static void
kw_auth_type(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_instance *in = obj;

	(void)kw;
	if (strcasecmp(st->args[0], "PASS") == 0)
		in->auth_type = VRRP_AUTH_PASS;
	else if (strcasecmp(st->args[0], "AH") == 0)
		in->auth_type = VRRP_AUTH_AH; /* IPsec AH, HMAC-MD5-96 */
	else
		ka_err(p, ka_arg_loc(st, 0),
		    "auth_type: unknown type \"%s\" "
		    "(expected PASS or AH)",
		    st->args[0]);
}

static void
kw_auth_pass(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_instance *in = obj;

	(void)kw;
	/* keepalived: "Truncating auth_pass to 8 characters". */
	if (strlen(st->args[0]) > VRRP_AUTH_LEN)
		conf_diag(p->conf, ka_arg_loc(st, 0), CONF_WARNING,
		    "auth_pass: truncated to %d characters, as keepalived "
		    "does",
		    VRRP_AUTH_LEN);
	snprintf(in->auth_pass, sizeof(in->auth_pass), "%s", st->args[0]);
}

static const struct kw auth_kws[] = {
	{ "auth_type", kw_auth_type, A1 },
	{ "auth_pass", kw_auth_pass, A1 },
	{ .name = NULL },
};

const struct kw ka_instance_kws[] = {
	{ "state", kw_state, A1 },
	{ "interface", ka_ifname, I(interface), A1 },
	{ "virtual_router_id", ka_u8, I(vrid), A1, .lo = 1, .hi = 255 },
	{ "priority", ka_u8, I(priority), A1, .lo = 1, .hi = 255 },
	{ "advert_int", kw_advert_int, A1 },
	{ "version", ka_u8, I(version), CONF_OWN_VERSION, A1, .lo = 2,
	    .hi = 3 },
	{ "virtual_ipaddress", kw_vips, .lo = 0, BLOCK },
	{ "virtual_ipaddress_excluded", kw_vips, .lo = 1, BLOCK },
	{ "virtual_routes", ka_vroutes, .lo = CONF_RTK_VROUTE, BLOCK },
	{ "virtual_rules", ka_vroutes, .lo = CONF_RTK_VRULE, BLOCK },
	{ "unicast_src_ip", kw_src, A1 },
	{ "mcast_src_ip", kw_src, A1 },
	{ "unicast_peer", kw_peers, BLOCK },
	{ "unicast_ttl", ka_u8, I(unicast_ttl), A1, .lo = 1, .hi = 255 },
	{ "check_unicast_src", ka_flag, I(check_unicast_src),
	    CONF_OWN_CHECK_UNICAST_SRC, A01 },
	{ "unicast_fault_no_peer", ka_flag, I(unicast_fault_no_peer), A01 },
	{ "authentication", ka_block, .sub = auth_kws, .what = "authentication",
	    BLOCK },
	{ "nopreempt", ka_noflag, I(preempt), A0 },
	{ "preempt", ka_flag, I(preempt), A01 },
	{ "preempt_delay", ka_secs_ms, I(preempt_delay_ms), A1, .hi = 1000 },
	{ "accept", ka_flag, I(accept), CONF_OWN_ACCEPT, A01 },
	{ "no_accept", ka_noflag, I(accept), CONF_OWN_ACCEPT, A0 },
	{ "strict_mode", ka_flag, I(strict), CONF_OWN_STRICT, A01 },
	{ "skip_check_adv_addr", ka_flag, I(skip_check_adv_addr),
	    CONF_OWN_SKIP_CHECK_ADV_ADDR, A01 },
	{ "dont_track_primary", ka_flag, I(dont_track_primary), A01 },
	{ "track_interface", kw_track_inst, .lo = CONF_TRACK_IFACE, BLOCK },
	{ "track_script", kw_track_inst, .lo = CONF_TRACK_CHECK, BLOCK },
	{ "track_file", kw_track_inst, .lo = CONF_TRACK_FILE, BLOCK },
	{ "track_process", kw_track_inst, .lo = CONF_TRACK_PROCESS, BLOCK },
	{ "notify_master", ka_cmd, I(notify.master), ACMD },
	{ "notify_backup", ka_cmd, I(notify.backup), ACMD },
	{ "notify_fault", ka_cmd, I(notify.fault), ACMD },
	{ "notify_stop", ka_cmd, I(notify.stop), ACMD },
	{ "notify", ka_cmd, I(notify.any), ACMD },
	{ "garp_master_delay", ka_secs_ms, I(garp.master_delay_ms),
	    CONF_OWN_GARP_MASTER_DELAY, A1, .hi = 3600 },
	{ "garp_master_repeat", ka_u32, I(garp.master_repeat),
	    CONF_OWN_GARP_MASTER_REPEAT, A1, .lo = 1, .hi = 255 },
	{ "garp_master_refresh", ka_secs_ms, I(garp.master_refresh_ms),
	    CONF_OWN_GARP_MASTER_REFRESH, A1, .hi = 86400 },
	{ "garp_master_refresh_repeat", ka_u32, I(garp.master_refresh_repeat),
	    CONF_OWN_GARP_MASTER_REFRESH_REPEAT, A1, .lo = 1, .hi = 255 },
	{ "garp_lower_prio_delay", ka_secs_ms, I(garp.lower_prio_delay_ms),
	    CONF_OWN_GARP_LOWER_PRIO_DELAY, A1, .hi = 3600 },
	{ "garp_lower_prio_repeat", ka_u32, I(garp.lower_prio_repeat),
	    CONF_OWN_GARP_LOWER_PRIO_REPEAT, A1, .lo = 0, .hi = 255 },
	{ "lower_prio_no_advert", ka_flag, I(lower_prio_no_advert),
	    CONF_OWN_LOWER_PRIO_NO_ADVERT, A01 },
	{ "higher_prio_send_advert", ka_flag, I(higher_prio_send_advert),
	    CONF_OWN_HIGHER_PRIO_SEND_ADVERT, A01 },
	{ "owner_ignore_adverts", ka_flag, I(owner_ignore_adverts),
	    CONF_OWN_OWNER_IGNORE_ADVERTS, A01 },
	{ "down_timer_adverts", ka_u8, I(down_timer_adverts),
	    CONF_OWN_DOWN_TIMER_ADVERTS, A1, .lo = 1, .hi = 100 },
	{ "v3_checksum_as_v2", kw_csum_as_v2, A01 },
	{ "notify_priority_changes", ka_flag, I(notify_priority_changes),
	    CONF_OWN_NOTIFY_PRIORITY_CHANGES, A01 },
	WARN("native_ipv6", "the family follows the virtual addresses"),
	WARN("debug", "use vrrpd --debug or vrrpctl debug"),
	WARN("smtp_alert", NO_MAIL),
	WARN("kernel_rx_buf_size", NO_BUFS),
	WARN("linkbeat_use_polling", NO_LINKBEAT),
	WARN("no_virtual_ipaddress",
	    "instances without addresses are "
	    "allowed"),
	WARN("lvs_sync_daemon_interface", NO_LVS),
	{ "use_vmac", kw_use_vmac, .min = 0, .max = 2 },
	{ "vmac_xmit_base", ka_flag, I(vmac.xmit_base), A01 },
	REJECT("use_vmac_addr", NO_VMAC_ADDR),
	REJECT("use_ipvlan", NO_IPVLAN),
	REJECT("track_bfd", NO_BFD),
	REJECT("vrf",
	    "VRFs are not supported; name the VRF's member interface with "
	    "interface"),
	REJECT("mcast_dst_ip",
	    "a group per instance is not implemented; vrrp_mcast_group4 and "
	    "vrrp_mcast_group6 in global_defs set it for every instance"),
	REJECT("auth_hmac", "keepalived's HMAC trailer is not implemented"),
	REJECT("track_src_ip",
	    "the configured source is used whether the interface has it or "
	    "not; leave unicast_src_ip/mcast_src_ip out to use the "
	    "interface's own address, whose absence is a FAULT"),
	REJECT("timer_expired_backup",
	    "not implemented (keepalived 2.3); a master back from a freeze "
	    "yields to the higher priority it hears"),
	REJECT("garp_extra_if", NO_EXTRA_IF),
	REJECT("vmac_garp_intvl", NO_EXTRA_IF),
	REJECT("notify_deleted", NO_DELETED),
	REJECT("notify_master_rx_lower_pri",
	    "not implemented; the master answers a lower priority itself (an "
	    "advert and garp_lower_prio_repeat announcements); set external "
	    "state from notify_master"),
	REJECT("old_unicast_checksum",
	    "the pseudo-header always carries the real destination, as "
	    "keepalived 1.3.6 and later send it; upgrade older peers"),
	REJECT("promote_secondaries",
	    "vrrpd sets no interface flag; set "
	    "net.ipv4.conf.IFACE.promote_secondaries=1 with sysctl"),
	{ .name = NULL },
};
