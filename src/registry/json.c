/* SPDX-License-Identifier: BSD-2-Clause */
/* The registry codec's JSON helpers: one validated member at a time. */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "registry_priv.h"

void
reg_why_clear(char *why, size_t whylen)
{
	if (whylen > 0)
		why[0] = '\0';
}

enum registry_err
reg_fail(const struct reg_dec *d, enum registry_err e, const char *member,
    const char *fmt, ...)
{
	char label[sizeof(d->path) + REGISTRY_NAME_MAX];
	va_list ap;
	size_t off = 0, n;

	if (d->whylen == 0)
		return e;
	d->why[0] = '\0';
	if (member != NULL) {
		snprintf(label, sizeof(label), "%s%s", d->path, member);
		n = strlen(label);
		if (member[0] == '\0' && n > 0 && label[n - 1] == '.')
			label[n - 1] = '\0';
		snprintf(d->why, d->whylen, "member \"%s\"", label);
		off = strlen(d->why);
	}
	va_start(ap, fmt);
	vsnprintf(d->why + off, d->whylen - off, fmt, ap);
	va_end(ap);
	return e;
}

void
reg_dec_enter(const struct reg_dec *parent, struct reg_dec *child,
    const char *member, size_t index)
{
	int n;

	*child = *parent;
	if (index == REG_NO_INDEX)
		n = snprintf(child->path, sizeof(child->path), "%s%s.",
		    parent->path, member);
	else
		n = snprintf(child->path, sizeof(child->path), "%s%s[%zu].",
		    parent->path, member, index);
	/* Paths are short ("parts[31]."); a cut one only shortens a phrase. */
	if (n < 0)
		child->path[0] = '\0';
}

const char *
reg_printable(const char *s, size_t n, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < n && i + 1 < size && i < 40; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

static enum registry_err
parse_json(const char *buf, size_t len, json_object **obj,
    const struct reg_dec *d)
{
	struct json_tokener *tok;
	enum json_tokener_error te;
	enum registry_err e = REGISTRY_OK;

	while (len > 0 &&
	    (buf[len - 1] == ' ' || buf[len - 1] == '\t' ||
		buf[len - 1] == '\r' || buf[len - 1] == '\n'))
		len--;
	if ((tok = json_tokener_new()) == NULL)
		return reg_fail(d, REGISTRY_E_JSON, NULL, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	*obj = json_tokener_parse_ex(tok, buf, (int)len);
	te = json_tokener_get_error(tok);
	if (te == json_tokener_continue)
		e = reg_fail(d, REGISTRY_E_JSON, NULL,
		    "not JSON: it ends early");
	else if (*obj == NULL || te != json_tokener_success)
		e = reg_fail(d, REGISTRY_E_JSON, NULL, "not JSON: %s",
		    json_tokener_error_desc(te));
	else if ((size_t)json_tokener_get_parse_end(tok) != len)
		e = reg_fail(d, REGISTRY_E_JSON, NULL,
		    "not JSON: more than one value");
	else if (!json_object_is_type(*obj, json_type_object))
		e = reg_fail(d, REGISTRY_E_JSON, NULL, "not a JSON object");
	json_tokener_free(tok);
	if (e != REGISTRY_OK) {
		json_object_put(*obj);
		*obj = NULL;
	}
	return e;
}

enum registry_err
reg_parse(const char *buf, size_t len, size_t max, json_object **obj,
    const struct reg_dec *d)
{
	json_object *v;
	enum registry_err e;

	*obj = NULL;
	if (len > max)
		return reg_fail(d, REGISTRY_E_TOO_BIG, NULL,
		    "%zu bytes, more than %zu", len, max);
	if ((e = parse_json(buf, len, obj, d)) != REGISTRY_OK)
		return e;
	if (!json_object_object_get_ex(*obj, "v", &v))
		e = reg_fail(d, REGISTRY_E_VERSION, "v", " is missing");
	else if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != REGISTRY_VERSION)
		e = reg_fail(d, REGISTRY_E_VERSION, "v", " must be %d",
		    REGISTRY_VERSION);
	if (e != REGISTRY_OK) {
		json_object_put(*obj);
		*obj = NULL;
	}
	return e;
}

enum registry_err
reg_decode(const char *buf, size_t len, size_t max, void *out, size_t outsize,
    reg_members_fn *fn, char *why, size_t whylen)
{
	struct reg_dec d = { .why = why, .whylen = whylen };
	json_object *obj;
	enum registry_err e;

	memset(out, 0, outsize);
	reg_why_clear(why, whylen);
	if ((e = reg_parse(buf, len, max, &obj, &d)) != REGISTRY_OK)
		return e;
	e = fn(&d, obj, out);
	json_object_put(obj);
	if (e != REGISTRY_OK)
		memset(out, 0, outsize);
	return e;
}

static const char *
type_phrase(enum json_type t)
{
	switch (t) {
	case json_type_int:
		return "an integer";
	case json_type_string:
		return "a string";
	case json_type_boolean:
		return "a boolean";
	case json_type_array:
		return "an array";
	case json_type_object:
		return "an object";
	default:
		return "something else";
	}
}

enum registry_err
reg_get(const struct reg_dec *d, json_object *o, const char *member,
    enum json_type t, bool optional, json_object **v)
{
	*v = NULL;
	if (!json_object_object_get_ex(o, member, v) || *v == NULL) {
		*v = NULL;
		if (optional)
			return REGISTRY_OK;
		return reg_fail(d, REGISTRY_E_MEMBER, member, " is missing");
	}
	if (!json_object_is_type(*v, t))
		return reg_fail(d, REGISTRY_E_MEMBER, member, " must be %s",
		    type_phrase(t));
	return REGISTRY_OK;
}

static bool
all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strchr("0123456789abcdefABCDEF", s[i]) == NULL ||
		    s[i] == '\0')
			return false;
	return true;
}

