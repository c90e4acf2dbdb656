/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl's replies for humans: the envelope, errors, the short commands. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

typedef int render_fn(struct rctx *c, json_object *reply);

static render_fn render_metrics, render_reload, render_demote, render_promote,
    render_debug;

static render_fn *const renderers[CTL_CMD_MAX] = {
	[CTL_CMD_STATUS] = render_status,
	[CTL_CMD_STATS] = render_stats,
	[CTL_CMD_CHECKS] = render_checks,
	[CTL_CMD_METRICS] = render_metrics,
	[CTL_CMD_RELOAD] = render_reload,
	[CTL_CMD_DEMOTE] = render_demote,
	[CTL_CMD_PROMOTE] = render_promote,
	[CTL_CMD_DEBUG] = render_debug,
	[CTL_CMD_CLUSTER] = render_cluster,
};

void
rc_bad(struct rctx *c, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (c->bad[0] != '\0')
		return;
	if (c->where != NULL)
		n = snprintf(c->bad, sizeof(c->bad), "%.60s: ", c->where);
	if (n < 0 || (size_t)n >= sizeof(c->bad))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(c->bad + n, sizeof(c->bad) - (size_t)n, fmt, ap);
	va_end(ap);
	text_clean(c->bad);
}

const char *
rc_type_name(enum json_type t)
{
	switch (t) {
	case json_type_boolean:
		return "a boolean";
	case json_type_int:
		return "an integer";
	case json_type_string:
		return "a string";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	default:
		return "of another type";
	}
}

/* The member key of o when it has type t; NULL when missing or null. */
static json_object *
member(struct rctx *c, json_object *o, const char *key, enum json_type t,
    bool nullable)
{
	json_object *v;

	if (o == NULL)
		return NULL;
	if (!json_object_object_get_ex(o, key, &v)) {
		if (!nullable)
			rc_bad(c, "member \"%s\" missing", key);
		return NULL;
	}
	if (v == NULL) {
		if (!nullable)
			rc_bad(c, "member \"%s\" is null", key);
		return NULL;
	}
	if (!json_object_is_type(v, t)) {
		rc_bad(c, "member \"%s\" is not %s", key, rc_type_name(t));
		return NULL;
	}
	return v;
}

const char *
rc_str(struct rctx *c, json_object *o, const char *key)
{
	json_object *v = member(c, o, key, json_type_string, false);

	return v != NULL ? json_object_get_string(v) : "";
}

const char *
rc_nstr(struct rctx *c, json_object *o, const char *key)
{
	json_object *v = member(c, o, key, json_type_string, true);

	return v != NULL ? json_object_get_string(v) : NULL;
}

int64_t
rc_int(struct rctx *c, json_object *o, const char *key)
{
	json_object *v = member(c, o, key, json_type_int, false);

	return v != NULL ? json_object_get_int64(v) : 0;
}

bool
rc_nint(struct rctx *c, json_object *o, const char *key, int64_t *out)
{
	json_object *v = member(c, o, key, json_type_int, true);

	*out = v != NULL ? json_object_get_int64(v) : 0;
	return v != NULL;
}

uint64_t
rc_ms(struct rctx *c, json_object *o, const char *key)
{
	int64_t v = rc_int(c, o, key);

	if (v < 0) {
		rc_bad(c, "member \"%s\" is negative", key);
		return 0;
	}
	return (uint64_t)v;
}

bool
rc_nms(struct rctx *c, json_object *o, const char *key, uint64_t *out)
{
	int64_t v;

	*out = 0;
	if (!rc_nint(c, o, key, &v))
		return false;
	if (v < 0) {
		rc_bad(c, "member \"%s\" is negative", key);
		return false;
	}
	*out = (uint64_t)v;
	return true;
}

bool
rc_bool(struct rctx *c, json_object *o, const char *key)
{
	json_object *v = member(c, o, key, json_type_boolean, false);

	return v != NULL && json_object_get_boolean(v);
}

bool
rc_nbool(struct rctx *c, json_object *o, const char *key, bool *out)
{
	json_object *v = member(c, o, key, json_type_boolean, true);

	*out = v != NULL && json_object_get_boolean(v);
	return v != NULL;
}

json_object *
rc_obj(struct rctx *c, json_object *o, const char *key)
{
	return member(c, o, key, json_type_object, false);
}

json_object *
rc_nobj(struct rctx *c, json_object *o, const char *key)
{
	return member(c, o, key, json_type_object, true);
}

json_object *
rc_arr(struct rctx *c, json_object *o, const char *key, size_t *n)
{
	json_object *v = member(c, o, key, json_type_array, false);

	*n = v != NULL ? json_object_array_length(v) : 0;
	return v;
}

json_object *
rc_narr(struct rctx *c, json_object *o, const char *key, size_t *n)
{
	json_object *v = member(c, o, key, json_type_array, true);

	*n = v != NULL ? json_object_array_length(v) : 0;
	return v;
}

