/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vrrpctl's pure parts, shared by the command line shell (vrrpctl.c) and
 * the unit test:
 *
 * - parser (parser.c): the command grammar as a static token table, argv
 *   to a struct ctl_req plus the client's own options; durations.
 * - render (render.c, render_status.c, render_stats.c for stats and
 *   checks, render_cluster.c): a reply from vrrpd, as a json-c object, to
 *   text for humans; the exit status.
 * - text (text.c): column tables, wrapped lines, durations as text.
 *
 * None of them touches a socket, the clock or the environment: the shell
 * reads those and passes them in.
 *
 * - direct (direct.c), glue: "cluster --servers" reads the registry from
 *   ZooKeeper itself, without a daemon.
 */

#ifndef VRRPD_VRRPCTL_H
#define VRRPD_VRRPCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vrrpd/ctl.h"

struct json_object;

#define VRRPCTL_SOCKET	 "/run/vrrpd/vrrpd.sock" /* the default socket */
#define VRRPCTL_WIDTH	 80			 /* columns of the output */
#define VRRPCTL_ZK_PATH	 "/vrrpd" /* --servers without --path (vrrpd's too) */
#define VRRPCTL_WATCH_MS 1000	  /* --watch: a request this often */

/* Exit statuses of vrrpctl. */
enum vrrpctl_exit {
	VRRPCTL_EXIT_OK = 0,	      /* done */
	VRRPCTL_EXIT_ERROR = 1,	      /* vrrpd answered with an error */
	VRRPCTL_EXIT_USAGE = 2,	      /* bad command line */
	VRRPCTL_EXIT_UNREACHABLE = 3, /* no daemon, no reply, bad reply */
	VRRPCTL_EXIT_PERMISSION = 4   /* the socket or the daemon said no */
};

/* --color=WHEN. */
enum vrrpctl_color {
	VRRPCTL_COLOR_AUTO = 0, /* when stdout is a terminal (see below) */
	VRRPCTL_COLOR_ALWAYS,
	VRRPCTL_COLOR_NEVER
};

/* What the command line asks for, besides the request. */
enum vrrpctl_verb {
	VRRPCTL_RUN = 0,  /* send the request */
	VRRPCTL_HELP,	  /* -h: print vrrpctl_usage() to stdout, exit 0 */
	VRRPCTL_VERSION,  /* -V: print "vrrpctl VERSION", exit 0 */
	VRRPCTL_BAD_USAGE /* the message is in why: exit 2 */
};

/* The client's own options. */
struct vrrpctl_opts {
	const char *socket; /* points into argv, the env value or a literal */
	bool json;	    /* --json: print the reply as received */
	enum vrrpctl_color color;
	bool watch; /* --watch (cluster): again every VRRPCTL_WATCH_MS */
	/* --servers (cluster): read ZooKeeper, not vrrpd; NULL: ask vrrpd */
	const char *servers;
	/* --path: the root znode; VRRPCTL_ZK_PATH with --servers alone */
	const char *path;
};

/*
 * Parse the command line (argv[0] is the program name and is skipped):
 *
 *   vrrpctl [-S PATH | --socket PATH] [--json] [--color[=WHEN]]
 *           [-h | --help] [-V | --version] COMMAND [ARGS]
 *
 *   status [INSTANCE]
 *   stats [INSTANCE] [--clear]
 *   checks | metrics | reload
 *   demote (INSTANCE | --all) [--for DURATION]
 *   promote (INSTANCE | --all)
 *   debug [CATEGORY (on [--instance NAME] | off)]
 *   cluster [history] [[--] INSTANCE] [--watch] [--servers LIST [--path P]]
 *
 * The options may also follow the command. In cluster, "history" is a
 * keyword: an instance named so is written "cluster -- history". --watch,
 * --servers and --path go with cluster only; --path needs --servers and
 * defaults to VRRPCTL_ZK_PATH; -S (not $VRRPCTL_SOCKET) and --servers
 * exclude each other. The socket is env_socket when that is non-NULL and
 * not empty, else VRRPCTL_SOCKET; -S overrides both.
 * Fills *opts and *req (zeroed first) and returns VRRPCTL_RUN, or
 * VRRPCTL_HELP / VRRPCTL_VERSION as soon as -h / -V is seen, or
 * VRRPCTL_BAD_USAGE with a one-line message in why, without the
 * "vrrpctl: " prefix ("demote: name an instance or --all"). Never prints,
 * never allocates.
 */
enum vrrpctl_verb vrrpctl_parse(int argc, char *const argv[],
    const char *env_socket, struct vrrpctl_opts *opts, struct ctl_req *req,
    char *why, size_t whylen);

