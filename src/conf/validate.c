/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Validation of a finished model: every rule runs and every problem is
 * reported, not just the first. Pure: it reads the model only, never the
 * host (the live checks are in live.c, and only with --check-live).
 */

#include <string.h>

#include "conf_priv.h"
#include "vrrpd/vrrp_fsm.h"

typedef void rule_fn(struct conf *);

#define ERR(conf, loc, ...)  conf_diag((conf), (loc), CONF_ERROR, __VA_ARGS__)
#define WARN(conf, loc, ...) conf_diag((conf), (loc), CONF_WARNING, __VA_ARGS__)

/* RFC 3768 §5.3.7, RFC 5798 §5.2.7: the interval fields and their units. */
static void
instance_ranges(struct conf *conf, const struct conf_instance *in)
{
	if (in->vrid == 0)
		ERR(conf, &in->loc,
		    "instance %s: virtual_router_id is "
		    "required (1..255)",
		    in->name);
	if (in->version == 2 &&
	    (in->adver_int_cs % 100 != 0 || in->adver_int_cs == 0 ||
		in->adver_int_cs > VRRP_V2_ADVER_INT_MAX_S * 100))
		ERR(conf, &in->loc,
		    "instance %s: VRRPv2 advertises whole "
		    "seconds, 1..255; got %u.%02u s (use "
		    "version 3 for sub-second intervals)",
		    in->name, in->adver_int_cs / 100, in->adver_int_cs % 100);
	if (in->version == 3 &&
	    (in->adver_int_cs == 0 ||
		in->adver_int_cs > VRRP_V3_ADVER_INT_MAX_CS))
		ERR(conf, &in->loc,
		    "instance %s: VRRPv3 advert interval is "
		    "0.01..40.95 s; got %u.%02u s",
		    in->name, in->adver_int_cs / 100, in->adver_int_cs % 100);
	if (in->nvips > VRRP_MAX_ADDRS)
		ERR(conf, &in->loc,
		    "instance %s: %zu virtual addresses; an "
		    "advert carries at most %d (move the "
		    "rest to virtual_ipaddress_excluded)",
		    in->name, in->nvips, VRRP_MAX_ADDRS);
	if (in->nvips == 0)
		WARN(conf, &in->loc, "instance %s: no virtual addresses",
		    in->name);
}

static void
instance_addresses(struct conf *conf, const struct conf_instance *in)
{
	bool no_dev = false;

	for (size_t i = 0; i < in->nvips; i++)
		no_dev |= in->vips[i].dev[0] == '\0';
	for (size_t i = 0; i < in->nvips_excluded; i++)
		no_dev |= in->vips_excluded[i].dev[0] == '\0';
	if (in->interface[0] == '\0' && (!in->unicast || no_dev))
		ERR(conf, &in->loc, "instance %s: interface is required%s",
		    in->name,
		    in->unicast ? " (an address has no dev, and there is no "
				  "default_interface)" :
				  "");
	for (size_t i = 0; in->has_src && i < in->nvips; i++)
		if (addr_cmp(&in->src, &in->vips[i].addr) == 0)
			ERR(conf, &in->loc,
			    "instance %s: the advert source is "
			    "a virtual address; use the "
			    "interface's own address",
			    in->name);
	if (in->has_src && in->src.af != in->family)
		ERR(conf, &in->loc,
		    "instance %s: source address family "
		    "differs from the virtual addresses'",
		    in->name);
	for (size_t i = 0; i < in->npeers; i++)
		if (in->peers[i].addr.af != in->family)
			ERR(conf, &in->peers[i].loc,
			    "instance %s: unicast "
			    "peer family differs "
			    "from the virtual "
			    "addresses'",
			    in->name);
	if (in->unicast && in->npeers == 0 && !in->unicast_fault_no_peer)
		ERR(conf, &in->loc,
		    "instance %s: unicast_peer is empty "
		    "(list the peers, or set "
		    "unicast_fault_no_peer to start in FAULT)",
		    in->name);
}

static void
instance_auth(struct conf *conf, const struct conf_instance *in)
{
	const char *type = in->auth_type == VRRP_AUTH_AH ? "AH" : "PASS";

	if (in->auth_type == VRRP_AUTH_NONE && in->auth_pass[0] != '\0')
		ERR(conf, &in->loc,
		    "instance %s: auth_pass without "
		    "auth_type PASS or AH",
		    in->name);
	if (in->auth_type != VRRP_AUTH_NONE && in->auth_pass[0] == '\0')
		ERR(conf, &in->loc,
		    "instance %s: auth_type %s needs an "
		    "auth_pass",
		    in->name, type);
	/* keepalived: "VRRP version 3 does not support authentication". */
	if (in->auth_type != VRRP_AUTH_NONE && in->version == 3)
		ERR(conf, &in->loc,
		    "instance %s: auth_type %s: VRRPv3 has no "
		    "authentication (RFC 5798); remove it or "
		    "use version 2",
		    in->name, type);
}

