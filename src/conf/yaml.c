/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Native YAML front end: libyaml's event parser walked against the schema
 * tables of yaml_kws.c. Never the document loader: nothing is built but the
 * model, aliases are refused, and nesting and scalar sizes are bounded.
 */

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "yaml_priv.h"

struct conf_loc
ys_loc(const struct ys *ys)
{
	struct conf_loc loc = { .file = ys->file,
		.line = (unsigned int)ys->ev.start_mark.line + 1,
		.col = (unsigned int)ys->ev.start_mark.column + 1 };

	return loc;
}

void
ys_error(struct ys *ys, const struct conf_loc *loc, enum conf_sev sev,
    const char *fmt, ...)
{
	struct conf_loc here = ys_loc(ys);
	va_list ap;

	va_start(ap, fmt);
	conf_vdiag(ys->conf, loc != NULL ? loc : &here, sev, fmt, ap);
	va_end(ap);
}

const char *
ys_path(const struct ys *ys)
{
	return ys->pathlen == 0 ? "top level" : ys->path;
}

static size_t path_add(struct ys *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static size_t
path_add(struct ys *ys, const char *fmt, ...)
{
	size_t mark = ys->pathlen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(ys->path + mark, sizeof(ys->path) - mark, fmt, ap);
	va_end(ap);
	if (n > 0)
		ys->pathlen += (size_t)n;
	if (ys->pathlen >= sizeof(ys->path))
		ys->pathlen = sizeof(ys->path) - 1;
	return mark;
}

size_t
ys_path_key(struct ys *ys, const char *key)
{
	return path_add(ys, ys->pathlen == 0 ? "%s" : ".%s", key);
}

size_t
ys_path_index(struct ys *ys, size_t i)
{
	return path_add(ys, "[%zu]", i);
}

void
ys_path_pop(struct ys *ys, size_t mark)
{
	ys->pathlen = mark;
	ys->path[mark] = '\0';
}

/* Reader errors carry a byte offset only; the rest carry a mark. */
static void
syntax_error(struct ys *ys)
{
	const yaml_parser_t *p = &ys->parser;
	struct conf_loc loc = { .file = ys->file,
		.line = (unsigned int)p->problem_mark.line + 1,
		.col = (unsigned int)p->problem_mark.column + 1 };
	const char *problem = p->problem != NULL ? p->problem : "unknown";

	if (p->error == YAML_MEMORY_ERROR)
		abort();
	if (p->error == YAML_READER_ERROR) {
		loc.line = 1;
		loc.col = 1;
		for (size_t i = 0; i < p->problem_offset; i++, loc.col++)
			if (ys->buf[i] == '\n') {
				loc.line++;
				loc.col = 0;
			}
		ys_error(ys, &loc, CONF_ERROR, "invalid input: %s", problem);
	} else if (p->context != NULL)
		ys_error(ys, &loc, CONF_ERROR,
		    "YAML syntax error: %s (%s at line %zu)", problem,
		    p->context, p->context_mark.line + 1);
	else
		ys_error(ys, &loc, CONF_ERROR, "YAML syntax error: %s",
		    problem);
}

bool
ys_next(struct ys *ys)
{
	if (ys->have)
		yaml_event_delete(&ys->ev);
	ys->have = false;
	if (ys->stop)
		return false;
	if (!yaml_parser_parse(&ys->parser, &ys->ev)) {
		syntax_error(ys);
		memset(&ys->ev, 0, sizeof(ys->ev));
		ys->stop = true;
		return false;
	}
	ys->have = true;
	/* Aliases could expand a small file without bound: refused. */
	if (ys->ev.type == YAML_ALIAS_EVENT)
		ys_error(ys, NULL, CONF_ERROR,
		    "%s: YAML aliases (*%.32s) are not allowed; write the "
		    "value out",
		    ys_path(ys), (const char *)ys->ev.data.alias.anchor);
	return true;
}

void
ys_skip(struct ys *ys)
{
	unsigned int depth = 0;

	for (;;) {
		switch (ys->ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (ys->depth + ++depth > YS_MAX_DEPTH) {
				ys_error(ys, NULL, CONF_ERROR,
				    "%s: nested deeper than %d levels",
				    ys_path(ys), YS_MAX_DEPTH);
				ys->stop = true;
				return;
			}
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (depth == 0 || !ys_next(ys))
			return;
	}
}

bool
ys_is_null(const struct ys *ys)
{
	const yaml_event_t *ev = &ys->ev;
	const char *v = (const char *)ev->data.scalar.value;

	if (ev->type != YAML_SCALAR_EVENT ||
	    ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return ev->data.scalar.length == 0 || strcmp(v, "~") == 0 ||
	    strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	    strcmp(v, "NULL") == 0;
}

void
ys_expected(struct ys *ys, const char *what, ...)
{
	const yaml_event_t *ev = &ys->ev;
	char want[160], got[64];
	va_list ap;

	if (ev->type == YAML_ALIAS_EVENT || ys->stop)
		return;
	va_start(ap, what);
	vsnprintf(want, sizeof(want), what, ap);
	va_end(ap);
	if (ys_is_null(ys))
		snprintf(got, sizeof(got), "nothing");
	else if (ev->type == YAML_SCALAR_EVENT)
		snprintf(got, sizeof(got), "\"%.40s%s\"",
		    (const char *)ev->data.scalar.value,
		    ev->data.scalar.length > 40 ? "..." : "");
	else
		snprintf(got, sizeof(got), "%s",
		    ev->type == YAML_MAPPING_START_EVENT ? "a mapping" :
							   "a list");
	ys_error(ys, NULL, CONF_ERROR, "%s: expected %s, got %s", ys_path(ys),
	    want, got);
	ys_skip(ys);
}

const char *
ys_scalar(struct ys *ys, const char *what)
{
	const yaml_event_t *ev = &ys->ev;

	if (ev->type == YAML_ALIAS_EVENT)
		return NULL;
	if (ev->type != YAML_SCALAR_EVENT) {
		ys_expected(ys, "%s", what);
		return NULL;
	}
	if (ev->data.scalar.length > CONF_MAX_TOKEN) {
		ys_error(ys, NULL, CONF_ERROR, "%s: value longer than %d bytes",
		    ys_path(ys), CONF_MAX_TOKEN);
		return NULL;
	}
	if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length) !=
	    NULL) {
		ys_error(ys, NULL, CONF_ERROR, "%s: value contains a NUL byte",
		    ys_path(ys));
		return NULL;
	}
	return (const char *)ev->data.scalar.value;
}

/* ---- keys of a mapping ---- */

static void
unknown_key(struct ys *ys, const struct ys_field *fields, const char *key)
{
	struct conf_suggestion sg = CONF_SUGGESTION_INIT;

	if (strcmp(key, "<<") == 0) {
		ys_error(ys, NULL, CONF_ERROR,
		    "YAML merge keys (<<) are not allowed %s %s",
		    ys->pathlen == 0 ? "at" : "in", ys_path(ys));
		return;
	}
	for (const struct ys_field *f = fields; f->key != NULL; f++)
		conf_suggest(&sg, key, f->key);
	if (sg.best != NULL)
		ys_error(ys, NULL, CONF_ERROR,
		    "unknown key '%.64s' %s %s; did you mean '%s'?", key,
		    ys->pathlen == 0 ? "at" : "in", ys_path(ys), sg.best);
	else
		ys_error(ys, NULL, CONF_ERROR, "unknown key '%.64s' %s %s", key,
		    ys->pathlen == 0 ? "at" : "in", ys_path(ys));
}

/* The key of a mapping entry; NULL (reported, key and value skipped). */
static const char *
map_key(struct ys *ys)
{
	const char *key;

	if (ys->ev.type == YAML_SCALAR_EVENT && !ys_is_null(ys)) {
		if ((key = ys_scalar(ys, "a key")) != NULL)
			return key;
	} else
		ys_expected(ys, "a key");
	if (ys_next(ys))
		ys_skip(ys);
	return NULL;
}

static size_t
field_index(const struct ys_field *fields, const char *key)
{
	size_t i;

	for (i = 0; fields[i].key != NULL; i++)
		if (strcmp(fields[i].key, key) == 0)
			break;
	assert(i < YS_MAX_FIELDS);
	return i;
}

/* A key and its deprecated spelling share one bit: one may be written. */
static void
map_entry(struct ys *ys, const struct ys_field *fields, void *obj,
    struct ys_seen *seen)
{
	struct conf_loc loc = ys_loc(ys);
	const struct ys_field *f;
	const char *key;
	size_t i, bit, mark;

	if ((key = map_key(ys)) == NULL)
		return;
	i = field_index(fields, key);
	f = &fields[i];
	bit = f->alias_of != NULL ? field_index(fields, f->alias_of) : i;
	if (f->key == NULL)
		unknown_key(ys, fields, key);
	else if (seen->mask & (1ull << bit))
		ys_error(ys, NULL, CONF_ERROR,
		    "duplicate key '%s'%s%s%s %s %s (first at line %u)", key,
		    bit != i ? " (the old name of '" : "",
		    bit != i ? fields[bit].key : "", bit != i ? "')" : "",
		    ys->pathlen == 0 ? "at" : "in", ys_path(ys),
		    seen->locs[bit].line);
	else {
		seen->mask |= 1ull << bit;
		seen->locs[bit] = loc;
		mark = ys_path_key(ys, f->key);
		if (f->alias_of != NULL)
			ys_error(ys, &loc, CONF_WARNING,
			    "%s: deprecated key; use '%s' instead", ys_path(ys),
			    f->alias_of);
		if (f->at != 0)
			*(struct conf_loc *)(void *)((char *)obj + f->at) = loc;
		if (ys_next(ys) && ys_value(ys, f, obj))
			seen->ok |= 1ull << bit;
		ys_path_pop(ys, mark);
		return;
	}
	if (ys_next(ys))
		ys_skip(ys);
}

bool
ys_map(struct ys *ys, const struct ys_field *fields, void *obj,
    struct ys_seen *seen)
{
	struct ys_seen local;

	if (seen == NULL)
		seen = &local;
	seen->mask = seen->ok = 0;
	if (ys_is_null(ys))
		return true;
	if (ys->ev.type != YAML_MAPPING_START_EVENT) {
		ys_expected(ys, "a mapping");
		return false;
	}
	ys->depth++;
	while (ys_next(ys) && ys->ev.type != YAML_MAPPING_END_EVENT)
		map_entry(ys, fields, obj, seen);
	ys->depth--;
	return true;
}

void
ys_list(struct ys *ys, ys_item_fn *fn, void *ctx)
{
	size_t mark;

	if (ys_is_null(ys) || ys->ev.type == YAML_ALIAS_EVENT)
		return;
	if (ys->ev.type != YAML_SEQUENCE_START_EVENT) {
		fn(ys, ctx);
		return;
	}
	ys->depth++;
	for (size_t i = 0;; i++) {
		mark = ys_path_index(ys, i);
		if (!ys_next(ys) || ys->ev.type == YAML_SEQUENCE_END_EVENT) {
			ys_path_pop(ys, mark);
			break;
		}
		if (ys->ev.type != YAML_ALIAS_EVENT)
			fn(ys, ctx);
		ys_path_pop(ys, mark);
	}
	ys->depth--;
}

/* ---- values by type ---- */

long long
ys_int_get(const void *obj, const struct ys_field *f)
{
	const void *p = (const char *)obj + f->off;

	switch (f->size) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		return *(const uint16_t *)p;
	default:
		if (f->min < 0)
			return *(const int32_t *)p;
		return *(const uint32_t *)p;
	}
}

