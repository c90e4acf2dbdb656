/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One running virtual router: feeds adverts, timers and link events into
 * its state machine and applies the actions it returns, in one place
 * (apply()), so a transition's side effects read top to bottom.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "instance_priv.h"

#define US_PER_S 1000000ULL

const char *
vrrp_inst_name(const struct vrrp_inst *vi)
{
	return vi->ci->name;
}

enum vrrp_state
vrrp_inst_state(const struct vrrp_inst *vi)
{
	return vi->fsm.state;
}

const struct vrrp_inst_stats *
vrrp_inst_stats(const struct vrrp_inst *vi)
{
	return &vi->stats;
}

static void apply(struct vrrp_inst *vi, const struct vrrp_actions *acts);
static void try_start(struct vrrp_inst *vi);
static void start_cb(struct ev_loop *loop, ev_timer *w, int revents);

/* "send advert 150, add vips, arm adver timer +1000.000 ms" */
static const char *
actions_format(const struct vrrp_actions *acts, uint64_t now, char *buf,
    size_t size)
{
	size_t off = 0;
	int n;

	buf[0] = '\0';
	for (size_t i = 0; i < acts->n && off < size; i++) {
		const struct vrrp_action *a = &acts->a[i];

		/* The line says the transition already. */
		if (a->kind == VRRP_ACT_TRANSITION)
			continue;
		n = snprintf(buf + off, size - off, "%s%s", off > 0 ? ", " : "",
		    vrrp_action_name(a->kind));
		off += n > 0 ? (size_t)n : 0;
		if (off >= size)
			break;
		if (a->kind == VRRP_ACT_SEND_ADVERT)
			n = snprintf(buf + off, size - off, " %u", a->priority);
		else if (a->kind == VRRP_ACT_ARM_TIMER)
			n = snprintf(buf + off, size - off, " %s +%.3f ms",
			    a->timer == VRRP_TIMER_ADVER ? "adver" : "down",
			    a->at_us > now ? (double)(a->at_us - now) / 1e3 :
					     0.0);
		else if (a->kind == VRRP_ACT_CANCEL_TIMER)
			n = snprintf(buf + off, size - off, " %s",
			    a->timer == VRRP_TIMER_ADVER ? "adver" : "down");
		else
			n = 0;
		off += n > 0 ? (size_t)n : 0;
	}
	return off > 0 ? buf : "nothing";
}

/*
 * The one place the machine is stepped. The debug line comes after the
 * actions are applied: an advert never waits for a log line.
 */
/*
 * The router's observer (the registry) hears of a transition, and of a
 * change of what it publishes (priority, faults, the master heard), after
 * the actions are applied: an advert never waits for it.
 */
static void
observe(struct vrrp_inst *vi, const struct vrrp_actions *acts)
{
	const struct vrrp_action *t = NULL;
	struct vrrp_router *r = vi->r;

	if (r->observe_fn == NULL)
		return;
	for (size_t i = 0; i < acts->n; i++)
		if (acts->a[i].kind == VRRP_ACT_TRANSITION)
			t = &acts->a[i];
	if (t == NULL && vi->obs_prio == vi->fsm.priority &&
	    vi->obs_faults == vi->fsm.faults &&
	    addr_cmp(&vi->obs_master, &vi->fsm.master_addr) == 0)
		return;
	vi->obs_prio = vi->fsm.priority;
	vi->obs_faults = vi->fsm.faults;
	vi->obs_master = vi->fsm.master_addr;
	r->observe_fn(r->observe_arg, vi, t);
}

static void
step_at(struct vrrp_inst *vi, const struct vrrp_input *in, uint64_t now)
{
	enum vrrp_state before = vi->fsm.state;
	struct vrrp_actions acts;
	char buf[512];
	uint64_t suppressed = vi->fsm.answers_suppressed,
		 ignored = vi->fsm.stops_ignored;

	vrrp_fsm_step(&vi->fsm, in, now, &acts);
	vi->stats.answers_suppressed += vi->fsm.answers_suppressed - suppressed;
	vi->stats.stops_ignored += vi->fsm.stops_ignored - ignored;
	apply(vi, &acts);
	observe(vi, &acts);
	if (vi->sgroup != NULL)
		vrrp_group_stepped(vi, &acts);
	if (log_debug_on(DBG_FSM, vi->ci->name))
		log_debug_inst(DBG_FSM, vi->ci->name,
		    "fsm: %s in %s -> %s, priority %u: %s",
		    vrrp_input_name(in->kind), vrrp_state_name(before),
		    vrrp_state_name(vi->fsm.state), vi->fsm.priority,
		    actions_format(&acts, now, buf, sizeof(buf)));
}

