/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading a configuration: read, pick the front end, finish, validate. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_priv.h"
#include "kalex.h"

#define CONF_MAX_PEER_IDS 8

static enum conf_format
format_of(const char *name, enum conf_format asked)
{
	const char *dot;

	if (asked != CONF_FMT_AUTO)
		return asked;
	dot = strrchr(name, '.');
	if (dot != NULL &&
	    (strcasecmp(dot, ".yaml") == 0 || strcasecmp(dot, ".yml") == 0))
		return CONF_FMT_YAML;
	return CONF_FMT_KEEPALIVED;
}

/* Order of files as first read, then line, column; stable. */
static int
diag_order(const struct conf *conf, const struct conf_diag *a,
    const struct conf_diag *b)
{
	size_t fa = conf->nfiles, fb = conf->nfiles;

	for (size_t i = 0; i < conf->nfiles; i++) {
		if (a->loc.file == conf->files[i])
			fa = i;
		if (b->loc.file == conf->files[i])
			fb = i;
	}
	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	return 0;
}

/* Insertion sort: stable, and diags are few (CONF_MAX_DIAGS at most). */
static void
sort_diags(struct conf *conf)
{
	for (size_t i = 1; i < conf->ndiags; i++) {
		struct conf_diag d = conf->diags[i];
		size_t j = i;

		while (j > 0 && diag_order(conf, &conf->diags[j - 1], &d) > 0) {
			conf->diags[j] = conf->diags[j - 1];
			j--;
		}
		conf->diags[j] = d;
	}
}

static struct conf *
load(const char *name, const char *buf, size_t len,
    const struct conf_opts *opts)
{
	struct conf *conf = conf_new(format_of(name, opts->format));

	if (conf == NULL)
		return NULL;
	conf->global.lvs_elsewhere = opts->lvs_elsewhere;
	if (conf->format == CONF_FMT_YAML)
		conf_parse_yaml(conf, name, buf, len);
	else
		conf_parse_keepalived(conf, name, buf, len, opts);
	conf_finish(conf);
	conf_validate(conf, opts);
	return conf;
}

/*
 * A keepalived file shared by several nodes through @ID lines knows the
 * other nodes' priorities: load it as each of them and compare (notes P3).
 */
static void
check_peers(struct conf *conf, const char *name, const char *buf, size_t len,
    const struct conf_opts *opts)
{
	char *self = opts->config_id != NULL ? conf_strdup(opts->config_id) :
					       kalex_default_id();
	struct conf_opts popts = *opts;
	struct conf *peer;

	/* Bounded: each id is one more parse; pairs and trios are the norm. */
	for (size_t i = 0; i < conf->nconfig_ids && i < CONF_MAX_PEER_IDS;
	     i++) {
		if (strcmp(conf->config_ids[i], self) == 0)
			continue;
		popts.config_id = conf->config_ids[i];
		popts.check_live = false;
		peer = load(name, buf, len, &popts);
		if (peer != NULL && peer->nerrors == 0)
			conf_check_peer_weights(conf, peer,
			    conf->config_ids[i]);
		conf_free(peer);
	}
	free(self);
}

struct conf *
conf_load_mem(const char *name, const char *buf, size_t len,
    const struct conf_opts *opts)
{
	static const struct conf_opts none;
	struct conf *conf;

	if (opts == NULL)
		opts = &none;
	if ((conf = load(name, buf, len, opts)) == NULL)
		return NULL;
	if (conf->format == CONF_FMT_KEEPALIVED && conf->nerrors == 0)
		check_peers(conf, name, buf, len, opts);
	sort_diags(conf);
	return conf;
}

/*
 * Reads at most CONF_MAX_FILE_SIZE; a NUL byte is not rejected here, the
 * front ends report it with its position.
 */
static char *
read_file(const char *path, size_t *len, const char **why)
{
	size_t cap = 65536, n = 0, r;
	char *buf, *nbuf;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		*why = strerror(errno);
		return NULL;
	}
	if ((buf = malloc(cap + 1)) == NULL)
		abort();
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n > CONF_MAX_FILE_SIZE) {
			*why = "file larger than 16 MiB";
			goto fail;
		}
		if (n == cap) {
			cap *= 2;
			if ((nbuf = realloc(buf, cap + 1)) == NULL)
				abort();
			buf = nbuf;
		}
	}
	if (ferror(f)) {
		*why = strerror(errno);
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

struct conf *
conf_load_file(const char *path, const struct conf_opts *opts)
{
	struct conf_loc loc = { 0 };
	const char *why = NULL;
	struct conf *conf;
	size_t len;
	char *buf;

	if ((buf = read_file(path, &len, &why)) != NULL) {
		conf = conf_load_mem(path, buf, len, opts);
		free(buf);
		return conf;
	}
	conf = conf_new(
	    format_of(path, opts != NULL ? opts->format : CONF_FMT_AUTO));
	if (conf == NULL)
		return NULL;
	loc.file = conf_file_name(conf, path);
	conf_diag(conf, &loc, CONF_ERROR, "cannot read the file: %s", why);
	return conf;
}

size_t
conf_print_diags(const struct conf *conf, FILE *f)
{
	for (size_t i = 0; i < conf->ndiags; i++) {
		const struct conf_diag *d = &conf->diags[i];
		const char *sev = d->sev == CONF_ERROR ? "error" : "warning";

		if (d->loc.file == NULL)
			fprintf(f, "vrrpd: %s: %s\n", sev, d->msg);
		else if (d->loc.line == 0)
			fprintf(f, "%s: %s: %s\n", d->loc.file, sev, d->msg);
		else
			fprintf(f, "%s:%u:%u: %s: %s\n", d->loc.file,
			    d->loc.line, d->loc.col, sev, d->msg);
	}
	return conf->nerrors;
}
