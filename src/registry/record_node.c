/* SPDX-License-Identifier: BSD-2-Clause */
/* Registry records of a node and of an instance's master, as JSON. */

#include <string.h>

#include "registry_priv.h"

static const char *const err_names[REGISTRY_E_MAX] = {
	[REGISTRY_OK] = "ok",
	[REGISTRY_E_JSON] = "not JSON",
	[REGISTRY_E_VERSION] = "bad version",
	[REGISTRY_E_MEMBER] = "missing or mistyped member",
	[REGISTRY_E_RANGE] = "value out of range",
	[REGISTRY_E_TOO_BIG] = "too big",
};

const char *
registry_strerror(enum registry_err e)
{
	if ((unsigned int)e >= REGISTRY_E_MAX)
		return "unknown";
	return err_names[e];
}

static enum registry_err
node_members(const struct reg_dec *d, json_object *o, void *out)
{
	struct registry_node_rec *r = out;
	enum registry_err e;

	if ((e = reg_get_str(d, o, "router_id", r->router_id,
		 sizeof(r->router_id), REG_STR_NAME)) != REGISTRY_OK ||
	    (e = reg_get_addr(d, o, "addr", false, &r->addr)) != REGISTRY_OK ||
	    (e = reg_get_str(d, o, "version", r->version, sizeof(r->version),
		 REG_STR_NONEMPTY)) != REGISTRY_OK ||
	    (e = reg_get_time(d, o, "start_time", &r->start_time)) !=
		REGISTRY_OK ||
	    (e = reg_get_str(d, o, "config_digest", r->config_digest,
		 sizeof(r->config_digest), REG_STR_NONEMPTY | REG_STR_HEX)) !=
		REGISTRY_OK)
		return e;
	return REGISTRY_OK;
}

enum registry_err
registry_node_decode(const char *buf, size_t len, struct registry_node_rec *out,
    char *why, size_t whylen)
{
	return reg_decode(buf, len, REGISTRY_RECORD_MAX, out, sizeof(*out),
	    node_members, why, whylen);
}

/*
 * Each encoder checks its output with its decoder: the decoder is the one
 * statement of the rules, so the two cannot drift apart and a record the
 * readers would refuse is never written.
 */
int
registry_node_encode(const struct registry_node_rec *rec, char *buf,
    size_t size)
{
	struct registry_node_rec check;
	json_object *o;
	int rc = 0;

	if ((o = reg_new_record()) == NULL)
		return -1;
	rc |=
	    reg_add_str(o, "router_id", rec->router_id, sizeof(rec->router_id));
	rc |= reg_add_addr(o, "addr", &rec->addr);
	rc |= reg_add_str(o, "version", rec->version, sizeof(rec->version));
	rc |= reg_add_int(o, "start_time", (int64_t)rec->start_time);
	rc |= reg_add_str(o, "config_digest", rec->config_digest,
	    sizeof(rec->config_digest));
	if (rec->start_time > REGISTRY_TIME_MAX)
		rc = -1;
	return reg_encoded(reg_finish(o, rc, buf, size), buf, size,
	    REGISTRY_RECORD_MAX, &check, sizeof(check), node_members);
}

static enum registry_err
master_members(const struct reg_dec *d, json_object *o, void *out)
{
	struct registry_master_rec *r = out;
	enum registry_err e;

	if ((e = reg_get_str(d, o, "router_id", r->router_id,
		 sizeof(r->router_id), REG_STR_NAME)) != REGISTRY_OK ||
	    (e = reg_get_time(d, o, "since", &r->since_ms)) != REGISTRY_OK)
		return e;
	return REGISTRY_OK;
}

enum registry_err
registry_master_decode(const char *buf, size_t len,
    struct registry_master_rec *out, char *why, size_t whylen)
{
	return reg_decode(buf, len, REGISTRY_RECORD_MAX, out, sizeof(*out),
	    master_members, why, whylen);
}

int
registry_master_encode(const struct registry_master_rec *rec, char *buf,
    size_t size)
{
	struct registry_master_rec check;
	json_object *o;
	int rc = 0;

	if ((o = reg_new_record()) == NULL)
		return -1;
	rc |=
	    reg_add_str(o, "router_id", rec->router_id, sizeof(rec->router_id));
	rc |= reg_add_int(o, "since", (int64_t)rec->since_ms);
	if (rec->since_ms > REGISTRY_TIME_MAX)
		rc = -1;
	return reg_encoded(reg_finish(o, rc, buf, size), buf, size,
	    REGISTRY_RECORD_MAX, &check, sizeof(check), master_members);
}
