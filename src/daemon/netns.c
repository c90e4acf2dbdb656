/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Network namespaces by name, as ip-netns(8) keeps them in /run/netns:
 * entering one (keepalived net_namespace), the name of the one this
 * process runs in (ip netns identify), and the runtime directory that
 * keeps the pid file and control socket of daemons in two namespaces
 * apart (/run/vrrpd/NAME, as keepalived uses /run/keepalived/NAME).
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/daemon.h"

int
daemon_netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd, rc, saved;

	if (strchr(name, '/') != NULL ||
	    snprintf(path, sizeof(path), "%s/%s", DAEMON_NETNS_DIR, name) >=
		(int)sizeof(path)) {
		errno = EINVAL;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	rc = setns(fd, CLONE_NEWNET);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int
daemon_netns_identify(char *name, size_t size)
{
	struct stat self, st;
	struct dirent *de;
	char path[PATH_MAX];
	DIR *d;
	int rc = 1;

	if (size > 0)
		name[0] = '\0';
	if (stat("/proc/self/ns/net", &self) == -1)
		return -1;
	/* pid 1's namespace (the host's) has no name of its own here. */
	if (stat("/proc/1/ns/net", &st) == 0 && same_file(&self, &st))
		return 1;
	if ((d = opendir(DAEMON_NETNS_DIR)) == NULL)
		return errno == ENOENT ? 1 : -1;
	while (rc == 1 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    snprintf(path, sizeof(path), "%s/%s", DAEMON_NETNS_DIR,
			de->d_name) >= (int)sizeof(path) ||
		    stat(path, &st) == -1 || !same_file(&self, &st) ||
		    strlen(de->d_name) >= size)
			continue;
		strcpy(name, de->d_name);
		rc = 0;
	}
	closedir(d);
	return rc;
}

int
daemon_run_path(const char *ns, const char *file, char *buf, size_t size)
{
	int n;

	if (ns == NULL || ns[0] == '\0')
		n = snprintf(buf, size, "%s/%s", DAEMON_RUN_DIR, file);
	else
		n = snprintf(buf, size, "%s/%s/%s", DAEMON_RUN_DIR, ns, file);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

void
daemon_run_dir_remove(const char *ns)
{
	char dir[PATH_MAX];

	if (ns != NULL && ns[0] != '\0' &&
	    snprintf(dir, sizeof(dir), "%s/%s", DAEMON_RUN_DIR, ns) <
		(int)sizeof(dir))
		(void)rmdir(dir); /* only when empty: another daemon's stays */
}

int
daemon_run_dir_make(const char *ns)
{
	char dir[PATH_MAX];

	if (mkdir(DAEMON_RUN_DIR, 0755) == -1 && errno != EEXIST)
		return -1;
	if (ns == NULL || ns[0] == '\0')
		return 0;
	if (snprintf(dir, sizeof(dir), "%s/%s", DAEMON_RUN_DIR, ns) >=
	    (int)sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return -1;
	return 0;
}
