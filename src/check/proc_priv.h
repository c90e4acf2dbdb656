/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pure half of the tracked processes (src/check/proc_match.c):
 * keepalived's matching rules over the bytes of /proc/PID/comm, stat and
 * cmdline, the decoding of proc connector datagrams, the quorum and delay
 * decisions, and a sorted set of pids. No I/O, no clock, no logging; only
 * the pid set allocates. The glue in track_process.c reads the files and
 * the socket and calls these.
 */

#ifndef VRRPD_PROC_PRIV_H
#define VRRPD_PROC_PRIV_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrpd/conf.h"

/* The kernel keeps TASK_COMM_LEN - 1 = 15 bytes of a process name. */
#define CHECKER_PROC_COMM_MAX 15

/* How the arguments (argv[1..]) are compared with the configured ones. */
enum checker_proc_params {
	CHECKER_PROC_PARAMS_NONE = 0, /* not at all */
	CHECKER_PROC_PARAMS_EXACT,    /* the same arguments, no more */
	CHECKER_PROC_PARAMS_PARTIAL,  /* the first n arguments are the same */
	CHECKER_PROC_PARAMS_INITIAL,  /* as partial, the last may be longer */
};

/*
 * One tracker's rule, from its configuration (keepalived vrrp_parser.c):
 * parameters or param_match imply full_command; parameters without
 * param_match mean an exact match. The strings point into the
 * configuration.
 */
struct checker_proc_rule {
	const char *process; /* the name, or argv[0] with full_command */
	size_t process_len;
	const char *params; /* the arguments joined by spaces, or NULL */
	size_t params_len;
	bool full_command; /* argv[0] and arguments, not the name */
	enum checker_proc_params match;
};

/* Fill r from tp (which must outlive r); never fails, never allocates. */
void checker_proc_rule_init(struct checker_proc_rule *r,
    const struct conf_track_process *tp);

/*
 * How many bytes of /proc/PID/cmdline checker_proc_match_cmdline() needs
 * to decide for r: reading more changes nothing. At least 2.
 */
size_t checker_proc_rule_need(const struct checker_proc_rule *r);

/*
 * The name rule (r->full_command false): comm, the len bytes of
 * /proc/PID/comm or of a comm event (one trailing newline and anything
 * from the first NUL on are ignored), is the process name exactly. A
 * configured name longer than 15 bytes matches a comm of its first 15
 * bytes, since the kernel keeps no more (keepalived compares it whole and
 * so never matches it). Always false for a full_command rule.
 */
bool checker_proc_match_comm(const struct checker_proc_rule *r,
    const char *comm, size_t len);

/*
 * The full_command rule: buf holds the first len bytes of
 * /proc/PID/cmdline (NUL-separated words, the last NUL may be missing,
 * empty for kernel threads and zombies; buf may be NULL when len is 0).
 * argv[0], up to the first NUL, must be r->process exactly; then the
 * arguments, the bytes after that NUL with one trailing NUL dropped, read
 * with each NUL as a space, are compared with r->params by r->match:
 * exact, equal; partial, equal or followed by a separator; initial,
 * starting with them. An exact rule without parameters (keepalived's
 * bare param_match) wants no arguments at all. Always false for a name
 * rule.
 */
bool checker_proc_match_cmdline(const struct checker_proc_rule *r,
    const char *buf, size_t len);

/*
 * Room for a name read from /proc: kernel threads (workqueue workers) may
 * show more than 15 bytes there, which then match no rule.
 */
#define CHECKER_PROC_NAME_SIZE 64

/*
 * Parse the len bytes of /proc/PID/stat, "PID (COMM) S ...": the name
 * (which may hold spaces and parentheses: the last ')' ends it) into comm
 * (size bytes, at least 1; terminated, cut to size - 1) and the state
 * letter into *state. Returns false when buf is not of that form.
 */
bool checker_proc_parse_stat(const char *buf, size_t len, char *comm,
    size_t size, char *state);

/* One decoded proc connector event. */
enum checker_proc_ev_kind {
	CHECKER_PROC_EV_ACK = 1, /* PROC_EVENT_NONE: answer to a listen */
	CHECKER_PROC_EV_FORK,	 /* a process or thread was created */
	CHECKER_PROC_EV_EXEC,	 /* a process ran execve */
	CHECKER_PROC_EV_COMM,	 /* a process changed its name */
	CHECKER_PROC_EV_EXIT,	 /* a task ended */
};

struct checker_proc_ev {
	enum checker_proc_ev_kind kind;
	pid_t pid;	   /* the task (fork: the child) */
	pid_t tgid;	   /* its process (fork: the child's) */
	pid_t parent_tgid; /* fork only: the parent process */
	uint32_t seq;	   /* ack only: the cn_msg seq and ack */
	uint32_t ack;
	uint32_t err; /* ack only: the kernel's errno, 0 when listening */
	char comm[CHECKER_PROC_COMM_MAX + 1]; /* comm only, terminated */
};

typedef void checker_proc_ev_fn(void *arg, const struct checker_proc_ev *ev);

/*
 * Decode one datagram of len bytes (any alignment) received from the
 * kernel on a NETLINK_CONNECTOR socket: each netlink message that is a
 * complete proc connector message (cn_msg idx CN_IDX_PROC, val
 * CN_VAL_PROC, lengths within the datagram and large enough for the
 * event) of a kind above is passed to fn; other events (uid, sid, ...)
 * are skipped. Returns the number of malformed messages; decoding stops
 * at the first message whose netlink header does not fit.
 */
size_t checker_proc_decode(const void *buf, size_t len, checker_proc_ev_fn *fn,
    void *arg);

/*
 * The quorum is met: quorum <= count <= quorum_max
 * (CONF_QUORUM_MAX_NONE: no maximum); with quorum_max 0 (keepalived's
 * "fail if the process runs at all"), count is 0 whatever the quorum.
 */
bool checker_proc_quorum_met(unsigned int count, uint32_t quorum,
    uint32_t quorum_max);

/* What to do with the delay timer after the quorum was evaluated. */
enum checker_proc_step {
	CHECKER_PROC_KEEP = 0, /* nothing: no change, or a timer runs */
	CHECKER_PROC_CANCEL,   /* stop the timer: the state holds again */
	CHECKER_PROC_ARM,      /* start the timer for *delay_ms */
	CHECKER_PROC_CHANGE,   /* change the state now */
};

/*
 * The delay rule (keepalived fork_delay, terminate_delay): with the
 * current state up, met from checker_proc_quorum_met() and pending true
 * while the delay timer runs, a change is made only after up_delay_ms
 * (going up) or down_delay_ms (going down) during which the quorum kept
 * the other value; a delay of 0 changes at once. Sets *delay_ms for ARM.
 */
enum checker_proc_step checker_proc_step(bool up, bool met, bool pending,
    uint32_t up_delay_ms, uint32_t down_delay_ms, uint32_t *delay_ms);

/* A sorted set of pids: lookups and changes in O(log n) + a memmove. */
struct checker_proc_set {
	pid_t *pids;
	size_t n;
	size_t cap;
};

bool checker_proc_set_has(const struct checker_proc_set *s, pid_t pid);
/* Returns 1 when added, 0 when already there, -1 when out of memory. */
int checker_proc_set_add(struct checker_proc_set *s, pid_t pid);
/* Returns true when pid was there. */
bool checker_proc_set_del(struct checker_proc_set *s, pid_t pid);
void checker_proc_set_clear(struct checker_proc_set *s);
void checker_proc_set_free(struct checker_proc_set *s);

#endif /* VRRPD_PROC_PRIV_H */
