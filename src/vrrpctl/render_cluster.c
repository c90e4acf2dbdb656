/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl cluster: every node's view of every instance, or the history. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render_priv.h"

#define STATE_MAX   7			 /* characters of a state shown */
#define COUNT_MAX   999			 /* VIPs counted; more show as "?" */
#define AGE_MAX_MS  (1000ULL * 86400000) /* older shows as ">999d" */
#define TIME_MAX_MS 253402300799999ULL	 /* 9999-12-31T23:59:59.999Z */

/*
 * Every column but the names and FAILING has a bounded width (states are
 * cut to STATE_MAX, numbers out of range show as "?"), so the names give
 * way and any reply fits 80 columns: 4+17+7+7+7 fixed, 8+4+7 at least for
 * the rest, 14 between them.
 */
enum {
	CC_INSTANCE = 0,
	CC_VRID,
	CC_NODE,
	CC_STATE,
	CC_PRIO,
	CC_VIPS,
	CC_FAILING,
	CC_SINCE,
	CC_MAX
};

static const struct tbl_col cluster_cols[CC_MAX] = {
	[CC_INSTANCE] = { .head = "INSTANCE", .shrink = true },
	[CC_VRID] = { .head = "VRID", .right = true },
	[CC_NODE] = { .head = "NODE", .shrink = true },
	[CC_STATE] = { .head = "  STATE" }, /* over the state, not the '*' */
	[CC_PRIO] = { .head = "PRIO" },
	[CC_VIPS] = { .head = "VIPS" },
	[CC_FAILING] = { .head = "FAILING", .shrink = true },
	[CC_SINCE] = { .head = "SINCE" },
};

/* The same for the history: TIME 24 or "?", CHANGE at most 7+4+7. */
enum {
	HC_TIME = 0,
	HC_INSTANCE,
	HC_NODE,
	HC_CHANGE,
	HC_REASON,
	HC_MAX
};

static const struct tbl_col history_cols[HC_MAX] = {
	[HC_TIME] = { .head = "TIME (UTC)" },
	[HC_INSTANCE] = { .head = "INSTANCE", .shrink = true },
	[HC_NODE] = { .head = "NODE", .shrink = true },
	[HC_CHANGE] = { .head = "CHANGE" },
	[HC_REASON] = { .head = "REASON", .wrap = true },
};

/* One rendering: the first member of the wrong type, where it was. */
struct cl {
	struct rctx *c;
	char odd[160];
	const char *where; /* an instance's name, or NULL */
};

static void odd(struct cl *k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
odd(struct cl *k, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (k->odd[0] != '\0')
		return;
	if (k->where != NULL)
		n = snprintf(k->odd, sizeof(k->odd), "%.60s: ", k->where);
	if (n < 0 || (size_t)n >= sizeof(k->odd))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(k->odd + n, sizeof(k->odd) - (size_t)n, fmt, ap);
	va_end(ap);
	text_clean(k->odd);
}

/* Member key of o when it has type t; NULL when missing, null or odd. */
static json_object *
get(struct cl *k, json_object *o, const char *key, enum json_type t)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return NULL;
	if (!json_object_is_type(v, t)) {
		odd(k, "member \"%s\" is not %s", key, rc_type_name(t));
		return NULL;
	}
	return v;
}

static const char *
get_str(struct cl *k, json_object *o, const char *key)
{
	json_object *v = get(k, o, key, json_type_string);

	return v != NULL ? json_object_get_string(v) : NULL;
}

static bool
get_int(struct cl *k, json_object *o, const char *key, int64_t *out)
{
	json_object *v = get(k, o, key, json_type_int);

	*out = v != NULL ? json_object_get_int64(v) : 0;
	return v != NULL;
}

/* 1 true, 0 false, -1 unknown. */
static int
get_bool(struct cl *k, json_object *o, const char *key)
{
	json_object *v = get(k, o, key, json_type_boolean);

	return v != NULL ? json_object_get_boolean(v) != 0 : -1;
}

static json_object *
get_arr(struct cl *k, json_object *o, const char *key, size_t *n)
{
	json_object *v = get(k, o, key, json_type_array);

	*n = v != NULL ? json_object_array_length(v) : 0;
	return v;
}

