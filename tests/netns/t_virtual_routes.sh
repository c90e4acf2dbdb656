#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# virtual_routes and virtual_rules (keepalived.conf syntax, IPv4 and
# IPv6): the master holds them with its VIP, and they move with it: on a
# takeover they appear on the new master and go from the old one, within
# the takeover. A reload that keeps the instance neither removes nor
# re-adds them (ip monitor sees nothing); a tracked route deleted behind
# the master's back makes it step down and take it back, and a tracked
# route's interface going down puts the instance in FAULT (keepalived
# 2.2.7); a graceful stop removes them.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
lan2
host a 1
host b 2
host2 a 1
host2 b 2
# conf NAME PRIORITY
conf() {
	cat >"$WORK/$1.conf" <<EOC
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	version 3
	priority $2
	advert_int 0.1
	virtual_ipaddress {
		$VIP/24
	}
	virtual_routes {
		198.51.100.0/24 via 192.0.2.254 dev eth0 table 100 metric 5
		src $VIP 203.0.113.0/25 via 192.0.2.254 dev eth0
		blackhole 203.0.113.128/25 no_track
		2001:db8:5::/48 via 2001:db8::fe dev eth0
		2001:db8:6::/48 via 2001:db8:1::fe dev eth1
	}
	virtual_rules {
		from $VIP/32 table 100 preference 100
		inet6 from 2001:db8::100/128 table 100 preference 101
	}
}
EOC
}
conf a 150
conf b 100

# routes NAME: what we look for, one line per route or rule (7 in all)
routes() {
	n=$(ns "$1")
	{
		ip -n "$n" route show table 100 198.51.100.0/24
		ip -n "$n" route show 203.0.113.0/25
		ip -n "$n" route show 203.0.113.128/25
		ip -n "$n" -6 route show 2001:db8:5::/48
		ip -n "$n" -6 route show 2001:db8:6::/48
		ip -n "$n" rule show pref 100
		ip -n "$n" -6 rule show pref 101
	} 2>/dev/null | grep -c .
}
has_routes() { [ "$(routes "$1")" -eq 7 ]; }
no_routes() { [ "$(routes "$1")" -eq 0 ]; }

# monitor NAME: ip monitor in a's namespace into WORK/NAME.log, returning
# once it is seen to report (a marker route in table 250 comes and goes).
monitor() {
	start_in a "$1" ip monitor route rule
	i=0
	until grep -q 192.0.2.250 "$WORK/$1.log" 2>/dev/null; do
		[ $i -lt 100 ] || fail "ip monitor did not start"
		ip -n "$(ns a)" route replace 192.0.2.250/32 dev eth0 table 250
		ip -n "$(ns a)" route del 192.0.2.250/32 dev eth0 table 250
		sleep 0.02
		i=$((i + 1))
	done
}
start a "$WORK/a.conf"
ms=$(until_ok 5 has_addr a $VIP) || fail "a never became master"
until_ok 1 has_routes a >/dev/null || fail "a has $(routes a) of 7 routes"
ip -n "$(ns a)" route show table 100 | grep -q \
    "198.51.100.0/24 via 192.0.2.254 dev eth0 proto keepalived metric 5" ||
    fail "the route is not as written: $(ip -n "$(ns a)" route show table 100)"
ip -n "$(ns a)" route show 203.0.113.0/25 | grep -q "src $VIP" ||
    fail "the route has no src $VIP"
ip -n "$(ns a)" route show 203.0.113.128/25 | grep -q "^blackhole" ||
    fail "no blackhole route"
pass "a is master with its VIP, 5 routes and 2 rules after $ms ms"
start b "$WORK/b.conf"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
stays 1 no_routes b || fail "the backup b holds routes: $(routes b)"
log_has a "has no dev: it is not tracked" &&
    fail "a warned about a route marked no_track"

# Takeover: the routes move with the VIP.
link_down a
ms=$(until_ok 3 has_addr b $VIP) || fail "b did not take over"
until_ok 1 has_routes b >/dev/null || fail "b has $(routes b) of 7 routes"
until_ok 1 no_routes a >/dev/null || fail "a kept $(routes a) routes"
pass "link cut: the VIP, routes and rules moved to b in $ms ms"
link_up a
ms=$(until_ok 3 has_routes a) || fail "a did not take its routes back"
until_ok 1 no_routes b >/dev/null || fail "b kept $(routes b) routes"
has_addr a $VIP || fail "a has the routes but not the VIP"
pass "a preempted back: routes on a after $ms ms, gone from b"

# A reload that keeps the instance leaves the routes alone.
monitor mon
kill -HUP "$(pid_of a)"
until_ok 2 log_has a "reload: 1 kept, 0 re-created" >/dev/null ||
    fail "the reload did not keep VI_1"
stays 1 has_routes a || fail "a lost routes at the reload"
stop mon
grep -E "198.51.100|203.0.113|2001:db8:5|lookup 100" "$WORK/mon.log" &&
    fail "the reload touched routes or rules (ip monitor above)"
pass "a reload that keeps VI_1: no route or rule removed or added"

# A tracked route deleted behind the master's back: a steps down and
# the election gives it back (as a removed VIP does).
ip -n "$(ns a)" route del 198.51.100.0/24 table 100
until_ok 2 log_has a "(VI_1) route 198.51.100.0/24 via 192.0.2.254 dev eth0 \
table 100 metric 5 removed by pid [0-9]* .* while MASTER" >/dev/null ||
    fail "a did not say which route was removed, and by whom"
log_has a "(VI_1) MASTER -> BACKUP: a virtual route or rule was removed" ||
    fail "a did not step down"
ms=$(until_ok 3 has_routes a) || fail "a did not put its routes back"
pass "a tracked route removed: a stepped down, has it back after $ms ms"
# The interface of a tracked route goes down: FAULT, b takes over.
link2_down a
until_ok 2 log_has a "(VI_1) MASTER -> FAULT: tracked interface down" \
    >/dev/null || fail "a did not go to FAULT when eth1 went down"
until_ok 2 has_routes b >/dev/null || fail "b did not take the routes over"
until_ok 1 no_routes a >/dev/null || fail "a kept $(routes a) routes in FAULT"
link2_up a
ms=$(until_ok 3 has_routes a) || fail "a did not come back from FAULT"
until_ok 1 no_routes b >/dev/null || fail "b kept $(routes b) routes"
pass "a tracked route's interface down: a in FAULT, b master;" \
    "back on a ${ms} ms after it came up"
# no_track: the blackhole route may go, nothing happens.
n=$(grep -c -- " -> " "$WORK/a.log")
ip -n "$(ns a)" route del 203.0.113.128/25
stays 1 sh -c "[ \$(grep -c -- ' -> ' '$WORK/a.log') -eq $n ]" ||
    fail "a reacted to the removal of a no_track route"
pass "a no_track route removed: no reaction"

# A graceful stop removes them; b takes them.
stop a
until_ok 2 has_routes b >/dev/null || fail "b did not take the routes"
no_routes a || fail "a left $(routes a) routes behind at its stop"
pass "graceful stop: routes removed from a, on b"
finish
pass "daemons stopped cleanly"
