/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * registry: the znode records and their JSON (round trips, every error
 * code), the transition history, and the cluster analysis on fake time
 * (split brain, VRID collisions, silent nodes, stale records, the weight
 * trap).
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/registry.h"

#define MS(x) ((uint64_t)(x)*1000)

static char buf[REGISTRY_RECORD_MAX + 2];
static char why[160];

static struct addr
A(const char *s) {
	struct addr a;

	ck_assert_msg(addr_parse(s, &a) == 0, "%s", s);
	return a;
}

static struct registry_node_rec
node(const char *id)
{
	struct registry_node_rec n = { .addr = A("192.0.2.1"),
		.start_time = 1700000000 };

	snprintf(n.router_id, sizeof(n.router_id), "%s", id);
	snprintf(n.version, sizeof(n.version), "0.1.0");
	snprintf(n.config_digest, sizeof(n.config_digest), "9f86d081aB");
	return n;
}

/* An IPv4 instance on 192.0.2.0/24 (host address .1), 10 ms adverts. */
static void
inst_init(struct registry_inst_rec *r, const char *name, const char *id,
    enum vrrp_state st, uint8_t prio)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->router_id, sizeof(r->router_id), "%s", id);
	r->state = st;
	r->base_priority = prio;
	r->priority = prio;
	r->nvips = 1;
	r->vips[0] = (struct registry_vip) { A("192.0.2.10"), 24, true };
	r->vrid = 51;
	r->family = AF_INET;
	snprintf(r->interface, sizeof(r->interface), "eth0");
	r->subnet = (struct registry_prefix) { A("192.0.2.1"), 24 };
	r->adver_int_cs = 1;
	r->since_ms = 1700000000123;
}

/* A record with every member set, for the round trips. */
static void
inst_full(struct registry_inst_rec *r)
{
	inst_init(r, "VI_WEB", "lvs-a", VRRP_STATE_MASTER, 100);
	r->priority = 110;
	r->nparts = 3;
	r->parts[0] = (struct registry_part) { CONF_TRACK_CHECK, "web", true, 0,
		10, false, 10, false };
	r->parts[1] = (struct registry_part) { CONF_TRACK_FILE, "/run/w", false,
		-7, 2, true, 14, false };
	r->parts[2] = (struct registry_part) { CONF_TRACK_IFACE, "eth1", false,
		0, 0, false, 0, true };
	registry_inst_set_faults(r,
	    (1U << VRRP_FAULT_TRACKED_IF) | (1U << VRRP_FAULT_NO_PEER));
	r->nvips = 2;
	r->vips[1] = (struct registry_vip) { A("2001:db8::10"), 64, false };
	r->master = A("192.0.2.1");
	r->adver_int_cs = 100;
}

static void
assert_inst_eq(const struct registry_inst_rec *a,
    const struct registry_inst_rec *b)
{
	ck_assert_str_eq(a->name, b->name);
	ck_assert_str_eq(a->router_id, b->router_id);
	ck_assert_int_eq(a->state, b->state);
	ck_assert_int_eq(a->base_priority, b->base_priority);
	ck_assert_int_eq(a->priority, b->priority);
	ck_assert_uint_eq(a->nparts, b->nparts);
	for (size_t i = 0; i < a->nparts; i++) {
		const struct registry_part *p = &a->parts[i], *q = &b->parts[i];

		ck_assert_int_eq(p->kind, q->kind);
		ck_assert_str_eq(p->name, q->name);
		ck_assert_int_eq(p->up, q->up);
		ck_assert_int_eq(p->value, q->value);
		ck_assert_int_eq(p->weight, q->weight);
		ck_assert_int_eq(p->reverse, q->reverse);
		ck_assert_int_eq(p->contrib, q->contrib);
		ck_assert_int_eq(p->fault, q->fault);
	}
	ck_assert_uint_eq(a->nfaults, b->nfaults);
	for (size_t i = 0; i < a->nfaults; i++)
		ck_assert_str_eq(a->faults[i], b->faults[i]);
	ck_assert_uint_eq(a->nvips, b->nvips);
	for (size_t i = 0; i < a->nvips; i++) {
		ck_assert_int_eq(addr_cmp(&a->vips[i].addr, &b->vips[i].addr),
		    0);
		ck_assert_int_eq(a->vips[i].prefix, b->vips[i].prefix);
		ck_assert_int_eq(a->vips[i].present, b->vips[i].present);
	}
	ck_assert_int_eq(a->vrid, b->vrid);
	ck_assert_int_eq(a->family, b->family);
	ck_assert_str_eq(a->interface, b->interface);
	ck_assert_int_eq(addr_cmp(&a->subnet.addr, &b->subnet.addr), 0);
	ck_assert_int_eq(a->subnet.prefix, b->subnet.prefix);
	ck_assert_uint_eq(a->adver_int_cs, b->adver_int_cs);
	ck_assert_uint_eq(a->since_ms, b->since_ms);
	ck_assert_int_eq(addr_cmp(&a->master, &b->master), 0);
}

static enum registry_err
inst_dec(const char *json, struct registry_inst_rec *r)
{
	return registry_inst_decode(json, strlen(json), r, why, sizeof(why));
}

/* ---- records ---- */