json_object *
rc_elem_obj(struct rctx *c, json_object *arr, size_t i)
{
	json_object *v = json_object_array_get_idx(arr, i);

	if (!json_object_is_type(v, json_type_object)) {
		rc_bad(c, "element %zu is not an object", i);
		return NULL;
	}
	return v;
}

const char *
rc_elem_str(struct rctx *c, json_object *arr, size_t i)
{
	json_object *v = json_object_array_get_idx(arr, i);

	if (!json_object_is_type(v, json_type_string)) {
		rc_bad(c, "element %zu is not a string", i);
		return "";
	}
	return json_object_get_string(v);
}

const char *
rc_state_color(const char *state)
{
	static const struct {
		const char *state;
		const char *color;
	} colors[] = {
		{ "MASTER", RC_GREEN },
		{ "BACKUP", RC_YELLOW },
		{ "FAULT", RC_RED },
		{ "INIT", RC_DIM },
		{ "up", RC_GREEN },
		{ "down", RC_RED },
		{ "unused", RC_DIM },
	};

	for (size_t i = 0; i < sizeof(colors) / sizeof(colors[0]); i++)
		if (strcmp(state, colors[i].state) == 0)
			return colors[i].color;
	return NULL;
}

char *
rc_join(struct rctx *c, json_object *arr, size_t n, const char *sep)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&s, &len)) == NULL) {
		c->oom = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i > 0 ? sep : "", rc_elem_str(c, arr, i));
	if (fclose(f) != 0) {
		c->oom = true;
		free(s);
		return NULL;
	}
	text_clean(s);
	return s;
}

static int
render_error(struct rctx *c, json_object *reply)
{
	json_object *e = rc_obj(c, reply, "error"), *details;
	const char *cmd = rc_nstr(c, reply, "cmd");
	const char *code, *msg;
	char *line;
	size_t n;

	code = rc_str(c, e, "code");
	msg = rc_str(c, e, "message");
	details = rc_narr(c, e, "details", &n);
	if (cmd == NULL)
		cmd = ctl_cmd_name(c->req->cmd);
	if ((line = strdup(msg)) == NULL) {
		c->oom = true;
		return VRRPCTL_EXIT_ERROR;
	}
	text_clean(line);
	fprintf(c->err, "vrrpctl: %s: %s\n", cmd, line);
	free(line);
	for (size_t i = 0; i < n; i++) {
		if ((line = strdup(rc_elem_str(c, details, i))) == NULL) {
			c->oom = true;
			break;
		}
		text_clean(line);
		fprintf(c->err, "%s\n", line);
		free(line);
	}
	if (ctl_err_from_code(code) == CTL_E_PERMISSION)
		return VRRPCTL_EXIT_PERMISSION;
	return VRRPCTL_EXIT_ERROR;
}

static int
render_metrics(struct rctx *c, json_object *reply)
{
	json_object *v = member(c, reply, "text", json_type_string, false);

	if (v != NULL)
		fwrite(json_object_get_string(v), 1,
		    (size_t)json_object_get_string_len(v), c->out);
	return VRRPCTL_EXIT_OK;
}

static int
render_reload(struct rctx *c, json_object *reply)
{
	json_object *r = rc_obj(c, reply, "reload");
	int64_t kept, recreated, added, removed, failed, readdressed = 0;

	kept = rc_int(c, r, "kept");
	recreated = rc_int(c, r, "recreated");
	added = rc_int(c, r, "added");
	removed = rc_int(c, r, "removed");
	failed = rc_int(c, r, "failed");
	/* null or absent from a daemon that does not report it: 0 */
	(void)rc_nint(c, r, "readdressed", &readdressed);
	fprintf(c->out,
	    "reload: %lld kept, %lld re-created, %lld added, %lld removed, "
	    "%lld failed, %lld with new addresses in place\n",
	    (long long)kept, (long long)recreated, (long long)added,
	    (long long)removed, (long long)failed, (long long)readdressed);
	return failed > 0 ? VRRPCTL_EXIT_ERROR : VRRPCTL_EXIT_OK;
}

static int
render_demote(struct rctx *c, json_object *reply)
{
	char d[32], *names, *line = NULL;
	json_object *arr;
	uint64_t for_ms;
	bool timed;
	size_t n;

	arr = rc_arr(c, reply, "instances", &n);
	timed = rc_nms(c, reply, "for_ms", &for_ms) && for_ms > 0;
	if ((names = rc_join(c, arr, n, ", ")) == NULL)
		return VRRPCTL_EXIT_OK;
	if (n == 0)
		fprintf(c->out, "demote: no instance to demote\n");
	else if (asprintf(&line, "demoted %s %s%s", names,
		     timed ? "for " : "until promote",
		     timed ? vrrpctl_fmt_ms(for_ms, d, sizeof(d)) : "") < 0)
		c->oom = true;
	else
		text_wrap(c->out, 0, "", line, NULL, c->width);
	free(line);
	free(names);
	return VRRPCTL_EXIT_OK;
}