/* Element i of the array member key, an object; NULL (odd) if not. */
static json_object *
elem(struct cl *k, json_object *arr, size_t i, const char *key)
{
	json_object *v = json_object_array_get_idx(arr, i);

	if (!json_object_is_type(v, json_type_object)) {
		odd(k, "%s[%zu] is not an object", key, i);
		return NULL;
	}
	return v;
}

/* The strings of an array joined by sep ("?" for others), malloc'd. */
static char *
join(struct cl *k, json_object *arr, size_t n, const char *sep)
{
	json_object *v;
	char *s = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&s, &len)) == NULL) {
		k->c->oom = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_string))
			odd(k, "an element of a list of names is not a string");
		fprintf(f, "%s%s", i > 0 ? sep : "",
		    json_object_is_type(v, json_type_string) ?
			json_object_get_string(v) :
			"?");
	}
	if (fclose(f) != 0) {
		k->c->oom = true;
		free(s);
		return NULL;
	}
	return s;
}

/*
 * A line of text after indent spaces and label, wrapped at the width
 * under the text, control characters replaced.
 */
static void line(struct cl *k, size_t indent, const char *label,
    const char *color, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
line(struct cl *k, size_t indent, const char *label, const char *color,
    const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		k->c->oom = true;
		return;
	}
	text_clean(s);
	text_wrap(k->c->out, indent, label, s, k->c->color ? color : NULL,
	    k->c->width);
	free(s);
}

/* A VRRP state as shown: "?" unless a short word, cut with '~'. */
static const char *
state_text(const char *s, char *buf, size_t size)
{
	size_t n;

	if (s == NULL || s[0] == '\0' || size < STATE_MAX + 1)
		return "?";
	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'A' && s[n] <= 'Z') ||
			(s[n] >= 'a' && s[n] <= 'z') ||
			(s[n] >= '0' && s[n] <= '9') || s[n] == '_' ||
			s[n] == '-'))
			return "?";
	if (n <= STATE_MAX)
		return s;
	snprintf(buf, size, "%.*s~", STATE_MAX - 1, s);
	return buf;
}

/* "255", or "?" for what is not a priority (or VRID). */
static const char *
byte_text(bool known, int64_t v, char *buf, size_t size)
{
	if (!known || v < 0 || v > 255)
		return "?";
	snprintf(buf, size, "%lld", (long long)v);
	return buf;
}

/* How long ago a Unix ms time was, from now_ms: "2m13s", ">999d", "?". */
static const char *
age_text(struct cl *k, json_object *o, const char *key, char *buf, size_t size)
{
	uint64_t now = k->c->now_ms;
	int64_t t;

	if (!get_int(k, o, key, &t) || t <= 0 || now == 0)
		return "?";
	/* Another node's clock may run a little ahead of ours. */
	if ((uint64_t)t >= now)
		return "0s";
	if (now - (uint64_t)t >= AGE_MAX_MS)
		return ">999d";
	return vrrpctl_fmt_ago(now - (uint64_t)t, buf, size);
}

/* "2023-11-14T22:13:20.123Z", or "?". */
static const char *
utc_text(bool known, int64_t ms, char *buf, size_t size)
{
	struct tm tm;
	time_t s;
	size_t n;

	if (!known || ms < 0 || (uint64_t)ms > TIME_MAX_MS)
		return "?";
	s = (time_t)(ms / 1000);
	if (gmtime_r(&s, &tm) == NULL ||
	    (n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm)) == 0)
		return "?";
	snprintf(buf + n, size - n, ".%03dZ", (int)(ms % 1000));
	return buf;
}

static bool
is_master(json_object *masters, size_t n, const char *id)
{
	json_object *v;

	for (size_t i = 0; id != NULL && i < n; i++) {
		v = json_object_array_get_idx(masters, i);
		if (json_object_is_type(v, json_type_string) &&
		    strcmp(json_object_get_string(v), id) == 0)
			return true;
	}
	return false;
}

