/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The model as native YAML (vrrpd --dump-config), written over the same
 * schema tables the parser reads. A value is written only when it differs
 * from what reading the output back would give anyway, so the dump stays
 * short and reads back as an equal model (conf_equal).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_priv.h"

struct em {
	yaml_emitter_t e;
	bool failed;
	struct conf *dflt;	 /* YAML defaults: what global is compared to */
	struct conf *scratch;	 /* default elements under the model's global */
	struct conf *iref;	 /* the current instance's defaults */
	struct conf_check check; /* the current check's defaults */
};

typedef void emit_fn(struct em *, const struct ys_field *, const void *,
    const void *);
typedef const void *ref_fn(struct em *, const void *);

static void emit_fields(struct em *, const struct ys_field *, const void *,
    const void *);

/* yaml_*_initialize fails on invalid UTF-8; the event is then empty. */
static void
em_put(struct em *em, yaml_event_t *ev, int ok)
{
	if (!ok)
		em->failed = true;
	else if (em->failed)
		yaml_event_delete(ev);
	else if (!yaml_emitter_emit(&em->e, ev))
		em->failed = true;
}

static void
em_scalar(struct em *em, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	em_put(em, &ev,
	    yaml_scalar_event_initialize(&ev, NULL, NULL,
		(const yaml_char_t *)s, (int)strlen(s), 1, 1, style));
}

static void em_fmt(struct em *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
em_fmt(struct em *em, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	em_scalar(em, buf, YAML_PLAIN_SCALAR_STYLE);
}

/* Strings the parser would read as a null are quoted; NULL is "~". */
static void
em_str(struct em *em, const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	if (s == NULL) {
		em_scalar(em, "~", YAML_PLAIN_SCALAR_STYLE);
		return;
	}
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(s, nulls[i]) == 0) {
			em_scalar(em, s, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
			return;
		}
	em_scalar(em, s, YAML_ANY_SCALAR_STYLE);
}

static void
em_key(struct em *em, const char *key)
{
	em_scalar(em, key, YAML_PLAIN_SCALAR_STYLE);
}

static void
em_map(struct em *em, bool start)
{
	yaml_event_t ev;

	if (start)
		em_put(em, &ev,
		    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
			YAML_BLOCK_MAPPING_STYLE));
	else
		em_put(em, &ev, yaml_mapping_end_event_initialize(&ev));
}

static void
em_seq(struct em *em, bool start)
{
	yaml_event_t ev;

	if (start)
		em_put(em, &ev,
		    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
			YAML_BLOCK_SEQUENCE_STYLE));
	else
		em_put(em, &ev, yaml_sequence_end_event_initialize(&ev));
}

/* "1s", "100ms", "1500ms": what conf_parse_duration reads back. */
static void
em_dur(struct em *em, uint64_t us)
{
	if (us % 1000000 == 0)
		em_fmt(em, "%llus", (unsigned long long)(us / 1000000));
	else if (us % 1000 == 0)
		em_fmt(em, "%llums", (unsigned long long)(us / 1000));
	else
		em_fmt(em, "%lluus", (unsigned long long)us);
}

static void
em_prefix(struct em *em, const struct addr *a, uint8_t prefix)
{
	char buf[ADDR_STRLEN];

	addr_fmt(a, buf, sizeof(buf));
	if (prefix == addr_len(a) * 8)
		em_str(em, buf);
	else
		em_fmt(em, "%s/%u", buf, prefix);
}

/* ---- values by type ---- */

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool fields_eq(const struct ys_field *, const void *, const void *);

static const char *
str_at(const void *obj, const struct ys_field *f)
{
	return *YS_CFIELD(obj, f, char *const);
}

