/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MD5 (RFC 1321) and HMAC-MD5 (RFC 2104), for the one thing that needs
 * them: IPsec AH's HMAC-MD5-96 (RFC 2403) of keepalived's auth_type AH.
 * Pure, no allocation. (libcrypto did this before: 1.4 MB of resident
 * pages per daemon for two hundred lines; docs/benchmarks.md, "Memory".)
 * MD5 is broken for collision resistance; HMAC-MD5 is what the wire
 * format of VRRPv2 AH is, and vrrpd uses it for nothing else.
 */

#ifndef VRRPD_MD5_H
#define VRRPD_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_LEN	  16
#define MD5_BLOCK 64

struct md5_ctx {
	uint32_t s[4];
	uint64_t len; /* bytes hashed so far */
	uint8_t buf[MD5_BLOCK];
};

void md5_init(struct md5_ctx *c);
void md5_update(struct md5_ctx *c, const void *data, size_t len);
/* The digest; c must be initialised again before another use. */
void md5_final(struct md5_ctx *c, uint8_t out[MD5_LEN]);

/* HMAC-MD5: init with the key (any length), update, final. */
struct hmac_md5_ctx {
	struct md5_ctx inner;
	uint8_t opad[MD5_BLOCK];
};

void hmac_md5_init(struct hmac_md5_ctx *h, const void *key, size_t klen);
void hmac_md5_update(struct hmac_md5_ctx *h, const void *data, size_t len);
void hmac_md5_final(struct hmac_md5_ctx *h, uint8_t out[MD5_LEN]);

#endif /* VRRPD_MD5_H */
