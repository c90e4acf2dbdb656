/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Users, groups and capabilities: the one place that changes credentials
 * (STYLE §3.8). Three steps, so that the decisions can be tested without
 * root:
 *
 * - plan (pure over a user database): which uid, gid and supplementary
 *   groups a child runs with, from the configured user and group names
 *   and vrrpd's default chain;
 * - path check: the script-security walk (enable_script_security);
 * - spawn: fork, clean the child (signals, session, descriptors,
 *   environment), apply the plan, drop every capability and execve; a
 *   failure in the child is reported through a close-on-exec pipe.
 */

#ifndef VRRPD_PRIV_H
#define VRRPD_PRIV_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>

/* The only environment a child gets (besides LANG=C). */
#define PRIV_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

/* Default script users, tried in order when none is configured. */
#define PRIV_DEFAULT_USER    "vrrpd-script"
#define PRIV_KEEPALIVED_USER "keepalived_script"

#define PRIV_MAX_GROUPS 64 /* supplementary groups kept at most */
#define PRIV_NAME_MAX	64 /* user names longer than this are refused */

/* One user as the database knows it. */
struct priv_user {
	uid_t uid;
	gid_t gid; /* primary group */
};

/*
 * A user database: tests pass a table, the daemon priv_db_system. Every
 * function returns 0 when found, -1 when not (or on a lookup error).
 */
struct priv_db {
	int (*user)(void *arg, const char *name, struct priv_user *u);
	int (*group)(void *arg, const char *name, gid_t *gid);
	/*
	 * The groups of name, with base included (getgrouplist(3)): fills
	 * up to *n entries and sets *n to the count; -1 when more exist.
	 */
	int (*grouplist)(void *arg, const char *name, gid_t base, gid_t *list,
	    size_t *n);
	void *arg;
};

/* getpwnam_r(3), getgrnam_r(3), getgrouplist(3). */
extern const struct priv_db priv_db_system;

/* What a child runs as. A plain value: the child applies it as is. */
struct priv_plan {
	char user[PRIV_NAME_MAX + 1]; /* "root" for the root fallback */
	uid_t uid;
	gid_t gid;
	gid_t groups[PRIV_MAX_GROUPS]; /* supplementary, gid included */
	size_t ngroups;
	bool root_fallback; /* no user configured and no default user exists */
	bool root_explicit; /* "root" configured: capabilities are kept */
};

/*
 * Plan a child's credentials. user and group are the configured names
 * (a check's own, else the global script_user/script_group; NULL when
 * not set); group NULL means the user's primary group. With no user the
 * chain is PRIV_DEFAULT_USER, then PRIV_KEEPALIVED_USER, then root
 * (root_fallback set: the caller warns once). Supplementary groups are
 * the user's (the database's grouplist) with the chosen gid first.
 * Returns 0, or -1 with err (always terminated) naming the cause:
 * unknown user or group, a name too long, too many groups. Pure given
 * db: no logging, no allocation.
 */
int priv_plan(const struct priv_db *db, const char *user, const char *group,
    struct priv_plan *out, char *err, size_t errsize);

/*
 * enable_script_security's walk over path (absolute): every directory
 * from "/" down and the file itself must be owned by root and not
 * writable by group or others (symbolic links are checked where they
 * are, then their target the same way). Returns 0 when safe; 1 when
 * not, with why "DIR is mode 0777 owned by uid 0 (writable by others)";
 * -1 with errno set when a component cannot be examined (why names it).
 */
int priv_path_check(const char *path, char *why, size_t whysize);

/* Steps of a child's set-up, as reported when one fails. */
enum priv_stage {
	PRIV_STAGE_NONE = 0,
	PRIV_STAGE_SIGNALS,	 /* sigaction / sigprocmask */
	PRIV_STAGE_SETSID,	 /* setsid */
	PRIV_STAGE_STDIO,	 /* /dev/null on stdin and stdout */
	PRIV_STAGE_FDS,		 /* closing descriptors above 2 */
	PRIV_STAGE_CAPBSET,	 /* PR_CAPBSET_DROP */
	PRIV_STAGE_AMBIENT,	 /* PR_CAP_AMBIENT_CLEAR_ALL */
	PRIV_STAGE_SETGROUPS,	 /* setgroups */
	PRIV_STAGE_SETRESGID,	 /* setresgid */
	PRIV_STAGE_SETRESUID,	 /* setresuid */
	PRIV_STAGE_CAPSET,	 /* capset to nothing */
	PRIV_STAGE_NO_NEW_PRIVS, /* PR_SET_NO_NEW_PRIVS */
	PRIV_STAGE_EXEC,	 /* execve */
	PRIV_STAGE_MAX
};

/* "setresuid", "execve", ... (never NULL). */
const char *priv_stage_name(enum priv_stage s);

/* Exit status of a child whose set-up failed (the pipe says why). */
#define PRIV_EXIT_SETUP 127

/*
 * Apply plan in the calling process (with root_explicit, only the groups
 * and PR_SET_NO_NEW_PRIVS): drop the bounding set (which needs
 * CAP_SETPCAP for every capability still in it) and the ambient set,
 * setgroups/setresgid/setresuid, capset to nothing, PR_SET_NO_NEW_PRIVS.
 * Only for a child about to execve. Returns 0, or -1 with errno set and
 * *stage the step that failed.
 */
int priv_apply(const struct priv_plan *plan, enum priv_stage *stage);

/*
 * The program a command's first word names: name itself when it holds a
 * '/', else the first regular executable file name in PRIV_PATH (execve
 * does not search PATH, and the daemon's own PATH is not the child's).
 * Returns 0 with path filled, -1 with errno ENOENT. Reads the file system
 * (stat), nothing else.
 */
int priv_resolve(const char *name, char *path, size_t size);

#define PRIV_MAX_ENV 16 /* extra environment entries at most */

/*
 * Start path with argv (argv[0] first, NULL-terminated) as plan says,
 * environment PATH=PRIV_PATH and LANG=C only, stdin and stdout on
 * /dev/null, stderr the daemon's. The child has its own session and
 * process group (pgid = pid), default signal dispositions, an empty
 * signal mask and no descriptor above 2. Any failure in the child is
 * fatal to it: it exits PRIV_EXIT_SETUP after writing the stage and errno
 * to *errfd. Returns 0 with *pid and *errfd (non-blocking, close-on-exec:
 * read it with priv_spawn_error() once the child has exited, then close
 * it); -1 with errno set when nothing was started. Never blocks, never
 * logs; async-signal-safe calls only in the child.
 */
int priv_spawn(const char *path, char *const argv[],
    const struct priv_plan *plan, pid_t *pid, int *errfd);

/*
 * priv_spawn() with extra "NAME=value" entries after the fixed ones
 * (extra NULL-terminated, at most PRIV_MAX_ENV, may be NULL); E2BIG when
 * there are more. The strings are copied by fork: they may live on the
 * caller's stack.
 */
int priv_spawn_env(const char *path, char *const argv[], char *const extra[],
    const struct priv_plan *plan, pid_t *pid, int *errfd);

/*
 * What a child of priv_spawn() reported on errfd: 0 when it reached its
 * program (nothing written), 1 with *stage and *err (an errno value) when
 * its set-up failed. Call after the child exited; does not close errfd.
 */
int priv_spawn_error(int errfd, enum priv_stage *stage, int *err);

/*
 * Signal a child's process group, or the child alone while it has not
 * yet made its own (the instant after fork). Returns kill(2)'s result.
 */
int priv_kill_group(pid_t pid, int sig);

#endif /* VRRPD_PRIV_H */
