/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The script kind (keepalived vrrp_script): one child per run, argv
 * without a shell, as the unprivileged script user, bounded by the
 * timeout (SIGTERM to its process group, SIGKILL after a grace).
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker_priv.h"
#include "script_priv.h"
#include "vrrpd/log.h"
#include "vrrpd/priv.h"

#define SCRIPT_GRACE_S 1.0 /* SIGTERM to SIGKILL, at most */

/*
 * One child. It is detached from its check on cancel (c = NULL) and then
 * lives on, alone, until the child is reaped: checker_free() may free the
 * check long before a killed child's exit arrives.
 */
struct script_run {
	ev_child child; /* first: the callbacks cast from it */
	ev_timer timer; /* timeout, then the grace before SIGKILL */
	struct ev_loop *loop;
	struct checker *c; /* NULL once detached */
	pid_t pid;
	int errfd; /* priv_spawn()'s report pipe */
	double grace_s;
	bool timed_out; /* SIGTERM sent */
};

struct script_state {
	char *buf; /* the words argv points into */
	char *argv[CHECKER_SCRIPT_MAX_ARGS + 1];
	size_t argc;
	struct priv_plan plan;
	struct script_run *run; /* the run in progress, or NULL */
	char last_msg[256];	/* last start failure logged (no repeats) */
};

static const char *const split_errs[] = {
	[CHECKER_SPLIT_OK] = "no error",
	[CHECKER_SPLIT_EMPTY] = "empty command line",
	[CHECKER_SPLIT_UNTERMINATED] = "unterminated quote",
	[CHECKER_SPLIT_TRAILING_BACKSLASH] = "backslash at the end",
	[CHECKER_SPLIT_TOO_MANY] = "too many words",
	[CHECKER_SPLIT_TOO_LONG] = "command line too long",
};

const char *
checker_script_split_strerror(enum checker_script_split_err e)
{
	if ((unsigned int)e >= sizeof(split_errs) / sizeof(split_errs[0]))
		return "unknown error";
	return split_errs[e];
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* One word from *pp into *out; returns 0 or an error. */
static enum checker_script_split_err
split_word(const char **pp, char **out)
{
	const char *p = *pp;
	char *o = *out;
	char q = '\0';

	for (; *p != '\0' && (q != '\0' || !is_blank(*p)); p++) {
		if (q == '\0' && (*p == '\'' || *p == '"'))
			q = *p;
		else if (q != '\0' && *p == q)
			q = '\0';
		else if (q == '\0' && *p == '\\') {
			if (*++p == '\0')
				return CHECKER_SPLIT_TRAILING_BACKSLASH;
			*o++ = *p;
		} else if (q == '"' && *p == '\\' &&
		    (p[1] == '"' || p[1] == '\\'))
			*o++ = *++p;
		else
			*o++ = *p;
	}
	if (q != '\0')
		return CHECKER_SPLIT_UNTERMINATED;
	*o++ = '\0';
	*pp = p;
	*out = o;
	return CHECKER_SPLIT_OK;
}

enum checker_script_split_err
checker_script_split(const char *cmd, char *buf, size_t bufsize, char **argv,
    size_t maxargs, size_t *argc)
{
	enum checker_script_split_err e;
	const char *p = cmd;
	char *o = buf;

	*argc = 0;
	argv[0] = NULL;
	if (bufsize < strlen(cmd) + 1)
		return CHECKER_SPLIT_TOO_LONG;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		if (*argc == maxargs)
			return CHECKER_SPLIT_TOO_MANY;
		argv[*argc] = o;
		if ((e = split_word(&p, &o)) != CHECKER_SPLIT_OK)
			return e;
		argv[++*argc] = NULL;
	}
	return *argc == 0 ? CHECKER_SPLIT_EMPTY : CHECKER_SPLIT_OK;
}

/* ---- glue ---- */

