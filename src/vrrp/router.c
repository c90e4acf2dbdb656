/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The set of running instances: one raw socket per (interface, family)
 * shared by its instances and demultiplexed by VRID, and the netlink
 * monitor whose link events reach the instances on that link.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "instance_priv.h"

static void sock_cb(struct ev_loop *loop, ev_io *w, int revents);

/*
 * (Re)open s on its interface. A missing interface is not an error: the
 * socket stays closed until netlink reports the interface.
 */
static int
sock_open(struct vrrp_router *r, struct vrrp_sock *s)
{
	struct net_sock ns;

	if (net_sock_open(&ns, s->af, s->ifname,
		s->group.af != AF_UNSPEC ? &s->group : NULL) != 0)
		return errno == ENODEV || errno == ENXIO ? 0 : -1;
	if (s->ns.fd >= 0) {
		ev_io_stop(r->loop, &s->io);
		net_sock_close(&s->ns);
	}
	s->ns = ns;
	ev_io_set(&s->io, s->ns.fd, EV_READ);
	ev_io_start(r->loop, &s->io);
	return 0;
}

struct vrrp_sock *
vrrp_router_sock(struct vrrp_router *r, const char *ifname, sa_family_t af,
    const struct addr *group)
{
	struct vrrp_sock *s;

	TAILQ_FOREACH (s, &r->socks, entry)
		if (s->af == af && strcmp(s->ifname, ifname) == 0 &&
		    (group == NULL ? s->group.af == AF_UNSPEC :
				     addr_cmp(&s->group, group) == 0)) {
			s->refs++;
			return s;
		}
	if (strlen(ifname) >= sizeof(s->ifname)) {
		errno = ENODEV;
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->r = r;
	s->refs = 1;
	s->af = af;
	strcpy(s->ifname, ifname);
	s->group.af = AF_UNSPEC;
	if (group != NULL)
		s->group = *group;
	s->ns.fd = -1;
	ev_init(&s->io, sock_cb);
	s->io.data = s;
	ev_set_priority(&s->io, EV_MAXPRI); /* adverts before checks */
	if (sock_open(r, s) != 0) {
		free(s);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&r->socks, s, entry);
	return s;
}

/*
 * The interface appeared, or was deleted and created again: a socket
 * bound to the old one hears nothing, so it is opened again.
 */
void
vrrp_router_sock_refresh(struct vrrp_router *r, struct vrrp_sock *s,
    unsigned int ifindex)
{
	if (ifindex == 0 || (s->ns.fd >= 0 && ifindex == s->ns.ifindex))
		return;
	if (sock_open(r, s) != 0)
		log_warn("%s: cannot open the VRRP socket", s->ifname);
	else if (s->ns.fd >= 0)
		log_info("%s: VRRP socket open on interface index %u",
		    s->ifname, s->ns.ifindex);
}

void
vrrp_router_sock_put(struct vrrp_router *r, struct vrrp_sock *s)
{
	if (--s->refs > 0)
		return;
	if (s->ns.fd >= 0) {
		ev_io_stop(r->loop, &s->io);
		net_sock_close(&s->ns);
	}
	TAILQ_REMOVE(&r->socks, s, entry);
	free(s);
}

/*
 * The instance an advert is for: same socket and VRID; with unicast, two
 * instances may share a VRID with disjoint peers, so the source decides.
 */
static struct vrrp_inst *
demux(struct vrrp_router *r, const struct vrrp_sock *s,
    const struct vrrp_advert *adv)
{
	struct vrrp_inst *vi, *any = NULL;

	TAILQ_FOREACH (vi, &r->insts, entry) {
		if (vi->sock != s || vi->ci->vrid != adv->vrid)
			continue;
		if (!vi->ci->unicast)
			return vi;
		for (size_t i = 0; i < vi->ci->npeers; i++)
			if (addr_cmp(&vi->ci->peers[i].addr, &adv->meta.src) ==
			    0)
				return vi;
		any = vi;
	}
	return any;
}

static void
rx_one(struct vrrp_router *r, struct vrrp_sock *s, size_t len,
    const struct vrrp_pkt_meta *meta)
{
	struct vrrp_advert adv;
	enum vrrp_pkt_err err;
	enum vrrp_pkt_ctr ctr;
	struct vrrp_inst *vi;
	char line[256];
	unsigned long more;

	err = vrrp_pkt_decode(r->rxbuf, len, meta, &adv);
	if ((vi = demux(r, s, &adv)) != NULL) {
		if (err != VRRP_PKT_OK)
			vrrp_inst_rx_error(vi, err, &adv);
		else
			vrrp_inst_rx(vi, &adv);
		return;
	}
	/* RFC 6527 vrrpv3RouterVrIdErrors, or a broken packet. */
	ctr = err == VRRP_PKT_OK ? VRRP_CTR_VRID_ERRORS : vrrp_pkt_counter(err);
	r->stats.rx_errors[ctr]++;
	if (!log_ratelimit_ok(&r->rl_unknown, util_now_us() / 1000, &more))
		return;
	log_warnx("%s: advert for no instance here (%s): %s (%lu more "
		  "suppressed)",
	    s->ifname,
	    err == VRRP_PKT_OK ? "VRID not configured" : vrrp_pkt_strerror(err),
	    vrrp_pkt_format(&adv, line, sizeof(line)), more);
}

/* A datagram that is no VRRP message at all (short IP header, ...). */
static void
rx_broken(struct vrrp_router *r, const struct vrrp_sock *s,
    enum vrrp_pkt_err err)
{
	unsigned long more;

	r->stats.rx_errors[vrrp_pkt_counter(err)]++;
	if (log_ratelimit_ok(&r->rl_broken, util_now_us() / 1000, &more))
		log_warnx("%s: datagram dropped: %s (%lu more suppressed)",
		    s->ifname, vrrp_pkt_strerror(err), more);
}

/* Drain the socket: a flood is read, not queued behind other work. */
static void
sock_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct vrrp_sock *s = w->data;
	struct vrrp_router *r = s->r;
	struct vrrp_pkt_meta meta;
	enum vrrp_pkt_err err;
	ssize_t n;

	(void)loop;
	(void)revents;
	for (int i = 0; i < 256; i++) {
		n = net_sock_recv(&s->ns, r->rxbuf, sizeof(r->rxbuf), &meta,
		    &err);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("%s: receive", s->ifname);
			return;
		}
		if (n > 0)
			rx_one(r, s, (size_t)n, &meta);
		else
			rx_broken(r, s, err);
	}
}

