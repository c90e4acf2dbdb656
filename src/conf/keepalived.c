/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived.conf front end: statements from the tokenizer (kalex.c), one
 * static keyword table per block (grammar as data), into the model.
 * Keywords that cannot change VRRP behaviour are warned about once;
 * keywords that would change it but are not implemented are errors naming
 * the keyword; unknown keywords are errors. Nothing is ignored silently.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kaparse.h"

/* ---- reading statements ---- */

static bool
peek(struct kparse *p)
{
	if (!p->have && !p->eof) {
		if (kalex_next(p->lx, &p->tok) == 1)
			p->have = true;
		else
			p->eof = true;
	}
	return p->have;
}

static bool
is_brace(const struct kalex_tok *t, char c)
{
	return !t->quoted && t->len == 1 && t->text[0] == c;
}

static void
stmt_clear(struct stmt *st)
{
	free(st->kwtext);
	for (size_t i = 0; i < st->nargs; i++)
		free(st->args[i]);
	memset(st, 0, sizeof(*st));
}

/*
 * Read the next statement of the current block into *st: a keyword, the
 * arguments up to the end of its line, and a block flag when "{" follows.
 * Returns 1, or 0 at "}" (consumed) or at the end of input.
 */
static int
next_stmt(struct kparse *p, struct stmt *st)
{
	memset(st, 0, sizeof(*st));
	if (!peek(p))
		return 0;
	p->have = false;
	if (is_brace(&p->tok, '}')) {
		p->after_brace = true;
		return 0;
	}
	st->kw = p->tok;
	st->kwtext = conf_strdup(p->tok.text);
	p->after_brace = false;
	while (peek(p) && !p->tok.bol && !is_brace(&p->tok, '}')) {
		p->have = false;
		if (is_brace(&p->tok, '{')) {
			st->block = true;
			p->after_brace = true;
			break;
		}
		if (st->nargs == MAX_ARGS) {
			conf_diag(p->conf, &p->tok.loc, CONF_ERROR,
			    "%s: more than %d arguments", st->kwtext, MAX_ARGS);
			continue;
		}
		st->locs[st->nargs] = p->tok.loc;
		st->args[st->nargs++] = conf_strdup(p->tok.text);
	}
	/* "keyword\n{" : the brace may open the block on the next line. */
	if (!st->block && peek(p) && is_brace(&p->tok, '{') && p->tok.bol) {
		p->have = false;
		st->block = true;
	}
	/* A token after "{" on the same line starts the first statement. */
	if (p->have && st->block)
		p->tok.bol = true;
	return 1;
}

/* Skip the rest of a block whose "{" was consumed. */
void
ka_skip_block(struct kparse *p)
{
	struct stmt st;

	while (next_stmt(p, &st) == 1) {
		if (st.block)
			ka_skip_block(p);
		stmt_clear(&st);
	}
}

const struct conf_loc *
ka_arg_loc(const struct stmt *st, size_t i)
{
	return i < st->nargs ? &st->locs[i] : &st->kw.loc;
}

void
ka_err(struct kparse *p, const struct conf_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_vdiag(p->conf, loc, CONF_ERROR, fmt, ap);
	va_end(ap);
}

/* ---- generic handlers ---- */

bool
ka_get_int(struct kparse *p, struct stmt *st, size_t i, long long lo,
    long long hi, long long *v)
{
	const char *why;

	if (conf_parse_int(st->args[i], lo, hi, v, &why) == 0)
		return true;
	ka_err(p, ka_arg_loc(st, i), "%s: %s: \"%s\" (expected %lld..%lld)",
	    st->kwtext, why, st->args[i], lo, hi);
	return false;
}

void
ka_u8(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	long long v;

	if (ka_get_int(p, st, 0, kw->lo, kw->hi, &v))
		*FIELD(obj, kw, uint8_t) = (uint8_t)v;
}

void
ka_u32(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	long long v;

	if (ka_get_int(p, st, 0, kw->lo, kw->hi, &v))
		*FIELD(obj, kw, uint32_t) = (uint32_t)v;
}

/* A flag: bare means true; an argument is a boolean. */
void
ka_flag(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	bool v = true;

	if (st->nargs == 1 && conf_parse_bool(st->args[0], &v) != 0) {
		ka_err(p, ka_arg_loc(st, 0), "%s: expected on/off, got \"%s\"",
		    st->kwtext, st->args[0]);
		return;
	}
	*FIELD(obj, kw, bool) = v;
}

/* The opposite flag: nopreempt, no_accept. */
void
ka_noflag(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	(void)p;
	(void)st;
	*FIELD(obj, kw, bool) = false;
}

