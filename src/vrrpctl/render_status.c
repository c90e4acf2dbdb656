/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl status: a table of every instance, or one instance in detail. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

#define KV_LABEL 13 /* the label column of the detailed block */

enum {
	COL_NAME = 0,
	COL_IFACE,
	COL_VRID,
	COL_STATE,
	COL_PRIO,
	COL_MASTER,
	COL_VIPS,
	COL_SINCE,
	COL_MAX
};

static const struct tbl_col status_cols[COL_MAX] = {
	[COL_NAME] = { .head = "INSTANCE", .shrink = true },
	[COL_IFACE] = { .head = "IFACE", .shrink = true },
	[COL_VRID] = { .head = "VRID", .right = true },
	[COL_STATE] = { .head = "STATE" },
	[COL_PRIO] = { .head = "PRIO" },
	[COL_MASTER] = { .head = "MASTER", .shrink = true },
	[COL_VIPS] = { .head = "VIPS" },
	[COL_SINCE] = { .head = "SINCE" },
};

static const char *
color_of(struct rctx *c, const char *color)
{
	return c->color ? color : NULL;
}

/* One "label  value" line of the detailed block, wrapped; label NULL: a
 * line of its own. */
static void kv(struct rctx *c, const char *label, const char *color,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
kv(struct rctx *c, const char *label, const char *color, const char *fmt, ...)
{
	char lab[KV_LABEL + 1], *s;
	va_list ap;
	int n;

	snprintf(lab, sizeof(lab), "%-*s", label != NULL ? KV_LABEL : 0,
	    label != NULL ? label : "");
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		c->oom = true;
		return;
	}
	text_clean(s);
	text_wrap(c->out, 0, lab, s, color_of(c, color), c->width);
	free(s);
}

/* "vrrpd 0.1.0, router lvs-a, pid 4242, up 1h02m", then "config PATH". */
static void
daemon_line(struct rctx *c, json_object *reply)
{
	json_object *d = rc_obj(c, reply, "daemon"), *lr;
	const char *router, *config;
	char up[32], ago[32];
	uint64_t ms;
	int64_t pid;

	c->where = "daemon";
	router = rc_nstr(c, d, "router_id");
	config = rc_nstr(c, d, "config");
	pid = rc_int(c, d, "pid");
	vrrpctl_fmt_ago(rc_ms(c, d, "uptime_ms"), up, sizeof(up));
	kv(c, NULL, NULL, "vrrpd %s%s%s, pid %lld, up %s",
	    rc_str(c, d, "version"), router != NULL ? ", router " : "",
	    router != NULL ? router : "", (long long)pid, up);
	if (config != NULL)
		kv(c, NULL, NULL, "config %s", config);
	if ((lr = rc_nobj(c, d, "last_reload")) != NULL &&
	    !rc_bool(c, lr, "ok") && rc_nms(c, lr, "ago_ms", &ms))
		kv(c, NULL, RC_RED,
		    "last reload failed %s ago: the previous configuration "
		    "runs",
		    vrrpctl_fmt_ago(ms, ago, sizeof(ago)));
	c->where = NULL;
}

/* "1/2": present of configured; "?/2" when the daemon does not know. */
static void
vips_cell(struct rctx *c, struct tbl *t, json_object *in)
{
	json_object *vips;
	size_t n, up = 0;
	bool known = true, present;

	vips = rc_arr(c, in, "vips", &n);
	for (size_t i = 0; i < n; i++) {
		if (!rc_nbool(c, rc_elem_obj(c, vips, i), "present", &present))
			known = false;
		up += present ? 1 : 0;
	}
	if (known)
		tbl_cell(t, COL_VIPS, NULL, "%zu/%zu", up, n);
	else
		tbl_cell(t, COL_VIPS, NULL, "?/%zu", n);
}

/* "group: LVS MASTER" (and "held by INT" when one is). */
static void
group_note(struct rctx *c, struct tbl *t, json_object *in)
{
	json_object *g = rc_nobj(c, in, "sync_group");
	const char *held;

	if (g == NULL)
		return;
	held = rc_nstr(c, g, "held_by");
	tbl_note(t, 4, NULL, "group: ", "%s %s%s%s", rc_str(c, g, "name"),
	    rc_str(c, g, "state"), held != NULL ? ", held by " : "",
	    held != NULL ? held : "");
}

