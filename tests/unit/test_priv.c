/* SPDX-License-Identifier: BSD-2-Clause */
/* The privilege module: plans, the script-security walk, spawning. */

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child_test.h"
#include "vrrpd/conf.h"
#include "vrrpd/daemon.h"
#include "vrrpd/priv.h"

/*
 * A fake user database
 */

struct fake_user {
	const char *name;
	uid_t uid;
	gid_t gid;
	gid_t groups[PRIV_MAX_GROUPS + 2];
	size_t ngroups; /* supplementary, besides the base */
};

struct fake_group {
	const char *name;
	gid_t gid;
};

struct fake_db {
	const struct fake_user *users;
	size_t nusers;
	const struct fake_group *groups;
	size_t ngroups;
};

static const struct fake_user *
fake_find(const struct fake_db *db, const char *name)
{
	for (size_t i = 0; i < db->nusers; i++)
		if (strcmp(db->users[i].name, name) == 0)
			return &db->users[i];
	return NULL;
}

static int
fake_user(void *arg, const char *name, struct priv_user *u)
{
	const struct fake_user *f = fake_find(arg, name);

	if (f == NULL)
		return -1;
	u->uid = f->uid;
	u->gid = f->gid;
	return 0;
}

static int
fake_group(void *arg, const char *name, gid_t *gid)
{
	const struct fake_db *db = arg;

	for (size_t i = 0; i < db->ngroups; i++)
		if (strcmp(db->groups[i].name, name) == 0) {
			*gid = db->groups[i].gid;
			return 0;
		}
	return -1;
}

/* getgrouplist(3): base first, then the user's groups. */
static int
fake_grouplist(void *arg, const char *name, gid_t base, gid_t *list, size_t *n)
{
	const struct fake_user *f = fake_find(arg, name);
	size_t max = *n, k = 0;

	ck_assert_ptr_nonnull(f);
	if (k < max)
		list[k] = base;
	k++;
	for (size_t i = 0; i < f->ngroups; i++) {
		if (k < max)
			list[k] = f->groups[i];
		k++;
	}
	*n = k;
	return k > max ? -1 : 0;
}

static const struct fake_user users_all[] = {
	{ "alice", 1000, 1000, { 27, 1000, 44 }, 3 },
	{ "vrrpd-script", 990, 990, { 0 }, 0 },
	{ "keepalived_script", 991, 991, { 0 }, 0 },
	{ "nobody", 65534, 65534, { 0 }, 0 },
};
static const struct fake_group groups_all[] = {
	{ "web", 33 },
	{ "nogroup", 65534 },
};

static struct fake_db fdb;
static struct priv_db db = {
	.user = fake_user,
	.group = fake_group,
	.grouplist = fake_grouplist,
	.arg = &fdb,
};

/* The database with only the users named (NULL-terminated). */
static void
db_with(const char *const *names)
{
	static struct fake_user sel[8];
	size_t n = 0;

	for (; *names != NULL; names++)
		for (size_t i = 0; i < sizeof(users_all) / sizeof(*users_all);
		     i++)
			if (strcmp(users_all[i].name, *names) == 0)
				sel[n++] = users_all[i];
	fdb.users = sel;
	fdb.nusers = n;
	fdb.groups = groups_all;
	fdb.ngroups = sizeof(groups_all) / sizeof(*groups_all);
}

static void
db_full(void)
{
	static const char *const all[] = { "alice", "vrrpd-script",
		"keepalived_script", "nobody", NULL };

	db_with(all);
}

/*
 * plan
 */

START_TEST(plan_configured_user_gets_its_ids_and_groups)
{
	struct priv_plan p;
	char err[128];

	db_full();
	ck_assert_int_eq(priv_plan(&db, "alice", NULL, &p, err, sizeof(err)),
	    0);
	ck_assert_str_eq(p.user, "alice");
	ck_assert_uint_eq(p.uid, 1000);
	ck_assert_uint_eq(p.gid, 1000);
	ck_assert(!p.root_fallback);
	/* The primary group first, then the others once each. */
	ck_assert_uint_eq(p.ngroups, 3);
	ck_assert_uint_eq(p.groups[0], 1000);
	ck_assert_uint_eq(p.groups[1], 27);
	ck_assert_uint_eq(p.groups[2], 44);
}
END_TEST