void
ka_str(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	char **f = FIELD(obj, kw, char *);

	(void)p;
	free(*f);
	*f = conf_strdup(st->args[0]);
}

void
ka_ifname(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	if (strlen(st->args[0]) >= CONF_IFNAMSIZ) {
		ka_err(p, ka_arg_loc(st, 0),
		    "%s: interface name \"%s\" longer than "
		    "%d characters",
		    st->kwtext, st->args[0], CONF_IFNAMSIZ - 1);
		return;
	}
	strcpy(FIELD(obj, kw, char), st->args[0]);
}

/* Seconds with fractions (keepalived), stored in milliseconds. */
void
ka_secs_ms(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	uint64_t us;
	const char *why;

	if (conf_parse_duration(st->args[0], CONF_UNIT_S,
		(uint64_t)kw->hi * 1000000, &us, &why) != 0) {
		ka_err(p, ka_arg_loc(st, 0),
		    "%s: %s: \"%s\" (expected seconds, "
		    "0..%lld)",
		    st->kwtext, why, st->args[0], kw->hi);
		return;
	}
	if (us % 1000 != 0) {
		ka_err(p, ka_arg_loc(st, 0),
		    "%s: \"%s\" is finer than a "
		    "millisecond",
		    st->kwtext, st->args[0]);
		return;
	}
	*FIELD(obj, kw, uint32_t) = (uint32_t)(us / 1000);
}

void
ka_addr(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	if (addr_parse(st->args[0], FIELD(obj, kw, struct addr)) != 0)
		ka_err(p, ka_arg_loc(st, 0), "%s: \"%s\" is not an IP address",
		    st->kwtext, st->args[0]);
}

/*
 * Parsed and warned about once per keyword (not at every instance that
 * repeats it): it cannot change VRRP behaviour.
 */
void
ka_warn(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	size_t i;

	(void)obj;
	for (i = 0; i < p->nwarned; i++)
		if (strcmp(p->warned[i], kw->name) == 0)
			break;
	if (i == p->nwarned) {
		conf_diag(p->conf, &st->kw.loc, CONF_WARNING,
		    "%s: ignored (%s)", st->kwtext, kw->what);
		if (p->nwarned < sizeof(p->warned) / sizeof(p->warned[0]))
			p->warned[p->nwarned++] = kw->name;
	}
	if (st->block)
		ka_skip_block(p);
}

/* Recognised, changes behaviour, not implemented: an error. */
void
ka_reject(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	(void)obj;
	ka_err(p, &st->kw.loc, "%s: not supported by vrrpd%s%s", st->kwtext,
	    kw->what != NULL ? ": " : "", kw->what != NULL ? kw->what : "");
	if (st->block)
		ka_skip_block(p);
}

static void parse_block(struct kparse *p, const struct stmt *open,
    const struct kw *table, void *obj);

void
ka_block(struct kparse *p, struct stmt *st, void *obj, const struct kw *kw)
{
	parse_block(p, st, kw->sub, obj);
}

static void unterminated(struct kparse *p, const struct stmt *open);

/* Items of a list block: each line is ITEM [options]. */
void
ka_parse_items(struct kparse *p, const struct stmt *open, void *obj,
    ka_item_fn *fn)
{
	struct stmt st;

	while (next_stmt(p, &st) == 1) {
		if (st.block) {
			ka_err(p, &st.kw.loc, "%s: unexpected '{' in a list",
			    st.kwtext);
			ka_skip_block(p);
		} else
			fn(p, &st, obj);
		stmt_clear(&st);
	}
	unterminated(p, open);
}

/* ---- blocks ---- */

static const struct kw *
lookup(const struct kw *table, const char *name)
{
	for (const struct kw *kw = table; kw->name != NULL; kw++)
		if (strcmp(kw->name, name) == 0)
			return kw;
	return NULL;
}

static void
unknown(struct kparse *p, struct stmt *st, const struct kw *table,
    const char *where)
{
	struct conf_suggestion sg = CONF_SUGGESTION_INIT;

	for (const struct kw *kw = table; kw->name != NULL; kw++)
		conf_suggest(&sg, st->kwtext, kw->name);
	if (sg.best != NULL)
		ka_err(p, &st->kw.loc,
		    "unknown keyword \"%s\" in %s (did you mean \"%s\"?)",
		    st->kwtext, where, sg.best);
	else if (table == ka_sync_group_kws && st->nargs == 0 && !st->block)
		/* keepalived 1.x style, still in its lvs_syncd sample. */
		ka_err(p, &st->kw.loc,
		    "unknown keyword \"%s\" in %s (list instances in a "
		    "group { } block)",
		    st->kwtext, where);
	else
		ka_err(p, &st->kw.loc, "unknown keyword \"%s\" in %s",
		    st->kwtext, where);
}

