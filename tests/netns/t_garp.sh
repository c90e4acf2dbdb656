#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Gratuitous ARP with keepalived's keywords, measured in the capture: on
# becoming master a burst of garp_master_repeat per VIP, a second burst
# garp_master_delay later, a refresh of garp_master_refresh_repeat every
# garp_master_refresh, and vrrp_garp_interval between any two GARPs on
# the interface. Then a backlog of lower-priority adverts (a master frozen
# with SIGSTOP while its backup took over, then resumed) earns one
# re-announce burst, not one per advert.
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
for n in a b; do
	prio=150
	[ $n = b ] && prio=100
	cat >"$WORK/$n.conf" <<EOC
global_defs {
	vrrp_version 3
	vrrp_garp_interval 0.05
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $prio
	advert_int 0.1
	garp_master_repeat 3
	garp_master_delay 1
	garp_master_refresh 1
	garp_master_refresh_repeat 2
	virtual_ipaddress {
		192.0.2.100/24
		192.0.2.101/24
	}
}
EOC
done
capture_start cap arp
start a "$WORK/a.conf"
until_ok 5 has_addr a 192.0.2.101 >/dev/null || fail "a never became master"
t0=$(date +%s%N)
# first burst, second burst after 1 s, refreshes at 1 s and 2 s
until_ok 5 sh -c "[ \$(date +%s%N) -gt $((t0 + 2600000000)) ]" >/dev/null
capture_stop cap
capture_text cap arp | awk '/tell 192.0.2.10[01],/ { print $1 }' \
    >"$WORK/garps"
n=$(wc -l <"$WORK/garps")
# 3 x 2 at once, 3 x 2 at 1 s, 2 x 2 at 1 s and 2 s (refresh)
[ "$n" -eq 20 ] || fail "$n GARPs in 2.6 s, expected 6 + 6 + 4 + 4"
gap=$(awk 'p { g = $1 - p; if (m == "" || g < m) m = g } { p = $1 }
	END { printf "%d", m * 1000 }' "$WORK/garps")
[ "$gap" -ge 49 ] || fail "two GARPs only $gap ms apart (interval 50 ms)"
first=$(awk 'NR == 1 { f = $1 } NR == 6 { printf "%d", ($1 - f) * 1000 }' \
    "$WORK/garps")
[ "$first" -lt 300 ] || fail "the first burst took $first ms"
second=$(awk 'NR == 1 { f = $1 } NR == 7 { printf "%d", ($1 - f) * 1000 }' \
    "$WORK/garps")
[ "$second" -ge 990 ] && [ "$second" -lt 1400 ] ||
    fail "the second burst began $second ms after the first"
pass "GARPs: $n in 2.6 s, bursts of 3 per VIP, second burst at" \
    "$second ms, refresh of 2, at least $gap ms apart"

# a again without refresh or second bursts, so only re-announces show.
stop a
sed -i -e '/garp_master_refresh/d' -e 's/garp_master_delay 1/garp_master_delay 0/' \
    -e 's/garp_master_repeat 3/garp_master_repeat 3\n\tgarp_lower_prio_delay 0/' \
    "$WORK/a.conf"
start b "$WORK/b.conf"
until_ok 3 has_addr b 192.0.2.100 >/dev/null || fail "b is not master"
start a "$WORK/a.conf"
until_ok 3 has_addr a 192.0.2.100 >/dev/null || fail "a did not preempt"
until_ok 2 lacks_addr b 192.0.2.100 >/dev/null || fail "b kept the VIP"
# its burst (6 GARPs 50 ms apart) is over before the freeze
stays 1 has_addr a 192.0.2.100 || fail "a lost the VIP"
# Freeze a: b takes over and adverts as master; resumed, a finds a
# backlog of lower-priority adverts from another master in its socket.
kill -STOP "$(pid_of a)"
until_ok 3 has_addr b 192.0.2.100 >/dev/null || fail "b did not take over"
stays 1 has_addr b 192.0.2.100 || fail "b lost the VIP while a is frozen"
capture_start resume arp
kill -CONT "$(pid_of a)"
until_ok 2 lacks_addr b 192.0.2.100 >/dev/null || fail "b kept the VIP"
stays 2 has_addr a 192.0.2.100 || fail "a lost the VIP"
capture_stop resume
mac=$(ip -n "$(ns a)" -br link show dev eth0 | awk '{ print $3 }')
n=$(capture_count resume "^[0-9.]* $mac > .*tell 192.0.2.10[01]," arp)
# one lower-priority burst: garp_lower_prio_repeat (5) per VIP
[ "$n" -eq 10 ] || fail "$n GARPs from a after resuming, not one burst of 10"
pass "after resuming, a re-announced once: $n GARPs for a backlog of adverts"
finish
pass "daemons stopped cleanly"
