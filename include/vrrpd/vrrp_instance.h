/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running virtual routers: vrrp/router.c owns the netlink monitor and
 * the pool of trackers, vrrp/sock.c the shared sockets (one per interface
 * and family, demultiplexed by VRID), vrrp/reload.c loading and reloading;
 * vrrp/instance.c binds one configured instance to its state machine, its
 * timers and its addresses, and applies the machine's actions in one
 * place. Glue: libev, sockets, netlink, the clock.
 */

#ifndef VRRPD_VRRP_INSTANCE_H
#define VRRPD_VRRP_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrpd/checker.h"
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
	uint64_t garp_sent; /* gratuitous ARPs */
	uint64_t na_sent;   /* unsolicited neighbour advertisements */
	uint64_t send_errors;
	/* answers to priority-0 and lower-priority adverts left out: at
	 * most one an Advertisement_Interval (fsm.h answered_us) */
	uint64_t answers_suppressed;
	/* priority-0 adverts not from the master followed, ignored */
	uint64_t stops_ignored;
	uint64_t rx_errors[VRRP_CTR_MAX]; /* by enum vrrp_pkt_ctr */
};

/*
 * Drops that reach no instance: VRIDs not configured here (RFC 6527
 * vrrpv3RouterVrIdErrors) and packets too broken to name a VRID, by
 * counter (vrrpv3RouterChecksumErrors, vrrpv3RouterVersionErrors, ...).
 */
struct vrrp_router_stats {
	uint64_t rx_errors[VRRP_CTR_MAX]; /* by enum vrrp_pkt_ctr */
	/*
	 * VRRP packets the sockets' in-kernel filters dropped (TTL / hop
	 * limit not 255 on a multicast socket, another version or type, a
	 * VRID not configured on that interface, too short), all kinds
	 * together: they never reach the counters above.
	 */
	uint64_t kernel_filtered;
};

/* ---- router.c ---- */

/* Called once every instance of the first load has started. */
typedef void vrrp_router_ready_fn(void *arg);

/*
 * An observer of the instances (the registry): fn after a step of vi's
 * machine that made a transition (t, else NULL) or changed its effective
 * priority, faults or the master it hears; gone when vi is freed (a
 * reload removed or re-created it, or the router stops). Called after
 * the step's actions, so an advert never waits for it.
 */
typedef void vrrp_router_observe_fn(void *arg, const struct vrrp_inst *vi,
    const struct vrrp_action *t);
typedef void vrrp_router_gone_fn(void *arg, const struct vrrp_inst *vi);
void vrrp_router_set_observer(struct vrrp_router *r, vrrp_router_observe_fn *fn,
    vrrp_router_gone_fn *gone, void *arg);

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
	size_t kept;	    /* unchanged: state, timers and VIPs kept */
	size_t readdressed; /* only the addresses changed: taken in place */
	size_t recreated;   /* changed: stopped (released) and started anew */
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
const struct vrrp_router_stats *vrrp_router_stats(struct vrrp_router *r);

/*
 * Log the counters: one line per instance ("(VI_1) stats: adverts_rcvd
 * 10, ...", error counters by their MIB names when not zero) and one for
 * the drops no instance took. For SIGUSR2, keepalived's stats signal.
 */
void vrrp_router_log_stats(const struct vrrp_router *r);
/* Every instance's state, priority and master, in the log (SIGUSR1). */
void vrrp_router_log_state(const struct vrrp_router *r);
void vrrp_router_free(struct vrrp_router *r);

/* ---- instance.c ---- */

const char *vrrp_inst_name(const struct vrrp_inst *vi);
enum vrrp_state vrrp_inst_state(const struct vrrp_inst *vi);
const struct vrrp_inst_stats *vrrp_inst_stats(const struct vrrp_inst *vi);

/*
 * Why the effective priority is what it is: *n parts, one per track of
 * the configuration, as last computed (for vrrpctl status and SIGUSR2).
 */
const struct checker_part *vrrp_inst_breakdown(const struct vrrp_inst *vi,
    size_t *n);

/* ---- view.c: what vrrpctl and the metrics read ---- */

