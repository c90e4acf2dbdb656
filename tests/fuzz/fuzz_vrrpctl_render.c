/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for vrrpctl's renderers: one selector byte (the command
 * the reply answers, whether it named an instance, colour), then any bytes
 * as the daemon's reply. Whatever the reply, rendering ends with one of
 * the documented exit statuses, and a reply judged malformed prints
 * nothing on standard output; anything else abort()s.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vrrpctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_req req = { 0 };
	struct vrrpctl_render_opts o = { 0 };
	struct json_tokener *tok;
	json_object *reply;
	char *out = NULL, *err = NULL;
	size_t outlen = 0, errlen = 0;
	FILE *fo, *fe;
	int rc;

	if (size < 1)
		return 0;
	req.cmd = (enum ctl_cmd)(data[0] % CTL_CMD_MAX);
	if (data[0] & 0x10)
		strcpy(req.instance, "VI_1");
	o.color = (data[0] & 0x20) != 0;
	if ((tok = json_tokener_new()) == NULL)
		return 0;
	reply =
	    json_tokener_parse_ex(tok, (const char *)data + 1, (int)(size - 1));
	json_tokener_free(tok);
	fo = open_memstream(&out, &outlen);
	fe = open_memstream(&err, &errlen);
	if (fo == NULL || fe == NULL)
		abort();
	rc = vrrpctl_render(reply, &req, &o, fo, fe);
	fclose(fo);
	fclose(fe);
	if (rc < VRRPCTL_EXIT_OK || rc > VRRPCTL_EXIT_PERMISSION)
		abort();
	if (rc == VRRPCTL_EXIT_UNREACHABLE && outlen != 0)
		abort();
	rc = vrrpctl_reply_status(reply);
	if (rc < VRRPCTL_EXIT_OK || rc > VRRPCTL_EXIT_PERMISSION)
		abort();
	json_object_put(reply);
	free(out);
	free(err);
	return 0;
}
