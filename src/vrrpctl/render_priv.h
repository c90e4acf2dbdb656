/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside vrrpctl's renderers (render*.c, text.c): tolerant access to the
 * reply's members, and text layout (column tables, wrapped lines).
 */

#ifndef VRRPD_VRRPCTL_RENDER_PRIV_H
#define VRRPD_VRRPCTL_RENDER_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "vrrpctl.h"

/* ANSI colours; "" when colour is off. */
#define RC_GREEN  "\033[32m"
#define RC_YELLOW "\033[33m"
#define RC_RED	  "\033[31m"
#define RC_DIM	  "\033[2m"
#define RC_BOLD	  "\033[1m"
#define RC_RESET  "\033[0m"

/*
 * One rendering. The renderers write to out (a memory buffer, shown only
 * when the reply was well formed) and note the first problem in bad.
 */
struct rctx {
	FILE *out;
	FILE *err;
	const struct ctl_req *req;
	bool color;
	int width;
	uint64_t now_ms;   /* wall clock, Unix ms; 0: unknown */
	bool oom;	   /* out of memory somewhere */
	char bad[160];	   /* the first problem with the reply, "" none */
	const char *where; /* the object being read ("VI_1"), or NULL */
};

/* Note a problem with the reply (only the first is kept). */
void rc_bad(struct rctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Members of o, with their protocol types. The "n" forms are for members
 * that may be null: missing or null gives NULL / false without a problem;
 * the others note "member KEY missing" when absent. A member of the wrong
 * type is always a problem. o may be NULL (a parent that was bad): no
 * further problem is noted. Strings are never NULL for the required forms
 * ("" on a problem); integers are 0 on a problem.
 */
const char *rc_str(struct rctx *c, json_object *o, const char *key);
const char *rc_nstr(struct rctx *c, json_object *o, const char *key);
int64_t rc_int(struct rctx *c, json_object *o, const char *key);
bool rc_nint(struct rctx *c, json_object *o, const char *key, int64_t *v);
bool rc_bool(struct rctx *c, json_object *o, const char *key);
/* A boolean that may be missing or null: *v false then, returns false. */
bool rc_nbool(struct rctx *c, json_object *o, const char *key, bool *v);
json_object *rc_obj(struct rctx *c, json_object *o, const char *key);
json_object *rc_nobj(struct rctx *c, json_object *o, const char *key);
/* An array member; its length in *n (0 on a problem). */
json_object *rc_arr(struct rctx *c, json_object *o, const char *key, size_t *n);
json_object *rc_narr(struct rctx *c, json_object *o, const char *key,
    size_t *n);
/* Element i of an array, which must be an object (a string: rc_elem_str). */
json_object *rc_elem_obj(struct rctx *c, json_object *arr, size_t i);
const char *rc_elem_str(struct rctx *c, json_object *arr, size_t i);
/* Every string of an array joined by sep: malloc'd, NULL on a problem. */
char *rc_join(struct rctx *c, json_object *arr, size_t n, const char *sep);
/* A non-negative integer as unsigned; a negative one is a problem. */
uint64_t rc_ms(struct rctx *c, json_object *o, const char *key);
bool rc_nms(struct rctx *c, json_object *o, const char *key, uint64_t *v);

/* "an integer", "a string", ... for messages about a member's type. */
const char *rc_type_name(enum json_type t);

/* The colour of a state ("MASTER", "down", ...), NULL for none. */
const char *rc_state_color(const char *state);

/* The renderers: one per command (render_status.c, render_stats.c,
 * render_cluster.c). */
int render_status(struct rctx *c, json_object *reply);
int render_stats(struct rctx *c, json_object *reply);
int render_checks(struct rctx *c, json_object *reply);
/*
 * cluster: the table of every instance and node (or, for a request with
 * history, the transitions), the flags, the unreadable znodes and a
 * footer. Tolerant past the envelope (see vrrpctl_render()): never notes
 * a problem in c->bad; ages from c->now_ms. Returns VRRPCTL_EXIT_OK.
 */
int render_cluster(struct rctx *c, json_object *reply);

/* ---- text.c: layout ---- */

#define TBL_COLS 8

/* A column: its heading and how it gives way when the table is too wide. */
struct tbl_col {
	const char *head;
	bool right;  /* right aligned (numbers) */
	bool shrink; /* may be cut to fit the width ("~" marks the cut) */
	bool wrap;   /* the last column: may be wrapped at spaces instead */
};

struct tbl_note;

struct tbl_row {
	char *cell[TBL_COLS];		/* malloc'd; NULL prints as "" */
	const char *color[TBL_COLS];	/* an RC_ colour or NULL */
	struct tbl_note *notes, **tail; /* lines under the row */
};

/* A table: rows of cells under headings, plus wrapped lines under rows. */
struct tbl {
	const struct tbl_col *cols;
	size_t ncols;
	size_t indent;	       /* spaces before every line */
	bool header;	       /* print the headings */
	size_t minw[TBL_COLS]; /* columns at least this wide */
	struct tbl_row *rows;
	size_t nrows, cap;
	bool oom;
};

void tbl_init(struct tbl *t, const struct tbl_col *cols, size_t ncols);
/* Start a row; the cells that are not set stay empty. */
void tbl_row(struct tbl *t);
/* Set a cell of the last row (control characters become '?'). */
void tbl_cell(struct tbl *t, size_t col, const char *color, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
/*
 * Add a line under the last row: indent spaces, then label and text,
 * wrapped at the width with continuation lines under the text.
 */
void tbl_note(struct tbl *t, size_t indent, const char *color,
    const char *label, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/*
 * Print the table, fitted to width: columns that may shrink or wrap give
 * way, widest first, down to their heading (at least 4). Colours only
 * when color is true; widths count what is visible, never the escape
 * codes.
 */
void tbl_print(const struct tbl *t, FILE *f, bool color, int width);
void tbl_free(struct tbl *t);

/*
 * Print indent spaces, label, then text wrapped at width (at spaces, or
 * cut when a word is longer than a line), continuation lines indented to
 * where the text began. color (NULL: none) wraps the text.
 */
void text_wrap(FILE *f, size_t indent, const char *label, const char *text,
    const char *color, int width);

/* The number of characters s shows (UTF-8 sequences count once). */
size_t text_width(const char *s);
/* Replace control characters in s with '?'. */
void text_clean(char *s);

#endif /* VRRPD_VRRPCTL_RENDER_PRIV_H */
