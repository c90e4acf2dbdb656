/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived vrrp_track_process: the processes that match a rule, counted
 * from the kernel's proc connector (fork, exec, comm and exit events)
 * after one scan of /proc. One netlink socket per loop, shared by every
 * tracker on it; each tracker keeps its matching pids in a sorted set.
 */

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "vrrpd/util.h"
#include "checker_priv.h"
#include "vrrpd/log.h"

#include "proc_priv.h"

#define PROC_RCVBUF	  (4 * 1024 * 1024)
#define PROC_DGRAM_MAX	  4096
#define PROC_BATCH	  256  /* datagrams per callback, then the loop */
#define PROC_ACK_DRAIN	  4096 /* datagrams read looking for the ack */
#define PROC_RESCAN_DELAY 0.1  /* s after an overrun, coalescing them */
#define PROC_SCAN_EVERY_S \
	1.0 /* without process events: /proc read this often */
#define PROC_LOG_EVERY_MS 10000

struct proc_listener;

struct checker_proc {
	struct tracker tr; /* first: a process set is a tracker */
	TAILQ_ENTRY(checker_proc) entry;
	const struct conf_track_process *tp;
	struct checker_proc_rule rule;
	struct proc_listener *l;
	struct checker_proc_set set;
	bool up;
	bool changed; /* the set changed since the last settle() */
	ev_timer delay;
};

struct proc_listener {
	TAILQ_ENTRY(proc_listener) entry;
	TAILQ_HEAD(, checker_proc) procs;
	unsigned int refs;
	struct ev_loop *loop;
	int fd;
	ev_io io;
	ev_timer rescan;
	char *cmd; /* /proc/PID/cmdline, as much as the rules need */
	size_t cmd_size;
	unsigned long bad;
	struct log_ratelimit rl_overrun;
	struct log_ratelimit rl_error;
};

static TAILQ_HEAD(, proc_listener) listeners = TAILQ_HEAD_INITIALIZER(
    listeners);

