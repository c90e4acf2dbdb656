/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4 and IPv6 addresses as plain values. */

#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "vrrpd/util.h"

int
addr_parse(const char *text, struct addr *out)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, &a.u.v4) == 1)
		a.af = AF_INET;
	else if (inet_pton(AF_INET6, text, &a.u.v6) == 1)
		a.af = AF_INET6;
	else
		return -1;
	*out = a;
	return 0;
}

const char *
addr_fmt(const struct addr *a, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	if ((a->af != AF_INET && a->af != AF_INET6) ||
	    inet_ntop(a->af, &a->u, buf, size) == NULL)
		snprintf(buf, size, "%s", a->af == AF_UNSPEC ? "none" : "?");
	return buf;
}

static int
af_rank(sa_family_t af)
{
	switch (af) {
	case AF_INET:
		return 1;
	case AF_INET6:
		return 2;
	default:
		return 0;
	}
}

int
addr_cmp(const struct addr *a, const struct addr *b)
{
	int ra = af_rank(a->af), rb = af_rank(b->af);

	if (ra != rb)
		return ra - rb;
	return memcmp(&a->u, &b->u, addr_len(a));
}

size_t
addr_len(const struct addr *a)
{
	switch (a->af) {
	case AF_INET:
		return sizeof(struct in_addr);
	case AF_INET6:
		return sizeof(struct in6_addr);
	default:
		return 0;
	}
}

bool
addr_is_v6_linklocal(const struct addr *a)
{
	return a->af == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->u.v6);
}

int
addr_parse_hostport(const char *text, struct addr *out, uint16_t *port)
{
	char host[ADDR_STRLEN + 2];
	const char *colon, *p;
	unsigned long n = 0;
	bool bracket;
	struct addr a;
	size_t len;

	if (text == NULL)
		return -1;
	if ((bracket = text[0] == '[')) {
		if ((colon = strstr(text, "]:")) == NULL)
			return -1;
		len = (size_t)(colon - text - 1);
		p = colon + 2;
		text++;
	} else {
		if ((colon = strrchr(text, ':')) == NULL)
			return -1;
		len = (size_t)(colon - text);
		p = colon + 1;
	}
	if (len == 0 || len >= sizeof(host) || *p == '\0')
		return -1;
	memcpy(host, text, len);
	host[len] = '\0';
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' ||
		    (n = n * 10 + (unsigned long)(*p - '0')) > 65535)
			return -1;
	}
	if (n == 0 || addr_parse(host, &a) != 0 ||
	    (a.af == AF_INET6) != bracket)
		return -1;
	*out = a;
	*port = (uint16_t)n;
	return 0;
}
