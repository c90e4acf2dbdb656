/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the native YAML front end and the YAML emitter. Any
 * input must load without a crash. Whatever loads without errors must dump,
 * read back without errors and give an equal model; so must whatever only
 * parses and finishes without errors (models the validator would refuse,
 * which the dump must carry just as well). Anything else abort()s.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct conf *load_fn(const char *, const char *, size_t);

static struct conf *
load_validated(const char *name, const char *buf, size_t len)
{
	return conf_load_mem(name, buf, len, NULL);
}

static struct conf *
load_unvalidated(const char *name, const char *buf, size_t len)
{
	struct conf *conf = conf_new(CONF_FMT_YAML);

	if (conf == NULL)
		abort();
	conf_parse_yaml(conf, name, buf, len);
	conf_finish(conf);
	return conf;
}

static void
round_trip(const uint8_t *data, size_t size, load_fn *load)
{
	struct conf *conf, *back;
	char *yaml = NULL;
	size_t len = 0;
	FILE *f;

	conf = load("fuzz.yaml", (const char *)data, size);
	if (conf == NULL)
		abort();
	if (conf->nerrors != 0) {
		conf_free(conf);
		return;
	}
	if ((f = open_memstream(&yaml, &len)) == NULL)
		abort();
	if (conf_emit_yaml(conf, f) != 0)
		abort();
	fclose(f);
	back = load("dump.yaml", yaml, len);
	if (back == NULL || back->nerrors != 0 || !conf_equal(conf, back))
		abort();
	conf_free(back);
	conf_free(conf);
	free(yaml);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	round_trip(data, size, load_validated);
	round_trip(data, size, load_unvalidated);
	return 0;
}