/* The lines under a row: demotion, faults, group, why. */
static void
status_notes(struct rctx *c, struct tbl *t, json_object *in, const char *state)
{
	json_object *dem = rc_nobj(c, in, "demoted"), *faults;
	const char *why = rc_nstr(c, in, "why");
	char d[32], *list = NULL;
	uint64_t ms;
	size_t n;

	faults = rc_arr(c, in, "faults", &n);
	if (dem != NULL && rc_nms(c, dem, "in_ms", &ms))
		tbl_note(t, 4, RC_YELLOW, "demoted: ", "for %s more",
		    vrrpctl_fmt_ago(ms, d, sizeof(d)));
	else if (dem != NULL)
		tbl_note(t, 4, RC_YELLOW, "demoted: ", "until promote");
	if (n > 0 && (list = rc_join(c, faults, n, ", ")) != NULL)
		tbl_note(t, 4, RC_RED, "fault: ", "%s", list);
	else if (strcmp(state, "FAULT") == 0)
		tbl_note(t, 4, RC_RED, "fault: ", "no reason given");
	free(list);
	group_note(c, t, in);
	/* In FAULT the why line names the reasons again: once is enough. */
	if (why != NULL && (n == 0 || strncmp(why, "fault: ", 7) != 0))
		tbl_note(t, 4, NULL, "why: ", "%s", why);
}

static void
status_row(struct rctx *c, struct tbl *t, json_object *in)
{
	json_object *prio, *master;
	const char *state;
	char since[32];

	c->where = rc_str(c, in, "name");
	tbl_row(t);
	tbl_cell(t, COL_NAME, NULL, "%s", c->where);
	tbl_cell(t, COL_IFACE, NULL, "%s", rc_str(c, in, "interface"));
	tbl_cell(t, COL_VRID, NULL, "%lld", (long long)rc_int(c, in, "vrid"));
	state = rc_str(c, in, "state");
	tbl_cell(t, COL_STATE, rc_state_color(state), "%s", state);
	prio = rc_obj(c, in, "priority");
	tbl_cell(t, COL_PRIO, NULL, "%lld/%lld",
	    (long long)rc_int(c, prio, "effective"),
	    (long long)rc_int(c, prio, "base"));
	master = rc_nobj(c, in, "master");
	if (strcmp(state, "MASTER") == 0)
		tbl_cell(t, COL_MASTER, NULL, "this node");
	else if (master != NULL)
		tbl_cell(t, COL_MASTER, NULL, "%s (%lld)",
		    rc_str(c, master, "address"),
		    (long long)rc_int(c, master, "priority"));
	else
		tbl_cell(t, COL_MASTER, NULL, "-");
	vips_cell(c, t, in);
	tbl_cell(t, COL_SINCE, NULL, "%s",
	    vrrpctl_fmt_ago(rc_ms(c, in, "in_state_ms"), since, sizeof(since)));
	status_notes(c, t, in, state);
	c->where = NULL;
}

static int
status_table(struct rctx *c, json_object *reply, json_object *arr, size_t n)
{
	struct tbl t;

	daemon_line(c, reply);
	if (n == 0) {
		fprintf(c->out, "no instances\n");
		return VRRPCTL_EXIT_OK;
	}
	fputc('\n', c->out);
	tbl_init(&t, status_cols, COL_MAX);
	for (size_t i = 0; i < n && c->bad[0] == '\0'; i++)
		status_row(c, &t, rc_elem_obj(c, arr, i));
	if (t.oom)
		c->oom = true;
	if (c->bad[0] == '\0' && !c->oom)
		tbl_print(&t, c->out, c->color, c->width);
	tbl_free(&t);
	return VRRPCTL_EXIT_OK;
}

