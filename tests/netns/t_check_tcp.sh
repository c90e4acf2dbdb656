#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A TCP check moves mastership: a (priority 150) tracks a check of its
# local service (127.0.0.1:8080 in its namespace) with weight -60. When the
# service stops, the check falls after fall x interval, a's priority drops
# to 90 (logged with the cause), below b's 100, and b preempts; when the
# service returns, a's priority is 150 again after rise x interval and a
# preempts back.
. "$(dirname "$0")/lib.sh"

[ -x "$TOOLS/tcp_listen" ] || fail "no $TOOLS/tcp_listen (run make)"
VIP=192.0.2.100
lan
host a 1
host b 2
pair_yaml $VIP
cat >"$WORK/a.yaml" <<EOC
checks:
  web: { type: tcp, connect: "127.0.0.1:8080", interval: 100ms,
         timeout: 100ms, fall: 3, rise: 2, weight: -60 }
  idle: { type: tcp, connect: "127.0.0.1:9", interval: 100ms }
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: 150
    advert_interval: 100ms
    virtual_ipaddress: [$VIP/24]
    track: [{ check: web }]
EOC
start_in a svc "$TOOLS/tcp_listen" 127.0.0.1 8080 120
until_ok 2 log_has svc "listening" >/dev/null || fail "the service did not start"
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
stays 1 has_addr a $VIP || fail "a lost the VIP with its service up"
# a check nothing tracks is warned about and not run (it would fail)
log_has a "check idle is tracked by no instance: it can never move" ||
    fail "no warning about the untracked check"
log_has a "check idle: down" && fail "the untracked check ran"
pass "an untracked check is warned about and not run"

# The service stops: 3 failed runs 100 ms apart, then b's preemption
# (b discards a's priority 90 adverts and its down timer runs out).
stop svc
ms=$(until_ok 3 has_addr b $VIP) || fail "b did not take over"
log_has a "check web: down after 3 failures (connection refused)" ||
    fail "a did not log the check going down with its cause"
log_has a "(VI_1) priority 150 -> 90: check web down (connection refused)" ||
    fail "a did not log the priority change with its cause"
until_ok 2 lacks_addr a $VIP >/dev/null || fail "a kept the VIP"
# fall 3 x 100 ms + b's Master_Down_Interval 361 ms, plus scheduling
[ "$ms" -lt 1500 ] || fail "the takeover took $ms ms"
pass "service down: a's priority 150 -> 90, b took over after $ms ms"

start_in a svc "$TOOLS/tcp_listen" 127.0.0.1 8080 120
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not preempt back"
log_has a "check web: up after 2 successes" || fail "no rise logged"
log_has a "(VI_1) priority 90 -> 150: check web up (ok)" ||
    fail "a did not log the priority coming back"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b kept the VIP"
pass "service back: a's priority 150 again, preempted after $ms ms"

# Reload, unchanged: the check goes on as it is (no new state line).
n=$(grep -c "check web: " "$WORK/a.log")
kill -HUP "$(pid_of a)"
until_ok 2 log_has a "reload: 1 kept, 0 re-created" >/dev/null ||
    fail "the reload was not applied"
stays 1 sh -c "[ \$(grep -c 'check web: ' '$WORK/a.log') -eq $n ]" ||
    fail "an unchanged reload restarted the check"
# Reload with the check changed (fall 2): the instance is kept, follows the
# new checker, and a stopped service still moves mastership.
sed -i 's/fall: 3/fall: 2/' "$WORK/a.yaml"
kill -HUP "$(pid_of a)"
until_ok 2 sh -c "[ \$(grep -c 'reload: 1 kept, 0 re-created' \
    '$WORK/a.log') -ge 2 ]" >/dev/null || fail "the second reload failed"
has_addr a $VIP || fail "a lost the VIP on reloading its check"
stop svc
until_ok 3 has_addr b $VIP >/dev/null ||
    fail "b did not take over under the reloaded check"
log_has a "check web: down after 2 failures" ||
    fail "the reloaded check does not use fall 2"
pass "reloads: an unchanged check keeps running, a changed one is followed"
finish
pass "daemons stopped cleanly"
