/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The native YAML front end (src/conf/yaml*.c) and the YAML emitter
 * (src/conf/emit.c): every key into its model field, every error with its
 * line:column, and parse -> emit -> parse giving an equal model. Example
 * files are read from tests/conf/ (tests run from the repository root).
 */

#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "conf_test.h"

#define GOOD "tests/conf/good/"
#define BAD  "tests/conf/bad/"

/* ---- helpers ---- */

static struct conf *
load(const char *text)
{
	struct conf *conf = conf_load_mem("x.yaml", text, strlen(text), NULL);

	ck_assert_ptr_nonnull(conf);
	return conf;
}

/* Loads without a single diag (not even a warning). */
static struct conf *
load_clean(const char *text)
{
	struct conf *conf = load(text);
	char *d = diags_text(conf);

	ck_assert_msg(conf->ndiags == 0, "unexpected diags:\n%s", d);
	free(d);
	return conf;
}

static struct conf *
load_path(const char *path)
{
	struct conf *conf = conf_load_file(path, NULL);
	char *d;

	ck_assert_ptr_nonnull(conf);
	d = diags_text(conf);
	ck_assert_msg(conf->ndiags == 0, "%s: unexpected diags:\n%s", path, d);
	free(d);
	return conf;
}

static void
expect_diags(const char *text, const char *want)
{
	struct conf *conf = load(text);
	char *got = diags_text(conf);

	ck_assert_msg(strcmp(got, want) == 0, "--- expected\n%s--- got\n%s",
	    want, got);
	free(got);
	conf_free(conf);
}

/* parse -> emit -> parse: the same model; returns the YAML. */
static char *
round_trip(const struct conf *conf)
{
	char *yaml = emit(conf), *d;
	struct conf *back = load(yaml);

	d = diags_text(back);
	ck_assert_msg(back->nerrors == 0, "dump does not load:\n%s\n%s", d,
	    yaml);
	ck_assert_msg(conf_equal(conf, back), "dump loads differently:\n%s",
	    yaml);
	free(d);
	conf_free(back);
	return yaml;
}

static const struct conf_check *
check(const struct conf *conf, const char *name)
{
	for (size_t i = 0; i < conf->nchecks; i++)
		if (strcmp(conf->checks[i].name, name) == 0)
			return &conf->checks[i];
	ck_abort_msg("no check %s", name);
	return NULL;
}

#define MINIMAL                                                    \
	"instances:\n  VI_1:\n    interface: eth0\n    vrid: 51\n" \
	"    virtual_ipaddress: [192.0.2.100/24]\n"

/* ---- parse_good ---- */

START_TEST(full_file_fills_global_and_registry)
{
	struct conf *conf = load_path(GOOD "full.yaml");
	const struct conf_global *g = &conf->global;

	ck_assert_str_eq(g->router_id, "lvs-a");
	ck_assert_str_eq(g->script_user, "vrrpd-script");
	ck_assert_str_eq(g->script_group, "vrrpd-script");
	ck_assert(g->script_security);
	ck_assert_uint_eq(g->vrrp_version, 2);
	assert_addr(&g->mcast_group4, "233.252.0.18");
	assert_addr(&g->mcast_group6, "ff02::12");
	ck_assert_uint_eq(g->startup_delay_ms, 5000);
	ck_assert(!g->strict && g->skip_check_adv_addr && g->check_unicast_src);
	ck_assert(!g->lower_prio_no_advert && g->higher_prio_send_advert);
	ck_assert(g->owner_ignore_adverts);
	ck_assert_uint_eq(g->down_timer_adverts, 4);
	ck_assert(g->dynamic_interfaces && g->lvs_elsewhere);
	ck_assert_str_eq(g->notify_fifo, "/run/vrrpd/notify.fifo");
	ck_assert_str_eq(g->vrrp_notify_fifo, "/run/vrrpd/vrrp.fifo");
	ck_assert_str_eq(g->control_socket, "/run/vrrpd/ctl.sock");
	ck_assert_str_eq(g->control_group, "vrrpd");
	ck_assert_uint_eq(g->garp.master_delay_ms, 2000);
	ck_assert_uint_eq(g->garp.master_repeat, 3);
	ck_assert_uint_eq(g->garp.master_refresh_ms, 60000);
	ck_assert_uint_eq(g->garp.master_refresh_repeat, 2);
	ck_assert_uint_eq(g->garp.lower_prio_delay_ms, 1500);
	ck_assert_uint_eq(g->garp.lower_prio_repeat, 2);
	ck_assert_uint_eq(g->garp.interval_ms, 10);
	ck_assert_uint_eq(g->garp.na_interval_ms, 20);
	ck_assert_str_eq(g->registry.servers, "127.0.0.1:2181");
	ck_assert_str_eq(g->registry.path, "/vrrpd/prod");
	conf_free(conf);
}
END_TEST

START_TEST(full_file_fills_checks)
{
	struct conf *conf = load_path(GOOD "full.yaml");
	const struct conf_check *c;

	ck_assert_uint_eq(conf->nchecks, 3);
	c = check(conf, "web");
	ck_assert_int_eq(c->kind, CONF_CHECK_HTTP);
	ck_assert_str_eq(c->url, "http://127.0.0.1/healthz");
	ck_assert_str_eq(c->method, "GET");
	ck_assert_uint_eq(c->nexpect_status, 2);
	ck_assert_uint_eq(c->expect_status[0].lo, 200);
	ck_assert_uint_eq(c->expect_status[0].hi, 200);
	ck_assert_uint_eq(c->expect_status[1].lo, 300);
	ck_assert_uint_eq(c->expect_status[1].hi, 399);
	ck_assert_str_eq(c->expect_body, "^ok$");
	ck_assert_str_eq(c->host, "www.example.org");
	ck_assert_str_eq(c->ca_file, "/etc/ssl/certs/ca.pem");
	ck_assert(!c->tls_verify && c->has_bind);
	ck_assert_uint_eq(c->max_size, 8192);
	ck_assert_uint_eq(c->interval_ms, 2000);
	ck_assert_uint_eq(c->timeout_ms, 1000);
	ck_assert_uint_eq(c->rise, 2);
	ck_assert_uint_eq(c->fall, 3);
	ck_assert_int_eq(c->weight, -60);
	c = check(conf, "db");
	ck_assert_int_eq(c->kind, CONF_CHECK_TCP);
	ck_assert_str_eq(c->connect, "127.0.0.1:5432");
	assert_addr(&c->bind, "127.0.0.1");
	ck_assert_uint_eq(c->interval_ms, 1500);
	ck_assert_uint_eq(c->timeout_ms, 500);
	ck_assert(c->reverse && c->init_fail);
	ck_assert_int_eq(c->weight, 10);
	c = check(conf, "extra");
	ck_assert_int_eq(c->kind, CONF_CHECK_SCRIPT);
	ck_assert_str_eq(c->script.cmd, "/usr/local/bin/check-extra --quick");
	ck_assert_str_eq(c->script.user, "nobody");
	ck_assert_str_eq(c->script.group, "nogroup");
	ck_assert_uint_eq(c->interval_ms, 5000);
	conf_free(conf);
}
END_TEST

