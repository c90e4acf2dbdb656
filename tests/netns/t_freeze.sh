#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Two vrrpd nodes, VRRPv3 at 100 ms; the master's process is frozen with
# SIGSTOP, so it sends nothing yet believes it is still master. The backup
# takes over one Master_Down_Interval after the master's last advert (in
# the capture on the bridge: 3 * 100 ms + (256 - 100) / 256 * 100 ms =
# 360.9 ms, not earlier, not much later) and keeps the VIP while the master
# stays frozen. On SIGCONT the master, priority 150, carries on as master
# without a transition; its adverts put the backup back to BACKUP, which
# releases the VIP at once, and from then on only the master holds it.
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
pa=$(pid_of a)
na=$(grep -c -- " -> " "$WORK/a.log")
thaw_fail() {
	kill -CONT "$pa" 2>/dev/null
	fail "$@"
}
kill -STOP "$pa"
ms=$(until_ok 3 has_addr b 192.0.2.100) ||
    thaw_fail "b did not take over from the frozen master"
pass "b took over ${ms} ms after SIGSTOP"
log_has b "BACKUP -> MASTER: master down timer expired" ||
    thaw_fail "b did not log its takeover on the down timer"
# a is still frozen: b stays master, without flapping.
stays 1 has_addr b 192.0.2.100 || thaw_fail "b lost the VIP while a froze"

tc=$(date +%s%N)
kill -CONT "$pa"
ms=$(until_ok 2 lacks_addr b 192.0.2.100) ||
    fail "b kept the VIP after a resumed"
[ "$ms" -lt 500 ] || fail "b released the VIP only after ${ms} ms"
has_addr a 192.0.2.100 || fail "a lost the VIP on resuming"
pass "b released the VIP ${ms} ms after SIGCONT"
log_has b "MASTER -> BACKUP: higher priority advert received" ||
    fail "b did not log giving way to a"
# Only a holds the VIP for 10 intervals (about 3 Master_Down_Intervals).
stays 1 sh -c "ip -n $(ns a) -o addr show dev eth0 | grep -q ' 192.0.2.100/' &&
    ! ip -n $(ns b) -o addr show dev eth0 | grep -q ' 192.0.2.100/'" ||
    fail "not exactly one holder (a) after a resumed"
pass "only a holds the VIP after resuming"
capture_stop cap
elapsed=$((($(date +%s%N) - tc) / 1000000))

# a never left MASTER: no transition in its log since the freeze.
[ "$(grep -c -- " -> " "$WORK/a.log")" -eq "$na" ] ||
    fail "a changed state across the freeze"

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
# Gap between a's last advert before the freeze and b's first as master.
gap=$(awk '$2 == "192.0.2.1" && !seen { last = $1 }
	$2 == "192.0.2.2" && !seen { seen = 1; first = $1 }
	END { if (last && first) printf "%d", (first - last) * 1000 }' \
    "$WORK/adverts")
[ -n "$gap" ] || fail "capture lacks a's last or b's first advert"
[ "$gap" -ge 355 ] ||
    fail "b's first advert ${gap} ms after a's last, early (361 ms)"
[ "$gap" -le 560 ] ||
    fail "b's first advert ${gap} ms after a's last, late (361 ms)"
pass "b's first advert came ${gap} ms after a's last (Master_Down_Interval 361 ms)"
# After SIGCONT a keeps advertising at priority 150, every 100 ms: count
# its adverts from 50 ms after its first one back, past the burst with
# which it answers b's adverts queued while it was frozen.
read -r steady burst <<EOC
$(awk '$2 == "192.0.2.2" { seen = 1 }
	seen && $2 == "192.0.2.1" && !t { t = $1 }
	t && $2 == "192.0.2.1" && $3 == "150" { if ($1 < t + 0.05) b++; else n++ }
	END { print n + 0, b + 0 }' "$WORK/adverts")
EOC
[ "$steady" -ge $((elapsed / 100 - 2)) ] ||
    fail "only $steady adverts from a in the ${elapsed} ms after SIGCONT"
pass "a sent $burst adverts on resuming, then $steady in ${elapsed} ms"
finish
pass "daemons stopped cleanly"
