/* SPDX-License-Identifier: BSD-2-Clause */
/* Inside the daemon's control side: control.c and control_checks.c. */

#ifndef VRRPD_CONTROL_PRIV_H
#define VRRPD_CONTROL_PRIV_H

struct json_object;
struct vrrp_router;

/* The "checks" and "trackers" arrays of vrrpctl checks. */
struct json_object *daemon_ctl_checks(const struct vrrp_router *r);
struct json_object *daemon_ctl_trackers(const struct vrrp_router *r);

/* ---- control_cluster.c ---- */

#include <stdbool.h>

struct conf_registry;
struct ctl_req;
struct ctl_server;
struct registry;

/* status's "registry" object (NULL without a registry). */
struct json_object *daemon_ctl_registry_json(const struct registry *reg,
    const struct conf_registry *conf);
/* The registry sees a split brain of the instance called name. */
bool daemon_ctl_split_brain(const struct registry *reg, const char *name);
/* vrrpctl cluster: CTL_REPLY_LATER, answered once the fleet is read. */
struct json_object *daemon_ctl_cluster(struct ctl_server *srv,
    struct registry *reg, const struct conf_registry *conf,
    const struct ctl_req *req);

#endif /* VRRPD_CONTROL_PRIV_H */
