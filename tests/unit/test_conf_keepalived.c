/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The keepalived.conf front end against keepalived's own files: every
 * sample Debian's keepalived 2.2.7 package ships loads, and its only errors
 * are keywords vrrpd rejects on purpose (they would change behaviour and
 * are not implemented); plus keyword-level checks from memory buffers.
 */

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "conf_test.h"
#include "kaparse.h"

#define SAMPLES	   "/usr/share/doc/keepalived/samples"
#define ETC_SAMPLE "/etc/keepalived/keepalived.conf.sample"

static char *samples[64];
static int nsamples;

static bool
is_sample(const char *name)
{
	return strncmp(name, "keepalived.conf.", 16) == 0 &&
	    strcmp(name + strlen(name) - 3, ".sh") != 0 &&
	    strcmp(name + strlen(name) - 3, ".gz") != 0;
}

static void
list_samples(void)
{
	struct dirent *de;
	DIR *d = opendir(SAMPLES);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && nsamples < 63)
		if (is_sample(de->d_name) &&
		    asprintf(&samples[nsamples], SAMPLES "/%s", de->d_name) > 0)
			nsamples++;
	closedir(d);
	if (asprintf(&samples[nsamples], "%s", ETC_SAMPLE) > 0)
		nsamples++;
}

/* Errors a keepalived file may get: deliberate rejections only. */
static bool
allowed_error(const char *msg)
{
	/*
	 * Plus keepalived 1.x sync group syntax in the lvs_syncd sample,
	 * which keepalived 2.2.7 rejects as unknown keywords too.
	 */
	/*
	 * And the rules sample's "to 192.168.100./24", which keepalived
	 * 2.2.7 refuses too ("Invalid rule to address").
	 */
	return strstr(msg, "not supported by vrrpd") != NULL ||
	    strstr(msg, "(list instances in a group { } block)") != NULL ||
	    strstr(msg, "./24 is not a prefix") != NULL;
}

START_TEST(shipped_sample_loads_with_only_deliberate_rejections)
{
	/* "high": the conditional sample's own example id. */
	struct conf_opts opts = { .lvs_elsewhere = true, .config_id = "high" };
	struct conf *conf = conf_load_file(samples[_i], &opts);

	ck_assert_ptr_nonnull(conf);
	ck_assert_msg(conf->ndiags == 0 ||
		strstr(conf->diags[0].msg, "cannot read") == NULL,
	    "%s: %s (is Debian's keepalived installed? make check runs "
	    "tools/bootstrap)",
	    samples[_i], conf->diags[0].msg);
	for (size_t i = 0; i < conf->ndiags; i++)
		ck_assert_msg(conf->diags[i].sev == CONF_WARNING ||
			allowed_error(conf->diags[i].msg),
		    "%s:%u:%u: unexpected error: %s", samples[_i],
		    conf->diags[i].loc.line, conf->diags[i].loc.col,
		    conf->diags[i].msg);
	conf_free(conf);
}
END_TEST

static struct conf *
load_str(const char *text, const struct conf_opts *opts)
{
	return conf_load_mem("test.conf", text, strlen(text), opts);
}

static bool
has_diag(const struct conf *conf, enum conf_sev sev, const char *needle)
{
	for (size_t i = 0; i < conf->ndiags; i++)
		if (conf->diags[i].sev == sev &&
		    strstr(conf->diags[i].msg, needle) != NULL)
			return true;
	return false;
}

START_TEST(etc_sample_values_match_keepalived)
{
	struct conf_opts opts = { .lvs_elsewhere = true };
	struct conf *conf = conf_load_file(ETC_SAMPLE, &opts);
	const struct conf_instance *in;

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert_uint_eq(conf->ninstances, 1);
	in = &conf->instances[0];
	ck_assert_str_eq(in->name, "VI_1");
	ck_assert_str_eq(in->interface, "eth0");
	ck_assert_uint_eq(in->vrid, 51);
	ck_assert_uint_eq(in->priority, 100);
	ck_assert_uint_eq(in->version, 2);
	ck_assert_uint_eq(in->adver_int_cs, 100);
	ck_assert_uint_eq(in->nvips, 3);
	ck_assert_int_eq(in->state, CONF_STATE_MASTER);
	/* vrrp_strict: accept off, authentication dropped, both said. */
	ck_assert(in->strict);
	ck_assert(!in->accept);
	ck_assert_uint_eq(in->auth_type, VRRP_AUTH_NONE);
	ck_assert(
	    has_diag(conf, CONF_WARNING, "does not allow authentication"));
	ck_assert(has_diag(conf, CONF_WARNING, "accept mode is off"));
	ck_assert(has_diag(conf, CONF_WARNING, "LVS blocks skipped"));
	ck_assert(has_diag(conf, CONF_WARNING, "smtp_server: ignored"));
	ck_assert_str_eq(conf->global.router_id, "LVS_DEVEL");
	conf_free(conf);
}
END_TEST

