/* SPDX-License-Identifier: BSD-2-Clause */
/* The configuration model: building, defaults, value parsers, freeing. */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_priv.h"

char *
conf_strdup(const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		abort();
	return d;
}

struct conf *
conf_new(enum conf_format format)
{
	struct conf *conf = calloc(1, sizeof(*conf));
	struct conf_global *g;

	if (conf == NULL)
		return NULL;
	conf->format = format;
	g = &conf->global;
	g->vrrp_version = format == CONF_FMT_KEEPALIVED ? 2 : 3;
	addr_parse("224.0.0.18", &g->mcast_group4);
	addr_parse("ff02::12", &g->mcast_group6);
	/* keepalived: two bursts of 5, five seconds apart (§1.7). */
	g->garp.master_delay_ms = 5000;
	g->garp.master_repeat = 5;
	g->garp.master_refresh_repeat = 1;
	g->garp.lower_prio_delay_ms = 5000;
	g->garp.lower_prio_repeat = 5;
	g->down_timer_adverts = 3;
	/*
	 * On, where keepalived's default is off: a master yielding to a
	 * higher priority sends one last advert, so that after a split brain
	 * heals the surviving master always hears a lower priority and
	 * re-announces; otherwise clients that followed the loser keep its
	 * MAC whenever the winner's advert happens to arrive first.
	 */
	g->higher_prio_send_advert = true;
	g->control_socket = conf_strdup(CONF_CONTROL_SOCKET);
	g->registry.session_timeout_ms = 10000;
	return conf;
}

const char *
conf_file_name(struct conf *conf, const char *path)
{
	char **files;

	for (size_t i = 0; i < conf->nfiles; i++)
		if (strcmp(conf->files[i], path) == 0)
			return conf->files[i];
	files = realloc(conf->files, (conf->nfiles + 1) * sizeof(*files));
	if (files == NULL)
		abort();
	conf->files = files;
	conf->files[conf->nfiles] = conf_strdup(path);
	return conf->files[conf->nfiles++];
}

void
conf_note_config_id(struct conf *conf, const char *id)
{
	char **ids;

	if (id[0] == '\0' || conf->nconfig_ids >= 64)
		return;
	for (size_t i = 0; i < conf->nconfig_ids; i++)
		if (strcmp(conf->config_ids[i], id) == 0)
			return;
	ids = realloc(conf->config_ids, (conf->nconfig_ids + 1) * sizeof(*ids));
	if (ids == NULL)
		abort();
	conf->config_ids = ids;
	conf->config_ids[conf->nconfig_ids++] = conf_strdup(id);
}

void
conf_vdiag(struct conf *conf, const struct conf_loc *loc, enum conf_sev sev,
    const char *fmt, va_list ap)
{
	struct conf_diag *d;
	size_t n = conf->ndiags;
	char *msg;

	if (sev == CONF_ERROR)
		conf->nerrors++;
	if (n > CONF_MAX_DIAGS)
		return;
	if (n == CONF_MAX_DIAGS) {
		msg = conf_strdup("too many errors and warnings; "
				  "the rest are not shown");
		loc = NULL;
		sev = CONF_ERROR;
	} else if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	d = realloc(conf->diags, (n + 1) * sizeof(*d));
	if (d == NULL)
		abort();
	conf->diags = d;
	d = &conf->diags[conf->ndiags++];
	memset(d, 0, sizeof(*d));
	if (loc != NULL)
		d->loc = *loc;
	d->sev = sev;
	d->msg = msg;
}

void
conf_diag(struct conf *conf, const struct conf_loc *loc, enum conf_sev sev,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_vdiag(conf, loc, sev, fmt, ap);
	va_end(ap);
}

void *
conf_grow(struct conf *conf, const struct conf_loc *loc, void *base, size_t n,
    size_t size)
{
	void *p;

	if (n >= CONF_MAX_ITEMS) {
		conf_diag(conf, loc, CONF_ERROR,
		    "more than %u entries in one list", CONF_MAX_ITEMS);
		return NULL;
	}
	/* Capacity is implied by n: it doubles at every power of two. */
	if (n != 0 && (n & (n - 1)) != 0)
		return base;
	p = realloc(base, (n == 0 ? 1 : n * 2) * size);
	if (p == NULL)
		abort();
	return p;
}

