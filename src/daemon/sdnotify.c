/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * systemd notifications (Type=notify) and the watchdog, from the event loop.
 *
 * The protocol itself, not libsystemd: a datagram of "KEY=value" lines to
 * the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or "@" for the
 * abstract namespace), and $WATCHDOG_USEC / $WATCHDOG_PID for the watchdog
 * (sd_notify(3), sd_watchdog_enabled(3); systemd documents the protocol as
 * stable and gives a standalone implementation to copy). libsystemd
 * brought libgcrypt, libgpg-error, liblzma, libzstd, liblz4 and libcap
 * with it, about 900 kB of resident pages a daemon for these two calls,
 * and the code of all of them into a root process (liblzma is how the
 * 2024 xz backdoor reached sshd; OpenSSH dropped libsystemd since).
 */

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "vrrpd/daemon.h"
#include "vrrpd/log.h"

static ev_timer watchdog;

/*
 * Send msg to $NOTIFY_SOCKET: 0 when unset (not under systemd), 1 sent,
 * -errno otherwise (as sd_notify() returns).
 */
static int
notify_send(const char *msg)
{
	const char *e = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t n, len;
	ssize_t sent;
	int fd, saved;

	if (e == NULL || e[0] == '\0')
		return 0;
	if (e[0] != '/' && e[0] != '@')
		return -EAFNOSUPPORT; /* vsock: and others: not on Debian 12 */
	if ((n = strlen(e)) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, e, n);
	if (e[0] == '@')
		sun.sun_path[0] = '\0'; /* abstract: not NUL terminated */
	len = offsetof(struct sockaddr_un, sun_path) + n;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -errno;
	sent = sendto(fd, msg, strlen(msg), MSG_NOSIGNAL,
	    (const struct sockaddr *)&sun, (socklen_t)len);
	saved = errno;
	close(fd);
	return sent == -1 ? -saved : 1;
}

/*
 * $WATCHDOG_USEC when the watchdog is for this process ($WATCHDOG_PID, if
 * set, is ours), else 0.
 */
static uint64_t
watchdog_usec(void)
{
	const char *u = getenv("WATCHDOG_USEC"), *p = getenv("WATCHDOG_PID");
	unsigned long long v;
	char *end;

	if (u == NULL || u[0] < '0' || u[0] > '9')
		return 0;
	errno = 0;
	v = strtoull(u, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	if (p != NULL && p[0] != '\0') {
		long pid = strtol(p, &end, 10);

		if (*end != '\0' || pid != (long)getpid())
			return 0;
	}
	return (uint64_t)v;
}

void
daemon_notify(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* 0: not under systemd (NOTIFY_SOCKET unset), nothing to do. */
	if ((rc = notify_send(msg)) < 0)
		log_warnx("systemd: cannot notify: %s", strerror(-rc));
}

/* The loop is alive when this runs: the watchdog's point. */
static void
watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	(void)notify_send("WATCHDOG=1");
}

void
daemon_watchdog_start(struct ev_loop *loop)
{
	uint64_t usec;

	if ((usec = watchdog_usec()) == 0)
		return;
	/* Twice per period, as sd_watchdog_enabled(3) advises. */
	ev_timer_init(&watchdog, watchdog_cb, 0.0, (double)usec / 2e6);
	ev_timer_again(loop, &watchdog);
	log_info("systemd: watchdog every %.1f s", (double)usec / 2e6);
}

void
daemon_watchdog_stop(struct ev_loop *loop)
{
	ev_timer_stop(loop, &watchdog);
}
