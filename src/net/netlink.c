/* SPDX-License-Identifier: BSD-2-Clause */
/* Addresses and link state through rtnetlink, with libnl-route-3. */

#include <net/if.h>
#include <net/if_arp.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include "netlink_priv.h"

#define MON_RCVBUF (1 << 20) /* ask for 1 MiB; the kernel caps it */

/* libnl keeps only its own codes; map them back to the errno they came from. */
static const struct {
	int nle;
	int err;
} nle_errno[] = {
	{ NLE_BAD_SOCK, EBADF },
	{ NLE_INTR, EINTR },
	{ NLE_AGAIN, EAGAIN },
	{ NLE_NOMEM, ENOMEM },
	{ NLE_EXIST, EEXIST },
	{ NLE_INVAL, EINVAL },
	{ NLE_RANGE, ERANGE },
	{ NLE_MSGSIZE, EMSGSIZE },
	{ NLE_OPNOTSUPP, EOPNOTSUPP },
	{ NLE_AF_NOSUPPORT, EAFNOSUPPORT },
	{ NLE_OBJ_NOTFOUND, ENOENT },
	{ NLE_NOATTR, EINVAL },
	{ NLE_MISSING_ATTR, EINVAL },
	{ NLE_AF_MISMATCH, EINVAL },
	{ NLE_SEQ_MISMATCH, EPROTO },
	{ NLE_MSG_OVERFLOW, ENOBUFS },
	{ NLE_MSG_TRUNC, EMSGSIZE },
	{ NLE_NOADDR, EADDRNOTAVAIL },
	{ NLE_MSG_TOOSHORT, EPROTO },
	{ NLE_MSGTYPE_NOSUPPORT, EOPNOTSUPP },
	{ NLE_BUSY, EBUSY },
	{ NLE_PROTO_MISMATCH, EPROTONOSUPPORT },
	{ NLE_NOACCESS, EACCES },
	{ NLE_PERM, EPERM },
	{ NLE_PARSE_ERR, EPROTO },
	{ NLE_NODEV, ENODEV },
	{ NLE_DUMP_INTR, EINTR },
	{ NLE_ATTRSIZE, EMSGSIZE },
};

int
net_link_nlerr(int nlerr)
{
	int code = abs(nlerr);

	errno = EIO;
	for (size_t i = 0; i < sizeof(nle_errno) / sizeof(nle_errno[0]); i++)
		if (nle_errno[i].nle == code)
			errno = nle_errno[i].err;
	return -1;
}

int
net_link_addr_from_nl(const struct nl_addr *na, struct addr *out)
{
	int af = nl_addr_get_family(na);
	unsigned int len = nl_addr_get_len(na);

	memset(out, 0, sizeof(*out));
	if (af == AF_INET && len == sizeof(out->u.v4))
		memcpy(&out->u.v4, nl_addr_get_binary_addr(na), len);
	else if (af == AF_INET6 && len == sizeof(out->u.v6))
		memcpy(&out->u.v6, nl_addr_get_binary_addr(na), len);
	else
		return -1;
	out->af = (sa_family_t)af;
	return 0;
}

struct nl_addr *
net_link_nladdr(const struct addr *a, uint8_t prefix)
{
	struct nl_addr *na;

	na = nl_addr_build(a->af, &a->u, addr_len(a));
	if (na != NULL && prefix != 0)
		nl_addr_set_prefixlen(na, prefix);
	return na;
}

static void
mon_object_cb(struct nl_object *obj, void *arg)
{
	struct net_link *nl = arg;
	struct net_link_ev ev = { .portid = nl->portid };
	struct rtnl_link *link;
	struct rtnl_addr *ra;
	struct nl_addr *local;
	unsigned int flags;
	struct addr a;

	switch (nl_object_get_msgtype(obj)) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		link = (struct rtnl_link *)obj;
		flags = rtnl_link_get_flags(link);
		ev.kind = NET_LINK_EV_LINK;
		ev.ifindex = (unsigned int)rtnl_link_get_ifindex(link);
		ev.ifname = rtnl_link_get_name(link);
		ev.removed = nl_object_get_msgtype(obj) == RTM_DELLINK;
		ev.up = !ev.removed && (flags & IFF_UP) != 0 &&
		    (flags & IFF_RUNNING) != 0;
		nl->fn(nl->arg, &ev);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		ra = (struct rtnl_addr *)obj;
		local = rtnl_addr_get_local(ra);
		if (local == NULL || net_link_addr_from_nl(local, &a) != 0)
			break;
		ev.kind = nl_object_get_msgtype(obj) == RTM_NEWADDR ?
		    NET_LINK_EV_ADDR_ADD :
		    NET_LINK_EV_ADDR_DEL;
		ev.ifindex = (unsigned int)rtnl_addr_get_ifindex(ra);
		ev.addr = &a;
		ev.prefix = (uint8_t)rtnl_addr_get_prefixlen(ra);
		nl->fn(nl->arg, &ev);
		break;
	default:
		(void)net_link_route_event(nl, obj, nl_object_get_msgtype(obj));
		break;
	}
}

