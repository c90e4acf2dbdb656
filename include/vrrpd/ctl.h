/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The control protocol between vrrpd and vrrpctl (man/vrrpctl.8): one JSON
 * request per connection on a Unix stream socket, one JSON reply, both
 * versioned with "v": 1.
 *
 * - proto (src/ctl/proto.c), pure: request parsing and building, the error
 *   codes and their names, reply envelopes. No I/O, no clock.
 * - server (src/ctl/server.c), glue: the socket, peer credentials, bounded
 *   non-blocking clients; the optional HTTP listener for GET /metrics
 *   (src/ctl/http.c).
 */

#ifndef VRRPD_CTL_H
#define VRRPD_CTL_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrpd/conf.h"

struct ev_loop;
struct json_object;
struct vrrp_inst_view;
struct vrrp_inst_stats;
struct vrrp_router_stats;

#define CTL_VERSION  1
#define CTL_REQ_MAX  8192 /* bytes a request may have, newline included */
#define CTL_NAME_MAX 64	  /* instance names and debug categories */

enum ctl_cmd {
	CTL_CMD_STATUS = 0, /* instances: state, priority and why */
	CTL_CMD_STATS,	    /* counters; .clear zeroes them (mutating) */
	CTL_CMD_CHECKS,	    /* checks and trackers */
	CTL_CMD_METRICS,    /* everything, as Prometheus text */
	CTL_CMD_RELOAD,	    /* validated reload (mutating) */
	CTL_CMD_DEMOTE,	    /* hand over for maintenance (mutating) */
	CTL_CMD_PROMOTE,    /* undo demote (mutating) */
	CTL_CMD_DEBUG,	    /* list, or set with .category (mutating) */
	CTL_CMD_CLUSTER,    /* the cluster registry's view; .history: the
			       transitions instead (docs/ctl-protocol.md) */
	CTL_CMD_MAX
};

/* One request, as parsed or to be built. */
struct ctl_req {
	enum ctl_cmd cmd;
	char instance[CTL_NAME_MAX]; /* "": every instance */
	bool all;		     /* demote/promote: every instance */
	bool clear;		     /* stats */
	bool history;		     /* cluster: transitions, not the table */
	uint64_t for_ms;	     /* demote: 0 = until promote */
	char category[CTL_NAME_MAX]; /* debug: "" = list only */
	bool on;		     /* debug: with .category */
};

/* Why a request failed; each has a stable name for the "code" field. */
enum ctl_err {
	CTL_OK = 0,
	CTL_E_JSON,	   /* "bad_json": not a JSON object */
	CTL_E_TOO_BIG,	   /* "too_big": longer than CTL_REQ_MAX */
	CTL_E_VERSION,	   /* "bad_version": "v" missing or not 1 */
	CTL_E_COMMAND,	   /* "unknown_command" */
	CTL_E_ARGUMENT,	   /* "bad_argument": wrong type, value or combo */
	CTL_E_PERMISSION,  /* "permission": the peer may not do this */
	CTL_E_NO_INSTANCE, /* "no_instance": no such instance */
	CTL_E_REJECTED,	   /* "rejected": e.g. reload of a bad file */
	CTL_E_BUSY,	   /* "busy": too many clients */
	CTL_E_TIMEOUT,	   /* "timeout": the request did not arrive */
	CTL_E_INTERNAL,	   /* "internal": out of memory, ... */
	CTL_E_MAX
};

/* "status", "stats", ... (never NULL; "unknown" out of range). */
const char *ctl_cmd_name(enum ctl_cmd cmd);
/* The command named s; -1 when none is. */
int ctl_cmd_from_name(const char *s);
/* "bad_json", ... (never NULL). */
const char *ctl_err_code(enum ctl_err e);
/* The error named s (a reply's "code"); CTL_E_INTERNAL when unknown. */
enum ctl_err ctl_err_from_code(const char *s);
/* True when the request changes something (reload, demote, promote,
 * debug with a category, stats with clear): root only by default. */
bool ctl_req_mutating(const struct ctl_req *req);

/*
 * Parse one request from buf[0..len) (no terminator needed; a trailing
 * newline is allowed). Fills *out and returns CTL_OK, or an error with a
 * phrase in why ("\"for_ms\" must be a non-negative integer"). Unknown
 * members are errors too (CTL_E_ARGUMENT), so a typo never goes unseen.
 * Never logs, never reads past len.
 */
enum ctl_err ctl_req_parse(const char *buf, size_t len, struct ctl_req *out,
    char *why, size_t whylen);

/*
 * The request as one JSON line ending in "\n", malloc'd (the caller
 * frees); only members that differ from their defaults are written.
 * NULL when out of memory.
 */
char *ctl_req_build(const struct ctl_req *req);

/* {"v": 1, "ok": true, "cmd": NAME}: the caller adds the payload. */
struct json_object *ctl_reply_ok(enum ctl_cmd cmd);
/*
 * {"v": 1, "ok": false, "cmd": NAME or null, "error": {"code": CODE,
 * "message": MSG}}. cmd may be CTL_CMD_MAX when the request did not name
 * one. NULL when out of memory.
 */
struct json_object *ctl_reply_error(enum ctl_cmd cmd, enum ctl_err e,
    const char *msg);

/* A count or duration as a JSON integer (clamped to INT64_MAX). */
struct json_object *ctl_json_u64(uint64_t v);
/* A string, or JSON null (NULL) when s is NULL. */
struct json_object *ctl_json_str(const char *s);

