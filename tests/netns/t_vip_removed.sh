#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A VIP removed behind the master's back (ip addr del): the master logs
# who removed which address, gives up mastership (keepalived's behaviour)
# and the election runs again: the higher priority master ends up master
# again, with the address back, and the backup released.
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

ip -n "$(ns a)" addr del $VIP/24 dev eth0 &
ippid=$!
wait $ippid
# ip(8) has usually exited by the time vrrpd looks up its name
who="by pid $ippid \\((ip)\\|(no longer running)\\)"
until_ok 2 log_has a "(VI_1) $VIP/24 removed from eth0 $who while MASTER" \
    >/dev/null || fail "a did not say who removed the VIP (pid $ippid)"
log_has a "(VI_1) MASTER -> BACKUP: a virtual address was removed" ||
    fail "a did not give up mastership"
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not take the VIP back"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b kept the VIP"
stays 1 has_addr a $VIP || fail "a lost the VIP again"
pass "removed VIP: a logged who, re-elected, holds it again after $ms ms"

# no_track: the same removal is left alone (the reload takes the changed
# address list in place: the VIP stays, no transition).
sed -i "s|\[$VIP/24\]|[{ address: $VIP/24, no_track: true }]|" "$WORK/a.yaml"
grep -q no_track "$WORK/a.yaml" || fail "could not write no_track"
kill -HUP "$(pid_of a)"
until_ok 2 log_has a "1 with new addresses in place" >/dev/null ||
    fail "the no_track reload was not applied"
log_has a "(VI_1) addresses changed by the reload, in place: 0 added, 0 removed" ||
    fail "a no_track change touched the VIP on the interface"
until_ok 3 has_addr a $VIP >/dev/null || fail "a is not master after reload"
n=$(grep -c "removed from eth0" "$WORK/a.log")
ip -n "$(ns a)" addr del $VIP/24 dev eth0
stays 1 sh -c "[ \$(grep -c 'removed from eth0' '$WORK/a.log') -eq $n ]" ||
    fail "a reacted to the removal of a no_track VIP"
pass "a no_track VIP removed: no reaction"
finish
pass "daemons stopped cleanly"
