/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging to stderr or syslog, after OpenBSD's log.c. */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "vrrpd/log.h"

/* Escaped message text, "..." included; prefix and strerror come on top. */
#define LOG_MSG_MAX  1024
#define LOG_LINE_MAX (LOG_MSG_MAX + 256)

#define DBG_ALL \
	(DBG_PKT | DBG_FSM | DBG_NET | DBG_CHECK | DBG_ZK | DBG_CTL | DBG_CONF)

static const struct {
	const char *name;
	unsigned int mask;
} log_cats[] = {
	{ "pkt", DBG_PKT },
	{ "fsm", DBG_FSM },
	{ "net", DBG_NET },
	{ "check", DBG_CHECK },
	{ "zk", DBG_ZK },
	{ "ctl", DBG_CTL },
	{ "conf", DBG_CONF },
	{ "all", DBG_ALL },
};

static void log_vemit(int, const char *, const char *, const char *, va_list)
    __attribute__((format(printf, 4, 0)));

static struct {
	bool to_syslog;
	int stamp;    /* -1 until log_init: ask isatty() for every line */
	bool journal; /* stderr is journald's stream: "<N>" level prefixes */
	unsigned int debug;
	char only[8][64]; /* per category bit: the one instance, "" all */
} log_state = { .to_syslog = false, .stamp = -1, .debug = 0 };

/*
 * systemd sets JOURNAL_STREAM to "DEV:INODE" of the stream it gives
 * stderr; then sd-daemon(3) "<N>" prefixes carry each line's level.
 */
static bool
stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (env == NULL || sscanf(env, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) == -1)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *ident, bool to_stderr)
{
	int saved_errno = errno;

	if (log_state.to_syslog)
		closelog();
	log_state.to_syslog = !to_stderr;
	log_state.stamp = to_stderr && isatty(STDERR_FILENO);
	log_state.journal = to_stderr && stderr_is_journal();
	/* localtime_r() need not read TZ itself. */
	tzset();
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	errno = saved_errno;
}

static int
log_cat_lookup(const char *name, size_t len, unsigned int *mask)
{
	for (size_t i = 0; i < sizeof(log_cats) / sizeof(log_cats[0]); i++) {
		if (strlen(log_cats[i].name) == len &&
		    strncmp(log_cats[i].name, name, len) == 0) {
			*mask |= log_cats[i].mask;
			return 0;
		}
	}
	return -1;
}

int
log_set_debug(const char *names)
{
	int saved_errno = errno;
	unsigned int mask = 0;
	const char *p = names;
	size_t len;
	int rc = -1;

	if (names == NULL)
		goto fail;
	for (;;) {
		len = strcspn(p, ",");
		if (log_cat_lookup(p, len, &mask) != 0)
			goto fail;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	log_state.debug |= mask;
	rc = 0;
fail:
	errno = saved_errno;
	return rc;
}

int
log_set_debug_cat(const char *name, bool on, const char *inst)
{
	unsigned int mask = 0;

	if (name == NULL || log_cat_lookup(name, strlen(name), &mask) != 0)
		return -1;
	if (on)
		log_state.debug |= mask;
	else
		log_state.debug &= ~mask;
	for (size_t b = 0; b < 8; b++)
		if (mask & (1u << b))
			snprintf(log_state.only[b], sizeof(log_state.only[b]),
			    "%s", on && inst != NULL ? inst : "");
	return 0;
}

static const char *
only_of(enum log_cat cat)
{
	unsigned int c = (unsigned int)cat;

	for (size_t b = 0; b < 8; b++)
		if (c == (1u << b))
			return log_state.only[b];
	return "";
}

const char *
log_debug_instance(enum log_cat cat)
{
	const char *only = only_of(cat);

	return only[0] != '\0' ? only : NULL;
}

bool
log_debug_on(enum log_cat cat, const char *inst)
{
	const char *only;

	if ((log_state.debug & (unsigned int)cat) == 0)
		return false;
	only = only_of(cat);
	return only[0] == '\0' || (inst != NULL && strcmp(only, inst) == 0);
}

const char *
log_debug_cat_name(size_t i, unsigned int *mask)
{
	/* The last entry is "all", not a category of its own. */
	if (i + 1 >= sizeof(log_cats) / sizeof(log_cats[0]))
		return NULL;
	if (mask != NULL)
		*mask = log_cats[i].mask;
	return log_cats[i].name;
}

unsigned int
log_debug_mask(void)
{
	return log_state.debug;
}

/*
 * Copies src into dst (at most cap bytes, no NUL), escaping every byte
 * outside printable ASCII as \xNN so that a hostile packet or file name
 * cannot end the line or forge another one. When src does not fit, or
 * was already cut (more), the copy ends in "..." and never splits an escape.
 */
static size_t
log_escape(char *dst, size_t cap, const char *src, bool more)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s;
	size_t need = 0, len = 0, limit;

	for (s = (const unsigned char *)src; *s != '\0'; s++)
		need += (*s >= 0x20 && *s < 0x7f) ? 1 : 4;
	if (need > cap)
		more = true;
	if (more && cap < 3)
		return 0;
	limit = more ? cap - 3 : cap;
	for (s = (const unsigned char *)src; *s != '\0'; s++) {
		if (*s >= 0x20 && *s < 0x7f) {
			if (len + 1 > limit)
				break;
			dst[len++] = (char)*s;
		} else {
			if (len + 4 > limit)
				break;
			dst[len++] = '\\';
			dst[len++] = 'x';
			dst[len++] = hex[*s >> 4];
			dst[len++] = hex[*s & 0xf];
		}
	}
	if (more) {
		memcpy(dst + len, "...", 3);
		len += 3;
	}
	return len;
}

