/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A ZooKeeper client for the registry tests, on the single-threaded C
 * binding: every request is asynchronous and driven by zookeeper_interest()
 * and zookeeper_process() in a poll() loop against one deadline, so no
 * command hangs. Exit 0 on success, 1 on a ZooKeeper "no" (no node, node
 * exists, not authorised), an error or the timeout, 2 on usage.
 *
 * -t TIMEOUT_S bounds the whole command, connecting included (default 10);
 * -T SESSION_MS is the session timeout asked for (default 4000; the server
 * clamps it); -a USER:PASSWORD authenticates with the digest scheme and
 * makes what the command creates the creator's only; -v lets the library
 * log to stderr. get prints the value as is, tree one "PATH VALUE" line
 * per znode with control bytes escaped; set and hold create missing
 * parents, create does not.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zookeeper/zookeeper.h>

#define ZT_WAIT_POLL_MS 100 /* wait-exists, wait-gone: between checks */
#define ZT_STEP_MAX_MS	200 /* longest sleep: hold sees signals by then */
#define ZT_FOREVER	UINT64_MAX

/* A completion's context: the library hands back what it was given. */
#define ZT_CTX(p) ((struct zt *)(uintptr_t)(p))

/* The session and the one request in flight (there is never a second). */
struct zt {
	zhandle_t *zh;
	uint64_t deadline_ms; /* CLOCK_MONOTONIC, the whole command's */
	int timeout_s;
	int connected;
	int dead;      /* session expired or authentication failed */
	int timed_out; /* the deadline passed */
	struct ACL_vector *acl;
	/* the request in flight, filled by its completion */
	int done;
	int rc;
	struct Stat stat;
	char *value; /* get: a NUL-terminated copy */
	int value_len;
	char **names; /* ls: copies, sorted */
	int nnames;
};

typedef int zt_cmd_fn(struct zt *, char **);

struct zt_cmd {
	const char *name;
	int min_args;
	int max_args;
	zt_cmd_fn *fn;
};

static volatile sig_atomic_t zt_signalled;

static uint64_t
zt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
zt_watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
	struct zt *z = ctx;

	(void)zh;
	(void)path;
	if (type != ZOO_SESSION_EVENT)
		return;
	z->connected = state == ZOO_CONNECTED_STATE;
	if (state == ZOO_EXPIRED_SESSION_STATE ||
	    state == ZOO_AUTH_FAILED_STATE)
		z->dead = 1;
}

/*
 * One round of I/O: wait at most cap_ms for the session's socket or the
 * library's own timer, then let the library process what happened. Only
 * is_unrecoverable() tells a dead session: between two connection
 * attempts zookeeper_process() returns ZINVALIDSTATE too.
 */
static void
zt_step(struct zt *z, int cap_ms)
{
	struct pollfd pfd = { .fd = -1 };
	struct timeval tv;
	int fd = -1, interest = 0, rc, ms, events = 0;

	rc = zookeeper_interest(z->zh, &fd, &interest, &tv);
	ms = (int)(tv.tv_sec * 1000 + tv.tv_usec / 1000);
	/* a failed connect leaves no timer: do not spin on the next one */
	if (rc != ZOK && ms < 10)
		ms = 10;
	if (ms > cap_ms)
		ms = cap_ms;
	pfd.fd = fd;
	if (interest & ZOOKEEPER_READ)
		pfd.events |= POLLIN;
	if (interest & ZOOKEEPER_WRITE)
		pfd.events |= POLLOUT;
	if (poll(&pfd, 1, ms) > 0) {
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
			events |= ZOOKEEPER_READ;
		if (pfd.revents & (POLLOUT | POLLHUP | POLLERR))
			events |= ZOOKEEPER_WRITE;
	}
	if (fd != -1)
		(void)zookeeper_process(z->zh, events);
	if (is_unrecoverable(z->zh) == ZINVALIDSTATE)
		z->dead = 1;
}

/*
 * Runs the session until *flag is set (0) or, with flag NULL or not set,
 * until `until` or the session's end (-1). Stops at a signal in hold.
 */
static int
zt_pump(struct zt *z, const int *flag, uint64_t until)
{
	uint64_t now;

	for (;;) {
		if (flag != NULL && *flag)
			return 0;
		now = zt_now_ms();
		if (z->dead || zt_signalled || now >= until)
			return -1;
		if (until - now > ZT_STEP_MAX_MS)
			zt_step(z, ZT_STEP_MAX_MS);
		else
			zt_step(z, (int)(until - now));
	}
}

