#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Two vrrpd nodes, VRRPv3 over IPv6 multicast (ff02::12) at 100 ms, with a
# link-local first VIP and a global one: each node waits for its own
# link-local address (the advert source) to finish DAD, the higher priority
# becomes master and holds both VIPs, the backup holds neither, the backup
# takes over when the master's link is cut, and the master preempts back
# when its link returns.
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
for n in a b; do
	prio=150
	[ $n = b ] && prio=100
	cat >"$WORK/$n.yaml" <<EOC
instances:
  VI_6:
    interface: eth0
    vrid: 61
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [fe80::100/64, 2001:db8::100/64]
EOC
done
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"

# The link-local source finishes DAD (about 1 s) before a node can speak.
ms=$(until_ok 10 has_addr a 2001:db8::100) || fail "a never became master"
pass "a holds the VIP after ${ms} ms"
has_addr a fe80::100 || fail "a lacks the link-local VIP"
log_has a "BACKUP -> MASTER" || fail "a did not log BACKUP -> MASTER"
# b's own DAD may end before or after a's: b may have been master for a
# moment (a preempts it), or may still wait in FAULT (no source address).
# Either way it ends up backup, holding neither VIP.
until_ok 5 log_has b "> BACKUP" >/dev/null || fail "b never became backup"
until_ok 2 lacks_addr b 2001:db8::100 >/dev/null || fail "b holds the VIP"
stays 1 lacks_addr b 2001:db8::100 || fail "b took the VIP while a is master"
has_addr a 2001:db8::100 || fail "a lost the VIP"
lacks_addr b fe80::100 || fail "b holds the link-local VIP"
pass "b stays backup"

link_down a
ms=$(until_ok 3 has_addr b 2001:db8::100) || fail "b did not take over"
until_ok 1 has_addr b fe80::100 >/dev/null || fail "b lacks fe80::100"
pass "b took over ${ms} ms after the link cut"
until_ok 1 log_has a "MASTER -> FAULT: interface down" >/dev/null ||
    fail "a did not go to FAULT"
until_ok 1 lacks_addr a 2001:db8::100 >/dev/null || fail "a kept the VIP"

link_up a
ms=$(until_ok 3 lacks_addr b 2001:db8::100) || fail "b kept the VIP"
until_ok 2 has_addr a 2001:db8::100 >/dev/null || fail "a did not preempt"
until_ok 1 lacks_addr b fe80::100 >/dev/null || fail "b kept fe80::100"
pass "a preempted back in ${ms} ms"
finish
pass "daemons stopped cleanly"
