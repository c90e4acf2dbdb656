#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A split brain the registry sees: the service LAN of a pair is cut while
# both nodes still reach ZooKeeper over the management LAN. Both become
# master; within a second each node flags it (log, vrrpctl status,
# metrics), vrrpctl cluster shows it, and the notify_split_brain script
# runs with the instance and the masters. Healing ends it on both.
. "$(dirname "$0")/../netns/lib.sh"
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
mgmt_lan
mgmt_host a 1
mgmt_host b 2
zk_start zk 10
zk_wait zk 60 >/dev/null || fail "ZooKeeper did not start"

cat >"$WORK/sb.sh" <<'EOS'
#!/bin/sh
echo "$*" >>"$1.out"
EOS
chmod 755 "$WORK/sb.sh"
for n in a b; do
	prio=150
	[ $n = b ] && prio=100
	cat >"$WORK/$n.yaml" <<EOC
global:
  router_id: lvs-$n
  script_user: root
registry:
  servers: $ZK_SERVERS
  path: /vrrpd/split
  session_timeout: 4s
  notify_split_brain: "$WORK/sb.sh $WORK/$n"
instances:
  VI_1:
    interface: eth0
    vrid: 52
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.101/24]
EOC
done
start a "$WORK/a.yaml"
until_ok 5 has_addr a 192.0.2.101 >/dev/null || fail "a never became master"
start b "$WORK/b.yaml"
until_ok 5 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
until_ok 5 sh -c "$(command -v ip) netns exec $(ns b) $VRRPCTL -S \
    $WORK/b.sock --json cluster | jq -e '.instances[0].nodes | length == 2'" \
    >/dev/null || fail "b does not see both nodes"

# the service port stops forwarding; every link keeps its carrier
port_state() {
	ip netns exec "$BR" bridge link set dev "$(ns "$1")p" state "$2" ||
	    fail "cannot set $1's bridge port $2"
}
port_state b disabled
until_ok 3 has_addr b 192.0.2.101 >/dev/null || fail "b did not take over"
t0=$(date +%s%N)
for n in a b; do
	until_ok 3 is "$n" .instances[0].split_brain true >/dev/null ||
	    fail "$n did not flag the split brain: $(ctl $n status)"
done
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -le 1000 ] || fail "flagged $ms ms after b became master"
pass "both nodes flagged the split brain within $ms ms"
ctl a cluster | jq -e '.instances[0].split_brain == true and
    (.instances[0].masters | sort) == ["lvs-a", "lvs-b"] and
    (.flags[] | select(.kind == "split_brain"))' >/dev/null ||
    fail "vrrpctl cluster: $(ctl a cluster)"
ip netns exec "$(ns a)" "$VRRPCTL" -S "$WORK/a.sock" metrics \
    >"$WORK/metrics.txt" || fail "vrrpctl metrics"
grep -q '^vrrpd_registry_split_brain{instance="VI_1"} 1' "$WORK/metrics.txt" ||
    fail "no split-brain metric"
for n in a b; do
	until_ok 3 grep -q "^$WORK/$n SPLIT_BRAIN VI_1 STARTED lvs-a,lvs-b\$" \
	    "$WORK/$n.out" >/dev/null ||
	    fail "$n's notify_split_brain: $(cat "$WORK/$n.out" 2>&1)"
	log_has "$n" "registry: (VI_1) split brain started: 2 masters" ||
	    fail "$n did not log the start"
done
pass "vrrpctl cluster, the metric and both notify scripts show it"

port_state b forwarding
for n in a b; do
	until_ok 5 is "$n" .instances[0].split_brain false >/dev/null ||
	    fail "$n still flags a split brain"
	until_ok 3 grep -q "SPLIT_BRAIN VI_1 ENDED" "$WORK/$n.out" \
	    >/dev/null || fail "$n's end notification"
	log_has "$n" "registry: (VI_1) split brain ended after" ||
	    fail "$n did not log the end"
done
[ "$(grep -c 'split brain started' "$WORK/a.log")" -eq 1 ] ||
    fail "a logged the start more than once"
# b's master znode, blocked by a's while both were masters, is no longer
# wanted: nothing stays pending
for n in a b; do
	until_ok 3 is "$n" .registry.pending 0 >/dev/null ||
	    fail "$n keeps writes pending: $(ctl $n status | jq -c .registry)"
done
pass "healing ended it on both, logged once each way, nothing pending"
finish
