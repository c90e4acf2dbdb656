/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Routes and policy rules through rtnetlink, with libnl-route-3: adding
 * and removing them, and the monitor's report of their deletions.
 */

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <endian.h>
#include <stdint.h>
#include <string.h>

#include <netlink/msg.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>

#include "netlink_priv.h"

/* Our metrics, as the kernel numbers them (RTAX_*). */
static const int rtax[CONF_RTM_MAX] = {
	[CONF_RTM_MTU] = RTAX_MTU,
	[CONF_RTM_HOPLIMIT] = RTAX_HOPLIMIT,
	[CONF_RTM_ADVMSS] = RTAX_ADVMSS,
	[CONF_RTM_REORDERING] = RTAX_REORDERING,
	[CONF_RTM_WINDOW] = RTAX_WINDOW,
	[CONF_RTM_CWND] = RTAX_CWND,
	[CONF_RTM_SSTHRESH] = RTAX_SSTHRESH,
	[CONF_RTM_INITCWND] = RTAX_INITCWND,
	[CONF_RTM_INITRWND] = RTAX_INITRWND,
	[CONF_RTM_QUICKACK] = RTAX_QUICKACK,
	[CONF_RTM_FASTOPEN_NO_COOKIE] = RTAX_FASTOPEN_NO_COOKIE,
	[CONF_RTM_FEATURES] = RTAX_FEATURES,
};

static int
ack_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_STOP;
}

static int
err_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	(void)who;
	*(int *)arg = -e->error;
	return NL_STOP;
}

/*
 * Send a request and wait for its answer, keeping the kernel's errno:
 * libnl folds ENETUNREACH, ENETDOWN and others into one code, and the
 * caller's log line needs the real cause. msg is freed.
 */
static int
talk(struct net_link *nl, struct nl_msg *msg)
{
	struct nl_cb *scb, *cb;
	int syserr = 0, err;

	err = nl_send_auto(nl->cmd, msg);
	nlmsg_free(msg);
	if (err < 0)
		return net_link_nlerr(err);
	scb = nl_socket_get_cb(nl->cmd);
	cb = nl_cb_clone(scb);
	nl_cb_put(scb);
	if (cb == NULL)
		return net_link_nlerr(-NLE_NOMEM);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, NULL);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &syserr);
	err = nl_recvmsgs(nl->cmd, cb);
	nl_cb_put(cb);
	if (syserr != 0) {
		errno = syserr;
		return -1;
	}
	return err < 0 ? net_link_nlerr(err) : 0;
}

/* A prefix for libnl; a /0 keeps the zero address of its family. */
static int
set_prefix(struct rtnl_route *ro, const struct addr *a, uint8_t len,
    int (*set)(struct rtnl_route *, struct nl_addr *))
{
	struct nl_addr *na;
	int err;

	if ((na = net_link_nladdr(a, 0)) == NULL)
		return -NLE_NOMEM;
	nl_addr_set_prefixlen(na, len);
	err = set(ro, na);
	nl_addr_put(na);
	return err;
}

/* The interface index of dev now; ENODEV when it is missing. */
static int
dev_index(const char *dev, int *ifindex)
{
	unsigned int i;

	*ifindex = 0;
	if (dev[0] == '\0')
		return 0;
	if ((i = if_nametoindex(dev)) == 0 || i > INT32_MAX)
		return -NLE_NODEV;
	*ifindex = (int)i;
	return 0;
}

/* One path: gateway, interface (its own, else the route's), flags. */
static int
add_nexthop(struct rtnl_route *ro, const struct addr *via, const char *dev,
    const char *route_dev, unsigned int weight, bool onlink, uint32_t realms)
{
	struct rtnl_nexthop *nh;
	struct nl_addr *gw;
	int ifindex, err;

	if ((err = dev_index(dev[0] != '\0' ? dev : route_dev, &ifindex)) < 0)
		return err;
	if ((nh = rtnl_route_nh_alloc()) == NULL)
		return -NLE_NOMEM;
	if (via->af != AF_UNSPEC) {
		if ((gw = net_link_nladdr(via, 0)) == NULL) {
			rtnl_route_nh_free(nh);
			return -NLE_NOMEM;
		}
		rtnl_route_nh_set_gateway(nh, gw);
		nl_addr_put(gw);
	}
	if (ifindex != 0)
		rtnl_route_nh_set_ifindex(nh, ifindex);
	/* rtnh_hops is the weight less one. */
	if (weight > 1)
		rtnl_route_nh_set_weight(nh, (uint8_t)(weight - 1));
	if (onlink)
		rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	if (realms != 0)
		rtnl_route_nh_set_realms(nh, realms);
	rtnl_route_add_nexthop(ro, nh);
	return 0;
}

