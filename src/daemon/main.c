/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpd: command line entry point. */

#include <net/if.h>
#include <sys/resource.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>
#include <signal.h>

#include "vrrpd/conf.h"
#include "vrrpd/daemon.h"
#include "vrrpd/log.h"
#include "vrrpd/notify.h"
#include "vrrpd/util.h"
#include "vrrpd/net_netlink.h"
#include "vrrpd/vrrp_instance.h"

#define DEFAULT_CONF "/etc/keepalived/keepalived.conf"

enum {
	OPT_DEBUG = 255,
	OPT_DUMP_CONFIG = 256,
	OPT_FORMAT,
	OPT_CHECK_LIVE,
	OPT_SYSLOG,
	OPT_RELEASE_VIPS,
};

#define DEFAULT_SOCK CONF_CONTROL_SOCKET

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vrrpd [-hlnPtVD] [-f FILE] [-i ID] [-p PIDFILE] [--syslog]\n"
	    "             [--format yaml|keepalived] [--check-live] "
	    "[--dump-config]\n"
	    "             [--debug LIST]\n"
	    "  -f, --use-file FILE   configuration (default " DEFAULT_CONF ")\n"
	    "  -t, --config-test     check the configuration and exit\n"
	    "      --dump-config     print the configuration as YAML and exit\n"
	    "      --release-vips    remove the configured VIPs, virtual "
	    "routes and\n"
	    "                        VMACs left by a daemon that died "
	    "(systemd\n"
	    "                        ExecStopPost=) and exit\n"
	    "      --format FMT      yaml or keepalived (default: by extension)\n"
	    "      --check-live      also check interfaces on this host\n"
	    "  -i, --config-id ID    keepalived @ID lines (default: hostname)\n"
	    "  -P, --vrrp            LVS is handled elsewhere: skip "
	    "virtual_server\n"
	    "  -p, --pid FILE        pid file (default " VRRPD_PIDFILE ",\n"
	    "                        in a network namespace NS "
	    "/run/vrrpd/NS/vrrpd.pid)\n"
	    "  -S, --socket PATH     control socket (default: control_socket, "
	    "else\n"
	    "                        " DEFAULT_SOCK ", in NS "
	    "/run/vrrpd/NS/vrrpd.sock)\n"
	    "      --syslog          log to syslog instead of stderr\n"
	    "      --debug LIST      debug categories: pkt,fsm,net,check,ctl,\n"
	    "                        conf,zk,all\n"
	    "  -n, -l, -D            keepalived's flags, accepted: vrrpd runs "
	    "in the\n"
	    "                        foreground and logs to stderr\n"
	    "  -h, --help            this text\n"
	    "  -V, --version         print the version and exit\n");
}

