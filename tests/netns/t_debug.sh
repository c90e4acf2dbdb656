#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Debug output, as vrrpd(8) describes its categories: a runs with
# --debug all from the start and logs every advert it sends (pkt), every
# state machine input (fsm), its VIP adds and announcements (net), and
# the configuration it read (conf); b turns categories on and off at run
# time with vrrpctl debug, pkt for one of its two instances only, ctl
# for its requests, check for its check's runs. Without a category, not
# one line of it.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
VIP2=192.0.2.101
lan
host a 1
host b 2
for n in a b; do
	prio=150
	[ $n = b ] && prio=100
	cat >"$WORK/$n.yaml" <<EOC
checks:
  alive: { type: script, command: /bin/true, interval: 200ms, weight: 10 }
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [$VIP/24]
    track:
      - { check: alive }
  VI_2:
    interface: eth0
    vrid: 52
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [$VIP2/24]
EOC
done
# a first, so it wins by its master down timer (the margin over b's is
# 20 ms, less than two daemons started together may differ by).
start a "$WORK/a.yaml" --debug all
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
until_ok 5 has_addr a $VIP2 >/dev/null || fail "a never took VI_2"
start b "$WORK/b.yaml"
until_ok 5 is b '.instances[0].state' BACKUP >/dev/null ||
    fail "b never started as backup"
# count NAME PATTERN: lines of NAME's log with PATTERN
count() { grep -c -- "$2" "$WORK/$1.log"; }
more_than() { [ "$(count "$1" "$2")" -gt "$3" ]; }

until_ok 2 more_than a "(VI_1) pkt: sent v3 vrid 51 prio 160 int 10cs" 5 \
    >/dev/null || fail "a logs no adverts it sends"
log_has a "(VI_2) pkt: sent v3 vrid 52 prio 150" ||
    fail "a logs no adverts of VI_2"
log_has a "(VI_1) fsm: master down timer in BACKUP -> MASTER, priority 160: send advert 160, add vips, announce, arm timer adver +" ||
    fail "a logs no state machine input with its actions"
log_has a "(VI_1) fsm: adver timer in MASTER -> MASTER" ||
    fail "a logs no adver timer input"
log_has a "(VI_1) net: added $VIP/24 to interface index" ||
    fail "a logs no VIP add"
log_has a "(VI_1) net: announce" || fail "a logs no announcement"
log_has a "conf: $WORK/a.yaml read in" || fail "a logs no configuration load"
log_has a "check alive: run 1: ok in" || fail "a logs no check run"
pass "--debug all: pkt, fsm, net, conf and check lines from the start"

# b: nothing until asked; pkt for VI_1 only, then ctl and check.
n=$(count b "pkt:")
[ "$n" -eq 0 ] || fail "b logs $n pkt lines without debug"
[ "$(field b '.enabled | join(",")' debug pkt on --instance VI_1)" = \
    "pkt:VI_1" ] || fail "b's debug reply does not say pkt:VI_1"
until_ok 2 more_than b "(VI_1) pkt: received v3 vrid 51 prio 160" 3 \
    >/dev/null || fail "b logs no adverts of VI_1"
[ "$(count b "(VI_2) pkt:")" -eq 0 ] || fail "b logs VI_2's adverts too"
ctl b debug pkt on --instance VI_9 | jq -e '.error.code == "no_instance"' \
    >/dev/null || fail "debug for an unknown instance was not refused"
[ "$(field b '.enabled | length' debug pkt off)" = 0 ] ||
    fail "pkt is not off"
n=$(count b "pkt:")
stays 1 sh -c "[ \$(grep -c 'pkt:' '$WORK/b.log') -eq $n ]" ||
    fail "b goes on logging adverts after debug pkt off"
pass "vrrpctl debug pkt on --instance VI_1: VI_1's adverts only; off: none"

field b '.enabled[0]' debug ctl on >/dev/null || fail "debug ctl on"
field b '.instances[0].name' status >/dev/null || fail "status"
until_ok 2 log_has b "ctl: pid [0-9]* uid 0: status" >/dev/null ||
    fail "b logs no line for a control request"
field b '.enabled | length' debug check on >/dev/null || fail "check on"
until_ok 2 log_has b "check alive: run [0-9]*: ok in" >/dev/null ||
    fail "b logs no check run"
pass "debug ctl: one line per request; debug check: one line per run"

# A takeover on b, with fsm on: the input and its actions.
field b '.enabled | length' debug fsm on >/dev/null || fail "fsm on"
stop a
until_ok 3 has_addr b $VIP >/dev/null || fail "b did not take over"
until_ok 2 log_has b "(VI_1) fsm: master down timer in BACKUP -> MASTER, priority 110: send advert 110, add vips" >/dev/null ||
    fail "b logs no takeover input with its actions"
log_has b "(VI_1) fsm: advert in BACKUP -> BACKUP, priority 110: arm timer down +" ||
    fail "b logs no priority-0 advert arming Skew_Time"
pass "debug fsm: b's takeover logged with its input"
finish
pass "daemons stopped cleanly"
