/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived.conf preprocessor: @ID / @^ID conditional lines, $NAME
 * parameters (definitions, multi-line values, expansion with predefined
 * ${_NAME}s) and ~SEQ / ~LST line generators, applied to one line at a time.
 */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "kalex_priv.h"

#define KL_MAX_LEVELS	 32	     /* nested parameter expansions */
#define KL_MAX_GEN_LINES 10000	     /* lines ~SEQ/~LST may generate */
#define KL_MAX_GEN_NEST	 8	     /* ~SEQ/~LST prefixes on one line */
#define KL_MAX_WORK	 (16u << 20) /* bytes expanded for one physical line */

/*
 * What is left to scan of a line, reversed: the next byte is on top. A
 * parameter's value is pushed in place of the reference, so every byte is
 * scanned once and a newline in a value starts a line of its own.
 */
struct kl_stack {
	char *s;
	struct kl_pos *pos;
	size_t len, cap;
};

/* A parameter reference on top of the scan stack, and its value. */
struct kl_ref {
	size_t len;
	const char *val;
	size_t vlen;
};

/* ---- lines ---- */

static void
line_put(struct kl_line *ln, char c, struct kl_pos p)
{
	if (ln->len == ln->cap) {
		ln->cap = ln->cap < 16 ? 16 : ln->cap * 2;
		ln->s = kalex_realloc(ln->s, ln->cap + 1, 1);
		ln->pos = kalex_realloc(ln->pos, ln->cap, sizeof(*ln->pos));
	}
	ln->s[ln->len] = c;
	ln->pos[ln->len++] = p;
	ln->s[ln->len] = '\0';
}

static void
line_copy(struct kl_line *dst, const struct kl_line *src, size_t off, size_t n)
{
	kalex_line_make(dst, n, src->lineno);
	memcpy(dst->s, src->s + off, n);
	memcpy(dst->pos, src->pos + off, n * sizeof(*dst->pos));
}

/* ---- parameters ---- */

static struct kl_def *
def_find(struct kalex *lx, const char *name, size_t n)
{
	for (size_t i = 0; i < lx->ndefs; i++)
		if (strncmp(lx->defs[i].name, name, n) == 0 &&
		    lx->defs[i].name[n] == '\0')
			return &lx->defs[i];
	return NULL;
}

/* Define (or redefine) name; takes value, a malloc'd string. */
static void
def_set(struct kalex *lx, const char *name, size_t n, char *value, size_t vlen)
{
	struct kl_def *d;

	if ((d = def_find(lx, name, n)) == NULL) {
		lx->defs = kalex_realloc(lx->defs, lx->ndefs + 1, sizeof(*d));
		d = &lx->defs[lx->ndefs++];
		d->name = strndup(name, n);
		if (d->name == NULL)
			abort();
	} else
		free(d->value);
	d->value = value;
	d->vlen = vlen;
}

/* ${_PWD}: the directory of the file being read, absolute if possible. */
static const char *
pwd(struct kalex *lx)
{
	struct kl_src *src = &lx->src[lx->nsrc - 1];

	if (src->pwd == NULL && (src->pwd = realpath(src->dir, NULL)) == NULL)
		src->pwd = conf_strdup(src->dir);
	return src->pwd;
}

/* keepalived's predefined ${_NAME}s that do not depend on chance. */
static const char *
predefined(struct kalex *lx, const char *name, size_t n)
{
	static const struct {
		const char *name, *value;
	} fixed[] = { { "_HASH", "#" }, { "_BANG", "!" } };

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strlen(fixed[i].name) == n &&
		    memcmp(fixed[i].name, name, n) == 0)
			return fixed[i].value;
	if (n == 9 && memcmp(name, "_INSTANCE", n) == 0)
		return lx->config_id;
	if (n == 4 && memcmp(name, "_PWD", n) == 0)
		return pwd(lx);
	return NULL;
}

