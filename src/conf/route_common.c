/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the route and rule parsers share: messages, numbers, names (built
 * in, or from iproute2's files), prefixes, realms and interface names.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route_priv.h"

static const char *const rt_errs[CONF_RT_ERR_MAX] = {
	[CONF_RT_OK] = "ok",
	[CONF_RT_MISSING_VALUE] = "missing value",
	[CONF_RT_BAD_VALUE] = "bad value",
	[CONF_RT_UNKNOWN] = "unknown option",
	[CONF_RT_UNSUPPORTED] = "not supported",
	[CONF_RT_FAMILY_MIX] = "IPv4 and IPv6 mixed",
	[CONF_RT_NO_DEST] = "no destination",
	[CONF_RT_NO_ACTION] = "no action",
	[CONF_RT_CONFLICT] = "conflicting options",
	[CONF_RT_TOO_MANY] = "too many nexthops",
};

const char *
conf_rt_strerror(enum conf_rt_err err)
{
	if ((unsigned int)err >= CONF_RT_ERR_MAX)
		return "unknown error";
	return rt_errs[err];
}

enum conf_rt_err
rtp_err(struct rtp *p, enum conf_rt_err err, size_t tok, const char *fmt, ...)
{
	va_list ap;

	if (p->diag->err != CONF_RT_OK)
		return p->diag->err;
	p->diag->err = err;
	p->diag->err_tok = tok < p->ntok ? tok : p->ntok - 1;
	va_start(ap, fmt);
	vsnprintf(p->diag->msg, sizeof(p->diag->msg), fmt, ap);
	va_end(ap);
	return err;
}

void
rtp_warn(struct rtp *p, size_t tok, const char *fmt, ...)
{
	struct conf_rt_diag *d = p->diag;
	va_list ap;

	if (d->nwarn == CONF_RT_MAX_WARN)
		return;
	d->warn_tok[d->nwarn] = tok < p->ntok ? tok : p->ntok - 1;
	va_start(ap, fmt);
	vsnprintf(d->warn[d->nwarn], sizeof(d->warn[0]), fmt, ap);
	va_end(ap);
	d->nwarn++;
}

const char *
rtp_value(struct rtp *p)
{
	if (p->i + 1 >= p->ntok) {
		rtp_err(p, CONF_RT_MISSING_VALUE, p->i,
		    "%s option %s needs a value", p->what, p->tok[p->i]);
		return NULL;
	}
	return p->tok[++p->i];
}

static const char *
af_name(sa_family_t af)
{
	return af == AF_INET6 ? "IPv6" : "IPv4";
}

enum conf_rt_err
rtp_family(struct rtp *p, sa_family_t af, size_t tok)
{
	if (af == AF_UNSPEC || p->family == af)
		return CONF_RT_OK;
	if (p->family == AF_UNSPEC) {
		p->family = af;
		return CONF_RT_OK;
	}
	return rtp_err(p, CONF_RT_FAMILY_MIX, tok,
	    "%s mixes IPv4 and IPv6: %s is %s, the %s is %s", p->what,
	    p->tok[tok], af_name(af), p->what, af_name(p->family));
}

bool
rtp_number(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (s[0] == '\0' || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v > max)
		return false;
	*out = v;
	return true;
}

/* Names iproute2 knows without its files (keepalived's defaults). */
static const struct rt_name {
	enum conf_rt_names kind;
	const char *name;
	uint32_t id;
} builtin[] = {
	{ CONF_RTN_TABLE, "default", 253 },
	{ CONF_RTN_TABLE, "main", 254 },
	{ CONF_RTN_TABLE, "local", 255 },
	{ CONF_RTN_PROTO, "none", 0 },
	{ CONF_RTN_PROTO, "redirect", 1 },
	{ CONF_RTN_PROTO, "kernel", 2 },
	{ CONF_RTN_PROTO, "boot", 3 },
	{ CONF_RTN_PROTO, "static", 4 },
	{ CONF_RTN_PROTO, "gated", 8 },
	{ CONF_RTN_PROTO, "ra", 9 },
	{ CONF_RTN_PROTO, "mrt", 10 },
	{ CONF_RTN_PROTO, "zebra", 11 },
	{ CONF_RTN_PROTO, "bird", 12 },
	{ CONF_RTN_PROTO, "dnrouted", 13 },
	{ CONF_RTN_PROTO, "xorp", 14 },
	{ CONF_RTN_PROTO, "ntk", 15 },
	{ CONF_RTN_PROTO, "dhcp", 16 },
	{ CONF_RTN_PROTO, "keepalived", 18 },
	{ CONF_RTN_PROTO, "babel", 42 },
	{ CONF_RTN_SCOPE, "global", 0 },
	{ CONF_RTN_SCOPE, "site", 200 },
	{ CONF_RTN_SCOPE, "link", 253 },
	{ CONF_RTN_SCOPE, "host", 254 },
	{ CONF_RTN_SCOPE, "nowhere", 255 },
	{ CONF_RTN_GROUP, "default", 0 },
};

static const char *const name_files[CONF_RTN_MAX] = {
	[CONF_RTN_TABLE] = "rt_tables",
	[CONF_RTN_PROTO] = "rt_protos",
	[CONF_RTN_SCOPE] = "rt_scopes",
	[CONF_RTN_REALM] = "rt_realms",
	[CONF_RTN_DSFIELD] = "rt_dsfield",
	[CONF_RTN_GROUP] = "group",
};

static const char *const name_what[CONF_RTN_MAX] = {
	[CONF_RTN_TABLE] = "routing table",
	[CONF_RTN_PROTO] = "protocol",
	[CONF_RTN_SCOPE] = "scope",
	[CONF_RTN_REALM] = "realm",
	[CONF_RTN_DSFIELD] = "dsfield",
	[CONF_RTN_GROUP] = "interface group",
};

/* "ID NAME" lines of one file; 0 when name is there. */
static int
names_file(const char *path, const char *name, uint32_t *id)
{
	char line[256], num[64], word[128];
	uint64_t v;
	FILE *f;
	int rc = -1;

	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (rc != 0 && fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, " %63s %127s", num, word) != 2 ||
		    num[0] == '#' || strcmp(word, name) != 0 ||
		    !rtp_number(num, UINT32_MAX, &v))
			continue;
		*id = (uint32_t)v;
		rc = 0;
	}
	fclose(f);
	return rc;
}

