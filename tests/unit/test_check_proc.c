/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tracked processes: keepalived's matching rules, the proc connector
 * decoder, the quorum and delay rules and the pid set over plain bytes;
 * then real trackers on a real loop against processes the tests start
 * (copies of /bin/sleep under unique names, so that comm is unique).
 */

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vrrpd/checker.h"

#include "child_test.h"
#include "proc_priv.h"

/*
 * matching
 */

/* The rule tp would give; valid until the eighth call after. */
static const struct checker_proc_rule *
rule(const char *process, bool full, const char *match, const char *params)
{
	static struct checker_proc_rule rules[8];
	static size_t next;
	struct conf_track_process tp = {
		.process = (char *)(uintptr_t)process,
		.full_command = full,
		.param_match = (char *)(uintptr_t)match,
		.params = (char *)(uintptr_t)params,
	};
	struct checker_proc_rule *r = &rules[next++ % 8];

	checker_proc_rule_init(r, &tp);
	return r;
}

/* cmdline bytes from a literal with embedded NULs (sizeof - 1 bytes). */
#define CMD(r, lit) checker_proc_match_cmdline(r, lit, sizeof(lit) - 1)
#define COMM(r, s)  checker_proc_match_comm(r, s, strlen(s))

START_TEST(name_is_compared_with_comm_exactly)
{
	const struct checker_proc_rule *r = rule("sleep", false, NULL, NULL);

	ck_assert(!r->full_command);
	ck_assert(COMM(r, "sleep\n"));
	ck_assert(COMM(r, "sleep"));
	ck_assert(!COMM(r, "sleepy\n"));
	ck_assert(!COMM(r, "slee\n"));
	ck_assert(!COMM(r, "Sleep\n"));
	ck_assert(!COMM(r, ""));
	/* pgrep ssh would match sshd; keepalived does not. */
	ck_assert(!COMM(rule("ssh", false, NULL, NULL), "sshd\n"));
}
END_TEST

START_TEST(comm_stops_at_a_nul)
{
	const struct checker_proc_rule *r = rule("sleep", false, NULL, NULL);

	ck_assert(checker_proc_match_comm(r, "sleep\0garbage", 13));
	ck_assert(
	    checker_proc_match_comm(r, "sleep\0\0\0\0\0\0\0\0\0\0\0", 16));
}
END_TEST

START_TEST(long_name_matches_its_first_15_bytes)
{
	const struct checker_proc_rule *r =
	    rule("averyveryverylongname", false, NULL, NULL);

	ck_assert(COMM(r, "averyveryverylo\n"));
	ck_assert(!COMM(r, "averyveryveryl\n"));
	ck_assert(!COMM(r, "averyveryverylx\n"));
	/* Exactly 15 bytes is an exact match. */
	ck_assert(COMM(rule("abcdefghijklmno", false, NULL, NULL),
	    "abcdefghijklmno\n"));
	ck_assert(!COMM(rule("abcdefghijklmn", false, NULL, NULL),
	    "abcdefghijklmno\n"));
}
END_TEST

START_TEST(name_rule_ignores_cmdline_and_full_rule_ignores_comm)
{
	const struct checker_proc_rule *n = rule("sleep", false, NULL, NULL);
	const struct checker_proc_rule *f = rule("sleep", true, NULL, NULL);

	ck_assert(!CMD(n, "sleep\0"));
	ck_assert(!COMM(f, "sleep\n"));
	ck_assert(CMD(f, "sleep\0"));
}
END_TEST

START_TEST(full_command_compares_argv0_whole)
{
	const struct checker_proc_rule *r =
	    rule("/bin/sleep", true, NULL, NULL);

	ck_assert(CMD(r, "/bin/sleep\0"));
	ck_assert(CMD(r,
	    "/bin/sleep\0"
	    "100\0"));
	ck_assert(CMD(r,
	    "/bin/sleep\0"
	    "100\0-x\0"));
	ck_assert(!CMD(r,
	    "sleep\0"
	    "100\0"));
	ck_assert(!CMD(r, "/bin/sleepy\0"));
	ck_assert(!CMD(r, "/bin/slee\0"));
	ck_assert(!CMD(r, "/usr/bin/sleep\0"));
	/* A space is not a separator: "process a b" is argv[0] "a b". */
	ck_assert(!CMD(r, "/bin/sleep 100\0"));
	ck_assert(
	    CMD(rule("/bin/sleep 100", true, NULL, NULL), "/bin/sleep 100\0"));
}
END_TEST

START_TEST(cmdline_may_lack_the_last_nul)
{
	const struct checker_proc_rule *r =
	    rule("/bin/sleep", true, NULL, NULL);
	const struct checker_proc_rule *e =
	    rule("/bin/sleep", false, NULL, "100");

	ck_assert(CMD(r, "/bin/sleep"));
	ck_assert(!CMD(r, "/bin/sleepx"));
	ck_assert(CMD(e,
	    "/bin/sleep\0"
	    "100"));
	ck_assert(CMD(e,
	    "/bin/sleep\0"
	    "100\0"));
	ck_assert(!CMD(e,
	    "/bin/sleep\0"
	    "1000"));
}
END_TEST

