/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/registry's fleet: N vrrpd nodes in one process, each a registry
 * client of its own (registry_new(): one ZooKeeper session per node), on
 * one libev loop. Nodes 2k and 2k+1 are an LVS pair sharing I instance
 * names. Every instance is published as the daemon publishes it (record,
 * master znode, VRID claim, history); once every session is connected and
 * nothing is pending, R failovers a second for D seconds (-P: whole pairs
 * at a time, as when a node fails: every instance of the pair moves at
 * once, as many pairs as make R failovers): a pair's backup
 * preempts (its check is up, the master's has failed) and the master steps
 * down, each node adding its transition to the history at once and
 * publishing its record on the loop's next turn, as src/daemon/cluster.c
 * does on a transition.
 *
 * Measured: the module's own publish latency (registry_get_status():
 * last_publish_us, the time from a change to its znode write's completion,
 * sampled once per loop turn for each session whose write counter moved,
 * so the last write of a batch); the failover latency (the failover to
 * both nodes of the pair having nothing pending: every record, the master
 * znode and both history entries written); this process's CPU and loop
 * lag. Flap guard: a split-brain callback, a write error or a session
 * expiry makes the run fail. After the report the sessions stay open (the
 * records with them) until SIGTERM, so that vrrpctl cluster can be timed.
 *
 * Exit: 0 clean, 1 the flap guard tripped (a write still pending at the
 * drain deadline included), 2 usage, 3 the start deadline or the watchdog
 * passed.
 */

#include <sys/resource.h>
#include <sys/time.h>

#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "vrrpd/conf.h"
#include "vrrpd/log.h"
#include "vrrpd/registry.h"
#include "vrrpd/util.h"
#include "vrrpd/vrrp_fsm.h"

#define SIM_NODES_MAX 1024 /* pairs on 198.18.0.0/15, one /24 each */
#define SIM_INSTS_MAX 64
#define SIM_TICK_S    0.1  /* phase checks */
#define SIM_LAG_S     0.05 /* loop lag probe */
#define SIM_ADVER_CS  100  /* 1 s adverts: split brain flagged after 2 s */

enum sim_phase {
	PH_START,  /* sessions connecting, first records being written */
	PH_SETTLE, /* all written: watches settle before the bursts */
	PH_WARM,   /* failovers, R a second, not measured */
	PH_BURST,  /* failovers, R a second */
	PH_DRAIN,  /* bursts over: until nothing is pending */
	PH_HOLD,   /* reported; sessions open until SIGTERM */
};

struct sim_opts {
	const char *servers;
	const char *path;
	unsigned int nodes;
	unsigned int insts;
	unsigned int rate;	 /* failovers per second */
	unsigned int secs;	 /* seconds of bursts */
	unsigned int warm_s;	 /* seconds of bursts before, not measured */
	unsigned int hist;	 /* history entries per name at the start */
	unsigned int timeout_ms; /* session timeout asked for */
	unsigned int start_s;	 /* deadline: everything written */
	unsigned int settle_s;	 /* between that and the first burst */
	unsigned int drain_s;	 /* deadline: the last failover written */
	unsigned int watchdog_s; /* the whole run */
	unsigned int seed;
	bool pairs; /* -P: whole pairs fail over, every instance at once */
};

struct sim;

struct sim_node {
	struct sim *sim;
	struct registry *reg;
	unsigned int idx;
	char rid[REGISTRY_ID_MAX];
	uint64_t *since_ms; /* per instance: entered its state */
	bool active;	    /* in the sampling set */
	size_t pending;	    /* as last seen */
	uint64_t writes;    /* as last seen */
	uint64_t last_us;   /* last_publish_us as last seen */
};

struct sim_pair {
	unsigned char *master; /* per instance: 0 node 2k, 1 node 2k+1 */
	bool outstanding;      /* a failover not yet written */
	uint64_t t0_us;	       /* its (first) start */
};

/* Latency samples, microseconds. */
struct sim_lat {
	uint64_t *v;
	size_t n, cap;
};

