/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The scale benchmark's capture and flap guard (bench/scale). Reads
 * frames on one or more interfaces (the bridges) with AF_PACKET sockets,
 * kernel timestamps (SO_TIMESTAMPNS, CLOCK_REALTIME) and recvmmsg; a
 * classic BPF filter on each socket keeps only VRRP with TTL / hop limit
 * 255 (IPv4 and IPv6), ARP and neighbour advertisements, so that a flood
 * of invalid packets costs the capture nothing. Keeps, per (interface,
 * family, VRID) advertised from a master MAC, the count and the largest
 * gap between two adverts, and the lateness gap - Max_Adver_Int (from
 * the advert itself).
 *
 *   scale_cap [-t SECS] [-k N] [-N SOCK] [-i IFACE]... [-m MAC]...
 *             [-x ADDR]...
 *   scale_cap -X FILE -- COMMAND [ARGS...]
 *
 * -i  interface to read (repeatable; at least one unless -N)
 * -m  a master's MAC (repeatable): an advert from any other MAC is a
 *     flap (foreign): the summary is printed and the exit status is 3
 * -x  an address whose gratuitous ARPs / NAs are expected (not counted
 *     in garp_other)
 * -y  adverts of VRID on the first interface from another MAC are
 *     counted apart (exempt), not a flap: the instance a reload changed
 * -k  exit (status 0) once N distinct VRIDs were advertised by masters
 *     (and, with -N, a READY=1 came)
 * -N  also listen on a Unix datagram socket at SOCK (NOTIFY_SOCKET for
 *     the daemon) and print "notify REALTIME_NS MESSAGE" for each message
 * -t  bound on the run (default 600 s)
 * SIGUSR1 starts the measured window afresh (counts and gaps; the last
 * advert of each VRID is kept so that the first gap is a real one);
 * SIGTERM or SIGINT ends the run (status 0). Prints "listening" on
 * stderr once every socket is open.
 *
 * -X writes the CLOCK_REALTIME nanoseconds to FILE and execs COMMAND: the
 * exec time for start-up figures, the pid unchanged.
 *
 * Summary on stdout, one "key value..." a line: adverts, vrids, late_us
 * (the largest gap - interval) with where it was, late1, late2 (adverts
 * more than 1 ms, 2 ms late), garp, garp_other, garpx_ns (the first
 * gratuitous ARP / NA for a -x address), foreign (count and the
 * first one's time), first_ns (the first master advert), all_ns (when the
 * -k'th VRID was first seen), window_ns.
 */

#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXIF 8
#define MAXX  16
#define BATCH 64
#define SNAP  128

struct vrid_stat {
	uint64_t n;
	int64_t last_ns;
};

static volatile sig_atomic_t got_term, got_usr1;
static int ready_seen;
static int exempt_vrid = -1;

static struct vrid_stat stats[MAXIF][2][256];
static unsigned char masters[MAXIF * 2][6];
static int nmasters;
static struct {
	int fam;
	unsigned char a[16];
} expected[MAXX];
static int nexpected;

static struct {
	uint64_t adverts, vrids, late1, late2, garp, garp_other, foreign;
	uint64_t exempt;
	int64_t late_ns, late_at, foreign_ns, first_ns, all_ns, start_ns;
	int64_t garpx_ns;
	int late_if, late_fam, late_vrid, foreign_if, foreign_vrid;
} sum;

static void
on_sig(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * ARP; IPv4 protocol 112 with TTL 255; IPv6 next header 112 with hop
 * limit 255; IPv6 ICMPv6 (no extension headers) type 136.
 */
static struct sock_filter filter[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, 13, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 4),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 112, 0, 12),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 22),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 255, 9, 10),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 9),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 112, 0, 2),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 21),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 255, 4, 5),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, 4),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 54),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 136, 0, 2),
	BPF_STMT(BPF_RET | BPF_K, SNAP),
	BPF_STMT(BPF_RET | BPF_K, SNAP),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

static int
open_if(const char *name)
{
	struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = filter,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	int fd, on = 1, rcv = 8 << 20;

	if ((sll.sll_ifindex = (int)if_nametoindex(name)) == 0) {
		fprintf(stderr, "scale_cap: no interface %s\n", name);
		exit(2);
	}
	/* protocol 0 until the filter is on: no frame before it */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ==
		-1 ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		perror("scale_cap: packet socket");
		exit(1);
	}
	/* beyond rmem_max when allowed (root): a burst of K adverts */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) == -1)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	return fd;
}

static int
open_notify(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "scale_cap: socket path too long\n");
		exit(2);
	}
	strcpy(sun.sun_path, path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		perror("scale_cap: notify socket");
		exit(1);
	}
	return fd;
}

static int
parse_mac(const char *s, unsigned char *m)
{
	unsigned int b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		&b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		m[i] = (unsigned char)b[i];
	return 0;
}

