/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Routes, rules and static addresses in the model: what both front ends
 * share to read a route or rule line (conf_rt_line), and what the model
 * does with them: free, compare, finish (the interfaces a tracked route or
 * rule makes its instance track) and validate.
 */

#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "vrrpd/conf_route.h"

#define MAX_RT_TOK 128

/*
 * Split text at blanks into tok (at most max), the offset of each token
 * in off; returns the count, or max + 1 when there are more.
 */
static size_t
split(char *text, const char **tok, size_t *off, size_t max)
{
	size_t n = 0;
	char *p = text;

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			return n;
		if (n == max)
			return max + 1;
		off[n] = (size_t)(p - text);
		tok[n++] = p;
		p += strcspn(p, " \t\r\n");
		if (*p != '\0')
			*p++ = '\0';
	}
}

/* The location of token i: locs[i], else loc moved by its offset. */
static struct conf_loc
tok_loc(const struct conf_loc *loc, const struct conf_loc *locs, size_t nlocs,
    const size_t *off, size_t i)
{
	struct conf_loc l = *loc;

	if (locs != NULL && i < nlocs)
		return locs[i];
	if (off != NULL && l.col != 0)
		l.col += (unsigned int)off[i];
	return l;
}

static void
report(struct conf *conf, const struct conf_rt_diag *d, const char *block,
    const struct conf_loc *loc, const struct conf_loc *locs, size_t nlocs,
    const size_t *off)
{
	struct conf_loc l;

	for (size_t i = 0; i < d->nwarn; i++) {
		l = tok_loc(loc, locs, nlocs, off, d->warn_tok[i]);
		conf_diag(conf, &l, CONF_WARNING, "%s: %s", block, d->warn[i]);
	}
	if (d->err != CONF_RT_OK) {
		l = tok_loc(loc, locs, nlocs, off, d->err_tok);
		conf_diag(conf, &l, CONF_ERROR, "%s: %s", block, d->msg);
	}
}

bool
conf_rt_tokens(struct conf *conf, enum conf_rt_kind kind,
    struct conf_rt_ctx *ctx, const char *const *tok, size_t ntok,
    const struct conf_loc *locs, void *out)
{
	static const char *const blocks[] = {
		[CONF_RTK_VROUTE] = "virtual_routes",
		[CONF_RTK_VRULE] = "virtual_rules",
		[CONF_RTK_SROUTE] = "static_routes",
		[CONF_RTK_SRULE] = "static_rules",
	};
	bool route = kind == CONF_RTK_VROUTE || kind == CONF_RTK_SROUTE;
	struct conf_rt_diag d;
	enum conf_rt_err e;

	e = route ? conf_route_parse(tok, ntok, ctx, out, &d) :
		    conf_rule_parse(tok, ntok, ctx, out, &d);
	report(conf, &d, blocks[kind], &locs[0], locs, ntok, NULL);
	if (e == CONF_RT_OK) {
		if (route)
			((struct conf_route *)out)->loc = locs[0];
		else
			((struct conf_rule *)out)->loc = locs[0];
	}
	return e == CONF_RT_OK;
}

bool
conf_rt_line(struct conf *conf, enum conf_rt_kind kind, struct conf_rt_ctx *ctx,
    const char *text, const struct conf_loc *loc, void *out)
{
	const char *tok[MAX_RT_TOK];
	size_t off[MAX_RT_TOK], n;
	struct conf_loc locs[MAX_RT_TOK];
	char *copy = conf_strdup(text);
	bool ok;

	n = split(copy, tok, off, MAX_RT_TOK);
	if (n > MAX_RT_TOK) {
		conf_diag(conf, loc, CONF_ERROR,
		    "%s: more than %d words in one line",
		    kind == CONF_RTK_VROUTE || kind == CONF_RTK_SROUTE ?
			"route" :
			"rule",
		    MAX_RT_TOK);
		free(copy);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		locs[i] = tok_loc(loc, NULL, 0, off, i);
	if (n == 0)
		locs[0] = *loc;
	ok = conf_rt_tokens(conf, kind, ctx, tok, n, locs, out);
	free(copy);
	return ok;
}

/* ---- the model ---- */

void
conf_routes_free(struct conf_instance *in, struct conf_global *g)
{
	if (in != NULL) {
		free(in->vroutes);
		free(in->vrules);
	}
	if (g != NULL) {
		free(g->static_addrs);
		free(g->static_routes);
		free(g->static_rules);
	}
}

static bool
routes_eq(const struct conf_route *a, size_t na, const struct conf_route *b,
    size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!conf_route_equal(&a[i], &b[i]))
			return false;
	return true;
}

