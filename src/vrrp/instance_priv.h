/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the running virtual routers: router.c (the router, netlink),
 * sock.c (sockets, demultiplexing), reload.c (load and reload), instance.c
 * (one instance), track.c (its trackers and demotion), garp.c (its
 * announcements) and view.c (what vrrpctl reads) share these. Only
 * instance.c steps the state machine (vrrp_fsm_step): every other file
 * goes through vrrp_inst_input() and its siblings.
 */

#ifndef VRRPD_VRRP_INSTANCE_PRIV_H
#define VRRPD_VRRP_INSTANCE_PRIV_H

#include <sys/queue.h>

#include <ev.h>

#include "vrrpd/checker.h"
#include "vrrpd/notify.h"
#include "vrrpd/log.h"
#include "vrrpd/net_announce.h"
#include "vrrpd/net_bpf.h"
#include "vrrpd/net_netlink.h"
#include "vrrpd/net_socket.h"
#include "vrrpd/vrrp_ah.h"
#include "vrrpd/vrrp_instance.h"

/* glibc's <sys/queue.h> lacks the BSD _SAFE variants. */
#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)                  \
	for ((var) = TAILQ_FIRST(head);                             \
	     (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1); \
	     (var) = (tvar))
#endif

/*
 * A raw socket shared by the instances of one interface, family and
 * protocol (112, or 51 for those with auth_type AH).
 */
struct vrrp_sock {
	TAILQ_ENTRY(vrrp_sock) entry;
	struct vrrp_router *r;
	char ifname[16];
	sa_family_t af;
	int proto;
	struct addr group;  /* AF_UNSPEC: unicast */
	struct net_sock ns; /* ns.fd -1 while the interface is missing */
	ev_io io;
	unsigned int refs;
	/* sock.c: the in-kernel filter's counterpart counting what it drops
	 * (fd -1: none), and what it counted so far */
	struct net_pkt_counter cnt;
	uint64_t filtered;
	struct log_ratelimit rl_filter;
	/* the instances on it by VRID, in the router's order, chained by
	 * sock_next: rebuilt with the filter as instances come and go */
	struct vrrp_inst *by_vrid[256];
};

/* Adverts queued while the timers are dispatched (timers.c). */
#define VRRP_TXQ_MAX   NET_SOCK_SEND_MAX
#define VRRP_TXQ_ARENA 32768
struct vrrp_txq {
	uint8_t *arena; /* VRRP_TXQ_ARENA bytes, made on first use */
	size_t used;
	size_t n;
	struct vrrp_tx {
		struct vrrp_inst *vi;
		struct vrrp_sock *sock;
		struct addr dst;
		uint8_t ttl;
		uint8_t priority;
		uint32_t off, len;
	} ent[VRRP_TXQ_MAX];
};

/*
 * The window within which due adverts go out in one wake-up: a twentieth
 * of the instance's interval, 100 us to 2 ms (500 us at 10 ms). An advert
 * early by that much only resets the backups' Master_Down timers sooner;
 * the next one is due an interval after the deadline, not after the send.
 */
#define VRRP_TIMERS_BATCH_MIN_US 100
#define VRRP_TIMERS_BATCH_MAX_US 2000

/*
 * A packet socket for announcements on one interface, shared by the
 * instances there (closing one waits for an RCU grace period, ~15 ms:
 * one each made stopping 255 instances take 4 s).
 */
struct vrrp_ann {
	TAILQ_ENTRY(vrrp_ann) entry;
	struct net_ann_sock s;
	unsigned int refs;
};