START_TEST(empty_cmdline_never_matches)
{
	const struct checker_proc_rule *r = rule("kthreadd", true, NULL, NULL);

	ck_assert(!checker_proc_match_cmdline(r, NULL, 0));
	ck_assert(!checker_proc_match_cmdline(r, "", 0));
	ck_assert(
	    !checker_proc_match_cmdline(rule("", true, NULL, NULL), "", 0));
}
END_TEST

START_TEST(params_imply_full_command_and_exact_match)
{
	const struct checker_proc_rule *r = rule("/x", false, NULL, "a b");

	ck_assert(r->full_command);
	ck_assert_int_eq(r->match, CHECKER_PROC_PARAMS_EXACT);
	ck_assert(CMD(r, "/x\0a\0b\0"));
	ck_assert(CMD(r, "/x\0a\0b"));
	ck_assert(!CMD(r, "/x\0a\0b\0c\0"));
	ck_assert(!CMD(r, "/x\0a\0"));
	ck_assert(!CMD(r, "/x\0a\0bc\0"));
	ck_assert(!CMD(r, "/x\0"));
	ck_assert(!CMD(r, "/y\0a\0b\0"));
	/* The model joins parameters with spaces: one word "a b" too. */
	ck_assert(CMD(r, "/x\0a b\0"));
}
END_TEST

START_TEST(partial_wants_the_first_params_exactly)
{
	const struct checker_proc_rule *r = rule("/x", false, "partial", "a b");

	ck_assert(r->full_command);
	ck_assert(CMD(r, "/x\0a\0b\0"));
	ck_assert(CMD(r, "/x\0a\0b\0c\0"));
	ck_assert(CMD(r, "/x\0a\0b\0c"));
	ck_assert(!CMD(r, "/x\0a\0bc\0"));
	ck_assert(!CMD(r, "/x\0a\0"));
	ck_assert(!CMD(r, "/x\0b\0a\0"));
}
END_TEST

START_TEST(initial_lets_the_last_param_be_longer)
{
	const struct checker_proc_rule *r = rule("/x", false, "initial", "a b");

	ck_assert(r->full_command);
	ck_assert(CMD(r, "/x\0a\0b\0"));
	ck_assert(CMD(r, "/x\0a\0bc\0"));
	ck_assert(CMD(r, "/x\0a\0b\0c\0"));
	ck_assert(!CMD(r, "/x\0a\0"));
	ck_assert(!CMD(r, "/x\0a\0c\0"));
	ck_assert(!CMD(r, "/x\0ab\0"));
}
END_TEST

START_TEST(param_match_without_params)
{
	const struct checker_proc_rule *r = rule("/x", false, "partial", NULL);
	struct checker_proc_rule bare = {
		.process = "/x",
		.process_len = 2,
		.full_command = true,
		.match = CHECKER_PROC_PARAMS_EXACT,
	};

	/* partial/initial with nothing to compare: any arguments. */
	ck_assert(r->full_command);
	ck_assert(CMD(r, "/x\0"));
	ck_assert(CMD(r, "/x\0a\0"));
	/* keepalived's bare param_match: no arguments at all. */
	ck_assert(CMD(&bare, "/x\0"));
	ck_assert(CMD(&bare, "/x"));
	ck_assert(!CMD(&bare, "/x\0a\0"));
}
END_TEST

START_TEST(need_covers_argv0_params_and_one_more_byte)
{
	const struct checker_proc_rule *r = rule("/x", false, NULL, "a b");
	const char full[] = "/x\0a\0b\0c\0";

	ck_assert_uint_eq(checker_proc_rule_need(r), 2 + 1 + 3 + 2);
	ck_assert_uint_eq(checker_proc_rule_need(rule("ab", 0, 0, 0)), 4);
	/* A longer command line cut to need bytes still does not match. */
	ck_assert(
	    !checker_proc_match_cmdline(r, full, checker_proc_rule_need(r)));
	ck_assert(checker_proc_match_cmdline(rule("/x", 0, "partial", "a b"),
	    full, checker_proc_rule_need(r)));
}
END_TEST

START_TEST(very_long_cmdline_is_bounded)
{
	const struct checker_proc_rule *r = rule("/x", false, "initial", "a");
	size_t n = 1 << 20;
	char *buf = malloc(n);

	ck_assert_ptr_nonnull(buf);
	memset(buf, 'a', n);
	ck_assert(!checker_proc_match_cmdline(r, buf, n));
	memcpy(buf, "/x\0", 3);
	ck_assert(checker_proc_match_cmdline(r, buf, n));
	free(buf);
}
END_TEST

START_TEST(stat_name_ends_at_the_last_paren)
{
	const char s[] = "123 (a b) c) S 1 123 123 0 -1";
	char comm[CHECKER_PROC_NAME_SIZE], st = 0;

	ck_assert(
	    checker_proc_parse_stat(s, sizeof(s) - 1, comm, sizeof(comm), &st));
	ck_assert_str_eq(comm, "a b) c");
	ck_assert_int_eq(st, 'S');
	ck_assert(
	    checker_proc_parse_stat("1 (x) Z", 7, comm, sizeof(comm), &st));
	ck_assert_int_eq(st, 'Z');
	ck_assert(checker_proc_parse_stat("1 (abcdef) R", 12, comm, 4, &st));
	ck_assert_str_eq(comm, "abc");
	ck_assert(!checker_proc_parse_stat("1 x) R", 6, comm, 4, &st));
	ck_assert(!checker_proc_parse_stat("1 (x R", 6, comm, 4, &st));
	ck_assert(!checker_proc_parse_stat("1 (x)", 5, comm, 4, &st));
	ck_assert(!checker_proc_parse_stat("1 (x)R", 6, comm, 4, &st));
	ck_assert(!checker_proc_parse_stat("", 0, comm, 4, &st));
}
END_TEST

