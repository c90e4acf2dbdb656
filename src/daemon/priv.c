/* SPDX-License-Identifier: BSD-2-Clause */
/* Users, groups, capabilities and clean children (STYLE §3.8). */

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/priv.h"

static const char *const stage_names[] = {
	[PRIV_STAGE_NONE] = "none",
	[PRIV_STAGE_SIGNALS] = "signals",
	[PRIV_STAGE_SETSID] = "setsid",
	[PRIV_STAGE_STDIO] = "stdio",
	[PRIV_STAGE_FDS] = "close descriptors",
	[PRIV_STAGE_CAPBSET] = "capability bounding set",
	[PRIV_STAGE_AMBIENT] = "ambient capabilities",
	[PRIV_STAGE_SETGROUPS] = "setgroups",
	[PRIV_STAGE_SETRESGID] = "setresgid",
	[PRIV_STAGE_SETRESUID] = "setresuid",
	[PRIV_STAGE_CAPSET] = "capset",
	[PRIV_STAGE_NO_NEW_PRIVS] = "no_new_privs",
	[PRIV_STAGE_EXEC] = "execve",
};

const char *
priv_stage_name(enum priv_stage s)
{
	if ((unsigned int)s >= PRIV_STAGE_MAX)
		return "unknown";
	return stage_names[s];
}

/* ---- the system database ---- */

static int
sys_user(void *arg, const char *name, struct priv_user *u)
{
	struct passwd pw, *res = NULL;
	char buf[16384];

	(void)arg;
	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return -1;
	u->uid = pw.pw_uid;
	u->gid = pw.pw_gid;
	return 0;
}

static int
sys_group(void *arg, const char *name, gid_t *gid)
{
	struct group gr, *res = NULL;
	char buf[16384];

	(void)arg;
	if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) != 0 || res == NULL)
		return -1;
	*gid = gr.gr_gid;
	return 0;
}

static int
sys_grouplist(void *arg, const char *name, gid_t base, gid_t *list, size_t *n)
{
	int ngroups = *n > INT_MAX ? INT_MAX : (int)*n;

	(void)arg;
	if (getgrouplist(name, base, list, &ngroups) == -1)
		return -1;
	*n = (size_t)ngroups;
	return 0;
}

const struct priv_db priv_db_system = {
	.user = sys_user,
	.group = sys_group,
	.grouplist = sys_grouplist,
};

/* ---- plan ---- */

/* The configured user, else vrrpd's default chain; 1 for root. */
static int
plan_user(const struct priv_db *db, const char *user, struct priv_user *u,
    const char **name)
{
	static const char *const chain[] = { PRIV_DEFAULT_USER,
		PRIV_KEEPALIVED_USER };

	if (user != NULL) {
		*name = user;
		return db->user(db->arg, user, u);
	}
	for (size_t i = 0; i < sizeof(chain) / sizeof(chain[0]); i++)
		if (db->user(db->arg, chain[i], u) == 0) {
			*name = chain[i];
			return 0;
		}
	*name = "root";
	u->uid = 0;
	u->gid = 0;
	return 1;
}

int
priv_plan(const struct priv_db *db, const char *user, const char *group,
    struct priv_plan *out, char *err, size_t errsize)
{
	gid_t list[PRIV_MAX_GROUPS];
	size_t n = PRIV_MAX_GROUPS;
	struct priv_user u;
	const char *name;
	int r;

	memset(out, 0, sizeof(*out));
	snprintf(err, errsize, "no error");
	if ((user != NULL && strlen(user) > PRIV_NAME_MAX) ||
	    (group != NULL && strlen(group) > PRIV_NAME_MAX)) {
		snprintf(err, errsize, "user or group name too long");
		return -1;
	}
	if ((r = plan_user(db, user, &u, &name)) < 0) {
		snprintf(err, errsize, "unknown user %s", user);
		return -1;
	}
	out->root_fallback = r == 1;
	out->root_explicit = user != NULL && u.uid == 0;
	snprintf(out->user, sizeof(out->user), "%s", name);
	out->uid = u.uid;
	out->gid = u.gid;
	if (group != NULL && db->group(db->arg, group, &out->gid) != 0) {
		snprintf(err, errsize, "unknown group %s", group);
		return -1;
	}
	out->groups[out->ngroups++] = out->gid;
	if (out->root_fallback)
		return 0;
	if (db->grouplist(db->arg, name, out->gid, list, &n) != 0 ||
	    n > PRIV_MAX_GROUPS) {
		snprintf(err, errsize, "user %s is in more than %d groups",
		    name, PRIV_MAX_GROUPS);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < out->ngroups; j++)
			if (out->groups[j] == list[i])
				break;
		if (j == out->ngroups)
			out->groups[out->ngroups++] = list[i];
	}
	return 0;
}