START_TEST(node_record_round_trips_every_field)
{
	struct registry_node_rec in = node("lvs-a"), out;
	int n;

	in.addr = A("2001:db8::1");
	n = registry_node_encode(&in, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	ck_assert_int_eq(
	    registry_node_decode(buf, (size_t)n, &out, why, sizeof(why)),
	    REGISTRY_OK);
	ck_assert_str_eq(out.router_id, "lvs-a");
	ck_assert_int_eq(addr_cmp(&out.addr, &in.addr), 0);
	ck_assert_str_eq(out.version, "0.1.0");
	ck_assert_uint_eq(out.start_time, 1700000000);
	ck_assert_str_eq(out.config_digest, "9f86d081aB");
}
END_TEST

START_TEST(inst_record_round_trips_every_field)
{
	static struct registry_inst_rec in, out;

	inst_full(&in);
	ck_assert_int_gt(registry_inst_encode(&in, buf, sizeof(buf)), 0);
	ck_assert_msg(inst_dec(buf, &out) == REGISTRY_OK, "%s", why);
	assert_inst_eq(&in, &out);
	ck_assert_str_eq(out.faults[0], "tracked interface down");
	ck_assert_str_eq(out.faults[1], "no unicast peer");
}
END_TEST

START_TEST(absent_subnet_and_master_round_trip_as_absent)
{
	static struct registry_inst_rec in, out;

	inst_init(&in, "VI_1", "lvs-b", VRRP_STATE_BACKUP, 90);
	in.subnet = (struct registry_prefix) { .prefix = 0 };
	ck_assert_int_gt(registry_inst_encode(&in, buf, sizeof(buf)), 0);
	ck_assert_ptr_null(strstr(buf, "\"master\""));
	ck_assert_ptr_null(strstr(buf, "\"subnet\""));
	ck_assert_msg(inst_dec(buf, &out) == REGISTRY_OK, "%s", why);
	assert_inst_eq(&in, &out);
	ck_assert_int_eq(out.master.af, AF_UNSPEC);
}
END_TEST

START_TEST(master_record_round_trips)
{
	struct registry_master_rec in = { "lvs-a", 1700000000123 }, out;
	int n = registry_master_encode(&in, buf, sizeof(buf));

	ck_assert_str_eq(buf,
	    "{\"v\":1,\"router_id\":\"lvs-a\","
	    "\"since\":1700000000123}");
	ck_assert_int_eq(
	    registry_master_decode(buf, (size_t)n, &out, why, sizeof(why)),
	    REGISTRY_OK);
	ck_assert_int_eq(memcmp(&in, &out, sizeof(in)), 0);
}
END_TEST

START_TEST(hand_written_record_decodes_as_the_header_shows)
{
	static struct registry_inst_rec r;
	const char *json =
	    "{\"v\":1, \"name\":\"VI_1\", \"router_id\":\"lvs-a\", "
	    "\"state\":\"MASTER\", \"base_priority\":100, \"priority\":110, "
	    "\"parts\":[{\"kind\":\"check\", \"name\":\"web\", \"up\":true, "
	    "\"value\":0, \"weight\":10, \"reverse\":false, \"contrib\":10, "
	    "\"fault\":false}], \"faults\":[\"check failed\"], "
	    "\"vips\":[{\"addr\":\"192.0.2.10\", \"prefix\":24, "
	    "\"present\":true}], \"vrid\":51, \"family\":4, "
	    "\"interface\":\"eth0\", \"subnet\":{\"addr\":\"192.0.2.0\", "
	    "\"prefix\":24}, \"adver_int_cs\":100, "
	    "\"since\":1700000000123, \"master\":\"192.0.2.1\"}\n";

	ck_assert_msg(inst_dec(json, &r) == REGISTRY_OK, "%s", why);
	ck_assert_int_eq(r.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(r.parts[0].kind, CONF_TRACK_CHECK);
	ck_assert_int_eq(r.family, AF_INET);
	ck_assert_int_eq(r.vips[0].prefix, 24);
	ck_assert_int_eq(r.subnet.addr.af, AF_INET);
}
END_TEST

/* Every string at its longest and made of bytes JSON escapes 6-fold. */
START_TEST(largest_inst_record_fits_the_record_bound)
{
	static struct registry_inst_rec in, out;
	char v6[64];
	int n;

	inst_full(&in);
	memset(in.name, 'n', sizeof(in.name) - 1);
	memset(in.router_id, 'r', sizeof(in.router_id) - 1);
	memset(in.interface, 0x01, sizeof(in.interface) - 1);
	in.nparts = REGISTRY_PARTS_MAX;
	for (size_t i = 0; i < in.nparts; i++) {
		in.parts[i] = in.parts[1];
		in.parts[i].value = INT64_MIN;
		memset(in.parts[i].name, 0x1f, sizeof(in.parts[i].name) - 1);
	}
	in.nfaults = REGISTRY_FAULTS_MAX;
	for (size_t i = 0; i < in.nfaults; i++)
		memset(in.faults[i], '"', sizeof(in.faults[i]) - 1);
	in.nvips = REGISTRY_VIPS_MAX;
	for (size_t i = 0; i < in.nvips; i++) {
		snprintf(v6, sizeof(v6),
		    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.%zu.255", i);
		in.vips[i] = (struct registry_vip) { A(v6), 128, false };
	}
	n = registry_inst_encode(&in, buf, REGISTRY_RECORD_MAX);
	ck_assert_int_gt(n, 0);
	ck_assert_msg(inst_dec(buf, &out) == REGISTRY_OK, "%s", why);
	assert_inst_eq(&in, &out);
}
END_TEST

START_TEST(encode_refuses_a_small_buffer_and_bad_values)
{
	static struct registry_inst_rec r;
	struct registry_node_rec nr = node("lvs-a");
	char small[16];

	inst_full(&r);
	ck_assert_int_eq(registry_inst_encode(&r, small, sizeof(small)), -1);
	ck_assert_str_eq(small, "");
	r.vrid = 0;
	ck_assert_int_eq(registry_inst_encode(&r, buf, sizeof(buf)), -1);
	inst_full(&r);
	r.state = VRRP_STATE_MAX;
	ck_assert_int_eq(registry_inst_encode(&r, buf, sizeof(buf)), -1);
	inst_full(&r);
	r.nparts = REGISTRY_PARTS_MAX + 1;
	ck_assert_int_eq(registry_inst_encode(&r, buf, sizeof(buf)), -1);
	inst_full(&r);
	memset(r.interface, 'x', sizeof(r.interface));
	ck_assert_int_eq(registry_inst_encode(&r, buf, sizeof(buf)), -1);
	snprintf(nr.router_id, sizeof(nr.router_id), "a/b");
	ck_assert_int_eq(registry_node_encode(&nr, buf, sizeof(buf)), -1);
	nr = node("lvs-a");
	nr.start_time = REGISTRY_TIME_MAX + 1;
	ck_assert_int_eq(registry_node_encode(&nr, buf, sizeof(buf)), -1);
}
END_TEST

START_TEST(set_faults_names_each_bit_in_enum_order)
{
	static struct registry_inst_rec r;

	inst_init(&r, "VI_1", "lvs-a", VRRP_STATE_FAULT, 100);
	registry_inst_set_faults(&r,
	    (1U << VRRP_FAULT_CHECK) | (1U << VRRP_FAULT_LINK_DOWN));
	ck_assert_uint_eq(r.nfaults, 2);
	ck_assert_str_eq(r.faults[0], vrrp_fault_name(VRRP_FAULT_LINK_DOWN));
	ck_assert_str_eq(r.faults[1], vrrp_fault_name(VRRP_FAULT_CHECK));
	registry_inst_set_faults(&r, 0);
	ck_assert_uint_eq(r.nfaults, 0);
}
END_TEST

/* ---- decode errors ---- */

/* A valid record with one member replaced (or removed: value NULL). */
static const char *
with_member(const char *member, const char *value)
{
	static struct registry_inst_rec r;
	static char out[REGISTRY_RECORD_MAX + 64];
	char *p, *end;
	size_t len;

	inst_full(&r);
	registry_inst_encode(&r, out, sizeof(out));
	snprintf(buf, sizeof(buf), "\"%s\":", member);
	p = strstr(out, buf);
	ck_assert_ptr_nonnull(p);
	/* The value runs to the next top-level ",\"" or the closing brace. */
	end = p + strlen(buf);
	for (int depth = 0; *end != '\0'; end++) {
		if (*end == '[' || *end == '{')
			depth++;
		else if ((*end == ']' || *end == '}') && depth-- == 0)
			break;
		else if (*end == ',' && depth == 0)
			break;
	}
	len = strlen(end) + 1;
	if (value == NULL) {
		memmove(p, *end == ',' ? end + 1 : end, len);
	} else {
		p += strlen(buf);
		memmove(p + strlen(value), end, len);
		memcpy(p, value, strlen(value));
	}
	return out;
}

static void
expect_inst_error(const char *json, enum registry_err e, const char *phrase)
{
	static struct registry_inst_rec r;

	ck_assert_msg(inst_dec(json, &r) == e, "%s: %s", json, why);
	ck_assert_msg(strstr(why, phrase) != NULL, "why \"%s\" lacks \"%s\"",
	    why, phrase);
	ck_assert_str_eq(r.name, "");
}

START_TEST(garbage_is_not_json)
{
	expect_inst_error("\x01\xff garbage", REGISTRY_E_JSON, "not JSON");
	expect_inst_error("", REGISTRY_E_JSON, "not JSON");
	expect_inst_error("{\"v\":1", REGISTRY_E_JSON, "ends early");
	expect_inst_error("[1,2]", REGISTRY_E_JSON, "not a JSON object");
	expect_inst_error("{\"v\":1} {}", REGISTRY_E_JSON, "not JSON");
}
END_TEST

START_TEST(missing_or_wrong_v_is_a_version_error)
{
	expect_inst_error(with_member("v", NULL), REGISTRY_E_VERSION,
	    "member \"v\" is missing");
	expect_inst_error(with_member("v", "2"), REGISTRY_E_VERSION,
	    "member \"v\" must be 1");
	expect_inst_error(with_member("v", "\"1\""), REGISTRY_E_VERSION,
	    "must be 1");
	expect_inst_error(with_member("v", "1.0"), REGISTRY_E_VERSION,
	    "must be 1");
}
END_TEST

START_TEST(missing_or_mistyped_member_is_a_member_error)
{
	expect_inst_error(with_member("vrid", NULL), REGISTRY_E_MEMBER,
	    "member \"vrid\" is missing");
	expect_inst_error(with_member("priority", "\"110\""), REGISTRY_E_MEMBER,
	    "member \"priority\" must be an integer");
	expect_inst_error(with_member("priority", "110.5"), REGISTRY_E_MEMBER,
	    "must be an integer");
	expect_inst_error(with_member("parts", "{}"), REGISTRY_E_MEMBER,
	    "member \"parts\" must be an array");
	expect_inst_error(with_member("parts", "[7]"), REGISTRY_E_MEMBER,
	    "member \"parts[0]\" must be an object");
	expect_inst_error(with_member("state", "null"), REGISTRY_E_MEMBER,
	    "member \"state\" is missing");
}
END_TEST

START_TEST(values_out_of_range_are_range_errors_naming_the_member)
{
	char name[80];

	expect_inst_error(with_member("priority", "256"), REGISTRY_E_RANGE,
	    "member \"priority\": 256 is out of range 0..255");
	ck_assert_str_eq(why,
	    "member \"priority\": 256 is out of range 0..255");
	expect_inst_error(with_member("vrid", "0"), REGISTRY_E_RANGE,
	    "member \"vrid\": 0 is out of range 1..255");
	expect_inst_error(with_member("vrid", "99999999999999999999"),
	    REGISTRY_E_RANGE, "out of range 1..255");
	expect_inst_error(with_member("family", "5"), REGISTRY_E_RANGE,
	    "member \"family\": 5 is not 4 or 6");
	expect_inst_error(with_member("master", "\"192.0.2.300\""),
	    REGISTRY_E_RANGE,
	    "member \"master\": \"192.0.2.300\" is not an IP address");
	expect_inst_error(with_member("state", "\"LEADER\""), REGISTRY_E_RANGE,
	    "member \"state\": \"LEADER\" is not a state");
	memset(name, 'x', sizeof(name));
	name[0] = name[65] = '"';
	name[66] = '\0';
	expect_inst_error(with_member("name", name), REGISTRY_E_RANGE,
	    "member \"name\": 64 bytes, longer than 63");
	expect_inst_error(with_member("router_id", "\"..\""), REGISTRY_E_RANGE,
	    "is not a name");
	expect_inst_error(with_member("name", "\"a\\u0000b\""),
	    REGISTRY_E_RANGE, "contains a NUL byte");
	expect_inst_error(with_member("since", "-1"), REGISTRY_E_RANGE,
	    "member \"since\": -1 is out of range");
	expect_inst_error(
	    with_member("subnet", "{\"addr\":\"192.0.2.0\",\"prefix\":33}"),
	    REGISTRY_E_RANGE, "member \"subnet.prefix\": 33 is out of range");
}
END_TEST

START_TEST(nested_errors_name_the_array_entry)
{
	expect_inst_error(with_member("parts",
			      "[{\"kind\":\"check\",\"name\":\"a\",\"up\":true,"
			      "\"value\":0,\"weight\":1,\"reverse\":false,"
			      "\"contrib\":1,\"fault\":false},"
			      "{\"kind\":\"check\",\"name\":\"b\",\"up\":true,"
			      "\"value\":0,\"weight\":300}]"),
	    REGISTRY_E_RANGE,
	    "member \"parts[1].weight\": 300 is out of range");
	expect_inst_error(with_member("parts", "[{\"kind\":\"bgp\"}]"),
	    REGISTRY_E_RANGE, "member \"parts[0].kind\": \"bgp\" is not");
	expect_inst_error(with_member("faults", "[\"x\",\"\"]"),
	    REGISTRY_E_RANGE, "member \"faults[1]\" must not be empty");
	expect_inst_error(with_member("vips", "[{\"addr\":\"2001:db8::1\"}]"),
	    REGISTRY_E_MEMBER, "member \"vips[0].prefix\" is missing");
}
END_TEST

START_TEST(too_many_entries_are_range_errors)
{
	char parts[64 * (REGISTRY_PARTS_MAX + 1)] = "[", *p = parts + 1;

	for (int i = 0; i <= REGISTRY_PARTS_MAX; i++)
		p += sprintf(p, "%s{}", i == 0 ? "" : ",");
	strcat(parts, "]");
	expect_inst_error(with_member("parts", parts), REGISTRY_E_RANGE,
	    "member \"parts\": 33 entries, more than 32");
}
END_TEST

START_TEST(huge_input_is_too_big_unread)
{
	struct registry_node_rec n;
	struct registry_transition t;

	/* Not JSON at all: refused for its size before it is parsed. */
	memset(buf, '{', REGISTRY_RECORD_MAX + 1);
	ck_assert_int_eq(registry_node_decode(buf, REGISTRY_RECORD_MAX + 1, &n,
			     why, sizeof(why)),
	    REGISTRY_E_TOO_BIG);
	ck_assert_str_eq(why, "65537 bytes, more than 65536");
	ck_assert_int_eq(registry_transition_decode(buf,
			     REGISTRY_RECORD_MAX + 1, &t, why, sizeof(why)),
	    REGISTRY_E_TOO_BIG);
}
END_TEST

START_TEST(decode_reads_only_len_bytes)
{
	struct registry_master_rec m;
	const char *s = "{\"v\":1,\"router_id\":\"a\",\"since\":1}garbage";

	ck_assert_int_eq(
	    registry_master_decode(s, strlen(s) - 7, &m, why, sizeof(why)),
	    REGISTRY_OK);
	ck_assert_int_eq(registry_master_decode(s, strlen(s), &m, NULL, 0),
	    REGISTRY_E_JSON);
}
END_TEST

START_TEST(every_error_has_a_name)
{
	for (int e = 0; e < REGISTRY_E_MAX; e++)
		ck_assert_str_ne(registry_strerror(e), "unknown");
	ck_assert_str_eq(registry_strerror(REGISTRY_E_MAX), "unknown");
	ck_assert_str_eq(registry_strerror(REGISTRY_E_RANGE),
	    "value out of range");
}
END_TEST

/* ---- forward compatibility ---- */

START_TEST(unknown_members_are_ignored)
{
	static struct registry_inst_rec want, got;
	const char *json;

	inst_full(&want);
	json = with_member("vrid",
	    "51,\"weight_v2\":{\"x\":[1,2]},\"zone\":\"b\"");
	ck_assert_msg(inst_dec(json, &got) == REGISTRY_OK, "%s", why);
	assert_inst_eq(&want, &got);
	json = with_member("parts",
	    "[{\"kind\":\"check\",\"name\":\"web\",\"up\":true,\"value\":0,"
	    "\"weight\":10,\"reverse\":false,\"contrib\":10,\"fault\":false,"
	    "\"latency_us\":120}]");
	ck_assert_msg(inst_dec(json, &got) == REGISTRY_OK, "%s", why);
	ck_assert_str_eq(got.parts[0].name, "web");
}
END_TEST

/* ---- history ---- */

static struct registry_transition
transition(unsigned int i)
{
	struct registry_transition t = { .time_ms = 1700000000000 + i,
		.from = VRRP_STATE_BACKUP,
		.to = VRRP_STATE_MASTER };

	snprintf(t.router_id, sizeof(t.router_id), "lvs-%u", i % 3);
	snprintf(t.reason, sizeof(t.reason), "%s #%u",
	    vrrp_reason_name(VRRP_RSN_MASTER_DOWN), i);
	return t;
}

START_TEST(history_append_keeps_the_newest_100)
{
	static struct registry_history h;
	struct registry_transition t;

	for (unsigned int i = 0; i < 150; i++) {
		t = transition(i);
		registry_history_append(&h, &t);
		ck_assert_uint_eq(h.n, i < 100 ? i + 1 : 100);
	}
	ck_assert_uint_eq(h.t[0].time_ms, 1700000000050);
	ck_assert_uint_eq(h.t[99].time_ms, 1700000000149);
	ck_assert_str_eq(h.t[99].reason, "master down timer expired #149");
}
END_TEST

START_TEST(every_transition_round_trips)
{
	struct registry_transition in, out;
	int n;

	for (unsigned int i = 0; i < 2 * VRRP_STATE_MAX; i++) {
		in = transition(i);
		in.from = (enum vrrp_state)(i % VRRP_STATE_MAX);
		in.to = (enum vrrp_state)((i + 1) % VRRP_STATE_MAX);
		n = registry_transition_encode(&in, buf, 1024);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(registry_transition_decode(buf, (size_t)n,
				     &out, why, sizeof(why)),
		    REGISTRY_OK);
		ck_assert_int_eq(memcmp(&in, &out, sizeof(in)), 0);
	}
	/* the writer's buffer: a transition at its longest fits in 1 KiB */
	memset(&in, 0, sizeof(in));
	memset(in.router_id, 'r', sizeof(in.router_id) - 1);
	memset(in.reason, '"', sizeof(in.reason) - 1);
	in.time_ms = REGISTRY_TIME_MAX;
	ck_assert_int_gt(registry_transition_encode(&in, buf, 1024), 0);
}
END_TEST

START_TEST(transition_decode_names_the_member)
{
	struct registry_transition t;

	strcpy(buf,
	    "{\"v\":1,\"time\":1,\"from\":\"INIT\",\"to\":"
	    "\"BACKUP\",\"reason\":\"startup\"}");
	ck_assert_int_eq(
	    registry_transition_decode(buf, strlen(buf), &t, why, sizeof(why)),
	    REGISTRY_E_MEMBER);
	ck_assert_str_eq(why, "member \"router_id\" is missing");
	strcpy(buf,
	    "{\"v\":1,\"time\":1,\"router_id\":\"a\",\"from\":"
	    "\"UP\",\"to\":\"BACKUP\",\"reason\":\"\"}");
	ck_assert_int_ne(
	    registry_transition_decode(buf, strlen(buf), &t, why, sizeof(why)),
	    REGISTRY_OK);
	ck_assert_ptr_nonnull(strstr(why, "from"));
}
END_TEST

/* ---- cluster analysis ---- */

#define FLEET_MAX 8

struct fleet {
	struct registry_node_rec nodes[FLEET_MAX];
	const struct registry_node_rec *np[FLEET_MAX];
	struct registry_inst_rec insts[FLEET_MAX];
	const struct registry_inst_rec *ip[FLEET_MAX];
	struct registry_cluster c;
	struct registry_sb_state sb;
	struct registry_report rep;
};

static struct fleet F;

static void
add_node(const char *id)
{
	F.nodes[F.c.nnodes] = node(id);
	F.np[F.c.nnodes] = &F.nodes[F.c.nnodes];
	F.c.nnodes++;
	F.c.nodes = F.np;
}

static struct registry_inst_rec *
add_inst(const char *name, const char *id, enum vrrp_state st, uint8_t prio)
{
	struct registry_inst_rec *r = &F.insts[F.c.ninsts];

	inst_init(r, name, id, st, prio);
	F.ip[F.c.ninsts++] = r;
	F.c.insts = F.ip;
	return r;
}

static void
analyze(uint64_t now_us)
{
	registry_cluster_analyze(&F.c, &F.sb, now_us, &F.rep);
}

static size_t
nflags(enum registry_flag_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < F.rep.nflags; i++)
		n += F.rep.flags[i].kind == kind;
	return n;
}

static const char *
flag_text(enum registry_flag_kind kind)
{
	static char line[256];

	for (size_t i = 0; i < F.rep.nflags; i++)
		if (F.rep.flags[i].kind == kind)
			return registry_flag_format(&F.rep.flags[i], line,
			    sizeof(line));
	return "(none)";
}

/* Two registered nodes, VI_1 MASTER on lvs-a, BACKUP on lvs-b. */
static void
pair(void)
{
	memset(&F, 0, sizeof(F));
	add_node("lvs-b");
	add_node("lvs-a");
	add_inst("VI_1", "lvs-b", VRRP_STATE_BACKUP, 100);
	add_inst("VI_1", "lvs-a", VRRP_STATE_MASTER, 110);
}

START_TEST(preemption_overlap_of_half_a_millisecond_is_not_split_brain)
{
	pair();
	F.insts[0].state = VRRP_STATE_MASTER; /* lvs-b preempts */
	analyze(MS(5000));
	ck_assert_uint_eq(F.rep.nevents, 0);
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_SPLIT_BRAIN), 0);
	ck_assert_uint_eq(F.rep.next_us, MS(5000) + MS(20) + 1);
	F.insts[1].state = VRRP_STATE_BACKUP; /* lvs-a steps down */
	analyze(MS(5000) + 500);
	ck_assert_uint_eq(F.rep.nevents, 0);
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_SPLIT_BRAIN), 0);
	ck_assert_uint_eq(F.sb.n, 0);
	ck_assert_uint_eq(F.rep.next_us, 0);
}
END_TEST