struct args {
	const char *file;
	const char *pidfile; /* -p; NULL: the namespace's default */
	const char *sock;    /* -S; NULL: the configuration's */
	struct conf_opts opts;
	bool test;
	bool dump;
	bool syslog;
	bool release;
	/* filled by enter_namespace() */
	bool entered;
	char ns[NAME_MAX + 1]; /* the namespace's name, "": none */
	char pidbuf[PATH_MAX]; /* the default pid file there */
	char sockbuf[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static int
parse_format(const char *s, enum conf_format *out)
{
	if (strcmp(s, "yaml") == 0)
		*out = CONF_FMT_YAML;
	else if (strcmp(s, "keepalived") == 0)
		*out = CONF_FMT_KEEPALIVED;
	else
		return -1;
	return 0;
}

/* Returns -1 to continue, or the exit status. */
static int
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{ "use-file", required_argument, NULL, 'f' },
		{ "config-test", no_argument, NULL, 't' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "vrrp", no_argument, NULL, 'P' },
		{ "dump-config", no_argument, NULL, OPT_DUMP_CONFIG },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "check-live", no_argument, NULL, OPT_CHECK_LIVE },
		{ "debug", required_argument, NULL, OPT_DEBUG },
		{ "pid", required_argument, NULL, 'p' },
		{ "socket", required_argument, NULL, 'S' },
		{ "syslog", no_argument, NULL, OPT_SYSLOG },
		{ "release-vips", no_argument, NULL, OPT_RELEASE_VIPS },
		{ "dont-fork", no_argument, NULL, 'n' },
		{ "log-console", no_argument, NULL, 'l' },
		{ "log-detail", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	a->file = DEFAULT_CONF;
	while ((ch = getopt_long(argc, argv, "f:ti:p:S:PhVnlD", longopts,
		    NULL)) != -1) {
		switch (ch) {
		case 'f':
			a->file = optarg;
			break;
		case 't':
			a->test = true;
			break;
		case 'i':
			a->opts.config_id = optarg;
			break;
		case 'P':
			a->opts.lvs_elsewhere = true;
			break;
		case OPT_DUMP_CONFIG:
			a->dump = true;
			break;
		case OPT_FORMAT:
			if (parse_format(optarg, &a->opts.format) != 0) {
				fprintf(stderr,
				    "vrrpd: --format: expected "
				    "yaml or keepalived, got %s\n",
				    optarg);
				return EXIT_FAILURE;
			}
			break;
		case OPT_CHECK_LIVE:
			a->opts.check_live = true;
			break;
		case 'p':
			a->pidfile = optarg;
			break;
		case 'S':
			if (optarg[0] != '/') {
				fprintf(stderr,
				    "vrrpd: -S: expected an absolute path, "
				    "got %s\n",
				    optarg);
				return EXIT_FAILURE;
			}
			a->sock = optarg;
			break;
		case OPT_SYSLOG:
			a->syslog = true;
			break;
		case OPT_RELEASE_VIPS:
			a->release = true;
			break;
		case OPT_DEBUG:
			if (log_set_debug(optarg) != 0) {
				fprintf(stderr,
				    "vrrpd: --debug: unknown "
				    "category in %s\n",
				    optarg);
				return EXIT_FAILURE;
			}
			break;
		case 'n': /* keepalived: vrrpd never forks */
		case 'l': /* keepalived: vrrpd logs to stderr */
		case 'D': /* keepalived: transitions are always logged */
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("vrrpd %s\n", VRRPD_VERSION);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_FAILURE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vrrpd: unexpected argument %s\n",
		    argv[optind]);
		return EXIT_FAILURE;
	}
	return -1;
}

/*
 * The network namespace the daemon runs in: net_namespace, entered here
 * before any socket is opened, else the one it was started in (`ip netns
 * exec NS vrrpd`), named as `ip netns identify` names it. Its name picks
 * the default pid file and control socket, /run/vrrpd/NS/..., so that
 * daemons in two namespaces of one host do not collide.
 */
static int
enter_namespace(const struct conf *conf, struct args *a)
{
	const char *want = conf->global.net_namespace;

	a->entered = true;
	if (want != NULL) {
		if (daemon_netns_enter(want) != 0) {
			fprintf(stderr,
			    "vrrpd: net_namespace %s: cannot enter %s/%s: %s\n",
			    want, DAEMON_NETNS_DIR, want, strerror(errno));
			return -1;
		}
		snprintf(a->ns, sizeof(a->ns), "%s", want);
	} else if (daemon_netns_identify(a->ns, sizeof(a->ns)) < 0)
		a->ns[0] = '\0';
	if (a->pidfile == NULL) {
		if (daemon_run_path(a->ns, "vrrpd.pid", a->pidbuf,
			sizeof(a->pidbuf)) != 0)
			goto too_long;
		a->pidfile = a->pidbuf;
	}
	if (a->ns[0] != '\0' && a->sock == NULL &&
	    daemon_run_path(a->ns, "vrrpd.sock", a->sockbuf,
		sizeof(a->sockbuf)) != 0)
		goto too_long;
	/* vrrpd -t and --dump-config leave no trace */
	if (!a->test && !a->dump &&
	    (a->pidfile == a->pidbuf || a->sockbuf[0] != '\0') &&
	    daemon_run_dir_make(a->ns) != 0)
		fprintf(stderr, "vrrpd: cannot make %s/%s: %s\n",
		    DAEMON_RUN_DIR, a->ns, strerror(errno));
	return 0;
too_long:
	fprintf(stderr,
	    "vrrpd: the network namespace name %s is too long for the "
	    "runtime files; give -p and -S\n",
	    a->ns);
	return -1;
}

/*
 * The control socket to use instead of g's: -S, else in a named
 * namespace the namespace's when g has the default (written or not: it
 * would collide the same way), else none (g's own).
 */
static const char *
sock_for(const struct args *a, const struct conf_global *g)
{
	if (a->sock != NULL)
		return a->sock;
	if (a->sockbuf[0] == '\0' || g->control_socket == NULL ||
	    strcmp(g->control_socket, CONF_CONTROL_SOCKET) != 0)
		return NULL;
	return a->sockbuf;
}

static void
say_stderr(const char *msg)
{
	fprintf(stderr, "vrrpd: warning: %s\n", msg);
}

static void
say_log(const char *msg)
{
	log_warnx("%s", msg);
}

static void
no_event(void *arg, const struct net_link_ev *ev)
{
	(void)arg;
	(void)ev;
}

/* Remove the VIPs in v[0..n) that are present; returns how many. */
static size_t
release(struct net_link *nl, const struct conf_instance *ci,
    const struct conf_vip *v, size_t n)
{
	const char *own = ci->vmac.on ? ci->vmac.name : ci->interface;
	char buf[ADDR_STRLEN];
	unsigned int ifindex;
	size_t done = 0;

	for (size_t i = 0; i < n; i++) {
		ifindex = if_nametoindex(v[i].dev[0] != '\0' ? v[i].dev : own);
		if (ifindex == 0 ||
		    !net_link_addr_present(nl, ifindex, &v[i].addr))
			continue;
		addr_fmt(&v[i].addr, buf, sizeof(buf));
		if (net_link_addr_del(nl, ifindex, &v[i]) != 0) {
			log_warn("(%s) cannot remove %s/%u", ci->name, buf,
			    v[i].prefix);
			continue;
		}
		log_info("(%s) released %s/%u", ci->name, buf, v[i].prefix);
		done++;
	}
	return done;
}

/*
 * Remove ci's virtual routes and rules: only those marked with their
 * protocol match (vrrpd's own, or the one written), so an operator's
 * route to the same destination stays. Rules first, as a master drops
 * them. Returns how many could not be removed (logged).
 */
static size_t
release_routes(struct net_link *nl, const struct conf_instance *ci)
{
	size_t bad = 0;

	for (size_t i = 0; i < ci->nvrules; i++)
		if (net_link_rule_del(nl, &ci->vrules[i]) != 0) {
			log_warn("(%s) cannot remove virtual rule %zu",
			    ci->name, i + 1);
			bad++;
		}
	for (size_t i = 0; i < ci->nvroutes; i++)
		if (net_link_route_del(nl, &ci->vroutes[i]) != 0) {
			log_warn("(%s) cannot remove virtual route %zu",
			    ci->name, i + 1);
			bad++;
		}
	if (ci->nvrules + ci->nvroutes > bad)
		log_info("(%s) virtual routes and rules removed", ci->name);
	return bad;
}

/* Delete ci's VMAC: a private macvlan of its name on its interface. */
static size_t
release_vmac(struct net_link *nl, const struct conf_instance *ci)
{
	struct net_vmac v = { .name = ci->vmac.name,
		.parent = if_nametoindex(ci->interface),
		.any_mac = true }; /* virtual as master, its own as backup */
	unsigned int ifindex;

	if (!ci->vmac.on || v.parent == 0 ||
	    net_link_vmac_state(nl, &v, &ifindex) != NET_VMAC_MATCH)
		return 0;
	if (net_link_delete(nl, ifindex) != 0) {
		log_warn("(%s) cannot remove VMAC %s", ci->name, v.name);
		return 0;
	}
	log_info("(%s) removed VMAC %s", ci->name, v.name);
	return 1;
}

/*
 * --release-vips (keepalived pain point P4): after a crash or SIGKILL the
 * VIPs (and virtual routes, rules, VMACs) stay and clash with the new
 * master's. Refused while a daemon runs: it releases its own on stop.
 */
static int
release_vips(const struct conf *conf, const struct args *a)
{
	struct net_link *nl;
	size_t n = 0, links = 0;
	long other;
	int fd;

	log_init("vrrpd", !a->syslog);
	if ((fd = daemon_pidfile_open(a->pidfile, &other)) == -1 && other > 0) {
		log_warnx("--release-vips: vrrpd runs as pid %ld; it releases "
			  "its addresses when it stops",
		    other);
		return EXIT_FAILURE;
	}
	if ((nl = net_link_open(no_event, NULL)) == NULL) {
		log_warn("--release-vips: cannot open netlink");
		daemon_pidfile_close(fd, a->pidfile);
		return EXIT_FAILURE;
	}
	for (size_t i = 0; i < conf->ninstances; i++) {
		const struct conf_instance *ci = &conf->instances[i];

		n += release(nl, ci, ci->vips, ci->nvips);
		n += release(nl, ci, ci->vips_excluded, ci->nvips_excluded);
		(void)release_routes(nl, ci);
		links += release_vmac(nl, ci);
	}
	net_link_close(nl);
	daemon_pidfile_close(fd, a->pidfile);
	daemon_run_dir_remove(a->ns);
	log_info("--release-vips: %zu address%s released, %zu VMAC%s removed",
	    n, n == 1 ? "" : "es", links, links == 1 ? "" : "s");
	return EXIT_SUCCESS;
}

/* The running daemon: what the signal handlers work on. */
struct daemon {
	struct ev_loop *loop;
	struct vrrp_router *r;
	struct daemon_ctl *ctl;
	struct conf *conf; /* the running configuration */
	const struct args *args;
	ev_signal sigterm, sigint, sighup, sigusr1, sigusr2;
	struct daemon_cluster *cluster; /* the registry, or NULL */
	struct notify_fifo *fifo[2];	/* notify_fifo, vrrp_notify_fifo */
	ev_timer drain; /* after a stop: notification scripts finishing */
	ev_tstamp drain_until;
	bool stopping;
};

/* The notify FIFOs and their reader scripts, following g. */
static void
fifos_follow(struct daemon *d, const struct conf_global *g)
{
	static const char *const who[2] = { "notify_fifo", "vrrp_notify_fifo" };
	const char *path[2] = { g->notify_fifo, g->vrrp_notify_fifo };
	const struct conf_cmd *cmd[2] = { &g->notify_fifo_script,
		&g->vrrp_notify_fifo_script };

	for (int i = 0; i < 2; i++) {
		if (path[i] != NULL &&
		    notify_fifo_reload(d->fifo[i], path[i], cmd[i], g))
			continue;
		notify_fifo_free(d->fifo[i]);
		d->fifo[i] = path[i] == NULL ?
		    NULL :
		    notify_fifo_new(d->loop, who[i], path[i], cmd[i], g);
	}
}

static void
notify_status(const struct daemon *d, const char *what)
{
	daemon_notify("STATUS=%s, %zu instance%s", what, d->conf->ninstances,
	    d->conf->ninstances == 1 ? "" : "s");
}

static void
ready_cb(void *arg)
{
	struct daemon *d = arg;

	/* A stop during the start-up also ends the instances' waits. */
	if (d->stopping)
		return;
	daemon_notify("READY=1");
	notify_status(d, "running");
	log_info("vrrpd %s ready, %zu instance%s", VRRPD_VERSION,
	    d->conf->ninstances, d->conf->ninstances == 1 ? "" : "s");
}

#define DRAIN_S 5.0 /* the stop notifications may take this long */

static void
drain_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon *d = w->data;