static bool
rules_eq(const struct conf_rule *a, size_t na, const struct conf_rule *b,
    size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!conf_rule_equal(&a[i], &b[i]))
			return false;
	return true;
}

bool
conf_routes_instance_eq(const struct conf_instance *a,
    const struct conf_instance *b)
{
	return routes_eq(a->vroutes, a->nvroutes, b->vroutes, b->nvroutes) &&
	    rules_eq(a->vrules, a->nvrules, b->vrules, b->nvrules);
}

bool
conf_routes_global_eq(const struct conf_global *a, const struct conf_global *b)
{
	return routes_eq(a->static_routes, a->nstatic_routes, b->static_routes,
		   b->nstatic_routes) &&
	    rules_eq(a->static_rules, a->nstatic_rules, b->static_rules,
		b->nstatic_rules) &&
	    conf_vips_equal(a->static_addrs, a->nstatic_addrs, b->static_addrs,
		b->nstatic_addrs);
}

/* One implicit interface track (weight 0: FAULT while it is down). */
static void
track_iface(struct conf *conf, struct conf_instance *in, const char *ifname,
    const struct conf_loc *loc)
{
	struct conf_track *t;

	if (ifname[0] == '\0' || strcmp(ifname, in->interface) == 0)
		return;
	/* Tracked already with weight 0 (an interface's default): enough. */
	for (size_t i = 0; i < in->ntracks; i++)
		if (in->tracks[i].kind == CONF_TRACK_IFACE &&
		    (!in->tracks[i].has_weight || in->tracks[i].weight == 0) &&
		    strcmp(in->tracks[i].name, ifname) == 0)
			return;
	if ((t = CONF_PUSH(conf, loc, in->tracks, in->ntracks)) == NULL)
		return;
	t->loc = *loc;
	t->kind = CONF_TRACK_IFACE;
	t->name = conf_strdup(ifname);
	t->has_weight = true;
	t->implicit = true;
}

/*
 * keepalived 2.2.7 (vrrp_complete_instance): a tracked virtual route
 * makes its instance track its dev, a tracked rule its iif and oif, with
 * weight 0; a static address without dev goes on default_interface.
 */
void
conf_routes_finish(struct conf *conf, struct conf_instance *in)
{
	struct conf_global *g = &conf->global;

	for (size_t i = 0; in != NULL && i < in->nvroutes; i++)
		if (!in->vroutes[i].no_track)
			track_iface(conf, in, in->vroutes[i].dev,
			    &in->vroutes[i].loc);
	for (size_t i = 0; in != NULL && i < in->nvrules; i++)
		if (!in->vrules[i].no_track) {
			track_iface(conf, in, in->vrules[i].iif,
			    &in->vrules[i].loc);
			track_iface(conf, in, in->vrules[i].oif,
			    &in->vrules[i].loc);
		}
	if (in != NULL || g->default_interface == NULL ||
	    strlen(g->default_interface) >= CONF_IFNAMSIZ)
		return;
	for (size_t i = 0; i < g->nstatic_addrs; i++)
		if (g->static_addrs[i].dev[0] == '\0')
			strcpy(g->static_addrs[i].dev, g->default_interface);
}

void
conf_routes_validate(struct conf *conf)
{
	const struct conf_global *g = &conf->global;

	for (size_t i = 0; i < g->nstatic_addrs; i++)
		if (g->static_addrs[i].dev[0] == '\0')
			conf_diag(conf, &g->static_addrs[i].loc, CONF_ERROR,
			    "static_ipaddress: an address without dev needs "
			    "default_interface (vrrpd has no eth0 default)");
}