/* Checks shape (argument count, block) before running the handler. */
static void
run_kw(struct kparse *p, struct stmt *st, const struct kw *kw, void *obj)
{
	bool wants = (kw->flags & KW_BLOCK) != 0;
	bool may = wants || (kw->flags & KW_MAYBE_BLOCK) != 0;

	if (wants && !st->block && st->nargs > 0)
		ka_err(p, &st->kw.loc, "%s: expected a { } block, got \"%s\"",
		    st->kwtext, st->args[0]);
	else if (st->nargs < kw->min || st->nargs > kw->max) {
		if (kw->min == kw->max)
			ka_err(p, &st->kw.loc,
			    "%s: expects %u argument%s, got "
			    "%zu",
			    st->kwtext, kw->min, kw->min == 1 ? "" : "s",
			    st->nargs);
		else
			ka_err(p, &st->kw.loc,
			    "%s: expects %u to %u "
			    "arguments, got %zu",
			    st->kwtext, kw->min, kw->max, st->nargs);
	} else if (wants && !st->block)
		ka_err(p, &st->kw.loc, "%s: expected a { } block", st->kwtext);
	else if (st->block && !may)
		ka_err(p, &st->kw.loc, "%s: takes no { } block", st->kwtext);
	else {
		kw->fn(p, st, obj, kw);
		return;
	}
	if (st->block)
		ka_skip_block(p);
}

/* At the end of input inside a block: name the block and where it began. */
static void
unterminated(struct kparse *p, const struct stmt *open)
{
	if (p->eof)
		ka_err(p, &open->kw.loc,
		    "%s: missing '}' (the file ends inside "
		    "this block)",
		    open->kwtext);
}

static void
parse_block(struct kparse *p, const struct stmt *open, const struct kw *table,
    void *obj)
{
	const struct kw *kw;
	struct stmt st;

	while (next_stmt(p, &st) == 1) {
		if ((kw = lookup(table, st.kwtext)) == NULL) {
			unknown(p, &st, table, open->kwtext);
			if (st.block)
				ka_skip_block(p);
		} else {
			run_kw(p, &st, kw, obj);
			if (kw->own != 0)
				((struct conf_instance *)obj)->own |= kw->own;
		}
		stmt_clear(&st);
	}
	unterminated(p, open);
}

/* ---- top level ---- */

static const char *
block_name(struct kparse *p, struct stmt *st)
{
	if (st->nargs != 1) {
		ka_err(p, &st->kw.loc, "%s: expects a name, got %zu arguments",
		    st->kwtext, st->nargs);
		return NULL;
	}
	if (!st->block) {
		ka_err(p, &st->kw.loc, "%s %s: expected a { } block",
		    st->kwtext, st->args[0]);
		return NULL;
	}
	return st->args[0];
}

/*
 * virtual_server blocks and the SSL block of their SSL_GET checkers: LVS,
 * handled by another process or an error.
 */
static void
top_lvs(struct kparse *p, struct stmt *st)
{
	if (!p->conf->global.lvs_elsewhere)
		ka_err(p, &st->kw.loc,
		    "%s: LVS is not handled by vrrpd; run "
		    "vrrpd with -P (or global lvs_elsewhere) "
		    "when another process manages LVS",
		    st->kwtext);
	else if (!p->lvs_warned) {
		conf_diag(p->conf, &st->kw.loc, CONF_WARNING,
		    "%s: LVS blocks skipped (LVS is handled elsewhere)",
		    st->kwtext);
		p->lvs_warned = true;
	}
	if (st->block)
		ka_skip_block(p);
}

static void
top_named(struct kparse *p, struct stmt *st)
{
	const char *name = block_name(p, st);
	struct conf *conf = p->conf;
	const char *what = st->kwtext;
	void *obj = NULL;
	const struct kw *table = NULL;

	if (name == NULL) {
		if (st->block)
			ka_skip_block(p);
		return;
	}
	if (strcmp(what, "vrrp_instance") == 0) {
		obj = conf_add_instance(conf, &st->kw.loc, name);
		table = ka_instance_kws;
	} else if (strcmp(what, "vrrp_script") == 0) {
		obj =
		    conf_add_check(conf, &st->kw.loc, name, CONF_CHECK_SCRIPT);
		table = ka_script_kws;
	} else if (strcmp(what, "vrrp_track_process") == 0) {
		obj = conf_add_track_process(conf, &st->kw.loc, name);
		table = ka_track_process_kws;
	} else if (strcmp(what, "vrrp_sync_group") == 0) {
		obj = conf_add_sync_group(conf, &st->kw.loc, name);
		table = ka_sync_group_kws;
	} else {
		obj = conf_add_track_file(conf, &st->kw.loc, name);
		table = ka_track_file_kws;
	}
	size_t nerrors = conf->nerrors;

	if (obj == NULL) {
		ka_skip_block(p);
		return;
	}
	parse_block(p, st, table, obj);
	/* Spare the user rules that would only repeat those errors. */
	if (table == ka_instance_kws && conf->nerrors != nerrors)
		((struct conf_instance *)obj)->parse_errors = true;
}

