/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * use_vmac in both front ends (conf/vmac.c): keepalived's names and MACs,
 * the corrections keepalived makes (unicast needs vmac_xmit_base, strict
 * mode drops it) as warnings, clashing names as errors, and the YAML that
 * --dump-config writes loading back to the same VMACs.
 */

#include "conf_test.h"

static struct conf *
load(const char *name, const char *text)
{
	struct conf *conf = conf_load_mem(name, text, strlen(text), NULL);

	ck_assert_ptr_nonnull(conf);
	return conf;
}

static bool
has(const struct conf *conf, const char *what)
{
	char *d = diags_text(conf);
	bool found = strstr(d, what) != NULL;

	free(d);
	return found;
}

static void
assert_mac(const struct conf_vmac *v, const char *text)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0],
	    v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
	ck_assert_str_eq(buf, text);
}

#define INST(name, ifname, vrid, extra, vip)                    \
	"vrrp_instance " name " {\n interface " ifname          \
	"\n virtual_router_id " vrid "\n priority 100\n " extra \
	"\n virtual_ipaddress { " vip " }\n}\n"

START_TEST(names_and_macs_as_keepalived_derives_them)
{
	/* vrrp.51 taken: IPv6 tries vrrp6 first, IPv4 vrrp1; names written
	 * elsewhere are never derived again */
	struct conf *c = load("k.conf",
	    INST("A", "eth0", "51", "use_vmac", "192.0.2.10/24") INST("B",
		"eth0", "51", "use_vmac", "2001:db8::10/64") INST("C", "eth1",
		"51", "use_vmac", "192.0.2.11/24") INST("D", "eth1", "52",
		"use_vmac vrrp1.51x", "192.0.2.12/24") INST("E", "eth2", "53",
		"use_vmac vm53 02:11:22:33:44", "192.0.2.13/24") INST("F",
		"eth2", "54", "use_vmac 02:11:22:33:44:55", "192.0.2.14/24"));

	ck_assert_uint_eq(c->nerrors, 0);
	ck_assert_str_eq(instance(c, "A")->vmac.name, "vrrp.51");
	assert_mac(&instance(c, "A")->vmac, "00:00:5e:00:01:33");
	ck_assert_str_eq(instance(c, "B")->vmac.name, "vrrp6.51");
	assert_mac(&instance(c, "B")->vmac, "00:00:5e:00:02:33");
	ck_assert_str_eq(instance(c, "C")->vmac.name, "vrrp1.51");
	ck_assert_str_eq(instance(c, "D")->vmac.name, "vrrp1.51x");
	/* five octets: the VRID is the sixth */
	ck_assert_str_eq(instance(c, "E")->vmac.name, "vm53");
	assert_mac(&instance(c, "E")->vmac, "02:11:22:33:44:35");
	ck_assert_str_eq(instance(c, "F")->vmac.name, "vrrp.54");
	assert_mac(&instance(c, "F")->vmac, "02:11:22:33:44:55");
	ck_assert(!instance(c, "A")->vmac.xmit_base);
	conf_free(c);
}
END_TEST

START_TEST(vmac_prefix_names_them)
{
	struct conf *c = load("k.conf",
	    "global_defs {\n vmac_prefix lb\n}\n" INST("A", "eth0", "7",
		"use_vmac", "192.0.2.10/24"));

	ck_assert_uint_eq(c->nerrors, 0);
	ck_assert_str_eq(instance(c, "A")->vmac.name, "lb.7");
	conf_free(c);
}
END_TEST

START_TEST(keepalived_corrections_are_warnings)
{
	struct conf *c = load("k.conf",
	    INST("U", "eth0", "51", "use_vmac\n unicast_peer { 192.0.2.2 }",
		"192.0.2.10/24") INST("S", "eth0", "52",
		"use_vmac\n vmac_xmit_base\n strict_mode on\n "
		"accept\n",
		"192.0.2.11/24") INST("R", "eth0", "53",
		"use_vmac 00:00:5e:00:01:07", "192.0.2.12/24"));

	ck_assert_msg(c->nerrors == 0, "%s", diags_text(c));
	ck_assert(instance(c, "U")->vmac.xmit_base);
	ck_assert(has(c, "unicast with use_vmac requires vmac_xmit_base"));
	ck_assert(!instance(c, "S")->vmac.xmit_base);
	ck_assert(has(c, "strict mode does not allow vmac_xmit_base"));
	/* an RFC 5798 MAC may not be written: the RFC's own for the VRID */
	assert_mac(&instance(c, "R")->vmac, "00:00:5e:00:01:35");
	ck_assert(has(c, "may not be an RFC 5798 address"));
	conf_free(c);
}
END_TEST