START_TEST(overlap_of_three_intervals_starts_and_ends_once_each)
{
	char line[256];

	pair();
	F.insts[0].state = VRRP_STATE_MASTER;
	analyze(MS(1000));
	analyze(MS(1020)); /* exactly two intervals: not yet */
	ck_assert_uint_eq(F.rep.nevents, 0);
	analyze(MS(1030));
	ck_assert_uint_eq(F.rep.nevents, 1);
	ck_assert_int_eq(F.rep.events[0].edge, REGISTRY_SB_STARTED);
	ck_assert_str_eq(
	    registry_sb_event_format(&F.rep.events[0], line, sizeof(line)),
	    "(VI_1) split brain started: 2 masters for 30 ms");
	ck_assert_str_eq(flag_text(REGISTRY_FLAG_SPLIT_BRAIN),
	    "(VI_1) split brain: MASTER on lvs-a and lvs-b for 30 ms");
	analyze(MS(1040));
	ck_assert_uint_eq(F.rep.nevents, 0);
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_SPLIT_BRAIN), 1);
	F.insts[1].state = VRRP_STATE_BACKUP;
	analyze(MS(1250));
	ck_assert_uint_eq(F.rep.nevents, 1);
	ck_assert_int_eq(F.rep.events[0].edge, REGISTRY_SB_ENDED);
	ck_assert_uint_eq(F.rep.events[0].nmasters, 1);
	ck_assert_str_eq(
	    registry_sb_event_format(&F.rep.events[0], line, sizeof(line)),
	    "(VI_1) split brain ended after 250 ms");
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_SPLIT_BRAIN), 0);
	analyze(MS(1260));
	ck_assert_uint_eq(F.rep.nevents, 0);
}
END_TEST

