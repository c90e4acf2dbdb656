/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VRRP state machine of RFC 5798 §6 / RFC 9568 §6 (and RFC 3768 §6 for
 * VRRPv2), plus keepalived's Fault state and options. Pure: one call per
 * input, with the time passed in; it never reads a clock, logs, allocates or
 * touches a socket. Timers are absolute deadlines kept in the state; the
 * caller mirrors the ARM/CANCEL actions onto real timers and feeds their
 * expiry back as inputs.
 *
 * Time is a monotonic count of microseconds. Microseconds, not milliseconds,
 * because Skew_Time at a 10 ms advert interval is a fraction of a
 * millisecond, and keepalived's figures (Master down timer 3414062 us for
 * priority 150 at 1 s) are exact in them.
 */

#ifndef VRRPD_VRRP_FSM_H
#define VRRPD_VRRP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrpd/util.h"
#include "vrrpd/vrrp_packet.h"

/* Most actions one input can produce (vrrp_fsm_step asserts the bound). */
#define VRRP_FSM_MAX_ACTIONS 12

enum vrrp_state {
	VRRP_STATE_INIT = 0, /* Initialize: not started, or shut down */
	VRRP_STATE_BACKUP,   /* waiting for the master to fall silent */
	VRRP_STATE_MASTER,   /* holds the VIPs, sends adverts */
	VRRP_STATE_FAULT,    /* a fault reason is set: no VIPs, no adverts */
	VRRP_STATE_MAX
};

/*
 * Why an instance cannot run; each is one bit of struct vrrp_fsm.faults, so
 * the set is recomputed from events and can never drift like a counter.
 */
enum vrrp_fault {
	VRRP_FAULT_LINK_DOWN = 0, /* own interface down or missing */
	VRRP_FAULT_NO_SRC_ADDR,	  /* no source address on the interface */
	VRRP_FAULT_TRACKED_IF,	  /* an unweighted tracked interface is down */
	VRRP_FAULT_CHECK,	  /* an unweighted check or script fails */
	VRRP_FAULT_TRACK_FILE,	  /* a tracked file says fault */
	VRRP_FAULT_TRACK_PROC,	  /* an unweighted tracked process set down */
	VRRP_FAULT_NO_PEER, /* unicast with no peer (unicast_fault_no_peer) */
	VRRP_FAULT_SYNC_GROUP, /* another member of the sync group is faulty */
	VRRP_FAULT_MAX
};

/* The faults the tracked objects own: one VRRP_IN_TRACKS input sets them. */
#define VRRP_FAULTS_TRACKED                                         \
	((1U << VRRP_FAULT_TRACKED_IF) | (1U << VRRP_FAULT_CHECK) | \
	    (1U << VRRP_FAULT_TRACK_FILE) | (1U << VRRP_FAULT_TRACK_PROC))

enum vrrp_timer {
	VRRP_TIMER_ADVER = 0,	/* Adver_Timer (Master) */
	VRRP_TIMER_MASTER_DOWN, /* Master_Down_Timer (Backup) */
	VRRP_TIMER_MAX
};

enum vrrp_input_kind {
	VRRP_IN_STARTUP = 0, /* the instance is configured and may run */
	VRRP_IN_SHUTDOWN,    /* stop: release and go to Initialize */
	VRRP_IN_ADVERT,	     /* a validated advert for our VRID (.advert) */
	VRRP_IN_ADVER_TIMER, /* Adver_Timer expired */
	VRRP_IN_MASTER_DOWN_TIMER, /* Master_Down_Timer expired */
	VRRP_IN_PRIORITY,	   /* new effective priority (.priority, raw) */
	VRRP_IN_FAULT_SET,	   /* a fault reason appeared (.fault) */
	VRRP_IN_FAULT_CLEAR,	   /* a fault reason went away (.fault) */
	VRRP_IN_IFACE_UP,	   /* = FAULT_CLEAR of VRRP_FAULT_LINK_DOWN */
	VRRP_IN_IFACE_DOWN,	   /* = FAULT_SET of VRRP_FAULT_LINK_DOWN */
	VRRP_IN_VIP_LOST,  /* a VIP was removed behind our back (Master) */
	VRRP_IN_HAND_OVER, /* demoted by the operator: Master steps down */
	VRRP_IN_TRACKS,	   /* the tracked objects changed (.tracks) */
	/* sync groups (cfg.in_group): what the group decided */
	VRRP_IN_GROUP_MASTER, /* every member may be master: Backup goes */
	VRRP_IN_GROUP_BACKUP, /* a member left Master: Master follows */
	VRRP_IN_ROUTE_LOST,   /* a virtual route or rule was removed (Master) */
	VRRP_IN_MAX
};