enum registry_err
reg_str_value(const struct reg_dec *d, json_object *v, const char *member,
    char *dst, size_t size, unsigned int rules)
{
	const char *s;
	size_t n;
	char p[48];

	if (!json_object_is_type(v, json_type_string))
		return reg_fail(d, REGISTRY_E_MEMBER, member, " must be %s",
		    type_phrase(json_type_string));
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (n >= size)
		return reg_fail(d, REGISTRY_E_RANGE, member,
		    ": %zu bytes, longer than %zu", n, size - 1);
	if (memchr(s, '\0', n) != NULL)
		return reg_fail(d, REGISTRY_E_RANGE, member,
		    " contains a NUL byte");
	if ((rules & REG_STR_NONEMPTY) != 0 && n == 0)
		return reg_fail(d, REGISTRY_E_RANGE, member,
		    " must not be empty");
	if ((rules & REG_STR_NAME) != 0 && !registry_name_valid(s))
		return reg_fail(d, REGISTRY_E_RANGE, member,
		    ": \"%s\" is not a name (1 to %zu bytes, no \"/\", "
		    "not \".\" or \"..\")",
		    reg_printable(s, n, p, sizeof(p)), size - 1);
	if ((rules & REG_STR_HEX) != 0 && !all_hex(s, n))
		return reg_fail(d, REGISTRY_E_RANGE, member,
		    ": \"%s\" is not hex digits",
		    reg_printable(s, n, p, sizeof(p)));
	memcpy(dst, s, n + 1);
	return REGISTRY_OK;
}

enum registry_err
reg_get_str(const struct reg_dec *d, json_object *o, const char *member,
    char *dst, size_t size, unsigned int rules)
{
	json_object *v;
	enum registry_err e;

	if ((e = reg_get(d, o, member, json_type_string, false, &v)) !=
	    REGISTRY_OK)
		return e;
	return reg_str_value(d, v, member, dst, size, rules);
}

enum registry_err
reg_get_int(const struct reg_dec *d, json_object *o, const char *member,
    int64_t min, int64_t max, int64_t *out)
{
	json_object *v;
	enum registry_err e;
	int64_t x;

	if ((e = reg_get(d, o, member, json_type_int, false, &v)) !=
	    REGISTRY_OK)
		return e;
	/* json-c saturates at INT64_MIN and INT64_MAX: both stay in. */
	x = json_object_get_int64(v);
	if (x < min || x > max)
		return reg_fail(d, REGISTRY_E_RANGE, member,
		    ": %lld is out of range %lld..%lld", (long long)x,
		    (long long)min, (long long)max);
	*out = x;
	return REGISTRY_OK;
}

enum registry_err
reg_get_time(const struct reg_dec *d, json_object *o, const char *member,
    uint64_t *out)
{
	enum registry_err e;
	int64_t x = 0;

	if ((e = reg_get_int(d, o, member, 0, (int64_t)REGISTRY_TIME_MAX,
		 &x)) != REGISTRY_OK)
		return e;
	*out = (uint64_t)x;
	return REGISTRY_OK;
}

enum registry_err
reg_get_bool(const struct reg_dec *d, json_object *o, const char *member,
    bool *out)
{
	json_object *v;
	enum registry_err e;

	if ((e = reg_get(d, o, member, json_type_boolean, false, &v)) !=
	    REGISTRY_OK)
		return e;
	*out = json_object_get_boolean(v);
	return REGISTRY_OK;
}

enum registry_err
reg_get_addr(const struct reg_dec *d, json_object *o, const char *member,
    bool optional, struct addr *out)
{
	json_object *v;
	enum registry_err e;
	char text[ADDR_STRLEN + 1], p[48];

	memset(out, 0, sizeof(*out));
	if ((e = reg_get(d, o, member, json_type_string, optional, &v)) !=
		REGISTRY_OK ||
	    v == NULL)
		return e;
	if ((e = reg_str_value(d, v, member, text, sizeof(text), 0)) !=
	    REGISTRY_OK)
		return e;
	if (addr_parse(text, out) != 0)
		return reg_fail(d, REGISTRY_E_RANGE, member,
		    ": \"%s\" is not an IP address",
		    reg_printable(text, strlen(text), p, sizeof(p)));
	return REGISTRY_OK;
}

