#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# static_ipaddress, static_routes and static_rules (keepalived.conf
# syntax): there from the start, whatever the instance's state; a reload
# that keeps them leaves them alone and one that changes a route replaces
# only that route; a tracked static route deleted by someone else is put
# back, one with no_track is not; a stop removes them all (keepalived
# 2.2.7 does the same).
. "$(dirname "$0")/lib.sh"

lan
host a 1
# conf ROUTE2: the second static route's line
conf() {
	cat >"$WORK/a.conf" <<EOC
static_ipaddress {
	203.0.113.1/24 dev eth0
	2001:db8:7::1/64 dev eth0
}
static_routes {
	198.51.100.0/24 via 192.0.2.254 dev eth0 table 200
	$1
	2001:db8:9::/48 via 2001:db8::fe dev eth0
	blackhole 198.51.100.128/25 table 201 no_track
}
static_rules {
	from 203.0.113.0/24 table 200 preference 200
	inet6 from 2001:db8:7::/64 table 200 preference 201
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	version 3
	priority 100
	advert_int 0.1
	virtual_ipaddress {
		192.0.2.100/24
	}
}
EOC
}
conf "198.51.100.0/25 via 192.0.2.253 dev eth0 table 200"

# count: the static entries present (2 addresses, 4 routes, 2 rules)
count() {
	n=$(ns a)
	{
		ip -n "$n" -o addr show dev eth0 to 203.0.113.1/32
		ip -n "$n" -o addr show dev eth0 to 2001:db8:7::1/128
		ip -n "$n" route show table 200 198.51.100.0/24
		ip -n "$n" route show table 200 198.51.100.0/25
		ip -n "$n" -6 route show 2001:db8:9::/48
		ip -n "$n" route show table 201 198.51.100.128/25
		ip -n "$n" rule show pref 200
		ip -n "$n" -6 rule show pref 201
	} 2>/dev/null | grep -c .
}
all() { [ "$(count)" -eq 8 ]; }
none() { [ "$(count)" -eq 0 ]; }

# monitor NAME: ip monitor in a's namespace into WORK/NAME.log, returning
# once it is seen to report (a marker route in table 250 comes and goes).
monitor() {
	start_in a "$1" ip monitor route rule address
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
ms=$(until_ok 3 all) || fail "only $(count) of 8 static entries"
until_ok 1 log_has a "(VI_1) INIT -> BACKUP" >/dev/null ||
    fail "VI_1 did not start"
pass "8 static entries present ${ms} ms after the start, VI_1 BACKUP"
ip -n "$(ns a)" route show table 200 198.51.100.0/24 |
    grep -q "via 192.0.2.254 dev eth0 proto keepalived" ||
    fail "the static route is not as written"

# Unchanged at a reload: nothing removed or added.
monitor mon
kill -HUP "$(pid_of a)"
until_ok 2 log_has a "reload: 1 kept" >/dev/null || fail "no reload"
stays 1 all || fail "a static entry went away at the reload"
stop mon
grep -E "198.51.100|203.0.113|2001:db8:[79]|lookup 200" "$WORK/mon.log" &&
    fail "the reload touched static entries (ip monitor above)"
pass "a reload with the same statics touches none of them"

# One route changed: only it is replaced.
conf "198.51.100.0/26 via 192.0.2.253 dev eth0 table 200"
monitor mon2
kill -HUP "$(pid_of a)"
until_ok 2 sh -c "[ \$(grep -c 'reload: 1 kept' '$WORK/a.log') -ge 2 ]" \
    >/dev/null || fail "no second reload"
until_ok 1 sh -c "ip -n $(ns a) route show table 200 198.51.100.0/26 |
    grep -q ." >/dev/null || fail "the new static route is missing"
ip -n "$(ns a)" route show table 200 198.51.100.0/25 | grep -q . &&
    fail "the old static route is still there"
stop mon2
[ "$(grep -c -E "198.51.100|203.0.113|2001:db8:[79]|lookup 200" \
    "$WORK/mon2.log")" -eq 2 ] ||
    fail "more than the changed route moved: $(cat "$WORK/mon2.log")"
pass "a reload that changes one static route replaces only that one"

# Deleted behind vrrpd's back: tracked ones come back, no_track not.
ip -n "$(ns a)" route del 198.51.100.0/24 table 200
until_ok 2 sh -c "ip -n $(ns a) route show table 200 198.51.100.0/24 |
    grep -q ." >/dev/null || fail "the deleted static route did not come back"
log_has a "static: route 198.51.100.0/24 via 192.0.2.254 dev eth0 table 200 \
restored (removed by" || fail "the restore was not logged"
ip -n "$(ns a)" route del 198.51.100.128/25 table 201
stays 1 sh -c "! ip -n $(ns a) route show table 201 | grep -q ." ||
    fail "a no_track static route was put back"
pass "a deleted static route is restored; a no_track one is not"

# A stop removes every static entry (keepalived 2.2.7 does too).
stop a
none || fail "$(count) static entries left after the stop"
pass "the stop removed the static addresses, routes and rules"
finish
