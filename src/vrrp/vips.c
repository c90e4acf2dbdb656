/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An instance's virtual addresses on the host: added and removed through
 * netlink, leftovers cleaned, and a VIP removed behind a master's back
 * (keepalived gives up mastership then) reported with who removed it.
 */

#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>

#include "instance_priv.h"

unsigned int
vrrp_inst_vip_ifindex(const struct vrrp_inst *vi, const struct conf_vip *v)
{
	if (v->dev[0] == '\0')
		return vi->ci->vmac.on ? vi->vmac_ifindex : vi->link.ifindex;
	return if_nametoindex(v->dev);
}

static void
vips_set(struct vrrp_inst *vi, const struct conf_vip *v, size_t n, bool add)
{
	char buf[ADDR_STRLEN];
	unsigned int ifindex;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if ((ifindex = vrrp_inst_vip_ifindex(vi, &v[i])) == 0) {
			log_warnx("(%s) cannot %s %s: interface %s is missing",
			    vi->ci->name, add ? "add" : "remove",
			    addr_fmt(&v[i].addr, buf, sizeof(buf)), v[i].dev);
			continue;
		}
		rc = add ? net_link_addr_add(vi->r->nl, ifindex, &v[i]) :
			   net_link_addr_del(vi->r->nl, ifindex, &v[i]);
		if (rc == 0)
			log_debug_inst(DBG_NET, vi->ci->name,
			    "net: %s %s/%u %s interface index %u",
			    add ? "added" : "removed",
			    addr_fmt(&v[i].addr, buf, sizeof(buf)), v[i].prefix,
			    add ? "to" : "from", ifindex);
		if (rc != 0)
			log_warn("(%s) cannot %s %s/%u", vi->ci->name,
			    add ? "add" : "remove",
			    addr_fmt(&v[i].addr, buf, sizeof(buf)),
			    v[i].prefix);
	}
}

/* VIP i of ci's two lists. */
static const struct conf_vip *
vip_at(const struct conf_instance *ci, size_t i)
{
	return i < ci->nvips ? &ci->vips[i] : &ci->vips_excluded[i - ci->nvips];
}

/*
 * v is one of ci's as the kernel has it: the same options but no_track
 * (vrrpd's own: changing it changes nothing on the interface).
 */
static bool
has_vip(const struct conf_instance *ci, const struct conf_vip *v)
{
	struct conf_vip a = *v, b;

	a.no_track = false;
	for (size_t i = 0; i < ci->nvips + ci->nvips_excluded; i++) {
		b = *vip_at(ci, i);
		b.no_track = false;
		if (conf_vips_equal(&a, 1, &b, 1))
			return true;
	}
	return false;
}

int
vrrp_inst_readdress(struct vrrp_inst *vi, const struct conf_instance *ci,
    const struct conf_global *g)
{
	const struct conf_instance *old = vi->ci;
	bool master = vi->fsm.state == VRRP_STATE_MASTER;
	struct addr *va = NULL;
	size_t added = 0, removed = 0;

	if (ci->nvips > 0 && (va = calloc(ci->nvips, sizeof(*va))) == NULL)
		return -1;
	for (size_t i = 0; i < old->nvips + old->nvips_excluded; i++)
		if (!has_vip(ci, vip_at(old, i))) {
			if (master)
				vips_set(vi, vip_at(old, i), 1, false);
			removed++;
		}
	vrrp_inst_rebind(vi, ci, g);
	free(vi->vip_addrs);
	vi->vip_addrs = va;
	for (size_t i = 0; i < ci->nvips; i++)
		va[i] = ci->vips[i].addr;
	for (size_t i = 0; i < ci->nvips + ci->nvips_excluded; i++)
		if (!has_vip(old, vip_at(ci, i))) {
			if (master)
				vips_set(vi, vip_at(ci, i), 1, true);
			added++;
		}
	if (master && added > 0)
		vrrp_inst_announce(vi, VRRP_ANN_BECOME_MASTER);
	log_info("(%s) addresses changed by the reload, in place: %zu added, "
		 "%zu removed%s",
	    ci->name, added, removed, master ? "" : " (not master: none held)");
	if (vi->r->observe_fn != NULL) /* the registry's record lists them */
		vi->r->observe_fn(vi->r->observe_arg, vi, NULL);
	return 0;
}

void
vrrp_inst_vips_apply(struct vrrp_inst *vi, bool add)
{
	vips_set(vi, vi->ci->vips, vi->ci->nvips, add);
	vips_set(vi, vi->ci->vips_excluded, vi->ci->nvips_excluded, add);
}

void
vrrp_inst_clean_vips(struct vrrp_inst *vi)
{
	if (vi->waiting || vi->fsm.state != VRRP_STATE_MASTER) {
		vrrp_inst_routes_apply(vi, false);
		vrrp_inst_vips_apply(vi, false);
	}
}

/*
 * Who asked netlink for a change: "pid 4242 (ip)". A process's first
 * netlink socket gets its pid as port (autobind); others get numbers
 * from 2^31 up. A tool like ip(8) is often gone by the time we look.
 */
const char *
vrrp_port_owner(uint32_t portid, char *buf, size_t size)
{
	char path[64], comm[32] = "";
	FILE *f;

	if (portid == 0)
		return "the kernel";
	if (portid >= 0x80000000U) {
		snprintf(buf, size, "netlink port %u", portid);
		return buf;
	}
	snprintf(path, sizeof(path), "/proc/%u/comm", portid);
	if ((f = fopen(path, "re")) != NULL) {
		if (fgets(comm, sizeof(comm), f) != NULL)
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(buf, size, "pid %u (%s)", portid,
	    comm[0] != '\0' ? comm : "no longer running");
	return buf;
}

void
vrrp_inst_addr_removed(struct vrrp_inst *vi, unsigned int ifindex,
    const struct addr *a, uint32_t portid)
{
	const struct conf_instance *ci = vi->ci;
	char abuf[ADDR_STRLEN], who[64];
	size_t n = ci->nvips + ci->nvips_excluded;
	const struct conf_vip *v;

	if (vi->fsm.state != VRRP_STATE_MASTER)
		return;
	for (size_t i = 0; i < n; i++) {
		v = i < ci->nvips ? &ci->vips[i] :
				    &ci->vips_excluded[i - ci->nvips];
		if (v->no_track || addr_cmp(&v->addr, a) != 0 ||
		    vrrp_inst_vip_ifindex(vi, v) != ifindex)
			continue;
		/* A vanished interface takes its addresses along: a fault;
		 * a vanished VMAC is made again, with them. */
		vrrp_inst_link_changed(vi);
		if (vi->fsm.state != VRRP_STATE_MASTER ||
		    vrrp_inst_vip_ifindex(vi, v) != ifindex)
			return;
		log_warnx("(%s) %s/%u removed from %s by %s while MASTER",
		    ci->name, addr_fmt(a, abuf, sizeof(abuf)), v->prefix,
		    v->dev[0] != '\0' ? v->dev : ci->interface,
		    vrrp_port_owner(portid, who, sizeof(who)));
		vrrp_inst_input(vi, VRRP_IN_VIP_LOST);
		return;
	}
}
