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
	return strstr(msg, "not supported by vrrpd") != NULL ||
	    strstr(msg, "(list instances in a group { } block)") != NULL;
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
	/* net_namespace and use_vmac: named, rejected. */
	ck_assert(has_diag(ch, CONF_ERROR, "net_namespace: not supported"));
	ck_assert(has_diag(ch, CONF_ERROR, "use_vmac: not supported"));
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
