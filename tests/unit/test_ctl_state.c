/* SPDX-License-Identifier: BSD-2-Clause */
/* ctl/state, why, metrics: status payloads and Prometheus text. */

#include <check.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vrrpd/ctl.h"
#include "vrrpd/vrrp_instance.h"

static struct conf_vip vips[] = {
	{ .prefix = 24 },
};

static struct conf_instance ci = {
	.name = "VI_1",
	.interface = "eth0",
	.vrid = 51,
	.priority = 150,
	.version = 3,
	.family = AF_INET,
	.adver_int_cs = 100,
	.preempt = true,
	.vips = vips,
	.nvips = 1,
};

static struct vrrp_inst_stats stats = { .adverts_rcvd = 10,
	.become_master = 2,
	.rx_errors = { [VRRP_CTR_IP_TTL_ERRORS] = 3 } };

static struct addr
a4(const char *s)
{
	struct addr a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

/* A backup hearing 192.0.2.1 at priority 100, ours 90 after a check. */
static struct vrrp_inst_view
backup_view(void)
{
	static const struct checker_part parts[] = {
		{ .name = "web",
		    .kind = CONF_TRACK_CHECK,
		    .up = false,
		    .contrib = -60,
		    .weight = -60 },
	};
	struct vrrp_inst_view v = {
		.ci = &ci,
		.state = VRRP_STATE_BACKUP,
		.in_state_us = 73000000,
		.transitioned = true,
		.prev_state = VRRP_STATE_MASTER,
		.reason = VRRP_RSN_HIGHER_PRIO,
		.base_priority = 150,
		.priority = 90,
		.track_sum = -60,
		.parts = parts,
		.nparts = 1,
		.master_known = true,
		.master_addr = a4("192.0.2.1"),
		.master_priority = 100,
		.master_adver_int_cs = 100,
		.adver_int_cs = 100,
		.src = a4("192.0.2.2"),
		.master_down_armed = true,
		.master_down_in_us = 3412000,
	};

	vips[0].addr = a4("192.0.2.100");
	return v;
}

static json_object *
member(json_object *o, const char *path)
{
	char buf[128], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL && o != NULL;
	     tok = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(tok));
		else if (!json_object_object_get_ex(o, tok, &o))
			return NULL;
	}
	return o;
}

static const char *
mstr(json_object *o, const char *path)
{
	return json_object_get_string(member(o, path));
}

START_TEST(status_object_carries_every_documented_member)
{
	struct vrrp_inst_view v = backup_view();
	bool present[] = { false };
	json_object *o = ctl_json_instance(&v, present);

	ck_assert_str_eq(mstr(o, "name"), "VI_1");
	ck_assert_str_eq(mstr(o, "family"), "inet");
	ck_assert_str_eq(mstr(o, "state"), "BACKUP");
	ck_assert_int_eq(json_object_get_int(member(o, "in_state_ms")), 73000);
	ck_assert_int_eq(json_object_get_int(member(o, "priority.base")), 150);
	ck_assert_int_eq(json_object_get_int(member(o, "priority.effective")),
	    90);
	ck_assert_str_eq(mstr(o, "priority.parts.0.name"), "web");
	ck_assert_int_eq(
	    json_object_get_int(member(o, "priority.parts.0.contrib")), -60);
	ck_assert_str_eq(mstr(o, "master.address"), "192.0.2.1");
	ck_assert_int_eq(
	    json_object_get_int(member(o, "master.advert_interval_ms")), 1000);
	ck_assert_str_eq(mstr(o, "vips.0.address"), "192.0.2.100/24");
	ck_assert(!json_object_get_boolean(member(o, "vips.0.present")));
	ck_assert_str_eq(mstr(o, "last_transition.from"), "MASTER");
	ck_assert_str_eq(mstr(o, "last_transition.reason"),
	    "higher priority advert received");
	ck_assert_int_eq(json_object_get_int(member(o, "master_down_in_ms")),
	    3412);
	ck_assert_ptr_null(member(o, "demoted"));
	ck_assert_int_eq(json_object_array_length(member(o, "faults")), 0);
	ck_assert_str_eq(mstr(o, "why"),
	    "current master 192.0.2.1 priority 100 > ours 90");
	json_object_put(o);
}
END_TEST

