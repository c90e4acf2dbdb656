/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every keepalived keyword has an answer (issue #13): keepalived's own
 * keyword list, read from the keepalived.conf(5) that Debian's keepalived
 * 2.2.7 package installs, is fed to the parser keyword by keyword, each
 * in its block, and none may be an "unknown keyword": each is supported,
 * warned about (it cannot change VRRP behaviour) or rejected (with the
 * reason and the alternative). And vrrpd(8)'s keyword tables list every
 * keyword the tables know, in the right section and block.
 */

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_priv.h"
#include "kaparse.h"

#define KA_MAN	 "/usr/share/man/man5/keepalived.conf.5.gz"
#define VRRPD_8	 "man/vrrpd.8"
#define MAX_KWS	 1024
#define MAX_DOCS 2048

/* A keyword in its block: "" (top level), "global_defs", "a/b". */
struct ka_kw {
	char ctx[96];
	char name[64];
};

static struct ka_kw kws[MAX_KWS];
static size_t nkws;

/*
 * keepalived 2.2.7 parses these (core/global_parser.c,
 * vrrp/vrrp_parser.c, trackers/track_file.c) but its man page does not
 * list them: old spellings and synonyms.
 */
static const struct ka_kw undocumented[] = {
	{ "", "vrrp_track_file" },
	{ "global_defs", "bfd_rlimit_rtime" },
	{ "global_defs", "checker_rlimit_rtime" },
	{ "global_defs", "vrrp_rlimit_rtime" },
	{ "global_defs", "enable_snmp_keepalived" },
	{ "global_defs", "lvs_flush_onstop" },
	{ "global_defs", "lvs_process_name" },
	{ "global_defs", "vrrp_vmac_garp_intvl" },
	{ "vrrp_instance", "lvs_sync_daemon_interface" },
	{ "vrrp_instance", "notify_deleted" },
	{ "vrrp_instance", "vmac_garp_intvl" },
	{ "vrrp_track_file", "file" },
	{ "vrrp_track_file", "weight" },
	{ "vrrp_track_file", "init_file" },
	{ "bfd_instance", "neighbour_ip" },
};

static void
add_kw(const char *ctx, const char *name, size_t len)
{
	struct ka_kw *k;

	for (size_t i = 0; i < nkws; i++)
		if (strcmp(kws[i].ctx, ctx) == 0 &&
		    strlen(kws[i].name) == len &&
		    strncmp(kws[i].name, name, len) == 0)
			return;
	ck_assert_uint_lt(nkws, MAX_KWS);
	k = &kws[nkws++];
	snprintf(k->ctx, sizeof(k->ctx), "%s", ctx);
	snprintf(k->name, sizeof(k->name), "%.*s", (int)len, name);
}

/* Blocks whose lines are keywords (not lists of names or addresses). */
static bool
keyword_block(const char *name)
{
	static const char *const blocks[] = { "global_defs", "vrrp_instance",
		"vrrp_script", "vrrp_track_process", "vrrp_sync_group",
		"track_file", "bfd_instance", "garp_group", "authentication",
		NULL };

	for (size_t i = 0; blocks[i] != NULL; i++)
		if (strcmp(blocks[i], name) == 0)
			return true;
	return false;
}

/* The line without font escapes (\fB \fR \fI \fP, \e) and comment. */
static void
clean_line(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = in; *p != '\0' && n + 1 < size; p++) {
		if (p[0] == '\\' && p[1] == 'f' && p[2] != '\0') {
			p += 2;
			continue;
		}
		if (p[0] == '\\' && p[1] == 'e') {
			p++;
			continue;
		}
		if (*p == '#' && n > 0 && isspace((unsigned char)out[n - 1]))
			break;
		out[n++] = *p;
	}
	out[n] = '\0';
}

/* The context path: the open blocks joined with '/'. */
static void
ctx_of(char stack[][64], size_t depth, char *buf, size_t size)
{
	size_t n = 0;
	int len;

	buf[0] = '\0';
	for (size_t i = 0; i < depth && n < size; i++) {
		len = snprintf(buf + n, size - n, "%s%s", i > 0 ? "/" : "",
		    stack[i]);
		if (len < 0)
			break;
		n += (size_t)len;
	}
}

/*
 * One line of an example block (.nf ... .fi): a keyword is the first word
 * of a line, bold (\fB) as the page writes them, or a bare lower-case
 * word with an underscore inside a keyword block (disable_local_igmp,
 * param_match) or opening a top-level block (interface_up_down_delays).
 */
