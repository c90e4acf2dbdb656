#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# keepalived track_file, in keepalived.conf syntax: init_file creates the
# file with 0; writing 1 into it (value x weight -60) drops a's priority
# from 150 to 90, below b's 100, and b takes over; a file replaced by
# rename with 0 in it gives a its priority back and it preempts. The file
# is watched (inotify), not polled.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
host a 1
host b 2
pair_yaml $VIP
cat >"$WORK/a.conf" <<EOC
global_defs {
	vrrp_version 3
}
track_file maint {
	file "$WORK/maint"
	weight -60
	init_file 0
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
	track_file {
		maint
	}
}
EOC
start a "$WORK/a.conf"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
[ "$(cat "$WORK/maint")" = 0 ] || fail "init_file did not write 0"
log_has a "not applied" && fail "a says the track_file is not applied"

echo 1 >"$WORK/maint"
ms=$(until_ok 3 has_addr b $VIP) || fail "b did not take over"
log_has a "track_file maint: $WORK/maint now 1 (was 0)" ||
    fail "a did not log the new value"
log_has a "(VI_1) priority 150 -> 90: " || fail "no priority line"
until_ok 2 lacks_addr a $VIP >/dev/null || fail "a kept the VIP"
pass "maint 1: a's priority 150 -> 90, b took over after $ms ms"

echo 0 >"$WORK/maint.new"
mv "$WORK/maint.new" "$WORK/maint"
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not preempt back"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b kept the VIP"
pass "maint replaced by rename with 0: a preempted after $ms ms"
finish
pass "daemons stopped cleanly"