struct vrrp_router {
	struct ev_loop *loop;
	struct net_link *nl;
	ev_io nl_io;
	/* router.c: interfaces read once per netlink event, for all the
	 * instances on them (on while an event is handled) */
	bool link_cache_on;
	size_t nlink_cache;
	struct vrrp_link_cache {
		char name[16];
		int rc;
		struct net_link_info info;
	} link_cache[16];
	/* timers.c: every instance's protocol timers on one timerfd */
	int tfd;
	ev_io tfd_io;
	struct vrrp_inst **heap; /* by heap_at, earliest first */
	size_t nheap, heap_cap;
	uint64_t armed_us; /* the timerfd's deadline, 0: off */
	bool dispatching;  /* in the timer wake-up: sends are queued */
	struct vrrp_txq txq;
	TAILQ_HEAD(, vrrp_sock) socks;
	TAILQ_HEAD(, vrrp_ann) anns;
	TAILQ_HEAD(, vrrp_inst) insts;
	TAILQ_HEAD(, vrrp_group) groups; /* group.c: the sync groups */
	const struct conf *conf;
	uint32_t nl_portid;    /* our own netlink requests */
	unsigned int nwaiting; /* instances not started yet */
	struct vrrp_ann_gate {
		unsigned int ifindex;
		uint64_t next_us;
	} * gates; /* per interface: vrrp_router_ann_gate() */
	size_t ngates;
	vrrp_router_ready_fn *ready_fn;	    /* called once nwaiting is 0 */
	vrrp_router_observe_fn *observe_fn; /* the registry, or NULL */
	vrrp_router_gone_fn *gone_fn;
	void *observe_arg;
	void *ready_arg;
	struct tracker_pool *trackers; /* every check, file, process, iface */
	struct vrrp_router_stats stats;
	uint64_t filtered_gone; /* sock.c: counted by sockets since closed */
	uint64_t filtered_base; /* at the last clear */
	/* vmac.c: each parent of a VMAC, its own ARP settings to restore */
	struct vrrp_vmac_parent {
		unsigned int ifindex;
		unsigned int refs;
		bool saved;
		uint32_t arp_ignore, arp_filter, arp_announce;
	} * vparents;
	size_t nvparents;
	/* vmac.c: strict all.rp_filter lifted while VMACs exist: the value,
	 * default's, and each interface raised to it with its own before */
	struct vrrp_rpf {
		unsigned int refs;
		uint32_t all, def;
		bool lifted, def_raised;
		struct vrrp_rpf_if {
			unsigned int ifindex;
			uint32_t old;
		} * raised;
		size_t nraised;
	} rpf;
	struct log_ratelimit *st_rl; /* routes.c: per static entry */
	size_t nst_rl;
	struct log_ratelimit rl_unknown; /* adverts for VRIDs not ours */
	struct log_ratelimit rl_broken;	 /* not VRRP messages at all */
	/* sock.c: one recvmmsg()'s datagrams, IPv4 and AH headers too */
	uint8_t rxbuf[NET_SOCK_RECV_MAX][VRRP_AH_RX_MAX_LEN + 128];
};

