/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Classic BPF programs for the VRRP sockets (include/vrrpd/net_bpf.h).
 * Every jump is short and forward: a failed test falls into the next
 * instruction, a "ret" of its own, so no jump ever spans more than three
 * instructions however many VRIDs there are (jump offsets are 8 bits).
 * Pure.
 */

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>

#include "vrrpd/net_bpf.h"
#include "vrrpd/vrrp_packet.h"

#define RET_ALL	 0xffffffffu /* the whole packet */
#define RET_NONE 0u

#define ETH_HLEN_ 14
#define IP6_HLEN  40
#define AH_MIN	  12 /* next header, length, reserved, SPI, sequence */

struct em {
	struct sock_filter *p;
	size_t n, max;
};

static void
op(struct em *e, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (e->n < e->max)
		e->p[e->n] = (struct sock_filter) { code, jt, jf, k };
	e->n++;
}

/* "A == k, else return r" */
static void
need_eq(struct em *e, uint32_t k, uint32_t r)
{
	op(e, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, k);
	op(e, BPF_RET | BPF_K, 0, 0, r);
}

/* Where the program finds things. */
struct layout {
	sa_family_t af;
	uint32_t ttl;	  /* absolute offset of the TTL / hop limit */
	uint32_t net;	  /* IPv4: the IP header (X = its length) */
	uint32_t vrrp;	  /* IPv6: the VRRP header, absolute */
	uint32_t ok, bad; /* what a valid and an invalid packet return */
};

/* A = byte `field` of the VRRP message (of the AH header for AH). */
static void
ld_msg(struct em *e, const struct layout *l, uint32_t field)
{
	if (l->af == AF_INET)
		op(e, BPF_LD | BPF_B | BPF_IND, 0, 0, l->net + field);
	else
		op(e, BPF_LD | BPF_B | BPF_ABS, 0, 0, l->vrrp + field);
}

/* The VRIDs as ranges: three instructions each, then "bad". */
static void
vrid_ranges(struct em *e, const struct net_bpf_spec *s, const struct layout *l)
{
	unsigned int v = 1, hi;

	while (v <= 255) {
		if (!net_bpf_vrid_isset(s, (uint8_t)v)) {
			v++;
			continue;
		}
		for (hi = v;
		     hi < 255 && net_bpf_vrid_isset(s, (uint8_t)(hi + 1)); hi++)
			;
		op(e, BPF_JMP | BPF_JGE | BPF_K, 0, 2, v);
		op(e, BPF_JMP | BPF_JGT | BPF_K, 1, 0, hi);
		op(e, BPF_RET | BPF_K, 0, 0, l->ok);
		v = hi + 1;
	}
	op(e, BPF_RET | BPF_K, 0, 0, l->bad);
}

static void
body(struct em *e, const struct net_bpf_spec *s, const struct layout *l)
{
	uint32_t min =
	    s->proto == VRRP_IPPROTO ? VRRP_HDR_LEN : AH_MIN + VRRP_HDR_LEN;
	unsigned int nver = 0, i = 0;

	if (s->ttl255) {
		op(e, BPF_LD | BPF_B | BPF_ABS, 0, 0, l->ttl);
		need_eq(e, VRRP_TTL, l->bad);
	}
	/* at least a whole header after the IP header */
	op(e, BPF_LD | BPF_W | BPF_LEN, 0, 0, 0);
	if (l->af == AF_INET) {
		op(e, BPF_LDX | BPF_B | BPF_MSH, 0, 0, l->net);
		op(e, BPF_ALU | BPF_SUB | BPF_X, 0, 0, 0);
		op(e, BPF_ALU | BPF_SUB | BPF_K, 0, 0, l->net);
	} else {
		op(e, BPF_ALU | BPF_SUB | BPF_K, 0, 0, l->vrrp);
	}
	op(e, BPF_JMP | BPF_JGE | BPF_K, 1, 0, min);
	op(e, BPF_RET | BPF_K, 0, 0, l->bad);
	if (s->proto != VRRP_IPPROTO) {
		/* AH: it carries VRRP (keepalived ignores other AH) */
		ld_msg(e, l, 0);
		need_eq(e, VRRP_IPPROTO, l->bad);
		op(e, BPF_RET | BPF_K, 0, 0, l->ok);
		return;
	}
	/* version and type (advertisement), then the VRID */
	ld_msg(e, l, 0);
	for (unsigned int v = 2; v <= 3; v++)
		nver += (s->versions >> v) & 1;
	for (unsigned int v = 2; v <= 3; v++) {
		if (((s->versions >> v) & 1) == 0)
			continue;
		/* past the other test and the "ret bad" below */
		op(e, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)(nver - i), 0,
		    (v << 4) | VRRP_TYPE_ADVERT);
		i++;
	}
	op(e, BPF_RET | BPF_K, 0, 0, l->bad);
	ld_msg(e, l, 1);
	vrid_ranges(e, s, l);
}

