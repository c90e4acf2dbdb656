#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The in-kernel filter on the VRRP sockets (issue #14): a third host sends
# the pair 2,000 packets of each kind that can never be a valid advert
# here (TTL 254 to the group, VRRPv2 to a v3 instance, a VRID configured
# on neither node, 4 bytes of VRRP); none reaches vrrpd (its receive
# counters stay 0), and each node's kernel_filtered counts exactly the
# 8,000; nobody moves. A reload that adds VRID 99 on a rebuilds a's filter:
# packets for it then reach the new instance (bogus ones: checksum errors).
. "$(dirname "$0")/lib.sh"

SEND=$TOOLS/vrrp_send
[ -x "$SEND" ] || fail "no $SEND (make builds it)"
VIP=192.0.2.100
lan
host a 1
host b 2
host x 3 # the sender
pair_yaml $VIP 51
start a "$WORK/a.yaml"
start b "$WORK/b.yaml"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
until_ok 3 is b .instances[0].state BACKUP >/dev/null || fail "b not backup"

# send TTL VT VRID LEN [RATE]: 2,000 packets to the group, as fast as the
# socket takes them unless RATE a second
send() {
	ip netns exec "$(ns x)" "$SEND" eth0 224.0.0.18 "$1" "$2" "$3" "$4" \
	    2000 "${5:-0}" 10 \
	    >>"$WORK/send.log" 2>&1 || fail "vrrp_send $*: $(cat "$WORK/send.log")"
}
stat_of() { field "$1" "$2" stats; }
rx_errors() {
	ctl "$1" stats | jq -r '[.router.counters, .instances[].counters] |
	    map(to_entries[] | select(.key != "kernel_filtered" and
	    (.key | test("err|invalid|mismatch|failure"))) | .value) | add'
}
filtered() { [ "$(stat_of "$1" .router.counters.kernel_filtered)" = "$2" ]; }
filtered_ge() {
	[ "$(stat_of "$1" .router.counters.kernel_filtered)" -ge "$2" ]
}

[ "$(stat_of a .router.counters.kernel_filtered)" = 0 ] ||
    fail "a counted filtered packets before any were sent"
send 254 0x31 51 12 # TTL 254 to the group
send 255 0x21 51 12 # VRRPv2 to a v3 instance
send 255 0x31 99 12 # a VRID neither node has
send 255 0x31 51 4  # 4 bytes of VRRP
for n in a b; do
	until_ok 3 filtered $n 8000 >/dev/null ||
	    fail "$n: kernel_filtered $(stat_of $n .router.counters.kernel_filtered), not 8000"
	e=$(rx_errors $n)
	[ "$e" = 0 ] || fail "$n: $e receive errors reached user space"
done
pass "8,000 invalid packets dropped in each node's kernel and counted, none in vrrpd"
is a .instances[0].state MASTER && is b .instances[0].state BACKUP ||
    fail "the flood moved the master"
log_has b "BACKUP -> MASTER" && fail "b took over during the flood"

# a reload with VRID 99 on a: its filter lets 99 through now
cat >>"$WORK/a.yaml" <<EOC
  VI_99:
    interface: eth0
    vrid: 99
    priority: 150
    advert_interval: 100ms
    virtual_ipaddress: [192.0.2.199/24]
EOC
ctl a reload >/dev/null || fail "a's reload"
until_ok 3 has_addr a 192.0.2.199 >/dev/null || fail "a did not start VI_99"
send 255 0x31 99 12 2000 # user space reads them: no queue overflow
until_ok 3 sh -c "[ \$(ip netns exec $(ns a) $VRRPCTL -S $WORK/a.sock \
    --json stats VI_99 | jq -r '.instances[0].counters.checksum_err') \
    = 2000 ]" >/dev/null ||
    fail "VI_99 did not see the 2,000 packets for it after the reload"
filtered a 8000 || fail "a's filter dropped packets for VRID 99 after the reload"
# b: the 2,000 and VI_99's own adverts, VRID 99 being none of b's
until_ok 3 filtered_ge b 10000 >/dev/null || fail "b did not filter VRID 99"
pass "after the reload a's filter passes VRID 99 (2,000 to VI_99); b still drops them"
finish
