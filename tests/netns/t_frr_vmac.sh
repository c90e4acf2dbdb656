#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# use_vmac against FRRouting's vrrpd (Debian 12's frr 8.4: /usr/lib/frr
# zebra + vrrpd, run as daemons in their namespace), VRRPv3 at 100 ms,
# IPv4 (VRID 5) and IPv6 (VRID 6) at once, on one LAN with a client.
# (a) FRR (100) alone is master; vrrpd (200) starts, preempts it, and FRR
# reports Backup for both families; vrrpd stops (priority 0) and FRR is
# master again within a second, the client reaching both VIPs at the
# virtual MACs. (b) vrrpd (50) stays BACKUP behind FRR; `vrrp N
# shutdown` in FRR moves both VIPs to vrrpd and the client's entries stay
# the virtual MACs; `no vrrp N shutdown` and FRR preempts back.
#
# FRR's side, from its VRRP documentation (doc/user/vrrp.rst, "System
# Configuration"): FRR does not create the macvlans and does not add or remove
# the VIPs. Before VRRP starts, each family needs a macvlan on the parent
# carrying the virtual MAC, in bridge mode (in private mode FRR never sees the
# other master's adverts, which come from the MAC its own macvlan carries: tried
# here, its "Advertisements Rx" stayed 0 and it stayed Master beside vrrpd),
# with the VIPs assigned to it, and for IPv6 a link-local not derived from the
# MAC (addrgenmode random: the advert source is the macvlan's link-local, and a
# shared one would make both routers master). FRR finds the macvlan by parent
# and MAC (the name here is the vrrp4-IFINDEX-VRID of its examples); as master
# it leaves it up, as backup (and after `vrrp N shutdown`) it sets it protodown
# (no carrier), VIPs and virtual MAC staying on it. IPv4 adverts leave the
# macvlan from the virtual MAC with the parent's primary address as source; IPv6
# ones from the macvlan's link-local. FRR leaves the ARP sysctls alone: with
# arp_ignore 0 its eth0 may answer ARP for the VIP with eth0's MAC, and with
# arp_announce 0 its ARP requests for the client (answering a ping to the VIP)
# name the VIP as sender with eth0's MAC, and the client's entry for the VIP
# leaves the virtual MAC (seen here: the client's entry became FRR's eth0 MAC).
# So this test sets arp_ignore=1 and arp_announce=2 in FRR's namespace, as vrrpd
# sets them on a VMAC's parent.
. "$(dirname "$0")/lib.sh"

FRRLIB=${FRRLIB:-/usr/lib/frr}
VTYSH=${VTYSH:-/usr/bin/vtysh}
for b in "$FRRLIB/zebra" "$FRRLIB/vrrpd" "$VTYSH"; do
	[ -x "$b" ] || fail "no $b (the project's bootstrap installs frr)"
done
id frr >/dev/null 2>&1 || fail "no user frr (Debian's frr package makes it)"

VIP=192.0.2.105
VIP6=2001:db8::106
MAC4=00:00:5e:00:01:05
MAC6=00:00:5e:00:02:06
lan
host f 1 # FRR
host v 2 # vrrpd
host c 3 # a client

# FRR's sockets, pid files, configuration and logs: a directory its user
# can reach (WORK is root's alone); removed by the teardown, the logs
# copied into WORK first.
FRRPIDS=""
FD=$(mktemp -d "/tmp/vrrpd-$T-frr.XXXXXX") || fail "mktemp"

