/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The systemd notification protocol as src/daemon/sdnotify.c speaks it,
 * against sockets made here: a path and an abstract name, the watchdog's
 * $WATCHDOG_PID rule, and nothing at all outside systemd.
 */

#include <sys/socket.h>
#include <sys/un.h>

#include <check.h>
#include <ev.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/daemon.h"

/* A datagram socket at name ("@..." abstract); its fd. */
static int
sink(const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t n = strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_uint_lt(n, sizeof(sun.sun_path));
	memcpy(sun.sun_path, name, n);
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	if (name[0] == '/')
		unlink(name);
	ck_assert_int_eq(
	    bind(fd, (struct sockaddr *)&sun,
		(socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)),
	    0);
	return fd;
}

/* The next datagram within ms, as a string; "" when none came. */
static const char *
next(int fd, int ms)
{
	static char buf[600];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	buf[0] = '\0';
	if (poll(&p, 1, ms) == 1 &&
	    (n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) >= 0)
		buf[n] = '\0';
	return buf;
}

START_TEST(notify_reaches_a_path_socket)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/vrrpd-sdnotify-%ld", (long)getpid());
	fd = sink(path);
	setenv("NOTIFY_SOCKET", path, 1);
	daemon_notify("STATUS=%d instances", 3);
	ck_assert_str_eq(next(fd, 1000), "STATUS=3 instances");
	daemon_notify("READY=1");
	ck_assert_str_eq(next(fd, 1000), "READY=1");
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(notify_reaches_an_abstract_socket)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "@vrrpd-sdnotify-%ld", (long)getpid());
	fd = sink(name);
	setenv("NOTIFY_SOCKET", name, 1);
	daemon_notify("RELOADING=1");
	ck_assert_str_eq(next(fd, 1000), "RELOADING=1");
	close(fd);
}
END_TEST

/* Outside systemd: nothing sent, nothing logged, nothing fails. */
START_TEST(notify_without_notify_socket_does_nothing)
{
	unsetenv("NOTIFY_SOCKET");
	daemon_notify("READY=1");
	setenv("NOTIFY_SOCKET", "", 1);
	daemon_notify("READY=1");
}
END_TEST

/* WATCHDOG=1 twice a period, only when $WATCHDOG_PID is ours or unset. */
START_TEST(watchdog_follows_watchdog_usec_and_pid)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	char name[64], pid[32];
	int fd, n = 0;

	snprintf(name, sizeof(name), "@vrrpd-sdwd-%ld", (long)getpid());
	fd = sink(name);
	setenv("NOTIFY_SOCKET", name, 1);
	setenv("WATCHDOG_USEC", "100000", 1);
	setenv("WATCHDOG_PID", "1", 1); /* another process's watchdog */
	daemon_watchdog_start(loop);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_str_eq(next(fd, 200), "");
	daemon_watchdog_stop(loop);

	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	daemon_watchdog_start(loop);
	for (int i = 0; i < 40 && n < 2; i++) {
		ev_run(loop, EVRUN_ONCE);
		if (strcmp(next(fd, 0), "WATCHDOG=1") == 0)
			n++;
	}
	ck_assert_int_eq(n, 2);
	daemon_watchdog_stop(loop);

	setenv("WATCHDOG_USEC", "0x10", 1); /* not a number: no watchdog */
	unsetenv("WATCHDOG_PID");
	daemon_watchdog_start(loop);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_str_eq(next(fd, 200), "");
	daemon_watchdog_stop(loop);
	close(fd);
	ev_loop_destroy(loop);
}
END_TEST

static Suite *
sdnotify_suite(void)
{
	Suite *s = suite_create("sdnotify");
	TCase *tc = tcase_create("protocol");

	tcase_add_test(tc, notify_reaches_a_path_socket);
	tcase_add_test(tc, notify_reaches_an_abstract_socket);
	tcase_add_test(tc, notify_without_notify_socket_does_nothing);
	tcase_add_test(tc, watchdog_follows_watchdog_usec_and_pid);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sdnotify_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