struct vrrp_inst {
	TAILQ_ENTRY(vrrp_inst) entry;
	struct vrrp_router *r;
	const struct conf_instance *ci;
	struct vrrp_fsm fsm;
	struct vrrp_pkt_expect expect;
	struct vrrp_sock *sock;
	/* the next instance on sock with the same VRID (sock.c's index) */
	struct vrrp_inst *sock_next;
	struct vrrp_ann *ann; /* its announcement socket, NULL: none */
	struct net_link_info link;
	struct addr src;	/* advert source */
	struct addr group;	/* multicast group, AF_UNSPEC with unicast */
	struct addr *vip_addrs; /* ci->vips as plain addresses, for adverts */
	/* its place in the router's timer heap (timers.c; SIZE_MAX: not
	 * there) and its earliest protocol deadline */
	size_t heap_idx;
	uint64_t heap_at;
	bool tx_now; /* this step's adverts skip the batch (a transition) */
	ev_timer garp_timer;	    /* second GARP burst */
	ev_timer ann_timer;	    /* next queued message, after the gap */
	ev_timer refresh_timer;	    /* garp_master_refresh */
	uint32_t ann_left;	    /* messages queued */
	size_t ann_next;	    /* VIP index of the next one */
	uint32_t last_burst_repeat; /* for the second burst */
	uint64_t reassert_us;	    /* last lower-priority re-announce */
	bool ann_router;       /* NA Router flag: the interface forwards IPv6 */
	ev_timer start_timer;  /* startup delay, then the wait's bound */
	bool waiting;	       /* not started: delay or interface wait */
	uint64_t tracked_down; /* bit i: tracks[i], an interface, is down */
	struct notify *notify; /* NULL: nothing to notify */
	struct vrrp_group
	    *sgroup; /* its sync group, NULL: none or not formed */
	/* per track of ci, NULL until bound: the subscription (.t is the
	 * tracker, NULL when it is gone) and its part in the priority */
	struct tracker_sub *track_subs;
	struct checker_part *parts;
	uint64_t delay_until_us; /* vrrp_startup_delay ends */
	uint64_t wait_until_us;	 /* start even if not ready (in FAULT) */
	struct vrrp_inst_stats stats;
	enum vrrp_state prev_state; /* before the last transition */
	uint64_t created_us;	    /* for the time in INIT before any */
	bool demoted;		    /* vrrpctl demote */
	uint64_t demote_until_us;   /* 0: until promote */
	ev_timer demote_timer;	    /* ends a timed demotion */
	int track_sum;		    /* the tracks' total, last computed */
	const char *prio_note;	    /* the next priority change's cause */
	/* as last told to the observer */
	uint8_t obs_prio;
	unsigned int obs_faults;
	struct addr obs_master;
	struct log_ratelimit rl_rx[VRRP_PKT_ERR_MAX];
	struct log_ratelimit rl_tx;
	struct log_ratelimit rl_addrs;
	struct log_ratelimit *rt_rl; /* routes.c: per route, then rule */
	/* auth_type AH (inst_ah.c): key, sequence numbers, drops' logs */
	uint8_t ah_key[VRRP_AH_KEY_LEN];
	struct vrrp_ah_state ah;
	struct log_ratelimit rl_ah[VRRP_AH_ERR_MAX];
	/* use_vmac (vmac.c): the macvlan's index (0: not there), the
	 * parent it holds, whether it carries the virtual MAC (master) and
	 * the IPv6 link-local source */
	unsigned int vmac_ifindex;
	unsigned int vmac_parent;
	bool vmac_master;
	bool vmac_ll;
	struct addr vmac_ll_addr;
	struct log_ratelimit rl_vmac;
};

/* How long an instance waits for its interface and source address. */
#define VRRP_INST_WAIT_MS 10000

/*
 * router.c: the earliest time (util_now_us) the next GARP / NA may leave
 * interface ifindex; NULL when out of memory (then no gap is kept).
 */
uint64_t *vrrp_router_ann_gate(struct vrrp_router *r, unsigned int ifindex);

/*
 * router.c: vi announces on ifindex now (a socket shared per interface),
 * or on nothing (close). Open returns 0, or -1 with errno (vi has none).
 */
int vrrp_inst_ann_open(struct vrrp_inst *vi, unsigned int ifindex);
void vrrp_inst_ann_close(struct vrrp_inst *vi);

/* router.c: an instance started (left its wait). */
void vrrp_router_started(struct vrrp_router *r);

/*
 * router.c: the shared socket for (ifname, af, group, proto), opened and
 * joined once; proto is VRRP_IPPROTO or VRRP_AH_PROTO.
 */
struct vrrp_sock *vrrp_router_sock(struct vrrp_router *r, const char *ifname,
    sa_family_t af, const struct addr *group, int proto);
void vrrp_router_sock_put(struct vrrp_router *r, struct vrrp_sock *s);
/*
 * Program s's in-kernel filter (and its counter) for the instances on it
 * now: after one is added to it or leaves it, and when it is reopened.
 */