static void
step(struct vrrp_inst *vi, enum vrrp_input_kind kind)
{
	struct vrrp_input in = { .kind = kind };

	step_at(vi, &in, util_now_us());
}

void
vrrp_inst_input(struct vrrp_inst *vi, enum vrrp_input_kind kind)
{
	step(vi, kind);
}

/* The router's heap learns the earliest armed protocol timer (or none). */
static void
timers_sync(struct vrrp_inst *vi)
{
	uint64_t at = 0;

	for (int t = 0; t < VRRP_TIMER_MAX; t++)
		if (vi->fsm.timers[t].armed &&
		    (at == 0 || vi->fsm.timers[t].at_us < at))
			at = vi->fsm.timers[t].at_us;
	vrrp_timers_set(vi, at);
}

/*
 * Every due timer is fed to the machine in deadline order; the time given
 * is never before the deadline, so a timer that fired is due (an advert
 * sent up to its batch window early keeps its cadence).
 */
bool
vrrp_inst_timers_due(struct vrrp_inst *vi, uint64_t now)
{
	static const enum vrrp_input_kind kinds[VRRP_TIMER_MAX] = {
		[VRRP_TIMER_ADVER] = VRRP_IN_ADVER_TIMER,
		[VRRP_TIMER_MASTER_DOWN] = VRRP_IN_MASTER_DOWN_TIMER,
	};
	const struct vrrp_fsm_timer *tm = vi->fsm.timers;
	uint64_t batch = (uint64_t)vi->ci->adver_int_cs * 10000 / 20;
	struct vrrp_input in;
	bool any = false;
	int due;

	if (batch < VRRP_TIMERS_BATCH_MIN_US)
		batch = VRRP_TIMERS_BATCH_MIN_US;
	if (batch > VRRP_TIMERS_BATCH_MAX_US)
		batch = VRRP_TIMERS_BATCH_MAX_US;
	for (unsigned int guard = 0; guard < 100000; guard++) {
		due = -1;
		for (int t = 0; t < VRRP_TIMER_MAX; t++)
			if (tm[t].armed &&
			    (tm[t].at_us <= now + 1 ||
				(t == VRRP_TIMER_ADVER &&
				    tm[t].at_us <= now + batch)) &&
			    (due < 0 || tm[t].at_us < tm[due].at_us))
				due = t;
		if (due < 0)
			break;
		in.kind = kinds[due];
		if (now < tm[due].at_us)
			now = tm[due].at_us;
		step_at(vi, &in, now);
		any = true;
		now = util_now_us();
	}
	timers_sync(vi);
	return any;
}

/* pkt: the advert as it left, decoded back from the bytes sent. */
static void
debug_tx(struct vrrp_inst *vi, const uint8_t *buf, size_t len,
    const struct addr *dst, uint8_t ttl)
{
	struct vrrp_pkt_meta meta = { .src = vi->src, .dst = *dst, .ttl = ttl };
	struct vrrp_advert adv;
	char line[256];

	(void)vrrp_pkt_decode(buf, len, &meta, &adv);
	log_debug_inst(DBG_PKT, vi->ci->name, "pkt: sent %s",
	    vrrp_pkt_format(&adv, line, sizeof(line)));
}

void
vrrp_inst_sent(struct vrrp_inst *vi, bool sent, uint8_t priority)
{
	unsigned long more;

	if (sent) {
		vi->stats.adverts_sent++;
		vi->stats.pri_zero_sent += priority == VRRP_PRIO_STOP;
		return;
	}
	vi->stats.send_errors++;
	if (log_ratelimit_ok(&vi->rl_tx, util_now_us() / 1000, &more))
		log_warn("(%s) cannot send an advert on %s (%lu more "
			 "suppressed)",
		    vi->ci->name, vi->ci->interface, more);
}

