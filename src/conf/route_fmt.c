/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Routes and rules back to one canonical line (for --dump-config and
 * log lines), and their equality (for reload).
 */

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "route_priv.h"

/* An output buffer that cuts instead of overflowing. */
struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len + 1 >= o->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
	if (o->len >= o->size)
		o->len = o->size - 1;
}

static void
put_prefix(struct out *o, const char *pre, const struct addr *a, uint8_t len)
{
	char buf[ADDR_STRLEN];

	if (len == 0)
		put(o, "%sdefault", pre);
	else
		put(o, "%s%s/%u", pre, addr_fmt(a, buf, sizeof(buf)), len);
}

static void
put_addr(struct out *o, const char *pre, const struct addr *a)
{
	char buf[ADDR_STRLEN];

	if (a->af != AF_UNSPEC)
		put(o, "%s%s", pre, addr_fmt(a, buf, sizeof(buf)));
}

static void
put_realms(struct out *o, uint32_t realms)
{
	if (realms == 0)
		return;
	if (realms >> 16 != 0)
		put(o, " realms %" PRIu32 "/%" PRIu32, realms >> 16,
		    realms & 0xffff);
	else
		put(o, " realms %" PRIu32, realms);
}

static const char *const metric_names[CONF_RTM_MAX] = {
	[CONF_RTM_MTU] = "mtu",
	[CONF_RTM_HOPLIMIT] = "hoplimit",
	[CONF_RTM_ADVMSS] = "advmss",
	[CONF_RTM_REORDERING] = "reordering",
	[CONF_RTM_WINDOW] = "window",
	[CONF_RTM_CWND] = "cwnd",
	[CONF_RTM_SSTHRESH] = "ssthresh",
	[CONF_RTM_INITCWND] = "initcwnd",
	[CONF_RTM_INITRWND] = "initrwnd",
	[CONF_RTM_QUICKACK] = "quickack",
	[CONF_RTM_FASTOPEN_NO_COOKIE] = "fastopen_no_cookie",
	[CONF_RTM_FEATURES] = "features",
};

static void
put_metrics(struct out *o, const struct conf_route *rt)
{
	for (int m = 0; m < CONF_RTM_MAX; m++) {
		if ((rt->metrics_set & (1u << m)) == 0)
			continue;
		if (m == CONF_RTM_FEATURES)
			put(o, " features ecn");
		else
			put(o, " %s %s%" PRIu32, metric_names[m],
			    (rt->metrics_lock & (1u << m)) != 0 ? "lock " : "",
			    rt->metrics[m]);
	}
}

static const char *
rtype_name(uint8_t type)
{
	switch (type) {
	case RTN_BLACKHOLE:
		return "blackhole ";
	case RTN_UNREACHABLE:
		return "unreachable ";
	case RTN_PROHIBIT:
		return "prohibit ";
	case RTN_THROW:
		return "throw ";
	case RTN_LOCAL:
		return "local ";
	case RTN_BROADCAST:
		return "broadcast ";
	case RTN_ANYCAST:
		return "anycast ";
	case RTN_MULTICAST:
		return "multicast ";
	default:
		return "";
	}
}

