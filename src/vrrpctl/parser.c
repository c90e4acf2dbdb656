/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl's command grammar, as tables of tokens (relayctl's parser.c). */

#include <sys/un.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vrrpctl.h"

enum tok_type {
	T_END = 0,  /* closes a table: .word the noun, .msg if nothing left */
	T_DONE,	    /* no word left: the command is complete */
	T_WORD,	    /* the keyword .word */
	T_NAME,	    /* an instance name: a word not starting with '-' */
	T_DURATION, /* any word, read as a duration */
	T_REFUSE,   /* the keyword .word is an error here: .msg */
	T_REFUSE_NAME, /* a name is an error here: .msg */
};

/* What a matched token does to the request. */
enum tok_act {
	A_NONE = 0,
	A_CMD, /* .value is the command */
	A_INSTANCE,
	A_ALL,
	A_CLEAR,
	A_FOR,
	A_CATEGORY, /* the word is the category */
	A_ON,
	A_OFF,
	A_HISTORY,
};

struct token {
	enum tok_type type;
	const char *word;
	enum tok_act act;
	int value;
	const struct token *next;
	const char *msg;
};

#define EXCL "--all and an instance name exclude each other"

static const struct token t_done[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_status[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_NAME, NULL, A_INSTANCE, 0, t_done, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_stats_name[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_NAME, NULL, A_INSTANCE, 0, t_done, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_stats_clear[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_WORD, "--clear", A_CLEAR, 0, t_done, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_stats[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_WORD, "--clear", A_CLEAR, 0, t_stats_name, NULL },
	{ T_NAME, NULL, A_INSTANCE, 0, t_stats_clear, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_for[] = {
	{ T_DURATION, NULL, A_FOR, 0, t_done, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, "--for needs a duration (e.g. 10m)" },
};

static const struct token t_demote_all[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_WORD, "--for", A_NONE, 0, t_for, NULL },
	{ T_REFUSE_NAME, NULL, A_NONE, 0, NULL, EXCL },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_demote_name[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_WORD, "--for", A_NONE, 0, t_for, NULL },
	{ T_REFUSE, "--all", A_NONE, 0, NULL, EXCL },
	{ T_REFUSE_NAME, NULL, A_NONE, 0, NULL, "one instance, or --all" },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_demote[] = {
	{ T_WORD, "--all", A_ALL, 0, t_demote_all, NULL },
	{ T_NAME, NULL, A_INSTANCE, 0, t_demote_name, NULL },
	{ T_REFUSE, "--for", A_NONE, 0, NULL,
	    "name an instance or --all before --for" },
	{ T_END, NULL, A_NONE, 0, NULL, "name an instance or --all" },
};

static const struct token t_promote_all[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_REFUSE_NAME, NULL, A_NONE, 0, NULL, EXCL },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_promote_name[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_REFUSE, "--all", A_NONE, 0, NULL, EXCL },
	{ T_REFUSE_NAME, NULL, A_NONE, 0, NULL, "one instance, or --all" },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_promote[] = {
	{ T_WORD, "--all", A_ALL, 0, t_promote_all, NULL },
	{ T_NAME, NULL, A_INSTANCE, 0, t_promote_name, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, "name an instance or --all" },
};

static const struct token t_debug_name[] = {
	{ T_NAME, NULL, A_INSTANCE, 0, t_done, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, "--instance needs an instance name" },
};

static const struct token t_debug_inst[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_WORD, "--instance", A_NONE, 0, t_debug_name, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_onoff[] = {
	{ T_WORD, "on", A_ON, 0, t_debug_inst, NULL },
	{ T_WORD, "off", A_OFF, 0, t_done, NULL },
	{ T_END, "setting", A_NONE, 0, NULL, "a category needs on or off" },
};

/* The categories of vrrpd -D (log.h). */
static const struct token t_debug[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_WORD, "pkt", A_CATEGORY, 0, t_onoff, NULL },
	{ T_WORD, "fsm", A_CATEGORY, 0, t_onoff, NULL },
	{ T_WORD, "net", A_CATEGORY, 0, t_onoff, NULL },
	{ T_WORD, "check", A_CATEGORY, 0, t_onoff, NULL },
	{ T_WORD, "zk", A_CATEGORY, 0, t_onoff, NULL },
	{ T_WORD, "ctl", A_CATEGORY, 0, t_onoff, NULL },
	{ T_WORD, "conf", A_CATEGORY, 0, t_onoff, NULL },
	{ T_WORD, "all", A_CATEGORY, 0, t_onoff, NULL },
	{ T_END, "category", A_NONE, 0, NULL, NULL },
};

/*
 * "history" is a keyword here; an instance of that name follows "--"
 * ("cluster -- history"), or "history" itself ("cluster history history").
 */
static const struct token t_cluster_name[] = {
	{ T_NAME, NULL, A_INSTANCE, 0, t_done, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, "-- needs an instance name" },
};

static const struct token t_cluster_history[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_WORD, "--", A_NONE, 0, t_cluster_name, NULL },
	{ T_NAME, NULL, A_INSTANCE, 0, t_done, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_cluster[] = {
	{ T_DONE, NULL, A_NONE, 0, NULL, NULL },
	{ T_WORD, "history", A_HISTORY, 0, t_cluster_history, NULL },
	{ T_WORD, "--", A_NONE, 0, t_cluster_name, NULL },
	{ T_NAME, NULL, A_INSTANCE, 0, t_done, NULL },
	{ T_END, NULL, A_NONE, 0, NULL, NULL },
};

static const struct token t_main[] = {
	{ T_WORD, "status", A_CMD, CTL_CMD_STATUS, t_status, NULL },
	{ T_WORD, "stats", A_CMD, CTL_CMD_STATS, t_stats, NULL },
	{ T_WORD, "checks", A_CMD, CTL_CMD_CHECKS, t_done, NULL },
	{ T_WORD, "metrics", A_CMD, CTL_CMD_METRICS, t_done, NULL },
	{ T_WORD, "reload", A_CMD, CTL_CMD_RELOAD, t_done, NULL },
	{ T_WORD, "demote", A_CMD, CTL_CMD_DEMOTE, t_demote, NULL },
	{ T_WORD, "promote", A_CMD, CTL_CMD_PROMOTE, t_promote, NULL },
	{ T_WORD, "debug", A_CMD, CTL_CMD_DEBUG, t_debug, NULL },
	{ T_WORD, "cluster", A_CMD, CTL_CMD_CLUSTER, t_cluster, NULL },
	{ T_END, "command", A_NONE, 0, NULL,
	    "name a command: status stats checks metrics reload demote "
	    "promote debug cluster (-h for help)" },
};

/* The client's options, accepted before and after the command. */
enum gopt {
	G_SOCKET = 0,
	G_JSON,
	G_COLOR,
	G_HELP,
	G_VERSION,
	G_WATCH,
	G_SERVERS,
	G_PATH,
};

static const struct gopt_def {
	const char *name;
	enum gopt opt;
	bool arg; /* takes a value: the next word, -SPATH, --socket=PATH */
} gopts[] = {
	{ "-S", G_SOCKET, true },
	{ "--socket", G_SOCKET, true },
	{ "--json", G_JSON, false },
	{ "--color", G_COLOR, false }, /* --color=WHEN is handled apart */
	{ "-h", G_HELP, false },
	{ "--help", G_HELP, false },
	{ "-V", G_VERSION, false },
	{ "--version", G_VERSION, false },
	{ "--watch", G_WATCH, false },
	{ "--servers", G_SERVERS, true },
	{ "--path", G_PATH, true },
};

static const char *const color_names[] = {
	[VRRPCTL_COLOR_AUTO] = "auto",
	[VRRPCTL_COLOR_ALWAYS] = "always",
	[VRRPCTL_COLOR_NEVER] = "never",
};

/* The state of one parse. */
struct parse {
	int argc;
	char *const *argv;
	int i; /* the next word */
	struct vrrpctl_opts *opts;
	struct ctl_req *req;
	const char *cmd;  /* the command's name, once known */
	bool socket_flag; /* -S given (not only the environment) */
	char *why;
	size_t whylen;
};

static enum vrrpctl_verb usage_err(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum vrrpctl_verb
usage_err(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (p->whylen == 0)
		return VRRPCTL_BAD_USAGE;
	if (p->cmd != NULL)
		n = snprintf(p->why, p->whylen, "%s: ", p->cmd);
	if (n < 0 || (size_t)n >= p->whylen)
		return VRRPCTL_BAD_USAGE;
	va_start(ap, fmt);
	vsnprintf(p->why + n, p->whylen - (size_t)n, fmt, ap);
	va_end(ap);
	return VRRPCTL_BAD_USAGE;
}

static bool
is_name(const char *word)
{
	return word != NULL && word[0] != '-' && word[0] != '\0';
}

static const struct token *
match_token(const struct token *table, const char *word)
{
	const struct token *t;

	for (t = table; t->type != T_END; t++) {
		switch (t->type) {
		case T_DONE:
			if (word == NULL)
				return t;
			break;
		case T_WORD:
		case T_REFUSE:
			if (word != NULL && strcmp(word, t->word) == 0)
				return t;
			break;
		case T_NAME:
		case T_REFUSE_NAME:
			if (is_name(word))
				return t;
			break;
		case T_DURATION:
			if (word != NULL)
				return t;
			break;
		default:
			break;
		}
	}
	return t;
}

/* An option of some command: out of place, not unknown. */
static bool
command_option(const char *word)
{
	static const char *const opts[] = { "--all", "--clear", "--for" };

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strcmp(word, opts[i]) == 0)
			return true;
	return false;
}

/* "unknown category 'x' (one of: pkt fsm ...)", from the table. */
static enum vrrpctl_verb
unknown_word(struct parse *p, const struct token *table, const char *word)
{
	char list[160] = "";
	const struct token *t;
	size_t n = 0;

	if (word[0] == '-' && !command_option(word))
		return usage_err(p, "unknown option '%.40s'", word);
	for (t = table; t->type != T_END; t++)
		if (t->type == T_WORD && n < sizeof(list))
			n += (size_t)snprintf(list + n, sizeof(list) - n,
			    "%s%s", n > 0 ? " " : "", t->word);
	if (t->word == NULL)
		return usage_err(p, "unexpected argument '%.40s'", word);
	return usage_err(p, "unknown %s '%.40s' (one of: %s)", t->word, word,
	    list);
}

static int
copy_name(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

static enum vrrpctl_verb
apply(struct parse *p, const struct token *t, const char *word)
{
	struct ctl_req *r = p->req;

	switch (t->act) {
	case A_CMD:
		r->cmd = (enum ctl_cmd)t->value;
		p->cmd = t->word;
		break;
	case A_INSTANCE:
		if (copy_name(r->instance, sizeof(r->instance), word) == -1)
			return usage_err(p,
			    "instance name too long (at most %d bytes)",
			    CTL_NAME_MAX - 1);
		break;
	case A_ALL:
		r->all = true;
		break;
	case A_CLEAR:
		r->clear = true;
		break;
	case A_FOR:
		if (vrrpctl_parse_duration(word, &r->for_ms) == -1)
			return usage_err(p,
			    "bad duration '%.40s' (more than 0, "
			    "e.g. 500ms, 90s, 10m, 2h, 1h30m)",
			    word);
		break;
	case A_CATEGORY:
		(void)copy_name(r->category, sizeof(r->category), word);
		break;
	case A_ON:
	case A_OFF:
		r->on = t->act == A_ON;
		break;
	case A_HISTORY:
		r->history = true;
		break;
	default:
		break;
	}
	return VRRPCTL_RUN;
}

static enum vrrpctl_verb
set_socket(struct parse *p, const char *path)
{
	if (path == NULL || path[0] == '\0')
		return usage_err(p, "-S needs a socket path");
	if (strlen(path) >= sizeof(((struct sockaddr_un *)NULL)->sun_path))
		return usage_err(p, "socket path too long: %.40s...", path);
	p->opts->socket = path;
	return VRRPCTL_RUN;
}

static enum vrrpctl_verb
set_color(struct parse *p, const char *when)
{
	for (size_t i = 0; i < sizeof(color_names) / sizeof(color_names[0]);
	     i++) {
		if (strcmp(when, color_names[i]) == 0) {
			p->opts->color = (enum vrrpctl_color)i;
			return VRRPCTL_RUN;
		}
	}
	return usage_err(p, "--color: use auto, always or never, not '%.40s'",
	    when);
}

/* --servers LIST, --path ZNODE: only their syntax; the reader checks
 * the rest. */
static enum vrrpctl_verb
set_registry(struct parse *p, enum gopt opt, const char *value)
{
	size_t len;

	if (opt == G_SERVERS) {
		if (value == NULL || value[0] == '\0')
			return usage_err(p, "--servers needs ADDR:PORT[,...]");
		p->opts->servers = value;
		return VRRPCTL_RUN;
	}
	if (value == NULL || value[0] == '\0')
		return usage_err(p, "--path needs a znode path (e.g. %s)",
		    VRRPCTL_ZK_PATH);
	len = strlen(value);
	if (value[0] != '/' || len == 1 || value[len - 1] == '/' ||
	    strchr(value, ' ') != NULL)
		return usage_err(p,
		    "--path: '%.40s' is not a znode path like %s", value,
		    VRRPCTL_ZK_PATH);
	p->opts->path = value;
	return VRRPCTL_RUN;
}

/* The value of an option that takes one: glued on or the next word. */
static const char *
opt_value(struct parse *p, const char *word, size_t namelen)
{
	if (word[namelen] == '=' && word[1] == '-')
		return word + namelen + 1;
	if (word[namelen] != '\0' && word[1] != '-')
		return word + namelen;
	if (p->i < p->argc)
		return p->argv[p->i++];
	return NULL;
}

/*
 * A client option at word (p->i already past it): 1 when it was one, 0
 * when it is not, -1 on error or for -h/-V (*verb says which).
 */
static int
client_option(struct parse *p, const char *word, enum vrrpctl_verb *verb)
{
	const struct gopt_def *g = NULL;
	size_t n = 0;

	if (strncmp(word, "--color=", 8) == 0) {
		*verb = set_color(p, word + 8);
		return *verb == VRRPCTL_RUN ? 1 : -1;
	}
	for (size_t i = 0; i < sizeof(gopts) / sizeof(gopts[0]); i++) {
		n = strlen(gopts[i].name);
		if (strncmp(word, gopts[i].name, n) == 0 &&
		    (word[n] == '\0' ||
			(gopts[i].arg && (word[1] != '-' || word[n] == '=')))) {
			g = &gopts[i];
			break;
		}
	}
	if (g == NULL)
		return 0;
	switch (g->opt) {
	case G_SOCKET:
		*verb = set_socket(p, opt_value(p, word, n));
		p->socket_flag = true;
		return *verb == VRRPCTL_RUN ? 1 : -1;
	case G_SERVERS:
	case G_PATH:
		*verb = set_registry(p, g->opt, opt_value(p, word, n));
		return *verb == VRRPCTL_RUN ? 1 : -1;
	case G_WATCH:
		p->opts->watch = true;
		return 1;
	case G_JSON:
		p->opts->json = true;
		return 1;
	case G_COLOR:
		p->opts->color = VRRPCTL_COLOR_ALWAYS;
		return 1;
	case G_HELP:
		*verb = VRRPCTL_HELP;
		return -1;
	case G_VERSION:
	default:
		*verb = VRRPCTL_VERSION;
		return -1;
	}
}

static enum vrrpctl_verb
walk(struct parse *p)
{
	const struct token *table = t_main, *t;
	enum vrrpctl_verb verb = VRRPCTL_RUN;
	const char *word;
	int rc;

	for (;;) {
		word = p->i < p->argc ? p->argv[p->i] : NULL;
		if (word != NULL && word[0] == '-' && table != t_for) {
			p->i++;
			if ((rc = client_option(p, word, &verb)) != 0) {
				if (rc < 0)
					return verb;
				continue;
			}
			p->i--;
		}
		t = match_token(table, word);
		if (t->type == T_END && word == NULL)
			return usage_err(p, "%s", t->msg);
		if (t->type == T_END)
			return unknown_word(p, table, word);
		if (t->type == T_REFUSE || t->type == T_REFUSE_NAME)
			return usage_err(p, "%s", t->msg);
		if (t->type == T_DONE)
			return VRRPCTL_RUN;
		p->i++;
		if ((verb = apply(p, t, word)) != VRRPCTL_RUN)
			return verb;
		table = t->next;
	}
}

/* The options that only cluster takes, once the command is known. */
static enum vrrpctl_verb
check_cluster_options(struct parse *p)
{
	struct vrrpctl_opts *o = p->opts;

	if (p->req->cmd != CTL_CMD_CLUSTER) {
		if (o->watch)
			return usage_err(p, "--watch goes with cluster only");
		if (o->servers != NULL || o->path != NULL)
			return usage_err(p, "--%s goes with cluster only",
			    o->servers != NULL ? "servers" : "path");
		return VRRPCTL_RUN;
	}
	if (o->path != NULL && o->servers == NULL)
		return usage_err(p, "--path needs --servers");
	if (o->servers != NULL && p->socket_flag)
		return usage_err(p,
		    "-S and --servers exclude each other (--servers reads "
		    "ZooKeeper, not vrrpd)");
	if (o->servers != NULL && o->path == NULL)
		o->path = VRRPCTL_ZK_PATH;
	return VRRPCTL_RUN;
}

enum vrrpctl_verb
vrrpctl_parse(int argc, char *const argv[], const char *env_socket,
    struct vrrpctl_opts *opts, struct ctl_req *req, char *why, size_t whylen)
{
	struct parse p = {
		.argc = argc,
		.argv = argv,
		.i = 1,
		.opts = opts,
		.req = req,
		.why = why,
		.whylen = whylen,
	};
	enum vrrpctl_verb verb;

	memset(opts, 0, sizeof(*opts));
	memset(req, 0, sizeof(*req));
	if (whylen > 0)
		why[0] = '\0';
	opts->socket = VRRPCTL_SOCKET;
	if (env_socket != NULL && env_socket[0] != '\0' &&
	    set_socket(&p, env_socket) != VRRPCTL_RUN)
		return usage_err(&p, "VRRPCTL_SOCKET: path too long");
	verb = walk(&p);
	if (verb == VRRPCTL_RUN)
		verb = check_cluster_options(&p);
	if (verb == VRRPCTL_BAD_USAGE && whylen > 0 && why[0] == '\0')
		snprintf(why, whylen, "bad usage");
	return verb;
}

void
vrrpctl_usage(FILE *f)
{
	fprintf(f,
	    "usage: vrrpctl [-S PATH] [--json] [--color=WHEN] COMMAND [ARGS]\n"
	    "\n"
	    "  status [INSTANCE]                 state, priority and why\n"
	    "  stats [INSTANCE] [--clear]        counters (RFC 6527)\n"
	    "  checks                            checks and trackers\n"
	    "  metrics                           Prometheus text\n"
	    "  reload                            validate and apply the "
	    "configuration\n"
	    "  demote (INSTANCE | --all) [--for DURATION]\n"
	    "                                    hand over to the backup\n"
	    "  promote (INSTANCE | --all)        undo demote\n"
	    "  debug [CATEGORY (on [--instance NAME] | off)]\n"
	    "                                    debug logging: pkt fsm net "
	    "check\n"
	    "                                    zk ctl conf all\n"
	    "  cluster [history] [INSTANCE] [--watch]\n"
	    "                                    every node's view from the "
	    "cluster\n"
	    "                                    registry, or its transitions\n"
	    "\n"
	    "  -S, --socket PATH  control socket (default %s,\n"
	    "                     or $VRRPCTL_SOCKET)\n"
	    "  --json             print the reply as vrrpd sent it\n"
	    "  --watch            cluster: again every second until "
	    "interrupted\n"
	    "  --servers LIST     cluster: read ZooKeeper (ADDR:PORT,...), "
	    "not vrrpd\n"
	    "  --path ZNODE       cluster: the registry's root with --servers\n"
	    "                     (default %s)\n"
	    "  --color=WHEN       auto, always or never\n"
	    "  -h, --help         this text\n"
	    "  -V, --version      print the version and exit\n"
	    "\n"
	    "DURATION: 500ms, 90s, 10m, 2h, 1h30m; a bare number is seconds.\n"
	    "Exit status: 0 done, 1 vrrpd refused, 2 usage, 3 vrrpd not "
	    "reachable,\n"
	    "4 permission denied.\n",
	    VRRPCTL_SOCKET, VRRPCTL_ZK_PATH);
}

/* Units, in the order a duration must use them. */
static const struct unit {
	const char *name;
	uint64_t ms;
} units[] = {
	{ "h", 3600000 },
	{ "m", 60000 },
	{ "s", 1000 },
	{ "ms", 1 },
};

#define UNIT_S 2 /* a bare number */

/* The unit at *sp, the longest that matches ("ms", not "m"); -1 if none. */
static int
read_unit(const char **sp)
{
	size_t best = 0;
	int found = -1;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strlen(units[i].name);

		if (n > best && strncmp(*sp, units[i].name, n) == 0) {
			best = n;
			found = (int)i;
		}
	}
	*sp += best;
	return found;
}

int
vrrpctl_parse_duration(const char *s, uint64_t *ms)
{
	const uint64_t max = INT64_MAX;
	uint64_t total = 0, n;
	int u, last = -1;

	if (s == NULL || *s == '\0')
		return -1;
	while (*s != '\0') {
		if (*s < '0' || *s > '9')
			return -1;
		for (n = 0; *s >= '0' && *s <= '9'; s++) {
			if (n > (max - (uint64_t)(*s - '0')) / 10)
				return -1;
			n = n * 10 + (uint64_t)(*s - '0');
		}
		if (*s == '\0' && last == -1)
			u = UNIT_S;
		else if ((u = read_unit(&s)) <= last)
			return -1;
		last = u;
		if (n > (max - total) / units[u].ms)
			return -1;
		total += n * units[u].ms;
	}
	if (total == 0)
		return -1;
	*ms = total;
	return 0;
}

bool
vrrpctl_color_auto(bool tty, const char *no_color, const char *term)
{
	return tty && no_color == NULL && term != NULL && term[0] != '\0' &&
	    strcmp(term, "dumb") != 0;
}

int
vrrpctl_timeout_s(const struct ctl_req *req)
{
	return req->cmd == CTL_CMD_RELOAD ? 60 : 10;
}
