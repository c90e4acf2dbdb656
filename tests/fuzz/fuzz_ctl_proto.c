/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the control request parser: any bytes either parse
 * into a request that builds back into the same request, or fail with an
 * error code and a phrase; anything else abort()s.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/ctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_req req, again;
	char why[128], *line;
	enum ctl_err e;

	e = ctl_req_parse((const char *)data, size, &req, why, sizeof(why));
	if ((unsigned int)e >= CTL_E_MAX)
		abort();
	if (e != CTL_OK) {
		if (why[0] == '\0' || req.cmd != CTL_CMD_MAX)
			abort();
		return 0;
	}
	if (req.instance[sizeof(req.instance) - 1] != '\0' ||
	    req.category[sizeof(req.category) - 1] != '\0')
		abort();
	if ((line = ctl_req_build(&req)) == NULL)
		return 0;
	if (ctl_req_parse(line, strlen(line), &again, why, sizeof(why)) !=
		CTL_OK ||
	    memcmp(&req, &again, sizeof(req)) != 0)
		abort();
	free(line);
	return 0;
}
