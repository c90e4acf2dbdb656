/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Telling our routes and rules among the kernel's deletions: pure (no
 * libnl), so the glue tests link it as it is, beside their netlink stubs.
 */

#include <linux/fib_rules.h>

#include "vrrpd/net_netlink.h"

/* The metric the kernel gives a route added without one. */
#define IP6_RT_PRIO_USER 1024

bool
net_link_route_is(const struct net_link_rtkey *key, const struct conf_route *rt,
    unsigned int ifindex)
{
	uint32_t metric = rt->has_metric ? rt->metric :
	    rt->family == AF_INET6	 ? IP6_RT_PRIO_USER :
					   0;

	if (rt->family == AF_INET6 && metric == 0)
		metric = IP6_RT_PRIO_USER;
	return key->af == rt->family && key->protocol == rt->protocol &&
	    key->table == rt->table && key->tos == rt->tos &&
	    key->dst_len == rt->dst_len && key->prio == metric &&
	    addr_cmp(&key->dst, &rt->dst) == 0 &&
	    (ifindex == 0 || key->oif == 0 || key->oif == ifindex);
}

bool
net_link_rule_is(const struct net_link_rtkey *key, const struct conf_rule *ru)
{
	return key->af == ru->family && key->protocol == ru->protocol &&
	    key->prio == ru->priority && key->type == ru->action &&
	    key->tos == ru->tos &&
	    (ru->action != FR_ACT_TO_TBL || key->table == ru->table);
}