static void
notify_init(struct conf_notify *n, const struct conf_loc *loc)
{
	n->master.loc = n->backup.loc = n->fault.loc = *loc;
	n->stop.loc = n->any.loc = *loc;
}

struct conf_instance *
conf_add_instance(struct conf *conf, const struct conf_loc *loc,
    const char *name)
{
	struct conf_instance *in;

	in = CONF_PUSH(conf, loc, conf->instances, conf->ninstances);
	if (in == NULL)
		return NULL;
	in->loc = *loc;
	in->name = conf_strdup(name);
	in->priority = VRRP_PRIO_DEFAULT;
	in->adver_int_cs = 100;
	in->preempt = true;
	/* keepalived accepts VIP traffic unless strict (§1.9); so do we. */
	in->accept = true;
	in->csum_mode = VRRP_CSUM_PSEUDO;
	in->unicast_ttl = VRRP_TTL;
	notify_init(&in->notify, loc);
	/*
	 * Version, GARP settings and the global flags are left zero here and
	 * taken from global_defs by conf_finish(), so their order in the
	 * file does not matter; a written value sets has_* below.
	 */
	return in;
}

struct conf_check *
conf_add_check(struct conf *conf, const struct conf_loc *loc, const char *name,
    enum conf_check_kind kind)
{
	struct conf_check *c;

	c = CONF_PUSH(conf, loc, conf->checks, conf->nchecks);
	if (c == NULL)
		return NULL;
	c->loc = *loc;
	c->name = conf_strdup(name);
	c->kind = kind;
	c->interval_ms = 1000;
	c->rise = 1;
	c->fall = 1;
	c->script.loc = *loc;
	c->tls_verify = true;
	c->max_size = 64 * 1024;
	return c;
}

struct conf_track_file *
conf_add_track_file(struct conf *conf, const struct conf_loc *loc,
    const char *name)
{
	struct conf_track_file *t;

	t = CONF_PUSH(conf, loc, conf->track_files, conf->ntrack_files);
	if (t == NULL)
		return NULL;
	t->loc = *loc;
	t->name = conf_strdup(name);
	t->weight = 1;
	return t;
}

struct conf_track_process *
conf_add_track_process(struct conf *conf, const struct conf_loc *loc,
    const char *name)
{
	struct conf_track_process *t;

	t = CONF_PUSH(conf, loc, conf->track_procs, conf->ntrack_procs);
	if (t == NULL)
		return NULL;
	t->loc = *loc;
	t->name = conf_strdup(name);
	t->quorum = 1;
	t->quorum_max = CONF_QUORUM_MAX_NONE;
	return t;
}

struct conf_sync_group *
conf_add_sync_group(struct conf *conf, const struct conf_loc *loc,
    const char *name)
{
	struct conf_sync_group *g;

	g = CONF_PUSH(conf, loc, conf->sync_groups, conf->nsync_groups);
	if (g == NULL)
		return NULL;
	g->loc = *loc;
	g->name = conf_strdup(name);
	notify_init(&g->notify, loc);
	return g;
}

/* keepalived: IPv6 needs VRRPv3, whatever the default (§1.3 version). */
static void
finish_version(struct conf *conf, struct conf_instance *in)
{
	if (!(in->own & CONF_OWN_VERSION))
		in->version = conf->global.vrrp_version;
	if (in->family != AF_INET6 || in->version == 3)
		return;
	if (in->own & CONF_OWN_VERSION)
		conf_diag(conf, &in->loc, CONF_ERROR,
		    "instance %s: VRRP version 2 is IPv4 only; its virtual "
		    "addresses are IPv6 (use version 3)",
		    in->name);
	in->version = 3;
}

static void
finish_family(struct conf *conf, struct conf_instance *in)
{
	in->family = AF_UNSPEC;
	for (size_t i = 0; i < in->nvips; i++) {
		const struct conf_vip *v = &in->vips[i];

		if (v->addr.af == AF_UNSPEC)
			continue; /* unparsable: reported already */
		if (in->family == AF_UNSPEC)
			in->family = v->addr.af;
		else if (v->addr.af != in->family)
			conf_diag(conf, &v->loc, CONF_ERROR,
			    "instance %s: virtual addresses of both families; "
			    "one instance carries IPv4 or IPv6 "
			    "(use two instances, or virtual_ipaddress_excluded)",
			    in->name);
	}
	/* No VIPs: the advert source, then a unicast peer, decides. */
	if (in->family == AF_UNSPEC && in->has_src)
		in->family = in->src.af;
	if (in->family == AF_UNSPEC && in->npeers > 0)
		in->family = in->peers[0].addr.af;
	if (in->family == AF_UNSPEC)
		in->family = AF_INET;
}

