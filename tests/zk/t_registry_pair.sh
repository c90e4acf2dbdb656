#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Two nodes register in a real ZooKeeper reached over a management LAN,
# one configured in YAML and one in keepalived.conf syntax. vrrpctl
# cluster shows one master from either daemon and, with --servers, from a
# host running no daemon; a failover reaches the znodes within a second;
# the history holds the transitions of the run; garbage written into a
# znode by hand is reported with its path, and nothing crashes.
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

cat >"$WORK/a.yaml" <<EOC
global:
  router_id: lvs-a
registry:
  servers: $ZK_SERVERS
  path: /vrrpd/test
  session_timeout: 4s
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: 150
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.100/24]
EOC
cat >"$WORK/b.conf" <<EOC
global_defs {
  router_id lvs-b
  vrrpd_registry_servers $ZK_SERVERS
  vrrpd_registry_path /vrrpd/test
  vrrpd_registry_session_timeout 4000
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 100
  advert_int 0.1
  version 3
  virtual_ipaddress {
    192.0.2.100/24
  }
}
EOC
start a "$WORK/a.yaml"
until_ok 5 has_addr a 192.0.2.100 >/dev/null || fail "a never became master"
start b "$WORK/b.conf"
until_ok 5 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"

# both registered, one master, seen from a, from b and from admin
one_master() {
	ctl "$1" cluster | jq -e '.instances[0] | .name == "VI_1" and
	    .masters == ["lvs-a"] and .split_brain == false and
	    ([.nodes[].router_id] == ["lvs-a", "lvs-b"]) and
	    ([.nodes[] | .priority.base] == [150, 100])' >/dev/null
}
until_ok 5 one_master a >/dev/null || fail "a's cluster view: $(ctl a cluster)"
until_ok 5 one_master b >/dev/null || fail "b's cluster view: $(ctl b cluster)"
direct() {
	ip netns exec "$(ns admin)" "$VRRPCTL" --json cluster \
	    --servers "$ZK_SERVERS" --path /vrrpd/test
}
direct | jq -e '.source == "zookeeper" and .instances[0].masters == ["lvs-a"]
    and (.nodes | length) == 2' >/dev/null ||
    fail "the direct view: $(direct)"
zk admin get /vrrpd/test/instances/VI_1/master | jq -e '.router_id == "lvs-a"' \
    >/dev/null || fail "no master znode for lvs-a"
ip netns exec "$(ns admin)" "$VRRPCTL" cluster --servers "$ZK_SERVERS" \
    --path /vrrpd/test >"$WORK/table.txt" || fail "the table"
awk 'length > 80 { exit 1 }' "$WORK/table.txt" || fail "table wider than 80"
pass "two nodes registered, one master, from a, b and admin"
log_has a "registry: connected to $MGMT_NET.10:2181 (session 0x" ||
    fail "a's connection line"

# a failover reaches ZooKeeper within a second
kill -TERM "$(pid_of a)"
t0=$(date +%s%N)
b_master_zk() {
	zk admin get /vrrpd/test/instances/VI_1/nodes/lvs-b |
	    jq -e '.state == "MASTER"' && zk admin get \
	    /vrrpd/test/instances/VI_1/master | jq -e '.router_id == "lvs-b"'
}
until_ok 3 has_addr b 192.0.2.100 >/dev/null || fail "b did not take over"
t1=$(date +%s%N)
until_ok 3 b_master_zk >/dev/null || fail "the znodes did not follow"
ms=$((($(date +%s%N) - t1) / 1000000))
[ "$ms" -le 1000 ] || fail "znodes updated $ms ms after the takeover"
pass "the takeover reached the znodes in $ms ms"
until_ok 8 sh -c "! ip netns exec $(ns admin) $ZK_TOOL -s $ZK_SERVERS exists /vrrpd/test/nodes/lvs-a" \
    >/dev/null 2>&1 || fail "lvs-a's node record stayed after its stop"

# the history of the run
hist() {
	ip netns exec "$(ns admin)" "$VRRPCTL" --json cluster history VI_1 \
	    --servers "$ZK_SERVERS" --path /vrrpd/test
}
until_ok 3 sh -c "$(command -v ip) netns exec $(ns admin) $VRRPCTL --json \
    cluster history VI_1 --servers $ZK_SERVERS --path /vrrpd/test |
    jq -e '[.history[] | [.router_id, .from, .to] | join(\" \")] |
    index(\"lvs-a BACKUP MASTER\") and index(\"lvs-b BACKUP MASTER\") and
    index(\"lvs-a MASTER INIT\")'" >/dev/null ||
    fail "history: $(hist)"
pass "the history holds the run's transitions"

# the writer trims: 150 old entries, then b's next transitions
old='{"v":1,"time":1600000000000,"router_id":"lvs-z","from":"INIT","to":"BACKUP","reason":"startup"}'
zk admin create -q 150 /vrrpd/test/instances/VI_1/history/t- "$old" >/dev/null ||
    fail "cannot add old history entries"
entries() { zk admin ls /vrrpd/test/instances/VI_1/history | grep -c '^t-'; }
[ "$(entries)" -ge 150 ] || fail "only $(entries) history entries"
# each demotion: b hands over to nobody and takes over again (2
# transitions); a writer trims after every 10 of its appends
b_master() { is b .instances[0].state MASTER; }
for i in 1 2 3 4 5 6; do
	ctl b demote VI_1 >/dev/null || fail "demote b"
	ctl b promote VI_1 >/dev/null || fail "promote b"
	until_ok 3 b_master >/dev/null || fail "b not master again"
done
trimmed() { [ "$(entries)" -le 110 ]; }
until_ok 5 trimmed >/dev/null || fail "history not trimmed: $(entries) entries"
until_ok 5 sh -c "$(command -v ip) netns exec $(ns admin) $VRRPCTL --json \
    cluster history VI_1 --servers $ZK_SERVERS --path /vrrpd/test |
    jq -e '(.history | length) <= 100 and .history[-1].router_id == \"lvs-b\"'" \
    >/dev/null || fail "history after the trim: $(hist)"
pass "the history is trimmed to its newest entries ($(entries) znodes)"

# garbage in a znode: reported with its path, nothing crashes
zk admin set /vrrpd/test/instances/VI_1/nodes/lvs-x '{"v":1,"name":garbage' ||
    fail "cannot write garbage"
until_ok 3 sh -c "$(command -v ip) netns exec $(ns b) $VRRPCTL -S $WORK/b.sock \
    --json cluster | jq -e '.errors[] | select(.path ==
    \"/vrrpd/test/instances/VI_1/nodes/lvs-x\")'" >/dev/null ||
    fail "garbage not reported: $(ctl b cluster)"
direct | jq -e '.errors | length == 1' >/dev/null || fail "direct: garbage"
kill -0 "$(pid_of b)" || fail "b died"
pass "garbage in a znode is reported with its path"
finish