/* keepalived's strict mode drops traffic to the VIPs (notes P8). */
static void
instance_strict(struct conf *conf, const struct conf_instance *in)
{
	if (!in->accept && in->priority != VRRP_PRIO_OWNER)
		WARN(conf, &in->loc,
		    "instance %s: accept mode is off%s: "
		    "packets to the virtual addresses are "
		    "not accepted while master; add "
		    "'accept' if clients must reach them",
		    in->name, in->strict ? " (strict mode)" : "");
	if (!in->strict)
		return;
	if (in->unicast)
		ERR(conf, &in->loc,
		    "instance %s: strict mode does not allow "
		    "unicast peers",
		    in->name);
	if (in->family == AF_INET6 && in->nvips > 0 &&
	    !addr_is_v6_linklocal(&in->vips[0].addr))
		ERR(conf, &in->loc,
		    "instance %s: strict mode: the first IPv6 "
		    "virtual address must be link-local "
		    "(RFC 5798 §5.2.9)",
		    in->name);
}

static const struct conf_check *
find_check(const struct conf *conf, const char *name)
{
	for (size_t i = 0; i < conf->nchecks; i++)
		if (strcmp(conf->checks[i].name, name) == 0)
			return &conf->checks[i];
	return NULL;
}

static bool
track_defined(const struct conf *conf, const struct conf_track *t)
{
	switch (t->kind) {
	case CONF_TRACK_CHECK:
		return find_check(conf, t->name) != NULL;
	case CONF_TRACK_FILE:
		for (size_t i = 0; i < conf->ntrack_files; i++)
			if (strcmp(conf->track_files[i].name, t->name) == 0)
				return true;
		return false;
	case CONF_TRACK_PROCESS:
		for (size_t i = 0; i < conf->ntrack_procs; i++)
			if (strcmp(conf->track_procs[i].name, t->name) == 0)
				return true;
		return false;
	case CONF_TRACK_IFACE:
		return strlen(t->name) < CONF_IFNAMSIZ;
	}
	return false;
}

static const char *const track_kind_names[] = {
	[CONF_TRACK_CHECK] = "check or vrrp_script",
	[CONF_TRACK_IFACE] = "interface",
	[CONF_TRACK_FILE] = "track_file",
	[CONF_TRACK_PROCESS] = "vrrp_track_process",
};

static void
tracks_defined(struct conf *conf, const char *owner, const struct conf_track *t,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!track_defined(conf, &t[i]))
			ERR(conf, &t[i].loc,
			    "%s: tracks %s \"%s\", which is "
			    "not defined",
			    owner, track_kind_names[t[i].kind], t[i].name);
}

/* The weight a track applies: its own, else the tracked object's. */
static int
track_weight(const struct conf *conf, const struct conf_track *t)
{
	const struct conf_check *c;

	if (t->has_weight)
		return t->weight;
	if (t->kind == CONF_TRACK_CHECK &&
	    (c = find_check(conf, t->name)) != NULL)
		return c->weight;
	return 0;
}

/*
 * Weights that can never move mastership (notes P2, P3): the owner's
 * priority never changes, and without preemption no peer takes over from
 * a master whose priority fell.
 */
static void
instance_weights(struct conf *conf, const struct conf_instance *in)
{
	bool weighted = false;

	for (size_t i = 0; i < in->ntracks; i++)
		weighted |= track_weight(conf, &in->tracks[i]) != 0;
	if (!weighted)
		return;
	if (in->priority == VRRP_PRIO_OWNER)
		WARN(conf, &in->loc,
		    "instance %s: tracker weights have no "
		    "effect on the address owner (priority "
		    "255 never changes); use weight 0 to "
		    "go to FAULT instead",
		    in->name);
	else if (!in->preempt)
		WARN(conf, &in->loc,
		    "instance %s: nopreempt with weighted "
		    "trackers: if the peers do not preempt "
		    "either, a master whose checks fail "
		    "keeps the addresses (weight 0 puts it "
		    "in FAULT instead)",
		    in->name);
}

/*
 * The priority range trackers give an instance: healthy (every positive
 * weight added) and worst (every negative weight subtracted, no bonus).
 * False when a reversed tracker makes the range unclear.
 */