static bool
field_eq(const struct ys_field *f, const void *a, const void *b)
{
	const struct conf_cmd *ca = YS_CFIELD(a, f, struct conf_cmd);
	const struct conf_cmd *cb = YS_CFIELD(b, f, struct conf_cmd);

	switch (f->type) {
	case Y_STR:
	case Y_WORD:
		return str_eq(str_at(a, f), str_at(b, f));
	case Y_CHARS:
		return strcmp(YS_CFIELD(a, f, char), YS_CFIELD(b, f, char)) ==
		    0;
	case Y_BOOL:
		return *YS_CFIELD(a, f, bool) == *YS_CFIELD(b, f, bool);
	case Y_INT:
	case Y_ENUM:
		return ys_int_get(a, f) == ys_int_get(b, f);
	case Y_DUR:
		return *YS_CFIELD(a, f, uint32_t) == *YS_CFIELD(b, f, uint32_t);
	case Y_ADDR:
		return addr_cmp(YS_CFIELD(a, f, struct addr),
			   YS_CFIELD(b, f, struct addr)) == 0;
	case Y_CMD:
		return str_eq(ca->cmd, cb->cmd) && str_eq(ca->user, cb->user) &&
		    str_eq(ca->group, cb->group);
	case Y_MAP:
		return fields_eq(f->sub, YS_CFIELD(a, f, char),
		    YS_CFIELD(b, f, char));
	case Y_CUSTOM:
		break; /* lists and named blocks: never inside a Y_MAP */
	}
	return true;
}

static bool
has_flag(const struct ys_field *f, const void *obj)
{
	return *(const bool *)(const void *)((const char *)obj + f->has);
}

static bool
fields_eq(const struct ys_field *fields, const void *a, const void *b)
{
	for (const struct ys_field *f = fields; f->key != NULL; f++)
		if (!field_eq(f, a, b) ||
		    (f->has != 0 && has_flag(f, a) != has_flag(f, b)))
			return false;
	return true;
}

static void
emit_value(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	static const struct conf_cmd none;
	const struct conf_cmd *c = YS_CFIELD(obj, f, struct conf_cmd);
	char buf[ADDR_STRLEN];
	const char *name;

	switch (f->type) {
	case Y_STR:
	case Y_WORD:
		em_str(em, str_at(obj, f));
		break;
	case Y_CHARS:
		em_str(em, YS_CFIELD(obj, f, char));
		break;
	case Y_BOOL:
		em_key(em, *YS_CFIELD(obj, f, bool) ? "true" : "false");
		break;
	case Y_INT:
		em_fmt(em, "%lld", ys_int_get(obj, f));
		break;
	case Y_ENUM:
		/* A value the schema cannot name cannot be written. */
		if ((name = ys_enum_name(f, (int)ys_int_get(obj, f))) == NULL)
			em->failed = true;
		else
			em_key(em, name);
		break;
	case Y_DUR:
		em_dur(em, (uint64_t)*YS_CFIELD(obj, f, uint32_t) * f->scale);
		break;
	case Y_ADDR:
		em_str(em,
		    addr_fmt(YS_CFIELD(obj, f, struct addr), buf, sizeof(buf)));
		break;
	case Y_CMD:
		if (c->user == NULL && c->group == NULL) {
			em_str(em, c->cmd);
			break;
		}
		em_map(em, true);
		emit_fields(em, ys_cmd_fields, c, &none);
		em_map(em, false);
		break;
	case Y_MAP:
		em_map(em, true);
		emit_fields(em, f->sub, YS_CFIELD(obj, f, char),
		    YS_CFIELD(ref, f, char));
		em_map(em, false);
		break;
	case Y_CUSTOM:
		break;
	}
}

/* ---- what a list or a named block needs code for ---- */

static void
emit_vip_addr(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_vip *v = obj;

	(void)ref;
	em_key(em, f->key);
	em_prefix(em, &v->addr, v->prefix);
}

static void
emit_vip_scope(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_vip *v = obj;
	const char *name = conf_scope_name(v->scope);

	(void)ref;
	if (v->scope == 0)
		return;
	em_key(em, f->key);
	if (name != NULL)
		em_key(em, name);
	else
		em_fmt(em, "%u", v->scope);
}

static void
emit_vip_brd(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_vip *v = obj;
	char buf[ADDR_STRLEN];

	(void)ref;
	if (v->brd == CONF_BRD_NONE)
		return;
	em_key(em, f->key);
	if (v->brd == CONF_BRD_ADDR)
		em_str(em, addr_fmt(&v->brd_addr, buf, sizeof(buf)));
	else
		em_str(em, v->brd == CONF_BRD_PLUS ? "+" : "-");
}

static void
emit_vip_lft(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_vip *v = obj;

	(void)ref;
	if (v->preferred_lft == -1)
		return;
	em_key(em, f->key);
	if (v->preferred_lft < 0)
		em->failed = true;
	else
		em_fmt(em, "%lld", (long long)v->preferred_lft);
}

