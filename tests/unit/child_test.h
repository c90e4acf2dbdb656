/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * For tests that start processes and make files: a base directory and a
 * subreaper made in the runner (Check's unchecked fixture), so that when a
 * test fails (Check's child leaves with _exit: no atexit, no teardown)
 * its leftover processes come back to the runner and are killed by pid,
 * and its files go with the base directory.
 */

#ifndef VRRPD_CHILD_TEST_H
#define VRRPD_CHILD_TEST_H

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char child_test_base[64];

static int
child_test_rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

/* Our children, by /proc/PID/stat's ppid: killed with their groups. */
static int
child_test_kill_orphans(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char p[64], buf[512], *rp;
		long pid = strtol(e->d_name, NULL, 10), ppid, pgrp;
		FILE *f;
		char state;

		if (pid <= 0)
			continue;
		snprintf(p, sizeof(p), "/proc/%ld/stat", pid);
		if ((f = fopen(p, "r")) == NULL)
			continue;
		rp = fgets(buf, sizeof(buf), f);
		fclose(f);
		if (rp == NULL || (rp = strrchr(buf, ')')) == NULL ||
		    sscanf(rp + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3 ||
		    ppid != (long)getpid())
			continue;
		if (pgrp == pid)
			(void)kill(-(pid_t)pid, SIGKILL);
		(void)kill((pid_t)pid, SIGKILL);
		n++;
	}
	closedir(d);
	return n;
}

/* Unchecked setup: runs once in the runner, before a TCase's tests. */
static void
child_test_setup(void)
{
	snprintf(child_test_base, sizeof(child_test_base),
	    "/run/vrrpd-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(child_test_base));
	ck_assert_int_eq(chmod(child_test_base, 0755), 0);
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
}

/* Unchecked teardown: every leftover process killed and reaped. */
static void
child_test_teardown(void)
{
	while (child_test_kill_orphans() > 0)
		while (waitpid(-1, NULL, 0) > 0)
			;
	if (child_test_base[0] != '\0')
		nftw(child_test_base, child_test_rm, 16, FTW_DEPTH | FTW_PHYS);
	child_test_base[0] = '\0';
}

/* A fresh directory for one test (mode 0755) under the base, in dir. */
static void
child_test_dir(char *dir, size_t size)
{
	ck_assert_msg(child_test_base[0] != '\0', "no base directory");
	snprintf(dir, size, "%s/t.XXXXXX", child_test_base);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
}

#endif /* VRRPD_CHILD_TEST_H */
