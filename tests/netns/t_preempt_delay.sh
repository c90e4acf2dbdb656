#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# preempt_delay, VRRPv3 at 100 ms: a, priority 150 with a 2 s delay, is
# master, b (100) takes over when a's link is cut. When a's link comes
# back, a leaves FAULT for BACKUP and follows b's lower priority adverts
# for the delay (keepalived: counted from startup or the end of a fault),
# then discards them and preempts when its down timer runs out: not before
# 2 s after the link came back, and at most 2 s plus a's
# Master_Down_Interval (341 ms) plus slack after it.
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
for n in a b; do
	if [ $n = a ]; then
		prio=150 extra="preempt_delay: 2s"
	else
		prio=100 extra=""
	fi
	cat >"$WORK/$n.yaml" <<EOC
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: $prio
    advert_interval: 100ms
    $extra
    virtual_ipaddress: [192.0.2.100/24]
EOC
done
# a first, so that it is master before b starts: no startup race. With no
# master to defer to, a takes over on its down timer: the delay only
# defers preempting a lower priority master.
start a "$WORK/a.yaml"
ms=$(until_ok 5 has_addr a 192.0.2.100) || fail "a never became master"
pass "a holds the VIP after ${ms} ms"
start b "$WORK/b.yaml"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
stays 1 lacks_addr b 192.0.2.100 || fail "b holds the VIP too"

link_down a
ms=$(until_ok 3 has_addr b 192.0.2.100) || fail "b did not take over"
pass "b took over ${ms} ms after a's link cut"
until_ok 1 log_has a "MASTER -> FAULT: interface down" >/dev/null ||
    fail "a did not go to FAULT"
until_ok 1 lacks_addr a 192.0.2.100 >/dev/null || fail "a kept the VIP"

tu=$(date +%s%N)
link_up a
until_ok 2 log_has a "FAULT -> BACKUP: fault cleared" >/dev/null ||
    fail "a did not leave FAULT when its link came back"
until_ok 1 sh -c "'$VRRPCTL' -S '$WORK/a.sock' --json status |
    jq -er .instances[0].why | grep -q '^preempt delay: taking over in'" \
    >/dev/null || fail "a's why line does not show the preempt delay"
# 1 s holding back is 3 of a's Master_Down_Intervals of b's adverts.
stays 1 sh -c "! ip -n $(ns a) -o addr show dev eth0 | grep -q ' 192.0.2.100/' &&
    ip -n $(ns b) -o addr show dev eth0 | grep -q ' 192.0.2.100/'" ||
    fail "a preempted b within the delay ($((($(date +%s%N) - tu) / 1000000)) ms after link up)"
pass "a defers to b for $((($(date +%s%N) - tu) / 1000000)) ms after its link came back"
until_ok 3 has_addr a 192.0.2.100 >/dev/null || fail "a never preempted b"
ms=$((($(date +%s%N) - tu) / 1000000))
[ "$ms" -ge 2000 ] || fail "a preempted after ${ms} ms, before its 2 s delay"
[ "$ms" -lt 2800 ] || fail "a preempted only after ${ms} ms (2 s delay + 341 ms)"
pass "a preempted ${ms} ms after its link came back (2 s delay)"
log_has a "BACKUP -> MASTER: preempted a lower priority master" ||
    fail "a did not log preempting"
until_ok 1 lacks_addr b 192.0.2.100 >/dev/null || fail "b kept the VIP"
log_has b "MASTER -> BACKUP: higher priority advert received" ||
    fail "b did not log giving way to a"
stays 1 has_addr a 192.0.2.100 || fail "a lost the VIP after preempting"
lacks_addr b 192.0.2.100 || fail "b took the VIP back"
pass "a stays master, b backup"
finish
pass "daemons stopped cleanly"
