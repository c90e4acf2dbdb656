/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * use_vmac: an instance's macvlan carrying the virtual router MAC (RFC 5798
 * §7.3), as keepalived makes it: the VIPs without a dev live on it, its
 * adverts (unless vmac_xmit_base) and announcements leave from it, and
 * its socket joins the group on it.
 *
 * The macvlan carries the virtual MAC only while the instance is master;
 * a backup's carries a MAC of its own, derived from the parent's. Two
 * reasons. A private macvlan takes every frame whose source is its own
 * MAC for its own looped back: with the virtual MAC on a backup's macvlan,
 * the master's adverts would never reach the parent. And a backup's
 * macvlan must not send a frame from the virtual MAC (its IGMP and MLD
 * reports), or a switch learns the virtual MAC on the backup's port and
 * the VIPs' traffic goes there: keepalived needs firewall rules against
 * that; here the backup's frames carry its own MAC. The MAC changes before
 * the first advert as master and back before the VIPs go, so no node
 * sends from the virtual MAC while not master. An IPv6 instance's
 * link-local advert source is on the VMAC only while master.
 *
 * Made when the instance starts (or its parent appears), adopted as it is
 * after a crash, made again when someone deletes it, removed when the
 * instance goes (stop, a reload that removes or changes it). The parent
 * gets arp_ignore=1 and arp_filter=1 (keepalived's settings) and
 * arp_announce=2 while a VMAC is on it (its own values go back after the
 * last): without the latter, its ARP requests for a client the master
 * answers from a VIP carry the VIP as sender with the parent's MAC, and
 * the client's entry for the VIP changes from the virtual MAC to it. The
 * VMAC gets arp_ignore=1, accept_local=1, rp_filter=0 and
 * promote_secondaries=1, as keepalived sets them.
 */

#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance_priv.h"

static void
vmac_log(struct vrrp_inst *vi, const char *what)
{
	unsigned long more;

	if (log_ratelimit_ok(&vi->rl_vmac, util_now_us() / 1000, &more))
		log_warn("(%s) VMAC %s: %s (%lu more suppressed)", vi->ci->name,
		    vi->ci->vmac.name, what, more);
}

/* ---- a strict all.rp_filter, while VMACs exist ---- */

/*
 * The kernel filters with the larger of all.rp_filter and the
 * interface's: with all at 1 (strict) the VMAC's 0 does not count, and
 * an ARP request for a VIP on it, whose sender's route is the parent, is
 * dropped. keepalived then sets all to 0 after raising every interface
 * (and default) to all's value, so that nothing else filters less, and
 * puts everything back at the end; vrrpd does the same, but only for the
 * strict mode: the loose one (2, systemd's default) lets ARP through.
 */

static int
proc_rpf(const char *dev, uint32_t *val, bool set)
{
	char path[96];
	unsigned int v = 0;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/rp_filter",
	    dev);
	if ((f = fopen(path, set ? "we" : "re")) == NULL)
		return -1;
	ok = set ? fprintf(f, "%u\n", *val) > 0 : fscanf(f, "%u", &v) == 1;
	if (fclose(f) != 0 || !ok)
		return -1;
	if (!set)
		*val = v;
	return 0;
}

static void
rpf_raise_all(struct vrrp_router *r)
{
	struct vrrp_rpf *p = &r->rpf;
	struct if_nameindex *ifs = if_nameindex(), *i;
	struct net_devconf up = { IPV4_DEVCONF_RP_FILTER, p->all };
	struct vrrp_rpf_if *n;
	uint32_t old;

	for (i = ifs; i != NULL && i->if_index != 0; i++) {
		if (net_link_devconf4_get(r->nl, i->if_index,
			IPV4_DEVCONF_RP_FILTER, &old) != 0 ||
		    old >= p->all)
			continue;
		n = realloc(p->raised, (p->nraised + 1) * sizeof(*n));
		if (n == NULL)
			break;
		p->raised = n;
		if (net_link_devconf4_set(r->nl, i->if_index, &up, 1) == 0)
			p->raised[p->nraised++] =
			    (struct vrrp_rpf_if) { i->if_index, old };
	}
	if (ifs != NULL)
		if_freenameindex(ifs);
	if (proc_rpf("default", &p->def, false) == 0 && p->def < p->all &&
	    proc_rpf("default", &p->all, true) == 0)
		p->def_raised = true;
}

