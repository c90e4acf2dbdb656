#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# keepalived vrrp_track_process + track_process, as keepalived.conf: the
# master tracks its service by process name (a copy of sleep under a name
# of this run's own) with weight -60; when the process exits the priority
# drops from 150 to 90 and the backup takes over; when it runs again the
# master preempts back. The kernel sends process events (the proc
# connector) to the initial network namespace only, so here vrrpd says so
# and reads /proc every second instead; the unit tests cover the events.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
SVC="vsvc$$"
lan
host a 1
host b 2
pair_yaml $VIP
cp /bin/sleep "$WORK/$SVC"
cat >"$WORK/a.conf" <<EOC
global_defs {
	vrrp_version 3
}
vrrp_track_process svc {
	process $SVC
	quorum 1
	weight -60
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 150
	advert_int 0.1
	virtual_ipaddress {
		$VIP/24
	}
	track_process {
		svc
	}
}
EOC
start_in a svc "$WORK/$SVC" 120
start a "$WORK/a.conf"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
stays 1 has_addr a $VIP || fail "a lost the VIP with its process running"

stop svc
ms=$(until_ok 3 has_addr b $VIP) || fail "b did not take over"
log_has a "track_process svc: 0 processes, down" ||
    fail "a did not log the process set going down"
log_has a "(VI_1) priority 150 -> 90: " || fail "no priority line"
log_has a "track_process: no process events here" ||
    fail "a did not say it reads /proc instead of process events"
pass "process gone: a's priority 150 -> 90, b took over after $ms ms"

start_in a svc "$WORK/$SVC" 120
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not preempt back"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b kept the VIP"
pass "process back: a preempted after $ms ms"
finish
pass "daemons stopped cleanly"