START_TEST(split_brain_threshold_uses_the_slowest_masters_interval)
{
	pair();
	F.insts[0].state = VRRP_STATE_MASTER;
	F.insts[0].adver_int_cs = 100; /* 1 s adverts on lvs-b */
	analyze(MS(1000));
	analyze(MS(1030));
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_SPLIT_BRAIN), 0);
	ck_assert_uint_eq(F.rep.next_us, MS(3000) + 1);
	analyze(MS(3001));
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_SPLIT_BRAIN), 1);
}
END_TEST

START_TEST(split_brain_ends_when_the_instance_leaves_the_tree)
{
	pair();
	F.insts[0].state = VRRP_STATE_MASTER;
	analyze(MS(0));
	analyze(MS(100));
	ck_assert_uint_eq(F.rep.nevents, 1);
	F.c.ninsts = 0;
	analyze(MS(200));
	ck_assert_uint_eq(F.rep.nevents, 1);
	ck_assert_int_eq(F.rep.events[0].edge, REGISTRY_SB_ENDED);
	ck_assert_uint_eq(F.rep.events[0].nmasters, 0);
	ck_assert_uint_eq(F.sb.n, 0);
}
END_TEST

START_TEST(unregistered_master_is_stale_not_a_split_brain)
{
	struct registry_inst_sum s;

	pair();
	add_inst("VI_1", "lvs-gone", VRRP_STATE_MASTER, 120);
	analyze(MS(0));
	analyze(MS(1000));
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_SPLIT_BRAIN), 0);
	ck_assert_uint_eq(F.rep.nevents, 0);
	ck_assert(registry_cluster_inst(&F.c, 0, &s));
	ck_assert_str_eq(s.name, "VI_1");
	ck_assert_uint_eq(s.n, 3);
	ck_assert_uint_eq(s.nlive, 2);
	ck_assert_uint_eq(s.nmasters, 1);
	ck_assert_str_eq(s.masters[0], "lvs-a");
	ck_assert(registry_cluster_registered(&F.c, 1));  /* lvs-b */
	ck_assert(!registry_cluster_registered(&F.c, 2)); /* lvs-gone */
	ck_assert_str_eq(flag_text(REGISTRY_FLAG_STALE_RECORD),
	    "(VI_1) record of lvs-gone is stale: lvs-gone has no node record");
	ck_assert(!registry_cluster_inst(&F.c, s.first + s.n, &s));
}
END_TEST

