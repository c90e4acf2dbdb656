/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A notify FIFO's own side, for the daemon's life: the FIFO made when
 * missing and, with a notify_fifo_script, held open (the instances'
 * lines go through it) while the script that reads it runs
 * (keepalived's notify_fifo_open).
 */

#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/log.h"
#include "vrrpd/notify.h"
#include "vrrpd/priv.h"
#include "run_priv.h"

struct notify_fifo {
	TAILQ_ENTRY(notify_fifo) entry;
	char *who;	     /* "vrrp_notify_fifo" */
	char *path;	     /* the FIFO */
	struct conf_cmd cmd; /* copies; cmd.cmd NULL: no script */
	bool made;	     /* made here: removed at the end */
	bool listed;	     /* in fifos */
	int fd;		     /* held while a script runs; -1 */
	struct notify_run run;
};

/*
 * Every FIFO of the daemon (two at most): the instances' notifiers write
 * through the descriptor held for a script (notify_fifo_held_fd), so a
 * FIFO made anew for a new script gets every line from then on.
 */
static TAILQ_HEAD(, notify_fifo) fifos = TAILQ_HEAD_INITIALIZER(fifos);

int
notify_fifo_held_fd(const char *path)
{
	struct notify_fifo *f;

	TAILQ_FOREACH (f, &fifos, entry)
		if (strcmp(f->path, path) == 0)
			return f->fd;
	return -1;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
script_done(void *arg)
{
	(void)arg; /* keepalived does not start it again either */
}

/* The FIFO at f->path, made if missing; false (logged) otherwise. */
static bool
make_fifo(struct notify_fifo *f)
{
	struct stat st;

	if (mkfifo(f->path, 0644) == 0) {
		/* 0644 whatever the umask: the script user reads it */
		(void)chmod(f->path, 0644);
		f->made = true;
		return true;
	}
	if (errno != EEXIST) {
		log_warn("%s %s: cannot make the FIFO", f->who, f->path);
		return false;
	}
	if (lstat(f->path, &st) == -1 || !S_ISFIFO(st.st_mode)) {
		log_warnx("%s %s: exists and is not a FIFO", f->who, f->path);
		return false;
	}
	return true;
}

static void
cmd_clear(struct conf_cmd *c)
{
	free(c->cmd);
	free(c->user);
	free(c->group);
	memset(c, 0, sizeof(*c));
}

/* f's copy of cmd; false when out of memory (then none). */
static bool
cmd_copy(struct notify_fifo *f, const struct conf_cmd *cmd)
{
	cmd_clear(&f->cmd);
	f->cmd.cmd = dup_or_null(cmd->cmd);
	f->cmd.user = dup_or_null(cmd->user);
	f->cmd.group = dup_or_null(cmd->group);
	if ((cmd->cmd != NULL && f->cmd.cmd == NULL) ||
	    (cmd->user != NULL && f->cmd.user == NULL) ||
	    (cmd->group != NULL && f->cmd.group == NULL)) {
		cmd_clear(&f->cmd);
		return false;
	}
	return true;
}

/*
 * Run f's script, if it has one, with the path appended, the FIFO held
 * open for reading first: read and write, as keepalived opens it, so
 * that it never blocks and the pipe lives (lines wait in it) until the
 * script has it open. Logged when it cannot.
 */
static void
start_script(struct notify_fifo *f, const struct conf_global *g)
{
	char who[NOTIFY_RUN_LABEL];
	char *words[] = { f->path, NULL };
	struct notify_run_spec spec = { .cmd = &f->cmd,
		.g = g,
		.who = who,
		.event = f->path,
		.words = words };

	if (f->cmd.cmd == NULL)
		return;
	if (f->fd < 0 &&
	    (f->fd = open(f->path,
		 O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		log_warn("%s %s: cannot open the FIFO", f->who, f->path);
		return;
	}
	snprintf(who, sizeof(who), "%s_script", f->who);
	if (notify_run_start(&f->run, &spec))
		log_info("%s: started (pid %ld) reading %s", who,
		    (long)f->run.pid, f->path);
}

/* The script, if it runs, gets SIGTERM (keepalived's way) and is let go. */
static void
stop_script(struct notify_fifo *f)
{
	pid_t pid = f->run.pid;

	notify_run_abandon(&f->run);
	if (pid > 0)
		(void)priv_kill_group(pid, SIGTERM);
}

struct notify_fifo *
notify_fifo_new(struct ev_loop *loop, const char *who, const char *path,
    const struct conf_cmd *cmd, const struct conf_global *g)
{
	struct notify_fifo *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->fd = -1;
	notify_run_init(&f->run, loop, 0, script_done, f);
	f->who = strdup(who);
	f->path = strdup(path);
	if (f->who == NULL || f->path == NULL || !cmd_copy(f, cmd) ||
	    !make_fifo(f)) {
		notify_fifo_free(f);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&fifos, f, entry);
	f->listed = true;
	start_script(f, g);
	return f;
}

static bool
str_eq(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

bool
notify_fifo_same(const struct notify_fifo *f, const char *path,
    const struct conf_cmd *cmd)
{
	return f != NULL && str_eq(f->path, path) &&
	    str_eq(f->cmd.cmd, cmd->cmd) && str_eq(f->cmd.user, cmd->user) &&
	    str_eq(f->cmd.group, cmd->group);
}

/*
 * The FIFO stays (the instances' writers keep their descriptors, and no
 * line is lost between two scripts); only the script changes.
 */
bool
notify_fifo_reload(struct notify_fifo *f, const char *path,
    const struct conf_cmd *cmd, const struct conf_global *g)
{
	if (f == NULL || !str_eq(f->path, path))
		return false;
	if (notify_fifo_same(f, path, cmd))
		return true;
	stop_script(f);
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	/*
	 * A FIFO made here is made anew: the old script reads the old one to
	 * its end (it may take its time over SIGTERM), the new one gets
	 * every line from now on.
	 */
	if (f->made && (unlink(f->path) == -1 || !make_fifo(f)))
		log_warn("%s %s: cannot make the FIFO anew", f->who, f->path);
	if (!cmd_copy(f, cmd))
		log_warnx("%s %s: out of memory, no script", f->who, f->path);
	start_script(f, g);
	return true;
}

long
notify_fifo_script_pid(const struct notify_fifo *f)
{
	return f != NULL ? (long)f->run.pid : 0;
}

void
notify_fifo_free(struct notify_fifo *f)
{
	if (f == NULL)
		return;
	if (f->listed)
		TAILQ_REMOVE(&fifos, f, entry);
	/* Removed first, so that a script that opens it again cannot. */
	if (f->made && f->path != NULL)
		(void)unlink(f->path);
	if (f->fd >= 0)
		close(f->fd);
	stop_script(f);
	free(f->who);
	free(f->path);
	cmd_clear(&f->cmd);
	free(f);
}