static int
route_paths(struct rtnl_route *ro, const struct conf_route *rt)
{
	const struct conf_nexthop *nh;
	int err;

	if (rt->type == RTN_BLACKHOLE || rt->type == RTN_UNREACHABLE ||
	    rt->type == RTN_PROHIBIT || rt->type == RTN_THROW)
		return 0;
	if (rt->nnh == 0)
		return add_nexthop(ro, &rt->via, rt->dev, "", 0, rt->onlink,
		    rt->realms);
	for (size_t i = 0; i < rt->nnh; i++) {
		nh = &rt->nh[i];
		if ((err = add_nexthop(ro, &nh->via, nh->dev, rt->dev,
			 nh->weight, nh->onlink || rt->onlink, nh->realms)) < 0)
			return err;
	}
	return 0;
}

static int
route_metrics(struct rtnl_route *ro, const struct conf_route *rt)
{
	uint32_t lock = 0;
	int err;

	for (int m = 0; m < CONF_RTM_MAX; m++) {
		if ((rt->metrics_set & (1u << m)) == 0)
			continue;
		if ((err = rtnl_route_set_metric(ro, rtax[m], rt->metrics[m])) <
		    0)
			return err;
		if ((rt->metrics_lock & (1u << m)) != 0)
			lock |= 1u << rtax[m];
	}
	return lock != 0 ? rtnl_route_set_metric(ro, RTAX_LOCK, lock) : 0;
}

/*
 * The request for rt. A removal names what the kernel matches on (key,
 * protocol, type, and scope only when written: RT_SCOPE_NOWHERE is any)
 * and the path, so only our route goes.
 */
static int
route_build(const struct conf_route *rt, bool add, struct rtnl_route **out)
{
	struct rtnl_route *ro;
	int err;

	*out = NULL;
	if (rt == NULL || (rt->family != AF_INET && rt->family != AF_INET6) ||
	    rt->dst.af != rt->family)
		return -NLE_INVAL;
	if ((ro = rtnl_route_alloc()) == NULL)
		return -NLE_NOMEM;
	rtnl_route_set_family(ro, rt->family);
	rtnl_route_set_type(ro, rt->type);
	rtnl_route_set_table(ro, rt->table);
	rtnl_route_set_protocol(ro, rt->protocol);
	rtnl_route_set_tos(ro, rt->tos);
	rtnl_route_set_scope(ro,
	    rt->has_scope ? rt->scope :
		add	  ? RT_SCOPE_UNIVERSE :
			    RT_SCOPE_NOWHERE);
	if (rt->has_metric)
		rtnl_route_set_priority(ro, rt->metric);
	err = set_prefix(ro, &rt->dst, rt->dst_len, rtnl_route_set_dst);
	if (err == 0 && rt->from.af != AF_UNSPEC)
		err =
		    set_prefix(ro, &rt->from, rt->from_len, rtnl_route_set_src);
	if (err == 0 && rt->src.af != AF_UNSPEC)
		err = set_prefix(ro, &rt->src, addr_len(&rt->src) * 8,
		    rtnl_route_set_pref_src);
	if (err == 0)
		err = route_paths(ro, rt);
	if (err == 0 && add)
		err = route_metrics(ro, rt);
	if (err < 0) {
		rtnl_route_put(ro);
		return err;
	}
	*out = ro;
	return 0;
}

int
net_link_route_add(struct net_link *nl, const struct conf_route *rt)
{
	static const int mode_flags[] = {
		[CONF_RT_PREPEND] = 0,
		[CONF_RT_ADD] = NLM_F_EXCL,
		[CONF_RT_APPEND] = NLM_F_APPEND,
	};
	struct rtnl_route *ro;
	struct nl_msg *msg;
	int err;

	if ((err = route_build(rt, true, &ro)) < 0)
		return net_link_nlerr(err);
	err = rtnl_route_build_add_request(ro,
	    (unsigned int)rt->mode < 3 ? mode_flags[rt->mode] : 0, &msg);
	rtnl_route_put(ro);
	if (err < 0)
		return net_link_nlerr(err);
	/* libnl 3.7 has no setter for the IPv6 router preference. */
	if (rt->has_pref && nla_put_u8(msg, RTA_PREF, rt->pref) < 0) {
		nlmsg_free(msg);
		return net_link_nlerr(-NLE_NOMEM);
	}
	return talk(nl, msg);
}

