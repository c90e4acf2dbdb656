#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# One instance name configured differently on its two nodes: first the
# VIP sets differ (WEB), then, with a second name added by reloads, the
# VRIDs (DB). Each is flagged as a split brain is: in vrrpctl status of
# both nodes, in a log line, in the registry metrics, and by vrrpctl
# cluster (JSON and table) through a daemon and from a host running none.
# Fixing b's file and reloading it clears each flag everywhere, with a
# "registry: cleared:" line on both nodes.
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

# conf NAME PRIORITY WEB_VIP [DB_VRID]: WEB on VRID 51 with WEB_VIP; with
# DB_VRID, DB too (192.0.2.120)
conf() {
	cat >"$WORK/$1.yaml" <<EOC
global:
  router_id: lvs-$1
registry:
  servers: $ZK_SERVERS
  path: /vrrpd/mm
instances:
  WEB:
    interface: eth0
    vrid: 51
    priority: $2
    advert_interval: 100ms
    virtual_ipaddress: [$3/24]
EOC
	[ -z "${4:-}" ] || cat >>"$WORK/$1.yaml" <<EOC
  DB:
    interface: eth0
    vrid: $4
    priority: $2
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.120/24]
EOC
}

# The flags' texts, as src/registry/format.c writes them: the name's
# records are compared with lvs-a's, the first by router id.
VIPS="(WEB) VIPs differ between lvs-a and lvs-b: 192.0.2.110/24 only on lvs-a"
VRIDS="(DB) VRID 52 on lvs-a but 53 on lvs-b"

# flagged NODE KIND TEXT: NODE's status lists that flag, once
flagged() {
	ctl "$1" status | jq -e --arg k "$2" --arg t "$3" '[.registry.flags[] |
	    select(.kind == $k and .text == $t)] | length == 1' >/dev/null
}
# unflagged NODE KIND: NODE, connected, lists no flag of KIND
unflagged() {
	ctl "$1" status | jq -e --arg k "$2" '.registry.state == "connected"
	    and ([.registry.flags[] | select(.kind == $k)] | length == 0)' \
	    >/dev/null
}
# direct ARGS...: vrrpctl ARGS cluster on admin, straight from ZooKeeper
direct() {
	ip netns exec "$(ns admin)" "$VRRPCTL" "$@" cluster \
	    --servers "$ZK_SERVERS" --path /vrrpd/mm
}
# lists KIND TEXT INSTANCE: the cluster reply on stdin has that flag, once
lists() {
	jq -e --arg k "$1" --arg t "$2" --arg i "$3" '.errors == [] and
	    ([.flags[] | select(.kind == $k and .text == $t and
	    .instance == $i)] | length == 1)' >/dev/null
}
# lacks KIND: the cluster reply on stdin has no flag of KIND
lacks() {
	jq -e --arg k "$1" '.errors == [] and
	    ([.flags[] | select(.kind == $k)] | length == 0)' >/dev/null
}
direct_lists() { direct --json | lists "$@"; }
direct_lacks() { direct --json | lacks "$@"; }
daemon_lists() {
	_dn=$1
	shift
	ctl "$_dn" cluster | lists "$@"
}
daemon_lacks() { ctl "$1" cluster | lacks "$2"; }
# table_has TEXT / table_lacks TEXT: the table's "flags:" section
table_has() {
	direct >"$WORK/table.txt" &&
	    sed -n '/^flags:$/,/^$/p' "$WORK/table.txt" | grep -q -F -x "  $1"
}
table_lacks() {
	direct >"$WORK/table.txt" && ! grep -q -F -- "$1" "$WORK/table.txt"
}
# metric NODE VALUE: NODE's vrrpd_registry_collisions gauge is VALUE
metric() {
	field "$1" '.text' metrics | grep -q -x "vrrpd_registry_collisions $2"
}
# logged NODE LINE: NODE logged LINE, the whole line; nlogged: how often
logged() { grep -q -F -x -- "$2" "$WORK/$1.log"; }
nlogged() { grep -c -F -x -- "$2" "$WORK/$1.log"; }
reload() {
	if ! ctl "$1" reload >"$WORK/reload.json" ||
	    ! jq -e '.ok == true' "$WORK/reload.json" >/dev/null; then
		fail "$1's reload: $(cat "$WORK/reload.json")"
	fi
}

# ---- WEB: one VRID, two VIP sets
conf a 150 192.0.2.110
conf b 100 192.0.2.111
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
for n in a b; do
	ms=$(until_ok 10 flagged $n vips_mismatch "$VIPS") ||
	    fail "$n did not flag the VIPs: $(ctl $n status | jq -c .registry)"
	until_ok 2 logged $n "registry: $VIPS" >/dev/null ||
	    fail "$n did not log the VIPs mismatch"
	until_ok 2 metric $n 1 >/dev/null ||
	    fail "$n's metrics: $(field $n .text metrics | grep registry_coll)"
	unflagged $n vrid_mismatch || fail "$n flags a VRID mismatch"
done
zk_poll 5 direct_lists vips_mismatch "$VIPS" WEB >/dev/null ||
    fail "vrrpctl cluster --servers: $(direct --json | jq -c .flags)"
