/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The check framework: a run every interval, never two at once, rise and
 * fall through eval, subscribers told of every state change. The kinds
 * (tcp.c, http.c, script.c) each own one run.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checker_priv.h"
#include "vrrpd/util.h"
#include "vrrpd/log.h"

static const struct checker_kind *const kinds[] = {
	[CONF_CHECK_SCRIPT] = &checker_kind_script,
	[CONF_CHECK_TCP] = &checker_kind_tcp,
	[CONF_CHECK_HTTP] = &checker_kind_http,
};

static void
report(struct checker *c, const struct checker_outcome *o)
{
	char buf[96];

	c->last = *o;
	c->runs++;
	c->failures += o->result != CHECKER_OK;
	if (log_debug_on(DBG_CHECK, NULL))
		log_debug(DBG_CHECK, "check %s: run %llu: %s in %u us, %s",
		    c->cc->name, (unsigned long long)c->runs,
		    checker_outcome_format(o, buf, sizeof(buf)), o->latency_us,
		    c->eval.up ? "up" : "down");
	if (!checker_eval_result(&c->eval, o->result == CHECKER_OK))
		return;
	c->changed_us = util_now_us();
	if (c->eval.up)
		log_info("check %s: up after %u success%s", c->cc->name,
		    c->eval.rise, c->eval.rise == 1 ? "" : "es");
	else
		log_info("check %s: down after %u failure%s (%s)", c->cc->name,
		    c->eval.fall, c->eval.fall == 1 ? "" : "s",
		    checker_outcome_format(o, buf, sizeof(buf)));
	tracker_changed(&c->tr);
}

void
checker_done(struct checker *c, const struct checker_outcome *o)
{
	struct checker_outcome out = *o;
	uint64_t now = util_now_us();

	if (!c->running) {
		log_warnx("check %s: a run reported twice; this is a bug",
		    c->cc->name);
		return;
	}
	c->running = false;
	if (out.latency_us == 0 && now > c->started_us)
		out.latency_us = (uint32_t)(now - c->started_us);
	report(c, &out);
}

/* Every interval: start a run unless the last one is still going. */
static void
tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct checker *c = w->data;
	struct checker_outcome o = { .result = CHECKER_INTERNAL };

	(void)loop;
	(void)revents;
	if (c->running) {
		log_debug(DBG_CHECK, "check %s: still running, run skipped",
		    c->cc->name);
		return;
	}
	c->running = true;
	c->started_us = util_now_us();
	if (c->kind->start(c, &o) != 0) {
		c->running = false;
		o.latency_us = 0;
		report(c, &o);
	}
}

struct checker *
checker_new(struct ev_loop *loop, const struct conf_check *cc,
    const struct conf_global *g, const char **err)
{
	static double spread;
	struct checker *c;
	double every;

	if ((unsigned int)cc->kind >= sizeof(kinds) / sizeof(kinds[0]) ||
	    kinds[cc->kind] == NULL) {
		*err = "unknown kind of check";
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		*err = strerror(errno);
		return NULL;
	}
	tracker_init(&c->tr, &tracker_ops_check, cc->name);
	c->cc = cc;
	c->g = g;
	c->loop = loop;
	c->kind = kinds[cc->kind];
	checker_eval_init(&c->eval, cc->rise, cc->fall, cc->init_fail);
	if (c->kind->init(c, err) != 0) {
		free(c);
		return NULL;
	}
	every = (cc->interval_ms > 0 ? cc->interval_ms : 1000) / 1000.0;
	/*
	 * The first run somewhere in the first interval, then every
	 * interval: a thousand checks spread over the second rather than
	 * all at once (a golden-ratio sequence: even for any count).
	 */
	if ((spread += 0.6180339887498949) >= 1.0)
		spread -= 1.0;
	ev_timer_init(&c->tick, tick_cb, spread * every, every);
	c->tick.data = c;
	return c;
}

void
checker_start(struct checker *c)
{
	ev_timer_start(c->loop, &c->tick);
}

/* Subscribers are detached by tracker_free(), which comes here. */
static void
check_free(struct tracker *t)
{
	struct checker *c = (struct checker *)t;

	ev_timer_stop(c->loop, &c->tick);
	if (c->running)
		c->kind->cancel(c);
	c->kind->fini(c);
	free(c);
}

void
checker_free(struct checker *c)
{
	if (c != NULL)
		tracker_free(&c->tr);
}

void
checker_rebind(struct checker *c, const struct conf_check *cc,
    const struct conf_global *g)
{
	c->cc = cc;
	c->g = g;
}

struct tracker *
checker_tracker(struct checker *c)
{
	return &c->tr;
}

const char *
checker_name(const struct checker *c)
{
	return c->cc->name;
}

bool
checker_up(const struct checker *c)
{
	return c->eval.up;
}

const struct checker_outcome *
checker_last(const struct checker *c)
{
	return &c->last;
}

const struct checker_eval *
checker_state(const struct checker *c)
{
	return &c->eval;
}

uint64_t
checker_runs(const struct checker *c, uint64_t *failures)
{
	if (failures != NULL)
		*failures = c->failures;
	return c->runs;
}

uint64_t
checker_changed_us(const struct checker *c)
{
	return c->changed_us;
}

/* ---- a check as a tracker ---- */

static struct tracker *
check_create(struct ev_loop *loop, const void *cfg, const struct conf_global *g,
    const char **err)
{
	struct checker *c = checker_new(loop, cfg, g, err);

	return c != NULL ? &c->tr : NULL;
}

static bool
check_same(const struct tracker *t, const void *cfg)
{
	return conf_check_equal(((const struct checker *)t)->cc, cfg);
}

static void
check_rebind(struct tracker *t, const void *cfg, const struct conf_global *g)
{
	checker_rebind((struct checker *)t, cfg, g);
}

static void
check_start(struct tracker *t)
{
	checker_start((struct checker *)t);
}

static void
check_state(const struct tracker *t, struct tracker_state *st)
{
	st->up = checker_up((const struct checker *)t);
}

static int
check_weight(const struct tracker *t, bool *reverse)
{
	const struct conf_check *cc = ((const struct checker *)t)->cc;

	*reverse = cc->reverse;
	return cc->weight;
}

static void
check_describe(const struct tracker *t, char *buf, size_t size)
{
	const struct checker *c = (const struct checker *)t;
	char out[64];

	snprintf(buf, size, "check %s %s (%s)", c->cc->name,
	    c->eval.up ? "up" : "down",
	    checker_outcome_format(&c->last, out, sizeof(out)));
}

const struct tracker_ops tracker_ops_check = {
	.kind = CONF_TRACK_CHECK,
	.what = "check",
	.create = check_create,
	.same = check_same,
	.rebind = check_rebind,
	.start = check_start,
	.state = check_state,
	.weight = check_weight,
	.describe = check_describe,
	.free = check_free,
};
