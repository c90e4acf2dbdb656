#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# keepalived's weight trap, seen across nodes: lvs-a (priority 110) tracks
# check web with weight +20, lvs-b runs at 100. When web fails, lvs-a only
# loses its bonus, 110 still beats 100, and VRRP moves nothing. The
# registry flags it as it flags a split brain: in vrrpctl status of both
# nodes, in a log line, in the metrics, and by vrrpctl cluster (JSON and
# table) through a daemon and from a host running none. It clears when
# web passes again; with weight -20 instead (set by a reload) the same
# failure moves the master to lvs-b and nothing is flagged.
. "$(dirname "$0")/../netns/lib.sh"
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
host a 1
host b 2
mgmt_lan
mgmt_host a 1
mgmt_host b 2
mgmt_host admin 5
zk_start zk 10
zk_wait zk 60 >/dev/null || fail "ZooKeeper did not start"

# conf NAME PRIORITY [WEIGHT]: WEB on VRID 51; with WEIGHT, tracking
# check web (up while WORK/web.up exists) with that weight
conf() {
	cat >"$WORK/$1.yaml" <<EOC
global:
  router_id: lvs-$1
  script_user: root
registry:
  servers: $ZK_SERVERS
  path: /vrrpd/trap
EOC
	[ -z "${3:-}" ] || cat >>"$WORK/$1.yaml" <<EOC
checks:
  web: { type: script, command: "/usr/bin/test -e $WORK/web.up",
         interval: 100ms, weight: $3 }
EOC
	cat >>"$WORK/$1.yaml" <<EOC
instances:
  WEB:
    interface: eth0
    vrid: 51
    priority: $2
    advert_interval: 100ms
    virtual_ipaddress: [$VIP/24]
EOC
	[ -z "${3:-}" ] || echo "    track: [{ check: web }]" >>"$WORK/$1.yaml"
}

# The flag's text, as src/registry/format.c writes it (the issue's
# example, word for word).
TRAP="(WEB) check web failing on lvs-a leaves 110 > 100 on lvs-b: no failover"

# flagged NODE: NODE's status lists the trap, once
flagged() {
	ctl "$1" status | jq -e --arg t "$TRAP" '[.registry.flags[] |
	    select(.kind == "weight_trap" and .instance == "WEB" and
	    .text == $t)] | length == 1' >/dev/null
}
# unflagged NODE: NODE, connected, lists no weight trap
unflagged() {
	ctl "$1" status | jq -e '.registry.state == "connected" and
	    ([.registry.flags[] | select(.kind == "weight_trap")] |
	    length == 0)' >/dev/null
}
# direct ARGS...: vrrpctl ARGS cluster on admin, straight from ZooKeeper
direct() {
	ip netns exec "$(ns admin)" "$VRRPCTL" "$@" cluster \
	    --servers "$ZK_SERVERS" --path /vrrpd/trap
}
# lists / lacks: the cluster reply on stdin has the trap once / none
lists() {
	jq -e --arg t "$TRAP" '.errors == [] and ([.flags[] |
	    select(.kind == "weight_trap" and .instance == "WEB" and
	    .text == $t)] | length == 1)' >/dev/null
}
lacks() {
	jq -e '.errors == [] and
	    ([.flags[] | select(.kind == "weight_trap")] | length == 0)' \
	    >/dev/null
}
direct_lists() { direct --json | lists; }
daemon_lists() { ctl "$1" cluster | lists; }
# view A_EFFECTIVE MASTER: the registry holds a's effective priority and
# the master it is waited for, b at 100
view() {
	direct --json | jq -e --argjson p "$1" --arg m "$2" '.instances[0] |
	    .masters == [$m] and ([.nodes[] | .priority.effective] ==
	    [$p, 100])' >/dev/null
}
# table_has / table_lacks: the trap in the table's "flags:" section
table_has() {
	direct >"$WORK/table.txt" &&
	    sed -n '/^flags:$/,/^$/p' "$WORK/table.txt" | grep -q -F -x "  $TRAP"
}
table_lacks() {
	direct >"$WORK/table.txt" && ! grep -q -F "failing on" "$WORK/table.txt"
}
# traps NODE VALUE: NODE's metrics count VALUE weight traps now
traps() {
	field "$1" '.text' metrics >"$WORK/$1.metrics" &&
	    grep -q -x "vrrpd_registry_weight_traps $2" "$WORK/$1.metrics"
}
logged() { grep -q -F -x -- "$2" "$WORK/$1.log"; }
nlogged() { grep -c -F -x -- "$2" "$WORK/$1.log"; }

