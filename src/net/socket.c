/* SPDX-License-Identifier: BSD-2-Clause */
/* Raw IP protocol 112 (and AH) sockets: open, send, receive. */

#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/net_socket.h"
#include "vrrpd/util.h"
#include "vrrpd/vrrp_packet.h"

/* RFC 2474 class selector 6 (DSCP 48), as keepalived sends adverts. */
#define VRRP_TOS 0xc0

/* Room for the control messages either family sends or receives. */
union cmsg_buf {
	char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
	    CMSG_SPACE(sizeof(int)) + 64];
	struct cmsghdr align;
};

union sockaddr_ip {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

static int
setint(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

static int
setup_ip4(int fd, unsigned int ifindex, const struct addr *group)
{
	struct ip_mreqn mreq;

	memset(&mreq, 0, sizeof(mreq));
	mreq.imr_ifindex = (int)ifindex;
	/*
	 * IP_FREEBIND as keepalived, although without bind() it changes
	 * nothing: a raw socket cannot send from an address the host lacks.
	 */
	if (setint(fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL) == -1 ||
	    setint(fd, IPPROTO_IP, IP_TTL, VRRP_TTL) == -1 ||
	    setint(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) == -1 ||
	    setint(fd, IPPROTO_IP, IP_PKTINFO, 1) == -1 ||
	    setint(fd, IPPROTO_IP, IP_FREEBIND, 1) == -1 ||
	    setint(fd, IPPROTO_IP, IP_TOS, VRRP_TOS) == -1)
		return -1;
	/*
	 * Only groups this socket joined, not every group joined on the host
	 * (Linux defaults to all): a unicast socket then sees no adverts sent
	 * to 224.0.0.18. keepalived does the same.
	 */
	if (setint(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0) == -1)
		return -1;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) ==
	    -1)
		return -1;
	if (group == NULL)
		return 0;
	mreq.imr_multiaddr = group->u.v4;
	return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
	    sizeof(mreq));
}

/*
 * IPV6_CHECKSUM stays off: the VRRP checksum is computed by the codec.
 * IPV6_MULTICAST_ALL would be pointless: raw IPv6 sockets that are not
 * bound to an address get every group joined on the interface, so a
 * socket without a group still sees ff02::12 (the caller checks meta.dst).
 */
static int
setup_ip6(int fd, unsigned int ifindex, const struct addr *group)
{
	struct ipv6_mreq mreq;

	if (setint(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL) == -1 ||
	    setint(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL) == -1 ||
	    setint(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) == -1 ||
	    setint(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, (int)ifindex) == -1 ||
	    setint(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) == -1 ||
	    setint(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) == -1 ||
	    setint(fd, IPPROTO_IPV6, IPV6_TCLASS, VRRP_TOS) == -1)
		return -1;
	if (group == NULL)
		return 0;
	memset(&mreq, 0, sizeof(mreq));
	mreq.ipv6mr_multiaddr = group->u.v6;
	mreq.ipv6mr_interface = ifindex;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq,
	    sizeof(mreq));
}

int
net_sock_open(struct net_sock *s, sa_family_t af, const char *ifname,
    const struct addr *group)
{
	return net_sock_open_proto(s, af, ifname, group, VRRP_IPPROTO);
}

