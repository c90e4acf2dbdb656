/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The daemon's side of the cluster registry: each instance's state as a
 * record, published after every step that changed it, its transitions in
 * the history, and the split brains the registry sees passed to the
 * notify_split_brain script. The registry observes; nothing read from it
 * reaches an instance.
 *
 * A step only marks its instance: the records are built on the next turn
 * of the loop, after the adverts the step sent, all the instances marked
 * meanwhile at once with one look at the kernel's addresses (a failover
 * of a hundred instances costs one address dump, not a hundred).
 */

#include <sys/time.h>

#include <ev.h>
#include <ifaddrs.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrpd/conf.h"
#include "vrrpd/daemon.h"
#include "vrrpd/log.h"
#include "vrrpd/notify.h"
#include "vrrpd/registry.h"
#include "vrrpd/util.h"
#include "vrrpd/vrrp_instance.h"

struct daemon_cluster {
	struct ev_loop *loop;
	struct vrrp_router *r;
	const struct conf *conf;
	struct registry *reg;
	struct notify_sb *sb;
	char router_id[REGISTRY_ID_MAX];
	const struct vrrp_inst **dirty; /* to publish, each once */
	size_t ndirty, dirty_cap;
	ev_timer flush;
};

static uint64_t
wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

/* The router id: configured, else the short host name (keepalived's). */
static void
router_id(const struct conf *conf, char *buf, size_t size)
{
	char host[256] = "";

	if (conf->global.router_id != NULL) {
		snprintf(buf, size, "%s", conf->global.router_id);
		return;
	}
	(void)gethostname(host, sizeof(host) - 1);
	host[strcspn(host, ".")] = '\0';
	snprintf(buf, size, "%s", host[0] != '\0' ? host : "localhost");
}

/* FNV-1a over the configuration as --dump-config writes it. */
static void
config_digest(const struct conf *conf, char *buf, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f != NULL) {
		(void)conf_emit_yaml(conf, f);
		fclose(f);
	}
	for (size_t i = 0; text != NULL && i < len; i++) {
		h ^= (uint8_t)text[i];
		h *= 0x100000001b3ULL;
	}
	free(text);
	snprintf(buf, size, "%016llx", (unsigned long long)h);
}

static uint8_t
mask_len(const struct sockaddr *sa)
{
	const uint8_t *b;
	size_t n;
	uint8_t bits = 0;

	if (sa->sa_family == AF_INET) {
		b = (const uint8_t *)&(
		    (const struct sockaddr_in *)(const void *)sa)
			->sin_addr;
		n = 4;
	} else {
		b = (const uint8_t *)&(
		    (const struct sockaddr_in6 *)(const void *)sa)
			->sin6_addr;
		n = 16;
	}
	for (size_t i = 0; i < n; i++)
		bits += (uint8_t)__builtin_popcount(b[i]);
	return bits;
}

/*
 * The subnet an instance's VRID lives on: for IPv4 the interface address
 * its adverts come from, for IPv6 the interface's first global address
 * (every link has fe80::/64, which would make every link one subnet).
 */
static void
subnet_of(struct ifaddrs *ifa0, const char *ifname, sa_family_t af,
    const struct addr *src, struct registry_prefix *out)
{
	struct ifaddrs *ifa;

	memset(out, 0, sizeof(*out));
	if (ifname[0] == '\0')
		return;
	for (ifa = ifa0; ifa != NULL; ifa = ifa->ifa_next) {
		struct addr a = { .af = AF_UNSPEC };

		if (ifa->ifa_addr == NULL || ifa->ifa_netmask == NULL ||
		    ifa->ifa_addr->sa_family != af ||
		    strcmp(ifa->ifa_name, ifname) != 0)
			continue;
		a.af = af;
		if (af == AF_INET)
			a.u.v4 = ((struct sockaddr_in *)(void *)ifa->ifa_addr)
				     ->sin_addr;
		else
			a.u.v6 = ((struct sockaddr_in6 *)(void *)ifa->ifa_addr)
				     ->sin6_addr;
		if (af == AF_INET ? addr_cmp(&a, src) != 0 :
				    addr_is_v6_linklocal(&a))
			continue;
		out->addr = a;
		out->prefix = mask_len(ifa->ifa_netmask);
		break;
	}
}

/* vi's record; ifa0 the interfaces' addresses, present[] its VIPs'. */
static void
record(struct daemon_cluster *dc, const struct vrrp_inst *vi,
    struct ifaddrs *ifa0, const bool *present, struct registry_inst_rec *rec)
{
	const struct conf_instance *ci = vrrp_inst_conf(vi);
	struct vrrp_inst_view v;