	(void)revents;
	if ((!vrrp_router_notifying(d->r) &&
		!daemon_cluster_busy(d->cluster)) ||
	    ev_now(loop) >= d->drain_until)
		ev_break(loop, EVBREAK_ALL);
}

/*
 * SIGTERM / SIGINT: priority 0 from every master, addresses released;
 * then the notification scripts of those transitions may finish, and the
 * registry write them (at most DRAIN_S; a second signal ends the wait).
 */
static void
stop_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;

	(void)revents;
	if (d->stopping) {
		ev_break(loop, EVBREAK_ALL);
		return;
	}
	d->stopping = true;
	log_info("signal %d: stopping", w->signum);
	daemon_notify("STOPPING=1");
	vrrp_router_shutdown(d->r);
	if (!vrrp_router_notifying(d->r) && !daemon_cluster_busy(d->cluster)) {
		ev_break(loop, EVBREAK_ALL);
		return;
	}
	d->drain_until = ev_now(loop) + DRAIN_S;
	ev_timer_init(&d->drain, drain_cb, 0.05, 0.05);
	d->drain.data = d;
	ev_timer_start(loop, &d->drain);
}

/* Every error of a rejected file as "FILE:LINE:COL: error: MSG". */
static char **
diag_lines(const struct conf *conf, size_t *n)
{
	char **lines = calloc(conf->nerrors + 1, sizeof(*lines));
	const struct conf_diag *dg;

	*n = 0;
	for (size_t i = 0; lines != NULL && i < conf->ndiags; i++) {
		dg = &conf->diags[i];
		if (dg->sev != CONF_ERROR || *n >= conf->nerrors)
			continue;
		if (asprintf(&lines[*n], "%s:%u:%u: error: %s",
			dg->loc.file != NULL ? dg->loc.file : "?", dg->loc.line,
			dg->loc.col, dg->msg) < 0)
			break;
		log_warnx("reload: %s", lines[(*n)++]);
	}
	return lines;
}

