#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Reload (SIGHUP) without side effects (keepalived pain point P5): both
# nodes are reloaded once a second for a minute with an unchanged file,
# and the capture on the bridge and the logs show zero transitions and
# zero extra gratuitous ARPs, while adverts go on. A broken file is
# rejected with FILE:LINE:COL and changes nothing. Then real changes: an
# instance added by a reload starts, a changed instance is re-created, an
# instance whose addresses alone changed takes them in place (no
# transition, no priority 0: as keepalived), and an instance removed by a
# reload releases its VIP (priority 0) so the peer takes over.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
VIP2=192.0.2.101
VIP3=192.0.2.102
RELOADS=${RELOADS:-60}
lan
host a 1
host b 2
# conf NAME PRIORITY [extra instance block]
conf() {
	cat >"$WORK/$1.yaml" <<EOC
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: $2
    advert_interval: 100ms
    virtual_ipaddress: [$VIP/24]
${3:-}
EOC
}
conf a 150
conf b 100
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
until_ok 2 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"
# Let the second GARP burst (garp_master_delay, 5 s) pass before counting.
capture_start steady
stays 6 lacks_addr b $VIP || fail "b took the VIP"
pass "a is master, b backup"

transitions() { grep -c -- " -> " "$WORK/$1.log"; }
reloads() { grep -c "reload: 1 kept, 0 re-created" "$WORK/$1.log"; }
ta=$(transitions a) tb=$(transitions b)
capture_stop steady
capture_start reload
begin=$(date +%s)
i=0
while [ $i -lt "$RELOADS" ]; do
	i=$((i + 1))
	kill -HUP "$(pid_of a)" "$(pid_of b)"
	until_ok 2 sh -c "[ \$(grep -c 'reload: 1 kept, 0 re-created' \
	    '$WORK/a.log') -ge $i ] && [ \$(grep -c 'reload: 1 kept, 0 \
re-created' '$WORK/b.log') -ge $i ]" >/dev/null ||
	    fail "reload $i was not reported by both nodes"
	# one reload a second: wait for the next second to begin
	until_ok 2 sh -c "[ \$(date +%s) -ge $((begin + i)) ]" >/dev/null
done
capture_stop reload
[ "$(reloads a)" -eq "$RELOADS" ] && [ "$(reloads b)" -eq "$RELOADS" ] ||
    fail "reload count: a $(reloads a), b $(reloads b), not $RELOADS"
[ "$(transitions a)" -eq "$ta" ] && [ "$(transitions b)" -eq "$tb" ] ||
    fail "transitions during the reloads: $(grep -- ' -> ' "$WORK"/*.log)"
garps=$(capture_count reload "who-has $VIP .*tell $VIP" arp)
[ "$garps" -eq 0 ] || fail "$garps gratuitous ARPs during the reloads"
adverts=$(capture_count reload "192.0.2.1 > 224.0.0.18: VRRPv3.*prio 150" \
    vrrp)
