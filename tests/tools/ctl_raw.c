/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A raw control socket client for tests: connects to the Unix socket PATH,
 * sends stdin as it is (no framing, nothing checked), shuts down its write
 * side and copies the reply to stdout, within 10 s. For malformed and
 * oversized requests vrrpctl never builds.
 */

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
copy(int from, int to)
{
	char buf[65536];
	ssize_t n, w;

	while ((n = read(from, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < n; off += w)
			if ((w = write(to, buf + off, (size_t)(n - off))) <= 0)
				return -1;
	return n == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 10 };
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: ctl_raw PATH <request\n");
		return 2;
	}
	strcpy(sun.sun_path, argv[1]);
	signal(SIGPIPE, SIG_IGN);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		fprintf(stderr, "ctl_raw: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* The daemon may answer (too_big) before all of stdin is sent. */
	if (copy(STDIN_FILENO, fd) != 0 && errno != EPIPE &&
	    errno != ECONNRESET)
		fprintf(stderr, "ctl_raw: send: %s\n", strerror(errno));
	shutdown(fd, SHUT_WR);
	/* A reset after a too_big reply: the daemon dropped the rest. */
	if (copy(fd, STDOUT_FILENO) != 0 && errno != ECONNRESET) {
		fprintf(stderr, "ctl_raw: receive: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
