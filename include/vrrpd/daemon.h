/* SPDX-License-Identifier: BSD-2-Clause */
/* Process-wide facts shared by vrrpd and vrrpctl, and the daemon's glue. */

#ifndef VRRPD_DAEMON_H
#define VRRPD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>

#define VRRPD_VERSION "0.1.0"

#define VRRPD_PIDFILE "/run/vrrpd/vrrpd.pid"

/* ---- netns.c: network namespaces by name ---- */

#define DAEMON_RUN_DIR	 "/run/vrrpd"
#define DAEMON_NETNS_DIR "/run/netns" /* ip-netns(8)'s names */

/*
 * Enter the network namespace /run/netns/NAME (setns). 0, or -1 with
 * errno set (EINVAL for a name with '/').
 */
int daemon_netns_enter(const char *name);

/*
 * The name of the network namespace this process is in, found as
 * `ip netns identify` finds it: the /run/netns entry that is the same
 * namespace. 0 with name filled (size bytes at most), 1 when it has
 * none (pid 1's namespace, or one not in /run/netns), -1 with errno set
 * when /proc cannot tell.
 */
int daemon_netns_identify(char *name, size_t size);

/*
 * The default path of a runtime file ("vrrpd.pid", "vrrpd.sock"): in
 * /run/vrrpd, or in /run/vrrpd/NS for namespace ns (NULL or "": none),
 * so that daemons in two namespaces of one host do not collide. 0, or -1
 * (ENAMETOOLONG) when it does not fit in size bytes.
 */
int daemon_run_path(const char *ns, const char *file, char *buf, size_t size);
/* Make /run/vrrpd and /run/vrrpd/NS (mode 0755) when missing. 0 or -1. */
int daemon_run_dir_make(const char *ns);
/* Remove /run/vrrpd/NS at the end, when it is empty (ns NULL, "": no-op). */
void daemon_run_dir_remove(const char *ns);

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

/* ---- preflight.c: the start's warnings about this host ---- */

struct conf;
struct priv_db;

typedef void daemon_say_fn(const char *msg);

/*
 * The warnings the daemon gives at start beyond the file's own diags,
 * about this host: scripts that would run as root because no script_user
 * is configured and neither vrrpd-script nor keepalived_script exists.
 * The daemon and vrrpd -t print them from here; say gets each message
 * (no prefix, no newline). Reads the user database; never logs.
 */
void daemon_host_warnings(const struct conf *conf, daemon_say_fn *say);
/* The same against db (tests pass a table). */
void daemon_host_warnings_db(const struct conf *conf, const struct priv_db *db,
    daemon_say_fn *say);

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
