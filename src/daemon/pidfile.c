/* SPDX-License-Identifier: BSD-2-Clause */
/* The pid file: written once, locked while the daemon runs, removed at exit. */

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/daemon.h"

/* Create the directory of path (one level, as RuntimeDirectory= does). */
static void
make_parent(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (strlen(path) >= sizeof(dir))
		return;
	strcpy(dir, path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return;
	*slash = '\0';
	(void)mkdir(dir, 0755);
}

/* The pid written in a locked file, or 0. */
static long
holder(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int
daemon_pidfile_open(const char *path, long *other)
{
	char buf[32];
	int fd, len, saved;

	*other = 0;
	make_parent(path);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd == -1)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		saved = errno;
		if (saved == EWOULDBLOCK)
			*other = holder(fd);
		close(fd);
		errno = saved;
		return -1;
	}
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, buf, (size_t)len, 0) != len) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	/* 0644 whatever the umask (CVE-2011-1784: never world-writable). */
	(void)fchmod(fd, 0644);
	return fd;
}

void
daemon_pidfile_close(int fd, const char *path)
{
	if (fd < 0)
		return;
	(void)unlink(path);
	close(fd);
}
