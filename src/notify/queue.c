/* SPDX-License-Identifier: BSD-2-Clause */
/* The notification queue of one instance: one running, the latest waiting. */

#include "vrrpd/notify.h"

bool
notify_queue_post(struct notify_queue *q, const struct notify_event *ev)
{
	if (!q->busy) {
		q->busy = true;
		return true;
	}
	q->coalesced += q->has_pending;
	q->pending = *ev;
	q->has_pending = true;
	return false;
}

bool
notify_queue_done(struct notify_queue *q, struct notify_event *next)
{
	if (!q->has_pending) {
		q->busy = false;
		return false;
	}
	*next = q->pending;
	q->has_pending = false;
	return true;
}

const char *
notify_state_word(enum vrrp_state state)
{
	switch (state) {
	case VRRP_STATE_MASTER:
		return "MASTER";
	case VRRP_STATE_BACKUP:
		return "BACKUP";
	case VRRP_STATE_FAULT:
		return "FAULT";
	default:
		return "STOP";
	}
}