static void
zt_free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Forget the last request's results before the next one. */
static void
zt_begin(struct zt *z)
{
	free(z->value);
	zt_free_names(z->names, z->nnames);
	z->value = NULL;
	z->value_len = 0;
	z->names = NULL;
	z->nnames = 0;
	z->done = 0;
	z->rc = ZOK;
	memset(&z->stat, 0, sizeof(z->stat));
}

/* rc is what issuing the request returned; then wait for its completion. */
static int
zt_finish(struct zt *z, int rc)
{
	if (rc != ZOK)
		return rc;
	if (zt_pump(z, &z->done, z->deadline_ms) == 0)
		return z->rc;
	if (z->dead)
		return ZSESSIONEXPIRED;
	z->timed_out = 1;
	return ZOPERATIONTIMEOUT;
}

/*
 * A request lost with its connection (connection loss, or the library's
 * own receive timeout) is sent again once the session is back, until the
 * deadline. A create or delete sent twice may then see its own first
 * attempt (node exists, no node).
 */
static int
zt_again(struct zt *z, int rc)
{
	if ((rc != ZCONNECTIONLOSS && rc != ZOPERATIONTIMEOUT) ||
	    z->timed_out || z->dead)
		return 0;
	if (zt_pump(z, &z->connected, z->deadline_ms) == 0)
		return 1;
	z->timed_out = !z->dead;
	return 0;
}

static void
zt_void_cb(int rc, const void *data)
{
	struct zt *z = ZT_CTX(data);

	z->rc = rc;
	z->done = 1;
}

static void
zt_string_cb(int rc, const char *value, const void *data)
{
	(void)value;
	zt_void_cb(rc, data);
}

static void
zt_stat_cb(int rc, const struct Stat *stat, const void *data)
{
	struct zt *z = ZT_CTX(data);

	if (rc == ZOK && stat != NULL)
		z->stat = *stat;
	zt_void_cb(rc, data);
}

static void
zt_data_cb(int rc, const char *value, int value_len, const struct Stat *stat,
    const void *data)
{
	struct zt *z = ZT_CTX(data);

	if (rc == ZOK) {
		if (value == NULL || value_len < 0)
			value_len = 0;
		if ((z->value = malloc((size_t)value_len + 1)) == NULL) {
			rc = ZSYSTEMERROR;
		} else {
			if (value_len > 0)
				memcpy(z->value, value, (size_t)value_len);
			z->value[value_len] = '\0';
			z->value_len = value_len;
		}
	}
	zt_stat_cb(rc, stat, data);
}

static int
zt_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
zt_strings_cb(int rc, const struct String_vector *sv, const void *data)
{
	struct zt *z = ZT_CTX(data);
	int n = sv != NULL ? sv->count : 0;

	if (rc == ZOK && n > 0) {
		if ((z->names = calloc((size_t)n, sizeof(char *))) == NULL)
			rc = ZSYSTEMERROR;
		for (int i = 0; rc == ZOK && i < n; i++) {
			if ((z->names[i] = strdup(sv->data[i])) == NULL)
				rc = ZSYSTEMERROR;
			z->nnames = i + 1;
		}
		if (rc == ZOK)
			qsort(z->names, (size_t)n, sizeof(char *),
			    zt_cmp_names);
	}
	zt_void_cb(rc, data);
}

static int
zt_get(struct zt *z, const char *path)
{
	int rc;

	do {
		zt_begin(z);
		rc = zt_finish(z, zoo_aget(z->zh, path, 0, zt_data_cb, z));
	} while (zt_again(z, rc));
	return rc;
}

static int
zt_exists(struct zt *z, const char *path)
{
	int rc;

	do {
		zt_begin(z);
		rc = zt_finish(z, zoo_aexists(z->zh, path, 0, zt_stat_cb, z));
	} while (zt_again(z, rc));
	return rc;
}

static int
zt_ls(struct zt *z, const char *path)
{
	int rc;

	do {
		zt_begin(z);
		rc = zt_finish(z,
		    zoo_aget_children(z->zh, path, 0, zt_strings_cb, z));
	} while (zt_again(z, rc));
	return rc;
}

static int
zt_set(struct zt *z, const char *path, const char *value)
{
	int rc;

	do {
		zt_begin(z);
		rc = zt_finish(z,
		    zoo_aset(z->zh, path, value, (int)strlen(value), -1,
			zt_stat_cb, z));
	} while (zt_again(z, rc));
	return rc;
}

