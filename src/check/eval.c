/* SPDX-License-Identifier: BSD-2-Clause */
/* Rise/fall counting and keepalived's tracker weight arithmetic: pure. */

#include <assert.h>
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
checker_eval_weight(const struct checker_part *p)
{
	int w = p->weight;

	/* A positive weight acts while up, a negative one while down. */
	if (w == 0 || (w > 0) != p->up)
		return 0;
	return p->reverse ? -w : w;
}

bool
checker_eval_faulty(const struct checker_part *p)
{
	return p->weight == 0 && p->up == p->reverse;
}

const char *
checker_kind_name(enum conf_track_kind kind)
{
	static const char *const names[] = {
		[CONF_TRACK_CHECK] = "check",
		[CONF_TRACK_IFACE] = "interface",
		[CONF_TRACK_FILE] = "file",
		[CONF_TRACK_PROCESS] = "process",
	};

	if ((unsigned int)kind >= sizeof(names) / sizeof(names[0]) ||
	    names[kind] == NULL)
		return "tracked object";
	return names[kind];
}

static const enum vrrp_fault kind_fault[] = {
	[CONF_TRACK_CHECK] = VRRP_FAULT_CHECK,
	[CONF_TRACK_IFACE] = VRRP_FAULT_TRACKED_IF,
	[CONF_TRACK_FILE] = VRRP_FAULT_TRACK_FILE,
	[CONF_TRACK_PROCESS] = VRRP_FAULT_TRACK_PROC,
};

void
checker_eval_priority(uint8_t base, bool demoted, struct checker_part *parts,
    size_t n, struct checker_prio *out)
{
	struct checker_part *p;

	out->sum = 0;
	out->faults = 0;
	for (size_t i = 0; i < n; i++) {
		p = &parts[i];
		assert((unsigned int)p->kind <
		    sizeof(kind_fault) / sizeof(kind_fault[0]));
		if (p->kind == CONF_TRACK_FILE) {
			checker_eval_file(p->value, p->weight, p->reverse,
			    &p->contrib, &p->fault);
		} else {
			p->contrib = checker_eval_weight(p);
			p->fault = checker_eval_faulty(p);
		}
		out->sum += p->contrib;
		if (p->fault)
			out->faults |= 1U << kind_fault[p->kind];
	}
	out->priority =
	    vrrp_fsm_clamp_priority(base, demoted ? 1 : (int)base + out->sum);
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
