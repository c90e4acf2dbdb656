/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl's pure parts: the command grammar and the renderers. */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vrrpctl.h"

/*
 * Canned replies, written with ' for " so that they stay readable; the
 * values follow docs/ctl-protocol.md.
 */
static const char R_STATUS[] =
    "{'v': 1, 'ok': true, 'cmd': 'status', "
    "'daemon': {'version': '0.1.0', 'pid': 4242, 'router_id': 'lvs-a', "
    "'config': '/etc/vrrpd/vrrpd.yaml', 'uptime_ms': 3720000, "
    "'last_reload': {'ok': true, 'ago_ms': 5000}}, "
    "'instances': [{'name': 'VI_1', 'interface': 'eth0', "
    "'family': 'inet', 'vrid': 51, 'version': 3, 'state': 'MASTER', "
    "'in_state_ms': 192000, 'priority': {'base': 150, 'effective': 150, "
    "'parts': []}, 'demoted': null, 'faults': [], "
    "'master': {'address': '192.0.2.1', 'priority': 150, "
    "'advert_interval_ms': 1000}, 'advert_interval_ms': 1000, "
    "'preempt': true, 'preempt_delay_ms': 0, 'accept': false, "
    "'unicast': false, 'source': '192.0.2.1', "
    "'vips': [{'address': '192.0.2.100/24', 'interface': 'eth0', "
    "'present': true}], 'last_transition': {'from': 'BACKUP', "
    "'to': 'MASTER', 'reason': 'master down timer expired', "
    "'ago_ms': 192000}, 'master_down_in_ms': null, "
    "'why': 'master: priority 150 is the highest heard'}, "
    "{'name': 'VI_2', 'interface': 'eth0', 'family': 'inet', 'vrid': 52, "
    "'version': 3, 'state': 'BACKUP', 'in_state_ms': 10400, "
    "'priority': {'base': 100, 'effective': 100, 'parts': []}, "
    "'demoted': {'in_ms': 540000}, 'faults': [], "
    "'master': {'address': '192.0.2.2', 'priority': 150, "
    "'advert_interval_ms': 1000}, 'advert_interval_ms': 1000, "
    "'preempt': true, 'preempt_delay_ms': 0, 'accept': false, "
    "'unicast': false, 'source': '192.0.2.1', "
    "'vips': [{'address': '192.0.2.101/24', 'interface': 'eth0', "
    "'present': false}], 'last_transition': {'from': 'MASTER', "
    "'to': 'BACKUP', 'reason': 'higher priority advert received', "
    "'ago_ms': 10400}, 'master_down_in_ms': 3412, "
    "'why': 'current master 192.0.2.2 priority 150 > ours 100'}, "
    "{'name': 'VI_3', 'interface': 'eth1', 'family': 'inet6', "
    "'vrid': 53, 'version': 3, 'state': 'FAULT', "
    "'in_state_ms': 273600000, 'priority': {'base': 100, "
    "'effective': 100, 'parts': []}, 'demoted': null, "
    "'faults': ['interface down', 'check failed'], 'master': null, "
    "'advert_interval_ms': 1000, 'preempt': true, 'preempt_delay_ms': 0, "
    "'accept': false, 'unicast': false, 'source': null, "
    "'vips': [{'address': '2001:db8::100/64', 'interface': 'eth1', "
    "'present': false}], 'last_transition': {'from': 'BACKUP', "
    "'to': 'FAULT', 'reason': 'fault', 'ago_ms': 273600000}, "
    "'master_down_in_ms': null, 'why': 'fault: interface down, "
    "check failed'}]}";

static const char R_STATUS_ONE[] =
    "{'v': 1, 'ok': true, 'cmd': 'status', "
    "'daemon': {'version': '0.1.0', 'pid': 4242, 'router_id': 'lvs-a', "
    "'config': '/etc/vrrpd/vrrpd.yaml', 'uptime_ms': 81234, "
    "'last_reload': {'ok': true, 'ago_ms': 5000}}, "
    "'instances': [{'name': 'VI_1', 'interface': 'eth0', "
    "'family': 'inet', 'vrid': 51, 'version': 3, 'state': 'BACKUP', "
    "'in_state_ms': 73000, 'priority': {'base': 150, 'effective': 90, "
    "'parts': [{'kind': 'check', 'name': 'web', 'up': false, "
    "'value': null, 'contrib': -60, 'fault': false, 'applied': true}, "
    "{'kind': 'interface', 'name': 'eth1', 'up': false, 'value': null, "
    "'contrib': 0, 'fault': true, 'applied': true}, {'kind': 'file', "
    "'name': '/x', 'up': true, 'value': 0, 'contrib': 0, 'fault': false, "
    "'applied': true}]}, 'demoted': null, 'faults': [], "
    "'master': {'address': '192.0.2.1', 'priority': 100, "
    "'advert_interval_ms': 1000}, 'advert_interval_ms': 1000, "
    "'preempt': true, 'preempt_delay_ms': 30000, 'accept': false, "
    "'unicast': false, 'source': '192.0.2.2', "
    "'vips': [{'address': '192.0.2.100/24', 'interface': 'eth0', "
    "'present': false}], 'last_transition': {'from': 'MASTER', "
    "'to': 'BACKUP', 'reason': 'higher priority advert received', "
    "'ago_ms': 73000}, 'master_down_in_ms': 3412, "
    "'why': 'current master 192.0.2.1 priority 100 > ours 90'}]}";

static const char R_STATS[] =
    "{'v': 1, 'ok': true, 'cmd': 'stats', 'cleared': true, "
    "'instances': [{'name': 'VI_1', 'counters': {'advert_rcvd': 10, "
    "'advert_sent': 0, 'become_master': 1, 'release_master': 1, "
    "'pri_zero_rcvd': 0, 'pri_zero_sent': 0, 'garp_sent': 5, "
    "'na_sent': 0, 'send_errors': 0, 'packet_len_err': 0, "
    "'ip_ttl_err': 0, 'version_err': 0, 'invalid_type_rcvd': 0, "
    "'checksum_err': 0, 'invalid_authtype': 0, 'authtype_mismatch': 0, "
    "'auth_failure': 0, 'advert_interval_err': 0, 'addr_list_err': 0}}], "
    "'router': {'counters': {'checksum_err': 0, 'version_err': 0, "
    "'vrid_err': 3}}, 'loop': {'lag_last_us': 40, 'lag_max_us': 812, "
    "'samples': 81}, "
    "'counter_info': {'advert_rcvd': {"
    "'mib': 'vrrpv3StatisticsAdvertisementRcvd', "
    "'help': 'adverts received'}, "
    "'become_master': {'mib': 'vrrpv3StatisticsMasterTransitions', "
    "'help': 'transitions to master'}, "
    "'advert_interval_err': {'mib': 'vrrpv3StatisticsAdvIntervalErrors', "
    "'help': 'x'}, 'vrid_err': {'mib': 'vrrpv3RouterVrIdErrors', "
    "'help': 'x'}}}";

static const char R_CHECKS[] =
    "{'v': 1, 'ok': true, 'cmd': 'checks', 'checks': [{'name': 'web', "
    "'kind': 'http', 'target': 'http://127.0.0.1/healthz', "
    "'state': 'down', 'result': 'HTTP status', "
    "'detail': 'HTTP status 503', 'latency_us': 1234, "
    "'interval_ms': 2000, 'rise': 2, 'fall': 3, 'run': 1, 'runs': 40, "
    "'failures': 5, 'last_change_ago_ms': 8000, "
    "'feeds': [{'instance': 'VI_1', 'weight': -60, 'reverse': false}]}, "
    "{'name': 'db', 'kind': 'tcp', 'target': '192.0.2.10:5432', "
    "'state': 'up', 'result': 'ok', 'detail': 'ok', 'latency_us': 312, "
    "'interval_ms': 1000, 'rise': 2, 'fall': 2, 'run': 12, 'runs': 40, "
    "'failures': 0, 'last_change_ago_ms': null, "
    "'feeds': [{'instance': 'VI_1', 'weight': 0, 'reverse': false}, "
    "{'instance': 'VI_2', 'weight': 10, 'reverse': true}]}, "
    "{'name': 'old', 'kind': 'script', 'target': '/usr/local/bin/old', "
    "'state': 'unused', 'result': null, 'detail': null, "
    "'latency_us': null, 'interval_ms': 1000, 'rise': 1, 'fall': 1, "
    "'run': 0, 'runs': 0, 'failures': 0, 'last_change_ago_ms': null, "
    "'feeds': []}], 'trackers': [{'kind': 'interface', 'name': 'eth1', "
    "'state': 'up', 'value': null, 'feeds': [{'instance': 'VI_1', "
    "'weight': 0, 'reverse': false}]}, {'kind': 'file', "
    "'name': '/run/prio', 'state': 'down', 'value': 5, "
    "'feeds': [{'instance': 'VI_2', 'weight': -10, 'reverse': false}]}]}";

static const char R_METRICS[] = "{'v': 1, 'ok': true, 'cmd': 'metrics', "
				"'content_type': 'text/plain; version=0.0.4', "
				"'text': '# HELP vrrpd_up x\\nvrrpd_up 1\\n'}";

/*
 * cluster replies (docs/ctl-protocol.md "cluster"), rendered at NOW: the
 * nodes entered their states 2m13s before.
 */
#define NOW 1700000133123ULL

#define CL_HEAD                                                       \
	"{'v': 1, 'ok': true, 'cmd': 'cluster', 'source': 'daemon', " \
	"'registry': {'servers': '198.51.100.10:2181', "              \
	"'path': '/vrrpd', 'state': 'connected', "                    \
	"'session': '0x1000a2b3c4d0000'}, 'read_ms': 12, "

