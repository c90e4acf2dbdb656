/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the native YAML front end: the schema as data, shared by the parser
 * (yaml.c, the event engine; yaml_kws.c, the tables) and the emitter
 * (emit.c), so what is read and what is written cannot drift apart.
 */

#ifndef VRRPD_CONF_YAML_PRIV_H
#define VRRPD_CONF_YAML_PRIV_H

#include <yaml.h>

#include "conf_priv.h"
#include "vrrpd/conf_route.h"

#define YS_MAX_DEPTH  32 /* nested mappings and lists */
#define YS_MAX_FIELDS 64 /* keys in one table: one bit each when parsing */

/* How a key's value is read, stored and written. */
enum ys_type {
	Y_STR = 0, /* char *; a YAML null is NULL */
	Y_CHARS,   /* char[.size], NUL-terminated */
	Y_BOOL,	   /* bool */
	Y_INT,	   /* integer of .size bytes in .min...max, signed if min < 0 */
	Y_ENUM,	   /* integer of .size bytes named by .sub (struct ys_name[]) */
	Y_WORD,	   /* char *, one of .sub (const char *const[]), as spelled */
	Y_DUR,	   /* uint32_t in units of .scale us, at most .max units */
	Y_ADDR,	   /* struct addr of family .min (0: either) */
	Y_CMD,	   /* struct conf_cmd: "CMD" or {command, user, group} */
	Y_MAP,	   /* nested mapping over the object at .off; keys in .sub */
	Y_CUSTOM,  /* lists and named blocks: ys_parse_custom[.custom] */
};

/* The keys parsed and written by code rather than by type. */
enum ys_custom {
	YC_NONE = 0,
	YC_CHECKS, /* named blocks: .sub is a struct ys_named */
	YC_TRACK_FILES,
	YC_TRACK_PROCS,
	YC_SYNC_GROUPS,
	YC_INSTANCES,
	YC_VIPS, /* lists: .sub is the item's fields */
	YC_VIPS_EXCL,
	YC_PEERS,
	YC_TRACKS_INST,
	YC_TRACKS_GROUP,
	YC_MEMBERS,
	YC_STATUS,   /* expect_status */
	YC_VIP_ADDR, /* inside a virtual address mapping */
	YC_VIP_SCOPE,
	YC_VIP_BRD,
	YC_VIP_LFT,
	YC_TRACK_OBJ,	 /* check/interface/file/process: .min is the kind */
	YC_ROUTES,	 /* virtual_routes: a list of route lines */
	YC_RULES,	 /* virtual_rules: a list of rule lines */
	YC_STATIC_ADDRS, /* static_ipaddress (over struct conf) */
	YC_STATIC_ROUTES,
	YC_STATIC_RULES,
	YC_COUNT
};

enum ys_flags {
	YF_ALWAYS = 1u << 0, /* written even when it has the default value */
	YF_SCRIPT = 1u << 1, /* a check key for script checks only */
	YF_TCP = 1u << 2,    /* ... tcp checks only */
	YF_HTTP = 1u << 3,   /* ... http checks only */
};

struct ys_name {
	const char *name;
	int value;
};

struct ys_field {
	const char *key;
	enum ys_type type;
	size_t off;	    /* of the value in the mapping's object */
	size_t size;	    /* Y_INT, Y_ENUM: bytes; Y_CHARS: array size */
	size_t has;	    /* offset of a bool set when written; 0: none */
	uint32_t own;	    /* CONF_OWN_* bit an instance sets by writing it */
	unsigned int flags; /* enum ys_flags */
	long long min, max; /* Y_INT range; Y_DUR max; Y_ADDR family */
	uint32_t scale;	    /* Y_DUR: microseconds per unit of the field */
	const void *sub;
	enum ys_custom custom;
	size_t at; /* offset of a struct conf_loc set to the key's; 0: none */
	/*
	 * A deprecated spelling of the key named here (same table, same
	 * field): read with a warning, never written.
	 */
	const char *alias_of;
};

struct ys;
struct ys_seen;