int
net_sock_open_proto(struct net_sock *s, sa_family_t af, const char *ifname,
    const struct addr *group, int proto)
{
	size_t namelen = strlen(ifname);
	int fd, rc, saved;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->group.af = AF_UNSPEC;
	if (group != NULL && group->af == AF_UNSPEC)
		group = NULL;
	if ((af != AF_INET && af != AF_INET6) ||
	    (group != NULL && group->af != af)) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	/* RFC 2338 §5.3.6.3: AH for VRRPv2, which is IPv4 only. */
	if (proto != VRRP_IPPROTO && (proto != IPPROTO_AH || af != AF_INET)) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (namelen == 0 || namelen >= sizeof(s->ifname)) {
		errno = ENODEV;
		return -1;
	}
	if ((s->ifindex = if_nametoindex(ifname)) == 0)
		return -1;
	fd = socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		(socklen_t)namelen) == -1)
		goto fail;
	/* The ICV covers the header: it is built by vrrp_ah_encode(). */
	if (proto == IPPROTO_AH && setint(fd, IPPROTO_IP, IP_HDRINCL, 1) == -1)
		goto fail;
	rc = af == AF_INET ? setup_ip4(fd, s->ifindex, group) :
			     setup_ip6(fd, s->ifindex, group);
	if (rc == -1)
		goto fail;
	s->fd = fd;
	s->af = af;
	s->proto = proto;
	memcpy(s->ifname, ifname, namelen + 1);
	if (group != NULL)
		s->group = *group;
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* Attach the classic BPF program f[0..n) to fd. */
static int
attach(int fd, const struct sock_filter *f, size_t n)
{
	struct sock_fprog prog = { .len = (unsigned short)n,
		.filter = (struct sock_filter *)(uintptr_t)f };

	if (n == 0 || n > BPF_MAXINSNS) {
		errno = EINVAL;
		return -1;
	}
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

int
net_sock_set_filter(struct net_sock *s, const struct sock_filter *f, size_t n)
{
	if (f == NULL) {
		(void)setsockopt(s->fd, SOL_SOCKET, SO_DETACH_FILTER, NULL, 0);
		return 0;
	}
	return attach(s->fd, f, n);
}

int
net_sock_set_rcvbuf(struct net_sock *s, size_t bytes)
{
	int v = bytes > INT_MAX / 2 ? INT_MAX / 2 : (int)bytes;

	if (setint(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, v) == 0)
		return 0;
	return setint(s->fd, SOL_SOCKET, SO_RCVBUF, v);
}

int
net_pkt_counter_set(struct net_pkt_counter *c, const struct sock_filter *f,
    size_t n)
{
	return attach(c->fd, f, n);
}

int
net_pkt_counter_open(struct net_pkt_counter *c, unsigned int ifindex,
    sa_family_t af, const struct sock_filter *f, size_t n)
{
	uint16_t proto = htons(af == AF_INET ? ETH_P_IP : ETH_P_IPV6);
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
		.sll_protocol = proto,
		.sll_ifindex = (int)ifindex };
	int saved;

	/* protocol 0: nothing arrives before the program is in place */
	c->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd == -1)
		return -1;
	if (net_pkt_counter_set(c, f, n) == 0 &&
	    setint(c->fd, SOL_SOCKET, SO_RCVBUF, 1) == 0 &&
	    bind(c->fd, (struct sockaddr *)&sll, sizeof(sll)) == 0) {
		net_pkt_counter_take(c); /* from zero */
		return 0;
	}
	saved = errno;
	net_pkt_counter_close(c);
	errno = saved;
	return -1;
}

uint64_t
net_pkt_counter_take(struct net_pkt_counter *c)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (c->fd < 0 ||
	    getsockopt(c->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0)
		return 0;
	return st.tp_packets; /* the drops are in it */
}

void
net_pkt_counter_close(struct net_pkt_counter *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void
net_sock_close(struct net_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* Append one control message; the caller sized msg_control for it. */
static void
cmsg_add(struct msghdr *mh, int level, int type, const void *data, size_t len)
{
	struct cmsghdr *c;

	c = (struct cmsghdr *)((char *)mh->msg_control + mh->msg_controllen);
	memset(c, 0, CMSG_SPACE(len));
	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), data, len);
	mh->msg_controllen += CMSG_SPACE(len);
}

/*
 * The TTL travels as a control message (Linux 4.6 and later) rather than
 * through IP_TTL / IP_MULTICAST_TTL, so one socket serves multicast and
 * unicast peers with different TTLs without extra system calls.
 */
