/* SPDX-License-Identifier: BSD-2-Clause */
/* One transition of an instance's history (its own znode) and the list. */

#include <assert.h>
#include <string.h>

#include "registry_priv.h"

static enum registry_err
transition_value(const struct reg_dec *d, json_object *o,
    struct registry_transition *t)
{
	enum registry_err e;

	if ((e = reg_get_time(d, o, "time", &t->time_ms)) != REGISTRY_OK ||
	    (e = reg_get_str(d, o, "router_id", t->router_id,
		 sizeof(t->router_id), REG_STR_NAME)) != REGISTRY_OK ||
	    (e = reg_get_state(d, o, "from", &t->from)) != REGISTRY_OK ||
	    (e = reg_get_state(d, o, "to", &t->to)) != REGISTRY_OK ||
	    (e = reg_get_str(d, o, "reason", t->reason, sizeof(t->reason),
		 0)) != REGISTRY_OK)
		return e;
	return REGISTRY_OK;
}

static enum registry_err
transition_members(const struct reg_dec *d, json_object *o, void *out)
{
	return transition_value(d, o, out);
}

enum registry_err
registry_transition_decode(const char *buf, size_t len,
    struct registry_transition *out, char *why, size_t whylen)
{
	return reg_decode(buf, len, REGISTRY_RECORD_MAX, out, sizeof(*out),
	    transition_members, why, whylen);
}

int
registry_transition_encode(const struct registry_transition *t, char *buf,
    size_t size)
{
	struct registry_transition check;
	json_object *o;
	int rc = 0;

	if ((o = reg_new_record()) == NULL)
		return -1;
	rc |= reg_add_int(o, "time",
	    t->time_ms > REGISTRY_TIME_MAX ? -1 : (int64_t)t->time_ms);
	rc |= reg_add_str(o, "router_id", t->router_id, sizeof(t->router_id));
	rc |= reg_add_state(o, "from", t->from);
	rc |= reg_add_state(o, "to", t->to);
	rc |= reg_add_str(o, "reason", t->reason, sizeof(t->reason));
	return reg_encoded(reg_finish(o, rc, buf, size), buf, size,
	    REGISTRY_RECORD_MAX, &check, sizeof(check), transition_members);
}

void
registry_history_append(struct registry_history *hist,
    const struct registry_transition *entry)
{
	assert(hist->n <= REGISTRY_HISTORY_MAX);
	if (hist->n == REGISTRY_HISTORY_MAX) {
		memmove(&hist->t[0], &hist->t[1],
		    (REGISTRY_HISTORY_MAX - 1) * sizeof(hist->t[0]));
		hist->n--;
	}
	hist->t[hist->n++] = *entry;
}
