#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Two vrrpd nodes, VRRPv3 at 100 ms, a capture on the bridge: SIGTERM on
# the master sends one priority-0 advert (RFC 5798 §6.4.3) and nothing
# after it, and removes the VIP; the backup then takes over after
# Skew_Time, (256 - 100) / 256 * 100 ms = 60.9 ms, rather than its
# Master_Down_Interval (360.9 ms). Measured in the capture, from the prio 0
# packet to the backup's first advert: not before Skew_Time, and well
# before Master_Down_Interval - Advertisement_Interval (260.9 ms), the
# earliest an ordinary down timer could have fired.
. "$(dirname "$0")/lib.sh"

lan
host a 1
host b 2
pair_yaml 192.0.2.100
# a first, so that it is master before b starts: no startup race.
start a "$WORK/a.yaml"
ms=$(until_ok 5 has_addr a 192.0.2.100) || fail "a never became master"
pass "a holds the VIP after ${ms} ms"
start b "$WORK/b.yaml"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
stays 1 lacks_addr b 192.0.2.100 || fail "b holds the VIP too"

capture_start cap vrrp
a_heard() { [ "$(capture_count cap " 192.0.2.1 > 224.0.0.18: ")" -ge 2 ]; }
until_ok 2 a_heard >/dev/null || fail "no advert from a in the capture"
stop a
lacks_addr a 192.0.2.100 || fail "a kept the VIP after stopping"
log_has a "MASTER -> INIT: shutdown" || fail "a did not log its shutdown"
ms=$(until_ok 2 has_addr b 192.0.2.100) || fail "b did not take over"
pass "a stopped and removed its VIP; b held it ${ms} ms after a exited"
log_has b "BACKUP -> MASTER: master sent priority 0" ||
    fail "b did not log taking over on a's priority 0"
# b adverts for a few intervals: a is gone for good and b stays master.
stays 1 has_addr b 192.0.2.100 || fail "b lost the VIP"
capture_stop cap

# From the capture: "TIME SRC PRIO" for each advert.
capture_text cap vrrp | awk '{
	for (i = 1; i < NF; i++) {
		if ($i == ">" && $(i + 1) ~ /^224\./)
			src = $(i - 1)
		if ($i == "prio")
			p = $(i + 1)
	}
	sub(",", "", p)
	print $1, src, p
}' >"$WORK/adverts"
n=$(awk '$2 == "192.0.2.1" && $3 == "0"' "$WORK/adverts" | wc -l)
[ "$n" -eq 1 ] || fail "$n priority-0 adverts from a, expected 1"
n=$(awk 'z && $2 == "192.0.2.1" { n++ } $2 == "192.0.2.1" && $3 == "0" { z = 1 }
	END { print n + 0 }' "$WORK/adverts")
[ "$n" -eq 0 ] || fail "a sent $n adverts after its priority 0"
n=$(awk '!z && $2 == "192.0.2.2" { n++ } $2 == "192.0.2.1" && $3 == "0" { z = 1 }
	END { print n + 0 }' "$WORK/adverts")
[ "$n" -eq 0 ] || fail "b sent $n adverts before a's priority 0"
pass "a sent one priority-0 advert, then nothing"
skew=$(awk '$2 == "192.0.2.1" && $3 == "0" { z = $1 }
	z && $2 == "192.0.2.2" { printf "%.1f", ($1 - z) * 1000; exit }' \
    "$WORK/adverts")
[ -n "$skew" ] || fail "no advert from b after a's priority 0"
awk -v s="$skew" 'BEGIN { exit !(s >= 58 && s < 200) }' ||
    fail "b's first advert ${skew} ms after a's priority 0 (Skew_Time 60.9 ms)"
pass "b's first advert ${skew} ms after a's priority 0 (Skew_Time 60.9 ms)"
n=$(awk '$2 == "192.0.2.2" && $3 != "100"' "$WORK/adverts" | wc -l)
[ "$n" -eq 0 ] || fail "b sent $n adverts with a priority other than 100"
finish
pass "daemons stopped cleanly"