static void
read_example_line(const char *line, char stack[][64], size_t *depth)
{
	char clean[1024], ctx[96];
	const char *s = line, *w;
	size_t len = 0;
	int net = 0;
	bool bold, lower = true, underscore = false;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0' || *s == '#' || *s == '.')
		return;
	bold = strncmp(s, "\\fB", 3) == 0;
	clean_line(s, clean, sizeof(clean));
	for (const char *p = clean; *p != '\0'; p++)
		net += *p == '{' ? 1 : *p == '}' ? -1 : 0;
	w = clean;
	if (isalpha((unsigned char)*w))
		while (isalnum((unsigned char)w[len]) || w[len] == '_' ||
		    w[len] == '-' || w[len] == '|') {
			lower &= !isupper((unsigned char)w[len]);
			underscore |= w[len] == '_';
			len++;
		}
	if (len > 0 && len < 64) {
		bool take = bold ||
		    (lower && underscore &&
			(*depth > 0 ? keyword_block(stack[*depth - 1]) :
				      net > 0));

		ctx_of(stack, *depth, ctx, sizeof(ctx));
		/* HTTP_GET|SSL_GET: each */
		for (size_t i = 0, b = 0; take && i <= len; i++)
			if (i == len || w[i] == '|') {
				add_kw(ctx, w + b, i - b);
				b = i + 1;
			}
	}
	for (; net > 0 && *depth < 16; net--, (*depth)++) {
		size_t n = len > 0 ? strcspn(w, "|") : 1;

		snprintf(stack[*depth], 64, "%.*s", (int)(n < len ? n : len),
		    len > 0 ? w : "?");
	}
	for (; net < 0 && *depth > 0; net++)
		(*depth)--;
}

/*
 * keepalived.conf(5)'s keywords with their blocks, from the sections that
 * configure something (GLOBAL CONFIGURATION up to ADVANCED
 * CONFIGURATION, which only shows the syntax features).
 */
static void
read_keepalived_man(void)
{
	char stack[16][64], *line = NULL;
	size_t depth = 0, cap = 0;
	bool on = false, nf = false;
	FILE *f;

	ck_assert_msg(access(KA_MAN, R_OK) == 0,
	    "%s is missing: the keyword list comes from Debian's keepalived "
	    "package (make check runs tools/bootstrap, which installs it, man "
	    "page included even where dpkg excludes /usr/share/man)",
	    KA_MAN);
	f = popen("zcat " KA_MAN, "r");
	ck_assert_ptr_nonnull(f);
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".SH", 3) == 0) {
			on = (on || strstr(line, "GLOBAL CONFIGURATION")) &&
			    strstr(line, "ADVANCED CONFIGURATION") == NULL;
			depth = 0;
			nf = false;
		} else if (strncmp(line, ".nf", 3) == 0)
			nf = true;
		else if (strncmp(line, ".fi", 3) == 0)
			nf = false;
		else if (on && nf)
			read_example_line(line, stack, &depth);
	}
	free(line);
	ck_assert_int_eq(pclose(f), 0);
	for (size_t i = 0; i < sizeof(undocumented) / sizeof(undocumented[0]);
	     i++)
		add_kw(undocumented[i].ctx, undocumented[i].name,
		    strlen(undocumented[i].name));
}

enum kw_class {
	KC_SUPPORTED = 0,
	KC_WARNED,
	KC_REJECTED,
	KC_LVS, /* inside virtual_server: another process's (-P) */
	KC_UNKNOWN,
};

static const char *const class_names[] = { "supported", "warned", "rejected",
	"LVS", "unknown" };

static bool
named_block(const char *name)
{
	static const char *const named[] = { "vrrp_instance", "vrrp_script",
		"vrrp_track_process", "vrrp_sync_group", "track_file",
		"vrrp_track_file", "bfd_instance", "track_group", NULL };

	for (size_t i = 0; named[i] != NULL; i++)
		if (strcmp(named[i], name) == 0)
			return true;
	return false;
}

static bool
lvs_block(const char *ctx)
{
	return strncmp(ctx, "virtual_server", 14) == 0 ||
	    strncmp(ctx, "SSL", 3) == 0;
}