START_TEST(conditional_sample_selects_lines_by_config_id)
{
	struct conf_opts high = { .config_id = "high" };
	struct conf_opts low = { .config_id = "low" };
	struct conf *ch = conf_load_file(SAMPLES "/keepalived.conf."
						 "conditional_conf",
	    &high);
	struct conf *cl = conf_load_file(SAMPLES "/keepalived.conf."
						 "conditional_conf",
	    &low);

	ck_assert_uint_eq(ch->ninstances, 1);
	ck_assert_uint_eq(ch->instances[0].priority, 170);
	ck_assert_uint_eq(cl->instances[0].priority, 85);
	ck_assert_str_eq(ch->checks[0].script.cmd,
	    "/etc/keepalived/scripts/check_high_VI_0.sh");
	/* net_namespace: each node's own; use_vmac: keepalived's name. */
	ck_assert_str_eq(ch->global.net_namespace, "high");
	ck_assert_str_eq(cl->global.net_namespace, "low");
	ck_assert(ch->instances[0].vmac.on);
	ck_assert_str_eq(ch->instances[0].vmac.name, "vrrp.1");
	ck_assert(!has_diag(ch, CONF_ERROR, "vmac"));
	conf_free(ch);
	conf_free(cl);
}
END_TEST

START_TEST(virtual_server_needs_lvs_elsewhere)
{
	const char *text = "virtual_server 192.0.2.1 80 {\n"
			   "  real_server 192.0.2.2 80 {\n  }\n}\n";
	struct conf_opts p = { .lvs_elsewhere = true };
	struct conf *without = load_str(text, NULL);
	struct conf *with = load_str(text, &p);

	ck_assert_uint_eq(without->nerrors, 1);
	ck_assert(has_diag(without, CONF_ERROR, "run vrrpd with -P"));
	ck_assert_uint_eq(with->nerrors, 0);
	ck_assert(has_diag(with, CONF_WARNING, "LVS blocks skipped"));
	conf_free(without);
	conf_free(with);
}
END_TEST

START_TEST(keepalived_defaults_differ_from_the_rfc_on_purpose)
{
	struct conf *conf =
	    load_str("vrrp_instance V {\n interface eth0\n"
		     " virtual_router_id 9\n"
		     " virtual_ipaddress {\n  192.0.2.9\n }\n}\n",
		NULL);
	const struct conf_instance *in = &conf->instances[0];

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert_uint_eq(in->version, 2); /* keepalived: VRRPv2 */
	ck_assert(in->accept);		   /* keepalived: accept */
	ck_assert(in->preempt);
	ck_assert(!in->lower_prio_no_advert); /* answers lower adverts */
	ck_assert_int_eq(in->csum_mode, VRRP_CSUM_PSEUDO);
	ck_assert_uint_eq(in->priority, 100);
	ck_assert_uint_eq(in->garp.master_repeat, 5);
	ck_assert_uint_eq(in->garp.master_delay_ms, 5000);
	ck_assert_uint_eq(in->vips[0].prefix, 32);
	conf_free(conf);
}
END_TEST

START_TEST(global_defaults_apply_whatever_the_order)
{
	/* global_defs after the instance still sets its defaults. */
	struct conf *conf =
	    load_str("vrrp_instance V {\n interface eth0\n"
		     " virtual_router_id 9\n"
		     " garp_master_repeat 2\n"
		     " virtual_ipaddress {\n  192.0.2.9\n }\n}\n"
		     "global_defs {\n vrrp_version 3\n"
		     " vrrp_garp_master_repeat 7\n"
		     " vrrp_garp_master_delay 1\n}\n",
		NULL);
	const struct conf_instance *in = &conf->instances[0];

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert_uint_eq(in->version, 3);
	ck_assert_uint_eq(in->garp.master_repeat, 2); /* its own */
	ck_assert_uint_eq(in->garp.master_delay_ms, 1000);
	conf_free(conf);
}
END_TEST

START_TEST(nopreempt_with_state_master_is_cleared_loudly)
{
	struct conf *conf =
	    load_str("vrrp_instance V {\n state MASTER\n"
		     " nopreempt\n interface eth0\n"
		     " virtual_router_id 9\n"
		     " virtual_ipaddress {\n  192.0.2.9\n }\n}\n",
		NULL);

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert(conf->instances[0].preempt);
	ck_assert(has_diag(conf, CONF_WARNING, "nopreempt has no effect"));
	conf_free(conf);
}
END_TEST

