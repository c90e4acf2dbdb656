/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Golden configuration files, both syntaxes (tests run from the repo root):
 *   tests/conf/good/NAME.{conf,yaml}  load without errors; the diags printed
 *       (warnings) equal NAME.*.expect when it exists; dumped as YAML and
 *       read back, the model is equal (the migration round trip).
 *   tests/conf/bad/NAME.{conf,yaml}   load with errors; the diags printed
 *       equal NAME.*.expect exactly, file:line:column included.
 * A first line "# vrrpd-test: -P -i ID" gives load options.
 */

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "conf_test.h"

#define GOOD	  "tests/conf/good"
#define BAD	  "tests/conf/bad"
#define MAX_FILES 256

static char *good[MAX_FILES], *bad[MAX_FILES];
static int ngood, nbad;

static bool
is_conf(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot != NULL &&
	    (strcmp(dot, ".conf") == 0 || strcmp(dot, ".yaml") == 0 ||
		strcmp(dot, ".yml") == 0);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
list(const char *dir, char **out)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < MAX_FILES)
		if (de->d_type == DT_REG && is_conf(de->d_name) &&
		    asprintf(&out[n], "%s/%s", dir, de->d_name) > 0)
			n++;
	closedir(d);
	qsort(out, (size_t)n, sizeof(*out), by_name);
	return n;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (f == NULL)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

/* Options from a first line "# vrrpd-test: -P -i ID". */
static void
options(const char *path, struct conf_opts *opts, char *id, size_t idsize)
{
	char *text = slurp(path), *p;

	memset(opts, 0, sizeof(*opts));
	opts->config_id = "vrrpd-test";
	if (text == NULL || strncmp(text, "# vrrpd-test:", 13) != 0) {
		free(text);
		return;
	}
	*strchrnul(text, '\n') = '\0';
	opts->lvs_elsewhere = strstr(text, " -P") != NULL;
	if ((p = strstr(text, " -i ")) != NULL) {
		snprintf(id, idsize, "%s", p + 4);
		*strchrnul(id, ' ') = '\0';
		opts->config_id = id;
	}
	free(text);
}

static void
compare_expect(const char *path, const struct conf *conf, bool required)
{
	char *exp_path, *want, *got = diags_text(conf);

	ck_assert_int_gt(asprintf(&exp_path, "%s.expect", path), 0);
	want = slurp(exp_path);
	if (want == NULL && !required) {
		ck_assert_msg(conf->ndiags == 0, "%s: diags but no %s:\n%s",
		    path, exp_path, got);
	} else {
		ck_assert_msg(want != NULL, "%s: missing", exp_path);
		ck_assert_msg(strcmp(want, got) == 0,
		    "%s: diags differ\n--- expected\n%s--- got\n%s", path, want,
		    got);
	}
	free(want);
	free(got);
	free(exp_path);
}

static struct conf *
load(const char *path)
{
	struct conf_opts opts;
	char id[64];
	struct conf *conf;

	options(path, &opts, id, sizeof(id));
	conf = conf_load_file(path, &opts);
	ck_assert_ptr_nonnull(conf);
	return conf;
}

/* keepalived.conf -> YAML -> model: nothing may change on the way. */
static void
round_trip(const char *path, const struct conf *conf)
{
	char *yaml = emit(conf), *got;
	struct conf *back =
	    conf_load_mem("roundtrip.yaml", yaml, strlen(yaml), NULL);

	got = diags_text(back);
	ck_assert_msg(back->nerrors == 0,
	    "%s: dumped YAML does not load:\n%s\n%s", path, got, yaml);
	ck_assert_msg(conf_equal(conf, back),
	    "%s: dumped YAML loads as a different model:\n%s", path, yaml);
	free(got);
	free(yaml);
	conf_free(back);
}

START_TEST(good_file_loads_and_round_trips)
{
	const char *path = good[_i];
	struct conf *conf = load(path);
	char *got = diags_text(conf);

	ck_assert_msg(conf->nerrors == 0, "%s: errors:\n%s", path, got);
	free(got);
	compare_expect(path, conf, false);
	round_trip(path, conf);
	conf_free(conf);
}
END_TEST

START_TEST(bad_file_reports_every_error_with_location)
{
	const char *path = bad[_i];
	struct conf *conf = load(path);

	ck_assert_msg(conf->nerrors > 0, "%s: loaded without errors", path);
	compare_expect(path, conf, true);
	conf_free(conf);
}
END_TEST

/* The examples in conf/ that the README points operators to. */
START_TEST(shipped_examples_load_cleanly_and_round_trip)
{
	static const struct {
		const char *path, *id;
	} ex[] = {
		{ "conf/vrrpd.yaml", NULL },
		{ "conf/keepalived.conf", "lvs-a" },
		{ "conf/keepalived.conf", "lvs-b" },
	};

	for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		struct conf_opts opts = { .config_id = ex[i].id };
		struct conf *conf = conf_load_file(ex[i].path, &opts);
		char *got = diags_text(conf);

		ck_assert_msg(conf->ndiags == 0, "%s (-i %s):\n%s", ex[i].path,
		    ex[i].id, got);
		round_trip(ex[i].path, conf);
		free(got);
		conf_free(conf);
	}
}
END_TEST

START_TEST(corpus_is_present)
{
	ck_assert_msg(ngood >= 4, "only %d files in " GOOD, ngood);
	ck_assert_msg(nbad >= 8, "only %d files in " BAD, nbad);
}
END_TEST

static Suite *
files_suite(void)
{
	Suite *s = suite_create("conf_files");
	TCase *tc;

	ngood = list(GOOD, good);
	nbad = list(BAD, bad);
	tc = tcase_create("corpus");
	tcase_add_test(tc, corpus_is_present);
	tcase_add_test(tc, shipped_examples_load_cleanly_and_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("good");
	tcase_add_loop_test(tc, good_file_loads_and_round_trips, 0, ngood);
	suite_add_tcase(s, tc);
	tc = tcase_create("bad");
	tcase_add_loop_test(tc, bad_file_reports_every_error_with_location, 0,
	    nbad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(files_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (int i = 0; i < ngood; i++)
		free(good[i]);
	for (int i = 0; i < nbad; i++)
		free(bad[i]);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
