#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# use_vmac (issue #13): each node makes a private macvlan carrying the
# RFC 5798 virtual MAC (vrrp.51 with 00:00:5e:00:01:33 for IPv4 VRID 51,
# vrrp6.51 with 00:00:5e:00:02:33 for the IPv6 instance of the same VRID,
# keepalived's names); the master's VIPs live on it. A client's neighbour
# entries for the VIPs are the virtual MACs and stay the same across a
# takeover, while the bridge learns the virtual MAC on the new master's
# port. A backup's VMAC holds no address. The links go on a graceful
# stop, survive a reload that keeps the instance, are adopted after a
# SIGKILL, and --release-vips removes them.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
VIP6=2001:db8::100
VIPX=192.0.2.101 # VRID 52, vmac_xmit_base
MAC4=00:00:5e:00:01:33
MAC6=00:00:5e:00:02:33
lan
host a 1
host b 2
host c 3
# a strict all.rp_filter on a: lifted while its VMACs exist (keepalived's
# way: every interface raised to it first), back at the end
ip netns exec "$(ns a)" sh -c \
    'echo 1 >/proc/sys/net/ipv4/conf/all/rp_filter' || fail "rp_filter"
for n in a b; do
	prio=150
	[ $n = b ] && prio=100
	cat >"$WORK/$n.yaml" <<EOC
instances:
  VI_4:
    interface: eth0
    vrid: 51
    priority: $prio
    advert_interval: 100ms
    accept: true
    virtual_ipaddress: [$VIP/24]
    vmac: {}
  VI_6:
    interface: eth0
    vrid: 51
    priority: $prio
    advert_interval: 100ms
    accept: true
    virtual_ipaddress: [$VIP6/64]
    vmac: {}
  VI_X:
    interface: eth0
    vrid: 52
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [$VIPX/24]
    vmac:
      xmit_base: true
EOC
done

link_of() { ip -n "$(ns "$1")" -d -o link show dev "$2" 2>/dev/null; }
# fdb_port MAC: the bridge port that learnt MAC
fdb_port() {
	ip netns exec "$BR" bridge fdb show br br0 |
	    awk -v m="$1" '$1 == m && $0 !~ /permanent/ { print $3; exit }'
}
sysctl_in() {
	ip netns exec "$(ns "$1")" cat "/proc/sys/net/ipv4/conf/$2/$3"
}

start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP vrrp.51 >/dev/null ||
    fail "a never put $VIP on vrrp.51"
until_ok 5 has_addr a $VIP6 vrrp6.51 >/dev/null ||
    fail "a never put $VIP6 on vrrp6.51"
until_ok 3 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
for n in a b; do
	for d in vrrp.51 vrrp6.51; do
		l=$(link_of $n $d) || fail "no $d on $n"
		echo "$l" | grep -q "macvlan mode private" ||
		    fail "$n $d is not a private macvlan: $l"
	done
done
link_of a vrrp.51 | grep -q "link/ether $MAC4 " ||
    fail "master a's vrrp.51: $(link_of a vrrp.51)"
link_of a vrrp6.51 | grep -q "link/ether $MAC6 " ||
    fail "master a's vrrp6.51: $(link_of a vrrp6.51)"
# a backup's VMAC carries a MAC of its own: no frame of the backup's
# ever teaches the bridge the virtual MAC
link_of b vrrp.51 | grep -q "link/ether $MAC4 " &&
    fail "backup b's vrrp.51 carries the virtual MAC"
pass "private macvlans vrrp.51 and vrrp6.51 on both nodes, the virtual MACs ($MAC4, $MAC6) on the master's"
[ "$(sysctl_in a eth0 arp_ignore)$(sysctl_in a eth0 arp_filter)" = 11 ] ||
    fail "a's eth0: arp_ignore/arp_filter not 1"
[ "$(sysctl_in a vrrp.51 arp_ignore)$(sysctl_in a vrrp.51 accept_local)" = \
    11 ] || fail "a's vrrp.51: arp_ignore/accept_local not 1"