#define CL_NODES                                                    \
	"'nodes': [{'router_id': 'lvs-a', 'addr': '198.51.100.1', " \
	"'version': '0.1.0', 'start_time': 1700000000, "            \
	"'config_digest': '9f86d081', 'silent': false}, "           \
	"{'router_id': 'lvs-b', 'addr': '198.51.100.2', "           \
	"'version': '0.1.0', 'start_time': 1700000000, "            \
	"'config_digest': '9f86d081', 'silent': false}], "

/* lvs-a master (a check adds 10), lvs-b backup with web failing. */
#define CL_VI_1                                                              \
	"{'name': 'VI_1', 'vrid': 51, 'family': 4, 'masters': ['lvs-a'], "   \
	"'split_brain': false, 'nodes': ["                                   \
	"{'router_id': 'lvs-a', 'registered': true, 'state': 'MASTER', "     \
	"'priority': {'base': 100, 'effective': 110}, 'failing': [], "       \
	"'faults': [], 'vips': [{'addr': '192.0.2.10', 'prefix': 24, "       \
	"'present': true}, {'addr': '192.0.2.11', 'prefix': 24, "            \
	"'present': true}], 'since': 1700000000123, 'master': '192.0.2.1', " \
	"'interface': 'eth0', 'vrid': 51, 'adver_int_cs': 100}, "            \
	"{'router_id': 'lvs-b', 'registered': true, 'state': 'BACKUP', "     \
	"'priority': {'base': 100, 'effective': 90}, 'failing': ['web'], "   \
	"'faults': [], 'vips': [{'addr': '192.0.2.10', 'prefix': 24, "       \
	"'present': false}, {'addr': '192.0.2.11', 'prefix': 24, "           \
	"'present': false}], 'since': 1700000000123, "                       \
	"'master': '192.0.2.1', 'interface': 'eth0', 'vrid': 51, "           \
	"'adver_int_cs': 100}]}"

static const char R_CLUSTER[] =
    CL_HEAD CL_NODES "'instances': [" CL_VI_1 "], 'flags': [], 'errors': []}";

static const char R_CLUSTER_SPLIT[] = CL_HEAD CL_NODES
    "'instances': [" CL_VI_1 ", "
    "{'name': 'VI_2', 'vrid': 52, 'family': 4, "
    "'masters': ['lvs-a', 'lvs-b'], 'split_brain': true, 'nodes': ["
    "{'router_id': 'lvs-a', 'registered': true, 'state': 'MASTER', "
    "'priority': {'base': 100, 'effective': 100}, 'failing': [], "
    "'faults': [], 'vips': [{'addr': '192.0.2.20', 'prefix': 24, "
    "'present': true}], 'since': 1700000121123, 'master': '192.0.2.1', "
    "'interface': 'eth1', 'vrid': 52, 'adver_int_cs': 100}, "
    "{'router_id': 'lvs-b', 'registered': true, 'state': 'MASTER', "
    "'priority': {'base': 100, 'effective': 100}, 'failing': [], "
    "'faults': [], 'vips': [{'addr': '192.0.2.20', 'prefix': 24, "
    "'present': true}], 'since': 1700000130123, 'master': '192.0.2.2', "
    "'interface': 'eth1', 'vrid': 52, 'adver_int_cs': 100}]}], "
    "'flags': [{'kind': 'split_brain', 'instance': 'VI_2', "
    "'text': '(VI_2) split brain: MASTER on lvs-a and lvs-b for 3000 ms'}], "
    "'errors': []}";

/* lvs-c's vrrpd is gone, its instance record not yet; a znode unread. */
static const char R_CLUSTER_STALE[] =
    "{'v': 1, 'ok': true, 'cmd': 'cluster', 'source': 'zookeeper', "
    "'registry': {'servers': '198.51.100.10:2181', 'path': '/vrrpd', "
    "'state': 'disconnected', 'session': null}, 'read_ms': 40, "
    "'nodes': [{'router_id': 'lvs-a', 'addr': '198.51.100.1', "
    "'version': '0.1.0', 'start_time': 1700000000, "
    "'config_digest': '9f86d081', 'silent': false}], "
    "'instances': [{'name': 'VI_1', 'vrid': 51, 'family': 4, "
    "'masters': ['lvs-a'], 'split_brain': false, 'nodes': ["
    "{'router_id': 'lvs-a', 'registered': true, 'state': 'MASTER', "
    "'priority': {'base': 150, 'effective': 150}, 'failing': [], "
    "'faults': [], 'vips': [{'addr': '192.0.2.10', 'prefix': 24, "
    "'present': true}], 'since': 1700000000123, 'master': null, "
    "'interface': 'eth0', 'vrid': 51, 'adver_int_cs': 100}, "
    "{'router_id': 'lvs-c', 'registered': false, 'state': 'FAULT', "
    "'priority': {'base': 100, 'effective': 100}, 'failing': [], "
    "'faults': ['interface down'], 'vips': [{'addr': '192.0.2.10', "
    "'prefix': 24, 'present': null}], 'since': 1699999000123, "
    "'master': null, 'interface': 'eth0', 'vrid': 51, "
    "'adver_int_cs': 100}]}], "
    "'flags': [{'kind': 'stale_record', 'instance': 'VI_1', "
    "'text': '(VI_1) stale record: lvs-c has no node record'}], "
    "'errors': [{'path': '/vrrpd/instances/VI_1/nodes/lvs-d', "
    "'error': 'not JSON'}]}";

static const char R_CLUSTER_HISTORY[] =
    CL_HEAD "'history': [{'instance': 'VI_1', 'time': 1700000000123, "
	    "'router_id': 'lvs-a', 'from': 'BACKUP', 'to': 'MASTER', "
	    "'reason': 'master down timer expired'}, {'instance': 'VI_1', "
	    "'time': 1700000000125, 'router_id': 'lvs-b', 'from': 'MASTER', "
	    "'to': 'BACKUP', 'reason': 'higher priority advert received'}]}";

/*
 * Helpers
 */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static enum vrrpctl_verb
parse_words(const char *line, struct vrrpctl_opts *o, struct ctl_req *r,
    const char *env, char *why, size_t whylen)
{
	static char buf[1024];
	char *argv[32], *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "vrrpctl";
	for (char *w = strtok_r(buf, " ", &save); w != NULL && argc < 31;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return vrrpctl_parse(argc, argv, env, o, r, why, whylen);
}

static struct ctl_req
parse_ok(const char *line)
{
	struct vrrpctl_opts o;
	struct ctl_req r;
	char why[256];

	ck_assert_msg(parse_words(line, &o, &r, NULL, why, sizeof(why)) ==
		VRRPCTL_RUN,
	    "'%s' refused: %s", line, why);
	return r;
}

static json_object *
reply_of(const char *canned)
{
	char *s = strdup(canned);
	json_object *o;

	ck_assert_ptr_nonnull(s);
	for (char *p = s; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	o = json_tokener_parse(s);
	free(s);
	ck_assert_msg(o != NULL, "canned reply is not JSON");
	return o;
}

/* Render canned as the reply to the command line req at the wall clock
 * now (Unix ms); out and err are malloc'd. */
static int
render_at(const char *canned, const char *req, uint64_t now, bool color,
    char **out, char **err)
{
	struct vrrpctl_render_opts ro = { .color = color,
		.width = 80,
		.now_ms = now };
	struct ctl_req r = parse_ok(req);
	json_object *reply = reply_of(canned);
	size_t olen, elen;
	FILE *fo, *fe;
	int rc;

	fo = open_memstream(out, &olen);
	fe = open_memstream(err, &elen);
	ck_assert_ptr_nonnull(fo);
	ck_assert_ptr_nonnull(fe);
	rc = vrrpctl_render(reply, &r, &ro, fo, fe);
	fclose(fo);
	fclose(fe);
	json_object_put(reply);
	return rc;
}

static int
render(const char *canned, const char *req, bool color, char **out, char **err)
{
	return render_at(canned, req, 0, color, out, err);
}

static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; p != NULL && *p != '\0';) {
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return true;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return false;
}

#define ck_assert_line(text, line)                                      \
	ck_assert_msg(has_line((text), (line)), "no line '%s' in:\n%s", \
	    (line), (text))

/* The widest line, not counting escape sequences. */
static size_t
widest(const char *text)
{
	size_t w = 0, max = 0;

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\033') {
			while (*p != '\0' && *p != 'm')
				p++;
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == '\n') {
			w = 0;
			continue;
		}
		if (((unsigned char)*p & 0xc0) != 0x80 && ++w > max)
			max = w;
	}
	return max;
}

/* text without its escape sequences, malloc'd. */
static char *
strip(const char *text)
{
	char *s = malloc(strlen(text) + 1), *q = s;

	ck_assert_ptr_nonnull(s);
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\033') {
			while (*p != '\0' && *p != 'm')
				p++;
			if (*p == '\0')
				break;
			continue;
		}
		*q++ = *p;
	}
	*q = '\0';
	return s;
}

/*
 * parser
 */

START_TEST(parse_status_with_and_without_an_instance)
{
	struct ctl_req r = parse_ok("status");

	ck_assert_int_eq(r.cmd, CTL_CMD_STATUS);
	ck_assert_str_eq(r.instance, "");
	r = parse_ok("status VI_1");
	ck_assert_int_eq(r.cmd, CTL_CMD_STATUS);
	ck_assert_str_eq(r.instance, "VI_1");
}
END_TEST

START_TEST(parse_stats_takes_instance_and_clear_in_either_order)
{
	static const char *const lines[] = { "stats VI_1 --clear",
		"stats --clear VI_1" };
	struct ctl_req r = parse_ok("stats");

	ck_assert_int_eq(r.cmd, CTL_CMD_STATS);
	ck_assert(!r.clear);
	r = parse_ok("stats --clear");
	ck_assert(r.clear);
	ck_assert_str_eq(r.instance, "");
	for (size_t i = 0; i < NELEM(lines); i++) {
		r = parse_ok(lines[i]);
		ck_assert(r.clear);
		ck_assert_str_eq(r.instance, "VI_1");
	}
}
END_TEST

