/* SPDX-License-Identifier: BSD-2-Clause */
/* MD5 (RFC 1321) and HMAC-MD5 (RFC 2104); see vrrpd/md5.h. */

#include <string.h>

#include "vrrpd/md5.h"

/* RFC 1321 §3.4: T[i] = floor(2^32 * |sin(i + 1)|), and the shifts. */
static const uint32_t md5_t[64] = {
	0xd76aa478,
	0xe8c7b756,
	0x242070db,
	0xc1bdceee,
	0xf57c0faf,
	0x4787c62a,
	0xa8304613,
	0xfd469501,
	0x698098d8,
	0x8b44f7af,
	0xffff5bb1,
	0x895cd7be,
	0x6b901122,
	0xfd987193,
	0xa679438e,
	0x49b40821,
	0xf61e2562,
	0xc040b340,
	0x265e5a51,
	0xe9b6c7aa,
	0xd62f105d,
	0x02441453,
	0xd8a1e681,
	0xe7d3fbc8,
	0x21e1cde6,
	0xc33707d6,
	0xf4d50d87,
	0x455a14ed,
	0xa9e3e905,
	0xfcefa3f8,
	0x676f02d9,
	0x8d2a4c8a,
	0xfffa3942,
	0x8771f681,
	0x6d9d6122,
	0xfde5380c,
	0xa4beea44,
	0x4bdecfa9,
	0xf6bb4b60,
	0xbebfbc70,
	0x289b7ec6,
	0xeaa127fa,
	0xd4ef3085,
	0x04881d05,
	0xd9d4d039,
	0xe6db99e5,
	0x1fa27cf8,
	0xc4ac5665,
	0xf4292244,
	0x432aff97,
	0xab9423a7,
	0xfc93a039,
	0x655b59c3,
	0x8f0ccc92,
	0xffeff47d,
	0x85845dd1,
	0x6fa87e4f,
	0xfe2ce6e0,
	0xa3014314,
	0x4e0811a1,
	0xf7537e82,
	0xbd3af235,
	0x2ad7d2bb,
	0xeb86d391,
};

static const uint8_t md5_r[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17,
	22,							/* round 1 */
	5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, /* round 2 */
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16,
	23, /* round 3 */
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15,
	21, /* round 4 */
};

static uint32_t
rol(uint32_t x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

/* One 64-byte block (RFC 1321 §3.4); words are little-endian. */
static void
md5_block(uint32_t s[4], const uint8_t *p)
{
	uint32_t m[16], a = s[0], b = s[1], c = s[2], d = s[3];

	for (int i = 0; i < 16; i++)
		m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		    (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	for (unsigned int i = 0; i < 64; i++) {
		uint32_t f, t;
		unsigned int g;

		if (i < 16) {
			f = (b & c) | (~b & d);
			g = i;
		} else if (i < 32) {
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
		} else if (i < 48) {
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
		}
		t = d;
		d = c;
		c = b;
		b = b + rol(a + f + md5_t[i] + m[g], md5_r[i]);
		a = t;
	}
	s[0] += a;
	s[1] += b;
	s[2] += c;
	s[3] += d;
}

void
md5_init(struct md5_ctx *c)
{
	c->s[0] = 0x67452301;
	c->s[1] = 0xefcdab89;
	c->s[2] = 0x98badcfe;
	c->s[3] = 0x10325476;
	c->len = 0;
}

void
md5_update(struct md5_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t have = (size_t)(c->len % MD5_BLOCK);

	c->len += len;
	if (have > 0) {
		size_t take = MD5_BLOCK - have < len ? MD5_BLOCK - have : len;

		memcpy(c->buf + have, p, take);
		p += take;
		len -= take;
		if (have + take < MD5_BLOCK)
			return;
		md5_block(c->s, c->buf);
	}
	for (; len >= MD5_BLOCK; p += MD5_BLOCK, len -= MD5_BLOCK)
		md5_block(c->s, p);
	if (len > 0)
		memcpy(c->buf, p, len);
}

void
md5_final(struct md5_ctx *c, uint8_t out[MD5_LEN])
{
	/* RFC 1321 §3.1-3.2: a 1 bit, zeros to 56 mod 64, the bit length */
	static const uint8_t pad[MD5_BLOCK] = { 0x80 };
	uint64_t bits = c->len * 8;
	size_t have = (size_t)(c->len % MD5_BLOCK);
	uint8_t lenle[8];

	for (int i = 0; i < 8; i++)
		lenle[i] = (uint8_t)(bits >> (8 * i));
	md5_update(c, pad, have < 56 ? 56 - have : 120 - have);
	md5_update(c, lenle, sizeof(lenle));
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (uint8_t)(c->s[i] >> (8 * j));
	memset(c, 0, sizeof(*c));
}

/* RFC 2104 §2: K padded to a block (hashed first when longer). */
void
hmac_md5_init(struct hmac_md5_ctx *h, const void *key, size_t klen)
{
	uint8_t k[MD5_BLOCK] = { 0 }, ipad[MD5_BLOCK];

	if (klen > MD5_BLOCK) {
		struct md5_ctx c;

		md5_init(&c);
		md5_update(&c, key, klen);
		md5_final(&c, k);
	} else if (klen > 0) {
		memcpy(k, key, klen);
	}
	for (int i = 0; i < MD5_BLOCK; i++) {
		ipad[i] = k[i] ^ 0x36;
		h->opad[i] = k[i] ^ 0x5c;
	}
	md5_init(&h->inner);
	md5_update(&h->inner, ipad, sizeof(ipad));
	memset(k, 0, sizeof(k));
}

void
hmac_md5_update(struct hmac_md5_ctx *h, const void *data, size_t len)
{
	md5_update(&h->inner, data, len);
}

void
hmac_md5_final(struct hmac_md5_ctx *h, uint8_t out[MD5_LEN])
{
	struct md5_ctx outer;
	uint8_t ih[MD5_LEN];

	md5_final(&h->inner, ih);
	md5_init(&outer);
	md5_update(&outer, h->opad, sizeof(h->opad));
	md5_update(&outer, ih, sizeof(ih));
	md5_final(&outer, out);
	memset(h, 0, sizeof(*h));
}