START_TEST(unknown_vip_presence_is_null_and_demotion_is_a_part)
{
	struct vrrp_inst_view v = backup_view();
	json_object *o;

	v.demoted = true;
	v.priority = 1;
	v.demote_left_us = 540000000;
	o = ctl_json_instance(&v, NULL);
	ck_assert(
	    json_object_object_get_ex(member(o, "vips.0"), "present", NULL));
	ck_assert_ptr_null(member(o, "vips.0.present"));
	ck_assert_int_eq(json_object_get_int(member(o, "demoted.in_ms")),
	    540000);
	ck_assert_str_eq(mstr(o, "priority.parts.1.kind"), "demote");
	/* 150 - 60 = 90, brought to 1 */
	ck_assert_int_eq(
	    json_object_get_int(member(o, "priority.parts.1.contrib")), -89);
	ck_assert_str_eq(mstr(o, "why"),
	    "demoted; current master 192.0.2.1 priority 100 > ours 1");
	json_object_put(o);
}
END_TEST

static const char *
why(struct vrrp_inst_view *v)
{
	static char buf[256];

	ctl_why(v, buf, sizeof(buf));
	return buf;
}

START_TEST(why_line_names_the_deciding_rule)
{
	struct vrrp_inst_view v = backup_view();

	v.priority = 150;
	v.master_priority = 90;
	ci.preempt = false;
	ck_assert_str_eq(why(&v),
	    "preempt off; current master 192.0.2.1 priority 90 < ours 150");
	ci.preempt = true;
	v.preempt_in_us = 1200000;
	ck_assert_str_eq(why(&v),
	    "preempt delay: taking over in 1.2 s (master 192.0.2.1 "
	    "priority 90 < ours 150)");
	v.master_priority = 150;
	ck_assert_str_eq(why(&v),
	    "current master 192.0.2.1 priority 150 = ours: an equal "
	    "priority does not preempt");
	v.master_known = false;
	ck_assert_str_eq(why(&v),
	    "no master heard; taking over in 3.4 s unless an advert arrives");
	v.state = VRRP_STATE_MASTER;
	ck_assert_str_eq(why(&v),
	    "no advert with a priority above ours (150) is heard");
	v.base_priority = 255;
	ck_assert_str_eq(why(&v), "address owner (priority 255)");
	v.state = VRRP_STATE_FAULT;
	v.faults = 1u << VRRP_FAULT_LINK_DOWN | 1u << VRRP_FAULT_CHECK;
	ck_assert_str_eq(why(&v), "fault: interface down, check failed");
	v.state = VRRP_STATE_INIT;
	v.waiting = true;
	ck_assert_ptr_nonnull(strstr(why(&v), "not started"));
}
END_TEST

/* A sync group member: what the group waits for, whose fault it shares,
 * and the group in the JSON. */
START_TEST(why_line_and_json_name_the_sync_group)
{
	struct vrrp_inst_view v = backup_view();
	json_object *o, *g;

	v.group = "LVS";
	v.group_state = VRRP_STATE_BACKUP;
	v.wants_master = true;
	v.group_holder = "INT";
	v.group_holder_state = VRRP_STATE_BACKUP;
	ck_assert_str_eq(why(&v),
	    "would take over, but sync group LVS waits: INT still hears its "
	    "master");
	v.group_holder_state = VRRP_STATE_INIT;
	ck_assert_str_eq(why(&v),
	    "would take over, but sync group LVS waits: INT has not started");
	o = ctl_json_instance(&v, NULL);
	g = member(o, "sync_group");
	ck_assert_str_eq(mstr(g, "name"), "LVS");
	ck_assert_str_eq(mstr(g, "state"), "BACKUP");
	ck_assert_str_eq(mstr(g, "held_by"), "INT");
	json_object_put(o);
	v.state = VRRP_STATE_FAULT;
	v.group_state = VRRP_STATE_FAULT;
	v.wants_master = false;
	v.group_holder_state = VRRP_STATE_FAULT;
	v.faults = 1u << VRRP_FAULT_SYNC_GROUP;
	ck_assert_str_eq(why(&v), "fault: sync group LVS: INT is in FAULT");
	/* a fault of its own is named as usual */
	v.faults |= 1u << VRRP_FAULT_LINK_DOWN;
	ck_assert_str_eq(why(&v),
	    "fault: interface down, sync group member in fault");
	/* not in a group: null */
	v = backup_view();
	o = ctl_json_instance(&v, NULL);
	ck_assert(json_object_object_get_ex(o, "sync_group", &g));
	ck_assert_ptr_null(g);
	json_object_put(o);
}
END_TEST

