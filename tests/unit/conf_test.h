/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers the configuration test suites share (static inline: unused ones
 * cost nothing). */

#ifndef VRRPD_TESTS_CONF_TEST_H
#define VRRPD_TESTS_CONF_TEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

/* Every diag as conf_print_diags() prints it; the caller frees. */
static inline char *
diags_text(const struct conf *conf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	conf_print_diags(conf, f);
	fclose(f);
	return buf;
}

/* The model as YAML (the --dump-config output); the caller frees. */
static inline char *
emit(const struct conf *conf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(conf_emit_yaml(conf, f), 0);
	fclose(f);
	return buf;
}

static inline const struct conf_instance *
instance(const struct conf *conf, const char *name)
{
	for (size_t i = 0; i < conf->ninstances; i++)
		if (strcmp(conf->instances[i].name, name) == 0)
			return &conf->instances[i];
	ck_abort_msg("no instance %s", name);
	return NULL;
}

static inline void
assert_addr(const struct addr *a, const char *text)
{
	char buf[ADDR_STRLEN];

	ck_assert_str_eq(addr_fmt(a, buf, sizeof(buf)), text);
}

#endif /* VRRPD_TESTS_CONF_TEST_H */
