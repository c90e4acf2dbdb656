#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Interoperation with keepalived (/usr/sbin/keepalived, -P: VRRP only) as
# the peer of vrrpd on one LAN, in four separate runs: (a) VRRPv2 IPv4
# multicast with keepalived the master: vrrpd takes over when keepalived's
# link is cut and keepalived preempts back when it returns; (b) the same
# with vrrpd the master; (c) VRRPv3 IPv4 at 100 ms (both use the IPv4
# pseudo-header checksum by default), vrrpd master, keepalived takes over
# on a link cut, vrrpd preempts back; (d) VRRPv3 IPv6 at 100 ms,
# keepalived master, vrrpd takes over on a link cut, keepalived preempts
# back. Each side's state is read from the VIP on its interface.
. "$(dirname "$0")/lib.sh"

KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
[ -x "$KEEPALIVED" ] ||
    fail "no keepalived at $KEEPALIVED (the project's bootstrap installs it)"

lan
host k 1 # keepalived
host v 2 # vrrpd

# ka CASE: start keepalived on k with WORK/k-CASE.conf: in the foreground
# (-n), VRRP only (-P), no respawn (-R), log to the console only (-l -G),
# with every pid file in WORK.
ka() {
	start_cmd k "$KEEPALIVED" -n -P -R -l -D -G -f "$WORK/k-$1.conf" \
	    -p "$WORK/k.pid" -r "$WORK/k-vrrp.pid" -c "$WORK/k-chk.pid" \
	    -b "$WORK/k-bfd.pid"
}

# vr CASE: start vrrpd on v with WORK/v-CASE.yaml.
vr() { start v "$WORK/v-$1.yaml"; }

# ka_conf CASE PRIORITY VRID INTERVAL VIP [VERSION]
ka_conf() {
	ver=""
	[ -z "${6:-}" ] || ver="version $6"
	cat >"$WORK/k-$1.conf" <<EOC
global_defs {
	router_id k
}
vrrp_instance VI_$1 {
	state BACKUP
	interface eth0
	virtual_router_id $3
	priority $2
	advert_int $4
	$ver
	virtual_ipaddress {
		$5
	}
}
EOC
}

# vr_conf CASE PRIORITY VRID INTERVAL VIP VERSION
vr_conf() {
	cat >"$WORK/v-$1.yaml" <<EOC
instances:
  VI_$1:
    interface: eth0
    vrid: $3
    version: $6
    priority: $2
    advert_interval: $4
    virtual_ipaddress: [$5]
EOC
}

# ka_complains: keepalived logged one of its receive errors about an
# advert (vrrp.c: checksum, version, TTL, interval, address list, length).
ka_complains() {
	grep -E "Invalid VRRPv[23] checksum|wrong version|invalid TTL/HL|\
TTL/HL .* not in range|advertisement interval mismatch|\
not present in MASTER advert|mismatch against received length" \
	    "$WORK/k.log"
}

# end_case CASE VIP: stop both (bounded), keep their logs as k-CASE.log
# and v-CASE.log, and check that both released the VIP on the way out.
end_case() {
	stop k v
	! ka_complains || fail "($1) keepalived rejected vrrpd's adverts"
	! grep -E "advert dropped|advert lists other addresses" \
	    "$WORK/v.log" || fail "($1) vrrpd rejected keepalived's adverts"
	mv "$WORK/k.log" "$WORK/k-$1.log"
	mv "$WORK/v.log" "$WORK/v-$1.log"
	lacks_addr k "$2" || fail "($1) keepalived left $2 behind"
	lacks_addr v "$2" || fail "($1) vrrpd left $2 behind"
	grep -l -E 'Sanitizer|runtime error:' "$WORK/v-$1.log" >/dev/null &&
	    fail "($1) sanitizer report in vrrpd's log"
	link_up k
	link_up v
}

# failover CASE VIP MASTER BACKUP STARTUP_S DOWN_S HOLD_S: MASTER (k or
# v) wins the election within STARTUP_S, BACKUP stays backup, cutting
# MASTER's link moves the VIP to BACKUP within DOWN_S, restoring it moves
# it back within STARTUP_S, and MASTER then keeps it for HOLD_S (0: no
# check, where the 1 s VRRPv2 intervals make it too slow).
failover() {
	c=$1 vip=$2 m=$3 b=$4
	ms=$(until_ok "$5" has_addr "$m" "$vip") ||
	    fail "($c) $m never became master"
	pass "($c) $m holds $vip after ${ms} ms"
	until_ok 2 lacks_addr "$b" "$vip" >/dev/null ||
	    fail "($c) $b holds $vip too"
	# past BACKUP's own down interval: it hears MASTER's adverts
	stays 1 lacks_addr "$b" "$vip" || fail "($c) $b took $vip from $m"
	has_addr "$m" "$vip" || fail "($c) $m lost $vip"
	pass "($c) $b stays backup"

	link_down "$m"
	ms=$(until_ok "$6" has_addr "$b" "$vip") ||
	    fail "($c) $b did not take over"
	until_ok 2 lacks_addr "$m" "$vip" >/dev/null ||
	    fail "($c) $m kept $vip with its link down"
	pass "($c) $b took over ${ms} ms after $m's link cut"

	link_up "$m"
	ms=$(until_ok "$5" has_addr "$m" "$vip") ||
	    fail "($c) $m did not preempt back"
	until_ok 2 lacks_addr "$b" "$vip" >/dev/null ||
	    fail "($c) $b kept $vip after $m preempted"
	pass "($c) $m preempted back in ${ms} ms"
	stays "$7" has_addr "$m" "$vip" || fail "($c) $m lost $vip again"
	lacks_addr "$b" "$vip" || fail "($c) $b took $vip again"
}

# (a) VRRPv2 IPv4, keepalived 150 (master) vs vrrpd 100, 1 s adverts.
ka_conf a 150 71 1 192.0.2.71/24
vr_conf a 100 71 1s 192.0.2.71/24 2
ka a
vr a
# k's Master_Down_Interval is 3.41 s, v's 3.61 s.
failover a 192.0.2.71 k v 7 7 0
end_case a 192.0.2.71

# (b) VRRPv2 IPv4, vrrpd 150 (master) vs keepalived 100.
ka_conf b 100 72 1 192.0.2.72/24
vr_conf b 150 72 1s 192.0.2.72/24 2
ka b
vr b
failover b 192.0.2.72 v k 7 7 0
end_case b 192.0.2.72

# (c) VRRPv3 IPv4 at 100 ms, vrrpd 150 (master) vs keepalived 100.
ka_conf c 100 73 0.1 192.0.2.73/24 3
vr_conf c 150 73 100ms 192.0.2.73/24 3
ka c
vr c
failover c 192.0.2.73 v k 3 3 1
end_case c 192.0.2.73

# (d) VRRPv3 IPv6 at 100 ms, keepalived 150 (master) vs vrrpd 100; both
# send from eth0's link-local address, which finished DAD long ago.
ka_conf d 150 74 0.1 2001:db8::74/64 3
vr_conf d 100 74 100ms 2001:db8::74/64 3
ka d
vr d
failover d 2001:db8::74 k v 3 3 1
end_case d 2001:db8::74

finish
pass "all four cases"