	vrrp_inst_view(vi, util_now_us(), &v);
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->name, sizeof(rec->name), "%s", ci->name);
	snprintf(rec->router_id, sizeof(rec->router_id), "%s", dc->router_id);
	rec->state = v.state;
	rec->base_priority = v.base_priority;
	rec->priority = v.priority;
	for (size_t i = 0; i < v.nparts && i < REGISTRY_PARTS_MAX; i++) {
		const struct checker_part *p = &v.parts[i];
		struct registry_part *q = &rec->parts[rec->nparts++];

		q->kind = p->kind;
		snprintf(q->name, sizeof(q->name), "%s", p->name);
		q->up = p->up;
		q->value = p->value;
		q->weight = p->weight;
		q->reverse = p->reverse;
		q->contrib = p->contrib;
		q->fault = p->fault;
	}
	registry_inst_set_faults(rec, v.faults);
	for (size_t i = 0; i < ci->nvips && i < REGISTRY_VIPS_MAX; i++) {
		rec->vips[i].addr = ci->vips[i].addr;
		rec->vips[i].prefix = ci->vips[i].prefix;
		rec->vips[i].present = present != NULL && present[i];
		rec->nvips++;
	}
	rec->vrid = ci->vrid;
	rec->family = ci->family;
	snprintf(rec->interface, sizeof(rec->interface), "%s", ci->interface);
	subnet_of(ifa0, ci->interface, ci->family, &v.src, &rec->subnet);
	rec->adver_int_cs = ci->adver_int_cs;
	rec->since_ms = wall_ms() - v.in_state_us / 1000;
	if (v.state == VRRP_STATE_MASTER)
		rec->master = v.src;
	else if (v.master_known)
		rec->master = v.master_addr;
}

/* Publish every marked instance: one address dump for all of them. */
static void
flush_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct daemon_cluster *dc = t->data;
	struct registry_inst_rec *rec = malloc(sizeof(*rec));
	struct ifaddrs *ifa0 = NULL;
	size_t nv = 0, off = 0, n = dc->ndirty;
	uint64_t t0 = util_now_us();
	bool *present;

	(void)loop;
	(void)revents;
	for (size_t j = 0; j < n; j++)
		nv += vrrp_inst_nvips_all(dc->dirty[j]);
	present = calloc(nv + 1, sizeof(*present));
	if (present != NULL &&
	    vrrp_inst_vips_present_many(dc->dirty, n, present) != 0) {
		free(present); /* reported as absent, not guessed */
		present = NULL;
	}
	if (getifaddrs(&ifa0) != 0)
		ifa0 = NULL;
	for (size_t j = 0; rec != NULL && j < n; j++) {
		record(dc, dc->dirty[j], ifa0,
		    present != NULL ? present + off : NULL, rec);
		registry_publish(dc->reg, rec);
		off += vrrp_inst_nvips_all(dc->dirty[j]);
	}
	dc->ndirty = 0;
	if (ifa0 != NULL)
		freeifaddrs(ifa0);
	free(present);
	free(rec);
	log_debug(DBG_ZK, "registry: %zu record%s built in %llu us", n,
	    n == 1 ? "" : "s", (unsigned long long)(util_now_us() - t0));
}

/* Mark vi for the next flush (each instance once). */
static void
mark(struct daemon_cluster *dc, const struct vrrp_inst *vi)
{
	for (size_t j = 0; j < dc->ndirty; j++)
		if (dc->dirty[j] == vi)
			return;
	if (dc->ndirty == dc->dirty_cap) {
		size_t cap = dc->dirty_cap == 0 ? 16 : dc->dirty_cap * 2;
		const struct vrrp_inst **p =
		    realloc(dc->dirty, cap * sizeof(*p));

		if (p == NULL)
			return; /* this change goes unpublished; the next won't */
		dc->dirty = p;
		dc->dirty_cap = cap;
	}
	dc->dirty[dc->ndirty++] = vi;
	if (!ev_is_active(&dc->flush)) {
		ev_timer_set(&dc->flush, 0., 0.);
		ev_timer_start(dc->loop, &dc->flush);
	}
}

static void
observe_cb(void *arg, const struct vrrp_inst *vi, const struct vrrp_action *t)
{
	struct daemon_cluster *dc = arg;

	if (!registry_name_valid(vrrp_inst_name(vi)))
		return; /* refused at load: said once there */
	mark(dc, vi);
	if (t != NULL) {
		struct registry_transition tr = {
			.time_ms = wall_ms(),
			.from = t->from,
			.to = t->to,
		};

		snprintf(tr.router_id, sizeof(tr.router_id), "%s",
		    dc->router_id);
		snprintf(tr.reason, sizeof(tr.reason), "%s",
		    vrrp_reason_name(t->reason));
		registry_history_add(dc->reg, vrrp_inst_name(vi), &tr);
	}
}