/* vrrp_inst_sent(), and the debug line of what left. */
static void
sent_one(struct vrrp_inst *vi, bool sent, uint8_t priority, const uint8_t *buf,
    size_t len, const struct addr *dst, uint8_t ttl)
{
	vrrp_inst_sent(vi, sent, priority);
	if (sent && log_debug_on(DBG_PKT, vi->ci->name))
		debug_tx(vi, buf, len, dst, ttl);
}

/*
 * While the timers are dispatched, an advert waits in the router's queue
 * (with its bytes) for vrrp_tx_flush(); false when there is no room.
 */
static bool
queue_one(struct vrrp_inst *vi, const uint8_t *buf, size_t len,
    const struct addr *dst, uint8_t ttl, uint8_t priority)
{
	struct vrrp_txq *q = &vi->r->txq;
	struct vrrp_tx *e;

	if (q->arena == NULL && (q->arena = malloc(VRRP_TXQ_ARENA)) == NULL)
		return false;
	if (q->n == VRRP_TXQ_MAX || q->used + len > VRRP_TXQ_ARENA)
		vrrp_tx_flush(vi->r);
	e = &q->ent[q->n++];
	*e = (struct vrrp_tx) { .vi = vi,
		.sock = vi->sock,
		.dst = *dst,
		.ttl = ttl,
		.priority = priority,
		.off = (uint32_t)q->used,
		.len = (uint32_t)len };
	memcpy(q->arena + q->used, buf, len);
	q->used += len;
	return true;
}

void
vrrp_tx_flush(struct vrrp_router *r)
{
	struct vrrp_txq *q = &r->txq;
	struct net_tx_msg m[VRRP_TXQ_MAX];
	size_t i = 0, j, k;
	int n;

	while (i < q->n) {
		/* a run of one socket's adverts, in order */
		for (j = i; j < q->n && q->ent[j].sock == q->ent[i].sock; j++)
			m[j - i] = (struct net_tx_msg) { &q->ent[j].vi->src,
				&q->ent[j].dst, q->ent[j].ttl,
				q->arena + q->ent[j].off, q->ent[j].len };
		for (k = i; k < j; k += (size_t)(n > 0 ? n : 1)) {
			const struct vrrp_tx *e = &q->ent[k];

			n = net_sock_send_many(&e->sock->ns, &m[k - i], j - k);
			if (n <= 0) /* this one alone, for its errno */
				n = net_sock_send(&e->sock->ns, &e->vi->src,
					&e->dst, e->ttl, q->arena + e->off,
					e->len) == 0 ?
				    1 :
				    0;
			for (size_t x = k; x < k + (size_t)(n > 0 ? n : 1); x++)
				sent_one(q->ent[x].vi, n > 0,
				    q->ent[x].priority,
				    q->arena + q->ent[x].off, q->ent[x].len,
				    &q->ent[x].dst, q->ent[x].ttl);
		}
		i = j;
	}
	q->n = 0;
	q->used = 0;
}

static void
send_one(struct vrrp_inst *vi, struct vrrp_pkt_tx *tx, const struct addr *dst,
    uint8_t ttl)
{
	uint8_t buf[VRRP_PKT_MAX_LEN];
	int len;

	tx->dst = *dst;
	if ((len = vrrp_pkt_encode(tx, buf, sizeof(buf))) < 0) {
		/* The validator accepted what the codec refuses: a bug. */
		log_warnx("(%s) cannot encode an advert: %s; this is a bug",
		    vi->ci->name, vrrp_pkt_strerror(-len));
		return;
	}
	if (vi->r->dispatching && !vi->tx_now &&
	    queue_one(vi, buf, (size_t)len, dst, ttl, tx->priority))
		return;
	sent_one(vi,
	    net_sock_send(&vi->sock->ns, &vi->src, dst, ttl, buf,
		(size_t)len) == 0,
	    tx->priority, buf, (size_t)len, dst, ttl);
}

