#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# ZooKeeper test library for the registry scenarios, sourced after
# tests/netns/lib.sh: a second bridge for a management LAN
# (198.51.100.0/24) beside the VRRP service LAN (192.0.2.0/24), real
# ZooKeeper servers from Debian's zookeeper package in their own
# namespaces (one standalone or an ensemble of three), and zk_tool to read
# and write znodes. Every server is a foreground java process recorded with
# start_in, so netns/lib.sh's trap stops it by pid, also on failure; its
# configuration, data and log live in WORK.

ZK_TOOL=${ZK_TOOL:-$TOOLS/zk_tool}
ZK_JAVA=${ZK_JAVA:-java}
# Debian's zkEnv.sh puts only zookeeper.jar (its manifest names the other
# jars) and /etc/zookeeper/conf on the class path: no SLF4J binding, so
# the server would log nothing. The log4j 1.2 binding is added here.
ZK_JARS=/usr/share/java
ZK_CLASSPATH=${ZK_CLASSPATH:-$ZK_JARS/zookeeper.jar:$ZK_JARS/slf4j-log4j12.jar:$ZK_JARS/log4j-1.2.jar}
# Small heap, serial GC and the C1 compiler only: a test server serves
# within about a second of its start on two cores, with about 60 MB
# resident. No hsperfdata file in /tmp, no log4j MBeans.
ZK_JVM_OPTS=${ZK_JVM_OPTS:-"-Xms16m -Xmx128m -XX:+UseSerialGC
    -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true
    -Dzookeeper.jmx.log4j.disable=true"}
ZK_PORT=2181
MBR="${ID}mbr"
MGMT_NET=198.51.100
ZK_SERVERS=""
ZK_NAMES=""
ZK_ALL_PIDS=""
ZK_READY_MS=""

for _cf in $(echo "$ZK_CLASSPATH" | tr ":" " "); do
	[ -r "$_cf" ] || fail "no $_cf (Debian package zookeeper; run make bootstrap)"
done
command -v "$ZK_JAVA" >/dev/null || fail "no java (Debian package zookeeper pulls default-jre)"
[ -x "$ZK_TOOL" ] || fail "no zk_tool at $ZK_TOOL (run make check-zk)"

# zk_poll SECS COMMAND...: like until_ok, but every 100 ms (a test
# must not compete with starting JVMs for the CPU); prints the ms taken.
zk_poll() {
	_p0=$(date +%s%N)
	_pend=$((_p0 + $1 * 1000000000))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$_pend" ] || return 1
		sleep 0.1
	done
	echo $((($(date +%s%N) - _p0) / 1000000))
}

# ---- the management LAN ----

# mgmt_lan: the management bridge namespace (made once; mgmt_host makes
# it when needed).
mgmt_lan() {
	case " $NSES " in *" $MBR "*) return 0 ;; esac
	ip netns add "$MBR" || fail "ip netns add $MBR"
	NSES="$NSES $MBR"
	ip -n "$MBR" link add br0 type bridge || fail "management bridge"
	ip -n "$MBR" link set br0 up
}

# mgmt_host NAME N: mgmt0 = 198.51.100.N/24 in NAME's namespace, on the
# management bridge; the namespace is made if `host` did not make it (a
# ZooKeeper server, an admin host).
mgmt_host() {
	_mn=$(ns "$1")
	[ ${#_mn} -le 14 ] || fail "host name $1 too long for an interface name"
	mgmt_lan
	case " $NSES " in
	*" $_mn "*) ;;
	*)
		ip netns add "$_mn" || fail "ip netns add $_mn"
		NSES="$NSES $_mn"
		ip -n "$_mn" link set lo up
		;;
	esac
	ip link add "${_mn}m" netns "$MBR" type veth peer name mgmt0 \
	    netns "$_mn" || fail "management veth for $1"
	ip -n "$MBR" link set "${_mn}m" master br0 up
	ip -n "$_mn" addr add "$MGMT_NET.$2/24" dev mgmt0
	ip -n "$_mn" link set mgmt0 up
}

# mgmt_down NAME / mgmt_up NAME: cut or restore NAME's management link at
# the bridge (mgmt0 loses its carrier): its ZooKeeper sessions expire.
mgmt_down() { ip -n "$MBR" link set "$(ns "$1")m" down; }
mgmt_up() { ip -n "$MBR" link set "$(ns "$1")m" up; }

# ---- ZooKeeper servers ----