START_TEST(full_file_fills_trackers_and_groups)
{
	struct conf *conf = load_path(GOOD "full.yaml");
	const struct conf_track_file *tf = &conf->track_files[0];
	const struct conf_track_process *tp = &conf->track_procs[0];
	const struct conf_sync_group *g = &conf->sync_groups[0];

	ck_assert_uint_eq(conf->ntrack_files, 1);
	ck_assert_str_eq(tf->name, "maint");
	ck_assert_str_eq(tf->path, "/run/vrrpd/maint");
	ck_assert_int_eq(tf->weight, -10);
	ck_assert(tf->reverse && tf->has_init && tf->init_overwrite);
	ck_assert_int_eq(tf->init_value, 7);
	ck_assert_uint_eq(conf->ntrack_procs, 1);
	ck_assert_str_eq(tp->process, "/usr/sbin/haproxy");
	ck_assert_str_eq(tp->param_match, "partial");
	ck_assert_str_eq(tp->params, "-f /etc/haproxy/haproxy.cfg");
	ck_assert(tp->full_command && tp->reverse);
	ck_assert_int_eq(tp->weight, -20);
	ck_assert_uint_eq(tp->quorum, 2);
	ck_assert_uint_eq(tp->quorum_max, 4);
	ck_assert_uint_eq(tp->delay_ms, 1000);
	ck_assert_uint_eq(tp->terminate_delay_ms, 2500);
	ck_assert_uint_eq(conf->nsync_groups, 1);
	ck_assert_uint_eq(g->nmembers, 2);
	ck_assert_str_eq(g->members[1], "VI_6");
	ck_assert_uint_eq(g->member_locs[1].line, 95);
	ck_assert_uint_eq(g->member_locs[1].col, 21);
	ck_assert_uint_eq(g->ntracks, 2);
	ck_assert_int_eq(g->tracks[0].kind, CONF_TRACK_IFACE);
	ck_assert_str_eq(g->tracks[0].name, "eth3");
	ck_assert_int_eq(g->tracks[1].kind, CONF_TRACK_CHECK);
	ck_assert_str_eq(g->tracks[1].name, "extra");
	ck_assert_str_eq(g->notify.master.cmd, "/etc/vrrpd/group-master.sh");
	ck_assert_str_eq(g->notify.any.cmd, "/etc/vrrpd/group.sh");
	ck_assert_str_eq(g->notify.any.user, "nobody");
	ck_assert_ptr_null(g->notify.any.group);
	ck_assert_str_eq(instance(conf, "VI_6")->sync_group, "VG_1");
	conf_free(conf);
}
END_TEST

START_TEST(full_file_fills_instance_scalars)
{
	struct conf *conf = load_path(GOOD "full.yaml");
	const struct conf_instance *in = instance(conf, "VI_1");

	ck_assert_str_eq(in->interface, "eth0");
	ck_assert_uint_eq(in->vrid, 51);
	ck_assert_uint_eq(in->version, 3);
	ck_assert_uint_eq(in->priority, 150);
	ck_assert_uint_eq(in->adver_int_cs, 10);
	ck_assert_int_eq(in->state, CONF_STATE_BACKUP);
	ck_assert(in->preempt && in->accept);
	ck_assert_uint_eq(in->preempt_delay_ms, 30000);
	ck_assert_uint_eq(in->down_timer_adverts, 5);
	ck_assert(in->lower_prio_no_advert && !in->higher_prio_send_advert);
	ck_assert(!in->owner_ignore_adverts && !in->skip_check_adv_addr);
	ck_assert(!in->check_unicast_src && in->dont_track_primary);
	ck_assert(!in->strict && !in->unicast);
	ck_assert_int_eq(in->csum_mode, VRRP_CSUM_MSG_ONLY);
	ck_assert(in->has_src);
	assert_addr(&in->src, "192.0.2.1");
	ck_assert_uint_eq(in->garp.master_delay_ms, 1000);
	ck_assert_uint_eq(in->garp.master_repeat, 2);
	ck_assert_uint_eq(in->garp.master_refresh_ms, 30000);
	ck_assert_uint_eq(in->garp.master_refresh_repeat, 3);
	ck_assert_uint_eq(in->garp.lower_prio_delay_ms, 250);
	ck_assert_uint_eq(in->garp.lower_prio_repeat, 4);
	ck_assert_uint_eq(in->garp.interval_ms, 5);
	ck_assert_uint_eq(in->garp.na_interval_ms, 15);
	in = instance(conf, "VI_2");
	ck_assert_uint_eq(in->adver_int_cs, 200);
	ck_assert_uint_eq(in->auth_type, VRRP_AUTH_PASS);
	ck_assert_str_eq(in->auth_pass, "secret12");
	in = instance(conf, "VI_3");
	ck_assert(in->unicast && in->unicast_fault_no_peer);
	ck_assert_uint_eq(in->unicast_ttl, 64);
	ck_assert_int_eq(in->csum_mode, VRRP_CSUM_PSEUDO);
	in = instance(conf, "VI_5");
	ck_assert_int_eq(in->state, CONF_STATE_MASTER);
	ck_assert_uint_eq(in->priority, 255);
	ck_assert(!in->accept);
	in = instance(conf, "VI_6");
	ck_assert(in->unicast && in->npeers == 0);
	conf_free(conf);
}
END_TEST

START_TEST(full_file_fills_instance_lists)
{
	struct conf *conf = load_path(GOOD "full.yaml");
	const struct conf_instance *in = instance(conf, "VI_1");
	const struct conf_vip *v = in->vips;

	ck_assert_uint_eq(in->nvips, 4);
	assert_addr(&v[0].addr, "192.0.2.100");
	ck_assert_uint_eq(v[0].prefix, 24);
	ck_assert_int_eq(v[0].preferred_lft, -1);
	ck_assert_str_eq(v[1].dev, "eth0");
	ck_assert_str_eq(v[1].label, "eth0:vip");
	ck_assert_uint_eq(v[1].scope, 200);
	ck_assert_int_eq(v[1].brd, CONF_BRD_ADDR);
	assert_addr(&v[1].brd_addr, "192.0.2.255");
	ck_assert_int_eq(v[1].preferred_lft, 0);
	ck_assert_int_eq(v[2].brd, CONF_BRD_PLUS);
	ck_assert(v[2].nodad && v[2].no_track);
	ck_assert_int_eq(v[2].preferred_lft, 3600);
	ck_assert_int_eq(v[3].brd, CONF_BRD_MINUS);
	ck_assert_uint_eq(v[3].scope, 253);
	ck_assert_uint_eq(v[3].prefix, 32);
	ck_assert_uint_eq(in->nvips_excluded, 3);
	assert_addr(&in->vips_excluded[1].addr, "2001:db8::10");
	ck_assert_str_eq(in->vips_excluded[2].dev, "eth1");
	/* its own five, then its sync group's two */
	ck_assert_uint_eq(in->ntracks, 7);
	ck_assert(in->tracks[5].implicit && in->tracks[6].implicit);
	ck_assert_str_eq(in->tracks[5].name, "eth3");
	ck_assert_int_eq(in->tracks[0].kind, CONF_TRACK_CHECK);
	ck_assert(in->tracks[0].has_weight && !in->tracks[0].reverse);
	ck_assert_int_eq(in->tracks[1].weight, 20);
	ck_assert(in->tracks[1].reverse);
	ck_assert_int_eq(in->tracks[2].kind, CONF_TRACK_IFACE);
	ck_assert_int_eq(in->tracks[3].kind, CONF_TRACK_FILE);
	ck_assert(!in->tracks[3].has_weight);
	ck_assert_int_eq(in->tracks[4].kind, CONF_TRACK_PROCESS);
	ck_assert_str_eq(in->tracks[4].name, "haproxy");
	ck_assert_str_eq(in->notify.master.cmd, "/etc/vrrpd/to-master.sh");
	ck_assert_str_eq(in->notify.backup.user, "nobody");
	ck_assert_str_eq(in->notify.backup.group, "nogroup");
	ck_assert_str_eq(in->notify.fault.cmd, "/etc/vrrpd/to-fault.sh");
	ck_assert_str_eq(in->notify.stop.cmd, "/etc/vrrpd/stop.sh");
	ck_assert_str_eq(in->notify.any.cmd, "/etc/vrrpd/notify.sh --verbose");
	in = instance(conf, "VI_3");
	ck_assert_uint_eq(in->npeers, 2);
	ck_assert_uint_eq(in->peers[0].max_ttl, 255);
	ck_assert_uint_eq(in->peers[1].min_ttl, 250);
	ck_assert_uint_eq(in->peers[1].max_ttl, 254);
	assert_addr(&in->peers[1].addr, "198.51.100.3");
	conf_free(conf);
}
END_TEST