#define INHERIT(in, g, bit, field)                \
	do {                                      \
		if (!((in)->own & (bit)))         \
			(in)->field = (g)->field; \
	} while (0)

static void
finish_inherit(const struct conf_global *g, struct conf_instance *in)
{
	INHERIT(in, g, CONF_OWN_STRICT, strict);
	INHERIT(in, g, CONF_OWN_SKIP_CHECK_ADV_ADDR, skip_check_adv_addr);
	INHERIT(in, g, CONF_OWN_CHECK_UNICAST_SRC, check_unicast_src);
	INHERIT(in, g, CONF_OWN_LOWER_PRIO_NO_ADVERT, lower_prio_no_advert);
	INHERIT(in, g, CONF_OWN_HIGHER_PRIO_SEND_ADVERT,
	    higher_prio_send_advert);
	INHERIT(in, g, CONF_OWN_OWNER_IGNORE_ADVERTS, owner_ignore_adverts);
	INHERIT(in, g, CONF_OWN_DOWN_TIMER_ADVERTS, down_timer_adverts);
	INHERIT(in, g, CONF_OWN_GARP_MASTER_DELAY, garp.master_delay_ms);
	INHERIT(in, g, CONF_OWN_GARP_MASTER_REPEAT, garp.master_repeat);
	INHERIT(in, g, CONF_OWN_GARP_MASTER_REFRESH, garp.master_refresh_ms);
	INHERIT(in, g, CONF_OWN_GARP_MASTER_REFRESH_REPEAT,
	    garp.master_refresh_repeat);
	INHERIT(in, g, CONF_OWN_GARP_LOWER_PRIO_DELAY,
	    garp.lower_prio_delay_ms);
	INHERIT(in, g, CONF_OWN_GARP_LOWER_PRIO_REPEAT, garp.lower_prio_repeat);
	INHERIT(in, g, CONF_OWN_GARP_INTERVAL, garp.interval_ms);
	INHERIT(in, g, CONF_OWN_NA_INTERVAL, garp.na_interval_ms);
	INHERIT(in, g, CONF_OWN_NOTIFY_PRIORITY_CHANGES,
	    notify_priority_changes);
	/*
	 * keepalived strict mode: accept off unless the owner, and the
	 * pre-RFC 9568 discard of lower priority adverts (§1.8 vrrp_strict).
	 */
	if (in->strict) {
		if (!(in->own & CONF_OWN_ACCEPT))
			in->accept = in->priority == VRRP_PRIO_OWNER;
		in->lower_prio_no_advert = true;
	}
}

/*
 * keepalived clears nopreempt (and preempt_delay) when the instance starts
 * as MASTER or is the owner: "nopreempt will not work with initial state
 * MASTER - clearing". A keepalived file keeps that, loudly; in YAML it is a
 * contradiction and an error.
 */
static void
finish_preempt(struct conf *conf, struct conf_instance *in)
{
	const char *why;

	if (in->preempt && in->preempt_delay_ms == 0)
		return;
	if (in->priority == VRRP_PRIO_OWNER)
		why = "priority 255 (the address owner always preempts)";
	else if (in->state == CONF_STATE_MASTER)
		why = "state MASTER";
	else
		return;
	if (conf->format == CONF_FMT_YAML) {
		conf_diag(conf, &in->loc, CONF_ERROR,
		    "instance %s: %s contradicts %s", in->name,
		    in->preempt ? "preempt_delay" : "preempt: false", why);
		return;
	}
	conf_diag(conf, &in->loc, CONF_WARNING,
	    "instance %s: %s has no effect with %s; cleared, as keepalived "
	    "does",
	    in->name, in->preempt ? "preempt_delay" : "nopreempt", why);
	in->preempt = true;
	in->preempt_delay_ms = 0;
}