START_TEST(auth_pass_is_truncated_to_eight_like_keepalived)
{
	struct conf *conf =
	    load_str("vrrp_instance V {\n interface eth0\n"
		     " virtual_router_id 9\n"
		     " authentication {\n  auth_type PASS\n"
		     "  auth_pass secret12345\n }\n"
		     " virtual_ipaddress {\n  192.0.2.9\n }\n}\n",
		NULL);

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert_str_eq(conf->instances[0].auth_pass, "secret12");
	ck_assert(has_diag(conf, CONF_WARNING, "truncated to 8"));
	conf_free(conf);
}
END_TEST

START_TEST(weights_that_cannot_move_mastership_are_warned)
{
	struct conf *conf =
	    load_str("vrrp_script s {\n script /bin/true\n"
		     " weight -20\n}\n"
		     "vrrp_instance V {\n interface eth0\n"
		     " nopreempt\n virtual_router_id 9\n"
		     " track_script {\n  s\n }\n"
		     " virtual_ipaddress {\n  192.0.2.9\n }\n}\n"
		     "vrrp_instance O {\n interface eth0\n"
		     " priority 255\n virtual_router_id 10\n"
		     " track_interface {\n  eth1 weight -10\n }\n"
		     " virtual_ipaddress {\n  192.0.2.10\n }\n}\n",
		NULL);

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert(has_diag(conf, CONF_WARNING, "nopreempt with weighted"));
	ck_assert(has_diag(conf, CONF_WARNING,
	    "no effect on the address "
	    "owner"));
	conf_free(conf);
}
END_TEST

/* tests/conf/good/features.conf: every keyword lands in its field. */
START_TEST(features_global_keywords_land_in_the_model)
{
	struct conf_opts opts = { .config_id = "node1" };
	struct conf *conf =
	    conf_load_file("tests/conf/good/features.conf", &opts);
	const struct conf_global *g = &conf->global;

	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert_str_eq(g->router_id, "features");
	ck_assert_uint_eq(g->vrrp_version, 3);
	assert_addr(&g->mcast_group4, "224.0.0.18");
	assert_addr(&g->mcast_group6, "ff02::12");
	ck_assert_uint_eq(g->garp.master_refresh_ms, 60000);
	ck_assert_uint_eq(g->garp.master_refresh_repeat, 2);
	ck_assert_uint_eq(g->garp.lower_prio_delay_ms, 1000);
	ck_assert_uint_eq(g->garp.lower_prio_repeat, 2);
	ck_assert_uint_eq(g->garp.interval_ms, 1);
	ck_assert_uint_eq(g->garp.na_interval_ms, 2);
	ck_assert_uint_eq(g->startup_delay_ms, 5500);
	ck_assert(g->skip_check_adv_addr);
	ck_assert(!g->check_unicast_src);
	ck_assert(!g->lower_prio_no_advert);
	ck_assert(g->higher_prio_send_advert);
	ck_assert(!g->owner_ignore_adverts);
	ck_assert_uint_eq(g->down_timer_adverts, 4);
	ck_assert_str_eq(g->vrrp_notify_fifo, "/run/vrrpd/vrrp.fifo");
	ck_assert_str_eq(g->notify_fifo, "/run/vrrpd/all.fifo");
	ck_assert(g->dynamic_interfaces);
	conf_free(conf);
}
END_TEST

START_TEST(features_scripts_and_trackers_land_in_the_model)
{
	struct conf_opts opts = { .config_id = "node1" };
	struct conf *conf =
	    conf_load_file("tests/conf/good/features.conf", &opts);
	const struct conf_check *c;
	const struct conf_track_process *tp = &conf->track_procs[0];
	const struct conf_track_file *tf = &conf->track_files[0];

	ck_assert_uint_eq(conf->nchecks, 2); /* from include.d/ */
	c = &conf->checks[0];
	ck_assert_str_eq(c->name, "chk_tcp");
	ck_assert_int_eq(c->kind, CONF_CHECK_SCRIPT);
	ck_assert_str_eq(c->script.cmd,
	    "/bin/sh -c 'exec 3<>/dev/tcp/127.0.0.1/80'");
	ck_assert_str_eq(c->script.user, "nobody");
	ck_assert_uint_eq(c->interval_ms, 1500);
	ck_assert_uint_eq(c->timeout_ms, 1000);
	ck_assert_uint_eq(c->rise, 3);
	ck_assert_uint_eq(c->fall, 2);
	ck_assert(c->init_fail);
	ck_assert_str_eq(c->loc.file, "tests/conf/good/include.d/scripts.inc");
	/* keepalived: the timeout defaults to the interval */
	ck_assert_uint_eq(conf->checks[1].timeout_ms, 1000);
	ck_assert_str_eq(tp->name, "haproxy");
	ck_assert_str_eq(tp->process, "haproxy");
	ck_assert_str_eq(tp->params, "-f /etc/haproxy/haproxy.cfg");
	ck_assert_str_eq(tp->param_match, "initial");
	ck_assert_int_eq(tp->weight, 10);
	ck_assert(tp->reverse);
	ck_assert_uint_eq(tp->quorum, 1);
	ck_assert_uint_eq(tp->quorum_max, 4);
	ck_assert_uint_eq(tp->delay_ms, 1000);
	ck_assert_uint_eq(tp->terminate_delay_ms, 2000);
	ck_assert(tp->full_command);
	ck_assert_str_eq(tf->path, "/run/vrrpd/maintenance");
	ck_assert_int_eq(tf->weight, -1);
	ck_assert(tf->has_init && tf->init_overwrite);
	ck_assert_int_eq(tf->init_value, 0);
	conf_free(conf);
}
END_TEST