/* A named block (instances: NAME: {...}): where its elements live. */
struct ys_named {
	size_t arr, n, size; /* array and count in struct conf, element size */
	size_t name;	     /* char *name in the element (loc is first) */
	void *(*add)(struct conf *, const struct conf_loc *, const char *);
	const struct ys_field *fields;
	bool instance; /* writes set CONF_OWN_* bits */
	/* After the element's mapping: required keys, consistency. */
	void (*done)(struct ys *, void *elem, const struct ys_seen *);
};

#define YS_FIELD(obj, f, type) ((type *)(void *)((char *)(obj) + (f)->off))
#define YS_CFIELD(obj, f, type) \
	((const type *)(const void *)((const char *)(obj) + (f)->off))

/* The whole schema: the top-level keys (over struct conf). */
extern const struct ys_field ys_root[];
/* A command as a mapping (Y_CMD): command, user, group. */
extern const struct ys_field ys_cmd_fields[];

/* Integer fields of any width (Y_INT, Y_ENUM). */
long long ys_int_get(const void *obj, const struct ys_field *f);
void ys_int_set(void *obj, const struct ys_field *f, long long v);

/* The name of an enum value, NULL when it has none. */
const char *ys_enum_name(const struct ys_field *f, int value);

/* ---- the parser engine (yaml.c), for yaml_kws.c and yaml_list.c ---- */

struct ys {
	struct conf *conf;
	const char *file;
	const char *buf; /* the input, for reader error positions */
	yaml_parser_t parser;
	yaml_event_t ev; /* the current event */
	bool have;	 /* ev must be deleted */
	bool stop;	 /* syntax error or bound: read no more */
	unsigned int depth;
	struct conf_instance *inst; /* CONF_OWN_* bits go here */
	struct conf_rt_ctx rt;	    /* route and rule lines */
	size_t pathlen;
	char path[512]; /* "instances.VI_1.garp" */
};

/* Keys of one mapping seen so far: duplicates and required keys. */
struct ys_seen {
	uint64_t mask;
	uint64_t ok; /* the keys whose value was read without an error */
	struct conf_loc locs[YS_MAX_FIELDS];
};

typedef bool ys_parse_fn(struct ys *, const struct ys_field *, void *);
typedef void ys_item_fn(struct ys *, void *ctx);

extern ys_parse_fn *const ys_parse_custom[YC_COUNT];
/* A named block (YC_CHECKS ... YC_INSTANCES), in yaml_kws.c. */
ys_parse_fn ys_parse_named;

struct conf_loc ys_loc(const struct ys *ys);
void ys_error(struct ys *ys, const struct conf_loc *loc, enum conf_sev sev,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const char *ys_path(const struct ys *ys);
size_t ys_path_key(struct ys *ys, const char *key);
size_t ys_path_index(struct ys *ys, size_t i);
void ys_path_pop(struct ys *ys, size_t mark);

/* Read the next event; false at a syntax error (then ev is empty). */
bool ys_next(struct ys *ys);
/* Consume the rest of the current node (a scalar is already whole). */
void ys_skip(struct ys *ys);
bool ys_is_null(const struct ys *ys);
/* "PATH: expected WHAT, got ..." at the current node, which is skipped. */
void ys_expected(struct ys *ys, const char *what, ...)
    __attribute__((format(printf, 2, 3)));
/* The current scalar's text, or NULL (reported as expecting what). */
const char *ys_scalar(struct ys *ys, const char *what);

/*
 * The current node is a mapping of fields over obj (a null is an empty
 * mapping): every key is read, unknown and duplicate keys are reported.
 * seen may be NULL. Ends on the node's last event; false when the node is
 * not a mapping.
 */
bool ys_map(struct ys *ys, const struct ys_field *fields, void *obj,
    struct ys_seen *seen);
/* The current node is one value of field f over obj; false on an error. */
bool ys_value(struct ys *ys, const struct ys_field *f, void *obj);
/* The current node is a list (a single item is a one-item list). */
void ys_list(struct ys *ys, ys_item_fn *fn, void *ctx);

#endif /* VRRPD_CONF_YAML_PRIV_H */
