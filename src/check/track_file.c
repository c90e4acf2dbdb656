/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived track_file: a file holding a number, watched with inotify on
 * its directory (editors and `mv` replace files), read again on every
 * change. Bounded reads; anything that is not a number counts as 0.
 */

#include <sys/inotify.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "checker_priv.h"
#include "vrrpd/log.h"

struct checker_file {
	struct tracker tr; /* first: a watched file is a tracker */
	const struct conf_track_file *tf;
	struct ev_loop *loop;
	int ifd;
	ev_io io;
	char base[NAME_MAX + 1]; /* the file's name in its directory */
	long value;
};

/* The first integer in the file, 0 when there is none (keepalived). */
static long
read_value(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 0);
}

static void
init_file(const struct conf_track_file *tf)
{
	FILE *f;

	if (!tf->has_init ||
	    (!tf->init_overwrite && access(tf->path, F_OK) == 0))
		return;
	if ((f = fopen(tf->path, "we")) == NULL) {
		log_warn("track_file %s: cannot write %s", tf->name, tf->path);
		return;
	}
	fprintf(f, "%d\n", tf->init_value);
	if (fclose(f) != 0)
		log_warn("track_file %s: cannot write %s", tf->name, tf->path);
}

static void
reread(struct checker_file *f)
{
	long v = read_value(f->tf->path);

	if (v == f->value)
		return;
	log_info("track_file %s: %s now %ld (was %ld)", f->tf->name,
	    f->tf->path, v, f->value);
	f->value = v;
	tracker_changed(&f->tr);
}

static void
inotify_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct checker_file *f = w->data;
	char buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	bool ours = false;
	ssize_t n;

	(void)loop;
	(void)revents;
	while ((n = read(f->ifd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			ours |= (ev->mask & IN_Q_OVERFLOW) != 0 ||
			    (ev->len > 0 && strcmp(ev->name, f->base) == 0);
		}
	if (ours)
		reread(f);
}

struct checker_file *
checker_file_new(struct ev_loop *loop, const struct conf_track_file *tf,
    const char **err)
{
	struct checker_file *f;
	char dir[PATH_MAX], name[PATH_MAX];

	if (tf->path == NULL || strlen(tf->path) >= sizeof(dir)) {
		*err = "no usable file path";
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	tracker_init(&f->tr, &tracker_ops_file, tf->name);
	f->tf = tf;
	f->loop = loop;
	strcpy(dir, tf->path);
	strcpy(name, tf->path);
	snprintf(f->base, sizeof(f->base), "%s", basename(name));
	f->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (f->ifd == -1 ||
	    inotify_add_watch(f->ifd, dirname(dir),
		IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
		    IN_DELETE | IN_MODIFY) == -1) {
		*err = strerror(errno);
		if (f->ifd >= 0)
			close(f->ifd);
		free(f);
		return NULL;
	}
	init_file(tf);
	f->value = read_value(tf->path);
	ev_io_init(&f->io, inotify_cb, f->ifd, EV_READ);
	f->io.data = f;
	ev_io_start(loop, &f->io);
	return f;
}

/* Subscribers are detached by tracker_free(), which comes here. */
static void
file_free(struct tracker *t)
{
	struct checker_file *f = (struct checker_file *)t;

	ev_io_stop(f->loop, &f->io);
	close(f->ifd);
	free(f);
}

void
checker_file_free(struct checker_file *f)
{
	if (f != NULL)
		tracker_free(&f->tr);
}

long
checker_file_value(const struct checker_file *f)
{
	return f->value;
}

const char *
checker_file_name(const struct checker_file *f)
{
	return f->tf->name;
}

void
checker_file_rebind(struct checker_file *f, const struct conf_track_file *tf)
{
	f->tf = tf;
}

/* ---- a watched file as a tracker ---- */

static struct tracker *
file_create(struct ev_loop *loop, const void *cfg, const struct conf_global *g,
    const char **err)
{
	struct checker_file *f = checker_file_new(loop, cfg, err);

	(void)g;
	return f != NULL ? &f->tr : NULL;
}

/* The same name and path: no init_file again on reload. */
static bool
file_same(const struct tracker *t, const void *cfg)
{
	const struct conf_track_file *a = ((const struct checker_file *)t)->tf;
	const struct conf_track_file *b = cfg;

	return strcmp(a->name, b->name) == 0 && strcmp(a->path, b->path) == 0;
}

static void
file_rebind(struct tracker *t, const void *cfg, const struct conf_global *g)
{
	(void)g;
	checker_file_rebind((struct checker_file *)t, cfg);
}

static void
file_state(const struct tracker *t, struct tracker_state *st)
{
	st->up = true;
	st->value = ((const struct checker_file *)t)->value;
}

static int
file_weight(const struct tracker *t, bool *reverse)
{
	const struct conf_track_file *tf = ((const struct checker_file *)t)->tf;

	*reverse = tf->reverse;
	return tf->weight;
}

static void
file_describe(const struct tracker *t, char *buf, size_t size)
{
	snprintf(buf, size, "track_file %s now %ld", t->name,
	    ((const struct checker_file *)t)->value);
}

const struct tracker_ops tracker_ops_file = {
	.kind = CONF_TRACK_FILE,
	.what = "track_file",
	.create = file_create,
	.same = file_same,
	.rebind = file_rebind,
	.state = file_state,
	.weight = file_weight,
	.describe = file_describe,
	.free = file_free,
};