/* ---- enable_script_security ---- */

/* One component: 1 and why when unsafe; symbolic links pass here. */
static int
path_check_one(const char *p, char *why, size_t whysize)
{
	struct stat st;
	const char *how;

	if (lstat(p, &st) == -1) {
		snprintf(why, whysize, "%s", p);
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		return 0;
	if (st.st_uid != 0)
		how = "owned by a non-root user";
	else if (st.st_mode & S_IWOTH)
		how = "writable by others";
	else if (st.st_mode & S_IWGRP)
		how = "writable by group";
	else
		return 0;
	snprintf(why, whysize, "%s is mode %04o owned by uid %u (%s)", p,
	    (unsigned int)(st.st_mode & 07777), (unsigned int)st.st_uid, how);
	return 1;
}

/* "/", then every prefix ending before a '/', then the whole path. */
static int
path_walk(const char *path, char *why, size_t whysize)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);
	int r;

	if (len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		snprintf(why, whysize, "%s", path);
		return -1;
	}
	if ((r = path_check_one("/", why, whysize)) != 0)
		return r;
	for (size_t i = 1; i < len; i++) {
		if (path[i] != '/' || path[i - 1] == '/')
			continue;
		memcpy(buf, path, i);
		buf[i] = '\0';
		if ((r = path_check_one(buf, why, whysize)) != 0)
			return r;
	}
	return path_check_one(path, why, whysize);
}

int
priv_path_check(const char *path, char *why, size_t whysize)
{
	char real[PATH_MAX];
	int r;

	if (path[0] != '/') {
		errno = EINVAL;
		snprintf(why, whysize, "%s", path);
		return -1;
	}
	if ((r = path_walk(path, why, whysize)) != 0)
		return r;
	/* A link is only as safe as what it points to. */
	if (realpath(path, real) == NULL) {
		snprintf(why, whysize, "%s", path);
		return -1;
	}
	if (strcmp(real, path) == 0)
		return 0;
	return path_walk(real, why, whysize);
}

int
priv_resolve(const char *name, char *path, size_t size)
{
	const char *dir = PRIV_PATH, *end;
	struct stat st;

	if (strchr(name, '/') != NULL) {
		if ((size_t)snprintf(path, size, "%s", name) >= size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		return 0;
	}
	for (; *dir != '\0'; dir = *end == ':' ? end + 1 : end) {
		end = strchrnul(dir, ':');
		if ((size_t)snprintf(path, size, "%.*s/%s", (int)(end - dir),
			dir, name) >= size)
			continue;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mode & 0111) != 0)
			return 0;
	}
	errno = ENOENT;
	return -1;
}

/* ---- applying a plan (in a child) ---- */

static int
drop_bounding(void)
{
	for (unsigned long cap = 0; cap < 64; cap++) {
		int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);

		if (r == -1 && errno == EINVAL)
			return 0; /* past the kernel's last capability */
		if (r == -1)
			return -1;
		if (r == 1 && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1)
			return -1;
	}
	return 0;
}

static int
capset_none(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	return (int)syscall(SYS_capset, &h, d);
}

int
priv_apply(const struct priv_plan *plan, enum priv_stage *stage)
{
	/* The bounding set needs CAP_SETPCAP, gone once the uid changes. */
	*stage = PRIV_STAGE_CAPBSET;
	if (!plan->root_explicit && drop_bounding() == -1)
		return -1;
	*stage = PRIV_STAGE_AMBIENT;
	if (!plan->root_explicit &&
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1)
		return -1;
	*stage = PRIV_STAGE_SETGROUPS;
	if (setgroups(plan->ngroups, plan->groups) == -1)
		return -1;
	*stage = PRIV_STAGE_SETRESGID;
	if (setresgid(plan->gid, plan->gid, plan->gid) == -1)
		return -1;
	*stage = PRIV_STAGE_SETRESUID;
	if (setresuid(plan->uid, plan->uid, plan->uid) == -1)
		return -1;
	*stage = PRIV_STAGE_CAPSET;
	if (!plan->root_explicit && capset_none() == -1)
		return -1;
	*stage = PRIV_STAGE_NO_NEW_PRIVS;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	*stage = PRIV_STAGE_NONE;
	return 0;
}