static void
emit_track_obj(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_track *t = obj;

	(void)ref;
	if (t->kind != (enum conf_track_kind)f->min)
		return;
	em_key(em, f->key);
	em_str(em, t->name);
}

static bool
vip_plain(const struct conf_vip *v)
{
	return v->brd == CONF_BRD_NONE && v->dev[0] == '\0' &&
	    v->label[0] == '\0' && v->scope == 0 && v->preferred_lft == -1 &&
	    !v->nodad && !v->no_track;
}

static void
emit_vips(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_instance *in = obj;
	const struct conf_global *g = &((const struct conf *)obj)->global;
	const struct conf_vip *v = f->custom == YC_VIPS ? in->vips :
	    f->custom == YC_VIPS_EXCL			? in->vips_excluded :
							  g->static_addrs;
	size_t n = f->custom == YC_VIPS ? in->nvips :
	    f->custom == YC_VIPS_EXCL	? in->nvips_excluded :
					  g->nstatic_addrs;
	struct conf_vip dflt = { .preferred_lft = -1 };

	(void)ref;
	if (n == 0)
		return;
	em_key(em, f->key);
	em_seq(em, true);
	for (size_t i = 0; i < n; i++)
		if (vip_plain(&v[i]))
			em_prefix(em, &v[i].addr, v[i].prefix);
		else {
			em_map(em, true);
			emit_fields(em, f->sub, &v[i], &dflt);
			em_map(em, false);
		}
	em_seq(em, false);
}

/* Routes and rules: one line each, as keepalived writes them. */
static void
emit_routes(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_instance *in = obj;
	const struct conf_global *g = &((const struct conf *)obj)->global;
	bool route = f->custom == YC_ROUTES || f->custom == YC_STATIC_ROUTES;
	const struct conf_route *rt =
	    f->custom == YC_ROUTES ? in->vroutes : g->static_routes;
	const struct conf_rule *ru =
	    f->custom == YC_RULES ? in->vrules : g->static_rules;
	size_t n = f->custom == YC_ROUTES ? in->nvroutes :
	    f->custom == YC_RULES	  ? in->nvrules :
	    route			  ? g->nstatic_routes :
					    g->nstatic_rules;
	char line[1024];

	(void)ref;
	if (n == 0)
		return;
	em_key(em, f->key);
	em_seq(em, true);
	for (size_t i = 0; i < n; i++)
		em_str(em,
		    route ? conf_route_format(&rt[i], line, sizeof(line)) :
			    conf_rule_format(&ru[i], line, sizeof(line)));
	em_seq(em, false);
}

static void
emit_peers(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_instance *in = obj;
	struct conf_peer dflt = { .max_ttl = 255 };
	char buf[ADDR_STRLEN];

	(void)ref;
	if (!in->unicast && in->npeers == 0)
		return;
	em_key(em, f->key);
	em_seq(em, true);
	for (size_t i = 0; i < in->npeers; i++) {
		const struct conf_peer *p = &in->peers[i];

		if (p->min_ttl == 0 && p->max_ttl == 255) {
			em_str(em, addr_fmt(&p->addr, buf, sizeof(buf)));
			continue;
		}
		em_map(em, true);
		emit_fields(em, f->sub, p, &dflt);
		em_map(em, false);
	}
	em_seq(em, false);
}

static void
emit_tracks(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_instance *in = obj;
	const struct conf_sync_group *g = obj;
	const struct conf_track *t =
	    f->custom == YC_TRACKS_INST ? in->tracks : g->tracks;
	size_t n = f->custom == YC_TRACKS_INST ? in->ntracks : g->ntracks;
	static const struct conf_track dflt;

	size_t explicit = 0;

	(void)ref;
	/* Implicit tracks come back from the routes that made them. */
	for (size_t i = 0; i < n; i++)
		explicit += !t[i].implicit;
	if (explicit == 0)
		return;
	em_key(em, f->key);
	em_seq(em, true);
	for (size_t i = 0; i < n; i++) {
		if (t[i].implicit)
			continue;
		em_map(em, true);
		emit_fields(em, f->sub, &t[i], &dflt);
		em_map(em, false);
	}
	em_seq(em, false);
}