static void
send_advert(struct vrrp_inst *vi, uint8_t priority)
{
	const struct conf_instance *ci = vi->ci;
	struct vrrp_pkt_tx tx = {
		.version = ci->version,
		.vrid = ci->vrid,
		.priority = priority,
		.adver_int_cs = (uint16_t)ci->adver_int_cs,
		.auth_type = ci->auth_type,
		.addrs = vi->vip_addrs,
		.naddr = ci->nvips,
		.src = vi->src,
		.csum_mode = ci->csum_mode == VRRP_CSUM_AUTO ?
		    VRRP_CSUM_PSEUDO :
		    ci->csum_mode,
	};

	memcpy(tx.auth_data, vi->expect.auth_data, VRRP_AUTH_LEN);
	/* the virtual MAC before it is used: a master's only (a backup's
	 * higher_prio_send_advert, a stop's priority 0 keep what they have) */
	if (vi->fsm.state == VRRP_STATE_MASTER)
		vrrp_vmac_master(vi, true);
	if (ci->auth_type == VRRP_AUTH_AH) {
		vrrp_inst_ah_advert(vi, &tx); /* inst_ah.c */
		return;
	}
	if (vi->group.af != AF_UNSPEC) {
		send_one(vi, &tx, &vi->group, VRRP_TTL);
		return;
	}
	for (size_t i = 0; i < ci->npeers; i++)
		send_one(vi, &tx, &ci->peers[i].addr, ci->unicast_ttl);
}

/* Exactly one info line per transition, with its reason and priority. */
static void
log_transition(struct vrrp_inst *vi, const struct vrrp_action *a)
{
	char faults[128];

	if (a->to == VRRP_STATE_FAULT)
		log_info("(%s) %s -> FAULT: %s", vi->ci->name,
		    vrrp_state_name(a->from),
		    vrrp_fault_format(vi->fsm.faults, faults, sizeof(faults)));
	else
		log_info("(%s) %s -> %s: %s, priority %u", vi->ci->name,
		    vrrp_state_name(a->from), vrrp_state_name(a->to),
		    vrrp_reason_name(a->reason), vi->fsm.priority);
	vi->prev_state = a->from;
	if (a->to == VRRP_STATE_MASTER)
		vi->stats.become_master++;
	if (a->from == VRRP_STATE_MASTER)
		vi->stats.release_master++;
}

/* Observers of a transition: the notification scripts and FIFOs. */
static void
notify_transition(struct vrrp_inst *vi, const struct vrrp_action *a)
{
	struct notify_event ev = { .state = a->to,
		.priority = vi->fsm.priority,
		.master = a->to == VRRP_STATE_MASTER ? vi->src :
						       vi->fsm.master_addr };

	notify_post(vi->notify, &ev);
}

static void
apply(struct vrrp_inst *vi, const struct vrrp_actions *acts)
{
	const struct vrrp_action *transition = NULL;
	bool timers = false;

	/* A transition's advert (a takeover's) leaves at once, ahead of the
	 * announcements: only the steady adverts wait for the batch. */
	vi->tx_now = acts->n > 0 && acts->a[0].kind == VRRP_ACT_TRANSITION;
	for (size_t i = 0; i < acts->n; i++) {
		const struct vrrp_action *a = &acts->a[i];

		switch (a->kind) {
		case VRRP_ACT_TRANSITION:
			/* Logged last: a takeover's advert goes out first. */
			transition = a;
			break;
		case VRRP_ACT_SEND_ADVERT:
			send_advert(vi, a->priority);
			break;
		case VRRP_ACT_ADD_VIPS:
			vrrp_inst_vips_apply(vi, true);
			vrrp_inst_routes_apply(vi, true);
			break;
		case VRRP_ACT_DEL_VIPS:
			vrrp_inst_routes_apply(vi, false);
			vrrp_vmac_master(vi, false);
			vrrp_inst_vips_apply(vi, false);
			break;
		case VRRP_ACT_ANNOUNCE:
			vrrp_inst_announce(vi, a->announce);
			break;
		case VRRP_ACT_ARM_TIMER:
		case VRRP_ACT_CANCEL_TIMER:
			timers =
			    true; /* the machine's deadlines are the truth */
			break;
		case VRRP_ACT_WANT_MASTER:
			break; /* the sync group reads it (group.c) */
		default:
			log_warnx("(%s) unknown action %d; this is a bug",
			    vi->ci->name, (int)a->kind);
			break;
		}
	}
	if (timers)
		timers_sync(vi);
	if (transition != NULL) {
		log_transition(vi, transition);
		notify_transition(vi, transition);
	}
}

/* ---- input ---- */

