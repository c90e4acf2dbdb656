/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The native YAML front end's lists (addresses, peers, tracks, members,
 * HTTP statuses) and the keys inside a virtual address: a list item may be
 * a plain scalar or a mapping, which the typed tables cannot say alone.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_priv.h"

/* Any model array: the pointer is copied, never read through void **. */
struct list_ctx {
	void *arrp; /* the address of the array pointer */
	size_t *n;
	size_t size;
	const struct ys_field *fields;
};

/* A new zeroed element, or NULL past CONF_MAX_ITEMS (reported). */
static void *
list_push(struct ys *ys, struct list_ctx *l)
{
	struct conf_loc loc = ys_loc(ys);
	char *base;

	memcpy(&base, l->arrp, sizeof(base));
	if ((base = conf_grow(ys->conf, &loc, base, *l->n, l->size)) == NULL) {
		ys_skip(ys);
		return NULL;
	}
	memcpy(l->arrp, &base, sizeof(base));
	memset(base + *l->n * l->size, 0, l->size);
	return base + (*l->n)++ * l->size;
}

static void
vip_item(struct ys *ys, void *ctx)
{
	struct list_ctx *l = ctx;
	struct conf_vip *v;
	struct ys_seen seen;
	const char *text, *why;

	if ((v = list_push(ys, l)) == NULL)
		return;
	v->loc = ys_loc(ys);
	v->preferred_lft = -1;
	if (ys->ev.type == YAML_MAPPING_START_EVENT) {
		ys_map(ys, l->fields, v, &seen);
		if (v->addr.af != AF_UNSPEC)
			return;
		if (!(seen.mask & 1))
			ys_error(ys, &v->loc, CONF_ERROR,
			    "%s: missing key 'address'", ys_path(ys));
	} else if ((text = ys_scalar(ys, "an address or a mapping")) != NULL) {
		if (conf_parse_prefix(text, &v->addr, &v->prefix, &why) == 0)
			return;
		ys_expected(ys, "an address like 192.0.2.1/24");
	}
	(*l->n)--; /* no address: nothing to hand on to the validator */
}

static void
peer_item(struct ys *ys, void *ctx)
{
	struct list_ctx *l = ctx;
	struct conf_peer *p;
	struct ys_seen seen;
	const char *text;

	if ((p = list_push(ys, l)) == NULL)
		return;
	p->loc = ys_loc(ys);
	p->max_ttl = 255;
	if (ys->ev.type == YAML_MAPPING_START_EVENT) {
		ys_map(ys, l->fields, p, &seen);
		if (p->addr.af != AF_UNSPEC)
			return;
		if (!(seen.mask & 1))
			ys_error(ys, &p->loc, CONF_ERROR,
			    "%s: missing key 'address'", ys_path(ys));
	} else if ((text = ys_scalar(ys, "an address or a mapping")) != NULL) {
		if (addr_parse(text, &p->addr) == 0)
			return;
		ys_expected(ys, "an IP address");
	}
	(*l->n)--;
}

/* The later of the object keys an entry names, for the message. */
static const struct conf_loc *
later_kind(const struct ys_seen *seen)
{
	const struct conf_loc *last = NULL;

	for (int k = 0; k < 4; k++)
		if ((seen->mask & (1ull << k)) &&
		    (last == NULL || seen->locs[k].line > last->line ||
			(seen->locs[k].line == last->line &&
			    seen->locs[k].col > last->col)))
			last = &seen->locs[k];
	return last;
}

static void
track_item(struct ys *ys, void *ctx)
{
	struct list_ctx *l = ctx;
	struct conf_track *t;
	struct ys_seen seen;
	unsigned int kinds;

	if (ys->ev.type != YAML_MAPPING_START_EVENT) {
		ys_expected(ys, "a mapping like {check: NAME, weight: -10}");
		return;
	}
	if ((t = list_push(ys, l)) == NULL)
		return;
	t->loc = ys_loc(ys);
	ys_map(ys, l->fields, t, &seen);
	kinds = (unsigned int)__builtin_popcountll(seen.mask & 0xf);
	if (kinds == 1 && t->name != NULL)
		return;
	if (kinds == 0)
		ys_error(ys, &t->loc, CONF_ERROR,
		    "%s: expected one of check, interface, file or process",
		    ys_path(ys));
	else if (kinds > 1)
		ys_error(ys, later_kind(&seen), CONF_ERROR,
		    "%s: one of check, interface, file or process per entry",
		    ys_path(ys));
	free(t->name);
	(*l->n)--;
}

static bool
parse_track_obj(struct ys *ys, const struct ys_field *f, void *obj)
{
	struct conf_track *t = obj;
	const char *v = ys_scalar(ys, "a name");

	if (v == NULL)
		return false;
	if (*v == '\0') {
		ys_expected(ys, "a name");
		return false;
	}
	free(t->name);
	t->name = conf_strdup(v);
	t->kind = (enum conf_track_kind)f->min;
	return true;
}