void
ys_int_set(void *obj, const struct ys_field *f, long long v)
{
	void *p = (char *)obj + f->off;

	switch (f->size) {
	case 1:
		*(uint8_t *)p = (uint8_t)v;
		break;
	case 2:
		*(uint16_t *)p = (uint16_t)v;
		break;
	default:
		if (f->min < 0)
			*(int32_t *)p = (int32_t)v;
		else
			*(uint32_t *)p = (uint32_t)v;
		break;
	}
}

const char *
ys_enum_name(const struct ys_field *f, int value)
{
	for (const struct ys_name *n = f->sub; n->name != NULL; n++)
		if (n->value == value)
			return n->name;
	return NULL;
}

static bool
parse_str(struct ys *ys, const struct ys_field *f, void *obj)
{
	char **p = YS_FIELD(obj, f, char *);
	const char *v = NULL;

	if (!ys_is_null(ys) && (v = ys_scalar(ys, "a string")) == NULL)
		return false;
	free(*p);
	*p = conf_strdup(v);
	return true;
}

static bool
parse_chars(struct ys *ys, const struct ys_field *f, void *obj)
{
	const char *v = ys_scalar(ys, "a string");

	if (v == NULL)
		return false;
	if (strlen(v) >= f->size) {
		ys_expected(ys, "at most %zu characters", f->size - 1);
		return false;
	}
	strcpy(YS_FIELD(obj, f, char), v);
	return true;
}