const char *
conf_route_format(const struct conf_route *rt, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };

	if (size == 0)
		return buf;
	buf[0] = '\0';
	put(&o, "%s%s",
	    rt->family == AF_INET6 && rt->dst_len == 0 ? "inet6 " : "",
	    rtype_name(rt->type));
	put_prefix(&o, "", &rt->dst, rt->dst_len);
	if (rt->from.af != AF_UNSPEC)
		put_prefix(&o, " from ", &rt->from, rt->from_len);
	put_addr(&o, " src ", &rt->src);
	put_addr(&o, " via ", &rt->via);
	if (rt->dev[0] != '\0')
		put(&o, " dev %s", rt->dev);
	if (rt->onlink)
		put(&o, " onlink");
	if (rt->table != RT_TABLE_MAIN)
		put(&o, " table %" PRIu32, rt->table);
	if (rt->has_metric)
		put(&o, " metric %" PRIu32, rt->metric);
	if (rt->has_scope)
		put(&o, " scope %u", rt->scope);
	if (rt->tos != 0)
		put(&o, " tos %u", rt->tos);
	if (rt->protocol != CONF_RT_PROTO_OWN)
		put(&o, " protocol %u", rt->protocol);
	put_realms(&o, rt->realms);
	if (rt->has_pref)
		put(&o, " pref %u", rt->pref);
	put_metrics(&o, rt);
	if (rt->mode != CONF_RT_PREPEND)
		put(&o, rt->mode == CONF_RT_ADD ? " add" : " append");
	if (rt->no_track)
		put(&o, " no_track");
	for (size_t i = 0; i < rt->nnh; i++) {
		put(&o, " nexthop");
		put_addr(&o, " via ", &rt->nh[i].via);
		if (rt->nh[i].dev[0] != '\0')
			put(&o, " dev %s", rt->nh[i].dev);
		if (rt->nh[i].weight != 0)
			put(&o, " weight %u", rt->nh[i].weight);
		if (rt->nh[i].onlink)
			put(&o, " onlink");
		put_realms(&o, rt->nh[i].realms);
	}
	return buf;
}

static const char *
action_name(const struct conf_rule *ru)
{
	switch (ru->action) {
	case FR_ACT_NOP:
		return "nop";
	case FR_ACT_BLACKHOLE:
		return "blackhole";
	case FR_ACT_UNREACHABLE:
		return "unreachable";
	case FR_ACT_PROHIBIT:
		return "prohibit";
	default:
		return NULL;
	}
}

static void
put_rule_selectors(struct out *o, const struct conf_rule *ru)
{
	if (ru->tos != 0)
		put(o, " tos %u", ru->tos);
	if (ru->has_fwmark && ru->has_fwmask)
		put(o, " fwmark 0x%" PRIx32 "/0x%" PRIx32, ru->fwmark,
		    ru->fwmask);
	else if (ru->has_fwmark)
		put(o, " fwmark 0x%" PRIx32, ru->fwmark);
	if (ru->iif[0] != '\0')
		put(o, " iif %s", ru->iif);
	if (ru->oif[0] != '\0')
		put(o, " oif %s", ru->oif);
	if (ru->tunnel_id != 0)
		put(o, " tunnel-id %" PRIu64, ru->tunnel_id);
	if (ru->has_uidrange)
		put(o, " uidrange %" PRIu32 "-%" PRIu32, ru->uid_lo,
		    ru->uid_hi);
	if (ru->has_ipproto)
		put(o, " ipproto %u", ru->ipproto);
	if (ru->has_sport)
		put(o, " sport %u-%u", ru->sport_lo, ru->sport_hi);
	if (ru->has_dport)
		put(o, " dport %u-%u", ru->dport_lo, ru->dport_hi);
	if (ru->protocol != CONF_RT_PROTO_OWN)
		put(o, " protocol %u", ru->protocol);
}

const char *
conf_rule_format(const struct conf_rule *ru, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };
	const char *act;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (ru->family == AF_INET6 && !ru->has_from && !ru->has_to)
		put(&o, "inet6 ");
	if (ru->invert)
		put(&o, "not ");
	if (ru->has_from)
		put_prefix(&o, "from ", &ru->from, ru->from_len);
	else
		put(&o, "from all");
	if (ru->has_to)
		put_prefix(&o, " to ", &ru->to, ru->to_len);
	put(&o, " preference %" PRIu32, ru->priority);
	put_rule_selectors(&o, ru);
	if (ru->l3mdev)
		put(&o, " l3mdev");
	else if (ru->action == FR_ACT_TO_TBL)
		put(&o, " table %" PRIu32, ru->table);
	else if (ru->action == FR_ACT_GOTO)
		put(&o, " goto %" PRIu32, ru->goto_target);
	else if ((act = action_name(ru)) != NULL)
		put(&o, " %s", act);
	put_realms(&o, ru->realms);
	if (ru->suppress_prefixlen >= 0)
		put(&o, " suppress_prefixlength %" PRId32,
		    ru->suppress_prefixlen);
	if (ru->has_suppress_ifgroup)
		put(&o, " suppress_ifgroup %" PRIu32, ru->suppress_ifgroup);
	if (ru->no_track)
		put(&o, " no_track");
	return buf;
}