/*
 * Link events are rare and may concern a re-created interface (a new
 * ifindex): every instance rechecks. Address events (our own VIPs among
 * them) only matter to the instances on that link whose source address is
 * missing or is the one that changed, and a removal that is not ours to
 * the masters holding that address. ifindex 0: events were lost.
 */
static void
link_event(void *arg, enum net_link_event ev, unsigned int ifindex,
    const struct addr *addr, uint8_t prefix, uint32_t portid)
{
	struct vrrp_router *r = arg;
	struct vrrp_inst *vi;

	(void)prefix;
	TAILQ_FOREACH (vi, &r->insts, entry) {
		if (ev == NET_LINK_EV_LINK || ifindex == 0 || addr == NULL ||
		    (vi->link.ifindex == ifindex &&
			(vi->src.af == AF_UNSPEC ||
			    addr_cmp(addr, &vi->src) == 0)))
			vrrp_inst_link_changed(vi);
		if (ev == NET_LINK_EV_ADDR_DEL && addr != NULL &&
		    portid != r->nl_portid)
			vrrp_inst_addr_removed(vi, ifindex, addr, portid);
	}
}

static void
nl_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct vrrp_router *r = w->data;

	(void)loop;
	(void)revents;
	net_link_monitor_read(r->nl);
}

struct vrrp_router *
vrrp_router_new(struct ev_loop *loop)
{
	struct vrrp_router *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->loop = loop;
	TAILQ_INIT(&r->socks);
	TAILQ_INIT(&r->insts);
	r->rl_unknown.interval_ms = r->rl_broken.interval_ms = 10000;
	if ((r->nl = net_link_open(link_event, r)) == NULL) {
		free(r);
		return NULL;
	}
	r->nl_portid = net_link_portid(r->nl);
	ev_io_init(&r->nl_io, nl_cb, net_link_monitor_fd(r->nl), EV_READ);
	r->nl_io.data = r;
	ev_io_start(loop, &r->nl_io);
	return r;
}

uint64_t *
vrrp_router_ann_gate(struct vrrp_router *r, unsigned int ifindex)
{
	struct vrrp_ann_gate *g;

	for (size_t i = 0; i < r->ngates; i++)
		if (r->gates[i].ifindex == ifindex)
			return &r->gates[i].next_us;
	g = realloc(r->gates, (r->ngates + 1) * sizeof(*g));
	if (g == NULL)
		return NULL;
	r->gates = g;
	g[r->ngates].ifindex = ifindex;
	g[r->ngates].next_us = 0;
	return &g[r->ngates++].next_us;
}

