#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# auth_type AH (VRRPv2, IPsec AH with HMAC-MD5-96) between vrrpd and
# keepalived 2.2.7 (/usr/sbin/keepalived, -P: VRRP only), both reading the
# same keepalived.conf but for the priority. (a) keepalived is master,
# vrrpd stays backup on its adverts; keepalived stops (priority 0) and
# vrrpd takes over; keepalived starts again, learns vrrpd's sequence
# numbers and preempts back. (b) the same with the roles swapped. (c) as
# (a) with unicast peers (the TTL is then out of the ICV). In each, neither
# side logs an AH failure and a capture shows protocol 51 (never 112) both
# ways. (d) a wrong auth_pass on vrrpd's side: keepalived's adverts are
# refused ("AH ICV mismatch") and counted, the log line is rate-limited,
# vrrpd takes over, and keepalived refuses vrrpd's adverts in turn
# ("invalid IPSEC HMAC-MD5 value").
. "$(dirname "$0")/lib.sh"

KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
[ -x "$KEEPALIVED" ] ||
    fail "no keepalived at $KEEPALIVED (the project's bootstrap installs it)"

lan
host k 1 # keepalived
host v 2 # vrrpd

# conf FILE PRIORITY VRID PASSWORD [LINE]
conf() {
	cat >"$1" <<EOC
global_defs {
	router_id $(basename "$1" .conf)
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id $3
	priority $2
	advert_int 1
	${5:-}
	authentication {
		auth_type AH
		auth_pass $4
	}
	virtual_ipaddress {
		192.0.2.$3/24
	}
}
EOC
}

# ka: keepalived on k in the foreground (-n), VRRP only (-P), no respawn
# (-R), log to the console (-l -D -G), every pid file in WORK.
ka() {
	start_cmd k "$KEEPALIVED" -n -P -R -l -D -G -f "$WORK/k.conf" \
	    -p "$WORK/k.pid" -r "$WORK/k-vrrp.pid" -c "$WORK/k-chk.pid" \
	    -b "$WORK/k-bfd.pid"
}
vr() { start v "$WORK/v.conf"; }

# keepalived's refusals of an advert for its authentication (vrrp.c:
# vrrp_in_chk_ipsecah and vrrp_check_packet; "Syncing seq_num" is not one),
# and vrrpd's drops of any kind.
KA_AUTH_ERRORS="invalid IPSEC|already processed|auth, expecting|AH header|\
Invalid auth type|invalid passwd"
VR_DROPS="advert dropped|datagram dropped|advert for no instance"

# sent_ah CAPTURE SOURCE: SOURCE sent AH datagrams in the capture.
sent_ah() {
	[ "$(capture_text "$1" "ip proto 51 and src host $2" | wc -l)" -gt 0 ]
}

# turn CASE VIP MASTER BACKUP: MASTER (k or v) wins, BACKUP stays backup
# past its Master_Down_Interval; MASTER stops (priority 0) and BACKUP
# takes over; MASTER starts again and preempts back, BACKUP yields.
turn() {
	c=$1 vip=$2 m=$3 b=$4
	# k's Master_Down_Interval is 3.41 s at 150, v's 3.61 s at 100.
	ms=$(until_ok 8 has_addr "$m" "$vip") ||
	    fail "($c) $m never became master"
	pass "($c) $m holds $vip after ${ms} ms"
	until_ok 2 lacks_addr "$b" "$vip" >/dev/null ||
	    fail "($c) $b holds $vip too"
	stays 5 lacks_addr "$b" "$vip" || fail "($c) $b took $vip from $m"
	has_addr "$m" "$vip" || fail "($c) $m lost $vip"
	pass "($c) $b stays backup on $m's AH adverts"

	stop "$m"
	mv "$WORK/$m.log" "$WORK/$m-$c-1.log"
	# priority 0: Skew_Time, well under a second
	ms=$(until_ok 3 has_addr "$b" "$vip") ||
	    fail "($c) $b did not take over when $m stopped"
	pass "($c) $b took over ${ms} ms after $m stopped"
	stays 2 has_addr "$b" "$vip" || fail "($c) $b lost $vip"

	if [ "$m" = k ]; then ka; else vr; fi
	# restarted: backup first, hears b's numbers, preempts after its
	# Master_Down_Interval
	ms=$(until_ok 8 has_addr "$m" "$vip") ||
	    fail "($c) $m did not preempt back after its restart"
	until_ok 2 lacks_addr "$b" "$vip" >/dev/null ||
	    fail "($c) $b kept $vip after $m preempted"
	pass "($c) $m preempted back ${ms} ms after its restart"
	stays 4 has_addr "$m" "$vip" || fail "($c) $m lost $vip again"
	lacks_addr "$b" "$vip" || fail "($c) $b took $vip again"
	pass "($c) one master at a time"
}