/*
 * decoding
 */

static struct checker_proc_ev evs[16];
static size_t nevs;

static void
collect(void *arg, const struct checker_proc_ev *ev)
{
	(void)arg;
	if (nevs < 16)
		evs[nevs] = *ev;
	nevs++;
}

/* One netlink message with a cn_msg and a proc_event; returns its size. */
static size_t
msg(unsigned char *buf, uint32_t what, const void *data, size_t dlen,
    uint32_t idx)
{
	struct nlmsghdr nh = { 0 };
	struct cn_msg cn = { 0 };
	struct proc_event pe;
	size_t hdr = offsetof(struct proc_event, event_data);

	memset(&pe, 0, sizeof(pe));
	pe.what = what;
	cn.id.idx = idx;
	cn.id.val = CN_VAL_PROC;
	cn.len = (uint16_t)(hdr + dlen);
	nh.nlmsg_len = NLMSG_LENGTH(sizeof(cn) + hdr + dlen);
	nh.nlmsg_type = NLMSG_DONE;
	memset(buf, 0, NLMSG_ALIGN(nh.nlmsg_len));
	memcpy(buf, &nh, sizeof(nh));
	memcpy(buf + NLMSG_HDRLEN, &cn, sizeof(cn));
	memcpy(buf + NLMSG_HDRLEN + sizeof(cn), &pe, hdr);
	memcpy(buf + NLMSG_HDRLEN + sizeof(cn) + hdr, data, dlen);
	return NLMSG_ALIGN(nh.nlmsg_len);
}

START_TEST(decode_reads_fork_exec_comm_exit)
{
	unsigned char buf[1024];
	struct proc_event pe;
	size_t n = 0;

	memset(&pe, 0, sizeof(pe));
	pe.event_data.fork.parent_pid = 10;
	pe.event_data.fork.parent_tgid = 10;
	pe.event_data.fork.child_pid = 11;
	pe.event_data.fork.child_tgid = 11;
	n += msg(buf + n, PROC_EVENT_FORK, &pe.event_data.fork,
	    sizeof(pe.event_data.fork), CN_IDX_PROC);
	pe.event_data.exec.process_pid = 11;
	pe.event_data.exec.process_tgid = 11;
	n += msg(buf + n, PROC_EVENT_EXEC, &pe.event_data.exec,
	    sizeof(pe.event_data.exec), CN_IDX_PROC);
	pe.event_data.comm.process_pid = 12;
	pe.event_data.comm.process_tgid = 11;
	memset(pe.event_data.comm.comm, 'x', 16); /* unterminated */
	n += msg(buf + n, PROC_EVENT_COMM, &pe.event_data.comm,
	    sizeof(pe.event_data.comm), CN_IDX_PROC);
	pe.event_data.exit.process_pid = 11;
	pe.event_data.exit.process_tgid = 11;
	n += msg(buf + n, PROC_EVENT_EXIT, &pe.event_data.exit,
	    sizeof(pe.event_data.exit), CN_IDX_PROC);
	n += msg(buf + n, PROC_EVENT_UID, &pe.event_data.id,
	    sizeof(pe.event_data.id), CN_IDX_PROC);
	nevs = 0;
	ck_assert_uint_eq(checker_proc_decode(buf + 0, n, collect, NULL), 0);
	ck_assert_uint_eq(nevs, 4);
	ck_assert_int_eq(evs[0].kind, CHECKER_PROC_EV_FORK);
	ck_assert_int_eq(evs[0].pid, 11);
	ck_assert_int_eq(evs[0].parent_tgid, 10);
	ck_assert_int_eq(evs[1].kind, CHECKER_PROC_EV_EXEC);
	ck_assert_int_eq(evs[2].kind, CHECKER_PROC_EV_COMM);
	ck_assert_int_eq(evs[2].pid, 12);
	ck_assert_int_eq(evs[2].tgid, 11);
	ck_assert_str_eq(evs[2].comm, "xxxxxxxxxxxxxxx");
	ck_assert_int_eq(evs[3].kind, CHECKER_PROC_EV_EXIT);
}
END_TEST

START_TEST(decode_any_alignment)
{
	unsigned char buf[256];
	struct proc_event pe;
	size_t n;

	memset(&pe, 0, sizeof(pe));
	pe.event_data.exit.process_pid = 7;
	pe.event_data.exit.process_tgid = 7;
	n = msg(buf + 1, PROC_EVENT_EXIT, &pe.event_data.exit,
	    sizeof(pe.event_data.exit), CN_IDX_PROC);
	nevs = 0;
	ck_assert_uint_eq(checker_proc_decode(buf + 1, n, collect, NULL), 0);
	ck_assert_uint_eq(nevs, 1);
	ck_assert_int_eq(evs[0].tgid, 7);
}
END_TEST

