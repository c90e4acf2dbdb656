/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 1071 Internet checksum. */

#include <string.h>

#include "vrrpd/util.h"

/*
 * Sums 16-bit words in host order: RFC 1071 §2(B) shows the one's complement
 * sum is byte-order independent, so the folded result stored with memcpy()
 * is already in network order.
 */
uint32_t
util_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t acc = sum;
	uint16_t w;

	while (len >= 2) {
		memcpy(&w, p, 2);
		acc += w;
		p += 2;
		len -= 2;
	}
	if (len == 1) {
		uint8_t last[2] = { p[0], 0 };

		memcpy(&w, last, 2);
		acc += w;
	}
	while (acc >> 32)
		acc = (acc & 0xffffffff) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t
util_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
