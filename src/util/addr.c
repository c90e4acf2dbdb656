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
