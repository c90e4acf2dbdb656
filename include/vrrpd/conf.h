/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The configuration model: one plain value that both front ends (native YAML
 * and keepalived.conf) produce and the rest of the daemon reads. It owns its
 * memory (strings and arrays, freed by conf_free()) and holds no runtime
 * pointers: no sockets, no timers. Every node keeps the file:line:column it
 * came from, for messages. Parsing and validation are pure: they read a file
 * or a buffer and never look at the live host unless asked (check_live).
 */

#ifndef VRRPD_CONF_H
#define VRRPD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vrrpd/util.h"
#include "vrrpd/vrrp_packet.h"

#define CONF_IFNAMSIZ 16 /* IFNAMSIZ, without pulling in <net/if.h> */

/* Where a configuration node came from. .file is owned by the model. */
struct conf_loc {
	const char *file;
	unsigned int line; /* 1-based; 0 when unknown */
	unsigned int col;  /* 1-based; 0 when unknown */
};

enum conf_sev {
	CONF_WARNING = 0,
	CONF_ERROR,
};

/* One message: "FILE:LINE:COL: error: MSG". */
struct conf_diag {
	struct conf_loc loc;
	enum conf_sev sev;
	char *msg;
};

enum conf_format {
	CONF_FMT_AUTO = 0,  /* by extension: .yaml/.yml, else keepalived */
	CONF_FMT_YAML,	    /* native YAML (man/vrrpd.yaml.5) */
	CONF_FMT_KEEPALIVED /* keepalived.conf syntax */
};

/* A command line to run (notify or script check), keepalived style. */
struct conf_cmd {
	struct conf_loc loc;
	char *cmd;   /* the command line as written; NULL when unset */
	char *user;  /* NULL: the global script_user */
	char *group; /* NULL: the user's group */
};

/* A virtual address and its options (keepalived virtual_ipaddress). */
enum conf_brd {
	CONF_BRD_NONE = 0, /* no broadcast address */
	CONF_BRD_ADDR,	   /* brd ADDR */
	CONF_BRD_PLUS,	   /* brd + : host bits set */
	CONF_BRD_MINUS,	   /* brd - : host bits clear */
};

struct conf_vip {
	struct conf_loc loc;
	struct addr addr;
	uint8_t prefix; /* /32 or /128 when not written */
	enum conf_brd brd;
	struct addr brd_addr;	   /* CONF_BRD_ADDR */
	char dev[CONF_IFNAMSIZ];   /* "" = the instance's interface */
	char label[CONF_IFNAMSIZ]; /* "" = none */
	uint8_t scope;		   /* RT_SCOPE_* value; 0 = global */
	int64_t preferred_lft;	   /* seconds; -1 = forever (default) */
	bool nodad;		   /* IPv6: skip duplicate detection */
	bool no_track;		   /* removal behind our back ignored */
};

/* A unicast peer (keepalived unicast_peer). */
struct conf_peer {
	struct conf_loc loc;
	struct addr addr;
	uint8_t min_ttl; /* receive TTL range; 0/255 = keepalived default */
	uint8_t max_ttl;
};

enum conf_track_kind {
	CONF_TRACK_CHECK = 0, /* a check or vrrp_script by name */
	CONF_TRACK_IFACE,     /* an interface's link state */
	CONF_TRACK_FILE,      /* a track_file by name */
	CONF_TRACK_PROCESS,   /* a vrrp_track_process by name */
};

/* One tracked object of an instance or sync group. */
struct conf_track {
	struct conf_loc loc;
	enum conf_track_kind kind;
	char *name;	 /* check, file, process name, or interface */
	bool has_weight; /* weight written here, else the object's own */
	int weight;	 /* -253..253; 0 = fault while failed */
	bool reverse;	 /* weight applies in the other direction */
	/*
	 * Added by conf_finish(), never written by --dump-config (what made
	 * it is written instead): a tracked virtual route's dev or rule's
	 * iif/oif (keepalived 2.2.7 tracks them, weight 0: FAULT while down),
	 * or a sync group's track copied to its members.
	 */
	bool implicit;
};