static bool
addr_eq(const struct addr *a, const struct addr *b)
{
	return addr_cmp(a, b) == 0;
}

static bool
nexthops_equal(const struct conf_route *a, const struct conf_route *b)
{
	if (a->nnh != b->nnh)
		return false;
	for (size_t i = 0; i < a->nnh; i++) {
		const struct conf_nexthop *x = &a->nh[i], *y = &b->nh[i];

		if (!addr_eq(&x->via, &y->via) || strcmp(x->dev, y->dev) != 0 ||
		    x->weight != y->weight || x->onlink != y->onlink ||
		    x->realms != y->realms)
			return false;
	}
	return true;
}

bool
conf_route_equal(const struct conf_route *a, const struct conf_route *b)
{
	return a->family == b->family && a->type == b->type &&
	    addr_eq(&a->dst, &b->dst) && a->dst_len == b->dst_len &&
	    addr_eq(&a->from, &b->from) && a->from_len == b->from_len &&
	    addr_eq(&a->src, &b->src) && addr_eq(&a->via, &b->via) &&
	    strcmp(a->dev, b->dev) == 0 && a->table == b->table &&
	    a->has_metric == b->has_metric && a->metric == b->metric &&
	    a->has_scope == b->has_scope && a->scope == b->scope &&
	    a->tos == b->tos && a->protocol == b->protocol &&
	    a->onlink == b->onlink && a->realms == b->realms &&
	    memcmp(a->metrics, b->metrics, sizeof(a->metrics)) == 0 &&
	    a->metrics_set == b->metrics_set &&
	    a->metrics_lock == b->metrics_lock && a->has_pref == b->has_pref &&
	    a->pref == b->pref && a->mode == b->mode &&
	    a->no_track == b->no_track && nexthops_equal(a, b);
}

bool
conf_rule_equal(const struct conf_rule *a, const struct conf_rule *b)
{
	return a->family == b->family && a->action == b->action &&
	    a->has_from == b->has_from && addr_eq(&a->from, &b->from) &&
	    a->from_len == b->from_len && a->has_to == b->has_to &&
	    addr_eq(&a->to, &b->to) && a->to_len == b->to_len &&
	    a->table == b->table && a->goto_target == b->goto_target &&
	    a->priority == b->priority && a->invert == b->invert &&
	    a->tos == b->tos && a->has_fwmark == b->has_fwmark &&
	    a->fwmark == b->fwmark && a->has_fwmask == b->has_fwmask &&
	    a->fwmask == b->fwmask && a->realms == b->realms &&
	    a->suppress_prefixlen == b->suppress_prefixlen &&
	    a->has_suppress_ifgroup == b->has_suppress_ifgroup &&
	    a->suppress_ifgroup == b->suppress_ifgroup &&
	    strcmp(a->iif, b->iif) == 0 && strcmp(a->oif, b->oif) == 0 &&
	    a->tunnel_id == b->tunnel_id &&
	    a->has_uidrange == b->has_uidrange && a->uid_lo == b->uid_lo &&
	    a->uid_hi == b->uid_hi && a->l3mdev == b->l3mdev &&
	    a->protocol == b->protocol && a->has_ipproto == b->has_ipproto &&
	    a->ipproto == b->ipproto && a->has_sport == b->has_sport &&
	    a->sport_lo == b->sport_lo && a->sport_hi == b->sport_hi &&
	    a->has_dport == b->has_dport && a->dport_lo == b->dport_lo &&
	    a->dport_hi == b->dport_hi && a->no_track == b->no_track;
}