START_TEST(parse_commands_without_arguments)
{
	ck_assert_int_eq(parse_ok("checks").cmd, CTL_CMD_CHECKS);
	ck_assert_int_eq(parse_ok("metrics").cmd, CTL_CMD_METRICS);
	ck_assert_int_eq(parse_ok("reload").cmd, CTL_CMD_RELOAD);
}
END_TEST

START_TEST(parse_demote_an_instance_or_all_with_a_duration)
{
	struct ctl_req r = parse_ok("demote VI_1");

	ck_assert_int_eq(r.cmd, CTL_CMD_DEMOTE);
	ck_assert_str_eq(r.instance, "VI_1");
	ck_assert(!r.all);
	ck_assert_uint_eq(r.for_ms, 0);
	r = parse_ok("demote VI_1 --for 10m");
	ck_assert_uint_eq(r.for_ms, 600000);
	r = parse_ok("demote --all");
	ck_assert(r.all);
	ck_assert_str_eq(r.instance, "");
	r = parse_ok("demote --all --for 1h30m");
	ck_assert(r.all);
	ck_assert_uint_eq(r.for_ms, 5400000);
}
END_TEST

START_TEST(parse_promote_an_instance_or_all)
{
	struct ctl_req r = parse_ok("promote VI_2");

	ck_assert_int_eq(r.cmd, CTL_CMD_PROMOTE);
	ck_assert_str_eq(r.instance, "VI_2");
	r = parse_ok("promote --all");
	ck_assert(r.all);
}
END_TEST

START_TEST(parse_debug_lists_or_sets_a_category)
{
	static const char *const cats[] = { "pkt", "fsm", "net", "check", "zk",
		"ctl", "conf", "all" };
	struct ctl_req r = parse_ok("debug");
	char line[64];

	ck_assert_int_eq(r.cmd, CTL_CMD_DEBUG);
	ck_assert_str_eq(r.category, "");
	for (size_t i = 0; i < NELEM(cats); i++) {
		snprintf(line, sizeof(line), "debug %s on", cats[i]);
		r = parse_ok(line);
		ck_assert_str_eq(r.category, cats[i]);
		ck_assert(r.on);
	}
	r = parse_ok("debug fsm off");
	ck_assert_str_eq(r.category, "fsm");
	ck_assert(!r.on);
	ck_assert_str_eq(r.instance, "");
	r = parse_ok("debug pkt on --instance VI_1");
	ck_assert_str_eq(r.category, "pkt");
	ck_assert(r.on);
	ck_assert_str_eq(r.instance, "VI_1");
}
END_TEST

START_TEST(parse_cluster_with_history_and_an_instance)
{
	static const struct {
		const char *line;
		const char *instance;
		bool history;
	} cases[] = {
		{ "cluster", "", false },
		{ "cluster VI_1", "VI_1", false },
		{ "cluster history", "", true },
		{ "cluster history VI_1", "VI_1", true },
		/* An instance named "history": after "--", or as the name. */
		{ "cluster -- history", "history", false },
		{ "cluster history history", "history", true },
		{ "cluster history -- VI_1", "VI_1", true },
		{ "cluster -- VI_1", "VI_1", false },
	};
	struct ctl_req r;

	for (size_t i = 0; i < NELEM(cases); i++) {
		r = parse_ok(cases[i].line);
		ck_assert_int_eq(r.cmd, CTL_CMD_CLUSTER);
		ck_assert_msg(strcmp(r.instance, cases[i].instance) == 0,
		    "%s: instance '%s'", cases[i].line, r.instance);
		ck_assert_msg(r.history == cases[i].history, "%s",
		    cases[i].line);
	}
}
END_TEST