static bool
priority_range(const struct conf *conf, const struct conf_instance *in,
    int *healthy, int *worst, bool *weighted)
{
	int w;

	*healthy = *worst = in->priority;
	*weighted = false;
	for (size_t i = 0; i < in->ntracks; i++) {
		if (in->tracks[i].reverse)
			return false;
		w = track_weight(conf, &in->tracks[i]);
		*weighted |= w != 0;
		if (w > 0)
			*healthy += w;
		else
			*worst += w;
	}
	*healthy = vrrp_fsm_clamp_priority(in->priority, *healthy);
	*worst = vrrp_fsm_clamp_priority(in->priority, *worst);
	return true;
}

void
conf_check_peer_weights(struct conf *conf, const struct conf *peer,
    const char *peer_id)
{
	for (size_t i = 0; i < conf->ninstances; i++) {
		const struct conf_instance *in = &conf->instances[i];
		int healthy, worst, phealthy, pworst;
		bool weighted, pweighted;

		for (size_t j = 0; j < peer->ninstances; j++) {
			const struct conf_instance *pin = &peer->instances[j];

			if (strcmp(pin->name, in->name) != 0 ||
			    in->priority == VRRP_PRIO_OWNER ||
			    !priority_range(conf, in, &healthy, &worst,
				&weighted) ||
			    !priority_range(peer, pin, &phealthy, &pworst,
				&pweighted))
				continue;
			/* Only the intended master's failures must move. */
			if (!weighted || healthy <= phealthy ||
			    worst < phealthy)
				continue;
			WARN(conf, &in->loc,
			    "instance %s: with every weighted "
			    "tracker failing its priority "
			    "falls to %d, not below %d on %s: "
			    "a failure here never hands the "
			    "addresses over (use larger "
			    "negative weights, or weight 0 "
			    "for FAULT)",
			    in->name, worst, phealthy, peer_id);
		}
	}
}

static void
rule_instances(struct conf *conf)
{
	for (size_t i = 0; i < conf->ninstances; i++) {
		const struct conf_instance *in = &conf->instances[i];
		char owner[128];

		/* Missing values there are likely the ones reported. */
		if (!in->parse_errors) {
			instance_ranges(conf, in);
			instance_addresses(conf, in);
		}
		instance_auth(conf, in);
		instance_strict(conf, in);
		instance_weights(conf, in);
		snprintf(owner, sizeof(owner), "instance %s", in->name);
		tracks_defined(conf, owner, in->tracks, in->ntracks);
	}
}

/* Two instances on one link, family and VRID are one virtual router. */
static bool
peers_disjoint(const struct conf_instance *a, const struct conf_instance *b)
{
	if (a->npeers == 0 || b->npeers == 0)
		return false;
	for (size_t i = 0; i < a->npeers; i++)
		for (size_t j = 0; j < b->npeers; j++)
			if (addr_cmp(&a->peers[i].addr, &b->peers[j].addr) == 0)
				return false;
	return true;
}

static void
rule_unique(struct conf *conf)
{
	for (size_t i = 0; i < conf->ninstances; i++)
		for (size_t j = 0; j < i; j++) {
			const struct conf_instance *a = &conf->instances[j];
			const struct conf_instance *b = &conf->instances[i];

			if (strcmp(a->name, b->name) == 0)
				ERR(conf, &b->loc,
				    "instance %s is defined "
				    "twice (first at line %u)",
				    b->name, a->loc.line);
			else if (a->vrid == b->vrid && a->vrid != 0 &&
			    a->family == b->family &&
			    strcmp(a->interface, b->interface) == 0 &&
			    !peers_disjoint(a, b))
				ERR(conf, &b->loc,
				    "instance %s: VRID %u is "
				    "already used on %s by "
				    "instance %s",
				    b->name, b->vrid,
				    b->interface[0] != '\0' ? b->interface :
							      "its link",
				    a->name);
		}
	for (size_t i = 0; i < conf->nchecks; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(conf->checks[i].name,
				conf->checks[j].name) == 0)
				ERR(conf, &conf->checks[i].loc,
				    "check %s is "
				    "defined "
				    "twice",
				    conf->checks[i].name);
}

/* Some instance or sync group tracks kind/name. */
static bool
tracked(const struct conf *conf, enum conf_track_kind kind, const char *name)
{
	const struct conf_track *t;

	for (size_t i = 0; i < conf->ninstances; i++)
		for (size_t k = 0; k < conf->instances[i].ntracks; k++) {
			t = &conf->instances[i].tracks[k];
			if (t->kind == kind && t->name != NULL &&
			    strcmp(t->name, name) == 0)
				return true;
		}
	for (size_t i = 0; i < conf->nsync_groups; i++)
		for (size_t k = 0; k < conf->sync_groups[i].ntracks; k++) {
			t = &conf->sync_groups[i].tracks[k];
			if (t->kind == kind && t->name != NULL &&
			    strcmp(t->name, name) == 0)
				return true;
		}
	return false;
}

