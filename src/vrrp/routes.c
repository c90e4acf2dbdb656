/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Routes and rules on the host: an instance's virtual_routes and
 * virtual_rules follow its addresses (added right after them on becoming
 * master, removed right before them on leaving), and the router's
 * static_ipaddress, static_routes and static_rules are there while vrrpd
 * runs. A tracked virtual route or rule deleted behind a master's back
 * makes it step down (keepalived 2.2.7); a tracked static one is put back.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/conf_route.h"

#include "instance_priv.h"

#define RT_LOG_MS 10000 /* one line per route and interval at most */

/* "route 198.51.100.0/24 via 192.0.2.1 dev eth1" for log lines. */
struct rtline {
	char s[320];
};

static const char *
route_text(const struct conf_route *rt, struct rtline *b)
{
	char line[300];

	snprintf(b->s, sizeof(b->s), "route %s",
	    conf_route_format(rt, line, sizeof(line)));
	return b->s;
}

static const char *
rule_text(const struct conf_rule *ru, struct rtline *b)
{
	char line[300];

	snprintf(b->s, sizeof(b->s), "rule %s",
	    conf_rule_format(ru, line, sizeof(line)));
	return b->s;
}

/*
 * One outcome, logged for instance inst ("(VI_1) ...") or, NULL, for the
 * static entries ("static: ..."): a failure as a warning with the
 * kernel's cause (rate-limited per route), EEXIST on an add at info
 * level: the kernel holds a route or rule like it already (a leftover,
 * or someone else's IPv6 route on the same path, which stays as it is).
 */
static void
outcome(const char *inst, const char *what, bool add, int rc, int err,
    struct log_ratelimit *rl)
{
	unsigned long more = 0;
	char who[80];

	if (inst != NULL)
		snprintf(who, sizeof(who), "(%s) ", inst);
	else
		snprintf(who, sizeof(who), "static: ");
	if (rc == 0) {
		log_debug_inst(DBG_NET, inst, "net: %s%s %s", who,
		    add ? "added" : "removed", what);
		return;
	}
	if (rl != NULL && !log_ratelimit_ok(rl, util_now_us() / 1000, &more))
		return;
	if (add && err == EEXIST)
		log_info("%s%s is there already; left as it is", who, what);
	else
		log_warnx("%scannot %s %s: %s (%lu more suppressed)", who,
		    add ? "add" : "remove", what, strerror(err), more);
}

static void
route_set(struct net_link *nl, const char *inst, const struct conf_route *rt,
    bool add, struct log_ratelimit *rl)
{
	struct rtline b;
	int rc = add ? net_link_route_add(nl, rt) : net_link_route_del(nl, rt);
	int err = errno;

	outcome(inst, route_text(rt, &b), add, rc, err, rl);
}

static void
rule_set(struct net_link *nl, const char *inst, const struct conf_rule *ru,
    bool add, struct log_ratelimit *rl)
{
	struct rtline b;
	int rc = add ? net_link_rule_add(nl, ru) : net_link_rule_del(nl, ru);
	int err = errno;

	outcome(inst, rule_text(ru, &b), add, rc, err, rl);
}

/* ---- virtual routes and rules ---- */

static struct log_ratelimit *
inst_rl(struct vrrp_inst *vi, size_t i)
{
	size_t n = vi->ci->nvroutes + vi->ci->nvrules;

	if (vi->rt_rl == NULL && n > 0 &&
	    (vi->rt_rl = calloc(n, sizeof(*vi->rt_rl))) != NULL)
		for (size_t k = 0; k < n; k++)
			vi->rt_rl[k].interval_ms = RT_LOG_MS;
	return vi->rt_rl != NULL ? &vi->rt_rl[i] : NULL;
}

/*
 * keepalived's order: addresses, routes, rules on the way up; rules,
 * routes, addresses on the way down (vips.c does the addresses).
 */
