/* SPDX-License-Identifier: BSD-2-Clause */
/* The daemon's one clock: monotonic time for every deadline and interval. */

#include <time.h>

#include "vrrpd/util.h"

uint64_t
util_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t
util_now_ms(void)
{
	return util_now_us() / 1000;
}