void vrrp_router_sock_filter(struct vrrp_router *r, struct vrrp_sock *s);
/* Every packet the in-kernel filters dropped since the router started. */
uint64_t vrrp_router_filtered(struct vrrp_router *r);
/* The interface now has index ifindex: reopen the socket if it changed. */
void vrrp_router_sock_refresh(struct vrrp_router *r, struct vrrp_sock *s,
    unsigned int ifindex);

struct vrrp_inst *vrrp_inst_new(struct vrrp_router *r,
    const struct conf_instance *ci);
/*
 * Open the instance's sockets and start it once its interface is up with
 * a source address, but not before delay_ms (vrrp_startup_delay) has
 * passed, and at the latest VRRP_INST_WAIT_MS after that (then in FAULT
 * with the reason). Returns -1 when the VRRP socket cannot be opened.
 */
int vrrp_inst_start(struct vrrp_inst *vi, uint32_t delay_ms);
/* Reload: the instance now reads ci, a configuration equal to its own. */
void vrrp_inst_rebind(struct vrrp_inst *vi, const struct conf_instance *ci,
    const struct conf_global *g);
/*
 * vips.c, reload: vi now runs ci, equal to its own but for the addresses
 * (conf_instance_equal_but_vips()): a master removes the ones ci lacks
 * and adds and announces the new ones, the adverts carry the new list, no
 * transition. Logged. Returns 0, or -1 (out of memory: nothing changed).
 */
int vrrp_inst_readdress(struct vrrp_inst *vi, const struct conf_instance *ci,
    const struct conf_global *g);
/* vips.c: add (or remove) every configured VIP, logging failures. */
void vrrp_inst_vips_apply(struct vrrp_inst *vi, bool add);
/* Remove configured VIPs left on the interface while not master. */
void vrrp_inst_clean_vips(struct vrrp_inst *vi);
/*
 * Netlink says address a (prefix) left ifindex at the request of netlink
 * port portid (not ours): a master whose VIP it was gives up mastership.
 */
void vrrp_inst_addr_removed(struct vrrp_inst *vi, unsigned int ifindex,
    const struct addr *a, uint32_t portid);
void vrrp_inst_stop(struct vrrp_inst *vi);
void vrrp_inst_free(struct vrrp_inst *vi);
void vrrp_inst_rx(struct vrrp_inst *vi, const struct vrrp_advert *adv);
void vrrp_inst_rx_error(struct vrrp_inst *vi, enum vrrp_pkt_err err,
    const struct vrrp_advert *adv);

/*
 * instance.c: an advert of priority left (sent) or could not (errno set):
 * counted, a failure logged (rate-limited).
 */
void vrrp_inst_sent(struct vrrp_inst *vi, bool sent, uint8_t priority);

/* ---- inst_ah.c: auth_type AH ---- */

/* Set the key from the configuration, rate limits (vrrp_inst_new). */
void vrrp_inst_ah_init(struct vrrp_inst *vi);
/* Reload: a re-created instance goes on numbering where old stopped. */
void vrrp_inst_ah_carry(struct vrrp_inst *vi, const struct vrrp_inst *old);
/*
 * Send the advert tx describes (send_advert() filled it) in AH datagrams
 * to the group or to each unicast peer, all with one sequence number and
 * IPv4 Identification, counting sends and failures as send_one() does.
 */
void vrrp_inst_ah_advert(struct vrrp_inst *vi, struct vrrp_pkt_tx *tx);
/*
 * An AH datagram dgram[0..len) whose VRRP message decoded into *adv (the
 * demultiplexer chose vi by it): verify the ICV and the SPI, check the
 * sequence number, then hand the advert to vrrp_inst_rx(); a failure is
 * counted and logged (rate-limited) with its cause and the sender.
 */
void vrrp_inst_rx_ah(struct vrrp_inst *vi, const uint8_t *dgram, size_t len,
    const struct vrrp_ah_hdr *ah, const struct vrrp_advert *adv);