static void
emit_members(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_sync_group *g = obj;

	(void)ref;
	if (g->nmembers == 0)
		return;
	em_key(em, f->key);
	em_seq(em, true);
	for (size_t i = 0; i < g->nmembers; i++)
		em_str(em, g->members[i]);
	em_seq(em, false);
}

static void
emit_status(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct conf_check *c = obj;

	(void)ref;
	if (c->nexpect_status == 0)
		return;
	em_key(em, f->key);
	em_seq(em, true);
	for (size_t i = 0; i < c->nexpect_status; i++) {
		const struct conf_status_range *r = &c->expect_status[i];

		if (r->lo == r->hi)
			em_fmt(em, "%u", r->lo);
		else
			em_fmt(em, "%u-%u", r->lo, r->hi);
	}
	em_seq(em, false);
}

/* ---- named blocks, each against a default element ---- */

/* Instances compare against defaults under the model's global section. */
static void
copy_inherited(struct conf_global *to, const struct conf_global *from)
{
	to->vrrp_version = from->vrrp_version;
	to->garp = from->garp;
	to->strict = from->strict;
	to->skip_check_adv_addr = from->skip_check_adv_addr;
	to->check_unicast_src = from->check_unicast_src;
	to->lower_prio_no_advert = from->lower_prio_no_advert;
	to->higher_prio_send_advert = from->higher_prio_send_advert;
	to->owner_ignore_adverts = from->owner_ignore_adverts;
	to->down_timer_adverts = from->down_timer_adverts;
	to->notify_priority_changes = from->notify_priority_changes;
}

/*
 * An instance's defaults under the model's global section. Strict mode
 * makes accept follow the priority (model.c): those two are set as in the
 * element while finishing, then put back so they are compared themselves.
 */
static const void *
ref_instance(struct em *em, const void *elem)
{
	static const struct conf_loc loc;
	const struct conf_instance *in = elem;
	struct conf_instance *r;
	uint8_t prio;

	conf_free(em->iref);
	if ((em->iref = conf_new(CONF_FMT_YAML)) == NULL)
		abort();
	copy_inherited(&em->iref->global, &em->scratch->global);
	if ((r = conf_add_instance(em->iref, &loc, "ref")) == NULL)
		abort();
	prio = r->priority;
	r->priority = in->priority;
	r->strict = in->strict;
	r->own |= CONF_OWN_STRICT;
	conf_finish(em->iref);
	r->priority = prio;
	r->strict = em->iref->global.strict;
	return r;
}

/* A timeout defaults to the check's own interval (conf_finish). */
static const void *
ref_check(struct em *em, const void *elem)
{
	static const struct conf_loc loc;
	const struct conf_check *c = elem, *ref = NULL;

	for (size_t i = 0; i < em->scratch->nchecks; i++)
		if (em->scratch->checks[i].kind == c->kind)
			ref = &em->scratch->checks[i];
	if (ref == NULL &&
	    (ref = conf_add_check(em->scratch, &loc, "ref", c->kind)) == NULL)
		abort();
	em->check = *ref; /* a shallow copy, only compared */
	em->check.timeout_ms = c->interval_ms;
	return &em->check;
}

static const void *
ref_track_file(struct em *em, const void *elem)
{
	static const struct conf_loc loc;

	(void)elem;
	if (em->scratch->ntrack_files == 0)
		conf_add_track_file(em->scratch, &loc, "ref");
	return &em->scratch->track_files[0];
}

static const void *
ref_track_proc(struct em *em, const void *elem)
{
	static const struct conf_loc loc;

	(void)elem;
	if (em->scratch->ntrack_procs == 0)
		conf_add_track_process(em->scratch, &loc, "ref");
	return &em->scratch->track_procs[0];
}

static const void *
ref_sync_group(struct em *em, const void *elem)
{
	static const struct conf_loc loc;

	(void)elem;
	if (em->scratch->nsync_groups == 0)
		conf_add_sync_group(em->scratch, &loc, "ref");
	return &em->scratch->sync_groups[0];
}

static ref_fn *const named_ref[YC_COUNT] = {
	[YC_CHECKS] = ref_check,
	[YC_TRACK_FILES] = ref_track_file,
	[YC_TRACK_PROCS] = ref_track_proc,
	[YC_SYNC_GROUPS] = ref_sync_group,
	[YC_INSTANCES] = ref_instance,
};