static socklen_t
prepare_ip4(struct net_sock *s, const struct addr *src, const struct addr *dst,
    int ttl, struct msghdr *mh, union sockaddr_ip *to)
{
	struct in_pktinfo pi;

	memset(&pi, 0, sizeof(pi));
	pi.ipi_ifindex = (int)s->ifindex;
	if (src != NULL && src->af == AF_INET)
		pi.ipi_spec_dst = src->u.v4;
	cmsg_add(mh, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	/* With IP_HDRINCL the TTL is the header's. */
	if (s->proto != IPPROTO_AH)
		cmsg_add(mh, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	to->v4.sin_family = AF_INET;
	to->v4.sin_addr = dst->u.v4;
	return sizeof(to->v4);
}

static socklen_t
prepare_ip6(struct net_sock *s, const struct addr *src, const struct addr *dst,
    int ttl, struct msghdr *mh, union sockaddr_ip *to)
{
	struct in6_pktinfo pi;

	memset(&pi, 0, sizeof(pi));
	pi.ipi6_ifindex = s->ifindex;
	if (src != NULL && src->af == AF_INET6)
		pi.ipi6_addr = src->u.v6;
	cmsg_add(mh, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
	cmsg_add(mh, IPPROTO_IPV6, IPV6_HOPLIMIT, &ttl, sizeof(ttl));
	to->v6.sin6_family = AF_INET6;
	to->v6.sin6_addr = dst->u.v6;
	/* RFC 4007 §6: link-local peers and groups need the zone. */
	if (IN6_IS_ADDR_LINKLOCAL(&dst->u.v6) ||
	    IN6_IS_ADDR_MULTICAST(&dst->u.v6))
		to->v6.sin6_scope_id = s->ifindex;
	return sizeof(to->v6);
}

int
net_sock_send(struct net_sock *s, const struct addr *src,
    const struct addr *dst, uint8_t ttl, const uint8_t *msg, size_t len)
{
	union cmsg_buf ctl;
	union sockaddr_ip to;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	if (dst->af != s->af ||
	    (src != NULL && src->af != AF_UNSPEC && src->af != s->af)) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	memset(&to, 0, sizeof(to));
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = (void *)(uintptr_t)msg;
	iov.iov_len = len;
	mh.msg_name = &to.sa;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	if (s->af == AF_INET)
		mh.msg_namelen = prepare_ip4(s, src, dst, ttl, &mh, &to);
	else
		mh.msg_namelen = prepare_ip6(s, src, dst, ttl, &mh, &to);
	if ((n = sendmsg(s->fd, &mh, 0)) == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

int
net_sock_send_many(struct net_sock *s, const struct net_tx_msg *m, size_t n)
{
	union cmsg_buf ctl[NET_SOCK_SEND_MAX];
	union sockaddr_ip to[NET_SOCK_SEND_MAX];
	struct iovec iov[NET_SOCK_SEND_MAX];
	struct mmsghdr mm[NET_SOCK_SEND_MAX];
	int rc;

	if (n > NET_SOCK_SEND_MAX)
		n = NET_SOCK_SEND_MAX;
	memset(mm, 0, n * sizeof(mm[0]));
	for (size_t i = 0; i < n; i++) {
		struct msghdr *mh = &mm[i].msg_hdr;

		if (m[i].dst->af != s->af) {
			n = i; /* the caller's bug: send what came before */
			break;
		}
		memset(&to[i], 0, sizeof(to[i]));
		iov[i].iov_base = (void *)(uintptr_t)m[i].msg;
		iov[i].iov_len = m[i].len;
		mh->msg_name = &to[i].sa;
		mh->msg_iov = &iov[i];
		mh->msg_iovlen = 1;
		mh->msg_control = ctl[i].buf;
		mh->msg_namelen = s->af == AF_INET ?
		    prepare_ip4(s, m[i].src, m[i].dst, m[i].ttl, mh, &to[i]) :
		    prepare_ip6(s, m[i].src, m[i].dst, m[i].ttl, mh, &to[i]);
	}
	if (n == 0)
		return 0;
	rc = sendmmsg(s->fd, mm, (unsigned int)n, 0);
	if (rc < 0)
		return -1;
	return rc;
}

int
net_sock_send_dgram(struct net_sock *s, const struct addr *dst,
    const uint8_t *dgram, size_t len)
{
	struct addr src = { .af = AF_INET };

	if (s->proto != IPPROTO_AH) {
		errno = EPROTOTYPE;
		return -1;
	}
	if (len < 20) {
		errno = EINVAL;
		return -1;
	}
	/* IP_PKTINFO routes out of the interface from the header's source. */
	memcpy(&src.u.v4, dgram + 12, sizeof(src.u.v4));
	return net_sock_send(s, &src, dst, 0, dgram, len);
}

/* The interface a datagram came in on (IP_PKTINFO), 0 if not known. */
static unsigned int
pktinfo_ifindex(struct msghdr *mh)
{
	struct cmsghdr *c;
	struct in_pktinfo pi;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(pi))) {
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			return (unsigned int)pi.ipi_ifindex;
		}
	return 0;
}

/* AH: the datagram stays whole, the ICV covers its header. */
static ssize_t
recv_ah(size_t n, struct msghdr *mh, struct vrrp_pkt_meta *meta,
    enum vrrp_pkt_err *err)
{
	meta->ifindex = pktinfo_ifindex(mh);
	if (n == 0 || (mh->msg_flags & MSG_TRUNC)) {
		*err = VRRP_PKT_TRUNCATED;
		return 0;
	}
	return (ssize_t)n;
}

static ssize_t
recv_ip4(uint8_t *buf, size_t n, struct msghdr *mh, struct vrrp_pkt_meta *meta,
    enum vrrp_pkt_err *err)
{
	const uint8_t *payload;
	size_t plen;

	/* A raw IPv4 socket hands over the IP header with the payload. */
	*err = vrrp_pkt_parse_ip4(buf, n, meta, &payload, &plen);
	if (*err != VRRP_PKT_OK)
		return 0;
	meta->ifindex = pktinfo_ifindex(mh);
	if (plen == 0) {
		*err = VRRP_PKT_TRUNCATED;
		return 0;
	}
	memmove(buf, payload, plen);
	return (ssize_t)plen;
}

static ssize_t
recv_ip6(size_t n, const struct sockaddr_in6 *from, struct msghdr *mh,
    struct vrrp_pkt_meta *meta, enum vrrp_pkt_err *err)
{
	struct cmsghdr *c;
	struct in6_pktinfo pi;
	int hlim = -1;

	meta->src.af = AF_INET6;
	meta->src.u.v6 = from->sin6_addr;
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(pi))) {
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			meta->dst.af = AF_INET6;
			meta->dst.u.v6 = pi.ipi6_addr;
			meta->ifindex = pi.ipi6_ifindex;
		} else if (c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len >= CMSG_LEN(sizeof(hlim)))
			memcpy(&hlim, CMSG_DATA(c), sizeof(hlim));
	}
	/* Without both control messages the datagram cannot be judged. */
	if (mh->msg_namelen < sizeof(*from) || from->sin6_family != AF_INET6 ||
	    meta->dst.af != AF_INET6 || hlim < 0 || hlim > 255) {
		*err = VRRP_PKT_BAD_PROTO;
		return 0;
	}
	meta->ttl = (uint8_t)hlim;
	/* A cut datagram would fail its checksum; say why instead. */
	if (n == 0 || (mh->msg_flags & MSG_TRUNC)) {
		*err = VRRP_PKT_TRUNCATED;
		return 0;
	}
	return (ssize_t)n;
}