static void
rpf_hold(struct vrrp_inst *vi)
{
	struct vrrp_rpf *p = &vi->r->rpf;
	uint32_t zero = 0;

	if (p->refs++ > 0 || proc_rpf("all", &p->all, false) != 0 ||
	    p->all != 1)
		return;
	rpf_raise_all(vi->r);
	if (proc_rpf("all", &zero, true) != 0) {
		log_warn("(%s) net.ipv4.conf.all.rp_filter is 1 (strict) and "
			 "cannot be set to 0: ARP requests for the VIPs on "
			 "VMAC %s are dropped; set it to 2 (loose) or 0",
		    vi->ci->name, vi->ci->vmac.name);
		return;
	}
	p->lifted = true;
	log_info("(%s) net.ipv4.conf.all.rp_filter 1 -> 0 while VMACs exist "
		 "(%zu interface%s%s raised to 1, as keepalived does)",
	    vi->ci->name, p->nraised, p->nraised == 1 ? "" : "s",
	    p->def_raised ? " and default" : "");
}

static void
rpf_release(struct vrrp_router *r)
{
	struct vrrp_rpf *p = &r->rpf;

	if (p->refs == 0 || --p->refs > 0)
		return;
	if (p->lifted)
		(void)proc_rpf("all", &p->all, true);
	if (p->def_raised)
		(void)proc_rpf("default", &p->def, true);
	for (size_t i = 0; i < p->nraised; i++) {
		struct net_devconf back = { IPV4_DEVCONF_RP_FILTER,
			p->raised[i].old };

		(void)net_link_devconf4_set(r->nl, p->raised[i].ifindex, &back,
		    1);
	}
	if (p->lifted)
		log_info("net.ipv4.conf.all.rp_filter back to %u", p->all);
	free(p->raised);
	memset(p, 0, sizeof(*p));
}

/* ---- the parent's settings, per parent, while a VMAC is on it ---- */

static struct vrrp_vmac_parent *
parent_find(struct vrrp_router *r, unsigned int ifindex)
{
	for (size_t i = 0; i < r->nvparents; i++)
		if (r->vparents[i].ifindex == ifindex)
			return &r->vparents[i];
	return NULL;
}

static void
parent_hold(struct vrrp_inst *vi)
{
	static const struct net_devconf on[] = {
		{ IPV4_DEVCONF_ARP_IGNORE, 1 },
		{ IPV4_DEVCONF_ARPFILTER, 1 },
		{ IPV4_DEVCONF_ARP_ANNOUNCE, 2 },
	};
	struct vrrp_router *r = vi->r;
	struct vrrp_vmac_parent *p = parent_find(r, vi->link.ifindex), *n;

	if (p == NULL) {
		n = realloc(r->vparents, (r->nvparents + 1) * sizeof(*n));
		if (n == NULL)
			return;
		r->vparents = n;
		p = &n[r->nvparents++];
		memset(p, 0, sizeof(*p));
		p->ifindex = vi->link.ifindex;
		p->saved = net_link_devconf4_get(r->nl, p->ifindex,
			       IPV4_DEVCONF_ARP_IGNORE, &p->arp_ignore) == 0 &&
		    net_link_devconf4_get(r->nl, p->ifindex,
			IPV4_DEVCONF_ARPFILTER, &p->arp_filter) == 0 &&
		    net_link_devconf4_get(r->nl, p->ifindex,
			IPV4_DEVCONF_ARP_ANNOUNCE, &p->arp_announce) == 0;
		if (net_link_devconf4_set(r->nl, p->ifindex, on, 3) != 0)
			log_warn("(%s) cannot set arp_ignore, arp_filter and "
				 "arp_announce on %s",
			    vi->ci->name, vi->ci->interface);
	}
	p->refs++;
	vi->vmac_parent = p->ifindex;
	rpf_hold(vi);
}

static void
parent_release(struct vrrp_inst *vi)
{
	struct vrrp_router *r = vi->r;
	struct vrrp_vmac_parent *p = parent_find(r, vi->vmac_parent);

	vi->vmac_parent = 0;
	if (p == NULL)
		return;
	rpf_release(r);
	if (--p->refs > 0)
		return;
	if (p->saved) {
		struct net_devconf back[] = {
			{ IPV4_DEVCONF_ARP_IGNORE, p->arp_ignore },
			{ IPV4_DEVCONF_ARPFILTER, p->arp_filter },
			{ IPV4_DEVCONF_ARP_ANNOUNCE, p->arp_announce },
		};

		/* the parent may be gone: nothing to put back then */
		(void)net_link_devconf4_set(r->nl, p->ifindex, back, 3);
	}
	*p = r->vparents[--r->nvparents];
	if (r->nvparents == 0) {
		free(r->vparents);
		r->vparents = NULL;
	}
}