# ---- web passes: lvs-a 130 (110 + 20) is master, nothing is flagged
touch "$WORK/web.up"
conf a 110 20
conf b 100
start a "$WORK/a.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
start b "$WORK/b.yaml"
zk_poll 10 view 130 lvs-a >/dev/null ||
    fail "the registry's view: $(direct --json | jq -c .instances)"
for n in a b; do
	unflagged $n || fail "$n flags: $(ctl $n status | jq -c .registry.flags)"
done
direct --json | lacks || fail "flagged: $(direct --json | jq -c .flags)"
pass "web passes: lvs-a at 130 is master over lvs-b at 100, no flag"

# ---- web fails: lvs-a 110 > lvs-b 100, still master: the trap
rm "$WORK/web.up"
until_ok 3 is a '.instances[0].priority.effective' 110 >/dev/null ||
    fail "a's priority: $(field a '.instances[0].priority')"
for n in a b; do
	ms=$(until_ok 5 flagged $n) ||
	    fail "$n did not flag the trap: $(ctl $n status | jq -c .registry)"
	until_ok 2 logged $n "registry: $TRAP" >/dev/null ||
	    fail "$n did not log the trap"
done
zk_poll 5 direct_lists >/dev/null ||
    fail "vrrpctl cluster --servers: $(direct --json | jq -c .flags)"
zk_poll 5 table_has >/dev/null ||
    fail "the table has no trap line: $(cat "$WORK/table.txt")"
grep -q -E "^WEB +51 +lvs-a +\* MASTER +110 +1/1 +web " "$WORK/table.txt" ||
    fail "the table's row for lvs-a: $(cat "$WORK/table.txt")"
until_ok 5 daemon_lists b >/dev/null ||
    fail "vrrpctl cluster through b: $(ctl b cluster | jq -c .flags)"
stays 1 has_addr a $VIP || fail "the VIP moved: no trap after all"
is b '.instances[0].state' BACKUP || fail "b is not backup"
for n in a b; do
	traps $n 1 || fail "$n's metrics: $(grep '^vrrpd_registry_' \
	    "$WORK/$n.metrics" | tr '\n' ' ')"
done
pass "web fails: lvs-a keeps the VIP at 110 > 100; flagged on a and b" \
    "(b after $ms ms), logged, counted, listed by vrrpctl cluster"

# ---- web passes again: cleared everywhere
touch "$WORK/web.up"
for n in a b; do
	ms=$(until_ok 5 unflagged $n) ||
	    fail "$n still flags the trap: $(ctl $n status | jq -c .registry)"
	until_ok 2 logged $n "registry: cleared: $TRAP" >/dev/null ||
	    fail "$n did not log the trap's end"
	[ "$(nlogged $n "registry: $TRAP")" -eq 1 ] ||
	    fail "$n logged the trap more than once"
	traps $n 0 || fail "$n's metrics still count the cleared trap"
done
zk_poll 5 view 130 lvs-a >/dev/null ||
    fail "the registry's view: $(direct --json | jq -c .instances)"
direct --json | lacks || fail "still listed: $(direct --json | jq -c .flags)"
ctl a cluster | lacks || fail "through a: $(ctl a cluster | jq -c .flags)"
table_lacks || fail "the table: $(cat "$WORK/table.txt")"
pass "web passes again: cleared on a and b (b after $ms ms), logged," \
    "gone from vrrpctl cluster"

# ---- the fix: weight -20, by a reload; web fails, lvs-b takes over
conf a 110 -20
ctl a reload >"$WORK/reload.json" ||
    fail "a's reload: $(cat "$WORK/reload.json")"
jq -e '.ok == true' "$WORK/reload.json" >/dev/null ||
    fail "a's reload: $(cat "$WORK/reload.json")"
until_ok 5 is a '.instances[0].priority.effective' 110 >/dev/null ||
    fail "a's priority after the reload: $(field a '.instances[0].priority')"
until_ok 5 has_addr a $VIP >/dev/null ||
    fail "a is not master after the reload"
until_ok 5 lacks_addr b $VIP >/dev/null ||
    fail "b kept the VIP after a's reload"
rm "$WORK/web.up"
ms=$(until_ok 5 has_addr b $VIP) || fail "b did not take over at 90 < 100"
zk_poll 5 view 90 lvs-b >/dev/null ||
    fail "the registry's view: $(direct --json | jq -c .instances)"
for n in a b; do
	stays 1 unflagged $n ||
	    fail "$n flags: $(ctl $n status | jq -c .registry.flags)"
done
direct --json | lacks || fail "listed: $(direct --json | jq -c .flags)"
[ "$(nlogged a "registry: $TRAP")" -eq 1 ] || fail "a logged a trap again"
pass "weight -20 (reloaded): web fails, lvs-b took over after $ms ms," \
    "nothing flagged"
finish
