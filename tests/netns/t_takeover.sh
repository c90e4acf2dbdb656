#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Two vrrpd nodes, VRRPv3 at 100 ms: the master holds the VIP, the backup
# takes over when the master's link is cut, the master preempts back when
# it returns, and a graceful stop (priority 0) hands over at once.
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
pair_yaml 192.0.2.100
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"

ms=$(until_ok 5 has_addr a 192.0.2.100) || fail "a never became master"
pass "a holds the VIP after ${ms} ms"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
lacks_addr b 192.0.2.100 || fail "b holds the VIP too"

link_down a
ms=$(until_ok 3 has_addr b 192.0.2.100) || fail "b did not take over"
pass "b took over ${ms} ms after the link cut"

link_up a
ms=$(until_ok 3 lacks_addr b 192.0.2.100) || fail "b kept the VIP"
until_ok 2 has_addr a 192.0.2.100 >/dev/null || fail "a did not preempt"
pass "a preempted back in ${ms} ms"

kill -TERM "$(pid_of a)"
ms=$(until_ok 2 has_addr b 192.0.2.100) || fail "no takeover on stop"
until_ok 2 lacks_addr a 192.0.2.100 >/dev/null || fail "a kept the VIP"
log_has a "MASTER -> INIT: shutdown" || fail "a did not log its shutdown"
pass "graceful stop handed over in ${ms} ms"
finish
pass "daemons stopped cleanly"