START_TEST(clashing_or_bad_names_and_macs_are_errors)
{
	struct conf *c = load("k.conf",
	    INST("A", "eth0", "51", "use_vmac vm", "192.0.2.10/24")
		INST("B", "eth0", "52", "use_vmac vm", "192.0.2.11/24")
		    INST("C", "eth0", "53", "use_vmac eth0", "192.0.2.12/24")
			INST("D", "eth0", "54", "use_vmac 02:zz:00:00:00:01",
			    "192.0.2.13/24"));

	ck_assert(has(c, "VMAC interface vm is already instance A's"));
	ck_assert(has(c, "VMAC interface eth0 is the interface of instance"));
	ck_assert(has(c, "\"02:zz:00:00:00:01\" is not a MAC address"));
	conf_free(c);
}
END_TEST

START_TEST(yaml_vmac_and_the_dump_round_trip)
{
	static const char y[] = "instances:\n"
				"  A:\n"
				"    interface: eth0\n"
				"    vrid: 9\n"
				"    priority: 100\n"
				"    virtual_ipaddress: [192.0.2.10/24]\n"
				"    vmac: {}\n"
				"  B:\n"
				"    interface: eth0\n"
				"    vrid: 10\n"
				"    priority: 100\n"
				"    virtual_ipaddress: [192.0.2.11/24]\n"
				"    vmac:\n"
				"      name: lb10\n"
				"      address: '02:00:00:00:0a'\n"
				"      xmit_base: true\n";
	struct conf *c = load("x.yaml", y), *k, *back;
	char *out;

	ck_assert_msg(c->ndiags == 0, "%s", diags_text(c));
	ck_assert_str_eq(instance(c, "A")->vmac.name, "vrrp.9");
	ck_assert_str_eq(instance(c, "B")->vmac.name, "lb10");
	assert_mac(&instance(c, "B")->vmac, "02:00:00:00:0a:0a");
	ck_assert(instance(c, "B")->vmac.xmit_base);
	/* keepalived.conf -> YAML -> the same VMACs */
	k = load("k.conf",
	    INST("E", "eth2", "53",
		"use_vmac vm53 02:11:22:33:44\n "
		"vmac_xmit_base",
		"192.0.2.13/24")
		INST("F", "eth2", "54", "use_vmac", "192.0.2.14/24"));
	out = emit(k);
	back = load("x.yaml", out);
	ck_assert_msg(back->nerrors == 0, "%s", out);
	for (size_t i = 0; i < k->ninstances; i++)
		ck_assert(
		    conf_instance_equal(&k->instances[i], &back->instances[i]));
	free(out);
	conf_free(back);
	conf_free(k);
	/* no interface: nothing to make the macvlan on */
	conf_free(c);
	c = load("x.yaml",
	    "instances:\n  A:\n    vrid: 9\n    priority: 100\n"
	    "    unicast_peers: [192.0.2.2]\n"
	    "    virtual_ipaddress: [192.0.2.10/24 dev eth0]\n"
	    "    vmac: {}\n");
	ck_assert(has(c, "use_vmac needs the instance's interface"));
	conf_free(c);
}
END_TEST

static Suite *
vmac_suite(void)
{
	Suite *s = suite_create("conf_vmac");
	TCase *tc = tcase_create("vmac");

	tcase_add_test(tc, names_and_macs_as_keepalived_derives_them);
	tcase_add_test(tc, vmac_prefix_names_them);
	tcase_add_test(tc, keepalived_corrections_are_warnings);
	tcase_add_test(tc, clashing_or_bad_names_and_macs_are_errors);
	tcase_add_test(tc, yaml_vmac_and_the_dump_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vmac_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