static bool
parse_list(struct ys *ys, const struct ys_field *f, void *obj)
{
	struct conf_instance *in = obj;
	struct conf_sync_group *g = obj;
	struct list_ctx l = { .fields = f->sub };

	switch (f->custom) {
	case YC_VIPS:
	case YC_VIPS_EXCL:
		l.arrp = f->custom == YC_VIPS ? (void *)&in->vips :
						(void *)&in->vips_excluded;
		l.n = f->custom == YC_VIPS ? &in->nvips : &in->nvips_excluded;
		l.size = sizeof(struct conf_vip);
		ys_list(ys, vip_item, &l);
		break;
	case YC_PEERS:
		in->unicast = true; /* even empty: unicast_fault_no_peer */
		l.arrp = &in->peers;
		l.n = &in->npeers;
		l.size = sizeof(struct conf_peer);
		ys_list(ys, peer_item, &l);
		break;
	default:
		l.arrp = f->custom == YC_TRACKS_INST ? (void *)&in->tracks :
						       (void *)&g->tracks;
		l.n = f->custom == YC_TRACKS_INST ? &in->ntracks : &g->ntracks;
		l.size = sizeof(struct conf_track);
		ys_list(ys, track_item, &l);
		break;
	}
	return true;
}

/* A route or rule list: each item one line, as keepalived writes it. */
struct rt_list {
	struct list_ctx l;
	enum conf_rt_kind kind;
};

static void
rt_item(struct ys *ys, void *ctx)
{
	struct rt_list *r = ctx;
	struct conf_loc loc = ys_loc(ys);
	const char *text;
	void *e;

	text = ys_scalar(ys,
	    r->kind == CONF_RTK_VROUTE || r->kind == CONF_RTK_SROUTE ?
		"a route like \"198.51.100.0/24 via 192.0.2.1 dev eth0\"" :
		"a rule like \"from 192.0.2.0/24 table 100 preference 100\"");
	if (text == NULL || (e = list_push(ys, &r->l)) == NULL)
		return;
	if (!conf_rt_line(ys->conf, r->kind, &ys->rt, text, &loc, e))
		(*r->l.n)--;
}

static bool
parse_routes(struct ys *ys, const struct ys_field *f, void *obj)
{
	struct conf_instance *in = obj;
	struct conf_global *g = &((struct conf *)obj)->global;
	struct rt_list r;

	memset(&r, 0, sizeof(r));
	switch (f->custom) {
	case YC_ROUTES:
		r.kind = CONF_RTK_VROUTE;
		r.l.arrp = &in->vroutes;
		r.l.n = &in->nvroutes;
		break;
	case YC_RULES:
		r.kind = CONF_RTK_VRULE;
		r.l.arrp = &in->vrules;
		r.l.n = &in->nvrules;
		break;
	case YC_STATIC_ROUTES:
		r.kind = CONF_RTK_SROUTE;
		r.l.arrp = &g->static_routes;
		r.l.n = &g->nstatic_routes;
		break;
	default:
		r.kind = CONF_RTK_SRULE;
		r.l.arrp = &g->static_rules;
		r.l.n = &g->nstatic_rules;
		break;
	}
	r.l.size = r.kind == CONF_RTK_VROUTE || r.kind == CONF_RTK_SROUTE ?
	    sizeof(struct conf_route) :
	    sizeof(struct conf_rule);
	ys_list(ys, rt_item, &r);
	return true;
}

/* static_ipaddress: addresses as in virtual_ipaddress (over struct conf). */
static bool
parse_static_addrs(struct ys *ys, const struct ys_field *f, void *obj)
{
	struct conf_global *g = &((struct conf *)obj)->global;
	struct list_ctx l = { .arrp = &g->static_addrs,
		.n = &g->nstatic_addrs,
		.size = sizeof(struct conf_vip),
		.fields = f->sub };

	ys_list(ys, vip_item, &l);
	return true;
}

static void
member_item(struct ys *ys, void *ctx)
{
	struct conf_sync_group *g = ctx;
	struct conf_loc loc = ys_loc(ys), *lp;
	size_t n = g->nmembers;
	const char *v;
	char **m;

	if ((v = ys_scalar(ys, "an instance name")) == NULL)
		return;
	if (*v == '\0') {
		ys_expected(ys, "an instance name");
		return;
	}
	if ((m = CONF_PUSH(ys->conf, &loc, g->members, g->nmembers)) == NULL)
		return;
	*m = conf_strdup(v);
	if ((lp = CONF_PUSH(ys->conf, &loc, g->member_locs, n)) != NULL)
		*lp = loc;
}

static bool
parse_members(struct ys *ys, const struct ys_field *f, void *obj)
{
	(void)f;
	ys_list(ys, member_item, obj);
	return true;
}