/* What an instance writes is its own; the rest comes from global. */
START_TEST(written_keys_set_own_bits_the_rest_is_inherited)
{
	struct conf *conf = load_path(GOOD "full.yaml");
	const struct conf_instance *in = instance(conf, "VI_1");
	uint32_t all = CONF_OWN_VERSION | CONF_OWN_STRICT | CONF_OWN_ACCEPT |
	    CONF_OWN_SKIP_CHECK_ADV_ADDR | CONF_OWN_CHECK_UNICAST_SRC |
	    CONF_OWN_LOWER_PRIO_NO_ADVERT | CONF_OWN_HIGHER_PRIO_SEND_ADVERT |
	    CONF_OWN_OWNER_IGNORE_ADVERTS | CONF_OWN_DOWN_TIMER_ADVERTS |
	    CONF_OWN_GARP_MASTER_DELAY | CONF_OWN_GARP_MASTER_REPEAT |
	    CONF_OWN_GARP_MASTER_REFRESH | CONF_OWN_GARP_MASTER_REFRESH_REPEAT |
	    CONF_OWN_GARP_LOWER_PRIO_DELAY | CONF_OWN_GARP_LOWER_PRIO_REPEAT |
	    CONF_OWN_GARP_INTERVAL | CONF_OWN_NA_INTERVAL;

	ck_assert_uint_eq(in->own, all);
	in = instance(conf, "VI_2");
	ck_assert_uint_eq(in->own, 0);
	ck_assert_uint_eq(in->version, 2);
	ck_assert_uint_eq(in->down_timer_adverts, 4);
	ck_assert(in->skip_check_adv_addr && in->check_unicast_src);
	ck_assert(in->higher_prio_send_advert && in->owner_ignore_adverts);
	ck_assert(!in->lower_prio_no_advert);
	ck_assert_uint_eq(in->garp.master_delay_ms, 2000);
	ck_assert_uint_eq(in->garp.na_interval_ms, 20);
	/* IPv6 is VRRPv3 whatever the default; strict forces the flag. */
	in = instance(conf, "VI_4");
	ck_assert_uint_eq(in->own, CONF_OWN_STRICT | CONF_OWN_ACCEPT);
	ck_assert_uint_eq(in->version, 3);
	ck_assert_int_eq(in->family, AF_INET6);
	ck_assert(in->strict && in->accept && in->lower_prio_no_advert);
	conf_free(conf);
}
END_TEST

START_TEST(minimal_file_takes_the_yaml_defaults)
{
	struct conf *conf = load_path(GOOD "minimal.yaml");
	const struct conf_instance *in = instance(conf, "VI_1");

	ck_assert_uint_eq(conf->ninstances, 1);
	ck_assert_uint_eq(in->version, 3);
	ck_assert_uint_eq(in->priority, 100);
	ck_assert_uint_eq(in->adver_int_cs, 100);
	ck_assert(in->preempt && in->accept && !in->strict);
	ck_assert_int_eq(in->csum_mode, VRRP_CSUM_PSEUDO);
	ck_assert_uint_eq(in->unicast_ttl, 255);
	ck_assert_uint_eq(in->down_timer_adverts, 3);
	ck_assert_uint_eq(in->garp.master_delay_ms, 5000);
	ck_assert_uint_eq(in->garp.master_repeat, 5);
	ck_assert_uint_eq(in->own, 0);
	ck_assert_int_eq(in->family, AF_INET);
	ck_assert_uint_eq(in->vips[0].loc.line, 6);
	ck_assert_uint_eq(in->vips[0].loc.col, 25);
	ck_assert_str_eq(conf->global.control_socket, "/run/vrrpd/vrrpd.sock");
	conf_free(conf);
}
END_TEST

START_TEST(lvs_pair_file_loads_without_diags)
{
	struct conf *conf = load_path(GOOD "lvs-pair.yaml");
	const struct conf_instance *in = instance(conf, "VI_WEB");

	ck_assert_uint_eq(conf->ninstances, 2);
	ck_assert(in->unicast && in->npeers == 1);
	ck_assert_str_eq(in->sync_group, "VG_LVS");
	ck_assert_str_eq(in->vips[0].label, "eth0:web");
	ck_assert_uint_eq(check(conf, "haproxy")->nexpect_status, 1);
	ck_assert(conf->global.lvs_elsewhere);
	conf_free(conf);
}
END_TEST

/* A bare number is seconds (keepalived); advert_interval in 10 ms. */
static const struct {
	const char *text;
	uint32_t cs;
} adverts[] = {
	{ "1", 100 },
	{ "1s", 100 },
	{ "100ms", 10 },
	{ "0.5", 50 },
	{ "1.5s", 150 },
	{ "2500ms", 250 },
	{ "0.01", 1 },
	{ "10000us", 1 },
	{ "\"3\"", 300 },
	{ "40.95", 4095 },
};

START_TEST(advert_interval_reads_seconds_and_units)
{
	char *text;
	struct conf *conf;

	ck_assert_int_gt(asprintf(&text, MINIMAL "    advert_interval: %s\n",
			     adverts[_i].text),
	    0);
	conf = load_clean(text);
	ck_assert_uint_eq(conf->instances[0].adver_int_cs, adverts[_i].cs);
	conf_free(conf);
	free(text);
}
END_TEST

static const struct {
	const char *text;
	uint32_t ms;
} delays[] = {
	{ "2", 2000 },
	{ "1500ms", 1500 },
	{ "0.25", 250 },
	{ "1m", 60000 },
	{ "0", 0 },
	{ "3600s", 3600000 },
};

START_TEST(durations_read_seconds_and_units)
{
	char *text;
	struct conf *conf;

	ck_assert_int_gt(asprintf(&text,
			     "global:\n  garp:\n"
			     "    master_delay: %s\n",
			     delays[_i].text),
	    0);
	conf = load_clean(text);
	ck_assert_uint_eq(conf->global.garp.master_delay_ms, delays[_i].ms);
	conf_free(conf);
	free(text);
}
END_TEST

static const char *const empties[] = { "", "# nothing\n", "---\n", "~\n",
	"{}\n", "---\n...\n" };

