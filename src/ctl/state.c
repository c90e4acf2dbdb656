/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reply payloads from plain values: an instance's status and "why" line,
 * its counters and the router's (man/vrrpctl.8, docs/ctl-protocol.md).
 */

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "vrrpd/ctl.h"
#include "vrrpd/vrrp_instance.h"

/* Counters not kept by packet error kind: struct vrrp_inst_stats fields. */
static const struct ctl_counter inst_counters[] = {
	{ "advert_rcvd", "vrrpv3StatisticsAdvertisementRcvd",
	    "adverts received",
	    offsetof(struct vrrp_inst_stats, adverts_rcvd) },
	{ "advert_sent", NULL, "adverts sent",
	    offsetof(struct vrrp_inst_stats, adverts_sent) },
	{ "become_master", "vrrpv3StatisticsMasterTransitions",
	    "transitions to master",
	    offsetof(struct vrrp_inst_stats, become_master) },
	{ "release_master", NULL, "transitions from master",
	    offsetof(struct vrrp_inst_stats, release_master) },
	{ "pri_zero_rcvd", "vrrpv3StatisticsPriZeroPktsRcvd",
	    "priority 0 adverts received",
	    offsetof(struct vrrp_inst_stats, pri_zero_rcvd) },
	{ "pri_zero_sent", "vrrpv3StatisticsPriZeroPktsSent",
	    "priority 0 adverts sent",
	    offsetof(struct vrrp_inst_stats, pri_zero_sent) },
	{ "garp_sent", NULL, "gratuitous ARPs sent",
	    offsetof(struct vrrp_inst_stats, garp_sent) },
	{ "na_sent", NULL, "unsolicited neighbour advertisements sent",
	    offsetof(struct vrrp_inst_stats, na_sent) },
	{ "send_errors", NULL, "adverts that could not be sent",
	    offsetof(struct vrrp_inst_stats, send_errors) },
	{ "answers_suppressed", NULL,
	    "answers to priority 0 or lower priority adverts left out (one "
	    "an interval)",
	    offsetof(struct vrrp_inst_stats, answers_suppressed) },
	{ "pri_zero_ignored", NULL,
	    "priority 0 adverts ignored: not from the master followed",
	    offsetof(struct vrrp_inst_stats, stops_ignored) },
};

/* Receive errors, by enum vrrp_pkt_ctr; the MIB name is the codec's. */
static const struct ctl_counter rx_counters[VRRP_CTR_MAX] = {
	[VRRP_CTR_PACKET_LENGTH_ERRORS] = { "packet_len_err", NULL,
	    "adverts of a wrong length", 0 },
	[VRRP_CTR_IP_TTL_ERRORS] = { "ip_ttl_err", NULL,
	    "adverts with a TTL or hop limit not 255", 0 },
	[VRRP_CTR_VERSION_ERRORS] = { "version_err", NULL,
	    "adverts of another VRRP version", 0 },
	[VRRP_CTR_INVALID_TYPE] = { "invalid_type_rcvd", NULL,
	    "packets of an unknown type", 0 },
	[VRRP_CTR_CHECKSUM_ERRORS] = { "checksum_err", NULL,
	    "adverts with a bad checksum", 0 },
	[VRRP_CTR_VRID_ERRORS] = { "vrid_err", NULL,
	    "adverts for a VRID not configured here", 0 },
	[VRRP_CTR_INVALID_AUTH_TYPE] = { "invalid_authtype", NULL,
	    "adverts with an unknown authentication type", 0 },
	[VRRP_CTR_AUTH_TYPE_MISMATCH] = { "authtype_mismatch", NULL,
	    "adverts with another authentication type", 0 },
	[VRRP_CTR_AUTH_FAILURES] = { "auth_failure", NULL,
	    "adverts failing authentication", 0 },
	[VRRP_CTR_ADV_INTERVAL_ERRORS] = { "advert_interval_err", NULL,
	    "adverts with another advert interval (VRRPv2)", 0 },
	[VRRP_CTR_ADDRESS_LIST_ERRORS] = { "addr_list_err", NULL,
	    "adverts whose address list differs", 0 },
};

/* The router's: VRRP packets the sockets' in-kernel filters dropped. */
static const struct ctl_counter kernel_filtered = { "kernel_filtered", NULL,
	"invalid packets dropped in the kernel (TTL, version, type, VRID not "
	"configured, length), all kinds",
	0 };

size_t
ctl_counters(const struct ctl_counter **inst, const struct ctl_counter **rx)
{
	*inst = inst_counters;
	*rx = rx_counters;
	return sizeof(inst_counters) / sizeof(inst_counters[0]);
}

const char *
ctl_counter_mib(const struct ctl_counter *c, int ctr)
{
	if (c->mib != NULL)
		return c->mib;
	if (ctr > VRRP_CTR_NONE && ctr < VRRP_CTR_MAX)
		return vrrp_pkt_ctr_name((enum vrrp_pkt_ctr)ctr);
	return NULL;
}