void
vrrp_inst_routes_apply(struct vrrp_inst *vi, bool add)
{
	const struct conf_instance *ci = vi->ci;
	const char *who = ci->name;

	if (ci->nvroutes == 0 && ci->nvrules == 0)
		return;
	if (!add)
		for (size_t i = ci->nvrules; i-- > 0;)
			rule_set(vi->r->nl, who, &ci->vrules[i], false,
			    inst_rl(vi, ci->nvroutes + i));
	for (size_t k = 0; k < ci->nvroutes; k++) {
		size_t i = add ? k : ci->nvroutes - 1 - k;

		route_set(vi->r->nl, who, &ci->vroutes[i], add, inst_rl(vi, i));
	}
	if (add)
		for (size_t i = 0; i < ci->nvrules; i++)
			rule_set(vi->r->nl, who, &ci->vrules[i], true,
			    inst_rl(vi, ci->nvroutes + i));
}

/* The interface's index now, 0 when there is none (through net/). */
static unsigned int
dev_index(struct vrrp_router *r, const char *dev)
{
	struct net_link_info info;

	if (dev[0] == '\0' || net_link_info(r->nl, dev, &info) != 0)
		return 0;
	return info.ifindex;
}

/*
 * rt as added, deleted: its key first, and only then its interface's
 * index (a netlink request), as a busy router's table may change often.
 */
static bool
route_gone(struct vrrp_router *r, const struct net_link_rtkey *key,
    const struct conf_route *rt)
{
	return !rt->no_track && net_link_route_is(key, rt, 0) &&
	    net_link_route_is(key, rt, dev_index(r, rt->dev));
}

void
vrrp_inst_route_removed(struct vrrp_inst *vi, const struct net_link_ev *ev)
{
	const struct conf_instance *ci = vi->ci;
	const char *what = NULL;
	struct rtline b;
	char who[64];

	if (vi->fsm.state != VRRP_STATE_MASTER || ev->rt == NULL)
		return;
	for (size_t i = 0; what == NULL && ev->kind == NET_LINK_EV_ROUTE_DEL &&
	     i < ci->nvroutes;
	     i++)
		if (route_gone(vi->r, ev->rt, &ci->vroutes[i]))
			what = route_text(&ci->vroutes[i], &b);
	for (size_t i = 0; what == NULL && ev->kind == NET_LINK_EV_RULE_DEL &&
	     i < ci->nvrules;
	     i++)
		if (!ci->vrules[i].no_track &&
		    net_link_rule_is(ev->rt, &ci->vrules[i]))
			what = rule_text(&ci->vrules[i], &b);
	if (what == NULL)
		return;
	log_warnx("(%s) %s removed by %s while MASTER", ci->name, what,
	    vrrp_port_owner(ev->portid, who, sizeof(who)));
	vrrp_inst_input(vi, VRRP_IN_ROUTE_LOST);
}

/* ---- static addresses, routes and rules ---- */

static const char *
static_dev(const struct conf_global *g, const struct conf_vip *v)
{
	if (v->dev[0] != '\0')
		return v->dev;
	return g->default_interface != NULL ? g->default_interface : "";
}

static void
addr_set(struct vrrp_router *r, const struct conf_global *g,
    const struct conf_vip *v, bool add, struct log_ratelimit *rl)
{
	const char *dev = static_dev(g, v);
	unsigned int ifindex = dev_index(r, dev);
	char a[ADDR_STRLEN];
	struct rtline b;
	int rc, err = ENODEV;

	snprintf(b.s, sizeof(b.s), "address %s/%u dev %s",
	    addr_fmt(&v->addr, a, sizeof(a)), v->prefix, dev);
	if (ifindex == 0 && !add)
		return; /* its interface is gone, and the address with it */
	rc = ifindex == 0 ? -1 :
	    add		  ? net_link_addr_add(r->nl, ifindex, v) :
			    net_link_addr_del(r->nl, ifindex, v);
	if (ifindex != 0)
		err = errno;
	outcome(NULL, b.s, add, rc, err, rl);
}

/* Rate limits for the statics of conf, one per entry. */
static struct log_ratelimit *
static_rl(struct vrrp_router *r, size_t i)
{
	return r->st_rl != NULL && i < r->nst_rl ? &r->st_rl[i] : NULL;
}