static void
free_lines(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/*
 * The reload of SIGHUP and vrrpctl reload: the new file is loaded and
 * validated completely before anything changes; a bad one is logged and
 * the running configuration stays.
 */
/* conf: one line per load of the file, with what it holds. */
static struct conf *
load(const struct args *a)
{
	uint64_t t0 = util_now_us();
	struct conf *conf = conf_load_file(a->file, &a->opts);

	if (conf != NULL)
		log_debug(DBG_CONF,
		    "conf: %s read in %.3f ms: %zu instances, %zu checks, "
		    "%zu track_files, %zu track_processes, %zu errors",
		    a->file, (double)(util_now_us() - t0) / 1e3,
		    conf->ninstances, conf->nchecks, conf->ntrack_files,
		    conf->ntrack_procs, conf->nerrors);
	return conf;
}

static bool
same_namespace(const struct conf *a, const struct conf *b)
{
	const char *x = a->global.net_namespace, *y = b->global.net_namespace;

	return x == NULL || y == NULL ? x == y : strcmp(x, y) == 0;
}

static int
reload(void *arg, struct vrrp_reload_stats *st, char ***lines, size_t *n,
    char *msg, size_t msglen)
{
	struct daemon *d = arg;
	struct conf *conf;
	int rc = -1;

	*lines = NULL;
	*n = 0;
	daemon_notify("RELOADING=1");
	conf = load(d->args);
	if (conf == NULL || conf->nerrors > 0) {
		if (conf != NULL)
			*lines = diag_lines(conf, n);
		snprintf(msg, msglen, "%s rejected (%zu error%s)",
		    d->args->file, conf != NULL ? conf->nerrors : 0,
		    conf != NULL && conf->nerrors == 1 ? "" : "s");
	} else if (!same_namespace(conf, d->conf))
		snprintf(msg, msglen,
		    "%s rejected: net_namespace cannot change on a reload "
		    "(restart vrrpd)",
		    d->args->file);
	else if (vrrp_router_reload(d->r, conf, st) != 0)
		snprintf(msg, msglen, "%s rejected: a check cannot run",
		    d->args->file);
	else
		rc = 0;
	if (rc != 0) {
		log_warnx("reload: %s; the running configuration is unchanged",
		    msg);
		conf_free(conf);
		daemon_ctl_reloaded(d->ctl, false);
		daemon_notify("READY=1");
		notify_status(d, "running (last reload rejected)");
		return -1;
	}
	d->cluster = daemon_cluster_reload(d->cluster, d->loop, d->r, conf);
	daemon_ctl_set_registry(d->ctl, daemon_cluster_registry(d->cluster));
	fifos_follow(d, &conf->global);
	daemon_host_warnings(conf, say_log);
	conf_free(d->conf);
	d->conf = conf;
	if (daemon_ctl_configure(d->ctl, &conf->global,
		sock_for(d->args, &conf->global)) != 0)
		log_warnx("reload: the control socket or metrics listener "
			  "could not follow the new configuration");
	log_info("reload: %zu kept, %zu re-created, %zu added, %zu removed, "
		 "%zu with new addresses in place%s",
	    st->kept, st->recreated, st->added, st->removed, st->readdressed,
	    st->failed > 0 ? " (some failed to start)" : "");
	daemon_ctl_reloaded(d->ctl, true);
	daemon_notify("READY=1");
	notify_status(d, "running");
	return 0;
}

static void
reload_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;
	struct vrrp_reload_stats st;
	char **lines, msg[256];
	size_t n;

	(void)loop;
	(void)revents;
	log_info("signal %d: reloading %s", w->signum, d->args->file);
	if (reload(d, &st, &lines, &n, msg, sizeof(msg)) != 0)
		free_lines(lines, n);
}