static const char *const top_named_kws[] = { "vrrp_instance", "vrrp_script",
	"vrrp_track_process", "vrrp_sync_group", "track_file",
	"vrrp_track_file", NULL };

/*
 * keepalived reads these outside global_defs (its "root" keywords); the
 * process-wide ones are also accepted inside it (keepalived_kws.c).
 */
const struct kw ka_top_kws[] = {
	{ "net_namespace", ka_str, G(net_namespace), A1 },
	WARN("net_namespace_ipvs", NO_LVS),
	WARN("namespace_with_ipsets", NO_FW),
	REJECT("instance", NO_INSTANCE),
	WARN("use_pid_dir", NO_PID_DIR),
	WARN("linkbeat_use_polling", NO_LINKBEAT),
	WARN("child_wait_time", NO_CHILDREN),
	{ "static_ipaddress", ka_static_addrs, BLOCK },
	{ "static_routes", ka_static_routes, .lo = CONF_RTK_SROUTE, BLOCK },
	{ "static_rules", ka_static_routes, .lo = CONF_RTK_SRULE, BLOCK },
	REJECT("track_group",
	    "static addresses, routes and rules are not tied to instances; "
	    "track their interfaces in those instances with "
	    "track_interface"),
	REJECT("bfd_instance", NO_BFD),
	REJECT("garp_group",
	    "GARP groups are not implemented; vrrp_garp_interval and "
	    "vrrp_gna_interval space the messages on every interface"),
	WARN("linkbeat_interfaces", NO_LINKBEAT),
	REJECT("interface_up_down_delays",
	    "link debouncing is not implemented; a vrrp_script reading the "
	    "carrier, with rise and fall, damps a flapping link instead"),
	{ .name = NULL },
};

static void
unknown_top(struct kparse *p, const struct stmt *st)
{
	static const char *const known[] = { "global_defs", "vrrp_instance",
		"vrrp_script", "vrrp_track_process", "vrrp_sync_group",
		"track_file", "virtual_server", NULL };
	struct conf_suggestion sg = CONF_SUGGESTION_INIT;

	for (size_t i = 0; known[i] != NULL; i++)
		conf_suggest(&sg, st->kwtext, known[i]);
	if (sg.best != NULL)
		ka_err(p, &st->kw.loc,
		    "unknown top-level keyword \"%s\" (did you mean \"%s\"?)",
		    st->kwtext, sg.best);
	else
		ka_err(p, &st->kw.loc, "unknown top-level keyword \"%s\"",
		    st->kwtext);
}

static void
parse_top(struct kparse *p)
{
	static const struct kw global_block = { "global_defs", ka_block,
		.sub = ka_global_kws, .what = "global_defs", BLOCK };
	const struct kw *kw;
	struct stmt st;
	size_t i;

	for (;;) {
		if (next_stmt(p, &st) == 0) {
			if (p->eof)
				break;
			ka_err(p, &p->tok.loc, "unmatched '}'");
			continue;
		}
		for (i = 0; top_named_kws[i] != NULL; i++)
			if (strcmp(st.kwtext, top_named_kws[i]) == 0)
				break;
		if (top_named_kws[i] != NULL)
			top_named(p, &st);
		else if (strcmp(st.kwtext, "global_defs") == 0)
			run_kw(p, &st, &global_block, &p->conf->global);
		else if (strncmp(st.kwtext, "virtual_server", 14) == 0 ||
		    strcmp(st.kwtext, "SSL") == 0)
			top_lvs(p, &st);
		else if ((kw = lookup(ka_top_kws, st.kwtext)) != NULL)
			run_kw(p, &st, kw, &p->conf->global);
		else {
			unknown_top(p, &st);
			if (st.block)
				ka_skip_block(p);
		}
		stmt_clear(&st);
	}
}

void
conf_parse_keepalived(struct conf *conf, const char *name, const char *buf,
    size_t len, const struct conf_opts *opts)
{
	struct kparse p;

	memset(&p, 0, sizeof(p));
	p.conf = conf;
	p.opts = opts;
	p.rt.lookup = conf_rt_names_files;
	p.lx = kalex_new(conf, name, buf, len, opts->config_id);
	if (p.lx == NULL)
		return;
	parse_top(&p);
	kalex_free(p.lx);
}