enum registry_err
reg_get_state(const struct reg_dec *d, json_object *o, const char *member,
    enum vrrp_state *out)
{
	char text[16], p[48];
	enum registry_err e;
	json_object *v;

	if ((e = reg_get(d, o, member, json_type_string, false, &v)) !=
	    REGISTRY_OK)
		return e;
	if (reg_str_value(d, v, member, text, sizeof(text), 0) == REGISTRY_OK)
		for (int s = 0; s < VRRP_STATE_MAX; s++)
			if (strcmp(text, vrrp_state_name(s)) == 0) {
				*out = (enum vrrp_state)s;
				return REGISTRY_OK;
			}
	return reg_fail(d, REGISTRY_E_RANGE, member, ": \"%s\" is not a state",
	    reg_printable(json_object_get_string(v),
		(size_t)json_object_get_string_len(v), p, sizeof(p)));
}

enum registry_err
reg_get_array(const struct reg_dec *d, json_object *o, const char *member,
    size_t max, json_object **arr, size_t *n)
{
	enum registry_err e;

	if ((e = reg_get(d, o, member, json_type_array, false, arr)) !=
	    REGISTRY_OK)
		return e;
	*n = json_object_array_length(*arr);
	if (*n > max)
		return reg_fail(d, REGISTRY_E_RANGE, member,
		    ": %zu entries, more than %zu", *n, max);
	return REGISTRY_OK;
}

uint8_t
reg_prefix_max(const struct addr *a)
{
	return (uint8_t)(addr_len(a) * 8);
}

enum registry_err
reg_prefix_value(const struct reg_dec *d, json_object *o, struct addr *addr,
    uint8_t *prefix)
{
	enum registry_err e;
	int64_t p = 0;

	if ((e = reg_get_addr(d, o, "addr", false, addr)) != REGISTRY_OK ||
	    (e = reg_get_int(d, o, "prefix", 0, reg_prefix_max(addr), &p)) !=
		REGISTRY_OK)
		return e;
	*prefix = (uint8_t)p;
	return REGISTRY_OK;
}

/* ---- encoding ---- */

bool
reg_str_ok(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

int
reg_add(json_object *o, const char *key, json_object *v)
{
	if (v == NULL)
		return -1;
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

int
reg_array_add(json_object *arr, json_object *v)
{
	if (v == NULL)
		return -1;
	if (json_object_array_add(arr, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

int
reg_add_str(json_object *o, const char *key, const char *s, size_t size)
{
	if (!reg_str_ok(s, size))
		return -1;
	return reg_add(o, key, json_object_new_string(s));
}

int
reg_add_int(json_object *o, const char *key, int64_t v)
{
	return reg_add(o, key, json_object_new_int64(v));
}

int
reg_add_bool(json_object *o, const char *key, bool v)
{
	return reg_add(o, key, json_object_new_boolean(v));
}

int
reg_add_addr(json_object *o, const char *key, const struct addr *a)
{
	char buf[ADDR_STRLEN];

	if (a->af != AF_INET && a->af != AF_INET6)
		return -1;
	return reg_add(o, key,
	    json_object_new_string(addr_fmt(a, buf, sizeof(buf))));
}

int
reg_add_state(json_object *o, const char *key, enum vrrp_state s)
{
	if ((unsigned int)s >= VRRP_STATE_MAX)
		return -1;
	return reg_add(o, key, json_object_new_string(vrrp_state_name(s)));
}

json_object *
reg_new_record(void)
{
	json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	if (reg_add_int(o, "v", REGISTRY_VERSION) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *
reg_prefix_new(const struct addr *a, uint8_t prefix)
{
	json_object *o;
	int rc = 0;

	if (prefix > reg_prefix_max(a) ||
	    (o = json_object_new_object()) == NULL)
		return NULL;
	rc |= reg_add_addr(o, "addr", a);
	rc |= reg_add_int(o, "prefix", prefix);
	if (rc != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int
reg_finish(json_object *o, int rc, char *buf, size_t size)
{
	const char *s;
	size_t n = 0;
	int len = -1;

	if (o == NULL)
		return -1;
	if (rc == 0 &&
	    (s = json_object_to_json_string_length(o,
		 JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
		 &n)) != NULL &&
	    n < size && n <= INT32_MAX) {
		memcpy(buf, s, n + 1);
		len = (int)n;
	}
	json_object_put(o);
	if (len < 0 && size > 0)
		buf[0] = '\0';
	return len;
}

int
reg_encoded(int n, char *buf, size_t size, size_t max, void *scratch,
    size_t scratch_size, reg_members_fn *fn)
{
	if (n < 0 ||
	    reg_decode(buf, (size_t)n, max, scratch, scratch_size, fn, NULL,
		0) != REGISTRY_OK) {
		if (size > 0)
			buf[0] = '\0';
		return -1;
	}
	return n;
}

bool
registry_name_valid(const char *s)
{
	size_t n = strnlen(s, REGISTRY_NAME_MAX);

	return n > 0 && n < REGISTRY_NAME_MAX && strchr(s, '/') == NULL &&
	    strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}