static size_t
log_stamp(char *dst, size_t cap)
{
	struct tm tm;
	time_t now = time(NULL);

	if (localtime_r(&now, &tm) == NULL)
		return 0;
	return strftime(dst, cap, "%Y-%m-%dT%H:%M:%S ", &tm);
}

static void
log_write(const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, buf, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

/*
 * Formats one line into a fixed buffer (no allocation) and writes it:
 * prefix, the escaped message, then ": " and err when err is not NULL.
 */
static void
log_vemit(int pri, const char *prefix, const char *err, const char *fmt,
    va_list ap)
{
	char raw[LOG_MSG_MAX + 1];
	char line[LOG_LINE_MAX];
	size_t len = 0, start;
	bool more = false;
	int n;

	raw[0] = '\0';
	if (fmt != NULL) {
		n = vsnprintf(raw, sizeof(raw), fmt, ap);
		if (n < 0)
			snprintf(raw, sizeof(raw), "(unprintable message)");
		else if ((size_t)n >= sizeof(raw))
			more = true;
	}
	if (!log_state.to_syslog &&
	    (log_state.stamp == 1 ||
		(log_state.stamp == -1 && isatty(STDERR_FILENO))))
		len = log_stamp(line, sizeof(line));
	else if (!log_state.to_syslog && log_state.journal)
		len = (size_t)snprintf(line, sizeof(line), "<%d>", pri);
	start = len;
	len += log_escape(line + len, sizeof(line) - len - 1, prefix, false);
	len += log_escape(line + len, LOG_MSG_MAX, raw, more);
	if (err != NULL) {
		if (fmt != NULL)
			len += log_escape(line + len, sizeof(line) - len - 1,
			    ": ", false);
		len +=
		    log_escape(line + len, sizeof(line) - len - 1, err, false);
	}
	if (log_state.to_syslog) {
		line[len] = '\0';
		syslog(pri, "%s", line + start);
	} else {
		line[len++] = '\n';
		log_write(line, len);
	}
}

void
log_warn(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_ERR, "", strerror(saved_errno), fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_warnx(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_ERR, "", NULL, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_info(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_INFO, "", NULL, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_debug(enum log_cat cat, const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	if (!log_debug_on(cat, NULL))
		return;
	va_start(ap, fmt);
	log_vemit(LOG_DEBUG, "", NULL, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_debug_inst(enum log_cat cat, const char *inst, const char *fmt, ...)
{
	int saved_errno = errno;
	char prefix[80];
	va_list ap;

	if (!log_debug_on(cat, inst))
		return;
	snprintf(prefix, sizeof(prefix), "(%s) ", inst);
	va_start(ap, fmt);
	log_vemit(LOG_DEBUG, prefix, NULL, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

/* As OpenBSD's fatal(): strerror only when errno says something. */
void
fatal(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT,
	    "fatal: ", saved_errno != 0 ? strerror(saved_errno) : NULL, fmt,
	    ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, "fatal: ", NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

bool
log_ratelimit_ok(struct log_ratelimit *rl, uint64_t now_ms,
    unsigned long *suppressed)
{
	/* A clock that went back opens the gate rather than closing it. */
	if (rl->used && now_ms >= rl->last_ms &&
	    now_ms - rl->last_ms < rl->interval_ms) {
		if (rl->suppressed < ULONG_MAX)
			rl->suppressed++;
		return false;
	}
	if (suppressed != NULL)
		*suppressed = rl->suppressed;
	rl->suppressed = 0;
	rl->last_ms = now_ms;
	rl->used = true;
	return true;
}