/*
 * keepalived: "Initial state master is incompatible with AH authentication
 * - clearing": a non-owner learns the peers' AH sequence numbers from an
 * advert before it may become master. Cleared before finish_preempt(), as
 * keepalived does it before its nopreempt check.
 */
static void
finish_ah(struct conf *conf, struct conf_instance *in)
{
	if (in->auth_type != VRRP_AUTH_AH || in->strict ||
	    in->state != CONF_STATE_MASTER || in->priority == VRRP_PRIO_OWNER)
		return;
	conf_diag(conf, &in->loc, CONF_WARNING,
	    "instance %s: state MASTER with auth_type AH: starts as BACKUP, "
	    "as keepalived does (the AH sequence numbers are learnt from an "
	    "advert first)",
	    in->name);
	in->state = CONF_STATE_BACKUP;
}

/*
 * keepalived vrrp_strict drops what the RFCs do not allow, with a message:
 * authentication (removed by RFC 3768) and preempt_delay.
 */
static void
finish_strict(struct conf *conf, struct conf_instance *in)
{
	if (!in->strict)
		return;
	if (in->auth_type != VRRP_AUTH_NONE) {
		conf_diag(conf, &in->loc, CONF_WARNING,
		    "instance %s: strict mode does not allow authentication; "
		    "ignored, as keepalived does",
		    in->name);
		in->auth_type = VRRP_AUTH_NONE;
		memset(in->auth_pass, 0, sizeof(in->auth_pass));
	}
	if (in->preempt_delay_ms != 0) {
		conf_diag(conf, &in->loc, CONF_WARNING,
		    "instance %s: strict mode does not allow preempt_delay; "
		    "ignored, as keepalived does",
		    in->name);
		in->preempt_delay_ms = 0;
	}
}

/*
 * keepalived: addresses without a dev go on the instance's interface, or
 * with none (unicast) on default_interface. keepalived's own default,
 * eth0, is not taken: without default_interface that is an error
 * (validate.c), not an address on whichever interface is called eth0.
 */
static void
finish_default_interface(const struct conf_global *g, struct conf_instance *in)
{
	struct conf_vip *v;

	if (in->interface[0] != '\0' || g->default_interface == NULL ||
	    strlen(g->default_interface) >= CONF_IFNAMSIZ)
		return;
	for (size_t i = 0; i < in->nvips + in->nvips_excluded; i++) {
		v = i < in->nvips ? &in->vips[i] :
				    &in->vips_excluded[i - in->nvips];
		if (v->dev[0] == '\0')
			strcpy(v->dev, g->default_interface);
	}
}

/*
 * keepalived ignores a track_interface naming the instance's own
 * interface: its link already puts the instance in FAULT, and a weight
 * on it would count twice (150 + 50 = 200 while up where keepalived
 * keeps 150). Its message is kept; in YAML it is an error.
 */
static void
finish_own_interface(struct conf *conf, struct conf_instance *in)
{
	size_t n = 0;

	for (size_t i = 0; i < in->ntracks; i++) {
		struct conf_track *t = &in->tracks[i];

		if (t->kind != CONF_TRACK_IFACE || in->interface[0] == '\0' ||
		    strcmp(t->name, in->interface) != 0) {
			in->tracks[n++] = *t;
			continue;
		}
		if (conf->format == CONF_FMT_YAML) {
			conf_diag(conf, &t->loc, CONF_ERROR,
			    "instance %s: tracks its own interface %s, whose "
			    "link already puts it in FAULT",
			    in->name, t->name);
			in->tracks[n++] = *t;
			continue;
		}
		conf_diag(conf, &t->loc, CONF_WARNING,
		    "(%s) Ignoring track_interface %s since own interface "
		    "(as keepalived does: its link already puts the instance "
		    "in FAULT)",
		    in->name, t->name);
		free(t->name);
	}
	in->ntracks = n;
}

/*
 * keepalived: quorum_max 0 means up only while no process runs, and
 * then the quorum (1 unless written higher) does not count.
 */