/* "100" when base and effective agree, "100>110" when they do not. */
static void
prio_cell(struct cl *k, struct tbl *t, json_object *nd)
{
	json_object *p = get(k, nd, "priority", json_type_object);
	char b[8], e[8];
	int64_t base, eff;
	bool hb, he;

	hb = get_int(k, p, "base", &base);
	he = get_int(k, p, "effective", &eff);
	if (p == NULL || (!hb && !he))
		tbl_cell(t, CC_PRIO, NULL, "?");
	else if (hb && he && base == eff)
		tbl_cell(t, CC_PRIO, NULL, "%s",
		    byte_text(true, base, b, sizeof(b)));
	else
		tbl_cell(t, CC_PRIO, NULL, "%s>%s",
		    byte_text(hb, base, b, sizeof(b)),
		    byte_text(he, eff, e, sizeof(e)));
}

/* "1/2": present of configured; "?/2" when some are unknown. */
static void
vips_cell(struct cl *k, struct tbl *t, json_object *nd)
{
	json_object *vips;
	size_t n, up = 0;
	bool known;
	int p;

	if ((vips = get_arr(k, nd, "vips", &n)) == NULL) {
		tbl_cell(t, CC_VIPS, NULL, "?");
		return;
	}
	known = n <= COUNT_MAX;
	for (size_t i = 0; i < n && known; i++) {
		p = get_bool(k, elem(k, vips, i, "vips"), "present");
		known = p != -1;
		up += p == 1 ? 1 : 0;
	}
	if (n > COUNT_MAX)
		tbl_cell(t, CC_VIPS, NULL, "?");
	else if (known)
		tbl_cell(t, CC_VIPS, NULL, "%zu/%zu", up, n);
	else
		tbl_cell(t, CC_VIPS, NULL, "?/%zu", n);
}

/* The failing checks, else the fault reasons, else "-". */
static void
failing_cell(struct cl *k, struct tbl *t, json_object *nd)
{
	json_object *failing, *faults;
	size_t nf, nfa;
	char *s = NULL;

	failing = get_arr(k, nd, "failing", &nf);
	faults = get_arr(k, nd, "faults", &nfa);
	if (failing == NULL && faults == NULL)
		tbl_cell(t, CC_FAILING, NULL, "?");
	else if (nf == 0 && nfa == 0)
		tbl_cell(t, CC_FAILING, NULL, "-");
	else if ((s = nf > 0 ? join(k, failing, nf, ",") :
			       join(k, faults, nfa, ",")) != NULL)
		tbl_cell(t, CC_FAILING, nfa > 0 ? RC_RED : NULL, "%s", s);
	free(s);
}

/* One node's row: NODE, STATE (with '*' for a master) and the rest. */
static void
node_cells(struct cl *k, struct tbl *t, json_object *nd, json_object *masters,
    size_t nmasters, bool has_vrid, int64_t vrid)
{
	const char *id = get_str(k, nd, "router_id"), *state;
	char buf[32], sb[STATE_MAX + 2];
	bool stale = get_bool(k, nd, "registered") == 0;
	int64_t v;

	tbl_cell(t, CC_NODE, NULL, "%s", id != NULL ? id : "?");
	state = state_text(get_str(k, nd, "state"), sb, sizeof(sb));
	tbl_cell(t, CC_STATE, stale ? RC_DIM : rc_state_color(state), "%c %s%s",
	    is_master(masters, nmasters, id) ? '*' : ' ', state,
	    stale ? " (stale)" : "");
	/* A node whose VRID is not the instance's: a mismatch, shown. */
	if (get_int(k, nd, "vrid", &v) && (!has_vrid || v != vrid))
		tbl_cell(t, CC_VRID, RC_YELLOW, "%s",
		    byte_text(true, v, buf, sizeof(buf)));
	prio_cell(k, t, nd);
	vips_cell(k, t, nd);
	failing_cell(k, t, nd);
	tbl_cell(t, CC_SINCE, NULL, "%s",
	    age_text(k, nd, "since", buf, sizeof(buf)));
}

/* Under an instance's rows: "[SPLIT BRAIN] 2 masters: lvs-a, lvs-b". */
static void
split_brain_note(struct cl *k, struct tbl *t, json_object *masters, size_t nm)
{
	char *list;

	if (nm == 0) {
		tbl_note(t, 2, RC_RED, "[SPLIT BRAIN] ", "masters unknown");
		return;
	}
	if ((list = join(k, masters, nm, ", ")) == NULL)
		return;
	tbl_note(t, 2, RC_RED, "[SPLIT BRAIN] ", "%zu master%s: %s", nm,
	    nm == 1 ? "" : "s", list);
	free(list);
}