/* 200, or a range "200-299". */
static void
status_item(struct ys *ys, void *ctx)
{
	struct conf_check *c = ctx;
	struct conf_status_range *r;
	struct conf_loc loc = ys_loc(ys);
	const char *v = ys_scalar(ys, "an HTTP status"), *why;
	char lo[8], *dash;
	long long a, b;

	if (v == NULL)
		return;
	snprintf(lo, sizeof(lo), "%s", v);
	if ((dash = strchr(lo, '-')) != NULL)
		*dash = '\0';
	if (strlen(v) >= sizeof(lo) ||
	    conf_parse_int(lo, 100, 599, &a, &why) != 0 ||
	    conf_parse_int(dash != NULL ? strchr(v, '-') + 1 : lo, a, 599, &b,
		&why) != 0) {
		ys_expected(ys,
		    "an HTTP status 100..599 or a range like "
		    "200-299");
		return;
	}
	r = CONF_PUSH(ys->conf, &loc, c->expect_status, c->nexpect_status);
	if (r != NULL) {
		r->lo = (uint16_t)a;
		r->hi = (uint16_t)b;
	}
}

static bool
parse_status(struct ys *ys, const struct ys_field *f, void *obj)
{
	(void)f;
	ys_list(ys, status_item, obj);
	return true;
}

/* ---- inside a virtual address ---- */

static bool
parse_vip_addr(struct ys *ys, const struct ys_field *f, void *obj)
{
	struct conf_vip *v = obj;
	const char *text = ys_scalar(ys, "an address"), *why;

	(void)f;
	if (text == NULL)
		return false;
	if (conf_parse_prefix(text, &v->addr, &v->prefix, &why) != 0) {
		ys_expected(ys, "an address like 192.0.2.1/24");
		return false;
	}
	return true;
}

static bool
parse_vip_scope(struct ys *ys, const struct ys_field *f, void *obj)
{
	const char *text = ys_scalar(ys, "a scope");

	(void)f;
	if (text == NULL)
		return false;
	if (conf_parse_scope(text, &((struct conf_vip *)obj)->scope) != 0) {
		ys_expected(ys, "global, site, link, host, nowhere or 0..255");
		return false;
	}
	return true;
}

static bool
parse_vip_brd(struct ys *ys, const struct ys_field *f, void *obj)
{
	struct conf_vip *v = obj;
	const char *text = ys_scalar(ys, "an address, + or -");

	(void)f;
	if (text == NULL)
		return false;
	if (strcmp(text, "+") == 0)
		v->brd = CONF_BRD_PLUS;
	else if (strcmp(text, "-") == 0)
		v->brd = CONF_BRD_MINUS;
	else if (addr_parse(text, &v->brd_addr) == 0)
		v->brd = CONF_BRD_ADDR;
	else {
		ys_expected(ys, "an address, + or -");
		return false;
	}
	return true;
}

static bool
parse_vip_lft(struct ys *ys, const struct ys_field *f, void *obj)
{
	struct conf_vip *v = obj;
	const char *text = ys_scalar(ys, "seconds or forever"), *why;
	long long n;

	(void)f;
	if (text == NULL)
		return false;
	if (strcmp(text, "forever") == 0)
		v->preferred_lft = -1;
	else if (conf_parse_int(text, 0, UINT32_MAX - 1, &n, &why) == 0)
		v->preferred_lft = n;
	else {
		ys_expected(ys, "seconds 0..4294967294 or forever");
		return false;
	}
	return true;
}

ys_parse_fn *const ys_parse_custom[YC_COUNT] = {
	[YC_CHECKS] = ys_parse_named,
	[YC_TRACK_FILES] = ys_parse_named,
	[YC_TRACK_PROCS] = ys_parse_named,
	[YC_SYNC_GROUPS] = ys_parse_named,
	[YC_INSTANCES] = ys_parse_named,
	[YC_VIPS] = parse_list,
	[YC_VIPS_EXCL] = parse_list,
	[YC_PEERS] = parse_list,
	[YC_TRACKS_INST] = parse_list,
	[YC_TRACKS_GROUP] = parse_list,
	[YC_MEMBERS] = parse_members,
	[YC_STATUS] = parse_status,
	[YC_VIP_ADDR] = parse_vip_addr,
	[YC_VIP_SCOPE] = parse_vip_scope,
	[YC_VIP_BRD] = parse_vip_brd,
	[YC_VIP_LFT] = parse_vip_lft,
	[YC_TRACK_OBJ] = parse_track_obj,
	[YC_ROUTES] = parse_routes,
	[YC_RULES] = parse_routes,
	[YC_STATIC_ADDRS] = parse_static_addrs,
	[YC_STATIC_ROUTES] = parse_routes,
	[YC_STATIC_RULES] = parse_routes,
};