/* SIGUSR1: every instance's state, in the log (keepalived writes its data
 * to /tmp/keepalived.data; without a handler the signal killed vrrpd). */
static void
state_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;

	(void)loop;
	(void)revents;
	vrrp_router_log_state(d->r);
}

/* SIGUSR2: the counters, in the log (keepalived writes them to /tmp). */
static void
stats_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;

	(void)loop;
	(void)revents;
	vrrp_router_log_stats(d->r);
}

static void
signal_on(struct daemon *d, ev_signal *w,
    void (*cb)(struct ev_loop *, ev_signal *, int), int signum)
{
	ev_signal_init(w, cb, signum);
	w->data = d;
	ev_signal_start(d->loop, w);
}

/*
 * Every check holds a descriptor while it runs: a thousand checks need
 * more than the usual soft limit of 1024 (systemd's unit sets 65536).
 */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* The daemon: one loop, every instance on it, until a stop signal. */
static int
run(struct conf *conf, const struct args *a)
{
	struct daemon d = { .loop = EV_DEFAULT, .conf = conf, .args = a };
	long other;
	int pidfd;

	log_init("vrrpd", !a->syslog);
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit();
	if ((pidfd = daemon_pidfile_open(a->pidfile, &other)) == -1) {
		if (other > 0)
			log_warnx("already running as pid %ld (%s is locked)",
			    other, a->pidfile);
		else
			log_warn("cannot write the pid file %s", a->pidfile);
		conf_free(d.conf);
		return EXIT_FAILURE;
	}
	if ((d.r = vrrp_router_new(d.loop)) == NULL) {
		log_warn("cannot open netlink");
		daemon_pidfile_close(pidfd, a->pidfile);
		conf_free(d.conf);
		return EXIT_FAILURE;
	}
	d.ctl = daemon_ctl_new(d.loop, d.r, a->file, reload, &d);
	if (d.ctl == NULL ||
	    daemon_ctl_configure(d.ctl, &conf->global,
		sock_for(a, &conf->global)) != 0) {
		log_warnx("cannot start: the control socket or the metrics "
			  "listener could not be opened");
		daemon_ctl_free(d.ctl);
		vrrp_router_free(d.r);
		daemon_pidfile_close(pidfd, a->pidfile);
		conf_free(d.conf);
		return EXIT_FAILURE;
	}
	signal_on(&d, &d.sigterm, stop_cb, SIGTERM);
	signal_on(&d, &d.sigint, stop_cb, SIGINT);
	signal_on(&d, &d.sighup, reload_cb, SIGHUP);
	signal_on(&d, &d.sigusr1, state_cb, SIGUSR1);
	signal_on(&d, &d.sigusr2, stats_cb, SIGUSR2);
	vrrp_router_set_ready_cb(d.r, ready_cb, &d);
	d.cluster = daemon_cluster_new(d.loop, d.r, d.conf);
	daemon_ctl_set_registry(d.ctl, daemon_cluster_registry(d.cluster));
	log_info("vrrpd %s starting, %zu instance%s from %s%s%s", VRRPD_VERSION,
	    conf->ninstances, conf->ninstances == 1 ? "" : "s", a->file,
	    a->ns[0] != '\0' ? " in network namespace " : "", a->ns);
	fifos_follow(&d, &d.conf->global);
	if (vrrp_router_load(d.r, d.conf) != 0) {
		vrrp_router_shutdown(d.r);
		daemon_cluster_free(d.cluster);
		daemon_ctl_free(d.ctl);
		vrrp_router_free(d.r);
		for (int i = 0; i < 2; i++)
			notify_fifo_free(d.fifo[i]);
		daemon_pidfile_close(pidfd, a->pidfile);
		conf_free(d.conf);
		return EXIT_FAILURE;
	}
	daemon_watchdog_start(d.loop);
	ev_run(d.loop, 0);
	daemon_watchdog_stop(d.loop);
	ev_timer_stop(d.loop, &d.drain);
	daemon_ctl_free(d.ctl);
	/* the instances' records go with the session, before the router */
	daemon_cluster_free(d.cluster);
	vrrp_router_free(d.r);
	/* after the notifiers: their last lines are in the FIFOs */
	for (int i = 0; i < 2; i++)
		notify_fifo_free(d.fifo[i]);
	daemon_pidfile_close(pidfd, a->pidfile);
	daemon_run_dir_remove(a->ns);
	conf_free(d.conf);
	log_info("vrrpd stopped");
	return EXIT_SUCCESS;
}

