/* SPDX-License-Identifier: BSD-2-Clause */
/* The registry record of one instance on one node, as JSON. */

#include <stdio.h>
#include <string.h>

#include "vrrpd/checker.h"

#include "registry_priv.h"

/* The kinds checker_kind_name() names, first to last. */
#define KIND_FIRST CONF_TRACK_CHECK
#define KIND_LAST  CONF_TRACK_PROCESS

static enum registry_err
part_kind(const struct reg_dec *d, json_object *o, enum conf_track_kind *out)
{
	char text[32], p[48];
	enum registry_err e;

	if ((e = reg_get_str(d, o, "kind", text, sizeof(text), 0)) !=
	    REGISTRY_OK)
		return e;
	for (int k = KIND_FIRST; k <= KIND_LAST; k++)
		if (strcmp(text, checker_kind_name(k)) == 0) {
			*out = (enum conf_track_kind)k;
			return REGISTRY_OK;
		}
	return reg_fail(d, REGISTRY_E_RANGE, "kind",
	    ": \"%s\" is not check, interface, file or process",
	    reg_printable(text, strlen(text), p, sizeof(p)));
}

static enum registry_err
part_value(const struct reg_dec *d, json_object *o, struct registry_part *p)
{
	enum registry_err e;
	int64_t weight = 0, contrib = 0;

	if ((e = part_kind(d, o, &p->kind)) != REGISTRY_OK ||
	    (e = reg_get_str(d, o, "name", p->name, sizeof(p->name),
		 REG_STR_NONEMPTY)) != REGISTRY_OK ||
	    (e = reg_get_bool(d, o, "up", &p->up)) != REGISTRY_OK ||
	    (e = reg_get_int(d, o, "value", INT64_MIN, INT64_MAX, &p->value)) !=
		REGISTRY_OK ||
	    (e = reg_get_int(d, o, "weight", -253, 253, &weight)) !=
		REGISTRY_OK ||
	    (e = reg_get_bool(d, o, "reverse", &p->reverse)) != REGISTRY_OK ||
	    (e = reg_get_int(d, o, "contrib", -253, 253, &contrib)) !=
		REGISTRY_OK ||
	    (e = reg_get_bool(d, o, "fault", &p->fault)) != REGISTRY_OK)
		return e;
	p->weight = (int)weight;
	p->contrib = (int)contrib;
	return REGISTRY_OK;
}

static enum registry_err
inst_parts(const struct reg_dec *d, json_object *o, struct registry_inst_rec *r)
{
	json_object *arr, *v;
	struct reg_dec in;
	enum registry_err e;

	if ((e = reg_get_array(d, o, "parts", REGISTRY_PARTS_MAX, &arr,
		 &r->nparts)) != REGISTRY_OK)
		return e;
	for (size_t i = 0; i < r->nparts; i++) {
		reg_dec_enter(d, &in, "parts", i);
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_object))
			return reg_fail(&in, REGISTRY_E_MEMBER, "",
			    " must be an object");
		if ((e = part_value(&in, v, &r->parts[i])) != REGISTRY_OK)
			return e;
	}
	return REGISTRY_OK;
}

static enum registry_err
inst_faults(const struct reg_dec *d, json_object *o,
    struct registry_inst_rec *r)
{
	json_object *arr;
	struct reg_dec in;
	enum registry_err e;

	if ((e = reg_get_array(d, o, "faults", REGISTRY_FAULTS_MAX, &arr,
		 &r->nfaults)) != REGISTRY_OK)
		return e;
	for (size_t i = 0; i < r->nfaults; i++) {
		reg_dec_enter(d, &in, "faults", i);
		if ((e = reg_str_value(&in, json_object_array_get_idx(arr, i),
			 "", r->faults[i], sizeof(r->faults[i]),
			 REG_STR_NONEMPTY)) != REGISTRY_OK)
			return e;
	}
	return REGISTRY_OK;
}

