/* SPDX-License-Identifier: BSD-2-Clause */
/* Log lines as written to stderr, debug categories and rate limits. */

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "vrrpd/log.h"

#define ALL_CATS \
	(DBG_PKT | DBG_FSM | DBG_NET | DBG_CHECK | DBG_ZK | DBG_CTL | DBG_CONF)

/* Each test runs in its own child (CK_FORK): stderr goes to a temp file. */
static int cap_fd = -1;

static void
capture_start(void)
{
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	cap_fd = fileno(f);
	ck_assert_int_ne(dup2(cap_fd, STDERR_FILENO), -1);
}

/* Everything logged since the last call; errno is left alone. */
static const char *
captured(void)
{
	static char buf[8192];
	int saved_errno = errno;
	ssize_t n;

	ck_assert_int_eq(lseek(cap_fd, 0, SEEK_SET), 0);
	n = read(cap_fd, buf, sizeof(buf) - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	ck_assert_int_eq(ftruncate(cap_fd, 0), 0);
	ck_assert_int_eq(lseek(cap_fd, 0, SEEK_SET), 0);
	errno = saved_errno;
	return buf;
}

/*
 * lines
 */

START_TEST(info_logs_to_stderr_before_init)
{
	log_info("hello %d", 42);
	ck_assert_str_eq(captured(), "hello 42\n");
}
END_TEST

START_TEST(stderr_lines_have_no_level_ident_or_time)
{
	log_init("test", true);
	log_info("(VI_1) BACKUP -> MASTER: master down timer expired");
	log_warnx("zk: session expired");
	ck_assert_str_eq(captured(),
	    "(VI_1) BACKUP -> MASTER: master down timer expired\n"
	    "zk: session expired\n");
}
END_TEST

START_TEST(journal_stream_lines_carry_their_level)
{
	struct stat st;
	char env[64];

	ck_assert_int_eq(fstat(STDERR_FILENO, &st), 0);
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	ck_assert_int_eq(setenv("JOURNAL_STREAM", env, 1), 0);
	log_init("test", true);
	log_info("(VI_1) BACKUP -> MASTER: master down timer expired");
	log_warnx("zk: session expired");
	ck_assert_str_eq(captured(),
	    "<6>(VI_1) BACKUP -> MASTER: master down timer expired\n"
	    "<3>zk: session expired\n");
	/* Another stream (stderr redirected under the unit): no prefixes. */
	ck_assert_int_eq(setenv("JOURNAL_STREAM", "1:1", 1), 0);
	log_init("test", true);
	log_info("plain");
	ck_assert_str_eq(captured(), "plain\n");
}
END_TEST

START_TEST(warn_appends_strerror_and_preserves_errno)
{
	char want[256];

	log_init("test", true);
	snprintf(want, sizeof(want), "cannot open %s: %s\n", "/x",
	    strerror(ENOENT));
	errno = ENOENT;
	log_warn("cannot open %s", "/x");
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(captured(), want);
}
END_TEST

START_TEST(warnx_has_no_strerror_and_preserves_errno)
{
	log_init("test", true);
	errno = EACCES;
	log_warnx("(%s) advert dropped", "VI_1");
	ck_assert_int_eq(errno, EACCES);
	ck_assert_str_eq(captured(), "(VI_1) advert dropped\n");
}
END_TEST

START_TEST(every_call_preserves_errno)
{
	struct log_ratelimit rl = { .interval_ms = 1000 };
	unsigned long more;

	errno = EMSGSIZE;
	log_init("test", true);
	ck_assert_int_eq(errno, EMSGSIZE);
	log_info("info");
	ck_assert_int_eq(errno, EMSGSIZE);
	log_debug(DBG_PKT, "silent");
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(log_set_debug("pkt"), 0);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(log_set_debug("nope"), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	log_debug(DBG_PKT, "loud");
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_uint_eq(log_debug_mask(), DBG_PKT);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert(log_ratelimit_ok(&rl, 0, &more));
	ck_assert(!log_ratelimit_ok(&rl, 1, &more));
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_str_eq(captured(), "info\nloud\n");
}
END_TEST

/*
 * debug categories
 */

START_TEST(debug_is_silent_until_its_category_is_enabled)
{
	ck_assert_uint_eq(log_debug_mask(), 0);
	log_debug(DBG_FSM, "before");
	ck_assert_str_eq(captured(), "");
	ck_assert_int_eq(log_set_debug("fsm"), 0);
	ck_assert_uint_eq(log_debug_mask(), DBG_FSM);
	log_debug(DBG_FSM, "(VI_1) %s", "after");
	log_debug(DBG_PKT, "other category");
	ck_assert_str_eq(captured(), "(VI_1) after\n");
}
END_TEST

/* vrrpctl debug pkt on --instance VI_1: only that instance's lines. */
START_TEST(debug_for_one_instance_writes_only_its_lines)
{
	ck_assert_int_eq(log_set_debug_cat("pkt", true, "VI_1"), 0);
	ck_assert(log_debug_on(DBG_PKT, "VI_1"));
	ck_assert(!log_debug_on(DBG_PKT, "VI_2"));
	ck_assert(!log_debug_on(DBG_PKT, NULL));
	ck_assert(!log_debug_on(DBG_FSM, "VI_1"));
	ck_assert_str_eq(log_debug_instance(DBG_PKT), "VI_1");
	log_debug_inst(DBG_PKT, "VI_1", "pkt: sent %d", 1);
	log_debug_inst(DBG_PKT, "VI_2", "pkt: sent %d", 2);
	log_debug(DBG_PKT, "eth0: pkt: dropped");
	ck_assert_str_eq(captured(), "(VI_1) pkt: sent 1\n");
	/* on again without an instance: every instance */
	ck_assert_int_eq(log_set_debug_cat("pkt", true, NULL), 0);
	ck_assert_ptr_null(log_debug_instance(DBG_PKT));
	log_debug_inst(DBG_PKT, "VI_2", "pkt: sent %d", 3);
	ck_assert_str_eq(captured(), "(VI_2) pkt: sent 3\n");
	/* off: nothing, and the limit is gone with it */
	ck_assert_int_eq(log_set_debug_cat("all", false, NULL), 0);
	ck_assert(!log_debug_on(DBG_PKT, "VI_1"));
	ck_assert_int_eq(log_set_debug_cat("nope", true, "VI_1"), -1);
}
END_TEST

START_TEST(set_debug_takes_a_comma_list_and_adds_to_the_mask)
{
	ck_assert_int_eq(log_set_debug("pkt,net,zk"), 0);
	ck_assert_uint_eq(log_debug_mask(), DBG_PKT | DBG_NET | DBG_ZK);
	ck_assert_int_eq(log_set_debug("conf"), 0);
	ck_assert_uint_eq(log_debug_mask(),
	    DBG_PKT | DBG_NET | DBG_ZK | DBG_CONF);
	ck_assert_int_eq(log_set_debug("check,ctl,check"), 0);
	ck_assert_uint_eq(log_debug_mask(),
	    DBG_PKT | DBG_NET | DBG_ZK | DBG_CONF | DBG_CHECK | DBG_CTL);
}
END_TEST

START_TEST(set_debug_all_enables_every_category)
{
	static const enum log_cat cats[] = { DBG_PKT, DBG_FSM, DBG_NET,
		DBG_CHECK, DBG_ZK, DBG_CTL, DBG_CONF };

	ck_assert_int_eq(log_set_debug("all"), 0);
	ck_assert_uint_eq(log_debug_mask(), ALL_CATS);
	for (size_t i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		log_debug(cats[i], "cat %zu", i);
	ck_assert_str_eq(captured(),
	    "cat 0\ncat 1\ncat 2\ncat 3\ncat 4\ncat 5\ncat 6\n");
}
END_TEST

START_TEST(set_debug_rejects_unknown_names_and_changes_nothing)
{
	static const char *const bad[] = { "fsm,bogus", "bogus", "", "pkt,",
		",pkt", "pkt,,fsm", "PKT", "pk", "pkts", "all ", " fsm",
		"fsm;net" };

	ck_assert_int_eq(log_set_debug("pkt"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(log_set_debug(bad[i]) == -1, "accepted '%s'",
		    bad[i]);
		ck_assert_uint_eq(log_debug_mask(), DBG_PKT);
	}
	ck_assert_int_eq(log_set_debug(NULL), -1);
	ck_assert_uint_eq(log_debug_mask(), DBG_PKT);
	log_debug(DBG_FSM, "still off");
	ck_assert_str_eq(captured(), "");
}
END_TEST

/*
 * escaping and truncation
 */

START_TEST(control_characters_are_escaped_on_one_line)
{
	log_info("%s", "a\nb");
	ck_assert_str_eq(captured(), "a\\x0ab\n");
	log_info("(%s) bad advert", "VI_1\r\n(VI_2) MASTER -> BACKUP");
	ck_assert_str_eq(captured(),
	    "(VI_1\\x0d\\x0a(VI_2) MASTER -> BACKUP) bad advert\n");
	log_warnx("file %s", "\x1b[31mred\t\x7f\xff\x80");
	ck_assert_str_eq(captured(), "file \\x1b[31mred\\x09\\x7f\\xff\\x80\n");
}
END_TEST

START_TEST(printable_ascii_is_unchanged)
{
	char all[0x7f - 0x20 + 1];
	char want[sizeof(all) + 1];

	for (int c = 0x20; c < 0x7f; c++)
		all[c - 0x20] = (char)c;
	all[sizeof(all) - 1] = '\0';
	log_info("%s", all);
	snprintf(want, sizeof(want), "%s\n", all);
	ck_assert_str_eq(captured(), want);
}
END_TEST

START_TEST(long_message_is_cut_with_an_ellipsis)
{
	static char big[5001];
	const char *out;

	memset(big, 'a', sizeof(big) - 1);
	log_info("%s", big);
	out = captured();
	ck_assert_uint_eq(strlen(out), 1024 + 1);
	ck_assert_int_eq(strspn(out, "a"), 1021);
	ck_assert_str_eq(out + 1021, "...\n");
}
END_TEST

START_TEST(message_of_exactly_1024_bytes_is_not_cut)
{
	static char msg[1025];
	const char *out;

	memset(msg, 'b', sizeof(msg) - 1);
	log_info("%s", msg);
	out = captured();
	ck_assert_uint_eq(strlen(out), 1024 + 1);
	ck_assert_int_eq(strspn(out, "b"), 1024);
}
END_TEST

START_TEST(cut_never_splits_an_escape)
{
	static char msg[1100];
	char want[1100];

	memset(msg, 'a', 1019);
	memset(msg + 1019, '\n', 10);
	log_info("%s", msg);
	memset(want, 'a', 1019);
	snprintf(want + 1019, sizeof(want) - 1019, "...\n");
	ck_assert_str_eq(captured(), want);
}
END_TEST

START_TEST(cut_warn_keeps_its_strerror)
{
	static char big[5001];
	char want[1200];

	memset(big, 'a', sizeof(big) - 1);
	memset(want, 'a', 1021);
	snprintf(want + 1021, sizeof(want) - 1021, "...: %s\n",
	    strerror(EPERM));
	errno = EPERM;
	log_warn("%s", big);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_str_eq(captured(), want);
}
END_TEST

/*
 * rate limit
 */

START_TEST(ratelimit_passes_once_per_interval_and_counts_the_rest)
{
	struct log_ratelimit rl = { .interval_ms = 1000 };
	unsigned long more = 99;

	ck_assert(log_ratelimit_ok(&rl, 0, &more));
	ck_assert_uint_eq(more, 0);
	ck_assert(!log_ratelimit_ok(&rl, 10, &more));
	ck_assert(!log_ratelimit_ok(&rl, 999, &more));
	ck_assert(log_ratelimit_ok(&rl, 1000, &more));
	ck_assert_uint_eq(more, 2);
	/* The count starts again after each line that passed. */
	ck_assert(!log_ratelimit_ok(&rl, 1001, &more));
	ck_assert(!log_ratelimit_ok(&rl, 1999, NULL));
	ck_assert(!log_ratelimit_ok(&rl, 1999, &more));
	ck_assert(log_ratelimit_ok(&rl, 2000, &more));
	ck_assert_uint_eq(more, 3);
	/* A quiet stretch: the next line passes with nothing suppressed. */
	ck_assert(log_ratelimit_ok(&rl, 5000, &more));
	ck_assert_uint_eq(more, 0);
	ck_assert(!log_ratelimit_ok(&rl, 5500, &more));
	ck_assert(log_ratelimit_ok(&rl, 6000, NULL));
	ck_assert(!log_ratelimit_ok(&rl, 6001, &more));
	ck_assert(log_ratelimit_ok(&rl, 7000, &more));
	ck_assert_uint_eq(more, 1);
}
END_TEST

START_TEST(ratelimit_first_call_passes_at_any_time)
{
	struct log_ratelimit rl = { .interval_ms = 60000 };
	unsigned long more = 99;

	ck_assert(log_ratelimit_ok(&rl, 123456789, &more));
	ck_assert_uint_eq(more, 0);
	ck_assert(!log_ratelimit_ok(&rl, 123456789, &more));
}
END_TEST

START_TEST(ratelimit_with_zero_interval_always_passes)
{
	struct log_ratelimit rl = { .interval_ms = 0 };
	unsigned long more = 99;

	for (uint64_t t = 0; t < 5; t++) {
		ck_assert(log_ratelimit_ok(&rl, 7, &more));
		ck_assert_uint_eq(more, 0);
	}
}
END_TEST

START_TEST(ratelimit_passes_when_the_clock_goes_back)
{
	struct log_ratelimit rl = { .interval_ms = 1000 };
	unsigned long more = 99;

	ck_assert(log_ratelimit_ok(&rl, 5000, &more));
	ck_assert(!log_ratelimit_ok(&rl, 5001, &more));
	ck_assert(log_ratelimit_ok(&rl, 100, &more));
	ck_assert_uint_eq(more, 1);
	ck_assert(!log_ratelimit_ok(&rl, 200, &more));
}
END_TEST

/*
 * fatal
 */

START_TEST(fatalx_exits_1)
{
	fatalx("cannot read %s", "/etc/vrrpd.yaml");
}
END_TEST

START_TEST(fatal_exits_1)
{
	errno = EADDRINUSE;
	fatal("cannot bind");
}
END_TEST

/* Runs fatal (with_errno) or fatalx in a child; returns what it wrote. */
static const char *
fatal_line(bool with_errno, int *status)
{
	static char buf[512];
	int fds[2];
	ssize_t n, len = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		log_init("test", true);
		if (with_errno) {
			errno = EACCES;
			fatal("cannot bind %s", "192.0.2.1");
		}
		errno = EACCES;
		fatalx("bad %s", "config");
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, status, 0), pid);
	return buf;
}

START_TEST(fatal_lines_say_fatal_and_fatal_adds_strerror)
{
	char want[256];
	int status;

	snprintf(want, sizeof(want), "fatal: cannot bind 192.0.2.1: %s\n",
	    strerror(EACCES));
	ck_assert_str_eq(fatal_line(true, &status), want);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 1);
	ck_assert_str_eq(fatal_line(false, &status), "fatal: bad config\n");
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 1);
}
END_TEST