static void
finish_track_procs(struct conf *conf)
{
	for (size_t i = 0; i < conf->ntrack_procs; i++) {
		const struct conf_track_process *t = &conf->track_procs[i];

		if (t->quorum_max == 0 ? t->quorum > 1 :
					 t->quorum_max < t->quorum)
			conf_diag(conf, &t->loc, CONF_ERROR,
			    "vrrp_track_process %s: quorum_max %u is less "
			    "than quorum %u",
			    t->name, t->quorum_max, t->quorum);
	}
}

/* A vrrp_script timeout defaults to its interval (keepalived). */
static void
finish_checks(struct conf *conf)
{
	for (size_t i = 0; i < conf->nchecks; i++)
		if (conf->checks[i].timeout_ms == 0)
			conf->checks[i].timeout_ms =
			    conf->checks[i].interval_ms;
}

void
conf_finish(struct conf *conf)
{
	struct conf_registry *r = &conf->global.registry;

	finish_checks(conf);
	finish_track_procs(conf);
	if (r->servers != NULL && r->path == NULL)
		r->path = conf_strdup("/vrrpd");
	for (size_t i = 0; i < conf->ninstances; i++) {
		struct conf_instance *in = &conf->instances[i];

		finish_default_interface(&conf->global, in);
		finish_own_interface(conf, in);
		conf_routes_finish(conf, in);
		finish_family(conf, in);
		finish_version(conf, in);
		finish_inherit(&conf->global, in);
		finish_ah(conf, in);
		finish_preempt(conf, in);
		finish_strict(conf, in);
		free(in->sync_group);
		in->sync_group = NULL;
	}
	conf_routes_finish(conf, NULL);
	conf_vmac_finish(conf);
	for (size_t i = 0; i < conf->nsync_groups; i++) {
		const struct conf_sync_group *g = &conf->sync_groups[i];

		for (size_t m = 0; m < g->nmembers; m++)
			for (size_t k = 0; k < conf->ninstances; k++) {
				struct conf_instance *in = &conf->instances[k];

				if (strcmp(in->name, g->members[m]) == 0 &&
				    in->sync_group == NULL)
					in->sync_group = conf_strdup(g->name);
			}
	}
	conf_finish_sync_groups(conf);
}

static void
cmd_free(struct conf_cmd *c)
{
	free(c->cmd);
	free(c->user);
	free(c->group);
}

static void
notify_free(struct conf_notify *n)
{
	cmd_free(&n->master);
	cmd_free(&n->backup);
	cmd_free(&n->fault);
	cmd_free(&n->stop);
	cmd_free(&n->any);
}

static void
tracks_free(struct conf_track *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].name);
	free(t);
}

static void
instance_free(struct conf_instance *in)
{
	free(in->name);
	free(in->vips);
	free(in->vips_excluded);
	conf_routes_free(in, NULL);
	free(in->peers);
	tracks_free(in->tracks, in->ntracks);
	notify_free(&in->notify);
	free(in->sync_group);
	free(in->vmac.mac_text);
}

static void
check_free(struct conf_check *c)
{
	free(c->name);
	cmd_free(&c->script);
	free(c->connect);
	free(c->url);
	free(c->method);
	free(c->expect_status);
	free(c->expect_body);
	free(c->host);
	free(c->ca_file);
}

static void
global_free(struct conf_global *g)
{
	free(g->router_id);
	free(g->script_user);
	free(g->script_group);
	free(g->net_namespace);
	free(g->default_interface);
	free(g->vmac_prefix);
	free(g->notify_fifo);
	free(g->vrrp_notify_fifo);
	cmd_free(&g->notify_fifo_script);
	cmd_free(&g->vrrp_notify_fifo_script);
	free(g->control_socket);
	free(g->control_group);
	free(g->metrics_listen);
	free(g->registry.servers);
	free(g->registry.path);
	free(g->registry.auth_file);
	cmd_free(&g->registry.notify_split_brain);
	conf_routes_free(NULL, g);
}

