/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the route and rule parsers (route_parse.c, rule_parse.c,
 * route_fmt.c): the token cursor, messages, and value readers they share.
 */

#ifndef VRRPD_CONF_ROUTE_PRIV_H
#define VRRPD_CONF_ROUTE_PRIV_H

#include "vrrpd/conf_route.h"

/* A line being parsed. */
struct rtp {
	const char *const *tok;
	size_t ntok;
	size_t i; /* the token being looked at */
	struct conf_rt_ctx *ctx;
	struct conf_rt_diag *diag;
	const char *what;   /* "route", "rule", "nexthop" */
	sa_family_t family; /* AF_UNSPEC until a token fixes it */
};

/* Record the error (the first one only) about token tok; returns err. */
enum conf_rt_err rtp_err(struct rtp *p, enum conf_rt_err err, size_t tok,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void rtp_warn(struct rtp *p, size_t tok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * The value after option tok[p->i]: moves p->i onto it. NULL (with the
 * error recorded) when the line ends first.
 */
const char *rtp_value(struct rtp *p);

/* The family is af from token tok on; an error if it was the other one. */
enum conf_rt_err rtp_family(struct rtp *p, sa_family_t af, size_t tok);

/* A number as keepalived reads one (strtoul base 0), 0..max. */
bool rtp_number(const char *s, uint64_t max, uint64_t *out);

/*
 * The value of option opt (tok[p->i]) as a number 0..max, or a name of
 * table kind (built-in, then ctx->lookup) when kind is not CONF_RTN_MAX.
 */
enum conf_rt_err rtp_u32(struct rtp *p, enum conf_rt_names kind, uint32_t max,
    uint32_t *out);

/*
 * "ADDR[/LEN]", or "default", "any", "all" (len 0, the address zero once
 * the family is known: af AF_UNSPEC). Host bits must be clear when
 * strict. -1 when it is not a prefix; -2 when host bits are set.
 */
int rtp_prefix(const char *s, bool strict, struct addr *a, uint8_t *len);

/* A realm pair "FROM/TO" or "TO", names allowed. */
enum conf_rt_err rtp_realms(struct rtp *p, uint32_t *out);

/* An interface name value (1..15 bytes, no '/', no blank). */
enum conf_rt_err rtp_ifname(struct rtp *p, char *dst);

/* An address value (no prefix); its family must fit the line's. */
enum conf_rt_err rtp_addr(struct rtp *p, struct addr *out);
/* The same, the error naming option tok[opt] (its value may be later). */
enum conf_rt_err rtp_addr_of(struct rtp *p, size_t opt, struct addr *out);

/* Put the family into the addresses still AF_UNSPEC ("default"). */
void rtp_fix_family(struct addr *a, sa_family_t af);

#endif /* VRRPD_CONF_ROUTE_PRIV_H */
