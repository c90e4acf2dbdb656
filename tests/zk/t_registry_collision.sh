#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Two instances with different names but one VRID on one subnet (two
# teams picked the same VRID for their pairs): each node flags the
# collision in vrrpctl status and logs it, and vrrpctl cluster lists it.
# When one team moves to another VRID (a reload), the flag clears
# everywhere and each node logs that it did.
. "$(dirname "$0")/../netns/lib.sh"
. "$(dirname "$0")/lib.sh"

lan
host a 1
host c 3
mgmt_lan
mgmt_host a 1
mgmt_host c 3
mgmt_host admin 5
zk_start zk 10
zk_wait zk 60 >/dev/null || fail "ZooKeeper did not start"

conf() { # NAME INSTANCE VRID VIP
	cat >"$WORK/$1.yaml" <<EOC
global:
  router_id: lvs-$1
registry:
  servers: $ZK_SERVERS
  path: /vrrpd/coll
instances:
  $2:
    interface: eth0
    vrid: $3
    priority: 100
    advert_interval: 100ms
    virtual_ipaddress: [$4/24]
EOC
}
conf a WEB 55 192.0.2.110
conf c DB 55 192.0.2.111
start a "$WORK/a.yaml"
start c "$WORK/c.yaml"
collides() {
	ctl "$1" status | jq -e '.registry.flags[] |
	    select(.kind == "vrid_collision")' >/dev/null
}
for n in a c; do
	until_ok 5 collides "$n" >/dev/null ||
	    fail "$n did not flag the collision: $(ctl $n status | jq .registry)"
done
log_has a "registry: (DB) VRID 55 collides with WEB on 192.0.2.0/24" ||
    log_has a "registry: (WEB) VRID 55 collides with DB on 192.0.2.0/24" ||
    fail "a did not log the collision"
ip netns exec "$(ns admin)" "$VRRPCTL" --json cluster --servers "$ZK_SERVERS" \
    --path /vrrpd/coll | jq -e '.flags[] | select(.kind == "vrid_collision")' \
    >/dev/null || fail "vrrpctl cluster does not list it"
pass "a VRID collision between two names is flagged on both nodes"

conf c DB 56 192.0.2.111
kill -HUP "$(pid_of c)"
clear() { ! collides "$1"; }
for n in a c; do
	until_ok 5 clear "$n" >/dev/null ||
	    fail "$n still flags it: $(ctl $n status | jq .registry.flags)"
	until_ok 2 log_has "$n" "registry: cleared: .*VRID 55 collides" \
	    >/dev/null || fail "$n did not log the end of the collision"
done
ip netns exec "$(ns admin)" "$VRRPCTL" --json cluster --servers "$ZK_SERVERS" \
    --path /vrrpd/coll | jq -e '[.flags[] | select(.kind ==
    "vrid_collision")] == []' >/dev/null || fail "vrrpctl cluster still lists it"
pass "moved to VRID 56: the flag cleared on both nodes and in vrrpctl cluster"
finish