struct sim {
	struct ev_loop *loop;
	struct sim_opts o;
	struct conf_registry conf;
	struct sim_node *nodes;
	struct sim_pair *pairs;
	unsigned int npairs;
	unsigned int *active; /* node indices in the sampling set */
	unsigned int nactive;
	unsigned char *picked; /* per name: chosen in this burst */
	unsigned int *marked;  /* node * insts + inst: publish next turn */
	unsigned int nmarked;
	enum sim_phase phase;
	int status; /* exit status */
	bool reported;
	uint64_t t_begin, t_conn, t_written, t_phase, t_burst0, t_burst1;
	uint64_t t_drained, t_last_progress;
	unsigned int bursts;
	uint64_t failovers;
	uint64_t writes0, writes_burst;	    /* writes before / during the run */
	uint64_t requests0, requests_burst; /* the same, in requests */
	uint64_t expiries0, connects0;	    /* at the start of the bursts */
	size_t stuck;	      /* znodes pending at the drain deadline */
	uint64_t seen_writes; /* of them, in sampled sessions */
	struct sim_lat pub;   /* module: last_publish_us */
	struct sim_lat done;  /* failover to pair idle */
	uint64_t lag_max_us, lag_next_us;
	struct rusage ru0, ru1;
	uint64_t sb_started, sb_ended;
	char sb_first[REGISTRY_NAME_MAX];
	ev_timer tick, burst, lag, watchdog, flush;
	ev_check check;
	ev_signal sigterm, sigint;
};

static uint64_t
wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

static double
secs(uint64_t from_us, uint64_t to_us)
{
	return to_us > from_us ? (double)(to_us - from_us) / 1e6 : 0.;
}

static void
lat_add(struct sim_lat *l, uint64_t us)
{
	uint64_t *p;

	if (l->n == l->cap) {
		p = realloc(l->v,
		    (l->cap == 0 ? 4096 : l->cap * 2) * sizeof(*p));
		if (p == NULL)
			return;
		l->v = p;
		l->cap = l->cap == 0 ? 4096 : l->cap * 2;
	}
	l->v[l->n++] = us;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest sample with at least q of them at or below. */
static double
lat_ms(const struct sim_lat *l, double q)
{
	size_t k;

	if (l->n == 0)
		return 0.;
	k = (size_t)(q * (double)l->n + 0.999999);
	k = k == 0 ? 1 : k > l->n ? l->n : k;
	return (double)l->v[k - 1] / 1000.;
}

static void
lat_print(const char *key, struct sim_lat *l)
{
	qsort(l->v, l->n, sizeof(l->v[0]), u64_cmp);
	printf(" %s_n=%zu %s_p50=%.2f %s_p99=%.2f %s_max=%.2f", key, l->n, key,
	    lat_ms(l, 0.5), key, lat_ms(l, 0.99), key, lat_ms(l, 1.));
}

/* ---- the records ---- */

static unsigned int
name_idx(const struct sim *s, unsigned int pair, unsigned int i)
{
	return pair * s->o.insts + i;
}

static void
v4(struct addr *a, unsigned int b0, unsigned int b1, unsigned int b2,
    unsigned int b3)
{
	a->af = AF_INET;
	a->u.v4.s_addr = htonl(b0 << 24 | b1 << 16 | b2 << 8 | b3);
}

/* Node n's address on its pair's service LAN, 198.18.0.0/15 (RFC 2544). */
static void
node_addr(unsigned int n, struct addr *a)
{
	unsigned int pair = n / 2;

	v4(a, 198, 18 + pair / 256, pair % 256, 1 + n % 2);
}

static void
rec_parts(struct registry_inst_rec *rec, bool up)
{
	rec->nparts = 2;
	rec->parts[0] = (struct registry_part) { .kind = CONF_TRACK_CHECK,
		.up = up,
		.weight = 50,
		.contrib = up ? 50 : 0 };
	snprintf(rec->parts[0].name, sizeof(rec->parts[0].name), "web");
	rec->parts[1] =
	    (struct registry_part) { .kind = CONF_TRACK_IFACE, .up = true };
	snprintf(rec->parts[1].name, sizeof(rec->parts[1].name), "bond0");
	rec->base_priority = 100;
	rec->priority = (uint8_t)(100 + rec->parts[0].contrib);
}

/*
 * Instance i of node n as the daemon would publish it: a master's check
 * is up (priority 150), a backup's down (100); one VIP from 203.0.113.0/24,
 * every third instance a second one from 198.51.100.0/24.
 */
static void
rec_fill(const struct sim *s, const struct sim_node *n, unsigned int i,
    bool master, struct registry_inst_rec *rec)
{
	unsigned int pair = n->idx / 2, g = name_idx(s, pair, i);

	memset(rec, 0, sizeof(*rec));
	snprintf(rec->name, sizeof(rec->name), "VI_%03u_%u", pair, i);
	snprintf(rec->router_id, sizeof(rec->router_id), "%s", n->rid);
	rec->state = master ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP;
	rec_parts(rec, master);
	v4(&rec->vips[0].addr, 203, 0, 113, 1 + g % 254);
	rec->vips[0].prefix = 24;
	rec->vips[0].present = master;
	rec->nvips = 1;
	if (g % 3 == 0) {
		v4(&rec->vips[1].addr, 198, 51, 100, 1 + g % 254);
		rec->vips[1].prefix = 24;
		rec->vips[1].present = master;
		rec->nvips = 2;
	}
	rec->vrid = (uint8_t)(1 + g % 255);
	rec->family = AF_INET;
	snprintf(rec->interface, sizeof(rec->interface), "bond0.%u", 100 + i);
	node_addr(n->idx, &rec->subnet.addr);
	rec->subnet.prefix = 24;
	rec->adver_int_cs = SIM_ADVER_CS;
	rec->since_ms = n->since_ms[i];
	node_addr(master ? n->idx : n->idx ^ 1, &rec->master);
}

static bool
is_master(const struct sim *s, const struct sim_node *n, unsigned int i)
{
	return s->pairs[n->idx / 2].master[i] == (n->idx & 1);
}

static void
publish(struct sim *s, struct sim_node *n, unsigned int i)
{
	static struct registry_inst_rec rec; /* large: one, reused */

	rec_fill(s, n, i, is_master(s, n, i), &rec);
	registry_publish(n->reg, &rec);
}

static void
history(struct sim_node *n, unsigned int i, uint64_t t_ms, enum vrrp_state from,
    enum vrrp_state to, enum vrrp_reason why)
{
	struct registry_transition t = { .time_ms = t_ms,
		.from = from,
		.to = to };
	char name[REGISTRY_NAME_MAX];

	snprintf(t.router_id, sizeof(t.router_id), "%s", n->rid);
	snprintf(t.reason, sizeof(t.reason), "%s", vrrp_reason_name(why));
	snprintf(name, sizeof(name), "VI_%03u_%u", n->idx / 2, i);
	registry_history_add(n->reg, name, &t);
}

/* Publish n's instance i on the loop's next turn (the daemon's flush). */
static void
mark(struct sim *s, struct sim_node *n, unsigned int i)
{
	s->marked[s->nmarked++] = n->idx * s->o.insts + i;
	if (!ev_is_active(&s->flush)) {
		ev_timer_set(&s->flush, 0., 0.);
		ev_timer_start(s->loop, &s->flush);
	}
}

static void
flush_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sim *s = w->data;

	(void)loop;
	(void)revents;
	for (unsigned int k = 0; k < s->nmarked; k++)
		publish(s, &s->nodes[s->marked[k] / s->o.insts],
		    s->marked[k] % s->o.insts);
	s->nmarked = 0;
}