/* The file, then FILE.d/ *.conf in directory order, as iproute2 reads. */
static int
names_dir(const char *dir, const char *file, const char *name, uint32_t *id)
{
	char path[512];
	struct dirent *de;
	size_t len;
	DIR *d;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (names_file(path, name, id) == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/%s.d", dir, file);
	if ((d = opendir(path)) == NULL)
		return -1;
	rc = -1;
	while (rc != 0 && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s.d/%s", dir, file,
		    de->d_name);
		rc = names_file(path, name, id);
	}
	closedir(d);
	return rc;
}

int
conf_rt_names_files(void *arg, enum conf_rt_names kind, const char *name,
    uint32_t *id)
{
	const char *dir = arg;

	if ((unsigned int)kind >= CONF_RTN_MAX)
		return -1;
	if (dir != NULL)
		return names_dir(dir, name_files[kind], name, id);
	if (names_dir("/etc/iproute2", name_files[kind], name, id) == 0)
		return 0;
	return names_dir("/usr/share/iproute2", name_files[kind], name, id);
}

static int
name_lookup(struct rtp *p, enum conf_rt_names kind, const char *s, uint32_t *id)
{
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (builtin[i].kind == kind &&
		    strcmp(builtin[i].name, s) == 0) {
			*id = builtin[i].id;
			return 0;
		}
	if (p->ctx == NULL || p->ctx->lookup == NULL)
		return -1;
	return p->ctx->lookup(p->ctx->lookup_arg, kind, s, id);
}

enum conf_rt_err
rtp_u32(struct rtp *p, enum conf_rt_names kind, uint32_t max, uint32_t *out)
{
	size_t opt = p->i;
	const char *s;
	uint64_t v;
	uint32_t id;

	if ((s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	if (rtp_number(s, max, &v)) {
		*out = (uint32_t)v;
		return CONF_RT_OK;
	}
	if (kind != CONF_RTN_MAX && !isdigit((unsigned char)s[0])) {
		if (name_lookup(p, kind, s, &id) == 0 && id <= max) {
			*out = id;
			return CONF_RT_OK;
		}
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "%s option %s: unknown %s %s (not built in, not in "
		    "iproute2's %s); write its number",
		    p->what, p->tok[opt], name_what[kind], s, name_files[kind]);
	}
	return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
	    "%s option %s: %s is not a number from 0 to %u", p->what,
	    p->tok[opt], s, max);
}