/* The help text, for -h. */
void vrrpctl_usage(FILE *f);

/*
 * A duration: one or more NUMBER UNIT groups with units h, m, s, ms in
 * that order ("500ms", "90s", "10m", "1h30m"), or a bare number of
 * seconds ("90"). Stores the milliseconds in *ms and returns 0; -1 for
 * bad text, zero, or more than INT64_MAX milliseconds (*ms untouched).
 */
int vrrpctl_parse_duration(const char *s, uint64_t *ms);

/*
 * True when --color=auto means colour: stdout is a terminal, NO_COLOR is
 * unset (no_color NULL) and TERM is set and not "dumb".
 */
bool vrrpctl_color_auto(bool tty, const char *no_color, const char *term);

/* How long to wait for the reply to req, in seconds (reload: 60, else 10). */
int vrrpctl_timeout_s(const struct ctl_req *req);

/* How to render. */
struct vrrpctl_render_opts {
	bool color;	 /* ANSI colours for states */
	int width;	 /* columns; VRRPCTL_WIDTH when 0 */
	uint64_t now_ms; /* the wall clock (Unix ms), for ages of the absolute
			    times in cluster replies; 0: ages show as "?" */
};

/*
 * Render reply, vrrpd's answer to req (the request sent: its command and
 * whether it named an instance decide the layout; "status VI_1" is a
 * detailed block, "status" a table), on out, and an error reply on err.
 * A reply that is not what the protocol says (not an object, wrong "v",
 * another command, a member missing or of the wrong type) prints nothing
 * on out and "vrrpctl: malformed reply from vrrpd: WHAT" on err. Returns
 * the exit status: VRRPCTL_EXIT_OK; VRRPCTL_EXIT_ERROR for an error
 * reply, a rejected reload or a reload that failed for some instance;
 * VRRPCTL_EXIT_PERMISSION for a "permission" error;
 * VRRPCTL_EXIT_UNREACHABLE for a malformed reply. reply may be NULL (not
 * JSON: malformed). Allocates only while it runs.
 *
 * cluster replies are the exception to "malformed prints nothing": they
 * merge records that other nodes wrote, so past the envelope ("v", "ok",
 * "cmd") every member is optional. A missing or null one shows as "?" (or
 * its line is left out); one of the wrong type too, and the first such
 * member is named in one line on err ("vrrpctl: cluster: part of the
 * reply is malformed: ..."), with VRRPCTL_EXIT_OK. A split brain is
 * shown, not an exit status. Ages are from o->now_ms. The output fits
 * o->width columns whatever the names: long ones are cut and end in "~".
 */
int vrrpctl_render(struct json_object *reply, const struct ctl_req *req,
    const struct vrrpctl_render_opts *o, FILE *out, FILE *err);

/*
 * The exit status of reply without rendering it (for --json): from "ok"
 * and the error "code" only; VRRPCTL_EXIT_UNREACHABLE when those are
 * missing or not of their types.
 */
int vrrpctl_reply_status(struct json_object *reply);

/*
 * Durations as text, into buf (at least 24 bytes is always enough);
 * return buf.
 * - vrrpctl_fmt_ago(): compact, two units at most, rounded down: "850ms",
 *   "12s", "3m12s", "2h05m", "3d04h".
 * - vrrpctl_fmt_ms(): exact, in vrrpctl_parse_duration()'s syntax: "10m",
 *   "1h30m", "1s500ms", "0s".
 * - vrrpctl_fmt_us(): a latency: "40us", "1.2ms", "812ms", "1.5s".
 */
char *vrrpctl_fmt_ago(uint64_t ms, char *buf, size_t size);
char *vrrpctl_fmt_ms(uint64_t ms, char *buf, size_t size);
char *vrrpctl_fmt_us(uint64_t us, char *buf, size_t size);

/*
 * "cluster --servers": read the registry under path from the ZooKeeper
 * ensemble servers ("ADDR:PORT[,ADDR:PORT...]") without a daemon, for
 * req (a CTL_CMD_CLUSTER request: its instance, "" for all, and history),
 * giving up after timeout_s seconds. Returns a reply object in the schema
 * of docs/ctl-protocol.md "cluster", with "source": "zookeeper" (the
 * caller puts it), or NULL with a phrase in why. Glue (src/vrrpctl/
 * direct.c): blocks; vrrpctl.c is its only caller.
 */
struct json_object *vrrpctl_cluster_direct(const char *servers,
    const char *path, const struct ctl_req *req, double timeout_s, char *why,
    size_t whylen);

#endif /* VRRPD_VRRPCTL_H */
