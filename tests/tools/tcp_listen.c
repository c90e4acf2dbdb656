/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A stand-in service for tests: listens on ADDRESS:PORT (numeric), accepts
 * and closes every connection, until SECONDS have passed or it is killed.
 * With "hang" it never accepts: the kernel completes each handshake and
 * the client's first request goes unanswered (a server that hangs).
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

int
main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct timespec now, end;
	struct pollfd pfd;
	int fd, c, one = 1, ms;
	int hang;

	if ((argc != 4 && argc != 5) ||
	    inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1 ||
	    (argc == 5 && strcmp(argv[4], "hang") != 0)) {
		fprintf(stderr, "usage: tcp_listen IPV4 PORT SECONDS [hang]\n");
		return 2;
	}
	hang = argc == 5;
	sin.sin_port = htons((uint16_t)atoi(argv[2]));
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 128) == -1) {
		perror("tcp_listen");
		return 1;
	}
	printf("listening on %s:%s\n", argv[1], argv[2]);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += atoi(argv[3]);
	pfd.fd = fd;
	pfd.events = hang ? 0 : POLLIN;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (int)((end.tv_sec - now.tv_sec) * 1000 +
		    (end.tv_nsec - now.tv_nsec) / 1000000);
		if (ms <= 0)
			break;
		if (poll(&pfd, 1, ms) > 0 && !hang &&
		    (c = accept(fd, NULL, NULL)) >= 0)
			close(c);
	}
	return 0;
}