/* "check web -60 (down)", "interface eth1 fault (down)", "file /x 0". */
static void
one_part(struct rctx *c, json_object *p)
{
	const char *kind = rc_str(c, p, "kind"), *name = rc_nstr(c, p, "name");
	int64_t contrib = rc_int(c, p, "contrib"), value;
	bool has_value = rc_nint(c, p, "value", &value);
	bool up = rc_bool(c, p, "up"), fault = rc_bool(c, p, "fault");
	bool applied = rc_bool(c, p, "applied");
	char how[32], state[48];

	if (fault)
		snprintf(how, sizeof(how), "fault");
	else
		snprintf(how, sizeof(how), contrib > 0 ? "+%lld" : "%lld",
		    (long long)contrib);
	if (strcmp(kind, "demote") == 0) {
		kv(c, "", NULL, "  demote %s (%s)", how,
		    name != NULL ? name : "operator");
		return;
	}
	if (has_value)
		snprintf(state, sizeof(state), "value %lld", (long long)value);
	else
		snprintf(state, sizeof(state), "%s", up ? "up" : "down");
	kv(c, "", NULL, "  %s%s%s %s (%s%s)", kind, name != NULL ? " " : "",
	    name != NULL ? name : "", how, state,
	    applied ? "" : ", not applied");
}

static void
one_priority(struct rctx *c, json_object *in)
{
	json_object *prio = rc_obj(c, in, "priority"), *parts;
	size_t n;

	kv(c, "priority", NULL, "%lld (base %lld)",
	    (long long)rc_int(c, prio, "effective"),
	    (long long)rc_int(c, prio, "base"));
	parts = rc_arr(c, prio, "parts", &n);
	for (size_t i = 0; i < n && c->bad[0] == '\0'; i++)
		one_part(c, rc_elem_obj(c, parts, i));
}

static void
one_demotion_faults(struct rctx *c, json_object *in)
{
	json_object *dem = rc_nobj(c, in, "demoted"), *faults;
	char d[32];
	uint64_t ms;
	size_t n;

	if (dem == NULL)
		kv(c, "demoted", NULL, "no");
	else if (rc_nms(c, dem, "in_ms", &ms))
		kv(c, "demoted", RC_YELLOW, "for %s more",
		    vrrpctl_fmt_ago(ms, d, sizeof(d)));
	else
		kv(c, "demoted", RC_YELLOW, "until promote");
	faults = rc_arr(c, in, "faults", &n);
	if (n == 0)
		kv(c, "faults", NULL, "none");
	for (size_t i = 0; i < n; i++)
		kv(c, i == 0 ? "faults" : "", RC_RED, "%s",
		    rc_elem_str(c, faults, i));
}

static void
one_master(struct rctx *c, json_object *in, const char *state)
{
	json_object *m = rc_nobj(c, in, "master");
	char d[32];

	if (m == NULL) {
		kv(c, "master", NULL, "none heard");
		return;
	}
	kv(c, "master", NULL, "%s%s, priority %lld, advert %s",
	    rc_str(c, m, "address"),
	    strcmp(state, "MASTER") == 0 ? " (this node)" : "",
	    (long long)rc_int(c, m, "priority"),
	    vrrpctl_fmt_ms(rc_ms(c, m, "advert_interval_ms"), d, sizeof(d)));
}

static void
one_settings(struct rctx *c, json_object *in)
{
	const char *source = rc_nstr(c, in, "source");
	uint64_t delay = rc_ms(c, in, "preempt_delay_ms");
	char d[32];

	kv(c, "advert", NULL, "%s",
	    vrrpctl_fmt_ms(rc_ms(c, in, "advert_interval_ms"), d, sizeof(d)));
	if (!rc_bool(c, in, "preempt"))
		kv(c, "preempt", NULL, "no");
	else if (delay > 0)
		kv(c, "preempt", NULL, "yes, after %s",
		    vrrpctl_fmt_ms(delay, d, sizeof(d)));
	else
		kv(c, "preempt", NULL, "yes");
	kv(c, "accept", NULL, "%s", rc_bool(c, in, "accept") ? "yes" : "no");
	kv(c, "unicast", NULL, "%s", rc_bool(c, in, "unicast") ? "yes" : "no");
	kv(c, "source", NULL, "%s", source != NULL ? source : "none");
}