static int
is_master(const unsigned char *src)
{
	for (int i = 0; i < nmasters; i++)
		if (memcmp(masters[i], src, 6) == 0)
			return 1;
	return 0;
}

static int
is_expected(int fam, const unsigned char *a)
{
	for (int i = 0; i < nexpected; i++)
		if (expected[i].fam == fam &&
		    memcmp(expected[i].a, a, fam == 4 ? 4 : 16) == 0)
			return 1;
	return 0;
}

static void
reset_window(void)
{
	memset(&sum, 0, sizeof(sum));
	for (int i = 0; i < MAXIF; i++)
		for (int f = 0; f < 2; f++)
			for (int v = 0; v < 256; v++)
				stats[i][f][v].n = 0;
	sum.start_ns = now_ns();
}

static void
advert(int ifi, int fam, const unsigned char *src, const unsigned char *v,
    size_t len, int64_t ts, unsigned int want)
{
	struct vrid_stat *st;
	int64_t gap, late, ivl;

	if (len < 8)
		return;
	if (!is_master(src)) {
		if (ifi == 0 && v[1] == exempt_vrid) {
			sum.exempt++;
			return;
		}
		if (sum.foreign++ == 0) {
			sum.foreign_ns = ts;
			sum.foreign_if = ifi;
			sum.foreign_vrid = v[1];
		}
		return;
	}
	/* VRRPv3: 12 bits of centiseconds; v2: seconds in byte 5 */
	if ((v[0] >> 4) == 3)
		ivl = (int64_t)(((v[4] & 0x0f) << 8) | v[5]) * 10000000;
	else
		ivl = (int64_t)v[5] * 1000000000;
	st = &stats[ifi][fam == 6][v[1]];
	sum.adverts++;
	if (sum.first_ns == 0)
		sum.first_ns = ts;
	if (st->n++ == 0 && ++sum.vrids == want && want > 0)
		sum.all_ns = ts;
	if (st->last_ns != 0 && ivl > 0) {
		gap = ts - st->last_ns;
		late = gap - ivl;
		if (late > sum.late_ns || sum.late_at == 0) {
			sum.late_ns = late;
			sum.late_at = ts;
			sum.late_if = ifi;
			sum.late_fam = fam;
			sum.late_vrid = v[1];
		}
		if (late > 1000000)
			sum.late1++;
		if (late > 2000000)
			sum.late2++;
	}
	st->last_ns = ts;
}

static void
frame(int ifi, const unsigned char *p, size_t len, int64_t ts,
    unsigned int want)
{
	unsigned int type;

	if (len < 14)
		return;
	type = (unsigned int)(p[12] << 8 | p[13]);
	if (type == ETH_P_ARP && len >= 42) {
		/* gratuitous: sender address = target address */
		if (memcmp(p + 28, p + 38, 4) == 0) {
			sum.garp++;
			if (!is_expected(4, p + 28))
				sum.garp_other++;
			else if (sum.garpx_ns == 0)
				sum.garpx_ns = ts;
		}
	} else if (type == ETH_P_IP && len >= 34) {
		size_t ihl = (size_t)(p[14] & 0x0f) * 4;

		if (len >= 14 + ihl + 8)
			advert(ifi, 4, p + 6, p + 14 + ihl, len - 14 - ihl, ts,
			    want);
	} else if (type == ETH_P_IPV6 && len >= 62) {
		if (p[20] == 112)
			advert(ifi, 6, p + 6, p + 54, len - 54, ts, want);
		else if (p[20] == 58 && len >= 74 && p[54] == 136) {
			/* an unsolicited NA: target in the message */
			sum.garp++;
			if (!is_expected(6, p + 58))
				sum.garp_other++;
			else if (sum.garpx_ns == 0)
				sum.garpx_ns = ts;
		}
	}
}

static int64_t
stamp_of(struct msghdr *mh)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		}
	return now_ns();
}

static void
drain(int fd, int ifi, unsigned int want)
{
	static unsigned char buf[BATCH][SNAP];
	static char ctl[BATCH][CMSG_SPACE(sizeof(struct timespec))];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	int n;

	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = SNAP;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = ctl[i];
		mm[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
	}
	n = recvmmsg(fd, mm, BATCH, MSG_DONTWAIT, NULL);
	for (int i = 0; i < n; i++)
		frame(ifi, buf[i], mm[i].msg_len, stamp_of(&mm[i].msg_hdr),
		    want);
}

