/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One notification script on the default loop: started as the script
 * user, stopped past its time (TERM, then KILL to the process group),
 * its exit status and duration logged.
 */

#include <sys/wait.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "../check/script_priv.h"
#include "vrrpd/log.h"
#include "vrrpd/priv.h"
#include "vrrpd/util.h"
#include "run_priv.h"

#define KILL_GRACE_S 1.0

static void
finished(struct notify_run *r, int status)
{
	uint64_t ms = (util_now_us() - r->started_us) / 1000;
	enum priv_stage stage;
	int err;

	ev_child_stop(r->loop, &r->child);
	ev_timer_stop(r->loop, &r->timeout);
	if (priv_spawn_error(r->errfd, &stage, &err))
		log_warnx("%s: could not run: %s: %s", r->who,
		    priv_stage_name(stage), strerror(err));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		log_info("%s %s: exit 0 after %llu ms", r->who, r->event,
		    (unsigned long long)ms);
	else if (WIFEXITED(status))
		log_warnx("%s %s: exit %d after %llu ms", r->who, r->event,
		    WEXITSTATUS(status), (unsigned long long)ms);
	else
		log_warnx("%s %s: killed by signal %d after %llu ms%s", r->who,
		    r->event, WTERMSIG(status), (unsigned long long)ms,
		    r->killing ? " (timeout)" : "");
	close(r->errfd);
	r->pid = 0;
	r->killing = false;
	r->done(r->arg);
}

static void
child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	(void)loop;
	(void)revents;
	finished(w->data, w->rstatus);
}

/* The timeout: TERM to the group, then KILL after a grace period. */
static void
timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct notify_run *r = w->data;

	(void)revents;
	if (!r->killing) {
		log_warnx("%s %s: still running after %u ms, stopping it",
		    r->who, r->event, r->timeout_ms);
		r->killing = true;
		priv_kill_group(r->pid, SIGTERM);
		ev_timer_set(w, KILL_GRACE_S, 0.0);
		ev_timer_start(loop, w);
		return;
	}
	priv_kill_group(r->pid, SIGKILL);
}

void
notify_run_init(struct notify_run *r, struct ev_loop *loop, uint32_t timeout_ms,
    notify_run_done_fn done, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->loop = loop;
	r->timeout_ms = timeout_ms;
	r->done = done;
	r->arg = arg;
	r->errfd = -1;
	ev_init(&r->child, child_cb);
	r->child.data = r;
	ev_init(&r->timeout, timeout_cb);
	r->timeout.data = r;
}

/* The command's words, then spec's: false when it cannot be split. */
static bool
build_argv(const struct notify_run_spec *spec, char *buf, size_t size,
    char **argv)
{
	enum checker_script_split_err e;
	size_t argc;

	e = checker_script_split(spec->cmd->cmd, buf, size, argv,
	    CHECKER_SCRIPT_MAX_ARGS, &argc);
	if (e != CHECKER_SPLIT_OK) {
		log_warnx("%s: %s", spec->who,
		    checker_script_split_strerror(e));
		return false;
	}
	for (size_t i = 0; spec->words != NULL && spec->words[i] != NULL &&
	     i < NOTIFY_RUN_MAX_WORDS;
	     i++)
		argv[argc++] = spec->words[i];
	argv[argc] = NULL;
	return true;
}

bool
notify_run_start(struct notify_run *r, const struct notify_run_spec *spec)
{
	char buf[4096], path[PATH_MAX], why[PATH_MAX + 96];
	char *argv[CHECKER_SCRIPT_MAX_ARGS + NOTIFY_RUN_MAX_WORDS + 1];
	const struct conf_cmd *cmd = spec->cmd;
	const struct conf_global *g = spec->g;
	struct priv_plan plan;

	if (!build_argv(spec, buf, sizeof(buf), argv))
		return false;
	if (priv_resolve(argv[0], path, sizeof(path)) != 0) {
		log_warnx("%s: %s not found (absolute, or in %s)", spec->who,
		    argv[0], PRIV_PATH);
		return false;
	}
	if (g->script_security &&
	    priv_path_check(path, why, sizeof(why)) != 0) {
		log_warnx("%s: %s: refused: %s", spec->who, path, why);
		return false;
	}
	if (priv_plan(&priv_db_system,
		cmd->user != NULL ? cmd->user : g->script_user,
		cmd->user != NULL ? cmd->group : g->script_group, &plan, why,
		sizeof(why)) != 0) {
		log_warnx("%s: %s", spec->who, why);
		return false;
	}
	if (priv_spawn_env(path, argv, spec->env, &plan, &r->pid, &r->errfd) !=
	    0) {
		log_warn("%s: cannot start %s", spec->who, path);
		r->pid = 0;
		r->errfd = -1;
		return false;
	}
	snprintf(r->who, sizeof(r->who), "%s", spec->who);
	snprintf(r->event, sizeof(r->event), "%s", spec->event);
	r->started_us = util_now_us();
	ev_child_set(&r->child, r->pid, 0);
	ev_child_start(r->loop, &r->child);
	if (r->timeout_ms > 0) {
		ev_timer_set(&r->timeout, r->timeout_ms / 1000.0, 0.0);
		ev_timer_start(r->loop, &r->timeout);
	}
	return true;
}

bool
notify_run_busy(const struct notify_run *r)
{
	return r->pid != 0;
}

void
notify_run_abandon(struct notify_run *r)
{
	if (r->pid != 0)
		close(r->errfd);
	r->pid = 0;
	r->errfd = -1;
	ev_child_stop(r->loop, &r->child);
	ev_timer_stop(r->loop, &r->timeout);
}
