#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Namespace test library: a bridge namespace and router namespaces joined
# by veth pairs, real vrrpd processes in them, waits on conditions against
# deadlines, and teardown in a trap (also on failure). Names are unique per
# run; addresses are documentation ranges only.

set -u
T=$(basename "$0" .sh)
ID="v$$"
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
VRRPD=${VRRPD:-$TOP/vrrpd}
VRRPCTL=${VRRPCTL:-$TOP/vrrpctl}
TOOLS=${TOOLS:-$TOP/build/cc/tests/tools} # tests/tools/*.c, built by make
WORK=$(mktemp -d "/tmp/vrrpd-$T.XXXXXX")
BR="${ID}br"
NSES=""
PIDS=""

fail() {
	echo "$T: FAIL: $*" >&2
	for l in "$WORK"/*.log; do
		[ -f "$l" ] || continue
		echo "--- $(basename "$l") (last 20 lines)" >&2
		tail -n 20 "$l" >&2
	done
	exit 1
}

# kill_pids PID...: SIGTERM them all, then wait for each, bounded (at
# most 3 s per process), and SIGKILL what is left
kill_pids() {
	for p in "$@"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "$@"; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 30 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$p" 2>/dev/null
	done
}

cleanup() {
	# shellcheck disable=SC2086 # a list of pids
	kill_pids $PIDS
	for n in $NSES; do
		ip netns del "$n" 2>/dev/null
	done
	# KEEP=DIR keeps the daemons' logs for a look after the test.
	[ -z "${KEEP:-}" ] || cp "$WORK"/*.log "$KEEP"/ 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

[ "$(id -u)" -eq 0 ] || fail "needs root to create network namespaces"
[ -x "$VRRPD" ] || fail "no vrrpd binary at $VRRPD (run make)"

# The bridge namespace: one Linux bridge all hosts plug into.
lan() {
	ip netns add "$BR" || fail "ip netns add $BR"
	NSES="$NSES $BR"
	ip -n "$BR" link add br0 type bridge || fail "bridge"
	# no multicast snooping: VRRP multicast must reach every port
	ip -n "$BR" link set br0 type bridge mcast_snooping 0
	ip -n "$BR" link set br0 up
}

# host NAME N: namespace ID-NAME with eth0 = 192.0.2.N/24, 2001:db8::N/64
host() {
	ns="$ID$1"
	ip netns add "$ns" || fail "ip netns add $ns"
	NSES="$NSES $ns"
	ip link add "${ns}p" netns "$BR" type veth peer name eth0 \
	    netns "$ns" || fail "veth for $1"
	ip -n "$BR" link set "${ns}p" master br0 up
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "192.0.2.$2/24" dev eth0
	ip -n "$ns" addr add "2001:db8::$2/64" dev eth0 nodad
	ip -n "$ns" link set eth0 up
}

ns() { echo "$ID$1"; }

# lan2: a second LAN, its own bridge namespace (a director's inside
# network beside the outside one); host2 NAME N: eth1 = 198.51.100.N/24,
# 2001:db8:1::N/64 in host NAME (made by host) on it.
BR2="${ID}br2"
lan2() {
	ip netns add "$BR2" || fail "ip netns add $BR2"
	NSES="$NSES $BR2"
	ip -n "$BR2" link add br0 type bridge || fail "bridge 2"
	ip -n "$BR2" link set br0 type bridge mcast_snooping 0
	ip -n "$BR2" link set br0 up
}
host2() {
	ns="$ID$1"
	ip link add "${ns}q" netns "$BR2" type veth peer name eth1 \
	    netns "$ns" || fail "veth 2 for $1"
	ip -n "$BR2" link set "${ns}q" master br0 up
	ip -n "$ns" addr add "198.51.100.$2/24" dev eth1
	ip -n "$ns" addr add "2001:db8:1::$2/64" dev eth1 nodad
	ip -n "$ns" link set eth1 up
}

# pair_yaml VIP [VRID]: the usual pair's configurations, WORK/a.yaml
# (priority 150) and WORK/b.yaml (100): one instance VI_1 on eth0, VRRPv3
# at 100 ms, VRID 51 unless given, VIP/24
pair_yaml() {
	for n in a b; do
		prio=150
		[ $n = b ] && prio=100
		cat >"$WORK/$n.yaml" <<EOC
instances:
  VI_1:
    interface: eth0
    vrid: ${2:-51}
    priority: $prio
    advert_interval: 100ms
    virtual_ipaddress: [$1/24]
EOC
	done
}

# start NAME CONFFILE [vrrpd args]: run vrrpd in host NAME, log and pid
# file in WORK (the namespaces share one file system)
start() {
	name=$1
	conf=$2
	shift 2
	ip netns exec "$(ns "$name")" "$VRRPD" -f "$conf" \
	    -p "$WORK/$name.pid" -S "$WORK/$name.sock" "$@" \
	    >>"$WORK/$name.log" 2>&1 &
	PIDS="$PIDS $!"
	eval "PID_$name=$!"
}

# start_cmd NAME COMMAND...: run any command in host NAME in the
# background, like start, with its output in WORK/NAME.log; the command
# must stay in the foreground (no daemonising) so that its pid is the one
# recorded for pid_of, stop and the teardown.
start_cmd() {
	start_in "$1" "$@"
}

# start_in HOST NAME COMMAND...: the same in HOST's namespace, with the
# output in WORK/NAME.log and the pid recorded as NAME's (a service beside
# a daemon, say)
start_in() {
	ns_of=$1
	name=$2
	shift 2
	ip netns exec "$(ns "$ns_of")" "$@" >"$WORK/$name.log" 2>&1 &
	PIDS="$PIDS $!"
	eval "PID_$name=$!"
}

# stop NAME...: SIGTERM the processes started as NAME..., all at once,
# wait for each (bounded: 5 s) and forget them; fails the test if one
# does not stop.
stop() {
	for n in "$@"; do
		kill -TERM "$(pid_of "$n")" 2>/dev/null
	done
	for n in "$@"; do
		p=$(pid_of "$n")
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -0 "$p" 2>/dev/null &&
		    fail "$n (pid $p) did not stop on SIGTERM"
		wait "$p" 2>/dev/null
		rest=""
		for q in $PIDS; do
			[ "$q" = "$p" ] || rest="$rest $q"
		done
		PIDS=$rest
		eval "PID_$n="
	done
}

pid_of() { eval "echo \$PID_$1"; }

# until TIMEOUT_S COMMAND...: poll COMMAND every 20 ms until it succeeds;
# prints the time it took in ms; fails the test after TIMEOUT_S
until_ok() {
	limit=$1
	shift
	t0=$(date +%s%N)
	end=$((t0 + limit * 1000000000))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$end" ] || return 1
		sleep 0.02
	done
	echo $((($(date +%s%N) - t0) / 1000000))
}

# stays SECONDS COMMAND...: poll COMMAND every 20 ms for SECONDS and fail
# (return 1) the first time it does not succeed: a condition that must hold
# for a while, such as "the master keeps its VIP".
stays() {
	limit=$1
	shift
	end=$(($(date +%s%N) + limit * 1000000000))
	while [ "$(date +%s%N)" -lt "$end" ]; do
		"$@" >/dev/null 2>&1 || return 1
		sleep 0.02
	done
}

# ctl NAME ARGS...: vrrpctl --json against NAME's daemon (in its netns).
ctl() {
	n=$1
	shift
	ip netns exec "$(ns "$n")" "$VRRPCTL" -S "$WORK/$n.sock" --json "$@"
}
# field NAME JQ-FILTER [ARGS...]: one value of `vrrpctl --json ARGS`
# (default: status), e.g. field a '.instances[0].state'.
field() {
	n=$1
	f=$2
	shift 2
	[ $# -gt 0 ] || set -- status
	ctl "$n" "$@" | jq -er "$f"
}
# is NAME JQ-FILTER VALUE [ARGS...]: that value is VALUE (for until_ok).
is() {
	n=$1
	f=$2
	v=$3
	shift 3
	[ "$(field "$n" "$f" "$@")" = "$v" ]
}
# has_addr NAME ADDR [DEV]: ADDR is on DEV (default eth0) in host NAME
has_addr() {
	ip -n "$(ns "$1")" -o addr show dev "${3:-eth0}" | grep -q " $2/"
}
lacks_addr() { ! has_addr "$@"; }
# neigh_mac NAME ADDR: the lladdr of host NAME's neighbour entry for ADDR;
# neigh_is NAME ADDR MAC: it is MAC
neigh_mac() {
	ip -n "$(ns "$1")" neigh show "$2" |
	    awk '{for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1)}'
}
neigh_is() { [ "$(neigh_mac "$1" "$2")" = "$3" ]; }
# ping_ok NAME ADDR: host NAME gets an answer from ADDR within a second
ping_ok() {
	ip netns exec "$(ns "$1")" ping -c 1 -W 1 "$2" >/dev/null 2>&1
}
log_has() { grep -q -- "$2" "$WORK/$1.log"; }

# link_down NAME / link_up NAME: cut or restore the host's bridge port
link_down() { ip -n "$BR" link set "$(ns "$1")p" down; }
link_up() { ip -n "$BR" link set "$(ns "$1")p" up; }
link2_down() { ip -n "$BR2" link set "$(ns "$1")q" down; }
link2_up() { ip -n "$BR2" link set "$(ns "$1")q" up; }

pass() { echo "$T: ok: $*"; }

# finish: stop every daemon (SIGTERM, bounded wait) and fail on any
# AddressSanitizer / UndefinedBehaviorSanitizer report in their logs.
finish() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $PIDS; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -0 "$p" 2>/dev/null && fail "pid $p did not stop on SIGTERM"
	done
	if grep -l -E 'Sanitizer|runtime error:' "$WORK"/*.log >/dev/null; then
		fail "sanitizer report in a daemon log"
	fi
	PIDS=""
}

# ---- packet captures on the bridge ----

# capture_start NAME [FILTER]: tcpdump on the bridge into WORK/NAME.pcap,
# every packet delivered and written at once; returns when tcpdump is
# listening.
capture_start() {
	cname=$1
	shift
	ip netns exec "$BR" tcpdump -i br0 -n -U --immediate-mode -s 256 -w "$WORK/$cname.pcap" \
	    "$@" 2>"$WORK/$cname.tcpdump" &
	PIDS="$PIDS $!"
	eval "PID_cap_$cname=$!"
	until_ok 5 grep -q "listening on" "$WORK/$cname.tcpdump" >/dev/null ||
	    fail "tcpdump did not start on the bridge"
}

# capture_stop NAME: stop the capture (SIGINT flushes it), bounded wait.
capture_stop() {
	p=$(pid_of "cap_$1")
	kill -INT "$p" 2>/dev/null
	until_ok 5 sh -c "! kill -0 $p 2>/dev/null" >/dev/null ||
	    kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rest=""
	for q in $PIDS; do
		[ "$q" = "$p" ] || rest="$rest $q"
	done
	PIDS=$rest
}

# capture_text NAME [FILTER]: the capture decoded, one packet a line, with
# link-level headers (-e) and microsecond timestamps since the epoch.
capture_text() {
	cname=$1
	shift
	tcpdump -r "$WORK/$cname.pcap" -n -e -tt "$@" 2>/dev/null
}

# capture_count NAME PATTERN [FILTER]: packets whose decoded line matches
# the extended regular expression PATTERN.
capture_count() {
	cname=$1
	pat=$2
	shift 2
	capture_text "$cname" "$@" | grep -c -E -- "$pat"
}

# csum_kinds NAME: one line per VRRPv3 advert in the capture, "SOURCE
# KIND", KIND the checksum that verifies: pseudo (with the IPv4
# pseudo-header: source, destination, zero, protocol 112, length),
# message (over the VRRP message only), both or bad. From the hex dump.
csum_kinds() {
	tcpdump -r "$WORK/$1.pcap" -n -x "ip proto 112" 2>/dev/null | awk '
	function hex(s,   i, v) {
		v = 0
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	function fold(s) {
		while (s > 65535)
			s = (s % 65536) + int(s / 65536)
		return s
	}
	function flush(   ihl, tot, i, msum, psum, m, p, src) {
		if (n == 0)
			return
		ihl = (b[0] % 16) * 4
		tot = b[2] * 256 + b[3]
		msum = 0
		for (i = ihl; i < tot; i += 2)
			msum += b[i] * 256 + (i + 1 < tot ? b[i + 1] : 0)
		psum = msum
		for (i = 12; i < 20; i += 2)
			psum += b[i] * 256 + b[i + 1]
		psum += 112 + (tot - ihl)
		m = fold(msum) == 65535
		p = fold(psum) == 65535
		src = b[12] "." b[13] "." b[14] "." b[15]
		if (int(b[ihl] / 16) == 3)
			print src, (m && p ? "both" : m ? "message" : p ? "pseudo" : "bad")
		n = 0
	}
	/^[0-9]/ { flush(); next }
	/^[ \t]+0x[0-9a-f]+:/ {
		for (f = 2; f <= NF; f++)
			for (j = 1; j <= length($f); j += 2)
				b[n++] = hex(substr($f, j, 2))
	}
	END { flush() }'
}
# kinds_are NAME SOURCE KIND: SOURCE sent some adverts in capture NAME,
# all of KIND (with unicast, the pseudo-header holds the real destination:
# the peer); the kinds seen are left in WORK/NAME.kinds
kinds_are() {
	csum_kinds "$1" | grep "^$2 " >"$WORK/$1.kinds"
	grep -q . "$WORK/$1.kinds" &&
	    ! grep -v -q "^$2 $3\$" "$WORK/$1.kinds"
}