START_TEST(decode_refuses_bad_lengths_and_ids)
{
	unsigned char buf[256];
	struct proc_event pe;
	struct nlmsghdr nh;
	struct cn_msg cn;
	size_t n;

	memset(&pe, 0, sizeof(pe));
	n = msg(buf, PROC_EVENT_FORK, &pe.event_data.fork,
	    sizeof(pe.event_data.fork), CN_IDX_PROC + 1);
	nevs = 0;
	/* Another connector: skipped, not malformed. */
	ck_assert_uint_eq(checker_proc_decode(buf, n, collect, NULL), 0);
	ck_assert_uint_eq(nevs, 0);

	n = msg(buf, PROC_EVENT_FORK, &pe.event_data.fork,
	    sizeof(pe.event_data.fork), CN_IDX_PROC);
	/* Cut anywhere: never an event, never a read past the end. */
	for (size_t cut = 0; cut < n - 3; cut++) {
		unsigned char *copy = malloc(cut + 1);

		memcpy(copy, buf, cut);
		nevs = 0;
		(void)checker_proc_decode(copy, cut, collect, NULL);
		ck_assert_uint_eq(nevs, 0);
		free(copy);
	}
	/* nlmsg_len past the datagram. */
	memcpy(&nh, buf, sizeof(nh));
	nh.nlmsg_len = (uint32_t)n + 8;
	memcpy(buf, &nh, sizeof(nh));
	nevs = 0;
	ck_assert_uint_eq(checker_proc_decode(buf, n, collect, NULL), 1);
	ck_assert_uint_eq(nevs, 0);
	/* nlmsg_len below the header. */
	nh.nlmsg_len = 4;
	memcpy(buf, &nh, sizeof(nh));
	ck_assert_uint_eq(checker_proc_decode(buf, n, collect, NULL), 1);
	/* cn_msg.len past the netlink message, or too short for a fork. */
	n = msg(buf, PROC_EVENT_FORK, &pe.event_data.fork,
	    sizeof(pe.event_data.fork), CN_IDX_PROC);
	memcpy(&cn, buf + NLMSG_HDRLEN, sizeof(cn));
	cn.len = 0xffff;
	memcpy(buf + NLMSG_HDRLEN, &cn, sizeof(cn));
	ck_assert_uint_eq(checker_proc_decode(buf, n, collect, NULL), 1);
	cn.len = offsetof(struct proc_event, event_data) + 4;
	memcpy(buf + NLMSG_HDRLEN, &cn, sizeof(cn));
	ck_assert_uint_eq(checker_proc_decode(buf, n, collect, NULL), 1);
	ck_assert_uint_eq(nevs, 0);
}
END_TEST

START_TEST(decode_survives_random_bytes)
{
	unsigned char buf[512];
	unsigned int seed = 12345;

	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)rand_r(&seed) % sizeof(buf);

		for (size_t j = 0; j < n; j++)
			buf[j] = (unsigned char)rand_r(&seed);
		/* A plausible header now and then, to get further in. */
		if (n >= 16 && i % 2 == 0) {
			uint32_t len = (uint32_t)(rand_r(&seed) % (n + 1));

			memcpy(buf, &len, sizeof(len));
			buf[4] = NLMSG_DONE;
			buf[5] = 0;
		}
		if (n >= 24 && i % 4 == 0) {
			uint32_t idx = CN_IDX_PROC, val = CN_VAL_PROC;

			memcpy(buf + 16, &idx, 4);
			memcpy(buf + 20, &val, 4);
		}
		nevs = 0;
		(void)checker_proc_decode(buf, n, collect, NULL);
	}
}
END_TEST

/*
 * quorum, delays, set
 */

START_TEST(quorum_is_between_min_and_max)
{
	const uint32_t none = CONF_QUORUM_MAX_NONE;

	ck_assert(!checker_proc_quorum_met(0, 1, none));
	ck_assert(checker_proc_quorum_met(1, 1, none));
	ck_assert(checker_proc_quorum_met(500, 1, none));
	ck_assert(!checker_proc_quorum_met(1, 2, none));
	ck_assert(checker_proc_quorum_met(2, 2, 3));
	ck_assert(checker_proc_quorum_met(3, 2, 3));
	ck_assert(!checker_proc_quorum_met(4, 2, 3));
	ck_assert(checker_proc_quorum_met(1, 1, 1));
	ck_assert(!checker_proc_quorum_met(2, 1, 1));
	/* keepalived's quorum_max 0: "fail if the process runs at all" */
	ck_assert(checker_proc_quorum_met(0, 1, 0));
	ck_assert(checker_proc_quorum_met(0, 0, 0));
	ck_assert(!checker_proc_quorum_met(1, 1, 0));
	ck_assert(!checker_proc_quorum_met(7, 1, 0));
}
END_TEST

START_TEST(step_delays_each_direction)
{
	uint32_t d = 0;

	ck_assert_int_eq(checker_proc_step(false, false, false, 5, 7, &d),
	    CHECKER_PROC_KEEP);
	ck_assert_int_eq(checker_proc_step(false, true, false, 0, 7, &d),
	    CHECKER_PROC_CHANGE);
	ck_assert_int_eq(checker_proc_step(false, true, false, 5, 7, &d),
	    CHECKER_PROC_ARM);
	ck_assert_uint_eq(d, 5);
	ck_assert_int_eq(checker_proc_step(true, false, false, 5, 7, &d),
	    CHECKER_PROC_ARM);
	ck_assert_uint_eq(d, 7);
	ck_assert_int_eq(checker_proc_step(true, false, false, 5, 0, &d),
	    CHECKER_PROC_CHANGE);
	/* A timer running: it keeps running, or stops if the state holds. */
	ck_assert_int_eq(checker_proc_step(true, false, true, 5, 7, &d),
	    CHECKER_PROC_KEEP);
	ck_assert_int_eq(checker_proc_step(true, true, true, 5, 7, &d),
	    CHECKER_PROC_CANCEL);
}
END_TEST

