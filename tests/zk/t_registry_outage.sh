#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The registry never holds VRRP back. With ZooKeeper stopped, a failover
# takes as long as with it up (the same SIGKILL of the master, measured
# the same way: from a capture, a's last advert to b's first), and the new state reaches ZooKeeper within a second of
# its return. A management link cut past the session timeout expires
# the session: the node logs it and re-creates its ephemeral znodes.
. "$(dirname "$0")/../netns/lib.sh"
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
mgmt_lan
mgmt_host a 1
mgmt_host b 2
mgmt_host admin 5
zk_start zk 10
zk_wait zk 60 >/dev/null || fail "ZooKeeper did not start"

for n in a b; do
	prio=150
	[ $n = b ] && prio=100
	cat >"$WORK/$n.yaml" <<EOC
global:
  router_id: lvs-$n
registry:
  servers: $ZK_SERVERS
  path: /vrrpd/outage
  session_timeout: 2s
instances:
  VI_1:
    interface: eth0
    vrid: 53
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.102/24]
EOC
done
rec() { zk admin get "/vrrpd/outage/instances/VI_1/nodes/$1"; }
state_is() { rec "$1" | jq -e ".state == \"$2\""; }

# one takeover: a (re)started and master, b backup; SIGKILL a; the ms
# from a's last advert to b's first, from a capture on the service LAN
a_adverts() { [ "$(advert_count "$1" 192.0.2.1)" -ge 2 ]; }
takeover() {
	start a "$WORK/a.yaml"
	until_ok 5 has_addr a 192.0.2.102 >/dev/null || fail "a not master"
	until_ok 5 is b .instances[0].state BACKUP >/dev/null ||
	    fail "b not backup"
	capture_start "$1" "ip proto 112"
	until_ok 3 a_adverts "$1" >/dev/null || fail "no advert from a"
	kill -KILL "$(pid_of a)"
	until_ok 3 has_addr b 192.0.2.102 >/dev/null ||
	    fail "b did not take over"
	capture_stop "$1"
	takeover_ms "$1" 192.0.2.1 192.0.2.2
}
start b "$WORK/b.yaml"
until_ok 5 state_is b BACKUP >/dev/null || fail "b not registered"
up_ms=$(takeover up)
[ -n "$up_ms" ] || fail "no takeover in the capture"
until_ok 3 state_is b MASTER >/dev/null || fail "b's MASTER not written"
pass "takeover with ZooKeeper up: $up_ms ms"

# b backup again under a new a, then ZooKeeper goes
zk_stop zk
down_ms=$(takeover down)
[ -n "$down_ms" ] || fail "no takeover in the capture"
pass "takeover with ZooKeeper stopped: $down_ms ms"
[ "${down_ms%.*}" -le $((${up_ms%.*} + 40)) ] ||
    fail "ZooKeeper down slowed the takeover: $down_ms ms vs $up_ms ms"
zk_restart zk
zk_wait zk 60 >/dev/null || fail "ZooKeeper did not come back"
t0=$(date +%s%N)
until_ok 5 state_is b MASTER >/dev/null || fail "b's state not written"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -le 1000 ] || fail "written $ms ms after ZooKeeper's return"
pass "b's MASTER written $ms ms after ZooKeeper served again"

# session expiry: cut b's management link past its 2 s session
sess() { zk admin stat /vrrpd/outage/nodes/lvs-b | sed -n \
    's/.*ephemeralOwner=\(0x[0-9a-f]*\).*/\1/p'; }
old=$(sess)
[ -n "$old" ] || fail "no node record for lvs-b"
mgmt_down b
until_ok 8 sh -c "! $(command -v ip) netns exec $(ns admin) $ZK_TOOL -s \
    $ZK_SERVERS exists /vrrpd/outage/nodes/lvs-b" >/dev/null ||
    fail "the session did not expire"
mgmt_up b
until_ok 10 log_has b "registry: session 0x[0-9a-f]* expired, re-registering" \
    >/dev/null || fail "b did not log the expiry"
until_ok 5 state_is b MASTER >/dev/null || fail "b's record not re-created"
zk admin get /vrrpd/outage/instances/VI_1/master |
    jq -e '.router_id == "lvs-b"' >/dev/null || fail "master znode"
new=$(sess)
[ -n "$new" ] && [ "$new" != "$old" ] || fail "same session $old / $new"
pass "the expired session's ephemerals re-created ($old -> $new)"
finish