/* keyword k written in its block, with the blocks around it. */
static void
snippet(const struct ka_kw *k, char *buf, size_t size)
{
	char ctx[96], *save = NULL, *part;
	size_t depth = 0, n;

	buf[0] = '\0';
	if (lvs_block(k->ctx)) {
		snprintf(buf, size, "%s {\n%s\n}\n",
		    strncmp(k->ctx, "SSL", 3) == 0 ?
			"SSL" :
			"virtual_server 192.0.2.1 80",
		    k->name);
		return;
	}
	snprintf(ctx, sizeof(ctx), "%s", k->ctx);
	for (part = strtok_r(ctx, "/", &save); part != NULL;
	     part = strtok_r(NULL, "/", &save), depth++) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s {\n", part,
		    depth == 0 && named_block(part) ? " T" : "");
	}
	n = strlen(buf);
	snprintf(buf + n, size - n, "%s\n", k->name);
	while (depth-- > 0) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "}\n");
	}
}

static bool
diag_has(const struct conf *conf, enum conf_sev sev, const char *needle)
{
	for (size_t i = 0; i < conf->ndiags; i++)
		if (conf->diags[i].sev == sev &&
		    strstr(conf->diags[i].msg, needle) != NULL)
			return true;
	return false;
}

/* What vrrpd answers keyword k with, in its block. */
static enum kw_class
classify(const struct ka_kw *k, char *text, size_t size)
{
	char want[160];
	struct conf *conf;
	enum kw_class c = KC_SUPPORTED;

	snippet(k, text, size);
	conf = conf_load_mem("kw.conf", text, strlen(text), NULL);
	ck_assert_ptr_nonnull(conf);
	snprintf(want, sizeof(want), "%s: ignored (", k->name);
	if (diag_has(conf, CONF_ERROR, "unknown keyword") ||
	    diag_has(conf, CONF_ERROR, "unknown top-level keyword"))
		c = KC_UNKNOWN;
	else if (diag_has(conf, CONF_ERROR, "LVS is not handled by vrrpd"))
		c = KC_LVS;
	else if (diag_has(conf, CONF_ERROR, "not supported by vrrpd"))
		c = KC_REJECTED;
	else if (diag_has(conf, CONF_WARNING, want))
		c = KC_WARNED;
	conf_free(conf);
	return c;
}

START_TEST(every_keepalived_keyword_is_supported_warned_or_rejected)
{
	size_t count[KC_UNKNOWN + 1] = { 0 };
	char text[1024], *bad = NULL;
	size_t badlen = 0;
	FILE *b = open_memstream(&bad, &badlen);

	read_keepalived_man();
	/* A parse that found next to nothing proves nothing. */
	ck_assert_uint_gt(nkws, 300);
	for (size_t i = 0; i < nkws; i++) {
		enum kw_class c = classify(&kws[i], text, sizeof(text));

		count[c]++;
		if (c == KC_UNKNOWN)
			fprintf(b, "  %s in %s: unknown keyword\n", kws[i].name,
			    kws[i].ctx[0] != '\0' ? kws[i].ctx : "top level");
	}
	fclose(b);
	printf("keepalived.conf(5): %zu keywords in their blocks: %zu "
	       "supported, %zu warned, %zu rejected, %zu LVS (skipped with "
	       "-P), %zu unknown\n",
	    nkws, count[KC_SUPPORTED], count[KC_WARNED], count[KC_REJECTED],
	    count[KC_LVS], count[KC_UNKNOWN]);
	fflush(stdout);
	ck_assert_msg(count[KC_UNKNOWN] == 0,
	    "keywords keepalived knows and vrrpd does not:\n%s", bad);
	free(bad);
}
END_TEST

/* The keyword extraction itself, on keywords known to be there. */
START_TEST(man_page_reading_finds_keywords_in_their_blocks)
{
	static const struct ka_kw expect[] = {
		{ "", "net_namespace" },
		{ "", "interface_up_down_delays" },
		{ "global_defs", "vrrp_notify_priority_changes" },
		{ "global_defs", "disable_local_igmp" },
		{ "global_defs", "startup_script_timeout" },
		{ "global_defs", "vrrp_rlimit_rttime" },
		{ "vrrp_track_process", "delay" },
		{ "vrrp_track_process", "param_match" },
		{ "vrrp_instance", "notify_priority_changes" },
		{ "vrrp_instance/authentication", "auth_pass" },
		{ "vrrp_sync_group", "notify_priority_changes" },
		{ "SSL", "certificate" },
	};
	char text[1024];

	read_keepalived_man();
	for (size_t e = 0; e < sizeof(expect) / sizeof(expect[0]); e++) {
		size_t i;

		for (i = 0; i < nkws; i++)
			if (strcmp(kws[i].ctx, expect[e].ctx) == 0 &&
			    strcmp(kws[i].name, expect[e].name) == 0)
				break;
		ck_assert_msg(i < nkws, "%s in \"%s\" not found",
		    expect[e].name, expect[e].ctx);
	}
	/* A list block's entries are not keywords. */
	for (size_t i = 0; i < nkws; i++)
		ck_assert_msg(strcmp(kws[i].name, "eth0") != 0,
		    "eth0 taken for a keyword in %s", kws[i].ctx);
	/* The snippet puts a keyword in its blocks. */
	snippet(&expect[9], text, sizeof(text));
	ck_assert_str_eq(text,
	    "vrrp_instance T {\nauthentication {\nauth_pass\n}\n}\n");
}
END_TEST