START_TEST(two_names_with_one_vrid_on_one_subnet_collide)
{
	pair();
	add_inst("VI_2", "lvs-b", VRRP_STATE_MASTER, 100)->subnet =
	    (struct registry_prefix) { A("192.0.2.77"), 24 };
	analyze(MS(0));
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_VRID_COLLISION), 1);
	ck_assert_str_eq(flag_text(REGISTRY_FLAG_VRID_COLLISION),
	    "(VI_1) VRID 51 collides with VI_2 on 192.0.2.0/24 (lvs-a, lvs-b)");
}
END_TEST

START_TEST(same_vrid_on_other_subnets_does_not_collide)
{
	pair();
	/* The same network address, another prefix length: another LAN. */
	add_inst("VI_2", "lvs-b", VRRP_STATE_MASTER, 100)->subnet =
	    (struct registry_prefix) { A("192.0.2.2"), 25 };
	add_inst("VI_3", "lvs-a", VRRP_STATE_MASTER, 100)->subnet =
	    (struct registry_prefix) { A("198.51.100.1"), 24 };
	add_inst("VI_4", "lvs-a", VRRP_STATE_MASTER, 100)->family = AF_INET6;
	analyze(MS(0));
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_VRID_COLLISION), 0);
	ck_assert_uint_eq(F.rep.nflags, 0);
}
END_TEST

