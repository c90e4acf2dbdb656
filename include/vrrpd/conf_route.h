/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Routes and policy rules as keepalived.conf writes them (virtual_routes,
 * virtual_rules, static_routes, static_rules: the syntax of ip route add
 * and ip rule add): plain values, a parser from a line's tokens, a
 * formatter back to one canonical line, and equality for reload. Pure:
 * no netlink, no logging, no allocation; the only file read is an
 * iproute2 name table, and only when a line names a table, protocol,
 * realm, dsfield or group that is not built in (conf_rt_names_files()).
 *
 * Numbers are the kernel's: route types are RTN_*, scopes RT_SCOPE_*,
 * tables RT_TABLE_* or any 32-bit id, rule actions FR_ACT_*.
 */

#ifndef VRRPD_CONF_ROUTE_H
#define VRRPD_CONF_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrpd/conf.h"
#include "vrrpd/util.h"

#define CONF_RT_IFNAMSIZ CONF_IFNAMSIZ

/*
 * The protocol vrrpd marks its routes and rules with unless told
 * otherwise: RTPROT_KEEPALIVED (18, "keepalived" in iproute2's rt_protos),
 * so tools that filter on it, and keepalived's own leftovers cleaning,
 * see vrrpd's routes as keepalived's.
 */
#define CONF_RT_PROTO_OWN 18

/* Where a rule without a preference starts (keepalived's numbering). */
#define CONF_RULE_AUTO_PRIO 16384

#define CONF_RT_MAX_NEXTHOPS 16

/* The route metrics (RTA_METRICS) a route line may set. */
enum conf_rt_metric {
	CONF_RTM_MTU = 0,
	CONF_RTM_HOPLIMIT,
	CONF_RTM_ADVMSS,
	CONF_RTM_REORDERING,
	CONF_RTM_WINDOW,
	CONF_RTM_CWND,
	CONF_RTM_SSTHRESH,
	CONF_RTM_INITCWND,
	CONF_RTM_INITRWND,
	CONF_RTM_QUICKACK,
	CONF_RTM_FASTOPEN_NO_COOKIE,
	CONF_RTM_FEATURES, /* "features ecn": RTAX_FEATURE_ECN */
	CONF_RTM_MAX
};

/* How an added route meets routes with the same key (ip route ...). */
enum conf_rt_mode {
	CONF_RT_PREPEND = 0, /* keepalived's default: before any match */
	CONF_RT_ADD,	     /* "add": refused if a route matches */
	CONF_RT_APPEND,	     /* "append": after any match */
};

/* One path of a multipath route ("nexthop", or the deprecated "or"). */
struct conf_nexthop {
	struct addr via; /* AF_UNSPEC: none */
	char dev[CONF_RT_IFNAMSIZ];
	uint16_t weight; /* 1..256; 0 = not written (1) */
	bool onlink;
	uint32_t realms; /* (from << 16) | to; 0 = none */
};

struct conf_route {
	struct conf_loc loc;
	sa_family_t family; /* AF_INET or AF_INET6 */
	uint8_t type;	    /* RTN_UNICAST, _BLACKHOLE, _UNREACHABLE, ... */
	struct addr dst;    /* its family; all zero for "default" */
	uint8_t dst_len;
	struct addr from; /* IPv6 source prefix ("from"); AF_UNSPEC: none */
	uint8_t from_len;
	struct addr src; /* preferred source ("src"); AF_UNSPEC: none */
	struct addr via; /* gateway; AF_UNSPEC: none */
	char dev[CONF_RT_IFNAMSIZ]; /* "": none */
	uint32_t table;		    /* RT_TABLE_MAIN (254) unless written */
	bool has_metric;
	uint32_t metric; /* "metric", "priority", "preference" */
	bool has_scope;
	uint8_t scope; /* RT_SCOPE_UNIVERSE (0) unless written */
	uint8_t tos;
	uint8_t protocol; /* CONF_RT_PROTO_OWN unless written */
	bool onlink;
	uint32_t realms;
	uint32_t metrics[CONF_RTM_MAX];
	uint32_t metrics_set;  /* bit m: metrics[m] written */
	uint32_t metrics_lock; /* bit m: "lock" written before it */
	bool has_pref;
	uint8_t pref; /* IPv6 router preference: 0 medium, 1 high, 3 low */
	enum conf_rt_mode mode;
	struct conf_nexthop nh[CONF_RT_MAX_NEXTHOPS];
	size_t nnh;    /* 0: single path (via, dev above) */
	bool no_track; /* deletion ignored, dev not tracked */
};

struct conf_rule {
	struct conf_loc loc;
	sa_family_t family; /* AF_INET or AF_INET6 */
	uint8_t action;	    /* FR_ACT_TO_TBL, _GOTO, _NOP, _BLACKHOLE, ... */
	bool has_from;
	struct addr from; /* all zero with from_len 0 for "all" */
	uint8_t from_len;
	bool has_to;
	struct addr to;
	uint8_t to_len;
	uint32_t table; /* FR_ACT_TO_TBL; 0 with l3mdev */
	uint32_t goto_target;
	uint32_t priority; /* always set: written, or assigned (warning) */
	bool invert;	   /* "not" */
	uint8_t tos;
	bool has_fwmark;
	uint32_t fwmark;
	bool has_fwmask;
	uint32_t fwmask;
	uint32_t realms;
	int32_t suppress_prefixlen; /* -1: none */
	bool has_suppress_ifgroup;
	uint32_t suppress_ifgroup;
	char iif[CONF_RT_IFNAMSIZ]; /* "dev" or "iif"; "": any */
	char oif[CONF_RT_IFNAMSIZ];
	uint64_t tunnel_id; /* 0: none */
	bool has_uidrange;
	uint32_t uid_lo, uid_hi;
	bool l3mdev;
	uint8_t protocol; /* CONF_RT_PROTO_OWN unless written */
	bool has_ipproto;
	uint8_t ipproto;
	bool has_sport, has_dport;
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi;
	bool no_track; /* deletion ignored, iif/oif not tracked */
};