/*
 * Routes and rules (virtual_routes, virtual_rules, static_routes,
 * static_rules): the types and their parser are in vrrpd/conf_route.h.
 */
struct conf_route;
struct conf_rule;

/* notify_* commands (keepalived 1.6) and the notify FIFO. */
struct conf_notify {
	struct conf_cmd master;
	struct conf_cmd backup;
	struct conf_cmd fault;
	struct conf_cmd stop;
	struct conf_cmd any; /* "notify": TYPE NAME STATE PRIORITY appended */
};

/* Gratuitous ARP / unsolicited NA settings (keepalived garp_*). */
struct conf_garp {
	uint32_t master_delay_ms;   /* second burst after this; 0 = none */
	uint32_t master_repeat;	    /* messages per burst */
	uint32_t master_refresh_ms; /* periodic refresh; 0 = never */
	uint32_t master_refresh_repeat;
	uint32_t lower_prio_delay_ms;
	uint32_t lower_prio_repeat;
	uint32_t interval_ms;	 /* gap between GARPs (vrrp_garp_interval) */
	uint32_t na_interval_ms; /* gap between NAs (vrrp_gna_interval) */
};

/*
 * Instance settings that default to a global value (keepalived global_defs,
 * YAML global:). A front end sets the bit when the instance writes its own
 * value; conf_finish() copies the global value into the others, so the
 * order of blocks in a file never matters.
 */
enum conf_inst_own {
	CONF_OWN_VERSION = 1u << 0,
	CONF_OWN_STRICT = 1u << 1,
	CONF_OWN_ACCEPT = 1u << 2,
	CONF_OWN_SKIP_CHECK_ADV_ADDR = 1u << 3,
	CONF_OWN_CHECK_UNICAST_SRC = 1u << 4,
	CONF_OWN_LOWER_PRIO_NO_ADVERT = 1u << 5,
	CONF_OWN_HIGHER_PRIO_SEND_ADVERT = 1u << 6,
	CONF_OWN_OWNER_IGNORE_ADVERTS = 1u << 7,
	CONF_OWN_DOWN_TIMER_ADVERTS = 1u << 8,
	CONF_OWN_GARP_MASTER_DELAY = 1u << 9,
	CONF_OWN_GARP_MASTER_REPEAT = 1u << 10,
	CONF_OWN_GARP_MASTER_REFRESH = 1u << 11,
	CONF_OWN_GARP_MASTER_REFRESH_REPEAT = 1u << 12,
	CONF_OWN_GARP_LOWER_PRIO_DELAY = 1u << 13,
	CONF_OWN_GARP_LOWER_PRIO_REPEAT = 1u << 14,
	CONF_OWN_GARP_INTERVAL = 1u << 15,
	CONF_OWN_NA_INTERVAL = 1u << 16,
	CONF_OWN_NOTIFY_PRIORITY_CHANGES = 1u << 17,
};

enum conf_state_wish {
	CONF_STATE_BACKUP = 0,
	CONF_STATE_MASTER, /* keepalived "state MASTER" */
};

/*
 * use_vmac: a private-mode macvlan on the instance's interface carrying
 * the virtual router MAC (RFC 5798 §7.3); the VIPs without a dev go on
 * it, and the adverts leave from it unless xmit_base.
 */
struct conf_vmac {
	bool on;
	bool xmit_base; /* vmac_xmit_base: adverts from the interface */
	bool named;	/* the name was written; else derived at finish */
	char name[CONF_IFNAMSIZ];
	bool has_mac;	/* a MAC was written */
	bool mac_vrid;	/* only 5 octets: the VRID is the 6th */
	uint8_t mac[6]; /* after conf_finish(): the link's MAC */
	char *mac_text; /* YAML: as written, parsed at finish */
	struct conf_loc loc;
};

