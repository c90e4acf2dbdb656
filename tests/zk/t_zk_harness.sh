#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The ZooKeeper harness itself (tests/zk/lib.sh and zk_tool), before any
# registry scenario relies on it. A standalone server serves; zk_tool
# creates, reads, sets (parents included), lists, stats, prints a tree and
# removes recursively; an ephemeral node goes with its session, both when
# the tool exits and when its host's management link is cut long enough
# for the session to expire; a digest ACL keeps others out. Then an
# ensemble of three: a value written, the leader killed, a new leader
# within a bounded time and the value still readable and writable through
# the other two; a follower killed, and with 1 of 3 the last server stops
# serving and a write fails with a timeout instead of hanging; one server
# restarted, the quorum is back with the data. The times to serve are
# printed (JVM start), for budgeting the registry scenarios.
#
# Teardown: every java process is one of the test's pids and goes with
# the trap. Each run also checks what the previous run left behind (the
# record in $TMPDIR/vrrpd-t_zk_harness.last): none of its java processes
# still runs and none of its namespaces is left.
. "$(dirname "$0")/../netns/lib.sh"
. "$(dirname "$0")/lib.sh"

LAST=${TMPDIR:-/tmp}/vrrpd-t_zk_harness.last
now_ms() { echo $(($(date +%s%N) / 1000000)); }
record() { echo "$ID $WORK $ZK_ALL_PIDS" >"$LAST"; }
# a pid of the previous run still running out of that run's WORK
leftover() {
	[ -r "/proc/$1/cmdline" ] &&
	    tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -q -F "$2/"
}

if [ -r "$LAST" ]; then
	read -r prev_id prev_work prev_pids <"$LAST"
	for p in $prev_pids; do
		! leftover "$p" "$prev_work" ||
		    fail "java pid $p of the previous run ($prev_id) still runs"
	done
	! ip netns list | grep -E "^${prev_id}[a-z]" ||
	    fail "namespaces of the previous run ($prev_id) are left"
	pass "the previous run ($prev_id: pids$prev_pids) left no java process and no namespace"
fi

# ---- the pair on the service LAN, everyone on the management LAN ----
lan
host a 1
host b 2
mgmt_lan
mgmt_host a 1
mgmt_host b 2
mgmt_host admin 100
reach() { ip netns exec "$(ns "$1")" ping -n -c 1 -W 1 "$2" >/dev/null; }
has_addr a 192.0.2.1 || fail "a has no service address"
ip -n "$(ns a)" -o addr show dev mgmt0 | grep -q " 198.51.100.1/24" ||
    fail "a has no management address"
reach a 192.0.2.2 || fail "a cannot reach b on the service LAN"
reach a 198.51.100.2 || fail "a cannot reach b on the management LAN"
reach admin 198.51.100.1 || fail "admin cannot reach a"
reach admin 192.0.2.1 2>/dev/null && fail "admin reaches the service LAN"
pass "a and b on both LANs, admin on the management LAN only"

# ---- standalone ----
t0=$(now_ms)
zk_start zk 10
record
zk_wait zk 30 >/dev/null || fail "the standalone server does not serve"
ms=$(($(now_ms) - t0))
[ "$(zk_4lw zk ruok)" = imok ] || fail "no imok from zk"
[ "$(zk_mode zk)" = standalone ] || fail "zk's mode is '$(zk_mode zk)'"
[ "$ZK_SERVERS" = 198.51.100.10:2181 ] || fail "ZK_SERVERS is '$ZK_SERVERS'"
pass "standalone server serves $ms ms after its start (ruok, Mode: standalone)"

zk admin create /t v1 || fail "create /t"
[ "$(zk admin get /t)" = v1 ] || fail "get /t: '$(zk admin get /t 2>&1)'"
zk admin create /t v0 2>/dev/null && fail "create over an existing node succeeded"
zk admin set /t v2 || fail "set /t"
[ "$(zk a get /t)" = v2 ] || fail "get /t from a after set: '$(zk a get /t 2>&1)'"
st=$(zk admin stat /t)
[ "$st" = "ephemeralOwner=0x0 version=1 dataLength=2" ] || fail "stat /t: '$st'"
zk admin set /reg/nodes/a hello || fail "set with missing parents"
[ "$(zk admin ls /reg)" = nodes ] || fail "ls /reg: '$(zk admin ls /reg 2>&1)'"
zk admin exists /reg/nodes/a || fail "exists /reg/nodes/a"
zk admin exists /none && fail "exists /none"
zk admin get /none 2>/dev/null
rc=$?
[ $rc -eq 1 ] || fail "get /none: exit $rc, not 1"
zk admin frob /t 2>/dev/null
rc=$?
[ $rc -eq 2 ] || fail "an unknown command: exit $rc, not 2"
pass "create, get, set (parents included), ls, stat, exists; exit 1 on no node, 2 on usage"

