/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Validation of the cluster registry's settings (man/vrrpd.yaml.5
 * REGISTRY), a rule of validate.c: pure, every problem reported. The
 * servers syntax is what the ZooKeeper 3.8 C client reads, checked here so
 * that it never fails (or resolves a name) inside the daemon.
 */

#include <ctype.h>
#include <string.h>

#include "conf_priv.h"

#define ERR(conf, loc, ...) conf_diag((conf), (loc), CONF_ERROR, __VA_ARGS__)

#define REG_MAX_SERVERS 16
#define REG_MAX_PATH	200
#define REG_MAX_ENTRY	255 /* longer than any ADDR:PORT, for messages */

/* Letters, digits, '-' and '.', one letter at least: a host name. */
static bool
looks_like_name(const char *s)
{
	bool alpha = false;

	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.')
			return false;
		alpha |= isalpha((unsigned char)*s) != 0;
	}
	return alpha;
}

/*
 * One "ADDR:PORT" of the list, as ZooKeeper 3.8's C client reads it: it
 * splits at the last ':' (so IPv6 goes without brackets) and reads the port
 * with strtol(..., 0), so a leading zero would make it octal.
 */
static void
registry_server(struct conf *conf, const struct conf_loc *loc,
    const char *entry)
{
	const char *colon = strrchr(entry, ':'), *port;
	char host[REG_MAX_ENTRY + 1];
	struct addr a;
	size_t n;
	unsigned long v = 0;

	if (entry[0] == '[') {
		const char *end = strchr(entry, ']');

		n = end != NULL ? (size_t)(end - entry - 1) : 0;
		ERR(conf, loc,
		    "registry servers: \"%s\": ZooKeeper's C client takes no "
		    "brackets; write %.*s%s (the port follows the last ':')",
		    entry, (int)n, entry + 1, end != NULL ? end + 1 : "");
		return;
	}
	if (colon == NULL || colon == entry) {
		ERR(conf, loc,
		    "registry servers: \"%s\" has no %s; expected ADDR:PORT",
		    entry, colon == NULL ? "port" : "address");
		return;
	}
	port = colon + 1;
	for (const char *p = port; *p != '\0' && v <= 65535; p++)
		if (isdigit((unsigned char)*p))
			v = v * 10 + (unsigned long)(*p - '0');
		else
			v = 65536;
	if (port[0] == '\0' || port[0] == '0' || v > 65535)
		ERR(conf, loc,
		    "registry servers: \"%s\": expected a port 1..65535 after "
		    "the last ':', in decimal without a leading zero",
		    entry);
	n = (size_t)(colon - entry); /* < sizeof(host): entries are bounded */
	memcpy(host, entry, n);
	host[n] = '\0';
	if (addr_parse(host, &a) == 0)
		return;
	if (looks_like_name(host))
		ERR(conf, loc,
		    "registry servers: \"%s\" is not a numeric address: the "
		    "daemon never resolves names (it would block the VRRP "
		    "loop); use the server's address",
		    host);
	else if (addr_parse(entry, &a) == 0 && a.af == AF_INET6)
		ERR(conf, loc,
		    "registry servers: \"%s\" has no port; expected "
		    "ADDR:PORT (for IPv6, %s:2181)",
		    entry, entry);
	else
		ERR(conf, loc,
		    "registry servers: \"%s\" is not an IPv4 or IPv6 address",
		    host);
}

static void
registry_servers(struct conf *conf, const struct conf_registry *r)
{
	const char *s = r->servers, *slash;
	char entry[REG_MAX_ENTRY + 1];
	size_t n = 1, len;
	bool empty = false;

	if (s[0] == '\0') {
		ERR(conf, &r->loc,
		    "registry servers: empty; expected ADDR:PORT[,ADDR:PORT...]");
		return;
	}
	if (strpbrk(s, " \t\r\n") != NULL) {
		ERR(conf, &r->loc,
		    "registry servers: \"%s\" contains whitespace; separate "
		    "the entries with ',' alone",
		    s);
		return;
	}
	/* The C client takes what follows the first '/' as a chroot. */
	if ((slash = strchr(s, '/')) != NULL)
		ERR(conf, &r->loc,
		    "registry servers: a chroot suffix (\"%s\") is not "
		    "allowed; set the registry's root znode with path",
		    slash);
	len = slash != NULL ? (size_t)(slash - s) : strlen(s);
	for (size_t i = 0; i < len; i++)
		n += s[i] == ',';
	if (n > REG_MAX_SERVERS) {
		ERR(conf, &r->loc, "registry servers: %zu entries; at most %d",
		    n, REG_MAX_SERVERS);
		return;
	}
	for (const char *p = s; p <= s + len;) {
		const char *end = memchr(p, ',', (size_t)(s + len - p));
		size_t elen = (size_t)((end != NULL ? end : s + len) - p);

		if (elen == 0 && !empty) {
			ERR(conf, &r->loc,
			    "registry servers: an empty entry (two commas, or "
			    "one at an end) in \"%s\"",
			    s);
			empty = true;
		} else if (elen > REG_MAX_ENTRY)
			ERR(conf, &r->loc,
			    "registry servers: an entry of %zu bytes; expected "
			    "ADDR:PORT",
			    elen);
		else if (elen != 0) {
			memcpy(entry, p, elen);
			entry[elen] = '\0';
			registry_server(conf, &r->loc, entry);
		}
		p += elen + 1;
	}
}