/*
 * vips.c: who asked netlink for a change, "pid 4242 (ip)", "the kernel",
 * into buf; returns buf.
 */
const char *vrrp_port_owner(uint32_t portid, char *buf, size_t size);

/* ---- routes.c: virtual and static routes and rules ---- */

/*
 * Add (on becoming master, after the VIPs) or remove (before them) the
 * instance's virtual_routes and virtual_rules; a failure is logged with
 * the route and the kernel's cause, rate-limited per route.
 */
void vrrp_inst_routes_apply(struct vrrp_inst *vi, bool add);
/*
 * Netlink says a route or rule was deleted (ev: ROUTE_DEL / RULE_DEL, not
 * by us): a master whose tracked virtual route or rule it was steps down
 * (VRRP_IN_ROUTE_LOST), saying which and who removed it.
 */
void vrrp_inst_route_removed(struct vrrp_inst *vi,
    const struct net_link_ev *ev);
/*
 * The static addresses, routes and rules of conf in place: at the first
 * load (old NULL) all of them, at a reload only what changed (old's that
 * conf lacks removed first, conf's that old lacks added). Then watch
 * route and rule deletions if anything tracked could be deleted.
 */
void vrrp_statics_apply(struct vrrp_router *r, const struct conf *old,
    const struct conf *conf);
/* Remove them all (at the stop, as keepalived does). */
void vrrp_statics_remove(struct vrrp_router *r);
/* A netlink event: put back a tracked static entry that went. */
void vrrp_statics_event(struct vrrp_router *r, const struct net_link_ev *ev);
/* Watch route/rule deletions while conf tracks any (router-wide). */
void vrrp_router_watch_routes(struct vrrp_router *r, const struct conf *conf);
/* The interface index a VIP goes on: its dev, else the instance's. */
unsigned int vrrp_inst_vip_ifindex(const struct vrrp_inst *vi,
    const struct conf_vip *v);

/* ---- timers.c: the protocol timers of all instances ---- */

/* One timerfd and its watcher for r. Returns 0, or -1 (errno). */
int vrrp_timers_init(struct vrrp_router *r);
void vrrp_timers_fini(struct vrrp_router *r);
/* vi's earliest deadline is at (util_now_us time; 0: none). */
void vrrp_timers_set(struct vrrp_inst *vi, uint64_t at);
/*
 * instance.c: feed vi's due timers (at now, and an advert due within its
 * batch window) to its machine in deadline order; false when none was
 * due.
 */
bool vrrp_inst_timers_due(struct vrrp_inst *vi, uint64_t now);
/* instance.c: send the adverts queued while dispatching. */
void vrrp_tx_flush(struct vrrp_router *r);
/* instance.c: vi goes; what it queued leaves now. */
void vrrp_tx_drop(struct vrrp_inst *vi);

/* ---- vmac.c: use_vmac ---- */

/*
 * Make vi's macvlan on its parent (vi->link, which must be there), or
 * adopt or remake the one found, set it up, and open its announcement
 * socket and, unless vmac_xmit_base, its advert socket. Quick when all is
 * in place already. Returns 0, or -1 (logged, rate-limited): the instance
 * is then not ready (vrrp_vmac_ready()). A no-op without use_vmac.
 */
int vrrp_vmac_ensure(struct vrrp_inst *vi);
/* Without use_vmac, or with its macvlan in place. */
bool vrrp_vmac_ready(const struct vrrp_inst *vi);
/*
 * The instance sends as master (on: before its first advert) or leaves
 * mastership (off: before its VIPs go): the VMAC takes the virtual MAC
 * and, for IPv6, the link-local advert source, or its own MAC back.
 */
void vrrp_vmac_master(struct vrrp_inst *vi, bool on);
/* The interface the instance's socket is on: its VMAC or its own. */
const char *vrrp_inst_sock_ifname(const struct vrrp_inst *vi);
/*
 * vi goes for good: delete its macvlan unless another instance of the
 * router runs it (a reload's successor); the parent's ARP settings go
 * back after its last VMAC.
 */