/* ---- vrrpd(8)'s tables ---- */

/* A keyword as vrrpd(8) lists it: section, block ("" top level), name. */
struct doc_kw {
	enum kw_class section;
	char block[32];
	char name[64];
};

static struct doc_kw docs[MAX_DOCS];
static size_t ndocs;

static bool
is_macro(const char *w)
{
	return strlen(w) >= 2 && strlen(w) <= 3 &&
	    isupper((unsigned char)w[0]) && islower((unsigned char)w[1]);
}

/* The .Ic words of one line: after Ic, up to the next macro. */
static void
doc_line(const char *line, enum kw_class section, const char *block)
{
	char buf[512], *save = NULL;
	bool in_ic = false;

	snprintf(buf, sizeof(buf), "%s", line + 1);
	for (char *w = strtok_r(buf, " ,", &save); w != NULL;
	     w = strtok_r(NULL, " ,", &save)) {
		if (strcmp(w, "Ic") == 0) {
			in_ic = true;
			continue;
		}
		if (is_macro(w)) {
			in_ic = false;
			continue;
		}
		if (!in_ic || !(isalpha((unsigned char)w[0]) || w[0] == '_'))
			continue;
		ck_assert_uint_lt(ndocs, MAX_DOCS);
		docs[ndocs].section = section;
		snprintf(docs[ndocs].block, sizeof(docs[0].block), "%s", block);
		snprintf(docs[ndocs].name, sizeof(docs[0].name), "%s", w);
		ndocs++;
	}
}

/*
 * vrrpd(8), KEEPALIVED COMPATIBILITY: each of .Ss Supported, Warned about
 * and Rejected opens with a list of blocks, ".It Ic BLOCK" (or ".It top
 * level"), whose keywords are the .Ic words of the item (Supported, Warned)
 * or the heads of a nested list, ".It Ic KEYWORD , KEYWORD" (Rejected,
 * where the item bodies give the reasons). What follows that first list
 * is prose.
 */
static void
read_vrrpd_man(void)
{
	enum kw_class section = KC_UNKNOWN;
	char block[32] = "", *line = NULL;
	size_t cap = 0, depth = 0;
	bool done = false;
	FILE *f = fopen(VRRPD_8, "r");

	ck_assert_msg(f != NULL, "cannot read %s", VRRPD_8);
	ndocs = 0;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".Ss ", 4) == 0 ||
		    strncmp(line, ".Sh ", 4) == 0) {
			section = strcmp(line, ".Ss Supported") == 0 ?
			    KC_SUPPORTED :
			    strcmp(line, ".Ss Warned about") == 0 ? KC_WARNED :
			    strcmp(line, ".Ss Rejected") == 0 ? KC_REJECTED :
								KC_UNKNOWN;
			block[0] = '\0';
			depth = 0;
			done = false;
		} else if (section == KC_UNKNOWN || done)
			continue;
		else if (strncmp(line, ".Bl", 3) == 0)
			depth++;
		else if (strncmp(line, ".El", 3) == 0 && depth > 0)
			done = --depth == 0;
		else if (depth == 1 && strncmp(line, ".It Ic ", 7) == 0)
			snprintf(block, sizeof(block), "%.*s",
			    (int)strcspn(line + 7, " "), line + 7);
		else if (depth == 1 && strncmp(line, ".It", 3) == 0)
			block[0] = '\0'; /* ".It top level" */
		else if ((depth == 1 && strncmp(line, ".Ic ", 4) == 0) ||
		    (depth > 1 && strncmp(line, ".It Ic ", 7) == 0))
			doc_line(line, section, block);
	}
	free(line);
	fclose(f);
}