static void
gone_cb(void *arg, const struct vrrp_inst *vi)
{
	struct daemon_cluster *dc = arg;
	size_t n = 0;

	for (size_t j = 0; j < dc->ndirty; j++)
		if (dc->dirty[j] != vi)
			dc->dirty[n++] = dc->dirty[j];
	dc->ndirty = n;
	registry_withdraw(dc->reg, vrrp_inst_name(vi));
}

static void
sb_cb(void *arg, const struct registry_sb_event *ev, const char *const *masters,
    size_t nmasters)
{
	struct daemon_cluster *dc = arg;

	if (dc->sb != NULL)
		notify_sb_post(dc->sb, ev->name,
		    ev->edge == REGISTRY_SB_STARTED, masters, nmasters);
}

struct daemon_cluster *
daemon_cluster_new(struct ev_loop *loop, struct vrrp_router *r,
    const struct conf *conf)
{
	const struct conf_registry *cr = &conf->global.registry;
	struct daemon_cluster *dc;
	struct registry_node_rec self = { .start_time = (uint64_t)time(NULL) };
	char ident[CONF_REGISTRY_IDENT_SIZE] = "", why[256];

	if (cr->servers == NULL)
		return NULL;
	if (cr->auth_file != NULL &&
	    conf_registry_auth_read(cr->auth_file, ident, sizeof(ident), why,
		sizeof(why)) != 0) {
		log_warnx("registry: auth_file %s: %s; the registry stays off",
		    cr->auth_file, why);
		return NULL;
	}
	if ((dc = calloc(1, sizeof(*dc))) == NULL)
		return NULL;
	dc->loop = loop;
	dc->r = r;
	dc->conf = conf;
	ev_timer_init(&dc->flush, flush_cb, 0., 0.);
	dc->flush.data = dc;
	router_id(conf, dc->router_id, sizeof(dc->router_id));
	if (!registry_name_valid(dc->router_id)) {
		log_warnx("registry: router id \"%s\" cannot name a znode; "
			  "the registry stays off",
		    dc->router_id);
		free(dc);
		return NULL;
	}
	snprintf(self.router_id, sizeof(self.router_id), "%s", dc->router_id);
	snprintf(self.version, sizeof(self.version), "%s", VRRPD_VERSION);
	config_digest(conf, self.config_digest, sizeof(self.config_digest));
	dc->sb = notify_sb_new(loop, &cr->notify_split_brain, &conf->global);
	dc->reg = registry_new(loop, cr, &self, ident[0] != '\0' ? ident : NULL,
	    sb_cb, dc);
	explicit_bzero(ident, sizeof(ident));
	if (dc->reg == NULL) {
		notify_sb_free(dc->sb);
		free(dc);
		return NULL;
	}
	log_info("registry: %s on %s as %s", cr->path, cr->servers,
	    dc->router_id);
	vrrp_router_set_observer(r, observe_cb, gone_cb, dc);
	/* a registry started by a reload: the running instances at once */
	for (const struct vrrp_inst *vi = vrrp_router_first(r); vi != NULL;
	     vi = vrrp_router_next(vi))
		if (vrrp_inst_state(vi) != VRRP_STATE_INIT)
			observe_cb(dc, vi, NULL);
	return dc;
}

bool
daemon_cluster_busy(const struct daemon_cluster *dc)
{
	struct registry_status st;

	if (dc == NULL)
		return false;
	registry_get_status(dc->reg, &st);
	return st.conn == REGISTRY_CONN_CONNECTED && st.pending > 0;
}

static bool
str_same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

struct daemon_cluster *
daemon_cluster_reload(struct daemon_cluster *dc, struct ev_loop *loop,
    struct vrrp_router *r, const struct conf *conf)
{
	const struct conf_registry *a, *b = &conf->global.registry;
	char rid[REGISTRY_ID_MAX];

	router_id(conf, rid, sizeof(rid));
	if (dc != NULL) {
		a = &dc->conf->global.registry;
		if (str_same(a->servers, b->servers) &&
		    str_same(a->path, b->path) &&
		    a->session_timeout_ms == b->session_timeout_ms &&
		    str_same(a->auth_file, b->auth_file) &&
		    strcmp(rid, dc->router_id) == 0) {
			dc->conf = conf;
			notify_sb_rebind(dc->sb, &b->notify_split_brain,
			    &conf->global);
			return dc;
		}
		log_info("registry: settings changed, closing the session");
		daemon_cluster_free(dc);
	}
	return daemon_cluster_new(loop, r, conf);
}

struct registry *
daemon_cluster_registry(const struct daemon_cluster *dc)
{
	return dc != NULL ? dc->reg : NULL;
}

void
daemon_cluster_free(struct daemon_cluster *dc)
{
	if (dc == NULL)
		return;
	vrrp_router_set_observer(dc->r, NULL, NULL, NULL);
	ev_timer_stop(dc->loop, &dc->flush);
	free(dc->dirty);
	registry_free(dc->reg);
	notify_sb_free(dc->sb);
	free(dc);
}