/* ---- the link ---- */

/* Its name and its index still agree (nobody deleted or renamed it). */
static bool
still_there(const struct vrrp_inst *vi)
{
	char name[IF_NAMESIZE];

	return vi->vmac_ifindex != 0 && vi->vmac_parent == vi->link.ifindex &&
	    if_indextoname(vi->vmac_ifindex, name) != NULL &&
	    strcmp(name, vi->ci->vmac.name) == 0;
}

/*
 * A backup's MAC: the parent's, locally administered, with the family and
 * the VRID mixed into the last two octets (never the parent's own, since
 * the VRID is not 0).
 */
static void
backup_mac(const struct vrrp_inst *vi, uint8_t mac[6])
{
	memcpy(mac, vi->link.mac, 6);
	mac[0] = (uint8_t)((mac[0] | 0x02) & ~0x01);
	mac[4] ^= vi->ci->family == AF_INET6 ? 0x02 : 0x01;
	mac[5] ^= vi->ci->vrid;
}

/* Make it, or adopt what a crashed vrrpd (or keepalived) left. */
static int
vmac_make(struct vrrp_inst *vi)
{
	const struct conf_vmac *cv = &vi->ci->vmac;
	struct net_vmac v = { .name = cv->name,
		.parent = vi->link.ifindex,
		.any_mac = true };
	unsigned int ifindex;
	int st;

	backup_mac(vi, v.mac);
	st = net_link_vmac_state(vi->r->nl, &v, &ifindex);
	if (st == NET_VMAC_FOREIGN) {
		vmac_log(vi,
		    "an interface of that name exists and is not a "
		    "macvlan; it is left alone and the instance "
		    "stays in FAULT");
		return -1;
	}
	if (st == NET_VMAC_MISMATCH) {
		log_info("(%s) VMAC %s exists with another parent or mode; "
			 "making it again",
		    vi->ci->name, cv->name);
		if (net_link_delete(vi->r->nl, ifindex) != 0) {
			vmac_log(vi, "cannot delete the old macvlan");
			return -1;
		}
	}
	if (st == NET_VMAC_MATCH) {
		log_info("(%s) VMAC %s is there already; using it",
		    vi->ci->name, cv->name);
	} else if (st < 0 ||
	    net_link_vmac_create(vi->r->nl, &v, &ifindex) != 0) {
		vmac_log(vi, "cannot create the macvlan");
		return -1;
	} else {
		log_info("(%s) VMAC %s created on %s", vi->ci->name, cv->name,
		    vi->ci->interface);
	}
	vi->vmac_ifindex = ifindex;
	return 0;
}

/* keepalived's settings on the VMAC, IPv6 without an automatic address. */
static void
vmac_settings(struct vrrp_inst *vi)
{
	static const struct net_devconf conf[] = {
		{ IPV4_DEVCONF_ARP_IGNORE, 1 },
		{ IPV4_DEVCONF_ACCEPT_LOCAL, 1 },
		{ IPV4_DEVCONF_RP_FILTER, 0 },
		{ IPV4_DEVCONF_PROMOTE_SECONDARIES, 1 },
	};

	if (net_link_addr_gen_none(vi->r->nl, vi->vmac_ifindex) != 0 &&
	    vi->ci->family == AF_INET6)
		vmac_log(vi, "cannot turn IPv6 address generation off");
	if (net_link_devconf4_set(vi->r->nl, vi->vmac_ifindex, conf, 4) != 0)
		vmac_log(vi, "cannot set arp_ignore, accept_local, rp_filter");
}

/* The announcement socket, and the advert socket unless xmit_base. */
static void
vmac_sockets(struct vrrp_inst *vi)
{
	if (vrrp_inst_ann_open(vi, vi->vmac_ifindex) != 0)
		vmac_log(vi, "cannot open a packet socket: no gratuitous ARP");
	if (vi->sock != NULL && !vi->ci->vmac.xmit_base)
		vrrp_router_sock_refresh(vi->r, vi->sock, vi->vmac_ifindex);
}