static void
rule_checks(struct conf *conf)
{
	for (size_t i = 0; i < conf->nchecks; i++) {
		const struct conf_check *c = &conf->checks[i];

		if (c->kind == CONF_CHECK_SCRIPT && c->script.cmd == NULL)
			ERR(conf, &c->loc, "check %s: no command (script)",
			    c->name);
		if (c->kind == CONF_CHECK_TCP && c->connect == NULL)
			ERR(conf, &c->loc, "check %s: no connect address",
			    c->name);
		if (c->kind == CONF_CHECK_TCP && c->connect != NULL &&
		    addr_parse_hostport(c->connect, &(struct addr) { 0 },
			&(uint16_t) { 0 }) != 0)
			ERR(conf, &c->loc,
			    "check %s: connect \"%s\": expected ADDRESS:PORT "
			    "with a numeric address ([v6]:port for IPv6; the "
			    "daemon resolves no names)",
			    c->name, c->connect);
		if (c->kind == CONF_CHECK_HTTP && c->url == NULL)
			ERR(conf, &c->loc, "check %s: no url", c->name);
		if (c->kind == CONF_CHECK_HTTP && c->url != NULL &&
		    strncmp(c->url, "http://", 7) != 0 &&
		    strncmp(c->url, "https://", 8) != 0)
			ERR(conf, &c->loc,
			    "check %s: url \"%s\" is not http:// or https://",
			    c->name, c->url);
		if (c->kind == CONF_CHECK_HTTP && c->expect_body != NULL &&
		    c->method != NULL && strcmp(c->method, "HEAD") == 0)
			ERR(conf, &c->loc,
			    "check %s: expect_body needs method GET (HEAD "
			    "has no body)",
			    c->name);
		if (c->interval_ms == 0)
			ERR(conf, &c->loc,
			    "check %s: interval must be more "
			    "than 0",
			    c->name);
		if (c->timeout_ms > c->interval_ms)
			WARN(conf, &c->loc,
			    "check %s: timeout %u ms is longer "
			    "than the interval %u ms: runs "
			    "are skipped while one is "
			    "pending",
			    c->name, c->timeout_ms, c->interval_ms);
		if (c->weight < -253 || c->weight > 253)
			ERR(conf, &c->loc,
			    "check %s: weight %d is outside "
			    "-253..253",
			    c->name, c->weight);
		if (c->name != NULL &&
		    !tracked(conf, CONF_TRACK_CHECK, c->name))
			WARN(conf, &c->loc,
			    "check %s is tracked by no instance: it can never "
			    "move mastership",
			    c->name);
	}
}

static void
rule_sync_groups(struct conf *conf)
{
	for (size_t i = 0; i < conf->nsync_groups; i++) {
		const struct conf_sync_group *g = &conf->sync_groups[i];
		char owner[128];

		for (size_t m = 0; m < g->nmembers; m++) {
			size_t k;

			for (k = 0; k < conf->ninstances; k++)
				if (strcmp(conf->instances[k].name,
					g->members[m]) == 0)
					break;
			if (k == conf->ninstances)
				ERR(conf, &g->member_locs[m],
				    "sync group %s: "
				    "instance %s "
				    "is not "
				    "defined",
				    g->name, g->members[m]);
			else if (strcmp(conf->instances[k].sync_group,
				     g->name) != 0)
				ERR(conf, &g->member_locs[m],
				    "sync group %s: "
				    "instance %s "
				    "is already in "
				    "group %s",
				    g->name, g->members[m],
				    conf->instances[k].sync_group);
		}
		if (g->nmembers < 2)
			WARN(conf, &g->loc,
			    "sync group %s has %zu member%s; a "
			    "group synchronises two or more",
			    g->name, g->nmembers, g->nmembers == 1 ? "" : "s");
		snprintf(owner, sizeof(owner), "sync group %s", g->name);
		tracks_defined(conf, owner, g->tracks, g->ntracks);
	}
}

/* VIP k of instance ci: the advertised ones, then the excluded. */
static const struct conf_vip *
vip_at(const struct conf_instance *ci, size_t k)
{
	return k < ci->nvips ? &ci->vips[k] : &ci->vips_excluded[k - ci->nvips];
}

