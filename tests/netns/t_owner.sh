#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The address owner, priority 255, VRRPv3 at 1 s: on start it goes from
# INIT straight to MASTER (reason "address owner") and holds the VIP well
# within 1 s, where a non-owner waits a Master_Down_Interval of about 3 s;
# b, priority 100, started with it, hears it and stays backup past its own
# down interval (3.61 s). After a's link is cut, b takes over; when the
# link comes back a goes from FAULT straight to MASTER, again well within
# 1 s, and b gives way at once.
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
for n in a b; do
	prio=255
	[ $n = b ] && prio=100
	cat >"$WORK/$n.yaml" <<EOC
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: $prio
    advert_interval: 1s
    virtual_ipaddress: [192.0.2.100/24]
EOC
done
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"

ms=$(until_ok 3 has_addr a 192.0.2.100) || fail "a never became master"
[ "$ms" -lt 1000 ] || fail "owner a took ${ms} ms to become master"
pass "owner a holds the VIP ${ms} ms after start"
log_has a "INIT -> MASTER: address owner (priority 255)" ||
    fail "a did not log becoming master as the owner"
log_has a "BACKUP" && fail "owner a went through BACKUP"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
# 4 s from start covers b's 3.61 s down interval: b hears a's adverts.
stays 4 lacks_addr b 192.0.2.100 || fail "b took the VIP from the owner"
has_addr a 192.0.2.100 || fail "a lost the VIP"
pass "b stays backup"

link_down a
# b's down timer ran from a's last advert: 2.61 to 3.61 s from the cut.
ms=$(until_ok 6 has_addr b 192.0.2.100) || fail "b did not take over"
pass "b took over ${ms} ms after a's link cut"
until_ok 1 log_has a "MASTER -> FAULT: interface down" >/dev/null ||
    fail "a did not go to FAULT"
until_ok 1 lacks_addr a 192.0.2.100 >/dev/null || fail "a kept the VIP"

link_up a
ms=$(until_ok 3 has_addr a 192.0.2.100) || fail "a did not take over again"
[ "$ms" -lt 1000 ] || fail "owner a took ${ms} ms to take over again"
pass "owner a holds the VIP again ${ms} ms after its link came back"
log_has a "FAULT -> MASTER: address owner (priority 255)" ||
    fail "a did not log going from FAULT to MASTER as the owner"
ms=$(until_ok 2 lacks_addr b 192.0.2.100) || fail "b kept the VIP"
log_has b "MASTER -> BACKUP: higher priority advert received, priority 100" ||
    fail "b did not log giving way to the owner"
pass "b gave way ${ms} ms later"
stays 2 lacks_addr b 192.0.2.100 || fail "b took the VIP back"
has_addr a 192.0.2.100 || fail "a lost the VIP"
finish
pass "daemons stopped cleanly"