void
vrrp_inst_rx_error(struct vrrp_inst *vi, enum vrrp_pkt_err err,
    const struct vrrp_advert *adv)
{
	char line[256];
	unsigned long more;

	vi->stats.rx_errors[vrrp_pkt_counter(err)]++;
	if (log_debug_on(DBG_PKT, vi->ci->name))
		log_debug_inst(DBG_PKT, vi->ci->name, "pkt: dropped (%s) %s",
		    vrrp_pkt_strerror(err),
		    vrrp_pkt_format(adv, line, sizeof(line)));
	if (err >= VRRP_PKT_ERR_MAX ||
	    !log_ratelimit_ok(&vi->rl_rx[err], util_now_us() / 1000, &more))
		return;
	log_warnx("(%s) advert dropped: %s: %s (%lu more suppressed)",
	    vi->ci->name, vrrp_pkt_strerror(err),
	    vrrp_pkt_format(adv, line, sizeof(line)), more);
}

static bool
from_a_peer(const struct vrrp_inst *vi, const struct addr *src)
{
	for (size_t i = 0; i < vi->ci->npeers; i++)
		if (addr_cmp(&vi->ci->peers[i].addr, src) == 0)
			return true;
	return false;
}

void
vrrp_inst_rx(struct vrrp_inst *vi, const struct vrrp_advert *adv)
{
	struct vrrp_input in = { .kind = VRRP_IN_ADVERT, .advert = adv };
	enum vrrp_pkt_err err = vrrp_pkt_validate(adv, &vi->expect);
	char line[256];
	unsigned long more;

	if (err != VRRP_PKT_OK) {
		vrrp_inst_rx_error(vi, err, adv);
		return;
	}
	if (vi->ci->check_unicast_src && !from_a_peer(vi, &adv->meta.src)) {
		vrrp_inst_rx_error(vi, VRRP_PKT_BAD_ADDR_LIST, adv);
		return;
	}
	vi->stats.adverts_rcvd++;
	vi->stats.pri_zero_rcvd += adv->priority == VRRP_PRIO_STOP;
	/*
	 * RFC 5798 §7.1 item 7: a different address list is logged and
	 * counted, not dropped (keepalived 2.3.3; RFC 3768 dropped it).
	 */
	if (!vi->ci->skip_check_adv_addr &&
	    !vrrp_pkt_addrs_match(adv, vi->vip_addrs, vi->ci->nvips)) {
		vi->stats.rx_errors[VRRP_CTR_ADDRESS_LIST_ERRORS]++;
		if (log_ratelimit_ok(&vi->rl_addrs, util_now_us() / 1000,
			&more))
			log_warnx("(%s) advert lists other addresses than "
				  "ours: %s (%lu more suppressed)",
			    vi->ci->name,
			    vrrp_pkt_format(adv, line, sizeof(line)), more);
	}
	step_at(vi, &in, util_now_us());
	/* After the step: an answer goes out before the line is written. */
	if (log_debug_on(DBG_PKT, vi->ci->name))
		log_debug_inst(DBG_PKT, vi->ci->name, "pkt: received %s",
		    vrrp_pkt_format(adv, line, sizeof(line)));
}

/* The advert source: configured, else the interface's own address. */
static bool
pick_source(struct vrrp_inst *vi)
{
	if (vi->ci->has_src)
		vi->src = vi->ci->src;
	else if (vi->ci->family == AF_INET)
		vi->src = vi->link.primary4;
	else
		vi->src = vi->link.linklocal6;
	vi->fsm.cfg.primary = vi->src;
	return vi->src.af != AF_UNSPEC;
}

/*
 * Entering or leaving FAULT is a transition line; a change of the reasons
 * while in FAULT gets a line of its own per reason.
 */
static void
log_fault_changes(struct vrrp_inst *vi, bool was_fault, unsigned int before)
{
	unsigned int changed = before ^ vi->fsm.faults;
	char buf[128];
	bool on;

	if (!was_fault || vi->fsm.state != VRRP_STATE_FAULT)
		return;
	for (int f = 0; f < VRRP_FAULT_MAX; f++) {
		if (((changed >> f) & 1) == 0)
			continue;
		on = ((vi->fsm.faults >> f) & 1) != 0;
		log_info("(%s) FAULT: %s %s; now %s", vi->ci->name,
		    vrrp_fault_name(f), on ? "too" : "cleared",
		    vrrp_fault_format(vi->fsm.faults, buf, sizeof(buf)));
	}
}