START_TEST(one_name_with_other_vrids_or_vips_is_a_mismatch)
{
	pair();
	F.insts[0].vrid = 52;
	F.insts[0].nvips = 2;
	F.insts[0].vips[1] =
	    (struct registry_vip) { A("192.0.2.11"), 24, false };
	analyze(MS(0));
	ck_assert_str_eq(flag_text(REGISTRY_FLAG_VRID_MISMATCH),
	    "(VI_1) VRID 51 on lvs-a but 52 on lvs-b");
	ck_assert_str_eq(flag_text(REGISTRY_FLAG_VIPS_MISMATCH),
	    "(VI_1) VIPs differ between lvs-a and lvs-b: 192.0.2.11/24 only "
	    "on lvs-b");
	ck_assert_uint_eq(F.rep.nflags, 2);
	pair();
	F.insts[0].vips[0].prefix = 32; /* one address, another prefix */
	analyze(MS(0));
	ck_assert_str_eq(flag_text(REGISTRY_FLAG_VIPS_MISMATCH),
	    "(VI_1) VIPs differ between lvs-a and lvs-b: 192.0.2.10/24 only "
	    "on lvs-a");
}
END_TEST

START_TEST(vip_order_and_presence_do_not_make_a_mismatch)
{
	pair();
	for (int i = 0; i < 2; i++) {
		F.insts[i].nvips = 2;
		F.insts[i].vips[i] =
		    (struct registry_vip) { A("192.0.2.10"), 24, i == 0 };
		F.insts[i].vips[1 - i] =
		    (struct registry_vip) { A("2001:db8::10"), 64, true };
	}
	analyze(MS(0));
	ck_assert_uint_eq(F.rep.nflags, 0);
}
END_TEST

