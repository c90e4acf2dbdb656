/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Golden configuration files, both syntaxes (tests run from the repo root):
 *   tests/conf/good/NAME.{conf,yaml}  load without errors; the diags printed
 *       (warnings) equal NAME.*.expect when it exists; dumped as YAML and
 *       read back, the model is equal (the migration round trip).
 *   tests/conf/bad/NAME.{conf,yaml}   load with errors; the diags printed
 *       equal NAME.*.expect exactly, file:line:column included.
 * A first line "# vrrpd-test: -P -i ID" gives load options.
 * Also the files the configuration points at: the registry's auth_file
 * (conf_registry_auth_read, and --check-live), in a temporary directory.
 */

#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- registry auth_file ---- */

static char tmpdir[64];

static void
auth_setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vrrpd-auth.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
auth_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* tmpdir/auth with len bytes of text and the mode; returns its path. */
static const char *
auth_file(const char *text, size_t len, mode_t mode)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/auth", tmpdir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

#define U64	 "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu"
#define P64	 "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
#define P256	 P64 P64 P64 P64
#define WHY_LINE "expected one line user:password"
#define WHY_MODE(m) \
	"mode " m " lets other users read the password; chmod 600 it"

/* The file's bytes and mode; the ident read, or the reason refused. */
static const struct {
	const char *text;
	size_t len; /* 0: strlen(text) */
	mode_t mode;
	const char *ident, *why;
} auth_cases[] = {
	{ "vrrpd:s3cret\n", 0, 0600, "vrrpd:s3cret", NULL },
	{ "vrrpd:s3cret", 0, 0600, "vrrpd:s3cret", NULL },
	{ "vrrpd:pass word:with colon\n", 0, 0400, "vrrpd:pass word:with colon",
	    NULL },
	{ U64 ":" P256 "\n", 0, 0600, U64 ":" P256, NULL },
	{ "vrrpd:s3cret\n", 0, 0644, NULL, WHY_MODE("0644") },
	{ "vrrpd:s3cret\n", 0, 0640, NULL, WHY_MODE("0640") },
	{ "vrrpd:s3cret\n", 0, 0604, NULL, WHY_MODE("0604") },
	{ "", 0, 0600, NULL, "empty; " WHY_LINE },
	{ "vrrpd:s3cret\nother:line\n", 0, 0600, NULL,
	    "more than one line; " WHY_LINE },
	{ "vrrpd:s3cret\n\n", 0, 0600, NULL, "more than one line; " WHY_LINE },
	{ "vrrpd s3cret\n", 0, 0600, NULL, "no ':' between user and password" },
	{ ":s3cret\n", 0, 0600, NULL, "the user must be 1..64 bytes" },
	{ U64 "u:s3cret\n", 0, 0600, NULL, "the user must be 1..64 bytes" },
	{ "vr rpd:s3cret\n", 0, 0600, NULL, "the user contains whitespace" },
	{ "vrrpd:\n", 0, 0600, NULL, "the password must be 1..256 bytes" },
	{ "vrrpd:" P256 "p\n", 0, 0600, NULL,
	    "the password must be 1..256 bytes" },
	{ U64 ":" P256 "pp", 0, 0600, NULL,
	    "longer than 322 bytes; " WHY_LINE
	    " (user 1..64, password 1..256 bytes)" },
	{ "vrrpd:s3\0cret\n", 14, 0600, NULL, "contains a NUL byte" },
};

START_TEST(auth_file_contents_and_mode)
{
	const char *text = auth_cases[_i].text;
	size_t len =
	    auth_cases[_i].len != 0 ? auth_cases[_i].len : strlen(text);
	const char *path = auth_file(text, len, auth_cases[_i].mode);
	char ident[CONF_REGISTRY_IDENT_SIZE] = "junk", why[256] = "junk";
	int rc = conf_registry_auth_read(path, ident, sizeof(ident), why,
	    sizeof(why));

	if (auth_cases[_i].ident != NULL) {
		ck_assert_msg(rc == 0, "refused: %s", why);
		ck_assert_str_eq(ident, auth_cases[_i].ident);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(why, auth_cases[_i].why);
		ck_assert_str_eq(ident, "");
	}
}
END_TEST