static bool
parse_bool(struct ys *ys, const struct ys_field *f, void *obj)
{
	const char *v = ys_scalar(ys, "true or false");

	if (v == NULL)
		return false;
	if (conf_parse_bool(v, YS_FIELD(obj, f, bool)) != 0) {
		ys_expected(ys, "true or false");
		return false;
	}
	return true;
}

static bool
parse_int(struct ys *ys, const struct ys_field *f, void *obj)
{
	const char *v = ys_scalar(ys, "an integer"), *why;
	long long n;

	if (v == NULL)
		return false;
	if (conf_parse_int(v, f->min, f->max, &n, &why) != 0) {
		ys_expected(ys, "an integer %lld..%lld", f->min, f->max);
		return false;
	}
	ys_int_set(obj, f, n);
	return true;
}

/* "a, b or c" */
static void
name_list(char *buf, size_t size, const char *const *names, size_t stride)
{
	size_t n = 0, len = 0;

	buf[0] = '\0';
	while (*(const char *const *)((const char *)names + n * stride))
		n++;
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i == 0	   ? "" :
			i + 1 == n ? " or " :
				     ", ",
		    *(const char *const *)((const char *)names + i * stride));
}

static bool
parse_enum(struct ys *ys, const struct ys_field *f, void *obj)
{
	const struct ys_name *names = f->sub;
	const char *v = ys_scalar(ys, "a name");
	char want[128];

	if (v == NULL)
		return false;
	for (const struct ys_name *n = names; n->name != NULL; n++)
		if (strcasecmp(n->name, v) == 0) {
			ys_int_set(obj, f, n->value);
			return true;
		}
	name_list(want, sizeof(want), &names->name, sizeof(*names));
	ys_expected(ys, "%s", want);
	return false;
}

