#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A sync group across vrrpd and keepalived (/usr/sbin/keepalived, -P):
# both run EXT (outside LAN) and INT (inside LAN) in one vrrp_sync_group,
# the same keepalived.conf text but the priorities. Two runs: (a) vrrpd
# the master: a cut of its inside LAN moves both VIPs to keepalived, and
# vrrpd preempts both back when the link returns; (b) keepalived the
# master: the same cut on keepalived's side moves both to vrrpd and back.
# Neither side ever holds one VIP of the pair without the other for long.
. "$(dirname "$0")/lib.sh"

KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
[ -x "$KEEPALIVED" ] ||
    fail "no keepalived at $KEEPALIVED (the project's bootstrap installs it)"

EXT=192.0.2.100
INT=198.51.100.100
lan
lan2
host k 1 # keepalived
host v 2 # vrrpd
host2 k 1
host2 v 2

# conf NAME PRIORITY: the sync group pair, keepalived syntax
conf() {
	cat >"$WORK/$1.conf" <<EOC
global_defs {
	router_id $1
}
vrrp_sync_group LVS {
	group {
		EXT
		INT
	}
}
vrrp_instance EXT {
	state BACKUP
	interface eth0
	virtual_router_id 63
	priority $2
	advert_int 0.1
	version 3
	virtual_ipaddress {
		$EXT/24
	}
}
vrrp_instance INT {
	state BACKUP
	interface eth1
	virtual_router_id 64
	priority $2
	advert_int 0.1
	version 3
	virtual_ipaddress {
		$INT/24
	}
}
EOC
}
# keepalived on k as in t_keepalived_interop.sh: foreground, VRRP only,
# no respawn, console log, every pid file in WORK
ka() {
	start_cmd k "$KEEPALIVED" -n -P -R -l -D -f "$WORK/k.conf" \
	    -p "$WORK/k.pid" -r "$WORK/k-vrrp.pid" -c "$WORK/k-chk.pid" \
	    -b "$WORK/k-bfd.pid"
}
holds() { has_addr "$1" $EXT && has_addr "$1" $INT eth1; }
none() { lacks_addr "$1" $EXT && lacks_addr "$1" $INT eth1; }
# only NAME OTHER: NAME holds both VIPs, OTHER neither
only() { holds "$1" && none "$2"; }

# run MASTER BACKUP: start, check MASTER holds both, cut and restore
# MASTER's inside LAN
run() {
	m=$1 o=$2
	if [ "$m" = v ]; then
		start v "$WORK/v.conf"
		until_ok 5 only v k >/dev/null || fail "vrrpd did not take both"
		ka
	else
		ka
		until_ok 8 only k v >/dev/null ||
		    fail "keepalived did not take both"
		start v "$WORK/v.conf"
	fi
	stays 2 only "$m" "$o" || fail "$m lost a VIP when $o started"
	link2_down "$m"
	ms=$(until_ok 5 only "$o" "$m") ||
	    fail "$m's inside LAN cut: the pair did not move to $o"
	stays 1 only "$o" "$m" || fail "$o did not keep both"
	pass "$m master, inside LAN cut: both VIPs on $o after $ms ms"
	link2_up "$m"
	ms=$(until_ok 8 only "$m" "$o") ||
	    fail "$m's inside LAN back: the pair did not return"
	stays 1 only "$m" "$o" || fail "$m did not keep both"
	pass "$m's inside LAN back: both VIPs on $m again after $ms ms"
	stop v k
}

conf v 150
conf k 100
run v k
grep -q "sync group LVS: MASTER -> FAULT" "$WORK/v.log" ||
    fail "vrrpd did not log its group's fault"
masters() { grep -c "sync group LVS: BACKUP -> MASTER" "$WORK/v.log"; }
before=$(masters)
conf v 100
conf k 150
run k v
[ "$(masters)" -gt "$before" ] ||
    fail "vrrpd did not log its group's mastership in the second run"
finish