static void
static_rl_size(struct vrrp_router *r, const struct conf_global *g)
{
	size_t n = g->nstatic_addrs + g->nstatic_routes + g->nstatic_rules;

	free(r->st_rl);
	r->st_rl = n > 0 ? calloc(n, sizeof(*r->st_rl)) : NULL;
	r->nst_rl = r->st_rl != NULL ? n : 0;
	for (size_t i = 0; i < r->nst_rl; i++)
		r->st_rl[i].interval_ms = RT_LOG_MS;
}

static bool
has_route(const struct conf_global *g, const struct conf_route *rt)
{
	for (size_t i = 0; g != NULL && i < g->nstatic_routes; i++)
		if (conf_route_equal(&g->static_routes[i], rt))
			return true;
	return false;
}

static bool
has_rule(const struct conf_global *g, const struct conf_rule *ru)
{
	for (size_t i = 0; g != NULL && i < g->nstatic_rules; i++)
		if (conf_rule_equal(&g->static_rules[i], ru))
			return true;
	return false;
}

static bool
has_addr(const struct conf_global *g, const struct conf_global *of,
    const struct conf_vip *v)
{
	for (size_t i = 0; g != NULL && i < g->nstatic_addrs; i++) {
		const struct conf_vip *w = &g->static_addrs[i];

		if (addr_cmp(&w->addr, &v->addr) == 0 &&
		    w->prefix == v->prefix &&
		    strcmp(static_dev(g, w), static_dev(of, v)) == 0)
			return true;
	}
	return false;
}

/* What old has and new lacks goes: rules, routes, then addresses. */
static void
statics_drop(struct vrrp_router *r, const struct conf_global *o,
    const struct conf_global *n)
{
	for (size_t i = o->nstatic_rules; i-- > 0;)
		if (!has_rule(n, &o->static_rules[i]))
			rule_set(r->nl, NULL, &o->static_rules[i], false, NULL);
	for (size_t i = o->nstatic_routes; i-- > 0;)
		if (!has_route(n, &o->static_routes[i]))
			route_set(r->nl, NULL, &o->static_routes[i], false,
			    NULL);
	for (size_t i = o->nstatic_addrs; i-- > 0;)
		if (!has_addr(n, o, &o->static_addrs[i]))
			addr_set(r, o, &o->static_addrs[i], false, NULL);
}

void
vrrp_statics_apply(struct vrrp_router *r, const struct conf *old,
    const struct conf *conf)
{
	const struct conf_global *o = old != NULL ? &old->global : NULL;
	const struct conf_global *g = &conf->global;
	size_t base = g->nstatic_addrs;

	if (o != NULL)
		statics_drop(r, o, g);
	static_rl_size(r, g);
	/* An unchanged entry stays as it is: no flap at a reload. */
	for (size_t i = 0; i < g->nstatic_addrs; i++)
		if (!has_addr(o, g, &g->static_addrs[i]))
			addr_set(r, g, &g->static_addrs[i], true,
			    static_rl(r, i));
	for (size_t i = 0; i < g->nstatic_routes; i++)
		if (!has_route(o, &g->static_routes[i]))
			route_set(r->nl, NULL, &g->static_routes[i], true,
			    static_rl(r, base + i));
	base += g->nstatic_routes;
	for (size_t i = 0; i < g->nstatic_rules; i++)
		if (!has_rule(o, &g->static_rules[i]))
			rule_set(r->nl, NULL, &g->static_rules[i], true,
			    static_rl(r, base + i));
	vrrp_router_watch_routes(r, conf);
}

void
vrrp_statics_remove(struct vrrp_router *r)
{
	static const struct conf_global none;

	if (r->conf == NULL)
		return;
	statics_drop(r, &r->conf->global, &none);
	free(r->st_rl);
	r->st_rl = NULL;
	r->nst_rl = 0;
}

/* Put a static route back; one that is there already is left alone. */
static void
restore_route(struct vrrp_router *r, size_t i, const char *why)
{
	const struct conf_route *rt = &r->conf->global.static_routes[i];
	struct rtline b;
	int err;

	if (net_link_route_add(r->nl, rt) == 0)
		log_info("static: %s restored (%s)", route_text(rt, &b), why);
	else if ((err = errno) != EEXIST)
		outcome(NULL, route_text(rt, &b), true, -1, err,
		    static_rl(r, r->conf->global.nstatic_addrs + i));
}