START_TEST(set_is_sorted_and_idempotent)
{
	struct checker_proc_set s = { 0 };
	unsigned int seed = 7;

	ck_assert(!checker_proc_set_has(&s, 1));
	ck_assert(!checker_proc_set_del(&s, 1));
	ck_assert_int_eq(checker_proc_set_add(&s, 5), 1);
	ck_assert_int_eq(checker_proc_set_add(&s, 5), 0);
	ck_assert_int_eq(checker_proc_set_add(&s, 3), 1);
	ck_assert_int_eq(checker_proc_set_add(&s, 9), 1);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_int_eq(s.pids[0], 3);
	ck_assert_int_eq(s.pids[2], 9);
	ck_assert(checker_proc_set_del(&s, 5));
	ck_assert(!checker_proc_set_has(&s, 5));
	ck_assert_uint_eq(s.n, 2);
	for (int i = 0; i < 5000; i++)
		ck_assert_int_ge(checker_proc_set_add(&s,
				     (pid_t)(rand_r(&seed) % 100000) + 10),
		    0);
	for (size_t i = 1; i < s.n; i++)
		ck_assert_int_lt(s.pids[i - 1], s.pids[i]);
	checker_proc_set_clear(&s);
	ck_assert_uint_eq(s.n, 0);
	checker_proc_set_free(&s);
	ck_assert_ptr_null(s.pids);
}
END_TEST

/*
 * trackers on a loop
 */

static struct ev_loop *loop;
static char dir[128];
static char exe[192]; /* a copy of /bin/sleep: comm is its base name */
static char name[16];
static pid_t kids[64];
static size_t nkids;
static struct conf_track_process tp;
static unsigned int notified;
static struct tracker_sub sub;

static void
copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in, out;
	ssize_t n;

	ck_assert_int_ge(in = open(from, O_RDONLY | O_CLOEXEC), 0);
	ck_assert_int_ge(
	    out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755), 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	close(in);
	ck_assert_int_eq(close(out), 0);
}

static void
events_setup(void)
{
	child_test_dir(dir, sizeof(dir));
	snprintf(name, sizeof(name), "vp%dx", (int)getpid());
	snprintf(exe, sizeof(exe), "%s/%s", dir, name);
	copy_file("/bin/sleep", exe);
	loop = ev_loop_new(EVFLAG_AUTO);
	ck_assert_ptr_nonnull(loop);
	memset(&tp, 0, sizeof(tp));
	tp.name = "tp";
	tp.process = name;
	tp.quorum = 1;
	tp.quorum_max = CONF_QUORUM_MAX_NONE;
	nkids = 0;
	notified = 0;
}

static void
kill_kid(pid_t pid)
{
	for (size_t i = 0; i < nkids; i++)
		if (kids[i] == pid) {
			(void)kill(pid, SIGKILL);
			(void)waitpid(pid, NULL, 0);
			kids[i] = kids[--nkids];
			return;
		}
	ck_abort_msg("not our child: %d", (int)pid);
}

static void
events_teardown(void)
{
	while (nkids > 0)
		kill_kid(kids[0]);
	if (loop != NULL)
		ev_loop_destroy(loop);
	loop = NULL;
	(void)unlink(exe);
	(void)rmdir(dir);
}

/*
 * Start path with argv (NULL-terminated); returns once it has exec'd
 * (the close-on-exec pipe reads EOF) or fails the test.
 */
static pid_t
spawnv(const char *path, char *const argv[])
{
	int pfd[2], err = 0;
	pid_t pid;

	ck_assert_uint_lt(nkids, 64);
	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		close(pfd[0]);
		execv(path, argv);
		err = errno;
		(void)write(pfd[1], &err, sizeof(err));
		_exit(127);
	}
	close(pfd[1]);
	kids[nkids++] = pid;
	ck_assert_int_eq(read(pfd[0], &err, sizeof(err)), 0);
	close(pfd[0]);
	return pid;
}