static int
zt_create(struct zt *z, const char *path, const char *value, int mode)
{
	int rc;

	do {
		zt_begin(z);
		rc = zt_finish(z,
		    zoo_acreate(z->zh, path, value, (int)strlen(value), z->acl,
			mode, zt_string_cb, z));
	} while (zt_again(z, rc));
	return rc;
}

static int
zt_delete(struct zt *z, const char *path)
{
	int rc;

	do {
		zt_begin(z);
		rc = zt_finish(z, zoo_adelete(z->zh, path, -1, zt_void_cb, z));
	} while (zt_again(z, rc));
	return rc;
}

/* Every ancestor of path that is missing, created persistent and empty. */
static int
zt_parents(struct zt *z, const char *path)
{
	char *p;
	int rc = ZOK;

	if ((p = strdup(path)) == NULL)
		return ZSYSTEMERROR;
	for (char *s = strchr(p + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		rc = zt_create(z, p, "", 0);
		*s = '/';
		if (rc != ZOK && rc != ZNODEEXISTS)
			break;
		rc = ZOK;
	}
	free(p);
	return rc;
}

static char *
zt_child(const char *parent, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", strcmp(parent, "/") == 0 ? "" : parent,
		name) == -1)
		return NULL;
	return p;
}

/* Reports a failed request on stderr; the exit status for it. */
static int
zt_report(struct zt *z, const char *cmd, const char *path, int rc)
{
	if (rc == ZOK)
		return 0;
	if (z->timed_out)
		fprintf(stderr, "zk_tool: %s %s: timed out after %d s%s\n", cmd,
		    path, z->timeout_s, z->connected ? "" : " (no session)");
	else if (z->dead)
		fprintf(stderr, "zk_tool: %s %s: session expired\n", cmd, path);
	else
		fprintf(stderr, "zk_tool: %s %s: %s\n", cmd, path, zerror(rc));
	return 1;
}

static int
cmd_get(struct zt *z, char **av)
{
	int rc;

	if ((rc = zt_get(z, av[0])) == ZOK) {
		fwrite(z->value, 1, (size_t)z->value_len, stdout);
		putchar('\n');
	}
	return zt_report(z, "get", av[0], rc);
}

static int
cmd_set(struct zt *z, char **av)
{
	int rc;

	rc = zt_set(z, av[0], av[1]);
	if (rc == ZNONODE) {
		rc = zt_parents(z, av[0]);
		if (rc == ZOK)
			rc = zt_create(z, av[0], av[1], 0);
		/* created by someone else meanwhile: set it */
		if (rc == ZNODEEXISTS)
			rc = zt_set(z, av[0], av[1]);
	}
	return zt_report(z, "set", av[0], rc);
}

/* create [-e] PATH VALUE; create -q COUNT PREFIX VALUE: COUNT persistent
 * sequential znodes PREFIX<sequence> (a history's entries, say) */
static int
cmd_create(struct zt *z, char **av)
{
	int mode = 0, count = 1, rc = ZOK;

	if (strcmp(av[0], "-e") == 0) {
		mode = ZOO_EPHEMERAL;
		av++;
	} else if (strcmp(av[0], "-q") == 0 && av[1] != NULL) {
		mode = ZOO_PERSISTENT_SEQUENTIAL;
		count = atoi(av[1]);
		av += 2;
	}
	if (av[0] == NULL || av[1] == NULL || av[2] != NULL || count < 1) {
		fprintf(stderr,
		    "usage: zk_tool create [-e] PATH VALUE\n"
		    "       zk_tool create -q COUNT PREFIX VALUE\n");
		return 2;
	}
	for (int i = 0; i < count && rc == ZOK; i++)
		rc = zt_create(z, av[0], av[1], mode);
	return zt_report(z, "create", av[0], rc);
}

static int
cmd_ls(struct zt *z, char **av)
{
	int rc;

	if ((rc = zt_ls(z, av[0])) == ZOK)
		for (int i = 0; i < z->nnames; i++)
			printf("%s\n", z->names[i]);
	return zt_report(z, "ls", av[0], rc);
}

static int
cmd_stat(struct zt *z, char **av)
{
	int rc;

	if ((rc = zt_exists(z, av[0])) == ZOK)
		printf("ephemeralOwner=0x%" PRIx64 " version=%" PRId32
		       " dataLength=%" PRId32 "\n",
		    (uint64_t)z->stat.ephemeralOwner, z->stat.version,
		    z->stat.dataLength);
	return zt_report(z, "stat", av[0], rc);
}

