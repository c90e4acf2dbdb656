/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One route line of virtual_routes or static_routes, in keepalived 2.2.7's
 * syntax (ip route add's, long option names only), into a conf_route.
 * Every option keepalived reads is either taken or refused by name with
 * the reason; none is skipped.
 */

#include <linux/rtnetlink.h>

#include <stdio.h>
#include <string.h>

#include "route_priv.h"

/* The line being parsed and what the checks at its end need. */
struct rparse {
	struct rtp p;
	struct conf_route *rt;
	bool has_dst;
	size_t dst_tok;
	bool proto_set;
	size_t proto_tok;
	bool has_or;
};

typedef enum conf_rt_err ropt_fn(struct rparse *r);

static enum conf_rt_err
opt_family(struct rparse *r)
{
	const char *s = r->p.tok[r->p.i];

	return rtp_family(&r->p, strcmp(s, "inet6") == 0 ? AF_INET6 : AF_INET,
	    r->p.i);
}

static enum conf_rt_err
opt_src(struct rparse *r)
{
	return rtp_addr(&r->p, &r->rt->src);
}

/* "via [inet|inet6] ADDR", or the deprecated "gw". */
static enum conf_rt_err
via_value(struct rtp *p, struct addr *out)
{
	size_t opt = p->i;

	if (p->i + 1 < p->ntok &&
	    (strcmp(p->tok[p->i + 1], "inet") == 0 ||
		strcmp(p->tok[p->i + 1], "inet6") == 0)) {
		p->i++;
		if (rtp_family(p,
			strcmp(p->tok[p->i], "inet6") == 0 ? AF_INET6 : AF_INET,
			p->i) != CONF_RT_OK)
			return p->diag->err;
	}
	return rtp_addr_of(p, opt, out);
}

static enum conf_rt_err
opt_via(struct rparse *r)
{
	if (strcmp(r->p.tok[r->p.i], "gw") == 0)
		rtp_warn(&r->p, r->p.i,
		    "route option gw is deprecated (keepalived says so too); "
		    "write via");
	if (r->rt->via.af != AF_UNSPEC)
		return rtp_err(&r->p, CONF_RT_CONFLICT, r->p.i,
		    "route has a second gateway: %s", r->p.tok[r->p.i]);
	return via_value(&r->p, &r->rt->via);
}

static enum conf_rt_err
opt_from(struct rparse *r)
{
	struct rtp *p = &r->p;
	size_t opt = p->i;
	const char *s;

	if ((s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	if (rtp_prefix(s, true, &r->rt->from, &r->rt->from_len) != 0 ||
	    r->rt->from.af == AF_UNSPEC)
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "route option %s: %s is not an IPv6 prefix with its host "
		    "bits clear",
		    p->tok[opt], s);
	if (r->rt->from.af != AF_INET6)
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "route option %s: %s is IPv4; a source prefix is for "
		    "IPv6 routes only (keepalived refuses it too)",
		    p->tok[opt], s);
	return rtp_family(p, AF_INET6, p->i);
}

static enum conf_rt_err
opt_tos(struct rparse *r)
{
	uint32_t v;
	enum conf_rt_err e = rtp_u32(&r->p, CONF_RTN_DSFIELD, 255, &v);

	r->rt->tos = (uint8_t)v;
	return e;
}

static enum conf_rt_err
opt_table(struct rparse *r)
{
	return rtp_u32(&r->p, CONF_RTN_TABLE, UINT32_MAX, &r->rt->table);
}

static enum conf_rt_err
opt_protocol(struct rparse *r)
{
	uint32_t v;
	enum conf_rt_err e;

	r->proto_set = true;
	r->proto_tok = r->p.i;
	e = rtp_u32(&r->p, CONF_RTN_PROTO, 255, &v);
	r->rt->protocol = (uint8_t)v;
	return e;
}

static enum conf_rt_err
opt_scope(struct rparse *r)
{
	uint32_t v;
	enum conf_rt_err e = rtp_u32(&r->p, CONF_RTN_SCOPE, 255, &v);

	r->rt->scope = (uint8_t)v;
	r->rt->has_scope = true;
	return e;
}

static enum conf_rt_err
opt_metric(struct rparse *r)
{
	r->rt->has_metric = true;
	return rtp_u32(&r->p, CONF_RTN_MAX, UINT32_MAX, &r->rt->metric);
}

static enum conf_rt_err
opt_dev(struct rparse *r)
{
	return rtp_ifname(&r->p, r->rt->dev);
}

static enum conf_rt_err
opt_onlink(struct rparse *r)
{
	r->rt->onlink = true;
	return CONF_RT_OK;
}

static enum conf_rt_err
opt_realms(struct rparse *r)
{
	if (rtp_family(&r->p, AF_INET, r->p.i) != CONF_RT_OK)
		return r->p.diag->err;
	return rtp_realms(&r->p, &r->rt->realms);
}

/* IPv6 router preference (RFC 4191): the kernel's ICMPV6_ROUTER_PREF_*. */
static enum conf_rt_err
opt_pref(struct rparse *r)
{
	static const struct {
		const char *name;
		uint8_t v;
	} prefs[] = { { "low", 3 }, { "medium", 0 }, { "high", 1 } };
	struct rtp *p = &r->p;
	const char *s;
	uint64_t v;

	if (rtp_family(p, AF_INET6, p->i) != CONF_RT_OK)
		return p->diag->err;
	if ((s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	r->rt->has_pref = true;
	for (size_t k = 0; k < sizeof(prefs) / sizeof(prefs[0]); k++)
		if (strcmp(s, prefs[k].name) == 0) {
			r->rt->pref = prefs[k].v;
			return CONF_RT_OK;
		}
	if (!rtp_number(s, 255, &v))
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "route option pref: %s is not low, medium, high or a "
		    "number from 0 to 255",
		    s);
	r->rt->pref = (uint8_t)v;
	return CONF_RT_OK;
}

static enum conf_rt_err
opt_mode(struct rparse *r)
{
	const char *s = r->p.tok[r->p.i];

	r->rt->mode = strcmp(s, "add") == 0 ? CONF_RT_ADD :
	    strcmp(s, "append") == 0	    ? CONF_RT_APPEND :
					      CONF_RT_PREPEND;
	return CONF_RT_OK;
}

static enum conf_rt_err
opt_no_track(struct rparse *r)
{
	r->rt->no_track = true;
	return CONF_RT_OK;
}

static enum conf_rt_err
opt_features(struct rparse *r)
{
	const char *s;

	if ((s = rtp_value(&r->p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	if (strcmp(s, "ecn") != 0)
		return rtp_err(&r->p, CONF_RT_BAD_VALUE, r->p.i,
		    "route option features: %s is not a feature; the only "
		    "one is ecn",
		    s);
	r->rt->metrics[CONF_RTM_FEATURES] = 1; /* RTAX_FEATURE_ECN */
	r->rt->metrics_set |= 1u << CONF_RTM_FEATURES;
	return CONF_RT_OK;
}

/* "or ADDR" (deprecated): the gateway and ADDR become two nexthops. */
static enum conf_rt_err
opt_or(struct rparse *r)
{
	struct conf_route *rt = r->rt;
	size_t opt = r->p.i;

	rtp_warn(&r->p, opt,
	    "route option or is deprecated (keepalived says so too); write "
	    "nexthop via A nexthop via B");
	if (r->has_or || rt->nnh > 0)
		return rtp_err(&r->p, CONF_RT_CONFLICT, opt,
		    "route option or: only one or per route");
	if (rt->via.af == AF_UNSPEC)
		return rtp_err(&r->p, CONF_RT_CONFLICT, opt,
		    "route option or: needs a via before it");
	r->has_or = true;
	rt->nh[0].via = rt->via;
	memset(&rt->via, 0, sizeof(rt->via));
	rt->nnh = 2;
	return via_value(&r->p, &rt->nh[1].via);
}

static const struct {
	const char *name;
	ropt_fn *fn;
} ropts[] = {
	{ "inet", opt_family },
	{ "inet6", opt_family },
	{ "src", opt_src },
	{ "via", opt_via },
	{ "gw", opt_via },
	{ "from", opt_from },
	{ "tos", opt_tos },
	{ "dsfield", opt_tos },
	{ "table", opt_table },
	{ "protocol", opt_protocol },
	{ "scope", opt_scope },
	{ "metric", opt_metric },
	{ "priority", opt_metric },
	{ "preference", opt_metric },
	{ "dev", opt_dev },
	{ "oif", opt_dev },
	{ "onlink", opt_onlink },
	{ "realms", opt_realms },
	{ "pref", opt_pref },
	{ "add", opt_mode },
	{ "prepend", opt_mode },
	{ "append", opt_mode },
	{ "no_track", opt_no_track },
	{ "features", opt_features },
	{ "or", opt_or },
};

/* Route metrics that take one number, some after an optional "lock". */
static const struct {
	const char *name;
	enum conf_rt_metric m;
	uint32_t max;
	bool lock;
} mopts[] = {
	{ "mtu", CONF_RTM_MTU, UINT32_MAX, true },
	{ "hoplimit", CONF_RTM_HOPLIMIT, 255, false },
	{ "advmss", CONF_RTM_ADVMSS, UINT32_MAX, true },
	{ "reordering", CONF_RTM_REORDERING, UINT32_MAX, true },
	{ "window", CONF_RTM_WINDOW, UINT32_MAX, false },
	{ "cwnd", CONF_RTM_CWND, UINT32_MAX, true },
	{ "ssthresh", CONF_RTM_SSTHRESH, UINT32_MAX, true },
	{ "initcwnd", CONF_RTM_INITCWND, UINT32_MAX, false },
	{ "initrwnd", CONF_RTM_INITRWND, UINT32_MAX, false },
	{ "quickack", CONF_RTM_QUICKACK, 1, false },
	{ "fastopen_no_cookie", CONF_RTM_FASTOPEN_NO_COOKIE, 1, false },
};

#define NO_TCP_METRIC "set it with ip route change in a notify_master script"
#define NO_MPLS	      "MPLS routes are not implemented"

/* keepalived's options vrrpd refuses, and what to do instead. */
static const struct {
	const char *name;
	const char *why;
} refused[] = {
	{ "rtt", NO_TCP_METRIC },
	{ "rttvar", NO_TCP_METRIC },
	{ "rto_min", NO_TCP_METRIC },
	{ "congctl", NO_TCP_METRIC },
	{ "encap",
	    "lightweight tunnel encapsulation is not implemented; "
	    "add the route with ip route in a notify_master script" },
	{ "expires",
	    "vrrpd adds no expiring routes; the route lives while "
	    "the instance is master" },
	{ "vrf", "write table N with the VRF's routing table instead" },
	{ "as", NO_MPLS },
	{ "ttl-propagate", NO_MPLS },
	{ "track_group",
	    "static routes are not tied to instances; track the route's "
	    "interface in those instances with track_interface" },
};

/* The route types: the ones vrrpd adds, and the ones it refuses. */
static const struct {
	const char *name;
	uint8_t type;
	bool ok;
} rtypes[] = {
	{ "unicast", RTN_UNICAST, true },
	{ "blackhole", RTN_BLACKHOLE, true },
	{ "unreachable", RTN_UNREACHABLE, true },
	{ "prohibit", RTN_PROHIBIT, true },
	{ "throw", RTN_THROW, true },
	{ "local", RTN_LOCAL, true },
	{ "broadcast", RTN_BROADCAST, true },
	{ "brd", RTN_BROADCAST, true },
	{ "anycast", RTN_ANYCAST, true },
	{ "multicast", RTN_MULTICAST, true },
	{ "nat", RTN_NAT, false },
	{ "xresolve", RTN_XRESOLVE, false },
};

static enum conf_rt_err
opt_metric_value(struct rparse *r, size_t k)
{
	struct rtp *p = &r->p;
	enum conf_rt_metric m = mopts[k].m;
	const char *s;
	uint64_t v;

	if (mopts[k].lock && p->i + 1 < p->ntok &&
	    strcmp(p->tok[p->i + 1], "lock") == 0) {
		if (p->i + 2 >= p->ntok)
			return rtp_err(p, CONF_RT_MISSING_VALUE, p->i + 1,
			    "route option %s lock needs a value",
			    mopts[k].name);
		p->i++;
		r->rt->metrics_lock |= 1u << m;
	}
	r->rt->metrics_set |= 1u << m;
	if ((s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	if (!rtp_number(s, mopts[k].max, &v))
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "route option %s: %s is not a number from 0 to %u",
		    mopts[k].name, s, mopts[k].max);
	r->rt->metrics[m] = (uint32_t)v;
	return CONF_RT_OK;
}

/* "[to] [TYPE] PREFIX": the destination, with keepalived's "default6". */
static enum conf_rt_err
opt_dest(struct rparse *r)
{
	struct rtp *p = &r->p;
	size_t first = p->i;
	const char *s = p->tok[p->i];
	bool named = false, v6;
	struct addr dst;
	uint8_t len = 0;
	int rc;

	if (strcmp(s, "to") == 0) {
		if ((s = rtp_value(p)) == NULL)
			return CONF_RT_MISSING_VALUE;
		named = true;
	}
	for (size_t k = 0; k < sizeof(rtypes) / sizeof(rtypes[0]); k++) {
		if (strcmp(s, rtypes[k].name) != 0)
			continue;
		if (!rtypes[k].ok)
			return rtp_err(p, CONF_RT_UNSUPPORTED, p->i,
			    "route type %s is not supported by vrrpd: Linux "
			    "removed it (2.6), and refuses such routes",
			    s);
		r->rt->type = rtypes[k].type;
		if ((s = rtp_value(p)) == NULL)
			return CONF_RT_MISSING_VALUE;
		named = true;
		break;
	}
	v6 = strcmp(s, "default6") == 0;
	rc = v6 ? 0 : rtp_prefix(s, true, &dst, &len);
	if (rc == -1 && !named && first == p->i)
		return rtp_err(p, CONF_RT_UNKNOWN, p->i,
		    "unknown route option %s (and not a destination prefix)",
		    s);
	if (rc == -1)
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "route destination %s is not a prefix", s);
	if (rc == -2)
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "route destination %s has host bits set; write the "
		    "network address (the kernel refuses it)",
		    s);
	if (r->has_dst)
		return rtp_err(p, CONF_RT_CONFLICT, p->i,
		    "route has two destinations: %s and %s", p->tok[r->dst_tok],
		    s);
	r->has_dst = true;
	r->dst_tok = p->i;
	if (v6) {
		rtp_warn(p, p->i,
		    "route destination default6 is deprecated (keepalived "
		    "says so too); write inet6 default");
		return rtp_family(p, AF_INET6, p->i);
	}
	r->rt->dst = dst;
	r->rt->dst_len = len;
	return rtp_family(p, dst.af, p->i);
}

/* The option at tok[p->i], whichever it is. */
static enum conf_rt_err
route_option(struct rparse *r)
{
	const char *s = r->p.tok[r->p.i];

	for (size_t k = 0; k < sizeof(ropts) / sizeof(ropts[0]); k++)
		if (strcmp(s, ropts[k].name) == 0)
			return ropts[k].fn(r);
	for (size_t k = 0; k < sizeof(mopts) / sizeof(mopts[0]); k++)
		if (strcmp(s, mopts[k].name) == 0)
			return opt_metric_value(r, k);
	for (size_t k = 0; k < sizeof(refused) / sizeof(refused[0]); k++)
		if (strcmp(s, refused[k].name) == 0)
			return rtp_err(&r->p, CONF_RT_UNSUPPORTED, r->p.i,
			    "route option %s is not supported by vrrpd: %s", s,
			    refused[k].why);
	return opt_dest(r);
}

/* One "nexthop" and its options, up to the next "nexthop". */
static enum conf_rt_err
nexthop(struct rparse *r)
{
	struct rtp *p = &r->p;
	struct conf_nexthop *nh;
	size_t at = p->i;
	const char *s;
	uint32_t w;

	if (r->rt->nnh == CONF_RT_MAX_NEXTHOPS)
		return rtp_err(p, CONF_RT_TOO_MANY, at,
		    "route has more than %d nexthops", CONF_RT_MAX_NEXTHOPS);
	nh = &r->rt->nh[r->rt->nnh++];
	p->what = "nexthop";
	for (p->i++; p->i < p->ntok; p->i++) {
		s = p->tok[p->i];
		if (strcmp(s, "nexthop") == 0)
			break;
		if (strcmp(s, "via") == 0)
			via_value(p, &nh->via);
		else if (strcmp(s, "dev") == 0)
			rtp_ifname(p, nh->dev);
		else if (strcmp(s, "weight") == 0 &&
		    rtp_u32(p, CONF_RTN_MAX, 256, &w) == CONF_RT_OK) {
			if (w == 0)
				rtp_err(p, CONF_RT_BAD_VALUE, p->i,
				    "nexthop option weight: 0 is not from 1 "
				    "to 256");
			nh->weight = (uint16_t)w;
		} else if (strcmp(s, "onlink") == 0)
			nh->onlink = true;
		else if (strcmp(s, "realms") == 0)
			rtp_realms(p, &nh->realms);
		else if (strcmp(s, "encap") == 0 || strcmp(s, "as") == 0)
			rtp_err(p, CONF_RT_UNSUPPORTED, p->i,
			    "nexthop option %s is not supported by vrrpd: %s",
			    s,
			    s[0] == 'a' ? NO_MPLS :
					  "encapsulation is not implemented");
		else if (strcmp(s, "weight") != 0)
			rtp_err(p, CONF_RT_UNKNOWN, p->i,
			    "unknown nexthop option %s", s);
		if (p->diag->err != CONF_RT_OK)
			return p->diag->err;
	}
	p->what = "route";
	if (nh->via.af == AF_UNSPEC && nh->dev[0] == '\0')
		return rtp_err(p, CONF_RT_BAD_VALUE, at,
		    "nexthop needs a via or a dev");
	return CONF_RT_OK;
}

static enum conf_rt_err
route_check_type(struct rparse *r)
{
	struct conf_route *rt = r->rt;

	/* As iproute2 and keepalived: no default scope or table by type. */
	if (rt->type != RTN_BLACKHOLE && rt->type != RTN_UNREACHABLE &&
	    rt->type != RTN_PROHIBIT && rt->type != RTN_THROW)
		return CONF_RT_OK;
	if (rt->via.af != AF_UNSPEC || rt->dev[0] != '\0' || rt->nnh > 0)
		return rtp_err(&r->p, CONF_RT_CONFLICT, r->dst_tok,
		    "route %s is a %s route: it takes no via, dev or nexthop "
		    "(the kernel refuses them)",
		    r->p.tok[r->dst_tok],
		    rt->type == RTN_BLACKHOLE	    ? "blackhole" :
			rt->type == RTN_UNREACHABLE ? "unreachable" :
			rt->type == RTN_PROHIBIT    ? "prohibit" :
						      "throw");
	return CONF_RT_OK;
}

/*
 * keepalived 2.2.7 tracks a route only with its own protocol and a dev:
 * it resets another protocol, and leaves a route without dev untracked,
 * saying so. vrrpd does the same.
 */
static void
route_tracking(struct rparse *r)
{
	struct conf_route *rt = r->rt;

	if (rt->no_track)
		return;
	if (r->proto_set && rt->protocol != CONF_RT_PROTO_OWN) {
		rtp_warn(&r->p, r->proto_tok,
		    "route protocol %u cannot be tracked: protocol "
		    "keepalived (18) is used, as keepalived does; add no_track "
		    "to keep protocol %u",
		    rt->protocol, rt->protocol);
		rt->protocol = CONF_RT_PROTO_OWN;
	}
	/* A blackhole, unreachable, prohibit or throw route has no dev. */
	if (rt->type == RTN_BLACKHOLE || rt->type == RTN_UNREACHABLE ||
	    rt->type == RTN_PROHIBIT || rt->type == RTN_THROW) {
		rt->no_track = true;
		return;
	}
	if (rt->dev[0] == '\0') {
		rtp_warn(&r->p, r->dst_tok,
		    "route %s has no dev: it is not tracked (keepalived does "
		    "not track it either); add no_track to say so",
		    r->p.tok[r->dst_tok]);
		rt->no_track = true;
	}
}

static enum conf_rt_err
route_finish(struct rparse *r)
{
	struct conf_route *rt = r->rt;

	if (!r->has_dst)
		return rtp_err(&r->p, CONF_RT_NO_DEST, 0,
		    "route has no destination: %s", r->p.tok[0]);
	if (rt->nnh > 0 && rt->via.af != AF_UNSPEC)
		return rtp_err(&r->p, CONF_RT_CONFLICT, r->dst_tok,
		    "route %s has a via and nexthops; write via in each "
		    "nexthop",
		    r->p.tok[r->dst_tok]);
	if (route_check_type(r) != CONF_RT_OK)
		return r->p.diag->err;
	if (r->p.family == AF_UNSPEC)
		r->p.family = AF_INET;
	rt->family = r->p.family;
	rtp_fix_family(&rt->dst, rt->family);
	route_tracking(r);
	return CONF_RT_OK;
}

enum conf_rt_err
conf_route_parse(const char *const *tok, size_t ntok, struct conf_rt_ctx *ctx,
    struct conf_route *out, struct conf_rt_diag *diag)
{
	struct rparse r = { .p = { .tok = tok,
				.ntok = ntok,
				.ctx = ctx,
				.diag = diag,
				.what = "route" },
		.rt = out };

	memset(out, 0, sizeof(*out));
	memset(diag, 0, sizeof(*diag));
	out->type = RTN_UNICAST;
	out->table = RT_TABLE_MAIN;
	out->protocol = CONF_RT_PROTO_OWN;
	if (ntok == 0) {
		diag->err = CONF_RT_NO_DEST;
		snprintf(diag->msg, sizeof(diag->msg), "empty route");
		return diag->err;
	}
	for (r.p.i = 0; r.p.i < ntok; r.p.i++) {
		if (strcmp(tok[r.p.i], "nexthop") == 0) {
			if (r.has_or) {
				rtp_err(&r.p, CONF_RT_CONFLICT, r.p.i,
				    "route has both or and nexthop; write "
				    "only nexthops");
				break;
			}
			while (r.p.i < ntok && nexthop(&r) == CONF_RT_OK)
				;
			break;
		}
		if (route_option(&r) != CONF_RT_OK)
			break;
	}
	if (diag->err != CONF_RT_OK)
		return diag->err;
	return route_finish(&r);
}