/* ZooKeeper's own path rules, plus a length and character bound. */
static void
registry_path(struct conf *conf, const struct conf_registry *r)
{
	const char *path = r->path, *c;
	size_t len = strlen(path);

	if (len > REG_MAX_PATH) {
		ERR(conf, &r->loc, "registry path: %zu bytes; at most %d", len,
		    REG_MAX_PATH);
		return;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)path[i] <= ' ' ||
		    (unsigned char)path[i] > '~') {
			ERR(conf, &r->loc,
			    "registry path: byte %zu is 0x%02x; only printable "
			    "ASCII without spaces is allowed",
			    i + 1, (unsigned char)path[i]);
			return;
		}
	if (path[0] != '/') {
		ERR(conf, &r->loc,
		    "registry path \"%s\": expected an absolute znode path "
		    "like /vrrpd",
		    path);
		return;
	}
	if (len == 1) {
		ERR(conf, &r->loc,
		    "registry path \"/\": the root znode is every ZooKeeper "
		    "user's; use a znode of its own like /vrrpd");
		return;
	}
	if (path[len - 1] == '/')
		ERR(conf, &r->loc, "registry path \"%s\": trailing '/'", path);
	for (const char *p = path + 1; p < path + len; p = c + 1) {
		size_t clen;

		c = strchrnul(p, '/');
		clen = (size_t)(c - p);
		if (clen == 0 && *c == '/')
			ERR(conf, &r->loc,
			    "registry path \"%s\": empty component ('//')",
			    path);
		else if ((clen == 1 && p[0] == '.') ||
		    (clen == 2 && p[0] == '.' && p[1] == '.'))
			ERR(conf, &r->loc,
			    "registry path \"%s\": '.' and '..' are not "
			    "allowed as components",
			    path);
		else
			continue;
		return;
	}
}

/* Without servers, every other registry key is a mistake. */
static void
registry_without_servers(struct conf *conf, const struct conf_registry *r)
{
	const struct conf_cmd *nsb = &r->notify_split_brain;
	const char *set[4];
	size_t n = 0;

	if (r->path != NULL)
		set[n++] = "path";
	if (r->session_timeout_ms != 10000)
		set[n++] = "session_timeout";
	if (r->auth_file != NULL)
		set[n++] = "auth_file";
	if (nsb->cmd != NULL || nsb->user != NULL || nsb->group != NULL)
		set[n++] = "notify_split_brain";
	for (size_t i = 0; i < n; i++)
		ERR(conf, &r->loc, "registry: %s set but no servers", set[i]);
}

void
conf_validate_registry(struct conf *conf)
{
	const struct conf_registry *r = &conf->global.registry;

	if (r->servers == NULL) {
		registry_without_servers(conf, r);
		return;
	}
	registry_servers(conf, r);
	if (r->path != NULL)
		registry_path(conf, r);
	if (r->session_timeout_ms < 1000 || r->session_timeout_ms > 120000)
		ERR(conf, &r->loc,
		    "registry session_timeout: %u ms is outside 1000..120000 ms",
		    r->session_timeout_ms);
	if (r->auth_file != NULL && r->auth_file[0] != '/')
		ERR(conf, &r->loc,
		    "registry auth_file \"%s\": expected an absolute path",
		    r->auth_file);
	if (r->notify_split_brain.cmd == NULL &&
	    (r->notify_split_brain.user != NULL ||
		r->notify_split_brain.group != NULL))
		ERR(conf, &r->loc,
		    "registry notify_split_brain: a user or group but no "
		    "command");
}
