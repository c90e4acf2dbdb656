#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# use_vmac across vrrpd and keepalived (/usr/sbin/keepalived, -P), one
# keepalived.conf text for both but the priority: keepalived alone is
# master on its vrrp.65 macvlan; vrrpd (priority 150) starts, hears it,
# preempts, and keepalived goes back to BACKUP; a client's neighbour entry
# for the VIP is the virtual MAC 00:00:5e:00:01:41 and stays so when
# vrrpd stops (priority 0) and keepalived takes over; vrrpd started again
# with priority 50 stays BACKUP behind keepalived.
. "$(dirname "$0")/lib.sh"

KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
[ -x "$KEEPALIVED" ] ||
    fail "no keepalived at $KEEPALIVED (the project's bootstrap installs it)"

VIP=192.0.2.100
MAC=00:00:5e:00:01:41
lan
host k 1 # keepalived
host v 2 # vrrpd
host c 3 # a client

# conf NAME PRIORITY: keepalived syntax, use_vmac, VRRPv3 at 100 ms
conf() {
	cat >"$WORK/$1.conf" <<EOC
global_defs {
	router_id $1
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	use_vmac
	virtual_router_id 65
	priority $2
	advert_int 0.1
	version 3
	accept
	virtual_ipaddress {
		$VIP/24
	}
}
EOC
}
conf k 100
conf v 150
# keepalived leaves arp_announce alone: its ARP requests for the client,
# answering a ping to the VIP, would name the VIP with eth0's MAC and move
# the client's entry off the virtual MAC. vrrpd sets this itself.
ip netns exec "$(ns k)" sh -c \
    'echo 2 >/proc/sys/net/ipv4/conf/eth0/arp_announce' ||
    fail "cannot set arp_announce on keepalived's eth0"
holds() { has_addr "$1" $VIP vrrp.65; }
only() { holds "$1" && ! holds "$2"; }

start_cmd k "$KEEPALIVED" -n -P -R -l -D -f "$WORK/k.conf" \
    -p "$WORK/k.pid" -r "$WORK/k-vrrp.pid" -c "$WORK/k-chk.pid" \
    -b "$WORK/k-bfd.pid"
until_ok 10 holds k >/dev/null || fail "keepalived never held $VIP on vrrp.65"
pass "keepalived alone is master on its vrrp.65"

start v "$WORK/v.conf"
ms=$(until_ok 5 only v k) || fail "vrrpd did not take over from keepalived"
pass "vrrpd (150) preempted keepalived (100) after ${ms} ms"
log_has v "INIT -> BACKUP" || fail "vrrpd did not start as backup"
stays 1 only v k || fail "the VIP moved back or is on both"
until_ok 3 ping_ok c $VIP >/dev/null || fail "client cannot reach $VIP on vrrpd"
[ "$(neigh_mac c $VIP)" = $MAC ] || fail "client's entry for $VIP is $(neigh_mac c $VIP)"
pass "client resolves $VIP to $MAC on vrrpd"

stop v
ms=$(until_ok 3 only k v) || fail "keepalived did not take over"
pass "keepalived took over ${ms} ms after vrrpd's stop"
ms=$(until_ok 3 ping_ok c $VIP) || fail "client cannot reach $VIP on keepalived"
[ "$(neigh_mac c $VIP)" = $MAC ] ||
    fail "client's entry for $VIP changed to $(neigh_mac c $VIP)"
pass "client reaches $VIP on keepalived; its entry is still $MAC"

conf v 50
mv "$WORK/v.log" "$WORK/v-first.log"
start v "$WORK/v.conf"
until_ok 5 is v .instances[0].state BACKUP >/dev/null ||
    fail "vrrpd (50) not BACKUP behind keepalived"
stays 1 only k v || fail "vrrpd (50) took the VIP from keepalived"
ip -n "$(ns v)" -d -o link show dev vrrp.65 | grep -q "link/ether $MAC " &&
    fail "vrrpd's backup VMAC carries the virtual MAC"
pass "vrrpd (50) stays BACKUP behind keepalived"
finish
