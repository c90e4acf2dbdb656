#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Tracked interfaces (keepalived track_interface, YAML track: [{ interface:
# IF }]): an unweighted one down puts the master in FAULT, naming the
# reason, and the backup takes over; back up, the master leaves FAULT and
# preempts. A weighted one (-60) down lowers the priority from 150 to 90,
# below the backup's 100, with the same effect, and gives it back.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
host a 1
host b 2
# a's uplink: a veth pair inside a, up while both ends are up
ip -n "$(ns a)" link add eth1 type veth peer name eth1p || fail "veth eth1"
ip -n "$(ns a)" link set eth1p up
ip -n "$(ns a)" link set eth1 up
ip -n "$(ns a)" link add eth2 type veth peer name eth2p || fail "veth eth2"
ip -n "$(ns a)" link set eth2p up
ip -n "$(ns a)" link set eth2 up
pair_yaml $VIP
cat >>"$WORK/a.yaml" <<EOC
    track:
      - { interface: eth1 }
      - { interface: eth2, weight: -60 }
EOC
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
log_has a "not applied" && fail "a says a track is not applied"

ip -n "$(ns a)" link set eth1p down
until_ok 2 log_has a "(VI_1) tracked interface eth1 down" >/dev/null ||
    fail "a did not see eth1 go down"
log_has a "(VI_1) MASTER -> FAULT: tracked interface down" ||
    fail "a did not go to FAULT naming the reason"
ms=$(until_ok 2 has_addr b $VIP) || fail "b did not take over"
lacks_addr a $VIP || fail "a kept the VIP in FAULT"
pass "eth1 down: a in FAULT (tracked interface down), b took over in $ms ms"
# a second reason while in FAULT, and it going again: a line each
ip -n "$(ns a)" link set eth0 down
until_ok 2 log_has a "(VI_1) FAULT: interface down too; now interface down, tracked interface down" \
    >/dev/null || fail "a did not log the second fault reason"
ip -n "$(ns a)" link set eth0 up
until_ok 2 log_has a "(VI_1) FAULT: interface down cleared; now tracked interface down" \
    >/dev/null || fail "a did not log the reason clearing"
pass "fault reasons coming and going while in FAULT are logged"

ip -n "$(ns a)" link set eth1p up
until_ok 2 log_has a "(VI_1) tracked interface eth1 up" >/dev/null ||
    fail "a did not see eth1 come back"
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not preempt"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b kept the VIP"
pass "eth1 up: a left FAULT and preempted in $ms ms"

ip -n "$(ns a)" link set eth2p down
ms=$(until_ok 3 has_addr b $VIP) || fail "b did not take over"
log_has a "(VI_1) priority 150 -> 90: tracked interfaces" ||
    fail "a did not log its priority falling with eth2"
until_ok 2 lacks_addr a $VIP >/dev/null || fail "a kept the VIP"
pass "eth2 (weight -60) down: a's priority 90, b took over in $ms ms"
ip -n "$(ns a)" link set eth2p up
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not preempt after eth2"
log_has a "(VI_1) priority 90 -> 150: tracked interfaces" ||
    fail "a did not log its priority coming back"
pass "eth2 up: a's priority 150 again, preempted in $ms ms"
finish
pass "daemons stopped cleanly"
