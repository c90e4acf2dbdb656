#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The interface under an instance (keepalived pain point P12): set down
# by an operator, the master goes to FAULT naming the reason and the
# backup takes over; set up again, it comes back and preempts. Deleted and
# created again (a new ifindex), the instance leaves FAULT, reopens its
# sockets and hears the master again: it stays backup, so there is one
# master, not two. And a daemon started before its interface exists waits
# for it (bounded), then runs normally once it appears.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
host a 1
host b 2
pair_yaml $VIP
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"

# Administratively down: FAULT with the reason, the backup takes over.
ip -n "$(ns a)" link set eth0 down
until_ok 2 log_has a "(VI_1) MASTER -> FAULT: interface down" >/dev/null ||
    fail "a did not go to FAULT naming the interface"
ms=$(until_ok 2 has_addr b $VIP) || fail "b did not take over"
pass "a in FAULT (interface down), b took over in $ms ms"
ip -n "$(ns a)" link set eth0 up
until_ok 3 log_has a "FAULT -> BACKUP: fault cleared" >/dev/null ||
    fail "a did not leave FAULT"
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not preempt after up"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b kept the VIP"
pass "interface up: a back to BACKUP, preempted in $ms ms"

# Deleted and created again: b's eth0 goes away with its bridge port.
ip -n "$(ns b)" link del eth0
until_ok 2 log_has b "(VI_1) BACKUP -> FAULT: interface down" >/dev/null ||
    fail "b did not go to FAULT when eth0 was deleted"
ip link add "$(ns b)p" netns "$BR" type veth peer name eth0 \
    netns "$(ns b)" || fail "re-creating b's eth0"
ip -n "$BR" link set "$(ns b)p" master br0 up
ip -n "$(ns b)" addr add 192.0.2.2/24 dev eth0
ip -n "$(ns b)" link set eth0 up
until_ok 3 log_has b "FAULT -> BACKUP: fault cleared" >/dev/null ||
    fail "b did not come back on the new eth0"
log_has b "eth0: VRRP socket open on interface index" ||
    fail "b did not reopen its socket on the new eth0"
# b hears a on the new interface: it must not become master (2 x MDI).
stays 1 lacks_addr b $VIP || fail "b took the VIP: deaf on the new eth0"
has_addr a $VIP || fail "a lost the VIP"
pass "eth0 deleted and re-created: b back in BACKUP, hearing a"

# A daemon started before its interface exists waits, then runs.
host c 3
ip -n "$(ns c)" link set eth0 name late0 down
cat >"$WORK/c.yaml" <<EOC
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: 50
    advert_interval: 100ms
    virtual_ipaddress: [$VIP/24]
EOC
start c "$WORK/c.yaml"
until_ok 2 log_has c "(VI_1) waiting up to 10 s for eth0 to come up" \
    >/dev/null || fail "c did not say it waits for eth0"
log_has c " -> " && fail "c changed state before eth0 existed"
ip -n "$(ns c)" link set late0 name eth0 up
ms=$(until_ok 3 log_has c "(VI_1) INIT -> BACKUP: startup") ||
    fail "c did not start once eth0 appeared"
stays 1 lacks_addr c $VIP || fail "c took the VIP"
pass "c waited for eth0 and started $ms ms after it appeared, as backup"
finish
pass "daemons stopped cleanly"
