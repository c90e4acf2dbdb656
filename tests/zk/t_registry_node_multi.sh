#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A node's writes in one ZooKeeper transaction: when every instance of a
# node moves at once (a node lost or stopped moves them all), the records,
# master znode deletes and history entries of all of them go in one multi,
# not one per instance. b alone masters 10 instances; demoted with --all,
# all ten step down in one loop turn (one multi: 10 sets, 10 deletes, 10
# entries), hear nobody, and take over again together (one multi: 10 sets,
# 10 entries; the 10 master znode creates stay requests of their own, a
# create being what may find the znode held): 12 transactions (up to 14
# when the ten Master_Down timers fire over two or three loop turns),
# where one multi per instance made 30. Every record, entry and master
# znode is there afterwards.
. "$(dirname "$0")/../netns/lib.sh"
. "$(dirname "$0")/lib.sh"

N=10
lan
host b 2
mgmt_lan
mgmt_host b 2
mgmt_host admin 5
zk_start zk 10
zk_wait zk 60 >/dev/null || fail "ZooKeeper did not start"

{
	cat <<EOC
global:
  router_id: lvs-b
registry:
  servers: $ZK_SERVERS
  path: /vrrpd/test
  session_timeout: 4s
instances:
EOC
	i=1
	while [ $i -le $N ]; do
		cat <<EOC
  VI_$i:
    interface: eth0
    vrid: $((50 + i))
    priority: 200
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.$((100 + i))/24]
EOC
		i=$((i + 1))
	done
} >"$WORK/b.yaml"

P=/vrrpd/test/instances
zxid() { echo $(($(zk_4lw zk srvr | sed -n 's/^Zxid: //p'))); }
idle() { is b .registry.pending 0; }
in_state() {
	ctl b status | jq --arg s "$1" '[.instances[] | select(.state == $s)] |
	    length'
}
all_master() { [ "$(in_state MASTER)" = $N ] && idle; }
all_backup() { [ "$(in_state BACKUP)" = $N ]; }
# entries of FROM -> TO over all instances, from the registry
hist_count() {
	ip netns exec "$(ns admin)" "$VRRPCTL" --json cluster history \
	    --servers "$ZK_SERVERS" --path /vrrpd/test |
	    jq --arg f "$1" --arg t "$2" '[.history[] | select(.router_id ==
	    "lvs-b" and .from == $f and .to == $t)] | length'
}
master_znodes() {
	i=1
	n=0
	while [ $i -le $N ]; do
		zk admin get "$P/VI_$i/master" |
		    jq -e '.router_id == "lvs-b"' >/dev/null && n=$((n + 1))
		i=$((i + 1))
	done
	echo $n
}

start b "$WORK/b.yaml"
all_znodes() { [ "$(master_znodes)" = $N ]; }
until_ok 10 all_master >/dev/null ||
    fail "b does not master all $N: $(in_state MASTER)"
until_ok 5 all_znodes >/dev/null || fail "master znodes: $(master_znodes) of $N"
down0=$(hist_count MASTER BACKUP)
up0=$(hist_count BACKUP MASTER)
z0=$(zxid)
ctl b demote --all >/dev/null || fail "demote --all"
until_ok 3 all_backup >/dev/null ||
    fail "b did not step down everywhere: $(in_state BACKUP) BACKUP"
until_ok 5 all_master >/dev/null || fail "b not master of all again, or writes pending"
z1=$(zxid)
down1=$(hist_count MASTER BACKUP)
up1=$(hist_count BACKUP MASTER)
[ "$down1" = $((down0 + N)) ] && [ "$up1" = $((up0 + N)) ] ||
    fail "history: MASTER BACKUP $down0 -> $down1, BACKUP MASTER $up0 -> $up1"
[ "$(master_znodes)" = $N ] || fail "master znodes afterwards: $(master_znodes) of $N"
[ $((z1 - z0)) -le $((N + 4)) ] ||
    fail "$((2 * N)) transitions cost $((z1 - z0)) transactions, not $((N + 2))-$((N + 4))"
pass "$((2 * N)) transitions of $N instances: $((z1 - z0)) transactions (one multi per instance: $((3 * N))), history and master znodes complete"
ctl b promote --all >/dev/null || fail "promote --all"
finish