START_TEST(node_without_instance_records_is_silent)
{
	pair();
	add_node("lvs-c");
	analyze(MS(0));
	ck_assert_uint_eq(F.rep.nflags, 1);
	ck_assert_str_eq(flag_text(REGISTRY_FLAG_SILENT_NODE),
	    "node lvs-c is registered but silent: no instance records");
}
END_TEST

static void
failing_web(struct registry_inst_rec *r, uint8_t prio)
{
	r->nparts = 1;
	r->parts[0] = (struct registry_part) { .kind = CONF_TRACK_CHECK,
		.name = "web",
		.weight = 10 };
	r->priority = prio;
}

START_TEST(failing_check_that_still_outranks_every_peer_is_a_weight_trap)
{
	pair();
	failing_web(&F.insts[1], 110); /* lvs-a: base 110, +10 withheld */
	analyze(MS(0));
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_WEIGHT_TRAP), 1);
	ck_assert_str_eq(flag_text(REGISTRY_FLAG_WEIGHT_TRAP),
	    "(VI_1) check web failing on lvs-a leaves 110 > 100 on lvs-b: no "
	    "failover");
}
END_TEST

START_TEST(failing_check_already_below_a_peer_is_no_weight_trap)
{
	pair();
	failing_web(&F.insts[1], 95);
	analyze(MS(0));
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_WEIGHT_TRAP), 0);
	failing_web(&F.insts[1], 100); /* a tie is decided by address */
	analyze(MS(0));
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_WEIGHT_TRAP), 0);
	failing_web(&F.insts[1], 110);
	F.insts[1].parts[0].fault = true; /* weight 0: the node faults */
	analyze(MS(0));
	ck_assert_uint_eq(nflags(REGISTRY_FLAG_WEIGHT_TRAP), 0);
}
END_TEST