static enum registry_err
inst_vips(const struct reg_dec *d, json_object *o, struct registry_inst_rec *r)
{
	json_object *arr, *v;
	struct reg_dec in;
	enum registry_err e;

	if ((e = reg_get_array(d, o, "vips", REGISTRY_VIPS_MAX, &arr,
		 &r->nvips)) != REGISTRY_OK)
		return e;
	for (size_t i = 0; i < r->nvips; i++) {
		reg_dec_enter(d, &in, "vips", i);
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_object))
			return reg_fail(&in, REGISTRY_E_MEMBER, "",
			    " must be an object");
		if ((e = reg_prefix_value(&in, v, &r->vips[i].addr,
			 &r->vips[i].prefix)) != REGISTRY_OK ||
		    (e = reg_get_bool(&in, v, "present",
			 &r->vips[i].present)) != REGISTRY_OK)
			return e;
	}
	return REGISTRY_OK;
}

/* The members that say where the instance runs and how. */
static enum registry_err
inst_where(const struct reg_dec *d, json_object *o, struct registry_inst_rec *r)
{
	json_object *sub;
	struct reg_dec in;
	enum registry_err e;
	int64_t vrid = 0, family = 0, adv = 0;

	if ((e = reg_get_int(d, o, "vrid", 1, 255, &vrid)) != REGISTRY_OK ||
	    (e = reg_get_int(d, o, "family", 4, 6, &family)) != REGISTRY_OK)
		return e;
	if (family == 5)
		return reg_fail(d, REGISTRY_E_RANGE, "family",
		    ": 5 is not 4 or 6");
	r->vrid = (uint8_t)vrid;
	r->family = family == 4 ? AF_INET : AF_INET6;
	if ((e = reg_get_str(d, o, "interface", r->interface,
		 sizeof(r->interface), 0)) != REGISTRY_OK ||
	    (e = reg_get(d, o, "subnet", json_type_object, true, &sub)) !=
		REGISTRY_OK)
		return e;
	reg_dec_enter(d, &in, "subnet", REG_NO_INDEX);
	if (sub != NULL &&
	    (e = reg_prefix_value(&in, sub, &r->subnet.addr,
		 &r->subnet.prefix)) != REGISTRY_OK)
		return e;
	if ((e = reg_get_int(d, o, "adver_int_cs", 1, REGISTRY_ADVER_INT_MAX_CS,
		 &adv)) != REGISTRY_OK)
		return e;
	r->adver_int_cs = (uint32_t)adv;
	return REGISTRY_OK;
}

static enum registry_err
inst_members(const struct reg_dec *d, json_object *o, void *out)
{
	struct registry_inst_rec *r = out;
	enum registry_err e;
	int64_t base = 0, prio = 0;

	if ((e = reg_get_str(d, o, "name", r->name, sizeof(r->name),
		 REG_STR_NAME)) != REGISTRY_OK ||
	    (e = reg_get_str(d, o, "router_id", r->router_id,
		 sizeof(r->router_id), REG_STR_NAME)) != REGISTRY_OK ||
	    (e = reg_get_state(d, o, "state", &r->state)) != REGISTRY_OK ||
	    (e = reg_get_int(d, o, "base_priority", 0, 255, &base)) !=
		REGISTRY_OK ||
	    (e = reg_get_int(d, o, "priority", 0, 255, &prio)) != REGISTRY_OK ||
	    (e = inst_parts(d, o, r)) != REGISTRY_OK ||
	    (e = inst_faults(d, o, r)) != REGISTRY_OK ||
	    (e = inst_vips(d, o, r)) != REGISTRY_OK ||
	    (e = inst_where(d, o, r)) != REGISTRY_OK ||
	    (e = reg_get_time(d, o, "since", &r->since_ms)) != REGISTRY_OK ||
	    (e = reg_get_addr(d, o, "master", true, &r->master)) != REGISTRY_OK)
		return e;
	r->base_priority = (uint8_t)base;
	r->priority = (uint8_t)prio;
	return REGISTRY_OK;
}

enum registry_err
registry_inst_decode(const char *buf, size_t len, struct registry_inst_rec *out,
    char *why, size_t whylen)
{
	return reg_decode(buf, len, REGISTRY_RECORD_MAX, out, sizeof(*out),
	    inst_members, why, whylen);
}

