/* SPDX-License-Identifier: BSD-2-Clause */
/* Rise/fall counting and keepalived's tracker weight arithmetic: pure. */

#include <stdio.h>

#include "vrrpd/checker.h"
#include "vrrpd/vrrp_fsm.h"

static const char *const result_names[CHECKER_RESULT_MAX] = {
	[CHECKER_OK] = "ok",
	[CHECKER_CONNECT_REFUSED] = "connection refused",
	[CHECKER_TIMEOUT] = "timeout",
	[CHECKER_UNREACHABLE] = "unreachable",
	[CHECKER_CONNECT_ERROR] = "connect error",
	[CHECKER_HTTP_STATUS] = "HTTP status",
	[CHECKER_HTTP_BODY] = "body mismatch",
	[CHECKER_HTTP_TOO_BIG] = "response too big",
	[CHECKER_HTTP_PROTOCOL] = "bad HTTP response",
	[CHECKER_TLS_VERIFY] = "TLS verify failed",
	[CHECKER_TLS_ERROR] = "TLS error",
	[CHECKER_SCRIPT_EXIT] = "script exit",
	[CHECKER_SCRIPT_SIGNAL] = "script killed by signal",
	[CHECKER_SCRIPT_TIMEOUT] = "script killed by timeout",
	[CHECKER_SCRIPT_EXEC] = "script could not run",
	[CHECKER_SCRIPT_INSECURE] = "script refused by script security",
	[CHECKER_INTERNAL] = "internal error",
};

const char *
checker_result_name(enum checker_result r)
{
	if ((unsigned int)r >= CHECKER_RESULT_MAX || result_names[r] == NULL)
		return "unknown result";
	return result_names[r];
}

const char *
checker_outcome_format(const struct checker_outcome *o, char *buf, size_t size)
{
	const char *name = checker_result_name(o->result);

	switch (o->result) {
	case CHECKER_HTTP_STATUS:
	case CHECKER_SCRIPT_EXIT:
	case CHECKER_SCRIPT_SIGNAL:
		snprintf(buf, size, "%s %d", name, o->detail);
		break;
	default:
		snprintf(buf, size, "%s", name);
		break;
	}
	return buf;
}

void
checker_eval_init(struct checker_eval *e, uint32_t rise, uint32_t fall,
    bool init_fail)
{
	e->up = !init_fail;
	e->rise = rise > 0 ? rise : 1;
	e->fall = fall > 0 ? fall : 1;
	e->run = 0;
}

/*
 * keepalived's rise/fall: a down check needs rise successes in a row to
 * be up, an up one fall failures in a row to be down; a result agreeing
 * with the state resets the count.
 */
bool
checker_eval_result(struct checker_eval *e, bool success)
{
	if (success == e->up) {
		e->run = 0;
		return false;
	}
	if (++e->run < (e->up ? e->fall : e->rise))
		return false;
	e->up = success;
	e->run = 0;
	return true;
}

int
checker_eval_weight(const struct checker_contrib *c)
{
	int w = c->weight;

	/* A positive weight acts while up, a negative one while down. */
	if (w == 0 || (w > 0) != c->up)
		return 0;
	return c->reverse ? -w : w;
}

bool
checker_eval_faulty(const struct checker_contrib *c)
{
	return c->weight == 0 && c->up == c->reverse;
}

void
checker_eval_priority(uint8_t base, const struct checker_contrib *c, size_t n,
    struct checker_prio *out)
{
	out->sum = 0;
	out->fault = false;
	for (size_t i = 0; i < n; i++) {
		out->sum += checker_eval_weight(&c[i]);
		out->fault = out->fault || checker_eval_faulty(&c[i]);
	}
	out->priority = vrrp_fsm_clamp_priority(base, (int)base + out->sum);
}

void
checker_eval_file(long value, int weight, bool reverse, int *contrib,
    bool *fault)
{
	long long p = (long long)value * (reverse ? -weight : weight);

	if (weight == 0) {
		*contrib = 0;
		*fault = value != 0;
		return;
	}
	/* keepalived: below -253 no priority is left to give: a fault. */
	*fault = p < -253;
	*contrib = p < -253 ? -253 : p > 253 ? 253 : (int)p;
}
