/* SPDX-License-Identifier: BSD-2-Clause */
/* Values both configuration front ends read: durations, numbers, prefixes. */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_priv.h"

int
conf_parse_int(const char *text, long long min, long long max, long long *out,
    const char **why)
{
	long long v;
	char *end;

	errno = 0;
	if (*text == '\0' || isspace((unsigned char)*text)) {
		*why = "not a number";
		return -1;
	}
	v = strtoll(text, &end, 10);
	if (*end != '\0') {
		*why = "not a whole number";
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		*why = "out of range";
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * Durations are read digit by digit into microseconds, so "0.01" is exactly
 * 10000 us; more than six decimals is an error rather than silently cut.
 */
int
conf_parse_duration(const char *text, enum conf_dur_unit unit, uint64_t max_us,
    uint64_t *out_us, const char **why)
{
	uint64_t whole = 0, frac = 0, scale, v;
	unsigned int nfrac = 0;
	const char *p = text;

	if (!isdigit((unsigned char)*p) && *p != '.') {
		*why = "not a duration";
		return -1;
	}
	for (; isdigit((unsigned char)*p); p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > max_us) {
			*why = "out of range";
			return -1;
		}
	}
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, nfrac++) {
			if (nfrac >= 6) {
				*why = "more precise than a microsecond";
				return -1;
			}
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
	if (*p == '\0')
		scale = unit == CONF_UNIT_MS ? 1000 : 1000000;
	else if (strcmp(p, "us") == 0)
		scale = 1;
	else if (strcmp(p, "ms") == 0)
		scale = 1000;
	else if (strcmp(p, "s") == 0)
		scale = 1000000;
	else if (strcmp(p, "m") == 0 || strcmp(p, "min") == 0)
		scale = 60000000;
	else {
		*why = "unknown unit (use us, ms, s or m)";
		return -1;
	}
	for (unsigned int i = nfrac; i < 6; i++)
		frac *= 10;
	/* frac is now in millionths of the unit. */
	v = whole * scale + frac * scale / 1000000;
	if (frac * scale % 1000000 != 0) {
		*why = "more precise than a microsecond";
		return -1;
	}
	if (whole > max_us / scale || v > max_us) {
		*why = "out of range";
		return -1;
	}
	*out_us = v;
	return 0;
}

int
conf_parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "on", "true", "yes", "1" };
	static const char *const no[] = { "off", "false", "no", "0" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int
conf_parse_prefix(const char *text, struct addr *addr, uint8_t *prefix,
    const char **why)
{
	char buf[ADDR_STRLEN + 8];
	const char *slash = strchr(text, '/');
	size_t alen = slash != NULL ? (size_t)(slash - text) : strlen(text);
	long long plen;

	if (alen >= sizeof(buf)) {
		*why = "not an IP address";
		return -1;
	}
	memcpy(buf, text, alen);
	buf[alen] = '\0';
	if (addr_parse(buf, addr) != 0) {
		*why = "not an IP address";
		return -1;
	}
	if (slash == NULL) {
		*prefix = (uint8_t)(addr_len(addr) * 8);
		return 0;
	}
	if (conf_parse_int(slash + 1, 0, (long long)addr_len(addr) * 8, &plen,
		why) != 0) {
		*why = "bad prefix length";
		return -1;
	}
	*prefix = (uint8_t)plen;
	return 0;
}

/* Names from iproute2's rt_scopes; values are RT_SCOPE_*. */
static const struct {
	const char *name;
	uint8_t value;
} scopes[] = {
	{ "global", 0 },
	{ "universe", 0 },
	{ "site", 200 },
	{ "link", 253 },
	{ "host", 254 },
	{ "nowhere", 255 },
};

int
conf_parse_scope(const char *text, uint8_t *scope)
{
	long long v;
	const char *why;

	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (strcasecmp(text, scopes[i].name) == 0) {
			*scope = scopes[i].value;
			return 0;
		}
	if (conf_parse_int(text, 0, 255, &v, &why) != 0)
		return -1;
	*scope = (uint8_t)v;
	return 0;
}

const char *
conf_scope_name(uint8_t scope)
{
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (scopes[i].value == scope)
			return scopes[i].name;
	return NULL;
}

unsigned int
conf_edit_distance(const char *a, const char *b, unsigned int max)
{
	unsigned int row[64], prev, tmp, best;
	size_t la = strlen(a), lb = strlen(b);

	if (la >= 64 || lb >= 64)
		return max;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned int)i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
			if (row[j] < best)
				best = row[j];
		}
		if (best >= max)
			return max;
	}
	return row[lb] < max ? row[lb] : max;
}

void
conf_suggest(struct conf_suggestion *sg, const char *word,
    const char *candidate)
{
	unsigned int d = conf_edit_distance(word, candidate, sg->dist);

	if (d < sg->dist) {
		sg->dist = d;
		sg->best = candidate;
	}
}