static int
cmd_exists(struct zt *z, char **av)
{
	int rc;

	/* "no" is the answer, not an error: no message */
	if ((rc = zt_exists(z, av[0])) == ZNONODE)
		return 1;
	return zt_report(z, "exists", av[0], rc);
}

static int
cmd_rm(struct zt *z, char **av)
{
	return zt_report(z, "rm", av[0], zt_delete(z, av[0]));
}

/* Takes the children of the last ls out of z (the caller frees them). */
static char **
zt_take_names(struct zt *z, int *n)
{
	char **names = z->names;

	*n = z->nnames;
	z->names = NULL;
	z->nnames = 0;
	return names;
}

/* Deletes path and everything below it, children first. */
static int
zt_rmr(struct zt *z, const char *path)
{
	char **names, *child;
	int n, rc;

	if ((rc = zt_ls(z, path)) != ZOK)
		return rc;
	names = zt_take_names(z, &n);
	for (int i = 0; i < n && (rc == ZOK || rc == ZNONODE); i++) {
		if ((child = zt_child(path, names[i])) == NULL) {
			rc = ZSYSTEMERROR;
			break;
		}
		rc = zt_rmr(z, child);
		free(child);
	}
	zt_free_names(names, n);
	/* a child gone meanwhile is as good as deleted */
	if (rc == ZOK || rc == ZNONODE)
		rc = zt_delete(z, path);
	return rc;
}

static int
cmd_rmr(struct zt *z, char **av)
{
	return zt_report(z, "rmr", av[0], zt_rmr(z, av[0]));
}

