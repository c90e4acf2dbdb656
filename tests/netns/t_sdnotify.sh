#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# systemd's notification protocol (Type=notify), against a stand-in for
# systemd's socket: READY=1 only once the instance is initialised (here
# after its interface appeared, so not while vrrpd waits for it), the
# watchdog kept alive from the event loop, RELOADING=1 then READY=1 on
# SIGHUP, STOPPING=1 on SIGTERM; and a second vrrpd with the same pid file
# refuses to start, naming the running one.
. "$(dirname "$0")/lib.sh"

[ -x "$TOOLS/notify_sink" ] || fail "no $TOOLS/notify_sink (run make)"
lan
host a 1
ip -n "$(ns a)" link set eth0 name late0 down
cat >"$WORK/a.yaml" <<EOC
checks:
  ok:
    type: script
    command: /bin/true
    interval: 1s
    weight: 10
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: 150
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.100/24]
    track:
      - { check: ok }
EOC
"$TOOLS/notify_sink" "$WORK/notify" 60 >"$WORK/sink.log" 2>&1 &
PIDS="$PIDS $!"
until_ok 2 test -S "$WORK/notify" >/dev/null || fail "no notify socket"
export NOTIFY_SOCKET="$WORK/notify" WATCHDOG_USEC=400000
start a "$WORK/a.yaml"
unset NOTIFY_SOCKET WATCHDOG_USEC
until_ok 2 log_has a "waiting up to 10 s for eth0" >/dev/null ||
    fail "vrrpd does not wait for eth0"
stays 1 sh -c "! grep -q READY=1 '$WORK/sink.log'" ||
    fail "READY=1 sent while the instance still waits for its interface"
# status, metrics and checks while it waits: its tracks are there, no crash
ctl a status | jq -e '.instances[0].priority.parts[0].name == "ok"' \
    >/dev/null || fail "status while waiting: $(ctl a status 2>&1 | head -c 300)"
ctl a metrics >/dev/null || fail "metrics while waiting"
kill -0 "$(pid_of a)" 2>/dev/null || fail "vrrpd died on a status while waiting"
ip -n "$(ns a)" link set late0 name eth0 up
until_ok 3 log_has sink "READY=1" >/dev/null || fail "no READY=1"
log_has a "(VI_1) INIT -> BACKUP: startup" ||
    fail "READY=1 came before the instance started"
pass "READY=1 once the instance started, not while it waited (status and metrics answered meanwhile)"

n=$(grep -c "WATCHDOG=1" "$WORK/sink.log")
until_ok 2 sh -c "[ \$(grep -c WATCHDOG=1 '$WORK/sink.log') -ge $((n + 3)) ]" \
    >/dev/null || fail "no WATCHDOG=1 twice per WatchdogSec"
pass "watchdog kept alive"

kill -HUP "$(pid_of a)"
until_ok 2 sh -c "grep -n . '$WORK/sink.log' | grep -A 5 RELOADING=1 |
    grep -q READY=1" >/dev/null || fail "no RELOADING=1 then READY=1"
pass "reload: RELOADING=1 then READY=1"

# SIGUSR1 (keepalived's data dump): the state in the log, and vrrpd lives
kill -USR1 "$(pid_of a)"
until_ok 2 log_has a "(VI_1) state: " >/dev/null || fail "no state line on SIGUSR1"
kill -0 "$(pid_of a)" 2>/dev/null || fail "vrrpd died of SIGUSR1"
pass "SIGUSR1: $(grep "(VI_1) state: " "$WORK/a.log" | tail -n 1)"

timeout 5 ip netns exec "$(ns a)" "$VRRPD" -f "$WORK/a.yaml" \
    -p "$WORK/a.pid" >"$WORK/second.log" 2>&1 &&
    fail "a second vrrpd on the same pid file ran"
log_has second "already running as pid $(pid_of a)" ||
    fail "the second vrrpd did not name the running one"
[ "$(cat "$WORK/a.pid")" = "$(pid_of a)" ] || fail "the pid file changed"
pass "a second daemon refuses the locked pid file"

stop a
until_ok 2 log_has sink "STOPPING=1" >/dev/null || fail "no STOPPING=1"
[ ! -e "$WORK/a.pid" ] || fail "the pid file is left after the stop"
pass "SIGTERM: STOPPING=1, pid file removed"
finish