/* ---- sampling ---- */

static void
activate(struct sim *s, struct sim_node *n)
{
	n->pending = 1; /* until seen idle */
	if (n->active)
		return;
	n->active = true;
	s->active[s->nactive++] = n->idx;
}

static void
pair_check(struct sim *s, unsigned int pair, uint64_t now)
{
	struct sim_pair *p = &s->pairs[pair];

	if (!p->outstanding || s->nodes[2 * pair].pending != 0 ||
	    s->nodes[2 * pair + 1].pending != 0)
		return;
	p->outstanding = false;
	lat_add(&s->done, now - p->t0_us);
}

/* Once per loop turn, after every other callback (EV_MINPRI). */
static void
check_cb(struct ev_loop *loop, ev_check *w, int revents)
{
	struct sim *s = w->data;
	struct registry_status st;
	uint64_t now = util_now_us();

	(void)loop;
	(void)revents;
	for (unsigned int k = 0; k < s->nactive;) {
		struct sim_node *n = &s->nodes[s->active[k]];

		registry_get_status(n->reg, &st);
		if (st.writes != n->writes) {
			s->seen_writes += st.writes - n->writes;
			if (st.last_publish_us != n->last_us)
				lat_add(&s->pub, st.last_publish_us);
			n->writes = st.writes;
			n->last_us = st.last_publish_us;
		}
		n->pending = st.pending;
		if (st.pending != 0) {
			k++;
			continue;
		}
		n->active = false;
		s->active[k] = s->active[--s->nactive];
		pair_check(s, n->idx / 2, now);
	}
}

/* ---- failovers ---- */