# frr_stop: SIGTERM each FRR daemon this test started (pid from its pid
# file), bounded wait, SIGKILL after 3 s.
frr_stop() {
	# shellcheck disable=SC2086 # a list of pids
	kill_pids $FRRPIDS
	FRRPIDS=""
}
frr_cleanup() {
	frr_stop
	for l in "$FD"/*.log; do
		[ -f "$l" ] && cp "$l" "$WORK/frr-$(basename "$l")"
	done
	rm -rf "$FD"
	cleanup
}
trap frr_cleanup EXIT
chown frr:frr "$FD" || fail "chown $FD"
chmod 0750 "$FD" || fail "chmod $FD"

# frr_start DAEMON ARGS...: run FRR's DAEMON in f's namespace as a daemon
# with everything in FD; waits for its pid file and records the pid.
frr_start() {
	d=$1
	shift
	ip netns exec "$(ns f)" "$FRRLIB/$d" -d -u frr -g frr -P 0 \
	    -i "$FD/$d.pid" --vty_socket "$FD" -z "$FD/zserv.api" \
	    --log "file:$FD/$d.log" "$@" >>"$WORK/frr-start.log" 2>&1 ||
	    fail "FRR $d did not start"
	until_ok 5 test -s "$FD/$d.pid" >/dev/null ||
	    fail "FRR $d wrote no pid file"
	FRRPIDS="$FRRPIDS $(cat "$FD/$d.pid")"
}
vty() { ip netns exec "$(ns f)" "$VTYSH" --vty_socket "$FD" "$@"; }
# frr_is VRID FAMILY STATE: FRR's `show vrrp` has VRID's FAMILY (v4, v6)
# in STATE (Initialize, Backup, Master)
frr_is() {
	[ "$(vty -c "show vrrp $1 json" |
	    jq -r ".[0].$2.status")" = "$3" ]
}
frr_conf() {
	vty -c "configure terminal" -c "interface eth0" "$@" >/dev/null ||
	    fail "vtysh: $*"
}

# FRR's macvlans, VIPs on them, and no DAD in its namespace (the random
# link-local and the VIP are usable at once)
fns=$(ns f)
ip netns exec "$fns" sh -c 'cd /proc/sys/net &&
    echo 1 >ipv4/conf/all/arp_ignore && echo 2 >ipv4/conf/all/arp_announce &&
    echo 0 >ipv6/conf/default/accept_dad' ||
    fail "sysctls in FRR's namespace"
fidx=$(ip netns exec "$fns" cat /sys/class/net/eth0/ifindex) ||
    fail "eth0's ifindex in f"
FMV4=vrrp4-$fidx-5
FMV6=vrrp6-$fidx-6
# (addrgenmode set after the creation: this kernel refuses it in the
# RTM_NEWLINK of a macvlan with EAFNOSUPPORT)
mvl() {
	ip -n "$fns" link add "$1" link eth0 address "$2" type macvlan \
	    mode bridge || fail "macvlan $1"
	ip -n "$fns" link set "$1" addrgenmode random ||
	    fail "addrgenmode on $1"
}
mvl "$FMV4" $MAC4
mvl "$FMV6" $MAC6
ip -n "$fns" addr add $VIP/24 dev "$FMV4"
ip -n "$fns" addr add $VIP6/64 dev "$FMV6" nodad
ip -n "$fns" link set "$FMV4" up
ip -n "$fns" link set "$FMV6" up

# FRR's configuration: VRID 5 IPv4, VRID 6 IPv6, priority 100, 100 ms
cat >"$FD/frr.conf" <<EOC
debug vrrp protocol
debug vrrp zebra
interface eth0
 vrrp 5 version 3
 vrrp 5 priority 100
 vrrp 5 advertisement-interval 100
 vrrp 5 ip $VIP
 vrrp 6 version 3
 vrrp 6 priority 100
 vrrp 6 advertisement-interval 100
 vrrp 6 ipv6 $VIP6
EOC
: >"$FD/zebra.conf"
chown frr:frr "$FD/frr.conf" "$FD/zebra.conf"

# vr_conf PRIORITY: vrrpd's two instances, vmac: {} (vrrp.5, vrrp.6)
vr_conf() {
	cat >"$WORK/v.yaml" <<EOC
instances:
  VI_4:
    interface: eth0
    vrid: 5
    version: 3
    priority: $1
    advert_interval: 100ms
    accept: true
    virtual_ipaddress: [$VIP/24]
    vmac: {}
  VI_6:
    interface: eth0
    vrid: 6
    version: 3
    priority: $1
    advert_interval: 100ms
    accept: true
    virtual_ipaddress: [$VIP6/64]
    vmac: {}
EOC
}
v_is() {
	is v ".instances[] | select(.name == \"$1\") | .state" "$2"
}
v_holds() { has_addr v $VIP vrrp.5 && has_addr v $VIP6 vrrp.6; }
v_lacks() { lacks_addr v $VIP vrrp.5 && lacks_addr v $VIP6 vrrp.6; }
frr_master() { frr_is 5 v4 Master && frr_is 6 v6 Master; }
frr_backup() { frr_is 5 v4 Backup && frr_is 6 v6 Backup; }
v_master() {
	v_holds && v_is VI_4 MASTER && v_is VI_6 MASTER
}
v_backup() {
	v_lacks && v_is VI_4 BACKUP && v_is VI_6 BACKUP
}
link_of() { ip -n "$(ns "$1")" -d -o link show dev "$2" 2>/dev/null; }
# client_at WHO: the client reaches both VIPs, its entries the virtual MACs
client_at() {
	until_ok 3 ping_ok c $VIP >/dev/null ||
	    fail "client cannot reach $VIP ($1)"
	until_ok 3 ping_ok c $VIP6 >/dev/null ||
	    fail "client cannot reach $VIP6 ($1)"
	[ "$(neigh_mac c $VIP)" = $MAC4 ] ||
	    fail "client's entry for $VIP is '$(neigh_mac c $VIP)' ($1)"
	[ "$(neigh_mac c $VIP6)" = $MAC6 ] ||
	    fail "client's entry for $VIP6 is '$(neigh_mac c $VIP6)' ($1)"
}
# v_rejects: vrrpd logged dropping one of FRR's adverts
v_rejects() { grep -E "advert dropped|advert lists other" "$WORK/v.log"; }

began=$(date +%s%N)
frr_start zebra -f "$FD/zebra.conf"
until_ok 5 test -S "$FD/zserv.api" >/dev/null || fail "no zebra socket"
frr_start vrrpd -f "$FD/frr.conf"
ms=$(until_ok 5 frr_master) || fail "FRR alone never became master: $(
    vty -c 'show vrrp')"
pass "(a) FRR (100) alone is master for VRID 5 (v4) and 6 (v6) after ${ms} ms"

# (a) vrrpd 200 preempts FRR 100. Its IPv6 instance waits for eth0's
# link-local (DAD, about a second after the namespace's eth0 came up):
# let that pass first, so that the time measured is the protocol's.
ll_ready() {
	ip -n "$(ns v)" -6 -o addr show dev eth0 scope link |
	    grep -v tentative | grep -q fe80
}
until_ok 5 ll_ready >/dev/null || fail "no link-local on vrrpd's eth0"
vr_conf 200
start v "$WORK/v.yaml"
ms=$(until_ok 5 v_master) || fail "vrrpd (200) did not take over"
until_ok 3 frr_backup >/dev/null ||
    fail "FRR did not go back to Backup: $(vty -c 'show vrrp')"
pass "(a) vrrpd (200) preempted FRR after ${ms} ms; FRR reports Backup"
stays 1 v_holds || fail "(a) vrrpd lost a VIP to FRR"
frr_backup || fail "(a) FRR left Backup: $(vty -c 'show vrrp')"
link_of v vrrp.5 | grep -q "link/ether $MAC4 " ||
    fail "(a) vrrpd's vrrp.5: $(link_of v vrrp.5)"
link_of v vrrp.6 | grep -q "link/ether $MAC6 " ||
    fail "(a) vrrpd's vrrp.6: $(link_of v vrrp.6)"
pass "(a) vrrpd keeps both VIPs on vrrp.5/vrrp.6 ($MAC4, $MAC6);" \
    "FRR stays Backup"

stop v
ms=$(until_ok 2 frr_master) || fail "(a) FRR did not take over: $(
    vty -c 'show vrrp')"
pass "(a) FRR took over ${ms} ms after vrrpd's stop (priority 0)"
client_at FRR
pass "(a) client reaches $VIP at $MAC4 and $VIP6 at $MAC6 on FRR"
! v_rejects || fail "(a) vrrpd rejected FRR's adverts"
mv "$WORK/v.log" "$WORK/v-a.log"

# (b) vrrpd 50 stays backup; FRR shuts its routers down, comes back
vr_conf 50
start v "$WORK/v.yaml"
until_ok 3 v_backup >/dev/null || fail "(b) vrrpd (50) not BACKUP"
stays 1 v_backup || fail "(b) vrrpd (50) left BACKUP behind FRR"
frr_master || fail "(b) FRR lost master: $(vty -c 'show vrrp')"
link_of v vrrp.5 | grep -q "link/ether $MAC4 " &&
    fail "(b) vrrpd's backup vrrp.5 carries the virtual MAC"
pass "(b) vrrpd (50) stays BACKUP behind FRR (100)"

frr_conf -c "vrrp 5 shutdown" -c "vrrp 6 shutdown"
ms=$(until_ok 2 v_master) || fail "(b) vrrpd did not take over"
pass "(b) vrrpd took over ${ms} ms after FRR's vrrp shutdown"
frr_down() { frr_is 5 v4 Initialize && frr_is 6 v6 Initialize; }
frr_down || fail "(b) FRR not in Initialize: $(vty -c 'show vrrp')"
client_at vrrpd
pass "(b) client reaches both VIPs on vrrpd; its entries are still $MAC4, $MAC6"

frr_conf -c "no vrrp 5 shutdown" -c "no vrrp 6 shutdown"
ms=$(until_ok 3 frr_master) || fail "(b) FRR did not preempt back: $(
    vty -c 'show vrrp')"
until_ok 2 v_backup >/dev/null || fail "(b) vrrpd kept a VIP"
pass "(b) FRR (100) preempted vrrpd (50) back in ${ms} ms"
client_at "FRR again"
! v_rejects || fail "(b) vrrpd rejected FRR's adverts"
mv "$WORK/v.log" "$WORK/v-b.log"

frr_stop
finish
pass "all in $((($(date +%s%N) - began) / 1000000)) ms"
