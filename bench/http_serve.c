/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The local services of bench/checks: counts what health checks do to it.
 *
 *   http_serve IPV4 SECONDS TCP_FIRST TCP_LAST HTTP_PORT
 *
 * Listens on IPV4:TCP_FIRST..TCP_LAST (a TCP check's service: accepts,
 * counts the connection, and closes it once the client has closed or reset
 * it) and on IPV4:HTTP_PORT (an HTTP/1.x server: every request, whatever
 * its path, is counted and answered "200 OK" with the body "ok\n"; the
 * connection stays open for more requests until the client closes it, or
 * 10 s without traffic). One thread, epoll, non-blocking sockets. Runs until
 * SECONDS have passed or SIGTERM. On SIGUSR1 it prints one line:
 *
 *   counts T_NS tcp N http N errors N open N ports P:N P:N ...
 *
 * with T_NS the CLOCK_REALTIME time in ns, the totals since start (tcp:
 * connections accepted on the TCP ports, http: requests answered, errors:
 * malformed or oversized requests), the connections open at that moment,
 * and the connections accepted per TCP port.
 */

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 64
#define REQ_MAX	  4096
#define IDLE_S	  10

struct conn {
	int fd;
	int http; /* 0: a TCP check's connection */
	time_t last;
	size_t len;
	char buf[REQ_MAX];
	struct conn *next, *prev;
};

static volatile sig_atomic_t report, quit;
static unsigned long long n_tcp, n_http, n_err, per_port[MAX_PORTS];
static long n_open;
static struct conn *conns;

static const char reply[] = "HTTP/1.1 200 OK\r\n"
			    "Content-Type: text/plain\r\n"
			    "Content-Length: 3\r\n"
			    "\r\n"
			    "ok\n";

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		report = 1;
	else
		quit = 1;
}

static int
listener(struct in_addr addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, one = 1;

	sin.sin_addr = addr;
	sin.sin_port = htons((uint16_t)port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 4096) == -1) {
		fprintf(stderr, "http_serve: port %d: %s\n", port,
		    strerror(errno));
		exit(1);
	}
	return fd;
}

static void
drop(int ep, struct conn *c)
{
	(void)epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
	n_open--;
}

/* Answers every complete request in the buffer; 0 to keep the connection. */
static int
serve(struct conn *c)
{
	char *end;
	size_t used;

	while ((end = memmem(c->buf, c->len, "\r\n\r\n", 4)) != NULL) {
		used = (size_t)(end - c->buf) + 4;
		/* the reply is small: one write on a fresh socket buffer */
		if (write(c->fd, reply, sizeof(reply) - 1) !=
		    (ssize_t)(sizeof(reply) - 1))
			return -1;
		n_http++;
		memmove(c->buf, c->buf + used, c->len - used);
		c->len -= used;
	}
	if (c->len == sizeof(c->buf)) {
		n_err++;
		return -1;
	}
	return 0;
}

static void
readable(int ep, struct conn *c, time_t now)
{
	ssize_t n;

	for (;;) {
		if (c->http)
			n = read(c->fd, c->buf + c->len,
			    sizeof(c->buf) - c->len);
		else
			n = read(c->fd, c->buf, sizeof(c->buf));
		if (n > 0) {
			c->last = now;
			if (c->http) {
				c->len += (size_t)n;
				if (serve(c) != 0) {
					drop(ep, c);
					return;
				}
			}
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		/* end of file, or reset: the client is done */
		drop(ep, c);
		return;
	}
}

static void
print_counts(int first, int last)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	printf("counts %lld%09ld tcp %llu http %llu errors %llu open %ld ports",
	    (long long)ts.tv_sec, ts.tv_nsec, n_tcp, n_http, n_err, n_open);
	for (int p = first; p <= last; p++)
		printf(" %d:%llu", p, per_port[p - first]);
	printf("\n");
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct epoll_event ev, evs[256];
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec now, end;
	struct in_addr addr;
	struct rlimit rl;
	int lfd[MAX_PORTS + 1], first, last, http, nl, ep, ms, n;

	if (argc != 6 || inet_pton(AF_INET, argv[1], &addr) != 1 ||
	    (first = atoi(argv[3])) < 1 || (last = atoi(argv[4])) < first ||
	    last - first >= MAX_PORTS || last > 65535 ||
	    (http = atoi(argv[5])) < 1 || http > 65535 ||
	    (http >= first && http <= last)) {
		fprintf(stderr,
		    "usage: http_serve IPV4 SECONDS TCP_FIRST TCP_LAST "
		    "HTTP_PORT\n");
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("epoll_create1");
		return 1;
	}
	nl = last - first + 1;
	for (int i = 0; i <= nl; i++) {
		lfd[i] = listener(addr, i < nl ? first + i : http);
		ev.events = EPOLLIN;
		ev.data.u64 = (uint64_t)i; /* listeners: 0..nl, conns: ptr */
		if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd[i], &ev) == -1) {
			perror("epoll_ctl");
			return 1;
		}
	}
	printf("listening on %s:%d-%d (tcp) and %s:%d (http)\n", argv[1], first,
	    last, argv[1], http);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += atoi(argv[2]);
	while (!quit) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (int)((end.tv_sec - now.tv_sec) * 1000 +
		    (end.tv_nsec - now.tv_nsec) / 1000000);
		if (ms <= 0)
			break;
		if (report) {
			report = 0;
			print_counts(first, last);
		}
		n = epoll_wait(ep, evs, 256, ms < 1000 ? ms : 1000);
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (int i = 0; i < n; i++) {
			uint64_t u = evs[i].data.u64;
			struct conn *c;
			int fd;

			if (u > (uint64_t)nl) {
				readable(ep, (struct conn *)(uintptr_t)u,
				    now.tv_sec);
				continue;
			}
			while ((fd = accept4(lfd[u], NULL, NULL,
				    SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
				if ((c = calloc(1, sizeof(*c))) == NULL) {
					close(fd);
					n_err++;
					continue;
				}
				c->fd = fd;
				c->http = u == (uint64_t)nl;
				c->last = now.tv_sec;
				if (!c->http) {
					n_tcp++;
					per_port[u]++;
				}
				ev.events = EPOLLIN | EPOLLRDHUP;
				ev.data.u64 = (uint64_t)(uintptr_t)c;
				if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) ==
				    -1) {
					close(fd);
					free(c);
					n_err++;
					continue;
				}
				c->next = conns;
				c->prev = NULL;
				if (conns)
					conns->prev = c;
				conns = c;
				n_open++;
			}
		}
		/* idle connections: at most IDLE_S seconds */
		for (struct conn *c = conns, *nx; c; c = nx) {
			nx = c->next;
			if (now.tv_sec - c->last > IDLE_S)
				drop(ep, c);
		}
	}
	print_counts(first, last);
	return 0;
}