[ "$(sysctl_in a all rp_filter)$(sysctl_in a eth0 rp_filter)" = 01 ] ||
    fail "a's rp_filter: all $(sysctl_in a all rp_filter), eth0 $(sysctl_in a eth0 rp_filter)"
log_has a "all.rp_filter 1 -> 0 while VMACs exist" || fail "no rp_filter line"
pass "keepalived's sysctls on the parent and the VMAC; strict rp_filter lifted"
# the backup's VMACs are silent: no address at all, not even link-local
for d in vrrp.51 vrrp6.51; do
	a=$(ip -n "$(ns b)" -o addr show dev $d)
	[ -z "$a" ] || fail "backup b has addresses on $d: $a"
done
pass "the backup's VMACs hold no address"
[ "$(field a .instances[0].vmac)" = vrrp.51 ] || fail "status: no vmac"
[ "$(field a .instances[0].vips[0].interface)" = vrrp.51 ] &&
    [ "$(field a .instances[0].vips[0].present)" = true ] ||
    fail "status: the VIP not present on vrrp.51"
pass "vrrpctl status: VI_4's vmac vrrp.51 and its VIP present on it"
# the master's IPv6 VMAC holds the advert source: eth0's link-local
ll=$(ip -n "$(ns a)" -6 -o addr show dev eth0 scope link |
    awk '{ print $4 }')
ip -n "$(ns a)" -6 -o addr show dev vrrp6.51 scope link | grep -q " $ll " ||
    fail "master a's vrrp6.51 lacks eth0's link-local $ll"
pass "master a's vrrp6.51 holds the advert source $ll"
# adverts on the wire: VRID 51 from the virtual MAC, VRID 52
# (vmac_xmit_base) from eth0's own MAC, its VIP on vrrp.52 all the same
has_addr a $VIPX vrrp.52 || fail "a lacks $VIPX on vrrp.52"
capture_start adv "ip proto 112"
until_ok 3 sh -c "[ \$(tcpdump -r '$WORK/adv.pcap' -n 2>/dev/null |
    wc -l) -ge 8 ]" >/dev/null || fail "no adverts captured"