/*
 * terminal
 */

START_TEST(terminal_lines_start_with_local_iso_time)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd ";
	struct termios tio;
	struct pollfd pfd;
	char buf[256];
	ssize_t n;
	int m, s;

	ck_assert_int_eq(openpty(&m, &s, NULL, NULL, NULL), 0);
	ck_assert_int_eq(tcgetattr(s, &tio), 0);
	cfmakeraw(&tio);
	ck_assert_int_eq(tcsetattr(s, TCSANOW, &tio), 0);
	ck_assert_int_ne(dup2(s, STDERR_FILENO), -1);
	log_init("test", true);
	log_info("(VI_1) %s", "up");
	pfd = (struct pollfd) { .fd = m, .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	n = read(m, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_uint_eq(strlen(buf), strlen(shape) + strlen("(VI_1) up\n"));
	for (size_t i = 0; i < strlen(shape); i++) {
		if (shape[i] == 'd')
			ck_assert_msg(isdigit((unsigned char)buf[i]),
			    "not a time: %s", buf);
		else
			ck_assert_msg(buf[i] == shape[i], "not a time: %s",
			    buf);
	}
	ck_assert_str_eq(buf + strlen(shape), "(VI_1) up\n");
}
END_TEST

static Suite *
log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc;

	tc = tcase_create("lines");
	tcase_add_checked_fixture(tc, capture_start, NULL);
	tcase_add_test(tc, info_logs_to_stderr_before_init);
	tcase_add_test(tc, stderr_lines_have_no_level_ident_or_time);
	tcase_add_test(tc, journal_stream_lines_carry_their_level);
	tcase_add_test(tc, warn_appends_strerror_and_preserves_errno);
	tcase_add_test(tc, warnx_has_no_strerror_and_preserves_errno);
	tcase_add_test(tc, every_call_preserves_errno);
	suite_add_tcase(s, tc);

	tc = tcase_create("debug");
	tcase_add_checked_fixture(tc, capture_start, NULL);
	tcase_add_test(tc, debug_is_silent_until_its_category_is_enabled);
	tcase_add_test(tc, set_debug_takes_a_comma_list_and_adds_to_the_mask);
	tcase_add_test(tc, set_debug_all_enables_every_category);
	tcase_add_test(tc, set_debug_rejects_unknown_names_and_changes_nothing);
	tcase_add_test(tc, debug_for_one_instance_writes_only_its_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("escape");
	tcase_add_checked_fixture(tc, capture_start, NULL);
	tcase_add_test(tc, control_characters_are_escaped_on_one_line);
	tcase_add_test(tc, printable_ascii_is_unchanged);
	tcase_add_test(tc, long_message_is_cut_with_an_ellipsis);
	tcase_add_test(tc, message_of_exactly_1024_bytes_is_not_cut);
	tcase_add_test(tc, cut_never_splits_an_escape);
	tcase_add_test(tc, cut_warn_keeps_its_strerror);
	suite_add_tcase(s, tc);

	tc = tcase_create("ratelimit");
	tcase_add_test(tc,
	    ratelimit_passes_once_per_interval_and_counts_the_rest);
	tcase_add_test(tc, ratelimit_first_call_passes_at_any_time);
	tcase_add_test(tc, ratelimit_with_zero_interval_always_passes);
	tcase_add_test(tc, ratelimit_passes_when_the_clock_goes_back);
	suite_add_tcase(s, tc);

	tc = tcase_create("fatal");
	tcase_add_checked_fixture(tc, capture_start, NULL);
	tcase_add_exit_test(tc, fatalx_exits_1, 1);
	tcase_add_exit_test(tc, fatal_exits_1, 1);
	tcase_add_test(tc, fatal_lines_say_fatal_and_fatal_adds_strerror);
	suite_add_tcase(s, tc);

	tc = tcase_create("terminal");
	tcase_add_test(tc, terminal_lines_start_with_local_iso_time);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(log_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
