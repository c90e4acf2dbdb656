#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Interoperation with keepalived (/usr/sbin/keepalived, -P: VRRP only)
# over VRRPv3/IPv4 unicast at 100 ms: keepalived names unicast_src_ip and
# unicast_peer, vrrpd source and unicast_peers, each the other's address.
# Two runs: (a) keepalived the master: vrrpd stays backup on its unicast
# adverts, takes over when keepalived's link is cut, and keepalived
# preempts back when it returns; (b) the reverse, vrrpd the master. Each
# phase has one master (checked over 1 s), neither side logs a rejected
# advert, and the capture shows VRRP only between the two unicast
# addresses, in both directions, never to 224.0.0.18, every checksum
# verifying with the IPv4 pseudo-header over the real (unicast)
# destination, recomputed from the capture.
. "$(dirname "$0")/lib.sh"

KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
[ -x "$KEEPALIVED" ] ||
    fail "no keepalived at $KEEPALIVED (the project's bootstrap installs it)"

lan
host k 1 # keepalived
host v 2 # vrrpd

# ka CASE: keepalived on k with WORK/k-CASE.conf, as in
# t_keepalived_interop.sh: foreground, VRRP only, no respawn, console log,
# every pid file in WORK.
ka() {
	start_cmd k "$KEEPALIVED" -n -P -R -l -D -G -f "$WORK/k-$1.conf" \
	    -p "$WORK/k.pid" -r "$WORK/k-vrrp.pid" -c "$WORK/k-chk.pid" \
	    -b "$WORK/k-bfd.pid"
}
vr() { start v "$WORK/v-$1.yaml"; }

# ka_conf CASE PRIORITY VRID VIP
ka_conf() {
	cat >"$WORK/k-$1.conf" <<EOC
global_defs {
	router_id k
}
vrrp_instance VI_$1 {
	state BACKUP
	interface eth0
	virtual_router_id $3
	priority $2
	advert_int 0.1
	version 3
	unicast_src_ip 192.0.2.1
	unicast_peer {
		192.0.2.2
	}
	virtual_ipaddress {
		$4
	}
}
EOC
}

# vr_conf CASE PRIORITY VRID VIP
vr_conf() {
	cat >"$WORK/v-$1.yaml" <<EOC
instances:
  VI_$1:
    interface: eth0
    vrid: $3
    version: 3
    priority: $2
    advert_interval: 100ms
    source: 192.0.2.2
    unicast_peers: [192.0.2.1]
    virtual_ipaddress: [$4]
EOC
}

# keepalived's receive errors about an advert (vrrp.c), as in the interop
# test, and vrrpd's
ka_complains() {
	grep -E "Invalid VRRPv[23] checksum|wrong version|invalid TTL/HL|\
TTL/HL .* not in range|advertisement interval mismatch|\
not present in MASTER advert|mismatch against received length|\
unicast src|not a configured unicast peer" "$WORK/k.log"
}
vr_complains() {
	grep -E "advert dropped|advert lists other addresses" "$WORK/v.log"
}

one_master() {
	if has_addr k "$vip"; then lacks_addr v "$vip"; else has_addr v "$vip"; fi
}

# failover CASE VIP MASTER BACKUP: MASTER wins, BACKUP stays backup on its
# unicast adverts, a link cut of MASTER moves the VIP to BACKUP, MASTER
# preempts back when its link returns and keeps the VIP.
failover() {
	c=$1 vip=$2 m=$3 b=$4
	ms=$(until_ok 3 has_addr "$m" "$vip") ||
	    fail "($c) $m never became master"
	pass "($c) $m holds $vip after ${ms} ms"
	until_ok 2 lacks_addr "$b" "$vip" >/dev/null ||
	    fail "($c) $b holds $vip too"
	# 1 s: nearly 3 of BACKUP's down intervals (361 ms / 391 ms)
	stays 1 lacks_addr "$b" "$vip" || fail "($c) $b took $vip from $m"
	has_addr "$m" "$vip" || fail "($c) $m lost $vip"
	pass "($c) $b stays backup on $m's unicast adverts"

	link_down "$m"
	ms=$(until_ok 3 has_addr "$b" "$vip") ||
	    fail "($c) $b did not take over"
	until_ok 2 lacks_addr "$m" "$vip" >/dev/null ||
	    fail "($c) $m kept $vip with its link down"
	pass "($c) $b took over ${ms} ms after $m's link cut"

	link_up "$m"
	ms=$(until_ok 3 has_addr "$m" "$vip") ||
	    fail "($c) $m did not preempt back"
	until_ok 2 lacks_addr "$b" "$vip" >/dev/null ||
	    fail "($c) $b kept $vip after $m preempted"
	pass "($c) $m preempted back in ${ms} ms"
	stays 1 one_master || fail "($c) two masters (or none) after the preempt"
	has_addr "$m" "$vip" || fail "($c) $m lost $vip again"
}