void
vrrp_router_set_ready_cb(struct vrrp_router *r, vrrp_router_ready_fn *fn,
    void *arg)
{
	r->ready_fn = fn;
	r->ready_arg = arg;
}

void
vrrp_router_started(struct vrrp_router *r)
{
	vrrp_router_ready_fn *fn = r->ready_fn;

	if (r->nwaiting > 0)
		r->nwaiting--;
	if (r->nwaiting == 0 && fn != NULL) {
		r->ready_fn = NULL;
		fn(r->ready_arg);
	}
}

/* Create and start one instance; NULL after logging why it failed. */
static struct vrrp_inst *
inst_add(struct vrrp_router *r, const struct conf_instance *ci,
    uint32_t delay_ms, const struct vrrp_inst *prev)
{
	struct vrrp_inst *vi;

	if ((vi = vrrp_inst_new(r, ci)) == NULL) {
		log_warn("(%s) cannot create the instance", ci->name);
		return NULL;
	}
	/* A re-created instance starts as demoted as its predecessor. */
	if (prev != NULL)
		vrrp_inst_demote_carry(vi, prev);
	TAILQ_INSERT_TAIL(&r->insts, vi, entry);
	r->nwaiting++;
	if (vrrp_inst_start(vi, delay_ms) != 0) {
		r->nwaiting--;
		TAILQ_REMOVE(&r->insts, vi, entry);
		vrrp_inst_free(vi);
		return NULL;
	}
	return vi;
}

struct checker *
vrrp_router_checker(struct vrrp_router *r, const char *name)
{
	for (size_t i = 0; i < r->nchecks; i++)
		if (strcmp(r->checks[i].cc->name, name) == 0)
			return r->checks[i].chk;
	return NULL;
}

struct checker_file *
vrrp_router_file(struct vrrp_router *r, const char *name,
    const struct conf_track_file **tf)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i].tf->name, name) == 0) {
			if (tf != NULL)
				*tf = r->files[i].tf;
			return r->files[i].f;
		}
	return NULL;
}

/*
 * The watched files conf needs: one of the same name and path goes on
 * (no init_file again on reload). NULL after logging a file that cannot
 * be watched, with nothing changed.
 */
static struct vrrp_file *
files_build(struct vrrp_router *r, const struct conf *conf)
{
	struct vrrp_file *nf;
	const char *err = NULL;

	if ((nf = calloc(conf->ntrack_files + 1, sizeof(*nf))) == NULL)
		return NULL;
	for (size_t i = 0; i < conf->ntrack_files; i++) {
		const struct conf_track_file *tf = &conf->track_files[i];

		nf[i].tf = tf;
		for (size_t k = 0; k < r->nfiles && nf[i].f == NULL; k++)
			if (r->files[k].f != NULL &&
			    strcmp(r->files[k].tf->name, tf->name) == 0 &&
			    strcmp(r->files[k].tf->path, tf->path) == 0) {
				nf[i].f = r->files[k].f;
				r->files[k].f = NULL;
				checker_file_rebind(nf[i].f, tf);
			}
		if (nf[i].f == NULL &&
		    (nf[i].f = checker_file_new(r->loop, tf, &err)) == NULL) {
			log_warnx("track_file %s: cannot watch %s: %s",
			    tf->name, tf->path, err);
			nf[i].f = NULL;
		}
	}
	return nf;
}

struct checker_proc *
vrrp_router_proc(struct vrrp_router *r, const char *name,
    const struct conf_track_process **tp)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (strcmp(r->procs[i].tp->name, name) == 0) {
			if (tp != NULL)
				*tp = r->procs[i].tp;
			return r->procs[i].p;
		}
	return NULL;
}