/* A value on one line: control bytes and backslashes escaped. */
static void
zt_print_value(const char *v, int len)
{
	for (int i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '\\')
			fputs("\\\\", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

/* Prints path and every znode below it, depth first, children sorted. */
static int
zt_tree(struct zt *z, const char *path)
{
	char **names, *child;
	int n, rc;

	if ((rc = zt_get(z, path)) != ZOK)
		return rc;
	fputs(path, stdout);
	if (z->value_len > 0) {
		putchar(' ');
		zt_print_value(z->value, z->value_len);
	}
	putchar('\n');
	if ((rc = zt_ls(z, path)) != ZOK)
		return rc;
	names = zt_take_names(z, &n);
	for (int i = 0; i < n && (rc == ZOK || rc == ZNONODE); i++) {
		if ((child = zt_child(path, names[i])) == NULL) {
			rc = ZSYSTEMERROR;
			break;
		}
		rc = zt_tree(z, child);
		free(child);
	}
	zt_free_names(names, n);
	/* a child deleted meanwhile is not an error */
	return rc == ZNONODE ? ZOK : rc;
}

static int
cmd_tree(struct zt *z, char **av)
{
	return zt_report(z, "tree", av[0], zt_tree(z, av[0]));
}

/* Polls until path's existence is `want` (ZOK or ZNONODE). */
static int
zt_wait(struct zt *z, const char *cmd, const char *path, int want)
{
	uint64_t next;
	int rc;

	for (;;) {
		rc = zt_exists(z, path);
		if (rc == want)
			return 0;
		if (rc != ZOK && rc != ZNONODE && !z->timed_out)
			return zt_report(z, cmd, path, rc);
		next = zt_now_ms() + ZT_WAIT_POLL_MS;
		if (z->timed_out || next > z->deadline_ms) {
			fprintf(stderr,
			    "zk_tool: %s %s: timed out after %d s\n", cmd, path,
			    z->timeout_s);
			return 1;
		}
		(void)zt_pump(z, NULL, next);
	}
}

static int
cmd_wait_exists(struct zt *z, char **av)
{
	return zt_wait(z, "wait-exists", av[0], ZOK);
}

static int
cmd_wait_gone(struct zt *z, char **av)
{
	return zt_wait(z, "wait-gone", av[0], ZNONODE);
}

static void
zt_on_signal(int sig)
{
	(void)sig;
	zt_signalled = 1;
}

/*
 * Creates an ephemeral node (parents persistent) and keeps the session
 * until SIGTERM or SIGINT (exit 0: the session is closed, the node goes)
 * or until the session expires (exit 1).
 */
static int
cmd_hold(struct zt *z, char **av)
{
	struct sigaction sa = { .sa_handler = zt_on_signal };
	int rc;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	rc = zt_parents(z, av[0]);
	if (rc == ZOK)
		rc = zt_create(z, av[0], av[1], ZOO_EPHEMERAL);
	if (rc != ZOK)
		return zt_report(z, "hold", av[0], rc);
	printf("held %s session=0x%" PRIx64 "\n", av[0],
	    (uint64_t)zoo_client_id(z->zh)->client_id);
	fflush(stdout);
	(void)zt_pump(z, NULL, ZT_FOREVER);
	if (zt_signalled)
		return 0;
	fprintf(stderr, "zk_tool: hold %s: session expired\n", av[0]);
	return 1;
}

static const struct zt_cmd zt_cmds[] = {
	{ "get", 1, 1, cmd_get },
	{ "set", 2, 2, cmd_set },
	{ "create", 2, 4, cmd_create },
	{ "ls", 1, 1, cmd_ls },
	{ "stat", 1, 1, cmd_stat },
	{ "exists", 1, 1, cmd_exists },
	{ "rm", 1, 1, cmd_rm },
	{ "rmr", 1, 1, cmd_rmr },
	{ "tree", 1, 1, cmd_tree },
	{ "wait-exists", 1, 1, cmd_wait_exists },
	{ "wait-gone", 1, 1, cmd_wait_gone },
	{ "hold", 2, 2, cmd_hold },
};

static int
usage(void)
{
	fprintf(stderr,
	    "usage: zk_tool -s SERVERS [-t TIMEOUT_S] [-T SESSION_MS] "
	    "[-a USER:PASSWORD] [-v] CMD ARGS\n"
	    "  get PATH | set PATH VALUE | create [-e] PATH VALUE | ls PATH\n"
	    "  stat PATH | exists PATH | rm PATH | rmr PATH | tree PATH\n"
	    "  wait-exists PATH | wait-gone PATH | hold PATH VALUE\n");
	return 2;
}

/* Opens the session (and authenticates) before the deadline. */
static int
zt_connect(struct zt *z, const char *servers, int session_ms, const char *auth)
{
	int rc;

	z->zh = zookeeper_init(servers, zt_watcher, session_ms, NULL, z, 0);
	if (z->zh == NULL) {
		fprintf(stderr, "zk_tool: %s: %s\n", servers, strerror(errno));
		return -1;
	}
	if (zt_pump(z, &z->connected, z->deadline_ms) == -1) {
		if (z->dead)
			fprintf(stderr, "zk_tool: session expired (%s)\n",
			    servers);
		else
			fprintf(stderr,
			    "zk_tool: timed out after %d s (no session with "
			    "%s)\n",
			    z->timeout_s, servers);
		return -1;
	}
	if (auth == NULL)
		return 0;
	zt_begin(z);
	rc = zt_finish(z,
	    zoo_add_auth(z->zh, "digest", auth, (int)strlen(auth), zt_void_cb,
		z));
	return zt_report(z, "auth", "digest", rc) == 0 ? 0 : -1;
}

static const struct zt_cmd *
zt_find_cmd(const char *name, int nargs)
{
	const struct zt_cmd *cmd;

	for (size_t i = 0; i < sizeof(zt_cmds) / sizeof(zt_cmds[0]); i++) {
		cmd = &zt_cmds[i];
		if (strcmp(cmd->name, name) != 0)
			continue;
		if (nargs < cmd->min_args || nargs > cmd->max_args)
			return NULL;
		return cmd;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct zt z = { .acl = &ZOO_OPEN_ACL_UNSAFE, .timeout_s = 10 };
	const struct zt_cmd *cmd;
	const char *servers = NULL, *auth = NULL;
	int c, session_ms = 4000, verbose = 0, ret = 1;

	while ((c = getopt(argc, argv, "+s:t:T:a:v")) != -1) {
		switch (c) {
		case 's':
			servers = optarg;
			break;
		case 't':
			z.timeout_s = atoi(optarg);
			break;
		case 'T':
			session_ms = atoi(optarg);
			break;
		case 'a':
			auth = optarg;
			z.acl = &ZOO_CREATOR_ALL_ACL;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (servers == NULL || argc < 1 || z.timeout_s < 1 || session_ms < 1 ||
	    (cmd = zt_find_cmd(argv[0], argc - 1)) == NULL)
		return usage();
	zoo_set_debug_level(verbose ? ZOO_LOG_LEVEL_INFO : (ZooLogLevel)0);
	signal(SIGPIPE, SIG_IGN);
	z.deadline_ms = zt_now_ms() + (uint64_t)z.timeout_s * 1000;
	if (zt_connect(&z, servers, session_ms, auth) == 0)
		ret = cmd->fn(&z, argv + 1);
	zt_begin(&z);
	if (z.zh != NULL)
		zookeeper_close(z.zh);
	fflush(stdout);
	return ret;
}