static bool
lookup(struct kalex *lx, const char *name, size_t n, bool braced,
    struct kl_ref *r)
{
	struct kl_def *d;

	if (braced && name[0] == '_' &&
	    (r->val = predefined(lx, name, n)) != NULL) {
		r->vlen = strlen(r->val);
		return true;
	}
	if ((d = def_find(lx, name, n)) == NULL)
		return false;
	r->val = d->value;
	r->vlen = d->vlen;
	return true;
}

/* ---- the scan stack ---- */

static void
stk_push(struct kl_stack *st, const char *s, size_t n, const struct kl_pos *pos,
    struct kl_pos p)
{
	if (st->len + n > st->cap) {
		while (st->len + n > st->cap)
			st->cap = st->cap < 64 ? 64 : st->cap * 2;
		st->s = kalex_realloc(st->s, st->cap, 1);
		st->pos = kalex_realloc(st->pos, st->cap, sizeof(*st->pos));
	}
	/* Last byte first, so that s[0] ends up on top. */
	for (size_t i = n; i-- > 0;) {
		st->s[st->len] = s[i];
		st->pos[st->len++] = pos != NULL ? pos[i] : p;
	}
}

/* The byte k places below the top, or -1. */
static int
stk_peek(const struct kl_stack *st, size_t k)
{
	return k < st->len ? (unsigned char)st->s[st->len - 1 - k] : -1;
}

static bool
stk_is(const struct kl_stack *st, const char *word)
{
	for (size_t k = 0; word[k] != '\0'; k++)
		if (stk_peek(st, k) != (unsigned char)word[k])
			return false;
	return true;
}

static size_t
stk_name_len(const struct kl_stack *st, size_t k)
{
	size_t n = 0;
	int c = stk_peek(st, k);

	if (c == -1 || !(isalpha(c) || c == '_'))
		return 0;
	while ((c = stk_peek(st, k + n)) != -1 && (isalnum(c) || c == '_'))
		n++;
	return n;
}

static void
stk_move(struct kl_stack *st, struct kl_line *out)
{
	st->len--;
	line_put(out, st->s[st->len], st->pos[st->len]);
}

static void
stk_skip_space(struct kl_stack *st)
{
	int c;

	while ((c = stk_peek(st, 0)) != -1 && kalex_is_space((char)c))
		st->len--;
}

/* The rest of the current line into ln; its newline is dropped. */
static void
stk_take_line(struct kl_stack *st, struct kl_line *ln, unsigned int lineno)
{
	kalex_line_make(ln, 0, lineno);
	while (st->len > 0 && st->s[st->len - 1] != '\n')
		stk_move(st, ln);
	if (st->len > 0)
		st->len--;
}

/* Count bytes expanded for one physical line; false past the bound. */
static bool
charge(struct kalex *lx, const struct conf_loc *loc, size_t n)
{
	lx->work += n;
	if (lx->work <= KL_MAX_WORK)
		return true;
	conf_diag(lx->conf, loc, CONF_ERROR,
	    "parameters and ~SEQ/~LST expand this line to more than %u bytes",
	    KL_MAX_WORK);
	lx->stop = true;
	return false;
}

/*
 * A defined reference on top: "$NAME" followed by whitespace or the end of
 * the line, or "${NAME}". Undefined ones stay as written (keepalived), so
 * scripts with '$' are left alone.
 */
static bool
ref_on_top(struct kalex *lx, const struct kl_stack *in, struct kl_ref *r)
{
	bool braced;
	size_t k, n;
	int c;

	if (stk_peek(in, 0) != '$')
		return false;
	braced = stk_peek(in, 1) == '{';
	k = braced ? 2 : 1;
	if ((n = stk_name_len(in, k)) == 0)
		return false;
	c = stk_peek(in, k + n);
	if (braced ? c != '}' :
		     c != -1 && c != '\n' && !kalex_is_space((char)c))
		return false;
	if (n >= lx->namecap) {
		lx->namecap = n + 1;
		lx->name = kalex_realloc(lx->name, lx->namecap, 1);
	}
	for (size_t i = 0; i < n; i++)
		lx->name[i] = (char)stk_peek(in, k + i);
	r->len = k + n + braced;
	return lookup(lx, lx->name, n, braced, r);
}

