/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpd: command line entry point. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/conf.h"
#include "vrrpd/daemon.h"

#define DEFAULT_CONF "/etc/keepalived/keepalived.conf"

enum {
	OPT_DUMP_CONFIG = 256,
	OPT_FORMAT,
	OPT_CHECK_LIVE,
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vrrpd [-hPtV] [-f FILE] [-i ID] [--format yaml|keepalived]\n"
	    "             [--check-live] [--dump-config]\n"
	    "  -f, --use-file FILE   configuration (default " DEFAULT_CONF ")\n"
	    "  -t, --config-test     check the configuration and exit\n"
	    "      --dump-config     print the configuration as YAML and exit\n"
	    "      --format FMT      yaml or keepalived (default: by extension)\n"
	    "      --check-live      also check interfaces on this host\n"
	    "  -i, --config-id ID    keepalived @ID lines (default: hostname)\n"
	    "  -P, --vrrp            LVS is handled elsewhere: skip "
	    "virtual_server\n"
	    "  -h, --help            this text\n"
	    "  -V, --version         print the version and exit\n");
}

struct args {
	const char *file;
	struct conf_opts opts;
	bool test;
	bool dump;
};

static int
parse_format(const char *s, enum conf_format *out)
{
	if (strcmp(s, "yaml") == 0)
		*out = CONF_FMT_YAML;
	else if (strcmp(s, "keepalived") == 0)
		*out = CONF_FMT_KEEPALIVED;
	else
		return -1;
	return 0;
}

/* Returns -1 to continue, or the exit status. */
static int
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{ "use-file", required_argument, NULL, 'f' },
		{ "config-test", no_argument, NULL, 't' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "vrrp", no_argument, NULL, 'P' },
		{ "dump-config", no_argument, NULL, OPT_DUMP_CONFIG },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "check-live", no_argument, NULL, OPT_CHECK_LIVE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	a->file = DEFAULT_CONF;
	while (
	    (ch = getopt_long(argc, argv, "f:ti:PhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			a->file = optarg;
			break;
		case 't':
			a->test = true;
			break;
		case 'i':
			a->opts.config_id = optarg;
			break;
		case 'P':
			a->opts.lvs_elsewhere = true;
			break;
		case OPT_DUMP_CONFIG:
			a->dump = true;
			break;
		case OPT_FORMAT:
			if (parse_format(optarg, &a->opts.format) != 0) {
				fprintf(stderr,
				    "vrrpd: --format: expected "
				    "yaml or keepalived, got %s\n",
				    optarg);
				return EXIT_FAILURE;
			}
			break;
		case OPT_CHECK_LIVE:
			a->opts.check_live = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("vrrpd %s\n", VRRPD_VERSION);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_FAILURE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vrrpd: unexpected argument %s\n",
		    argv[optind]);
		return EXIT_FAILURE;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	struct args a = { 0 };
	struct conf *conf;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	if ((conf = conf_load_file(a.file, &a.opts)) == NULL) {
		fprintf(stderr, "vrrpd: out of memory\n");
		return EXIT_FAILURE;
	}
	rc = conf_print_diags(conf, stderr) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	if (rc == EXIT_SUCCESS && a.dump && conf_emit_yaml(conf, stdout) != 0) {
		fprintf(stderr, "vrrpd: cannot write the YAML output\n");
		rc = EXIT_FAILURE;
	}
	if (rc == EXIT_SUCCESS && a.test)
		fprintf(stderr, "%s: configuration OK\n", a.file);
	conf_free(conf);
	if (a.test || a.dump || rc != EXIT_SUCCESS)
		return rc;
	/* The protocol core and configuration exist; the loop comes with #4. */
	fprintf(stderr,
	    "vrrpd %s: the daemon does not run yet (issue #4); use -t to "
	    "check a configuration\n",
	    VRRPD_VERSION);
	return EXIT_FAILURE;
}