START_TEST(features_instance_keywords_land_in_the_model)
{
	struct conf_opts opts = { .config_id = "node1" };
	struct conf *conf =
	    conf_load_file("tests/conf/good/features.conf", &opts);
	const struct conf_instance *in = instance(conf, "VI_4");

	ck_assert_str_eq(in->interface, "eth0"); /* ${IFACE} */
	ck_assert_uint_eq(in->vrid, 40);
	ck_assert_uint_eq(in->priority, 100); /* @node1 $PRIO_BASE */
	ck_assert_uint_eq(in->version, 3);    /* global vrrp_version */
	ck_assert_uint_eq(in->adver_int_cs, 5);
	ck_assert_uint_eq(in->preempt_delay_ms, 2500);
	ck_assert(in->accept);
	ck_assert_uint_eq(in->down_timer_adverts, 5);
	ck_assert_uint_eq(in->garp.master_delay_ms, 1000); /* $GARP lines */
	ck_assert_uint_eq(in->garp.master_repeat, 2);
	ck_assert_uint_eq(in->garp.master_refresh_ms, 60000); /* global */
	ck_assert(in->lower_prio_no_advert);
	ck_assert(in->higher_prio_send_advert); /* global */
	ck_assert_int_eq(in->csum_mode, VRRP_CSUM_MSG_ONLY);
	ck_assert(in->check_unicast_src);
	ck_assert(in->dont_track_primary);
	ck_assert(in->has_src);
	assert_addr(&in->src, "192.0.2.4");
	ck_assert_uint_eq(in->nvips, 3);
	assert_addr(&in->vips[0].addr, "192.0.2.40");
	ck_assert_uint_eq(in->vips[0].prefix, 24);
	ck_assert_int_eq(in->vips[0].brd, CONF_BRD_PLUS);
	ck_assert_str_eq(in->vips[0].dev, "eth0");
	ck_assert_uint_eq(in->vips[0].scope, 0);
	ck_assert_str_eq(in->vips[0].label, "eth0:vip");
	ck_assert_int_eq(in->vips[1].brd, CONF_BRD_ADDR);
	assert_addr(&in->vips[1].brd_addr, "192.0.2.255");
	ck_assert(in->vips[1].no_track);
	ck_assert_int_eq(in->vips[2].brd, CONF_BRD_MINUS);
	ck_assert_int_eq(in->vips[2].preferred_lft, 0);
	ck_assert_uint_eq(in->vips[2].prefix, 32);
	/* its own four, then its sync group's track_interface eth2 */
	ck_assert_uint_eq(in->ntracks, 5);
	ck_assert(in->tracks[4].implicit);
	ck_assert_int_eq(in->tracks[4].kind, CONF_TRACK_IFACE);
	ck_assert_str_eq(in->tracks[4].name, "eth2");
	ck_assert_int_eq(in->tracks[0].kind, CONF_TRACK_CHECK);
	ck_assert_str_eq(in->tracks[0].name, "chk_tcp");
	ck_assert(in->tracks[0].has_weight && in->tracks[0].reverse);
	ck_assert_int_eq(in->tracks[0].weight, 5);
	ck_assert(!in->tracks[1].has_weight);
	ck_assert_int_eq(in->tracks[2].kind, CONF_TRACK_FILE);
	ck_assert_int_eq(in->tracks[2].weight, -50);
	ck_assert_int_eq(in->tracks[3].kind, CONF_TRACK_PROCESS);
	ck_assert_str_eq(in->notify.master.cmd,
	    "/usr/local/bin/notify.sh --verbose master");
	ck_assert_str_eq(in->notify.master.user, "root");
	ck_assert_str_eq(in->notify.master.group, "root");
	ck_assert_str_eq(in->notify.fault.cmd,
	    "/usr/local/bin/notify.sh --verbose fault");
	ck_assert_str_eq(in->notify.stop.cmd, "/usr/local/bin/stop.sh");
	ck_assert_str_eq(in->sync_group, "GROUP1");
	conf_free(conf);
}
END_TEST