void vrrp_vmac_remove(struct vrrp_inst *vi);

/* ---- group.c: sync groups ---- */

/* Form the groups of r->conf from r's instances (after a load, start true,
 * or a reload); each looks at what its members did before it existed. */
void vrrp_groups_form(struct vrrp_router *r, bool start);
/* Dissolve them (before a reload changes the instances, at the end). */
void vrrp_groups_dissolve(struct vrrp_router *r);
/* The daemon stops: each group's STOP notification, members on their own
 * from now on; and whether a group's script still runs. */
void vrrp_groups_stop(struct vrrp_router *r);
bool vrrp_groups_notifying(const struct vrrp_router *r);
/* vi, a member, stepped with acts: its group reacts (orders, log). */
void vrrp_group_stepped(struct vrrp_inst *vi, const struct vrrp_actions *acts);
/* vi goes away: its group forgets it. */
void vrrp_group_forget(struct vrrp_inst *vi);
/* vi's group: name (NULL: none), state, and the member holding it back
 * from master while vi wants to be (NULL: none). */
const char *vrrp_group_name(const struct vrrp_inst *vi);
enum vrrp_state vrrp_group_state(const struct vrrp_inst *vi);
const struct vrrp_inst *vrrp_group_holder(const struct vrrp_inst *vi);

/* ---- garp.c: announcements ---- */

/* Set up the announcement timers (from vrrp_inst_new). */
void vrrp_inst_announce_init(struct vrrp_inst *vi);
/* The ANNOUNCE action: a burst, then the second one or refreshes. */
void vrrp_inst_announce(struct vrrp_inst *vi, enum vrrp_announce why);

/* Feed the machine an input that carries no data, now. */
void vrrp_inst_input(struct vrrp_inst *vi, enum vrrp_input_kind kind);
/*
 * Feed the machine a fault reason (no-op when unchanged), or the tracked
 * objects' priority and faults as one VRRP_IN_TRACKS input. A reason that
 * changes while in FAULT is logged.
 */
void vrrp_inst_set_fault(struct vrrp_inst *vi, enum vrrp_fault f, bool on);
void vrrp_inst_set_tracks(struct vrrp_inst *vi, uint8_t priority,
    unsigned int faults);

/* ---- track.c: tracked checks and interfaces ---- */

/*
 * Subscribe to the trackers vi's tracks name (the router's pool); -1 if
 * one is missing (logged). vrrp_track_unbind() ends every subscription,
 * whatever the kind: the one place they end (also from vrrp_inst_free).
 */
int vrrp_track_bind(struct vrrp_inst *vi);
void vrrp_track_unbind(struct vrrp_inst *vi);
/*
 * Gather the tracks' states, compute the effective priority and the
 * tracker faults with checker_eval_priority(), and hand the machine one
 * VRRP_IN_TRACKS input when either changed; cause (may be NULL) is the
 * tracker that changed, for the log line "(VI_1) priority 150 -> 90: check
 * web down (HTTP status 503)".
 */
void vrrp_track_update(struct vrrp_inst *vi, const struct tracker *cause);
/* Set up and tear down the demotion timer (from new and free). */
void vrrp_track_demote_init(struct vrrp_inst *vi);
void vrrp_track_demote_fini(struct vrrp_inst *vi);
/* Reload: a re-created instance takes over its predecessor's demotion. */
void vrrp_inst_demote_carry(struct vrrp_inst *vi, const struct vrrp_inst *old);

/*
 * router.c: net_link_info() for ifname, read once per netlink event
 * however many instances are on it.
 */
int vrrp_router_link_info(struct vrrp_router *r, const char *ifname,
    struct net_link_info *info);

/* The interface or its addresses changed: re-read them, feed the FSM. */
void vrrp_inst_link_changed(struct vrrp_inst *vi);

#endif /* VRRPD_VRRP_INSTANCE_PRIV_H */