/* Up to size bytes of a /proc file; -1 when it is gone. */
static ssize_t
read_proc(pid_t pid, const char *what, char *buf, size_t size)
{
	char path[64];
	size_t got = 0;
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -1;
	while (got < size) {
		n = read(fd, buf + got, size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return n == -1 ? -1 : (ssize_t)got;
}

static void
proc_change(struct checker_proc *p, bool up)
{
	p->up = up;
	log_info("track_process %s: %zu processes, %s", p->tp->name, p->set.n,
	    up ? "up" : "down");
	tracker_changed(&p->tr);
}

static bool
proc_met(const struct checker_proc *p)
{
	return checker_proc_quorum_met((unsigned int)p->set.n, p->tp->quorum,
	    p->tp->quorum_max);
}

static void
proc_eval(struct checker_proc *p)
{
	uint32_t d = 0;

	switch (checker_proc_step(p->up, proc_met(p), ev_is_active(&p->delay),
	    p->tp->delay_ms, p->tp->terminate_delay_ms, &d)) {
	case CHECKER_PROC_KEEP:
		break;
	case CHECKER_PROC_CANCEL:
		ev_timer_stop(p->l->loop, &p->delay);
		break;
	case CHECKER_PROC_ARM:
		ev_timer_set(&p->delay, d / 1000.0, 0.0);
		ev_timer_start(p->l->loop, &p->delay);
		break;
	case CHECKER_PROC_CHANGE:
		proc_change(p, !p->up);
		break;
	}
}

static void
delay_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct checker_proc *p = w->data;
	bool met = proc_met(p);

	(void)loop;
	(void)revents;
	if (met != p->up)
		proc_change(p, met);
}

/*
 * Evaluate the trackers whose set changed. Subscribers are called from
 * here: they must not free a tracker.
 */
static void
settle(struct proc_listener *l)
{
	struct checker_proc *p;

	TAILQ_FOREACH (p, &l->procs, entry)
		if (p->changed) {
			p->changed = false;
			proc_eval(p);
		}
}

static void
proc_set(struct checker_proc *p, pid_t pid, bool in)
{
	int r;

	if (!in) {
		p->changed |= checker_proc_set_del(&p->set, pid);
		return;
	}
	if ((r = checker_proc_set_add(&p->set, pid)) == 1)
		p->changed = true;
	else if (r == -1 &&
	    log_ratelimit_ok(&p->l->rl_error, util_now_ms(), NULL))
		log_warnx("track_process %s: out of memory, pid %d not "
			  "counted",
		    p->tp->name, (int)pid);
}

/*
 * Match pid against the trackers (only that one if not NULL) from its
 * /proc files: in the scan, with stat (zombies are skipped), else after
 * an exec, with comm. A process that vanished matches nothing.
 */
static void
check_pid(struct proc_listener *l, struct checker_proc *only, pid_t pid,
    bool scan)
{
	char comm[CHECKER_PROC_NAME_SIZE], sbuf[512], state = 'R';
	ssize_t clen = -1, n;
	bool need_comm = false, need_cmd = false, m;
	struct checker_proc *p;

	TAILQ_FOREACH (p, &l->procs, entry)
		if (only == NULL || p == only) {
			need_cmd |= p->rule.full_command;
			need_comm |= !p->rule.full_command;
		}
	comm[0] = '\0';
	if (need_comm && scan) {
		n = read_proc(pid, "stat", sbuf, sizeof(sbuf));
		if (n <= 0 ||
		    !checker_proc_parse_stat(sbuf, (size_t)n, comm,
			sizeof(comm), &state) ||
		    state == 'Z')
			need_comm = false;
	} else if (need_comm) {
		n = read_proc(pid, "comm", comm, sizeof(comm) - 1);
		comm[n > 0 ? n : 0] = '\0';
		need_comm = n > 0;
	}
	if (need_cmd)
		clen = read_proc(pid, "cmdline", l->cmd, l->cmd_size);
	TAILQ_FOREACH (p, &l->procs, entry) {
		if (only != NULL && p != only)
			continue;
		if (p->rule.full_command)
			m = clen > 0 &&
			    checker_proc_match_cmdline(&p->rule, l->cmd,
				(size_t)clen);
		else
			m = need_comm &&
			    checker_proc_match_comm(&p->rule, comm,
				strlen(comm));
		if (m || !scan)
			proc_set(p, pid, m);
	}
}

/* Fill the sets (of only, or of every tracker) from /proc. */
static void
scan(struct proc_listener *l, struct checker_proc *only)
{
	struct checker_proc *p;
	struct dirent *e;
	char *end;
	long pid;
	DIR *d;

	TAILQ_FOREACH (p, &l->procs, entry)
		if (only == NULL || p == only) {
			p->changed |= p->set.n > 0;
			checker_proc_set_clear(&p->set);
		}
	if ((d = opendir("/proc")) == NULL) {
		log_warn("track_process: cannot read /proc");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		errno = 0;
		pid = strtol(e->d_name, &end, 10);
		if (*end != '\0' || errno != 0 || pid > INT32_MAX)
			continue;
		check_pid(l, only, (pid_t)pid, true);
	}
	closedir(d);
}

static void
on_event(void *arg, const struct checker_proc_ev *ev)
{
	struct proc_listener *l = arg;
	struct checker_proc *p;

	/* Threads do not count: only a process's own events matter. */
	if (ev->kind == CHECKER_PROC_EV_ACK || ev->pid != ev->tgid ||
	    ev->tgid <= 0)
		return;
	switch (ev->kind) {
	case CHECKER_PROC_EV_FORK:
		/* keepalived: a child is its parent until it execs. */
		TAILQ_FOREACH (p, &l->procs, entry)
			if (checker_proc_set_has(&p->set, ev->parent_tgid))
				proc_set(p, ev->tgid, true);
		break;
	case CHECKER_PROC_EV_EXEC:
		check_pid(l, NULL, ev->tgid, false);
		break;
	case CHECKER_PROC_EV_COMM:
		TAILQ_FOREACH (p, &l->procs, entry)
			if (!p->rule.full_command)
				proc_set(p, ev->tgid,
				    checker_proc_match_comm(&p->rule, ev->comm,
					sizeof(ev->comm)));
		break;
	case CHECKER_PROC_EV_EXIT:
		TAILQ_FOREACH (p, &l->procs, entry)
			proc_set(p, ev->tgid, false);
		break;
	default:
		break;
	}
}

static void
rescan_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct proc_listener *l = w->data;
	unsigned long sup = 0;

	(void)loop;
	(void)revents;
	if (l->fd >= 0 && log_ratelimit_ok(&l->rl_overrun, util_now_ms(), &sup))
		log_warnx("track_process: process events lost (socket "
			  "overrun), /proc scanned again (%lu more suppressed)",
		    sup);
	scan(l, NULL);
	settle(l);
}