/* ---- state.c, why.c, metrics.c: payloads from plain values ---- */

/* A counter: its name in replies (keepalived's), MIB object, help text. */
struct ctl_counter {
	const char *key;  /* "advert_rcvd" */
	const char *mib;  /* NULL: see ctl_counter_mib() */
	const char *help; /* "adverts received" */
	size_t off;	  /* instance counters: offset in vrrp_inst_stats */
};

/*
 * The counter tables: *inst the per-instance counters that are fields of
 * struct vrrp_inst_stats (the count is returned), *rx the receive errors
 * indexed by enum vrrp_pkt_ctr (VRRP_CTR_NONE's entry is empty).
 */
size_t ctl_counters(const struct ctl_counter **inst,
    const struct ctl_counter **rx);
/* The RFC 6527 / RFC 2787 object of counter c (ctr: its enum
 * vrrp_pkt_ctr for receive errors, else 0); NULL when it has none. */
const char *ctl_counter_mib(const struct ctl_counter *c, int ctr);

/* "check", "interface", "file", "process". */
const char *ctl_track_kind_name(enum conf_track_kind k);

/*
 * An instance's status object (docs/ctl-protocol.md "status"); present[]
 * says for each VIP (vips, then vips_excluded) whether it is on its
 * interface, NULL when unknown (null in the reply). NULL when out of
 * memory.
 */
struct json_object *ctl_json_instance(const struct vrrp_inst_view *v,
    const bool *present);
/* {"advert_rcvd": N, ...}: every instance counter, by its key. */
struct json_object *ctl_json_inst_counters(const struct vrrp_inst_stats *st);
/* The receive errors no instance took, vrid_err included. */
struct json_object *ctl_json_router_counters(
    const struct vrrp_router_stats *st);
/* {"advert_rcvd": {"mib": ..., "help": ...}, ...} */
struct json_object *ctl_json_counter_info(void);

/*
 * One line: why the instance is or is not master ("preempt off; current
 * master 192.0.2.1 priority 90 < ours 150"). Always terminated.
 */
void ctl_why(const struct vrrp_inst_view *v, char *buf, size_t size);

/*
 * Prometheus text exposition (format 0.0.4) of the status, stats and
 * checks payloads (replies as built by the daemon; any may be NULL).
 * malloc'd, *len its length; NULL when out of memory.
 */
char *ctl_metrics_render(struct json_object *status, struct json_object *stats,
    struct json_object *checks, size_t *len);

/* ---- server.c: the control socket ---- */

/* Who is asking: from SO_PEERCRED, and what that allows. */
struct ctl_peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	bool may_write; /* mutating requests allowed */
};

/*
 * Answer req from peer: a reply object (the server takes the reference),
 * or NULL for CTL_E_INTERNAL. Called only for requests that parsed and
 * that the peer may make.
 */
struct ctl_server;
typedef struct json_object *ctl_handler_fn(void *arg, const struct ctl_req *req,
    const struct ctl_peer *peer);

/*
 * A handler that cannot answer at once (vrrpctl cluster reads ZooKeeper)
 * takes a ticket with ctl_server_later() and returns CTL_REPLY_LATER; it
 * then answers exactly once with ctl_later_reply(), which frees the
 * ticket. A client that timed out or left meanwhile gets nothing.
 */
extern struct json_object *const CTL_REPLY_LATER;
struct ctl_later;
/* From inside the handler only; NULL when out of memory. */
struct ctl_later *ctl_server_later(struct ctl_server *s);
/* Send r (consumed; NULL: an internal error) to the ticket's client. */
void ctl_later_reply(struct ctl_later *t, enum ctl_cmd cmd,
    struct json_object *r);

struct ctl_server_opts {
	const char *path;  /* socket path; its directory is made if missing */
	const char *group; /* NULL: mode 0600 root only; else 0660 root:group */
	bool group_write;  /* members of group may make mutating requests */
};

struct ctl_server;

/*
 * Listen on o->path (a stale socket nobody answers on is replaced; one a
 * live daemon answers on is not: -1, EADDRINUSE). NULL with errno set, and
 * a logged line naming the path and the cause.
 */
struct ctl_server *ctl_server_new(struct ev_loop *loop,
    const struct ctl_server_opts *o, ctl_handler_fn *fn, void *arg);
/*
 * Reload: apply new options. Same path: the group, mode and write rule
 * change in place; another path: a new socket is opened first and the old
 * one closed only when that worked. Returns 0, or -1 (logged) with the old
 * socket still serving.
 */
int ctl_server_reconfigure(struct ctl_server *s,
    const struct ctl_server_opts *o);
/* Close every client and the socket, and unlink the socket path. */
void ctl_server_free(struct ctl_server *s);

/* ---- http.c: the optional metrics listener ---- */

/* The metrics text, malloc'd (the caller frees), *len its length; NULL on
 * failure (answered with 500). */
typedef char *ctl_metrics_fn(void *arg, size_t *len);

struct ctl_http;

/*
 * Serve GET /metrics (and HEAD) on listen, "ADDR:PORT" or "[V6]:PORT",
 * numeric only; anything else is 404 or 405. NULL with errno set and a
 * logged line when it cannot listen.
 */
struct ctl_http *ctl_http_new(struct ev_loop *loop, const char *listen,
    ctl_metrics_fn *fn, void *arg);
void ctl_http_free(struct ctl_http *h);

#endif /* VRRPD_CTL_H */