/*
 * The pair's backup preempts (its check is up, the master's failed), then
 * the master steps down on its higher-priority advert: two records, two
 * history entries, the master znode moving between the sessions. As in
 * the daemon, the history entry is added as the FSM steps and the record
 * published on the next loop turn.
 */
static void
failover(struct sim *s, unsigned int pair, unsigned int i)
{
	struct sim_pair *p = &s->pairs[pair];
	struct sim_node *old = &s->nodes[2 * pair + p->master[i]];
	struct sim_node *new = &s->nodes[2 * pair + (p->master[i] ^ 1)];
	uint64_t now_ms = wall_ms();

	if (!p->outstanding) {
		p->outstanding = true;
		p->t0_us = util_now_us();
	}
	p->master[i] ^= 1;
	new->since_ms[i] = old->since_ms[i] = now_ms;
	activate(s, new);
	activate(s, old);
	history(new, i, now_ms, VRRP_STATE_BACKUP, VRRP_STATE_MASTER,
	    VRRP_RSN_PREEMPT);
	mark(s, new, i);
	history(old, i, now_ms, VRRP_STATE_MASTER, VRRP_STATE_BACKUP,
	    VRRP_RSN_HIGHER_PRIO);
	mark(s, old, i);
	s->failovers++;
}

/*
 * The measured bursts start: what came before (the start, the warm-up,
 * which lets the servers' JIT compilers finish with the burst's code
 * paths, as on a server that has run for a while) is not counted. The
 * flap guard holds from the first warm-up burst.
 */
static void
measure_start(struct sim *s, uint64_t now)
{
	struct registry_status st;

	s->writes0 = s->requests0 = 0;
	for (unsigned int k = 0; k < s->o.nodes; k++) {
		registry_get_status(s->nodes[k].reg, &st);
		s->nodes[k].writes = st.writes;
		s->nodes[k].last_us = st.last_publish_us;
		s->writes0 += st.writes;
		s->requests0 += st.requests;
	}
	s->pub.n = s->done.n = 0;
	s->seen_writes = 0;
	s->failovers = 0;
	s->lag_max_us = 0;
	s->bursts = 0;
	printf("sim: bursts of %u failovers a second for %u s\n", s->o.rate,
	    s->o.secs);
	s->phase = PH_BURST;
	s->t_burst0 = s->t_phase = now;
	getrusage(RUSAGE_SELF, &s->ru0);
}

/* R distinct names at random, all in this loop turn. */
static void
burst_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sim *s = w->data;
	unsigned int names = s->npairs * s->o.insts, n;

	(void)revents;
	if (s->phase == PH_WARM && s->bursts == s->o.warm_s)
		measure_start(s, util_now_us());
	if (s->phase == PH_BURST && s->bursts == s->o.secs) {
		ev_timer_stop(loop, w);
		printf("sim: bursts done\n");
		s->t_burst1 = util_now_us();
		getrusage(RUSAGE_SELF, &s->ru1);
		s->phase = PH_DRAIN;
		s->t_phase = s->t_burst1;
		return;
	}
	memset(s->picked, 0, names);
	n = s->o.rate < names ? s->o.rate : names;
	if (s->o.pairs) {
		/* a node lost: all of its pair's instances move, as many
		 * pairs as make R failovers (the last pair's in full) */
		unsigned int np = (n + s->o.insts - 1) / s->o.insts;

		for (unsigned int k = 0; k < np && k < s->npairs; k++) {
			unsigned int g = (unsigned int)random() % s->npairs;

			while (s->picked[g])
				g = (g + 1) % s->npairs;
			s->picked[g] = 1;
			for (unsigned int i = 0; i < s->o.insts; i++)
				failover(s, g, i);
		}
		s->bursts++;
		return;
	}
	for (unsigned int k = 0; k < n; k++) {
		unsigned int g = (unsigned int)random() % names;

		while (s->picked[g])
			g = (g + 1) % names;
		s->picked[g] = 1;
		failover(s, g / s->o.insts, g % s->o.insts);
	}
	s->bursts++;
}

static void
lag_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sim *s = w->data;
	uint64_t now = util_now_us();

	(void)loop;
	(void)revents;
	if (s->lag_next_us != 0 && now > s->lag_next_us &&
	    now - s->lag_next_us > s->lag_max_us)
		s->lag_max_us = now - s->lag_next_us;
	s->lag_next_us = now + (uint64_t)(SIM_LAG_S * 1e6);
}

/* ---- the run ---- */