START_TEST(plan_configured_group_replaces_the_primary_group)
{
	struct priv_plan p;
	char err[128];

	db_full();
	ck_assert_int_eq(priv_plan(&db, "alice", "web", &p, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(p.uid, 1000);
	ck_assert_uint_eq(p.gid, 33);
	ck_assert_uint_eq(p.groups[0], 33);
	ck_assert_uint_eq(p.ngroups, 4); /* 33, 27, 1000, 44 */
	ck_assert_uint_eq(p.groups[2], 1000);
}
END_TEST

START_TEST(plan_unknown_user_is_an_error_naming_it)
{
	struct priv_plan p;
	char err[128];

	db_full();
	ck_assert_int_eq(priv_plan(&db, "mallory", NULL, &p, err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, "unknown user mallory");
}
END_TEST

START_TEST(plan_unknown_group_is_an_error_naming_it)
{
	struct priv_plan p;
	char err[128];

	db_full();
	ck_assert_int_eq(priv_plan(&db, "alice", "wheel", &p, err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, "unknown group wheel");
}
END_TEST

START_TEST(plan_no_user_prefers_vrrpd_script)
{
	struct priv_plan p;
	char err[128];

	db_full();
	ck_assert_int_eq(priv_plan(&db, NULL, NULL, &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.user, "vrrpd-script");
	ck_assert_uint_eq(p.uid, 990);
	ck_assert_uint_eq(p.gid, 990);
	ck_assert(!p.root_fallback);
}
END_TEST

START_TEST(plan_no_user_falls_back_to_keepalived_script)
{
	static const char *const names[] = { "alice", "keepalived_script",
		NULL };
	struct priv_plan p;
	char err[128];

	db_with(names);
	ck_assert_int_eq(priv_plan(&db, NULL, NULL, &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.user, "keepalived_script");
	ck_assert_uint_eq(p.uid, 991);
	ck_assert(!p.root_fallback);
}
END_TEST

START_TEST(plan_no_user_and_no_default_user_is_root_flagged)
{
	static const char *const names[] = { "alice", NULL };
	struct priv_plan p;
	char err[128];

	db_with(names);
	ck_assert_int_eq(priv_plan(&db, NULL, NULL, &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.user, "root");
	ck_assert_uint_eq(p.uid, 0);
	ck_assert_uint_eq(p.gid, 0);
	ck_assert_uint_eq(p.ngroups, 1);
	ck_assert_uint_eq(p.groups[0], 0);
	ck_assert(p.root_fallback);
}
END_TEST

static char said[256];
static int nsaid;

static void
say(const char *msg)
{
	snprintf(said, sizeof(said), "%s", msg);
	nsaid++;
}

/* daemon_host_warnings() for a file, against the fake database. */
static int
host_warnings_of(const char *text)
{
	struct conf *conf = conf_load_mem("h.conf", text, strlen(text), NULL);

	ck_assert_ptr_nonnull(conf);
	ck_assert_uint_eq(conf->nerrors, 0);
	nsaid = 0;
	said[0] = '\0';
	daemon_host_warnings_db(conf, &db, say);
	conf_free(conf);
	return nsaid;
}

/* What the daemon says at start and vrrpd -t says too. */
START_TEST(host_warning_names_scripts_that_would_run_as_root)
{
	static const char *const none[] = { "alice", NULL };
	static const char *const vrrpd[] = { "vrrpd-script", NULL };
	static const char notify[] =
	    "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
	    " notify_master /bin/true\n"
	    " virtual_ipaddress {\n  192.0.2.7\n }\n}\n";

	db_with(none);
	ck_assert_int_eq(host_warnings_of(notify), 1);
	ck_assert_str_eq(said,
	    "no script_user, and neither vrrpd-script nor keepalived_script "
	    "exists: scripts run as root (without capabilities)");
	/* a FIFO reader script counts as well */
	ck_assert_int_eq(host_warnings_of("global_defs {\n"
					  " vrrp_notify_fifo /run/f\n"
					  " vrrp_notify_fifo_script /bin/cat\n"
					  "}\n"),
	    1);
	/* no script, a script user, or a script with its own user: none */
	ck_assert_int_eq(host_warnings_of("vrrp_instance V {\n interface "
					  "eth0\n virtual_router_id 7\n}\n"),
	    0);
	ck_assert_int_eq(host_warnings_of("vrrp_instance V {\n interface "
					  "eth0\n virtual_router_id 7\n"
					  " notify_master /bin/true nobody\n"
					  "}\n"),
	    0);
	db_with(vrrpd);
	ck_assert_int_eq(host_warnings_of(notify), 0);
}
END_TEST

START_TEST(plan_root_fallback_keeps_a_configured_group)
{
	static const char *const names[] = { NULL };
	struct priv_plan p;
	char err[128];

	db_with(names);
	ck_assert_int_eq(priv_plan(&db, NULL, "web", &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.uid, 0);
	ck_assert_uint_eq(p.gid, 33);
	ck_assert(p.root_fallback);
}
END_TEST

START_TEST(plan_refuses_a_name_too_long)
{
	char name[PRIV_NAME_MAX + 2];
	struct priv_plan p;
	char err[128];

	db_full();
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_int_eq(priv_plan(&db, name, NULL, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "user or group name too long");
}
END_TEST

START_TEST(plan_refuses_too_many_groups)
{
	static struct fake_user big = { "big", 5000, 5000, { 0 },
		PRIV_MAX_GROUPS };
	struct priv_plan p;
	char err[128];

	for (size_t i = 0; i < PRIV_MAX_GROUPS; i++)
		big.groups[i] = (gid_t)(6000 + i);
	fdb.users = &big;
	fdb.nusers = 1;
	ck_assert_int_eq(priv_plan(&db, "big", NULL, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "user big is in more than 64 groups");
	/* One fewer fits exactly (the base makes 64). */
	big.ngroups = PRIV_MAX_GROUPS - 1;
	ck_assert_int_eq(priv_plan(&db, "big", NULL, &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.ngroups, PRIV_MAX_GROUPS);
}
END_TEST

START_TEST(plan_system_database_knows_nobody_and_root)
{
	struct priv_plan p;
	char err[128];

	ck_assert_int_eq(
	    priv_plan(&priv_db_system, "nobody", NULL, &p, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(p.uid, 65534);
	ck_assert_uint_eq(p.gid, 65534);
	ck_assert_uint_ge(p.ngroups, 1);
	ck_assert_uint_eq(p.groups[0], 65534);
	ck_assert_int_eq(
	    priv_plan(&priv_db_system, "root", NULL, &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.uid, 0);
	ck_assert_int_eq(priv_plan(&priv_db_system, "no-such-user-vrrpd", NULL,
			     &p, err, sizeof(err)),
	    -1);
}
END_TEST

START_TEST(stage_names_are_all_set)
{
	for (int s = 0; s < PRIV_STAGE_MAX; s++)
		ck_assert_ptr_nonnull(priv_stage_name(s));
	ck_assert_str_eq(priv_stage_name(PRIV_STAGE_SETRESUID), "setresuid");
	ck_assert_str_eq(priv_stage_name(PRIV_STAGE_MAX), "unknown");
}
END_TEST

/*
 * enable_script_security's walk: a tree under /run (root, 0755 all the
 * way down, unlike /tmp; see child_test.h), chown needs root.
 */

static char base[128];

static void
tree_setup(void)
{
	char why[PATH_MAX + 96];

	ck_assert_msg(geteuid() == 0, "the security walk tests need root");
	child_test_dir(base, sizeof(base));
	ck_assert_msg(priv_path_check(base, why, sizeof(why)) == 0,
	    "the base directory itself is unsafe: %s", why);
}

/* Make BASE/rel (a directory when it ends in '/') with mode and owner. */
static const char *
mk(const char *rel, mode_t mode, uid_t uid)
{
	static char p[PATH_MAX];
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	n = strlen(p);
	if (p[n - 1] == '/') {
		p[n - 1] = '\0';
		ck_assert_int_eq(mkdir(p, 0700), 0);
	} else {
		FILE *f = fopen(p, "w");

		ck_assert_ptr_nonnull(f);
		fputs("#!/bin/sh\nexit 0\n", f);
		fclose(f);
	}
	ck_assert_int_eq(chown(p, uid, 0), 0);
	ck_assert_int_eq(chmod(p, mode), 0);
	return p;
}

static void
expect_refused(const char *path, const char *rel, const char *what)
{
	char why[PATH_MAX + 96], want[PATH_MAX + 96];

	snprintf(want, sizeof(want), "%s/%s %s", base, rel, what);
	ck_assert_int_eq(priv_path_check(path, why, sizeof(why)), 1);
	ck_assert_str_eq(why, want);
}

START_TEST(path_root_owned_and_closed_is_safe)
{
	char why[PATH_MAX + 96];

	mk("bin/", 0755, 0);
	ck_assert_int_eq(
	    priv_path_check(mk("bin/chk", 0755, 0), why, sizeof(why)), 0);
}
END_TEST

START_TEST(path_directory_writable_by_others_is_named)
{
	mk("bin/", 0777, 0);
	expect_refused(mk("bin/chk", 0755, 0), "bin",
	    "is mode 0777 owned by uid 0 (writable by others)");
}
END_TEST

START_TEST(path_directory_writable_by_group_is_named)
{
	mk("bin/", 0775, 0);
	expect_refused(mk("bin/chk", 0755, 0), "bin",
	    "is mode 0775 owned by uid 0 (writable by group)");
}
END_TEST

START_TEST(path_sticky_directory_is_still_writable_by_others)
{
	mk("tmp/", 01777, 0);
	expect_refused(mk("tmp/chk", 0755, 0), "tmp",
	    "is mode 1777 owned by uid 0 (writable by others)");
}
END_TEST

START_TEST(path_directory_owned_by_a_user_is_named)
{
	mk("home/", 0755, 65534);
	expect_refused(mk("home/chk", 0755, 0), "home",
	    "is mode 0755 owned by uid 65534 (owned by a non-root user)");
}
END_TEST

START_TEST(path_upper_directory_is_checked_too)
{
	mk("a/", 0757, 0);
	mk("a/b/", 0755, 0);
	expect_refused(mk("a/b/chk", 0755, 0), "a",
	    "is mode 0757 owned by uid 0 (writable by others)");
}
END_TEST

START_TEST(path_file_writable_by_others_is_named)
{
	mk("bin/", 0755, 0);
	expect_refused(mk("bin/chk", 0757, 0), "bin/chk",
	    "is mode 0757 owned by uid 0 (writable by others)");
}
END_TEST

START_TEST(path_file_owned_by_a_user_is_named)
{
	mk("bin/", 0755, 0);
	expect_refused(mk("bin/chk", 0755, 65534), "bin/chk",
	    "is mode 0755 owned by uid 65534 (owned by a non-root user)");
}
END_TEST

START_TEST(path_symlink_target_is_checked)
{
	char link[PATH_MAX];
	const char *target;

	mk("bin/", 0755, 0);
	mk("open/", 0777, 0);
	target = mk("open/chk", 0755, 0);
	snprintf(link, sizeof(link), "%s/bin/chk", base);
	ck_assert_int_eq(symlink(target, link), 0);
	expect_refused(link, "open",
	    "is mode 0777 owned by uid 0 (writable by others)");
}
END_TEST

START_TEST(path_symlink_to_a_safe_file_is_safe)
{
	char link[PATH_MAX], why[PATH_MAX + 96];
	const char *target;

	mk("bin/", 0755, 0);
	mk("lib/", 0755, 0);
	target = mk("lib/chk", 0755, 0);
	snprintf(link, sizeof(link), "%s/bin/chk", base);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(priv_path_check(link, why, sizeof(why)), 0);
}
END_TEST

START_TEST(path_missing_file_is_an_errno)
{
	char p[PATH_MAX], why[PATH_MAX + 96];

	snprintf(p, sizeof(p), "%s/nothing", base);
	errno = 0;
	ck_assert_int_eq(priv_path_check(p, why, sizeof(why)), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(why, p);
}
END_TEST

START_TEST(path_relative_is_refused)
{
	char why[PATH_MAX + 96];

	errno = 0;
	ck_assert_int_eq(priv_path_check("bin/chk", why, sizeof(why)), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(path_tmp_is_refused)
{
	char why[PATH_MAX + 96];
	struct stat st;

	ck_assert_int_eq(stat("/tmp", &st), 0);
	ck_assert_msg(st.st_mode & S_IWOTH, "/tmp is not world-writable here");
	ck_assert_int_eq(priv_path_check("/tmp", why, sizeof(why)), 1);
	ck_assert_ptr_nonnull(strstr(why, "/tmp is mode 1777"));
}
END_TEST

/*
 * spawn: set-up failures come back through the pipe
 */

static int
spawn_wait(const char *path, const struct priv_plan *plan, int *status,
    enum priv_stage *stage, int *err)
{
	char *argv[] = { (char *)(uintptr_t)path, NULL };
	pid_t pid;
	int fd, r;

	ck_assert_int_eq(priv_spawn(path, argv, plan, &pid, &fd), 0);
	ck_assert_int_eq(waitpid(pid, status, 0), pid);
	r = priv_spawn_error(fd, stage, err);
	close(fd);
	return r;
}

static void
plan_nobody(struct priv_plan *p)
{
	char err[128];

	ck_assert_int_eq(
	    priv_plan(&priv_db_system, "nobody", NULL, p, err, sizeof(err)), 0);
}

START_TEST(spawn_reports_exec_enoent)
{
	struct priv_plan p;
	enum priv_stage stage;
	int status, err;

	plan_nobody(&p);
	ck_assert_int_eq(
	    spawn_wait("/nonexistent/chk", &p, &status, &stage, &err), 1);
	ck_assert_int_eq(stage, PRIV_STAGE_EXEC);
	ck_assert_int_eq(err, ENOENT);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), PRIV_EXIT_SETUP);
}
END_TEST

START_TEST(spawn_reports_nothing_when_the_program_runs)
{
	struct priv_plan p;
	enum priv_stage stage;
	int status, err;

	plan_nobody(&p);
	ck_assert_int_eq(spawn_wait("/bin/false", &p, &status, &stage, &err),
	    0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 1);
}
END_TEST

START_TEST(spawn_setgroups_failure_is_fatal_in_the_child)
{
	struct priv_plan p;
	enum priv_stage stage;
	int status, err;

	plan_nobody(&p);
	/* A list longer than NGROUPS_MAX: setgroups fails with EINVAL. */
	p.ngroups = (size_t)1 << 20;
	ck_assert_int_eq(spawn_wait("/bin/true", &p, &status, &stage, &err), 1);
	ck_assert_int_eq(stage, PRIV_STAGE_SETGROUPS);
	ck_assert_int_eq(err, EINVAL);
	ck_assert_int_eq(WEXITSTATUS(status), PRIV_EXIT_SETUP);
}
END_TEST

START_TEST(spawn_env_appends_extra_entries)
{
	char *argv[] = { "sh", "-c",
		"test \"$VRRPD_STATE\" = MASTER && test \"$LANG\" = C && "
		"test \"$PATH\" = " PRIV_PATH " && test -z \"$HOME\"",
		NULL };
	char *extra[] = { "VRRPD_STATE=MASTER", NULL };
	struct priv_plan p;
	pid_t pid;
	int fd, status;

	plan_nobody(&p);
	ck_assert_int_eq(priv_spawn_env("/bin/sh", argv, extra, &p, &pid, &fd),
	    0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	close(fd);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(spawn_env_refuses_too_many_entries)
{
	char *argv[] = { "true", NULL };
	char *extra[PRIV_MAX_ENV + 2];
	struct priv_plan p;
	pid_t pid;
	int fd;

	plan_nobody(&p);
	for (int i = 0; i <= PRIV_MAX_ENV; i++)
		extra[i] = "X=1";
	extra[PRIV_MAX_ENV + 1] = NULL;
	errno = 0;
	ck_assert_int_eq(
	    priv_spawn_env("/bin/true", argv, extra, &p, &pid, &fd), -1);
	ck_assert_int_eq(errno, E2BIG);
}
END_TEST

START_TEST(resolve_searches_the_fixed_path)
{
	char path[PATH_MAX];
	struct stat st;

	ck_assert_int_eq(priv_resolve("true", path, sizeof(path)), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(strcmp(path, "/usr/bin/true") == 0 ||
	    strcmp(path, "/bin/true") == 0);
	ck_assert_int_eq(priv_resolve("./rel/chk", path, sizeof(path)), 0);
	ck_assert_str_eq(path, "./rel/chk");
	errno = 0;
	ck_assert_int_eq(
	    priv_resolve("no-such-command-vrrpd", path, sizeof(path)), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* Without CAP_SETPCAP the bounding set cannot be emptied: fatal. */
START_TEST(spawn_without_cap_setpcap_fails_in_the_child)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	struct priv_plan p;
	enum priv_stage stage;
	int status, err;

	plan_nobody(&p);
	ck_assert_int_eq(syscall(SYS_capget, &hdr, d), 0);
	d[CAP_SETPCAP / 32].effective &= ~(1u << (CAP_SETPCAP % 32));
	d[CAP_SETPCAP / 32].permitted &= ~(1u << (CAP_SETPCAP % 32));
	ck_assert_int_eq(syscall(SYS_capset, &hdr, d), 0);
	ck_assert_int_eq(spawn_wait("/bin/true", &p, &status, &stage, &err), 1);
	ck_assert_int_eq(stage, PRIV_STAGE_CAPBSET);
	ck_assert_int_eq(err, EPERM);
}
END_TEST

START_TEST(kill_group_refuses_pid_zero)
{
	errno = 0;
	ck_assert_int_eq(priv_kill_group(0, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static Suite *
priv_suite(void)
{
	Suite *s = suite_create("priv");
	TCase *tc;

	tc = tcase_create("plan");
	tcase_add_test(tc, plan_configured_user_gets_its_ids_and_groups);
	tcase_add_test(tc, plan_configured_group_replaces_the_primary_group);
	tcase_add_test(tc, plan_unknown_user_is_an_error_naming_it);
	tcase_add_test(tc, plan_unknown_group_is_an_error_naming_it);
	tcase_add_test(tc, plan_no_user_prefers_vrrpd_script);
	tcase_add_test(tc, plan_no_user_falls_back_to_keepalived_script);
	tcase_add_test(tc, plan_no_user_and_no_default_user_is_root_flagged);
	tcase_add_test(tc, plan_root_fallback_keeps_a_configured_group);
	tcase_add_test(tc, host_warning_names_scripts_that_would_run_as_root);
	tcase_add_test(tc, plan_refuses_a_name_too_long);
	tcase_add_test(tc, plan_refuses_too_many_groups);
	tcase_add_test(tc, plan_system_database_knows_nobody_and_root);
	tcase_add_test(tc, stage_names_are_all_set);
	suite_add_tcase(s, tc);

	tc = tcase_create("security walk");
	tcase_add_unchecked_fixture(tc, child_test_setup, child_test_teardown);
	tcase_add_checked_fixture(tc, tree_setup, NULL);
	tcase_add_test(tc, path_root_owned_and_closed_is_safe);
	tcase_add_test(tc, path_directory_writable_by_others_is_named);
	tcase_add_test(tc, path_directory_writable_by_group_is_named);
	tcase_add_test(tc, path_sticky_directory_is_still_writable_by_others);
	tcase_add_test(tc, path_directory_owned_by_a_user_is_named);
	tcase_add_test(tc, path_upper_directory_is_checked_too);
	tcase_add_test(tc, path_file_writable_by_others_is_named);
	tcase_add_test(tc, path_file_owned_by_a_user_is_named);
	tcase_add_test(tc, path_symlink_target_is_checked);
	tcase_add_test(tc, path_symlink_to_a_safe_file_is_safe);
	tcase_add_test(tc, path_missing_file_is_an_errno);
	tcase_add_test(tc, path_relative_is_refused);
	tcase_add_test(tc, path_tmp_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("spawn");
	tcase_add_unchecked_fixture(tc, child_test_setup, child_test_teardown);
	tcase_add_test(tc, spawn_reports_exec_enoent);
	tcase_add_test(tc, spawn_reports_nothing_when_the_program_runs);
	tcase_add_test(tc, spawn_setgroups_failure_is_fatal_in_the_child);
	tcase_add_test(tc, spawn_env_appends_extra_entries);
	tcase_add_test(tc, spawn_env_refuses_too_many_entries);
	tcase_add_test(tc, resolve_searches_the_fixed_path);
	tcase_add_test(tc, spawn_without_cap_setpcap_fails_in_the_child);
	tcase_add_test(tc, kill_group_refuses_pid_zero);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(priv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
