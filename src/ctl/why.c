/* SPDX-License-Identifier: BSD-2-Clause */
/* The "why" line of vrrpctl status: why this node is or is not master. */

#include <stdio.h>
#include <string.h>

#include "vrrpd/ctl.h"
#include "vrrpd/vrrp_instance.h"

/* "1.2 s", "850 ms", "3 min" */
static const char *
dur(uint64_t us, char *buf, size_t size)
{
	uint64_t ms = (us + 999) / 1000;

	if (ms < 1000)
		snprintf(buf, size, "%llu ms", (unsigned long long)ms);
	else if (ms < 60000)
		snprintf(buf, size, "%llu.%llu s",
		    (unsigned long long)(ms / 1000),
		    (unsigned long long)(ms % 1000 / 100));
	else
		snprintf(buf, size, "%llu min",
		    (unsigned long long)((ms + 30000) / 60000));
	return buf;
}

static void
why_fault(const struct vrrp_inst_view *v, char *buf, size_t size)
{
	char list[192];

	/* only its group's fault: say whose */
	if (v->faults == 1U << VRRP_FAULT_SYNC_GROUP && v->group != NULL &&
	    v->group_holder != NULL)
		snprintf(buf, size, "fault: sync group %s: %s is in %s",
		    v->group, v->group_holder,
		    vrrp_state_name(v->group_holder_state));
	else
		snprintf(buf, size, "fault: %s",
		    v->faults != 0 ?
			vrrp_fault_format(v->faults, list, sizeof(list)) :
			"cleared");
}

/* A grouped Backup that would be Master: what its group waits for. */
static bool
why_group_held(const struct vrrp_inst_view *v, char *buf, size_t size)
{
	const char *what;

	if (v->group == NULL || !v->wants_master || v->group_holder == NULL)
		return false;
	switch (v->group_holder_state) {
	case VRRP_STATE_BACKUP:
		what = "still hears its master";
		break;
	case VRRP_STATE_INIT:
		what = "has not started";
		break;
	default:
		what = "is in FAULT";
		break;
	}
	snprintf(buf, size, "would take over, but sync group %s waits: %s %s",
	    v->group, v->group_holder, what);
	return true;
}

static void
why_master(const struct vrrp_inst_view *v, char *buf, size_t size)
{
	if (v->base_priority == VRRP_PRIO_OWNER)
		snprintf(buf, size, "address owner (priority 255)");
	else if (v->demoted)
		snprintf(buf, size,
		    "demoted, but no other router is heard: serving at "
		    "priority %u",
		    v->priority);
	else if (v->reason == VRRP_RSN_PREEMPT)
		snprintf(buf, size,
		    "preempted a lower priority master; ours is %u",
		    v->priority);
	else
		snprintf(buf, size,
		    "no advert with a priority above ours (%u) is heard",
		    v->priority);
}

/* A master is known and we are Backup. */
static void
why_backup_master(const struct vrrp_inst_view *v, const char *pre, char *buf,
    size_t size)
{
	char a[ADDR_STRLEN], t[32];

	addr_fmt(&v->master_addr, a, sizeof(a));
	if (v->master_priority > v->priority)
		snprintf(buf, size, "%scurrent master %s priority %u > ours %u",
		    pre, a, v->master_priority, v->priority);
	else if (v->master_priority == v->priority)
		snprintf(buf, size,
		    "%scurrent master %s priority %u = ours: an equal "
		    "priority does not preempt",
		    pre, a, v->master_priority);
	else if (!v->ci->preempt)
		snprintf(buf, size,
		    "%spreempt off; current master %s priority %u < ours %u",
		    pre, a, v->master_priority, v->priority);
	else if (v->preempt_in_us > 0)
		snprintf(buf, size,
		    "%spreempt delay: taking over in %s (master %s priority "
		    "%u < ours %u)",
		    pre, dur(v->preempt_in_us, t, sizeof(t)), a,
		    v->master_priority, v->priority);
	else
		snprintf(buf, size,
		    "%scurrent master %s priority %u < ours %u: taking over",
		    pre, a, v->master_priority, v->priority);
}

static void
why_backup(const struct vrrp_inst_view *v, char *buf, size_t size)
{
	const char *pre = v->demoted ? "demoted; " : "";
	char t[32];

	if (why_group_held(v, buf, size))
		return;
	if (v->master_known) {
		why_backup_master(v, pre, buf, size);
		return;
	}
	if (v->master_down_armed)
		snprintf(buf, size,
		    "%sno master heard; taking over in %s unless an advert "
		    "arrives",
		    pre, dur(v->master_down_in_us, t, sizeof(t)));
	else
		snprintf(buf, size, "%sno master heard", pre);
}

void
ctl_why(const struct vrrp_inst_view *v, char *buf, size_t size)
{
	if (size == 0)
		return;
	switch (v->state) {
	case VRRP_STATE_MASTER:
		why_master(v, buf, size);
		break;
	case VRRP_STATE_BACKUP:
		why_backup(v, buf, size);
		break;
	case VRRP_STATE_FAULT:
		why_fault(v, buf, size);
		break;
	default:
		snprintf(buf, size, "%s",
		    v->waiting ? "not started: waiting for the interface, its "
				 "address or the startup delay" :
				 "stopped");
		break;
	}
}
