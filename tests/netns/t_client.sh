#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# What a client sees across a takeover. Two vrrpd nodes (VRRPv3, 100 ms)
# and a client c that pings the VIP every 20 ms with the master's MAC in
# its ARP cache. The master's link is cut: the client's replies stop and
# resume from the new master within its Master_Down_Interval (361 ms) plus
# the advert phase (100 ms) plus a tolerance, with replies both before and
# after the gap; the client's ARP entry for the VIP moves from the old
# master's MAC to the new master's, and the capture on the bridge shows
# why: the new master's gratuitous ARP precedes the change and the client
# never asked (its entry was still REACHABLE: without the GARP its pings
# would go to the dead MAC for up to 30 s).
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
# Master_Down_Interval 361 ms + up to 100 ms since the master's last
# advert + one ping interval + 300 ms tolerance for a loaded machine.
GAP_MAX_MS=800

lan
host a 1
host b 2
host c 10 # client
pair_yaml $VIP

mac_of() { ip -n "$(ns "$1")" -br link show dev eth0 | awk '{print $3}'; }
# neigh_mac HOST IP: the lladdr of HOST's neighbour entry for IP, if any
now_us() { echo $(($(date +%s%N) / 1000)); }
# capture lines' (and ping -D lines') "SECONDS.MICROS" as microseconds
us_of() { echo "$1" | tr -d '[]' | sed 's/\.//'; }

MAC_A=$(mac_of a)
MAC_B=$(mac_of b)
MAC_C=$(mac_of c)
{ [ -n "$MAC_A" ] && [ -n "$MAC_B" ] && [ "$MAC_A" != "$MAC_B" ]; } ||
    fail "cannot read the nodes' MACs"

start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
ms=$(until_ok 5 has_addr a $VIP) || fail "a never became master"
until_ok 2 log_has b "> BACKUP" >/dev/null || fail "b not backup"
pass "a holds the VIP after ${ms} ms"

# The client learns the VIP's MAC: a's.
until_ok 5 ip netns exec "$(ns c)" ping -n -c 1 -W 1 $VIP >/dev/null ||
    fail "the client cannot reach the VIP"
neigh_is c $VIP "$MAC_A" ||
    fail "client's entry for $VIP is '$(neigh_mac c $VIP)', not a's $MAC_A"
pass "client caches a's MAC $MAC_A for $VIP"

capture_start cap "arp or icmp"
# -w: the loop is bounded (6 s); -D: a timestamp on every reply.
start_cmd c ping -D -n -i 0.02 -w 6 -W 1 $VIP
until_ok 3 sh -c "[ \$(grep -c 'bytes from $VIP' '$WORK/c.log') -ge 25 ]" \
    >/dev/null || fail "the client's pings are not answered"

t_cut=$(now_us)
link_down a
neigh_is c $VIP "$MAC_A" || fail "client's entry changed before the takeover"
ms=$(until_ok 3 neigh_is c $VIP "$MAC_B") ||
    fail "client's entry for $VIP stays '$(neigh_mac c $VIP)', not b's $MAC_B"
# observed by now: the change itself came (a little) earlier
t_change=$(now_us)
has_addr b $VIP || fail "client follows b but b lacks the VIP"
pass "client's entry moved to b's MAC $MAC_B $(((t_change - t_cut) / 1000)) ms after the cut"

until_ok 9 sh -c "! kill -0 $(pid_of c) 2>/dev/null" >/dev/null ||
    fail "the client's ping loop did not end"
stop c
capture_stop cap

# The replies: the longest silence, and how many came before the cut and
# after the takeover.
grep "bytes from $VIP" "$WORK/c.log" | awk '{print $1}' | tr -d '[]' |
    sed 's/\.//' >"$WORK/replies.us"
read -r gap gap_at pre post <<EOR
$(awk -v cut="$t_cut" '
	NR > 1 && $1 - prev > gap { gap = $1 - prev; at = prev }
	{ prev = $1 }
	$1 < cut { pre++ }
	$1 > cut { post++ }
	END { printf "%d %d %d %d\n", gap / 1000, (at - cut) / 1000, pre, post }
' "$WORK/replies.us")
EOR
[ "$pre" -ge 25 ] || fail "only $pre replies before the cut"
# ~ 6 s of pings at 50/s, less the gap: at least 3 s worth afterwards
[ "$post" -ge 150 ] || fail "only $post replies after the cut"
# The silence is the takeover: it starts at the cut (the last reply came
# from a just before) and lasts at least b's down timer less one interval.
{ [ "$gap_at" -ge -100 ] && [ "$gap_at" -le 100 ]; } ||
    fail "longest silence (${gap} ms) starts ${gap_at} ms from the cut"
[ "$gap" -ge 200 ] || fail "silence of only ${gap} ms: was a's link cut?"
[ "$gap" -le $GAP_MAX_MS ] ||
    fail "the client heard nothing for ${gap} ms (limit ${GAP_MAX_MS} ms)"
pass "client: $pre replies, ${gap} ms without, then $post replies (limit ${GAP_MAX_MS} ms)"

# The capture: the new master's GARP came before the client's entry
# changed, and the client did not ask in between.
capture_text cap >"$WORK/cap.txt"
garp=$(awk -v m="$MAC_B" -v v="$VIP" '
	$2 == m && $4 == "ff:ff:ff:ff:ff:ff," && / ethertype ARP / &&
	    (index($0, "who-has " v " ") && index($0, "tell " v ",") ||
	     index($0, "Reply " v " is-at " m)) { print $1; exit }
' "$WORK/cap.txt")
[ -n "$garp" ] || fail "no gratuitous ARP for $VIP from b's MAC $MAC_B"
garp_us=$(us_of "$garp")
[ "$garp_us" -gt "$t_cut" ] || fail "b's GARP came before the cut"
[ "$garp_us" -lt "$t_change" ] ||
    fail "b's GARP ($garp_us) came after the client's entry changed ($t_change)"
asked=$(awk -v m="$MAC_C" -v v="$VIP" -v c="$t_cut" -v e="$t_change" '
	{ t = $1; sub(/\./, "", t) }
	t > c && t < e && $2 == m && index($0, "who-has " v " ")
' "$WORK/cap.txt" | wc -l)
[ "$asked" -eq 0 ] || fail "the client asked for $VIP itself ($asked requests)"
pass "b's GARP preceded the change by $(((t_change - garp_us) / 1000)) ms or less; the client did not ask"
# and the answers after the takeover really came from b
[ "$(capture_count cap "^[0-9.]+ $MAC_B > $MAC_C, .* $VIP > 192\.0\.2\.10: ICMP echo reply")" -ge 100 ] ||
    fail "fewer than 100 echo replies from b's MAC in the capture"
[ "$(awk -v m="$MAC_A" -v g="$garp_us" '
	{ t = $1; sub(/\./, "", t) } t > g && $2 == m && /ICMP echo reply/
' "$WORK/cap.txt" | wc -l)" -eq 0 ] || fail "echo replies from a after b's GARP"
pass "the client's answers after the takeover come from b's MAC"

finish
pass "daemons stopped cleanly"