# zk_start NAME N [ID [ENSEMBLE]]: a ZooKeeper server in NAME's namespace
# on 198.51.100.N:2181 (mgmt_host NAME N first if NAME has no mgmt0);
# standalone without ID, else server ID of ENSEMBLE, the members' host
# numbers in server-id order (default "11 12 13"). Returns at once: see
# zk_wait. Adds the server to ZK_SERVERS.
zk_start() {
	_zd=$WORK/$1
	ip -n "$(ns "$1")" link show mgmt0 >/dev/null 2>&1 || mgmt_host "$1" "$2"
	mkdir -p "$_zd/data" || fail "mkdir $_zd"
	zk_conf "$MGMT_NET.$2" "$_zd" >"$_zd/zoo.cfg"
	if [ -n "${3:-}" ]; then
		echo "$3" >"$_zd/data/myid"
		_zi=1
		for _zm in ${4:-11 12 13}; do
			echo "server.$_zi=$MGMT_NET.$_zm:2888:3888" >>"$_zd/zoo.cfg"
			_zi=$((_zi + 1))
		done
	fi
	cat >"$_zd/log4j.properties" <<EOC
log4j.rootLogger=INFO, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} %-5p [%t:%C{1}@%L] %m%n
EOC
	eval "ZK_ADDR_$1=$MGMT_NET.$2"
	case " $ZK_NAMES " in *" $1 "*) ;; *) ZK_NAMES="$ZK_NAMES $1" ;; esac
	case ",$ZK_SERVERS," in
	*",$MGMT_NET.$2:$ZK_PORT,"*) ;;
	*) ZK_SERVERS="${ZK_SERVERS:+$ZK_SERVERS,}$MGMT_NET.$2:$ZK_PORT" ;;
	esac
	zk_run "$1"
}

# zk_conf ADDR DIR: zoo.cfg for a test server. tickTime 500 allows
# sessions of 1 to 10 s; initLimit and syncLimit are in ticks (5 s,
# 2.5 s: a leader alone gives up after 2.5 s); cnxTimeout bounds an
# election's connect to a silent peer. ZK_CONF_EXTRA, when set, is
# appended as is: more lines of zoo.cfg (bench/registry's
# maxClientCnxns=0 for 500 sessions from one address).
zk_conf() {
	cat <<EOC
tickTime=500
initLimit=10
syncLimit=5
minSessionTimeout=1000
maxSessionTimeout=10000
dataDir=$2/data
clientPort=$ZK_PORT
clientPortAddress=$1
4lw.commands.whitelist=ruok,srvr,stat,mntr,cons
admin.enableServer=false
cnxTimeout=1000
EOC
	[ -z "${ZK_CONF_EXTRA:-}" ] || printf '%s\n' "$ZK_CONF_EXTRA"
}

# zk_run NAME: start (again) the server configured in WORK/NAME; its
# output is WORK/NAME.log (the previous run's is kept in NAME.prev.log).
zk_run() {
	if [ -s "$WORK/$1.log" ]; then
		cat "$WORK/$1.log" >>"$WORK/$1.prev.log"
	fi
	# shellcheck disable=SC2086
	start_in "$1" "$1" "$ZK_JAVA" $ZK_JVM_OPTS \
	    "-Djava.io.tmpdir=$WORK/$1" \
	    "-Dlog4j.configuration=file:$WORK/$1/log4j.properties" \
	    -cp "$ZK_CLASSPATH" \
	    org.apache.zookeeper.server.quorum.QuorumPeerMain "$WORK/$1/zoo.cfg"
	ZK_ALL_PIDS="$ZK_ALL_PIDS $(pid_of "$1")"
}

# zk_4lw NAME WORD: a four-letter word's answer from NAME's server (asked
# from its own namespace, so a cut management link does not matter);
# bounded to 2 s.
zk_4lw() {
	ip netns exec "$(ns "$1")" timeout 2 bash -c \
	    'exec 3<>"/dev/tcp/$0/$1" && printf %s "$2" >&3 && cat <&3' \
	    "$(eval "echo \$ZK_ADDR_$1")" "$ZK_PORT" "$2" 2>/dev/null
}

# zk_mode NAME: standalone, leader or follower while NAME serves, else
# nothing.
zk_mode() { zk_4lw "$1" srvr | sed -n 's/^Mode: //p'; }

# zk_serving NAME: NAME answers ruok with imok and serves (has a mode).
zk_serving() {
	[ "$(zk_4lw "$1" ruok)" = imok ] || return 1
	case "$(zk_mode "$1")" in
	standalone | leader | follower) return 0 ;;
	esac
	return 1
}

# zk_alive NAME: NAME's java process runs.
zk_alive() {
	_ap=$(pid_of "$1")
	[ -n "$_ap" ] && kill -0 "$_ap" 2>/dev/null
}

# zk_wait NAME [SECS]: poll (100 ms) until NAME serves; prints the ms it
# took; returns 1 after SECS (default 30) or as soon as its java exits.
zk_wait() {
	_w0=$(date +%s%N)
	_wend=$((_w0 + ${2:-30} * 1000000000))
	while ! zk_serving "$1"; do
		zk_alive "$1" || return 1
		[ "$(date +%s%N)" -lt "$_wend" ] || return 1
		sleep 0.1
	done
	echo $((($(date +%s%N) - _w0) / 1000000))
}