int
main(int argc, char **argv)
{
	struct args a = { 0 };
	struct conf *conf = NULL;
	bool live;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	/*
	 * --check-live looks at the namespace the daemon would run in: the
	 * file is read once for its net_namespace, then checked from there.
	 */
	live = a.opts.check_live;
	a.opts.check_live = false;
	for (int pass = 0; pass < (live ? 2 : 1); pass++) {
		if (pass == 1) {
			if (conf->global.net_namespace != NULL &&
			    enter_namespace(conf, &a) != 0) {
				conf_free(conf);
				return EXIT_FAILURE;
			}
			conf_free(conf);
			a.opts.check_live = true;
		}
		if ((conf = load(&a)) == NULL) {
			fprintf(stderr, "vrrpd: out of memory\n");
			return EXIT_FAILURE;
		}
	}
	/* What the daemon says at start, vrrpd -t says: the same lines. */
	rc = conf_print_diags(conf, stderr) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	daemon_host_warnings(conf, say_stderr);
	if (rc == EXIT_SUCCESS && a.dump && conf_emit_yaml(conf, stdout) != 0) {
		fprintf(stderr, "vrrpd: cannot write the YAML output\n");
		rc = EXIT_FAILURE;
	}
	if (rc == EXIT_SUCCESS && a.test)
		fprintf(stderr, "%s: configuration OK\n", a.file);
	if (a.test || a.dump || rc != EXIT_SUCCESS) {
		conf_free(conf);
		return rc;
	}
	if (!a.entered && enter_namespace(conf, &a) != 0) {
		conf_free(conf);
		return EXIT_FAILURE;
	}
	if (a.release) {
		rc = release_vips(conf, &a);
		conf_free(conf);
		return rc;
	}
	return run(conf, &a);
}