/* Replace the reference on top by its value, placed at the '$'. */
static bool
expand_top(struct kalex *lx, struct kl_stack *in, const struct kl_line *out,
    const struct kl_ref *r)
{
	struct kl_pos p = in->pos[in->len - 1];
	struct conf_loc loc = { lx->file, out->lineno, p.col };

	if (p.level >= KL_MAX_LEVELS) {
		conf_diag(lx->conf, &loc, CONF_ERROR,
		    "parameters nested more than %d levels deep",
		    KL_MAX_LEVELS);
		lx->stop = true;
		return false;
	}
	if (out->len + in->len - r->len + r->vlen > KALEX_MAX_EXPANSION) {
		conf_diag(lx->conf, &loc, CONF_ERROR,
		    "line expands to more than %d bytes", KALEX_MAX_EXPANSION);
		lx->stop = true;
		return false;
	}
	if (!charge(lx, &loc, r->vlen))
		return false;
	in->len -= r->len;
	p.level++;
	stk_push(in, r->val, r->vlen, NULL, p);
	return true;
}

/* Append the lines of a multi-line definition (each ending in \). */
static void
read_continuation(struct kalex *lx, struct kl_src *src, char **val,
    size_t *vlen)
{
	struct kl_line ln;
	struct conf_loc loc;
	bool more = true, warned = false;
	size_t b, e;

	while (more && kalex_read_phys(lx, src, &ln)) {
		b = kalex_skip_space(&ln, 0);
		e = ln.len;
		/* Blank lines neither end nor join a definition (keepalived). */
		more = e == b || ln.s[e - 1] == '\\';
		if (e > b && ln.s[e - 1] == '\\')
			while (--e > b && kalex_is_space(ln.s[e - 1]))
				;
		if (*vlen + e - b + 1 > KALEX_MAX_EXPANSION && !warned) {
			loc = kalex_loc_at(lx, &ln, b);
			conf_diag(lx->conf, &loc, CONF_ERROR,
			    "definition longer than %d bytes; truncated",
			    KALEX_MAX_EXPANSION);
			warned = true;
		}
		if (e > b && !warned) {
			*val = kalex_realloc(*val, *vlen + e - b + 2, 1);
			if (*vlen > 0)
				(*val)[(*vlen)++] = '\n';
			memcpy(*val + *vlen, ln.s + b, e - b);
			*vlen += e - b;
			(*val)[*vlen] = '\0';
		}
		kalex_line_free(&ln);
	}
}

/* A "$NAME=value" line: where the name and the value are. */
struct kl_defline {
	size_t name, n; /* the name */
	size_t v, e;	/* the value, trimmed, without a final \ */
	bool cont;	/* ends in \: the value goes on */
};

static bool
parse_define(const struct kl_line *ln, bool physical, struct kl_defline *d)
{
	size_t i = kalex_skip_space(ln, 0);
	const char *s = ln->s;

	if (i >= ln->len || s[i] != '$')
		return false;
	d->name = i + 1;
	d->n = kalex_name_len(s + d->name, ln->len - d->name);
	if (d->n == 0 || d->name + d->n >= ln->len || s[d->name + d->n] != '=')
		return false;
	d->v = kalex_skip_space(ln, d->name + d->n + 1);
	d->e = ln->len;
	while (d->e > d->v && kalex_is_space(s[d->e - 1]))
		d->e--;
	d->cont = physical && d->e > d->v && s[d->e - 1] == '\\';
	if (d->cont)
		while (--d->e > d->v && kalex_is_space(s[d->e - 1]))
			;
	return true;
}