static enum kw_class
table_class(const struct kw *kw)
{
	return kw->fn == ka_warn ? KC_WARNED :
	    kw->fn == ka_reject	 ? KC_REJECTED :
				   KC_SUPPORTED;
}

static bool
documented(enum kw_class section, const char *block, const char *name)
{
	for (size_t i = 0; i < ndocs; i++)
		if (docs[i].section == section &&
		    strcmp(docs[i].block, block) == 0 &&
		    strcmp(docs[i].name, name) == 0)
			return true;
	return false;
}

static const struct {
	const char *block;
	const struct kw *table;
} tables[] = {
	{ "", ka_top_kws },
	{ "global_defs", ka_global_kws },
	{ "vrrp_instance", ka_instance_kws },
	{ "vrrp_script", ka_script_kws },
	{ "vrrp_track_process", ka_track_process_kws },
	{ "track_file", ka_track_file_kws },
	{ "vrrp_sync_group", ka_sync_group_kws },
};

START_TEST(vrrpd_8_lists_every_keyword_in_its_section_and_block)
{
	size_t n[KC_UNKNOWN] = { 0 };

	read_vrrpd_man();
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct kw *kw = tables[t].table; kw->name != NULL;
		     kw++) {
			enum kw_class c = table_class(kw);

			n[c]++;
			ck_assert_msg(documented(c, tables[t].block, kw->name),
			    "%s: %s in %s is %s, and the \"%s\" list of that "
			    "block does not have it",
			    VRRPD_8, kw->name,
			    tables[t].block[0] != '\0' ? tables[t].block :
							 "the top level",
			    class_names[c], class_names[c]);
		}
	printf("vrrpd keyword tables: %zu supported, %zu warned, %zu "
	       "rejected, all in %s\n",
	    n[KC_SUPPORTED], n[KC_WARNED], n[KC_REJECTED], VRRPD_8);
	fflush(stdout);
}
END_TEST

/* And the other way: the man page lists nothing the tables say otherwise. */
START_TEST(vrrpd_8_lists_no_keyword_in_the_wrong_section)
{
	read_vrrpd_man();
	for (size_t i = 0; i < ndocs; i++) {
		const struct kw *table = NULL;
		const struct kw *kw = NULL;

		if (docs[i].block[0] == '\0')
			continue; /* the prose after "Top level:" names more */
		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
			if (strcmp(tables[t].block, docs[i].block) == 0)
				table = tables[t].table;
		if (table == NULL)
			continue;
		for (kw = table; kw->name != NULL; kw++)
			if (strcmp(kw->name, docs[i].name) == 0)
				break;
		ck_assert_msg(kw->name != NULL,
		    "%s lists %s in %s, which vrrpd does not know there",
		    VRRPD_8, docs[i].name, docs[i].block);
		ck_assert_msg(table_class(kw) == docs[i].section,
		    "%s lists %s in %s as %s; it is %s", VRRPD_8, docs[i].name,
		    docs[i].block, class_names[docs[i].section],
		    class_names[table_class(kw)]);
	}
}
END_TEST

/*
 * A warning says why the keyword cannot change VRRP behaviour; a
 * rejection says why and what to do instead. Not yet: the two keywords of
 * the sync group and static address work under way (issue #13).
 */
START_TEST(warnings_and_rejections_give_a_reason)
{
	static const char *const pending[] = { "sync_group_tracking_weight",
		NULL };

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct kw *kw = tables[t].table; kw->name != NULL;
		     kw++) {
			size_t p = 0;

			if (kw->fn != ka_warn && kw->fn != ka_reject)
				continue;
			while (pending[p] != NULL &&
			    strcmp(pending[p], kw->name) != 0)
				p++;
			ck_assert_msg(kw->what != NULL || pending[p] != NULL,
			    "%s in %s: %s without a reason", kw->name,
			    tables[t].block,
			    kw->fn == ka_warn ? "warned" : "rejected");
		}
}
END_TEST

/* ---- the keywords issue #13 implements, and its corrections ---- */

static struct conf *
load_str(const char *name, const char *text, const struct conf_opts *opts)
{
	struct conf *conf = conf_load_mem(name, text, strlen(text), opts);

	ck_assert_ptr_nonnull(conf);
	return conf;
}

/* Every diag, one per line, for messages. */
static char *
diags_of(const struct conf *conf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	conf_print_diags(conf, f);
	fclose(f);
	return buf;
}

