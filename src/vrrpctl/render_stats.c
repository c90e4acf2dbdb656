/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl stats and checks: counters, checks and trackers as tables. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

static const struct tbl_col counter_cols[] = {
	{ .head = "COUNTER" },
	{ .head = "VALUE", .right = true },
	{ .head = "OBJECT", .shrink = true },
};

enum {
	CK_NAME = 0,
	CK_KIND,
	CK_STATE,
	CK_RESULT,
	CK_LATENCY,
	CK_RISEFALL,
	CK_FEEDS,
	CK_MAX
};

static const struct tbl_col check_cols[CK_MAX] = {
	[CK_NAME] = { .head = "NAME", .shrink = true },
	[CK_KIND] = { .head = "KIND" },
	[CK_STATE] = { .head = "STATE" },
	[CK_RESULT] = { .head = "RESULT", .shrink = true },
	[CK_LATENCY] = { .head = "LATENCY" },
	[CK_RISEFALL] = { .head = "RISE/FALL" },
	[CK_FEEDS] = { .head = "FEEDS", .wrap = true },
};

enum {
	TR_KIND = 0,
	TR_NAME,
	TR_STATE,
	TR_VALUE,
	TR_FEEDS,
	TR_MAX
};

static const struct tbl_col tracker_cols[TR_MAX] = {
	[TR_KIND] = { .head = "KIND" },
	[TR_NAME] = { .head = "NAME", .shrink = true },
	[TR_STATE] = { .head = "STATE" },
	[TR_VALUE] = { .head = "VALUE", .right = true },
	[TR_FEEDS] = { .head = "FEEDS", .wrap = true },
};

static void
print_table(struct rctx *c, struct tbl *t)
{
	if (t->oom)
		c->oom = true;
	if (c->bad[0] == '\0' && !c->oom)
		tbl_print(t, c->out, c->color, c->width);
	tbl_free(t);
}

/* Every counter of an object, in the daemon's order, with its MIB name. */
static void
counters(struct rctx *c, const char *title, json_object *counters,
    json_object *info)
{
	const char *mib;
	struct tbl t;

	if (counters == NULL)
		return;
	fprintf(c->out, "%s\n", title);
	tbl_init(&t, counter_cols, 3);
	t.header = false;
	t.indent = 2;
	t.minw[0] = 19; /* the longest names, so that blocks line up */
	t.minw[1] = 6;
	json_object_object_foreach(counters, name, v)
	{
		if (!json_object_is_type(v, json_type_int)) {
			rc_bad(c, "counter \"%s\" is not an integer", name);
			break;
		}
		tbl_row(&t);
		tbl_cell(&t, 0, NULL, "%s", name);
		tbl_cell(&t, 1, NULL, "%lld",
		    (long long)json_object_get_int64(v));
		mib = rc_nstr(c, rc_nobj(c, info, name), "mib");
		if (mib != NULL)
			tbl_cell(&t, 2, NULL, "%s", mib);
	}
	print_table(c, &t);
}

static void
loop_lag(struct rctx *c, json_object *reply)
{
	json_object *loop = rc_obj(c, reply, "loop");
	char last[32], max[32];
	uint64_t samples;

	vrrpctl_fmt_us(rc_ms(c, loop, "lag_last_us"), last, sizeof(last));
	vrrpctl_fmt_us(rc_ms(c, loop, "lag_max_us"), max, sizeof(max));
	samples = rc_ms(c, loop, "samples");
	fprintf(c->out, "event loop lag: last %s, max %s over %llu samples\n",
	    last, max, (unsigned long long)samples);
}

int
render_stats(struct rctx *c, json_object *reply)
{
	json_object *arr, *in, *info, *router;
	char title[96];
	size_t n;

	arr = rc_arr(c, reply, "instances", &n);
	info = rc_nobj(c, reply, "counter_info");
	for (size_t i = 0; i < n && c->bad[0] == '\0'; i++) {
		in = rc_elem_obj(c, arr, i);
		c->where = rc_str(c, in, "name");
		snprintf(title, sizeof(title), "instance %s", c->where);
		counters(c, title, rc_obj(c, in, "counters"), info);
		c->where = NULL;
		fputc('\n', c->out);
	}
	router = rc_obj(c, reply, "router");
	c->where = "router";
	counters(c, "router", rc_obj(c, router, "counters"), info);
	c->where = NULL;
	fputc('\n', c->out);
	loop_lag(c, reply);
	if (rc_bool(c, reply, "cleared"))
		fprintf(c->out,
		    "counters cleared (the values are those "
		    "before)\n");
	return VRRPCTL_EXIT_OK;
}