int
net_link_route_del(struct net_link *nl, const struct conf_route *rt)
{
	struct rtnl_route *ro;
	struct nl_msg *msg;
	int err;

	err = route_build(rt, false, &ro);
	/* Its interface is gone: so is the route. */
	if (err == -NLE_NODEV)
		return 0;
	if (err < 0)
		return net_link_nlerr(err);
	err = rtnl_route_build_del_request(ro, 0, &msg);
	rtnl_route_put(ro);
	if (err < 0)
		return net_link_nlerr(err);
	if (talk(nl, msg) == 0)
		return 0;
	return errno == ESRCH || errno == ENOENT || errno == ENODEV ? 0 : -1;
}

/* What libnl 3.7 cannot set on a rule, put into the request itself. */
static int
rule_extra(struct nl_msg *msg, const struct conf_rule *ru)
{
	struct fib_rule_hdr *frh = nlmsg_data(nlmsg_hdr(msg));
	struct fib_rule_uid_range uids = { ru->uid_lo, ru->uid_hi };
	int err = 0;

	if (ru->invert)
		frh->flags |= FIB_RULE_INVERT;
	if (ru->suppress_prefixlen >= 0)
		err = nla_put_u32(msg, FRA_SUPPRESS_PREFIXLEN,
		    (uint32_t)ru->suppress_prefixlen);
	if (err == 0 && ru->has_suppress_ifgroup)
		err = nla_put_u32(msg, FRA_SUPPRESS_IFGROUP,
		    ru->suppress_ifgroup);
	if (err == 0 && ru->tunnel_id != 0)
		err = nla_put_u64(msg, FRA_TUN_ID, htobe64(ru->tunnel_id));
	if (err == 0 && ru->has_uidrange)
		err = nla_put(msg, FRA_UID_RANGE, sizeof(uids), &uids);
	return err < 0 ? -NLE_NOMEM : 0;
}

static int
rule_addr(struct rtnl_rule *r, const struct addr *a, uint8_t len,
    int (*set)(struct rtnl_rule *, struct nl_addr *))
{
	struct nl_addr *na;
	int err;

	if ((na = net_link_nladdr(a, 0)) == NULL)
		return -NLE_NOMEM;
	nl_addr_set_prefixlen(na, len);
	err = set(r, na);
	nl_addr_put(na);
	return err;
}

static int
rule_selectors(struct rtnl_rule *r, const struct conf_rule *ru)
{
	int err = 0;

	if (ru->has_from)
		err = rule_addr(r, &ru->from, ru->from_len, rtnl_rule_set_src);
	if (err == 0 && ru->has_to)
		err = rule_addr(r, &ru->to, ru->to_len, rtnl_rule_set_dst);
	if (err == 0 && ru->iif[0] != '\0')
		err = rtnl_rule_set_iif(r, ru->iif);
	if (err == 0 && ru->oif[0] != '\0')
		err = rtnl_rule_set_oif(r, ru->oif);
	if (err == 0 && ru->has_ipproto)
		err = rtnl_rule_set_ipproto(r, ru->ipproto);
	if (err == 0 && ru->has_sport)
		err = rtnl_rule_set_sport_range(r, ru->sport_lo, ru->sport_hi);
	if (err == 0 && ru->has_dport)
		err = rtnl_rule_set_dport_range(r, ru->dport_lo, ru->dport_hi);
	if (ru->has_fwmark)
		rtnl_rule_set_mark(r, ru->fwmark);
	if (ru->has_fwmask)
		rtnl_rule_set_mask(r, ru->fwmask);
	if (ru->realms != 0)
		rtnl_rule_set_realms(r, ru->realms);
	if (ru->tos != 0)
		rtnl_rule_set_dsfield(r, ru->tos);
	return err;
}

static int
rule_request(const struct conf_rule *ru, bool add, struct nl_msg **msg)
{
	struct rtnl_rule *r;
	int err;

	*msg = NULL;
	if (ru == NULL || (ru->family != AF_INET && ru->family != AF_INET6))
		return -NLE_INVAL;
	if ((r = rtnl_rule_alloc()) == NULL)
		return -NLE_NOMEM;
	rtnl_rule_set_family(r, ru->family);
	rtnl_rule_set_prio(r, ru->priority);
	rtnl_rule_set_action(r, ru->action);
	rtnl_rule_set_table(r, ru->table);
	if (ru->action == FR_ACT_GOTO)
		rtnl_rule_set_goto(r, ru->goto_target);
	if (ru->l3mdev)
		rtnl_rule_set_l3mdev(r, 1);
	err = rtnl_rule_set_protocol(r, ru->protocol);
	if (err == 0)
		err = rule_selectors(r, ru);
	if (err == 0)
		err = add ? rtnl_rule_build_add_request(r, NLM_F_EXCL, msg) :
			    rtnl_rule_build_delete_request(r, 0, msg);
	rtnl_rule_put(r);
	if (err == 0 && (err = rule_extra(*msg, ru)) < 0) {
		nlmsg_free(*msg);
		*msg = NULL;
	}
	return err;
}