void
vrrp_inst_set_tracks(struct vrrp_inst *vi, uint8_t priority,
    unsigned int faults)
{
	struct vrrp_input in = { .kind = VRRP_IN_TRACKS,
		.tracks = { .priority = priority, .faults = faults } };
	bool in_fault = vi->fsm.state == VRRP_STATE_FAULT;
	unsigned int before = vi->fsm.faults;

	step_at(vi, &in, util_now_us());
	log_fault_changes(vi, in_fault, before);
}

void
vrrp_inst_set_fault(struct vrrp_inst *vi, enum vrrp_fault f, bool on)
{
	struct vrrp_input in = { .kind = on ? VRRP_IN_FAULT_SET :
					      VRRP_IN_FAULT_CLEAR,
		.fault = f };
	bool in_fault = vi->fsm.state == VRRP_STATE_FAULT;
	unsigned int before = vi->fsm.faults;

	if (((vi->fsm.faults >> f) & 1) == on)
		return;
	step_at(vi, &in, util_now_us());
	log_fault_changes(vi, in_fault, before);
}

void
vrrp_inst_link_changed(struct vrrp_inst *vi)
{
	struct net_link_info info;
	unsigned int old = vi->link.ifindex;
	char abuf[ADDR_STRLEN];
	bool up = false;

	if (vrrp_router_link_info(vi->r, vi->ci->interface, &info) == 0) {
		vi->link = info;
		up = info.up;
	} else {
		memset(&vi->link, 0, sizeof(vi->link));
	}
	if (vi->link.ifindex != 0 && vrrp_vmac_ensure(vi) != 0)
		up = false;
	if (vi->link.ifindex != 0 && vi->link.ifindex != old &&
	    strcmp(vrrp_inst_sock_ifname(vi), vi->ci->interface) == 0) {
		/* Deleted and created again: sockets bound to the old one. */
		vrrp_router_sock_refresh(vi->r, vi->sock, vi->link.ifindex);
	}
	if (vi->link.ifindex != 0 && vi->link.ifindex != old &&
	    !vi->ci->vmac.on) {
		if (vrrp_inst_ann_open(vi, vi->link.ifindex) != 0)
			log_warn("(%s) cannot open a packet socket on %s: no "
				 "gratuitous ARP",
			    vi->ci->name, vi->ci->interface);
	}
	if (log_debug_on(DBG_NET, vi->ci->name))
		log_debug_inst(DBG_NET, vi->ci->name,
		    "net: %s index %u %s, source %s", vi->ci->interface,
		    vi->link.ifindex, up ? "up" : "down",
		    addr_fmt(&vi->src, abuf, sizeof(abuf)));
	if (vi->waiting) {
		try_start(vi);
		return;
	}
	if (up && !pick_source(vi))
		log_warnx("(%s) no %s address on %s yet", vi->ci->name,
		    vi->ci->family == AF_INET ? "IPv4" : "IPv6 link-local",
		    vi->ci->interface);
	vrrp_inst_set_fault(vi, VRRP_FAULT_NO_SRC_ADDR,
	    vi->src.af == AF_UNSPEC);
	vrrp_inst_set_fault(vi, VRRP_FAULT_LINK_DOWN, !up);
}

/* ---- life cycle ---- */

static void
fsm_config(struct vrrp_inst *vi, struct vrrp_fsm_config *fc)
{
	const struct conf_instance *ci = vi->ci;

	memset(fc, 0, sizeof(*fc));
	fc->version = ci->version;
	fc->priority = ci->priority;
	fc->adver_int_cs = (uint16_t)ci->adver_int_cs;
	fc->preempt = ci->preempt;
	fc->preempt_delay_ms = ci->preempt_delay_ms;
	fc->down_timer_adverts = ci->down_timer_adverts;
	fc->lower_prio_no_advert = ci->lower_prio_no_advert;
	fc->higher_prio_send_advert = ci->higher_prio_send_advert;
	fc->owner_ignore_adverts = ci->owner_ignore_adverts;
	fc->in_group = ci->sync_group != NULL;
}

