/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Raw IP protocol 112 sockets (and 51 for auth_type AH): one per
 * (interface, family, protocol), shared by every instance there (the
 * caller demultiplexes by VRID). Multicast join of
 * 224.0.0.18 / ff02::12, TTL / Hop Limit 255 on send, multicast loopback
 * off, and on receive the TTL / hop limit, destination and interface from
 * control messages. Non-blocking; no allocation per packet.
 */

#ifndef VRRPD_NET_SOCKET_H
#define VRRPD_NET_SOCKET_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vrrpd/util.h"
#include "vrrpd/vrrp_packet.h"

/* An open VRRP socket; fd is for the caller's event loop (ev_io). */
struct net_sock {
	int fd;
	sa_family_t af;
	int proto; /* IPPROTO_VRRP (112), or IPPROTO_AH (51): IPv4 only */
	unsigned int ifindex;
	char ifname[16];
	struct addr group; /* joined multicast group, AF_UNSPEC if none */
};

/*
 * Open a raw VRRP socket of family af on interface ifname, bound to it
 * (SO_BINDTODEVICE) and, when group is not NULL, joined to that multicast
 * group on it. Returns 0, or -1 with errno set. Needs CAP_NET_RAW.
 */
int net_sock_open(struct net_sock *s, sa_family_t af, const char *ifname,
    const struct addr *group);

/*
 * The same for IP protocol proto: 112 (net_sock_open()) or, IPv4 only, 51
 * (auth_type AH, RFC 2338 §5.3.6.3). An AH socket has IP_HDRINCL: vrrpd
 * builds the IPv4 header, which the ICV covers (vrrp_ah_encode()), and
 * sends it with net_sock_send_dgram(); net_sock_recv() hands over whole
 * datagrams. EPROTONOSUPPORT for another protocol or AH over IPv6.
 */
int net_sock_open_proto(struct net_sock *s, sa_family_t af, const char *ifname,
    const struct addr *group, int proto);

void net_sock_close(struct net_sock *s);
/*
 * Attach (replace) the socket's classic BPF filter, n instructions
 * (net_bpf_build()), or with f NULL remove it. Returns 0, or -1 with
 * errno (EINVAL: the kernel refused the program).
 */
int net_sock_set_filter(struct net_sock *s, const struct sock_filter *f,
    size_t n);

/*
 * Size the socket's receive buffer to bytes (SO_RCVBUFFORCE: past
 * rmem_max, as root; else SO_RCVBUF, capped by the kernel). Returns 0, or
 * -1 with errno.
 */
int net_sock_set_rcvbuf(struct net_sock *s, size_t bytes);

/*
 * A counter of the packets a filter selects on an interface, at the cost
 * of the filter alone: an AF_PACKET socket with net_bpf_build_counter()'s
 * program and the smallest receive buffer, never read; the kernel counts
 * every packet it selects, queued or dropped.
 */
struct net_pkt_counter {
	int fd; /* -1: none */
};
/* Open on ifindex for family af (ETH_P_IP or ETH_P_IPV6 frames). */
int net_pkt_counter_open(struct net_pkt_counter *c, unsigned int ifindex,
    sa_family_t af, const struct sock_filter *f, size_t n);
/* Replace its program. Returns 0, or -1 with errno. */
int net_pkt_counter_set(struct net_pkt_counter *c, const struct sock_filter *f,
    size_t n);
/* The packets selected since the last read (the kernel resets it). */
uint64_t net_pkt_counter_take(struct net_pkt_counter *c);
void net_pkt_counter_close(struct net_pkt_counter *c);

/*
 * Send the VRRP message msg[0..len) from src to dst (a group or a unicast
 * peer) with TTL / Hop Limit ttl (255 for VRRP; unicast_ttl may differ).
 * src must be an address of the interface (IPv6: its link-local address);
 * NULL lets the kernel choose. While src is not configured, sending fails:
 * ENETUNREACH (IPv4; IP_FREEBIND does not lift this for sendmsg) or EINVAL
 * (IPv6, also while src is tentative). Returns 0, or -1 with errno set
 * (EAGAIN when the socket buffer is full).
 */
int net_sock_send(struct net_sock *s, const struct addr *src,
    const struct addr *dst, uint8_t ttl, const uint8_t *msg, size_t len);

/* One message of net_sock_send_many(). */
struct net_tx_msg {
	const struct addr *src;
	const struct addr *dst;
	uint8_t ttl;
	const uint8_t *msg;
	size_t len;
};
#define NET_SOCK_SEND_MAX 64
/*
 * Send m[0..n) as net_sock_send() each, in one sendmmsg() (at most
 * NET_SOCK_SEND_MAX). Returns how many left, in order (fewer than n: the
 * next one failed, the caller may send it alone for its errno), or -1
 * with errno when the first one failed.
 */
int net_sock_send_many(struct net_sock *s, const struct net_tx_msg *m,
    size_t n);
/*
 * Send the whole IPv4 datagram dgram[0..len) (header included: source,
 * TTL, TOS and a non-zero Identification are the caller's) to dst on an
 * AH socket, out of its interface. The kernel fills in the header checksum
 * only. Errors as net_sock_send(); EPROTOTYPE on a protocol 112 socket.
 */
int net_sock_send_dgram(struct net_sock *s, const struct addr *dst,
    const uint8_t *dgram, size_t len);

/*
 * Receive one datagram: the VRRP message is copied into buf (size bytes;
 * VRRP_PKT_MAX_LEN + IPv4 header room is enough) and *meta is filled from
 * the IPv4 header or the IPv6 control messages. Returns the message
 * length, 0 for a datagram that is not a usable VRRP message (truncated
 * IPv4 header, wrong protocol: *err says which), or -1 with errno set
 * (EAGAIN: nothing pending). On an AH socket the whole IPv4 datagram is
 * returned as received, header included, and only meta->ifindex is filled
 * (vrrp_ah_parse() reads the rest); 0 with VRRP_PKT_TRUNCATED when it did
 * not fit in buf.
 */
ssize_t net_sock_recv(struct net_sock *s, uint8_t *buf, size_t size,
    struct vrrp_pkt_meta *meta, enum vrrp_pkt_err *err);

/* One datagram of net_sock_recv_many(): buf and size in, the rest out. */
struct net_rx {
	uint8_t *buf;
	size_t size;
	ssize_t len; /* as net_sock_recv() returns it, never -1 */
	struct vrrp_pkt_meta meta;
	enum vrrp_pkt_err err;
};
#define NET_SOCK_RECV_MAX 32
/*
 * Receive up to n (at most NET_SOCK_RECV_MAX) datagrams with one
 * recvmmsg(), each as net_sock_recv() would. Returns how many (1..n), or
 * -1 with errno (EAGAIN: nothing pending).
 */
int net_sock_recv_many(struct net_sock *s, struct net_rx *rx, size_t n);

#endif /* VRRPD_NET_SOCKET_H */
