/* SPDX-License-Identifier: BSD-2-Clause */
/* An instance's transition history: a bounded list and its JSON. */

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

/* Every entry is checked; the newest REGISTRY_HISTORY_MAX are kept. */
static enum registry_err
history_members(const struct reg_dec *d, json_object *o, void *out)
{
	struct registry_history *h = out;
	struct registry_transition t;
	json_object *arr, *v;
	struct reg_dec in;
	enum registry_err e;
	size_t n, skip;

	if ((e = reg_get_array(d, o, "history", SIZE_MAX, &arr, &n)) !=
	    REGISTRY_OK)
		return e;
	skip = n > REGISTRY_HISTORY_MAX ? n - REGISTRY_HISTORY_MAX : 0;
	for (size_t i = 0; i < n; i++) {
		reg_dec_enter(d, &in, "history", i);
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_object))
			return reg_fail(&in, REGISTRY_E_MEMBER, "",
			    " must be an object");
		memset(&t, 0, sizeof(t));
		if ((e = transition_value(&in, v, &t)) != REGISTRY_OK)
			return e;
		if (i >= skip)
			h->t[h->n++] = t;
	}
	return REGISTRY_OK;
}

enum registry_err
registry_history_decode(const char *buf, size_t len,
    struct registry_history *out, char *why, size_t whylen)
{
	return reg_decode(buf, len, REGISTRY_HISTORY_BYTES_MAX, out,
	    sizeof(*out), history_members, why, whylen);
}

static json_object *
transition_new(const struct registry_transition *t)
{
	json_object *o;
	int rc = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	rc |= reg_add_int(o, "time",
	    t->time_ms > REGISTRY_TIME_MAX ? -1 : (int64_t)t->time_ms);
	rc |= reg_add_str(o, "router_id", t->router_id, sizeof(t->router_id));
	rc |= reg_add_state(o, "from", t->from);
	rc |= reg_add_state(o, "to", t->to);
	rc |= reg_add_str(o, "reason", t->reason, sizeof(t->reason));
	if (rc != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int
registry_history_encode(const struct registry_history *hist, char *buf,
    size_t size)
{
	struct registry_history check;
	json_object *o, *arr;
	int rc = 0;

	if (hist->n > REGISTRY_HISTORY_MAX || (o = reg_new_record()) == NULL)
		return -1;
	rc |= reg_add(o, "history", arr = json_object_new_array());
	for (size_t i = 0; rc == 0 && i < hist->n; i++)
		rc |= reg_array_add(arr, transition_new(&hist->t[i]));
	return reg_encoded(reg_finish(o, rc, buf, size), buf, size,
	    REGISTRY_HISTORY_BYTES_MAX, &check, sizeof(check), history_members);
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