START_TEST(features_ipv6_unicast_and_generators_land_in_the_model)
{
	struct conf_opts opts = { .config_id = "node1" };
	struct conf *conf =
	    conf_load_file("tests/conf/good/features.conf", &opts);
	const struct conf_instance *v6 = instance(conf, "VI_6");
	const struct conf_instance *gen = instance(conf, "VI_GEN");
	const struct conf_sync_group *g = &conf->sync_groups[0];

	ck_assert_int_eq(v6->family, AF_INET6);
	ck_assert_uint_eq(v6->version, 3);
	ck_assert_uint_eq(v6->adver_int_cs, 1);
	ck_assert(v6->vips[1].nodad);
	ck_assert_int_eq(v6->vips[1].preferred_lft, -1);
	ck_assert(v6->unicast);
	ck_assert_uint_eq(v6->npeers, 2);
	assert_addr(&v6->peers[0].addr, "2001:db8::2");
	ck_assert_uint_eq(v6->peers[0].min_ttl, 250);
	ck_assert_uint_eq(v6->peers[0].max_ttl, 255);
	ck_assert_uint_eq(v6->unicast_ttl, 64);
	ck_assert(v6->unicast_fault_no_peer);
	/* ~SEQ(i, 50, 2, 54) and ~LST(x, eth3, eth4) */
	ck_assert_uint_eq(gen->nvips, 3);
	assert_addr(&gen->vips[0].addr, "198.51.100.50");
	assert_addr(&gen->vips[2].addr, "198.51.100.54");
	ck_assert_uint_eq(gen->ntracks, 2);
	ck_assert_str_eq(gen->tracks[1].name, "eth4");
	ck_assert_int_eq(gen->tracks[1].weight, -5);
	ck_assert_str_eq(g->name, "GROUP1");
	ck_assert_uint_eq(g->nmembers, 2);
	ck_assert_str_eq(g->members[1], "VI_6");
	ck_assert_uint_eq(g->ntracks, 1);
	ck_assert_str_eq(g->notify.master.cmd,
	    "/usr/local/bin/group.sh master");
	conf_free(conf);
}
END_TEST

START_TEST(lvs_pair_file_serves_both_nodes_by_config_id)
{
	struct conf_opts a = { .config_id = "lvs-a", .lvs_elsewhere = true };
	struct conf_opts b = { .config_id = "lvs-b", .lvs_elsewhere = true };
	struct conf *ca = conf_load_file("tests/conf/good/lvs-pair.conf", &a);
	struct conf *cb = conf_load_file("tests/conf/good/lvs-pair.conf", &b);
	const struct conf_instance *in = instance(ca, "VI_WEB");

	ck_assert_uint_eq(in->priority, 150);
	ck_assert_uint_eq(instance(cb, "VI_WEB")->priority, 100);
	ck_assert(!in->preempt);
	ck_assert_uint_eq(in->auth_type, VRRP_AUTH_PASS);
	ck_assert_str_eq(in->auth_pass, "s3cret");
	ck_assert_uint_eq(in->nvips_excluded, 2);
	assert_addr(&in->vips_excluded[1].addr, "2001:db8::10");
	ck_assert_str_eq(ca->global.script_user, "nobody");
	ck_assert_str_eq(ca->global.script_group, "nogroup");
	ck_assert(ca->global.script_security);
	ck_assert_uint_eq(in->garp.master_delay_ms, 2000);
	ck_assert_uint_eq(in->garp.master_repeat, 3);
	ck_assert_str_eq(in->notify.any.cmd, "/etc/keepalived/notify-any.sh");
	conf_free(ca);
	conf_free(cb);
}
END_TEST

START_TEST(warned_keywords_are_reported_once)
{
	struct conf *conf =
	    conf_load_file(SAMPLES "/keepalived.conf.vrrp", NULL);
	size_t n = 0;

	for (size_t i = 0; i < conf->ndiags; i++)
		n += strstr(conf->diags[i].msg, "smtp_alert:") != NULL;
	ck_assert_uint_eq(n, 1); /* four instances carry it */
	conf_free(conf);
}
END_TEST

START_TEST(advert_source_must_not_be_a_vip)
{
	struct conf *conf =
	    load_str("vrrp_instance V {\n interface eth0\n"
		     " virtual_router_id 9\n"
		     " unicast_src_ip 192.0.2.9\n"
		     " unicast_peer {\n  192.0.2.8\n }\n"
		     " virtual_ipaddress {\n  192.0.2.9\n }\n}\n",
		NULL);

	ck_assert(has_diag(conf, CONF_ERROR, "advert source is a virtual"));
	conf_free(conf);
}
END_TEST

