/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running virtual routers: vrrp/router.c owns the shared sockets (one
 * per interface and family, demultiplexed by VRID) and the netlink
 * monitor; vrrp/instance.c binds one configured instance to its state
 * machine, its timers and its addresses, and applies the machine's actions
 * in one place. Glue: libev, sockets, netlink, the clock.
 */

#ifndef VRRPD_VRRP_INSTANCE_H
#define VRRPD_VRRP_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrpd/conf.h"
#include "vrrpd/vrrp_fsm.h"

struct ev_loop;
struct vrrp_router;
struct vrrp_inst;

/* Per-instance counters (RFC 6527 names in vrrp_packet.h, plus these). */
struct vrrp_inst_stats {
	uint64_t adverts_rcvd;
	uint64_t adverts_sent;
	uint64_t become_master;
	uint64_t release_master;
	uint64_t pri_zero_rcvd;
	uint64_t pri_zero_sent;
	uint64_t garp_sent;
	uint64_t send_errors;
	uint64_t rx_errors[VRRP_CTR_MAX]; /* by enum vrrp_pkt_ctr */
};

/*
 * Drops that reach no instance: VRIDs not configured here (RFC 6527
 * vrrpv3RouterVrIdErrors) and packets too broken to name a VRID, by
 * counter (vrrpv3RouterChecksumErrors, vrrpv3RouterVersionErrors, ...).
 */
struct vrrp_router_stats {
	uint64_t rx_errors[VRRP_CTR_MAX]; /* by enum vrrp_pkt_ctr */
};

/* ---- router.c ---- */

/* Called once every instance of the first load has started. */
typedef void vrrp_router_ready_fn(void *arg);

/* A router on loop; NULL on failure (errno set, netlink unavailable). */
struct vrrp_router *vrrp_router_new(struct ev_loop *loop);

/*
 * fn(arg) is called once, when every instance of the first load has left
 * Initialize: its interface and source address were there (or the wait
 * for them ran out, VRRP_INST_WAIT_MS, and it is in FAULT) and the
 * global startup_delay has passed. For sd_notify READY=1.
 */
void vrrp_router_set_ready_cb(struct vrrp_router *r, vrrp_router_ready_fn *fn,
    void *arg);

/*
 * Create and start every instance of conf (which must outlive the
 * router, or be replaced by vrrp_router_reload()), after the global
 * startup_delay. Returns 0, or -1 after logging which instance failed and
 * why.
 */
int vrrp_router_load(struct vrrp_router *r, const struct conf *conf);

/* What a reload did, instance by instance. */
struct vrrp_reload_stats {
	size_t kept;	  /* unchanged: state, timers and VIPs kept */
	size_t recreated; /* changed: stopped (released) and started anew */
	size_t added;
	size_t removed; /* stopped: priority 0 if master, VIPs released */
	size_t failed;	/* could not be started (logged) */
};

/*
 * Move to conf, a new validated configuration (it must outlive the router
 * or the next reload; the caller frees the old one afterwards). Checks
 * are matched by name too: an unchanged check goes on with its state; a
 * check that cannot run (logged) rejects the reload: -1, nothing changed,
 * the caller keeps the old configuration. Returns 0 otherwise. Instances
 * are matched by name: an equal configuration keeps the running instance
 * as it is (no transition, no advert, no GARP), a changed one is stopped
 * and re-created, a removed one is stopped; leftover VIPs of instances
 * that are not master are removed. Fills *st; logs one line per
 * re-created, added, removed or failed instance.
 */
int vrrp_router_reload(struct vrrp_router *r, const struct conf *conf,
    struct vrrp_reload_stats *st);

/*
 * Graceful stop: every master sends priority 0 and releases its
 * addresses. The loop may then be left.
 */
void vrrp_router_shutdown(struct vrrp_router *r);
/* A notification script of some instance runs or waits. */
bool vrrp_router_notifying(const struct vrrp_router *r);
const struct vrrp_router_stats *vrrp_router_stats(const struct vrrp_router *r);

/*
 * Log the counters: one line per instance ("(VI_1) stats: adverts_rcvd
 * 10, ...", error counters by their MIB names when not zero) and one for
 * the drops no instance took. For SIGUSR2, keepalived's stats signal.
 */
void vrrp_router_log_stats(const struct vrrp_router *r);
void vrrp_router_free(struct vrrp_router *r);

/* One tracked object's part in an instance's effective priority. */
struct vrrp_track_part {
	const char *name; /* the check, interface or file, as configured */
	enum conf_track_kind kind;
	bool applied; /* false: not acted on (tracked processes, for now) */
	bool up;      /* a check's or interface's state */
	long value;   /* a file's number */
	int contrib;  /* added to the base priority */
	bool fault;   /* it puts the instance in FAULT */
};

/* ---- instance.c ---- */

const char *vrrp_inst_name(const struct vrrp_inst *vi);
enum vrrp_state vrrp_inst_state(const struct vrrp_inst *vi);
const struct vrrp_inst_stats *vrrp_inst_stats(const struct vrrp_inst *vi);

/*
 * Why the effective priority is what it is: *n parts, one per track of
 * the configuration, as last computed (for vrrpctl status and SIGUSR2).
 */
const struct vrrp_track_part *vrrp_inst_breakdown(const struct vrrp_inst *vi,
    size_t *n);

/* Monotonic microseconds, the clock every deadline is in. */
uint64_t vrrp_now_us(void);

#endif /* VRRPD_VRRP_INSTANCE_H */