static void
sb_cb(void *arg, const struct registry_sb_event *ev, const char *const *m,
    size_t nm)
{
	struct sim_node *n = arg;
	struct sim *s = n->sim;
	char line[200];

	(void)m;
	(void)nm;
	if (ev->edge != REGISTRY_SB_STARTED) {
		s->sb_ended++;
		return;
	}
	if (s->sb_started++ == 0)
		snprintf(s->sb_first, sizeof(s->sb_first), "%s", ev->name);
	printf("flap guard: %s sees %s\n", n->rid,
	    registry_sb_event_format(ev, line, sizeof(line)));
}

static int
node_start(struct sim *s, struct sim_node *n)
{
	struct registry_node_rec self = { .start_time = (uint64_t)time(NULL) };

	n->sim = s;
	snprintf(n->rid, sizeof(n->rid), "lvs-%03u", n->idx);
	snprintf(self.router_id, sizeof(self.router_id), "%s", n->rid);
	snprintf(self.version, sizeof(self.version), "0.1.0");
	snprintf(self.config_digest, sizeof(self.config_digest), "%016llx",
	    0x9e3779b97f4a7c15ULL * (n->idx + 1));
	n->since_ms = calloc(s->o.insts, sizeof(*n->since_ms));
	if (n->since_ms == NULL)
		return -1;
	n->reg = registry_new(s->loop, &s->conf, &self, NULL, sb_cb, n);
	return n->reg == NULL ? -1 : 0;
}

/*
 * The history a name has after running a while: h entries, failovers an
 * hour apart, split between the two nodes (each queues its share, written
 * in one request once connected).
 */
static void
seed_history(struct sim *s, struct sim_node *n, unsigned int i, uint64_t now)
{
	for (unsigned int k = n->idx & 1; k < s->o.hist; k += 2) {
		uint64_t t = now - (uint64_t)(s->o.hist - k) * 3600000;
		bool up = (k / 2) % 2 == 0;

		history(n, i, t, up ? VRRP_STATE_BACKUP : VRRP_STATE_MASTER,
		    up ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP,
		    up ? VRRP_RSN_PREEMPT : VRRP_RSN_HIGHER_PRIO);
	}
}

/* Every node's every instance, published at once (queued until its
 * session is up): even nodes start as masters. */
static int
fleet_start(struct sim *s)
{
	uint64_t now = wall_ms();

	for (unsigned int k = 0; k < s->o.nodes; k++) {
		struct sim_node *n = &s->nodes[k];

		n->idx = k;
		if (node_start(s, n) != 0)
			return -1;
		for (unsigned int i = 0; i < s->o.insts; i++) {
			n->since_ms[i] = now;
			seed_history(s, n, i, now);
			publish(s, n, i);
		}
	}
	return 0;
}

/* Sessions connected, znodes pending, and the counters of the run. */
static void
fleet_status(struct sim *s, unsigned int *conn, size_t *pending,
    struct registry_status *sum)
{
	struct registry_status st;

	*conn = 0;
	*pending = 0;
	memset(sum, 0, sizeof(*sum));
	for (unsigned int k = 0; k < s->o.nodes; k++) {
		registry_get_status(s->nodes[k].reg, &st);
		*conn += st.conn == REGISTRY_CONN_CONNECTED;
		*pending += st.pending;
		sum->connects += st.connects;
		sum->expiries += st.expiries;
		sum->writes += st.writes;
		sum->requests += st.requests;
		sum->write_errors += st.write_errors;
		sum->split_brains += st.split_brains;
		sum->collisions_now += st.collisions_now;
		sum->bad_znodes += st.bad_znodes;
	}
}

static uint64_t
cpu_us(const struct rusage *r)
{
	return (uint64_t)(r->ru_utime.tv_sec + r->ru_stime.tv_sec) * 1000000 +
	    (uint64_t)(r->ru_utime.tv_usec + r->ru_stime.tv_usec);
}

/* VmRSS and VmHWM of this process, kB. */
static void
own_mem(unsigned long *rss, unsigned long *hwm)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];

	*rss = *hwm = 0;
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		(void)sscanf(line, "VmRSS: %lu", rss);
		(void)sscanf(line, "VmHWM: %lu", hwm);
	}
	fclose(f);
}

/* Expiries while starting are the connect storm's, reported apart. */
static bool
guard_ok(const struct sim *s, const struct registry_status *sum)
{
	return s->sb_started == 0 && sum->write_errors == 0 &&
	    sum->expiries == s->expiries0 && sum->bad_znodes == 0 &&
	    s->stuck == 0;
}

