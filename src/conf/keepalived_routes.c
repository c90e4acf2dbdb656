/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived.conf: virtual_routes and virtual_rules inside vrrp_instance,
 * static_ipaddress, static_routes and static_rules at the top level. A
 * line's words go to the route and rule parser (route_parse.c,
 * rule_parse.c) with their positions, so a message points at the word.
 */

#include <stdlib.h>
#include <string.h>

#include "kaparse.h"
#include "vrrpd/conf_route.h"

/* Where the items of one list go. */
struct rt_target {
	enum conf_rt_kind kind;
	void *arrp; /* the address of the array pointer */
	size_t *n;
};

static void
rt_item(struct kparse *p, struct stmt *st, void *obj)
{
	struct rt_target *t = obj;
	const char *tok[MAX_ARGS + 1];
	struct conf_loc locs[MAX_ARGS + 1];
	bool route = t->kind == CONF_RTK_VROUTE || t->kind == CONF_RTK_SROUTE;
	size_t size =
	    route ? sizeof(struct conf_route) : sizeof(struct conf_rule);
	char *base;

	tok[0] = st->kwtext;
	locs[0] = st->kw.loc;
	for (size_t i = 0; i < st->nargs; i++) {
		tok[i + 1] = st->args[i];
		locs[i + 1] = *ka_arg_loc(st, i);
	}
	memcpy(&base, t->arrp, sizeof(base));
	if ((base = conf_grow(p->conf, &st->kw.loc, base, *t->n, size)) == NULL)
		return;
	memcpy(t->arrp, &base, sizeof(base));
	if (conf_rt_tokens(p->conf, t->kind, &p->rt, tok, st->nargs + 1, locs,
		base + *t->n * size))
		(*t->n)++;
}

/* virtual_routes { ... }, virtual_rules { ... }: kw->lo is the kind. */
void
ka_vroutes(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	struct conf_instance *in = obj;
	struct rt_target t = { .kind = (enum conf_rt_kind)kw->lo };

	t.arrp = t.kind == CONF_RTK_VROUTE ? (void *)&in->vroutes :
					     (void *)&in->vrules;
	t.n = t.kind == CONF_RTK_VROUTE ? &in->nvroutes : &in->nvrules;
	ka_parse_items(p, st, &t, rt_item);
}

/* static_routes { ... }, static_rules { ... } at the top level. */
void
ka_static_routes(struct kparse *p, struct stmt *st, void *obj,
    const struct kw *kw)
{
	struct conf_global *g = obj;
	struct rt_target t = { .kind = (enum conf_rt_kind)kw->lo };

	t.arrp = t.kind == CONF_RTK_SROUTE ? (void *)&g->static_routes :
					     (void *)&g->static_rules;
	t.n =
	    t.kind == CONF_RTK_SROUTE ? &g->nstatic_routes : &g->nstatic_rules;
	ka_parse_items(p, st, &t, rt_item);
}

static void
static_addr_item(struct kparse *p, struct stmt *st, void *obj)
{
	struct conf_global *g = obj;

	for (size_t i = 0; i < st->nargs; i++)
		if (strcmp(st->args[i], "track_group") == 0) {
			ka_err(p, ka_arg_loc(st, i),
			    "static_ipaddress option track_group: not "
			    "supported by vrrpd: static addresses are not "
			    "tied to instances; track the address's "
			    "interface in those instances with "
			    "track_interface");
			return;
		}
	ka_vip_item(p, st, &g->static_addrs, &g->nstatic_addrs);
}

/* static_ipaddress { ADDR[/LEN] [dev IF] [scope S] [label L] ... } */
void
ka_static_addrs(struct kparse *p, struct stmt *st, void *obj,
    const struct kw *kw)
{
	(void)kw;
	ka_parse_items(p, st, obj, static_addr_item);
}
