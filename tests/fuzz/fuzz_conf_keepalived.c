/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the keepalived.conf front end (tokenizer,
 * preprocessor, keyword tables, finish, validation): nothing may crash,
 * leak or hang, and a file that loads cleanly must survive the migration
 * round trip (dump as YAML, read back, same model).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_opts opts = { .config_id = "fuzz", .lvs_elsewhere = true };
	struct conf *conf, *back;
	char *yaml = NULL;
	size_t len = 0;
	FILE *f;

	/* A name in a directory of its own: relative includes find nothing. */
	conf = conf_load_mem("/nonexistent/fuzz.conf", (const char *)data, size,
	    &opts);
	if (conf == NULL || conf->nerrors != 0) {
		conf_free(conf);
		return 0;
	}
	if ((f = open_memstream(&yaml, &len)) == NULL)
		abort();
	if (conf_emit_yaml(conf, f) != 0)
		abort();
	fclose(f);
	back = conf_load_mem("fuzz.yaml", yaml, len, NULL);
	if (back == NULL || back->nerrors != 0 || !conf_equal(conf, back)) {
		fprintf(stderr, "round trip broken:\n%s\n", yaml);
		if (back != NULL)
			conf_print_diags(back, stderr);
		abort();
	}
	conf_free(back);
	conf_free(conf);
	free(yaml);
	return 0;
}