/* An instance: a row per node, its name and VRID on the first. */
static void
instance_rows(struct cl *k, struct tbl *t, json_object *in)
{
	json_object *nodes, *masters, *nd;
	const char *name = get_str(k, in, "name");
	size_t n, nm, rows = 0;
	char buf[8];
	int64_t vrid;
	bool has_vrid;

	k->where = name;
	has_vrid = get_int(k, in, "vrid", &vrid);
	masters = get_arr(k, in, "masters", &nm);
	nodes = get_arr(k, in, "nodes", &n);
	tbl_row(t);
	tbl_cell(t, CC_INSTANCE, NULL, "%s", name != NULL ? name : "?");
	tbl_cell(t, CC_VRID, NULL, "%s",
	    byte_text(has_vrid, vrid, buf, sizeof(buf)));
	for (size_t i = 0; i < n; i++) {
		if ((nd = elem(k, nodes, i, "nodes")) == NULL)
			continue;
		if (rows++ > 0)
			tbl_row(t);
		node_cells(k, t, nd, masters, nm, has_vrid, vrid);
	}
	if (rows == 0)
		tbl_cell(t, CC_NODE, NULL, "-");
	if (get_bool(k, in, "split_brain") == 1)
		split_brain_note(k, t, masters, nm);
	k->where = NULL;
}

static void
cluster_table(struct cl *k, json_object *reply)
{
	json_object *arr, *in;
	struct tbl t;
	size_t n;

	arr = get_arr(k, reply, "instances", &n);
	tbl_init(&t, cluster_cols, CC_MAX);
	for (size_t i = 0; i < n; i++)
		if ((in = elem(k, arr, i, "instances")) != NULL)
			instance_rows(k, &t, in);
	if (t.oom)
		k->c->oom = true;
	else if (t.nrows > 0)
		tbl_print(&t, k->c->out, k->c->color, k->c->width);
	else if (k->c->req->instance[0] != '\0')
		line(k, 0, "", NULL, "no instance %s in the registry",
		    k->c->req->instance);
	else
		line(k, 0, "", NULL, "no instances in the registry");
	tbl_free(&t);
}

static void
history_row(struct cl *k, struct tbl *t, json_object *h)
{
	const char *inst = get_str(k, h, "instance");
	const char *node = get_str(k, h, "router_id");
	const char *reason = get_str(k, h, "reason");
	char tb[40], fb[STATE_MAX + 2], tob[STATE_MAX + 2];
	int64_t ms;
	bool known = get_int(k, h, "time", &ms);

	tbl_row(t);
	tbl_cell(t, HC_TIME, NULL, "%s", utc_text(known, ms, tb, sizeof(tb)));
	tbl_cell(t, HC_INSTANCE, NULL, "%s", inst != NULL ? inst : "?");
	tbl_cell(t, HC_NODE, NULL, "%s", node != NULL ? node : "?");
	tbl_cell(t, HC_CHANGE, NULL, "%s -> %s",
	    state_text(get_str(k, h, "from"), fb, sizeof(fb)),
	    state_text(get_str(k, h, "to"), tob, sizeof(tob)));
	tbl_cell(t, HC_REASON, NULL, "%s", reason != NULL ? reason : "?");
}

static void
history_table(struct cl *k, json_object *reply)
{
	json_object *arr, *h;
	struct tbl t;
	size_t n;

	arr = get_arr(k, reply, "history", &n);
	tbl_init(&t, history_cols, HC_MAX);
	for (size_t i = 0; i < n; i++)
		if ((h = elem(k, arr, i, "history")) != NULL)
			history_row(k, &t, h);
	if (t.oom)
		k->c->oom = true;
	else if (t.nrows > 0)
		tbl_print(&t, k->c->out, k->c->color, k->c->width);
	else
		line(k, 0, "", NULL, "no transitions recorded");
	tbl_free(&t);
}