START_TEST(empty_input_is_an_empty_model)
{
	struct conf *conf = load_clean(empties[_i]);

	ck_assert_uint_eq(conf->ninstances, 0);
	ck_assert_uint_eq(conf->nchecks, 0);
	conf_free(conf);
}
END_TEST

START_TEST(nulls_and_single_items)
{
	struct conf *conf = load_clean(
	    "global: { control_socket: ~, router_id: \"\" }\n"
	    "checks:\n  w: { type: http, url: \"http://127.0.0.1/\", "
	    "expect_status: 204 }\n"
	    "instances:\n  VI_1:\n    interface: eth0\n    vrid: 1\n"
	    "    virtual_ipaddress: 192.0.2.1\n"
	    "    unicast_peers:\n    unicast_fault_no_peer: yes\n"
	    "    track: { check: w }\n    notify:\n    garp: null\n");
	const struct conf_instance *in = &conf->instances[0];

	ck_assert_ptr_null(conf->global.control_socket);
	ck_assert_str_eq(conf->global.router_id, "");
	ck_assert_uint_eq(conf->checks[0].nexpect_status, 1);
	ck_assert_uint_eq(conf->checks[0].expect_status[0].hi, 204);
	ck_assert_uint_eq(in->nvips, 1);
	ck_assert_uint_eq(in->vips[0].prefix, 32);
	ck_assert(in->unicast && in->npeers == 0);
	ck_assert_uint_eq(in->ntracks, 1);
	ck_assert_ptr_null(in->notify.master.cmd);
	conf_free(conf);
}
END_TEST

START_TEST(strict_turns_accept_off_unless_written)
{
	struct conf *conf =
	    load("global: { strict: true }\n"
		 "instances:\n"
		 "  A: { interface: eth0, vrid: 1, "
		 "virtual_ipaddress: [192.0.2.1] }\n"
		 "  B: { interface: eth0, vrid: 2, accept: true, "
		 "virtual_ipaddress: [192.0.2.2] }\n"
		 "  C: { interface: eth0, vrid: 3, strict: false, "
		 "virtual_ipaddress: [192.0.2.3] }\n");

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert(instance(conf, "A")->strict && !instance(conf, "A")->accept);
	ck_assert(instance(conf, "B")->strict && instance(conf, "B")->accept);
	ck_assert(!instance(conf, "C")->strict && instance(conf, "C")->accept);
	ck_assert(!instance(conf, "C")->lower_prio_no_advert);
	conf_free(conf);
}
END_TEST

START_TEST(quoted_scalars_and_keepalived_booleans)
{
	struct conf *conf = load_clean(MINIMAL "    priority: \"150\"\n"
					       "    skip_check_adv_addr: off\n"
					       "    dont_track_primary: 'yes'\n"
					       "    state: MASTER\n"
					       "    checksum: Message_Only\n");
	const struct conf_instance *in = &conf->instances[0];

	ck_assert_uint_eq(in->priority, 150);
	ck_assert(!in->skip_check_adv_addr && in->dont_track_primary);
	ck_assert(in->own & CONF_OWN_SKIP_CHECK_ADV_ADDR);
	ck_assert_int_eq(in->state, CONF_STATE_MASTER);
	ck_assert_int_eq(in->csum_mode, VRRP_CSUM_MSG_ONLY);
	conf_free(conf);
}
END_TEST

/* ---- parse_errors ---- */

START_TEST(unknown_key_suggests_the_closest)
{
	expect_diags(MINIMAL "    priorty: 150\n",
	    "x.yaml:6:5: error: unknown key 'priorty' in instances.VI_1; did "
	    "you mean 'priority'?\n");
	expect_diags("globl: {}\nfoo: 1\n",
	    "x.yaml:1:1: error: unknown key 'globl' at top level; did you "
	    "mean 'global'?\n"
	    "x.yaml:2:1: error: unknown key 'foo' at top level\n");
}
END_TEST

START_TEST(duplicate_key_names_the_first_line)
{
	expect_diags(MINIMAL "    vrid: 52\n",
	    "x.yaml:6:5: error: duplicate key 'vrid' in instances.VI_1 (first "
	    "at line 4)\n");
	expect_diags(MINIMAL "  VI_1: {}\n",
	    "x.yaml:6:3: error: duplicate key 'VI_1' in instances (first at "
	    "line 2)\n");
}
END_TEST

START_TEST(wrong_type_says_what_was_expected_and_found)
{
	expect_diags(MINIMAL "    priority: high\n",
	    "x.yaml:6:15: error: instances.VI_1.priority: expected an integer "
	    "1..255, got \"high\"\n");
	expect_diags(MINIMAL "    preempt: [true]\n    garp: 3\n",
	    "x.yaml:6:14: error: instances.VI_1.preempt: expected true or "
	    "false, got a list\n"
	    "x.yaml:7:11: error: instances.VI_1.garp: expected a mapping, got "
	    "\"3\"\n");
	expect_diags("- a\n",
	    "x.yaml:1:1: error: top level: expected a mapping, got a list\n");
	expect_diags("global: { router_id: { a: b } }\n",
	    "x.yaml:1:22: error: global.router_id: expected a string, got a "
	    "mapping\n");
}
END_TEST

START_TEST(value_outside_the_field_type)
{
	expect_diags(MINIMAL "    priority: 256\n    interface: "
			     "abcdefghijklmnop\n",
	    "x.yaml:6:15: error: instances.VI_1.priority: expected an integer "
	    "1..255, got \"256\"\n"
	    "x.yaml:7:5: error: duplicate key 'interface' in instances.VI_1 "
	    "(first at line 3)\n");
	expect_diags(MINIMAL
	    "    virtual_ipaddress_excluded:\n"
	    "      - { address: 192.0.2.1, dev: abcdefghijklmnop "
	    "}\n",
	    "x.yaml:7:36: error: "
	    "instances.VI_1.virtual_ipaddress_excluded[0].dev: expected at "
	    "most 15 characters, got \"abcdefghijklmnop\"\n");
	expect_diags("track_files:\n  f: { path: /x, init_file: { value: "
		     "2147483648 } }\n",
	    "x.yaml:2:38: error: track_files.f.init_file.value: expected an "
	    "integer -2147483648..2147483647, got \"2147483648\"\n");
}
END_TEST

START_TEST(advert_interval_must_be_whole_10ms)
{
	expect_diags(MINIMAL "    advert_interval: 15ms\n",
	    "x.yaml:6:22: error: instances.VI_1.advert_interval: expected a "
	    "multiple of 10ms, got \"15ms\"\n");
	expect_diags(MINIMAL "    advert_interval: 1.005\n",
	    "x.yaml:6:22: error: instances.VI_1.advert_interval: expected a "
	    "multiple of 10ms, got \"1.005\"\n");
	expect_diags(MINIMAL "    advert_interval: 2 s\n",
	    "x.yaml:6:22: error: instances.VI_1.advert_interval: expected a "
	    "duration up to 255s (like 2s or 500ms), got \"2 s\"\n");
}
END_TEST

/* The billion-laughs guard: no alias is ever expanded. */
START_TEST(aliases_are_refused)
{
	expect_diags("global:\n  router_id: &r a\n  script_user: *r\n",
	    "x.yaml:3:16: error: global.script_user: YAML aliases (*r) are not "
	    "allowed; write the value out\n");
	expect_diags("a: &a [x, x]\nb: &b [*a, *a]\n",
	    "x.yaml:1:1: error: unknown key 'a' at top level\n"
	    "x.yaml:2:1: error: unknown key 'b' at top level\n"
	    "x.yaml:2:8: error: top level: YAML aliases (*a) are not allowed; "
	    "write the value out\n"
	    "x.yaml:2:12: error: top level: YAML aliases (*a) are not allowed; "
	    "write the value out\n");
}
END_TEST