/* The process trackers conf needs: unchanged ones go on with their set. */
static struct vrrp_proc *
procs_build(struct vrrp_router *r, const struct conf *conf)
{
	struct vrrp_proc *np;
	const char *err = NULL;

	if ((np = calloc(conf->ntrack_procs + 1, sizeof(*np))) == NULL)
		return NULL;
	for (size_t i = 0; i < conf->ntrack_procs; i++) {
		const struct conf_track_process *tp = &conf->track_procs[i];

		np[i].tp = tp;
		for (size_t k = 0; k < r->nprocs && np[i].p == NULL; k++)
			if (r->procs[k].p != NULL &&
			    conf_track_process_equal(r->procs[k].tp, tp)) {
				np[i].p = r->procs[k].p;
				r->procs[k].p = NULL;
				checker_proc_rebind(np[i].p, tp);
			}
		if (np[i].p == NULL &&
		    (np[i].p = checker_proc_new(r->loop, tp, &err)) == NULL)
			log_warnx("track_process %s: cannot track processes: "
				  "%s",
			    tp->name, err);
	}
	return np;
}

static void
procs_replace(struct vrrp_router *r, struct vrrp_proc *np, size_t n)
{
	for (size_t i = 0; i < r->nprocs; i++)
		checker_proc_free(r->procs[i].p);
	free(r->procs);
	r->procs = np;
	r->nprocs = n;
}

static void
files_replace(struct vrrp_router *r, struct vrrp_file *nf, size_t n)
{
	for (size_t i = 0; i < r->nfiles; i++)
		checker_file_free(r->files[i].f);
	free(r->files);
	r->files = nf;
	r->nfiles = n;
}

/* An instance of conf tracks check name (the sync groups' are not run). */
static bool
check_used(const struct conf *conf, const char *name)
{
	for (size_t i = 0; i < conf->ninstances; i++)
		for (size_t t = 0; t < conf->instances[i].ntracks; t++)
			if (conf->instances[i].tracks[t].kind ==
				CONF_TRACK_CHECK &&
			    strcmp(conf->instances[i].tracks[t].name, name) ==
				0)
				return true;
	return false;
}

/* The running check of the same name and configuration, if any. */
static struct vrrp_check *
reusable(struct vrrp_router *r, const struct conf_check *cc)
{
	for (size_t i = 0; i < r->nchecks; i++)
		if (r->checks[i].chk != NULL &&
		    conf_check_equal(r->checks[i].cc, cc))
			return &r->checks[i];
	return NULL;
}

/*
 * The checkers conf needs: unchanged ones are carried over (their state
 * kept), others created. All or nothing: NULL after logging the check
 * that cannot run, with nothing changed.
 */
static struct vrrp_check *
checks_build(struct vrrp_router *r, const struct conf *conf)
{
	struct vrrp_check *nc, *old;
	const char *err = NULL;

	if ((nc = calloc(conf->nchecks + 1, sizeof(*nc))) == NULL) {
		log_warn("checks: out of memory");
		return NULL;
	}
	for (size_t i = 0; i < conf->nchecks; i++) {
		nc[i].cc = &conf->checks[i];
		/* A check nothing tracks would run for nothing (keepalived
		 * does not run an unused vrrp_script either). */
		if ((nc[i].unused = !check_used(conf, nc[i].cc->name)))
			continue;
		if (reusable(r, nc[i].cc) != NULL)
			continue;
		nc[i].chk = checker_new(r->loop, nc[i].cc, &conf->global, &err);
		if (nc[i].chk == NULL) {
			log_warnx("check %s: cannot run: %s", nc[i].cc->name,
			    err);
			for (size_t k = 0; k < i; k++)
				checker_free(nc[k].chk);
			free(nc);
			return NULL;
		}
	}
	/* Committed: take the unchanged checkers over. */
	for (size_t i = 0; i < conf->nchecks; i++) {
		if (nc[i].unused)
			continue;
		if (nc[i].chk != NULL) {
			checker_start(nc[i].chk);
			continue;
		}
		old = reusable(r, nc[i].cc);
		nc[i].chk = old->chk;
		old->chk = NULL;
		checker_rebind(nc[i].chk, nc[i].cc, &conf->global);
	}
	return nc;
}

/*
 * Instances let go of the old checkers, which stop unless carried over,
 * and of the watched files, which are taken over by name and path. conf
 * NULL: everything stops.
 */
static void
checks_replace(struct vrrp_router *r, struct vrrp_check *nc,
    const struct conf *conf)
{
	size_t n = conf != NULL ? conf->nchecks : 0;
	struct vrrp_inst *vi;

	TAILQ_FOREACH (vi, &r->insts, entry)
		vrrp_track_unbind(vi);
	files_replace(r, conf != NULL ? files_build(r, conf) : NULL,
	    conf != NULL ? conf->ntrack_files : 0);
	procs_replace(r, conf != NULL ? procs_build(r, conf) : NULL,
	    conf != NULL ? conf->ntrack_procs : 0);
	for (size_t i = 0; i < r->nchecks; i++)
		checker_free(r->checks[i].chk);
	free(r->checks);
	r->checks = nc;
	r->nchecks = n;
}