struct vrrp_input {
	enum vrrp_input_kind kind;
	union {
		/* ADVERT: only .meta.src, .priority, .adver_int_cs are read */
		const struct vrrp_advert *advert;
		int priority;	       /* PRIORITY: base + weights */
		enum vrrp_fault fault; /* FAULT_SET, FAULT_CLEAR */
		/*
		 * TRACKS: the new effective priority (raw, as PRIORITY) and
		 * the whole set of tracker faults (bits of
		 * VRRP_FAULTS_TRACKED; others are ignored), in one input:
		 * one change of a tracked object is one step.
		 */
		struct {
			int priority;
			unsigned int faults;
		} tracks;
	};
};

/* Why a transition happened (RFC 6527 vrrpv3OperationsNewMasterReason+). */
enum vrrp_reason {
	VRRP_RSN_NONE = 0,
	VRRP_RSN_STARTUP,	/* Initialize -> Backup at start */
	VRRP_RSN_OWNER,		/* -> Master: priority 255 (owner) */
	VRRP_RSN_MASTER_DOWN,	/* -> Master: Master_Down_Timer, no adverts */
	VRRP_RSN_MASTER_STOP,	/* -> Master: master sent priority 0 */
	VRRP_RSN_PREEMPT,	/* -> Master: we preempted a lower master */
	VRRP_RSN_HIGHER_PRIO,	/* Master -> Backup: higher priority advert */
	VRRP_RSN_TIE_BREAK,	/* Master -> Backup: equal, higher address */
	VRRP_RSN_FAULT,		/* -> Fault: a fault reason is set */
	VRRP_RSN_FAULT_CLEAR,	/* Fault -> Backup/Master: all cleared */
	VRRP_RSN_SHUTDOWN,	/* -> Initialize */
	VRRP_RSN_VIP_REMOVED,	/* Master -> Backup: a VIP was removed */
	VRRP_RSN_DEMOTED,	/* Master -> Backup: demoted (vrrpctl demote) */
	VRRP_RSN_GROUP_MASTER,	/* -> Master: its sync group went master */
	VRRP_RSN_GROUP_BACKUP,	/* Master -> Backup: a group member left */
	VRRP_RSN_ROUTE_REMOVED, /* Master -> Backup: a route/rule removed */
	VRRP_RSN_MAX
};

/* Why the instance announces its VIPs (GARP / unsolicited NA). */
enum vrrp_announce {
	VRRP_ANN_BECOME_MASTER = 0, /* entering Master: full burst */
	VRRP_ANN_REASSERT, /* Master saw a lower advert: split brain heal */
	VRRP_ANN_MAX
};

enum vrrp_action_kind {
	VRRP_ACT_TRANSITION = 0, /* .from, .to, .reason: always first */
	VRRP_ACT_SEND_ADVERT,	 /* send an advert with .priority */
	VRRP_ACT_ADD_VIPS,	 /* configure the virtual addresses */
	VRRP_ACT_DEL_VIPS,	 /* remove the virtual addresses */
	VRRP_ACT_ANNOUNCE,	 /* GARP / NA for the VIPs (.announce) */
	VRRP_ACT_ARM_TIMER,	 /* (re)arm .timer at absolute .at_us */
	VRRP_ACT_CANCEL_TIMER,	 /* cancel .timer */
	/*
	 * A grouped Backup would become Master (its Master_Down_Timer ran
	 * out; an owner starting): it stays Backup, re-arms the timer and
	 * waits for VRRP_IN_GROUP_MASTER (fsm.wants_master says so).
	 */
	VRRP_ACT_WANT_MASTER,
	VRRP_ACT_MAX
};

struct vrrp_action {
	enum vrrp_action_kind kind;
	union {
		struct {
			enum vrrp_state from;
			enum vrrp_state to;
			enum vrrp_reason reason;
		};
		uint8_t priority;
		enum vrrp_announce announce;
		struct {
			enum vrrp_timer timer;
			uint64_t at_us;
		};
	};
};

/* What one vrrp_fsm_step() asks the caller to do, in this order. */
struct vrrp_actions {
	size_t n;
	struct vrrp_action a[VRRP_FSM_MAX_ACTIONS];
};

/* Per-instance settings the state machine uses; a plain value. */
struct vrrp_fsm_config {
	uint8_t version;	      /* 2 or 3 */
	uint8_t priority;	      /* base priority 1..255; 255 = owner */
	uint16_t adver_int_cs;	      /* Advertisement_Interval; v2: x100 */
	bool preempt;		      /* Preempt_Mode (the owner always) */
	uint32_t preempt_delay_ms;    /* keepalived preempt_delay */
	uint8_t down_timer_adverts;   /* the "3" of Master_Down_Interval */
	bool lower_prio_no_advert;    /* pre-RFC 9568: ignore lower */
	bool higher_prio_send_advert; /* one advert before yielding */
	bool owner_ignore_adverts;    /* RFC: an owner discards adverts */
	struct addr primary;	      /* our advert source, for tie-breaks */
	/*
	 * A member of a keepalived sync group: Backup never becomes Master
	 * on its own but asks (VRRP_ACT_WANT_MASTER); the group's decisions
	 * come back as VRRP_IN_GROUP_MASTER / VRRP_IN_GROUP_BACKUP.
	 */
	bool in_group;
};

