/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the keepalived.conf front end: the statement reader and keyword
 * engine (keepalived.c) and the keyword tables (keepalived_inst.c for
 * vrrp_instance, keepalived_kws.c for the other blocks).
 */

#ifndef VRRPD_CONF_KAPARSE_H
#define VRRPD_CONF_KAPARSE_H

#include <stddef.h>

#include "conf_priv.h"
#include "kalex.h"
#include "vrrpd/conf_route.h"

#define MAX_ARGS 64

/* One statement: a keyword, its arguments, and whether a block follows. */
struct stmt {
	struct kalex_tok kw;
	char *kwtext;
	size_t nargs;
	char *args[MAX_ARGS];
	struct conf_loc locs[MAX_ARGS];
	bool block;
};

struct kparse {
	struct conf *conf;
	struct kalex *lx;
	const struct conf_opts *opts;
	struct kalex_tok tok;
	bool have; /* tok holds a token not consumed yet */
	bool eof;
	bool after_brace;	 /* the next token starts a statement */
	const char *warned[128]; /* names already warned about (once each) */
	size_t nwarned;
	bool lvs_warned;
	struct conf_rt_ctx rt; /* route and rule lines: names, preferences */
};

struct kw;
typedef void kw_fn(struct kparse *, struct stmt *, void *, const struct kw *);

enum kw_flags {
	KW_BLOCK = 1u << 0, /* takes a { } block */
	KW_MAYBE_BLOCK = 1u << 1,
};

/* A keyword: its handler, field, inherited-bit, arguments and range. */
struct kw {
	const char *name;
	kw_fn *fn;
	size_t off;   /* field offset in the block's object */
	uint32_t own; /* CONF_OWN_* bit an instance sets by writing it */
	unsigned int min, max; /* argument count */
	long long lo, hi;      /* numeric range */
	unsigned int flags;
	const struct kw *sub; /* the table for a block's keywords */
	const char *what;     /* block name, or why it is warned/rejected */
};

#define FIELD(obj, kw, type) ((type *)(void *)((char *)(obj) + (kw)->off))

/* The items of a list block (virtual_ipaddress, track_script, ...). */
typedef void ka_item_fn(struct kparse *, struct stmt *, void *);

/* ---- the engine (keepalived.c) ---- */

void ka_err(struct kparse *p, const struct conf_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const struct conf_loc *ka_arg_loc(const struct stmt *st, size_t i);
bool ka_get_int(struct kparse *p, struct stmt *st, size_t i, long long lo,
    long long hi, long long *v);
void ka_skip_block(struct kparse *p);
void ka_parse_items(struct kparse *p, const struct stmt *open, void *obj,
    ka_item_fn *fn);

/* Generic handlers: the field at kw->off, the range kw->lo..kw->hi. */
kw_fn ka_u8, ka_u32, ka_flag, ka_noflag, ka_str, ka_ifname, ka_secs_ms, ka_addr,
    ka_warn, ka_reject, ka_block;
/* Shared with sync groups (keepalived_inst.c). */
kw_fn ka_cmd, ka_track_group;
/* keepalived_routes.c: virtual_routes/rules (kw->lo: enum conf_rt_kind),
 * static_routes/rules, static_ipaddress. */
kw_fn ka_vroutes, ka_static_routes, ka_static_addrs;
/* One virtual_ipaddress line into *arr (keepalived_inst.c). */
void ka_vip_item(struct kparse *p, struct stmt *st, struct conf_vip **arr,
    size_t *n);

/* ---- the tables ---- */

extern const struct kw ka_top_kws[]; /* outside any block (keepalived.c) */
extern const struct kw ka_instance_kws[];
extern const struct kw ka_script_kws[];
extern const struct kw ka_track_process_kws[];
extern const struct kw ka_track_file_kws[];
extern const struct kw ka_sync_group_kws[];
extern const struct kw ka_global_kws[];

/* Field offsets and argument counts for the tables. */
#define I(f)  offsetof(struct conf_instance, f)
#define G(f)  offsetof(struct conf_global, f)
#define C(f)  offsetof(struct conf_check, f)
#define TP(f) offsetof(struct conf_track_process, f)
#define TF(f) offsetof(struct conf_track_file, f)
#define SG(f) offsetof(struct conf_sync_group, f)

/* Arguments: none, optional one, exactly one, command [user [group]]. */
#define A0    .min = 0, .max = 0
#define A01   .min = 0, .max = 1
#define A1    .min = 1, .max = 1
#define ACMD  .min = 1, .max = 3
#define BLOCK .flags = KW_BLOCK
#define WARN(n, why)                                                  \
	{                                                             \
		n, ka_warn, .max = MAX_ARGS, .flags = KW_MAYBE_BLOCK, \
			    .what = why                               \
	}
#define REJECT(n, why)                                                  \
	{                                                               \
		n, ka_reject, .max = MAX_ARGS, .flags = KW_MAYBE_BLOCK, \
			      .what = why                               \
	}

#define NO_MAIL	 "vrrpd sends no e-mail; use notify scripts"
#define NO_SNMP	 "vrrpd has no SNMP agent; see vrrpctl metrics"
#define NO_DBUS	 "vrrpd has no D-Bus interface; see vrrpctl"
#define NO_SCHED "process naming and scheduling are set by the systemd unit"
#define NO_LVS	 "LVS settings belong to the LVS process"
#define NO_DUMP	 "vrrpd has no dump files; see vrrpctl"
#define NO_FW	 "vrrpd installs no firewall rules"
#define NO_BUFS	 "vrrpd sizes its socket buffers itself"
#define NO_LINKBEAT                                                    \
	"link state comes from netlink, which the kernel reports for " \
	"every current driver"
#define NO_CHILDREN                                                         \
	"vrrpd is one process; it waits at most 5 s for notify scripts at " \
	"a stop"
#define NO_PID_DIR "the pid file is always under /run/vrrpd"
/* Rejected: the reason, then what to do instead. */
#define NO_BFD                                                             \
	"BFD is not implemented; track the peer with a vrrp_script (ping " \
	"or a port check) instead"
#define NO_DELETED                                                         \
	"an instance a reload removes notifies STOP; use notify_stop, or " \
	"notify (which gets STOP)"
#define NO_INSTANCE                                                          \
	"to run several vrrpd in one namespace, give each its own pid file " \
	"(-p) and control socket (-S or vrrpd_control_socket)"
#define NO_START_SCRIPTS                                              \
	"vrrpd runs no start-up or shut-down script; use the unit's " \
	"ExecStartPre= and ExecStopPost=, which systemd bounds with " \
	"TimeoutStartSec= and TimeoutStopSec="
#define NO_EXTRA_IF                                                        \
	"periodic announcements on other interfaces are not implemented; " \
	"use an instance on that interface, with garp_master_refresh"
#define NO_TIMED_RELOAD                                                \
	"scheduled reloads are not implemented; have a systemd timer " \
	"run vrrpctl reload at that time"
#define NO_VMAC_ADDR                                                        \
	"VMACs for addresses on other interfaces are not implemented; run " \
	"an instance with use_vmac on that interface"
#define NO_IPVLAN \
	"ipvlan interfaces are not implemented; use_vmac (a macvlan) is"

#endif /* VRRPD_CONF_KAPARSE_H */