static void
expect_config(struct vrrp_inst *vi)
{
	const struct conf_instance *ci = vi->ci;

	vi->expect.version = ci->version;
	vi->expect.vrid = ci->vrid;
	vi->expect.csum_mode = ci->csum_mode;
	vi->expect.auth_type = ci->auth_type;
	/* RFC 2338 §5.3.6.2: the password zero-padded to 8 bytes. */
	memset(vi->expect.auth_data, 0, VRRP_AUTH_LEN);
	memcpy(vi->expect.auth_data, ci->auth_pass, strlen(ci->auth_pass));
	vi->expect.adver_int_cs = (uint16_t)ci->adver_int_cs;
}

struct vrrp_inst *
vrrp_inst_new(struct vrrp_router *r, const struct conf_instance *ci)
{
	struct vrrp_inst *vi = calloc(1, sizeof(*vi));
	struct vrrp_fsm_config fc;

	if (vi == NULL)
		return NULL;
	vi->r = r;
	vi->ci = ci;
	vi->rl_vmac.interval_ms = 10000;
	if (ci->nvips > 0 &&
	    (vi->vip_addrs = calloc(ci->nvips, sizeof(struct addr))) == NULL) {
		free(vi);
		return NULL;
	}
	for (size_t i = 0; i < ci->nvips; i++)
		vi->vip_addrs[i] = ci->vips[i].addr;
	fsm_config(vi, &fc);
	vrrp_fsm_init(&vi->fsm, &fc);
	expect_config(vi);
	vrrp_inst_ah_init(vi);
	vi->heap_idx = SIZE_MAX; /* no deadline yet */
	vrrp_inst_announce_init(vi);
	vrrp_track_demote_init(vi);
	vi->created_us = util_now_us();
	ev_timer_init(&vi->start_timer, start_cb, 0.0, 0.0);
	vi->start_timer.data = vi;
	for (int e = 0; e < VRRP_PKT_ERR_MAX; e++)
		vi->rl_rx[e].interval_ms = 10000;
	vi->rl_tx.interval_ms = vi->rl_addrs.interval_ms = 10000;
	return vi;
}

/*
 * Start once the interface is up with a source address (RFC 5798 §6.4.1
 * Startup needs both), or when the wait's bound runs out: then the
 * instance starts in FAULT and says why, and netlink events bring it
 * back. Never before the startup delay.
 */
static void
try_start(struct vrrp_inst *vi)
{
	const struct conf_instance *ci = vi->ci;
	uint64_t now = util_now_us();
	bool up = vi->link.ifindex != 0 && vi->link.up && vrrp_vmac_ready(vi);
	bool ready = up && pick_source(vi);
	double wait_s;

	if (!vi->waiting || now < vi->delay_until_us)
		return;
	if (!ready && now < vi->wait_until_us) {
		if (!ev_is_active(&vi->start_timer)) {
			wait_s = (double)(vi->wait_until_us - now) / US_PER_S;
			log_info("(%s) waiting up to %.0f s for %s %s",
			    ci->name, wait_s, ci->interface,
			    !up ? "to come up" :
				ci->family == AF_INET ?
				  "to get an IPv4 address" :
				  "to get an IPv6 link-local "
				  "address");
			ev_timer_set(&vi->start_timer, wait_s, 0.0);
			ev_timer_start(vi->r->loop, &vi->start_timer);
		}
		return;
	}
	vi->waiting = false;
	ev_timer_stop(vi->r->loop, &vi->start_timer);
	if (vi->ann == NULL && vi->link.ifindex != 0 && !vi->ci->vmac.on &&
	    vrrp_inst_ann_open(vi, vi->link.ifindex) != 0)
		log_warn("(%s) cannot open a packet socket on %s: no "
			 "gratuitous ARP",
		    ci->name, ci->interface);
	if (!up)
		vrrp_inst_set_fault(vi, VRRP_FAULT_LINK_DOWN, true);
	else if (!ready)
		vrrp_inst_set_fault(vi, VRRP_FAULT_NO_SRC_ADDR, true);
	if (ci->unicast && ci->npeers == 0)
		vrrp_inst_set_fault(vi, VRRP_FAULT_NO_PEER, true);
	vrrp_track_update(vi, NULL);
	step(vi, VRRP_IN_STARTUP);
	vrrp_router_started(vi->r);
}

static void
start_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct vrrp_inst *vi = w->data;

	(void)loop;
	(void)revents;
	try_start(vi);
}

/*
 * Open what the instance needs; it starts when try_start() says so. A
 * missing interface is not a failure: the instance waits, then runs in
 * FAULT until netlink events bring the interface.
 */