/* Reference-counting helpers: a NULL value is json null. */
static void
put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *
jaddr(const struct addr *a)
{
	char buf[ADDR_STRLEN];

	if (a->af == AF_UNSPEC)
		return NULL;
	return json_object_new_string(addr_fmt(a, buf, sizeof(buf)));
}

json_object *
ctl_json_inst_counters(const struct vrrp_inst_stats *st)
{
	json_object *o = json_object_new_object();
	const uint64_t *v;

	if (o == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(inst_counters) / sizeof(inst_counters[0]);
	     i++) {
		v = (const uint64_t *)((const char *)st + inst_counters[i].off);
		put(o, inst_counters[i].key, ctl_json_u64(*v));
	}
	for (int c = VRRP_CTR_NONE + 1; c < VRRP_CTR_MAX; c++)
		if (c != VRRP_CTR_VRID_ERRORS)
			put(o, rx_counters[c].key,
			    ctl_json_u64(st->rx_errors[c]));
	return o;
}

json_object *
ctl_json_router_counters(const struct vrrp_router_stats *st)
{
	json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	for (int c = VRRP_CTR_NONE + 1; c < VRRP_CTR_MAX; c++)
		put(o, rx_counters[c].key, ctl_json_u64(st->rx_errors[c]));
	put(o, kernel_filtered.key, ctl_json_u64(st->kernel_filtered));
	return o;
}

static json_object *
info(const struct ctl_counter *c, int ctr)
{
	json_object *o = json_object_new_object();
	const char *mib = ctl_counter_mib(c, ctr);

	put(o, "mib", mib != NULL ? json_object_new_string(mib) : NULL);
	put(o, "help", json_object_new_string(c->help));
	return o;
}

json_object *
ctl_json_counter_info(void)
{
	json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(inst_counters) / sizeof(inst_counters[0]);
	     i++)
		put(o, inst_counters[i].key, info(&inst_counters[i], 0));
	for (int c = VRRP_CTR_NONE + 1; c < VRRP_CTR_MAX; c++)
		put(o, rx_counters[c].key, info(&rx_counters[c], c));
	put(o, kernel_filtered.key, info(&kernel_filtered, 0));
	return o;
}

static const char *const track_kinds[] = {
	[CONF_TRACK_CHECK] = "check",
	[CONF_TRACK_IFACE] = "interface",
	[CONF_TRACK_FILE] = "file",
	[CONF_TRACK_PROCESS] = "process",
};

const char *
ctl_track_kind_name(enum conf_track_kind k)
{
	if ((unsigned int)k >= sizeof(track_kinds) / sizeof(track_kinds[0]) ||
	    track_kinds[k] == NULL)
		return "unknown";
	return track_kinds[k];
}

static json_object *
json_part(const struct checker_part *p)
{
	json_object *o = json_object_new_object();

	put(o, "kind", json_object_new_string(ctl_track_kind_name(p->kind)));
	put(o, "name", json_object_new_string(p->name != NULL ? p->name : ""));
	put(o, "up", json_object_new_boolean(p->up));
	put(o, "value",
	    p->kind == CONF_TRACK_FILE ? json_object_new_int64(p->value) :
					 NULL);
	put(o, "weight", json_object_new_int(p->weight));
	put(o, "contrib", json_object_new_int(p->contrib));
	put(o, "fault", json_object_new_boolean(p->fault));
	/* Every track is acted on; the member stays for protocol v1. */
	put(o, "applied", json_object_new_boolean(true));
	return o;
}

static json_object *
json_priority(const struct vrrp_inst_view *v)
{
	json_object *o = json_object_new_object(), *parts;

	put(o, "base", json_object_new_int(v->base_priority));
	put(o, "effective", json_object_new_int(v->priority));
	parts = json_object_new_array();
	for (size_t i = 0; i < v->nparts; i++)
		json_object_array_add(parts, json_part(&v->parts[i]));
	if (v->demoted) {
		json_object *d = json_object_new_object();

		put(d, "kind", json_object_new_string("demote"));
		put(d, "name", json_object_new_string("vrrpctl demote"));
		put(d, "up", json_object_new_boolean(false));
		put(d, "value", NULL);
		put(d, "weight", json_object_new_int(0));
		put(d, "contrib",
		    json_object_new_int(1 - (v->base_priority + v->track_sum)));
		put(d, "fault", json_object_new_boolean(false));
		put(d, "applied", json_object_new_boolean(true));
		json_object_array_add(parts, d);
	}
	put(o, "parts", parts);
	return o;
}

static json_object *
json_master(const struct vrrp_inst_view *v)
{
	json_object *o;

	if (!v->master_known)
		return NULL;
	o = json_object_new_object();
	put(o, "address", jaddr(&v->master_addr));
	put(o, "priority", json_object_new_int(v->master_priority));
	put(o, "advert_interval_ms",
	    json_object_new_int(v->master_adver_int_cs * 10));
	return o;
}

