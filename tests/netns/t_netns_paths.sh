#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Network namespaces by name: two vrrpd started with `ip netns exec NS`
# and no -p or -S both run, each with its pid file and control socket in
# /run/vrrpd/NS/ (keepalived's /run/keepalived/NS), and vrrpctl run in a
# namespace finds its daemon there; a vrrpd started in the host's
# namespace with net_namespace enters /run/netns/NS before it opens a
# socket, and its files are in /run/vrrpd/NS/ too.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
host a 1
host b 2
host c 3
A=$(ns a)
B=$(ns b)
C=$(ns c)
# The namespaces' runtime directories go with the test (and with their
# daemons: checked at the end).
trap 'cleanup; rmdir /run/vrrpd/$A /run/vrrpd/$B /run/vrrpd/$C 2>/dev/null' EXIT

# a and b: one instance each, VRID 51 and 52 (separate virtual routers on
# one LAN), so both are masters and neither waits for the other
for n in a b; do
	vrid=51
	vip=192.0.2.100
	[ $n = b ] && vrid=52 && vip=192.0.2.101
	cat >"$WORK/$n.conf" <<EOC
vrrp_instance VI_$n {
	interface eth0
	virtual_router_id $vrid
	priority 150
	advert_int 1
	virtual_ipaddress {
		$vip/24
	}
}
EOC
	start_in "$n" "$n" "$VRRPD" -f "$WORK/$n.conf"
done
until_ok 6 has_addr a 192.0.2.100 >/dev/null || fail "a never became master"
until_ok 6 has_addr b 192.0.2.101 >/dev/null || fail "b never became master"
kill -0 "$PID_a" && kill -0 "$PID_b" || fail "a daemon did not keep running"
for n in a b; do
	N=$(ns "$n")
	[ "$(cat "/run/vrrpd/$N/vrrpd.pid")" = "$(pid_of "$n")" ] ||
	    fail "/run/vrrpd/$N/vrrpd.pid does not hold $n's pid"
	[ -S "/run/vrrpd/$N/vrrpd.sock" ] ||
	    fail "no control socket /run/vrrpd/$N/vrrpd.sock"
	# vrrpctl in the namespace, without -S
	st=$(ip netns exec "$N" "$VRRPCTL" --json status |
	    jq -r '.instances[0].name + " " + .instances[0].state')
	[ "$st" = "VI_$n MASTER" ] ||
	    fail "vrrpctl in $N: \"$st\", not VI_$n MASTER"
done
log_has a "starting, 1 instance from .* in network namespace $A" ||
    fail "a did not name its namespace"
pass "two daemons in two namespaces, default paths /run/vrrpd/NS/, no collision"

# c: started in the host's namespace, net_namespace puts it in c's
cat >"$WORK/c.conf" <<EOC
net_namespace $C
vrrp_instance VI_c {
	interface eth0
	virtual_router_id 53
	priority 150
	advert_int 1
	virtual_ipaddress {
		192.0.2.102/24
	}
}
EOC
"$VRRPD" -f "$WORK/c.conf" >"$WORK/c.log" 2>&1 &
PID_c=$!
PIDS="$PIDS $PID_c"
until_ok 6 has_addr c 192.0.2.102 >/dev/null ||
    fail "c never became master in $C"
[ "$(cat "/run/vrrpd/$C/vrrpd.pid")" = "$PID_c" ] ||
    fail "/run/vrrpd/$C/vrrpd.pid does not hold c's pid"
[ "$(readlink "/proc/$PID_c/ns/net")" = \
    "$(ip netns exec "$C" readlink /proc/self/ns/net)" ] ||
    fail "c does not run in $C"
st=$("$VRRPCTL" -S "/run/vrrpd/$C/vrrpd.sock" --json status |
    jq -r '.instances[0].state')
[ "$st" = MASTER ] || fail "vrrpctl from the host: $st"
pass "net_namespace $C entered from the host's namespace, files in /run/vrrpd/$C/"
# the namespace cannot change on a reload: refused, c runs on
sed "s/net_namespace $C/net_namespace $A/" "$WORK/c.conf" >"$WORK/c.new" &&
    mv "$WORK/c.new" "$WORK/c.conf"
kill -HUP "$PID_c"
until_ok 3 log_has c "rejected: net_namespace cannot change on a reload" \
    >/dev/null || fail "the reload that changes net_namespace was not refused"
has_addr c 192.0.2.102 || fail "c lost its address"
sed "s/net_namespace $A/net_namespace $C/" "$WORK/c.conf" >"$WORK/c.new" &&
    mv "$WORK/c.new" "$WORK/c.conf"
pass "a reload that changes net_namespace is refused, nothing changes"

# vrrpd -t reads the name, enters nothing; --check-live looks inside:
# an interface that only c's namespace has
ip -n "$C" link add "${ID}d0" type veth peer name "${ID}d1" ||
    fail "an interface of its own for $C"
sed "s/interface eth0/interface ${ID}d0/" "$WORK/c.conf" >"$WORK/live.conf"
"$VRRPD" -t -f "$WORK/live.conf" >"$WORK/t.out" 2>&1 ||
    fail "vrrpd -t: $(cat "$WORK/t.out")"
"$VRRPD" -t --check-live -f "$WORK/live.conf" >"$WORK/t.out" 2>&1 ||
    fail "vrrpd -t --check-live did not find ${ID}d0 in $C: $(cat "$WORK/t.out")"
sed "s/net_namespace $C/net_namespace $B/" "$WORK/live.conf" >"$WORK/b.live"
"$VRRPD" -t --check-live -f "$WORK/b.live" >"$WORK/t.out" 2>&1 &&
    fail "vrrpd -t --check-live found ${ID}d0 in $B"
grep -q "interface ${ID}d0 does not exist" "$WORK/t.out" ||
    fail "no missing interface: $(cat "$WORK/t.out")"
sed "s/net_namespace $C/net_namespace ${ID}none/" "$WORK/c.conf" \
    >"$WORK/none.conf"
"$VRRPD" -t --check-live -f "$WORK/none.conf" >"$WORK/t.out" 2>&1 &&
    fail "vrrpd -t --check-live entered a namespace that does not exist"
grep -q "net_namespace ${ID}none: cannot enter /run/netns/${ID}none" \
    "$WORK/t.out" || fail "no reason given: $(cat "$WORK/t.out")"
pass "vrrpd -t --check-live checks inside net_namespace, and says when it cannot"
stop a b c
for N in "$A" "$B" "$C"; do
	[ ! -e "/run/vrrpd/$N" ] ||
	    fail "/run/vrrpd/$N left behind: $(ls -A "/run/vrrpd/$N")"
done
pass "each stopped daemon removed its pid file, socket and directory"
finish
