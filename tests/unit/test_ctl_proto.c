/* SPDX-License-Identifier: BSD-2-Clause */
/* ctl/proto: control requests parsed and built, reply envelopes. */

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vrrpd/ctl.h"

static enum ctl_err
parse(const char *s, struct ctl_req *r, char *why)
{
	return ctl_req_parse(s, strlen(s), r, why, 128);
}

START_TEST(status_request_with_instance_parses)
{
	struct ctl_req r;
	char why[128];

	ck_assert_int_eq(
	    parse("{\"v\":1,\"cmd\":\"status\",\"instance\":\"VI_1\"}\n", &r,
		why),
	    CTL_OK);
	ck_assert_int_eq(r.cmd, CTL_CMD_STATUS);
	ck_assert_str_eq(r.instance, "VI_1");
	ck_assert(!ctl_req_mutating(&r));
}
END_TEST

START_TEST(every_command_round_trips_through_build)
{
	struct ctl_req in[] = {
		{ .cmd = CTL_CMD_STATUS },
		{ .cmd = CTL_CMD_STATS, .instance = "VI_2", .clear = true },
		{ .cmd = CTL_CMD_CHECKS },
		{ .cmd = CTL_CMD_METRICS },
		{ .cmd = CTL_CMD_RELOAD },
		{ .cmd = CTL_CMD_DEMOTE, .all = true, .for_ms = 600000 },
		{ .cmd = CTL_CMD_PROMOTE, .instance = "VI_1" },
		{ .cmd = CTL_CMD_DEBUG, .category = "fsm", .on = true },
		{ .cmd = CTL_CMD_DEBUG, .category = "pkt", .on = false },
		{ .cmd = CTL_CMD_DEBUG },
		{ .cmd = CTL_CMD_CLUSTER },
		{ .cmd = CTL_CMD_CLUSTER, .instance = "VI_1" },
		{ .cmd = CTL_CMD_CLUSTER, .history = true },
		{ .cmd = CTL_CMD_CLUSTER, .instance = "VI_1", .history = true },
	};
	struct ctl_req out;
	char why[128], *line;

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		line = ctl_req_build(&in[i]);
		ck_assert_ptr_nonnull(line);
		ck_assert_msg(line[strlen(line) - 1] == '\n', "%s", line);
		ck_assert_msg(parse(line, &out, why) == CTL_OK, "%s: %s", line,
		    why);
		ck_assert_msg(memcmp(&in[i], &out, sizeof(out)) == 0, "%s",
		    line);
		free(line);
	}
}
END_TEST

START_TEST(cluster_request_takes_an_instance_and_history)
{
	struct ctl_req r;
	char why[128];

	ck_assert_int_eq(parse("{\"v\":1,\"cmd\":\"cluster\"}", &r, why),
	    CTL_OK);
	ck_assert_int_eq(r.cmd, CTL_CMD_CLUSTER);
	ck_assert_str_eq(r.instance, "");
	ck_assert(!r.history);
	ck_assert(!ctl_req_mutating(&r));
	ck_assert_int_eq(parse("{\"v\":1,\"cmd\":\"cluster\",\"history\":true,"
			       "\"instance\":\"VI_1\"}\n",
			     &r, why),
	    CTL_OK);
	ck_assert_int_eq(r.cmd, CTL_CMD_CLUSTER);
	ck_assert_str_eq(r.instance, "VI_1");
	ck_assert(r.history);
	ck_assert(!ctl_req_mutating(&r));
	/* "history": false is the default, accepted when written out. */
	ck_assert_int_eq(
	    parse("{\"v\":1,\"cmd\":\"cluster\",\"history\":false}", &r, why),
	    CTL_OK);
	ck_assert(!r.history);
}
END_TEST

START_TEST(cluster_request_builds_only_what_differs)
{
	struct ctl_req r = { .cmd = CTL_CMD_CLUSTER };
	char *line;

	line = ctl_req_build(&r);
	ck_assert_str_eq(line, "{\"v\":1,\"cmd\":\"cluster\"}\n");
	free(line);
	r.history = true;
	strcpy(r.instance, "VI_1");
	line = ctl_req_build(&r);
	ck_assert_str_eq(line,
	    "{\"v\":1,\"cmd\":\"cluster\",\"instance\":\"VI_1\","
	    "\"history\":true}\n");
	free(line);
	ck_assert_str_eq(ctl_cmd_name(CTL_CMD_CLUSTER), "cluster");
	ck_assert_int_eq(ctl_cmd_from_name("cluster"), CTL_CMD_CLUSTER);
}
END_TEST