int
vrrp_router_load(struct vrrp_router *r, const struct conf *conf)
{
	struct vrrp_check *nc;

	if ((nc = checks_build(r, conf)) == NULL)
		return -1;
	checks_replace(r, nc, conf);
	/* Counted as waiting until the loop is over: READY comes after. */
	r->conf = conf;
	r->nwaiting++;
	for (size_t i = 0; i < conf->ninstances; i++)
		if (inst_add(r, &conf->instances[i],
			conf->global.startup_delay_ms, NULL) == NULL)
			return -1;
	vrrp_router_started(r);
	return 0;
}

static const struct conf_instance *
find_instance(const struct conf *conf, const char *name)
{
	for (size_t i = 0; i < conf->ninstances; i++)
		if (strcmp(conf->instances[i].name, name) == 0)
			return &conf->instances[i];
	return NULL;
}

/* The running instance can go on under the new configuration as it is. */
static bool
unchanged(const struct vrrp_router *r, const struct vrrp_inst *vi,
    const struct conf *conf, const struct conf_instance *ci)
{
	const struct conf_global *a = &r->conf->global, *b = &conf->global;

	if (!conf_instance_equal(vi->ci, ci))
		return false;
	if (ci->unicast)
		return true;
	return ci->family == AF_INET ?
	    addr_cmp(&a->mcast_group4, &b->mcast_group4) == 0 :
	    addr_cmp(&a->mcast_group6, &b->mcast_group6) == 0;
}

int
vrrp_router_reload(struct vrrp_router *r, const struct conf *conf,
    struct vrrp_reload_stats *st)
{
	struct vrrp_inst *vi, *next;
	const struct conf_instance *ci;
	struct vrrp_check *nc;
	struct vrrp_inst **old;
	bool *kept;

	memset(st, 0, sizeof(*st));
	/* Checks first: one that cannot run rejects the whole reload. */
	if ((nc = checks_build(r, conf)) == NULL)
		return -1;
	checks_replace(r, nc, conf);
	kept = calloc(conf->ninstances + 1, sizeof(*kept));
	/* A re-created instance keeps its predecessor's demotion. */
	old = calloc(conf->ninstances + 1, sizeof(*old));
	/* Stop what goes away first, so a VIP that moves is free again. */
	TAILQ_FOREACH_SAFE (vi, &r->insts, entry, next) {
		ci = find_instance(conf, vi->ci->name);
		if (ci != NULL && kept != NULL && unchanged(r, vi, conf, ci)) {
			vrrp_inst_rebind(vi, ci, &conf->global);
			kept[ci - conf->instances] = true;
			st->kept++;
			continue;
		}
		log_info("(%s) %s by the reload", vi->ci->name,
		    ci != NULL ? "changed" : "removed");
		st->recreated += ci != NULL;
		st->removed += ci == NULL;
		vrrp_inst_stop(vi);
		TAILQ_REMOVE(&r->insts, vi, entry);
		if (ci != NULL && old != NULL && vi->demoted)
			old[ci - conf->instances] = vi;
		else
			vrrp_inst_free(vi);
	}
	r->conf = conf;
	for (size_t i = 0; i < conf->ninstances; i++) {
		if (kept != NULL && kept[i])
			continue;
		if (inst_add(r, &conf->instances[i], 0,
			old != NULL ? old[i] : NULL) == NULL)
			st->failed++;
		if (old != NULL)
			vrrp_inst_free(old[i]);
	}
	st->added = conf->ninstances - st->kept - st->recreated;
	free(kept);
	free(old);
	TAILQ_FOREACH (vi, &r->insts, entry) {
		/* P4: addresses left by a crash or an older configuration. */
		vrrp_inst_clean_vips(vi);
		/* Kept instances follow the checkers carried over or new. */
		if (vi->track_ref == NULL && vi->ci->ntracks > 0) {
			vrrp_track_bind(vi);
			vrrp_track_update(vi, NULL);
		}
	}
	return 0;
}

void
vrrp_router_shutdown(struct vrrp_router *r)
{
	struct vrrp_inst *vi;

	TAILQ_FOREACH (vi, &r->insts, entry)
		vrrp_inst_stop(vi);
}

