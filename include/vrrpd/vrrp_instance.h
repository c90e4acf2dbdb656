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

/* ---- router.c ---- */

/* A router on loop; NULL on failure (errno set, netlink unavailable). */
struct vrrp_router *vrrp_router_new(struct ev_loop *loop);

/*
 * Create and start every instance of conf (which must outlive the
 * router). Returns 0, or -1 after logging which instance failed and why.
 */
int vrrp_router_load(struct vrrp_router *r, const struct conf *conf);

/*
 * Graceful stop: every master sends priority 0 and releases its
 * addresses. The loop may then be left.
 */
void vrrp_router_shutdown(struct vrrp_router *r);
void vrrp_router_free(struct vrrp_router *r);

/* ---- instance.c ---- */

const char *vrrp_inst_name(const struct vrrp_inst *vi);
enum vrrp_state vrrp_inst_state(const struct vrrp_inst *vi);
const struct vrrp_inst_stats *vrrp_inst_stats(const struct vrrp_inst *vi);

/* Monotonic microseconds, the clock every deadline is in. */
uint64_t vrrp_now_us(void);

#endif /* VRRPD_VRRP_INSTANCE_H */