/*
 * "$NAME=value": define NAME. With src (a line read from a file), a value
 * ending in \ continues on the next lines.
 */
static bool
try_define(struct kalex *lx, const struct kl_line *ln, struct kl_src *src)
{
	struct kl_defline d;
	size_t vlen;
	char *val;

	if (!parse_define(ln, src != NULL, &d))
		return false;
	vlen = d.e - d.v;
	val = kalex_mem_dup(ln->s + d.v, vlen);
	if (d.cont)
		read_continuation(lx, src, &val, &vlen);
	def_set(lx, ln->s + d.name, d.n, val, vlen);
	return true;
}

/* A multi-line definition dropped by @ID: its other lines go too. */
static void
skip_define(struct kalex *lx, const struct kl_line *ln, struct kl_src *src)
{
	struct kl_defline d;
	size_t vlen = 0;
	char *val = NULL;

	if (src == NULL || !parse_define(ln, true, &d) || !d.cont)
		return;
	read_continuation(lx, src, &val, &vlen);
	free(val);
}

/* "@ID " or "@^ID " on top: pop it; false when not for this config id. */
static bool
stk_cond(struct kalex *lx, struct kl_stack *in)
{
	const char *id = lx->config_id;
	char seen[CONF_MAX_ID];
	size_t n = 0, ns = 0;
	bool neg, match = true;
	int c;

	in->len--;
	if ((neg = stk_peek(in, 0) == '^'))
		in->len--;
	while ((c = stk_peek(in, 0)) != -1 && c != '\n' &&
	    !kalex_is_space((char)c)) {
		if (id[n] == '\0' || (unsigned char)id[n] != c)
			match = false;
		else
			n++;
		if (ns < sizeof(seen) - 1)
			seen[ns++] = (char)c;
		in->len--;
	}
	match = match && id[n] == '\0';
	seen[ns] = '\0';
	conf_note_config_id(lx->conf, seen);
	stk_skip_space(in);
	return match != neg;
}

/* ---- ~SEQ and ~LST ---- */

struct kl_item {
	const char *s;
	size_t n;
};

/* Split s[0, n) at commas outside braces, each item trimmed. */
static struct kl_item *
split_items(const char *s, size_t n, size_t *nitems)
{
	struct kl_item *it = NULL;
	size_t b = 0, e, depth = 0, k = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] == '{')
			depth++;
		else if (i < n && s[i] == '}' && depth > 0)
			depth--;
		if (i < n && (s[i] != ',' || depth > 0))
			continue;
		for (e = i; b < e && isspace((unsigned char)s[b]); b++)
			;
		while (e > b && isspace((unsigned char)s[e - 1]))
			e--;
		it = kalex_realloc(it, k + 1, sizeof(*it));
		it[k].s = s + b;
		it[k++].n = e - b;
		b = i + 1;
	}
	*nitems = k;
	return it;
}

/* One generated line: set the variables, process the rest of the line. */
static void
gen_emit(struct kalex *lx, const struct kl_line *ln, size_t rest,
    const struct kl_item *vars, const struct kl_item *vals, size_t n)
{
	struct kl_line copy;
	struct conf_loc loc = kalex_loc_at(lx, ln, kalex_skip_space(ln, 0));

	if (++lx->gen_lines > KL_MAX_GEN_LINES) {
		conf_diag(lx->conf, &loc, CONF_ERROR,
		    "~SEQ/~LST generate more than %d lines", KL_MAX_GEN_LINES);
		lx->stop = true;
		return;
	}
	if (!charge(lx, &loc, ln->len - rest))
		return;
	for (size_t i = 0; i < n; i++)
		def_set(lx, vars[i].s, vars[i].n,
		    kalex_mem_dup(vals[i].s, vals[i].n), vals[i].n);
	line_copy(&copy, ln, rest, ln->len - rest);
	kalex_expand_line(lx, &copy, NULL);
}

