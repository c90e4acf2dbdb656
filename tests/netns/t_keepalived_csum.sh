#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The two VRRPv3/IPv4 checksums against keepalived 2.2.7, which always
# adds the IPv4 pseudo-header (its v3_checksum_as_v2 arrived in 2.2.8;
# keepalived-notes.md §7.3), VRRPv3 multicast at 100 ms. Each advert's
# checksum is classified from the capture (recomputed over the message
# with and without the pseudo-header), so the variant on the wire is
# proved, not assumed.
# (a) vrrpd with "checksum: pseudo_header" interoperates: one master, in
#     two runs keepalived master -> vrrpd takes over on keepalived's link
#     cut and keepalived preempts back, then vrrpd master -> keepalived
#     takes over on vrrpd's link cut; both sides send pseudo-header
#     checksums and neither logs a rejected advert.
# (b) vrrpd with "checksum: message_only" (RFC 9568): its adverts carry
#     the message-only checksum, keepalived logs them as checksum errors,
#     vrrpd drops keepalived's pseudo-header adverts and logs the checksum
#     drop, and so both are master and hold the VIP: the documented
#     incompatibility.
# (c) vrrpd's receive side is not "either": a vrrpd without a checksum key
#     (pseudo_header, the default) and one with message_only drop each
#     other's adverts as bad checksums and are both master too.
. "$(dirname "$0")/lib.sh"

KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
[ -x "$KEEPALIVED" ] ||
    fail "no keepalived at $KEEPALIVED (the project's bootstrap installs it)"
"$KEEPALIVED" --version 2>&1 | grep -q "Keepalived v2\.2\.7 " ||
    fail "this scenario is about keepalived 2.2.7: $("$KEEPALIVED" --version 2>&1 | head -n 1)"

lan
host k 1 # keepalived
host v 2 # vrrpd
host w 3 # a second vrrpd, case (c)

# ka CASE: keepalived on k with WORK/k-CASE.conf, as in
# t_keepalived_interop.sh: foreground, VRRP only, no respawn, console log,
# every pid file in WORK.
ka() {
	start_cmd k "$KEEPALIVED" -n -P -R -l -D -G -f "$WORK/k-$1.conf" \
	    -p "$WORK/k.pid" -r "$WORK/k-vrrp.pid" -c "$WORK/k-chk.pid" \
	    -b "$WORK/k-bfd.pid"
}

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
	virtual_ipaddress {
		$4
	}
}
EOC
}

# vr_conf NAME CASE PRIORITY VRID VIP [CHECKSUM]
vr_conf() {
	csum=""
	[ -z "${6:-}" ] || csum="checksum: $6"
	cat >"$WORK/$1-$2.yaml" <<EOC
instances:
  VI_$2:
    interface: eth0
    vrid: $4
    version: 3
    priority: $3
    advert_interval: 100ms
    $csum
    virtual_ipaddress: [$5]
EOC
}

ka_csum_error() { grep -q "Invalid VRRPv3 checksum" "$WORK/k.log"; }
ka_complains() {
	grep -E "Invalid VRRPv[23] checksum|wrong version|invalid TTL/HL|\
TTL/HL .* not in range|advertisement interval mismatch|\
not present in MASTER advert|mismatch against received length" \
	    "$WORK/k.log"
}
vr_csum_drop() { grep -q "advert dropped: bad checksum" "$WORK/$1.log"; }


one_master() {
	if has_addr "$1" "$vip"; then lacks_addr "$2" "$vip"; else has_addr "$2" "$vip"; fi
}

# failover CASE VIP MASTER BACKUP: as in the interop test: MASTER wins,
# BACKUP stays backup, a link cut of MASTER moves the VIP to BACKUP,
# MASTER preempts back and stays the only master.
failover() {
	c=$1 vip=$2 m=$3 b=$4
	ms=$(until_ok 3 has_addr "$m" "$vip") ||
	    fail "($c) $m never became master"
	until_ok 2 lacks_addr "$b" "$vip" >/dev/null ||
	    fail "($c) $b holds $vip too"
	stays 1 lacks_addr "$b" "$vip" || fail "($c) $b took $vip from $m"
	has_addr "$m" "$vip" || fail "($c) $m lost $vip"
	pass "($c) $m is master after ${ms} ms, $b stays backup"
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
	stays 1 one_master "$m" "$b" || fail "($c) not one master after the preempt"
	pass "($c) $m preempted back in ${ms} ms, one master"
}

# end_case CASE VIP NAME...: stop NAMEs, keep their logs as NAME-CASE.log,
# all released the VIP; links back up.
end_case() {
	c=$1 vip=$2
	shift 2
	stop "$@"
	capture_stop "$c"
	for n in "$@"; do
		mv "$WORK/$n.log" "$WORK/$n-$c.log"
		lacks_addr "$n" "$vip" || fail "($c) $n left $vip behind"
	done
	grep -l -E 'Sanitizer|runtime error:' "$WORK"/[vw]-*.log >/dev/null &&
	    fail "($c) sanitizer report in vrrpd's log"
	link_up k
	link_up v
}