/* exe with argv[0] = arg0 (NULL: exe) and the given arguments. */
static pid_t
spawn(const char *arg0, ...)
{
	char *argv[8];
	size_t n = 0;
	va_list ap;

	argv[n++] = (char *)(uintptr_t)(arg0 != NULL ? arg0 : exe);
	va_start(ap, arg0);
	while (n < 7 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	return spawnv(exe, argv);
}

struct want {
	struct checker_proc *p;
	int count; /* -1: any */
	int up;	   /* -1: any */
};

static bool
want_ok(const struct want *w)
{
	return (w->count < 0 ||
		   checker_proc_count(w->p) == (unsigned int)w->count) &&
	    (w->up < 0 || checker_proc_up(w->p) == (w->up != 0));
}

static void
expire_cb(struct ev_loop *l, ev_timer *t, int revents)
{
	(void)l;
	(void)revents;
	*(bool *)t->data = true;
}

/* Run the loop until p has count processes and is up (or not). */
static bool
wait_for(struct checker_proc *p, int count, int up, double secs)
{
	struct want w = { p, count, up };
	bool expired = false;
	ev_timer t;

	ev_now_update(loop);
	ev_timer_init(&t, expire_cb, secs, 0.0);
	t.data = &expired;
	ev_timer_start(loop, &t);
	while (!want_ok(&w) && !expired)
		ev_run(loop, EVRUN_ONCE);
	ev_timer_stop(loop, &t);
	return want_ok(&w);
}

/* Run the loop for secs, whatever happens. */
static void
run_for(double secs)
{
	bool expired = false;
	ev_timer t;

	ev_now_update(loop);
	ev_timer_init(&t, expire_cb, secs, 0.0);
	t.data = &expired;
	ev_timer_start(loop, &t);
	while (!expired)
		ev_run(loop, EVRUN_ONCE);
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
on_change(void *arg, struct tracker *t)
{
	(void)t;
	(*(unsigned int *)arg)++;
}

static struct checker_proc *
tracker(void)
{
	const char *err = NULL;
	struct checker_proc *p = checker_proc_new(loop, &tp, &err);

	ck_assert_msg(p != NULL, "checker_proc_new: %s", err);
	tracker_subscribe(checker_proc_tracker(p), &sub, on_change, &notified);
	return p;
}

#define WAIT(p, count, up)                                \
	ck_assert_msg(wait_for(p, count, up, 5.0),        \
	    "want count %d up %d, have %u %d", count, up, \
	    checker_proc_count(p), checker_proc_up(p))

START_TEST(quorum_two_follows_starts_and_kills)
{
	struct checker_proc *p;
	pid_t a;

	tp.quorum = 2;
	p = tracker();
	ck_assert_str_eq(checker_proc_name(p), "tp");
	ck_assert_uint_eq(checker_proc_count(p), 0);
	ck_assert(!checker_proc_up(p));
	a = spawn(NULL, "1000", NULL);
	WAIT(p, 1, 0);
	ck_assert_uint_eq(notified, 0);
	(void)spawn(NULL, "1000", NULL);
	WAIT(p, 2, 1);
	ck_assert_uint_eq(notified, 1);
	kill_kid(a);
	WAIT(p, 1, 0);
	ck_assert_uint_eq(notified, 2);
	checker_proc_free(p);
}
END_TEST

START_TEST(running_processes_are_counted_by_the_scan)
{
	struct checker_proc *p;

	(void)spawn(NULL, "1000", NULL);
	(void)spawn(NULL, "1000", NULL);
	tp.quorum = 2;
	p = tracker();
	ck_assert_uint_eq(checker_proc_count(p), 2);
	ck_assert(checker_proc_up(p));
	checker_proc_free(p);
}
END_TEST

START_TEST(other_names_do_not_count)
{
	char other[192];
	struct checker_proc *p;

	snprintf(other, sizeof(other), "%s/%sy", dir, name);
	copy_file("/bin/sleep", other);
	p = tracker();
	(void)spawnv(other, (char *[]) { other, "1000", NULL });
	(void)spawnv("/bin/sleep", (char *[]) { exe, "1000", NULL });
	(void)spawn(NULL, "1000", NULL);
	/* Events come in order: the last start is seen after the others. */
	WAIT(p, 1, 1);
	run_for(0.05);
	ck_assert_uint_eq(checker_proc_count(p), 1);
	checker_proc_free(p);
	unlink(other);
}
END_TEST

START_TEST(full_command_matches_argv0)
{
	struct checker_proc *p;

	tp.process = exe;
	tp.full_command = true;
	p = tracker();
	(void)spawn("other-argv0", "1000", NULL);
	(void)spawn(NULL, "1000", NULL);
	(void)spawn(NULL, "1000", "1", NULL);
	WAIT(p, 2, 1);
	run_for(0.05);
	ck_assert_uint_eq(checker_proc_count(p), 2);
	checker_proc_free(p);
}
END_TEST

START_TEST(exact_params_want_the_same_arguments)
{
	struct checker_proc *p;

	tp.process = exe;
	tp.params = "1000 1";
	p = tracker();
	(void)spawn(NULL, "1000", "1", "2", NULL);
	(void)spawn(NULL, "1000", NULL);
	(void)spawn(NULL, "1000", "10", NULL);
	(void)spawn(NULL, "1000", "1", NULL);
	WAIT(p, 1, 1);
	run_for(0.05);
	ck_assert_uint_eq(checker_proc_count(p), 1);
	checker_proc_free(p);
}
END_TEST

START_TEST(partial_and_initial_params)
{
	struct conf_track_process tp2;
	struct checker_proc *p, *q;
	const char *err;

	tp.process = exe;
	tp.params = "1000 1";
	tp.param_match = "partial";
	p = tracker();
	tp2 = tp;
	tp2.name = "tp2";
	tp2.param_match = "initial";
	ck_assert_ptr_nonnull(q = checker_proc_new(loop, &tp2, &err));
	(void)spawn(NULL, "1000", "1", "2", NULL); /* both */
	(void)spawn(NULL, "1000", "10", NULL);	   /* initial */
	(void)spawn(NULL, "1000", NULL);	   /* neither */
	(void)spawn(NULL, "1000", "1", NULL);	   /* both */
	WAIT(p, 2, 1);
	WAIT(q, 3, 1);
	checker_proc_free(q);
	checker_proc_free(p);
}
END_TEST

START_TEST(quorum_max_fails_with_too_many)
{
	struct checker_proc *p;
	pid_t a;

	tp.quorum_max = 1;
	p = tracker();
	a = spawn(NULL, "1000", NULL);
	WAIT(p, 1, 1);
	(void)spawn(NULL, "1000", NULL);
	WAIT(p, 2, 0);
	kill_kid(a);
	WAIT(p, 1, 1);
	ck_assert_uint_eq(notified, 3);
	checker_proc_free(p);
}
END_TEST

/* keepalived.conf(5): quorum_max 0 fails if the process runs at all. */
START_TEST(quorum_max_0_is_up_only_while_none_runs)
{
	struct checker_proc *p;
	pid_t a;

	tp.quorum_max = 0;
	p = tracker();
	ck_assert(checker_proc_up(p));
	a = spawn(NULL, "1000", NULL);
	WAIT(p, 1, 0);
	kill_kid(a);
	WAIT(p, 0, 1);
	checker_proc_free(p);
}
END_TEST

START_TEST(delays_hold_changes_back)
{
	struct checker_proc *p;
	double t0, t;
	pid_t a;

	tp.delay_ms = 200;
	tp.terminate_delay_ms = 300;
	p = tracker();
	t0 = mono();
	a = spawn(NULL, "1000", NULL);
	WAIT(p, 1, -1);
	ck_assert(!checker_proc_up(p));
	WAIT(p, 1, 1);
	t = mono() - t0;
	ck_assert_msg(t >= 0.19 && t < 2.0, "up after %.3f s", t);
	t0 = mono();
	kill_kid(a);
	WAIT(p, 0, -1);
	ck_assert(checker_proc_up(p));
	WAIT(p, 0, 0);
	t = mono() - t0;
	ck_assert_msg(t >= 0.29 && t < 2.0, "down after %.3f s", t);
	ck_assert_uint_eq(notified, 2);
	checker_proc_free(p);
}
END_TEST

START_TEST(a_bounce_shorter_than_the_delay_is_not_seen)
{
	struct checker_proc *p;
	pid_t a;

	tp.terminate_delay_ms = 300;
	a = spawn(NULL, "1000", NULL);
	p = tracker();
	ck_assert(checker_proc_up(p));
	kill_kid(a);
	WAIT(p, 0, 1);
	(void)spawn(NULL, "1000", NULL);
	WAIT(p, 1, 1);
	run_for(0.4);
	ck_assert(checker_proc_up(p));
	ck_assert_uint_eq(notified, 0);
	checker_proc_free(p);
}
END_TEST

/* A child that renames itself (PR_SET_NAME), then forks (n > 1). */
static pid_t
renamer(int forks)
{
	int pfd[2];
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		close(pfd[0]);
		(void)setpgid(0, 0);
		(void)prctl(PR_SET_NAME, name, 0, 0, 0);
		for (int i = 0; i < forks; i++)
			if (fork() == 0)
				break;
		(void)write(pfd[1], "x", 1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	kids[nkids++] = pid;
	for (int i = 0; i <= forks; i++)
		ck_assert_int_eq(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	return pid;
}

START_TEST(comm_change_and_fork_are_followed)
{
	struct checker_proc *p;
	pid_t a;

	tp.quorum = 3;
	p = tracker();
	a = renamer(2);
	WAIT(p, 3, 1);
	(void)kill(-a, SIGKILL);
	WAIT(p, 0, 0);
	kill_kid(a);
	checker_proc_free(p);
}
END_TEST

START_TEST(unsubscribed_is_not_called)
{
	struct checker_proc *p = tracker();

	tracker_unsubscribe(&sub);
	(void)spawn(NULL, "1000", NULL);
	WAIT(p, 1, 1);
	ck_assert_uint_eq(notified, 0);
	checker_proc_free(p);
}
END_TEST

static int
netlink_sockets(void)
{
	char path[300], link[64];
	struct dirent *e;
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	ssize_t len;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0 || stat(path, &st) != 0 || !S_ISSOCK(st.st_mode))
			continue;
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(trackers_share_one_socket)
{
	struct conf_track_process tp2 = tp;
	struct checker_proc *p, *q;
	const char *err;
	int before = netlink_sockets();

	p = tracker();
	ck_assert_int_eq(netlink_sockets(), before + 1);
	tp2.name = "tp2";
	tp2.quorum = 2;
	ck_assert_ptr_nonnull(q = checker_proc_new(loop, &tp2, &err));
	ck_assert_int_eq(netlink_sockets(), before + 1);
	(void)spawn(NULL, "1000", NULL);
	WAIT(p, 1, 1);
	WAIT(q, 1, 0);
	checker_proc_free(p);
	ck_assert_int_eq(netlink_sockets(), before + 1);
	(void)spawn(NULL, "1000", NULL);
	WAIT(q, 2, 1);
	checker_proc_free(q);
	ck_assert_int_eq(netlink_sockets(), before);
}
END_TEST

START_TEST(rebind_keeps_the_count)
{
	struct conf_track_process tp2 = tp;
	struct checker_proc *p;

	(void)spawn(NULL, "1000", NULL);
	p = tracker();
	checker_proc_rebind(p, &tp2);
	ck_assert_uint_eq(checker_proc_count(p), 1);
	(void)spawn(NULL, "1000", NULL);
	WAIT(p, 2, 1);
	checker_proc_free(p);
}
END_TEST

START_TEST(state_changes_are_logged)
{
	char buf[4096], want[128];
	struct checker_proc *p;
	FILE *f = tmpfile();
	ssize_t n;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ne(dup2(fileno(f), STDERR_FILENO), -1);
	tp.name = name;
	tp.quorum = 2;
	p = tracker();
	(void)spawn(NULL, "1000", NULL);
	(void)spawn(NULL, "1000", NULL);
	WAIT(p, 2, 1);
	checker_proc_free(p);
	n = pread(fileno(f), buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	snprintf(want, sizeof(want), "track_process %s: 0 processes, down",
	    name);
	ck_assert_msg(strstr(buf, want) != NULL, "no \"%s\" in %s", want, buf);
	snprintf(want, sizeof(want), "track_process %s: 2 processes, up", name);
	ck_assert_msg(strstr(buf, want) != NULL, "no \"%s\" in %s", want, buf);
}
END_TEST

/* Many events while the loop does not read: an overrun. */
START_TEST(overrun_rescans_proc)
{
	char buf[8192];
	struct checker_proc *p;
	FILE *f = tmpfile();
	ssize_t n;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ne(dup2(fileno(f), STDERR_FILENO), -1);
	p = tracker();
	/* Renaming is the cheapest event: one syscall, one comm event. */
	for (int i = 0; i < 200000; i++)
		(void)prctl(PR_SET_NAME, i % 2 == 0 ? "flood-a" : "flood-b", 0,
		    0, 0);
	(void)spawn(NULL, "1000", NULL);
	(void)wait_for(p, 1, 1, 5.0);
	n = pread(fileno(f), buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_msg(checker_proc_count(p) == 1, "count %u log %s",
	    checker_proc_count(p), buf);
	run_for(0.3);
	ck_assert_uint_eq(checker_proc_count(p), 1);
	ck_assert_msg(strstr(buf, "socket overrun") != NULL, "log: %s", buf);
	checker_proc_free(p);
}
END_TEST

START_TEST(no_process_is_refused)
{
	const char *err = NULL;

	tp.process = NULL;
	ck_assert_ptr_null(checker_proc_new(loop, &tp, &err));
	ck_assert_ptr_nonnull(err);
}
END_TEST

static Suite *
proc_suite(void)
{
	Suite *s = suite_create("check_proc");
	TCase *tc;

	tc = tcase_create("match");
	tcase_add_test(tc, name_is_compared_with_comm_exactly);
	tcase_add_test(tc, comm_stops_at_a_nul);
	tcase_add_test(tc, long_name_matches_its_first_15_bytes);
	tcase_add_test(tc,
	    name_rule_ignores_cmdline_and_full_rule_ignores_comm);
	tcase_add_test(tc, full_command_compares_argv0_whole);
	tcase_add_test(tc, cmdline_may_lack_the_last_nul);
	tcase_add_test(tc, empty_cmdline_never_matches);
	tcase_add_test(tc, params_imply_full_command_and_exact_match);
	tcase_add_test(tc, partial_wants_the_first_params_exactly);
	tcase_add_test(tc, initial_lets_the_last_param_be_longer);
	tcase_add_test(tc, param_match_without_params);
	tcase_add_test(tc, need_covers_argv0_params_and_one_more_byte);
	tcase_add_test(tc, very_long_cmdline_is_bounded);
	tcase_add_test(tc, stat_name_ends_at_the_last_paren);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_test(tc, decode_reads_fork_exec_comm_exit);
	tcase_add_test(tc, decode_any_alignment);
	tcase_add_test(tc, decode_refuses_bad_lengths_and_ids);
	tcase_add_test(tc, decode_survives_random_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_test(tc, quorum_is_between_min_and_max);
	tcase_add_test(tc, step_delays_each_direction);
	tcase_add_test(tc, set_is_sorted_and_idempotent);
	suite_add_tcase(s, tc);

	tc = tcase_create("events");
	tcase_add_unchecked_fixture(tc, child_test_setup, child_test_teardown);
	tcase_add_checked_fixture(tc, events_setup, events_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, quorum_two_follows_starts_and_kills);
	tcase_add_test(tc, running_processes_are_counted_by_the_scan);
	tcase_add_test(tc, other_names_do_not_count);
	tcase_add_test(tc, full_command_matches_argv0);
	tcase_add_test(tc, exact_params_want_the_same_arguments);
	tcase_add_test(tc, partial_and_initial_params);
	tcase_add_test(tc, quorum_max_fails_with_too_many);
	tcase_add_test(tc, quorum_max_0_is_up_only_while_none_runs);
	tcase_add_test(tc, delays_hold_changes_back);
	tcase_add_test(tc, a_bounce_shorter_than_the_delay_is_not_seen);
	tcase_add_test(tc, comm_change_and_fork_are_followed);
	tcase_add_test(tc, unsubscribed_is_not_called);
	tcase_add_test(tc, trackers_share_one_socket);
	tcase_add_test(tc, rebind_keeps_the_count);
	tcase_add_test(tc, state_changes_are_logged);
	tcase_add_test(tc, overrun_rescans_proc);
	tcase_add_test(tc, no_process_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(proc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