static int
mon_valid_cb(struct nl_msg *msg, void *arg)
{
	struct net_link *nl = arg;
	struct sockaddr_nl *src = nlmsg_get_src(msg);

	/* Only the kernel speaks for the kernel (keepalived 2.4.0 fix). */
	if (src == NULL || src->nl_pid != 0)
		return NL_SKIP;
	nl->portid = nlmsg_hdr(msg)->nlmsg_pid;
	/* Messages libnl cannot turn into an object are skipped. */
	(void)nl_msg_parse(msg, mon_object_cb, arg);
	return NL_OK;
}

static int
mon_open(struct net_link *nl)
{
	int err;

	if ((nl->mon = nl_socket_alloc()) == NULL)
		return net_link_nlerr(-NLE_NOMEM);
	/* Multicast events carry no sequence numbers of ours. */
	nl_socket_disable_seq_check(nl->mon);
	err = nl_socket_modify_cb(nl->mon, NL_CB_VALID, NL_CB_CUSTOM,
	    mon_valid_cb, nl);
	if (err == 0)
		err = nl_connect(nl->mon, NETLINK_ROUTE);
	if (err == 0)
		err = nl_socket_add_memberships(nl->mon, RTNLGRP_LINK,
		    RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, 0);
	if (err == 0)
		err = nl_socket_set_nonblocking(nl->mon);
	if (err == 0)
		err = nl_socket_set_buffer_size(nl->mon, MON_RCVBUF, 0);
	return err == 0 ? 0 : net_link_nlerr(err);
}