START_TEST(weights_are_checked_against_peer_priorities_in_at_lines)
{
	/* keepalived pain point P3: 101 - 1 = 100 ties the peer's 100 */
	static const char fmt[] = "vrrp_script chk {\n script /bin/true\n"
				  " weight %d\n}\n"
				  "vrrp_instance V {\n interface eth0\n"
				  " virtual_router_id 9\n"
				  "@lvs-a priority 101\n@lvs-b priority 100\n"
				  " track_script {\n  chk\n }\n"
				  " virtual_ipaddress {\n  192.0.2.9\n }\n}\n";
	struct conf_opts a = { .config_id = "lvs-a" };
	struct conf_opts b = { .config_id = "lvs-b" };
	char text[512];
	struct conf *conf;

	snprintf(text, sizeof(text), fmt, -1);
	conf = load_str(text, &a);
	ck_assert_uint_eq(conf->nerrors, 0);
	ck_assert(has_diag(conf, CONF_WARNING,
	    "falls to 100, not below 100 "
	    "on lvs-b"));
	conf_free(conf);
	/* the backup's own failures need not move anything */
	conf = load_str(text, &b);
	ck_assert_uint_eq(conf->ndiags, 0);
	conf_free(conf);
	/* 101 - 2 = 99 < 100: a failure hands over, nothing to say */
	snprintf(text, sizeof(text), fmt, -2);
	conf = load_str(text, &a);
	ck_assert_uint_eq(conf->ndiags, 0);
	conf_free(conf);
}
END_TEST

/* vrrpd(8) lists every keyword the tables know: docs cannot drift. */
START_TEST(every_keyword_is_documented_in_vrrpd_8)
{
	static const struct kw *const tables[] = { ka_global_kws,
		ka_instance_kws, ka_script_kws, ka_track_process_kws,
		ka_track_file_kws, ka_sync_group_kws };
	char *man = NULL, word[128];
	size_t len = 0;
	FILE *f = fopen("man/vrrpd.8", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_gt(getdelim(&man, &len, '\0', f), 0);
	fclose(f);
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct kw *kw = tables[t]; kw->name != NULL; kw++) {
			bool found = false;

			for (const char *p = man; (p = strstr(p, kw->name));
			     p++) {
				size_t n = strlen(kw->name);

				if ((p == man || strchr(" \n", p[-1])) &&
				    strchr(" \n,", p[n]) != NULL)
					found = true;
			}
			snprintf(word, sizeof(word), "%s", kw->name);
			ck_assert_msg(found, "man/vrrpd.8 does not list %s",
			    word);
		}
	free(man);
}
END_TEST

/* ---- registry: vrrpd_registry_* in global_defs ---- */

START_TEST(registry_keywords_land_in_the_model)
{
	struct conf *conf =
	    conf_load_file("tests/conf/good/registry.conf", NULL);
	const struct conf_registry *r = &conf->global.registry;
	const struct conf_cmd *nsb = &r->notify_split_brain;

	ck_assert_uint_eq(conf->ndiags, 0);
	ck_assert_str_eq(r->servers,
	    "192.0.2.10:2181,192.0.2.11:2181,2001:db8::12:2181");
	ck_assert_str_eq(r->path, "/vrrpd/lvs");
	ck_assert_uint_eq(r->session_timeout_ms, 4000); /* milliseconds */
	ck_assert_str_eq(r->auth_file, "/etc/vrrpd/zk.auth");
	/* a quoted script, as keepalived's notify scripts */
	ck_assert_str_eq(nsb->cmd, "/usr/local/bin/split-brain.sh --page ops");
	ck_assert_str_eq(nsb->user, "root");
	ck_assert_str_eq(nsb->group, "adm");
	ck_assert_uint_eq(nsb->loc.line, 8);
	/* the first registry keyword locates the registry */
	ck_assert_uint_eq(r->loc.line, 4);
	ck_assert_uint_eq(r->loc.col, 2);
	conf_free(conf);
}
END_TEST

START_TEST(registry_defaults_match_the_yaml_front_end)
{
	struct conf *conf = load_str("global_defs {\n"
				     " vrrpd_registry_servers 192.0.2.10:2181\n"
				     "}\n",
	    NULL);
	const struct conf_registry *r = &conf->global.registry;

	ck_assert_uint_eq(conf->ndiags, 0);
	ck_assert_str_eq(r->path, "/vrrpd");
	ck_assert_uint_eq(r->session_timeout_ms, 10000);
	ck_assert_ptr_null(r->auth_file);
	ck_assert_ptr_null(r->notify_split_brain.cmd);
	conf_free(conf);
}
END_TEST