int
vrrp_inst_start(struct vrrp_inst *vi, uint32_t delay_ms)
{
	const struct conf_instance *ci = vi->ci;
	const struct conf_global *g = &vi->r->conf->global;
	uint64_t now = util_now_us();

	if (net_link_info(vi->r->nl, ci->interface, &vi->link) != 0)
		memset(&vi->link, 0, sizeof(vi->link));
	(void)vrrp_vmac_ensure(vi); /* else not ready: logged */
	if (!ci->unicast)
		vi->group =
		    ci->family == AF_INET ? g->mcast_group4 : g->mcast_group6;
	vi->sock = vrrp_router_sock(vi->r, vrrp_inst_sock_ifname(vi),
	    ci->family, vi->group.af != AF_UNSPEC ? &vi->group : NULL,
	    ci->auth_type == VRRP_AUTH_AH ? VRRP_AH_PROTO : VRRP_IPPROTO);
	if (vi->sock == NULL) {
		log_warn("(%s) cannot open a VRRP socket on %s", ci->name,
		    ci->interface);
		return -1;
	}
	vrrp_router_sock_filter(vi->r, vi->sock); /* its VRID now passes */
	if (vrrp_track_bind(vi) != 0)
		return -1;
	vi->notify = notify_new(vi->r->loop, ci->name, &ci->notify, g,
	    NOTIFY_TIMEOUT_MS);
	vi->waiting = true;
	vi->delay_until_us = now + delay_ms * 1000ULL;
	vi->wait_until_us = vi->delay_until_us + VRRP_INST_WAIT_MS * 1000ULL;
	if (delay_ms > 0) {
		log_info("(%s) startup delay: starting in %u ms", ci->name,
		    delay_ms);
		ev_timer_set(&vi->start_timer, delay_ms / 1000.0, 0.0);
		ev_timer_start(vi->r->loop, &vi->start_timer);
		return 0;
	}
	try_start(vi);
	return 0;
}

void
vrrp_inst_rebind(struct vrrp_inst *vi, const struct conf_instance *ci,
    const struct conf_global *g)
{
	vi->ci = ci;
	if (vi->notify != NULL)
		notify_rebind(vi->notify, ci->name, &ci->notify, g);
}

void
vrrp_inst_stop(struct vrrp_inst *vi)
{
	if (vi->waiting) {
		vi->waiting = false;
		ev_timer_stop(vi->r->loop, &vi->start_timer);
		vrrp_router_started(vi->r);
	}
	step(vi, VRRP_IN_SHUTDOWN);
	ev_timer_stop(vi->r->loop, &vi->garp_timer);
	ev_timer_stop(vi->r->loop, &vi->ann_timer);
	ev_timer_stop(vi->r->loop, &vi->refresh_timer);
}

void
vrrp_inst_free(struct vrrp_inst *vi)
{
	if (vi == NULL)
		return;
	if (vi->r->gone_fn != NULL)
		vi->r->gone_fn(vi->r->observe_arg, vi);
	vrrp_group_forget(vi);
	vrrp_track_unbind(vi);
	vrrp_track_demote_fini(vi);
	notify_free(vi->notify);
	vrrp_timers_set(vi, 0);
	vrrp_tx_drop(vi);
	ev_timer_stop(vi->r->loop, &vi->garp_timer);
	ev_timer_stop(vi->r->loop, &vi->start_timer);
	ev_timer_stop(vi->r->loop, &vi->ann_timer);
	ev_timer_stop(vi->r->loop, &vi->refresh_timer);
	vrrp_inst_ann_close(vi);
	if (vi->sock != NULL) {
		struct vrrp_sock *s = vi->sock;

		vi->sock = NULL; /* its VRID no longer passes the filter */
		vrrp_router_sock_put(vi->r, s);
	}
	vrrp_vmac_remove(vi);
	free(vi->vip_addrs);
	free(vi->rt_rl);
	free(vi);
}

/* vi goes: adverts it queued go first (a stop's priority 0 among them). */
void
vrrp_tx_drop(struct vrrp_inst *vi)
{
	struct vrrp_txq *q = &vi->r->txq;

	for (size_t i = 0; i < q->n; i++)
		if (q->ent[i].vi == vi) {
			vrrp_tx_flush(vi->r);
			return;
		}
}