static bool
host_bits_clear(const struct addr *a, uint8_t len)
{
	const uint8_t *b = (const uint8_t *)&a->u;
	size_t n = addr_len(a);

	for (size_t i = 0; i < n; i++) {
		unsigned int keep = len >= 8 * (i + 1) ? 8 :
		    len > 8 * i			       ? len - 8 * i :
							 0;
		uint8_t mask = (uint8_t)(0xff00u >> keep);

		if ((b[i] & ~mask & 0xff) != 0)
			return false;
	}
	return true;
}

int
rtp_prefix(const char *s, bool strict, struct addr *a, uint8_t *len)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	unsigned long v;
	const char *l;

	memset(a, 0, sizeof(*a));
	if (strcmp(s, "default") == 0 || strcmp(s, "any") == 0 ||
	    strcmp(s, "all") == 0) {
		a->af = AF_UNSPEC;
		*len = 0;
		return 0;
	}
	if (alen == 0 || alen >= sizeof(buf))
		return -1;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (addr_parse(buf, a) != 0)
		return -1;
	*len = (uint8_t)(addr_len(a) * 8);
	if (slash != NULL) {
		l = slash + 1;
		if (l[0] == '\0' || strspn(l, "0123456789") != strlen(l) ||
		    (l[0] == '0' && l[1] != '\0') || strlen(l) > 3)
			return -1;
		v = strtoul(l, NULL, 10);
		if (v > addr_len(a) * 8)
			return -1;
		*len = (uint8_t)v;
	}
	if (strict && !host_bits_clear(a, *len))
		return -2;
	return 0;
}

static int
realm_one(struct rtp *p, const char *s, uint32_t *out)
{
	uint64_t v;

	if (rtp_number(s, 255, &v)) {
		*out = (uint32_t)v;
		return 0;
	}
	if (s[0] != '\0' && !isdigit((unsigned char)s[0]) &&
	    name_lookup(p, CONF_RTN_REALM, s, out) == 0 && *out <= 255)
		return 0;
	return -1;
}

enum conf_rt_err
rtp_realms(struct rtp *p, uint32_t *out)
{
	size_t opt = p->i;
	const char *s, *slash;
	uint32_t from = 0, to = 0;
	char part[64];
	int bad;

	if ((s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	if ((slash = strchr(s, '/')) != NULL) {
		snprintf(part, sizeof(part), "%.*s", (int)(slash - s), s);
		bad = realm_one(p, part, &from) != 0 ||
		    realm_one(p, slash + 1, &to) != 0;
	} else {
		bad = realm_one(p, s, &to) != 0;
	}
	if (bad)
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "%s option %s: %s is not a realm or FROM/TO pair of "
		    "realms (0..255 or names of iproute2's rt_realms)",
		    p->what, p->tok[opt], s);
	*out = from << 16 | to;
	return CONF_RT_OK;
}

enum conf_rt_err
rtp_ifname(struct rtp *p, char *dst)
{
	size_t opt = p->i;
	const char *s;
	size_t len;

	if ((s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	len = strlen(s);
	if (len == 0 || len >= CONF_RT_IFNAMSIZ || strchr(s, '/') != NULL ||
	    strpbrk(s, " \t:") != NULL)
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "%s option %s: %s is not an interface name (1 to %d "
		    "characters, no '/', ':' or blank)",
		    p->what, p->tok[opt], s, CONF_RT_IFNAMSIZ - 1);
	memcpy(dst, s, len + 1);
	return CONF_RT_OK;
}

enum conf_rt_err
rtp_addr(struct rtp *p, struct addr *out)
{
	return rtp_addr_of(p, p->i, out);
}

enum conf_rt_err
rtp_addr_of(struct rtp *p, size_t opt, struct addr *out)
{
	const char *s;

	if ((s = rtp_value(p)) == NULL)
		return CONF_RT_MISSING_VALUE;
	if (addr_parse(s, out) != 0)
		return rtp_err(p, CONF_RT_BAD_VALUE, p->i,
		    "%s option %s: %s is not an IPv4 or IPv6 address", p->what,
		    p->tok[opt], s);
	return rtp_family(p, out->af, p->i);
}

void
rtp_fix_family(struct addr *a, sa_family_t af)
{
	if (a->af == AF_UNSPEC) {
		memset(a, 0, sizeof(*a));
		a->af = af;
	}
}