# (a1) pseudo_header: keepalived 150 (master) vs vrrpd 100.
ka_conf a1 150 91 192.0.2.91/24
vr_conf v a1 100 91 192.0.2.91/24 pseudo_header
capture_start a1 "ip proto 112"
ka a1
start v "$WORK/v-a1.yaml"
failover a1 192.0.2.91 k v
! ka_complains || fail "(a1) keepalived rejected vrrpd's adverts"
! vr_csum_drop v || fail "(a1) vrrpd dropped keepalived's adverts"
end_case a1 192.0.2.91 k v
kinds_are a1 192.0.2.1 pseudo || fail "(a1) keepalived's checksums: $(sort "$WORK/a1.kinds" | uniq -c)"
kinds_are a1 192.0.2.2 pseudo || fail "(a1) vrrpd's checksums: $(sort "$WORK/a1.kinds" | uniq -c)"
pass "(a1) both sides send pseudo-header checksums, no rejected advert"

# (a2) pseudo_header: vrrpd 150 (master) vs keepalived 100.
ka_conf a2 100 92 192.0.2.92/24
vr_conf v a2 150 92 192.0.2.92/24 pseudo_header
capture_start a2 "ip proto 112"
ka a2
start v "$WORK/v-a2.yaml"
failover a2 192.0.2.92 v k
! ka_complains || fail "(a2) keepalived rejected vrrpd's adverts"
! vr_csum_drop v || fail "(a2) vrrpd dropped keepalived's adverts"
end_case a2 192.0.2.92 k v
kinds_are a2 192.0.2.1 pseudo || fail "(a2) keepalived's checksums: $(sort "$WORK/a2.kinds" | uniq -c)"
kinds_are a2 192.0.2.2 pseudo || fail "(a2) vrrpd's checksums: $(sort "$WORK/a2.kinds" | uniq -c)"
pass "(a2) both sides send pseudo-header checksums, no rejected advert"

# (b) message_only: keepalived 150 vs vrrpd 100; neither accepts the other.
both() { has_addr "$1" "$vip" && has_addr "$2" "$vip"; }
vip=192.0.2.93
ka_conf b 150 93 $vip/24
vr_conf v b 100 93 $vip/24 message_only
capture_start b "ip proto 112"
ka b
start v "$WORK/v-b.yaml"
ms=$(until_ok 3 both k v) || fail "(b) not both master"
# 2 s: 20 adverts each way, 5 down intervals
stays 2 both k v || fail "(b) one side yielded"
until_ok 2 ka_csum_error >/dev/null ||
    fail "(b) keepalived logged no checksum error for vrrpd's adverts"
until_ok 2 vr_csum_drop v >/dev/null ||
    fail "(b) vrrpd logged no checksum drop of keepalived's adverts"
pass "(b) both master (after ${ms} ms); keepalived: $(grep -m 1 "Invalid VRRPv3 checksum" "$WORK/k.log" | sed 's/^.*: (/(/')"
pass "(b) vrrpd: $(grep -m 1 "advert dropped: bad checksum" "$WORK/v.log")"
end_case b $vip k v
kinds_are b 192.0.2.1 pseudo || fail "(b) keepalived's checksums: $(sort "$WORK/b.kinds" | uniq -c)"
kinds_are b 192.0.2.2 message || fail "(b) vrrpd's checksums: $(sort "$WORK/b.kinds" | uniq -c)"
pass "(b) keepalived sends pseudo-header checksums, vrrpd message-only ones"

# (c) vrrpd pseudo_header (no key: the default) 150 vs message_only 100.
vip=192.0.2.94
vr_conf v c 150 94 $vip/24
vr_conf w c 100 94 $vip/24 message_only
capture_start c "ip proto 112"
start v "$WORK/v-c.yaml"
start w "$WORK/w-c.yaml"
ms=$(until_ok 3 both v w) || fail "(c) not both master"
stays 2 both v w || fail "(c) one side yielded"
until_ok 2 vr_csum_drop v >/dev/null ||
    fail "(c) the default vrrpd logged no checksum drop of message-only adverts"
until_ok 2 vr_csum_drop w >/dev/null ||
    fail "(c) the message_only vrrpd logged no checksum drop"
pass "(c) both master (after ${ms} ms), each drops the other's adverts as bad checksums"
end_case c $vip v w
kinds_are c 192.0.2.2 pseudo || fail "(c) the default vrrpd's checksums: $(sort "$WORK/c.kinds" | uniq -c)"
kinds_are c 192.0.2.3 message || fail "(c) the message_only vrrpd's checksums: $(sort "$WORK/c.kinds" | uniq -c)"
pass "(c) pseudo-header from the default, message-only from message_only"

finish
pass "all cases"