static void
io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct proc_listener *l = w->data;
	unsigned char buf[PROC_DGRAM_MAX] __attribute__((aligned(8)));
	struct sockaddr_nl sa;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	(void)revents;
	for (int i = 0; i < PROC_BATCH; i++) {
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &sa;
		mh.msg_namelen = sizeof(sa);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		if ((n = recvmsg(l->fd, &mh, MSG_DONTWAIT)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				if (!ev_is_active(&l->rescan))
					ev_timer_start(loop, &l->rescan);
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    log_ratelimit_ok(&l->rl_error, util_now_ms(), NULL))
				log_warn("track_process: process events");
			return;
		}
		/* From the kernel only, and whole. */
		if (mh.msg_namelen != sizeof(sa) ||
		    sa.nl_family != AF_NETLINK || sa.nl_pid != 0 ||
		    (mh.msg_flags & MSG_TRUNC) != 0) {
			l->bad++;
			continue;
		}
		l->bad += checker_proc_decode(buf, (size_t)n, on_event, l);
		settle(l);
	}
}

/*
 * Send PROC_CN_MCAST_LISTEN or _IGNORE. The kernel answers with ack + 1
 * (its seq is the kernel's own counter), so ack is the cookie.
 */
static int
mcast_ctl(int fd, enum proc_cn_mcast_op op, uint32_t cookie)
{
	unsigned char buf[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(op))]
	    __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr nh;
	struct cn_msg cn;
	uint32_t v = op;

	memset(buf, 0, sizeof(buf));
	memset(&nh, 0, sizeof(nh));
	memset(&cn, 0, sizeof(cn));
	nh.nlmsg_len = NLMSG_LENGTH(sizeof(cn) + sizeof(v));
	nh.nlmsg_type = NLMSG_DONE;
	cn.id.idx = CN_IDX_PROC;
	cn.id.val = CN_VAL_PROC;
	cn.ack = cookie;
	cn.len = sizeof(v);
	memcpy(buf, &nh, sizeof(nh));
	memcpy(buf + NLMSG_HDRLEN, &cn, sizeof(cn));
	memcpy(buf + NLMSG_HDRLEN + sizeof(cn), &v, sizeof(v));
	return send(fd, buf, nh.nlmsg_len, 0) == -1 ? -1 : 0;
}

struct ack_wait {
	uint32_t cookie;
	bool seen;
	uint32_t err;
};

static void
ack_cb(void *arg, const struct checker_proc_ev *ev)
{
	struct ack_wait *a = arg;

	if (ev->kind == CHECKER_PROC_EV_ACK && ev->ack == a->cookie + 1) {
		a->seen = true;
		a->err = ev->err;
	}
}

/*
 * The kernel answers a listen request at once (the connector runs it in
 * send()): read what is queued until that answer. Events read here come
 * before the scan that follows, so nothing is lost.
 */