static void
restore_rule(struct vrrp_router *r, size_t i, const char *why)
{
	const struct conf_global *g = &r->conf->global;
	const struct conf_rule *ru = &g->static_rules[i];
	struct rtline b;
	int err;

	if (net_link_rule_add(r->nl, ru) == 0)
		log_info("static: %s restored (%s)", rule_text(ru, &b), why);
	else if ((err = errno) != EEXIST)
		outcome(NULL, rule_text(ru, &b), true, -1, err,
		    static_rl(r, g->nstatic_addrs + g->nstatic_routes + i));
}

static bool
route_uses(const struct conf_route *rt, const char *ifname)
{
	if (strcmp(rt->dev, ifname) == 0)
		return true;
	for (size_t k = 0; k < rt->nnh; k++)
		if (strcmp(rt->nh[k].dev, ifname) == 0)
			return true;
	return false;
}

/*
 * keepalived 2.2.7 puts back a tracked static route or rule deleted
 * behind its back, and the tracked static addresses and routes of an
 * interface that comes up (the kernel flushed its routes when it went
 * down). Rules survive a link going down.
 */
void
vrrp_statics_event(struct vrrp_router *r, const struct net_link_ev *ev)
{
	const struct conf_global *g;
	char who[64], why[96];

	if (r->conf == NULL || ev->portid == r->nl_portid)
		return;
	g = &r->conf->global;
	if (ev->rt != NULL)
		snprintf(why, sizeof(why), "removed by %s",
		    vrrp_port_owner(ev->portid, who, sizeof(who)));
	if (ev->kind == NET_LINK_EV_ROUTE_DEL && ev->rt != NULL) {
		for (size_t i = 0; i < g->nstatic_routes; i++)
			if (route_gone(r, ev->rt, &g->static_routes[i]))
				restore_route(r, i, why);
	} else if (ev->kind == NET_LINK_EV_RULE_DEL && ev->rt != NULL) {
		for (size_t i = 0; i < g->nstatic_rules; i++)
			if (!g->static_rules[i].no_track &&
			    net_link_rule_is(ev->rt, &g->static_rules[i]))
				restore_rule(r, i, why);
	} else if (ev->kind == NET_LINK_EV_LINK && ev->up &&
	    ev->ifname != NULL) {
		for (size_t i = 0; i < g->nstatic_addrs; i++)
			if (!g->static_addrs[i].no_track &&
			    strcmp(static_dev(g, &g->static_addrs[i]),
				ev->ifname) == 0)
				addr_set(r, g, &g->static_addrs[i], true,
				    static_rl(r, i));
		for (size_t i = 0; i < g->nstatic_routes; i++)
			if (!g->static_routes[i].no_track &&
			    route_uses(&g->static_routes[i], ev->ifname))
				restore_route(r, i, "its interface is up");
	}
}

/* Deletions are watched only when something tracked could be deleted. */
void
vrrp_router_watch_routes(struct vrrp_router *r, const struct conf *conf)
{
	const struct conf_global *g = &conf->global;
	bool routes = false, rules = false;

	for (size_t i = 0; i < g->nstatic_routes; i++)
		routes |= !g->static_routes[i].no_track;
	for (size_t i = 0; i < g->nstatic_rules; i++)
		rules |= !g->static_rules[i].no_track;
	for (size_t k = 0; k < conf->ninstances; k++) {
		const struct conf_instance *ci = &conf->instances[k];

		for (size_t i = 0; i < ci->nvroutes; i++)
			routes |= !ci->vroutes[i].no_track;
		for (size_t i = 0; i < ci->nvrules; i++)
			rules |= !ci->vrules[i].no_track;
	}
	if (net_link_monitor_routes(r->nl, routes, rules) != 0)
		log_warn("netlink: cannot %s route and rule deletions",
		    routes || rules ? "watch" : "stop watching");
}
