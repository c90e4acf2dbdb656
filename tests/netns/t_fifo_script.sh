#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# keepalived's notify FIFO scripts, in keepalived.conf syntax: vrrpd makes
# the missing FIFOs, runs vrrp_notify_fifo_script and notify_fifo_script
# with the FIFO's path appended, and they get every state line from the
# first, the priority lines of vrrp_notify_priority_changes, and at a stop
# the STOP lines, SIGTERM and the end of the file; then the FIFOs vrrpd
# made are gone. notify_fifo_script is keepalived's own sample script,
# unchanged.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
SAMPLE=/usr/share/doc/keepalived/samples/sample_notify_fifo.sh.gz
[ -r "$SAMPLE" ] || fail "no $SAMPLE (Debian's keepalived: make bootstrap)"
# The sample logs to /tmp/FIFONAME.log and locks /run/FIFONAME.pid.
ALL="vrrpd-$T-$$.fifo"
trap 'rm -f "/tmp/$ALL.log" "/run/$ALL.pid"; cleanup' EXIT

lan
host a 1
# The reader: every line, then "EOF"; SIGTERM ignored so that it reads on.
cat >"$WORK/reader.sh" <<EOS
#!/bin/sh
trap '' TERM
while read -r line; do echo "\$line" >>"$WORK/lines"; done <"\$1"
echo EOF >>"$WORK/lines"
EOS
zcat "$SAMPLE" >"$WORK/sample_notify_fifo.sh"
chmod 755 "$WORK/reader.sh" "$WORK/sample_notify_fifo.sh"
echo 0 >"$WORK/maint"
cat >"$WORK/a.conf" <<EOC
global_defs {
	vrrp_version 3
	script_user root
	vrrp_notify_fifo "$WORK/vrrp.fifo"
	vrrp_notify_fifo_script "$WORK/reader.sh"
	notify_fifo "$WORK/$ALL"
	notify_fifo_script "$WORK/sample_notify_fifo.sh"
	vrrp_notify_priority_changes
}
track_file maint {
	file "$WORK/maint"
	weight -10
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 150
	advert_int 0.1
	track_file {
		maint
	}
	virtual_ipaddress {
		$VIP/24
	}
}
EOC
start a "$WORK/a.conf"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
[ -p "$WORK/vrrp.fifo" ] || fail "vrrpd did not make the FIFO"
log_has a "vrrp_notify_fifo_script: started (pid [0-9]*) reading $WORK/vrrp.fifo" ||
    fail "no line about the script"
# 150 - 2 * 10 while master: a MASTER_PRIORITY line
echo 2 >"$WORK/maint.new" && mv "$WORK/maint.new" "$WORK/maint"
until_ok 3 is a '.instances[0].priority.effective' 130 >/dev/null ||
    fail "the track file did not move the priority"
until_ok 3 grep -q "MASTER_PRIORITY" "$WORK/lines" >/dev/null ||
    fail "no priority line: $(cat "$WORK/lines")"
# a reload that keeps the FIFOs keeps their scripts
kill -HUP "$PID_a"
until_ok 3 log_has a "reload: 1 kept" >/dev/null || fail "no reload"
[ "$(grep -c 'fifo_script: started' "$WORK/a.log")" = 2 ] ||
    fail "a reload restarted a FIFO script"
stop a
until_ok 5 grep -q '^EOF$' "$WORK/lines" >/dev/null ||
    fail "the reader saw no end of file: $(cat "$WORK/lines")"
printf '%s\n' 'INSTANCE "VI_1" BACKUP 150' 'INSTANCE "VI_1" MASTER 150' \
    'INSTANCE "VI_1" MASTER_PRIORITY 130' 'INSTANCE "VI_1" STOP 130' EOF \
    >"$WORK/want"
diff "$WORK/want" "$WORK/lines" >"$WORK/diff" ||
    fail "the reader's lines: $(cat "$WORK/diff")"
pass "vrrp_notify_fifo_script read every line, the priority's too, to the end"
[ ! -e "$WORK/vrrp.fifo" ] && [ ! -e "$WORK/$ALL" ] ||
    fail "the FIFOs vrrpd made are still there"
pass "the FIFOs vrrpd made are gone"
# keepalived's sample logs each line as "DATE: [PPID:PID] INSTANCE VI_1
# MASTER 150" and ends on its own (SIGTERM, or the FIFO gone)
for want in "INSTANCE VI_1 BACKUP 150" "INSTANCE VI_1 MASTER 150" \
    "INSTANCE VI_1 MASTER_PRIORITY 130" "INSTANCE VI_1 STOP 130"; do
	until_ok 3 grep -q "] $want\$" "/tmp/$ALL.log" >/dev/null ||
	    fail "sample script: no \"$want\": $(cat "/tmp/$ALL.log")"
done
sample=$(sed -n 's/^notify_fifo_script: started (pid \([0-9]*\)).*/\1/p' \
    "$WORK/a.log")
[ -n "$sample" ] || fail "no pid of the sample script in the log"
until_ok 5 sh -c "! kill -0 $sample 2>/dev/null" >/dev/null ||
    fail "keepalived's sample script (pid $sample) still runs"
pass "keepalived's sample_notify_fifo.sh, unchanged, logged them and ended"
finish