START_TEST(syntax_error_stops_but_keeps_what_was_read)
{
	struct conf *conf = load(MINIMAL "   priority: 1\n  VI_2: {}\n");
	char *got = diags_text(conf);

	ck_assert_str_eq(got,
	    "x.yaml:6:4: error: YAML syntax error: did not "
	    "find expected key (while parsing a block "
	    "mapping at line 2)\n");
	ck_assert_uint_eq(conf->ninstances, 1);
	ck_assert_uint_eq(conf->instances[0].vrid, 51);
	ck_assert_uint_eq(conf->instances[0].nvips, 1);
	free(got);
	conf_free(conf);
	expect_diags("global:\n  router_id: a\n\tscript_user: b\n",
	    "x.yaml:3:1: error: YAML syntax error: found a tab character that "
	    "violates indentation (while scanning a plain scalar at line 2)\n");
}
END_TEST

START_TEST(bad_bytes_are_reported_where_they_are)
{
	static const char nul[] = "global:\n  router_id: a\0b\n";
	struct conf *conf = conf_load_mem("x.yaml", nul, sizeof(nul) - 1, NULL);
	char *got = diags_text(conf);

	ck_assert_str_eq(got,
	    "x.yaml:2:15: error: invalid input: control "
	    "characters are not allowed\n");
	free(got);
	conf_free(conf);
	expect_diags("global:\n  router_id: \"a\\0b\"\n",
	    "x.yaml:2:14: error: global.router_id: value contains a NUL "
	    "byte\n");
}
END_TEST

START_TEST(bounds_on_nesting_size_and_documents)
{
	char *deep = malloc(200), *big;
	size_t n = 0;

	n += (size_t)sprintf(deep, "global:\n  garp: ");
	for (int i = 0; i < 40; i++)
		deep[n++] = '[';
	deep[n] = '\0';
	expect_diags(deep,
	    "x.yaml:2:9: error: global.garp: expected a mapping, got a list\n"
	    "x.yaml:2:39: error: global.garp: nested deeper than 32 levels\n");
	free(deep);
	big = malloc(CONF_MAX_TOKEN + 64);
	n = (size_t)sprintf(big, "global:\n  router_id: ");
	memset(big + n, 'a', CONF_MAX_TOKEN + 1);
	strcpy(big + n + CONF_MAX_TOKEN + 1, "\n");
	expect_diags(big,
	    "x.yaml:2:14: error: global.router_id: value longer "
	    "than 4096 bytes\n");
	free(big);
	expect_diags("global: {}\n---\nglobal: {}\n",
	    "x.yaml:2:1: error: a second YAML document: a configuration is one "
	    "document\n");
}
END_TEST

START_TEST(entries_missing_what_they_need)
{
	expect_diags("checks:\n  c: { interval: 1s, command: /bin/true }\n",
	    "x.yaml:2:3: error: checks.c: missing key 'type' (script, tcp or "
	    "http)\n"
	    "x.yaml:2:3: warning: check c is tracked by no instance: it can "
	    "never move mastership\n");
	expect_diags("checks:\n  c: { type: tcp, connect: \"127.0.0.1:1\", "
		     "command: /bin/true }\n",
	    "x.yaml:2:3: warning: check c is tracked by no instance: it can "
	    "never move mastership\n"
	    "x.yaml:2:43: warning: checks.c.command: not used by tcp checks\n");
	expect_diags(MINIMAL "    track: [{ weight: 1 }, { file: a, check: b "
			     "}]\n",
	    "x.yaml:6:13: error: instances.VI_1.track[0]: expected one of "
	    "check, interface, file or process\n"
	    "x.yaml:6:39: error: instances.VI_1.track[1]: one of check, "
	    "interface, file or process per entry\n");
	expect_diags(MINIMAL "    unicast_peers: [{ min_ttl: 1 }]\n"
			     "    unicast_fault_no_peer: true\n",
	    "x.yaml:6:21: error: instances.VI_1.unicast_peers[0]: missing key "
	    "'address'\n");
}
END_TEST

static glob_t bad_files;

/* tests/conf/bad/yaml-*.yaml: exactly the diags of NAME.yaml.expect. */
START_TEST(bad_files_match_their_expect_files)
{
	const char *path = bad_files.gl_pathv[_i];
	struct conf *conf = conf_load_file(path, NULL);
	char *got = diags_text(conf), *want = NULL, *exp;
	size_t len = 0;
	FILE *f;

	ck_assert_int_gt(asprintf(&exp, "%s.expect", path), 0);
	ck_assert_msg((f = fopen(exp, "r")) != NULL, "%s: missing", exp);
	if (getdelim(&want, &len, '\0', f) < 0) {
		free(want);
		want = strdup("");
	}
	fclose(f);
	ck_assert_msg(conf->nerrors > 0, "%s: no errors", path);
	ck_assert_msg(strcmp(want, got) == 0, "%s\n--- expected\n%s--- got\n%s",
	    path, want, got);
	free(exp);
	free(want);
	free(got);
	conf_free(conf);
}
END_TEST

/* ---- emit_roundtrip ---- */

static const char *const good_files[] = { GOOD "minimal.yaml", GOOD "full.yaml",
	GOOD "lvs-pair.yaml" };

START_TEST(good_files_round_trip)
{
	struct conf *conf = load_path(good_files[_i]);
	char *yaml = round_trip(conf);

	ck_assert_msg(strncmp(yaml, "# vrrpd configuration\n", 22) == 0, "%s",
	    yaml);
	free(yaml);
	conf_free(conf);
}
END_TEST

/* A dump of a dump is the same text: nothing drifts. */
START_TEST(dump_is_stable)
{
	struct conf *conf = load_path(good_files[_i]), *back;
	char *one = emit(conf), *two;

	back = load(one);
	two = emit(back);
	ck_assert_str_eq(one, two);
	free(one);
	free(two);
	conf_free(back);
	conf_free(conf);
}
END_TEST

START_TEST(minimal_dump_writes_only_what_differs)
{
	struct conf *conf = load_clean(MINIMAL "    priority: 100\n"
					       "    advert_interval: 1500ms\n"
					       "    preempt_delay: 0.25\n");
	char *yaml = emit(conf);

	ck_assert_str_eq(yaml,
	    "# vrrpd configuration\n"
	    "instances:\n"
	    "  VI_1:\n"
	    "    interface: eth0\n"
	    "    vrid: 51\n"
	    "    advert_interval: 1500ms\n"
	    "    preempt_delay: 250ms\n"
	    "    virtual_ipaddress:\n"
	    "    - 192.0.2.100/24\n");
	free(yaml);
	conf_free(conf);
}
END_TEST

START_TEST(empty_model_dumps_an_empty_mapping)
{
	struct conf *conf = load_clean("");
	char *yaml = round_trip(conf);

	ck_assert_str_eq(yaml, "# vrrpd configuration\n{}\n");
	free(yaml);
	conf_free(conf);
}
END_TEST