zk_poll 5 table_has "$VIPS" >/dev/null ||
    fail "the table has no VIPs line: $(cat "$WORK/table.txt")"
until_ok 5 daemon_lists b vips_mismatch "$VIPS" WEB >/dev/null ||
    fail "vrrpctl cluster through b: $(ctl b cluster | jq -c .flags)"
pass "VIP sets differ: flagged on a and b (b after $ms ms), logged," \
    "counted, listed by vrrpctl cluster"

# ---- DB, added by reloads: VRID 52 on a, 53 on b
conf a 150 192.0.2.110 52
reload a
conf b 100 192.0.2.111 53
reload b
for n in a b; do
	ms=$(until_ok 10 flagged $n vrid_mismatch "$VRIDS") ||
	    fail "$n did not flag the VRIDs: $(ctl $n status | jq -c .registry)"
	flagged $n vips_mismatch "$VIPS" || fail "$n lost the VIPs flag"
	until_ok 2 logged $n "registry: $VRIDS" >/dev/null ||
	    fail "$n did not log the VRID mismatch"
	until_ok 2 metric $n 2 >/dev/null ||
	    fail "$n's metrics: $(field $n .text metrics | grep registry_coll)"
done
zk_poll 5 direct_lists vrid_mismatch "$VRIDS" DB >/dev/null ||
    fail "vrrpctl cluster --servers: $(direct --json | jq -c .flags)"
direct_lists vips_mismatch "$VIPS" WEB || fail "direct: the VIPs flag went"
zk_poll 5 table_has "$VRIDS" >/dev/null ||
    fail "the table has no VRID line: $(cat "$WORK/table.txt")"
until_ok 5 daemon_lists a vrid_mismatch "$VRIDS" DB >/dev/null ||
    fail "vrrpctl cluster through a: $(ctl a cluster | jq -c .flags)"
pass "VRIDs differ: flagged on a and b (b after $ms ms), logged, counted," \
    "listed by vrrpctl cluster"

# ---- b's VIP fixed by a reload: that flag clears, the VRIDs' stays
conf b 100 192.0.2.110 53
reload b
for n in a b; do
	ms=$(until_ok 10 unflagged $n vips_mismatch) ||
	    fail "$n still flags the VIPs: $(ctl $n status | jq -c .registry)"
	flagged $n vrid_mismatch "$VRIDS" || fail "$n lost the VRIDs flag"
	until_ok 2 logged $n "registry: cleared: $VIPS" >/dev/null ||
	    fail "$n did not log the VIPs flag's end"
	[ "$(nlogged $n "registry: $VIPS")" -eq 1 ] ||
	    fail "$n logged the VIPs mismatch more than once"
	until_ok 2 metric $n 1 >/dev/null ||
	    fail "$n's metrics: $(field $n .text metrics | grep registry_coll)"
done
zk_poll 5 direct_lacks vips_mismatch >/dev/null ||
    fail "vrrpctl cluster --servers: $(direct --json | jq -c .flags)"
direct_lists vrid_mismatch "$VRIDS" DB || fail "direct: the VRIDs flag went"
daemon_lacks a vips_mismatch ||
    fail "through a: $(ctl a cluster | jq -c .flags)"
table_lacks "$VIPS" || fail "the table: $(cat "$WORK/table.txt")"
pass "b's VIP fixed by a reload: cleared on a and b (b after $ms ms)," \
    "logged, in vrrpctl cluster"

# ---- b's VRID fixed by a reload: nothing is flagged any more
conf b 100 192.0.2.110 52
reload b
for n in a b; do
	ms=$(until_ok 10 unflagged $n vrid_mismatch) ||
	    fail "$n still flags the VRIDs: $(ctl $n status | jq -c .registry)"
	until_ok 2 logged $n "registry: cleared: $VRIDS" >/dev/null ||
	    fail "$n did not log the VRIDs flag's end"
	[ "$(nlogged $n "registry: $VRIDS")" -eq 1 ] ||
	    fail "$n logged the VRID mismatch more than once"
	until_ok 2 metric $n 0 >/dev/null ||
	    fail "$n's metrics: $(field $n .text metrics | grep registry_coll)"
done
# DB was master on both VRIDs (a split brain): that ends too
zk_poll 10 sh -c "$(command -v ip) netns exec $(ns admin) $VRRPCTL --json \
    cluster --servers $ZK_SERVERS --path /vrrpd/mm |
    jq -e '.flags == [] and .errors == []'" >/dev/null ||
    fail "vrrpctl cluster --servers: $(direct --json | jq -c .flags)"
daemon_lacks b vrid_mismatch ||
    fail "through b: $(ctl b cluster | jq -c .flags)"
table_lacks "$VRIDS" || fail "the table: $(cat "$WORK/table.txt")"
grep -q '^flags:' "$WORK/table.txt" &&
    fail "flags left: $(cat "$WORK/table.txt")"
pass "b's VRID fixed by a reload: cleared on a and b (b after $ms ms)," \
    "logged, vrrpctl cluster lists no flag"
finish