static void
report(struct sim *s)
{
	struct registry_status sum;
	unsigned int conn;
	size_t pending;
	unsigned long rss, hwm;
	double burst_s = secs(s->t_burst0, s->t_burst1);

	fleet_status(s, &conn, &pending, &sum);
	own_mem(&rss, &hwm);
	s->writes_burst = sum.writes - s->writes0;
	s->requests_burst = sum.requests - s->requests0;
	printf("result nodes=%u insts=%u names=%u records=%u rate=%u secs=%u"
	       " warm_s=%u",
	    s->o.nodes, s->o.insts, s->npairs * s->o.insts,
	    s->npairs * 2 * s->o.insts, s->o.rate, s->o.secs, s->o.warm_s);
	printf(" connect_s=%.2f start_s=%.2f start_writes=%" PRIu64
	       " start_requests=%" PRIu64,
	    secs(s->t_begin, s->t_conn), secs(s->t_begin, s->t_written),
	    s->writes0, s->requests0);
	printf(" burst_s=%.2f failovers=%" PRIu64 " writes=%" PRIu64
	       " requests=%" PRIu64 " seen_writes=%" PRIu64 " drain_ms=%.0f",
	    burst_s, s->failovers, s->writes_burst, s->requests_burst,
	    s->seen_writes, secs(s->t_burst1, s->t_drained) * 1000);
	lat_print("pub", &s->pub);
	lat_print("fo", &s->done);
	printf(" sim_cpu_pct=%.1f sim_lag_max_ms=%.1f sim_rss_kb=%lu"
	       " sim_hwm_kb=%lu",
	    burst_s > 0 ?
		(double)(cpu_us(&s->ru1) - cpu_us(&s->ru0)) / 1e4 / burst_s :
		0.,
	    (double)s->lag_max_us / 1000., rss, hwm);
	printf(" start_connects=%" PRIu64 " start_expiries=%" PRIu64
	       " connects=%" PRIu64 " expiries=%" PRIu64,
	    s->connects0, s->expiries0, sum.connects - s->connects0,
	    sum.expiries - s->expiries0);
	printf(" write_errors=%" PRIu64 " split_brains=%" PRIu64
	       " sb_cb=%" PRIu64 " collisions=%zu bad_znodes=%" PRIu64
	       " stuck=%zu guard=%s\n",
	    sum.write_errors, sum.split_brains, s->sb_started,
	    sum.collisions_now, sum.bad_znodes, s->stuck,
	    guard_ok(s, &sum) ? "ok" : "tripped");
	if (!guard_ok(s, &sum))
		s->status = 1;
	s->reported = true;
}

static void
stop_run(struct sim *s, int status, const char *why)
{
	if (why != NULL)
		printf("sim: %s\n", why);
	if (status > s->status)
		s->status = status;
	ev_break(s->loop, EVBREAK_ALL);
}

static void
progress(struct sim *s, uint64_t now, unsigned int conn, size_t pending,
    const struct registry_status *sum)
{
	static const char *names[] = { "start", "settle", "warm-up", "burst",
		"drain", "hold" };

	if (now - s->t_last_progress < 5000000)
		return;
	s->t_last_progress = now;
	printf("sim: %6.1f s %s: %u/%u connected, %zu pending, %" PRIu64
	       " writes, %" PRIu64 " failovers\n",
	    secs(s->t_begin, now), names[s->phase], conn, s->o.nodes, pending,
	    sum->writes, s->failovers);
}

static void
phase_start(struct sim *s, uint64_t now, unsigned int conn, size_t pending,
    const struct registry_status *sum)
{
	if (conn == s->o.nodes && s->t_conn == 0) {
		s->t_conn = now;
		printf("sim: %u sessions connected in %.2f s\n", conn,
		    secs(s->t_begin, now));
	}
	if (conn == s->o.nodes && pending == 0) {
		s->t_written = now;
		printf("sim: %u records written in %.2f s (%" PRIu64
		       " writes)\n",
		    s->npairs * 2 * s->o.insts, secs(s->t_begin, now),
		    sum->writes);
		s->phase = PH_SETTLE;
		s->t_phase = now;
	} else if (now - s->t_begin > (uint64_t)s->o.start_s * 1000000) {
		stop_run(s, 3, "start: deadline passed");
	}
}