# zk_ensemble: servers zk1..zk3 (ids 1..3) on 198.51.100.11-13, each in
# its own namespace; returns when all three serve (one leader), with the
# time that took in ZK_READY_MS; ZK_SERVERS names the three. Fails the
# test after 60 s.
zk_ensemble() {
	_e0=$(date +%s%N)
	zk_start zk1 11 1
	zk_start zk2 12 2
	zk_start zk3 13 3
	ZK_SERVERS="$MGMT_NET.11:$ZK_PORT,$MGMT_NET.12:$ZK_PORT,$MGMT_NET.13:$ZK_PORT"
	for _ez in zk1 zk2 zk3; do
		# one 60 s deadline for the three
		_el=$(((_e0 + 60000000000 - $(date +%s%N)) / 1000000000 + 1))
		zk_wait $_ez $_el >/dev/null ||
		    fail "$_ez does not serve (no quorum) after 60 s"
	done
	[ -n "$(zk_leader)" ] || fail "the ensemble has no leader"
	ZK_READY_MS=$((($(date +%s%N) - _e0) / 1000000))
}

# zk_leader: the name of the server that is leader now (nothing, status
# 1, if none is); zk_follower: one that is follower.
zk_with_mode() {
	for _mz in $ZK_NAMES; do
		if [ "$(zk_mode "$_mz")" = "$1" ]; then
			echo "$_mz"
			return 0
		fi
	done
	return 1
}
zk_leader() { zk_with_mode leader; }
zk_follower() { zk_with_mode follower; }

# zk_forget NAME: drop NAME's pid from the teardown's list once it is gone.
zk_forget() {
	_fp=$(pid_of "$1")
	wait "$_fp" 2>/dev/null
	_frest=""
	for _fq in $PIDS; do
		[ "$_fq" = "$_fp" ] || _frest="$_frest $_fq"
	done
	PIDS=$_frest
	eval "PID_$1="
}

# zk_gone PID SECS: wait (bounded) until PID has exited.
zk_gone() {
	_gi=0
	while kill -0 "$1" 2>/dev/null && [ $_gi -lt $(($2 * 10)) ]; do
		sleep 0.1
		_gi=$((_gi + 1))
	done
	! kill -0 "$1" 2>/dev/null
}

# zk_stop NAME: SIGTERM NAME's server, wait up to 5 s, then SIGKILL;
# zk_kill NAME: SIGKILL at once (a crash). Both by pid, and both fail the
# test if the process outlives that.
zk_stop() {
	_kp=$(pid_of "$1")
	[ -n "$_kp" ] || fail "zk_stop $1: not running"
	kill -TERM "$_kp" 2>/dev/null
	zk_gone "$_kp" 5 || kill -KILL "$_kp" 2>/dev/null
	zk_gone "$_kp" 5 || fail "$1 (pid $_kp) does not stop"
	zk_forget "$1"
}
zk_kill() {
	_kp=$(pid_of "$1")
	[ -n "$_kp" ] || fail "zk_kill $1: not running"
	kill -KILL "$_kp" 2>/dev/null
	zk_gone "$_kp" 5 || fail "$1 (pid $_kp) survives SIGKILL"
	zk_forget "$1"
}

# zk_restart NAME: stop NAME's server if it runs and start it again with
# its configuration and data (it rejoins its ensemble); returns at once.
zk_restart() {
	[ -z "$(pid_of "$1")" ] || zk_stop "$1"
	zk_run "$1"
}

# zk HOST ARGS...: zk_tool in HOST's namespace against ZK_SERVERS, e.g.
# zk admin get /vrrpd/nodes/a; zk admin -t 3 set /x 1.
zk() {
	_th=$1
	shift
	ip netns exec "$(ns "$_th")" "$ZK_TOOL" -s "$ZK_SERVERS" "$@"
}

# ---- adverts on the service LAN, from a capture ----

# advert_gap_max CAPTURE SRC: the longest gap in ms (three decimals)
# between two successive VRRP adverts from SRC in the capture (netns
# lib's capture_start/capture_stop); empty with fewer than two adverts.
advert_gap_max() {
	capture_text "$1" "ip proto 112 and src host $2" | awk '
	{ t = $1 + 0 }
	n++ > 0 && t - p > max { max = t - p }
	{ p = t }
	END { if (n > 1) printf "%.3f\n", max * 1000 }'
}

# advert_count CAPTURE SRC: the adverts from SRC in the capture.
advert_count() {
	capture_text "$1" "ip proto 112 and src host $2" | grep -c .
}

# takeover_ms CAPTURE OLD NEW: the ms (three decimals) from OLD's last
# advert to NEW's first advert after it: the takeover as the wire sees
# it, the new master's Master_Down_Interval plus its reaction. Empty when
# either is missing.
takeover_ms() {
	capture_text "$1" "ip proto 112" | awk -v old="$2" -v new="$3" '
	$0 ~ " " old " > " { last = $1 + 0; seen = 0 }
	$0 ~ " " new " > " && last && !seen { first = $1 + 0; seen = 1 }
	END { if (last && first) printf "%.3f\n", (first - last) * 1000 }'
}