# a's adverts are never held up by a reload: no gap of 2 intervals
gap=$(capture_text reload vrrp | grep "192.0.2.1 > 224.0.0.18" |
    awk '{ if (p != "" && $1 - p > g) g = $1 - p; p = $1 }
	END { printf "%d", g * 1000 }')
[ "$adverts" -ge $(((RELOADS - 1) * 9)) ] && [ "$gap" -lt 200 ] ||
    fail "$adverts adverts from a, longest gap $gap ms, in $RELOADS reloads"
has_addr a $VIP && lacks_addr b $VIP || fail "the VIP moved"
pass "$RELOADS reloads a second apart: 0 transitions, 0 GARPs," \
    "$adverts adverts from a, none later than $gap ms after the previous"

# A broken file: rejected with its position, nothing changes.
cp "$WORK/a.yaml" "$WORK/a.good"
printf 'instances:\n  VI_1:\n    interface: eth0\n    vrid: 300\n' \
    >"$WORK/a.yaml"
kill -HUP "$(pid_of a)"
until_ok 2 log_has a "rejected" >/dev/null || fail "bad file not rejected"
log_has a "reload: $WORK/a.yaml:4:[0-9]*: error:" ||
    fail "the rejection does not name FILE:LINE:COL"
stays 1 has_addr a $VIP || fail "a lost the VIP after a rejected reload"
[ "$(transitions a)" -eq "$ta" ] || fail "a rejected reload made a transition"
pass "a broken file is rejected with its position, nothing changes"

# Adding an instance: it starts (and becomes master: no peer has it).
conf a 150 "  VI_2:
    interface: eth0
    vrid: 52
    priority: 150
    advert_interval: 100ms
    virtual_ipaddress: [$VIP2/24]"
kill -HUP "$(pid_of a)"
until_ok 2 log_has a "reload: 1 kept, 0 re-created, 1 added" >/dev/null ||
    fail "VI_2 not added"
until_ok 3 has_addr a $VIP2 >/dev/null || fail "VI_2 did not start"
has_addr a $VIP || fail "adding VI_2 disturbed VI_1"
pass "an added instance starts, the other is untouched"

# Changing VI_2 (priority) re-creates it; VI_1 stays as it is.
conf a 150 "  VI_2:
    interface: eth0
    vrid: 52
    priority: 120
    advert_interval: 100ms
    virtual_ipaddress: [$VIP2/24]"
ta=$(transitions a)
kill -HUP "$(pid_of a)"
until_ok 2 log_has a "reload: 1 kept, 1 re-created, 0 added" >/dev/null ||
    fail "VI_2 not re-created"
until_ok 2 log_has a "(VI_2) MASTER -> INIT: shutdown" >/dev/null ||
    fail "the old VI_2 was not stopped"
until_ok 3 has_addr a $VIP2 >/dev/null || fail "the new VI_2 is not master"
grep -- " -> " "$WORK/a.log" | tail -n +$((ta + 1)) | grep -q "(VI_1)" &&
    fail "re-creating VI_2 made VI_1 change state"
pass "a changed instance is re-created alone"

# Only VI_2's address changes: in place, the new one added and announced,
# the old one removed, no transition, no priority 0.
conf a 150 "  VI_2:
    interface: eth0
    vrid: 52
    priority: 120
    advert_interval: 100ms
    virtual_ipaddress: [$VIP3/24]"
ta=$(transitions a)
capture_start readdr "arp or ip proto 112"
kill -HUP "$(pid_of a)"
until_ok 2 log_has a "1 with new addresses in place" >/dev/null ||
    fail "VI_2's address change not taken in place: $(tail -n 3 "$WORK/a.log")"
log_has a "(VI_2) addresses changed by the reload, in place: 1 added, 1 removed" ||
    fail "no line for VI_2's addresses"
until_ok 2 has_addr a $VIP3 >/dev/null || fail "a lacks VI_2's new $VIP3"
lacks_addr a $VIP2 || fail "a kept VI_2's old $VIP2"
garp3() { [ "$(capture_count readdr "who-has $VIP3 .*tell $VIP3" arp)" -ge 1 ]; }
until_ok 3 garp3 >/dev/null || fail "no gratuitous ARP for $VIP3"
capture_stop readdr
[ "$(capture_count readdr "vrid 52, prio 0" "ip proto 112")" = 0 ] ||
    fail "VI_2 sent priority 0 for an address change"
[ "$(transitions a)" = "$ta" ] ||
    fail "an address change made a transition: $(grep -- ' -> ' "$WORK/a.log" | tail -n 1)"
pass "an address change is taken in place: $VIP3 added and announced, $VIP2 removed, no transition"

# Removing VI_1 from a: it releases (priority 0) and b takes over at once.
cat >"$WORK/a.yaml" <<EOC
instances:
  VI_2:
    interface: eth0
    vrid: 52
    priority: 120
    advert_interval: 100ms
    virtual_ipaddress: [$VIP3/24]
EOC
kill -HUP "$(pid_of a)"
until_ok 2 log_has a "reload: 1 kept, 0 re-created, 0 added, 1 removed" \
    >/dev/null || fail "VI_1 not removed: $(tail -n 3 "$WORK/a.log")"
ms=$(until_ok 2 has_addr b $VIP) || fail "b did not take over VI_1"
lacks_addr a $VIP || fail "a kept the VIP of a removed instance"
has_addr a $VIP3 || fail "removing VI_1 disturbed VI_2"
pass "a removed instance releases its VIP; b took over in $ms ms"
finish
pass "daemons stopped cleanly"