static bool
item_int(const struct kl_item *it, long long *v)
{
	char buf[32], *end;

	if (it->n == 0 || it->n >= sizeof(buf))
		return false;
	memcpy(buf, it->s, it->n);
	buf[it->n] = '\0';
	errno = 0;
	*v = strtoll(buf, &end, 0);
	return errno == 0 && *end == '\0' && *v > LLONG_MIN / 2 &&
	    *v < LLONG_MAX / 2;
}

/* ~SEQ(var, [start, [step,]] end): start 1 (or -1), step 1 (or -1). */
static const char *
gen_seq(struct kalex *lx, const struct kl_line *ln, size_t rest,
    const struct kl_item *it, size_t n, bool hex)
{
	long long v[3], start, step, end;
	char buf[32];
	struct kl_item val = { buf, 0 };

	if (n < 2 || n > 4 || kalex_name_len(it[0].s, it[0].n) != it[0].n)
		return "expected (VAR, [START, [STEP,]] END)";
	for (size_t i = 1; i < n; i++)
		if (!item_int(&it[i], &v[i - 1]))
			return "not an integer";
	end = v[n - 2];
	start = n > 2 ? v[0] : end > 0 ? 1 : end < 0 ? -1 : 0;
	step = n > 3 ? v[1] : end >= start ? 1 : -1;
	if (step == 0)
		return "the step is 0";
	for (long long x = start; step > 0 ? x <= end : x >= end; x += step) {
		if (!hex)
			val.n = (size_t)snprintf(buf, sizeof(buf), "%lld", x);
		else
			val.n = (size_t)snprintf(buf, sizeof(buf), "%s%llx",
			    x < 0 ? "-" : "", (unsigned long long)llabs(x));
		gen_emit(lx, ln, rest, &it[0], &val, 1);
		if (lx->stop)
			break;
	}
	return NULL;
}

static bool
is_group(const struct kl_item *it)
{
	return it->n >= 2 && it->s[0] == '{' && it->s[it->n - 1] == '}';
}

/* ~LST(var, v1, v2, ...) or ~LST({a, b}, {1, 2}, {3, 4}, ...). */
static const char *
gen_lst(struct kalex *lx, const struct kl_line *ln, size_t rest,
    const struct kl_item *it, size_t n)
{
	struct kl_item *vars, *vals;
	size_t nvars, nvals, i;
	const char *why = NULL;

	if (n < 2)
		return "expected (VAR, VALUE, ...)";
	if (is_group(&it[0]))
		vars = split_items(it[0].s + 1, it[0].n - 2, &nvars);
	else
		vars = split_items(it[0].s, it[0].n, &nvars);
	for (i = 0; i < nvars && why == NULL; i++)
		if (vars[i].n == 0 ||
		    kalex_name_len(vars[i].s, vars[i].n) != vars[i].n)
			why = "bad variable name";
	for (i = 1; i < n && why == NULL && !lx->stop; i++) {
		if (is_group(&it[i]))
			vals = split_items(it[i].s + 1, it[i].n - 2, &nvals);
		else
			vals = split_items(it[i].s, it[i].n, &nvals);
		if (nvals != nvars)
			why = "values do not match the variables";
		else
			gen_emit(lx, ln, rest, vars, vals, nvars);
		free(vals);
	}
	free(vars);
	return why;
}