/* A keepalived model built by hand: its VRRPv2 default is written. */
START_TEST(keepalived_model_built_in_c_round_trips)
{
	struct conf *conf = conf_new(CONF_FMT_KEEPALIVED), *back;
	struct conf_loc loc = { conf_file_name(conf, "hand.conf"), 1, 1 };
	struct conf_instance *in = conf_add_instance(conf, &loc, "VI_1");
	struct conf_check *c;
	struct conf_track *t;
	struct conf_vip *v;
	char *yaml;

	strcpy(in->interface, "eth0");
	in->vrid = 51;
	in->priority = 150;
	in->preempt = false;
	v = CONF_PUSH(conf, &loc, in->vips, in->nvips);
	v->loc = loc;
	v->preferred_lft = -1;
	ck_assert_int_eq(addr_parse("192.0.2.100", &v->addr), 0);
	v->prefix = 24;
	c = conf_add_check(conf, &loc, "chk_haproxy", CONF_CHECK_SCRIPT);
	c->script.cmd = conf_strdup("/usr/bin/pgrep -x haproxy");
	c->interval_ms = 2000;
	t = CONF_PUSH(conf, &loc, in->tracks, in->ntracks);
	t->kind = CONF_TRACK_CHECK;
	t->name = conf_strdup("chk_haproxy");
	conf_finish(conf);
	ck_assert_uint_eq(conf->nerrors, 0);
	yaml = round_trip(conf);
	ck_assert_msg(strstr(yaml, "  vrrp_version: 2\n") != NULL, "%s", yaml);
	ck_assert_msg(strstr(yaml, "timeout") == NULL, "%s", yaml);
	back = load(yaml);
	ck_assert_uint_eq(back->instances[0].version, 2);
	ck_assert(!back->instances[0].preempt);
	free(yaml);
	conf_free(back);
	conf_free(conf);
}
END_TEST

/* Strings that look like YAML nulls or other types still come back. */
START_TEST(awkward_strings_round_trip)
{
	static const char *const strs[] = { "", "~", "null", "true", "123",
		"- x", "a: b", "#c", " lead", "trail ", "multi\nline\n",
		"tab\there", "quote\"s", "\xc3\xa9t\xc3\xa9", "*star", "&amp",
		"x\r\ny" };
	struct conf *conf = conf_new(CONF_FMT_YAML), *back;
	struct conf_loc loc = { conf_file_name(conf, "s.yaml"), 1, 1 };
	char *yaml;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		struct conf_check *c = conf_add_check(conf, &loc,
		    strs[i][0] ? strs[i] : "empty", CONF_CHECK_SCRIPT);

		c->script.cmd = conf_strdup(strs[i]);
		c->script.user = conf_strdup(strs[i]);
	}
	free(conf->global.control_socket);
	conf->global.control_socket = NULL;
	conf_finish(conf);
	yaml = emit(conf);
	back = load(yaml);
	ck_assert_msg(conf_equal(conf, back), "%s", yaml);
	free(yaml);
	conf_free(back);
	conf_free(conf);
}
END_TEST

