/* SPDX-License-Identifier: BSD-2-Clause */
/* Process-wide facts shared by vrrpd and vrrpctl. */

#ifndef VRRPD_DAEMON_H
#define VRRPD_DAEMON_H

#define VRRPD_VERSION "0.1.0"

#endif /* VRRPD_DAEMON_H */