void
conf_free(struct conf *conf)
{
	if (conf == NULL)
		return;
	global_free(&conf->global);
	for (size_t i = 0; i < conf->ninstances; i++)
		instance_free(&conf->instances[i]);
	free(conf->instances);
	for (size_t i = 0; i < conf->nchecks; i++)
		check_free(&conf->checks[i]);
	free(conf->checks);
	for (size_t i = 0; i < conf->ntrack_files; i++) {
		free(conf->track_files[i].name);
		free(conf->track_files[i].path);
	}
	free(conf->track_files);
	for (size_t i = 0; i < conf->ntrack_procs; i++) {
		free(conf->track_procs[i].name);
		free(conf->track_procs[i].process);
		free(conf->track_procs[i].param_match);
		free(conf->track_procs[i].params);
	}
	free(conf->track_procs);
	for (size_t i = 0; i < conf->nsync_groups; i++) {
		struct conf_sync_group *g = &conf->sync_groups[i];

		free(g->name);
		for (size_t m = 0; m < g->nmembers; m++)
			free(g->members[m]);
		free(g->members);
		free(g->member_locs);
		tracks_free(g->tracks, g->ntracks);
		notify_free(&g->notify);
	}
	free(conf->sync_groups);
	for (size_t i = 0; i < conf->nfiles; i++)
		free(conf->files[i]);
	free(conf->files);
	for (size_t i = 0; i < conf->nconfig_ids; i++)
		free(conf->config_ids[i]);
	free(conf->config_ids);
	for (size_t i = 0; i < conf->ndiags; i++)
		free(conf->diags[i].msg);
	free(conf->diags);
	free(conf);
}

/* ---- equality: every configured value, locations ignored ---- */

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
addr_eq(const struct addr *a, const struct addr *b)
{
	return addr_cmp(a, b) == 0;
}

static bool
cmd_eq(const struct conf_cmd *a, const struct conf_cmd *b)
{
	return str_eq(a->cmd, b->cmd) && str_eq(a->user, b->user) &&
	    str_eq(a->group, b->group);
}

static bool
notify_eq(const struct conf_notify *a, const struct conf_notify *b)
{
	return cmd_eq(&a->master, &b->master) &&
	    cmd_eq(&a->backup, &b->backup) && cmd_eq(&a->fault, &b->fault) &&
	    cmd_eq(&a->stop, &b->stop) && cmd_eq(&a->any, &b->any);
}

static bool
vip_eq(const struct conf_vip *a, const struct conf_vip *b)
{
	return addr_eq(&a->addr, &b->addr) && a->prefix == b->prefix &&
	    a->brd == b->brd &&
	    (a->brd != CONF_BRD_ADDR || addr_eq(&a->brd_addr, &b->brd_addr)) &&
	    strcmp(a->dev, b->dev) == 0 && strcmp(a->label, b->label) == 0 &&
	    a->scope == b->scope && a->preferred_lft == b->preferred_lft &&
	    a->nodad == b->nodad && a->no_track == b->no_track;
}

static bool
vips_eq(const struct conf_vip *a, size_t na, const struct conf_vip *b,
    size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!vip_eq(&a[i], &b[i]))
			return false;
	return true;
}

bool
conf_vips_equal(const struct conf_vip *a, size_t na, const struct conf_vip *b,
    size_t nb)
{
	return vips_eq(a, na, b, nb);
}

static bool
tracks_eq(const struct conf_track *a, size_t na, const struct conf_track *b,
    size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].kind != b[i].kind || !str_eq(a[i].name, b[i].name) ||
		    a[i].has_weight != b[i].has_weight ||
		    a[i].weight != b[i].weight ||
		    a[i].reverse != b[i].reverse ||
		    a[i].implicit != b[i].implicit)
			return false;
	return true;
}

static bool
peers_eq(const struct conf_instance *a, const struct conf_instance *b)
{
	if (a->npeers != b->npeers)
		return false;
	for (size_t i = 0; i < a->npeers; i++)
		if (!addr_eq(&a->peers[i].addr, &b->peers[i].addr) ||
		    a->peers[i].min_ttl != b->peers[i].min_ttl ||
		    a->peers[i].max_ttl != b->peers[i].max_ttl)
			return false;
	return true;
}

static bool
garp_eq(const struct conf_garp *a, const struct conf_garp *b)
{
	return memcmp(a, b, sizeof(*a)) == 0; /* integers only, no padding */
}

