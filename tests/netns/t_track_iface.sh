#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# An unweighted tracked interface (keepalived track_interface, YAML
# track: [{ interface: IF }]): while it is down the master goes to FAULT,
# naming the interface, and the backup takes over; when it comes back the
# master leaves FAULT and preempts. A weighted one is not applied yet and
# says so at start.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
host a 1
host b 2
# a's uplink: a veth pair inside a, up while both ends are up
ip -n "$(ns a)" link add eth1 type veth peer name eth1p || fail "veth eth1"
ip -n "$(ns a)" link set eth1p up
ip -n "$(ns a)" link set eth1 up
pair_yaml $VIP
cat >>"$WORK/a.yaml" <<EOC
    track:
      - { interface: eth1 }
      - { interface: lo, weight: -10 }
EOC
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
log_has a "(VI_1) track lo: weights and checks are not applied yet" ||
    fail "a did not warn about the weighted track it does not apply"

ip -n "$(ns a)" link set eth1p down
until_ok 2 log_has a "(VI_1) tracked interface eth1 down" >/dev/null ||
    fail "a did not see eth1 go down"
log_has a "(VI_1) MASTER -> FAULT: tracked interface down" ||
    fail "a did not go to FAULT naming the reason"
ms=$(until_ok 2 has_addr b $VIP) || fail "b did not take over"
lacks_addr a $VIP || fail "a kept the VIP in FAULT"
pass "eth1 down: a in FAULT (tracked interface down), b took over in $ms ms"

ip -n "$(ns a)" link set eth1p up
until_ok 2 log_has a "(VI_1) tracked interface eth1 up" >/dev/null ||
    fail "a did not see eth1 come back"
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not preempt"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b kept the VIP"
pass "eth1 up: a left FAULT and preempted in $ms ms"
finish
pass "daemons stopped cleanly"
