/* SPDX-License-Identifier: BSD-2-Clause */
/* The control protocol's messages: request parsing and building, replies. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vrrpd/ctl.h"

static const char *const cmd_names[CTL_CMD_MAX] = {
	[CTL_CMD_STATUS] = "status",
	[CTL_CMD_STATS] = "stats",
	[CTL_CMD_CHECKS] = "checks",
	[CTL_CMD_METRICS] = "metrics",
	[CTL_CMD_RELOAD] = "reload",
	[CTL_CMD_DEMOTE] = "demote",
	[CTL_CMD_PROMOTE] = "promote",
	[CTL_CMD_DEBUG] = "debug",
	[CTL_CMD_CLUSTER] = "cluster",
};

static const char *const err_codes[CTL_E_MAX] = {
	[CTL_OK] = "ok",
	[CTL_E_JSON] = "bad_json",
	[CTL_E_TOO_BIG] = "too_big",
	[CTL_E_VERSION] = "bad_version",
	[CTL_E_COMMAND] = "unknown_command",
	[CTL_E_ARGUMENT] = "bad_argument",
	[CTL_E_PERMISSION] = "permission",
	[CTL_E_NO_INSTANCE] = "no_instance",
	[CTL_E_REJECTED] = "rejected",
	[CTL_E_BUSY] = "busy",
	[CTL_E_TIMEOUT] = "timeout",
	[CTL_E_INTERNAL] = "internal",
};

/* Request members and the commands that take them. */
enum member {
	M_INSTANCE = 0,
	M_ALL,
	M_CLEAR,
	M_FOR_MS,
	M_CATEGORY,
	M_ON,
	M_HISTORY,
	M_MAX
};

#define C(x) (1u << (x))

static const struct member_def {
	const char *name;
	enum json_type type;
	unsigned int cmds; /* C(CTL_CMD_...) bits */
} members[M_MAX] = {
	[M_INSTANCE] = { "instance", json_type_string,
	    C(CTL_CMD_STATUS) | C(CTL_CMD_STATS) | C(CTL_CMD_DEMOTE) |
		C(CTL_CMD_PROMOTE) | C(CTL_CMD_DEBUG) | C(CTL_CMD_CLUSTER) },
	[M_ALL] = { "all", json_type_boolean,
	    C(CTL_CMD_DEMOTE) | C(CTL_CMD_PROMOTE) },
	[M_CLEAR] = { "clear", json_type_boolean, C(CTL_CMD_STATS) },
	[M_FOR_MS] = { "for_ms", json_type_int, C(CTL_CMD_DEMOTE) },
	[M_CATEGORY] = { "category", json_type_string, C(CTL_CMD_DEBUG) },
	[M_ON] = { "on", json_type_boolean, C(CTL_CMD_DEBUG) },
	[M_HISTORY] = { "history", json_type_boolean, C(CTL_CMD_CLUSTER) },
};

const char *
ctl_cmd_name(enum ctl_cmd cmd)
{
	if ((unsigned int)cmd >= CTL_CMD_MAX)
		return "unknown";
	return cmd_names[cmd];
}

int
ctl_cmd_from_name(const char *s)
{
	for (int i = 0; i < CTL_CMD_MAX; i++)
		if (s != NULL && strcmp(s, cmd_names[i]) == 0)
			return i;
	return -1;
}

const char *
ctl_err_code(enum ctl_err e)
{
	if ((unsigned int)e >= CTL_E_MAX)
		return "internal";
	return err_codes[e];
}

enum ctl_err
ctl_err_from_code(const char *s)
{
	for (int i = 0; i < CTL_E_MAX; i++)
		if (s != NULL && strcmp(s, err_codes[i]) == 0)
			return (enum ctl_err)i;
	return CTL_E_INTERNAL;
}

bool
ctl_req_mutating(const struct ctl_req *req)
{
	switch (req->cmd) {
	case CTL_CMD_RELOAD:
	case CTL_CMD_DEMOTE:
	case CTL_CMD_PROMOTE:
		return true;
	case CTL_CMD_STATS:
		return req->clear;
	case CTL_CMD_DEBUG:
		return req->category[0] != '\0';
	default:
		return false;
	}
}

