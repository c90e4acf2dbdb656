/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the registry's codec: the JSON helpers the record files share
 * (json.c). Decoding helpers validate one member each and name it in the
 * phrase they leave in why; encoding helpers return -1 on any failure so a
 * caller can OR them together.
 */

#ifndef VRRPD_REGISTRY_PRIV_H
#define VRRPD_REGISTRY_PRIV_H

#include <json-c/json.h>

#include "vrrpd/registry.h"

/* Where a decoder is: the phrase buffer and the path to the object. */
struct reg_dec {
	char *why;
	size_t whylen;
	char path[48]; /* "" at the top, "parts[2]." inside an entry */
};

/* reg_dec_enter() into an object member rather than an array entry. */
#define REG_NO_INDEX ((size_t)-1)

/* Fills out from the members of the record object o. */
typedef enum registry_err reg_members_fn(const struct reg_dec *d,
    json_object *o, void *out);

/* String rules for reg_get_str() (bits). */
#define REG_STR_NONEMPTY 0x1 /* at least one byte */
#define REG_STR_NAME	 0x2 /* registry_name_valid() */
#define REG_STR_HEX	 0x4 /* hex digits only */

/*
 * Writes "member \"<path><member>\"<phrase>" into why (just the phrase
 * when member is NULL; the path without its dot when member is "", for an
 * array entry); returns e.
 */
enum registry_err reg_fail(const struct reg_dec *d, enum registry_err e,
    const char *member, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* child: parent's path plus member (and "[index]") and a dot. */
void reg_dec_enter(const struct reg_dec *parent, struct reg_dec *child,
    const char *member, size_t index);

/*
 * Parse buf[0..len) (at most max bytes) as one JSON object with "v": 1.
 * On REGISTRY_OK *obj holds a reference the caller puts.
 */
enum registry_err reg_parse(const char *buf, size_t len, size_t max,
    json_object **obj, const struct reg_dec *d);

/*
 * A whole decoder: zero out (outsize bytes), parse, let fn fill it; on an
 * error zero it again. why is cleared first.
 */
enum registry_err reg_decode(const char *buf, size_t len, size_t max, void *out,
    size_t outsize, reg_members_fn *fn, char *why, size_t whylen);

/*
 * The member of type t; REGISTRY_E_MEMBER when missing or of another type,
 * unless optional: then absent or null gives REGISTRY_OK and *v NULL.
 */
enum registry_err reg_get(const struct reg_dec *d, json_object *o,
    const char *member, enum json_type t, bool optional, json_object **v);

enum registry_err reg_get_str(const struct reg_dec *d, json_object *o,
    const char *member, char *dst, size_t size, unsigned int rules);
/* A string value v (an array entry) under the label member. */
enum registry_err reg_str_value(const struct reg_dec *d, json_object *v,
    const char *member, char *dst, size_t size, unsigned int rules);
enum registry_err reg_get_int(const struct reg_dec *d, json_object *o,
    const char *member, int64_t min, int64_t max, int64_t *out);
enum registry_err reg_get_time(const struct reg_dec *d, json_object *o,
    const char *member, uint64_t *out);
enum registry_err reg_get_bool(const struct reg_dec *d, json_object *o,
    const char *member, bool *out);
enum registry_err reg_get_addr(const struct reg_dec *d, json_object *o,
    const char *member, bool optional, struct addr *out);
enum registry_err reg_get_state(const struct reg_dec *d, json_object *o,
    const char *member, enum vrrp_state *out);
/* An array of at most max entries; *n its length. */
enum registry_err reg_get_array(const struct reg_dec *d, json_object *o,
    const char *member, size_t max, json_object **arr, size_t *n);
/* {"addr": ..., "prefix": ...} checked against the address's family. */
enum registry_err reg_prefix_value(const struct reg_dec *d, json_object *o,
    struct addr *addr, uint8_t *prefix);

/* Encoding: each returns 0, or -1 (nothing added). */
int reg_add(json_object *o, const char *key, json_object *v);
/* Append v (NULL: -1) to the array arr. */
int reg_array_add(json_object *arr, json_object *v);
int reg_add_str(json_object *o, const char *key, const char *s, size_t size);
int reg_add_int(json_object *o, const char *key, int64_t v);
int reg_add_bool(json_object *o, const char *key, bool v);
int reg_add_addr(json_object *o, const char *key, const struct addr *a);
int reg_add_state(json_object *o, const char *key, enum vrrp_state s);
/* A new object {"v": 1}, or NULL. */
json_object *reg_new_record(void);
/* {"addr": ..., "prefix": ...} or NULL; the prefix must fit the family. */
json_object *reg_prefix_new(const struct addr *a, uint8_t prefix);
/* True when s is terminated within size bytes. */
bool reg_str_ok(const char *s, size_t size);
/* The largest prefix length for the address's family (0 when none). */
uint8_t reg_prefix_max(const struct addr *a);

/*
 * Write o into buf as plain JSON when rc is 0 and it fits; put o either
 * way. Returns the length or -1.
 */
int reg_finish(json_object *o, int rc, char *buf, size_t size);

/*
 * The end of an encoder: n is reg_finish()'s result; the output must
 * decode (into scratch, scratch_size bytes, with fn). Returns n, or -1
 * with buf emptied.
 */
int reg_encoded(int n, char *buf, size_t size, size_t max, void *scratch,
    size_t scratch_size, reg_members_fn *fn);

/* Up to 40 bytes of s[0..n) for a phrase, unprintable ones as '?'. */
const char *reg_printable(const char *s, size_t n, char *buf, size_t size);

/* whylen > 0: empty why. */
void reg_why_clear(char *why, size_t whylen);

/* ---- cluster analysis (cluster.c, splitbrain.c) ---- */

/* Copy src into dst[size], truncated, always terminated. */
void reg_copy(char *dst, size_t size, const char *src);

/*
 * The next flag of rep, zeroed, with its kind, instance name and node (each
 * may be NULL); NULL, counted in flags_dropped, when rep is full.
 */
struct registry_flag *reg_flag_new(struct registry_report *rep,
    enum registry_flag_kind kind, const char *name, const char *node);

/* The split-brain pass of registry_cluster_analyze() (c sorted). */
void reg_sb_pass(const struct registry_cluster *c, struct registry_sb_state *sb,
    uint64_t now_us, struct registry_report *rep);

#endif /* VRRPD_REGISTRY_PRIV_H */