static void
phase_settle(struct sim *s, uint64_t now, const struct registry_status *sum)
{
	if (now - s->t_phase < (uint64_t)s->o.settle_s * 1000000)
		return;
	s->expiries0 = sum->expiries;
	s->connects0 = sum->connects;
	if (s->o.warm_s > 0) {
		printf("sim: warm-up: bursts of %u failovers a second for %u s,"
		       " not measured\n",
		    s->o.rate, s->o.warm_s);
		s->phase = PH_WARM;
		s->t_phase = now;
	} else {
		measure_start(s, now);
	}
	ev_timer_set(&s->burst, 0., 1.);
	ev_timer_start(s->loop, &s->burst);
	ev_timer_start(s->loop, &s->lag);
}

/* Name what is still pending, then report anyway (the guard trips). */
static void
drain_late(struct sim *s, uint64_t now, size_t pending)
{
	struct registry_status st;

	printf("sim: drain: %zu znodes still pending after %u s:", pending,
	    s->o.drain_s);
	for (unsigned int k = 0; k < s->o.nodes; k++) {
		registry_get_status(s->nodes[k].reg, &st);
		if (st.pending != 0)
			printf(" %s (%zu)", s->nodes[k].rid, st.pending);
	}
	printf("\n");
	s->stuck = pending;
	s->t_drained = now;
	ev_timer_stop(s->loop, &s->lag);
	report(s);
	s->phase = PH_HOLD;
	printf("sim: holding the sessions until SIGTERM\n");
}

static void
tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sim *s = w->data;
	struct registry_status sum;
	unsigned int conn;
	size_t pending;
	uint64_t now = util_now_us();

	(void)loop;
	(void)revents;
	fleet_status(s, &conn, &pending, &sum);
	progress(s, now, conn, pending, &sum);
	if (s->phase == PH_START) {
		phase_start(s, now, conn, pending, &sum);
	} else if (s->phase == PH_SETTLE) {
		phase_settle(s, now, &sum);
	} else if (s->phase == PH_DRAIN && pending == 0 && s->nactive == 0) {
		s->t_drained = now;
		ev_timer_stop(s->loop, &s->lag);
		report(s);
		s->phase = PH_HOLD;
		printf("sim: holding the sessions until SIGTERM\n");
	} else if (s->phase == PH_DRAIN &&
	    now - s->t_phase > (uint64_t)s->o.drain_s * 1000000) {
		drain_late(s, now, pending);
	}
}

static void
watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	stop_run(w->data, 3, "watchdog: the run took too long");
}

static void
signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct sim *s = w->data;

	(void)loop;
	(void)revents;
	stop_run(s, s->reported ? 0 : 3, "signal: stopping");
}

/* ---- main ---- */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: registry_sim -s SERVERS [-p PATH] [-n NODES] [-i INSTS]\n"
	    "    [-r RATE] [-d SECS] [-w WARM_S] [-H HIST] [-t SESSION_MS]\n"
	    "    [-T START_S] [-D DRAIN_S] [-S SETTLE_S] [-W WATCHDOG_S]\n"
	    "    [-R SEED] [-P]\n");
	exit(2);
}

static unsigned int
num(const char *arg, unsigned int lo, unsigned int hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < lo || v > hi)
		usage();
	return (unsigned int)v;
}

