#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# No amplification (issue #15): a third host floods the pair with valid
# VRRPv3 adverts for the master's VRID, as fast as one process sends them
# for 4 s, first with priority 50 (lower than the master's), then with
# priority 0. The master answers at most one an Advertisement_Interval:
# its adverts, counted from a capture, stay under twice the configured
# rate (they were one per flood packet), and what it left out is counted
# (answers_suppressed). The backup ignores priority 0 that does not come
# from the master it follows (pri_zero_ignored), so nobody moves, during
# the flood or after it.
. "$(dirname "$0")/lib.sh"

SEND=$TOOLS/vrrp_send
[ -x "$SEND" ] || fail "no $SEND (make builds it)"
VIP=192.0.2.100
lan
host a 1
host b 2
host x 3 # the flooder
pair_yaml $VIP 51
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
until_ok 3 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
stat_of() { field "$1" ".instances[0].counters.$2" stats; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

for prio in 50 0; do
	capture_start "fl$prio" "ip proto 112 and src host 192.0.2.1"
	sup0=$(stat_of a answers_suppressed)
	ign0=$(stat_of b pri_zero_ignored)
	fl_t0=$(now_ms)
	ip netns exec "$(ns x)" "$SEND" -a "$prio,192.0.2.3,$VIP,10" eth0 \
	    224.0.0.18 255 0x31 51 0 100000000 0 4 >"$WORK/send$prio.log" 2>&1 ||
	    fail "vrrp_send: $(cat "$WORK/send$prio.log")"
	fl_t1=$(now_ms)
	# the adverts a sent while the flood lasted, and a little after
	capture_stop "fl$prio"
	sent=$(awk '{ print $1; exit }' "$WORK/send$prio.log")
	n=$(capture_count "fl$prio" "VRRPv3")
	ms=$((fl_t1 - fl_t0))
	[ "$sent" -ge 20000 ] ||
	    fail "priority $prio: the flood reached only $sent packets"
	# configured 10 a second; at most twice that (and the capture's
	# second of start and stop)
	[ "$n" -le $(((ms + 1000) * 20 / 1000)) ] ||
	    fail "priority $prio: a sent $n adverts in $ms ms to $sent flood packets"
	sup=$(($(stat_of a answers_suppressed) - sup0))
	[ "$sup" -gt 0 ] || fail "priority $prio: no answer counted as left out"
	if [ "$prio" = 0 ]; then
		ign=$(($(stat_of b pri_zero_ignored) - ign0))
		[ "$ign" -gt 0 ] || fail "b counted no ignored priority 0"
	fi
	pass "priority $prio: $sent adverts in $ms ms ($(awk "{ print \$NF }" "$WORK/send$prio.log")); a sent $n, left $sup answers out"
done
# after the flood: still no move (a takeover would come Skew_Time after
# a priority 0 the backup believed)
stays 1 is b .instances[0].state BACKUP ||
    fail "b left BACKUP after the flood"
is a .instances[0].state MASTER || fail "a is no longer master"
log_has b "BACKUP -> MASTER" && fail "b took over during the floods"
log_has a "MASTER -> " && fail "a left MASTER during the floods"
pass "nobody moved; b ignored $(stat_of b pri_zero_ignored) priority-0 adverts from x"
finish
