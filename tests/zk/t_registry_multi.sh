#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A transition's writes in one ZooKeeper transaction, and the single-
# request path where a multi cannot go. A demotion and the takeover that
# follows cost the ensemble three transactions (the server's zxid), not
# six: the record, the master znode's delete and the history entry in one
# multi, then the record and the entry in another and the master znode's
# create on its own. A frozen master's znode, held until its session
# expires, does not hold back the new master's record or history, and the
# new master's znode follows the old one's expiry. A multi refused by the
# server (the record removed by hand) leaves nothing unwritten: the
# writes go again one by one, the record is created anew, and the history
# entry is there once.
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
	if [ $n = a ]; then prio=150; else prio=200; fi
	cat >"$WORK/$n.yaml" <<EOC
global:
  router_id: lvs-$n
registry:
  servers: $ZK_SERVERS
  path: /vrrpd/test
  session_timeout: 4s
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.100/24]
EOC
done

P=/vrrpd/test/instances/VI_1
# zxid: the server's last transaction id, decimal (the four-letter word
# opens no session: it adds none)
zxid() { echo $(($(zk_4lw zk srvr | sed -n 's/^Zxid: //p'))); }
idle() { is "$1" .registry.pending 0; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
master_is() { zk admin get $P/master | jq -e --arg r "$1" '.router_id == $r'; }
rec_is() { zk admin get "$P/nodes/$1" | jq -e --arg s "$2" '.state == $s'; }
# hist_count ROUTER FROM TO: entries of that transition in the history
hist_count() {
	ip netns exec "$(ns admin)" "$VRRPCTL" --json cluster history VI_1 \
	    --servers "$ZK_SERVERS" --path /vrrpd/test |
	    jq --arg r "$1" --arg f "$2" --arg t "$3" \
		'[.history[] | select(.router_id == $r and .from == $f and
		.to == $t)] | length'
}

start b "$WORK/b.yaml" --debug zk
until_ok 5 has_addr b 192.0.2.100 >/dev/null || fail "b never became master"
until_ok 5 master_is lvs-b >/dev/null || fail "no master znode for lvs-b"
until_ok 5 idle b >/dev/null || fail "b has writes pending"

# b alone: demoted, it steps down, hears nobody and takes over again
down0=$(hist_count lvs-b MASTER BACKUP)
up0=$(hist_count lvs-b BACKUP MASTER)
z0=$(zxid)
ctl b demote VI_1 >/dev/null || fail "demote b"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b did not step down"
b_back() { is b .instances[0].state MASTER && idle b; }
until_ok 5 b_back >/dev/null || fail "b not master again, or writes pending"
z1=$(zxid)
[ $((z1 - z0)) -eq 3 ] ||
    fail "two transitions cost $((z1 - z0)) transactions, not 3"
down1=$(hist_count lvs-b MASTER BACKUP)
up1=$(hist_count lvs-b BACKUP MASTER)
[ "$down1" = $((down0 + 1)) ] && [ "$up1" = $((up0 + 1)) ] ||
    fail "history: MASTER BACKUP $down0 -> $down1, BACKUP MASTER $up0 -> $up1"
master_is lvs-b >/dev/null || fail "no master znode for lvs-b after the cycle"
ctl b promote VI_1 >/dev/null || fail "promote b"
pass "a step-down and a takeover: 3 transactions, both in the history"

# a as the backup, then b frozen: its master znode stays until its
# session expires (4 s), a's record and history do not wait for that
start a "$WORK/a.yaml" --debug zk
until_ok 5 is a .instances[0].state BACKUP >/dev/null || fail "a not backup"
until_ok 5 rec_is lvs-a BACKUP >/dev/null || fail "a's record"
until_ok 5 idle a >/dev/null || fail "a has writes pending"
up0=$(hist_count lvs-a BACKUP MASTER)
kill -STOP "$(pid_of b)"
until_ok 3 has_addr a 192.0.2.100 >/dev/null || fail "a did not take over"
tk0=$(now_ms)
a_written() {
	rec_is lvs-a MASTER &&
	    [ "$(hist_count lvs-a BACKUP MASTER)" = $((up0 + 1)) ]
}
until_ok 2 a_written >/dev/null || fail "a's record or history not written"
ms=$(($(now_ms) - tk0))
master_is lvs-b >/dev/null || fail "b's master znode went before its session"
is a .registry.pending 1 || fail "a: $(field a .registry.pending) pending, not 1 (the master znode)"
pass "b frozen: a's record and history written in $ms ms, the master znode still b's"
until_ok 10 master_is lvs-a >/dev/null || fail "a's master znode never came"
until_ok 3 idle a >/dev/null || fail "a has writes pending"
log_has a "cannot write $P/master" && fail "a logged a write error for the master znode"
pass "b's session expired: the master znode is a's"

# b back: it preempts, a steps down (one multi)
kill -CONT "$(pid_of b)"
until_ok 10 is a .instances[0].state BACKUP >/dev/null || fail "b did not preempt"
until_ok 10 master_is lvs-b >/dev/null || fail "no master znode for lvs-b"
until_ok 5 idle a >/dev/null || fail "a has writes pending"
until_ok 5 rec_is lvs-a BACKUP >/dev/null || fail "a's record not BACKUP"

# a's record removed by hand, then a takes over: the multi with its set
# fails whole, the writes go one by one
zk admin rm $P/nodes/lvs-a || fail "cannot remove a's record"
kill -TERM "$(pid_of b)"
until_ok 3 has_addr a 192.0.2.100 >/dev/null || fail "a did not take over"
until_ok 5 rec_is lvs-a MASTER >/dev/null || fail "a's record not made again"
until_ok 10 master_is lvs-a >/dev/null || fail "no master znode for lvs-a"
until_ok 5 idle a >/dev/null || fail "a has writes pending"
log_has a "a multi failed (no node); one by one" ||
    fail "a's multi did not fail: $(grep multi "$WORK/a.log" | tail -n 3)"
n=$(hist_count lvs-a BACKUP MASTER)
[ "$n" = $((up0 + 2)) ] || fail "a's BACKUP MASTER entries: $n, not $((up0 + 2))"
pass "a multi refused: the record made again, the history entry there once"
finish
