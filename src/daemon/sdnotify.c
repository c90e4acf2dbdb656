/* SPDX-License-Identifier: BSD-2-Clause */
/* systemd notifications (Type=notify) and the watchdog, from the event loop. */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <ev.h>
#include <systemd/sd-daemon.h>

#include "vrrpd/daemon.h"
#include "vrrpd/log.h"

static ev_timer watchdog;

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
	if ((rc = sd_notify(0, msg)) < 0)
		log_warnx("systemd: cannot notify: %s", strerror(-rc));
}

/* The loop is alive when this runs: the watchdog's point. */
static void
watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	(void)sd_notify(0, "WATCHDOG=1");
}

void
daemon_watchdog_start(struct ev_loop *loop)
{
	uint64_t usec;

	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
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