static void
parse_opts(int argc, char **argv, struct sim_opts *o)
{
	int ch;

	*o = (struct sim_opts) { .path = "/vrrpd/bench",
		.nodes = 500,
		.insts = 10,
		.rate = 100,
		.secs = 30,
		.warm_s = 0,
		.hist = REGISTRY_HISTORY_MAX,
		.timeout_ms = 10000,
		.start_s = 240,
		.settle_s = 3,
		.drain_s = 30,
		.watchdog_s = 900,
		.seed = 1 };
	while (
	    (ch = getopt(argc, argv, "s:p:n:i:r:d:w:H:t:T:D:S:W:R:P")) != -1) {
		switch (ch) {
		case 's':
			o->servers = optarg;
			break;
		case 'p':
			o->path = optarg;
			break;
		case 'n':
			o->nodes = num(optarg, 2, SIM_NODES_MAX) & ~1u;
			break;
		case 'i':
			o->insts = num(optarg, 1, SIM_INSTS_MAX);
			break;
		case 'r':
			o->rate = num(optarg, 1, 100000);
			break;
		case 'd':
			o->secs = num(optarg, 1, 3600);
			break;
		case 'w':
			o->warm_s = num(optarg, 0, 3600);
			break;
		case 'H':
			o->hist = num(optarg, 0, REGISTRY_HISTORY_MAX);
			break;
		case 't':
			o->timeout_ms = num(optarg, 1000, 600000);
			break;
		case 'T':
			o->start_s = num(optarg, 1, 3600);
			break;
		case 'D':
			o->drain_s = num(optarg, 1, 3600);
			break;
		case 'S':
			o->settle_s = num(optarg, 0, 600);
			break;
		case 'W':
			o->watchdog_s = num(optarg, 1, 86400);
			break;
		case 'R':
			o->seed = num(optarg, 0, 0xffffffffu);
			break;
		case 'P':
			o->pairs = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || o->servers == NULL)
		usage();
}

/* One descriptor per session: the soft limit up to the hard one. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int
sim_init(struct sim *s)
{
	unsigned int names;

	s->npairs = s->o.nodes / 2;
	names = s->npairs * s->o.insts;
	s->conf.servers = (char *)(uintptr_t)s->o.servers;
	s->conf.path = (char *)(uintptr_t)s->o.path;
	s->conf.session_timeout_ms = s->o.timeout_ms;
	s->nodes = calloc(s->o.nodes, sizeof(*s->nodes));
	s->pairs = calloc(s->npairs, sizeof(*s->pairs));
	s->active = calloc(s->o.nodes, sizeof(*s->active));
	s->picked = calloc(names, 1);
	s->marked = calloc((size_t)s->o.nodes * s->o.insts, sizeof(*s->marked));
	if (s->nodes == NULL || s->pairs == NULL || s->active == NULL ||
	    s->picked == NULL || s->marked == NULL)
		return -1;
	for (unsigned int k = 0; k < s->npairs; k++)
		if ((s->pairs[k].master = calloc(s->o.insts, 1)) == NULL)
			return -1;
	return 0;
}

static void
watchers_init(struct sim *s)
{
	ev_timer_init(&s->tick, tick_cb, SIM_TICK_S, SIM_TICK_S);
	ev_timer_init(&s->burst, burst_cb, 0., 1.);
	ev_timer_init(&s->lag, lag_cb, SIM_LAG_S, SIM_LAG_S);
	ev_timer_init(&s->watchdog, watchdog_cb, s->o.watchdog_s, 0.);
	ev_timer_init(&s->flush, flush_cb, 0., 0.);
	ev_check_init(&s->check, check_cb);
	ev_set_priority(&s->check, EV_MINPRI);
	ev_signal_init(&s->sigterm, signal_cb, SIGTERM);
	ev_signal_init(&s->sigint, signal_cb, SIGINT);
	s->tick.data = s->burst.data = s->lag.data = s->watchdog.data = s;
	s->flush.data = s;
	s->check.data = s->sigterm.data = s->sigint.data = s;
	ev_timer_start(s->loop, &s->tick);
	ev_timer_start(s->loop, &s->watchdog);
	ev_check_start(s->loop, &s->check);
	ev_signal_start(s->loop, &s->sigterm);
	ev_signal_start(s->loop, &s->sigint);
}

int
main(int argc, char **argv)
{
	static struct sim s;

	parse_opts(argc, argv, &s.o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	log_init("registry_sim", true);
	raise_nofile();
	srandom(s.o.seed);
	signal(SIGPIPE, SIG_IGN);
	if ((s.loop = ev_default_loop(EVFLAG_AUTO)) == NULL ||
	    sim_init(&s) != 0) {
		fprintf(stderr, "registry_sim: out of memory\n");
		return 3;
	}
	printf("sim: %u nodes x %u instances (%u names, %u records) on %s %s,"
	       " libev %s\n",
	    s.o.nodes, s.o.insts, s.npairs * s.o.insts,
	    s.npairs * 2 * s.o.insts, s.o.servers, s.o.path,
	    ev_backend(s.loop) == EVBACKEND_EPOLL ? "epoll" : "other");
	s.t_begin = util_now_us();
	watchers_init(&s);
	if (fleet_start(&s) != 0) {
		fprintf(stderr, "registry_sim: cannot start node: %s\n",
		    strerror(errno));
		return 3;
	}
	ev_run(s.loop, 0);
	if (!s.reported)
		printf("sim: no report (the run did not finish)\n");
	for (unsigned int k = 0; k < s.o.nodes; k++)
		registry_free(s.nodes[k].reg);
	if (s.sb_started > 0 && s.status == 0)
		s.status = 1;
	printf("sim: exit %d (split-brain callbacks while holding: %" PRIu64
	       ")\n",
	    s.status, s.sb_started);
	return s.status;
}
