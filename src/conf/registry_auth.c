/* SPDX-License-Identifier: BSD-2-Clause */
/* The cluster registry's credentials file (registry auth_file). */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/conf.h"

/* The longest valid file: user, ':', password and one newline. */
#define AUTH_FILE_MAX (CONF_REGISTRY_USER_MAX + 1 + CONF_REGISTRY_PASS_MAX + 1)

static int auth_fail(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static int
auth_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (whylen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Open and check what the file is before reading a byte of it: a FIFO
 * must not block us (O_NONBLOCK), and fstat() looks at what was opened.
 */
static int
auth_open(const char *path, char *why, size_t whylen)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return auth_fail(why, whylen, "cannot open it: %s",
		    strerror(errno));
	if (fstat(fd, &st) == -1)
		auth_fail(why, whylen, "cannot stat it: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		auth_fail(why, whylen, "not a regular file");
	else if (st.st_uid != 0 && st.st_uid != geteuid())
		auth_fail(why, whylen,
		    "owned by uid %u; it must belong to root or to uid %u, "
		    "the user vrrpd runs as",
		    (unsigned int)st.st_uid, (unsigned int)geteuid());
	else if ((st.st_mode & 077) != 0)
		auth_fail(why, whylen,
		    "mode %04o lets other users read the password; chmod 600 "
		    "it",
		    (unsigned int)(st.st_mode & 07777));
	else
		return fd;
	close(fd);
	return -1;
}

/* Up to size bytes; more than that is reported as too long by the caller. */
static ssize_t
auth_slurp(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t r;

	while (len < size) {
		r = read(fd, buf + len, size - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	return (ssize_t)len;
}

/* "user:password" with at most one trailing newline, in buf[0..len). */
static int
auth_parse(const char *buf, size_t len, char *ident, size_t identlen, char *why,
    size_t whylen)
{
	const char *colon;
	size_t ulen, plen;

	if (len == 0)
		return auth_fail(why, whylen,
		    "empty; expected one line user:password");
	if (memchr(buf, '\0', len) != NULL)
		return auth_fail(why, whylen, "contains a NUL byte");
	if (buf[len - 1] == '\n')
		len--;
	if (memchr(buf, '\n', len) != NULL)
		return auth_fail(why, whylen,
		    "more than one line; expected one line user:password");
	if ((colon = memchr(buf, ':', len)) == NULL)
		return auth_fail(why, whylen,
		    "no ':' between user and password");
	ulen = (size_t)(colon - buf);
	plen = len - ulen - 1;
	if (ulen == 0 || ulen > CONF_REGISTRY_USER_MAX)
		return auth_fail(why, whylen, "the user must be 1..%d bytes",
		    CONF_REGISTRY_USER_MAX);
	for (size_t i = 0; i < ulen; i++)
		if (isspace((unsigned char)buf[i]))
			return auth_fail(why, whylen,
			    "the user contains whitespace");
	if (plen == 0 || plen > CONF_REGISTRY_PASS_MAX)
		return auth_fail(why, whylen,
		    "the password must be 1..%d bytes", CONF_REGISTRY_PASS_MAX);
	if (len >= identlen)
		return auth_fail(why, whylen,
		    "user:password does not fit in %zu bytes", identlen);
	memcpy(ident, buf, len);
	ident[len] = '\0';
	return 0;
}

int
conf_registry_auth_read(const char *path, char *ident, size_t identlen,
    char *why, size_t whylen)
{
	char buf[AUTH_FILE_MAX + 1];
	ssize_t n;
	int fd, rc;

	if (whylen > 0)
		why[0] = '\0';
	if (identlen > 0)
		ident[0] = '\0';
	if ((fd = auth_open(path, why, whylen)) == -1)
		return -1;
	n = auth_slurp(fd, buf, sizeof(buf));
	close(fd);
	if (n == -1)
		rc = auth_fail(why, whylen, "cannot read it: %s",
		    strerror(errno));
	else if ((size_t)n > AUTH_FILE_MAX)
		rc = auth_fail(why, whylen,
		    "longer than %d bytes; expected one line user:password "
		    "(user 1..%d, password 1..%d bytes)",
		    AUTH_FILE_MAX, CONF_REGISTRY_USER_MAX,
		    CONF_REGISTRY_PASS_MAX);
	else
		rc = auth_parse(buf, (size_t)n, ident, identlen, why, whylen);
	explicit_bzero(buf, sizeof(buf));
	return rc;
}
