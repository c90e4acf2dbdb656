/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for auth_type AH (vrrp/ah). Input: one selector byte,
 * then an IPv4 datagram as a raw IPPROTO_AH socket returns it. Selector bit
 * 0 is zero_ttl (unicast); bits 1-7 pick the key among a few. What parses
 * must agree with verify (same outcome for the framing errors), its VRRP
 * message must lie inside the datagram, and once signed it must verify,
 * survive changes to the mutable fields and fail on a change to any other
 * byte; the sequence state must stay monotonic. Anything else abort()s.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/vrrp_ah.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = { "secret", "pw64", "abcdefgh", "" };

static void
check_signed(uint8_t *d, size_t len, size_t tlen, const uint8_t *key,
    bool zero_ttl, unsigned int pick)
{
	size_t off;

	if (vrrp_ah_sign(d, len, key, zero_ttl) != VRRP_AH_OK)
		abort();
	if (vrrp_ah_verify(d, len, key, zero_ttl) != VRRP_AH_OK &&
	    vrrp_ah_verify(d, len, key, zero_ttl) != VRRP_AH_BAD_SPI)
		abort();
	/* TOS, flags, offset and checksum are not covered. */
	d[1] ^= 0xff;
	d[7] ^= 0xff;
	d[10] ^= 0xff;
	if (vrrp_ah_verify(d, len, key, zero_ttl) == VRRP_AH_BAD_ICV)
		abort();
	/* Any byte past the fixed IPv4 fields is (options, AH, VRRP). */
	off = 20 + pick % (tlen - 20);
	d[off] ^= 0x40;
	if (vrrp_ah_verify(d, len, key, zero_ttl) == VRRP_AH_OK)
		abort();
}

static void
check_seq(const struct vrrp_ah_hdr *ah, const struct vrrp_pkt_meta *meta)
{
	static struct vrrp_ah_state st;
	uint32_t before = st.tx_seq, seq;
	uint16_t id;
	enum vrrp_ah_err err;

	err = vrrp_ah_seq_check(&st, &meta->src, ah->seq);
	if (err == VRRP_AH_OK &&
	    vrrp_ah_seq_check(&st, &meta->src, ah->seq) != VRRP_AH_REPLAY)
		abort();
	if (err == VRRP_AH_OK && st.tx_seq < ah->seq)
		abort();
	if (st.tx_seq < before)
		abort();
	vrrp_ah_next(&st, &meta->dst, &id, &seq);
	if (id == 0 || (seq <= before && before != UINT32_MAX))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t d[65536];
	uint8_t key[VRRP_AH_KEY_LEN];
	struct vrrp_pkt_meta meta;
	struct vrrp_ah_hdr ah;
	const uint8_t *payload;
	size_t len, plen, tlen;
	enum vrrp_ah_err err;
	bool zero_ttl;

	if (size < 1 || size - 1 > sizeof(d))
		return 0;
	zero_ttl = (data[0] & 1) != 0;
	vrrp_ah_key(keys[(data[0] >> 1) % 4], key);
	len = size - 1;
	memcpy(d, data + 1, len);
	err = vrrp_ah_parse(d, len, &meta, &ah, &payload, &plen);
	if (vrrp_ah_strerror(err) == NULL ||
	    vrrp_ah_counter(err) >= VRRP_CTR_MAX)
		abort();
	if (err != VRRP_AH_OK) {
		if (payload != NULL || plen != 0 ||
		    vrrp_ah_verify(d, len, key, zero_ttl) != err)
			abort();
		return 0;
	}
	tlen = (size_t)(d[2] << 8 | d[3]);
	if (payload < d + 20 + VRRP_AH_LEN || payload + plen != d + tlen ||
	    tlen > len || plen < VRRP_HDR_LEN)
		abort();
	if (ah.next_header != VRRP_IPPROTO || ah.payload_len != VRRP_AH_PLEN)
		abort();
	err = vrrp_ah_verify(d, len, key, zero_ttl);
	if (err != VRRP_AH_OK && err != VRRP_AH_BAD_ICV &&
	    err != VRRP_AH_BAD_SPI)
		abort();
	check_seq(&ah, &meta);
	check_signed(d, len, tlen, key, zero_ttl, data[0]);
	return 0;
}
