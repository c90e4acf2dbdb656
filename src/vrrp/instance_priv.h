/* SPDX-License-Identifier: BSD-2-Clause */
/* Inside the running virtual routers: router.c and instance.c share these. */

#ifndef VRRPD_VRRP_INSTANCE_PRIV_H
#define VRRPD_VRRP_INSTANCE_PRIV_H

#include <sys/queue.h>

#include <ev.h>

#include "vrrpd/log.h"
#include "vrrpd/net_announce.h"
#include "vrrpd/net_netlink.h"
#include "vrrpd/net_socket.h"
#include "vrrpd/vrrp_instance.h"

/* A raw socket shared by the instances of one interface and family. */
struct vrrp_sock {
	TAILQ_ENTRY(vrrp_sock) entry;
	struct vrrp_router *r;
	struct net_sock ns;
	ev_io io;
	unsigned int refs;
};

struct vrrp_router {
	struct ev_loop *loop;
	struct net_link *nl;
	ev_io nl_io;
	TAILQ_HEAD(, vrrp_sock) socks;
	TAILQ_HEAD(, vrrp_inst) insts;
	const struct conf *conf;
	struct log_ratelimit rl_unknown; /* adverts for VRIDs not ours */
	uint8_t rxbuf[VRRP_PKT_MAX_LEN + 128];
};

struct vrrp_inst {
	TAILQ_ENTRY(vrrp_inst) entry;
	struct vrrp_router *r;
	const struct conf_instance *ci;
	struct vrrp_fsm fsm;
	struct vrrp_pkt_expect expect;
	struct vrrp_sock *sock;
	struct net_ann_sock ann;
	struct net_link_info link;
	struct addr src;	/* advert source */
	struct addr group;	/* multicast group, AF_UNSPEC with unicast */
	struct addr *vip_addrs; /* ci->vips as plain addresses, for adverts */
	ev_timer timers[VRRP_TIMER_MAX];
	ev_timer garp_timer; /* second GARP burst */
	struct vrrp_inst_stats stats;
	struct log_ratelimit rl_rx[VRRP_PKT_ERR_MAX];
	struct log_ratelimit rl_tx;
	struct log_ratelimit rl_addrs;
};

/* router.c: the shared socket for (ifname, af), opened and joined once. */
struct vrrp_sock *vrrp_router_sock(struct vrrp_router *r, const char *ifname,
    sa_family_t af, const struct addr *group);
void vrrp_router_sock_put(struct vrrp_router *r, struct vrrp_sock *s);

struct vrrp_inst *vrrp_inst_new(struct vrrp_router *r,
    const struct conf_instance *ci);
int vrrp_inst_start(struct vrrp_inst *vi);
void vrrp_inst_stop(struct vrrp_inst *vi);
void vrrp_inst_free(struct vrrp_inst *vi);
void vrrp_inst_rx(struct vrrp_inst *vi, const struct vrrp_advert *adv);
void vrrp_inst_rx_error(struct vrrp_inst *vi, enum vrrp_pkt_err err,
    const struct vrrp_advert *adv);
/* The interface or its addresses changed: re-read them, feed the FSM. */
void vrrp_inst_link_changed(struct vrrp_inst *vi);

#endif /* VRRPD_VRRP_INSTANCE_PRIV_H */