static const char *
wait_ack(int fd, uint32_t cookie)
{
	unsigned char buf[PROC_DGRAM_MAX] __attribute__((aligned(8)));
	struct ack_wait a = { .cookie = cookie };
	ssize_t n;

	for (int i = 0; i < PROC_ACK_DRAIN && !a.seen; i++) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == -1 && (errno == EINTR || errno == ENOBUFS))
			continue;
		if (n == -1)
			break;
		(void)checker_proc_decode(buf, (size_t)n, ack_cb, &a);
	}
	if (!a.seen)
		return "the kernel did not answer the listen request "
		       "(not in the initial pid namespace?)";
	if (a.err == EPERM)
		return "process events need CAP_NET_ADMIN in the initial "
		       "user namespace";
	return a.err != 0 ? strerror((int)a.err) : NULL;
}

static int
open_socket(const char **err)
{
	struct sockaddr_nl sa;
	int fd, sz = PROC_RCVBUF;
	static uint32_t cookie;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_CONNECTOR);
	if (fd == -1) {
		*err = errno == EPROTONOSUPPORT ?
		    "no proc connector in this kernel (CONFIG_PROC_EVENTS)" :
		    strerror(errno);
		return -1;
	}
	/* Best effort: a larger queue makes overruns rarer. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = CN_IDX_PROC;
	sa.nl_pid = 0; /* the kernel picks a free port id */
	cookie = cookie * 2654435761u + (uint32_t)getpid() + 1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    mcast_ctl(fd, PROC_CN_MCAST_LISTEN, cookie) == -1) {
		*err = strerror(errno);
		close(fd);
		return -1;
	}
	if ((*err = wait_ack(fd, cookie)) != NULL) {
		close(fd);
		return -1;
	}
	return fd;
}

static struct proc_listener *
listener_get(struct ev_loop *loop, const char **err)
{
	struct proc_listener *l;

	TAILQ_FOREACH (l, &listeners, entry)
		if (l->loop == loop) {
			l->refs++;
			return l;
		}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	/*
	 * The kernel sends process events to the initial network namespace
	 * only: in another one (a container, the namespace tests), /proc is
	 * scanned every PROC_SCAN_EVERY_S instead. No fork either way.
	 */
	if ((l->fd = open_socket(err)) == -1)
		log_warnx("track_process: no process events here (%s); /proc "
			  "is read every %.0f s instead",
		    *err, PROC_SCAN_EVERY_S);
	TAILQ_INIT(&l->procs);
	l->refs = 1;
	l->loop = loop;
	l->rl_overrun.interval_ms = PROC_LOG_EVERY_MS;
	l->rl_error.interval_ms = PROC_LOG_EVERY_MS;
	if (l->fd >= 0) {
		ev_io_init(&l->io, io_cb, l->fd, EV_READ);
		l->io.data = l;
		ev_io_start(loop, &l->io);
		ev_timer_init(&l->rescan, rescan_cb, PROC_RESCAN_DELAY, 0.0);
	} else {
		ev_timer_init(&l->rescan, rescan_cb, PROC_SCAN_EVERY_S,
		    PROC_SCAN_EVERY_S);
		ev_timer_start(loop, &l->rescan);
	}
	l->rescan.data = l;
	TAILQ_INSERT_TAIL(&listeners, l, entry);
	return l;
}

static void
listener_put(struct proc_listener *l)
{
	if (--l->refs > 0)
		return;
	ev_timer_stop(l->loop, &l->rescan);
	if (l->fd >= 0) {
		ev_io_stop(l->loop, &l->io);
		(void)mcast_ctl(l->fd, PROC_CN_MCAST_IGNORE, 0);
		close(l->fd);
	}
	TAILQ_REMOVE(&listeners, l, entry);
	free(l->cmd);
	free(l);
}

/* The cmdline buffer fits every rule on l (and p's, about to join). */
static int
listener_fit(struct proc_listener *l, const struct checker_proc *p)
{
	const struct checker_proc *q;
	size_t need = checker_proc_rule_need(&p->rule);
	char *b;

	TAILQ_FOREACH (q, &l->procs, entry)
		if (checker_proc_rule_need(&q->rule) > need)
			need = checker_proc_rule_need(&q->rule);
	if (need <= l->cmd_size)
		return 0;
	if ((b = realloc(l->cmd, need)) == NULL)
		return -1;
	l->cmd = b;
	l->cmd_size = need;
	return 0;
}