static void
one_vips(struct rctx *c, json_object *in)
{
	json_object *vips, *v;
	bool present, known, excluded;
	size_t n;

	vips = rc_arr(c, in, "vips", &n);
	if (n == 0)
		kv(c, "vips", NULL, "none");
	for (size_t i = 0; i < n && c->bad[0] == '\0'; i++) {
		v = rc_elem_obj(c, vips, i);
		known = rc_nbool(c, v, "present", &present);
		(void)rc_nbool(c, v, "excluded", &excluded);
		kv(c, i == 0 ? "vips" : "", present ? RC_GREEN : NULL,
		    "%s on %s, %s%s", rc_str(c, v, "address"),
		    rc_str(c, v, "interface"),
		    !known	? "unknown" :
			present ? "present" :
				  "absent",
		    excluded ? " (excluded: not in adverts)" : "");
	}
}

static void
one_history(struct rctx *c, json_object *in)
{
	json_object *lt = rc_nobj(c, in, "last_transition");
	const char *why = rc_nstr(c, in, "why");
	char d[32];
	uint64_t ms;

	if (lt == NULL)
		kv(c, "last change", NULL, "none");
	else
		kv(c, "last change", NULL, "%s -> %s, %s ago: %s",
		    rc_str(c, lt, "from"), rc_str(c, lt, "to"),
		    vrrpctl_fmt_ago(rc_ms(c, lt, "ago_ms"), d, sizeof(d)),
		    rc_str(c, lt, "reason"));
	if (rc_nms(c, in, "master_down_in_ms", &ms))
		kv(c, "master down", NULL, "in %s",
		    vrrpctl_fmt_ms(ms, d, sizeof(d)));
	if (why != NULL)
		kv(c, "why", NULL, "%s", why);
}

static void
one_group(struct rctx *c, json_object *in)
{
	json_object *g = rc_nobj(c, in, "sync_group");
	const char *held;

	if (g == NULL)
		return;
	held = rc_nstr(c, g, "held_by");
	kv(c, "sync group", NULL, "%s, %s%s%s", rc_str(c, g, "name"),
	    rc_str(c, g, "state"), held != NULL ? ", held by " : "",
	    held != NULL ? held : "");
}

static int
status_one(struct rctx *c, json_object *in)
{
	const char *state;
	char d[32];

	if (in == NULL)
		return VRRPCTL_EXIT_OK;
	c->where = rc_str(c, in, "name");
	state = rc_str(c, in, "state");
	kv(c, "instance", NULL, "%s", c->where);
	kv(c, "interface", NULL, "%s (%s)", rc_str(c, in, "interface"),
	    rc_str(c, in, "family"));
	if (rc_nstr(c, in, "vmac") != NULL)
		kv(c, "vmac", NULL, "%s", rc_nstr(c, in, "vmac"));
	kv(c, "vrid", NULL, "%lld, VRRPv%lld", (long long)rc_int(c, in, "vrid"),
	    (long long)rc_int(c, in, "version"));
	kv(c, "state", rc_state_color(state), "%s for %s", state,
	    vrrpctl_fmt_ago(rc_ms(c, in, "in_state_ms"), d, sizeof(d)));
	one_priority(c, in);
	one_demotion_faults(c, in);
	one_group(c, in);
	one_master(c, in, state);
	one_settings(c, in);
	one_vips(c, in);
	one_history(c, in);
	c->where = NULL;
	return VRRPCTL_EXIT_OK;
}

int
render_status(struct rctx *c, json_object *reply)
{
	json_object *arr;
	size_t n;

	arr = rc_arr(c, reply, "instances", &n);
	if (c->bad[0] != '\0')
		return VRRPCTL_EXIT_UNREACHABLE;
	if (c->req->instance[0] == '\0')
		return status_table(c, reply, arr, n);
	if (n != 1) {
		rc_bad(c, "%zu instances for \"status %s\"", n,
		    c->req->instance);
		return VRRPCTL_EXIT_UNREACHABLE;
	}
	return status_one(c, rc_elem_obj(c, arr, 0));
}