struct vrrp_fsm_timer {
	bool armed;
	uint64_t at_us; /* absolute deadline */
};

/*
 * The state of one virtual router. Initialise with vrrp_fsm_init(); read the
 * fields freely, change them only through vrrp_fsm_step().
 */
struct vrrp_fsm {
	struct vrrp_fsm_config cfg;
	enum vrrp_state state;
	uint8_t priority;	      /* effective priority */
	uint16_t master_adver_int_cs; /* Master_Adver_Interval */
	struct vrrp_fsm_timer timers[VRRP_TIMER_MAX];
	unsigned int faults;	      /* 1 << enum vrrp_fault */
	uint64_t preempt_at_us;	      /* preempt_delay ends; 0: not running */
	enum vrrp_reason down_reason; /* reason if Master_Down_Timer fires */
	struct addr master_addr;      /* last master heard (Backup) */
	uint8_t master_priority;      /* its priority */
	uint64_t since_us;	      /* time of the last transition */
	enum vrrp_reason reason;      /* reason of the last transition */
	/*
	 * In a group, in Backup: it would be Master now (its timer ran out
	 * since the last master it accepts was heard); down_reason says why.
	 */
	bool wants_master;
	/*
	 * Master: when it last answered a priority-0 or lower-priority
	 * advert (0: never), and the answers it left out since start for
	 * coming within an Advertisement_Interval of the last.
	 */
	uint64_t answered_us;
	uint64_t answers_suppressed;
	/* Backup: priority-0 adverts from another address than the master
	 * it follows, ignored */
	uint64_t stops_ignored;
};

/*
 * Set up *fsm in Initialize with config *cfg (copied) and effective priority
 * equal to the base priority. No actions.
 */
void vrrp_fsm_init(struct vrrp_fsm *fsm, const struct vrrp_fsm_config *cfg);

/*
 * Feed one input at time now_us (monotonic, microseconds) and fill *out
 * (emptied first) with the actions to apply in order. A timer input whose
 * timer is not armed or not yet due, or an input that means nothing in the
 * current state, produces no action: stale timer events are harmless. A
 * due timer input consumes its timer (the caller's one-shot timer has
 * stopped), so no CANCEL action is emitted for it.
 */
void vrrp_fsm_step(struct vrrp_fsm *fsm, const struct vrrp_input *in,
    uint64_t now_us, struct vrrp_actions *out);

/*
 * Clamp a computed priority (base + tracker weights) as keepalived does: a
 * base of 255 (owner) stays 255 whatever the weights; otherwise the result is
 * kept within 1..254.
 */
uint8_t vrrp_fsm_clamp_priority(uint8_t base, int computed);

/*
 * Skew_Time in microseconds for a router of the given priority: v2 (RFC 3768
 * §6.1) (256 - Priority) / 256 seconds; v3 (RFC 5798 §6.1)
 * ((256 - Priority) * Master_Adver_Interval) / 256 centiseconds. Truncated to
 * whole microseconds. adver_int_cs is ignored for v2.
 */
uint64_t vrrp_fsm_skew_us(uint8_t version, uint8_t priority,
    uint16_t master_adver_int_cs);

/*
 * Master_Down_Interval in microseconds: adverts * Master_Adver_Interval +
 * Skew_Time, adverts being 3 in the RFCs (keepalived down_timer_adverts).
 * For v2 the interval is the configured Advertisement_Interval.
 */
uint64_t vrrp_fsm_master_down_us(uint8_t version, uint8_t priority,
    uint16_t master_adver_int_cs, uint8_t adverts);

/* Names for logs, status and tests ("MASTER", "master down timer expired"). */
const char *vrrp_state_name(enum vrrp_state state);
const char *vrrp_reason_name(enum vrrp_reason reason);
const char *vrrp_fault_name(enum vrrp_fault fault);
const char *vrrp_input_name(enum vrrp_input_kind kind);
/* The set faults (1 << enum vrrp_fault) as "interface down, check
 * failed" in buf ("" when none); returns buf, always terminated. */
const char *vrrp_fault_format(unsigned int faults, char *buf, size_t size);
const char *vrrp_action_name(enum vrrp_action_kind kind);

#endif /* VRRPD_VRRP_FSM_H */
