#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# vrrpd --release-vips, the systemd unit's ExecStopPost= (keepalived pain
# point P4): refused while the daemon runs; after the master dies by
# SIGKILL and leaves its VIPs behind (the backup takes over: both hold
# them), it removes the configured VIPs, virtual routes and virtual rules,
# and only those.
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
for n in a b; do
	prio=150
	[ $n = b ] && prio=100
	cat >"$WORK/$n.yaml" <<EOC
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.100/24]
    virtual_ipaddress_excluded: ["2001:db8::100/64"]
    virtual_routes: ["203.0.113.0/24 via 192.0.2.254"]
    virtual_rules: ["from 192.0.2.100 table 100"]
EOC
done
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a 192.0.2.100 >/dev/null || fail "a never became master"
release() {
	timeout 10 ip netns exec "$(ns a)" "$VRRPD" --release-vips \
	    -f "$WORK/a.yaml" -p "$WORK/a.pid" >"$WORK/release.log" 2>&1
}
release && fail "--release-vips ran while vrrpd runs"
log_has release "vrrpd runs as pid $(pid_of a)" ||
    fail "--release-vips did not name the running daemon"
has_addr a 192.0.2.100 || fail "--release-vips removed a running master's VIP"
pass "refused while vrrpd runs"

kill -KILL "$(pid_of a)"
until_ok 3 has_addr b 192.0.2.100 >/dev/null || fail "b did not take over"
has_addr a 192.0.2.100 && has_addr a 2001:db8::100 ||
    fail "the crash left no VIP behind"
route_a() { ip -n "$(ns a)" route show 203.0.113.0/24 | grep -q .; }
rule_a() { ip -n "$(ns a)" rule show | grep -q "from 192.0.2.100 lookup 100"; }
route_a && rule_a || fail "the crash left no virtual route or rule behind"
ip -n "$(ns a)" addr add 192.0.2.200/24 dev eth0
ip -n "$(ns a)" route add 198.51.100.0/24 via 192.0.2.254
release || fail "--release-vips failed: $(cat "$WORK/release.log")"
lacks_addr a 192.0.2.100 && lacks_addr a 2001:db8::100 ||
    fail "--release-vips left a VIP"
has_addr a 192.0.2.1 && has_addr a 192.0.2.200 ||
    fail "--release-vips removed an address it does not manage"
log_has release "2 addresses released" || fail "no summary line"
route_a && fail "--release-vips left the virtual route"
rule_a && fail "--release-vips left the virtual rule"
ip -n "$(ns a)" route show 198.51.100.0/24 | grep -q . ||
    fail "--release-vips removed a route it does not manage"
has_addr b 192.0.2.100 || fail "b lost the VIP"
pass "after SIGKILL: the 2 leftover VIPs, the virtual route and rule released, other addresses and routes kept"
finish
pass "daemons stopped cleanly"