static void
summary(void)
{
	const int64_t now = now_ns();

	printf("adverts %llu\n", (unsigned long long)sum.adverts);
	printf("vrids %llu\n", (unsigned long long)sum.vrids);
	printf("late_us %.1f if%d v%d vrid %d at %lld\n",
	    (double)sum.late_ns / 1000, sum.late_if, sum.late_fam,
	    sum.late_vrid, (long long)sum.late_at);
	printf("late1 %llu\n", (unsigned long long)sum.late1);
	printf("late2 %llu\n", (unsigned long long)sum.late2);
	printf("garp %llu\n", (unsigned long long)sum.garp);
	printf("garp_other %llu\n", (unsigned long long)sum.garp_other);
	printf("garpx_ns %lld\n", (long long)sum.garpx_ns);
	printf("foreign %llu %lld if%d vrid %d\n",
	    (unsigned long long)sum.foreign, (long long)sum.foreign_ns,
	    sum.foreign_if, sum.foreign_vrid);
	printf("exempt %llu\n", (unsigned long long)sum.exempt);
	printf("first_ns %lld\n", (long long)sum.first_ns);
	printf("all_ns %lld\n", (long long)sum.all_ns);
	printf("window_ns %lld\n", (long long)(now - sum.start_ns));
	fflush(stdout);
}

static void
notified(int fd)
{
	char msg[512];
	ssize_t n = recv(fd, msg, sizeof(msg) - 1, MSG_DONTWAIT);

	if (n <= 0)
		return;
	msg[n] = '\0';
	for (char *c = msg; *c != '\0'; c++)
		if (*c == '\n')
			*c = ' ';
	printf("notify %lld %s\n", (long long)now_ns(), msg);
	if (strstr(msg, "READY=1") != NULL)
		ready_seen = 1;
	fflush(stdout);
}

static int
stamp_exec(const char *file, char **argv)
{
	FILE *f = fopen(file, "w");

	if (f == NULL || fprintf(f, "%lld\n", (long long)now_ns()) < 0 ||
	    fclose(f) != 0) {
		perror("scale_cap: stamp");
		return 1;
	}
	execvp(argv[0], argv);
	perror("scale_cap: exec");
	return 127;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: scale_cap [-t SECS] [-k N] [-N SOCK] [-i IFACE]... "
	    "[-m MAC]... [-x ADDR]... [-y VRID]\n"
	    "       scale_cap -X FILE -- COMMAND [ARGS...]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct pollfd pfd[MAXIF + 1];
	struct sigaction sa = { .sa_handler = on_sig };
	const char *nsock = NULL;
	int nif = 0, opt, rc = 0;
	unsigned int want = 0;
	long secs = 600;
	int64_t end;

	while ((opt = getopt(argc, argv, "i:k:m:N:t:x:X:y:")) != -1) {
		switch (opt) {
		case 'i':
			if (nif == MAXIF)
				usage();
			pfd[nif].fd = open_if(optarg);
			pfd[nif++].events = POLLIN;
			break;
		case 'k':
			want = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'm':
			if (nmasters == MAXIF * 2 ||
			    parse_mac(optarg, masters[nmasters++]) != 0)
				usage();
			break;
		case 'N':
			nsock = optarg;
			break;
		case 't':
			secs = strtol(optarg, NULL, 10);
			break;
		case 'x':
			if (nexpected == MAXX)
				usage();
			if (inet_pton(AF_INET, optarg, expected[nexpected].a) ==
			    1)
				expected[nexpected++].fam = 4;
			else if (inet_pton(AF_INET6, optarg,
				     expected[nexpected].a) == 1)
				expected[nexpected++].fam = 6;
			else
				usage();
			break;
		case 'y':
			exempt_vrid = atoi(optarg);
			break;
		case 'X':
			if (optind < argc && strcmp(argv[optind], "--") == 0)
				optind++;
			if (optind >= argc)
				usage();
			return stamp_exec(optarg, argv + optind);
		default:
			usage();
		}
	}
	if (optind != argc || (nif == 0 && nsock == NULL) || secs <= 0)
		usage();
	if (nsock != NULL) {
		pfd[nif].fd = open_notify(nsock);
		pfd[nif].events = POLLIN;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	reset_window();
	end = now_ns() + (int64_t)secs * 1000000000;
	fprintf(stderr, "listening\n");
	while (!got_term) {
		if (got_usr1) {
			got_usr1 = 0;
			reset_window();
		}
		if (now_ns() >= end)
			break;
		if (poll(pfd, (nfds_t)nif + (nsock != NULL), 100) == -1 &&
		    errno != EINTR) {
			perror("scale_cap: poll");
			rc = 1;
			break;
		}
		for (int i = 0; i < nif; i++)
			if (pfd[i].revents & POLLIN)
				drain(pfd[i].fd, i, want);
		if (nsock != NULL && (pfd[nif].revents & POLLIN))
			notified(pfd[nif].fd);
		if (sum.foreign > 0) {
			rc = 3;
			break;
		}
		if (want > 0 && sum.all_ns != 0 &&
		    (nsock == NULL || ready_seen))
			break;
	}
	summary();
	if (nsock != NULL)
		unlink(nsock);
	return rc;
}