static bool
parse_word(struct ys *ys, const struct ys_field *f, void *obj)
{
	const char *const *words = f->sub;
	const char *v = ys_scalar(ys, "a name");
	char **p = YS_FIELD(obj, f, char *), want[128];

	if (v == NULL)
		return false;
	for (size_t i = 0; words[i] != NULL; i++)
		if (strcasecmp(words[i], v) == 0) {
			free(*p);
			*p = conf_strdup(words[i]);
			return true;
		}
	name_list(want, sizeof(want), words, sizeof(*words));
	ys_expected(ys, "%s", want);
	return false;
}

/* A bare number is seconds, as in keepalived. */
static bool
parse_dur(struct ys *ys, const struct ys_field *f, void *obj)
{
	const char *v = ys_scalar(ys, "a duration"), *why;
	uint64_t us, max = (uint64_t)f->max * f->scale;

	if (v == NULL)
		return false;
	if (conf_parse_duration(v, CONF_UNIT_S, max, &us, &why) != 0) {
		if (max % 1000000 == 0)
			ys_expected(ys,
			    "a duration up to %llus (like 2s or "
			    "500ms)",
			    (unsigned long long)(max / 1000000));
		else
			ys_expected(ys,
			    "a duration up to %llums (like 2s or "
			    "500ms)",
			    (unsigned long long)(max / 1000));
		return false;
	}
	if (us % f->scale != 0) {
		ys_expected(ys, "a multiple of %ums", f->scale / 1000);
		return false;
	}
	*YS_FIELD(obj, f, uint32_t) = (uint32_t)(us / f->scale);
	return true;
}

