/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * use_vmac's links through rtnetlink: a private-mode macvlan carrying the
 * virtual router MAC, its IPv6 address generation off, the IPv4 settings
 * keepalived gives it and its parent, up and down, and deletion. The
 * settings go by IFLA_AF_SPEC, not /proc/sys: they work under systemd's
 * ProtectKernelTunables=, and on a bridge parent too (libnl would send
 * those with AF_BRIDGE, which the kernel does not apply).
 */

#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet.h>
#include <netlink/route/link/macvlan.h>
#include <string.h>

#include "netlink_priv.h"

static struct nl_addr *
mac_addr(const uint8_t mac[6])
{
	return nl_addr_build(AF_LLC, mac, 6);
}

int
net_link_vmac_state(struct net_link *nl, const struct net_vmac *v,
    unsigned int *ifindex)
{
	struct rtnl_link *link = NULL;
	struct nl_addr *a;
	int err, st;

	*ifindex = 0;
	if ((err = rtnl_link_get_kernel(nl->cmd, 0, v->name, &link)) < 0) {
		if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
			return NET_VMAC_ABSENT;
		return net_link_nlerr(err);
	}
	*ifindex = (unsigned int)rtnl_link_get_ifindex(link);
	a = rtnl_link_get_addr(link);
	if (!rtnl_link_is_macvlan(link))
		st = NET_VMAC_FOREIGN;
	else if ((unsigned int)rtnl_link_get_link(link) != v->parent ||
	    rtnl_link_macvlan_get_mode(link) != MACVLAN_MODE_PRIVATE)
		st = NET_VMAC_MISMATCH;
	else if (v->any_mac ||
	    (a != NULL && nl_addr_get_len(a) == 6 &&
		memcmp(nl_addr_get_binary_addr(a), v->mac, 6) == 0))
		st = NET_VMAC_MATCH;
	else
		st = NET_VMAC_MISMATCH;
	rtnl_link_put(link);
	return st;
}

/* A bare RTM_NEWLINK (or DELLINK) for ifindex: attributes follow. */
static struct nl_msg *
link_msg(int type, unsigned int ifindex, unsigned int flags,
    unsigned int change)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC,
		.ifi_index = (int)ifindex,
		.ifi_flags = flags,
		.ifi_change = change };
	struct nl_msg *m = nlmsg_alloc_simple(type, 0);

	if (m != NULL &&
	    nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		m = NULL;
	}
	return m;
}

static int
send_sync(struct net_link *nl, struct nl_msg *m)
{
	int err;

	if (m == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if ((err = nl_send_sync(nl->cmd, m)) < 0) /* frees m */
		return net_link_nlerr(err);
	return 0;
}

/* IFLA_AF_SPEC { family { attr ... } }: the caller fills the inside. */
static struct nl_msg *
af_spec_msg(unsigned int ifindex, int family, struct nlattr **spec,
    struct nlattr **fam)
{
	struct nl_msg *m = link_msg(RTM_NEWLINK, ifindex, 0, 0);

	if (m == NULL || (*spec = nla_nest_start(m, IFLA_AF_SPEC)) == NULL ||
	    (*fam = nla_nest_start(m, family)) == NULL) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

static int
af_spec_send(struct net_link *nl, struct nl_msg *m, struct nlattr *spec,
    struct nlattr *fam)
{
	nla_nest_end(m, fam);
	nla_nest_end(m, spec);
	return send_sync(nl, m);
}

int
net_link_vmac_create(struct net_link *nl, const struct net_vmac *v,
    unsigned int *ifindex)
{
	struct rtnl_link *link = rtnl_link_macvlan_alloc();
	struct nl_addr *a = mac_addr(v->mac);
	int err = -NLE_NOMEM;

	*ifindex = 0;
	if (link != NULL && a != NULL) {
		rtnl_link_set_name(link, v->name);
		rtnl_link_set_link(link, (int)v->parent);
		rtnl_link_set_addr(link, a);
		rtnl_link_macvlan_set_mode(link, MACVLAN_MODE_PRIVATE);
		err = rtnl_link_add(nl->cmd, link, NLM_F_CREATE | NLM_F_EXCL);
	}
	nl_addr_put(a);
	rtnl_link_put(link);
	if (err < 0)
		return net_link_nlerr(err);
	if ((*ifindex = if_nametoindex(v->name)) == 0)
		return -1;
	return 0;
}

int
net_link_set_up(struct net_link *nl, unsigned int ifindex, bool up)
{
	return send_sync(nl,
	    link_msg(RTM_NEWLINK, ifindex, up ? IFF_UP : 0, IFF_UP));
}

int
net_link_set_mac(struct net_link *nl, unsigned int ifindex,
    const uint8_t mac[6])
{
	struct nl_msg *m = link_msg(RTM_NEWLINK, ifindex, 0, 0);

	if (m != NULL && nla_put(m, IFLA_ADDRESS, 6, mac) < 0) {
		nlmsg_free(m);
		m = NULL;
	}
	return send_sync(nl, m);
}

int
net_link_delete(struct net_link *nl, unsigned int ifindex)
{
	return send_sync(nl, link_msg(RTM_DELLINK, ifindex, 0, 0));
}

int
net_link_addr_gen_none(struct net_link *nl, unsigned int ifindex)
{
	struct nlattr *spec, *fam;
	struct nl_msg *m = af_spec_msg(ifindex, AF_INET6, &spec, &fam);

	if (m == NULL ||
	    nla_put_u8(m, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE) <
		0) {
		nlmsg_free(m);
		errno = ENOMEM;
		return -1;
	}
	return af_spec_send(nl, m, spec, fam);
}

int
net_link_devconf4_set(struct net_link *nl, unsigned int ifindex,
    const struct net_devconf *c, size_t n)
{
	struct nlattr *spec, *fam, *conf;
	struct nl_msg *m = af_spec_msg(ifindex, AF_INET, &spec, &fam);

	if (m == NULL || (conf = nla_nest_start(m, IFLA_INET_CONF)) == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if (nla_put_u32(m, c[i].id, c[i].value) < 0)
			goto nomem;
	nla_nest_end(m, conf);
	return af_spec_send(nl, m, spec, fam);
nomem:
	nlmsg_free(m);
	errno = ENOMEM;
	return -1;
}

int
net_link_devconf4_get(struct net_link *nl, unsigned int ifindex, int id,
    uint32_t *value)
{
	struct rtnl_link *link = NULL;
	int err;

	if ((err = rtnl_link_get_kernel(nl->cmd, (int)ifindex, NULL, &link)) <
	    0)
		return net_link_nlerr(err);
	err = rtnl_link_inet_get_conf(link, (unsigned int)id, value);
	rtnl_link_put(link);
	return err < 0 ? net_link_nlerr(err) : 0;
}
