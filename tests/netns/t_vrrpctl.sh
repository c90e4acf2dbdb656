#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# vrrpctl against two live daemons, a from native YAML (a TCP check, a
# control group, the metrics listener), b from keepalived.conf (a
# vrrp_script): status with its why line, stats and --clear, checks,
# metrics on the socket and over HTTP, each passed through promtool's
# linter (Debian's prometheus package), reload (accepted and rejected with
# FILE:LINE:COL), demote/promote and a timed demotion, debug; a non-root
# user's refusals; malformed and oversized requests answered with an
# error while the daemon goes on; no daemon at all.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
RAW=$TOOLS/ctl_raw
[ -x "$RAW" ] || fail "no $RAW (make builds tests/tools)"
[ -x "$VRRPCTL" ] || fail "no vrrpctl binary at $VRRPCTL"
command -v promtool >/dev/null ||
    fail "no promtool: install Debian's prometheus package (tools/bootstrap)"

# lint FILE WHAT: promtool check metrics on an exposition; on a complaint
# the scenario fails with promtool's own words.
lint() {
	promtool check metrics <"$1" >"$1.lint" 2>&1 ||
	    fail "promtool check metrics on $2: $(cat "$1.lint")"
}
lan
host a 1
host b 2
# a's check: a TCP service on 127.0.0.1 inside a's namespace.
start_in a svc "$TOOLS/tcp_listen" 127.0.0.1 8080 120
cat >"$WORK/a.yaml" <<EOC
global:
  router_id: lvs-a
  control_group: nogroup
  metrics_listen: 127.0.0.1:9650
checks:
  svc: { type: tcp, connect: "127.0.0.1:8080", interval: 200ms,
         timeout: 100ms, rise: 1, fall: 1 }
instances:
  VI_1:
    interface: eth0
    vrid: 51
    priority: 150
    advert_interval: 100ms
    virtual_ipaddress: [$VIP/24]
    track:
      - { check: svc, weight: -60 }
EOC
cat >"$WORK/b.conf" <<EOC
global_defs {
	router_id lvs-b
	vrrp_version 3
	script_user root
}
vrrp_script chk_true {
	script "/bin/true"
	interval 0.2
	weight 10
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 90
	advert_int 0.1
	virtual_ipaddress {
		$VIP/24
	}
	track_script {
		chk_true
	}
}
EOC
# The sockets live in WORK: nobody must reach them to be refused.
chmod 0755 "$WORK"
# a first: its Master_Down_Interval is only 20 ms shorter than b's, less
# than two daemons started together may differ by (under ASan, b won that
# race once and a preempted it), and a's last transition is asserted below.
start a "$WORK/a.yaml"
ms=$(until_ok 5 is a '.instances[0].state' MASTER) ||
    fail "a never reported MASTER"
start b "$WORK/b.conf"
until_ok 3 is b '.instances[0].master.address' 192.0.2.1 >/dev/null ||
    fail "b never heard a as master"
pass "status: a MASTER after $ms ms, b follows 192.0.2.1"

# ---- status, both syntaxes
[ "$(field a '.daemon.router_id')" = lvs-a ] || fail "a's router_id"
[ "$(field a '.instances[0].priority.effective')" = 150 ] ||
    fail "a's effective priority"
[ "$(field a '.instances[0].vips[0].present')" = true ] ||
    fail "a's VIP not present in status"
[ "$(field b '.instances[0].vips[0].present')" = false ] ||
    fail "b's VIP present in status"
[ "$(field b '.instances[0].priority.effective')" = 100 ] ||
    fail "b's priority is not 90 + script weight 10"
[ "$(field b '.instances[0].priority.parts[0].name')" = chk_true ] ||
    fail "b's breakdown lacks the script"
why=$(field b '.instances[0].why')
[ "$why" = "current master 192.0.2.1 priority 150 > ours 100" ] ||
    fail "b's why line: $why"
field b '.instances[0].master_down_in_ms | numbers' >/dev/null ||
    fail "b has no master down deadline"
