/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checks against the live host, asked for with --check-live: interfaces,
 * and the registry's credentials file.
 */

#include <net/if.h>

#include <string.h>

#include "conf_priv.h"

static void
check_if(struct conf *conf, const struct conf_loc *loc, const char *owner,
    const char *ifname)
{
	if (ifname[0] != '\0' && if_nametoindex(ifname) == 0)
		conf_diag(conf, loc, CONF_ERROR,
		    "%s: interface %s does not exist on this host", owner,
		    ifname);
}

/* The credentials the daemon would read at start (registry_auth.c). */
static void
check_registry_auth(struct conf *conf)
{
	const struct conf_registry *r = &conf->global.registry;
	char ident[CONF_REGISTRY_IDENT_SIZE], why[256];

	/* Without servers, or relative: reported by validate.c already. */
	if (r->servers == NULL || r->auth_file == NULL ||
	    r->auth_file[0] != '/')
		return;
	if (conf_registry_auth_read(r->auth_file, ident, sizeof(ident), why,
		sizeof(why)) != 0)
		conf_diag(conf, &r->loc, CONF_ERROR,
		    "registry auth_file %s: %s", r->auth_file, why);
	explicit_bzero(ident, sizeof(ident));
}

void
conf_check_live(struct conf *conf)
{
	check_registry_auth(conf);
	for (size_t i = 0; i < conf->ninstances; i++) {
		const struct conf_instance *in = &conf->instances[i];

		check_if(conf, &in->loc, in->name, in->interface);
		for (size_t v = 0; v < in->nvips; v++)
			check_if(conf, &in->vips[v].loc, in->name,
			    in->vips[v].dev);
		for (size_t t = 0; t < in->ntracks; t++)
			if (in->tracks[t].kind == CONF_TRACK_IFACE)
				check_if(conf, &in->tracks[t].loc, in->name,
				    in->tracks[t].name);
	}
}
