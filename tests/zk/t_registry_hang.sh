#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A registry that never answers delays no advert. The servers are a black
# hole (an address nobody holds: the connect waits on ARP) and a server
# that hangs (the kernel accepts the connection, nothing ever answers the
# session request), so the client keeps connecting and timing out. From
# a capture on the service LAN: the master's adverts keep their 100 ms
# interval while it does, and the backup's takeover after a SIGKILL is
# within its Master_Down_Interval. (A server given by name is refused by
# the configuration: the daemon never resolves one; see the conf tests.)
. "$(dirname "$0")/../netns/lib.sh"
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
mgmt_lan
mgmt_host a 1
mgmt_host b 2
mgmt_host zh 9
start_in zh zh "$TOOLS/tcp_listen" 198.51.100.9 2181 120 hang
until_ok 5 grep -q "listening on" "$WORK/zh.log" >/dev/null ||
    fail "the hanging server did not start"

for n in a b; do
	prio=150
	[ $n = b ] && prio=100
	cat >"$WORK/$n.yaml" <<EOC
global:
  router_id: lvs-$n
registry:
  servers: 198.51.100.8:2181,198.51.100.9:2181
  path: /vrrpd/hang
  session_timeout: 2s
instances:
  VI_1:
    interface: eth0
    vrid: 57
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.107/24]
EOC
done
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a 192.0.2.107 >/dev/null || fail "a not master"
until_ok 5 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"

# each daemon reaches the hanging server (its accept queue holds it)
held() {
	ip netns exec "$(ns zh)" ss -Htn state established '( sport = :2181 )' |
	    grep -q " $1:"
}
for n in 1 2; do
	until_ok 15 held 198.51.100.$n >/dev/null ||
	    fail "198.51.100.$n never reached the server"
done

# 6 s of adverts: past the 2 s session timeout three times over, so the
# client gives up on both servers and starts again several times
adverts_ge() { [ "$(advert_count "$1" 192.0.2.1)" -ge "$2" ]; }
capture_start adv "ip proto 112"
until_ok 10 adverts_ge adv 60 >/dev/null ||
    fail "a sent $(advert_count adv 192.0.2.1) adverts in 10 s"
capture_stop adv
gap=$(advert_gap_max adv 192.0.2.1)
for n in a b; do
	st=$(ctl "$n" status | jq -r .registry.state)
	[ "$st" != connected ] || fail "$n connected to a server that hangs"
done
ms=${gap%.*}
[ -n "$gap" ] && [ "$ms" -lt 150 ] ||
    fail "a's adverts were held back: longest gap $gap ms (interval 100)"
pass "$(advert_count adv 192.0.2.1) adverts, longest gap $gap ms, with the registry hanging"

# the takeover, from the capture: b's Master_Down_Interval is
# 3 x 100 ms + (256 - 100) / 256 x 100 ms = 361 ms
capture_start tko "ip proto 112"
until_ok 3 adverts_ge tko 2 >/dev/null || fail "no advert from a"
kill -KILL "$(pid_of a)"
until_ok 3 has_addr b 192.0.2.107 >/dev/null || fail "b did not take over"
capture_stop tko
tk=$(takeover_ms tko 192.0.2.1 192.0.2.2)
[ -n "$tk" ] && [ "${tk%.*}" -le 420 ] ||
    fail "takeover took ${tk:-?} ms with the registry hanging (bound 361 ms)"
pass "takeover $tk ms from a's last advert to b's first (bound 361 ms)"
finish