bool
vrrp_router_notifying(const struct vrrp_router *r)
{
	const struct vrrp_inst *vi;

	TAILQ_FOREACH (vi, &r->insts, entry)
		if (notify_busy(vi->notify))
			return true;
	return false;
}

const struct vrrp_router_stats *
vrrp_router_stats(const struct vrrp_router *r)
{
	return &r->stats;
}

/* ", NAME N" for every counter that is not zero. */
static void
ctrs_append(char *buf, size_t size, size_t *off, const uint64_t *ctrs)
{
	int n;

	for (int c = VRRP_CTR_NONE + 1; c < VRRP_CTR_MAX && *off < size; c++) {
		if (ctrs[c] == 0)
			continue;
		n = snprintf(buf + *off, size - *off, ", %s %llu",
		    vrrp_pkt_ctr_name(c), (unsigned long long)ctrs[c]);
		*off += n > 0 ? (size_t)n : 0;
	}
}

/* "(VI_1) priority 90: base 150, check web -60 (down), ..." */
static void
log_breakdown(const struct vrrp_inst *vi)
{
	static const char *const kinds[] = {
		[CONF_TRACK_CHECK] = "check",
		[CONF_TRACK_IFACE] = "interface",
		[CONF_TRACK_FILE] = "file",
		[CONF_TRACK_PROCESS] = "process",
	};
	const struct vrrp_track_part *p;
	char buf[1024];
	size_t n, off;
	int len;

	p = vrrp_inst_breakdown(vi, &n);
	len = snprintf(buf, sizeof(buf), "base %u", vi->ci->priority);
	off = len > 0 ? (size_t)len : 0;
	for (size_t i = 0; i < n && off < sizeof(buf); i++) {
		if (p[i].kind == CONF_TRACK_FILE)
			len = snprintf(buf + off, sizeof(buf) - off,
			    ", file %s %+d (value %ld)%s", p[i].name,
			    p[i].contrib, p[i].value,
			    p[i].fault ? " fault" : "");
		else
			len = snprintf(buf + off, sizeof(buf) - off,
			    ", %s %s %+d (%s)%s", kinds[p[i].kind], p[i].name,
			    p[i].contrib,
			    !p[i].applied ? "not applied" :
				p[i].up	  ? "up" :
					    "down",
			    p[i].fault ? " fault" : "");
		off += len > 0 ? (size_t)len : 0;
	}
	log_info("(%s) priority %u: %s", vi->ci->name, vi->fsm.priority, buf);
}

void
vrrp_router_log_stats(const struct vrrp_router *r)
{
	const struct vrrp_inst_stats *st;
	const struct vrrp_inst *vi;
	char buf[1024];
	size_t off;
	int n;

	TAILQ_FOREACH (vi, &r->insts, entry) {
		st = &vi->stats;
		n = snprintf(buf, sizeof(buf),
		    "adverts_rcvd %llu, adverts_sent %llu, become_master %llu, "
		    "release_master %llu, pri_zero_rcvd %llu, pri_zero_sent "
		    "%llu, garp_sent %llu, na_sent %llu, send_errors %llu",
		    (unsigned long long)st->adverts_rcvd,
		    (unsigned long long)st->adverts_sent,
		    (unsigned long long)st->become_master,
		    (unsigned long long)st->release_master,
		    (unsigned long long)st->pri_zero_rcvd,
		    (unsigned long long)st->pri_zero_sent,
		    (unsigned long long)st->garp_sent,
		    (unsigned long long)st->na_sent,
		    (unsigned long long)st->send_errors);
		off = n > 0 ? (size_t)n : 0;
		ctrs_append(buf, sizeof(buf), &off, st->rx_errors);
		log_info("(%s) stats: %s", vi->ci->name, buf);
		log_breakdown(vi);
	}
	buf[0] = '\0';
	off = 0;
	ctrs_append(buf, sizeof(buf), &off, r->stats.rx_errors);
	log_info("stats: dropped for no instance: %s",
	    off > 2 ? buf + 2 : "none");
}

void
vrrp_router_free(struct vrrp_router *r)
{
	struct vrrp_inst *vi;

	if (r == NULL)
		return;
	while ((vi = TAILQ_FIRST(&r->insts)) != NULL) {
		TAILQ_REMOVE(&r->insts, vi, entry);
		vrrp_inst_free(vi);
	}
	checks_replace(r, NULL, NULL);
	ev_io_stop(r->loop, &r->nl_io);
	net_link_close(r->nl);
	free(r->gates);
	free(r);
}
