/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The protocol timers of every instance of a router on one timerfd (issue
 * #14): a binary min-heap of the instances by their earliest deadline, the
 * timerfd set to the heap's top. One wake-up serves every instance due;
 * adverts falling due within an instance's batch window (instance_priv.h)
 * go out in the same wake-up (early by that much at most; a Master_Down
 * timer never fires early), and their sends leave in one sendmmsg() per
 * socket (instance.c queues them while r->dispatching). A timerfd wakes to the
 * microsecond, which a 10 ms advert interval needs (Skew_Time is 78 us at
 * priority 254); libev's own timers wake in whole milliseconds.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "instance_priv.h"

#define US_PER_S 1000000ULL

static void
heap_put(struct vrrp_router *r, size_t i, struct vrrp_inst *vi)
{
	r->heap[i] = vi;
	vi->heap_idx = i;
}

static void
sift_up(struct vrrp_router *r, size_t i)
{
	struct vrrp_inst *vi = r->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (r->heap[p]->heap_at <= vi->heap_at)
			break;
		heap_put(r, i, r->heap[p]);
		i = p;
	}
	heap_put(r, i, vi);
}

static void
sift_down(struct vrrp_router *r, size_t i)
{
	struct vrrp_inst *vi = r->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= r->nheap)
			break;
		if (c + 1 < r->nheap &&
		    r->heap[c + 1]->heap_at < r->heap[c]->heap_at)
			c++;
		if (vi->heap_at <= r->heap[c]->heap_at)
			break;
		heap_put(r, i, r->heap[c]);
		i = c;
	}
	heap_put(r, i, vi);
}

static void
heap_remove(struct vrrp_router *r, struct vrrp_inst *vi)
{
	size_t i = vi->heap_idx;
	struct vrrp_inst *last;

	vi->heap_idx = SIZE_MAX;
	last = r->heap[--r->nheap];
	if (i == r->nheap)
		return;
	heap_put(r, i, last);
	sift_up(r, i);
	sift_down(r, last->heap_idx);
}

/* The timerfd to the heap's top (or off). */
static void
arm(struct vrrp_router *r)
{
	struct itimerspec its = { 0 };
	uint64_t at = r->nheap > 0 ? r->heap[0]->heap_at : 0;

	if (at == r->armed_us)
		return;
	if (at != 0) {
		/* 0 would disarm: a deadline at time 0 is simply due. */
		its.it_value.tv_sec = (time_t)(at / US_PER_S);
		its.it_value.tv_nsec = (long)(at % US_PER_S) * 1000 + 1;
	}
	if (timerfd_settime(r->tfd, TFD_TIMER_ABSTIME, &its, NULL) == -1) {
		log_warn("cannot set the protocol timer; this is a bug");
		return;
	}
	r->armed_us = at;
}

void
vrrp_timers_set(struct vrrp_inst *vi, uint64_t at)
{
	struct vrrp_router *r = vi->r;
	struct vrrp_inst **n;
	size_t cap;

	if (at == 0) {
		if (vi->heap_idx != SIZE_MAX)
			heap_remove(r, vi);
	} else if (vi->heap_idx != SIZE_MAX) {
		vi->heap_at = at;
		sift_up(r, vi->heap_idx);
		sift_down(r, vi->heap_idx);
	} else {
		if (r->nheap == r->heap_cap) {
			cap = r->heap_cap != 0 ? 2 * r->heap_cap : 16;
			if ((n = realloc(r->heap, cap * sizeof(*n))) == NULL) {
				log_warn("(%s) no memory for its timer",
				    vi->ci->name);
				return;
			}
			r->heap = n;
			r->heap_cap = cap;
		}
		vi->heap_at = at;
		r->heap[r->nheap++] = vi;
		sift_up(r, r->nheap - 1);
	}
	if (!r->dispatching)
		arm(r);
}

/*
 * Every instance due now, earliest first, and the adverts due within the
 * batch window; each instance's own loop feeds its due timers in order
 * (vrrp_inst_timers_due()). Bounded: an instance's deadlines move on by
 * at least its interval each step, and the guard stops a runaway.
 */
static void
dispatch(struct ev_loop *loop, ev_io *w, int revents)
{
	struct vrrp_router *r = w->data;
	struct vrrp_inst *vi;
	uint64_t expirations, now;

	(void)loop;
	(void)revents;
	if (read(r->tfd, &expirations, sizeof(expirations)) == -1 &&
	    errno == EAGAIN)
		return;
	r->armed_us = 0; /* fired: set it again below, whatever the top */
	r->dispatching = true;
	for (unsigned int guard = 0; guard < 1000000 && r->nheap > 0; guard++) {
		vi = r->heap[0];
		now = util_now_us();
		if (!vrrp_inst_timers_due(vi, now))
			break;
	}
	r->dispatching = false;
	vrrp_tx_flush(r);
	arm(r);
}

int
vrrp_timers_init(struct vrrp_router *r)
{
	r->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->tfd == -1)
		return -1;
	ev_io_init(&r->tfd_io, dispatch, r->tfd, EV_READ);
	r->tfd_io.data = r;
	/*
	 * Due adverts and takeovers go before a thousand check results, and
	 * after the adverts already received (the sockets' EV_MAXPRI): a
	 * backup that ran late (a loaded host, a paused VM) finds its
	 * Master_Down timer expired and the master's adverts waiting in its
	 * socket at once, and must read them first, or it takes over from a
	 * master that never stopped (t_backup_stall). The adverts re-arm the
	 * timer; its expiry then reads EAGAIN and does nothing.
	 */
	ev_set_priority(&r->tfd_io, EV_MAXPRI - 1);
	ev_io_start(r->loop, &r->tfd_io);
	return 0;
}

void
vrrp_timers_fini(struct vrrp_router *r)
{
	if (r->tfd < 0)
		return;
	ev_io_stop(r->loop, &r->tfd_io);
	close(r->tfd);
	r->tfd = -1;
	free(r->heap);
	r->heap = NULL;
	r->nheap = r->heap_cap = 0;
	free(r->txq.arena);
	memset(&r->txq, 0, sizeof(r->txq));
}
