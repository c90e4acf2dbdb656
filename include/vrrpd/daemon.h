/* SPDX-License-Identifier: BSD-2-Clause */
/* Process-wide facts shared by vrrpd and vrrpctl, and the daemon's glue. */

#ifndef VRRPD_DAEMON_H
#define VRRPD_DAEMON_H

#define VRRPD_VERSION "0.1.0"

#define VRRPD_PIDFILE "/run/vrrpd/vrrpd.pid"

struct ev_loop;

/*
 * Create (mode 0644, parent directory made if missing), lock and fill the
 * pid file. Returns its fd, to keep open while running; -1 with errno set,
 * and *other the pid of the daemon that holds the lock (EWOULDBLOCK).
 */
int daemon_pidfile_open(const char *path, long *other);
/* Remove the pid file and drop its lock. fd may be -1. */
void daemon_pidfile_close(int fd, const char *path);

/*
 * sd_notify(3) with a printf format ("READY=1", "RELOADING=1", ...); does
 * nothing outside systemd. Logs (warning) only when the send fails.
 */
void daemon_notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* WATCHDOG=1 from the loop twice per WatchdogSec=, when systemd asks. */
void daemon_watchdog_start(struct ev_loop *loop);
void daemon_watchdog_stop(struct ev_loop *loop);

#endif /* VRRPD_DAEMON_H */
