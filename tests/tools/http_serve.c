/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A stand-in web service for tests: listens on IPV4:PORT and answers every
 * request with STATUS and a short body, one connection at a time, until
 * SECONDS have passed or it is killed.
 */

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int
ms_left(const struct timespec *end)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int)((end->tv_sec - now.tv_sec) * 1000 +
	    (end->tv_nsec - now.tv_nsec) / 1000000);
}

/* Read the request head (bounded in size and time), then answer. */
static void
serve(int c, int status)
{
	char buf[4096], reply[256];
	struct pollfd p = { .fd = c, .events = POLLIN };
	size_t got = 0;
	ssize_t n;
	int len;

	while (got < sizeof(buf) - 1 && poll(&p, 1, 1000) > 0) {
		if ((n = read(c, buf + got, sizeof(buf) - 1 - got)) <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL)
			break;
	}
	len = snprintf(reply, sizeof(reply),
	    "HTTP/1.1 %d X\r\nContent-Length: 3\r\nConnection: close\r\n\r\n"
	    "ok\n",
	    status);
	(void)write(c, reply, (size_t)len);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct timespec end;
	struct pollfd pfd;
	int fd, c, one = 1, ms;

	if (argc != 5 || inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "usage: http_serve IPV4 PORT STATUS SECONDS\n");
		return 2;
	}
	sin.sin_port = htons((uint16_t)atoi(argv[2]));
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 128) == -1) {
		perror("http_serve");
		return 1;
	}
	printf("listening on %s:%s\n", argv[1], argv[2]);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += atoi(argv[4]);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while ((ms = ms_left(&end)) > 0)
		if (poll(&pfd, 1, ms) > 0 &&
		    (c = accept(fd, NULL, NULL)) >= 0) {
			serve(c, atoi(argv[3]));
			close(c);
		}
	return 0;
}
