#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# VRRPv2 with simple password authentication, configured in keepalived.conf
# syntax (VRRPv2 is keepalived's default; advert_int 1). Two nodes with the
# same password elect the higher priority, which holds the VIP. A third
# node with the same VRID, a higher priority and a wrong password is then
# started: a and b drop and log its adverts ("authentication failure"), so
# a stays master and b stays backup. c hears no valid advert either and
# becomes master on its own side, which is expected.
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
host c 3
# conf NAME PRIORITY PASSWORD
conf() {
	cat >"$WORK/$1.conf" <<EOC
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass $3
	}
	virtual_ipaddress {
		192.0.2.100/24
	}
}
EOC
}
conf a 150 secret
conf b 100 secret
conf c 200 wrong
start a "$WORK/a.conf"
start b "$WORK/b.conf"

# a's Master_Down_Interval is 3 * 1 s + (256 - 150) / 256 s, 3.41 s.
ms=$(until_ok 8 has_addr a 192.0.2.100) || fail "a never became master"
pass "a holds the VIP after ${ms} ms"
log_has a "BACKUP -> MASTER" || fail "a did not log BACKUP -> MASTER"
until_ok 2 lacks_addr b 192.0.2.100 >/dev/null || fail "b holds the VIP"
log_has b "INIT -> BACKUP" || fail "b not backup"
# b's own down interval is 3.61 s: it hears a's authenticated adverts.
stays 4 lacks_addr b 192.0.2.100 || fail "b took the VIP while a is master"
log_has a "advert dropped" && fail "a dropped a valid advert"
log_has b "advert dropped" && fail "b dropped a valid advert"
pass "b stays backup on a's authenticated adverts"

start c "$WORK/c.conf"
# c drops a's adverts and becomes master after its 3.22 s down interval;
# only then does it send adverts, which a and b must drop.
ms=$(until_ok 8 has_addr c 192.0.2.100) || fail "c never became master"
pass "c (wrong password) became master on its own after ${ms} ms"
log_has c "advert dropped: authentication failure: .* 192.0.2.1 >" ||
    fail "c did not log dropping a's adverts"
until_ok 3 log_has a \
    "advert dropped: authentication failure: v2 vrid 51 prio 200 .* 192.0.2.3 >" \
    >/dev/null || fail "a did not log dropping c's adverts"
until_ok 3 log_has b \
    "advert dropped: authentication failure: v2 vrid 51 prio 200 .* 192.0.2.3 >" \
    >/dev/null || fail "b did not log dropping c's adverts"
pass "a and b drop c's adverts"
stays 3 has_addr a 192.0.2.100 || fail "a lost the VIP to c"
lacks_addr b 192.0.2.100 || fail "b took the VIP"
grep -c "MASTER" "$WORK/a.log" | grep -qx 1 ||
    fail "a changed state after c started"
log_has b "BACKUP -> MASTER" && fail "b became master"
pass "a stays master, b stays backup, for 3 s of c's adverts"
# every dropped advert is counted, by reason (SIGUSR2 logs the counters)
kill -USR2 "$(pid_of b)"
until_ok 2 log_has b "(VI_1) stats: .*vrrpStatsAuthFailures [0-9]" \
    >/dev/null || fail "b did not count c's adverts as auth failures"
n=$(sed -n 's/.*(VI_1) stats: .*vrrpStatsAuthFailures \([0-9]*\).*/\1/p' \
    "$WORK/b.log")
# c adverts once a second: at least the 3 s of the check above
[ "$n" -ge 3 ] || fail "only $n auth failures counted in 3 s of adverts"
pass "b counted $n authentication failures"
m=$(field b .instances[0].counters.auth_failure stats) ||
    fail "vrrpctl stats on b"
[ "$m" -ge "$n" ] || fail "vrrpctl stats says $m auth failures, SIGUSR2 $n"
pass "vrrpctl stats on b: auth_failure $m"
finish
pass "daemons stopped cleanly"
