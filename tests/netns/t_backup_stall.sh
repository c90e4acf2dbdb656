#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A backup stalled past its Master_Down_Interval (SIGSTOP for 0.8 s: a
# loaded host, a hypervisor's pause) while the master goes on advertising
# must not take over when it runs again: the adverts in its socket arrived
# in time, and they are read before the expired timer is acted on. Ten
# stalls; b must stay BACKUP through all of them.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
host a 1
host b 2
pair_yaml $VIP 51
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
until_ok 3 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
for i in 1 2 3 4 5 6 7 8 9 10; do
	kill -STOP "$(pid_of b)"
	sleep 0.8
	kill -CONT "$(pid_of b)"
	sleep 0.3
	log_has b "BACKUP -> MASTER" &&
	    fail "stall $i: b took over on waking: $(grep 'BACKUP -> MASTER' "$WORK/b.log" | head -n 1)"
done
is a .instances[0].state MASTER || fail "a is no longer master"
pass "10 stalls of 0.8 s (Master_Down_Interval 0.36 s): b read the adverts first and stayed BACKUP"
finish
