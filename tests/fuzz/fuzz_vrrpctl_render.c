/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for vrrpctl's renderers: one selector byte (low four
 * bits: the command the reply answers, modulo CTL_CMD_MAX; 0x10: it named
 * an instance; 0x20: colour; 0x40: cluster history), then any bytes as the
 * daemon's reply. Whatever the reply, rendering ends with one of the
 * documented exit statuses, a reply judged malformed prints nothing on
 * standard output, and no line of a cluster view is wider than 80
 * columns; anything else abort()s.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vrrpctl.h"

#define NOW_MS 1700000133123ULL /* the wall clock for cluster ages */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The widest line, escape sequences and UTF-8 continuation bytes aside. */
static size_t
widest(const char *s, size_t len)
{
	size_t w = 0, max = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\033') {
			while (i < len && s[i] != 'm')
				i++;
			continue;
		}
		if (s[i] == '\n')
			w = 0;
		else if (((unsigned char)s[i] & 0xc0) != 0x80 && ++w > max)
			max = w;
	}
	return max;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_req req = { 0 };
	struct vrrpctl_render_opts o = { .now_ms = NOW_MS };
	struct json_tokener *tok;
	json_object *reply;
	char *out = NULL, *err = NULL;
	size_t outlen = 0, errlen = 0;
	FILE *fo, *fe;
	int rc;

	if (size < 1)
		return 0;
	req.cmd = (enum ctl_cmd)((data[0] & 0x0f) % CTL_CMD_MAX);
	if (data[0] & 0x10)
		strcpy(req.instance, "VI_1");
	o.color = (data[0] & 0x20) != 0;
	req.history = req.cmd == CTL_CMD_CLUSTER && (data[0] & 0x40) != 0;
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
	if (req.cmd == CTL_CMD_CLUSTER && widest(out, outlen) > VRRPCTL_WIDTH)
		abort();
	rc = vrrpctl_reply_status(reply);
	if (rc < VRRPCTL_EXIT_OK || rc > VRRPCTL_EXIT_PERMISSION)
		abort();
	json_object_put(reply);
	free(out);
	free(err);
	return 0;
}
