#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# keepalived nopreempt (with state BACKUP, which it needs), in
# keepalived.conf syntax, VRRPv3 at 100 ms. a, priority 150 and nopreempt,
# becomes master at startup (there is no master to defer to). Its link is
# cut: b, priority 100, takes over. When a's link comes back, a hears b's
# lower priority adverts and stays BACKUP, for more than 3 of its
# Master_Down_Intervals (3 * 100 ms + (256 - 150) / 256 * 100 ms = 341 ms),
# while b keeps the VIP. a takes over again only when b stops (priority 0).
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
# conf NAME PRIORITY [EXTRA]
conf() {
	cat >"$WORK/$1.conf" <<EOC
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	version 3
	priority $2
	advert_int 0.1
	${3:-}
	virtual_ipaddress {
		192.0.2.100/24
	}
}
EOC
}
conf a 150 nopreempt
conf b 100
# a first, so that it is master before b starts: no startup race.
start a "$WORK/a.conf"
ms=$(until_ok 5 has_addr a 192.0.2.100) || fail "a never became master"
pass "a holds the VIP after ${ms} ms"
start b "$WORK/b.conf"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
stays 1 lacks_addr b 192.0.2.100 || fail "b holds the VIP too"
log_has a "warning" && fail "a warned about its configuration"

link_down a
ms=$(until_ok 3 has_addr b 192.0.2.100) || fail "b did not take over"
pass "b took over ${ms} ms after a's link cut"
until_ok 1 log_has a "MASTER -> FAULT: interface down" >/dev/null ||
    fail "a did not go to FAULT"
until_ok 1 lacks_addr a 192.0.2.100 >/dev/null || fail "a kept the VIP"

na=$(grep -c -- "-> MASTER" "$WORK/a.log")
nb=$(grep -c -- "-> " "$WORK/b.log")
link_up a
until_ok 2 log_has a "FAULT -> BACKUP: fault cleared" >/dev/null ||
    fail "a did not leave FAULT when its link came back"
# 2 s is more than 5 of a's Master_Down_Intervals: a hears b and defers.
stays 2 sh -c "! ip -n $(ns a) -o addr show dev eth0 | grep -q ' 192.0.2.100/' &&
    ip -n $(ns b) -o addr show dev eth0 | grep -q ' 192.0.2.100/'" ||
    fail "a (nopreempt) took the VIP from b, or b lost it"
[ "$(grep -c -- "-> MASTER" "$WORK/a.log")" -eq "$na" ] ||
    fail "a became master again with nopreempt"
[ "$(grep -c -- "-> " "$WORK/b.log")" -eq "$nb" ] ||
    fail "b changed state while a was back"
pass "a stays backup behind lower priority b for 2 s"
why=$(field a .instances[0].why)
[ "$why" = "preempt off; current master 192.0.2.2 priority 100 < ours 150" ] ||
    fail "a's vrrpctl why line: $why"
pass "vrrpctl status says why: $why"

stop b
ms=$(until_ok 2 has_addr a 192.0.2.100) || fail "a did not take over from b"
pass "a took over ${ms} ms after b exited"
log_has a "BACKUP -> MASTER: master sent priority 0" ||
    fail "a did not log taking over on b's priority 0"
finish
pass "daemons stopped cleanly"
