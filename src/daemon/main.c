/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpd: command line entry point. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>
#include <signal.h>

#include "vrrpd/conf.h"
#include "vrrpd/daemon.h"
#include "vrrpd/log.h"
#include "vrrpd/vrrp_instance.h"

#define DEFAULT_CONF "/etc/keepalived/keepalived.conf"

enum {
	OPT_DEBUG = 255,
	OPT_DUMP_CONFIG = 256,
	OPT_FORMAT,
	OPT_CHECK_LIVE,
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vrrpd [-hlnPtVD] [-f FILE] [-i ID] [--format yaml|keepalived]\n"
	    "             [--check-live] [--dump-config] [--debug LIST]\n"
	    "  -f, --use-file FILE   configuration (default " DEFAULT_CONF ")\n"
	    "  -t, --config-test     check the configuration and exit\n"
	    "      --dump-config     print the configuration as YAML and exit\n"
	    "      --format FMT      yaml or keepalived (default: by extension)\n"
	    "      --check-live      also check interfaces on this host\n"
	    "  -i, --config-id ID    keepalived @ID lines (default: hostname)\n"
	    "  -P, --vrrp            LVS is handled elsewhere: skip "
	    "virtual_server\n"
	    "      --debug LIST      debug categories: pkt,fsm,net,conf,all\n"
	    "  -n, -l, -D            keepalived's flags, accepted: vrrpd runs "
	    "in the\n"
	    "                        foreground and logs to stderr\n"
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
		{ "debug", required_argument, NULL, OPT_DEBUG },
		{ "dont-fork", no_argument, NULL, 'n' },
		{ "log-console", no_argument, NULL, 'l' },
		{ "log-detail", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	a->file = DEFAULT_CONF;
	while ((ch = getopt_long(argc, argv, "f:ti:PhVnlD", longopts, NULL)) !=
	    -1) {
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
		case OPT_DEBUG:
			if (log_set_debug(optarg) != 0) {
				fprintf(stderr,
				    "vrrpd: --debug: unknown "
				    "category in %s\n",
				    optarg);
				return EXIT_FAILURE;
			}
			break;
		case 'n': /* keepalived: vrrpd never forks */
		case 'l': /* keepalived: vrrpd logs to stderr */
		case 'D': /* keepalived: transitions are always logged */
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

/* SIGTERM / SIGINT: priority 0 from every master, addresses released. */
static void
stop_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct vrrp_router *r = w->data;

	(void)revents;
	log_info("signal %d: stopping", w->signum);
	vrrp_router_shutdown(r);
	ev_break(loop, EVBREAK_ALL);
}

/* The daemon: one loop, every instance on it, until a stop signal. */
static int
run(const struct conf *conf)
{
	struct ev_loop *loop = EV_DEFAULT;
	ev_signal sigterm, sigint;
	struct vrrp_router *r;

	log_init("vrrpd", true);
	signal(SIGPIPE, SIG_IGN);
	if ((r = vrrp_router_new(loop)) == NULL) {
		log_warn("cannot open netlink");
		return EXIT_FAILURE;
	}
	ev_signal_init(&sigterm, stop_cb, SIGTERM);
	ev_signal_init(&sigint, stop_cb, SIGINT);
	sigterm.data = sigint.data = r;
	ev_signal_start(loop, &sigterm);
	ev_signal_start(loop, &sigint);
	if (vrrp_router_load(r, conf) != 0) {
		vrrp_router_shutdown(r);
		vrrp_router_free(r);
		return EXIT_FAILURE;
	}
	log_info("vrrpd %s started, %zu instance%s", VRRPD_VERSION,
	    conf->ninstances, conf->ninstances == 1 ? "" : "s");
	ev_run(loop, 0);
	vrrp_router_free(r);
	log_info("vrrpd stopped");
	return EXIT_SUCCESS;
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
	if (a.test || a.dump || rc != EXIT_SUCCESS) {
		conf_free(conf);
		return rc;
	}
	rc = run(conf);
	conf_free(conf);
	return rc;
}