/* The model as YAML and back: the same model (the migration path). */
static void
assert_round_trip(const struct conf *conf)
{
	char *yaml = NULL, *d;
	size_t len = 0;
	FILE *f = open_memstream(&yaml, &len);
	struct conf *back;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(conf_emit_yaml(conf, f), 0);
	fclose(f);
	back = load_str("back.yaml", yaml, NULL);
	d = diags_of(back);
	ck_assert_msg(back->nerrors == 0, "%s\n%s", d, yaml);
	ck_assert_msg(conf_equal(conf, back), "not equal after:\n%s", yaml);
	free(d);
	free(yaml);
	conf_free(back);
}

#define UNICAST_NO_IFACE                            \
	"vrrp_instance U {\n virtual_router_id 7\n" \
	" unicast_peer {\n  192.0.2.2\n }\n"        \
	" virtual_ipaddress {\n  192.0.2.70/24\n"   \
	"  192.0.2.71/24 dev eth2\n }\n}\n"

START_TEST(default_interface_takes_addresses_without_dev)
{
	struct conf *with = load_str("d.conf",
	    "global_defs {\n default_interface eth9\n}\n" UNICAST_NO_IFACE,
	    NULL);
	struct conf *without = load_str("d.conf", UNICAST_NO_IFACE, NULL);
	const struct conf_instance *in = &with->instances[0];
	char *d = diags_of(with);

	ck_assert_msg(with->nerrors == 0, "%s", d);
	ck_assert_str_eq(in->interface, "");
	ck_assert_str_eq(in->vips[0].dev, "eth9");
	ck_assert_str_eq(in->vips[1].dev, "eth2"); /* its own */
	assert_round_trip(with);
	/* keepalived's eth0 is not assumed: an error naming the fix */
	ck_assert_uint_eq(without->nerrors, 1);
	ck_assert(diag_has(without, CONF_ERROR,
	    "interface is required (an address has no dev, and there is no "
	    "default_interface)"));
	free(d);
	conf_free(with);
	conf_free(without);
}
END_TEST

START_TEST(default_interface_leaves_an_instance_interface_alone)
{
	struct conf *conf = load_str("d.conf",
	    "global_defs {\n default_interface eth9\n}\n"
	    "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
	    " virtual_ipaddress {\n  192.0.2.70/24\n }\n}\n",
	    NULL);

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert_str_eq(conf->instances[0].vips[0].dev, "");
	conf_free(conf);
}
END_TEST

START_TEST(prefix_lengths_of_source_and_peers_are_dropped_with_a_warning)
{
	struct conf *conf = load_str("p.conf",
	    "vrrp_instance U {\n interface eth0\n virtual_router_id 7\n"
	    " unicast_src_ip 192.0.2.1/24\n"
	    " unicast_peer {\n  192.0.2.2/24 min_ttl 250\n  192.0.2.3\n }\n"
	    " virtual_ipaddress {\n  192.0.2.70/24\n }\n}\n"
	    "vrrp_instance M {\n interface eth1\n virtual_router_id 8\n"
	    " mcast_src_ip 2001:db8::1/64\n"
	    " virtual_ipaddress {\n  2001:db8::70/64\n }\n}\n",
	    NULL);
	const struct conf_instance *u = &conf->instances[0];
	const struct conf_instance *m = &conf->instances[1];
	char buf[ADDR_STRLEN], *d = diags_of(conf);

	ck_assert_msg(conf->nerrors == 0, "%s", d);
	ck_assert(u->has_src);
	ck_assert_str_eq(addr_fmt(&u->src, buf, sizeof(buf)), "192.0.2.1");
	ck_assert_uint_eq(u->npeers, 2);
	ck_assert_str_eq(addr_fmt(&u->peers[0].addr, buf, sizeof(buf)),
	    "192.0.2.2");
	ck_assert_uint_eq(u->peers[0].min_ttl, 250);
	ck_assert_str_eq(addr_fmt(&m->src, buf, sizeof(buf)), "2001:db8::1");
	ck_assert(diag_has(conf, CONF_WARNING,
	    "unicast_src_ip: 192.0.2.1/24: prefix length /24 ignored"));
	ck_assert(diag_has(conf, CONF_WARNING,
	    "unicast_peer: 192.0.2.2/24: prefix length /24 ignored"));
	ck_assert(diag_has(conf, CONF_WARNING,
	    "mcast_src_ip: 2001:db8::1/64: prefix length /64 ignored"));
	free(d);
	conf_free(conf);
	/* a length that is no length is still an error */
	conf = load_str("p.conf",
	    "vrrp_instance U {\n interface eth0\n virtual_router_id 7\n"
	    " unicast_peer {\n  192.0.2.2/33\n }\n}\n",
	    NULL);
	ck_assert(diag_has(conf, CONF_ERROR, "unicast_peer: \"192.0.2.2/33\""));
	conf_free(conf);
}
END_TEST