START_TEST(why_line_is_cut_not_overrun)
{
	struct vrrp_inst_view v = backup_view();
	char buf[12];

	memset(buf, 'x', sizeof(buf));
	ctl_why(&v, buf, 8);
	ck_assert_int_eq(strlen(buf), 7);
	ck_assert_int_eq(buf[9], 'x');
}
END_TEST

START_TEST(counters_use_keepalived_names_with_mib_info)
{
	json_object *c = ctl_json_inst_counters(&stats), *info;

	ck_assert_int_eq(json_object_get_int(member(c, "advert_rcvd")), 10);
	ck_assert_int_eq(json_object_get_int(member(c, "become_master")), 2);
	ck_assert_int_eq(json_object_get_int(member(c, "ip_ttl_err")), 3);
	ck_assert_ptr_null(member(c, "vrid_err")); /* router-wide only */
	info = ctl_json_counter_info();
	ck_assert_str_eq(mstr(info, "advert_rcvd.mib"),
	    "vrrpv3StatisticsAdvertisementRcvd");
	ck_assert_str_eq(mstr(info, "ip_ttl_err.mib"),
	    "vrrpv3StatisticsIpTtlErrors");
	ck_assert_str_eq(mstr(info, "auth_failure.mib"),
	    "vrrpStatsAuthFailures");
	ck_assert_ptr_null(member(info, "garp_sent.mib"));
	/* every counter has its info */
	json_object_object_foreach(c, k, v)
	{
		(void)v;
		ck_assert_msg(member(info, k) != NULL, "%s", k);
	}
	json_object_put(c);
	json_object_put(info);
}
END_TEST

/* The text format's line grammar (exposition format 0.0.4). */
static void
assert_exposition(const char *text)
{
	regex_t sample, help, type;
	char *copy = strdup(text), *save = NULL, *line, fam[128] = "";
	size_t nsamples = 0;

	ck_assert_int_eq(
	    regcomp(&sample,
		"^([a-zA-Z_:][a-zA-Z0-9_:]*)"
		"(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\","
		"?)*\\})? -?[0-9.e+-]+$",
		REG_EXTENDED),
	    0);
	ck_assert_int_eq(regcomp(&help, "^# HELP [a-z_:]+ .+$", REG_EXTENDED),
	    0);
	ck_assert_int_eq(
	    regcomp(&type, "^# TYPE ([a-z_:]+) (gauge|counter)$", REG_EXTENDED),
	    0);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		regmatch_t m[2];

		if (strncmp(line, "# HELP", 6) == 0) {
			ck_assert_msg(regexec(&help, line, 0, NULL, 0) == 0,
			    "%s", line);
			continue;
		}
		if (regexec(&type, line, 2, m, 0) == 0) {
			snprintf(fam, sizeof(fam), "%.*s",
			    (int)(m[1].rm_eo - m[1].rm_so), line + m[1].rm_so);
			if (strstr(line, " counter") != NULL)
				ck_assert_msg(strstr(fam, "_total") != NULL,
				    "%s", line);
			continue;
		}
		ck_assert_msg(regexec(&sample, line, 2, m, 0) == 0, "%s", line);
		ck_assert_msg(strncmp(line, fam, strlen(fam)) == 0 &&
			(line[strlen(fam)] == '{' || line[strlen(fam)] == ' '),
		    "sample %s outside its family %s", line, fam);
		nsamples++;
	}
	ck_assert_uint_gt(nsamples, 20);
	regfree(&sample);
	regfree(&help);
	regfree(&type);
	free(copy);
}