/* Milliseconds, a bare number: "10s" or seconds are refused where written. */
START_TEST(registry_session_timeout_is_whole_milliseconds)
{
	struct conf *conf = load_str("global_defs {\n"
				     " vrrpd_registry_servers 192.0.2.10:2181\n"
				     " vrrpd_registry_session_timeout 10s\n"
				     " vrrpd_registry_session_timeout 10\n"
				     " vrrpd_registry_session_timeout 120001\n"
				     "}\n",
	    NULL);
	char *got = diags_text(conf);

	ck_assert_str_eq(got,
	    "test.conf:3:33: error: vrrpd_registry_session_timeout: not a "
	    "whole number: \"10s\" (expected 1000..120000)\n"
	    "test.conf:4:33: error: vrrpd_registry_session_timeout: out of "
	    "range: \"10\" (expected 1000..120000)\n"
	    "test.conf:5:33: error: vrrpd_registry_session_timeout: out of "
	    "range: \"120001\" (expected 1000..120000)\n");
	free(got);
	conf_free(conf);
}
END_TEST

START_TEST(registry_keywords_share_the_yaml_rules)
{
	struct conf *conf =
	    load_str("global_defs {\n"
		     " vrrpd_registry_path /vrrpd\n"
		     "}\n"
		     "global_defs {\n"
		     " vrrpd_registry_servers zk1.example.com:2181\n"
		     "}\n",
		NULL);

	/* located at the first registry keyword, wherever servers is */
	ck_assert_uint_eq(conf->nerrors, 1);
	ck_assert(has_diag(conf, CONF_ERROR,
	    "\"zk1.example.com\" is not a numeric address: the daemon never "
	    "resolves names"));
	ck_assert_uint_eq(conf->diags[0].loc.line, 2);
	conf_free(conf);
}
END_TEST

/*
 * Sync groups as keepalived 2.2.7 builds them: the members' own weights
 * set to 0 (warned) unless sync_group_tracking_weight; the group's tracks
 * on every member with the group's weight (also over a member's own entry
 * for the same object), 0 with an address owner in the group; nothing
 * duplicated by --dump-config and back.
 */
static const char sync_conf[] =
    "vrrp_script chk { script \"/bin/true\"\n weight -20 }\n"
    "vrrp_sync_group G {\n group {\n A\n B\n }\n"
    " track_interface {\n eth1 weight -30\n }\n%s}\n"
    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
    " priority %d\n virtual_ipaddress {\n 192.0.2.1\n }\n"
    " track_script {\n chk\n }\n"
    " track_interface {\n eth1 weight -5\n }\n}\n"
    "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
    " virtual_ipaddress {\n 192.0.2.2\n }\n}\n";

static struct conf *
sync_load(const char *extra, int prio)
{
	char text[1024];

	snprintf(text, sizeof(text), sync_conf, extra, prio);
	return load_str(text, NULL);
}

START_TEST(sync_group_weights_follow_keepalived)
{
	struct conf *conf = sync_load("", 100), *back;
	const struct conf_instance *a = &conf->instances[0],
				   *b = &conf->instances[1];
	char *yaml;

	ck_assert_uint_eq(conf->nerrors, 0);
	/* A's own track_script: weight 0, warned */
	ck_assert(has_diag(conf, CONF_WARNING,
	    "(A) track_script chk: weight -20 ignored in sync group G"));
	ck_assert(a->tracks[0].has_weight && a->tracks[0].weight == 0);
	/* A's own eth1 entry: the group's weight wins, warned */
	ck_assert(has_diag(conf, CONF_WARNING,
	    "(A) track_interface eth1 is tracked by the instance and by its "
	    "sync group G"));
	ck_assert_uint_eq(a->ntracks, 2);
	ck_assert_int_eq(a->tracks[1].weight, -30);
	/* B had none: the group's, added */
	ck_assert_uint_eq(b->ntracks, 1);
	ck_assert(b->tracks[0].implicit);
	ck_assert_int_eq(b->tracks[0].weight, -30);
	/* the dump carries the group's track once, in the group */
	yaml = emit(conf);
	back = conf_load_mem("g.yaml", yaml, strlen(yaml), NULL);
	ck_assert_uint_eq(back->nerrors, 0);
	ck_assert_uint_eq(back->instances[1].ntracks, 1);
	ck_assert(conf_equal(conf, back));
	free(yaml);
	conf_free(back);
	conf_free(conf);

	/* kept with sync_group_tracking_weight, and with global_tracking */
	conf = sync_load(" sync_group_tracking_weight\n", 100);
	ck_assert(!has_diag(conf, CONF_WARNING, "ignored in sync group"));
	ck_assert(!conf->instances[0].tracks[0].has_weight);
	conf_free(conf);
	conf = sync_load(" global_tracking\n", 100);
	ck_assert(
	    has_diag(conf, CONF_WARNING, "global_tracking is deprecated"));
	ck_assert(!has_diag(conf, CONF_WARNING, "ignored in sync group"));
	ck_assert(conf->sync_groups[0].tracking_weight);
	conf_free(conf);

	/* an address owner in the group: the group's weights are 0 too */
	conf = sync_load(" sync_group_tracking_weight\n", 255);
	ck_assert(has_diag(conf, CONF_WARNING,
	    "sync group G: track_interface eth1: weight ignored, the group has "
	    "an address owner"));
	ck_assert_int_eq(conf->instances[1].tracks[0].weight, 0);
	conf_free(conf);
}
END_TEST

