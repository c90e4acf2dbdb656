/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl: command line entry point. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "vrrpd/daemon.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vrrpctl [-hV]\n"
	    "  -h, --help     this text\n"
	    "  -V, --version  print the version and exit\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("vrrpctl %s\n", VRRPD_VERSION);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_FAILURE;
		}
	}
	/* Commands arrive with the control socket (#6). */
	fprintf(stderr,
	    "vrrpctl %s: no commands yet (issue #6); "
	    "the control socket comes with the daemon\n",
	    VRRPD_VERSION);
	return EXIT_FAILURE;
}
