/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the conf module: what the front ends (yaml.c, keepalived.c), the
 * model (model.c), the validator (validate.c) and the emitter (emit.c) share.
 * Not for the rest of the daemon, which reads only include/vrrpd/conf.h.
 */

#ifndef VRRPD_CONF_PRIV_H
#define VRRPD_CONF_PRIV_H

#include <stdarg.h>
#include <string.h>

#include "vrrpd/conf.h"

/* Bounds on untrusted input, shared by both front ends. */
#define CONF_MAX_FILE_SIZE (16u << 20) /* one file */
#define CONF_MAX_TOKEN	   4096	       /* one token or scalar */
#define CONF_MAX_ITEMS	   100000      /* entries in any one list */
#define CONF_MAX_DIAGS	   1000	       /* then "too many errors" */

/* ---- model.c: building a model ---- */

/* An empty model for a front end; NULL when out of memory. */
struct conf *conf_new(enum conf_format format);

/*
 * Keep a copy of a file name for the life of the model and return it, for
 * conf_loc.file. The same name gives the same pointer.
 */
const char *conf_file_name(struct conf *conf, const char *path);

/* Longest keepalived config id (@ID) that is remembered. */
#define CONF_MAX_ID 64

/* Remember an id seen in a keepalived @ID line (once each; "" ignored). */
void conf_note_config_id(struct conf *conf, const char *id);

/*
 * Add a diag at loc (may be NULL: no location). At most CONF_MAX_DIAGS are
 * kept; the last one then says that more were dropped. Errors are counted
 * in conf->nerrors even when dropped.
 */