static void
emit_named(struct em *em, const struct ys_field *f, const void *obj,
    const void *ref)
{
	const struct ys_named *nd = f->sub;
	const char *arr, *name;
	size_t n;

	(void)ref;
	memcpy(&arr, (const char *)obj + nd->arr, sizeof(arr));
	memcpy(&n, (const char *)obj + nd->n, sizeof(n));
	if (n == 0)
		return;
	em_key(em, f->key);
	em_map(em, true);
	for (size_t i = 0; i < n; i++) {
		const char *e = arr + i * nd->size;

		memcpy(&name, e + nd->name, sizeof(name));
		em_str(em, name);
		em_map(em, true);
		emit_fields(em, nd->fields, e, named_ref[f->custom](em, e));
		em_map(em, false);
	}
	em_map(em, false);
}

static emit_fn *const emit_custom[YC_COUNT] = {
	[YC_CHECKS] = emit_named,
	[YC_TRACK_FILES] = emit_named,
	[YC_TRACK_PROCS] = emit_named,
	[YC_SYNC_GROUPS] = emit_named,
	[YC_INSTANCES] = emit_named,
	[YC_VIPS] = emit_vips,
	[YC_VIPS_EXCL] = emit_vips,
	[YC_PEERS] = emit_peers,
	[YC_TRACKS_INST] = emit_tracks,
	[YC_TRACKS_GROUP] = emit_tracks,
	[YC_MEMBERS] = emit_members,
	[YC_STATUS] = emit_status,
	[YC_VIP_ADDR] = emit_vip_addr,
	[YC_VIP_SCOPE] = emit_vip_scope,
	[YC_VIP_BRD] = emit_vip_brd,
	[YC_VIP_LFT] = emit_vip_lft,
	[YC_TRACK_OBJ] = emit_track_obj,
	[YC_ROUTES] = emit_routes,
	[YC_RULES] = emit_routes,
	[YC_STATIC_ADDRS] = emit_vips,
	[YC_STATIC_ROUTES] = emit_routes,
	[YC_STATIC_RULES] = emit_routes,
};

static void
emit_fields(struct em *em, const struct ys_field *fields, const void *obj,
    const void *ref)
{
	for (const struct ys_field *f = fields; f->key != NULL; f++) {
		if (f->alias_of != NULL)
			continue; /* the new name is written */
		if (f->type == Y_CUSTOM) {
			emit_custom[f->custom](em, f, obj, ref);
			continue;
		}
		if (f->has != 0 ?
			!has_flag(f, obj) :
			!(f->flags & YF_ALWAYS) && field_eq(f, obj, ref))
			continue;
		em_key(em, f->key);
		emit_value(em, f, obj, ref);
	}
}

int
conf_emit_yaml(const struct conf *conf, FILE *f)
{
	struct em em = { .failed = false };
	yaml_event_t ev;

	if (fputs("# vrrpd configuration\n", f) == EOF)
		return -1;
	em.dflt = conf_new(CONF_FMT_YAML);
	em.scratch = conf_new(CONF_FMT_YAML);
	if (em.dflt == NULL || em.scratch == NULL ||
	    !yaml_emitter_initialize(&em.e))
		abort();
	copy_inherited(&em.scratch->global, &conf->global);
	yaml_emitter_set_output_file(&em.e, f);
	yaml_emitter_set_indent(&em.e, 2);
	yaml_emitter_set_width(&em.e, -1);
	yaml_emitter_set_unicode(&em.e, 1);
	em_put(&em, &ev,
	    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	em_put(&em, &ev,
	    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
	em_map(&em, true);
	emit_fields(&em, ys_root, conf, em.dflt);
	em_map(&em, false);
	em_put(&em, &ev, yaml_document_end_event_initialize(&ev, 1));
	em_put(&em, &ev, yaml_stream_end_event_initialize(&ev));
	if (!em.failed && !yaml_emitter_flush(&em.e))
		em.failed = true;
	yaml_emitter_delete(&em.e);
	conf_free(em.dflt);
	conf_free(em.scratch);
	conf_free(em.iref);
	return em.failed || fflush(f) != 0 || ferror(f) ? -1 : 0;
}