START_TEST(every_flag_kind_has_a_name_and_a_line)
{
	struct registry_flag f = { .name = "VI_1", .node = "a" };
	char line[256];

	for (int k = 0; k < REGISTRY_FLAG_MAX; k++) {
		f.kind = (enum registry_flag_kind)k;
		ck_assert_str_ne(registry_flag_kind_name(f.kind), "unknown");
		registry_flag_format(&f, line, sizeof(line));
		ck_assert_msg(strstr(line,
				  k == REGISTRY_FLAG_SILENT_NODE ?
				      "node a" :
				      "(VI_1) ") == line,
		    "%s", line);
	}
	f.kind = REGISTRY_FLAG_SPLIT_BRAIN;
	f.nmasters = 3;
	snprintf(f.other_node, sizeof(f.other_node), "b");
	ck_assert_str_eq(registry_flag_format(&f, line, sizeof(line)),
	    "(VI_1) split brain: MASTER on a, b and 1 more for 0 ms");
}
END_TEST

START_TEST(names_with_a_slash_or_dots_are_not_valid)
{
	ck_assert(registry_name_valid("lvs-a"));
	ck_assert(registry_name_valid("..."));
	ck_assert(!registry_name_valid(""));
	ck_assert(!registry_name_valid("."));
	ck_assert(!registry_name_valid(".."));
	ck_assert(!registry_name_valid("a/b"));
}
END_TEST

static Suite *
registry_suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc;

	tc = tcase_create("records");
	tcase_add_test(tc, node_record_round_trips_every_field);
	tcase_add_test(tc, inst_record_round_trips_every_field);
	tcase_add_test(tc, absent_subnet_and_master_round_trip_as_absent);
	tcase_add_test(tc, master_record_round_trips);
	tcase_add_test(tc, hand_written_record_decodes_as_the_header_shows);
	tcase_add_test(tc, largest_inst_record_fits_the_record_bound);
	tcase_add_test(tc, encode_refuses_a_small_buffer_and_bad_values);
	tcase_add_test(tc, set_faults_names_each_bit_in_enum_order);
	tcase_add_test(tc, names_with_a_slash_or_dots_are_not_valid);
	suite_add_tcase(s, tc);
	tc = tcase_create("decode errors");
	tcase_add_test(tc, garbage_is_not_json);
	tcase_add_test(tc, missing_or_wrong_v_is_a_version_error);
	tcase_add_test(tc, missing_or_mistyped_member_is_a_member_error);
	tcase_add_test(tc,
	    values_out_of_range_are_range_errors_naming_the_member);
	tcase_add_test(tc, nested_errors_name_the_array_entry);
	tcase_add_test(tc, too_many_entries_are_range_errors);
	tcase_add_test(tc, huge_input_is_too_big_unread);
	tcase_add_test(tc, decode_reads_only_len_bytes);
	tcase_add_test(tc, every_error_has_a_name);
	suite_add_tcase(s, tc);
	tc = tcase_create("forward compatibility");
	tcase_add_test(tc, unknown_members_are_ignored);
	suite_add_tcase(s, tc);
	tc = tcase_create("history");
	tcase_add_test(tc, history_append_keeps_the_newest_100);
	tcase_add_test(tc, every_transition_round_trips);
	tcase_add_test(tc, transition_decode_names_the_member);
	suite_add_tcase(s, tc);
	tc = tcase_create("split brain");
	tcase_add_test(tc,
	    preemption_overlap_of_half_a_millisecond_is_not_split_brain);
	tcase_add_test(tc,
	    overlap_of_three_intervals_starts_and_ends_once_each);
	tcase_add_test(tc,
	    split_brain_threshold_uses_the_slowest_masters_interval);
	tcase_add_test(tc, split_brain_ends_when_the_instance_leaves_the_tree);
	tcase_add_test(tc, unregistered_master_is_stale_not_a_split_brain);
	suite_add_tcase(s, tc);
	tc = tcase_create("collisions");
	tcase_add_test(tc, two_names_with_one_vrid_on_one_subnet_collide);
	tcase_add_test(tc, same_vrid_on_other_subnets_does_not_collide);
	tcase_add_test(tc, one_name_with_other_vrids_or_vips_is_a_mismatch);
	tcase_add_test(tc, vip_order_and_presence_do_not_make_a_mismatch);
	suite_add_tcase(s, tc);
	tc = tcase_create("fleet");
	tcase_add_test(tc, node_without_instance_records_is_silent);
	tcase_add_test(tc,
	    failing_check_that_still_outranks_every_peer_is_a_weight_trap);
	tcase_add_test(tc,
	    failing_check_already_below_a_peer_is_no_weight_trap);
	tcase_add_test(tc, every_flag_kind_has_a_name_and_a_line);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(registry_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