static bool
same_place(const struct conf_instance *a, const struct conf_vip *va,
    const struct conf_instance *b, const struct conf_vip *vb)
{
	const char *da = va->dev[0] != '\0' ? va->dev : a->interface;
	const char *db = vb->dev[0] != '\0' ? vb->dev : b->interface;

	return addr_cmp(&va->addr, &vb->addr) == 0 && strcmp(da, db) == 0;
}

/*
 * One address in two instances: whichever leaves MASTER removes it while
 * the other may still be master, and a backup's start-up cleanup removes
 * it from under a master.
 */
static void
rule_shared_vips(struct conf *conf)
{
	const struct conf_instance *a, *b;
	char buf[ADDR_STRLEN];

	for (size_t i = 0; i < conf->ninstances; i++)
		for (size_t j = 0; j < i; j++) {
			a = &conf->instances[j];
			b = &conf->instances[i];
			for (size_t k = 0; k < b->nvips + b->nvips_excluded;
			     k++)
				for (size_t l = 0;
				     l < a->nvips + a->nvips_excluded; l++) {
					if (!same_place(a, vip_at(a, l), b,
						vip_at(b, k)))
						continue;
					WARN(conf, &vip_at(b, k)->loc,
					    "instance %s: %s is also a "
					    "virtual address of instance %s; "
					    "each removes it when it is not "
					    "master",
					    b->name,
					    addr_fmt(&vip_at(b, k)->addr, buf,
						sizeof(buf)),
					    a->name);
					break;
				}
		}
}

/* The control socket and the metrics listener (man/vrrpctl.8). */
static void
rule_control(struct conf *conf)
{
	const struct conf_global *g = &conf->global;
	struct addr a;
	uint16_t port;

	/* null (YAML ~): no control socket at all. */
	if (g->control_socket != NULL &&
	    (g->control_socket[0] != '/' || strlen(g->control_socket) >= 108))
		ERR(conf, &g->loc,
		    "control_socket: expected an absolute path of at most 107 "
		    "bytes, got \"%s\"",
		    g->control_socket);
	if (g->control_group_write && g->control_group == NULL)
		ERR(conf, &g->loc, "control_group_write needs a control_group");
	if (g->metrics_listen != NULL &&
	    (addr_parse_hostport(g->metrics_listen, &a, &port) != 0 ||
		port == 0))
		ERR(conf, &g->loc,
		    "metrics_listen: expected ADDR:PORT or [ADDR]:PORT with a "
		    "numeric address, got \"%s\"",
		    g->metrics_listen);
}

/* A name /run/netns can hold: what ip netns add accepts. */
static bool
netns_name_ok(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL &&
	    strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
	    strlen(name) < 64;
}

/* The notify FIFOs, their scripts, the namespace. */
static void
rule_process(struct conf *conf)
{
	const struct conf_global *g = &conf->global;

	if (g->net_namespace != NULL && !netns_name_ok(g->net_namespace))
		ERR(conf, &g->loc,
		    "net_namespace \"%s\": expected the name of a namespace "
		    "in /run/netns (no '/', at most 63 bytes)",
		    g->net_namespace);
	if (g->notify_fifo_script.cmd != NULL && g->notify_fifo == NULL)
		ERR(conf, &g->notify_fifo_script.loc,
		    "notify_fifo_script needs notify_fifo (the FIFO it reads)");
	if (g->vrrp_notify_fifo_script.cmd != NULL &&
	    g->vrrp_notify_fifo == NULL)
		ERR(conf, &g->vrrp_notify_fifo_script.loc,
		    "vrrp_notify_fifo_script needs vrrp_notify_fifo (the FIFO "
		    "it reads)");
	if (g->notify_fifo != NULL && g->vrrp_notify_fifo != NULL &&
	    strcmp(g->notify_fifo, g->vrrp_notify_fifo) == 0)
		WARN(conf, &g->loc,
		    "notify_fifo and vrrp_notify_fifo are both %s: each line "
		    "is written twice (keepalived: the FIFO names must all be "
		    "different)",
		    g->notify_fifo);
	if (g->default_interface != NULL &&
	    strlen(g->default_interface) >= CONF_IFNAMSIZ)
		ERR(conf, &g->loc,
		    "default_interface \"%s\" is longer than %d characters",
		    g->default_interface, CONF_IFNAMSIZ - 1);
}

static rule_fn *const rules[] = {
	rule_control,
	rule_process,
	conf_validate_registry,
	rule_instances,
	rule_unique,
	rule_shared_vips,
	rule_checks,
	rule_sync_groups,
	conf_routes_validate,
};

void
conf_validate(struct conf *conf, const struct conf_opts *opts)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		rules[i](conf);
	if (opts != NULL && opts->check_live)
		conf_check_live(conf);
}