static enum ctl_err fail(enum ctl_err e, char *why, size_t whylen,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum ctl_err
fail(enum ctl_err e, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return e;
}

/* Copy a string member that must be non-empty and short. */
static enum ctl_err
get_name(json_object *v, const char *member, char *dst, size_t size, char *why,
    size_t whylen)
{
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);

	if (n == 0 || n >= size || memchr(s, '\0', n) != NULL)
		return fail(CTL_E_ARGUMENT, why, whylen,
		    "\"%s\" must be a non-empty name of at most 63 bytes",
		    member);
	memcpy(dst, s, n + 1);
	return CTL_OK;
}

static enum ctl_err
get_member(enum member m, json_object *v, struct ctl_req *out, char *why,
    size_t whylen)
{
	int64_t ms;

	switch (m) {
	case M_INSTANCE:
		return get_name(v, "instance", out->instance,
		    sizeof(out->instance), why, whylen);
	case M_CATEGORY:
		return get_name(v, "category", out->category,
		    sizeof(out->category), why, whylen);
	case M_ALL:
		out->all = json_object_get_boolean(v);
		break;
	case M_CLEAR:
		out->clear = json_object_get_boolean(v);
		break;
	case M_ON:
		out->on = json_object_get_boolean(v);
		break;
	case M_HISTORY:
		out->history = json_object_get_boolean(v);
		break;
	case M_FOR_MS:
		errno = 0;
		ms = json_object_get_int64(v);
		if (ms < 0 || errno != 0)
			return fail(CTL_E_ARGUMENT, why, whylen,
			    "\"%s\" must be a non-negative integer", "for_ms");
		out->for_ms = (uint64_t)ms;
		break;
	default:
		break;
	}
	return CTL_OK;
}

/* The members other than "v" and "cmd": known, typed, for this command. */
static enum ctl_err
get_members(json_object *obj, struct ctl_req *out, bool *seen, char *why,
    size_t whylen)
{
	enum ctl_err e;
	size_t m;

	json_object_object_foreach(obj, key, v)
	{
		if (strcmp(key, "v") == 0 || strcmp(key, "cmd") == 0)
			continue;
		for (m = 0; m < M_MAX; m++)
			if (strcmp(key, members[m].name) == 0)
				break;
		if (m == M_MAX)
			return fail(CTL_E_ARGUMENT, why, whylen,
			    "unknown member \"%.40s\"", key);
		if ((members[m].cmds & C(out->cmd)) == 0)
			return fail(CTL_E_ARGUMENT, why, whylen,
			    "\"%s\" does not go with this command", key);
		if (!json_object_is_type(v, members[m].type))
			return fail(CTL_E_ARGUMENT, why, whylen,
			    "\"%s\" has the wrong type", key);
		if ((e = get_member(m, v, out, why, whylen)) != CTL_OK)
			return e;
		seen[m] = true;
	}
	return CTL_OK;
}

/* Rules across members. */
static enum ctl_err
check_combination(const struct ctl_req *r, const bool *seen, char *why,
    size_t whylen)
{
	if (r->cmd == CTL_CMD_DEMOTE || r->cmd == CTL_CMD_PROMOTE) {
		if (seen[M_INSTANCE] == r->all)
			return fail(CTL_E_ARGUMENT, why, whylen, "%s",
			    "name an \"instance\" or set \"all\", not both");
	}
	if (r->cmd == CTL_CMD_DEBUG && seen[M_CATEGORY] != seen[M_ON])
		return fail(CTL_E_ARGUMENT, why, whylen, "%s",
		    "\"category\" and \"on\" go together");
	if (r->cmd == CTL_CMD_DEBUG && seen[M_INSTANCE] && !r->on)
		return fail(CTL_E_ARGUMENT, why, whylen, "%s",
		    "\"instance\" limits a category turned on");
	return CTL_OK;
}