/* "VI_1(-60), VI_2(fault)"; malloc'd, NULL on a problem. */
static char *
feeds_text(struct rctx *c, json_object *o)
{
	json_object *feeds, *f;
	char *s = NULL;
	size_t n, len = 0;
	int64_t w;
	FILE *m;

	feeds = rc_arr(c, o, "feeds", &n);
	if ((m = open_memstream(&s, &len)) == NULL) {
		c->oom = true;
		return NULL;
	}
	if (n == 0)
		fputc('-', m);
	for (size_t i = 0; i < n; i++) {
		f = rc_elem_obj(c, feeds, i);
		fprintf(m, "%s%s(", i > 0 ? ", " : "",
		    rc_str(c, f, "instance"));
		if ((w = rc_int(c, f, "weight")) == 0)
			fputs("fault", m);
		else
			fprintf(m, w > 0 ? "+%lld" : "%lld", (long long)w);
		fprintf(m, "%s)", rc_bool(c, f, "reverse") ? ",reverse" : "");
	}
	if (fclose(m) != 0) {
		c->oom = true;
		free(s);
		return NULL;
	}
	return s;
}

static void
check_row(struct rctx *c, struct tbl *t, json_object *ck)
{
	const char *state, *result, *detail;
	char lat[32], ago[32], *feeds;
	int64_t us;
	uint64_t ms;

	c->where = rc_str(c, ck, "name");
	tbl_row(t);
	tbl_cell(t, CK_NAME, NULL, "%s", c->where);
	tbl_cell(t, CK_KIND, NULL, "%s", rc_str(c, ck, "kind"));
	state = rc_str(c, ck, "state");
	tbl_cell(t, CK_STATE, rc_state_color(state), "%s", state);
	result = rc_nstr(c, ck, "result");
	tbl_cell(t, CK_RESULT, NULL, "%s", result != NULL ? result : "-");
	if (rc_nint(c, ck, "latency_us", &us) && us >= 0)
		tbl_cell(t, CK_LATENCY, NULL, "%s",
		    vrrpctl_fmt_us((uint64_t)us, lat, sizeof(lat)));
	else
		tbl_cell(t, CK_LATENCY, NULL, "-");
	tbl_cell(t, CK_RISEFALL, NULL, "%lld/%lld",
	    (long long)rc_int(c, ck, "rise"), (long long)rc_int(c, ck, "fall"));
	if ((feeds = feeds_text(c, ck)) != NULL)
		tbl_cell(t, CK_FEEDS, NULL, "%s", feeds);
	free(feeds);
	detail = rc_nstr(c, ck, "detail");
	if (strcmp(state, "down") == 0 && detail != NULL) {
		if (rc_nms(c, ck, "last_change_ago_ms", &ms))
			tbl_note(t, 4, NULL, "", "down for %s: %s",
			    vrrpctl_fmt_ago(ms, ago, sizeof(ago)), detail);
		else
			tbl_note(t, 4, NULL, "", "down: %s", detail);
	}
	c->where = NULL;
}

static void
tracker_row(struct rctx *c, struct tbl *t, json_object *tr)
{
	const char *state;
	char *feeds;
	int64_t v;

	c->where = rc_str(c, tr, "name");
	tbl_row(t);
	tbl_cell(t, TR_KIND, NULL, "%s", rc_str(c, tr, "kind"));
	tbl_cell(t, TR_NAME, NULL, "%s", c->where);
	state = rc_str(c, tr, "state");
	tbl_cell(t, TR_STATE, rc_state_color(state), "%s", state);
	if (rc_nint(c, tr, "value", &v))
		tbl_cell(t, TR_VALUE, NULL, "%lld", (long long)v);
	else
		tbl_cell(t, TR_VALUE, NULL, "-");
	if ((feeds = feeds_text(c, tr)) != NULL)
		tbl_cell(t, TR_FEEDS, NULL, "%s", feeds);
	free(feeds);
	c->where = NULL;
}

int
render_checks(struct rctx *c, json_object *reply)
{
	json_object *checks, *trackers;
	size_t nc, nt;
	struct tbl t;

	checks = rc_arr(c, reply, "checks", &nc);
	trackers = rc_arr(c, reply, "trackers", &nt);
	if (nc == 0)
		fprintf(c->out, "no checks\n");
	tbl_init(&t, check_cols, CK_MAX);
	for (size_t i = 0; i < nc && c->bad[0] == '\0'; i++)
		check_row(c, &t, rc_elem_obj(c, checks, i));
	if (nc > 0)
		print_table(c, &t);
	else
		tbl_free(&t);
	fputc('\n', c->out);
	if (nt == 0)
		fprintf(c->out, "no trackers\n");
	tbl_init(&t, tracker_cols, TR_MAX);
	for (size_t i = 0; i < nt && c->bad[0] == '\0'; i++)
		tracker_row(c, &t, rc_elem_obj(c, trackers, i));
	if (nt > 0)
		print_table(c, &t);
	else
		tbl_free(&t);
	return VRRPCTL_EXIT_OK;
}
