/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the daemon warns about at start beyond the file's own diags, from
 * this host's state: one function for the daemon and for vrrpd -t, so
 * that the check prints every warning the start would.
 */

#include <stdbool.h>
#include <stdio.h>

#include "vrrpd/conf.h"
#include "vrrpd/daemon.h"
#include "vrrpd/priv.h"

static bool
default_user(const struct conf_cmd *c)
{
	return c->cmd != NULL && c->user == NULL;
}

static bool
notify_default_user(const struct conf_notify *n)
{
	return default_user(&n->master) || default_user(&n->backup) ||
	    default_user(&n->fault) || default_user(&n->stop) ||
	    default_user(&n->any);
}

/* Some script would run as the default script user. */
static bool
default_user_scripts(const struct conf *conf)
{
	const struct conf_global *g = &conf->global;

	if (g->script_user != NULL)
		return false;
	if (default_user(&g->notify_fifo_script) ||
	    default_user(&g->vrrp_notify_fifo_script) ||
	    default_user(&g->registry.notify_split_brain))
		return true;
	for (size_t i = 0; i < conf->nchecks; i++)
		if (conf->checks[i].kind == CONF_CHECK_SCRIPT &&
		    default_user(&conf->checks[i].script))
			return true;
	for (size_t i = 0; i < conf->ninstances; i++)
		if (notify_default_user(&conf->instances[i].notify))
			return true;
	for (size_t i = 0; i < conf->nsync_groups; i++)
		if (notify_default_user(&conf->sync_groups[i].notify))
			return true;
	return false;
}

void
daemon_host_warnings_db(const struct conf *conf, const struct priv_db *db,
    daemon_say_fn *say)
{
	struct priv_plan plan;
	char why[128];

	if (default_user_scripts(conf) &&
	    priv_plan(db, NULL, NULL, &plan, why, sizeof(why)) == 0 &&
	    plan.root_fallback)
		say("no script_user, and neither " PRIV_DEFAULT_USER
		    " nor " PRIV_KEEPALIVED_USER " exists: scripts run as "
		    "root (without capabilities)");
}

void
daemon_host_warnings(const struct conf *conf, daemon_say_fn *say)
{
	daemon_host_warnings_db(conf, &priv_db_system, say);
}