static int
render_promote(struct rctx *c, json_object *reply)
{
	json_object *arr;
	char *names;
	size_t n;

	arr = rc_arr(c, reply, "instances", &n);
	if ((names = rc_join(c, arr, n, ", ")) == NULL)
		return VRRPCTL_EXIT_OK;
	if (n == 0)
		fprintf(c->out, "promote: no instance was demoted\n");
	else
		text_wrap(c->out, 0, "promoted ", names, NULL, c->width);
	free(names);
	return VRRPCTL_EXIT_OK;
}

static int
render_debug(struct rctx *c, json_object *reply)
{
	json_object *on, *all;
	char *son, *sall, *line = NULL;
	size_t non, nall;

	on = rc_arr(c, reply, "enabled", &non);
	all = rc_arr(c, reply, "categories", &nall);
	son = rc_join(c, on, non, " ");
	sall = rc_join(c, all, nall, " ");
	if (son != NULL && sall != NULL &&
	    asprintf(&line, "%s (available: %s)", non > 0 ? son : "none",
		sall) < 0)
		c->oom = true;
	if (line != NULL)
		text_wrap(c->out, 0, "debug: ", line, NULL, c->width);
	free(line);
	free(son);
	free(sall);
	return VRRPCTL_EXIT_OK;
}

static int
render_reply(struct rctx *c, json_object *reply)
{
	const char *cmd, *want = ctl_cmd_name(c->req->cmd);
	int64_t v;

	if (!json_object_is_type(reply, json_type_object)) {
		rc_bad(c, "not a JSON object");
		return VRRPCTL_EXIT_UNREACHABLE;
	}
	if ((v = rc_int(c, reply, "v")) != CTL_VERSION) {
		rc_bad(c, "protocol version %lld, not %d", (long long)v,
		    CTL_VERSION);
		return VRRPCTL_EXIT_UNREACHABLE;
	}
	if (!rc_bool(c, reply, "ok"))
		return render_error(c, reply);
	cmd = rc_str(c, reply, "cmd");
	if (strcmp(cmd, want) != 0 ||
	    (unsigned int)c->req->cmd >= CTL_CMD_MAX) {
		rc_bad(c, "a reply to \"%.20s\", not to \"%s\"", cmd, want);
		return VRRPCTL_EXIT_UNREACHABLE;
	}
	return renderers[c->req->cmd](c, reply);
}

/* Copy a finished buffer to its stream. */
static void
flush_to(FILE *f, const char *buf, size_t len)
{
	if (buf != NULL && len > 0)
		fwrite(buf, 1, len, f);
}

int
vrrpctl_render(json_object *reply, const struct ctl_req *req,
    const struct vrrpctl_render_opts *o, FILE *out, FILE *err)
{
	struct rctx c = { .req = req,
		.color = o->color,
		.width = o->width,
		.now_ms = o->now_ms };
	char *obuf = NULL, *ebuf = NULL;
	size_t olen = 0, elen = 0;
	int rc = VRRPCTL_EXIT_UNREACHABLE;

	if (c.width <= 0)
		c.width = VRRPCTL_WIDTH;
	c.out = open_memstream(&obuf, &olen);
	c.err = open_memstream(&ebuf, &elen);
	if (c.out != NULL && c.err != NULL)
		rc = render_reply(&c, reply);
	else
		c.oom = true;
	if ((c.out != NULL && fclose(c.out) != 0) ||
	    (c.err != NULL && fclose(c.err) != 0))
		c.oom = true;
	if (c.oom) {
		fprintf(err, "vrrpctl: out of memory\n");
		rc = VRRPCTL_EXIT_UNREACHABLE;
	} else if (c.bad[0] != '\0') {
		fprintf(err, "vrrpctl: malformed reply from vrrpd: %s\n",
		    c.bad);
		rc = VRRPCTL_EXIT_UNREACHABLE;
	} else {
		flush_to(out, obuf, olen);
		flush_to(err, ebuf, elen);
	}
	free(obuf);
	free(ebuf);
	return rc;
}

int
vrrpctl_reply_status(json_object *reply)
{
	struct rctx c = { .err = NULL };
	json_object *e;
	const char *code;
	bool ok;

	if (!json_object_is_type(reply, json_type_object))
		return VRRPCTL_EXIT_UNREACHABLE;
	ok = rc_bool(&c, reply, "ok");
	if (ok && c.bad[0] == '\0')
		return VRRPCTL_EXIT_OK;
	e = rc_obj(&c, reply, "error");
	code = rc_str(&c, e, "code");
	if (c.bad[0] != '\0')
		return VRRPCTL_EXIT_UNREACHABLE;
	if (ctl_err_from_code(code) == CTL_E_PERMISSION)
		return VRRPCTL_EXIT_PERMISSION;
	return VRRPCTL_EXIT_ERROR;
}
