#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The start of the daemon, as keepalived users meet it: vrrpd -t prints
# exactly the warnings the daemon prints at start (the file's, and the
# host's such as scripts falling back to root), from the same code; and a
# daemon stopped while its instances still wait to start stops without
# saying "ready" (it used to log it after "signal 2: stopping").
. "$(dirname "$0")/lib.sh"

lan
host a 1
cat >"$WORK/a.conf" <<EOC
global_defs {
	vrrp_version 3
	smtp_alert
}
vrrp_script idle {
	script /bin/true
}
vrrp_instance VI_1 {
	interface eth0
	virtual_router_id 51
	priority 150
	advert_int 0.1
	mcast_src_ip 192.0.2.1/24
	track_interface {
		eth0 weight 50
	}
	notify_master /bin/true
	virtual_ipaddress {
		192.0.2.100/24
	}
}
EOC
"$VRRPD" -t -f "$WORK/a.conf" >"$WORK/t.out" 2>&1 || fail "vrrpd -t failed"
grep -v ': configuration OK$' "$WORK/t.out" >"$WORK/t.warnings"
start a "$WORK/a.conf"
until_ok 5 log_has a "ready, 1 instance" >/dev/null || fail "a never ready"
sed '/ starting, 1 instance from /,$d' "$WORK/a.log" >"$WORK/a.warnings"
diff "$WORK/t.warnings" "$WORK/a.warnings" >"$WORK/diff" ||
    fail "vrrpd -t and the daemon's start differ: $(cat "$WORK/diff")"
for w in "smtp_alert: ignored" "mcast_src_ip: 192.0.2.1/24: prefix length /24 ignored" \
    "(VI_1) Ignoring track_interface eth0 since own interface" \
    "check idle is tracked by no instance"; do
	grep -qF "$w" "$WORK/t.warnings" || fail "vrrpd -t did not say \"$w\""
done
if ! id vrrpd-script >/dev/null 2>&1 && ! id keepalived_script >/dev/null 2>&1
then
	grep -q '^vrrpd: warning: no script_user, and neither vrrpd-script nor keepalived_script exists: scripts run as root' \
	    "$WORK/t.warnings" || fail "no warning about the root fallback"
fi
pass "vrrpd -t printed the $(grep -c . "$WORK/t.warnings") warnings the daemon printed at start"
# own interface ignored: 150, not 200
[ "$(field a '.instances[0].priority.effective')" = 150 ] ||
    fail "priority $(field a '.instances[0].priority.effective'), not 150"
stop a

# Stopped during its start-up: instances held by vrrp_startup_delay
sed 's/^	smtp_alert$/	vrrp_startup_delay 5/' "$WORK/a.conf" >"$WORK/b.conf"
start a "$WORK/b.conf"
until_ok 5 log_has a "startup delay: starting in 5000 ms" >/dev/null ||
    fail "a did not start waiting"
kill -INT "$PID_a"
until_ok 5 sh -c "! kill -0 $PID_a 2>/dev/null" >/dev/null ||
    fail "a did not stop on SIGINT"
sed -n '/startup delay: starting in 5000 ms/,$p' "$WORK/a.log" >"$WORK/tail"
grep -q "signal 2: stopping" "$WORK/tail" || fail "no stop line"
grep -q "vrrpd stopped" "$WORK/tail" || fail "no end line"
grep -q " ready, " "$WORK/tail" && fail "\"ready\" after the stop: $(cat "$WORK/tail")"
pass "stopped during the start-up: no \"ready\""
PIDS=""
finish
