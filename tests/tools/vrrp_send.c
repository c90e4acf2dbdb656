/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sends crafted IPv4 VRRP packets for the tests: COUNT packets from the
 * interface's address to DST, with the TTL, version/type byte, VRID and
 * VRRP length given, as fast as the socket takes them or RATE a second,
 * and exits after COUNT or SECONDS, whichever comes first (every run is
 * bounded). Prints the number sent and the rate reached. The VRRP bytes
 * past the first two are zero: no checksum, no addresses. For the
 * in-kernel filter tests and floods of invalid packets.
 *
 * With -a PRIO,SRC,VIP,INTERVAL_CS the packet is a valid advert instead
 * (LEN is ignored): version 2 or 3 as VT says, from SRC, with priority
 * PRIO, one address VIP, the interval (centiseconds; v2: seconds, at
 * least 1) and a correct checksum (v3: with the pseudo-header). For the
 * floods of valid lower-priority and priority-0 adverts.
 *
 *   vrrp_send [-a PRIO,SRC,VIP,CS] IFACE DST TTL VT VRID LEN COUNT
 *       [RATE [SECONDS]]
 */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* RFC 1071 over n bytes, from sum. */
static uint32_t
csum_add(uint32_t sum, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static long
num(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "vrrp_send: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	unsigned char pkt[20 + 1024];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct iphdr *ip = (struct iphdr *)pkt;
	long ttl, vt, vrid, len, count, rate = 0, secs = 30, sent = 0;
	double t0, limit;
	int fd, on = 1;

	const char *adv = NULL;
	struct in_addr src, vip;

	if (argc > 2 && strcmp(argv[1], "-a") == 0) {
		adv = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 8 || argc > 10) {
		fprintf(stderr,
		    "usage: vrrp_send [-a PRIO,SRC,VIP,CS] IFACE DST TTL VT "
		    "VRID LEN COUNT [RATE [SECONDS]]\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1) {
		fprintf(stderr, "vrrp_send: bad destination %s\n", argv[2]);
		return 2;
	}
	ttl = num(argv[3], 0, 255, "TTL");
	vt = num(argv[4], 0, 255, "version/type");
	vrid = num(argv[5], 0, 255, "VRID");
	len = num(argv[6], 0, 1024, "length");
	count = num(argv[7], 1, 100000000, "count");
	if (argc > 8)
		rate = num(argv[8], 0, 10000000, "rate");
	if (argc > 9)
		secs = num(argv[9], 1, 600, "seconds");
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, argv[1],
		(socklen_t)strlen(argv[1])) == -1) {
		perror("vrrp_send: socket");
		return 1;
	}
	memset(pkt, 0, sizeof(pkt));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = (unsigned char)ttl;
	ip->protocol = 112;
	ip->tot_len = htons((unsigned short)(20 + len));
	ip->daddr = dst.sin_addr.s_addr; /* saddr 0: the kernel fills it */
	pkt[20] = (unsigned char)vt;
	pkt[21] = (unsigned char)vrid;
	if (adv != NULL) {
		char a[128], *f[4], *save = NULL;
		long prio, cs;
		uint16_t ck;
		int nf = 0;
		unsigned char *v = pkt + 20;

		snprintf(a, sizeof(a), "%s", adv);
		for (char *t = strtok_r(a, ",", &save); t != NULL && nf < 4;
		     t = strtok_r(NULL, ",", &save))
			f[nf++] = t;
		if (nf != 4 || inet_pton(AF_INET, f[1], &src) != 1 ||
		    inet_pton(AF_INET, f[2], &vip) != 1) {
			fprintf(stderr, "vrrp_send: bad -a %s\n", adv);
			return 2;
		}
		prio = num(f[0], 0, 255, "priority");
		cs = num(f[3], 1, 4095, "interval");
		v[2] = (unsigned char)prio;
		v[3] = 1; /* one address */
		if ((vt >> 4) == 2) {
			v[4] = 0; /* no authentication */
			v[5] = (unsigned char)(cs / 100 > 0 ? cs / 100 : 1);
			memcpy(v + 8, &vip, 4);
			len = 8 + 4 + 8; /* and 8 bytes of zero auth data */
			ck = csum_fold(csum_add(0, v, (size_t)len));
		} else {
			unsigned char ph[12];

			v[4] = (unsigned char)((cs >> 8) & 0x0f);
			v[5] = (unsigned char)(cs & 0xff);
			memcpy(v + 8, &vip, 4);
			len = 8 + 4;
			memcpy(ph, &src, 4);
			memcpy(ph + 4, &dst.sin_addr, 4);
			ph[8] = 0;
			ph[9] = 112;
			ph[10] = 0;
			ph[11] = (unsigned char)len;
			ck = csum_fold(
			    csum_add(csum_add(0, ph, 12), v, (size_t)len));
		}
		v[6] = (unsigned char)(ck >> 8);
		v[7] = (unsigned char)(ck & 0xff);
		ip->saddr = src.s_addr;
		ip->tot_len = htons((unsigned short)(20 + len));
	}
	t0 = now_s();
	limit = t0 + (double)secs;
	while (sent < count) {
		double t = now_s();

		if (t >= limit)
			break;
		if (rate > 0 && (double)sent > (t - t0) * (double)rate) {
			usleep(200);
			continue;
		}
		if (sendto(fd, pkt, (size_t)(20 + len), 0,
			(struct sockaddr *)&dst, sizeof(dst)) == -1) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				usleep(100);
				continue;
			}
			perror("vrrp_send: sendto");
			return 1;
		}
		sent++;
	}
	printf("%ld sent in %.3f s: %.0f/s\n", sent, now_s() - t0,
	    (double)sent / (now_s() - t0 + 1e-9));
	close(fd);
	return 0;
}