/* keepalived gives 150, not 150 + 50, while eth0 is up. */
START_TEST(track_interface_on_the_own_interface_is_ignored_like_keepalived)
{
	struct conf *conf = load_str("t.conf",
	    "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
	    " priority 150\n"
	    " track_interface {\n  eth0 weight 50\n  eth1 weight -20\n }\n"
	    " virtual_ipaddress {\n  192.0.2.70/24\n }\n}\n",
	    NULL);
	const struct conf_instance *in = &conf->instances[0];
	struct conf *yaml;

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert_uint_eq(in->ntracks, 1);
	ck_assert_str_eq(in->tracks[0].name, "eth1");
	ck_assert(diag_has(conf, CONF_WARNING,
	    "(V) Ignoring track_interface eth0 since own interface"));
	ck_assert_uint_eq(conf->diags[0].loc.line, 6); /* the entry */
	conf_free(conf);
	/* YAML has no keepalived files to keep running: an error */
	yaml = load_str("t.yaml",
	    "instances:\n  V:\n    interface: eth0\n    vrid: 7\n"
	    "    track: [{ interface: eth0, weight: 50 }]\n"
	    "    virtual_ipaddress: [192.0.2.70/24]\n",
	    NULL);
	ck_assert(diag_has(yaml, CONF_ERROR,
	    "instance V: tracks its own interface eth0"));
	conf_free(yaml);
}
END_TEST

START_TEST(track_process_delay_sets_both_delays)
{
	struct conf *conf = load_str("t.conf",
	    "vrrp_track_process P {\n process haproxy\n delay 1.5\n}\n", NULL);
	const struct conf_track_process *tp = &conf->track_procs[0];

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert_uint_eq(tp->delay_ms, 1500);
	ck_assert_uint_eq(tp->terminate_delay_ms, 1500);
	ck_assert_uint_eq(tp->quorum_max, CONF_QUORUM_MAX_NONE);
	conf_free(conf);
	conf = load_str("t.conf",
	    "vrrp_track_process P {\n process haproxy\n delay 3601\n}\n", NULL);
	ck_assert_uint_eq(conf->nerrors, 1);
	ck_assert_uint_eq(conf->track_procs[0].delay_ms, 0);
	conf_free(conf);
}
END_TEST

/* keepalived.conf(5): "Setting this to 0 would mean failure if the
 * matching process were running at all". */
START_TEST(track_process_quorum_max_0_means_none_may_run)
{
	struct conf *conf = load_str("t.conf",
	    "vrrp_track_process P {\n process rescue-shell\n"
	    " quorum_max 0\n weight -50\n}\n"
	    "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
	    " track_process {\n  P\n }\n"
	    " virtual_ipaddress {\n  192.0.2.70/24\n }\n}\n",
	    NULL);
	char *d = diags_of(conf);

	ck_assert_msg(conf->nerrors == 0, "%s", d);
	ck_assert_uint_eq(conf->track_procs[0].quorum_max, 0);
	assert_round_trip(conf);
	free(d);
	conf_free(conf);
	/* with a quorum of 2 it contradicts itself, as in keepalived */
	conf = load_str("t.conf",
	    "vrrp_track_process P {\n process x\n quorum 2\n"
	    " quorum_max 0\n}\n",
	    NULL);
	ck_assert(
	    diag_has(conf, CONF_ERROR, "quorum_max 0 is less than quorum 2"));
	conf_free(conf);
}
END_TEST