struct net_link *
net_link_open(net_link_event_fn *fn, void *arg)
{
	struct net_link *nl;
	int err;

	if (fn == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((nl = calloc(1, sizeof(*nl))) == NULL)
		return NULL;
	nl->fn = fn;
	nl->arg = arg;
	if ((nl->cmd = nl_socket_alloc()) == NULL) {
		net_link_nlerr(-NLE_NOMEM);
		goto fail;
	}
	if ((err = nl_connect(nl->cmd, NETLINK_ROUTE)) < 0) {
		net_link_nlerr(err);
		goto fail;
	}
	if (mon_open(nl) != 0)
		goto fail;
	return nl;
fail:
	err = errno;
	net_link_close(nl);
	errno = err;
	return NULL;
}

void
net_link_close(struct net_link *nl)
{
	if (nl == NULL)
		return;
	if (nl->mon != NULL)
		nl_socket_free(nl->mon);
	if (nl->cmd != NULL)
		nl_socket_free(nl->cmd);
	free(nl);
}

uint32_t
net_link_portid(const struct net_link *nl)
{
	return nl_socket_get_local_port(nl->cmd);
}

int
net_link_monitor_fd(const struct net_link *nl)
{
	return nl_socket_get_fd(nl->mon);
}

void
net_link_monitor_read(struct net_link *nl)
{
	bool lost = false;
	int err;

	for (;;) {
		err = nl_recvmsgs_default(nl->mon);
		if (err == -NLE_AGAIN)
			break;
		/* ENOBUFS (as NLE_NOMEM): the kernel dropped events. */
		if (err == -NLE_NOMEM) {
			lost = true;
			continue;
		}
		if (err < 0)
			break;
	}
	if (lost) {
		struct net_link_ev ev = { .kind = NET_LINK_EV_LINK };

		nl->fn(nl->arg, &ev);
	}
}

static void
link_fill(struct rtnl_link *link, struct net_link_info *info)
{
	unsigned int flags = rtnl_link_get_flags(link);
	struct nl_addr *mac;

	info->ifindex = (unsigned int)rtnl_link_get_ifindex(link);
	/* The kernel reports IFF_RUNNING when the operstate is up. */
	info->up = (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
	mac = rtnl_link_get_addr(link);
	if (rtnl_link_get_arptype(link) == ARPHRD_ETHER && mac != NULL &&
	    nl_addr_get_len(mac) == sizeof(info->mac)) {
		memcpy(info->mac, nl_addr_get_binary_addr(mac),
		    sizeof(info->mac));
		info->has_mac = true;
	}
}

static struct nl_cache *
addr_cache(struct net_link *nl)
{
	struct nl_cache *cache;
	int err;

	if ((err = rtnl_addr_alloc_cache(nl->cmd, &cache)) < 0) {
		net_link_nlerr(err);
		return NULL;
	}
	return cache;
}

/*
 * How good a link-local address is as the advert source: a tentative or
 * duplicate one cannot be bound yet, a deprecated one only as a last resort.
 */
static int
ll6_rank(struct rtnl_addr *ra)
{
	unsigned int flags = rtnl_addr_get_flags(ra);

	if ((flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)) != 0)
		return 0;
	return (flags & IFA_F_DEPRECATED) != 0 ? 1 : 2;
}

/*
 * The first primary IPv4 address and the best IPv6 link-local one. libnl
 * 3.7 cannot read IFA_PROTO, so our own VIPs are told apart only by being
 * secondary (same subnet as the real address) or added after it.
 */
static void
addrs_fill(struct nl_cache *cache, struct net_link_info *info)
{
	struct nl_object *obj;
	struct rtnl_addr *ra;
	struct nl_addr *local;
	struct addr a;
	int rank, best = 0;

	for (obj = nl_cache_get_first(cache); obj != NULL;
	     obj = nl_cache_get_next(obj)) {
		ra = (struct rtnl_addr *)obj;
		local = rtnl_addr_get_local(ra);
		if ((unsigned int)rtnl_addr_get_ifindex(ra) != info->ifindex ||
		    local == NULL || net_link_addr_from_nl(local, &a) != 0)
			continue;
		if (a.af == AF_INET && info->primary4.af == AF_UNSPEC &&
		    (rtnl_addr_get_flags(ra) & IFA_F_SECONDARY) == 0)
			info->primary4 = a;
		if (a.af != AF_INET6 || !addr_is_v6_linklocal(&a))
			continue;
		if ((rank = ll6_rank(ra)) > best) {
			best = rank;
			info->linklocal6 = a;
		}
	}
}

int
net_link_info(struct net_link *nl, const char *ifname,
    struct net_link_info *info)
{
	struct rtnl_link *link = NULL;
	struct nl_cache *cache;
	int err;

	memset(info, 0, sizeof(*info));
	info->primary4.af = AF_UNSPEC;
	info->linklocal6.af = AF_UNSPEC;
	if (ifname == NULL || ifname[0] == '\0' || strlen(ifname) >= IFNAMSIZ) {
		errno = ENODEV;
		return -1;
	}
	if ((err = rtnl_link_get_kernel(nl->cmd, 0, ifname, &link)) < 0) {
		if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
			err = -NLE_NODEV;
		return net_link_nlerr(err);
	}
	link_fill(link, info);
	rtnl_link_put(link);
	if ((cache = addr_cache(nl)) == NULL)
		return -1;
	addrs_fill(cache, info);
	nl_cache_free(cache);
	return 0;
}

/* Network part of an IPv4 address (host bits clear) or its broadcast. */
static struct addr
brd_compute(const struct addr *a, uint8_t prefix, bool host_bits_set)
{
	uint32_t mask = htonl(0xffffffffu << (32 - prefix));
	struct addr b = *a;

	if (host_bits_set)
		b.u.v4.s_addr |= ~mask;
	else
		b.u.v4.s_addr &= mask;
	return b;
}

static int
vip_set_brd(struct rtnl_addr *ra, const struct conf_vip *vip)
{
	struct nl_addr *na;
	struct addr b;
	int err;

	if (vip->addr.af != AF_INET || vip->brd == CONF_BRD_NONE)
		return 0;
	if (vip->brd == CONF_BRD_ADDR) {
		if (vip->brd_addr.af != AF_INET)
			return -NLE_INVAL;
		b = vip->brd_addr;
	} else if (vip->prefix <= 30) {
		b = brd_compute(&vip->addr, vip->prefix,
		    vip->brd == CONF_BRD_PLUS);
	} else {
		/* As iproute2: /31 and /32 have no broadcast address. */
		return 0;
	}
	if ((na = net_link_nladdr(&b, 0)) == NULL)
		return -NLE_NOMEM;
	err = rtnl_addr_set_broadcast(ra, na);
	nl_addr_put(na);
	return err;
}

static int
vip_set_options(struct rtnl_addr *ra, const struct conf_vip *vip)
{
	int err;

	if ((err = vip_set_brd(ra, vip)) < 0)
		return err;
	/* The kernel keeps labels for IPv4 only. */
	if (vip->addr.af == AF_INET && vip->label[0] != '\0' &&
	    (err = rtnl_addr_set_label(ra, vip->label)) < 0)
		return err;
	rtnl_addr_set_scope(ra, vip->scope);
	if (vip->preferred_lft >= 0) {
		rtnl_addr_set_preferred_lifetime(ra,
		    vip->preferred_lft >= UINT32_MAX ?
			UINT32_MAX :
			(uint32_t)vip->preferred_lft);
		/* Sent together: a valid lifetime of 0 would be refused. */
		rtnl_addr_set_valid_lifetime(ra, UINT32_MAX);
	}
	/*
	 * Every IPv6 VIP skips DAD, as keepalived's: a VIP moves, and DAD
	 * would keep it tentative (unusable) for about 2 s after a takeover,
	 * or fail it outright while the old master still holds it.
	 */
	if (vip->addr.af == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	return 0;
}

/* The request for a VIP: address and prefix, plus its options to add it. */
static int
vip_build(unsigned int ifindex, const struct conf_vip *vip, bool options,
    struct rtnl_addr **out)
{
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int err;

	*out = NULL;
	if (vip == NULL || ifindex > INT32_MAX ||
	    (vip->addr.af != AF_INET && vip->addr.af != AF_INET6) ||
	    vip->prefix == 0 || vip->prefix > addr_len(&vip->addr) * 8)
		return -NLE_INVAL;
	if ((ra = rtnl_addr_alloc()) == NULL)
		return -NLE_NOMEM;
	if ((local = net_link_nladdr(&vip->addr, vip->prefix)) == NULL) {
		err = -NLE_NOMEM;
		goto fail;
	}
	rtnl_addr_set_ifindex(ra, (int)ifindex);
	err = rtnl_addr_set_local(ra, local);
	nl_addr_put(local);
	if (err < 0)
		goto fail;
	rtnl_addr_set_prefixlen(ra, vip->prefix);
	if (options && (err = vip_set_options(ra, vip)) < 0)
		goto fail;
	*out = ra;
	return 0;
fail:
	rtnl_addr_put(ra);
	return err;
}

/*
 * libnl 3.7 has no rtnl_addr_set_protocol(), so NET_LINK_ADDR_PROTO is not
 * set on the addresses added here.
 */
int
net_link_addr_add(struct net_link *nl, unsigned int ifindex,
    const struct conf_vip *vip)
{
	struct rtnl_addr *ra;
	int err;

	if ((err = vip_build(ifindex, vip, true, &ra)) < 0)
		return net_link_nlerr(err);
	/* No NLM_F_REPLACE: an address already there stays as it is. */
	err = rtnl_addr_add(nl->cmd, ra, 0);
	rtnl_addr_put(ra);
	if (err < 0 && err != -NLE_EXIST)
		return net_link_nlerr(err);
	return 0;
}

int
net_link_addr_del(struct net_link *nl, unsigned int ifindex,
    const struct conf_vip *vip)
{
	struct rtnl_addr *ra;
	int err;

	if ((err = vip_build(ifindex, vip, false, &ra)) < 0)
		return net_link_nlerr(err);
	err = rtnl_addr_delete(nl->cmd, ra, 0);
	rtnl_addr_put(ra);
	/* Not there, or its interface is gone: nothing left to remove. */
	if (err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
		return 0;
	return err < 0 ? net_link_nlerr(err) : 0;
}

int
net_link_addrs_present(struct net_link *nl, const unsigned int *ifindex,
    const struct addr *addrs, bool *present, size_t n)
{
	struct nl_cache *cache;
	struct nl_object *obj;
	struct rtnl_addr *ra;
	struct nl_addr *local;
	struct addr a;

	memset(present, 0, n * sizeof(*present));
	if (n == 0)
		return 0;
	if ((cache = addr_cache(nl)) == NULL)
		return -1;
	for (obj = nl_cache_get_first(cache); obj != NULL;
	     obj = nl_cache_get_next(obj)) {
		ra = (struct rtnl_addr *)obj;
		local = rtnl_addr_get_local(ra);
		if (local == NULL || net_link_addr_from_nl(local, &a) != 0)
			continue;
		for (size_t i = 0; i < n; i++)
			present[i] |= (unsigned int)rtnl_addr_get_ifindex(ra) ==
				ifindex[i] &&
			    addr_len(&addrs[i]) > 0 &&
			    addr_cmp(&a, &addrs[i]) == 0;
	}
	nl_cache_free(cache);
	return 0;
}

bool
net_link_addr_present(struct net_link *nl, unsigned int ifindex,
    const struct addr *addr)
{
	bool found = false;

	if (addr == NULL ||
	    net_link_addrs_present(nl, &ifindex, addr, &found, 1) != 0)
		return false;
	return found;
}
