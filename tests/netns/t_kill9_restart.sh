#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A master that crashes (SIGKILL) leaves its VIP behind on its interface;
# the backup takes over after Master_Down_Interval, so for a while both
# nodes hold the address. Restarted with the same configuration, vrrpd
# must remove the leftover VIP at startup (INIT -> BACKUP deletes the
# VIPs) before it becomes master again, and then preempt the lower
# priority backup, which releases the VIP: after the cleanup, the two
# nodes never hold the VIP together beyond the preemption handover.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
host a 1
host b 2
pair_yaml $VIP 53
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"

ms=$(until_ok 5 has_addr a $VIP) || fail "a never became master"
pass "a holds the VIP after ${ms} ms"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
stays 1 lacks_addr b $VIP || fail "b holds the VIP while a is master"

pid=$(pid_of a)
kill -KILL "$pid"
wait "$pid" 2>/dev/null
kill -0 "$pid" 2>/dev/null && fail "a survived SIGKILL"
has_addr a $VIP || fail "the crash did not leave the VIP on a"
# b's Master_Down_Interval: 3 * 100 ms + (256 - 100) / 256 * 100 ms.
ms=$(until_ok 3 has_addr b $VIP) || fail "b did not take over"
pass "b took over ${ms} ms after a's SIGKILL"
has_addr a $VIP || fail "the leftover VIP on a went away by itself"
pass "the crash left the VIP on a: both nodes hold it"

# Restart a; keep the crashed run's log for a look on failure.
mv "$WORK/a.log" "$WORK/a-crashed.log"
start a "$WORK/a.yaml"
ms=$(until_ok 2 lacks_addr a $VIP) ||
    fail "restarted a did not remove its leftover VIP"
pass "restarted a removed the leftover VIP after ${ms} ms"
# Then sample both nodes until a is master again and b has released:
# count the samples where both hold the VIP (only the few ms between a's
# add and b's removal on a's first advert could show one).
both=0
t0=$(date +%s%N)
end=$((t0 + 3000000000))
while :; do
	ha=0 hb=0
	has_addr a $VIP && ha=1
	has_addr b $VIP && hb=1
	[ $ha = 1 ] && [ $hb = 1 ] && both=$((both + 1))
	[ $ha = 1 ] && [ $hb = 0 ] && break
	[ "$(date +%s%N)" -lt "$end" ] || fail "a did not take the VIP back"
	sleep 0.02
done
ms=$((($(date +%s%N) - t0) / 1000000))
pass "a preempted and b released ${ms} ms after the cleanup"
[ $both -le 1 ] || fail "both held the VIP in $both samples after the cleanup"
pass "$both sample(s) with the VIP on both nodes during the handover"
stays 1 has_addr a $VIP || fail "a lost the VIP"
lacks_addr b $VIP || fail "b took the VIP back"
# The order in a's log: startup to BACKUP (VIPs deleted), then MASTER.
seq=$(grep -o -- "[A-Z]* -> [A-Z]*" "$WORK/a.log" | head -n 2 | tr '\n' ,)
[ "$seq" = "INIT -> BACKUP,BACKUP -> MASTER," ] ||
    fail "restarted a went $seq, not INIT -> BACKUP -> MASTER"
log_has b "MASTER -> BACKUP: higher priority advert received" ||
    fail "b did not yield to a"
finish
pass "daemons stopped cleanly"
