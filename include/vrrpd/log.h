/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Logging, after OpenBSD's log.c: to stderr (foreground, systemd's journal)
 * or syslog. Instance lines start with "(NAME) ", subsystem lines with the
 * subsystem ("zk: ..."). errno is preserved by every call.
 */

#ifndef VRRPD_LOG_H
#define VRRPD_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Debug categories (not syslog's LOG_*), enabled with -D cat,... */
enum log_cat {
	DBG_PKT = 1u << 0,
	DBG_FSM = 1u << 1,
	DBG_NET = 1u << 2,
	DBG_CHECK = 1u << 3,
	DBG_ZK = 1u << 4,
	DBG_CTL = 1u << 5,
	DBG_CONF = 1u << 6,
};

/*
 * Start logging as ident: to stderr when to_stderr (with no timestamp when
 * journald adds one), else to syslog (LOG_DAEMON).
 */
void log_init(const char *ident, bool to_stderr);

/* Enable debug categories by names "pkt,fsm,net,check,zk,ctl,conf,all";
 * returns 0, or -1 for an unknown name. */
int log_set_debug(const char *names);
unsigned int log_debug_mask(void);
/*
 * Turn one category (or "all") on or off at run time (vrrpctl debug),
 * for every instance or, with inst (may be NULL), only for lines about
 * that instance. Returns 0, or -1 for an unknown name.
 */
int log_set_debug_cat(const char *name, bool on, const char *inst);
/* The instance category cat is limited to, or NULL for every one. */
const char *log_debug_instance(enum log_cat cat);
/*
 * Whether a debug line of cat about instance inst (NULL: about none)
 * would be written. Callers check it before any costly formatting, so a
 * category that is off costs a test and a branch on the hot path.
 */
bool log_debug_on(enum log_cat cat, const char *inst);
/* The i-th category's name and *mask (may be NULL); NULL past the last. */
const char *log_debug_cat_name(size_t i, unsigned int *mask);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(enum log_cat cat, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A debug line about instance inst: "(VI_1) ..." when log_debug_on(). */
void log_debug_inst(enum log_cat cat, const char *inst, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/*
 * A rate limit for one kind of message: log_ratelimit_ok() returns true at
 * most once per interval_ms (time passed in, monotonic ms) and counts what
 * it suppressed since, so the next line can say "(N more suppressed)".
 */
struct log_ratelimit {
	uint64_t interval_ms;
	uint64_t last_ms;
	bool used;
	unsigned long suppressed;
};

bool log_ratelimit_ok(struct log_ratelimit *rl, uint64_t now_ms,
    unsigned long *suppressed);

#endif /* VRRPD_LOG_H */