static int
done(const struct em *e)
{
	return e->n <= e->max ? (int)e->n : -1;
}

int
net_bpf_build(const struct net_bpf_spec *spec, struct sock_filter *out,
    size_t max)
{
	struct em e = { out, 0, max };
	struct layout l = { .af = spec->af, .ok = RET_ALL, .bad = RET_NONE };

	if (spec->af == AF_INET) {
		l.ttl = 8;
		l.net = 0;
	} else {
		l.ttl = (uint32_t)SKF_NET_OFF + 7;
		l.vrrp = 0;
	}
	body(&e, spec, &l);
	return done(&e);
}

int
net_bpf_build_counter(const struct net_bpf_spec *spec, struct sock_filter *out,
    size_t max)
{
	struct em e = { out, 0, max };
	struct layout l = { .af = spec->af, .ok = RET_NONE, .bad = RET_ALL };
	uint32_t w;

	op(&e, BPF_LD | BPF_H | BPF_ABS, 0, 0, 12);
	need_eq(&e, spec->af == AF_INET ? ETH_P_IP : ETH_P_IPV6, RET_NONE);
	if (spec->af == AF_INET) {
		op(&e, BPF_LD | BPF_B | BPF_ABS, 0, 0, ETH_HLEN_ + 9);
		need_eq(&e, (uint32_t)spec->proto, RET_NONE);
		l.ttl = ETH_HLEN_ + 8;
		l.net = ETH_HLEN_;
	} else {
		op(&e, BPF_LD | BPF_B | BPF_ABS, 0, 0, ETH_HLEN_ + 6);
		need_eq(&e, (uint32_t)spec->proto, RET_NONE);
		l.ttl = ETH_HLEN_ + 7;
		l.vrrp = ETH_HLEN_ + IP6_HLEN;
	}
	if (spec->group.af == AF_INET) {
		memcpy(&w, &spec->group.u.v4, 4);
		op(&e, BPF_LD | BPF_W | BPF_ABS, 0, 0, ETH_HLEN_ + 16);
		need_eq(&e, ntohl(w), RET_NONE);
	} else if (spec->group.af == AF_INET6) {
		for (unsigned int i = 0; i < 4; i++) {
			memcpy(&w, &spec->group.u.v6.s6_addr[4 * i], 4);
			op(&e, BPF_LD | BPF_W | BPF_ABS, 0, 0,
			    ETH_HLEN_ + 24 + 4 * i);
			need_eq(&e, ntohl(w), RET_NONE);
		}
	} else {
		op(&e, BPF_LD | BPF_B | BPF_ABS, 0, 0,
		    (uint32_t)SKF_AD_OFF + SKF_AD_PKTTYPE);
		need_eq(&e, PACKET_HOST, RET_NONE);
	}
	body(&e, spec, &l);
	return done(&e);
}
