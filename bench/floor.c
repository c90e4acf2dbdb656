/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The floor of the scale benchmark (bench/scale): the least a sender can
 * do to advertise K VRIDs every interval. K VRRPv3 IPv4 adverts (VRIDs
 * 1..K, priority PRIO, one address each: VIPBASE + VRID - 1, the
 * checksum over the IPv4 pseudo-header) are built once; then, on
 * absolute deadlines INTERVAL_MS apart, one sendmmsg on one raw socket
 * sends them all to 224.0.0.18 with TTL 255. Runs SECONDS and prints
 * "sent N late_max_us L" (L: the latest wake-up behind its deadline).
 *
 *   floor IFACE SRC VIPBASE K INTERVAL_MS SECONDS [PRIO]
 *
 * With -r it is the receiving floor, in the backup's place: one raw
 * socket joined to 224.0.0.18 on IFACE, woken by poll() and drained with
 * recvmmsg, the packets counted and thrown away, for SECONDS; prints
 * "received N wakeups W". Its kernel path (delivery to the socket and the
 * wake-up) runs in the sender's context on a shared machine, as a
 * backup's does.
 *
 *   floor -r IFACE SECONDS
 */

#include <sys/socket.h>

#include <net/if.h>
#include <poll.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXK	1024
#define ADV_LEN 12 /* header 8 + one IPv4 address */

static long
num(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "floor: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

static uint16_t
csum(const unsigned char *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
build(unsigned char *a, int vrid, int prio, int ivl_cs, struct in_addr src,
    struct in_addr dst, uint32_t vip)
{
	const unsigned char *s = (const unsigned char *)&src.s_addr;
	const unsigned char *d = (const unsigned char *)&dst.s_addr;
	uint32_t ps = 0;
	uint16_t c;

	a[0] = 0x31; /* version 3, advertisement */
	a[1] = (unsigned char)vrid;
	a[2] = (unsigned char)prio;
	a[3] = 1;
	a[4] = (unsigned char)((ivl_cs >> 8) & 0x0f);
	a[5] = (unsigned char)ivl_cs;
	a[6] = a[7] = 0;
	vip = htonl(vip);
	memcpy(a + 8, &vip, 4);
	/* RFC 5798 §5.2.8: the IPv4 pseudo-header */
	ps += (uint32_t)(s[0] << 8 | s[1]) + (uint32_t)(s[2] << 8 | s[3]);
	ps += (uint32_t)(d[0] << 8 | d[1]) + (uint32_t)(d[2] << 8 | d[3]);
	ps += 112 + ADV_LEN;
	c = csum(a, ADV_LEN, ps);
	a[6] = (unsigned char)(c >> 8);
	a[7] = (unsigned char)c;
}

static void
add_ns(struct timespec *t, long ns)
{
	t->tv_nsec += ns;
	while (t->tv_nsec >= 1000000000) {
		t->tv_nsec -= 1000000000;
		t->tv_sec++;
	}
}

/* The receiving floor: -r IFACE SECONDS. */
static int
receiver(const char *ifname, long secs)
{
	static unsigned char buf[256][128];
	static struct iovec iov[256];
	static struct mmsghdr mm[256];
	struct ip_mreqn mr = { .imr_ifindex = (int)if_nametoindex(ifname) };
	struct timespec now, end;
	long got = 0, wakeups = 0;
	int fd = socket(AF_INET, SOCK_RAW, 112);

	inet_pton(AF_INET, "224.0.0.18", &mr.imr_multiaddr);
	if (fd == -1 || mr.imr_ifindex == 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		(socklen_t)strlen(ifname)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) ==
		-1) {
		perror("floor -r: socket");
		return 1;
	}
	{
		int rcvbuf = 1 << 20; /* as vrrpd sizes it for K instances */

		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		    sizeof(rcvbuf));
	}
	for (int i = 0; i < 256; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += secs;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec ||
		    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			break;
		if (poll(&p, 1, 100) <= 0)
			continue;
		wakeups++;
		while ((n = recvmmsg(fd, mm, 256, MSG_DONTWAIT, NULL)) > 0)
			got += n;
	}
	printf("received %ld wakeups %ld\n", got, wakeups);
	return 0;
}

int
main(int argc, char **argv)
{
	static unsigned char adv[MAXK][ADV_LEN];
	static struct iovec iov[MAXK];
	static struct mmsghdr mm[MAXK];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct in_addr src, vipbase;
	struct timespec next, now, end;
	long k, ivl_ms, secs, prio = 150, sent = 0, late_max = 0;
	int fd, ttl = 255, off = 0;

	if (argc == 4 && strcmp(argv[1], "-r") == 0)
		return receiver(argv[2], num(argv[3], 1, 3600, "seconds"));
	if (argc < 7 || argc > 8) {
		fprintf(stderr,
		    "usage: floor IFACE SRC VIPBASE K INTERVAL_MS "
		    "SECONDS [PRIO]\n       floor -r IFACE SECONDS\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[2], &src) != 1 ||
	    inet_pton(AF_INET, argv[3], &vipbase) != 1) {
		fprintf(stderr, "floor: bad address\n");
		return 2;
	}
	k = num(argv[4], 1, 255, "K");
	ivl_ms = num(argv[5], 10, 40950, "interval");
	secs = num(argv[6], 1, 3600, "seconds");
	if (argc > 7)
		prio = num(argv[7], 1, 255, "priority");
	inet_pton(AF_INET, "224.0.0.18", &dst.sin_addr);
	fd = socket(AF_INET, SOCK_RAW, 112);
	if (fd == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, argv[1],
		(socklen_t)strlen(argv[1])) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) ==
		-1 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof(off)) ==
		-1) {
		perror("floor: socket");
		return 1;
	}
	{
		struct ip_mreqn mr = { .imr_address = src };

		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
			sizeof(mr)) == -1) {
			perror("floor: IP_MULTICAST_IF");
			return 1;
		}
	}
	for (long i = 0; i < k; i++) {
		build(adv[i], (int)i + 1, (int)prio, (int)(ivl_ms / 10), src,
		    dst.sin_addr, ntohl(vipbase.s_addr) + (uint32_t)i);
		iov[i].iov_base = adv[i];
		iov[i].iov_len = ADV_LEN;
		mm[i].msg_hdr.msg_name = &dst;
		mm[i].msg_hdr.msg_namelen = sizeof(dst);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	end = next;
	end.tv_sec += secs;
	for (;;) {
		long late, done = 0;

		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
			   NULL) == EINTR)
			;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec ||
		    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			break;
		late = (now.tv_sec - next.tv_sec) * 1000000 +
		    (now.tv_nsec - next.tv_nsec) / 1000;
		if (late > late_max)
			late_max = late;
		while (done < k) {
			int n = sendmmsg(fd, mm + done,
			    (unsigned int)(k - done), 0);

			if (n <= 0) {
				if (n == -1 && errno == EINTR)
					continue;
				perror("floor: sendmmsg");
				return 1;
			}
			done += n;
		}
		sent += done;
		add_ns(&next, ivl_ms * 1000000);
	}
	printf("sent %ld late_max_us %ld\n", sent, late_max);
	return 0;
}