struct checker_proc *
checker_proc_new(struct ev_loop *loop, const struct conf_track_process *tp,
    const char **err)
{
	struct checker_proc *p;

	if (tp->process == NULL || tp->process[0] == '\0') {
		*err = "no process to track";
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	tracker_init(&p->tr, &tracker_ops_proc, tp->name);
	p->tp = tp;
	checker_proc_rule_init(&p->rule, tp);
	ev_timer_init(&p->delay, delay_cb, 0.0, 0.0);
	p->delay.data = p;
	if ((p->l = listener_get(loop, err)) == NULL) {
		free(p);
		return NULL;
	}
	if (listener_fit(p->l, p) == -1) {
		*err = "out of memory";
		listener_put(p->l);
		free(p);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&p->l->procs, p, entry);
	scan(p->l, p);
	p->changed = false;
	p->up = proc_met(p);
	log_info("track_process %s: %zu processes, %s", tp->name, p->set.n,
	    p->up ? "up" : "down");
	return p;
}

/* Subscribers are detached by tracker_free(), which comes here. */
static void
proc_free(struct tracker *t)
{
	struct checker_proc *p = (struct checker_proc *)t;

	ev_timer_stop(p->l->loop, &p->delay);
	TAILQ_REMOVE(&p->l->procs, p, entry);
	listener_put(p->l);
	checker_proc_set_free(&p->set);
	free(p);
}

void
checker_proc_free(struct checker_proc *p)
{
	if (p != NULL)
		tracker_free(&p->tr);
}

bool
checker_proc_up(const struct checker_proc *p)
{
	return p->up;
}

unsigned int
checker_proc_count(const struct checker_proc *p)
{
	return (unsigned int)p->set.n;
}

const char *
checker_proc_name(const struct checker_proc *p)
{
	return p->tp->name;
}

void
checker_proc_rebind(struct checker_proc *p, const struct conf_track_process *tp)
{
	p->tp = tp;
	checker_proc_rule_init(&p->rule, tp);
	/* Equal rules need no more room; on failure the old buffer stays. */
	(void)listener_fit(p->l, p);
}

struct tracker *
checker_proc_tracker(struct checker_proc *p)
{
	return &p->tr;
}

/* ---- a process set as a tracker ---- */

static struct tracker *
proc_create(struct ev_loop *loop, const void *cfg, const struct conf_global *g,
    const char **err)
{
	struct checker_proc *p = checker_proc_new(loop, cfg, err);

	(void)g;
	return p != NULL ? &p->tr : NULL;
}

static bool
proc_same(const struct tracker *t, const void *cfg)
{
	return conf_track_process_equal(((const struct checker_proc *)t)->tp,
	    cfg);
}

static void
proc_rebind(struct tracker *t, const void *cfg, const struct conf_global *g)
{
	(void)g;
	checker_proc_rebind((struct checker_proc *)t, cfg);
}

static void
proc_state(const struct tracker *t, struct tracker_state *st)
{
	st->up = ((const struct checker_proc *)t)->up;
	st->value = (long)((const struct checker_proc *)t)->set.n;
}

static int
proc_weight(const struct tracker *t, bool *reverse)
{
	const struct conf_track_process *tp =
	    ((const struct checker_proc *)t)->tp;

	*reverse = tp->reverse;
	return tp->weight;
}

static void
proc_describe(const struct tracker *t, char *buf, size_t size)
{
	const struct checker_proc *p = (const struct checker_proc *)t;

	snprintf(buf, size, "track_process %s %s (%zu processes)", t->name,
	    p->up ? "up" : "down", p->set.n);
}

const struct tracker_ops tracker_ops_proc = {
	.kind = CONF_TRACK_PROCESS,
	.what = "track_process",
	.create = proc_create,
	.same = proc_same,
	.rebind = proc_rebind,
	.state = proc_state,
	.weight = proc_weight,
	.describe = proc_describe,
	.free = proc_free,
};