START_TEST(mutating_requests_are_named)
{
	struct ctl_req r = { .cmd = CTL_CMD_RELOAD };

	ck_assert(ctl_req_mutating(&r));
	r.cmd = CTL_CMD_DEMOTE;
	ck_assert(ctl_req_mutating(&r));
	r.cmd = CTL_CMD_PROMOTE;
	ck_assert(ctl_req_mutating(&r));
	r = (struct ctl_req) { .cmd = CTL_CMD_STATS };
	ck_assert(!ctl_req_mutating(&r));
	r.clear = true;
	ck_assert(ctl_req_mutating(&r));
	r = (struct ctl_req) { .cmd = CTL_CMD_DEBUG };
	ck_assert(!ctl_req_mutating(&r));
	strcpy(r.category, "fsm");
	ck_assert(ctl_req_mutating(&r));
	r = (struct ctl_req) { .cmd = CTL_CMD_METRICS };
	ck_assert(!ctl_req_mutating(&r));
	r = (struct ctl_req) { .cmd = CTL_CMD_CLUSTER, .history = true };
	ck_assert(!ctl_req_mutating(&r));
}
END_TEST

static const struct bad {
	const char *req;
	enum ctl_err err;
	const char *why; /* a part of the phrase */
} bad[] = {
	{ "", CTL_E_JSON, "not JSON" },
	{ "status", CTL_E_JSON, "not JSON" },
	{ "[1,2]", CTL_E_JSON, "JSON object" },
	{ "{\"v\":1,\"cmd\":\"status\"", CTL_E_JSON, "not JSON" },
	{ "{\"v\":1,\"cmd\":\"status\"} {}", CTL_E_JSON, "JSON" },
	{ "{\"cmd\":\"status\"}", CTL_E_VERSION, "\"v\"" },
	{ "{\"v\":2,\"cmd\":\"status\"}", CTL_E_VERSION, "\"v\"" },
	{ "{\"v\":\"1\",\"cmd\":\"status\"}", CTL_E_VERSION, "\"v\"" },
	{ "{\"v\":1}", CTL_E_COMMAND, "\"cmd\"" },
	{ "{\"v\":1,\"cmd\":7}", CTL_E_COMMAND, "\"cmd\"" },
	{ "{\"v\":1,\"cmd\":\"shutdown\"}", CTL_E_COMMAND, "shutdown" },
	{ "{\"v\":1,\"cmd\":\"status\",\"instanse\":\"x\"}", CTL_E_ARGUMENT,
	    "instanse" },
	{ "{\"v\":1,\"cmd\":\"checks\",\"instance\":\"x\"}", CTL_E_ARGUMENT,
	    "does not go" },
	{ "{\"v\":1,\"cmd\":\"status\",\"instance\":5}", CTL_E_ARGUMENT,
	    "wrong type" },
	{ "{\"v\":1,\"cmd\":\"status\",\"instance\":\"\"}", CTL_E_ARGUMENT,
	    "non-empty" },
	{ "{\"v\":1,\"cmd\":\"status\",\"instance\":\"a\\u0000b\"}",
	    CTL_E_ARGUMENT, "non-empty" },
	{ "{\"v\":1,\"cmd\":\"status\",\"instance\":"
	  "\"0123456789012345678901234567890123456789012345678901234567890123"
	  "\"}",
	    CTL_E_ARGUMENT, "at most" },
	{ "{\"v\":1,\"cmd\":\"demote\"}", CTL_E_ARGUMENT, "not both" },
	{ "{\"v\":1,\"cmd\":\"demote\",\"instance\":\"a\",\"all\":true}",
	    CTL_E_ARGUMENT, "not both" },
	{ "{\"v\":1,\"cmd\":\"demote\",\"all\":true,\"for_ms\":-1}",
	    CTL_E_ARGUMENT, "non-negative" },
	{ "{\"v\":1,\"cmd\":\"demote\",\"all\":true,\"for_ms\":1.5}",
	    CTL_E_ARGUMENT, "wrong type" },
	{ "{\"v\":1,\"cmd\":\"debug\",\"category\":\"fsm\"}", CTL_E_ARGUMENT,
	    "go together" },
	{ "{\"v\":1,\"cmd\":\"debug\",\"on\":true}", CTL_E_ARGUMENT,
	    "go together" },
	{ "{\"v\":1,\"cmd\":\"debug\",\"category\":\"pkt\",\"on\":false,"
	  "\"instance\":\"VI_1\"}",
	    CTL_E_ARGUMENT, "turned on" },
	{ "{\"v\":1,\"cmd\":\"reload\",\"clear\":true}", CTL_E_ARGUMENT,
	    "does not go" },
	{ "{\"v\":1,\"cmd\":\"status\",\"history\":true}", CTL_E_ARGUMENT,
	    "does not go" },
	{ "{\"v\":1,\"cmd\":\"cluster\",\"history\":1}", CTL_E_ARGUMENT,
	    "wrong type" },
	{ "{\"v\":1,\"cmd\":\"cluster\",\"all\":true}", CTL_E_ARGUMENT,
	    "does not go" },
	{ "{\"v\":1,\"cmd\":\"cluster\",\"instance\":\"\"}", CTL_E_ARGUMENT,
	    "non-empty" },
	{ "{\"v\":1,\"cmd\":\"cluster\",\"watch\":true}", CTL_E_ARGUMENT,
	    "unknown member" },
};