static bool
instance_eq(const struct conf_instance *a, const struct conf_instance *b)
{
	return str_eq(a->name, b->name) &&
	    strcmp(a->interface, b->interface) == 0 && a->vrid == b->vrid &&
	    a->priority == b->priority && a->version == b->version &&
	    a->family == b->family && a->adver_int_cs == b->adver_int_cs &&
	    a->state == b->state && a->preempt == b->preempt &&
	    a->preempt_delay_ms == b->preempt_delay_ms &&
	    a->accept == b->accept &&
	    a->down_timer_adverts == b->down_timer_adverts &&
	    a->lower_prio_no_advert == b->lower_prio_no_advert &&
	    a->higher_prio_send_advert == b->higher_prio_send_advert &&
	    a->owner_ignore_adverts == b->owner_ignore_adverts &&
	    a->skip_check_adv_addr == b->skip_check_adv_addr &&
	    a->check_unicast_src == b->check_unicast_src &&
	    a->unicast_fault_no_peer == b->unicast_fault_no_peer &&
	    a->dont_track_primary == b->dont_track_primary &&
	    a->strict == b->strict && a->csum_mode == b->csum_mode &&
	    a->notify_priority_changes == b->notify_priority_changes &&
	    a->auth_type == b->auth_type &&
	    strcmp(a->auth_pass, b->auth_pass) == 0 &&
	    vips_eq(a->vips, a->nvips, b->vips, b->nvips) &&
	    vips_eq(a->vips_excluded, a->nvips_excluded, b->vips_excluded,
		b->nvips_excluded) &&
	    a->has_src == b->has_src &&
	    (!a->has_src || addr_eq(&a->src, &b->src)) && peers_eq(a, b) &&
	    a->unicast == b->unicast && a->unicast_ttl == b->unicast_ttl &&
	    tracks_eq(a->tracks, a->ntracks, b->tracks, b->ntracks) &&
	    notify_eq(&a->notify, &b->notify) && garp_eq(&a->garp, &b->garp) &&
	    str_eq(a->sync_group, b->sync_group) &&
	    conf_vmac_equal(&a->vmac, &b->vmac) &&
	    conf_routes_instance_eq(a, b);
}

bool
conf_instance_equal(const struct conf_instance *a,
    const struct conf_instance *b)
{
	return instance_eq(a, b);
}

bool
conf_instance_equal_but_vips(const struct conf_instance *a,
    const struct conf_instance *b)
{
	struct conf_instance c = *b; /* a shallow copy, compared only */

	c.vips = a->vips;
	c.nvips = a->nvips;
	c.vips_excluded = a->vips_excluded;
	c.nvips_excluded = a->nvips_excluded;
	return a->family == b->family && instance_eq(a, &c);
}

static bool
check_eq(const struct conf_check *a, const struct conf_check *b)
{
	if (a->nexpect_status != b->nexpect_status)
		return false;
	for (size_t i = 0; i < a->nexpect_status; i++)
		if (a->expect_status[i].lo != b->expect_status[i].lo ||
		    a->expect_status[i].hi != b->expect_status[i].hi)
			return false;
	return str_eq(a->name, b->name) && a->kind == b->kind &&
	    a->interval_ms == b->interval_ms &&
	    a->timeout_ms == b->timeout_ms && a->rise == b->rise &&
	    a->fall == b->fall && a->weight == b->weight &&
	    a->reverse == b->reverse && a->init_fail == b->init_fail &&
	    cmd_eq(&a->script, &b->script) && str_eq(a->connect, b->connect) &&
	    a->has_bind == b->has_bind &&
	    (!a->has_bind || addr_eq(&a->bind, &b->bind)) &&
	    str_eq(a->url, b->url) && str_eq(a->method, b->method) &&
	    str_eq(a->expect_body, b->expect_body) &&
	    str_eq(a->host, b->host) && str_eq(a->ca_file, b->ca_file) &&
	    a->tls_verify == b->tls_verify && a->max_size == b->max_size;
}

bool
conf_check_equal(const struct conf_check *a, const struct conf_check *b)
{
	return check_eq(a, b);
}

static bool
track_file_eq(const struct conf_track_file *a, const struct conf_track_file *b)
{
	return str_eq(a->name, b->name) && str_eq(a->path, b->path) &&
	    a->weight == b->weight && a->reverse == b->reverse &&
	    a->has_init == b->has_init && a->init_value == b->init_value &&
	    a->init_overwrite == b->init_overwrite;
}