/* ---- spawning ---- */

struct spawn_msg {
	int stage;
	int err;
};

static int
child_signals(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	/* Handlers first, so that unblocking delivers nothing stale. */
	for (int sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL); /* KILL, STOP: EINVAL */
	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The report pipe moves to 3 (close-on-exec); everything above goes. */
static int
child_fds(int *errfd)
{
	if (*errfd != 3) {
		if (dup3(*errfd, 3, O_CLOEXEC) == -1)
			return -1;
		*errfd = 3;
	}
	if (close_range(4, ~0U, 0) == 0)
		return 0;
	for (long fd = 4, max = sysconf(_SC_OPEN_MAX); fd < max; fd++)
		(void)close((int)fd);
	return 0;
}

static int
child_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd == -1)
		return -1;
	if (dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1)
		return -1;
	return close(fd);
}

static int
child_setup(int *errfd, enum priv_stage *stage)
{
	*stage = PRIV_STAGE_SIGNALS;
	if (child_signals() == -1)
		return -1;
	*stage = PRIV_STAGE_SETSID;
	if (setsid() == -1)
		return -1;
	*stage = PRIV_STAGE_FDS;
	if (child_fds(errfd) == -1)
		return -1;
	*stage = PRIV_STAGE_STDIO;
	return child_stdio();
}

static void child_run(const char *path, char *const argv[], char *const envp[],
    const struct priv_plan *plan, int errfd) __attribute__((noreturn));

static void
child_run(const char *path, char *const argv[], char *const envp[],
    const struct priv_plan *plan, int errfd)
{
	struct spawn_msg m;
	enum priv_stage stage;

	if (child_setup(&errfd, &stage) == 0 && priv_apply(plan, &stage) == 0) {
		stage = PRIV_STAGE_EXEC;
		execve(path, argv, envp);
	}
	m.stage = (int)stage;
	m.err = errno;
	(void)!write(errfd, &m, sizeof(m));
	_exit(PRIV_EXIT_SETUP);
}

int
priv_spawn(const char *path, char *const argv[], const struct priv_plan *plan,
    pid_t *pid, int *errfd)
{
	return priv_spawn_env(path, argv, NULL, plan, pid, errfd);
}

int
priv_spawn_env(const char *path, char *const argv[], char *const extra[],
    const struct priv_plan *plan, pid_t *pid, int *errfd)
{
	static char path_env[] = "PATH=" PRIV_PATH, lang_env[] = "LANG=C";
	char *envp[PRIV_MAX_ENV + 3] = { path_env, lang_env };
	size_t n = 2;
	int p[2], saved;
	pid_t child;

	for (; extra != NULL && extra[n - 2] != NULL; n++) {
		if (n - 2 == PRIV_MAX_ENV) {
			errno = E2BIG;
			return -1;
		}
		envp[n] = extra[n - 2];
	}
	envp[n] = NULL;
	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) == -1)
		goto fail;
	if ((child = fork()) == -1)
		goto fail;
	if (child == 0)
		child_run(path, argv, envp, plan, p[1]);
	close(p[1]);
	*pid = child;
	*errfd = p[0];
	return 0;
fail:
	saved = errno;
	close(p[0]);
	close(p[1]);
	errno = saved;
	return -1;
}

int
priv_spawn_error(int errfd, enum priv_stage *stage, int *err)
{
	struct spawn_msg m;

	if (read(errfd, &m, sizeof(m)) != (ssize_t)sizeof(m))
		return 0;
	*stage =
	    m.stage > 0 && m.stage < PRIV_STAGE_MAX ? m.stage : PRIV_STAGE_NONE;
	*err = m.err;
	return 1;
}

int
priv_kill_group(pid_t pid, int sig)
{
	if (pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	if (kill(-pid, sig) == 0)
		return 0;
	if (errno != ESRCH)
		return -1;
	/* Not yet the leader of its own group: the instant after fork. */
	return kill(pid, sig);
}