/* A value the schema has no name for is not silently dropped. */
START_TEST(unnameable_value_fails_the_dump)
{
	struct conf *conf = load_clean(MINIMAL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	conf->instances[0].csum_mode = VRRP_CSUM_AUTO;
	ck_assert_int_eq(conf_emit_yaml(conf, f), -1);
	fclose(f);
	free(buf);
	conf_free(conf);
}
END_TEST

/* ---- registry ---- */

#define REG "registry:\n"

START_TEST(registry_keys_land_in_the_model)
{
	struct conf *conf =
	    load_clean(REG "  servers: 192.0.2.10:2181,2001:db8::10:2181\n"
			   "  path: /vrrpd/prod\n"
			   "  session_timeout: 4500ms\n"
			   "  auth_file: /etc/vrrpd/zk.auth\n"
			   "  notify_split_brain:\n"
			   "    command: /usr/local/bin/split.sh --page\n"
			   "    user: nobody\n");
	const struct conf_registry *r = &conf->global.registry;

	ck_assert_str_eq(r->servers, "192.0.2.10:2181,2001:db8::10:2181");
	ck_assert_str_eq(r->path, "/vrrpd/prod");
	ck_assert_uint_eq(r->session_timeout_ms, 4500);
	ck_assert_str_eq(r->auth_file, "/etc/vrrpd/zk.auth");
	ck_assert_str_eq(r->notify_split_brain.cmd,
	    "/usr/local/bin/split.sh --page");
	ck_assert_str_eq(r->notify_split_brain.user, "nobody");
	ck_assert_ptr_null(r->notify_split_brain.group);
	/* the block's key, for messages */
	ck_assert_str_eq(r->loc.file, "x.yaml");
	ck_assert_uint_eq(r->loc.line, 1);
	ck_assert_uint_eq(r->loc.col, 1);
	conf_free(conf);
}
END_TEST

START_TEST(registry_defaults_apply_only_with_servers)
{
	struct conf *conf = load_clean(REG "  servers: 192.0.2.10:2181\n");
	const struct conf_registry *r = &conf->global.registry;

	ck_assert_str_eq(r->path, "/vrrpd");
	ck_assert_uint_eq(r->session_timeout_ms, 10000);
	ck_assert_ptr_null(r->auth_file);
	ck_assert_ptr_null(r->notify_split_brain.cmd);
	conf_free(conf);
	conf = load_clean(MINIMAL);
	r = &conf->global.registry;
	ck_assert_ptr_null(r->servers);
	ck_assert_ptr_null(r->path);
	ck_assert_uint_eq(r->session_timeout_ms, 10000);
	conf_free(conf);
}
END_TEST

START_TEST(zookeeper_is_a_deprecated_alias_of_servers)
{
	struct conf *conf = load(REG "  zookeeper: 192.0.2.10:2181\n");
	char *yaml;

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert_str_eq(conf->global.registry.servers, "192.0.2.10:2181");
	yaml = diags_text(conf);
	ck_assert_str_eq(yaml,
	    "x.yaml:2:3: warning: registry.zookeeper: deprecated key; use "
	    "'servers' instead\n");
	free(yaml);
	/* the dump writes the new name */
	yaml = round_trip(conf);
	ck_assert_msg(strstr(yaml, "  servers: 192.0.2.10:2181\n") != NULL &&
		strstr(yaml, "zookeeper") == NULL,
	    "%s", yaml);
	free(yaml);
	conf_free(conf);
	/* one value, two names: the second is a duplicate */
	expect_diags(REG "  servers: 192.0.2.10:2181\n"
			 "  zookeeper: 192.0.2.11:2181\n",
	    "x.yaml:3:3: error: duplicate key 'zookeeper' (the old name of "
	    "'servers') in registry (first at line 2)\n");
	expect_diags(REG "  zookeeper: 192.0.2.10:2181\n"
			 "  servers: 192.0.2.11:2181\n",
	    "x.yaml:2:3: warning: registry.zookeeper: deprecated key; use "
	    "'servers' instead\n"
	    "x.yaml:3:3: error: duplicate key 'servers' in registry (first at "
	    "line 2)\n");
}
END_TEST

static const char *const good_servers[] = {
	"192.0.2.10:2181",
	"192.0.2.10:1,192.0.2.11:65535",
	"2001:db8::10:2181",
	"::1:2181,127.0.0.1:2182",
	"::ffff:192.0.2.1:2181",
	"1.1.1.1:1,1.1.1.2:1,1.1.1.3:1,1.1.1.4:1,1.1.1.5:1,1.1.1.6:1,"
	"1.1.1.7:1,1.1.1.8:1,1.1.1.9:1,1.1.1.10:1,1.1.1.11:1,1.1.1.12:1,"
	"1.1.1.13:1,1.1.1.14:1,1.1.1.15:1,1.1.1.16:1",
};

START_TEST(registry_servers_forms_the_c_client_reads)
{
	char text[512];
	struct conf *conf;

	snprintf(text, sizeof(text), REG "  servers: \"%s\"\n",
	    good_servers[_i]);
	conf = load_clean(text);
	ck_assert_str_eq(conf->global.registry.servers, good_servers[_i]);
	conf_free(conf);
}
END_TEST

/* One registry body each, and the one error it gets (at the block). */
static const struct {
	const char *body, *msg;
} reg_errors[] = {
	{ "  servers: \"\"\n",
	    "registry servers: empty; expected ADDR:PORT[,ADDR:PORT...]" },
	{ "  servers: \"192.0.2.10:2181, 192.0.2.11:2181\"\n",
	    "registry servers: \"192.0.2.10:2181, 192.0.2.11:2181\" contains "
	    "whitespace; separate the entries with ',' alone" },
	{ "  servers: 192.0.2.10:2181/vrrpd\n",
	    "registry servers: a chroot suffix (\"/vrrpd\") is not allowed; set "
	    "the registry's root znode with path" },
	{ "  servers: \"1.1.1.1:1,1.1.1.2:1,1.1.1.3:1,1.1.1.4:1,1.1.1.5:1,"
	  "1.1.1.6:1,1.1.1.7:1,1.1.1.8:1,1.1.1.9:1,1.1.1.10:1,1.1.1.11:1,"
	  "1.1.1.12:1,1.1.1.13:1,1.1.1.14:1,1.1.1.15:1,1.1.1.16:1,"
	  "1.1.1.17:1\"\n",
	    "registry servers: 17 entries; at most 16" },
	{ "  servers: \"192.0.2.10:2181,,192.0.2.11:2181,\"\n",
	    "registry servers: an empty entry (two commas, or one at an end) "
	    "in \"192.0.2.10:2181,,192.0.2.11:2181,\"" },
	{ "  servers: 192.0.2.10\n",
	    "registry servers: \"192.0.2.10\" has no port; expected ADDR:PORT" },
	{ "  servers: \":2181\"\n",
	    "registry servers: \":2181\" has no address; expected ADDR:PORT" },
	{ "  servers: \"192.0.2.10:0\"\n",
	    "registry servers: \"192.0.2.10:0\": expected a port 1..65535 "
	    "after the last ':', in decimal without a leading zero" },
	{ "  servers: \"192.0.2.10:65536\"\n",
	    "registry servers: \"192.0.2.10:65536\": expected a port 1..65535 "
	    "after the last ':', in decimal without a leading zero" },
	{ "  servers: \"192.0.2.10:02181\"\n",
	    "registry servers: \"192.0.2.10:02181\": expected a port 1..65535 "
	    "after the last ':', in decimal without a leading zero" },
	{ "  servers: \"192.0.2.10:0x885\"\n",
	    "registry servers: \"192.0.2.10:0x885\": expected a port 1..65535 "
	    "after the last ':', in decimal without a leading zero" },
	{ "  servers: \"192.0.2.10:\"\n",
	    "registry servers: \"192.0.2.10:\": expected a port 1..65535 after "
	    "the last ':', in decimal without a leading zero" },
	{ "  servers: \"[2001:db8::1]:2181\"\n",
	    "registry servers: \"[2001:db8::1]:2181\": ZooKeeper's C client "
	    "takes no brackets; write 2001:db8::1:2181 (the port follows the "
	    "last ':')" },
	{ "  servers: zk1.example.com:2181\n",
	    "registry servers: \"zk1.example.com\" is not a numeric address: "
	    "the daemon never resolves names (it would block the VRRP loop); "
	    "use the server's address" },
	{ "  servers: localhost:2181\n",
	    "registry servers: \"localhost\" is not a numeric address: the "
	    "daemon never resolves names (it would block the VRRP loop); use "
	    "the server's address" },
	{ "  servers: 192.0.2.300:2181\n",
	    "registry servers: \"192.0.2.300\" is not an IPv4 or IPv6 "
	    "address" },
	{ "  servers: \"fe80::1%eth0:2181\"\n",
	    "registry servers: \"fe80::1%eth0\" is not an IPv4 or IPv6 "
	    "address" },
	{ "  servers: \"2001:db8::1\"\n",
	    "registry servers: \"2001:db8::1\" has no port; expected ADDR:PORT "
	    "(for IPv6, 2001:db8::1:2181)" },
	{ "  servers: \"192.0.2.1111111111111111111111111111111111111111111111"
	  "11111111111111111111111111111111111111111111111111111111111111111"
	  "11111111111111111111111111111111111111111111111111111111111111111"
	  "11111111111111111111111111111111111111111111111111111111111111111"
	  "11:2181\"\n",
	    "registry servers: an entry of 256 bytes; expected ADDR:PORT" },
	{ "  servers: 192.0.2.10:2181\n  path: vrrpd\n",
	    "registry path \"vrrpd\": expected an absolute znode path like "
	    "/vrrpd" },
	{ "  servers: 192.0.2.10:2181\n  path: /\n",
	    "registry path \"/\": the root znode is every ZooKeeper user's; use "
	    "a znode of its own like /vrrpd" },
	{ "  servers: 192.0.2.10:2181\n  path: /vrrpd/\n",
	    "registry path \"/vrrpd/\": trailing '/'" },
	{ "  servers: 192.0.2.10:2181\n  path: /vrrpd//prod\n",
	    "registry path \"/vrrpd//prod\": empty component ('//')" },
	{ "  servers: 192.0.2.10:2181\n  path: /vrrpd/./prod\n",
	    "registry path \"/vrrpd/./prod\": '.' and '..' are not allowed as "
	    "components" },
	{ "  servers: 192.0.2.10:2181\n  path: /vrrpd/..\n",
	    "registry path \"/vrrpd/..\": '.' and '..' are not allowed as "
	    "components" },
	{ "  servers: 192.0.2.10:2181\n  path: \"/vrrpd/a b\"\n",
	    "registry path: byte 9 is 0x20; only printable ASCII without spaces "
	    "is allowed" },
	{ "  servers: 192.0.2.10:2181\n  path: \"/vrrpd/\xc3\xa9t\xc3\xa9\"\n",
	    "registry path: byte 8 is 0xc3; only printable ASCII without spaces "
	    "is allowed" },
	{ "  servers: 192.0.2.10:2181\n  path: /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "\n",
	    "registry path: 235 bytes; at most 200" },
	{ "  servers: 192.0.2.10:2181\n  session_timeout: 999ms\n",
	    "registry session_timeout: 999 ms is outside 1000..120000 ms" },
	{ "  servers: 192.0.2.10:2181\n  session_timeout: 121s\n",
	    "registry session_timeout: 121000 ms is outside 1000..120000 ms" },
	{ "  servers: 192.0.2.10:2181\n  auth_file: zk.auth\n",
	    "registry auth_file \"zk.auth\": expected an absolute path" },
	{ "  servers: 192.0.2.10:2181\n  notify_split_brain: { user: nobody }\n",
	    "registry notify_split_brain: a user or group but no command" },
	{ "  path: /vrrpd\n", "registry: path set but no servers" },
	{ "  servers: ~\n  session_timeout: 5s\n",
	    "registry: session_timeout set but no servers" },
	{ "  auth_file: /etc/vrrpd/zk.auth\n",
	    "registry: auth_file set but no servers" },
	{ "  notify_split_brain: /bin/true\n",
	    "registry: notify_split_brain set but no servers" },
};

START_TEST(registry_errors_name_the_rule)
{
	char text[1024], want[1024];

	snprintf(text, sizeof(text), REG "%s", reg_errors[_i].body);
	snprintf(want, sizeof(want), "x.yaml:1:1: error: %s\n",
	    reg_errors[_i].msg);
	expect_diags(text, want);
}
END_TEST

/* Every problem at once, not just the first. */
START_TEST(registry_errors_are_all_reported)
{
	struct conf *conf = load(REG "  servers: zk1:2181,192.0.2.1:0/x\n"
				     "  path: /a//b/\n"
				     "  session_timeout: 0s\n"
				     "  auth_file: zk.auth\n");

	ck_assert_uint_eq(conf->nerrors, 7);
	conf_free(conf);
}
END_TEST

START_TEST(registry_dump_writes_every_key_set_and_round_trips)
{
	struct conf *conf =
	    load_clean(REG "  servers: 192.0.2.10:2181\n"
			   "  auth_file: /etc/vrrpd/zk.auth\n"
			   "  notify_split_brain: /bin/split\n");
	char *yaml = round_trip(conf);

	ck_assert_str_eq(yaml,
	    "# vrrpd configuration\n"
	    "registry:\n"
	    "  servers: 192.0.2.10:2181\n"
	    "  path: /vrrpd\n"
	    "  session_timeout: 10s\n"
	    "  auth_file: /etc/vrrpd/zk.auth\n"
	    "  notify_split_brain: /bin/split\n");
	free(yaml);
	conf_free(conf);
	/* no auth_file, a command with a user: still equal once read back */
	conf = load_clean(REG "  servers: 2001:db8::10:2181\n"
			      "  path: /vrrpd/prod\n"
			      "  session_timeout: 1500ms\n"
			      "  notify_split_brain:\n"
			      "    { command: /bin/split, user: nobody }\n");
	yaml = round_trip(conf);
	ck_assert_msg(strstr(yaml, "auth_file") == NULL &&
		strstr(yaml, "  session_timeout: 1500ms\n") != NULL &&
		strstr(yaml, "    user: nobody\n") != NULL,
	    "%s", yaml);
	free(yaml);
	conf_free(conf);
}
END_TEST

/* A model that differs only in the registry is not equal (reload). */
START_TEST(registry_changes_make_models_differ)
{
	static const char *const variants[] = {
		REG "  servers: 192.0.2.11:2181\n",
		REG "  servers: 192.0.2.10:2181\n  path: /other\n",
		REG "  servers: 192.0.2.10:2181\n  session_timeout: 11s\n",
		REG "  servers: 192.0.2.10:2181\n  auth_file: /a\n",
		REG "  servers: 192.0.2.10:2181\n  notify_split_brain: /b\n",
		"",
	};
	struct conf *base = load_clean(REG "  servers: 192.0.2.10:2181\n");

	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		struct conf *other = load_clean(variants[i]);

		ck_assert_msg(!conf_equal(base, other), "%s", variants[i]);
		conf_free(other);
	}
	conf_free(base);
}
END_TEST