START_TEST(auth_file_must_be_a_regular_file_that_exists)
{
	char ident[CONF_REGISTRY_IDENT_SIZE], why[256], path[128];

	snprintf(path, sizeof(path), "%s/missing", tmpdir);
	ck_assert_int_eq(conf_registry_auth_read(path, ident, sizeof(ident),
			     why, sizeof(why)),
	    -1);
	ck_assert_str_eq(why, "cannot open it: No such file or directory");
	ck_assert_int_eq(conf_registry_auth_read(tmpdir, ident, sizeof(ident),
			     why, sizeof(why)),
	    -1);
	ck_assert_str_eq(why, "not a regular file");
	/* a FIFO with no writer: refused, not waited on */
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(conf_registry_auth_read(path, ident, sizeof(ident),
			     why, sizeof(why)),
	    -1);
	ck_assert_str_eq(why, "not a regular file");
}
END_TEST

START_TEST(auth_file_owned_by_another_user_is_refused)
{
	const char *path = auth_file("vrrpd:s3cret\n", 13, 0600);
	char ident[CONF_REGISTRY_IDENT_SIZE], why[256], want[256];

	if (geteuid() != 0)
		return; /* only root can give a file away */
	ck_assert_int_eq(chown(path, 4242, 4242), 0);
	ck_assert_int_eq(conf_registry_auth_read(path, ident, sizeof(ident),
			     why, sizeof(why)),
	    -1);
	snprintf(want, sizeof(want),
	    "owned by uid 4242; it must belong to root or to uid %u, the user "
	    "vrrpd runs as",
	    (unsigned int)geteuid());
	ck_assert_str_eq(why, want);
}
END_TEST

START_TEST(auth_file_ident_buffer_too_small_is_an_error)
{
	const char *path = auth_file("vrrpd:s3cret\n", 13, 0600);
	char ident[8], why[64];

	ck_assert_int_eq(conf_registry_auth_read(path, ident, sizeof(ident),
			     why, sizeof(why)),
	    -1);
	ck_assert_str_eq(why, "user:password does not fit in 8 bytes");
	ck_assert_str_eq(ident, "");
}
END_TEST

/* vrrpd -t --check-live reads the file; a plain -t does not. */
START_TEST(check_live_reads_the_auth_file)
{
	static const char fmt[] = "registry:\n  servers: 192.0.2.10:2181\n"
				  "  auth_file: %s\n";
	struct conf_opts live = { .check_live = true };
	char text[256], want[512], *got;
	const char *path = auth_file("vrrpd:s3cret\n", 13, 0644);
	struct conf *conf;

	snprintf(text, sizeof(text), fmt, path);
	conf = conf_load_mem("x.yaml", text, strlen(text), NULL);
	ck_assert_uint_eq(conf->ndiags, 0);
	conf_free(conf);
	conf = conf_load_mem("x.yaml", text, strlen(text), &live);
	got = diags_text(conf);
	snprintf(want, sizeof(want),
	    "x.yaml:1:1: error: registry auth_file %s: " WHY_MODE("0644") "\n",
	    path);
	ck_assert_str_eq(got, want);
	free(got);
	conf_free(conf);
	ck_assert_int_eq(chmod(path, 0600), 0);
	conf = conf_load_mem("x.yaml", text, strlen(text), &live);
	ck_assert_uint_eq(conf->ndiags, 0);
	conf_free(conf);
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
	tc = tcase_create("registry_auth");
	tcase_add_checked_fixture(tc, auth_setup, auth_teardown);
	tcase_add_loop_test(tc, auth_file_contents_and_mode, 0,
	    sizeof(auth_cases) / sizeof(auth_cases[0]));
	tcase_add_test(tc, auth_file_must_be_a_regular_file_that_exists);
	tcase_add_test(tc, auth_file_owned_by_another_user_is_refused);
	tcase_add_test(tc, auth_file_ident_buffer_too_small_is_an_error);
	tcase_add_test(tc, check_live_reads_the_auth_file);
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