static bool
parse_addr(struct ys *ys, const struct ys_field *f, void *obj)
{
	const char *what = f->min == AF_INET ? "an IPv4 address" :
	    f->min == AF_INET6		     ? "an IPv6 address" :
					       "an IP address";
	const char *v = ys_scalar(ys, what);
	struct addr a;

	if (v == NULL)
		return false;
	if (addr_parse(v, &a) != 0 || (f->min != 0 && a.af != f->min)) {
		ys_expected(ys, "%s", what);
		return false;
	}
	*YS_FIELD(obj, f, struct addr) = a;
	return true;
}

const struct ys_field ys_cmd_fields[] = {
	{ .key = "command", .off = offsetof(struct conf_cmd, cmd) },
	{ .key = "user", .off = offsetof(struct conf_cmd, user) },
	{ .key = "group", .off = offsetof(struct conf_cmd, group) },
	{ .key = NULL },
};

static bool
parse_cmd(struct ys *ys, const struct ys_field *f, void *obj)
{
	struct conf_cmd *c = YS_FIELD(obj, f, struct conf_cmd);
	const char *v = NULL;

	c->loc = ys_loc(ys);
	if (ys->ev.type == YAML_MAPPING_START_EVENT)
		return ys_map(ys, ys_cmd_fields, c, NULL);
	if (!ys_is_null(ys) &&
	    (v = ys_scalar(ys,
		 "a command line, or a mapping with command, "
		 "user and group")) == NULL)
		return false;
	free(c->cmd);
	free(c->user);
	free(c->group);
	c->cmd = conf_strdup(v);
	c->user = c->group = NULL;
	return true;
}

static bool
parse_map(struct ys *ys, const struct ys_field *f, void *obj)
{
	return ys_map(ys, f->sub, (char *)obj + f->off, NULL);
}

static bool
parse_custom(struct ys *ys, const struct ys_field *f, void *obj)
{
	return ys_parse_custom[f->custom](ys, f, obj);
}

static ys_parse_fn *const parse_type[] = {
	[Y_STR] = parse_str,
	[Y_CHARS] = parse_chars,
	[Y_BOOL] = parse_bool,
	[Y_INT] = parse_int,
	[Y_ENUM] = parse_enum,
	[Y_WORD] = parse_word,
	[Y_DUR] = parse_dur,
	[Y_ADDR] = parse_addr,
	[Y_CMD] = parse_cmd,
	[Y_MAP] = parse_map,
	[Y_CUSTOM] = parse_custom,
};

bool
ys_value(struct ys *ys, const struct ys_field *f, void *obj)
{
	if (ys->ev.type == YAML_ALIAS_EVENT)
		return false;
	if (!parse_type[f->type](ys, f, obj))
		return false;
	if (f->has != 0)
		*(bool *)((char *)obj + f->has) = true;
	if (f->own != 0 && ys->inst != NULL)
		ys->inst->own |= f->own;
	return true;
}

/* ---- the document ---- */

static void
parse_stream(struct ys *ys)
{
	static const struct ys_field root = { .key = "",
		.type = Y_MAP,
		.sub = ys_root };

	if (!ys_next(ys) || ys->ev.type != YAML_STREAM_START_EVENT)
		return;
	if (!ys_next(ys) || ys->ev.type != YAML_DOCUMENT_START_EVENT)
		return; /* an empty stream: an empty model */
	if (!ys_next(ys))
		return;
	ys_value(ys, &root, ys->conf);
	if (!ys_next(ys) || !ys_next(ys))
		return;
	if (ys->ev.type == YAML_DOCUMENT_START_EVENT)
		ys_error(ys, NULL, CONF_ERROR,
		    "a second YAML document: a configuration is one "
		    "document");
}

void
conf_parse_yaml(struct conf *conf, const char *name, const char *buf,
    size_t len)
{
	struct ys ys = { .conf = conf,
		.buf = buf,
		.rt = { .lookup = conf_rt_names_files } };

	ys.file = conf_file_name(conf, name);
	if (!yaml_parser_initialize(&ys.parser))
		abort();
	yaml_parser_set_input_string(&ys.parser, (const unsigned char *)buf,
	    len);
	parse_stream(&ys);
	if (ys.have)
		yaml_event_delete(&ys.ev);
	yaml_parser_delete(&ys.parser);
}
