/* SPDX-License-Identifier: BSD-2-Clause */
/* Process-wide facts shared by vrrpd and vrrpctl, and the daemon's glue. */

#ifndef VRRPD_DAEMON_H
#define VRRPD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>

#define VRRPD_VERSION "0.1.0"

#define VRRPD_PIDFILE "/run/vrrpd/vrrpd.pid"

struct ev_loop;

/*
 * Create (mode 0644, parent directory made if missing), lock and fill the
 * pid file. Returns its fd, to keep open while running; -1 with errno set,
 * and *other the pid of the daemon that holds the lock (EWOULDBLOCK).
 */
int daemon_pidfile_open(const char *path, long *other);
/* Remove the pid file and drop its lock. fd may be -1. */
void daemon_pidfile_close(int fd, const char *path);

/*
 * sd_notify(3) with a printf format ("READY=1", "RELOADING=1", ...); does
 * nothing outside systemd. Logs (warning) only when the send fails.
 */
void daemon_notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* WATCHDOG=1 from the loop twice per WatchdogSec=, when systemd asks. */
void daemon_watchdog_start(struct ev_loop *loop);
void daemon_watchdog_stop(struct ev_loop *loop);

/* ---- control.c: vrrpctl's requests, the metrics listener ---- */

struct conf_global;
struct vrrp_router;
struct vrrp_reload_stats;
struct daemon_ctl;

/*
 * The daemon's validated reload, for vrrpctl reload: 0 with *st filled, or
 * -1 with msg set ("FILE rejected (2 errors)") and *lines a malloc'd array
 * of *nlines malloc'd "FILE:LINE:COL: error: MESSAGE" strings (the caller
 * frees them), both possibly empty.
 */
typedef int daemon_reload_fn(void *arg, struct vrrp_reload_stats *st,
    char ***lines, size_t *nlines, char *msg, size_t msglen);

/*
 * The control side of the daemon on loop for router r: nothing listens
 * before daemon_ctl_configure(). config_path is shown by status and must
 * outlive it. The event loop lag probe starts at once.
 */
struct daemon_ctl *daemon_ctl_new(struct ev_loop *loop, struct vrrp_router *r,
    const char *config_path, daemon_reload_fn *fn, void *arg);
/*
 * Open or move the control socket (sock_override, -S, else
 * g->control_socket; neither: none) and the metrics listener
 * (g->metrics_listen) to match g. Returns 0, or -1 when one of them could
 * not be set up (logged; what ran before goes on where possible).
 */
int daemon_ctl_configure(struct daemon_ctl *c, const struct conf_global *g,
    const char *sock_override);
/* The registry status, metrics and vrrpctl cluster read (NULL: none). */
struct registry;
void daemon_ctl_set_registry(struct daemon_ctl *c, struct registry *reg);
/* A reload (signal or vrrpctl) was tried: status shows how it went. */
void daemon_ctl_reloaded(struct daemon_ctl *c, bool ok);
/* The Prometheus text of vrrpctl metrics; malloc'd, NULL on failure. */
char *daemon_ctl_metrics(struct daemon_ctl *c, size_t *len);
void daemon_ctl_free(struct daemon_ctl *c);

/* ---- cluster.c: the registry, fed by the router ---- */

struct conf;
struct registry;
struct daemon_cluster;

/*
 * Start the registry client for conf's registry block and have r's
 * instances published to it; NULL when no registry is configured, or it
 * cannot start (logged: the daemon runs on without it). conf must
 * outlive it or be replaced with daemon_cluster_reload().
 */
struct daemon_cluster *daemon_cluster_new(struct ev_loop *loop,
    struct vrrp_router *r, const struct conf *conf);
/*
 * conf replaces the running configuration: the same registry settings
 * keep the session; others close it and open the new one (or none).
 * Returns the client to use from now on (NULL: none).
 */
struct daemon_cluster *daemon_cluster_reload(struct daemon_cluster *dc,
    struct ev_loop *loop, struct vrrp_router *r, const struct conf *conf);
/* Connected with writes pending: a stop waits for them (bounded). */
bool daemon_cluster_busy(const struct daemon_cluster *dc);
/* The client, for status and vrrpctl cluster (NULL: none). */
struct registry *daemon_cluster_registry(const struct daemon_cluster *dc);
void daemon_cluster_free(struct daemon_cluster *dc);

#endif /* VRRPD_DAEMON_H */