struct conf_instance {
	struct conf_loc loc;
	char *name;
	char interface[CONF_IFNAMSIZ]; /* "" when every VIP has a dev */
	uint8_t vrid;		       /* 1..255; 0 = not set (an error) */
	uint8_t priority;	       /* 1..255 */
	uint8_t version;	       /* 2 or 3 once finished */
	sa_family_t family;	       /* AF_INET or AF_INET6, from the VIPs */
	uint32_t adver_int_cs;	       /* Advertisement_Interval */
	enum conf_state_wish state;
	bool preempt;
	uint32_t preempt_delay_ms;
	bool accept;
	uint8_t down_timer_adverts;
	bool lower_prio_no_advert;
	bool higher_prio_send_advert;
	bool owner_ignore_adverts;
	bool skip_check_adv_addr;
	bool check_unicast_src;
	bool unicast_fault_no_peer;
	bool dont_track_primary;
	bool strict;
	bool notify_priority_changes;  /* FIFO lines on priority changes */
	enum vrrp_csum_mode csum_mode; /* v3 over IPv4 */
	uint8_t auth_type;	       /* VRRP_AUTH_NONE, _PASS or _AH (v2) */
	char auth_pass[VRRP_AUTH_LEN + 1];

	struct conf_vip *vips;
	size_t nvips;
	struct conf_vip *vips_excluded; /* not carried in adverts */
	size_t nvips_excluded;
	struct conf_route *vroutes; /* virtual_routes: with the VIPs */
	size_t nvroutes;
	struct conf_rule *vrules; /* virtual_rules: with the VIPs */
	size_t nvrules;

	bool has_src; /* unicast_src_ip / mcast_src_ip written */
	struct addr src;
	struct conf_peer *peers; /* non-empty: unicast */
	size_t npeers;
	bool unicast; /* unicast_peer block present (even empty) */
	uint8_t unicast_ttl;

	struct conf_track *tracks;
	size_t ntracks;
	struct conf_notify notify;
	struct conf_garp garp;
	struct conf_vmac vmac; /* use_vmac */
	char *sync_group;      /* name of its group, NULL: none (derived) */
	uint32_t own;	       /* enum conf_inst_own bits (front ends only) */
	bool parse_errors;     /* the front end reported errors inside it */
};

enum conf_check_kind {
	CONF_CHECK_SCRIPT = 0, /* vrrp_script / YAML type: script */
	CONF_CHECK_TCP,
	CONF_CHECK_HTTP,
};

/* An HTTP status range, inclusive: 200-299, or 200-200. */
struct conf_status_range {
	uint16_t lo, hi;
};

struct conf_check {
	struct conf_loc loc;
	char *name;
	enum conf_check_kind kind;
	uint32_t interval_ms;
	uint32_t timeout_ms;
	uint32_t rise;
	uint32_t fall;
	int weight; /* default for tracks that do not set one */
	bool reverse;
	bool init_fail; /* start in the failed state */
	/* script */
	struct conf_cmd script; /* .cmd: command line; user/group */
	/* tcp */
	char *connect; /* "HOST:PORT", "[V6]:PORT" */
	bool has_bind;
	struct addr bind; /* source address */
	/* http */
	char *url;
	char *method; /* "GET" or "HEAD" */
	struct conf_status_range *expect_status;
	size_t nexpect_status; /* empty: 200-299 */
	char *expect_body;     /* POSIX extended regex, NULL: none */
	char *host;	       /* Host header, NULL: from the URL */
	char *ca_file;
	bool tls_verify;
	uint32_t max_size; /* response bytes read at most */
};

/* keepalived track_file. */
struct conf_track_file {
	struct conf_loc loc;
	char *name;
	char *path;
	int weight;
	bool reverse;
	bool has_init; /* init_file written */
	int init_value;
	bool init_overwrite;
};

#define CONF_QUORUM_MAX_NONE UINT32_MAX

/* keepalived vrrp_track_process. */
struct conf_track_process {
	struct conf_loc loc;
	char *name;
	char *process; /* process name (comm, or full path with full_command) */
	char *param_match; /* "initial" or "partial" with parameters, or NULL */
	char *params;
	bool full_command;
	int weight;
	bool reverse;
	uint32_t quorum;
	/*
	 * At most this many may run; CONF_QUORUM_MAX_NONE: no maximum. 0
	 * (keepalived): up only while none runs, whatever the quorum.
	 */
	uint32_t quorum_max;
	uint32_t delay_ms; /* fork_delay / terminate_delay */
	uint32_t terminate_delay_ms;
};