/* The iproute2 name tables a line may use names from. */
enum conf_rt_names {
	CONF_RTN_TABLE = 0, /* rt_tables */
	CONF_RTN_PROTO,	    /* rt_protos */
	CONF_RTN_SCOPE,	    /* rt_scopes */
	CONF_RTN_REALM,	    /* rt_realms */
	CONF_RTN_DSFIELD,   /* rt_dsfield */
	CONF_RTN_GROUP,	    /* group */
	CONF_RTN_MAX
};

/*
 * Look a name up in table kind; 0 with *id set, or -1 when unknown. Only
 * called for names that are neither numbers nor built in ("main",
 * "local", "default", "kernel", "static", "link", ...).
 */
typedef int conf_rt_name_fn(void *arg, enum conf_rt_names kind,
    const char *name, uint32_t *id);

/*
 * The lookup vrrpd uses: the iproute2 files under dir (NULL:
 * /etc/iproute2, then /usr/share/iproute2), read at each call; arg is
 * the directory (const char *) or NULL.
 */
conf_rt_name_fn conf_rt_names_files;

/* What the parser needs beyond the tokens. */
struct conf_rt_ctx {
	conf_rt_name_fn *lookup; /* NULL: numbers and built-in names only */
	void *lookup_arg;
	/* Next preference for a rule without one, per family (keepalived:
	 * 16384 down, in file order); 0 is taken as CONF_RULE_AUTO_PRIO. */
	uint32_t next_prio4, next_prio6;
};

/* Why a line was refused. */
enum conf_rt_err {
	CONF_RT_OK = 0,
	CONF_RT_MISSING_VALUE, /* an option's value is missing */
	CONF_RT_BAD_VALUE,     /* a value is out of range or malformed */
	CONF_RT_UNKNOWN,       /* not an option keepalived knows */
	CONF_RT_UNSUPPORTED,   /* keepalived's, but vrrpd does not do it */
	CONF_RT_FAMILY_MIX,    /* IPv4 and IPv6 in one line */
	CONF_RT_NO_DEST,       /* a route without a destination */
	CONF_RT_NO_ACTION,     /* a rule without table, goto, type, ... */
	CONF_RT_CONFLICT,      /* two options that exclude each other */
	CONF_RT_TOO_MANY,      /* more nexthops than CONF_RT_MAX_NEXTHOPS */
	CONF_RT_ERR_MAX
};

const char *conf_rt_strerror(enum conf_rt_err err);

#define CONF_RT_MSG_LEN	 224
#define CONF_RT_MAX_WARN 4

/*
 * The parser's messages: at most one error and a few warnings, each with
 * the index of the token it is about, so the caller can point at it.
 * Every message names the option (or keyword) and the token.
 */
struct conf_rt_diag {
	enum conf_rt_err err;
	size_t err_tok;
	char msg[CONF_RT_MSG_LEN];
	size_t nwarn;
	size_t warn_tok[CONF_RT_MAX_WARN];
	char warn[CONF_RT_MAX_WARN][CONF_RT_MSG_LEN];
};

/*
 * Parse one route line, split into ntok tokens (the keyword position
 * included: "192.0.2.0/24", "via", "198.51.100.1", ...), into *out
 * (cleared first). Returns CONF_RT_OK, possibly with warnings in *diag
 * (a deprecated spelling, a setting keepalived resets), or the error
 * with diag->msg. ctx may be NULL (virtual, no name lookup).
 */
enum conf_rt_err conf_route_parse(const char *const *tok, size_t ntok,
    struct conf_rt_ctx *ctx, struct conf_route *out, struct conf_rt_diag *diag);

/* The same for one rule line; a rule without a preference gets the next
 * one of ctx (ctx->next_prio* decreases) and a warning. */
enum conf_rt_err conf_rule_parse(const char *const *tok, size_t ntok,
    struct conf_rt_ctx *ctx, struct conf_rule *out, struct conf_rt_diag *diag);

/*
 * Write the route (rule) as one line in the syntax above, names as
 * numbers, into buf (size bytes, always terminated) and return buf.
 * Parsing the line gives back an equal value, warnings aside. 512 bytes
 * hold any single-path route; a longer one is cut.
 */
const char *conf_route_format(const struct conf_route *rt, char *buf,
    size_t size);
const char *conf_rule_format(const struct conf_rule *ru, char *buf,
    size_t size);

/* True when two routes (rules) configure the same thing (loc ignored). */
bool conf_route_equal(const struct conf_route *a, const struct conf_route *b);
bool conf_rule_equal(const struct conf_rule *a, const struct conf_rule *b);

#endif /* VRRPD_CONF_ROUTE_H */
