#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# An HTTP check moves mastership (the issue's scenario): a (priority 150)
# checks its local web service with weight -60, fall 3, rise 2 at 100 ms.
# The service answers 503: the check falls, the cause is logged, and the
# backup takes over within fall x interval + Master_Down_Interval (plus a
# tolerance); the service stops: still down (connection refused); the
# service answers 200 again: a preempts back after rise x interval.
. "$(dirname "$0")/lib.sh"

[ -x "$TOOLS/http_serve" ] || fail "no $TOOLS/http_serve (run make)"
VIP=192.0.2.100
lan
host a 1
host b 2
pair_yaml $VIP
cat >"$WORK/a.yaml" <<EOC
checks:
  web: { type: http, url: "http://127.0.0.1:8080/healthz", interval: 100ms,
         timeout: 200ms, fall: 3, rise: 2, weight: -60,
         expect_status: [200] }
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: 150
    advert_interval: 100ms
    virtual_ipaddress: [$VIP/24]
    track: [{ check: web }]
EOC
serve() { start_in a web "$TOOLS/http_serve" 127.0.0.1 8080 "$1" 120; }
serve 200
until_ok 2 log_has web "listening" >/dev/null || fail "no web service"
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
stays 1 has_addr a $VIP || fail "a lost the VIP with its service healthy"

stop web
serve 503
ms=$(until_ok 3 has_addr b $VIP) || fail "b did not take over"
log_has a "(VI_1) priority 150 -> 90: check web down (HTTP status 503)" ||
    fail "a did not log the cause"
# fall 3 x 100 ms + Master_Down_Interval 361 ms, + scheduling tolerance
[ "$ms" -lt 1200 ] || fail "the takeover took $ms ms"
pass "HTTP 503: a's priority 150 -> 90, b took over after $ms ms"
# the breakdown of the priority, as vrrpctl will show it (SIGUSR2 logs it)
kill -USR2 "$(pid_of a)"
until_ok 2 log_has a "(VI_1) priority 90: base 150, check web -60 (down)" \
    >/dev/null || fail "no priority breakdown in a's log"
pass "a's breakdown: base 150, check web -60 (down)"

stop web
stays 1 has_addr b $VIP || fail "b lost the VIP with a's service gone"
serve 200
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not preempt back"
log_has a "(VI_1) priority 90 -> 150: check web up (ok)" ||
    fail "a did not log its priority coming back"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b kept the VIP"
pass "HTTP 200 again: a preempted back after $ms ms"
finish
pass "daemons stopped cleanly"