START_TEST(parse_cluster_watch_and_direct_options)
{
	struct vrrpctl_opts o;
	struct ctl_req r;
	char why[256];

	ck_assert_int_eq(parse_words("cluster VI_1 --watch --json", &o, &r,
			     NULL, why, sizeof(why)),
	    VRRPCTL_RUN);
	ck_assert(o.watch);
	ck_assert(o.json);
	ck_assert_ptr_null(o.servers);
	ck_assert_ptr_null(o.path);
	ck_assert_str_eq(r.instance, "VI_1");
	ck_assert_int_eq(
	    parse_words("--watch cluster", &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_RUN);
	ck_assert(o.watch);
	/* --path defaults to vrrpd's own default root. */
	ck_assert_int_eq(parse_words("cluster --servers 198.51.100.10:2181", &o,
			     &r, NULL, why, sizeof(why)),
	    VRRPCTL_RUN);
	ck_assert_str_eq(o.servers, "198.51.100.10:2181");
	ck_assert_str_eq(o.path, "/vrrpd");
	ck_assert_int_eq(parse_words("--servers=198.51.100.10:2181,"
				     "198.51.100.11:2181 cluster history "
				     "--path=/lb/vrrpd",
			     &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_RUN);
	ck_assert_str_eq(o.servers, "198.51.100.10:2181,198.51.100.11:2181");
	ck_assert_str_eq(o.path, "/lb/vrrpd");
	ck_assert(r.history);
	ck_assert(!o.watch);
	/* $VRRPCTL_SOCKET is not -S: --servers still goes. */
	ck_assert_int_eq(parse_words("cluster --servers 198.51.100.10:2181", &o,
			     &r, "/tmp/env.sock", why, sizeof(why)),
	    VRRPCTL_RUN);
}
END_TEST

START_TEST(parse_client_options_before_and_after_the_command)
{
	struct vrrpctl_opts o;
	struct ctl_req r;
	char why[256];

	ck_assert_int_eq(parse_words("--json -S /tmp/a status", &o, &r, NULL,
			     why, sizeof(why)),
	    VRRPCTL_RUN);
	ck_assert(o.json);
	ck_assert_str_eq(o.socket, "/tmp/a");
	ck_assert_int_eq(o.color, VRRPCTL_COLOR_AUTO);
	ck_assert_int_eq(parse_words("status VI_1 --json --socket=/tmp/b "
				     "--color=never",
			     &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_RUN);
	ck_assert(o.json);
	ck_assert_str_eq(o.socket, "/tmp/b");
	ck_assert_str_eq(r.instance, "VI_1");
	ck_assert_int_eq(o.color, VRRPCTL_COLOR_NEVER);
	ck_assert_int_eq(parse_words("-S/tmp/c --socket /tmp/d --color checks",
			     &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_RUN);
	ck_assert_str_eq(o.socket, "/tmp/d");
	ck_assert_int_eq(o.color, VRRPCTL_COLOR_ALWAYS);
	ck_assert_int_eq(
	    parse_words("--color=auto checks", &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_RUN);
	ck_assert_int_eq(o.color, VRRPCTL_COLOR_AUTO);
}
END_TEST

START_TEST(socket_is_default_then_env_then_flag)
{
	struct vrrpctl_opts o;
	struct ctl_req r;
	char why[256];

	parse_words("status", &o, &r, NULL, why, sizeof(why));
	ck_assert_str_eq(o.socket, "/run/vrrpd/vrrpd.sock");
	parse_words("status", &o, &r, "", why, sizeof(why));
	ck_assert_str_eq(o.socket, "/run/vrrpd/vrrpd.sock");
	parse_words("status", &o, &r, "/tmp/env.sock", why, sizeof(why));
	ck_assert_str_eq(o.socket, "/tmp/env.sock");
	parse_words("-S /tmp/flag.sock status", &o, &r, "/tmp/env.sock", why,
	    sizeof(why));
	ck_assert_str_eq(o.socket, "/tmp/flag.sock");
}
END_TEST

START_TEST(help_and_version_win_over_everything)
{
	struct vrrpctl_opts o;
	struct ctl_req r;
	char why[256];

	ck_assert_int_eq(parse_words("-h", &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_HELP);
	ck_assert_int_eq(
	    parse_words("demote --help", &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_HELP);
	ck_assert_int_eq(parse_words("-V", &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_VERSION);
	ck_assert_int_eq(
	    parse_words("--version bogus", &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_VERSION);
}
END_TEST

START_TEST(usage_errors_are_one_clear_line)
{
	static const struct {
		const char *line;
		const char *why;
	} cases[] = {
		{ "",
		    "name a command: status stats checks metrics reload "
		    "demote promote debug cluster (-h for help)" },
		{ "bogus",
		    "unknown command 'bogus' (one of: status stats checks "
		    "metrics reload demote promote debug cluster)" },
		{ "--bogus status", "unknown option '--bogus'" },
		{ "status a b", "status: unexpected argument 'b'" },
		{ "status -x", "status: unknown option '-x'" },
		{ "checks VI_1", "checks: unexpected argument 'VI_1'" },
		{ "reload now", "reload: unexpected argument 'now'" },
		{ "stats --clear --clear",
		    "stats: unexpected argument "
		    "'--clear'" },
		{ "demote", "demote: name an instance or --all" },
		{ "demote VI_1 --all",
		    "demote: --all and an instance name exclude each other" },
		{ "demote --all VI_1",
		    "demote: --all and an instance name exclude each other" },
		{ "demote VI_1 VI_2", "demote: one instance, or --all" },
		{ "demote --for 10m",
		    "demote: name an instance or --all "
		    "before --for" },
		{ "demote VI_1 --for",
		    "demote: --for needs a duration "
		    "(e.g. 10m)" },
		{ "demote VI_1 --for 10x",
		    "demote: bad duration '10x' (more "
		    "than 0, e.g. 500ms, 90s, 10m, 2h, "
		    "1h30m)" },
		{ "demote VI_1 --for 0s",
		    "demote: bad duration '0s' (more "
		    "than 0, e.g. 500ms, 90s, 10m, 2h, "
		    "1h30m)" },
		{ "promote", "promote: name an instance or --all" },
		{ "promote VI_1 --all",
		    "promote: --all and an instance name exclude each other" },
		{ "promote --all --for 1m",
		    "promote: unexpected argument "
		    "'--for'" },
		{ "debug fsm", "debug: a category needs on or off" },
		{ "debug fsm maybe",
		    "debug: unknown setting 'maybe' (one of: "
		    "on off)" },
		{ "debug foo on",
		    "debug: unknown category 'foo' (one of: pkt "
		    "fsm net check zk ctl conf all)" },
		{ "debug fsm on now", "debug: unexpected argument 'now'" },
		{ "debug fsm on --instance",
		    "debug: --instance needs an instance name" },
		{ "debug fsm off --instance VI_1",
		    "debug: unknown option '--instance'" },
		{ "-S", "-S needs a socket path" },
		{ "--socket= status", "-S needs a socket path" },
		{ "--color=rainbow status",
		    "--color: use auto, always or "
		    "never, not 'rainbow'" },
		{ "cluster a b", "cluster: unexpected argument 'b'" },
		{ "cluster --", "cluster: -- needs an instance name" },
		{ "cluster history a b", "cluster: unexpected argument 'b'" },
		{ "cluster --all", "cluster: unexpected argument '--all'" },
		{ "cluster history --bogus",
		    "cluster: unknown option '--bogus'" },
		{ "status --watch", "status: --watch goes with cluster only" },
		{ "checks --servers 198.51.100.10:2181",
		    "checks: --servers goes with cluster only" },
		{ "cluster --path /vrrpd", "cluster: --path needs --servers" },
		{ "cluster --servers",
		    "cluster: --servers needs ADDR:PORT[,...]" },
		{ "cluster --servers= ",
		    "cluster: --servers needs ADDR:PORT[,...]" },
		{ "cluster --servers 198.51.100.10:2181 --path vrrpd",
		    "cluster: --path: 'vrrpd' is not a znode path like /vrrpd" },
		{ "cluster --servers 198.51.100.10:2181 --path /vrrpd/",
		    "cluster: --path: '/vrrpd/' is not a znode path like "
		    "/vrrpd" },
		{ "cluster --servers 198.51.100.10:2181 --path /",
		    "cluster: --path: '/' is not a znode path like /vrrpd" },
		{ "-S /tmp/s cluster --servers 198.51.100.10:2181",
		    "cluster: -S and --servers exclude each other (--servers "
		    "reads ZooKeeper, not vrrpd)" },
	};
	struct vrrpctl_opts o;
	struct ctl_req r;
	char why[256];

	for (size_t i = 0; i < NELEM(cases); i++) {
		ck_assert_msg(parse_words(cases[i].line, &o, &r, NULL, why,
				  sizeof(why)) == VRRPCTL_BAD_USAGE,
		    "'%s' accepted", cases[i].line);
		ck_assert_str_eq(why, cases[i].why);
	}
}
END_TEST

START_TEST(instance_names_longer_than_63_bytes_are_refused)
{
	struct vrrpctl_opts o;
	struct ctl_req r;
	char line[128], why[256];

	snprintf(line, sizeof(line), "status %.63s",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	ck_assert_int_eq(parse_words(line, &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_RUN);
	ck_assert_uint_eq(strlen(r.instance), 63);
	snprintf(line, sizeof(line), "demote %.64s",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	ck_assert_int_eq(parse_words(line, &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_BAD_USAGE);
	ck_assert_str_eq(why,
	    "demote: instance name too long (at most 63 "
	    "bytes)");
}
END_TEST

START_TEST(socket_paths_that_do_not_fit_sun_path_are_refused)
{
	struct vrrpctl_opts o;
	struct ctl_req r;
	char line[256], why[256], path[120];

	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	snprintf(line, sizeof(line), "-S %s status", path);
	ck_assert_int_eq(parse_words(line, &o, &r, NULL, why, sizeof(why)),
	    VRRPCTL_BAD_USAGE);
	ck_assert_int_eq(parse_words("status", &o, &r, path, why, sizeof(why)),
	    VRRPCTL_BAD_USAGE);
	ck_assert_str_eq(why, "VRRPCTL_SOCKET: path too long");
}
END_TEST

START_TEST(durations_take_units_in_order)
{
	static const struct {
		const char *text;
		uint64_t ms;
	} good[] = {
		{ "500ms", 500 },
		{ "90s", 90000 },
		{ "10m", 600000 },
		{ "2h", 7200000 },
		{ "1h30m", 5400000 },
		{ "1m30s", 90000 },
		{ "1h2m3s4ms", 3723004 },
		{ "90", 90000 },
		{ "1", 1000 },
		{ "9223372036854775807ms", 9223372036854775807ull },
	};
	static const char *const bad[] = { "", "0", "0s", "0h0m", "10x", "s",
		"m10", "-5s", "1.5s", "10 m", "1m1h", "1s1s", "1h30", "10mss",
		"9223372036854775808ms", "9999999999999999h",
		"99999999999999999999" };
	uint64_t ms = 42;

	for (size_t i = 0; i < NELEM(good); i++) {
		ck_assert_msg(vrrpctl_parse_duration(good[i].text, &ms) == 0,
		    "'%s' refused", good[i].text);
		ck_assert_uint_eq(ms, good[i].ms);
	}
	for (size_t i = 0; i < NELEM(bad); i++) {
		ms = 42;
		ck_assert_msg(vrrpctl_parse_duration(bad[i], &ms) == -1,
		    "'%s' accepted", bad[i]);
		ck_assert_uint_eq(ms, 42);
	}
	ck_assert_int_eq(vrrpctl_parse_duration(NULL, &ms), -1);
}
END_TEST

START_TEST(color_auto_needs_a_terminal_no_NO_COLOR_and_a_real_TERM)
{
	ck_assert(vrrpctl_color_auto(true, NULL, "xterm"));
	ck_assert(!vrrpctl_color_auto(false, NULL, "xterm"));
	ck_assert(!vrrpctl_color_auto(true, "", "xterm"));
	ck_assert(!vrrpctl_color_auto(true, "1", "xterm"));
	ck_assert(!vrrpctl_color_auto(true, NULL, NULL));
	ck_assert(!vrrpctl_color_auto(true, NULL, ""));
	ck_assert(!vrrpctl_color_auto(true, NULL, "dumb"));
}
END_TEST

START_TEST(reload_waits_longer_than_the_rest)
{
	struct ctl_req r = parse_ok("reload");

	ck_assert_int_eq(vrrpctl_timeout_s(&r), 60);
	r = parse_ok("status");
	ck_assert_int_eq(vrrpctl_timeout_s(&r), 10);
}
END_TEST

START_TEST(parsed_requests_build_protocol_lines)
{
	struct ctl_req r = parse_ok("demote VI_1 --for 90s");
	char *line = ctl_req_build(&r);

	ck_assert_ptr_nonnull(line);
	ck_assert_str_eq(line,
	    "{\"v\":1,\"cmd\":\"demote\",\"instance\":\"VI_1\","
	    "\"for_ms\":90000}\n");
	free(line);
	r = parse_ok("debug zk off");
	line = ctl_req_build(&r);
	ck_assert_str_eq(line,
	    "{\"v\":1,\"cmd\":\"debug\",\"category\":\"zk\",\"on\":false}\n");
	free(line);
	r = parse_ok("cluster history VI_1");
	line = ctl_req_build(&r);
	ck_assert_str_eq(line,
	    "{\"v\":1,\"cmd\":\"cluster\",\"instance\":\"VI_1\","
	    "\"history\":true}\n");
	free(line);
	r = parse_ok("cluster --watch");
	line = ctl_req_build(&r);
	ck_assert_str_eq(line, "{\"v\":1,\"cmd\":\"cluster\"}\n");
	free(line);
}
END_TEST

START_TEST(usage_text_fits_80_columns)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	vrrpctl_usage(f);
	fclose(f);
	ck_assert(
	    strstr(text, "demote (INSTANCE | --all) [--for DURATION]") != NULL);
	ck_assert(
	    strstr(text, "cluster [history] [INSTANCE] [--watch]") != NULL);
	ck_assert_uint_le(widest(text), 80);
	free(text);
}
END_TEST

/*
 * durations as text
 */

START_TEST(ago_is_compact_with_two_units_at_most)
{
	static const struct {
		uint64_t ms;
		const char *text;
	} cases[] = {
		{ 0, "0ms" },
		{ 850, "850ms" },
		{ 999, "999ms" },
		{ 1000, "1s" },
		{ 12999, "12s" },
		{ 59999, "59s" },
		{ 60000, "1m00s" },
		{ 192000, "3m12s" },
		{ 3599999, "59m59s" },
		{ 3600000, "1h00m" },
		{ 7500000, "2h05m" },
		{ 86399999, "23h59m" },
		{ 273600000, "3d04h" },
		{ 864000000000, "10000d00h" },
	};
	char buf[32];

	for (size_t i = 0; i < NELEM(cases); i++)
		ck_assert_str_eq(vrrpctl_fmt_ago(cases[i].ms, buf, sizeof(buf)),
		    cases[i].text);
}
END_TEST

START_TEST(exact_durations_read_back)
{
	static const struct {
		uint64_t ms;
		const char *text;
	} cases[] = {
		{ 0, "0s" },
		{ 500, "500ms" },
		{ 1000, "1s" },
		{ 1500, "1s500ms" },
		{ 90000, "1m30s" },
		{ 600000, "10m" },
		{ 5400000, "1h30m" },
		{ 172800000, "48h" },
	};
	char buf[32];
	uint64_t ms;

	for (size_t i = 0; i < NELEM(cases); i++) {
		ck_assert_str_eq(vrrpctl_fmt_ms(cases[i].ms, buf, sizeof(buf)),
		    cases[i].text);
		if (cases[i].ms > 0) {
			ck_assert_int_eq(vrrpctl_parse_duration(buf, &ms), 0);
			ck_assert_uint_eq(ms, cases[i].ms);
		}
	}
}
END_TEST

START_TEST(latencies_in_us_ms_s)
{
	char buf[32];

	ck_assert_str_eq(vrrpctl_fmt_us(40, buf, sizeof(buf)), "40us");
	ck_assert_str_eq(vrrpctl_fmt_us(1234, buf, sizeof(buf)), "1.2ms");
	ck_assert_str_eq(vrrpctl_fmt_us(812000, buf, sizeof(buf)), "812ms");
	ck_assert_str_eq(vrrpctl_fmt_us(1500000, buf, sizeof(buf)), "1.5s");
}
END_TEST

/*
 * status
 */

START_TEST(status_table_has_header_rows_and_why_lines)
{
	char *out, *err;

	ck_assert_int_eq(render(R_STATUS, "status", false, &out, &err), 0);
	ck_assert_str_eq(err, "");
	ck_assert_line(out, "vrrpd 0.1.0, router lvs-a, pid 4242, up 1h02m");
	ck_assert_line(out, "config /etc/vrrpd/vrrpd.yaml");
	ck_assert_line(out,
	    "INSTANCE  IFACE  VRID  STATE   PRIO     MASTER   "
	    "        VIPS  SINCE");
	ck_assert_line(out,
	    "VI_1      eth0     51  MASTER  150/150  this "
	    "node        1/1   3m12s");
	ck_assert_line(out,
	    "    why: master: priority 150 is the highest "
	    "heard");
	ck_assert_line(out,
	    "VI_2      eth0     52  BACKUP  100/100  "
	    "192.0.2.2 (150)  0/1   10s");
	ck_assert_line(out, "    demoted: for 9m00s more");
	ck_assert_line(out,
	    "VI_3      eth1     53  FAULT   100/100  -       "
	    "         0/1   3d04h");
	ck_assert_line(out, "    fault: interface down, check failed");
	/* the why line would only say the fault reasons again */
	ck_assert_ptr_null(strstr(out, "why: fault:"));
	ck_assert_uint_le(widest(out), 80);
	free(out);
	free(err);
}
END_TEST

START_TEST(status_of_one_instance_is_a_detailed_block)
{
	static const char *const lines[] = {
		"instance     VI_1",
		"interface    eth0 (inet)",
		"vrid         51, VRRPv3",
		"state        BACKUP for 1m13s",
		"priority     90 (base 150)",
		"               check web -60 (down)",
		"               interface eth1 fault (down)",
		"               file /x 0 (value 0)",
		"demoted      no",
		"faults       none",
		"master       192.0.2.1, priority 100, advert 1s",
		"advert       1s",
		"preempt      yes, after 30s",
		"accept       no",
		"unicast      no",
		"source       192.0.2.2",
		"vips         192.0.2.100/24 on eth0, absent",
		"last change  MASTER -> BACKUP, 1m13s ago: higher priority "
		"advert received",
		"master down  in 3s412ms",
		"why          current master 192.0.2.1 priority 100 > ours 90",
	};
	char *out, *err;

	ck_assert_int_eq(render(R_STATUS_ONE, "status VI_1", false, &out, &err),
	    0);
	for (size_t i = 0; i < NELEM(lines); i++)
		ck_assert_line(out, lines[i]);
	ck_assert_ptr_null(strstr(out, "INSTANCE"));
	ck_assert_uint_le(widest(out), 80);
	free(out);
	free(err);
}
END_TEST

START_TEST(status_layout_follows_the_request_not_the_count)
{
	char *out, *err;

	/* One instance, but the request named none: still a table. */
	ck_assert_int_eq(render(R_STATUS_ONE, "status", false, &out, &err), 0);
	ck_assert(strstr(out, "INSTANCE  IFACE") != NULL);
	ck_assert_ptr_null(strstr(out, "last change"));
	free(out);
	free(err);
	/* Three for a named one: the daemon got it wrong. */
	ck_assert_int_eq(render(R_STATUS, "status VI_1", false, &out, &err), 3);
	ck_assert_str_eq(out, "");
	ck_assert(strstr(err, "malformed reply from vrrpd") != NULL);
	free(out);
	free(err);
}
END_TEST

START_TEST(colour_marks_states_without_moving_columns)
{
	char *plain, *colored, *err, *stripped;

	render(R_STATUS, "status", false, &plain, &err);
	free(err);
	ck_assert_ptr_null(strchr(plain, '\033'));
	render(R_STATUS, "status", true, &colored, &err);
	free(err);
	ck_assert(strstr(colored, "\033[32mMASTER\033[0m") != NULL);
	ck_assert(strstr(colored, "\033[31mFAULT\033[0m") != NULL);
	stripped = strip(colored);
	ck_assert_str_eq(stripped, plain);
	free(stripped);
	free(plain);
	free(colored);
	render(R_CHECKS, "checks", true, &colored, &err);
	ck_assert(strstr(colored, "\033[31mdown\033[0m") != NULL);
	free(colored);
	free(err);
}
END_TEST

START_TEST(long_fields_are_cut_to_80_columns)
{
	static const char reply[] =
	    "{'v': 1, 'ok': true, 'cmd': 'status', 'daemon': {'version': "
	    "'0.1.0', 'pid': 1, 'router_id': null, 'config': "
	    "'/etc/vrrpd/a/very/long/path/to/a/configuration/file/"
	    "somewhere/deep/vrrpd.yaml', 'uptime_ms': 1000}, 'instances': "
	    "[{'name': 'a_rather_long_instance_name_for_the_web_frontends', "
	    "'interface': 'enp0s31f6.1234', 'vrid': 251, 'state': 'BACKUP', "
	    "'in_state_ms': 5, 'priority': {'base': 254, 'effective': 254}, "
	    "'demoted': null, 'faults': [], 'master': {'address': "
	    "'2001:db8:ffff:ffff:ffff:ffff:ffff:fffe', 'priority': 254}, "
	    "'vips': [], 'why': 'a why line that goes on and on, longer than "
	    "any terminal is wide, so that it has to be wrapped somewhere "
	    "near the end of the line'}]}";
	char *out, *err;

	ck_assert_int_eq(render(reply, "status", false, &out, &err), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_le(widest(out), 80);
	ck_assert(strstr(out, "~") != NULL);
	ck_assert(strstr(out, "near the end of the line") != NULL);
	free(out);
	free(err);
}
END_TEST

/*
 * stats, checks, metrics
 */

START_TEST(stats_print_every_counter_with_its_mib_name)
{
	char *out, *err;

	ck_assert_int_eq(render(R_STATS, "stats", false, &out, &err), 0);
	ck_assert_line(out, "instance VI_1");
	ck_assert_line(out,
	    "  advert_rcvd              10  "
	    "vrrpv3StatisticsAdvertisementRcvd");
	ck_assert_line(out, "  advert_sent               0");
	ck_assert_line(out, "  addr_list_err             0");
	ck_assert_line(out, "router");
	ck_assert_line(out,
	    "  vrid_err                  3  "
	    "vrrpv3RouterVrIdErrors");
	ck_assert_line(out,
	    "event loop lag: last 40us, max 812us over 81 "
	    "samples");
	ck_assert_line(out, "counters cleared (the values are those before)");
	ck_assert_uint_le(widest(out), 80);
	free(out);
	free(err);
}
END_TEST

START_TEST(checks_tables_show_feeds_and_unused_checks)
{
	char *out, *err;

	ck_assert_int_eq(render(R_CHECKS, "checks", false, &out, &err), 0);
	ck_assert_line(out,
	    "NAME  KIND    STATE   RESULT       LATENCY  "
	    "RISE/FALL  FEEDS");
	ck_assert_line(out,
	    "web   http    down    HTTP status  1.2ms    "
	    "2/3        VI_1(-60)");
	ck_assert_line(out, "    down for 8s: HTTP status 503");
	ck_assert_line(out,
	    "db    tcp     up      ok           312us    "
	    "2/2        VI_1(fault),");
	ck_assert_line(out,
	    "                                                "
	    "       VI_2(+10,reverse)");
	ck_assert_line(out,
	    "old   script  unused  -            -        "
	    "1/1        -");
	ck_assert_line(out, "KIND       NAME       STATE  VALUE  FEEDS");
	ck_assert_line(out,
	    "interface  eth1       up         -  "
	    "VI_1(fault)");
	ck_assert_line(out, "file       /run/prio  down       5  VI_2(-10)");
	ck_assert_uint_le(widest(out), 80);
	free(out);
	free(err);
}
END_TEST

START_TEST(no_checks_and_no_trackers_say_so)
{
	char *out, *err;

	ck_assert_int_eq(render("{'v': 1, 'ok': true, 'cmd': 'checks', "
				"'checks': [], 'trackers': []}",
			     "checks", false, &out, &err),
	    0);
	ck_assert_line(out, "no checks");
	ck_assert_line(out, "no trackers");
	free(out);
	free(err);
}
END_TEST

START_TEST(metrics_print_the_text_as_is)
{
	char *out, *err;

	ck_assert_int_eq(render(R_METRICS, "metrics", false, &out, &err), 0);
	ck_assert_str_eq(out, "# HELP vrrpd_up x\nvrrpd_up 1\n");
	free(out);
	free(err);
}
END_TEST

/*
 * reload, demote, promote, debug, errors
 */

START_TEST(reload_counts_and_rejections)
{
	char *out, *err;

	/* an older daemon's reply, without readdressed */
	ck_assert_int_eq(render("{'v': 1, 'ok': true, 'cmd': 'reload', "
				"'reload': {'kept': 1, 'recreated': 0, "
				"'added': 0, 'removed': 0, 'failed': 0}}",
			     "reload", false, &out, &err),
	    0);
	ck_assert_str_eq(out,
	    "reload: 1 kept, 0 re-created, 0 added, 0 "
	    "removed, 0 failed, 0 with new addresses in place\n");
	free(out);
	free(err);
	ck_assert_int_eq(render("{'v': 1, 'ok': true, 'cmd': 'reload', "
				"'reload': {'kept': 1, 'recreated': 0, "
				"'readdressed': 2, 'added': 0, 'removed': 0, "
				"'failed': 0}}",
			     "reload", false, &out, &err),
	    0);
	ck_assert_str_eq(out,
	    "reload: 1 kept, 0 re-created, 0 added, 0 "
	    "removed, 0 failed, 2 with new addresses in place\n");
	free(out);
	free(err);
	ck_assert_int_eq(render("{'v': 1, 'ok': true, 'cmd': 'reload', "
				"'reload': {'kept': 1, 'recreated': 1, "
				"'added': 0, 'removed': 0, 'failed': 1}}",
			     "reload", false, &out, &err),
	    1);
	free(out);
	free(err);
	ck_assert_int_eq(render("{'v': 1, 'ok': false, 'cmd': 'reload', "
				"'error': {'code': 'rejected', 'message': "
				"'/etc/vrrpd/vrrpd.yaml rejected (2 errors)', "
				"'details': ['/etc/vrrpd/vrrpd.yaml:12:5: "
				"error: unknown key prio', "
				"'/etc/vrrpd/vrrpd.yaml:20:3: error: vrid "
				"300 out of range']}}",
			     "reload", false, &out, &err),
	    1);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err,
	    "vrrpctl: reload: /etc/vrrpd/vrrpd.yaml rejected (2 errors)\n"
	    "/etc/vrrpd/vrrpd.yaml:12:5: error: unknown key prio\n"
	    "/etc/vrrpd/vrrpd.yaml:20:3: error: vrid 300 out of range\n");
	free(out);
	free(err);
}
END_TEST

START_TEST(demote_promote_and_debug_say_what_happened)
{
	static const struct {
		const char *reply, *req, *out;
	} cases[] = {
		{ "{'v': 1, 'ok': true, 'cmd': 'demote', "
		  "'instances': ['VI_1'], 'for_ms': 600000}",
		    "demote VI_1 --for 10m", "demoted VI_1 for 10m\n" },
		{ "{'v': 1, 'ok': true, 'cmd': 'demote', 'instances': ['VI_1', "
		  "'VI_2'], 'for_ms': null}",
		    "demote --all", "demoted VI_1, VI_2 until promote\n" },
		{ "{'v': 1, 'ok': true, 'cmd': 'promote', 'instances': "
		  "['VI_1']}",
		    "promote VI_1", "promoted VI_1\n" },
		{ "{'v': 1, 'ok': true, 'cmd': 'promote', 'instances': []}",
		    "promote --all", "promote: no instance was demoted\n" },
		{ "{'v': 1, 'ok': true, 'cmd': 'debug', 'enabled': ['fsm'], "
		  "'categories': ['pkt', 'fsm', 'net', 'check', 'zk', 'ctl', "
		  "'conf']}",
		    "debug fsm on",
		    "debug: fsm (available: pkt fsm net check zk ctl conf)\n" },
		{ "{'v': 1, 'ok': true, 'cmd': 'debug', 'enabled': [], "
		  "'categories': ['pkt', 'fsm']}",
		    "debug", "debug: none (available: pkt fsm)\n" },
	};
	char *out, *err;

	for (size_t i = 0; i < NELEM(cases); i++) {
		ck_assert_int_eq(
		    render(cases[i].reply, cases[i].req, false, &out, &err), 0);
		ck_assert_str_eq(out, cases[i].out);
		ck_assert_str_eq(err, "");
		free(out);
		free(err);
	}
}
END_TEST

START_TEST(cluster_pair_stars_the_master_and_ends_with_the_registry)
{
	char *out, *err;

	ck_assert_int_eq(
	    render_at(R_CLUSTER, "cluster", NOW, false, &out, &err), 0);
	ck_assert_str_eq(out,
	    "INSTANCE  VRID  NODE     STATE   PRIO     VIPS  FAILING  SINCE\n"
	    "VI_1        51  lvs-a  * MASTER  100>110  2/2   -        2m13s\n"
	    "                lvs-b    BACKUP  100>90   0/2   web      2m13s\n"
	    "\n"
	    "registry: /vrrpd on 198.51.100.10:2181, 2 nodes, 1 instance, "
	    "read in 12 ms\n");
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
	/* The same for one instance: the daemon filtered, the layout stays. */
	ck_assert_int_eq(
	    render_at(R_CLUSTER, "cluster VI_1", NOW, false, &out, &err), 0);
	ck_assert_line(out,
	    "VI_1        51  lvs-a  * MASTER  100>110  2/2   -        2m13s");
	free(out);
	free(err);
}
END_TEST

START_TEST(cluster_split_brain_is_marked_and_flagged_not_an_exit_status)
{
	char *out, *err;

	ck_assert_int_eq(
	    render_at(R_CLUSTER_SPLIT, "cluster", NOW, false, &out, &err), 0);
	ck_assert_str_eq(out,
	    "INSTANCE  VRID  NODE     STATE   PRIO     VIPS  FAILING  SINCE\n"
	    "VI_1        51  lvs-a  * MASTER  100>110  2/2   -        2m13s\n"
	    "                lvs-b    BACKUP  100>90   0/2   web      2m13s\n"
	    "VI_2        52  lvs-a  * MASTER  100      1/1   -        12s\n"
	    "                lvs-b  * MASTER  100      1/1   -        3s\n"
	    "  [SPLIT BRAIN] 2 masters: lvs-a, lvs-b\n"
	    "\n"
	    "flags:\n"
	    "  (VI_2) split brain: MASTER on lvs-a and lvs-b for 3000 ms\n"
	    "\n"
	    "registry: /vrrpd on 198.51.100.10:2181, 2 nodes, 2 instances, "
	    "read in 12 ms\n");
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
}
END_TEST

START_TEST(cluster_stale_node_unreadable_znode_and_disconnected_registry)
{
	char *out, *err;

	ck_assert_int_eq(
	    render_at(R_CLUSTER_STALE, "cluster", NOW, false, &out, &err), 0);
	ck_assert_str_eq(out,
	    "registry: disconnected from ZooKeeper; the view may be stale\n"
	    "\n"
	    "INSTANCE  VRID  NODE     STATE          PRIO  VIPS  FAILING    "
	    "     SINCE\n"
	    "VI_1        51  lvs-a  * MASTER         150   1/1   -          "
	    "     2m13s\n"
	    "                lvs-c    FAULT (stale)  100   ?/1   interface "
	    "down  18m53s\n"
	    "\n"
	    "flags:\n"
	    "  (VI_1) stale record: lvs-c has no node record\n"
	    "\n"
	    "errors:\n"
	    "  /vrrpd/instances/VI_1/nodes/lvs-d: not JSON\n"
	    "\n"
	    "registry: /vrrpd on 198.51.100.10:2181, 1 node, 1 instance, "
	    "read in 40 ms\n");
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
}
END_TEST

START_TEST(cluster_colour_marks_states_and_the_split_brain)
{
	char *out, *err, *plain;

	render_at(R_CLUSTER_SPLIT, "cluster", NOW, true, &out, &err);
	ck_assert(strstr(out, "\033[32m* MASTER\033[0m") != NULL);
	ck_assert(strstr(out, "\033[33m  BACKUP\033[0m") != NULL);
	ck_assert(
	    strstr(out, "\033[31m2 masters: lvs-a, lvs-b\033[0m") != NULL);
	plain = strip(out);
	ck_assert_line(plain,
	    "                lvs-b  * MASTER  100      1/1   -        3s");
	free(plain);
	free(out);
	free(err);
}
END_TEST

/* A name of n bytes: prefix, then 'x's. */
static char *
long_name(char *buf, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);

	memcpy(buf, prefix, p);
	memset(buf + p, 'x', n - p);
	buf[n] = '\0';
	return buf;
}

START_TEST(cluster_long_names_are_cut_to_80_columns)
{
	char inst[64], node[64], check[64], reply[4096];
	char *out, *err, *plain;

	long_name(inst, 63, "VI_");
	long_name(node, 63, "lvs-");
	long_name(check, 63, "check_");
	snprintf(reply, sizeof(reply),
	    "{'v': 1, 'ok': true, 'cmd': 'cluster', "
	    "'registry': {'servers': '198.51.100.10:2181,198.51.100.11:2181,"
	    "198.51.100.12:2181,198.51.100.13:2181,[2001:db8::1]:2181', "
	    "'path': '/a/long/path/for/the/registry/of/the/fleet/in/"
	    "datacenter-one', 'state': 'auth_failed', 'session': null}, "
	    "'read_ms': 123456, 'nodes': [], "
	    "'instances': [{'name': '%s', 'vrid': 255, 'masters': ['%s'], "
	    "'split_brain': true, 'nodes': [{'router_id': '%s', "
	    "'registered': false, 'state': 'MASTER', "
	    "'priority': {'base': 255, 'effective': 254}, "
	    "'failing': ['%s', 'db', 'web'], 'faults': ['check failed'], "
	    "'vips': [{'present': true}, {'present': false}], "
	    "'since': 1000}, {'router_id': '%s', 'registered': true, "
	    "'state': 'BACKUP', 'priority': {'base': 1, 'effective': 1}, "
	    "'failing': [], 'faults': [], 'vips': [], "
	    "'since': 1700000133000}]}], "
	    "'flags': [{'kind': 'weight_trap', 'instance': '%s', "
	    "'text': '(%s) weight trap: check %s failing on %s, still the "
	    "highest priority'}], "
	    "'errors': [{'path': '/vrrpd/instances/%s/nodes/%s', "
	    "'error': 'bad version'}]}",
	    inst, node, node, check, node, inst, inst, check, node, inst, node);
	for (int color = 0; color < 2; color++) {
		ck_assert_int_eq(
		    render_at(reply, "cluster", NOW, color != 0, &out, &err),
		    0);
		ck_assert_msg(widest(out) <= 80, "%s", out);
		ck_assert_str_eq(err, "");
		plain = strip(out);
		ck_assert_msg(strstr(plain, "VI_xxxx") != NULL &&
			strstr(plain, "x~ ") != NULL &&
			strstr(plain, "* MASTER (stale)  255>254  1/2") !=
			    NULL &&
			strstr(plain, ">999d") != NULL,
		    "%s", plain);
		ck_assert_line(plain,
		    "registry: ZooKeeper refused the credentials; the view "
		    "may be stale");
		free(plain);
		free(out);
		free(err);
	}
	snprintf(reply, sizeof(reply),
	    "{'v': 1, 'ok': true, 'cmd': 'cluster', 'history': [{"
	    "'instance': '%s', 'time': 1700000000123, 'router_id': '%s', "
	    "'from': 'BACKUP', 'to': 'MASTER', 'reason': 'master down timer "
	    "expired'}, {'instance': '%s', 'time': 1700000000124, "
	    "'router_id': '%s', 'from': 'MASTERMASTER', 'to': 'INIT', "
	    "'reason': '%s%s'}]}",
	    inst, node, inst, node, check, check);
	ck_assert_int_eq(
	    render_at(reply, "cluster history", NOW, false, &out, &err), 0);
	ck_assert_msg(widest(out) <= 80, "%s", out);
	ck_assert(strstr(out, "MASTER~ -> INIT") != NULL);
	free(out);
	free(err);
}
END_TEST

START_TEST(cluster_missing_members_show_as_question_marks)
{
	static const struct {
		const char *reply, *req, *out;
	} cases[] = {
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'instances': [{"
		  "'name': 'VI_1', 'nodes': [{'router_id': 'lvs-a'}]}]}",
		    "cluster",
		    "INSTANCE  VRID  NODE     STATE  PRIO  VIPS  FAILING  SINCE\n"
		    "VI_1         ?  lvs-a    ?      ?     ?     ?        ?\n"
		    "\n"
		    "registry: ? on ?, 1 instance\n" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'instances': [{"
		  "'name': 'VI_1', 'vrid': 51}], 'nodes': [], "
		  "'registry': {'path': '/vrrpd'}}",
		    "cluster",
		    "INSTANCE  VRID  NODE    STATE  PRIO  VIPS  FAILING  SINCE\n"
		    "VI_1        51  -\n"
		    "\n"
		    "registry: /vrrpd on ?, 0 nodes, 1 instance\n" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster'}", "cluster",
		    "no instances in the registry\n"
		    "\n"
		    "registry: ? on ?\n" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'instances': []}",
		    "cluster VI_9",
		    "no instance VI_9 in the registry\n"
		    "\n"
		    "registry: ? on ?, 0 instances\n" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'history': []}",
		    "cluster history",
		    "no transitions recorded\n"
		    "\n"
		    "registry: ? on ?, 0 transitions\n" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'history': [{}]}",
		    "cluster history",
		    "TIME (UTC)  INSTANCE  NODE  CHANGE  REASON\n"
		    "?           ?         ?     ? -> ?  ?\n"
		    "\n"
		    "registry: ? on ?, 1 transition\n" },
	};
	char *out, *err;

	for (size_t i = 0; i < NELEM(cases); i++) {
		ck_assert_int_eq(render_at(cases[i].reply, cases[i].req, NOW,
				     false, &out, &err),
		    0);
		ck_assert_str_eq(out, cases[i].out);
		ck_assert_str_eq(err, "");
		free(out);
		free(err);
	}
	/* Without the wall clock, ages are unknown. */
	render_at(R_CLUSTER, "cluster", 0, false, &out, &err);
	ck_assert_line(out,
	    "VI_1        51  lvs-a  * MASTER  100>110  2/2   -        ?");
	free(out);
	free(err);
}
END_TEST

START_TEST(cluster_garbage_renders_an_error_line_and_the_rest)
{
	static const struct {
		const char *reply, *req, *why;
	} cases[] = {
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'registry': 'x'}",
		    "cluster", "member \"registry\" is not an object" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'instances': 'x'}",
		    "cluster", "member \"instances\" is not an array" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'instances': [5]}",
		    "cluster", "instances[0] is not an object" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'instances': [{"
		  "'name': 'VI_1', 'nodes': {'lvs-a': {}}}]}",
		    "cluster", "VI_1: member \"nodes\" is not an array" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'instances': [{"
		  "'name': 'VI_1', 'vrid': '51', 'masters': [1], "
		  "'split_brain': 'yes', 'nodes': [{'router_id': 7, "
		  "'state': 5, 'priority': 'high', 'vips': [1], "
		  "'failing': 'web', 'since': 'yesterday', "
		  "'registered': 'no'}]}]}",
		    "cluster", "VI_1: member \"vrid\" is not an integer" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'instances': [{"
		  "'name': 'VI_1', 'nodes': [{'router_id': 'a', "
		  "'priority': {'base': 'x', 'effective': 1.5}}]}]}",
		    "cluster", "VI_1: member \"base\" is not an integer" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'flags': {}, "
		  "'errors': 'none', 'read_ms': 'fast'}",
		    "cluster", "member \"flags\" is not an array" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'flags': [3], "
		  "'errors': [{'path': 5}]}",
		    "cluster", "flags[0] is not an object" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'history': 'x'}",
		    "cluster history", "member \"history\" is not an array" },
		{ "{'v': 1, 'ok': true, 'cmd': 'cluster', 'history': [[], "
		  "{'time': 'now', 'from': 1}]}",
		    "cluster history", "history[0] is not an object" },
	};
	char *out, *err, want[256];

	for (size_t i = 0; i < NELEM(cases); i++) {
		ck_assert_int_eq(render_at(cases[i].reply, cases[i].req, NOW,
				     false, &out, &err),
		    0);
		snprintf(want, sizeof(want),
		    "vrrpctl: cluster: part of the reply is malformed: %s\n",
		    cases[i].why);
		ck_assert_str_eq(err, want);
		ck_assert(strstr(out, "registry: ") != NULL);
		ck_assert_uint_le(widest(out), 80);
		free(out);
		free(err);
	}
	/* The envelope is checked as for every command. */
	ck_assert_int_eq(render("{'v': 1, 'ok': true, 'cmd': 'status'}",
			     "cluster", false, &out, &err),
	    3);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err,
	    "vrrpctl: malformed reply from vrrpd: a reply to \"status\", "
	    "not to \"cluster\"\n");
	free(out);
	free(err);
}
END_TEST

START_TEST(cluster_history_in_utc_to_the_millisecond)
{
	char *out, *err;

	ck_assert_int_eq(render_at(R_CLUSTER_HISTORY, "cluster history", NOW,
			     false, &out, &err),
	    0);
	ck_assert_str_eq(out,
	    "TIME (UTC)                INSTANCE  NODE   CHANGE            "
	    "REASON\n"
	    "2023-11-14T22:13:20.123Z  VI_1      lvs-a  BACKUP -> MASTER  "
	    "master down timer\n"
	    "                                                             "
	    "expired\n"
	    "2023-11-14T22:13:20.125Z  VI_1      lvs-b  MASTER -> BACKUP  "
	    "higher priority\n"
	    "                                                             "
	    "advert received\n"
	    "\n"
	    "registry: /vrrpd on 198.51.100.10:2181, 2 transitions, read in "
	    "12 ms\n");
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
}
END_TEST

START_TEST(cluster_without_a_registry_is_an_error_reply)
{
	char *out, *err;
	json_object *o;

	ck_assert_int_eq(render("{'v': 1, 'ok': false, 'cmd': 'cluster', "
				"'error': {'code': 'rejected', 'message': "
				"'no registry configured'}}",
			     "cluster", false, &out, &err),
	    1);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "vrrpctl: cluster: no registry configured\n");
	free(out);
	free(err);
	o = reply_of(R_CLUSTER_SPLIT);
	ck_assert_int_eq(vrrpctl_reply_status(o), 0);
	json_object_put(o);
}
END_TEST

START_TEST(error_replies_go_to_the_error_stream)
{
	char *out, *err;

	ck_assert_int_eq(render("{'v': 1, 'ok': false, 'cmd': 'demote', "
				"'error': {'code': 'permission', 'message': "
				"'root or the control group only'}}",
			     "demote VI_1", false, &out, &err),
	    4);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err,
	    "vrrpctl: demote: root or the control group only\n");
	free(out);
	free(err);
	ck_assert_int_eq(render("{'v': 1, 'ok': false, 'cmd': 'status', "
				"'error': {'code': 'no_instance', 'message': "
				"'no instance VI_9'}}",
			     "status VI_9", false, &out, &err),
	    1);
	ck_assert_str_eq(err, "vrrpctl: status: no instance VI_9\n");
	free(out);
	free(err);
	/* No command in the reply: the request's. */
	ck_assert_int_eq(render("{'v': 1, 'ok': false, 'cmd': null, "
				"'error': {'code': 'busy', 'message': "
				"'too many clients'}}",
			     "checks", false, &out, &err),
	    1);
	ck_assert_str_eq(err, "vrrpctl: checks: too many clients\n");
	free(out);
	free(err);
}
END_TEST

START_TEST(malformed_replies_exit_3_without_output)
{
	static const struct {
		const char *reply, *req;
	} cases[] = {
		{ "[]", "status" },
		{ "'status'", "status" },
		{ "{}", "status" },
		{ "{'v': 2, 'ok': true, 'cmd': 'status'}", "status" },
		{ "{'v': 1, 'cmd': 'status'}", "status" },
		{ "{'v': 1, 'ok': 'yes', 'cmd': 'status'}", "status" },
		{ "{'v': 1, 'ok': true, 'cmd': 'stats', 'instances': []}",
		    "status" },
		{ "{'v': 1, 'ok': true, 'cmd': 'status', 'instances': 'x'}",
		    "status" },
		{ "{'v': 1, 'ok': true, 'cmd': 'status', 'daemon': {}, "
		  "'instances': []}",
		    "status" },
		{ "{'v': 1, 'ok': true, 'cmd': 'status', 'daemon': {'version': "
		  "'0.1.0', 'pid': 1, 'uptime_ms': 1}, 'instances': [5]}",
		    "status" },
		{ "{'v': 1, 'ok': true, 'cmd': 'status', 'daemon': {'version': "
		  "'0.1.0', 'pid': 1, 'uptime_ms': 1}, 'instances': [{'name': "
		  "'VI_1'}]}",
		    "status" },
		{ "{'v': 1, 'ok': true, 'cmd': 'status', "
		  "'instances': [{'name': 'VI_1', 'state': 7}]}",
		    "status VI_1" },
		{ "{'v': 1, 'ok': true, 'cmd': 'status', "
		  "'instances': [{'name': 'VI_1', 'in_state_ms': -5}]}",
		    "status VI_1" },
		{ "{'v': 1, 'ok': true, 'cmd': 'stats', 'instances': [{'name': "
		  "'VI_1', 'counters': {'advert_rcvd': 'ten'}}]}",
		    "stats" },
		{ "{'v': 1, 'ok': true, 'cmd': 'stats', 'instances': []}",
		    "stats" },
		{ "{'v': 1, 'ok': true, 'cmd': 'checks', 'checks': [{'name': "
		  "'web', 'feeds': 3}], 'trackers': []}",
		    "checks" },
		{ "{'v': 1, 'ok': true, 'cmd': 'checks', 'checks': []}",
		    "checks" },
		{ "{'v': 1, 'ok': true, 'cmd': 'metrics', 'text': 5}",
		    "metrics" },
		{ "{'v': 1, 'ok': true, 'cmd': 'reload', "
		  "'reload': {'kept': 1}}",
		    "reload" },
		{ "{'v': 1, 'ok': true, 'cmd': 'demote', 'instances': [1]}",
		    "demote --all" },
		{ "{'v': 1, 'ok': true, 'cmd': 'debug', 'enabled': 'fsm'}",
		    "debug" },
		{ "{'v': 1, 'ok': false, 'cmd': 'reload'}", "reload" },
		{ "{'v': 1, 'ok': false, 'cmd': 'reload', 'error': {'code': "
		  "'rejected', 'message': 'x', 'details': [1]}}",
		    "reload" },
	};
	char *out, *err;

	for (size_t i = 0; i < NELEM(cases); i++) {
		ck_assert_msg(render(cases[i].reply, cases[i].req, false, &out,
				  &err) == 3,
		    "case %zu not refused", i);
		ck_assert_msg(strcmp(out, "") == 0, "case %zu printed %s", i,
		    out);
		ck_assert_msg(
		    strncmp(err, "vrrpctl: malformed reply from vrrpd: ", 37) ==
			    0 &&
			strchr(err, '\n') == err + strlen(err) - 1,
		    "case %zu: %s", i, err);
		free(out);
		free(err);
	}
}
END_TEST

START_TEST(malformed_messages_name_the_member)
{
	char *out, *err;

	render("{'v': 1, 'ok': true, 'cmd': 'status', 'instances': 'x'}",
	    "status", false, &out, &err);
	ck_assert_str_eq(err,
	    "vrrpctl: malformed reply from vrrpd: member "
	    "\"instances\" is not an array\n");
	free(out);
	free(err);
	render("{'v': 1, 'ok': true, 'cmd': 'status', 'instances': [{'name': "
	       "'VI_1', 'interface': 'eth0'}]}",
	    "status VI_1", false, &out, &err);
	ck_assert_str_eq(err,
	    "vrrpctl: malformed reply from vrrpd: VI_1: "
	    "member \"state\" missing\n");
	free(out);
	free(err);
}
END_TEST

START_TEST(not_json_is_malformed)
{
	struct vrrpctl_render_opts ro = { .width = 80 };
	struct ctl_req r = parse_ok("status");
	char *out, *err;
	size_t olen, elen;
	FILE *fo = open_memstream(&out, &olen),
	     *fe = open_memstream(&err, &elen);

	ck_assert_int_eq(vrrpctl_render(NULL, &r, &ro, fo, fe), 3);
	fclose(fo);
	fclose(fe);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err,
	    "vrrpctl: malformed reply from vrrpd: not a "
	    "JSON object\n");
	free(out);
	free(err);
}
END_TEST

START_TEST(control_characters_from_the_daemon_are_not_printed)
{
	char *out, *err;

	ck_assert_int_eq(render("{'v': 1, 'ok': false, 'cmd': 'status', "
				"'error': {'code': 'no_instance', 'message': "
				"'no \\u001b[2J instance'}}",
			     "status", false, &out, &err),
	    1);
	ck_assert_str_eq(err, "vrrpctl: status: no ?[2J instance\n");
	free(out);
	free(err);
}
END_TEST

START_TEST(json_mode_exit_status_comes_from_ok_and_code)
{
	static const struct {
		const char *reply;
		int status;
	} cases[] = {
		{ "{'v': 1, 'ok': true, 'cmd': 'status'}", 0 },
		{ "{'v': 1, 'ok': false, 'error': {'code': 'permission'}}", 4 },
		{ "{'v': 1, 'ok': false, 'error': {'code': 'rejected'}}", 1 },
		{ "{'v': 1, 'ok': false, 'error': {'code': 'what'}}", 1 },
		{ "{'v': 1, 'ok': false}", 3 },
		{ "{'v': 1}", 3 },
		{ "[1]", 3 },
	};
	json_object *o;

	for (size_t i = 0; i < NELEM(cases); i++) {
		o = reply_of(cases[i].reply);
		ck_assert_int_eq(vrrpctl_reply_status(o), cases[i].status);
		json_object_put(o);
	}
	ck_assert_int_eq(vrrpctl_reply_status(NULL), 3);
}
END_TEST

static Suite *
vrrpctl_suite(void)
{
	Suite *s = suite_create("vrrpctl");
	TCase *tc;

	tc = tcase_create("parser");
	tcase_add_test(tc, parse_status_with_and_without_an_instance);
	tcase_add_test(tc,
	    parse_stats_takes_instance_and_clear_in_either_order);
	tcase_add_test(tc, parse_commands_without_arguments);
	tcase_add_test(tc, parse_demote_an_instance_or_all_with_a_duration);
	tcase_add_test(tc, parse_promote_an_instance_or_all);
	tcase_add_test(tc, parse_debug_lists_or_sets_a_category);
	tcase_add_test(tc, parse_cluster_with_history_and_an_instance);
	tcase_add_test(tc, parse_cluster_watch_and_direct_options);
	tcase_add_test(tc, parse_client_options_before_and_after_the_command);
	tcase_add_test(tc, socket_is_default_then_env_then_flag);
	tcase_add_test(tc, help_and_version_win_over_everything);
	tcase_add_test(tc, usage_errors_are_one_clear_line);
	tcase_add_test(tc, instance_names_longer_than_63_bytes_are_refused);
	tcase_add_test(tc, socket_paths_that_do_not_fit_sun_path_are_refused);
	tcase_add_test(tc, durations_take_units_in_order);
	tcase_add_test(tc,
	    color_auto_needs_a_terminal_no_NO_COLOR_and_a_real_TERM);
	tcase_add_test(tc, reload_waits_longer_than_the_rest);
	tcase_add_test(tc, parsed_requests_build_protocol_lines);
	tcase_add_test(tc, usage_text_fits_80_columns);
	suite_add_tcase(s, tc);

	tc = tcase_create("durations");
	tcase_add_test(tc, ago_is_compact_with_two_units_at_most);
	tcase_add_test(tc, exact_durations_read_back);
	tcase_add_test(tc, latencies_in_us_ms_s);
	suite_add_tcase(s, tc);

	tc = tcase_create("render");
	tcase_add_test(tc, status_table_has_header_rows_and_why_lines);
	tcase_add_test(tc, status_of_one_instance_is_a_detailed_block);
	tcase_add_test(tc, status_layout_follows_the_request_not_the_count);
	tcase_add_test(tc, colour_marks_states_without_moving_columns);
	tcase_add_test(tc, long_fields_are_cut_to_80_columns);
	tcase_add_test(tc, stats_print_every_counter_with_its_mib_name);
	tcase_add_test(tc, checks_tables_show_feeds_and_unused_checks);
	tcase_add_test(tc, no_checks_and_no_trackers_say_so);
	tcase_add_test(tc, metrics_print_the_text_as_is);
	tcase_add_test(tc, reload_counts_and_rejections);
	tcase_add_test(tc, demote_promote_and_debug_say_what_happened);
	tcase_add_test(tc, error_replies_go_to_the_error_stream);
	tcase_add_test(tc, json_mode_exit_status_comes_from_ok_and_code);
	suite_add_tcase(s, tc);

	tc = tcase_create("cluster");
	tcase_add_test(tc,
	    cluster_pair_stars_the_master_and_ends_with_the_registry);
	tcase_add_test(tc,
	    cluster_split_brain_is_marked_and_flagged_not_an_exit_status);
	tcase_add_test(tc,
	    cluster_stale_node_unreadable_znode_and_disconnected_registry);
	tcase_add_test(tc, cluster_colour_marks_states_and_the_split_brain);
	tcase_add_test(tc, cluster_long_names_are_cut_to_80_columns);
	tcase_add_test(tc, cluster_missing_members_show_as_question_marks);
	tcase_add_test(tc, cluster_garbage_renders_an_error_line_and_the_rest);
	tcase_add_test(tc, cluster_history_in_utc_to_the_millisecond);
	tcase_add_test(tc, cluster_without_a_registry_is_an_error_reply);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, malformed_replies_exit_3_without_output);
	tcase_add_test(tc, malformed_messages_name_the_member);
	tcase_add_test(tc, not_json_is_malformed);
	tcase_add_test(tc, control_characters_from_the_daemon_are_not_printed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vrrpctl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
