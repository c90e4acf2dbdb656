/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-kernel filtering of VRRP sockets (issue #14): classic BPF programs
 * that drop, before any wake-up or copy, what can never be a valid advert
 * for the socket (TTL / hop limit other than 255 on a multicast socket,
 * another version or type, a VRID not configured there, too short), and
 * their complement on a packet socket that only counts what the first one
 * dropped (the kernel counts no filter drops on the raw socket itself).
 * The builders are pure; net/socket.c attaches the programs.
 */

#ifndef VRRPD_NET_BPF_H
#define VRRPD_NET_BPF_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vrrpd/util.h"

/* Room enough for any program built here (128 VRID ranges at most). */
#define NET_BPF_MAX 480

/* What a socket may receive. */
struct net_bpf_spec {
	sa_family_t af;
	int proto;	   /* 112, or 51 (AH: only the TTL, the length, and
			   * that the AH carries VRRP) */
	bool ttl255;	   /* a multicast socket: TTL / hop limit 255 only */
	uint8_t versions;  /* bit v: VRRP version v (2, 3) */
	uint8_t vrids[32]; /* bit n: VRID n */
	struct addr group; /* counter: the group, AF_UNSPEC: unicast */
};

static inline void
net_bpf_vrid_set(struct net_bpf_spec *s, uint8_t vrid)
{
	s->vrids[vrid / 8] |= (uint8_t)(1u << (vrid % 8));
}

static inline bool
net_bpf_vrid_isset(const struct net_bpf_spec *s, uint8_t vrid)
{
	return (s->vrids[vrid / 8] >> (vrid % 8)) & 1;
}

/*
 * The raw socket's filter: packets as the kernel hands them to a raw
 * socket (IPv4: from the IP header; IPv6: from the VRRP header, the
 * hop limit read at SKF_NET_OFF). Accepts whole packets, drops the rest.
 * Returns the number of instructions written to out[max], or -1 when max
 * is too small.
 */
int net_bpf_build(const struct net_bpf_spec *spec, struct sock_filter *out,
    size_t max);

/*
 * The counting filter for an AF_PACKET (SOCK_RAW) socket on the same
 * interface, frames from the Ethernet header: accepts (to be counted) the
 * VRRP packets (IPv4 without options aside, IPv6 without extension
 * headers) of spec's protocol, for the group or, unicast, for this host,
 * that net_bpf_build() drops; drops everything else. Same returns.
 */
int net_bpf_build_counter(const struct net_bpf_spec *spec,
    struct sock_filter *out, size_t max);

#endif /* VRRPD_NET_BPF_H */