/* A line starting "~SEQ(", "~SEQx(" or "~LST(": repeat the rest of it. */
static bool
try_generate(struct kalex *lx, const struct kl_line *ln)
{
	static const char *const kinds[] = { "~SEQ(", "~SEQx(", "~LST(" };
	size_t i = kalex_skip_space(ln, 0), k, open, n;
	const char *close, *why;
	struct kl_item *it;
	struct conf_loc loc = kalex_loc_at(lx, ln, i);

	for (k = 0; k < 3; k++)
		if (strncmp(ln->s + i, kinds[k], strlen(kinds[k])) == 0)
			break;
	if (k == 3)
		return false;
	open = i + strlen(kinds[k]);
	if ((close = memchr(ln->s + open, ')', ln->len - open)) == NULL) {
		conf_diag(lx->conf, &loc, CONF_ERROR, "%.4s: missing ')'",
		    kinds[k]);
		return true;
	}
	if (lx->gen_nest >= KL_MAX_GEN_NEST) {
		conf_diag(lx->conf, &loc, CONF_ERROR,
		    "more than %d ~SEQ/~LST on one line", KL_MAX_GEN_NEST);
		lx->stop = true;
		return true;
	}
	it = split_items(ln->s + open, (size_t)(close - ln->s) - open, &n);
	i = kalex_skip_space(ln, (size_t)(close - ln->s) + 1);
	lx->gen_nest++;
	if (k == 2)
		why = gen_lst(lx, ln, i, it, n);
	else
		why = gen_seq(lx, ln, i, it, n, k == 1);
	lx->gen_nest--;
	if (why != NULL)
		conf_diag(lx->conf, &loc, CONF_ERROR, "%.4s: %s", kinds[k],
		    why);
	free(it);
	return true;
}

/* ---- processing a line ---- */

static bool
starts_special(const struct kl_stack *in)
{
	size_t n;

	if (stk_is(in, "~SEQ(") || stk_is(in, "~SEQx(") || stk_is(in, "~LST("))
		return true;
	if (stk_peek(in, 0) != '$' || (n = stk_name_len(in, 1)) == 0)
		return false;
	return stk_peek(in, 1 + n) == '=';
}

/*
 * The start of a line, in keepalived's order: @ID, then a definition or a
 * ~SEQ/~LST. False when that used the line up.
 */
static bool
line_start(struct kalex *lx, struct kl_stack *in, unsigned int lineno,
    struct kl_src *src)
{
	struct kl_line ln;
	bool keep = true;

	stk_skip_space(in);
	if (stk_peek(in, 0) == '@')
		keep = stk_cond(lx, in);
	if (keep && !starts_special(in))
		return true;
	stk_take_line(in, &ln, lineno);
	if (!keep)
		skip_define(lx, &ln, src);
	else if (!try_define(lx, &ln, src))
		try_generate(lx, &ln);
	kalex_line_free(&ln);
	return false;
}

/*
 * Expand parameters left to right and kalex_tokenize; takes ln. A line whose
 * start came from a parameter is looked at again (a value may hold "@ID"
 * or a definition); each line of a multi-line value is a line of its own.
 * src: where a definition may continue (a line read from a file).
 */
void
kalex_expand_line(struct kalex *lx, struct kl_line *ln, struct kl_src *src)
{
	struct kl_stack in = { NULL, NULL, 0, 0 };
	struct kl_line out;
	struct kl_ref r;
	bool fresh = true, used;
	int c;

	stk_push(&in, ln->s, ln->len, ln->pos, (struct kl_pos) { 0, 0 });
	kalex_line_make(&out, 0, ln->lineno);
	while (!lx->stop) {
		if (fresh) {
			fresh = false;
			used = !line_start(lx, &in, out.lineno, src);
			src = NULL;
			if (used && in.len == 0)
				break;
			if (used) {
				fresh = true;
				continue;
			}
		}
		if ((c = stk_peek(&in, 0)) == -1 || c == '\n') {
			kalex_tokenize(lx, &out);
			out.len = 0;
			out.s[0] = '\0';
			if (c == -1)
				break;
			in.len--;
			fresh = true;
		} else if (ref_on_top(lx, &in, &r)) {
			if (!expand_top(lx, &in, &out, &r))
				break;
			fresh = out.len == 0;
		} else
			stk_move(&in, &out);
	}
	free(in.s);
	free(in.pos);
	kalex_line_free(&out);
	kalex_line_free(ln);
}
