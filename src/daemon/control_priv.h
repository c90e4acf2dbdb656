/* SPDX-License-Identifier: BSD-2-Clause */
/* Inside the daemon's control side: control.c and control_checks.c. */

#ifndef VRRPD_CONTROL_PRIV_H
#define VRRPD_CONTROL_PRIV_H

struct json_object;
struct vrrp_router;

/* The "checks" and "trackers" arrays of vrrpctl checks. */
struct json_object *daemon_ctl_checks(const struct vrrp_router *r);
struct json_object *daemon_ctl_trackers(const struct vrrp_router *r);

#endif /* VRRPD_CONTROL_PRIV_H */