static bool
track_proc_eq(const struct conf_track_process *a,
    const struct conf_track_process *b)
{
	return str_eq(a->name, b->name) && str_eq(a->process, b->process) &&
	    str_eq(a->param_match, b->param_match) &&
	    str_eq(a->params, b->params) &&
	    a->full_command == b->full_command && a->weight == b->weight &&
	    a->reverse == b->reverse && a->quorum == b->quorum &&
	    a->quorum_max == b->quorum_max && a->delay_ms == b->delay_ms &&
	    a->terminate_delay_ms == b->terminate_delay_ms;
}

bool
conf_track_process_equal(const struct conf_track_process *a,
    const struct conf_track_process *b)
{
	return track_proc_eq(a, b);
}

static bool
sync_group_eq(const struct conf_sync_group *a, const struct conf_sync_group *b)
{
	if (!str_eq(a->name, b->name) || a->nmembers != b->nmembers)
		return false;
	for (size_t i = 0; i < a->nmembers; i++)
		if (!str_eq(a->members[i], b->members[i]))
			return false;
	return tracks_eq(a->tracks, a->ntracks, b->tracks, b->ntracks) &&
	    notify_eq(&a->notify, &b->notify) &&
	    a->tracking_weight == b->tracking_weight;
}

static bool
registry_eq(const struct conf_registry *a, const struct conf_registry *b)
{
	return str_eq(a->servers, b->servers) && str_eq(a->path, b->path) &&
	    a->session_timeout_ms == b->session_timeout_ms &&
	    str_eq(a->auth_file, b->auth_file) &&
	    cmd_eq(&a->notify_split_brain, &b->notify_split_brain);
}

static bool
global_eq(const struct conf_global *a, const struct conf_global *b)
{
	return str_eq(a->router_id, b->router_id) &&
	    str_eq(a->script_user, b->script_user) &&
	    str_eq(a->script_group, b->script_group) &&
	    a->script_security == b->script_security &&
	    a->startup_delay_ms == b->startup_delay_ms &&
	    addr_eq(&a->mcast_group4, &b->mcast_group4) &&
	    addr_eq(&a->mcast_group6, &b->mcast_group6) &&
	    a->dynamic_interfaces == b->dynamic_interfaces &&
	    a->lvs_elsewhere == b->lvs_elsewhere &&
	    str_eq(a->net_namespace, b->net_namespace) &&
	    str_eq(a->default_interface, b->default_interface) &&
	    str_eq(a->notify_fifo, b->notify_fifo) &&
	    str_eq(a->vrrp_notify_fifo, b->vrrp_notify_fifo) &&
	    cmd_eq(&a->notify_fifo_script, &b->notify_fifo_script) &&
	    cmd_eq(&a->vrrp_notify_fifo_script, &b->vrrp_notify_fifo_script) &&
	    str_eq(a->control_socket, b->control_socket) &&
	    str_eq(a->control_group, b->control_group) &&
	    a->control_group_write == b->control_group_write &&
	    str_eq(a->metrics_listen, b->metrics_listen) &&
	    registry_eq(&a->registry, &b->registry) &&
	    conf_routes_global_eq(a, b);
}

#define ARRAY_EQ(a, b, arr, n, eq)                             \
	do {                                                   \
		if ((a)->n != (b)->n)                          \
			return false;                          \
		for (size_t i_ = 0; i_ < (a)->n; i_++)         \
			if (!eq(&(a)->arr[i_], &(b)->arr[i_])) \
				return false;                  \
	} while (0)

/*
 * Global values that only feed instance defaults (version, garp, flags) are
 * compared through the instances they were copied into, so a YAML dump that
 * writes them per instance equals the keepalived file it came from.
 */
bool
conf_equal(const struct conf *a, const struct conf *b)
{
	if (!global_eq(&a->global, &b->global))
		return false;
	ARRAY_EQ(a, b, instances, ninstances, instance_eq);
	ARRAY_EQ(a, b, checks, nchecks, check_eq);
	ARRAY_EQ(a, b, track_files, ntrack_files, track_file_eq);
	ARRAY_EQ(a, b, track_procs, ntrack_procs, track_proc_eq);
	ARRAY_EQ(a, b, sync_groups, nsync_groups, sync_group_eq);
	return true;
}
