/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The cluster registry (DESIGN.md "Registry (ZooKeeper)", issue #12): every
 * node records its own state and each instance's in ZooKeeper, and every
 * node reads the whole tree back to show the fleet and flag what no single
 * node can see. This header is the pure core:
 *
 * - records (src/registry/record_node.c, record_inst.c, history.c): the
 *   znode values as plain C values, and their JSON encoding. Decoders take
 *   whatever bytes a znode holds and either fill a record whose every field
 *   is in range or return an error code with a phrase; they never crash,
 *   never read past the given length, never log.
 * - cluster analysis (src/registry/cluster.c, splitbrain.c, format.c):
 *   from the records read from the tree and the time, which instances have
 *   which masters, and the flags: split brain, VRID collisions, silent
 *   nodes, stale records, the weight trap; each rendered as one line.
 *
 * No clock, no I/O, no ZooKeeper here: the glue (src/registry/zk.c) reads
 * and writes znodes and passes the time in. The registry observes, VRRP
 * decides: nothing here feeds back into an election.
 *
 * The layout under the configured root, every value versioned JSON with
 * "v": 1 (members in the order the encoders write them):
 *
 *   nodes/<router_id>                    ephemeral, struct registry_node_rec
 *     {"v":1, "router_id":"lvs-a", "addr":"192.0.2.1", "version":"0.1.0",
 *      "start_time":1700000000, "config_digest":"9f86d081..."}
 *   instances/<name>/nodes/<router_id>   ephemeral, struct registry_inst_rec
 *     {"v":1, "name":"VI_1", "router_id":"lvs-a", "state":"MASTER",
 *      "base_priority":100, "priority":110,
 *      "parts":[{"kind":"check", "name":"web", "up":true, "value":0,
 *                "weight":10, "reverse":false, "contrib":10,
 *                "fault":false}],
 *      "faults":["check failed"],
 *      "vips":[{"addr":"192.0.2.10", "prefix":24, "present":true}],
 *      "vrid":51, "family":4, "interface":"eth0",
 *      "subnet":{"addr":"192.0.2.0", "prefix":24}, "adver_int_cs":100,
 *      "since":1700000000123, "master":"192.0.2.1"}
 *   instances/<name>/master              ephemeral, struct registry_master_rec
 *     {"v":1, "router_id":"lvs-a", "since":1700000000123}
 *   instances/<name>/history/t-<seq>     persistent sequential, one each,
 *                                        struct registry_transition
 *     {"v":1, "time":1700000000123, "router_id":"lvs-a",
 *      "from":"BACKUP", "to":"MASTER", "reason":"master down timer expired"}
 *     (the sequence number orders them; the writers trim the oldest past
 *     the newest REGISTRY_HISTORY_MAX)
 *
 * Forward compatibility: decoders ignore members they do not know, so a
 * newer vrrpd may add members without a new "v"; removing or retyping a
 * member needs "v": 2. Strings are bytes: decoders refuse a NUL byte and
 * over-long values but do not check UTF-8.
 */

#ifndef VRRPD_REGISTRY_H
#define VRRPD_REGISTRY_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrpd/conf.h"
#include "vrrpd/util.h"
#include "vrrpd/vrrp_fsm.h"

#define REGISTRY_VERSION 1 /* the "v" every value carries */

/* Field sizes, NUL included: a value may have one byte less. */
#define REGISTRY_NAME_MAX	64  /* instance, check and other names */
#define REGISTRY_ID_MAX		64  /* router ids */
#define REGISTRY_VERSION_MAX	32  /* the vrrpd version string */
#define REGISTRY_DIGEST_MAX	129 /* up to 128 hex digits (SHA-512) */
#define REGISTRY_IFNAME_MAX	CONF_IFNAMSIZ
#define REGISTRY_FAULT_NAME_MAX 32
#define REGISTRY_REASON_MAX	128

/* Array bounds of an instance record. */
#define REGISTRY_PARTS_MAX  32		   /* tracked objects */
#define REGISTRY_FAULTS_MAX 16		   /* fault names */
#define REGISTRY_VIPS_MAX   VRRP_MAX_ADDRS /* an advert's count field */

/* Transitions a history keeps (the newest). */
#define REGISTRY_HISTORY_MAX 100

/*
 * Input bounds: a value longer than REGISTRY_RECORD_MAX bytes is refused
 * unread (REGISTRY_E_TOO_BIG). The encoders never write more: a buffer of
 * that size always suffices (a full instance record with every string at
 * its longest, all escaped, is under 48 KiB; a transition under 1 KiB;
 * ZooKeeper's default limit for a znode is 1 MiB).
 */
#define REGISTRY_RECORD_MAX (64 * 1024)

/* Largest times the records hold (2^53 - 1, exact in any JSON reader). */
#define REGISTRY_TIME_MAX 9007199254740991ULL

/* Advert interval bounds: VRRPv3's 4095 cs and VRRPv2's 255 s fit. */
#define REGISTRY_ADVER_INT_MAX_CS 25500

/* Why a value could not be decoded. */
enum registry_err {
	REGISTRY_OK = 0,
	REGISTRY_E_JSON,    /* not one JSON value, or not an object */
	REGISTRY_E_VERSION, /* "v" missing, not an integer, or not 1 */
	REGISTRY_E_MEMBER,  /* a required member missing or of the wrong type */
	REGISTRY_E_RANGE,   /* a value out of range or malformed: a priority,
			       VRID, address, state, over-long string, too
			       many array entries, ... */
	REGISTRY_E_TOO_BIG, /* the input is longer than its bound (above) */
	REGISTRY_E_MAX
};

/* "not JSON", "bad version", ... (never NULL; "unknown" out of range). */
const char *registry_strerror(enum registry_err e);

/*
 * True when s is a usable router id or instance name: 1 to 63 bytes (the
 * field size less one), not "." or "..", without "/" (each is a znode name
 * in a path). The decoders apply it to "router_id" and "name"; the glue
 * uses it to decide whether an instance can be published at all.
 */
bool registry_name_valid(const char *s);

/* ---- records ---- */

/* nodes/<router_id>: one per running vrrpd. */
struct registry_node_rec {
	char router_id[REGISTRY_ID_MAX];
	struct addr addr;		    /* the node's address (required) */
	char version[REGISTRY_VERSION_MAX]; /* vrrpd version, non-empty */
	uint64_t start_time;		    /* unix seconds */
	char config_digest[REGISTRY_DIGEST_MAX]; /* 1..128 hex digits */
};

/* One tracked object's part in the effective priority (struct
 * checker_part, as vrrpctl status shows it). */
struct registry_part {
	enum conf_track_kind kind;    /* "kind": checker_kind_name() */
	char name[REGISTRY_NAME_MAX]; /* non-empty */
	bool up;		      /* a check's, interface's, process's */
	int64_t value;		      /* a file's number */
	int weight;		      /* -253..253 */
	bool reverse;
	int contrib; /* -253..253, added to the base priority */
	bool fault;  /* puts the instance in FAULT */
};

/* A virtual address as configured, and whether the node holds it now. */
struct registry_vip {
	struct addr addr;
	uint8_t prefix; /* 0..32 or 0..128 */
	bool present;
};

/* An address with a prefix length ("subnet": {"addr", "prefix"}). */
struct registry_prefix {
	struct addr addr; /* .af AF_UNSPEC: none */
	uint8_t prefix;
};

/* instances/<name>/nodes/<router_id>: one instance as one node runs it. */
struct registry_inst_rec {
	char name[REGISTRY_NAME_MAX];
	char router_id[REGISTRY_ID_MAX];
	enum vrrp_state state; /* "state": vrrp_state_name() */
	uint8_t base_priority; /* configured */
	uint8_t priority;      /* effective: base + parts, clamped */
	size_t nparts;
	struct registry_part parts[REGISTRY_PARTS_MAX];
	size_t nfaults; /* fault names, vrrp_fault_name() or newer ones */
	char faults[REGISTRY_FAULTS_MAX][REGISTRY_FAULT_NAME_MAX];
	size_t nvips;
	struct registry_vip vips[REGISTRY_VIPS_MAX];
	uint8_t vrid;			     /* 1..255 */
	sa_family_t family;		     /* AF_INET or AF_INET6: 4 or 6 */
	char interface[REGISTRY_IFNAME_MAX]; /* may be "" */
	/*
	 * The interface's primary address and prefix length; host bits may
	 * be set (comparisons mask them). Optional: absent (or null) in JSON
	 * when the interface has no address, then .addr.af is AF_UNSPEC.
	 */
	struct registry_prefix subnet;
	uint32_t adver_int_cs; /* 1..REGISTRY_ADVER_INT_MAX_CS */
	uint64_t since_ms;     /* "since": unix ms of entering .state */
	/* The master this node sees; optional, AF_UNSPEC (absent) = none. */
	struct addr master;
};

/* instances/<name>/master: created by the node that becomes master. */
struct registry_master_rec {
	char router_id[REGISTRY_ID_MAX];
	uint64_t since_ms; /* unix ms */
};

/* One state change of one node's instance. */
struct registry_transition {
	uint64_t time_ms; /* "time": unix ms */
	char router_id[REGISTRY_ID_MAX];
	enum vrrp_state from;
	enum vrrp_state to;
	char reason[REGISTRY_REASON_MAX]; /* vrrp_reason_name(); may be "" */
};

/* An instance's history as read: the newest transitions, oldest first. */
struct registry_history {
	size_t n;
	struct registry_transition t[REGISTRY_HISTORY_MAX];
};

/*
 * Encoders: the record as JSON (one line, no newline) into buf[0..size),
 * NUL-terminated. Return the length without the NUL, or -1 when it does
 * not fit, when the record holds a value its decoder would refuse (a
 * state out of the enum, VRID 0, a count past its array, a string not
 * terminated within its field, ...), or when json-c runs out of memory.
 * They allocate only while running (json-c) and never log. A buffer of
 * REGISTRY_RECORD_MAX always fits.
 */
int registry_node_encode(const struct registry_node_rec *rec, char *buf,
    size_t size);
int registry_inst_encode(const struct registry_inst_rec *rec, char *buf,
    size_t size);
int registry_master_encode(const struct registry_master_rec *rec, char *buf,
    size_t size);
int registry_transition_encode(const struct registry_transition *t, char *buf,
    size_t size);

/*
 * Decoders: the value buf[0..len) (no terminator needed; trailing white
 * space allowed) into *out, which is zeroed first, so two decodes of equal
 * values compare equal with memcmp(). Every member listed above is
 * required unless marked optional; unknown members are ignored. Returns
 * REGISTRY_OK, or an error with *out zeroed again and a phrase in why
 * (whylen bytes, always terminated; may be 0) naming the member:
 * "member \"vrid\": 0 is out of range 1..255", "member \"parts[2].name\"
 * is missing". Never logs; allocates only while running (json-c).
 */
enum registry_err registry_node_decode(const char *buf, size_t len,
    struct registry_node_rec *out, char *why, size_t whylen);
enum registry_err registry_inst_decode(const char *buf, size_t len,
    struct registry_inst_rec *out, char *why, size_t whylen);
enum registry_err registry_master_decode(const char *buf, size_t len,
    struct registry_master_rec *out, char *why, size_t whylen);
enum registry_err registry_transition_decode(const char *buf, size_t len,
    struct registry_transition *out, char *why, size_t whylen);

/*
 * Append one transition (copied) to hist, dropping the oldest when it
 * already holds REGISTRY_HISTORY_MAX, so it keeps the newest ones.
 */
void registry_history_append(struct registry_history *hist,
    const struct registry_transition *entry);

/*
 * Fill rec->faults from a set of enum vrrp_fault bits (struct
 * vrrp_fsm.faults) with vrrp_fault_name(), in enum order.
 */
void registry_inst_set_faults(struct registry_inst_rec *rec,
    unsigned int faults);

/* ---- cluster analysis ---- */

/*
 * The key of rec's VRID claim, vrids/<key>: family, network, prefix
 * length and VRID, "4-192.0.2.0-24-51" (records that share one would
 * collide). Returns 0, or -1 when rec has no subnet or buf is too small.
 */
int registry_claim_key(const struct registry_inst_rec *rec, char *buf,
    size_t size);

/*
 * What the caller read from the tree: a pointer to every decoded
 * nodes/<router_id> value in nodes[], and to every decoded
 * instances/<name>/nodes/<router_id> value in insts[], in any order.
 * Values that fail to decode are left out, and so are instance records
 * whose "name" or "router_id" differ from their znode path. The records
 * and both arrays belong to the caller, who keeps them alive and unchanged
 * while a summary points into them; the functions here only permute the
 * arrays (records as the decoders make them: terminated strings, counts
 * within their arrays). A node record is a live session: instance records
 * count only when their router id has one.
 */
struct registry_cluster {
	const struct registry_node_rec **nodes;
	size_t nnodes;
	const struct registry_inst_rec **insts;
	size_t ninsts;
};

/*
 * Sort nodes by router id and insts by name, then router id (strcmp
 * order), in place (the pointer arrays; qsort()).
 * registry_cluster_analyze() does it itself; the functions below need it
 * done.
 */
void registry_cluster_sort(struct registry_cluster *c);

/* True when insts[i]'s router id has a node record (c sorted). */
bool registry_cluster_registered(const struct registry_cluster *c, size_t i);

/* Masters a summary names; the count goes on. */
#define REGISTRY_SUM_MASTERS 8

/* One instance name across the fleet (registry_cluster_inst()). */
struct registry_inst_sum {
	const char *name; /* points into a record */
	size_t first;	  /* its records are c->insts[first .. first + n) */
	size_t n;
	size_t nlive;	 /* of them, registered (a node record exists) */
	size_t nmasters; /* registered records in MASTER */
	/* the first REGISTRY_SUM_MASTERS of them: router ids in records */
	const char *masters[REGISTRY_SUM_MASTERS];
};

/*
 * The instance name whose records start at c->insts[i] (c sorted; i the
 * start of a name: 0, then the previous sum's first + n). Returns false
 * when i is past the end. Iterate with
 *   for (i = 0; registry_cluster_inst(c, i, &s); i = s.first + s.n)
 */
bool registry_cluster_inst(const struct registry_cluster *c, size_t i,
    struct registry_inst_sum *out);

/* What a flag is about, in the order a report lists them. */
enum registry_flag_kind {
	REGISTRY_FLAG_SPLIT_BRAIN = 0, /* two or more masters, too long */
	REGISTRY_FLAG_VRID_COLLISION,  /* two names, one VRID on a subnet */
	REGISTRY_FLAG_VRID_MISMATCH,   /* one name, VRIDs differ by node */
	REGISTRY_FLAG_VIPS_MISMATCH,   /* one name, VIP sets differ by node */
	REGISTRY_FLAG_WEIGHT_TRAP,     /* a failing check, still highest */
	REGISTRY_FLAG_SILENT_NODE,     /* a node record, no instance record */
	REGISTRY_FLAG_STALE_RECORD,    /* an instance record, no node record */
	REGISTRY_FLAG_MAX
};

/* "split_brain", "vrid_collision", ... (metric labels; never NULL). */
const char *registry_flag_kind_name(enum registry_flag_kind kind);

/*
 * One finding, a plain value (names copied: it outlives the records).
 * Members unused by a kind are zero.
 *
 *   kind            name   other  node         other_node   more
 *   SPLIT_BRAIN     inst   -      1st master   2nd master   nmasters,
 *                                                           duration_us
 *   VRID_COLLISION  inst   inst2  its node     inst2's node vrid, subnet
 *   VRID_MISMATCH   inst   -      1st node     other node   vrid,
 *                                                           other_vrid
 *   VIPS_MISMATCH   inst   -      1st node     other node   vip: one VIP
 *                                         only one of them has (vip_on_other)
 *   WEIGHT_TRAP     inst   check  failing node highest other prio,
 *                                                           other_prio
 *   SILENT_NODE     -      -      node         -
 *   STALE_RECORD    inst   -      its node     -
 */
struct registry_flag {
	enum registry_flag_kind kind;
	char name[REGISTRY_NAME_MAX];
	char other[REGISTRY_NAME_MAX];
	char node[REGISTRY_ID_MAX];
	char other_node[REGISTRY_ID_MAX];
	size_t nmasters;
	uint64_t duration_us;
	uint8_t vrid;
	uint8_t other_vrid;
	struct registry_prefix subnet;
	struct registry_prefix vip;
	bool vip_on_other;
	uint8_t prio;
	uint8_t other_prio;
};

/* Instances the split-brain detector follows at once (see below). */
#define REGISTRY_SB_MAX 64

/*
 * The split-brain detector's memory between calls. Zeroed = empty (no
 * init function). An entry exists only while an instance name has two or
 * more masters, so REGISTRY_SB_MAX bounds simultaneous multi-master
 * instances, not instances; past it, an instance is not followed until a
 * slot frees, and .untracked counts such sightings.
 */
struct registry_sb_entry {
	char name[REGISTRY_NAME_MAX];
	uint64_t first_seen_us; /* monotonic: two or more masters since */
	bool flagged;		/* past the threshold: "started" reported */
	bool seen;		/* internal: found by the current call */
};

struct registry_sb_state {
	size_t n;
	struct registry_sb_entry e[REGISTRY_SB_MAX];
	uint64_t untracked;
};

/* A split brain edge: report it (log, count, notify) exactly once. */
enum registry_sb_edge {
	REGISTRY_SB_STARTED = 0, /* masters overlap past the threshold */
	REGISTRY_SB_ENDED,	 /* a flagged instance has under two masters */
};

struct registry_sb_event {
	enum registry_sb_edge edge;
	char name[REGISTRY_NAME_MAX];
	size_t nmasters;      /* at this call (ENDED: 0 or 1) */
	uint64_t duration_us; /* since two masters were first seen */
};

/* Flags one report holds; more are counted in flags_dropped. */
#define REGISTRY_FLAGS_MAX 64

/* What registry_cluster_analyze() found. */
struct registry_report {
	size_t nflags;
	struct registry_flag flags[REGISTRY_FLAGS_MAX];
	size_t flags_dropped;
	size_t nevents;
	struct registry_sb_event events[REGISTRY_SB_MAX];
	/* Monotonic us at which to call again though the tree is unchanged
	 * (an overlap will pass its threshold); 0: no need. */
	uint64_t next_us;
};

/*
 * Analyse the fleet at monotonic time now_us (util_now_us()): sorts c (see
 * registry_cluster_sort()), then fills *rep (zeroed first) with the flags
 * in enum order and the split-brain edges, updating sb. Only registered
 * records count as masters, collisions, mismatches or traps; the others
 * are STALE_RECORD flags.
 *
 * - Split brain: two or more masters for one name; flagged (and STARTED
 *   reported) once now_us - first_seen_us > 2 * the largest adver_int_cs
 *   among the masters' records (a preemption's short overlap never is);
 *   ENDED reported once fewer than two remain (also when the name has
 *   gone). An overlap that never passed the threshold leaves no trace.
 * - VRID collision: two names whose records share VRID, family and subnet
 *   (network address and prefix length; records without a subnet never
 *   collide); one flag per pair of names.
 * - VRID / VIPs mismatch: one name whose records differ from the first
 *   one's (by router id) in VRID, or in the set of VIPs (address and
 *   prefix, any order, "present" ignored); one flag per differing record.
 * - Weight trap: a record not in FAULT, with a check (CONF_TRACK_CHECK)
 *   that is down without faulting, whose effective priority is above every
 *   other registered record's of the name (there must be one): the
 *   failure moves nothing.
 * - Silent node: a node record with no instance record under any name.
 * - Stale record: an instance record whose router id has no node record.
 *
 * Pure: no clock, no logging. It allocates working arrays (sorted keys,
 * so that a fleet of thousands of records is analysed in milliseconds);
 * out of memory, collisions and silent nodes are not looked for.
 */
void registry_cluster_analyze(struct registry_cluster *c,
    struct registry_sb_state *sb, uint64_t now_us, struct registry_report *rep);

/*
 * A flag as one line for logs and vrrpctl, into buf (always terminated);
 * returns buf. Lines about one instance start with "(NAME) " as the
 * daemon's instance log lines do:
 *   (VI_1) split brain: MASTER on lvs-a and lvs-b for 30 ms
 *   (VI_1) VRID 51 collides with VI_2 on 192.0.2.0/24 (lvs-a, lvs-c)
 *   (VI_1) VRID 51 on lvs-a but 52 on lvs-b
 *   (VI_1) VIPs differ between lvs-a and lvs-b: 192.0.2.11/24 only on lvs-b
 *   (VI_1) check web failing on lvs-a leaves 110 > 100 on lvs-b: no failover
 *   node lvs-c is registered but silent: no instance records
 *   (VI_1) record of lvs-d is stale: lvs-d has no node record
 */
const char *registry_flag_format(const struct registry_flag *f, char *buf,
    size_t size);

/*
 * A split-brain edge as one line, into buf (always terminated); returns
 * buf: "(VI_1) split brain started: 2 masters for 30 ms",
 * "(VI_1) split brain ended after 250 ms".
 */
const char *registry_sb_event_format(const struct registry_sb_event *ev,
    char *buf, size_t size);

/*
 * For a one-shot read (no earlier calls): enter every name of c (sorted
 * here) with two or more masters into sb as seen since the newest of its
 * masters' "since" (wall_ms: unix ms now), so that
 * registry_cluster_analyze() at now_us flags an overlap that has lasted.
 */
void registry_sb_seed(struct registry_cluster *c, struct registry_sb_state *sb,
    uint64_t now_us, uint64_t wall_ms);

/* ---- the fleet, read once (vrrpctl cluster) ---- */

struct registry;
struct registry_status;

#define REGISTRY_FLEET_ERRS_MAX 64

/* A value that could not be used, and why. */
struct registry_fleet_err {
	char path[512];
	char why[160];
};

struct registry_fleet_hist {
	char name[REGISTRY_NAME_MAX];
	struct registry_history h;
	/* the reader's: entries read into h.t[] by sequence, h.n the slots
	 * asked for, have[] those that came back whole (compacted at the end) */
	bool have[REGISTRY_HISTORY_MAX];
};

/* Everything under the root: decoded records and the errors. */
struct registry_fleet {
	struct registry_node_rec *nodes;
	size_t nnodes, nodes_cap;
	struct registry_inst_rec **insts; /* into slabs */
	size_t ninsts, insts_cap;
	void *slabs; /* where the instance records live (fleet.c) */
	struct registry_fleet_hist **hists;
	size_t nhists, hists_cap;
	struct registry_fleet_err errs[REGISTRY_FLEET_ERRS_MAX];
	size_t nerrs;
	size_t errs_dropped;
	uint64_t read_us; /* from the first request to the last reply */
};

void registry_fleet_free(struct registry_fleet *f);

/* A read is done: f (the callee's to free) or NULL and why. */
typedef void registry_fleet_fn(void *arg, struct registry_fleet *f,
    const char *why);

/*
 * What the fleet looks like, as the JSON reply of vrrpctl cluster
 * (docs/ctl-protocol.md): "source", "registry" (servers, path, and the
 * connection as st has it; st NULL: "connected", no session), "read_ms",
 * "nodes", "instances", "flags", "errors", and "history" when history is
 * set; instance: only that one ("" or NULL: all). Split brains are judged
 * from the records' "since" (registry_sb_seed) unless sb holds the
 * caller's own memory (may be NULL). Pure; NULL when out of memory.
 */
struct json_object;
struct json_object *registry_fleet_json(struct registry_fleet *f,
    const char *source, const char *servers, const char *path,
    const struct registry_status *st, const char *instance, bool history,
    uint64_t now_us, uint64_t wall_ms);

/*
 * Daemon: read the fleet through r's session; fn is called once, later
 * (never from inside this call). Returns -1 when not connected.
 */
int registry_read_fleet(struct registry *r, const char *instance, bool history,
    registry_fleet_fn *fn, void *arg);

/*
 * vrrpctl: open a session of its own to servers (names allowed: a tool
 * may block), read the fleet under path and close it, within timeout_s.
 * NULL with why on failure. Blocks; not for the daemon.
 */
struct registry_fleet *registry_fleet_fetch(const char *servers,
    const char *path, const char *instance, bool history, double timeout_s,
    char *why, size_t whylen);

/* ---- the client (glue: src/registry/registry.c, zk.c, publish.c, ...) ---- */

struct ev_loop;
struct registry;

/* The session's state, as status and metrics show it. */
enum registry_conn {
	REGISTRY_CONN_OFF = 0,	    /* no registry configured, or stopped */
	REGISTRY_CONN_CONNECTING,   /* no session yet */
	REGISTRY_CONN_CONNECTED,    /* a session, connected */
	REGISTRY_CONN_DISCONNECTED, /* the session lives, the connection not */
	REGISTRY_CONN_EXPIRED,	    /* the session ended; opening a new one */
	REGISTRY_CONN_AUTH_FAILED,  /* the server refused the credentials */
	REGISTRY_CONN_MAX
};

/* "off", "connecting", "connected", ... (never NULL). */
const char *registry_conn_name(enum registry_conn c);

/* What the client did and sees, for status and metrics. */
struct registry_status {
	enum registry_conn conn;
	uint64_t session;	  /* 0: none yet */
	char server[64];	  /* connected to ("" when not) */
	uint64_t connects;	  /* connections made (the first included) */
	uint64_t expiries;	  /* sessions that expired */
	uint64_t writes;	  /* znode writes completed */
	uint64_t requests;	  /* write requests done (a multi: one) */
	uint64_t write_errors;	  /* writes refused (logged) */
	uint64_t last_publish_us; /* change to write done, the last one */
	size_t pending;		  /* znodes waiting for a write, or writing */
	uint64_t split_brains;	  /* split brains seen to start */
	size_t split_brain_now;	  /* instances in split brain now */
	size_t collisions_now;	  /* VRID collisions and mismatches now */
	size_t weight_traps_now;  /* weight traps now */
	uint64_t bad_znodes;	  /* values read that could not be decoded */
};

/* A split brain started or ended (registry_new's notify callback). */
typedef void registry_sb_fn(void *arg, const struct registry_sb_event *ev,
    const char *const *masters, size_t nmasters);

/*
 * Start the client on loop for conf (a validated registry block with
 * servers set; it must outlive the client or registry_reconfigure()):
 * self is this node's nodes/<router_id> record (copied); ident the
 * "user:password" of conf->auth_file (NULL without; copied, and wiped
 * when freed). Connects asynchronously and never blocks: every call below
 * only queues. sb_fn (may be NULL) hears split brains of this node's
 * instances. Returns NULL when out of memory (errno set).
 */
struct registry *registry_new(struct ev_loop *loop,
    const struct conf_registry *conf, const struct registry_node_rec *self,
    const char *ident, registry_sb_fn *sb_fn, void *sb_arg);

/*
 * The current state of one of this node's instances (rec->name): written
 * to instances/<name>/nodes/<router_id> as soon as the session allows;
 * while disconnected only the latest is kept. master: whether this node
 * holds instances/<name>/master. Returns at once; never fails (a record
 * the encoder refuses is logged and dropped).
 */
void registry_publish(struct registry *r, const struct registry_inst_rec *rec);

/* The instance is gone from this node: its znodes are removed. */
void registry_withdraw(struct registry *r, const char *name);

/* Append t to instances/<t-name>/history (the newest 100 kept). */
void registry_history_add(struct registry *r, const char *name,
    const struct registry_transition *t);

/* Fill *st. */
void registry_get_status(const struct registry *r, struct registry_status *st);

/*
 * The flags the client's watches raise now for this node's instances
 * (split brains past their threshold, collisions, mismatches, traps):
 * *n entries, valid until the next turn of the loop.
 */
const struct registry_flag *registry_flags(const struct registry *r, size_t *n);

/* Close the session (the ephemeral znodes go at once) and free r. */
void registry_free(struct registry *r);

#endif /* VRRPD_REGISTRY_H */
