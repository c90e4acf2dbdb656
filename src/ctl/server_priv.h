/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Knobs of the control socket and the metrics listener that only the unit
 * tests turn: the daemon keeps the 5 s defaults.
 */

#ifndef VRRPD_CTL_SERVER_PRIV_H
#define VRRPD_CTL_SERVER_PRIV_H

#include "vrrpd/ctl.h"

/* Each client's deadline for the whole exchange, in seconds (default 5);
 * applies to clients accepted after the call. */
void ctl_server_set_deadline(struct ctl_server *s, double seconds);
void ctl_http_set_deadline(struct ctl_http *h, double seconds);

#endif /* VRRPD_CTL_SERVER_PRIV_H */
