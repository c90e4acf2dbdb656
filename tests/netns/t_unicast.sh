#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Two vrrpd nodes, VRRPv3 over IPv4 unicast at 100 ms: each names its own
# source address and the other as its only unicast peer (no multicast
# group). The higher priority becomes master and holds the VIP while the
# backup hears its unicast adverts and holds nothing; the backup takes over
# when the master's link is cut, and the master preempts back when it
# returns.
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
for n in a b; do
	if [ $n = a ]; then
		prio=150 me=1 peer=2
	else
		prio=100 me=2 peer=1
	fi
	cat >"$WORK/$n.yaml" <<EOC
instances:
  VI_U:
    interface: eth0
    vrid: 52
    priority: $prio
    advert_interval: 100ms
    source: 192.0.2.$me
    unicast_peers: [192.0.2.$peer]
    virtual_ipaddress: [192.0.2.100/24]
EOC
done
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"

ms=$(until_ok 5 has_addr a 192.0.2.100) || fail "a never became master"
pass "a holds the VIP after ${ms} ms"
until_ok 2 log_has b "> BACKUP" >/dev/null || fail "b not backup"
until_ok 2 lacks_addr b 192.0.2.100 >/dev/null || fail "b holds the VIP"
# b's down interval is 361 ms: a second without taking over means b hears
# a's unicast adverts.
stays 1 lacks_addr b 192.0.2.100 || fail "b took the VIP while a is master"
has_addr a 192.0.2.100 || fail "a lost the VIP"
pass "b stays backup on a's unicast adverts"

link_down a
ms=$(until_ok 3 has_addr b 192.0.2.100) || fail "b did not take over"
pass "b took over ${ms} ms after the link cut"
until_ok 1 log_has a "MASTER -> FAULT: interface down" >/dev/null ||
    fail "a did not go to FAULT"
until_ok 1 lacks_addr a 192.0.2.100 >/dev/null || fail "a kept the VIP"

link_up a
ms=$(until_ok 3 lacks_addr b 192.0.2.100) || fail "b kept the VIP"
until_ok 2 has_addr a 192.0.2.100 >/dev/null || fail "a did not preempt"
pass "a preempted back in ${ms} ms"
stays 1 has_addr a 192.0.2.100 || fail "a lost the VIP after preempting"
lacks_addr b 192.0.2.100 || fail "b took the VIP back"
pass "a stays master"
finish
pass "daemons stopped cleanly"