START_TEST(notify_priority_changes_global_default_and_instance_own)
{
	struct conf *conf = load_str("n.conf",
	    "global_defs {\n vrrp_notify_priority_changes\n"
	    " vrrp_notify_fifo /run/vrrpd/vrrp.fifo\n"
	    " vrrp_notify_fifo_script \"/usr/local/bin/fifo-reader -v\" "
	    "nobody nogroup\n"
	    " notify_fifo /run/vrrpd/all.fifo\n"
	    " notify_fifo_script /usr/local/bin/all-reader\n}\n"
	    "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
	    " virtual_ipaddress {\n  192.0.2.70/24\n }\n}\n"
	    "vrrp_instance B {\n interface eth0\n virtual_router_id 8\n"
	    " notify_priority_changes off\n"
	    " virtual_ipaddress {\n  192.0.2.80/24\n }\n}\n",
	    NULL);
	const struct conf_global *g = &conf->global;
	char *d = diags_of(conf);

	ck_assert_msg(conf->nerrors == 0, "%s", d);
	ck_assert(conf->instances[0].notify_priority_changes);
	ck_assert(!conf->instances[1].notify_priority_changes);
	ck_assert_str_eq(g->vrrp_notify_fifo_script.cmd,
	    "/usr/local/bin/fifo-reader -v");
	ck_assert_str_eq(g->vrrp_notify_fifo_script.user, "nobody");
	ck_assert_str_eq(g->vrrp_notify_fifo_script.group, "nogroup");
	ck_assert_str_eq(g->notify_fifo_script.cmd,
	    "/usr/local/bin/all-reader");
	ck_assert_ptr_null(g->notify_fifo_script.user);
	assert_round_trip(conf);
	free(d);
	conf_free(conf);
	/* a reader script needs its FIFO */
	conf = load_str("n.conf",
	    "global_defs {\n vrrp_notify_fifo_script /bin/cat\n}\n", NULL);
	ck_assert(diag_has(conf, CONF_ERROR,
	    "vrrp_notify_fifo_script needs vrrp_notify_fifo"));
	conf_free(conf);
}
END_TEST

START_TEST(net_namespace_at_top_level_or_in_global_defs)
{
	struct conf *top = load_str("ns.conf", "net_namespace blue\n", NULL);
	struct conf *in =
	    load_str("ns.conf", "global_defs {\n net_namespace red\n}\n", NULL);
	struct conf *bad = load_str("ns.conf", "net_namespace ../etc\n", NULL);

	ck_assert_uint_eq(top->nerrors, 0);
	ck_assert_str_eq(top->global.net_namespace, "blue");
	ck_assert_uint_eq(in->nerrors, 0);
	ck_assert_str_eq(in->global.net_namespace, "red");
	assert_round_trip(in);
	ck_assert(diag_has(bad, CONF_ERROR, "net_namespace \"../etc\""));
	conf_free(top);
	conf_free(in);
	conf_free(bad);
}
END_TEST

START_TEST(ssl_block_is_lvs)
{
	const char *text = "SSL {\n password secret\n ca /etc/ca.pem\n}\n";
	struct conf_opts p = { .lvs_elsewhere = true };
	struct conf *without = load_str("s.conf", text, NULL);
	struct conf *with = load_str("s.conf", text, &p);

	ck_assert(diag_has(without, CONF_ERROR, "SSL: LVS is not handled"));
	ck_assert_uint_eq(with->nerrors, 0);
	conf_free(without);
	conf_free(with);
}
END_TEST

static Suite *
keywords_suite(void)
{
	Suite *s = suite_create("conf_keywords");
	TCase *tc = tcase_create("keepalived");

	tcase_add_test(tc, man_page_reading_finds_keywords_in_their_blocks);
	tcase_add_test(tc,
	    every_keepalived_keyword_is_supported_warned_or_rejected);
	suite_add_tcase(s, tc);
	tc = tcase_create("vrrpd_8");
	tcase_add_test(tc,
	    vrrpd_8_lists_every_keyword_in_its_section_and_block);
	tcase_add_test(tc, vrrpd_8_lists_no_keyword_in_the_wrong_section);
	tcase_add_test(tc, warnings_and_rejections_give_a_reason);
	suite_add_tcase(s, tc);
	tc = tcase_create("semantics");
	tcase_add_test(tc, default_interface_takes_addresses_without_dev);
	tcase_add_test(tc,
	    default_interface_leaves_an_instance_interface_alone);
	tcase_add_test(tc,
	    prefix_lengths_of_source_and_peers_are_dropped_with_a_warning);
	tcase_add_test(tc,
	    track_interface_on_the_own_interface_is_ignored_like_keepalived);
	tcase_add_test(tc, track_process_delay_sets_both_delays);
	tcase_add_test(tc, track_process_quorum_max_0_means_none_may_run);
	tcase_add_test(tc,
	    notify_priority_changes_global_default_and_instance_own);
	tcase_add_test(tc, net_namespace_at_top_level_or_in_global_defs);
	tcase_add_test(tc, ssl_block_is_lvs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(keywords_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