static json_object *
part_new(const struct registry_part *p)
{
	json_object *o;
	int rc = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	rc |= reg_add(o, "kind",
	    json_object_new_string(checker_kind_name(p->kind)));
	rc |= reg_add_str(o, "name", p->name, sizeof(p->name));
	rc |= reg_add_bool(o, "up", p->up);
	rc |= reg_add_int(o, "value", p->value);
	rc |= reg_add_int(o, "weight", p->weight);
	rc |= reg_add_bool(o, "reverse", p->reverse);
	rc |= reg_add_int(o, "contrib", p->contrib);
	rc |= reg_add_bool(o, "fault", p->fault);
	if (rc != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *
vip_new(const struct registry_vip *v)
{
	json_object *o;

	if ((o = reg_prefix_new(&v->addr, v->prefix)) == NULL)
		return NULL;
	if (reg_add_bool(o, "present", v->present) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The arrays; -1 when a count passes its array (never read past it). */
static int
add_arrays(json_object *o, const struct registry_inst_rec *r)
{
	json_object *parts, *faults, *vips;
	int rc = 0;

	if (r->nparts > REGISTRY_PARTS_MAX ||
	    r->nfaults > REGISTRY_FAULTS_MAX || r->nvips > REGISTRY_VIPS_MAX)
		return -1;
	rc |= reg_add(o, "parts", parts = json_object_new_array());
	rc |= reg_add(o, "faults", faults = json_object_new_array());
	rc |= reg_add(o, "vips", vips = json_object_new_array());
	for (size_t i = 0; rc == 0 && i < r->nparts; i++)
		rc |= reg_array_add(parts, part_new(&r->parts[i]));
	for (size_t i = 0; rc == 0 && i < r->nfaults; i++)
		rc |= reg_str_ok(r->faults[i], sizeof(r->faults[i])) ?
		    reg_array_add(faults,
			json_object_new_string(r->faults[i])) :
		    -1;
	for (size_t i = 0; rc == 0 && i < r->nvips; i++)
		rc |= reg_array_add(vips, vip_new(&r->vips[i]));
	return rc;
}

int
registry_inst_encode(const struct registry_inst_rec *rec, char *buf,
    size_t size)
{
	struct registry_inst_rec check;
	json_object *o;
	int rc = 0;

	if ((o = reg_new_record()) == NULL)
		return -1;
	rc |= reg_add_str(o, "name", rec->name, sizeof(rec->name));
	rc |=
	    reg_add_str(o, "router_id", rec->router_id, sizeof(rec->router_id));
	rc |= reg_add_state(o, "state", rec->state);
	rc |= reg_add_int(o, "base_priority", rec->base_priority);
	rc |= reg_add_int(o, "priority", rec->priority);
	rc |= add_arrays(o, rec);
	rc |= reg_add_int(o, "vrid", rec->vrid);
	rc |= reg_add_int(o, "family",
	    rec->family == AF_INET	? 4 :
		rec->family == AF_INET6 ? 6 :
					  0);
	rc |=
	    reg_add_str(o, "interface", rec->interface, sizeof(rec->interface));
	if (rec->subnet.addr.af != AF_UNSPEC)
		rc |= reg_add(o, "subnet",
		    reg_prefix_new(&rec->subnet.addr, rec->subnet.prefix));
	rc |= reg_add_int(o, "adver_int_cs", rec->adver_int_cs);
	rc |= reg_add_int(o, "since",
	    rec->since_ms > REGISTRY_TIME_MAX ? -1 : (int64_t)rec->since_ms);
	if (rec->master.af != AF_UNSPEC)
		rc |= reg_add_addr(o, "master", &rec->master);
	return reg_encoded(reg_finish(o, rc, buf, size), buf, size,
	    REGISTRY_RECORD_MAX, &check, sizeof(check), inst_members);
}

void
registry_inst_set_faults(struct registry_inst_rec *rec, unsigned int faults)
{
	memset(rec->faults, 0, sizeof(rec->faults));
	rec->nfaults = 0;
	for (int f = 0; f < VRRP_FAULT_MAX; f++)
		if ((faults & (1U << f)) != 0 &&
		    rec->nfaults < REGISTRY_FAULTS_MAX)
			snprintf(rec->faults[rec->nfaults++],
			    sizeof(rec->faults[0]), "%s", vrrp_fault_name(f));
}