START_TEST(malformed_requests_get_their_error_and_a_phrase)
{
	struct ctl_req r;
	char why[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse(bad[i].req, &r, why) == bad[i].err,
		    "%s: got %s (%s)", bad[i].req,
		    ctl_err_code(parse(bad[i].req, &r, why)), why);
		ck_assert_msg(strstr(why, bad[i].why) != NULL, "%s: %s",
		    bad[i].req, why);
		ck_assert_int_eq(r.cmd, CTL_CMD_MAX);
	}
}
END_TEST

START_TEST(oversized_request_is_too_big_unread)
{
	size_t n = CTL_REQ_MAX + 1;
	char *buf = malloc(n), why[128];
	struct ctl_req r;

	memset(buf, ' ', n);
	ck_assert_int_eq(ctl_req_parse(buf, n, &r, why, sizeof(why)),
	    CTL_E_TOO_BIG);
	free(buf);
}
END_TEST

START_TEST(parse_reads_only_len_bytes)
{
	const char *s = "{\"v\":1,\"cmd\":\"checks\"}garbage";
	struct ctl_req r;
	char why[128];

	ck_assert_int_eq(ctl_req_parse(s, 22, &r, why, sizeof(why)), CTL_OK);
	ck_assert_int_eq(r.cmd, CTL_CMD_CHECKS);
}
END_TEST

START_TEST(error_reply_carries_code_and_message)
{
	json_object *o = ctl_reply_error(CTL_CMD_RELOAD, CTL_E_REJECTED,
			"bad file"),
		    *e, *v;

	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "v", &v));
	ck_assert_int_eq(json_object_get_int(v), 1);
	ck_assert(json_object_object_get_ex(o, "ok", &v));
	ck_assert(!json_object_get_boolean(v));
	ck_assert(json_object_object_get_ex(o, "cmd", &v));
	ck_assert_str_eq(json_object_get_string(v), "reload");
	ck_assert(json_object_object_get_ex(o, "error", &e));
	ck_assert(json_object_object_get_ex(e, "code", &v));
	ck_assert_str_eq(json_object_get_string(v), "rejected");
	ck_assert_int_eq(ctl_err_from_code(json_object_get_string(v)),
	    CTL_E_REJECTED);
	ck_assert(json_object_object_get_ex(e, "message", &v));
	ck_assert_str_eq(json_object_get_string(v), "bad file");
	json_object_put(o);

	o = ctl_reply_error(CTL_CMD_MAX, CTL_E_JSON, NULL);
	ck_assert(json_object_object_get_ex(o, "cmd", &v));
	ck_assert_ptr_null(v);
	json_object_put(o);
}
END_TEST

START_TEST(names_and_codes_map_both_ways)
{
	for (int c = 0; c < CTL_CMD_MAX; c++)
		ck_assert_int_eq(ctl_cmd_from_name(ctl_cmd_name(c)), c);
	ck_assert_int_eq(ctl_cmd_from_name("nope"), -1);
	for (int e = 0; e < CTL_E_MAX; e++)
		ck_assert_int_eq(ctl_err_from_code(ctl_err_code(e)), e);
	ck_assert_int_eq(ctl_err_from_code("strange"), CTL_E_INTERNAL);
	ck_assert_str_eq(ctl_cmd_name(CTL_CMD_MAX), "unknown");
}
END_TEST

static Suite *
proto_suite(void)
{
	Suite *s = suite_create("ctl_proto");
	TCase *tc;

	tc = tcase_create("requests");
	tcase_add_test(tc, status_request_with_instance_parses);
	tcase_add_test(tc, every_command_round_trips_through_build);
	tcase_add_test(tc, mutating_requests_are_named);
	tcase_add_test(tc, cluster_request_takes_an_instance_and_history);
	tcase_add_test(tc, cluster_request_builds_only_what_differs);
	suite_add_tcase(s, tc);
	tc = tcase_create("bad requests");
	tcase_add_test(tc, malformed_requests_get_their_error_and_a_phrase);
	tcase_add_test(tc, oversized_request_is_too_big_unread);
	tcase_add_test(tc, parse_reads_only_len_bytes);
	suite_add_tcase(s, tc);
	tc = tcase_create("replies");
	tcase_add_test(tc, error_reply_carries_code_and_message);
	tcase_add_test(tc, names_and_codes_map_both_ways);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(proto_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