int
vrrp_vmac_ensure(struct vrrp_inst *vi)
{
	bool remade = false;

	if (!vi->ci->vmac.on || vi->link.ifindex == 0)
		return 0;
	if (still_there(vi))
		return 0;
	if (vi->vmac_ifindex != 0) {
		remade = true;
		log_warnx("(%s) VMAC %s went away; making it again",
		    vi->ci->name, vi->ci->vmac.name);
		vi->vmac_ifindex = 0;
		vi->vmac_ll = false;
	}
	if (vi->vmac_parent != 0 && vi->vmac_parent != vi->link.ifindex)
		parent_release(vi);
	if (vmac_make(vi) != 0)
		return -1;
	if (vi->vmac_parent == 0)
		parent_hold(vi);
	vmac_settings(vi);
	vi->vmac_master = true; /* unknown: vrrp_vmac_master() sets it */
	vrrp_vmac_master(vi, vi->fsm.state == VRRP_STATE_MASTER);
	if (net_link_set_up(vi->r->nl, vi->vmac_ifindex, true) != 0)
		vmac_log(vi, "cannot set it up");
	vmac_sockets(vi);
	if (remade && vi->fsm.state == VRRP_STATE_MASTER) {
		/* its addresses went with it: the master puts them back */
		vrrp_inst_vips_apply(vi, true);
		vrrp_inst_announce(vi, VRRP_ANN_BECOME_MASTER);
	}
	return 0;
}

bool
vrrp_vmac_ready(const struct vrrp_inst *vi)
{
	return !vi->ci->vmac.on || vi->vmac_ifindex != 0;
}

/* IPv6 not xmit_base: the advert source on the VMAC (as master) or not. */
static void
vmac_ll(struct vrrp_inst *vi, bool on)
{
	struct conf_vip ll = { .prefix = 64,
		.scope = RT_SCOPE_LINK,
		.preferred_lft = -1 };

	if (vi->ci->vmac.xmit_base || vi->ci->family != AF_INET6 ||
	    vi->vmac_ll == on || (on && vi->src.af != AF_INET6))
		return;
	ll.addr = on ? vi->src : vi->vmac_ll_addr;
	if ((on ? net_link_addr_add(vi->r->nl, vi->vmac_ifindex, &ll) :
		  net_link_addr_del(vi->r->nl, vi->vmac_ifindex, &ll)) != 0) {
		vmac_log(vi,
		    on ? "cannot add the link-local source" :
			 "cannot remove the link-local source");
		return;
	}
	vi->vmac_ll = on;
	vi->vmac_ll_addr = vi->src;
}

void
vrrp_vmac_master(struct vrrp_inst *vi, bool on)
{
	uint8_t mac[6];

	if (!vi->ci->vmac.on || vi->vmac_ifindex == 0 || vi->vmac_master == on)
		return;
	if (on)
		memcpy(mac, vi->ci->vmac.mac, sizeof(mac));
	else
		backup_mac(vi, mac);
	/* the MAC first when leaving: the IPv6 leave reports carry ours */
	if (on)
		vmac_ll(vi, true);
	if (net_link_set_mac(vi->r->nl, vi->vmac_ifindex, mac) != 0)
		vmac_log(vi,
		    on ? "cannot set the virtual MAC" :
			 "cannot set the backup's MAC");
	else
		vi->vmac_master = on;
	if (!on)
		vmac_ll(vi, false);
}

const char *
vrrp_inst_sock_ifname(const struct vrrp_inst *vi)
{
	const struct conf_instance *ci = vi->ci;

	return ci->vmac.on && !ci->vmac.xmit_base ? ci->vmac.name :
						    ci->interface;
}

/* Another instance of the router runs the same VMAC (a reload's new one). */
static bool
shared(const struct vrrp_inst *vi)
{
	const struct vrrp_inst *o;

	TAILQ_FOREACH (o, &vi->r->insts, entry)
		if (o != vi && o->ci->vmac.on &&
		    strcmp(o->ci->vmac.name, vi->ci->vmac.name) == 0)
			return true;
	return false;
}

void
vrrp_vmac_remove(struct vrrp_inst *vi)
{
	if (vi->vmac_ifindex != 0 && !shared(vi) && still_there(vi)) {
		if (net_link_delete(vi->r->nl, vi->vmac_ifindex) == 0)
			log_info("(%s) VMAC %s removed", vi->ci->name,
			    vi->ci->vmac.name);
		else
			log_warn("(%s) cannot remove VMAC %s", vi->ci->name,
			    vi->ci->vmac.name);
	}
	vi->vmac_ifindex = 0;
	if (vi->vmac_parent != 0)
		parent_release(vi);
}
