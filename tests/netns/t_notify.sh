#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# keepalived-compatible notifications, in keepalived.conf syntax: the
# notify_backup / notify_master / notify_stop scripts with their own
# arguments, the generic notify script with "INSTANCE NAME STATE PRIORITY"
# appended and the state in its environment, and the notify FIFO line
# format; in the order of the transitions, one script at a time, each
# exit logged with its status. The FIFO's reader comes late: the lines
# written before it are kept, as keepalived keeps them.
. "$(dirname "$0")/lib.sh"

VIP=192.0.2.100
lan
host a 1
cat >"$WORK/note.sh" <<EOS
#!/bin/sh
echo "\$* env=\$VRRPD_STATE/\$VRRPD_PRIORITY" >>"$WORK/notes"
EOS
chmod 755 "$WORK/note.sh"
mkfifo "$WORK/fifo"
cat >"$WORK/a.conf" <<EOC
global_defs {
	vrrp_version 3
	script_user root
	vrrp_notify_fifo "$WORK/fifo"
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 150
	advert_int 0.1
	virtual_ipaddress {
		$VIP/24
	}
	notify_backup "$WORK/note.sh own backup"
	notify_master "$WORK/note.sh own master"
	notify_stop "$WORK/note.sh own stop"
	notify "$WORK/note.sh generic"
}
EOC
start a "$WORK/a.conf"
until_ok 5 has_addr a $VIP >/dev/null || fail "a never became master"
until_ok 3 sh -c "[ \$(grep -c . '$WORK/notes' 2>/dev/null) -ge 4 ]" \
    >/dev/null || fail "the four notifications did not all run"
# the FIFO's reader comes only now: the BACKUP and MASTER lines written
# before it waited in the FIFO (keepalived opens it read-write too)
start_in a fifo sh -c "exec cat <'$WORK/fifo'"
until_ok 3 sh -c "[ \$(grep -c . '$WORK/fifo.log' 2>/dev/null) -ge 2 ]" \
    >/dev/null || fail "the lines written before the reader came are lost: $(cat "$WORK/fifo.log")"
stop a
until_ok 3 sh -c "[ \$(grep -c . '$WORK/notes') -ge 6 ]" >/dev/null ||
    fail "no stop notifications: $(cat "$WORK/notes")"
cat >"$WORK/want" <<EOW
own backup env=BACKUP/150
generic INSTANCE VI_1 BACKUP 150 env=BACKUP/150
own master env=MASTER/150
generic INSTANCE VI_1 MASTER 150 env=MASTER/150
own stop env=STOP/150
generic INSTANCE VI_1 STOP 150 env=STOP/150
EOW
diff "$WORK/want" "$WORK/notes" >"$WORK/diff" ||
    fail "notifications out of order or wrong: $(cat "$WORK/diff")"
pass "scripts ran in order: backup, master, stop, each own then generic"
log_has a "(VI_1) notify_master MASTER: exit 0 after [0-9]* ms" ||
    fail "no exit status logged"
until_ok 2 sh -c "[ \$(grep -c . '$WORK/fifo.log') -ge 3 ]" >/dev/null ||
    fail "FIFO lines missing: $(cat "$WORK/fifo.log")"
printf 'INSTANCE "VI_1" BACKUP 150\nINSTANCE "VI_1" MASTER 150\nINSTANCE "VI_1" STOP 150\n' >"$WORK/want"
diff "$WORK/want" "$WORK/fifo.log" >"$WORK/diff" ||
    fail "FIFO lines: $(cat "$WORK/diff")"
pass "the FIFO got keepalived's lines in order, those before its reader came too"
finish