/* A warning per new kind of failure, not one per interval. */
static void warn_once(struct script_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn_once(struct script_state *st, const char *fmt, ...)
{
	char msg[sizeof(st->last_msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (strcmp(msg, st->last_msg) == 0)
		return;
	snprintf(st->last_msg, sizeof(st->last_msg), "%s", msg);
	log_warnx("%s", msg);
}

/* enable_script_security: 0 to go on, -1 with o filled. */
static int
security(struct checker *c, const char *path, struct checker_outcome *o)
{
	struct script_state *st = c->kstate;
	struct stat sb;
	char why[PATH_MAX + 96];
	int r;

	if (c->g == NULL || !c->g->script_security)
		return 0;
	if (stat(path, &sb) == 0 && st->plan.uid != 0 && sb.st_uid != 0)
		return 0;
	if ((r = priv_path_check(path, why, sizeof(why))) == 0)
		return 0;
	if (r < 0) {
		o->result = CHECKER_SCRIPT_EXEC;
		o->detail = errno;
		warn_once(st, "check %s: %s: could not run: %s: %s",
		    c->cc->name, path, why, strerror(errno));
		return -1;
	}
	o->result = CHECKER_SCRIPT_INSECURE;
	o->detail = 0;
	warn_once(st, "check %s: %s: refused: %s", c->cc->name, path, why);
	return -1;
}

static void
run_free(struct script_run *run)
{
	ev_child_stop(run->loop, &run->child);
	ev_timer_stop(run->loop, &run->timer);
	close(run->errfd);
	free(run);
}

/* What one reaped child means. */
static void
run_outcome(struct checker *c, struct script_run *run, int status,
    struct checker_outcome *o)
{
	struct script_state *st = c->kstate;
	enum priv_stage stage;
	int err;

	memset(o, 0, sizeof(*o));
	if (priv_spawn_error(run->errfd, &stage, &err)) {
		o->result = CHECKER_SCRIPT_EXEC;
		o->detail = err;
		warn_once(st, "check %s: %s: could not run: %s: %s",
		    c->cc->name, st->argv[0], priv_stage_name(stage),
		    strerror(err));
	} else if (run->timed_out)
		o->result = CHECKER_SCRIPT_TIMEOUT;
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		o->result = CHECKER_OK;
	else if (WIFEXITED(status)) {
		o->result = CHECKER_SCRIPT_EXIT;
		o->detail = WEXITSTATUS(status);
	} else {
		o->result = CHECKER_SCRIPT_SIGNAL;
		o->detail = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	}
}

static void
child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct script_run *run = (struct script_run *)w;
	struct checker *c = run->c;
	struct script_state *st;
	struct checker_outcome o;

	(void)loop;
	(void)revents;
	/* A timed-out script's children may have outlived it. */
	if (run->timed_out)
		(void)kill(-run->pid, SIGKILL);
	if (c == NULL) {
		run_free(run);
		return;
	}
	run_outcome(c, run, w->rstatus, &o);
	st = c->kstate;
	st->run = NULL;
	if (o.result != CHECKER_SCRIPT_EXEC)
		st->last_msg[0] = '\0'; /* it ran: warn again next time */
	run_free(run);
	checker_done(c, &o);
}

/* The timeout: SIGTERM to the group, then SIGKILL after the grace. */
static void
timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct script_run *run = w->data;

	(void)revents;
	if (run->timed_out) {
		(void)priv_kill_group(run->pid, SIGKILL);
		return;
	}
	run->timed_out = true;
	log_debug(DBG_CHECK, "check %s: timeout, SIGTERM to %ld",
	    run->c->cc->name, (long)run->pid);
	(void)priv_kill_group(run->pid, SIGTERM);
	ev_timer_set(w, run->grace_s, 0.0);
	ev_timer_start(loop, w);
}

static double
timeout_s(const struct conf_check *cc)
{
	uint32_t ms = cc->timeout_ms;

	if (ms == 0)
		ms = cc->interval_ms; /* keepalived: timeout = interval */
	if (ms == 0)
		ms = 1000;
	return ms / 1000.0;
}

static int
script_start(struct checker *c, struct checker_outcome *o)
{
	struct script_state *st = c->kstate;
	struct script_run *run;
	char path[PATH_MAX];
	double t = timeout_s(c->cc);

	memset(o, 0, sizeof(*o));
	if (priv_resolve(st->argv[0], path, sizeof(path)) == -1) {
		o->result = CHECKER_SCRIPT_EXEC;
		o->detail = errno;
		warn_once(st, "check %s: %s: could not run: not found in %s",
		    c->cc->name, st->argv[0], PRIV_PATH);
		return -1;
	}
	if (security(c, path, o) == -1)
		return -1;
	if ((run = calloc(1, sizeof(*run))) == NULL)
		goto internal;
	if (priv_spawn(path, st->argv, &st->plan, &run->pid, &run->errfd) ==
	    -1) {
		free(run);
		goto internal;
	}
	run->loop = c->loop;
	run->c = c;
	run->grace_s = t < SCRIPT_GRACE_S ? t : SCRIPT_GRACE_S;
	/* Before the loop runs again, so the exit cannot be missed. */
	ev_child_init(&run->child, child_cb, run->pid, 0);
	ev_child_start(c->loop, &run->child);
	ev_timer_init(&run->timer, timer_cb, t, 0.0);
	run->timer.data = run;
	ev_timer_start(c->loop, &run->timer);
	st->run = run;
	log_debug(DBG_CHECK, "check %s: started %s as pid %ld (uid %u)",
	    c->cc->name, path, (long)run->pid, (unsigned int)st->plan.uid);
	return 0;
internal:
	o->result = CHECKER_INTERNAL;
	o->detail = errno;
	warn_once(st, "check %s: cannot start %s: %s", c->cc->name, path,
	    strerror(errno));
	return -1;
}

/* Kill the group now; the record reaps the child later, alone. */
static void
script_cancel(struct checker *c)
{
	struct script_state *st = c->kstate;
	struct script_run *run = st->run;

	if (run == NULL)
		return;
	(void)priv_kill_group(run->pid, SIGKILL);
	ev_timer_stop(run->loop, &run->timer);
	run->c = NULL;
	st->run = NULL;
}

static int
script_plan(struct checker *c, const char **err)
{
	static char errbuf[160];
	struct script_state *st = c->kstate;
	const struct conf_cmd *cmd = &c->cc->script;
	const char *user = cmd->user, *group = cmd->group;
	char why[128];

	if (user == NULL && c->g != NULL) {
		user = c->g->script_user;
		group = c->g->script_group;
	}
	if (priv_plan(&priv_db_system, user, group, &st->plan, why,
		sizeof(why)) == -1) {
		snprintf(errbuf, sizeof(errbuf), "script user: %s", why);
		*err = errbuf;
		return -1;
	}
	/* The root fallback is warned about by the daemon (vrrpd -t too). */
	return 0;
}

static int
script_init(struct checker *c, const char **err)
{
	const char *cmd = c->cc->script.cmd;
	enum checker_script_split_err e;
	struct script_state *st;

	if (cmd == NULL) {
		*err = "no command";
		return -1;
	}
	if (!ev_is_default_loop(c->loop)) {
		*err = "script checks need the default event loop";
		return -1;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->buf = malloc(strlen(cmd) + 1)) == NULL) {
		free(st);
		*err = "out of memory";
		return -1;
	}
	c->kstate = st;
	e = checker_script_split(cmd, st->buf, strlen(cmd) + 1, st->argv,
	    CHECKER_SCRIPT_MAX_ARGS, &st->argc);
	if (e != CHECKER_SPLIT_OK)
		*err = checker_script_split_strerror(e);
	if (e != CHECKER_SPLIT_OK || script_plan(c, err) == -1) {
		free(st->buf);
		free(st);
		c->kstate = NULL;
		return -1;
	}
	return 0;
}

static void
script_fini(struct checker *c)
{
	struct script_state *st = c->kstate;

	if (st == NULL)
		return;
	script_cancel(c);
	free(st->buf);
	free(st);
	c->kstate = NULL;
}

const struct checker_kind checker_kind_script = {
	.name = "script",
	.init = script_init,
	.start = script_start,
	.cancel = script_cancel,
	.fini = script_fini,
};
