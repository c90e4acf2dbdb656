#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A sync group as LVS-NAT directors run one: EXT (the service VIP on the
# outside LAN) and INT (the real servers' gateway on the inside LAN) in
# one vrrp_sync_group, so that both always sit on the same director. lvs-a
# (YAML, priority 150) and lvs-b (keepalived.conf, 100). A cut of either
# of a's LANs (its link loses carrier) faults that member, the group
# follows it into FAULT, and b takes both VIPs; when the link returns a
# preempts both back, together. Without the group only the cut LAN's VIP
# would move and NAT traffic would be black-holed. b's group scripts and
# FIFO hear every move of the group, GROUP where an instance says
# INSTANCE, as keepalived writes them.
. "$(dirname "$0")/lib.sh"

EXT=192.0.2.100
INT=198.51.100.100
lan
lan2
host a 1
host b 2
host2 a 1
host2 b 2

cat >"$WORK/a.yaml" <<EOC
global:
  router_id: lvs-a
instances:
  EXT:
    interface: eth0
    vrid: 61
    priority: 150
    advert_interval: 100ms
    virtual_ipaddress: [$EXT/24]
  INT:
    interface: eth1
    vrid: 62
    priority: 150
    advert_interval: 100ms
    virtual_ipaddress: [$INT/24]
sync_groups:
  LVS:
    members: [EXT, INT]
EOC
cat >"$WORK/note.sh" <<EOS
#!/bin/sh
echo "\$* env=\$VRRPD_GROUP" >>"$WORK/notes"
EOS
chmod 755 "$WORK/note.sh"
mkfifo "$WORK/fifo"
start_in b fifo sh -c "exec cat <'$WORK/fifo' >'$WORK/fifo.out'"
cat >"$WORK/b.conf" <<EOC
global_defs {
	router_id lvs-b
	script_user root
	vrrp_notify_fifo "$WORK/fifo"
}
vrrp_sync_group LVS {
	group {
		EXT
		INT
	}
	notify_master "$WORK/note.sh own master"
	notify_backup "$WORK/note.sh own backup"
	notify "$WORK/note.sh generic"
}
vrrp_instance EXT {
	state BACKUP
	interface eth0
	virtual_router_id 61
	priority 100
	advert_int 0.1
	version 3
	virtual_ipaddress {
		$EXT/24
	}
}
vrrp_instance INT {
	state BACKUP
	interface eth1
	virtual_router_id 62
	priority 100
	advert_int 0.1
	version 3
	virtual_ipaddress {
		$INT/24
	}
}
EOC

# holds NAME: NAME has both VIPs; none NAME: neither
holds() { has_addr "$1" $EXT && has_addr "$1" $INT eth1; }
none() { lacks_addr "$1" $EXT && lacks_addr "$1" $INT eth1; }
a_holds() { holds a && none b; }
b_holds() { holds b && none a; }
state_of() { field "$1" ".instances[] | select(.name == \"$2\") | .state"; }

start a "$WORK/a.yaml"
until_ok 5 holds a >/dev/null || fail "a did not take both VIPs"
start b "$WORK/b.conf"
until_ok 5 sh -c "[ \"\$(ip netns exec $(ns b) $VRRPCTL -S $WORK/b.sock \
    --json status | jq -r '[.instances[].state] | unique | join(\",\")')\" = \
    BACKUP ]" >/dev/null || fail "b's members are not both backup"
stays 1 a_holds || fail "the VIPs moved at b's start"
log_has a "sync group LVS: BACKUP -> MASTER" ||
    fail "a did not log the group's mastership"
ip netns exec "$(ns a)" "$VRRPCTL" -S "$WORK/a.sock" status |
    grep -q "group: LVS MASTER" || fail "vrrpctl status shows no group"
pass "a holds EXT and INT, b backs both up"

# cut: a's LAN (link_down / link2_down) loses carrier
cut() {
	what=$1
	"$2" a
	ms=$(until_ok 3 b_holds) ||
	    fail "$what cut: the VIPs did not move together to b"
	for i in EXT INT; do
		[ "$(state_of a $i)" = FAULT ] ||
		    fail "$what cut: a's $i is $(state_of a $i), not FAULT"
	done
	other=$(field a '.instances[] | select(.name != "'"$what"'") | .name')
	field a '.instances[] | select(.name == "'"$other"'") | .why' |
	    grep -q -x "fault: sync group LVS: $what is in FAULT" ||
	    fail "$what cut: a's $other: $(ctl a status | jq -c \
	    '.instances[] | {name, faults, sync_group, why}')"
	field a '.instances[] | select(.name == "'"$other"'") |
	    .sync_group | "\(.state) \(.held_by)"' | grep -q -x "FAULT $what" ||
	    fail "$what cut: a's status does not name $what as the cause"
	log_has a "sync group LVS: MASTER -> FAULT" ||
	    fail "$what cut: a did not log the group's fault"
	stays 1 b_holds || fail "$what cut: b did not keep both VIPs"
	pass "$what LAN cut on a: both VIPs on b after $ms ms, a's group FAULT"
	"$3" a
	ms=$(until_ok 5 a_holds) ||
	    fail "$what back: a did not preempt both back"
	stays 1 a_holds || fail "$what back: the VIPs did not stay on a"
	pass "$what LAN back: a preempted both VIPs back after $ms ms"
}
cut INT link2_down link2_up
cut EXT link_down link_up

# b's group notifications: start, two takeovers, two hand-backs, the stop
stop b
generics() { grep -c "^generic GROUP LVS" "$WORK/notes"; }
until_ok 5 sh -c "[ \$(grep -c '^generic GROUP LVS' '$WORK/notes') -ge 6 ]" \
    >/dev/null || fail "b's group notifications: $(cat "$WORK/notes")"
grep "^generic" "$WORK/notes" >"$WORK/got"
cat >"$WORK/want" <<EOW
generic GROUP LVS BACKUP 0 env=LVS
generic GROUP LVS MASTER 0 env=LVS
generic GROUP LVS BACKUP 0 env=LVS
generic GROUP LVS MASTER 0 env=LVS
generic GROUP LVS BACKUP 0 env=LVS
generic GROUP LVS STOP 0 env=LVS
EOW
diff "$WORK/want" "$WORK/got" >"$WORK/diff" ||
    fail "b's group notifications: $(cat "$WORK/diff")"
[ "$(grep -c "^own master env=LVS" "$WORK/notes")" -eq 2 ] ||
    fail "notify_master of the group: $(cat "$WORK/notes")"
until_ok 3 grep -q '^GROUP "LVS" MASTER 0$' "$WORK/fifo.out" >/dev/null ||
    fail "no group line in the FIFO: $(cat "$WORK/fifo.out")"
grep -q '^INSTANCE "EXT" MASTER 100$' "$WORK/fifo.out" ||
    fail "no member line in the FIFO: $(cat "$WORK/fifo.out")"
pass "b's group scripts and FIFO followed the group: BACKUP, MASTER twice, STOP"
finish
