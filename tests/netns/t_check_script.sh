#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# keepalived's vrrp_script + track_script, as keepalived.conf: a script
# check (test -e FILE, run without a shell) with weight -60 and fall 2
# moves mastership from a to b while the file is missing, and back when
# it returns; the script's exit status is the cause in the log line. Then
# the same check in native YAML (type: script).
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
host a 1
host b 2
pair_yaml $VIP
touch "$WORK/up"
cat >"$WORK/a.conf" <<EOC
global_defs {
	vrrp_version 3
	script_user root
}
vrrp_script chk_up {
	script "/usr/bin/test -e $WORK/up"
	interval 0.1
	timeout 1
	fall 2
	rise 2
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
	track_script {
		chk_up
	}
}
EOC
start a "$WORK/a.conf"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
stays 1 has_addr a $VIP || fail "a lost the VIP while the script passes"

rm "$WORK/up"
ms=$(until_ok 3 has_addr b $VIP) || fail "b did not take over"
log_has a "check chk_up: down after 2 failures (script exit 1)" ||
    fail "a did not log the script failing with its status"
log_has a "(VI_1) priority 150 -> 90: check chk_up down (script exit 1)" ||
    fail "a did not log the priority change"
until_ok 2 lacks_addr a $VIP >/dev/null || fail "a kept the VIP"
pass "script fails: a's priority 150 -> 90, b took over after $ms ms"

touch "$WORK/up"
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not preempt back"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b kept the VIP"
pass "script passes again: a preempted after $ms ms"

stop a
cat >"$WORK/a.yaml" <<EOC
global:
  script_user: root
checks:
  up: { type: script, command: "/usr/bin/test -e $WORK/up",
        interval: 100ms, timeout: 1s, fall: 2, rise: 2, weight: -60 }
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: 150
    advert_interval: 100ms
    virtual_ipaddress: [$VIP/24]
    track: [{ check: up }]
EOC
start a "$WORK/a.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a (YAML) never became master"
rm "$WORK/up"
until_ok 3 has_addr b $VIP >/dev/null || fail "b did not take over (YAML)"
log_has a "(VI_1) priority 150 -> 90: check up down (script exit 1)" ||
    fail "the YAML script check did not lower a's priority"
touch "$WORK/up"
until_ok 3 has_addr a $VIP >/dev/null || fail "a did not preempt (YAML)"
pass "the same as a YAML script check"
finish
pass "daemons stopped cleanly"
