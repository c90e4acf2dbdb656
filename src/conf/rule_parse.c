/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One rule line of virtual_rules or static_rules, in keepalived 2.2.7's
 * syntax (ip rule add's selectors and actions), into a conf_rule.
 */

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "route_priv.h"

struct uparse {
	struct rtp p;
	struct conf_rule *ru;
	bool has_prio;
	size_t action_tok;
	size_t table_opt_tok; /* realms, suppress_*: table actions only */
	bool table_opt;
	bool proto_set;
	size_t proto_tok;
};

typedef enum conf_rt_err uopt_fn(struct uparse *u);

static enum conf_rt_err
set_action(struct uparse *u, uint8_t action)
{
	if (u->ru->action != FR_ACT_UNSPEC)
		return rtp_err(&u->p, CONF_RT_CONFLICT, u->p.i,
		    "rule has two actions: %s and %s (one of table, goto, nop, "
		    "l3mdev, blackhole, unreachable, prohibit)",
		    u->p.tok[u->action_tok], u->p.tok[u->p.i]);
	u->ru->action = action;
	u->action_tok = u->p.i;
	return CONF_RT_OK;
}

static enum conf_rt_err
uopt_family(struct uparse *u)
{
	return rtp_family(&u->p,
	    strcmp(u->p.tok[u->p.i], "inet6") == 0 ? AF_INET6 : AF_INET,
	    u->p.i);
}

/* "from PREFIX" / "to PREFIX"; "all", "any", "default": no selector. */
static enum conf_rt_err
uopt_fromto(struct uparse *u)
{
	struct rtp *p = &u->p;
	size_t opt = p->i;
	bool from = strcmp(p->tok[opt], "from") == 0;
	struct addr *a = from ? &u->ru->from : &u->ru->to;
	uint8_t *len = from ? &u->ru->from_len : &u->ru->to_len;
	const char *s;
	int rc;

	if ((s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	rc = rtp_prefix(s, true, a, len);
	if (rc == -2)
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "rule option %s: %s has host bits set; write the network "
		    "address",
		    p->tok[opt], s);
	if (rc != 0)
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "rule option %s: %s is not a prefix", p->tok[opt], s);
	if (from)
		u->ru->has_from = a->af != AF_UNSPEC;
	else
		u->ru->has_to = a->af != AF_UNSPEC;
	return rtp_family(p, a->af, p->i);
}

static enum conf_rt_err
uopt_table(struct uparse *u)
{
	size_t opt = u->p.i;

	if (rtp_u32(&u->p, CONF_RTN_TABLE, UINT32_MAX, &u->ru->table) !=
	    CONF_RT_OK)
		return u->p.diag->err;
	if (u->ru->table == 0)
		return rtp_err(&u->p, CONF_RT_BAD_VALUE, u->p.i,
		    "rule option %s: table 0 is not valid", u->p.tok[opt]);
	u->p.i = opt;
	if (set_action(u, FR_ACT_TO_TBL) != CONF_RT_OK)
		return u->p.diag->err;
	u->p.i++;
	return CONF_RT_OK;
}

static enum conf_rt_err
uopt_not(struct uparse *u)
{
	u->ru->invert = true;
	return CONF_RT_OK;
}

static enum conf_rt_err
uopt_prio(struct uparse *u)
{
	u->has_prio = true;
	return rtp_u32(&u->p, CONF_RTN_MAX, UINT32_MAX, &u->ru->priority);
}

static enum conf_rt_err
uopt_tos(struct uparse *u)
{
	uint32_t v;
	enum conf_rt_err e = rtp_u32(&u->p, CONF_RTN_DSFIELD, 255, &v);

	u->ru->tos = (uint8_t)v;
	return e;
}

/* "fwmark MARK[/MASK]", numbers as strtoul base 0 reads them. */
static enum conf_rt_err
uopt_fwmark(struct uparse *u)
{
	struct rtp *p = &u->p;
	char mark[32];
	const char *s, *slash;
	uint64_t v, m = 0;

	if ((s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	slash = strchr(s, '/');
	snprintf(mark, sizeof(mark), "%.*s",
	    slash != NULL ? (int)(slash - s) : (int)strlen(s), s);
	if (!rtp_number(mark, UINT32_MAX, &v) ||
	    (slash != NULL && !rtp_number(slash + 1, UINT32_MAX, &m)))
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "rule option fwmark: %s is not MARK or MARK/MASK (32-bit "
		    "numbers)",
		    s);
	u->ru->has_fwmark = true;
	u->ru->fwmark = (uint32_t)v;
	u->ru->has_fwmask = slash != NULL;
	u->ru->fwmask = (uint32_t)m;
	return CONF_RT_OK;
}

static enum conf_rt_err
uopt_realms(struct uparse *u)
{
	u->table_opt = true;
	u->table_opt_tok = u->p.i;
	if (rtp_family(&u->p, AF_INET, u->p.i) != CONF_RT_OK)
		return u->p.diag->err;
	return rtp_realms(&u->p, &u->ru->realms);
}

static enum conf_rt_err
uopt_sup_pl(struct uparse *u)
{
	uint32_t v;
	enum conf_rt_err e;

	u->table_opt = true;
	u->table_opt_tok = u->p.i;
	e = rtp_u32(&u->p, CONF_RTN_MAX, INT32_MAX, &v);
	u->ru->suppress_prefixlen = (int32_t)v;
	return e;
}

static enum conf_rt_err
uopt_sup_group(struct uparse *u)
{
	u->table_opt = true;
	u->table_opt_tok = u->p.i;
	u->ru->has_suppress_ifgroup = true;
	return rtp_u32(&u->p, CONF_RTN_GROUP, INT32_MAX,
	    &u->ru->suppress_ifgroup);
}

static enum conf_rt_err
uopt_iif(struct uparse *u)
{
	return rtp_ifname(&u->p, u->ru->iif);
}

static enum conf_rt_err
uopt_oif(struct uparse *u)
{
	return rtp_ifname(&u->p, u->ru->oif);
}

static enum conf_rt_err
uopt_tunnel_id(struct uparse *u)
{
	const char *s;
	uint64_t v;

	if ((s = rtp_value(&u->p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	if (!rtp_number(s, UINT64_MAX, &v))
		return rtp_err(&u->p, CONF_RT_BAD_VALUE, u->p.i,
		    "rule option tunnel-id: %s is not a 64-bit number", s);
	u->ru->tunnel_id = v;
	return CONF_RT_OK;
}

/* "N" or "N-M" for uidrange (32-bit) and the ports (16-bit). */
static bool
range(const char *s, uint64_t max, bool single, uint64_t *lo, uint64_t *hi)
{
	const char *dash = strchr(s, '-');
	char first[32];

	if (dash == NULL) {
		if (!single || !rtp_number(s, max, lo))
			return false;
		*hi = *lo;
		return true;
	}
	snprintf(first, sizeof(first), "%.*s", (int)(dash - s), s);
	return rtp_number(first, max, lo) && rtp_number(dash + 1, max, hi) &&
	    *lo <= *hi;
}

static enum conf_rt_err
uopt_range(struct uparse *u)
{
	struct rtp *p = &u->p;
	const char *opt = p->tok[p->i], *s;
	bool uid = strcmp(opt, "uidrange") == 0;
	uint64_t lo, hi;

	if ((s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	if (!range(s, uid ? UINT32_MAX : UINT16_MAX, !uid, &lo, &hi))
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "rule option %s: %s is not %s", opt, s,
		    uid ? "a range FIRST-LAST of user ids" :
			  "a port or a range FIRST-LAST of ports");
	if (uid) {
		u->ru->has_uidrange = true;
		u->ru->uid_lo = (uint32_t)lo;
		u->ru->uid_hi = (uint32_t)hi;
	} else if (opt[0] == 's') {
		u->ru->has_sport = true;
		u->ru->sport_lo = (uint16_t)lo;
		u->ru->sport_hi = (uint16_t)hi;
	} else {
		u->ru->has_dport = true;
		u->ru->dport_lo = (uint16_t)lo;
		u->ru->dport_hi = (uint16_t)hi;
	}
	return CONF_RT_OK;
}

static enum conf_rt_err
uopt_l3mdev(struct uparse *u)
{
	u->ru->l3mdev = true;
	return set_action(u, FR_ACT_TO_TBL);
}

static enum conf_rt_err
uopt_protocol(struct uparse *u)
{
	uint32_t v;
	enum conf_rt_err e;

	u->proto_set = true;
	u->proto_tok = u->p.i;
	e = rtp_u32(&u->p, CONF_RTN_PROTO, 255, &v);
	u->ru->protocol = (uint8_t)v;
	return e;
}

/* /etc/protocols is not read: the protocols rules are written for. */
static const struct {
	const char *name;
	uint8_t proto;
} ipprotos[] = {
	{ "icmp", 1 },
	{ "igmp", 2 },
	{ "tcp", 6 },
	{ "udp", 17 },
	{ "dccp", 33 },
	{ "gre", 47 },
	{ "esp", 50 },
	{ "ah", 51 },
	{ "ipv6-icmp", 58 },
	{ "icmpv6", 58 },
	{ "ospf", 89 },
	{ "sctp", 132 },
	{ "udplite", 136 },
};

static enum conf_rt_err
uopt_ipproto(struct uparse *u)
{
	const char *s;
	uint64_t v;

	if ((s = rtp_value(&u->p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	u->ru->has_ipproto = true;
	for (size_t k = 0; k < sizeof(ipprotos) / sizeof(ipprotos[0]); k++)
		if (strcasecmp(s, ipprotos[k].name) == 0) {
			u->ru->ipproto = ipprotos[k].proto;
			return CONF_RT_OK;
		}
	if (!rtp_number(s, 255, &v))
		return rtp_err(&u->p, CONF_RT_BAD_VALUE, u->p.i,
		    "rule option ipproto: %s is not a protocol number (0..255) "
		    "or one of tcp, udp, icmp, icmpv6, sctp, gre, esp, ah, "
		    "dccp, udplite, igmp, ospf",
		    s);
	u->ru->ipproto = (uint8_t)v;
	return CONF_RT_OK;
}

static enum conf_rt_err
uopt_no_track(struct uparse *u)
{
	u->ru->no_track = true;
	return CONF_RT_OK;
}

static enum conf_rt_err
uopt_track_group(struct uparse *u)
{
	return rtp_err(&u->p, CONF_RT_UNSUPPORTED, u->p.i,
	    "rule option track_group is not supported by vrrpd: static rules "
	    "are not tied to instances; track the rule's interface in those "
	    "instances with track_interface");
}

static const struct {
	const char *name;
	uopt_fn *fn;
} uopts[] = {
	{ "inet", uopt_family },
	{ "inet6", uopt_family },
	{ "from", uopt_fromto },
	{ "to", uopt_fromto },
	{ "table", uopt_table },
	{ "lookup", uopt_table },
	{ "not", uopt_not },
	{ "preference", uopt_prio },
	{ "order", uopt_prio },
	{ "priority", uopt_prio },
	{ "tos", uopt_tos },
	{ "dsfield", uopt_tos },
	{ "fwmark", uopt_fwmark },
	{ "realms", uopt_realms },
	{ "suppress_prefixlength", uopt_sup_pl },
	{ "sup_pl", uopt_sup_pl },
	{ "suppress_ifgroup", uopt_sup_group },
	{ "sup_group", uopt_sup_group },
	{ "dev", uopt_iif },
	{ "iif", uopt_iif },
	{ "oif", uopt_oif },
	{ "tunnel-id", uopt_tunnel_id },
	{ "uidrange", uopt_range },
	{ "sport", uopt_range },
	{ "dport", uopt_range },
	{ "l3mdev", uopt_l3mdev },
	{ "protocol", uopt_protocol },
	{ "ipproto", uopt_ipproto },
	{ "no_track", uopt_no_track },
	{ "track_group", uopt_track_group },
};

/* "[type] goto N | nop | blackhole | unreachable | prohibit". */
static enum conf_rt_err
uopt_action(struct uparse *u)
{
	static const struct {
		const char *name;
		uint8_t action;
	} acts[] = { { "nop", FR_ACT_NOP }, { "blackhole", FR_ACT_BLACKHOLE },
		{ "unreachable", FR_ACT_UNREACHABLE },
		{ "prohibit", FR_ACT_PROHIBIT } };
	struct rtp *p = &u->p;
	const char *s = p->tok[p->i];
	bool typed = strcmp(s, "type") == 0;

	if (typed && (s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	if (strcmp(s, "goto") == 0) {
		if (set_action(u, FR_ACT_GOTO) != CONF_RT_OK)
			return p->diag->err;
		return rtp_u32(p, CONF_RTN_MAX, UINT32_MAX,
		    &u->ru->goto_target);
	}
	for (size_t k = 0; k < sizeof(acts) / sizeof(acts[0]); k++)
		if (strcmp(s, acts[k].name) == 0)
			return set_action(u, acts[k].action);
	if (typed)
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "rule option type: %s is not goto, nop, blackhole, "
		    "unreachable or prohibit",
		    s);
	return rtp_err(p, CONF_RT_UNKNOWN, p->i, "unknown rule option %s", s);
}

static enum conf_rt_err
rule_option(struct uparse *u)
{
	const char *s = u->p.tok[u->p.i];

	for (size_t k = 0; k < sizeof(uopts) / sizeof(uopts[0]); k++)
		if (strcmp(s, uopts[k].name) == 0)
			return uopts[k].fn(u);
	return uopt_action(u);
}

static enum conf_rt_err
rule_check(struct uparse *u)
{
	struct conf_rule *ru = u->ru;
	struct rtp *p = &u->p;

	if (ru->action == FR_ACT_UNSPEC)
		return rtp_err(p, CONF_RT_NO_ACTION, 0,
		    "rule has no action: write table N, goto N, nop, "
		    "blackhole, unreachable or prohibit");
	if (ru->action == FR_ACT_GOTO &&
	    (!u->has_prio || ru->priority >= ru->goto_target))
		return rtp_err(p, CONF_RT_CONFLICT, u->action_tok,
		    "rule goto %u needs a preference below it (keepalived "
		    "refuses it too)",
		    ru->goto_target);
	if (u->table_opt && ru->action != FR_ACT_TO_TBL)
		return rtp_err(p, CONF_RT_CONFLICT, u->table_opt_tok,
		    "rule option %s applies to table lookups only",
		    p->tok[u->table_opt_tok]);
	if (ru->l3mdev && ru->table != 0)
		return rtp_err(p, CONF_RT_CONFLICT, u->action_tok,
		    "rule has both l3mdev and a table");
	return CONF_RT_OK;
}

/* keepalived 2.2.7's defaults: family, tracking protocol, preference. */
static void
rule_finish(struct uparse *u)
{
	struct conf_rule *ru = u->ru;
	struct conf_rt_ctx *ctx = u->p.ctx;
	uint32_t *next;

	if (u->p.family == AF_UNSPEC)
		u->p.family = AF_INET;
	ru->family = u->p.family;
	if (!ru->no_track && u->proto_set &&
	    ru->protocol != CONF_RT_PROTO_OWN) {
		rtp_warn(&u->p, u->proto_tok,
		    "rule protocol %u cannot be tracked: protocol keepalived "
		    "(18) is used, as keepalived does; add no_track to keep "
		    "protocol %u",
		    ru->protocol, ru->protocol);
		ru->protocol = CONF_RT_PROTO_OWN;
	}
	if (u->has_prio)
		return;
	if (ctx != NULL) {
		next =
		    ru->family == AF_INET ? &ctx->next_prio4 : &ctx->next_prio6;
		if (*next == 0)
			*next = CONF_RULE_AUTO_PRIO;
		ru->priority = (*next)--;
	} else {
		ru->priority = CONF_RULE_AUTO_PRIO;
	}
	rtp_warn(&u->p, 0,
	    "rule has no preference: %u is used (keepalived numbers them "
	    "the same way); write preference N",
	    ru->priority);
}

enum conf_rt_err
conf_rule_parse(const char *const *tok, size_t ntok, struct conf_rt_ctx *ctx,
    struct conf_rule *out, struct conf_rt_diag *diag)
{
	struct uparse u = { .p = { .tok = tok,
				.ntok = ntok,
				.ctx = ctx,
				.diag = diag,
				.what = "rule" },
		.ru = out };

	memset(out, 0, sizeof(*out));
	memset(diag, 0, sizeof(*diag));
	out->action = FR_ACT_UNSPEC;
	out->suppress_prefixlen = -1;
	out->protocol = CONF_RT_PROTO_OWN;
	if (ntok == 0) {
		diag->err = CONF_RT_NO_ACTION;
		snprintf(diag->msg, sizeof(diag->msg), "empty rule");
		return diag->err;
	}
	for (u.p.i = 0; u.p.i < ntok; u.p.i++)
		if (rule_option(&u) != CONF_RT_OK)
			return diag->err;
	if (rule_check(&u) != CONF_RT_OK)
		return diag->err;
	rule_finish(&u);
	rtp_fix_family(&out->from, out->family);
	rtp_fix_family(&out->to, out->family);
	return CONF_RT_OK;
}