START_TEST(metrics_follow_the_exposition_format)
{
	struct vrrp_inst_view v = backup_view();
	json_object *status = json_object_new_object(), *a, *st, *o;
	char *text;
	size_t len;

	a = json_object_new_array();
	json_object_array_add(a, ctl_json_instance(&v, NULL));
	json_object_object_add(status, "instances", a);
	st = json_tokener_parse(
	    "{\"instances\":[{\"name\":\"VI_\\\"1\",\"counters\":{"
	    "\"advert_rcvd\":10,\"ip_ttl_err\":3}}],"
	    "\"router\":{\"counters\":{\"vrid_err\":4}},"
	    "\"loop\":{\"lag_last_us\":40,\"lag_max_us\":812}}");
	o = json_tokener_parse(
	    "{\"checks\":[{\"name\":\"web\",\"kind\":\"http\",\"state\":"
	    "\"down\",\"latency_us\":1234,\"runs\":40,\"failures\":5},"
	    "{\"name\":\"idle\",\"kind\":\"tcp\",\"state\":\"unused\","
	    "\"latency_us\":null,\"runs\":0,\"failures\":0}],"
	    "\"trackers\":[{\"kind\":\"interface\",\"name\":\"eth1\","
	    "\"state\":\"up\"}]}");
	text = ctl_metrics_render(status, st, o, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(strlen(text), len);
	assert_exposition(text);
	ck_assert_ptr_nonnull(strstr(text,
	    "vrrpd_instance_state{instance=\"VI_1\",state=\"BACKUP\"} 1\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "vrrpd_instance_priority{instance=\"VI_1\"} 90\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "vrrpd_adverts_received_total{instance=\"VI_\\\"1\"} 10\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "vrrpd_receive_errors_total{instance=\"VI_\\\"1\","
	    "kind=\"ip_ttl_err\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "vrrpd_router_receive_errors_total{kind=\"vrid_err\"} 4\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "vrrpd_check_up{check=\"web\",kind=\"http\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "vrrpd_check_latency_seconds{check=\"web\",kind=\"http\"} "
	    "0.001234\n"));
	ck_assert_ptr_null(strstr(text,
	    "check=\"idle\",kind=\"tcp\"} 0\n"
	    "# HELP vrrpd_check_latency"));
	ck_assert_ptr_nonnull(strstr(text,
	    "vrrpd_track_contribution{instance=\"VI_1\",kind=\"check\","
	    "name=\"web\"} -60\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "vrrpd_event_loop_lag_max_seconds 0.000812\n"));
	free(text);
	json_object_put(status);
	json_object_put(st);
	json_object_put(o);
}
END_TEST

START_TEST(metrics_carry_the_registry)
{
	json_object *status = json_tokener_parse(
	    "{\"instances\":[{\"name\":\"WEB\",\"split_brain\":true},"
	    "{\"name\":\"DB\"}],"
	    "\"registry\":{\"state\":\"disconnected\",\"pending\":3,"
	    "\"writes\":12,\"split_brains\":2,\"collisions_now\":1,"
	    "\"weight_traps_now\":1,\"last_publish_us\":4210}}");
	char *text;
	size_t len;

	text = ctl_metrics_render(status, NULL, NULL, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text,
	    "vrrpd_registry_connected{state=\"disconnected\"} 0\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "vrrpd_registry_pending_writes 3\n"));
	ck_assert_ptr_nonnull(strstr(text, "vrrpd_registry_writes_total 12\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "vrrpd_registry_split_brains_total 2\n"));
	ck_assert_ptr_nonnull(strstr(text, "vrrpd_registry_collisions 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "# TYPE vrrpd_registry_weight_traps gauge\n"
	    "vrrpd_registry_weight_traps 1\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "vrrpd_registry_last_publish_seconds 0.004210\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "vrrpd_registry_split_brain{instance=\"WEB\"} 1\n"));
	/* no split_brain member: no sample, not a made-up 0 */
	ck_assert_ptr_null(
	    strstr(text, "vrrpd_registry_split_brain{instance=\"DB\"}"));
	free(text);
	json_object_put(status);
}
END_TEST

START_TEST(metrics_of_garbage_payloads_do_not_crash)
{
	const char *bad[] = { "{}", "[]", "{\"instances\":5}",
		"{\"instances\":[1,\"x\",null,{\"priority\":[]}]}",
		"{\"checks\":{},\"trackers\":[[]]}" };
	char *text;
	size_t len;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_object *o = json_tokener_parse(bad[i]);

		text = ctl_metrics_render(o, o, o, &len);
		ck_assert_ptr_nonnull(text);
		free(text);
		json_object_put(o);
	}
}
END_TEST

static Suite *
state_suite(void)
{
	Suite *s = suite_create("ctl_state");
	TCase *tc;

	tc = tcase_create("status");
	tcase_add_test(tc, status_object_carries_every_documented_member);
	tcase_add_test(tc, unknown_vip_presence_is_null_and_demotion_is_a_part);
	tcase_add_test(tc, why_line_names_the_deciding_rule);
	tcase_add_test(tc, why_line_is_cut_not_overrun);
	tcase_add_test(tc, why_line_and_json_name_the_sync_group);
	suite_add_tcase(s, tc);
	tc = tcase_create("stats");
	tcase_add_test(tc, counters_use_keepalived_names_with_mib_info);
	suite_add_tcase(s, tc);
	tc = tcase_create("metrics");
	tcase_add_test(tc, metrics_follow_the_exposition_format);
	tcase_add_test(tc, metrics_carry_the_registry);
	tcase_add_test(tc, metrics_of_garbage_payloads_do_not_crash);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(state_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