capture_stop adv
amac=$(ip -n "$(ns a)" -o link show dev eth0 |
    sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
[ "$(capture_count adv "^[0-9.]+ $MAC4 > .*vrid 51," "ip proto 112")" -gt 0 ] ||
    fail "no VRID 51 advert from $MAC4"
[ "$(capture_count adv "^[0-9.]+ $amac > .*vrid 52," "ip proto 112")" -gt 0 ] ||
    fail "no VRID 52 advert from eth0's $amac"
[ "$(capture_count adv "vrid 52," "ip proto 112")" = \
    "$(capture_count adv "^[0-9.]+ $amac > .*vrid 52," "ip proto 112")" ] ||
    fail "a VRID 52 advert not from eth0's MAC"
pass "VRID 51 adverts leave from $MAC4, VRID 52's (xmit_base) from $amac"

ping_ok c $VIP || fail "client cannot reach $VIP"
ping_ok c $VIP6 || fail "client cannot reach $VIP6"
m4=$(neigh_mac c $VIP)
m6=$(neigh_mac c $VIP6)
[ "$m4" = $MAC4 ] || fail "client's neighbour entry for $VIP is '$m4'"
[ "$m6" = $MAC6 ] || fail "client's neighbour entry for $VIP6 is '$m6'"
pass "client resolves $VIP to $m4 and $VIP6 to $m6"
pa=$(fdb_port $MAC4)
[ "$pa" = "$(ns a)p" ] || fail "the bridge learnt $MAC4 on '$pa', not a's"

# takeover: a stops gracefully (priority 0); its VMACs go with it
stop a
ms=$(until_ok 3 has_addr b $VIP vrrp.51) || fail "b did not take over"
pass "b took $VIP on vrrp.51 ${ms} ms after a's stop"
until_ok 3 has_addr b $VIP6 vrrp6.51 >/dev/null || fail "b lacks $VIP6"
link_of a vrrp.51 >/dev/null && fail "a's vrrp.51 outlived its stop"
link_of a vrrp6.51 >/dev/null && fail "a's vrrp6.51 outlived its stop"
sysctl_in a eth0 arp_ignore | grep -qx 0 ||
    fail "a's eth0 arp_ignore not put back"
[ "$(sysctl_in a all rp_filter)$(sysctl_in a eth0 rp_filter)" = 10 ] ||
    fail "a's rp_filter not put back"
pass "a's VMACs removed and its arp and rp_filter settings put back on stop"
ms=$(until_ok 3 ping_ok c $VIP) || fail "client cannot reach $VIP on b"
ping_ok c $VIP6 || fail "client cannot reach $VIP6 on b"
[ "$(neigh_mac c $VIP)" = $MAC4 ] ||
    fail "client's entry for $VIP changed to $(neigh_mac c $VIP)"
[ "$(neigh_mac c $VIP6)" = $MAC6 ] ||
    fail "client's entry for $VIP6 changed to $(neigh_mac c $VIP6)"
pass "client reaches both VIPs on b; its neighbour entries are unchanged"
pb=$(fdb_port $MAC4)
[ "$pb" = "$(ns b)p" ] || fail "the bridge has $MAC4 on '$pb', not b's"
pass "the bridge learnt $MAC4 on b's port"

# a reload that keeps the instances keeps the links as they are
idx=$(link_of b vrrp.51 | cut -d: -f1)
kill -HUP "$(pid_of b)"
until_ok 3 log_has b "reload" >/dev/null || fail "b did not reload"
stays 1 has_addr b $VIP vrrp.51 || fail "b lost $VIP in the reload"
[ "$(link_of b vrrp.51 | cut -d: -f1)" = "$idx" ] ||
    fail "the reload re-created vrrp.51"
pass "a reload kept vrrp.51 (index $idx) and the VIP"

# SIGKILL: the links stay; a restart adopts them
p=$(pid_of b)
kill -KILL "$p"
wait "$p" 2>/dev/null
link_of b vrrp.51 >/dev/null || fail "vrrp.51 went with the crash"
mv "$WORK/b.log" "$WORK/b-crashed.log"
start b "$WORK/b.yaml"
# the crash left the VIP on vrrp.51: wait for the new run's own steps
until_ok 5 log_has b "VMAC vrrp.51 is there already; using it" ||
    fail "restarted b did not adopt vrrp.51"
until_ok 5 is b .instances[0].state MASTER >/dev/null ||
    fail "restarted b did not become master"
has_addr b $VIP vrrp.51 || fail "restarted b lacks $VIP"
[ "$(link_of b vrrp.51 | cut -d: -f1)" = "$idx" ] ||
    fail "restarted b re-created vrrp.51"
pass "restarted b adopted vrrp.51 (index $idx) and is master"

# someone deletes the VMAC under the master: made again
ip -n "$(ns b)" link del vrrp.51
ms=$(until_ok 5 has_addr b $VIP vrrp.51) || fail "vrrp.51 not made again"
pass "vrrp.51 deleted by hand: made again, $VIP back after ${ms} ms"

# a crash, then --release-vips: links and addresses gone
p=$(pid_of b)
kill -KILL "$p"
wait "$p" 2>/dev/null
ip netns exec "$(ns b)" "$VRRPD" --release-vips -f "$WORK/b.yaml" \
    -p "$WORK/b.pid" >"$WORK/release.log" 2>&1 || fail "--release-vips failed"
link_of b vrrp.51 >/dev/null && fail "--release-vips left vrrp.51"
link_of b vrrp6.51 >/dev/null && fail "--release-vips left vrrp6.51"
log_has release "3 VMACs removed" || fail "no summary of the VMACs"
pass "--release-vips removed the three VMACs"
finish