/* A registry that is not connected: the view may be old. */
static void
registry_warning(struct cl *k, json_object *reg)
{
	static const struct {
		const char *state, *text;
	} texts[] = {
		{ "connecting", "connecting to ZooKeeper" },
		{ "disconnected", "disconnected from ZooKeeper" },
		{ "expired", "the ZooKeeper session expired" },
		{ "auth_failed", "ZooKeeper refused the credentials" },
		{ "off", "off" },
	};
	const char *state = get_str(k, reg, "state"), *text = NULL;

	if (state == NULL || strcmp(state, "connected") == 0)
		return;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (strcmp(state, texts[i].state) == 0)
			text = texts[i].text;
	line(k, 0, "registry: ", RC_YELLOW, "%s; the view may be stale",
	    text != NULL ? text : state);
	fputc('\n', k->c->out);
}

static void
flags_section(struct cl *k, json_object *reply)
{
	json_object *arr, *f;
	const char *kind, *text, *inst, *color;
	size_t n;

	if ((arr = get_arr(k, reply, "flags", &n)) == NULL || n == 0)
		return;
	fprintf(k->c->out, "\nflags:\n");
	for (size_t i = 0; i < n; i++) {
		if ((f = elem(k, arr, i, "flags")) == NULL)
			continue;
		kind = get_str(k, f, "kind");
		text = get_str(k, f, "text");
		inst = get_str(k, f, "instance");
		color = kind != NULL && strcmp(kind, "split_brain") == 0 ?
		    RC_RED :
		    RC_YELLOW;
		if (text != NULL)
			line(k, 2, "", color, "%s", text);
		else if (inst != NULL)
			line(k, 2, "", color, "(%s) %s", inst,
			    kind != NULL ? kind : "?");
		else
			line(k, 2, "", color, "%s", kind != NULL ? kind : "?");
	}
}

static void
errors_section(struct cl *k, json_object *reply)
{
	json_object *arr, *e;
	const char *path, *error;
	size_t n;

	if ((arr = get_arr(k, reply, "errors", &n)) == NULL || n == 0)
		return;
	fprintf(k->c->out, "\nerrors:\n");
	for (size_t i = 0; i < n; i++) {
		if ((e = elem(k, arr, i, "errors")) == NULL)
			continue;
		path = get_str(k, e, "path");
		error = get_str(k, e, "error");
		line(k, 2, "", NULL, "%s: %s", path != NULL ? path : "?",
		    error != NULL ? error : "?");
	}
}

/* ", 3 nodes": a count, left out when the member is missing. */
static void
count_part(struct cl *k, FILE *f, json_object *reply, const char *key,
    const char *one, const char *many)
{
	size_t n;

	if (get_arr(k, reply, key, &n) != NULL)
		fprintf(f, ", %zu %s", n, n == 1 ? one : many);
}

/* "registry: /vrrpd on 198.51.100.10:2181, 2 nodes, 1 instance, read in
 * 12 ms". */
static void
footer(struct cl *k, json_object *reply, json_object *reg)
{
	const char *path = get_str(k, reg, "path");
	const char *servers = get_str(k, reg, "servers");
	char *s = NULL;
	size_t len = 0;
	int64_t ms;
	FILE *f;

	if ((f = open_memstream(&s, &len)) == NULL) {
		k->c->oom = true;
		return;
	}
	fprintf(f, "%s on %s", path != NULL ? path : "?",
	    servers != NULL ? servers : "?");
	count_part(k, f, reply, "nodes", "node", "nodes");
	count_part(k, f, reply, "instances", "instance", "instances");
	if (k->c->req->history)
		count_part(k, f, reply, "history", "transition", "transitions");
	if (get_int(k, reply, "read_ms", &ms) && ms >= 0)
		fprintf(f, ", read in %lld ms", (long long)ms);
	if (fclose(f) != 0) {
		k->c->oom = true;
		free(s);
		return;
	}
	fputc('\n', k->c->out);
	line(k, 0, "registry: ", NULL, "%s", s);
	free(s);
}

int
render_cluster(struct rctx *c, json_object *reply)
{
	struct cl k = { .c = c };
	json_object *reg = get(&k, reply, "registry", json_type_object);

	registry_warning(&k, reg);
	if (c->req->history)
		history_table(&k, reply);
	else
		cluster_table(&k, reply);
	flags_section(&k, reply);
	errors_section(&k, reply);
	footer(&k, reply, reg);
	if (k.odd[0] != '\0')
		fprintf(c->err,
		    "vrrpctl: cluster: part of the reply is malformed: %s\n",
		    k.odd);
	return VRRPCTL_EXIT_OK;
}