/* One received datagram's message, buffers and meta (recv_one()). */
static void
rx_prepare(uint8_t *buf, size_t size, struct iovec *iov, struct msghdr *mh,
    union sockaddr_ip *from, union cmsg_buf *ctl)
{
	memset(from, 0, sizeof(*from));
	memset(mh, 0, sizeof(*mh));
	iov->iov_base = buf;
	iov->iov_len = size;
	mh->msg_name = &from->sa;
	mh->msg_namelen = sizeof(*from);
	mh->msg_iov = iov;
	mh->msg_iovlen = 1;
	mh->msg_control = ctl->buf;
	mh->msg_controllen = sizeof(ctl->buf);
}

static ssize_t
rx_parse(struct net_sock *s, uint8_t *buf, size_t n, struct msghdr *mh,
    union sockaddr_ip *from, struct vrrp_pkt_meta *meta, enum vrrp_pkt_err *err)
{
	memset(meta, 0, sizeof(*meta));
	*err = VRRP_PKT_OK;
	if (s->proto == IPPROTO_AH)
		return recv_ah(n, mh, meta, err);
	/* IPv4: a cut datagram is shorter than its Total Length. */
	if (s->af == AF_INET)
		return recv_ip4(buf, n, mh, meta, err);
	return recv_ip6(n, &from->v6, mh, meta, err);
}

int
net_sock_recv_many(struct net_sock *s, struct net_rx *rx, size_t n)
{
	union cmsg_buf ctl[NET_SOCK_RECV_MAX];
	union sockaddr_ip from[NET_SOCK_RECV_MAX];
	struct iovec iov[NET_SOCK_RECV_MAX];
	struct mmsghdr mm[NET_SOCK_RECV_MAX];
	int got;

	if (n > NET_SOCK_RECV_MAX)
		n = NET_SOCK_RECV_MAX;
	memset(mm, 0, n * sizeof(mm[0]));
	for (size_t i = 0; i < n; i++)
		rx_prepare(rx[i].buf, rx[i].size, &iov[i], &mm[i].msg_hdr,
		    &from[i], &ctl[i]);
	if ((got = recvmmsg(s->fd, mm, (unsigned int)n, MSG_DONTWAIT, NULL)) <=
	    0)
		return got == 0 ? (errno = EAGAIN, -1) : -1;
	for (int i = 0; i < got; i++)
		rx[i].len = rx_parse(s, rx[i].buf, mm[i].msg_len,
		    &mm[i].msg_hdr, &from[i], &rx[i].meta, &rx[i].err);
	return got;
}

ssize_t
net_sock_recv(struct net_sock *s, uint8_t *buf, size_t size,
    struct vrrp_pkt_meta *meta, enum vrrp_pkt_err *err)
{
	union cmsg_buf ctl;
	union sockaddr_ip from;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	memset(meta, 0, sizeof(*meta));
	*err = VRRP_PKT_OK;
	rx_prepare(buf, size, &iov, &mh, &from, &ctl);
	if ((n = recvmsg(s->fd, &mh, 0)) == -1)
		return -1;
	return rx_parse(s, buf, (size_t)n, &mh, &from, meta, err);
}
