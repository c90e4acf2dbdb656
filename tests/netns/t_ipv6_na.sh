#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# VRRPv3 over IPv6 on the wire (RFC 5798 §5.1.2, §6.4; RFC 4861 §7.2.6),
# from a capture on the bridge. Two vrrpd nodes at 100 ms with a
# link-local and a global VIP; b is a router (IPv6 forwarding on), a is
# not. Every advert of the master goes from its own link-local address
# (fe80::, never a VIP or its global address) and its MAC to ff02::12 with
# hop limit 255; the backup sends none. When the master's link is cut,
# the new master sends unsolicited neighbour advertisements for the global
# VIP (and the link-local one) from its MAC to ff02::1: hop limit 255,
# source an address it holds, override set, solicited clear, its MAC as
# the target link-layer address; then adverts of its own the same way.
# When a returns and preempts, its NAs come from its MAC and no other
# node answers for the VIP. Checked last, each reported (all at once):
# the VIPs are usable at once on the new master, not "tentative" for
# duplicate address detection (keepalived adds every IPv6 VIP with
# IFA_F_NODAD: with DAD a VIP is dead for 1-2 s after each takeover, and
# "dadfailed" for good when the old master still holds it as the new one
# probes); and the Router flag, which keepalived sets when the interface
# forwards IPv6 (RFC 5798 §6.4.2: always): set in b's NAs, clear in a's.
. "$(dirname "$0")/lib.sh"

VIP=2001:db8::100

lan
host a 1
host b 2
for n in a b; do
	prio=150
	[ $n = b ] && prio=100
	cat >"$WORK/$n.yaml" <<EOC
instances:
  VI_6:
    interface: eth0
    vrid: 61
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [fe80::100/64, $VIP/64]
EOC
done

mac_of() { ip -n "$(ns "$1")" -br link show dev eth0 | awk '{print $3}'; }
# lla_of HOST: the kernel's link-local address of eth0 (not fe80::100)
lla_of() {
	ip -n "$(ns "$1")" -6 -o addr show dev eth0 scope link |
	    awk '{sub(/\/.*/, "", $4); print $4}' | grep -v '^fe80::100$'
}
now_us() { echo $(($(date +%s%N) / 1000)); }
# vtext NAME: the capture decoded verbosely (-v: hop limit, NA flags and
# options), one packet a line ("SECONDS.MICROS rest"), continuation
# lines joined to their packet
vtext() {
	tcpdump -r "$WORK/$1.pcap" -n -e -tt -v 2>/dev/null |
	    awk '/^[0-9]+\.[0-9]+ / { if (l != "") print l; l = $0; next }
		{ sub(/^[ \t]+/, " "); l = l $0 } END { if (l != "") print l }'
}
# window FILE FROM_US [TO_US]: the lines of FILE stamped in (FROM, TO)
window() {
	awk -v f="$2" -v e="${3:-99999999999999999}" \
	    '{ t = $1; sub(/\./, "", t) } t + 0 > f + 0 && t + 0 < e + 0' "$1"
}

MAC_A=$(mac_of a)
MAC_B=$(mac_of b)
ip netns exec "$(ns b)" sysctl -qw net.ipv6.conf.all.forwarding=1
[ "$(ip netns exec "$(ns b)" sysctl -n net.ipv6.conf.eth0.forwarding)" = 1 ] ||
    fail "cannot turn IPv6 forwarding on in b"
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
ms=$(until_ok 10 has_addr a $VIP) || fail "a never became master"
until_ok 5 log_has b "> BACKUP" >/dev/null || fail "b never became backup"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b holds the VIP"
LLA_A=$(lla_of a)
LLA_B=$(lla_of b)
case "$LLA_A$LLA_B" in
fe80::*fe80::*) ;;
*) fail "no link-local addresses: a '$LLA_A', b '$LLA_B'" ;;
esac
pass "a is master after ${ms} ms (a $LLA_A, b $LLA_B)"

capture_start cap ip6
# one second of a's adverts: about 10
stays 1 lacks_addr b $VIP || fail "b took the VIP while a is master"
t_cut=$(now_us)
link_down a
ms=$(until_ok 3 has_addr b $VIP) || fail "b did not take over"
until_ok 1 has_addr b fe80::100 >/dev/null || fail "b lacks fe80::100"
# the VIPs' flags right after the takeover
ip -n "$(ns b)" -6 -o addr show dev eth0 |
    grep -E " (fe80::100|2001:db8::100)/" >"$WORK/vip-flags.txt"
pass "b took over ${ms} ms after the link cut"
# its NA burst and a few adverts
stays 1 has_addr b $VIP || fail "b lost the VIP"
t_up=$(now_us)
link_up a
# a may wait for its link-local address (DAD after the carrier returns)
ms=$(until_ok 5 has_addr a $VIP) || fail "a did not preempt"
until_ok 2 lacks_addr b $VIP >/dev/null || fail "b kept the VIP"
pass "a preempted back ${ms} ms after its link returned"
stays 1 has_addr a $VIP || fail "a lost the VIP"
capture_stop cap
vtext cap >"$WORK/cap.txt"

# The adverts: every VRRP packet, as decoded by tcpdump.
grep "VRRPv3, Advertisement, vrid 61," "$WORK/cap.txt" >"$WORK/adv.txt"
window "$WORK/adv.txt" 0 "$t_cut" >"$WORK/adv-a.txt"
n=$(grep -c . "$WORK/adv-a.txt")
[ "$n" -ge 7 ] || fail "only $n adverts in the second before the cut"
good=$(grep -c -E "^[0-9.]+ $MAC_A > 33:33:00:00:00:12, ethertype IPv6 .*hlim 255,.*next-header VRRP.* $LLA_A > ff02::12: VRRPv3, Advertisement, vrid 61, prio 150," \
    "$WORK/adv-a.txt")
