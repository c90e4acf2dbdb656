/* SPDX-License-Identifier: BSD-2-Clause */
/* Registry flags and split-brain edges as one line of text each. */

#include <stdio.h>

#include "registry_priv.h"

static const char *const flag_names[REGISTRY_FLAG_MAX] = {
	[REGISTRY_FLAG_SPLIT_BRAIN] = "split_brain",
	[REGISTRY_FLAG_VRID_COLLISION] = "vrid_collision",
	[REGISTRY_FLAG_VRID_MISMATCH] = "vrid_mismatch",
	[REGISTRY_FLAG_VIPS_MISMATCH] = "vips_mismatch",
	[REGISTRY_FLAG_WEIGHT_TRAP] = "weight_trap",
	[REGISTRY_FLAG_SILENT_NODE] = "silent_node",
	[REGISTRY_FLAG_STALE_RECORD] = "stale_record",
};

const char *
registry_flag_kind_name(enum registry_flag_kind kind)
{
	if ((unsigned int)kind >= REGISTRY_FLAG_MAX)
		return "unknown";
	return flag_names[kind];
}

static const char *
prefix_fmt(const struct registry_prefix *p, char *buf, size_t size)
{
	char a[ADDR_STRLEN];

	snprintf(buf, size, "%s/%u", addr_fmt(&p->addr, a, sizeof(a)),
	    p->prefix);
	return buf;
}

static void
split_brain(const struct registry_flag *f, char *buf, size_t size)
{
	if (f->nmasters > 2)
		snprintf(buf, size,
		    "(%s) split brain: MASTER on %s, %s and %zu more for "
		    "%llu ms",
		    f->name, f->node, f->other_node, f->nmasters - 2,
		    (unsigned long long)(f->duration_us / 1000));
	else
		snprintf(buf, size,
		    "(%s) split brain: MASTER on %s and %s for %llu ms",
		    f->name, f->node, f->other_node,
		    (unsigned long long)(f->duration_us / 1000));
}

const char *
registry_flag_format(const struct registry_flag *f, char *buf, size_t size)
{
	char p[ADDR_STRLEN + 8];

	if (size == 0)
		return buf;
	switch (f->kind) {
	case REGISTRY_FLAG_SPLIT_BRAIN:
		split_brain(f, buf, size);
		break;
	case REGISTRY_FLAG_VRID_COLLISION:
		snprintf(buf, size,
		    "(%s) VRID %u collides with %s on %s (%s, %s)", f->name,
		    f->vrid, f->other, prefix_fmt(&f->subnet, p, sizeof(p)),
		    f->node, f->other_node);
		break;
	case REGISTRY_FLAG_VRID_MISMATCH:
		snprintf(buf, size, "(%s) VRID %u on %s but %u on %s", f->name,
		    f->vrid, f->node, f->other_vrid, f->other_node);
		break;
	case REGISTRY_FLAG_VIPS_MISMATCH:
		snprintf(buf, size,
		    "(%s) VIPs differ between %s and %s: %s only on %s",
		    f->name, f->node, f->other_node,
		    prefix_fmt(&f->vip, p, sizeof(p)),
		    f->vip_on_other ? f->other_node : f->node);
		break;
	case REGISTRY_FLAG_WEIGHT_TRAP:
		snprintf(buf, size,
		    "(%s) check %s failing on %s leaves %u > %u on %s: "
		    "no failover",
		    f->name, f->other, f->node, f->prio, f->other_prio,
		    f->other_node);
		break;
	case REGISTRY_FLAG_SILENT_NODE:
		snprintf(buf, size,
		    "node %s is registered but silent: no instance records",
		    f->node);
		break;
	case REGISTRY_FLAG_STALE_RECORD:
		snprintf(buf, size,
		    "(%s) record of %s is stale: %s has no node record",
		    f->name, f->node, f->node);
		break;
	default:
		snprintf(buf, size, "unknown registry flag %d", (int)f->kind);
		break;
	}
	return buf;
}

const char *
registry_sb_event_format(const struct registry_sb_event *ev, char *buf,
    size_t size)
{
	unsigned long long ms = ev->duration_us / 1000;

	if (size == 0)
		return buf;
	if (ev->edge == REGISTRY_SB_STARTED)
		snprintf(buf, size,
		    "(%s) split brain started: %zu masters for %llu ms",
		    ev->name, ev->nmasters, ms);
	else
		snprintf(buf, size, "(%s) split brain ended after %llu ms",
		    ev->name, ms);
	return buf;
}

static const char *const conn_names[REGISTRY_CONN_MAX] = {
	[REGISTRY_CONN_OFF] = "off",
	[REGISTRY_CONN_CONNECTING] = "connecting",
	[REGISTRY_CONN_CONNECTED] = "connected",
	[REGISTRY_CONN_DISCONNECTED] = "disconnected",
	[REGISTRY_CONN_EXPIRED] = "expired",
	[REGISTRY_CONN_AUTH_FAILED] = "auth_failed",
};

const char *
registry_conn_name(enum registry_conn c)
{
	return (unsigned int)c < REGISTRY_CONN_MAX ? conn_names[c] : "unknown";
}