static Suite *
conf_yaml_suite(void)
{
	Suite *s = suite_create("conf_yaml");
	TCase *tc;

	tc = tcase_create("parse_good");
	tcase_add_test(tc, full_file_fills_global_and_registry);
	tcase_add_test(tc, full_file_fills_checks);
	tcase_add_test(tc, full_file_fills_trackers_and_groups);
	tcase_add_test(tc, full_file_fills_instance_scalars);
	tcase_add_test(tc, full_file_fills_instance_lists);
	tcase_add_test(tc, written_keys_set_own_bits_the_rest_is_inherited);
	tcase_add_test(tc, minimal_file_takes_the_yaml_defaults);
	tcase_add_test(tc, lvs_pair_file_loads_without_diags);
	tcase_add_loop_test(tc, advert_interval_reads_seconds_and_units, 0,
	    sizeof(adverts) / sizeof(adverts[0]));
	tcase_add_loop_test(tc, durations_read_seconds_and_units, 0,
	    sizeof(delays) / sizeof(delays[0]));
	tcase_add_loop_test(tc, empty_input_is_an_empty_model, 0,
	    sizeof(empties) / sizeof(empties[0]));
	tcase_add_test(tc, nulls_and_single_items);
	tcase_add_test(tc, strict_turns_accept_off_unless_written);
	tcase_add_test(tc, quoted_scalars_and_keepalived_booleans);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_errors");
	tcase_add_test(tc, unknown_key_suggests_the_closest);
	tcase_add_test(tc, duplicate_key_names_the_first_line);
	tcase_add_test(tc, wrong_type_says_what_was_expected_and_found);
	tcase_add_test(tc, value_outside_the_field_type);
	tcase_add_test(tc, advert_interval_must_be_whole_10ms);
	tcase_add_test(tc, aliases_are_refused);
	tcase_add_test(tc, syntax_error_stops_but_keeps_what_was_read);
	tcase_add_test(tc, bad_bytes_are_reported_where_they_are);
	tcase_add_test(tc, bounds_on_nesting_size_and_documents);
	tcase_add_test(tc, entries_missing_what_they_need);
	tcase_add_loop_test(tc, bad_files_match_their_expect_files, 0,
	    (int)bad_files.gl_pathc);
	suite_add_tcase(s, tc);

	tc = tcase_create("emit_roundtrip");
	tcase_add_loop_test(tc, good_files_round_trip, 0,
	    sizeof(good_files) / sizeof(good_files[0]));
	tcase_add_loop_test(tc, dump_is_stable, 0,
	    sizeof(good_files) / sizeof(good_files[0]));
	tcase_add_test(tc, minimal_dump_writes_only_what_differs);
	tcase_add_test(tc, empty_model_dumps_an_empty_mapping);
	tcase_add_test(tc, keepalived_model_built_in_c_round_trips);
	tcase_add_test(tc, awkward_strings_round_trip);
	tcase_add_test(tc, unnameable_value_fails_the_dump);
	suite_add_tcase(s, tc);

	tc = tcase_create("registry");
	tcase_add_test(tc, registry_keys_land_in_the_model);
	tcase_add_test(tc, registry_defaults_apply_only_with_servers);
	tcase_add_test(tc, zookeeper_is_a_deprecated_alias_of_servers);
	tcase_add_loop_test(tc, registry_servers_forms_the_c_client_reads, 0,
	    sizeof(good_servers) / sizeof(good_servers[0]));
	tcase_add_loop_test(tc, registry_errors_name_the_rule, 0,
	    sizeof(reg_errors) / sizeof(reg_errors[0]));
	tcase_add_test(tc, registry_errors_are_all_reported);
	tcase_add_test(tc, registry_dump_writes_every_key_set_and_round_trips);
	tcase_add_test(tc, registry_changes_make_models_differ);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	if (glob(BAD "yaml-*.yaml", 0, NULL, &bad_files) != 0)
		bad_files.gl_pathc = 0;
	sr = srunner_create(conf_yaml_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	globfree(&bad_files);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