[ "$good" -eq "$n" ] || {
	grep -v -E "$MAC_A .*hlim 255,.* $LLA_A > ff02::12: .* prio 150," \
	    "$WORK/adv-a.txt" | head -n 3 >&2
	fail "$((n - good)) of $n adverts before the cut are not a's, from $LLA_A, hop limit 255"
}
pass "before the cut: $n adverts, all from a's MAC and $LLA_A to ff02::12, hlim 255 (none from b)"

# The takeover: b's unsolicited NA for the global VIP, then its adverts.
# na_check FILE MAC LLA TARGET: every NA in FILE for TARGET is an
# unsolicited one from MAC: to ff02::1, hop limit 255, from TARGET itself
# (what keepalived sends) or the node's link-local LLA, override set and
# solicited clear, MAC as the target link-layer address.
na_check() {
	grep -E "neighbor advertisement, length [0-9]+, tgt is $4," "$1" \
	    >"$1.na"
	grep -q . "$1.na" || return 1
	grep -v -E "^[0-9.]+ $2 > 33:33:00:00:00:01, ethertype IPv6 .*hlim 255,.* ($4|$3) > ff02::1: .*neighbor advertisement, length 32, tgt is $4, Flags \[(router, )?override\] destination link-address option \(2\), length 8 \(1\): $2\$" \
	    "$1.na" | head -n 1 >"$1.bad"
	[ ! -s "$1.bad" ]
}
window "$WORK/cap.txt" "$t_cut" "$t_up" >"$WORK/after.txt"
na_check "$WORK/after.txt" "$MAC_B" "$LLA_B" "$VIP" ||
    fail "no unsolicited NA for $VIP from b after the cut: $(cat "$WORK/after.txt.bad")"
n=$(grep -c . "$WORK/after.txt.na")
na1=$(awk '{ t = $1; sub(/\./, "", t); print t; exit }' "$WORK/after.txt.na")
cp "$WORK/after.txt.na" "$WORK/na-b.txt"
na_check "$WORK/after.txt" "$MAC_B" "$LLA_B" fe80::100 ||
    fail "no unsolicited NA for fe80::100 from b after the cut: $(cat "$WORK/after.txt.bad")"
grep "neighbor advertisement" "$WORK/after.txt" | grep -v " $MAC_B > " |
    grep -q . && fail "a neighbour advertisement not from b after the cut"
pass "b sent $n unsolicited NAs for $VIP (from $MAC_B, hlim 255, override) $(((na1 - t_cut) / 1000)) ms after the cut"

window "$WORK/adv.txt" "$t_cut" "$t_up" | grep -E "^[0-9.]+ $MAC_B > " \
    >"$WORK/adv-b.txt"
n=$(grep -c . "$WORK/adv-b.txt")
[ "$n" -ge 5 ] || fail "only $n adverts from b after its takeover"
good=$(grep -c -E "hlim 255,.* $LLA_B > ff02::12: VRRPv3, Advertisement, vrid 61, prio 100," \
    "$WORK/adv-b.txt")
[ "$good" -eq "$n" ] ||
    fail "$((n - good)) of b's $n adverts are not from $LLA_B with hop limit 255"
pass "after the takeover: $n adverts, all from b's MAC and $LLA_B, hlim 255"

# Checks that report together: BUGS collects what is wrong.
BUGS=""
bug() { BUGS="$BUGS
  - $*"; }

# No DAD on the VIPs: usable at once, nobody's NA can fail them.
grep -q tentative "$WORK/vip-flags.txt" &&
    bug "b's VIPs were tentative (DAD) right after its takeover: $(tr -d '\134' <"$WORK/vip-flags.txt" | tr -s ' ' | tr '\n' ';')"

# a's NAs after its preempt, and no one else's for the VIP (b's kernel
# answers a's DAD probe when b still holds the VIP)
window "$WORK/cap.txt" "$t_up" >"$WORK/back.txt"
grep -E "neighbor advertisement, length [0-9]+, tgt is $VIP," \
    "$WORK/back.txt" | grep -v -E "^[0-9.]+ $MAC_A " >"$WORK/back-other.txt"
[ -s "$WORK/back-other.txt" ] &&
    bug "after a's preempt another node advertised $VIP: $(head -n 1 "$WORK/back-other.txt")"
grep -v -E "^[0-9.]+ $MAC_B " "$WORK/back.txt" >"$WORK/back-a.txt"
na_check "$WORK/back-a.txt" "$MAC_A" "$LLA_A" "$VIP" ||
    fail "no unsolicited NA for $VIP from a after it preempted: $(cat "$WORK/back-a.txt.bad")"
cp "$WORK/back-a.txt.na" "$WORK/na-a.txt"
pass "a sent $(grep -c . "$WORK/na-a.txt") unsolicited NAs for $VIP after preempting"

# The Router flag follows the interface's IPv6 forwarding, as keepalived.
grep -q "Flags \[router, " "$WORK/na-a.txt" &&
    bug "a does not forward IPv6 but its NAs carry the Router flag"
grep -v -q "Flags \[router, override\]" "$WORK/na-b.txt" &&
    bug "b forwards IPv6 but its NAs lack the Router flag (RFC 5798 §6.4.2, keepalived sets it when forwarding): $(head -n 1 "$WORK/na-b.txt" | sed 's/^.*ICMP6, //')"
[ -z "$BUGS" ] || fail "$BUGS"
pass "VIPs usable at once; Router flag set in b's NAs (forwarding), clear in a's"
finish
pass "daemons stopped cleanly"