void conf_diag(struct conf *conf, const struct conf_loc *loc, enum conf_sev sev,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void conf_vdiag(struct conf *conf, const struct conf_loc *loc,
    enum conf_sev sev, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/*
 * Make room for element n of the array base (n elements of size bytes) and
 * return the array, moved if needed; NULL (with an error diag at loc) past
 * CONF_MAX_ITEMS. Aborts when out of memory, like every allocation in the
 * module. CONF_PUSH appends one zeroed element and yields its address.
 */
void *conf_grow(struct conf *conf, const struct conf_loc *loc, void *base,
    size_t n, size_t size);
#define CONF_PUSH(conf, loc, arr, n)                                      \
	__extension__({                                                   \
		__typeof__(arr) b_ =                                      \
		    conf_grow((conf), (loc), (arr), (n), sizeof(*(arr))); \
		__typeof__(arr) e_ = NULL;                                \
		if (b_ != NULL) {                                         \
			(arr) = b_;                                       \
			e_ = &b_[(n)++];                                  \
			memset(e_, 0, sizeof(*e_));                       \
		}                                                         \
		e_;                                                       \
	})

/* strdup that aborts when out of memory; NULL stays NULL. */
char *conf_strdup(const char *s);

/*
 * New elements with the defaults of the model's format (keepalived's for
 * CONF_FMT_KEEPALIVED; the same except where the YAML schema says
 * otherwise). The name is copied.
 */
struct conf_instance *conf_add_instance(struct conf *conf,
    const struct conf_loc *loc, const char *name);
struct conf_check *conf_add_check(struct conf *conf, const struct conf_loc *loc,
    const char *name, enum conf_check_kind kind);
struct conf_track_file *conf_add_track_file(struct conf *conf,
    const struct conf_loc *loc, const char *name);
struct conf_track_process *conf_add_track_process(struct conf *conf,
    const struct conf_loc *loc, const char *name);
struct conf_sync_group *conf_add_sync_group(struct conf *conf,
    const struct conf_loc *loc, const char *name);

/*
 * After a front end: apply global defaults that instances did not override
 * (version, garp, flags), derive each instance's family from its VIPs and
 * its sync group name. Pure; adds diags for contradictions it cannot
 * resolve (an IPv6 instance with version 2 written, mixed families).
 */
void conf_finish(struct conf *conf);
/* sync_group.c: the group's tracks on its members, their own weights 0
 * unless kept (after the members' sync_group is set). */
void conf_finish_sync_groups(struct conf *conf);

/*
 * Weights against the peers' priorities that one file knows: conf was
 * loaded as one node, peer as the node with config id peer_id (keepalived
 * @ID lines). Warns when a failure can never hand the addresses over.
 */
void conf_check_peer_weights(struct conf *conf, const struct conf *peer,
    const char *peer_id);

/* ---- conf_routes.c: routes, rules and static addresses ---- */

struct conf_rt_ctx;

/* Which list a route or rule line is in (for messages and defaults). */
enum conf_rt_kind {
	CONF_RTK_VROUTE = 0, /* virtual_routes */
	CONF_RTK_VRULE,	     /* virtual_rules */
	CONF_RTK_SROUTE,     /* static_routes */
	CONF_RTK_SRULE,	     /* static_rules */
};

/*
 * Parse one line, split into ntok tokens at locs (ntok >= 1 locations;
 * locs[0] also when ntok is 0), into *out (a struct conf_route for the
 * route kinds, a struct conf_rule for the others), with its warnings and
 * error as diags at the token they are about. True when out is usable.
 */
bool conf_rt_tokens(struct conf *conf, enum conf_rt_kind kind,
    struct conf_rt_ctx *ctx, const char *const *tok, size_t ntok,
    const struct conf_loc *locs, void *out);
/* The same for a line still in one piece (a YAML scalar) at loc. */
bool conf_rt_line(struct conf *conf, enum conf_rt_kind kind,
    struct conf_rt_ctx *ctx, const char *text, const struct conf_loc *loc,
    void *out);

/* Free the lists of an instance and of the global block (either NULL). */
void conf_routes_free(struct conf_instance *in, struct conf_global *g);
bool conf_routes_instance_eq(const struct conf_instance *a,
    const struct conf_instance *b);
bool conf_routes_global_eq(const struct conf_global *a,
    const struct conf_global *b);
/*
 * conf_finish() for in (the interfaces its tracked routes and rules make
 * it track), or, with in NULL, for the static addresses (default_interface).
 */
void conf_routes_finish(struct conf *conf, struct conf_instance *in);
/* One of conf_validate's rules. */
void conf_routes_validate(struct conf *conf);

/* ---- vmac.c: use_vmac ---- */

/*
 * keepalived's MAC syntax: 6 octets, or 5 (*vrid_last: the VRID is the
 * 6th), hex, colon-separated. Returns 0, or -1 for anything else.
 */
int conf_vmac_parse_mac(const char *s, uint8_t mac[6], bool *vrid_last);
/* The kernel's rule for an interface name (dev_valid_name()). */
bool conf_ifname_valid(const char *name);
/*
 * After the instances' families are known: each VMAC's MAC and name
 * (keepalived's derivation), vmac_xmit_base forced with unicast and
 * cleared with strict mode (warnings, as keepalived), errors for names
 * that clash.
 */
void conf_vmac_finish(struct conf *conf);
bool conf_vmac_equal(const struct conf_vmac *a, const struct conf_vmac *b);

/* ---- validate.c ---- */

/* Every rule over a finished model; adds all errors and warnings. */
void conf_validate(struct conf *conf, const struct conf_opts *opts);

/* validate_registry.c: the registry block, one of conf_validate's rules. */
void conf_validate_registry(struct conf *conf);

/*
 * live.c, only with --check-live: the interfaces the model names exist on
 * this host, and the registry's auth_file is one vrrpd can use (the checks
 * that read the host, kept out of the pure rules).
 */
void conf_check_live(struct conf *conf);

/* ---- values shared by both front ends (model.c) ---- */

enum conf_dur_unit {
	CONF_UNIT_S = 0, /* a bare number is seconds (keepalived) */
	CONF_UNIT_MS,	 /* a bare number is milliseconds */
};

/*
 * Parse a duration: a number with an optional fraction and unit "ms", "s",
 * "m" ("1.5", "100ms", "2s"); a bare number is in unit. Result in
 * microseconds, at most max_us. Returns 0, or -1 (with *why set to a short
 * reason) when malformed or out of range.
 */
int conf_parse_duration(const char *text, enum conf_dur_unit unit,
    uint64_t max_us, uint64_t *out_us, const char **why);

/* Integer in [min, max], decimal; 0 or -1 with *why set. */
int conf_parse_int(const char *text, long long min, long long max,
    long long *out, const char **why);

/* on/off/true/false/yes/no (case-insensitive); 0 or -1. */
int conf_parse_bool(const char *text, bool *out);

/*
 * "ADDR" or "ADDR/PREFIX"; a missing prefix is the full length. 0, or -1
 * with *why set.
 */
int conf_parse_prefix(const char *text, struct addr *addr, uint8_t *prefix,
    const char **why);

/* scope names of ip(8): global, site, link, host, nowhere, or a number. */
int conf_parse_scope(const char *text, uint8_t *scope);
const char *conf_scope_name(uint8_t scope);

/*
 * Levenshtein distance between a and b, or max when it is max or more: for
 * "did you mean" suggestions on unknown keywords.
 */
unsigned int conf_edit_distance(const char *a, const char *b, unsigned int max);

/*
 * "Did you mean" for an unknown word: offer each candidate name with
 * conf_suggest(); .best is then the closest one within an edit distance
 * of 2, or NULL. Start from CONF_SUGGESTION_INIT.
 */
struct conf_suggestion {
	const char *best;
	unsigned int dist;
};
#define CONF_SUGGESTION_INIT \
	{                    \
		NULL, 3      \
	}
void conf_suggest(struct conf_suggestion *sg, const char *word,
    const char *candidate);

/* ---- front ends (yaml.c, keepalived.c) ---- */

/*
 * Parse buf[0..len), named name, into conf (made by conf_new with the
 * matching format). They only add to the model and its diags; conf_load_*
 * then finishes and validates.
 */
void conf_parse_yaml(struct conf *conf, const char *name, const char *buf,
    size_t len);
void conf_parse_keepalived(struct conf *conf, const char *name, const char *buf,
    size_t len, const struct conf_opts *opts);

#endif /* VRRPD_CONF_PRIV_H */
