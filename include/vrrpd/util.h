/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers shared by every module: IP addresses and the RFC 1071 sum (pure),
 * and the daemon's one monotonic clock (src/util/time.c).
 */

#ifndef VRRPD_UTIL_H
#define VRRPD_UTIL_H

#include <sys/socket.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest text addr_fmt() writes, NUL included (an IPv6 address). */
#define ADDR_STRLEN INET6_ADDRSTRLEN

/*
 * An IPv4 or IPv6 address, a plain value: compare with addr_cmp(), never with
 * memcmp() on the whole struct. Build one with a designated initialiser or
 * addr_parse(); .af is AF_INET, AF_INET6, or AF_UNSPEC for "no address".
 */
struct addr {
	sa_family_t af;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/*
 * Parse a numeric IPv4 or IPv6 address (no prefix length, no scope, no name
 * resolution) into *out. Returns 0, or -1 when the text is not an address.
 */
int addr_parse(const char *text, struct addr *out);

/*
 * Parse "ADDRESS:PORT" ("192.0.2.1:80", "[2001:db8::1]:443"): a numeric
 * address (IPv6 in brackets) and a port 1..65535, nothing else. Returns 0,
 * or -1 (out and port untouched).
 */
int addr_parse_hostport(const char *text, struct addr *out, uint16_t *port);

/*
 * Write the address as text into buf (at least ADDR_STRLEN bytes is always
 * enough) and return buf. An AF_UNSPEC address is written as "none".
 */
const char *addr_fmt(const struct addr *a, char *buf, size_t size);

/*
 * Order two addresses: by family first (AF_INET before AF_INET6), then
 * numerically in network byte order, as RFC 5798 §6.4.3 compares primary
 * addresses. Returns <0, 0 or >0.
 */
int addr_cmp(const struct addr *a, const struct addr *b);

/* Length of the address in bytes on the wire: 4, 16, or 0 for AF_UNSPEC. */
size_t addr_len(const struct addr *a);

/* True for an IPv6 link-local unicast address (fe80::/10). */
bool addr_is_v6_linklocal(const struct addr *a);

/*
 * RFC 1071 Internet checksum, in pieces: util_csum_add() folds len bytes of
 * data into a running 32-bit sum (start with 0; an odd-length piece is padded
 * with a zero byte, so only the last piece may be odd), and util_csum_fold()
 * turns the sum into the checksum to put on the wire (one's complement of the
 * folded sum, in network byte order when stored with memcpy()).
 */
uint32_t util_csum_add(uint32_t sum, const void *data, size_t len);
uint16_t util_csum_fold(uint32_t sum);

/*
 * The daemon's clock: CLOCK_MONOTONIC in microseconds (or milliseconds).
 * Every deadline, interval, rate limit and "since" in the daemon is on it;
 * the wall clock is read only where a time is shown to a person. Pure
 * modules never call these: they take "now" as an argument.
 */
uint64_t util_now_us(void);
uint64_t util_now_ms(void);

#endif /* VRRPD_UTIL_H */