# end_case CASE VIP: stop both, no AH failure logged on either side, both
# directions on the wire as protocol 51 only, logs kept as k-CASE.log and
# v-CASE.log.
end_case() {
	stop k v
	capture_stop "$1"
	mv "$WORK/k.log" "$WORK/k-$1.log"
	mv "$WORK/v.log" "$WORK/v-$1.log"
	for l in "$WORK"/k-"$1"*.log; do
		! grep -E "$KA_AUTH_ERRORS" "$l" ||
		    fail "($1) keepalived refused vrrpd's adverts ($l)"
	done
	for l in "$WORK"/v-"$1"*.log; do
		! grep -E "$VR_DROPS" "$l" ||
		    fail "($1) vrrpd refused keepalived's adverts ($l)"
		! grep -l -E 'Sanitizer|runtime error:' "$l" ||
		    fail "($1) sanitizer report in vrrpd's log"
	done
	sent_ah "$1" 192.0.2.1 || fail "($1) no AH datagram from keepalived"
	sent_ah "$1" 192.0.2.2 || fail "($1) no AH datagram from vrrpd"
	[ "$(capture_text "$1" "ip proto 112" | wc -l)" -eq 0 ] ||
	    fail "($1) plain VRRP (protocol 112) on the wire"
	pass "($1) AH both ways, $(capture_text "$1" "ip proto 51" |
	    wc -l) datagrams, none refused"
	lacks_addr k "$2" || fail "($1) keepalived left $2 behind"
	lacks_addr v "$2" || fail "($1) vrrpd left $2 behind"
}

# (a) keepalived 150 is master, vrrpd 100 the backup.
conf "$WORK/k.conf" 150 81 s3cr3t!
conf "$WORK/v.conf" 100 81 s3cr3t!
ip netns exec "$(ns v)" "$VRRPD" -t -f "$WORK/v.conf" >"$WORK/v-check.out" \
    2>&1 || fail "vrrpd -t refuses auth_type AH: $(cat "$WORK/v-check.out")"
capture_start a "ip proto 51 or ip proto 112"
ka
vr
turn a 192.0.2.81 k v
end_case a 192.0.2.81

# (b) vrrpd 150 is master, keepalived 100 the backup; a password of more
# than 8 characters is cut to 8 on both sides.
conf "$WORK/k.conf" 100 82 longer-than-8
conf "$WORK/v.conf" 150 82 longer-than-8
capture_start b "ip proto 51 or ip proto 112"
ka
vr
turn b 192.0.2.82 v k
end_case b 192.0.2.82

# (c) unicast peers, keepalived 150 the master: with unicast the TTL is
# left out of the ICV (keepalived's rule), and vrrpd builds a header per
# peer with one sequence number.
conf "$WORK/k.conf" 150 84 s3cr3t! "unicast_src_ip 192.0.2.1
	unicast_peer {
		192.0.2.2
	}"
conf "$WORK/v.conf" 100 84 s3cr3t! "unicast_src_ip 192.0.2.2
	unicast_peer {
		192.0.2.1
	}"
capture_start c "ip proto 51 or ip proto 112"
ka
vr
turn c 192.0.2.84 k v
end_case c 192.0.2.84

# (d) keepalived 150 with the right password, vrrpd 100 with another one.
# keepalived 2.2.7 re-arms its advert timer on every datagram it reads
# while master, refused or not, unless lower_prio_no_advert is set
# (vrrp_scheduler.c, vrrp_dispatcher_read): vrrpd's refused adverts, sent
# every second as its own, would keep it from sending after its first.
conf "$WORK/k.conf" 150 83 s3cr3t! lower_prio_no_advert
conf "$WORK/v.conf" 100 83 wrong
ka
vr
ms=$(until_ok 8 has_addr k 192.0.2.83) || fail "(d) k never became master"
# v hears nothing it can trust: master after its own down interval
ms=$(until_ok 8 has_addr v 192.0.2.83) ||
    fail "(d) v (wrong password) did not take over"
pass "(d) v, refusing k's adverts, became master after ${ms} ms"
until_ok 3 log_has v \
    "(VI_1) advert dropped: AH ICV mismatch .*vrid 83 prio 150 .*192.0.2.1 >" \
    >/dev/null || fail "(d) v did not log refusing k's adverts"
until_ok 4 log_has k "invalid IPSEC HMAC-MD5 value" >/dev/null ||
    fail "(d) keepalived did not refuse v's adverts"
pass "(d) each side refuses the other's adverts"
stays 3 has_addr v 192.0.2.83 ||
    fail "(d) v yielded to unauthenticated adverts"
m=$(field v .instances[0].counters.auth_failure stats) ||
    fail "(d) vrrpctl stats on v"
# k adverts once a second: at least the 3 s just watched
[ "$m" -ge 3 ] || fail "(d) only $m auth failures counted"
n=$(grep -c "advert dropped: AH ICV mismatch" "$WORK/v.log")
[ "$n" -lt "$m" ] ||
    fail "(d) $n log lines for $m failures: not rate-limited"
pass "(d) v counted $m AH failures, with $n log line(s)"
stop k v
mv "$WORK/k.log" "$WORK/k-d.log"
mv "$WORK/v.log" "$WORK/v-d.log"

finish
pass "all four cases"
