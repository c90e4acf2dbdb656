#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A reload that re-creates an instance (its priority changed) while the
# vrrp_track_process it tracks is carried over unchanged: the process set
# must then move the new instance, and never reach the freed old one (a
# use-after-free under AddressSanitizer before the one-tracker rebuild:
# vrrp_track_unbind ended check and file subscriptions, not process ones).
# Then a reload with nothing changed, and one that drops the track: the
# process no longer moves anything. finish fails on any sanitizer report.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
SVC="vrsv$$"
lan
host a 1
host b 2
pair_yaml $VIP
cp /bin/sleep "$WORK/$SVC"
# conf_a PRIORITY [TRACK]: a's keepalived.conf, tracking svc unless TRACK=no
conf_a() {
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
	priority $1
	advert_int 0.1
	virtual_ipaddress {
		$VIP/24
	}
$([ "${2:-yes}" = no ] || printf '\ttrack_process {\n\t\tsvc\n\t}\n')
}
EOC
}
# reloads NAME N: wait until NAME has logged N accepted reloads
reloads() {
	until_ok 3 sh -c "[ \$(grep -c 'reload: [0-9]* kept' \
	    '$WORK/$1.log') -ge $2 ]" >/dev/null
}

conf_a 150
start_in a svc "$WORK/$SVC" 120
start a "$WORK/a.conf"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"

conf_a 155
kill -HUP "$(pid_of a)"
reloads a 1 || fail "the reload was not applied"
log_has a "reload: 0 kept, 1 re-created" || fail "VI_1 was not re-created"
until_ok 3 is a '.instances[0].priority.effective' 155 >/dev/null ||
    fail "a's new instance does not run at 155"
until_ok 3 has_addr a $VIP >/dev/null || fail "a did not take the VIP back"
pass "VI_1 re-created at 155 with the process set carried over"

stop svc
ms=$(until_ok 5 has_addr b $VIP) || fail "b did not take over"
until_ok 2 is a '.instances[0].priority.effective' 95 >/dev/null ||
    fail "the process set did not move the new instance (155 - 60)"
kill -0 "$(pid_of a)" 2>/dev/null || fail "a died when the process stopped"
pass "process gone: the new instance went to 95, b took over after $ms ms"

start_in a svc "$WORK/$SVC" 120
ms=$(until_ok 5 has_addr a $VIP) || fail "a did not preempt back"
pass "process back: a preempted after $ms ms"

kill -HUP "$(pid_of a)"
reloads a 2 || fail "the unchanged reload was not applied"
log_has a "reload: 1 kept, 0 re-created" || fail "VI_1 was not kept"
conf_a 155 no
kill -HUP "$(pid_of a)"
reloads a 3 || fail "the reload without the track was not applied"
until_ok 3 has_addr a $VIP >/dev/null || fail "a did not take the VIP back"
stop svc
stays 2 has_addr a $VIP || fail "an untracked process moved a"
[ "$(field a '.instances[0].priority.effective')" = 155 ] ||
    fail "a's priority moved without a track"
pass "unchanged reload kept VI_1; once untracked, the process moves nothing"
finish
pass "daemons stopped cleanly"