# vrrp_seen CASE FROM TO: the capture has VRRPv3 adverts FROM -> TO
vrrp_seen() {
	capture_count "$1" "IPv4 .* 192\.0\.2\.$2 > 192\.0\.2\.$3: VRRPv3, Advertisement" \
	    "ip proto 112" >/dev/null
}

# end_case CASE VIP: stop both, check the logs and the capture, keep the
# logs as k-CASE.log and v-CASE.log, both released the VIP.
end_case() {
	stop k v
	capture_stop "$1"
	! ka_complains || fail "($1) keepalived rejected vrrpd's adverts"
	! vr_complains || fail "($1) vrrpd rejected keepalived's adverts"
	mv "$WORK/k.log" "$WORK/k-$1.log"
	mv "$WORK/v.log" "$WORK/v-$1.log"
	lacks_addr k "$2" || fail "($1) keepalived left $2 behind"
	lacks_addr v "$2" || fail "($1) vrrpd left $2 behind"
	grep -l -E 'Sanitizer|runtime error:' "$WORK/v-$1.log" >/dev/null &&
	    fail "($1) sanitizer report in vrrpd's log"
	n=$(capture_count "$1" "VRRP" "ip proto 112")
	[ "$n" -ge 20 ] || fail "($1) only $n VRRP packets captured"
	[ "$(capture_count "$1" "> 224\.0\.0\.18" "ip proto 112")" -eq 0 ] ||
	    fail "($1) VRRP to the multicast group in unicast mode"
	[ "$(capture_count "$1" \
	    "192\.0\.2\.1 > 192\.0\.2\.2: VRRPv3|192\.0\.2\.2 > 192\.0\.2\.1: VRRPv3" \
	    "ip proto 112")" -eq "$n" ] ||
	    fail "($1) VRRP packets other than between 192.0.2.1 and 192.0.2.2"
	vrrp_seen "$1" 1 2 || fail "($1) no keepalived -> vrrpd unicast advert"
	vrrp_seen "$1" 2 1 || fail "($1) no vrrpd -> keepalived unicast advert"
	kinds_are "$1" 192.0.2.1 pseudo ||
	    fail "($1) keepalived's checksums: $(sort "$WORK/$1.kinds" | uniq -c)"
	kinds_are "$1" 192.0.2.2 pseudo ||
	    fail "($1) vrrpd's checksums: $(sort "$WORK/$1.kinds" | uniq -c)"
	pass "($1) $n VRRP packets, all unicast between .1 and .2, both ways, pseudo-header checksums over the peer address"
	link_up k
	link_up v
}

# (a) keepalived 150 (master) vs vrrpd 100.
ka_conf a 150 81 192.0.2.81/24
vr_conf a 100 81 192.0.2.81/24
capture_start a "ip proto 112"
ka a
vr a
failover a 192.0.2.81 k v
end_case a 192.0.2.81

# (b) vrrpd 150 (master) vs keepalived 100.
ka_conf b 100 82 192.0.2.82/24
vr_conf b 150 82 192.0.2.82/24
capture_start b "ip proto 112"
ka b
vr b
failover b 192.0.2.82 v k
end_case b 192.0.2.82

finish
pass "both cases"