/* keepalived vrrp_sync_group. */
struct conf_sync_group {
	struct conf_loc loc;
	char *name;
	char **members;
	struct conf_loc *member_locs;
	size_t nmembers;
	struct conf_track *tracks;
	size_t ntracks;
	struct conf_notify notify;
	/*
	 * keepalived sync_group_tracking_weight (global_tracking): the
	 * members keep their own tracks' weights; by default they are set
	 * to 0 (conf_finish, with a warning), as keepalived does.
	 */
	bool tracking_weight;
};

/*
 * The cluster registry (ZooKeeper, man/vrrpd.yaml.5 REGISTRY): where the
 * nodes record their state. It observes; VRRP alone decides mastership.
 */
struct conf_registry {
	struct conf_loc loc; /* the registry block, or its first keyword */
	/*
	 * ZooKeeper's connection string, "ADDR:PORT,ADDR:PORT" as the 3.8 C
	 * client takes it: numeric addresses, IPv6 without brackets (the
	 * port follows the last ':'), no chroot; NULL: no registry.
	 */
	char *servers;
	char *path;		     /* root znode; "/vrrpd" once finished */
	uint32_t session_timeout_ms; /* default 10000 */
	char *auth_file; /* "user:password" file; NULL: no authentication */
	struct conf_cmd notify_split_brain; /* .cmd NULL: none */
};

/* The control socket unless configured (and per namespace, vrrpd(8)). */
#define CONF_CONTROL_SOCKET "/run/vrrpd/vrrpd.sock"

struct conf_global {
	struct conf_loc loc;
	char *router_id; /* NULL: the short hostname at run time */
	char *script_user;
	char *script_group;
	bool script_security; /* enable_script_security */
	uint8_t vrrp_version; /* default version: 2 (keepalived) or 3 */
	struct addr mcast_group4;
	struct addr mcast_group6;
	struct conf_garp garp; /* defaults for instances */
	uint32_t startup_delay_ms;
	bool strict;
	bool skip_check_adv_addr;
	bool check_unicast_src;
	bool lower_prio_no_advert;
	bool higher_prio_send_advert;
	bool owner_ignore_adverts;
	uint8_t down_timer_adverts;
	bool dynamic_interfaces;
	bool lvs_elsewhere; /* virtual_server blocks skipped (keepalived -P) */
	/*
	 * The network namespace the daemon runs in (/run/netns/NAME), NULL:
	 * the one it was started in. Its runtime files then default to
	 * /run/vrrpd/NAME/.
	 */
	char *net_namespace;
	/* Where addresses without a dev go when the instance has no
	 * interface (keepalived default_interface); NULL: an error. */
	char *default_interface;
	/* keepalived vmac_prefix: derived VMAC names, PREFIX.VRID; NULL:
	 * "vrrp" */
	char *vmac_prefix;
	char *notify_fifo;
	char *vrrp_notify_fifo;
	/* Run at start with the FIFO's path appended, to read it. */
	struct conf_cmd notify_fifo_script;
	struct conf_cmd vrrp_notify_fifo_script;
	bool notify_priority_changes; /* default for the instances */
	char *control_socket;	      /* default CONF_CONTROL_SOCKET */
	char *control_group;	      /* NULL: root only */
	bool control_group_write;     /* its members may reload, demote, ... */
	char *metrics_listen; /* "ADDR:PORT" for GET /metrics; NULL: off */
	struct conf_registry registry;
	/*
	 * static_ipaddress, static_routes, static_rules: there while vrrpd
	 * runs, whatever the instances' states. An address without dev
	 * goes on default_interface.
	 */
	struct conf_vip *static_addrs;
	size_t nstatic_addrs;
	struct conf_route *static_routes;
	size_t nstatic_routes;
	struct conf_rule *static_rules;
	size_t nstatic_rules;
};

struct conf {
	enum conf_format format; /* the front end that produced it */
	struct conf_global global;
	struct conf_instance *instances;
	size_t ninstances;
	struct conf_check *checks;
	size_t nchecks;
	struct conf_track_file *track_files;
	size_t ntrack_files;
	struct conf_track_process *track_procs;
	size_t ntrack_procs;
	struct conf_sync_group *sync_groups;
	size_t nsync_groups;