field a '.instances[0].last_transition.reason' | grep -q "master down" ||
    fail "a's last transition"
ctl a status VI_2 >"$WORK/none.json" && fail "status of an unknown instance"
[ "$(jq -r .error.code "$WORK/none.json")" = no_instance ] ||
    fail "no no_instance error"
ip netns exec "$(ns a)" "$VRRPCTL" -S "$WORK/a.sock" status >"$WORK/st.txt" ||
    fail "vrrpctl status (table) failed"
grep -q "VI_1.*MASTER" "$WORK/st.txt" || fail "no MASTER row in the table"
awk 'length > 80 { exit 1 }' "$WORK/st.txt" || fail "status wider than 80"
pass "status: fields, why line, table, unknown instance (b: $why)"

# ---- stats
until_ok 2 sh -c "[ \$(ip netns exec $(ns b) $VRRPCTL -S $WORK/b.sock \
    --json stats | jq .instances[0].counters.advert_rcvd) -gt 5 ]" \
    >/dev/null || fail "b counts no adverts received"
[ "$(field a '.instances[0].counters.become_master' stats)" = 1 ] ||
    fail "a's become_master"
[ "$(field a '.counter_info.advert_rcvd.mib' stats)" = \
    vrrpv3StatisticsAdvertisementRcvd ] || fail "no MIB names"
field a '.loop.lag_max_us | numbers' stats >/dev/null || fail "no loop lag"
sent=$(field a '.instances[0].counters.advert_sent' stats --clear)
[ "$sent" -gt 5 ] || fail "a sent $sent adverts"
after=$(field a '.instances[0].counters.advert_sent' stats)
[ "$after" -lt "$sent" ] || fail "stats --clear: $after after $sent"
pass "stats: counters, MIB names, loop lag; --clear ($sent -> $after)"

# ---- checks
[ "$(field a '.checks[0].state' checks)" = up ] || fail "a's check not up"
[ "$(field a '.checks[0].feeds[0].weight' checks)" = -60 ] ||
    fail "a's check feeds VI_1 with -60"
[ "$(field b '.checks[0].kind' checks)" = script ] || fail "b's script"
stop svc
until_ok 3 is a '.checks[0].result' "connection refused" checks \
    >/dev/null || fail "a's check result after the service stopped"
until_ok 3 is b '.instances[0].state' MASTER >/dev/null ||
    fail "b did not take over when a's check failed"
why=$(field a '.instances[0].why')
[ "$why" = "current master 192.0.2.2 priority 100 > ours 90" ] ||
    fail "a's why after the check failed: $why"
pass "checks: state, feeds, result; a's why: $why"
start_in a svc "$TOOLS/tcp_listen" 127.0.0.1 8080 120
until_ok 3 is a '.instances[0].state' MASTER >/dev/null ||
    fail "a did not preempt back"

# ---- metrics, on the socket and over HTTP
field a '.text' metrics >"$WORK/m.txt" || fail "vrrpctl metrics"
grep -q '^vrrpd_instance_state{instance="VI_1",state="MASTER"} 1$' \
    "$WORK/m.txt" || fail "no MASTER state gauge"
grep -q '^vrrpd_check_up{check="svc",kind="tcp"} 1$' "$WORK/m.txt" ||
    fail "no check gauge"
lint "$WORK/m.txt" "a's vrrpctl metrics"
ip netns exec "$(ns a)" curl -sf -m 5 http://127.0.0.1:9650/metrics \
    >"$WORK/h.txt" || fail "GET /metrics failed"
grep -q '^vrrpd_adverts_sent_total{instance="VI_1"} [0-9]' "$WORK/h.txt" ||
    fail "no advert counter over HTTP"