zk admin set /reg/nodes/b "two
lines" || fail "set /reg/nodes/b"
tree=$(zk admin tree /reg)
[ "$tree" = "/reg
/reg/nodes
/reg/nodes/a hello
/reg/nodes/b two\\nlines" ] || fail "tree /reg: $tree"
pass "tree: one line per znode, the value escaped"

zk admin -a vrrpd:secret create /acl s || fail "create /acl with digest auth"
zk admin get /acl 2>"$WORK/noauth.err" && fail "get /acl without auth succeeded"
grep -q "not authenticated" "$WORK/noauth.err" ||
    fail "get /acl without auth: $(cat "$WORK/noauth.err")"
[ "$(zk admin -a vrrpd:secret get /acl)" = s ] || fail "get /acl with auth"
pass "a node created with -a is the creator's only ($(cat "$WORK/noauth.err"))"

zk admin create -e /eph e || fail "create -e /eph"
zk admin exists /eph && fail "the ephemeral node outlived its session"
pass "an ephemeral node goes when its tool exits (session closed)"

start_in admin holder "$ZK_TOOL" -s "$ZK_SERVERS" -T 2000 hold /reg/held h
until_ok 10 grep -q "^held " "$WORK/holder.log" >/dev/null ||
    fail "hold did not create /reg/held"
sess=$(sed -n 's/^held .* session=//p' "$WORK/holder.log")
owner=$(zk admin stat /reg/held | sed 's/^ephemeralOwner=\([^ ]*\) .*/\1/')
[ "$owner" = "$sess" ] || fail "/reg/held is owned by '$owner', not $sess"
t0=$(now_ms)
mgmt_down admin
# asked from the server's namespace: the admin host is cut off
zk zk -t 10 wait-gone /reg/held || fail "/reg/held outlived its session"
ms=$(($(now_ms) - t0))
mgmt_up admin
p=$(pid_of holder)
zk_gone "$p" 10 || fail "hold did not end after its session expired"
wait "$p"
rc=$?
zk_forget holder
[ $rc -eq 1 ] || fail "hold exited $rc, not 1"
log_has holder "session expired" || fail "hold did not report the expiry"
pass "management link cut: the 2 s session's node gone after $ms ms; hold exits 1 (session expired) once the link is back"

zk admin rmr /reg || fail "rmr /reg"
zk admin exists /reg && fail "/reg is still there after rmr"
[ "$(zk admin ls /)" = "acl
t
zookeeper" ] || fail "ls / after rmr: $(zk admin ls / 2>&1)"
pass "rmr removes the subtree"

zk_stop zk
zk_alive zk && fail "zk still runs"
pass "the standalone server stopped on SIGTERM"

# ---- ensemble ----
zk_ensemble
record
leader=$(zk_leader) || fail "no leader"
pass "ensemble of 3 serves after $ZK_READY_MS ms, $leader leads; ZK_SERVERS=$ZK_SERVERS"

zk admin set /cluster/v 1 || fail "set /cluster/v"
new_leader() {
	l=$(zk_leader) && [ "$l" != "$leader" ]
}
zk_kill "$leader"
ms=$(zk_poll 20 new_leader) || fail "no new leader 20 s after $leader died"
leader2=$(zk_leader)
pass "$leader killed (SIGKILL): $leader2 leads after $ms ms"
[ "$(zk b get /cluster/v)" = 1 ] ||
    fail "get /cluster/v on two servers: '$(zk b get /cluster/v 2>&1)'"
zk admin set /cluster/v 2 || fail "set /cluster/v on two servers"
pass "the value is read and written through the two left"

follower=$(zk_follower) || fail "no follower"
zk_kill "$follower"
not_serving() { ! zk_serving "$1"; }
ms=$(zk_poll 10 not_serving "$leader2") ||
    fail "$leader2 still serves alone"
pass "$follower killed: with 1 of 3, $leader2 stops serving after $ms ms"
t0=$(now_ms)
zk admin -t 3 set /cluster/v 3 2>"$WORK/noquorum.err" &&
    fail "a write without quorum succeeded"
ms=$(($(now_ms) - t0))
[ $ms -lt 8000 ] || fail "the write without quorum took $ms ms"
grep -q "timed out after 3 s" "$WORK/noquorum.err" ||
    fail "the write without quorum: $(cat "$WORK/noquorum.err")"
pass "a write without quorum fails after $ms ms: $(cat "$WORK/noquorum.err")"

t0=$(now_ms)
zk_restart "$follower"
zk_wait "$follower" 30 >/dev/null || fail "$follower does not serve again"
zk_wait "$leader2" 30 >/dev/null || fail "$leader2 does not serve again"
ms=$(($(now_ms) - t0))
[ -n "$(zk_leader)" ] || fail "no leader after the restart"
pass "$follower restarted: quorum of 2 back after $ms ms, $(zk_leader) leads"
[ "$(zk admin get /cluster/v)" = 2 ] ||
    fail "get /cluster/v after the restart: '$(zk admin get /cluster/v 2>&1)'"
zk admin set /cluster/v 4 || fail "set /cluster/v after the restart"
[ "$(zk admin get /cluster/v)" = 4 ] || fail "get /cluster/v is not 4"
pass "the data survived, writes work again"

record
finish
pass "every server stopped on SIGTERM"