static enum ctl_err
parse_object(json_object *obj, struct ctl_req *out, char *why, size_t whylen)
{
	bool seen[M_MAX] = { false };
	json_object *v, *cmd;
	enum ctl_err e;
	int c;

	if (!json_object_is_type(obj, json_type_object))
		return fail(CTL_E_JSON, why, whylen, "%s",
		    "expected a JSON object");
	if (!json_object_object_get_ex(obj, "v", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != CTL_VERSION)
		return fail(CTL_E_VERSION, why, whylen, "%s",
		    "\"v\" must be 1, the protocol version");
	if (!json_object_object_get_ex(obj, "cmd", &cmd) ||
	    !json_object_is_type(cmd, json_type_string))
		return fail(CTL_E_COMMAND, why, whylen, "%s",
		    "\"cmd\" must name a command");
	if ((c = ctl_cmd_from_name(json_object_get_string(cmd))) < 0)
		return fail(CTL_E_COMMAND, why, whylen,
		    "unknown command \"%.40s\"", json_object_get_string(cmd));
	out->cmd = (enum ctl_cmd)c;
	if ((e = get_members(obj, out, seen, why, whylen)) != CTL_OK)
		return e;
	return check_combination(out, seen, why, whylen);
}

enum ctl_err
ctl_req_parse(const char *buf, size_t len, struct ctl_req *out, char *why,
    size_t whylen)
{
	struct json_tokener *tok;
	json_object *obj;
	enum ctl_err e;
	size_t used;

	memset(out, 0, sizeof(*out));
	if (whylen > 0)
		why[0] = '\0';
	if (len > CTL_REQ_MAX)
		return fail(CTL_E_TOO_BIG, why, whylen, "%s",
		    "request longer than 8192 bytes");
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if ((tok = json_tokener_new_ex(16)) == NULL)
		return fail(CTL_E_INTERNAL, why, whylen, "%s", "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	used = (size_t)json_tokener_get_parse_end(tok);
	if (json_tokener_get_error(tok) == json_tokener_continue)
		e = fail(CTL_E_JSON, why, whylen, "%s",
		    "not JSON: the request ends too early");
	else if (obj == NULL ||
	    json_tokener_get_error(tok) != json_tokener_success)
		e = fail(CTL_E_JSON, why, whylen, "not JSON: %s",
		    json_tokener_error_desc(json_tokener_get_error(tok)));
	else if (used != len)
		e = fail(CTL_E_JSON, why, whylen, "%s",
		    "more than one JSON value");
	else
		e = parse_object(obj, out, why, whylen);
	json_object_put(obj);
	json_tokener_free(tok);
	if (e != CTL_OK) {
		memset(out, 0, sizeof(*out));
		out->cmd = CTL_CMD_MAX;
	}
	return e;
}

static int
add(json_object *o, const char *key, json_object *v)
{
	if (v == NULL)
		return -1;
	return json_object_object_add(o, key, v);
}

char *
ctl_req_build(const struct ctl_req *req)
{
	json_object *o;
	char *line = NULL;
	int rc = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	rc |= add(o, "v", json_object_new_int(CTL_VERSION));
	rc |= add(o, "cmd", json_object_new_string(ctl_cmd_name(req->cmd)));
	if (req->instance[0] != '\0')
		rc |= add(o, "instance", json_object_new_string(req->instance));
	if (req->all)
		rc |= add(o, "all", json_object_new_boolean(1));
	if (req->clear)
		rc |= add(o, "clear", json_object_new_boolean(1));
	if (req->history)
		rc |= add(o, "history", json_object_new_boolean(1));
	if (req->for_ms > 0)
		rc |= add(o, "for_ms",
		    json_object_new_int64((int64_t)req->for_ms));
	if (req->category[0] != '\0') {
		rc |= add(o, "category", json_object_new_string(req->category));
		rc |= add(o, "on", json_object_new_boolean(req->on));
	}
	if (rc == 0 &&
	    asprintf(&line, "%s\n",
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) < 0)
		line = NULL;
	json_object_put(o);
	return line;
}

static json_object *
envelope(enum ctl_cmd cmd, bool ok)
{
	json_object *o;
	int rc = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	rc |= add(o, "v", json_object_new_int(CTL_VERSION));
	rc |= add(o, "ok", json_object_new_boolean(ok));
	if ((unsigned int)cmd < CTL_CMD_MAX)
		rc |= add(o, "cmd", json_object_new_string(cmd_names[cmd]));
	else
		rc |= json_object_object_add(o, "cmd", NULL);
	if (rc != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *
ctl_reply_ok(enum ctl_cmd cmd)
{
	return envelope(cmd, true);
}

json_object *
ctl_reply_error(enum ctl_cmd cmd, enum ctl_err e, const char *msg)
{
	json_object *o, *err;

	if ((o = envelope(cmd, false)) == NULL)
		return NULL;
	if ((err = json_object_new_object()) == NULL ||
	    add(err, "code", json_object_new_string(ctl_err_code(e))) != 0 ||
	    add(err, "message",
		json_object_new_string(msg != NULL ? msg : ctl_err_code(e))) !=
		0 ||
	    json_object_object_add(o, "error", err) != 0) {
		json_object_put(err);
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *
ctl_json_u64(uint64_t v)
{
	return json_object_new_int64(v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

json_object *
ctl_json_str(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}