/* The configuration the router runs. */
const struct conf *vrrp_router_conf(const struct vrrp_router *r);
/* The instances in configuration order: first, then next until NULL. */
const struct vrrp_inst *vrrp_router_first(const struct vrrp_router *r);
const struct vrrp_inst *vrrp_router_next(const struct vrrp_inst *vi);
/* The configuration an instance runs. */
const struct conf_instance *vrrp_inst_conf(const struct vrrp_inst *vi);
/* The instance called name, or NULL. */
struct vrrp_inst *vrrp_router_find(struct vrrp_router *r, const char *name);

/* One instance as it runs now, for status; a plain value. */
struct vrrp_inst_view {
	const struct conf_instance *ci; /* name, interface, VIPs, modes */
	enum vrrp_state state;
	uint64_t in_state_us;	    /* since the last transition (or start) */
	bool transitioned;	    /* there was a transition */
	enum vrrp_state prev_state; /* of the last transition */
	enum vrrp_reason reason;    /* of the last transition */
	uint8_t base_priority;
	uint8_t priority; /* effective */
	int track_sum;	  /* the parts' total before clamping and demotion */
	const struct checker_part *parts;
	size_t nparts;
	bool demoted;
	uint64_t demote_left_us; /* 0: until promote */
	unsigned int faults;	 /* 1 << enum vrrp_fault */
	bool master_known;	 /* a master was heard (or we are it) */
	struct addr master_addr;
	uint8_t master_priority;
	uint16_t master_adver_int_cs;
	uint16_t adver_int_cs; /* configured */
	struct addr src;       /* our advert source */
	bool waiting;	       /* not started: startup delay or interface */
	bool master_down_armed;
	uint64_t master_down_in_us;
	uint64_t preempt_in_us; /* preempt_delay running: time left; else 0 */
	/* keepalived sync group: name (NULL: none) and state */
	const char *group;
	enum vrrp_state group_state;
	bool wants_master; /* in the group, a Backup that would be Master */
	/* the member keeping the group from Master or in Fault (NULL: none)
	 * and its state */
	const char *group_holder;
	enum vrrp_state group_holder_state;
};

/* Fill *v for vi at now_us (util_now_us()). */
void vrrp_inst_view(const struct vrrp_inst *vi, uint64_t now_us,
    struct vrrp_inst_view *v);

/*
 * Whether each configured VIP (ci->vips, then ci->vips_excluded) is on its
 * interface now: present[] must have room for both lists. One netlink
 * dump. Returns 0, or -1 when the kernel could not be asked.
 */
int vrrp_inst_vips_present(const struct vrrp_inst *vi, bool *present);

/*
 * The same for the n instances vis[] (of one router) with one netlink
 * dump: present[] holds each one's lists in turn (vrrp_inst_nvips_all()
 * entries each). Returns 0, or -1 (out of memory, or the kernel).
 */
int vrrp_inst_vips_present_many(const struct vrrp_inst *const *vis, size_t n,
    bool *present);

/* How many entries vrrp_inst_vips_present() fills for vi. */
size_t vrrp_inst_nvips_all(const struct vrrp_inst *vi);

/* Zero the counters of every instance and the router's. */
void vrrp_router_clear_stats(struct vrrp_router *r);

/* The checks the router runs, in configuration order (i < nchecks). */
struct vrrp_check_view {
	const struct conf_check *cc;
	const struct checker *chk; /* NULL: not run (no instance tracks it) */
};
size_t vrrp_router_nchecks(const struct vrrp_router *r);
void vrrp_router_check_view(const struct vrrp_router *r, size_t i,
    struct vrrp_check_view *v);
/* A track_file's value, a vrrp_track_process's state and count; -1 when
 * there is no such tracker. */
int vrrp_router_file_value(const struct vrrp_router *r, const char *name,
    long *value);
int vrrp_router_proc_state(const struct vrrp_router *r, const char *name,
    bool *up, unsigned int *count);

/* ---- track.c: demotion ---- */

/*
 * vrrpctl demote: the effective priority becomes 1, below any peer's, and
 * a master hands over at once (priority 0, VIPs released), for for_ms
 * (0: until vrrp_inst_promote()). Logged. Returns 0, or -1 with errno
 * EINVAL for an address owner (priority 255), which cannot hand over.
 */
int vrrp_inst_demote(struct vrrp_inst *vi, uint64_t for_ms);
/* Undo a demotion; false when vi was not demoted. Logged. */
bool vrrp_inst_promote(struct vrrp_inst *vi);

#endif /* VRRPD_VRRP_INSTANCE_H */