lint "$WORK/h.txt" "a's GET /metrics"
code=$(ip netns exec "$(ns a)" curl -s -o /dev/null -w '%{http_code}' \
    -m 5 http://127.0.0.1:9650/other)
[ "$code" = 404 ] || fail "GET /other gave $code"
pass "metrics: $(grep -c '^vrrpd' "$WORK/h.txt") samples over HTTP;" \
    "promtool check metrics clean on both"

# ---- reload: rejected with its position, then accepted
cp "$WORK/a.yaml" "$WORK/a.good"
echo "    priority: high" >>"$WORK/a.yaml"
ip netns exec "$(ns a)" "$VRRPCTL" -S "$WORK/a.sock" reload \
    >"$WORK/rl.out" 2>"$WORK/rl.err" && fail "a bad reload succeeded"
grep -q "a.yaml:[0-9]*:[0-9]*: error:" "$WORK/rl.err" ||
    fail "the rejected reload did not print FILE:LINE:COL"
[ "$(field a '.instances[0].state')" = MASTER ] ||
    fail "a changed state on a rejected reload"
[ "$(field a '.daemon.last_reload.ok')" = false ] ||
    fail "status does not show the rejected reload"
cp "$WORK/a.good" "$WORK/a.yaml"
[ "$(field a '.reload.kept' reload)" = 1 ] || fail "good reload"
pass "reload: rejected with $(head -n 1 "$WORK/rl.err"); then 1 kept"

# ---- demote, promote, timed demotion
[ "$(field a '.instances[0]' demote VI_1)" = VI_1 ] || fail "demote"
ms=$(until_ok 3 has_addr b $VIP) || fail "b did not take over on demote"
until_ok 2 lacks_addr a $VIP >/dev/null || fail "a kept the VIP"
[ "$(field a '.instances[0].priority.effective')" = 1 ] ||
    fail "a's demoted priority"
field a '.instances[0].why' | grep -q "^demoted; " ||
    fail "a's why does not say demoted"
pass "demote: b took over after $ms ms"
field a '.instances' promote --all >/dev/null || fail "promote"
ms=$(until_ok 3 has_addr a $VIP) || fail "a did not preempt after promote"
pass "promote: a back after $ms ms"
field a '.instances' demote --all --for 1s >/dev/null || fail "timed demote"
until_ok 3 has_addr b $VIP >/dev/null || fail "no takeover on timed demote"
ms=$(until_ok 4 has_addr a $VIP) || fail "the timed demotion never ended"
log_has a "(VI_1) demotion ended" || fail "no log line for the end"
pass "a 1 s demotion ended by itself: a back $ms ms after b took over"

# a demotion survives a reload that re-creates the instance
field a '.instances' demote VI_1 >/dev/null || fail "demote before reload"
until_ok 3 has_addr b $VIP >/dev/null || fail "no takeover before reload"
sed 's/advert_interval: 100ms/advert_interval: 200ms/' "$WORK/a.good" \
    >"$WORK/a.yaml"
[ "$(field a '.reload.recreated' reload)" = 1 ] || fail "not re-created"
log_has a "(VI_1) still demoted after the reload" || fail "no carry line"
field a '.instances[0].demoted' >/dev/null || fail "demotion lost"
stays 1 lacks_addr a $VIP || fail "a took the VIP back after the reload"
field a '.instances' promote VI_1 >/dev/null || fail "promote after reload"
until_ok 3 has_addr a $VIP >/dev/null || fail "a not back after promote"
cp "$WORK/a.good" "$WORK/a.yaml"
[ "$(field a '.reload.recreated' reload)" = 1 ] || fail "reload back"
# re-created, a is backup at first and preempts after Master_Down_Interval
until_ok 3 is a '.instances[0].state' MASTER >/dev/null ||
    fail "a not master after the reload back"
pass "a demotion survives a reload that re-creates the instance"

# ---- debug
[ "$(field a '.enabled | join(",")' debug fsm on)" = fsm ] ||
    fail "debug fsm on"
[ "$(field a '.enabled | length' debug fsm off)" = 0 ] || fail "debug off"
pass "debug: fsm on, then off"

# ---- the same commands on b, from keepalived.conf
[ "$(field b '.reload.kept' reload)" = 1 ] || fail "b's reload"
field b '.text' metrics >"$WORK/mb.txt" || fail "b's vrrpctl metrics"
grep -q '^vrrpd_instance_state{instance="VI_1",state="BACKUP"} 1$' \
    "$WORK/mb.txt" || fail "b's metrics"
lint "$WORK/mb.txt" "b's vrrpctl metrics"
field b '.instances[0]' demote VI_1 >/dev/null || fail "b's demote"
[ "$(field b '.instances[0].priority.effective')" = 1 ] ||
    fail "b's demoted priority"
field b '.instances[0].why' | grep -q "^demoted; current master 192.0.2.1" ||
    fail "b's why when demoted"
[ "$(field b '.instances[0]' promote VI_1)" = VI_1 ] || fail "b's promote"
[ "$(field b '.instances[0].priority.effective')" = 100 ] ||
    fail "b's priority after promote"
[ "$(field b '.enabled[0]' debug ctl on)" = ctl ] || fail "b's debug"
has_addr a $VIP || fail "a lost the VIP while b was steered"
pass "keepalived.conf: reload, metrics, demote, promote, debug on b"

# ---- a non-root user
asnobody() {
	ip netns exec "$(ns "$1")" setpriv --reuid=65534 --regid=65534 \
	    --clear-groups "$VRRPCTL" -S "$WORK/$1.sock" --json "$2"
}
asnobody a status >"$WORK/n.json" || fail "nobody (nogroup) cannot read a"
[ "$(jq -r .instances[0].state "$WORK/n.json")" = MASTER ] ||
    fail "nobody's status"
asnobody a reload >"$WORK/n.json"
rc=$?
[ $rc -eq 4 ] || fail "nobody's reload exited $rc, not 4"
[ "$(jq -r .error.code "$WORK/n.json")" = permission ] ||
    fail "nobody's reload not refused with permission"
asnobody b status >"$WORK/n.json" 2>"$WORK/n.err"
rc=$?
[ $rc -eq 4 ] || fail "nobody reading b (no group) exited $rc"
log_has a "refused: permission" || fail "a did not log the refusal"
pass "nobody: reads a (control_group), refused reload (4), refused on b"

# ---- malformed and oversized requests
printf 'status please\n' | ip netns exec "$(ns a)" "$RAW" "$WORK/a.sock" \
    >"$WORK/r.json" || fail "no reply to garbage"
[ "$(jq -r .error.code "$WORK/r.json")" = bad_json ] || fail "garbage"
head -c 20000 /dev/zero | tr '\0' ' ' |
    ip netns exec "$(ns a)" "$RAW" "$WORK/a.sock" >"$WORK/r.json" ||
    fail "no reply to an oversized request"
[ "$(jq -r .error.code "$WORK/r.json")" = too_big ] || fail "oversized"
printf '{"v":1,"cmd":"demote","instance":"VI_1","all":true}' |
    ip netns exec "$(ns a)" "$RAW" "$WORK/a.sock" >"$WORK/r.json"
[ "$(jq -r .error.code "$WORK/r.json")" = bad_argument ] ||
    fail "demote with both instance and all"
[ "$(field a '.instances[0].state')" = MASTER ] ||
    fail "a is not master after the bad requests"
lacks_addr b $VIP || fail "b took the VIP during the bad requests"
pass "bad requests: bad_json, too_big, bad_argument; a still master"

# ---- no daemon
ip netns exec "$(ns a)" "$VRRPCTL" -S "$WORK/none.sock" status \
    >"$WORK/nd.out" 2>"$WORK/nd.err"
rc=$?
[ $rc -eq 3 ] || fail "no daemon: exit $rc, not 3"
[ "$(wc -l <"$WORK/nd.err")" -eq 1 ] && grep -q "not running" "$WORK/nd.err" ||
    fail "no daemon: $(cat "$WORK/nd.err")"
pass "no daemon: $(cat "$WORK/nd.err") (exit 3)"
finish
pass "daemons stopped cleanly"