int
net_link_rule_add(struct net_link *nl, const struct conf_rule *ru)
{
	struct nl_msg *msg;
	int err;

	if ((err = rule_request(ru, true, &msg)) < 0)
		return net_link_nlerr(err);
	return talk(nl, msg);
}

int
net_link_rule_del(struct net_link *nl, const struct conf_rule *ru)
{
	struct nl_msg *msg;
	int err;

	if ((err = rule_request(ru, false, &msg)) < 0)
		return net_link_nlerr(err);
	if (talk(nl, msg) == 0)
		return 0;
	return errno == ENOENT || errno == ESRCH ? 0 : -1;
}

static int
groups(struct net_link *nl, bool join, int g4, int g6)
{
	int err = join ? nl_socket_add_memberships(nl->mon, g4, g6, 0) :
			 nl_socket_drop_memberships(nl->mon, g4, g6, 0);

	return err < 0 ? net_link_nlerr(err) : 0;
}

int
net_link_monitor_routes(struct net_link *nl, bool routes, bool rules)
{
	if (routes != nl->mon_routes) {
		if (groups(nl, routes, RTNLGRP_IPV4_ROUTE,
			RTNLGRP_IPV6_ROUTE) != 0)
			return -1;
		nl->mon_routes = routes;
	}
	if (rules != nl->mon_rules) {
		if (groups(nl, rules, RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE) !=
		    0)
			return -1;
		nl->mon_rules = rules;
	}
	return 0;
}

static void
route_key(struct rtnl_route *ro, struct net_link_rtkey *k)
{
	struct nl_addr *dst = rtnl_route_get_dst(ro);
	struct rtnl_nexthop *nh;

	k->af = (sa_family_t)rtnl_route_get_family(ro);
	k->protocol = rtnl_route_get_protocol(ro);
	k->tos = rtnl_route_get_tos(ro);
	k->type = rtnl_route_get_type(ro);
	k->table = rtnl_route_get_table(ro);
	k->prio = rtnl_route_get_priority(ro);
	memset(&k->dst, 0, sizeof(k->dst));
	k->dst.af = k->af;
	if (dst != NULL) {
		k->dst_len = (uint8_t)nl_addr_get_prefixlen(dst);
		if (nl_addr_get_len(dst) > 0)
			(void)net_link_addr_from_nl(dst, &k->dst);
	}
	if (rtnl_route_get_nnexthops(ro) > 0 &&
	    (nh = rtnl_route_nexthop_n(ro, 0)) != NULL)
		k->oif = (unsigned int)rtnl_route_nh_get_ifindex(nh);
}

static void
rule_key(struct rtnl_rule *r, struct net_link_rtkey *k)
{
	uint8_t proto = 0;

	k->af = (sa_family_t)rtnl_rule_get_family(r);
	(void)rtnl_rule_get_protocol(r, &proto);
	k->protocol = proto;
	k->tos = rtnl_rule_get_dsfield(r);
	k->type = rtnl_rule_get_action(r);
	k->table = rtnl_rule_get_table(r);
	k->prio = rtnl_rule_get_prio(r);
}

bool
net_link_route_event(struct net_link *nl, struct nl_object *obj, int msgtype)
{
	struct net_link_ev ev = { .portid = nl->portid };
	struct net_link_rtkey k = { 0 };

	if (msgtype == RTM_DELROUTE && nl->mon_routes) {
		route_key((struct rtnl_route *)obj, &k);
		ev.kind = NET_LINK_EV_ROUTE_DEL;
		ev.ifindex = k.oif;
	} else if (msgtype == RTM_DELRULE && nl->mon_rules) {
		rule_key((struct rtnl_rule *)obj, &k);
		ev.kind = NET_LINK_EV_RULE_DEL;
	} else {
		return msgtype == RTM_NEWROUTE || msgtype == RTM_NEWRULE ||
		    msgtype == RTM_DELROUTE || msgtype == RTM_DELRULE;
	}
	if (k.af != AF_INET && k.af != AF_INET6)
		return true;
	ev.rt = &k;
	nl->fn(nl->arg, &ev);
	return true;
}
