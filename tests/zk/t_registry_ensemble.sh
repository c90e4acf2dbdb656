#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A pair registered in a 3-server ensemble on the management LAN. Killing
# the leader, then (with it back) a follower, loses no registration: the
# sessions move to the servers left, the same sessions hold the same
# ephemeral znodes, and VRRP never notices (b stays backup throughout, a
# keeps the VIP, and a capture shows no gap in its adverts).
. "$(dirname "$0")/../netns/lib.sh"
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
mgmt_lan
mgmt_host a 1
mgmt_host b 2
mgmt_host admin 5
zk_ensemble

for n in a b; do
	prio=150
	[ $n = b ] && prio=100
	cat >"$WORK/$n.yaml" <<EOC
global:
  router_id: lvs-$n
registry:
  servers: $ZK_SERVERS
  path: /vrrpd/ens
  session_timeout: 6s
instances:
  VI_1:
    interface: eth0
    vrid: 54
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.103/24]
EOC
done
start a "$WORK/a.yaml"
until_ok 5 has_addr a 192.0.2.103 >/dev/null || fail "a not master"
start b "$WORK/b.yaml"
until_ok 5 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
owner() { zk admin stat "/vrrpd/ens/$1" | sed -n \
    's/.*ephemeralOwner=\(0x[0-9a-f]*\).*/\1/p'; }
registered() {
	for p in nodes/lvs-a nodes/lvs-b instances/VI_1/nodes/lvs-a \
	    instances/VI_1/nodes/lvs-b instances/VI_1/master; do
		zk admin exists "/vrrpd/ens/$p" || return 1
	done
}
until_ok 5 registered >/dev/null || fail "not registered"
sa=$(owner nodes/lvs-a)
sb=$(owner nodes/lvs-b)
calm() { is b .instances[0].state BACKUP && has_addr a 192.0.2.103; }
# steady NAME: a's adverts in capture NAME kept their 100 ms interval
steady() {
	_g=$(advert_gap_max "$1" 192.0.2.1)
	[ -n "$_g" ] && [ "${_g%.*}" -lt 150 ] ||
	    fail "a's adverts held back while $1 died: longest gap ${_g:-?} ms"
	echo "$_g"
}

lead=$(zk_leader) || fail "no leader"
capture_start lead "ip proto 112"
zk_kill "$lead"
stays 4 calm || fail "VRRP noticed the leader's death"
capture_stop lead
gap=$(steady lead)
until_ok 10 registered >/dev/null || fail "registration lost ($lead killed)"
[ "$(owner nodes/lvs-a)" = "$sa" ] && [ "$(owner nodes/lvs-b)" = "$sb" ] ||
    fail "a session changed after the leader's death"
pass "leader $lead killed: same sessions, same znodes, no VRRP change, longest advert gap $gap ms"
zk_restart "$lead"
zk_wait "$lead" 60 >/dev/null || fail "$lead did not rejoin"

fol=$(zk_follower) || fail "no follower"
capture_start fol "ip proto 112"
zk_kill "$fol"
stays 4 calm || fail "VRRP noticed the follower's death"
capture_stop fol
gap=$(steady fol)
until_ok 10 registered >/dev/null || fail "registration lost ($fol killed)"
[ "$(owner nodes/lvs-a)" = "$sa" ] && [ "$(owner nodes/lvs-b)" = "$sb" ] ||
    fail "a session changed after the follower's death"
ctl b cluster | jq -e '.instances[0].masters == ["lvs-a"]' >/dev/null ||
    fail "b's view: $(ctl b cluster)"
pass "follower $fol killed: registrations and the view intact, longest advert gap $gap ms"
if log_has a "registry: session" || log_has b "registry: session"; then
	fail "a session expired"
fi
finish