/* keepalived.conf -> YAML -> model: the registry survives the migration. */
START_TEST(registry_migrates_to_yaml)
{
	struct conf *conf =
	    conf_load_file("tests/conf/good/registry.conf", NULL);
	char *yaml = emit(conf);
	struct conf *back = conf_load_mem("m.yaml", yaml, strlen(yaml), NULL);

	ck_assert_uint_eq(back->ndiags, 0);
	ck_assert(conf_equal(conf, back));
	ck_assert_msg(
	    strstr(yaml,
		"registry:\n"
		"  servers: 192.0.2.10:2181,192.0.2.11:2181,"
		"2001:db8::12:2181\n"
		"  path: /vrrpd/lvs\n"
		"  session_timeout: 4s\n"
		"  auth_file: /etc/vrrpd/zk.auth\n"
		"  notify_split_brain:\n"
		"    command: /usr/local/bin/split-brain.sh --page ops\n"
		"    user: root\n"
		"    group: adm\n") != NULL,
	    "%s", yaml);
	free(yaml);
	conf_free(back);
	conf_free(conf);
}
END_TEST

static Suite *
keepalived_suite(void)
{
	Suite *s = suite_create("conf_keepalived");
	TCase *tc;

	list_samples();
	tc = tcase_create("samples");
	tcase_add_loop_test(tc,
	    shipped_sample_loads_with_only_deliberate_rejections, 0, nsamples);
	tcase_add_test(tc, etc_sample_values_match_keepalived);
	tcase_add_test(tc, conditional_sample_selects_lines_by_config_id);
	suite_add_tcase(s, tc);

	tc = tcase_create("semantics");
	tcase_add_test(tc, virtual_server_needs_lvs_elsewhere);
	tcase_add_test(tc, keepalived_defaults_differ_from_the_rfc_on_purpose);
	tcase_add_test(tc, global_defaults_apply_whatever_the_order);
	tcase_add_test(tc, nopreempt_with_state_master_is_cleared_loudly);
	tcase_add_test(tc, auth_pass_is_truncated_to_eight_like_keepalived);
	tcase_add_test(tc, weights_that_cannot_move_mastership_are_warned);
	tcase_add_test(tc, every_keyword_is_documented_in_vrrpd_8);
	tcase_add_test(tc, warned_keywords_are_reported_once);
	tcase_add_test(tc, advert_source_must_not_be_a_vip);
	tcase_add_test(tc,
	    weights_are_checked_against_peer_priorities_in_at_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("keywords");
	tcase_add_test(tc, features_global_keywords_land_in_the_model);
	tcase_add_test(tc, features_scripts_and_trackers_land_in_the_model);
	tcase_add_test(tc, features_instance_keywords_land_in_the_model);
	tcase_add_test(tc, sync_group_weights_follow_keepalived);
	tcase_add_test(tc,
	    features_ipv6_unicast_and_generators_land_in_the_model);
	tcase_add_test(tc, lvs_pair_file_serves_both_nodes_by_config_id);
	suite_add_tcase(s, tc);

	tc = tcase_create("registry");
	tcase_add_test(tc, registry_keywords_land_in_the_model);
	tcase_add_test(tc, registry_defaults_match_the_yaml_front_end);
	tcase_add_test(tc, registry_session_timeout_is_whole_milliseconds);
	tcase_add_test(tc, registry_keywords_share_the_yaml_rules);
	tcase_add_test(tc, registry_migrates_to_yaml);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(keepalived_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (int i = 0; i < nsamples; i++)
		free(samples[i]);
	/* Without the samples this suite proves nothing: fail loudly. */
	if (nsamples < 20) {
		fprintf(stderr,
		    "conf_keepalived: only %d keepalived samples "
		    "in " SAMPLES "; install Debian's keepalived\n",
		    nsamples);
		return EXIT_FAILURE;
	}
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
