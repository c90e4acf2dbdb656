/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpd: command line entry point. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "vrrpd/daemon.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vrrpd [-hV]\n"
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
			printf("vrrpd %s\n", VRRPD_VERSION);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_FAILURE;
		}
	}
	/* The protocol core is in libvrrpd; the event loop comes with #4. */
	fprintf(stderr,
	    "vrrpd %s: the daemon does not run yet (issue #4); "
	    "only the protocol core is built\n",
	    VRRPD_VERSION);
	return EXIT_FAILURE;
}