static json_object *
json_vips(const struct vrrp_inst_view *v, const bool *present)
{
	const struct conf_instance *ci = v->ci;
	json_object *a = json_object_new_array(), *o;
	char buf[ADDR_STRLEN + 8];
	const struct conf_vip *vip;

	for (size_t i = 0; i < ci->nvips + ci->nvips_excluded; i++) {
		vip = i < ci->nvips ? &ci->vips[i] :
				      &ci->vips_excluded[i - ci->nvips];
		addr_fmt(&vip->addr, buf, ADDR_STRLEN);
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "/%u",
		    vip->prefix);
		o = json_object_new_object();
		put(o, "address", json_object_new_string(buf));
		put(o, "interface",
		    json_object_new_string(vip->dev[0] != '\0' ? vip->dev :
			    ci->vmac.on			       ? ci->vmac.name :
								 ci->interface));
		put(o, "excluded", json_object_new_boolean(i >= ci->nvips));
		put(o, "present",
		    present != NULL ? json_object_new_boolean(present[i]) :
				      NULL);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
json_faults(unsigned int faults)
{
	json_object *a = json_object_new_array();

	for (int f = 0; f < VRRP_FAULT_MAX; f++)
		if (faults & (1u << f))
			json_object_array_add(a,
			    json_object_new_string(vrrp_fault_name(f)));
	return a;
}

static json_object *
json_transition(const struct vrrp_inst_view *v)
{
	json_object *o;

	if (!v->transitioned)
		return NULL;
	o = json_object_new_object();
	put(o, "from", json_object_new_string(vrrp_state_name(v->prev_state)));
	put(o, "to", json_object_new_string(vrrp_state_name(v->state)));
	put(o, "reason", json_object_new_string(vrrp_reason_name(v->reason)));
	put(o, "ago_ms", ctl_json_u64(v->in_state_us / 1000));
	return o;
}

static json_object *
json_demoted(const struct vrrp_inst_view *v)
{
	json_object *o;

	if (!v->demoted)
		return NULL;
	o = json_object_new_object();
	put(o, "in_ms",
	    v->demote_left_us > 0 ?
		ctl_json_u64((v->demote_left_us + 999) / 1000) :
		NULL);
	return o;
}

/* {"name", "state", "held_by"}: the instance's sync group, or NULL. */
static json_object *
json_group(const struct vrrp_inst_view *v)
{
	json_object *o;

	if (v->group == NULL)
		return NULL;
	o = json_object_new_object();
	put(o, "name", json_object_new_string(v->group));
	put(o, "state",
	    json_object_new_string(vrrp_state_name(v->group_state)));
	put(o, "held_by",
	    v->group_holder != NULL ? json_object_new_string(v->group_holder) :
				      NULL);
	return o;
}

json_object *
ctl_json_instance(const struct vrrp_inst_view *v, const bool *present)
{
	const struct conf_instance *ci = v->ci;
	json_object *o = json_object_new_object();
	char why[256];

	if (o == NULL)
		return NULL;
	put(o, "name", json_object_new_string(ci->name));
	put(o, "interface", json_object_new_string(ci->interface));
	put(o, "vmac",
	    ci->vmac.on ? json_object_new_string(ci->vmac.name) : NULL);
	put(o, "family",
	    json_object_new_string(ci->family == AF_INET6 ? "inet6" : "inet"));
	put(o, "vrid", json_object_new_int(ci->vrid));
	put(o, "version", json_object_new_int(ci->version));
	put(o, "state", json_object_new_string(vrrp_state_name(v->state)));
	put(o, "in_state_ms", ctl_json_u64(v->in_state_us / 1000));
	put(o, "priority", json_priority(v));
	put(o, "demoted", json_demoted(v));
	put(o, "faults", json_faults(v->faults));
	put(o, "master", json_master(v));
	put(o, "sync_group", json_group(v));
	put(o, "advert_interval_ms", json_object_new_int(v->adver_int_cs * 10));
	put(o, "preempt", json_object_new_boolean(ci->preempt));
	put(o, "preempt_delay_ms", ctl_json_u64(ci->preempt_delay_ms));
	put(o, "accept", json_object_new_boolean(ci->accept));
	put(o, "unicast", json_object_new_boolean(ci->unicast));
	put(o, "source", jaddr(&v->src));
	put(o, "vips", json_vips(v, present));
	put(o, "last_transition", json_transition(v));
	put(o, "master_down_in_ms",
	    v->master_down_armed ? ctl_json_u64(v->master_down_in_us / 1000) :
				   NULL);
	ctl_why(v, why, sizeof(why));
	put(o, "why", json_object_new_string(why));
	return o;
}