	/* owned by the model */
	char **files; /* every file read, for conf_loc.file */
	size_t nfiles;
	char **config_ids; /* ids of keepalived @ID lines, other nodes' */
	size_t nconfig_ids;
	struct conf_diag *diags;
	size_t ndiags;
	size_t nerrors;
};

/* How to load: all fields may be left zero. */
struct conf_opts {
	enum conf_format format; /* CONF_FMT_AUTO: by extension */
	const char *config_id; /* keepalived @ID lines; NULL: short hostname */
	bool lvs_elsewhere;    /* skip virtual_server blocks (keepalived -P) */
	bool check_live;       /* also check interfaces on this host */
};

/*
 * Load, finish (defaults that depend on other settings) and validate a file.
 * Always returns a model (NULL only when out of memory) whose diags list
 * every error and warning, not just the first; the model is usable only when
 * nerrors is 0. Never logs: the caller prints the diags.
 */
struct conf *conf_load_file(const char *path, const struct conf_opts *opts);

/*
 * The same from memory: name is used in messages (and, for keepalived
 * include lines, as the base for relative paths). For tests and fuzzers.
 */
struct conf *conf_load_mem(const char *name, const char *buf, size_t len,
    const struct conf_opts *opts);

void conf_free(struct conf *conf);

/* Print every diag as "FILE:LINE:COL: error: MSG" to f; returns nerrors. */
size_t conf_print_diags(const struct conf *conf, FILE *f);

/*
 * Write the model as native YAML (man/vrrpd.yaml.5) to f: the migration path
 * from keepalived.conf. Reading the output back gives an equal model
 * (conf_equal). Returns 0, or -1 on a write error.
 */
int conf_emit_yaml(const struct conf *conf, FILE *f);

/* True when two models configure the same thing (locations ignored). */
bool conf_equal(const struct conf *a, const struct conf *b);

/*
 * True when two instances are configured alike (locations ignored), every
 * global default already folded in; for reload. The multicast groups are
 * global: compare them apart.
 */
bool conf_instance_equal(const struct conf_instance *a,
    const struct conf_instance *b);
/* Two address lists alike, in order (locations ignored). */
bool conf_vips_equal(const struct conf_vip *a, size_t na,
    const struct conf_vip *b, size_t nb);

/* The same but for their address lists (a reload changes those in place). */
bool conf_instance_equal_but_vips(const struct conf_instance *a,
    const struct conf_instance *b);

/* The same for two checks (a running checker may go on unchanged). */
bool conf_check_equal(const struct conf_check *a, const struct conf_check *b);
bool conf_track_process_equal(const struct conf_track_process *a,
    const struct conf_track_process *b);

/* Bounds of the registry's credentials (conf_registry_auth_read). */
#define CONF_REGISTRY_USER_MAX 64
#define CONF_REGISTRY_PASS_MAX 256
/* "user:password" and its NUL at most: enough for any ident buffer. */
#define CONF_REGISTRY_IDENT_SIZE \
	(CONF_REGISTRY_USER_MAX + 1 + CONF_REGISTRY_PASS_MAX + 1)

/*
 * Read the registry's credentials from path (registry auth_file). The file
 * must be a regular file owned by root or by the effective user, with no
 * group or other permission bits, holding exactly one line "user:password":
 * user 1..64 bytes without ':' or whitespace, password 1..256 bytes without
 * NUL or newline, one trailing newline allowed. On success fills ident
 * (identlen bytes; CONF_REGISTRY_IDENT_SIZE is always enough) with
 * "user:password", the form zoo_add_auth() takes for the "digest" scheme,
 * and returns 0. Otherwise returns -1 with a phrase in why (whylen bytes,
 * always terminated; "mode 0644 lets other users read the password; chmod
 * 600 it") that never contains the password, and ident empty. Reads the
 * file (it may be called at start and by vrrpd -t --check-live); never
 * logs, never allocates; the password is wiped from its own buffers
 * before it returns. The caller wipes ident after use (explicit_bzero).
 */
int conf_registry_auth_read(const char *path, char *ident, size_t identlen,
    char *why, size_t whylen);

#endif /* VRRPD_CONF_H */
