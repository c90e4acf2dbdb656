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

#include "vrrpd/checker.h"
#include "vrrpd/log.h"

struct file_sub {
	checker_file_fn *fn;
	void *arg;
};

struct checker_file {
	const struct conf_track_file *tf;
	struct ev_loop *loop;
	int ifd;
	ev_io io;
	char base[NAME_MAX + 1]; /* the file's name in its directory */
	long value;
	struct file_sub *subs;
	size_t nsubs;
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
	for (size_t i = 0; i < f->nsubs; i++)
		f->subs[i].fn(f->subs[i].arg, f);
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

void
checker_file_free(struct checker_file *f)
{
	if (f == NULL)
		return;
	ev_io_stop(f->loop, &f->io);
	close(f->ifd);
	free(f->subs);
	free(f);
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

int
checker_file_subscribe(struct checker_file *f, checker_file_fn *fn, void *arg)
{
	struct file_sub *s = realloc(f->subs, (f->nsubs + 1) * sizeof(*s));

	if (s == NULL)
		return -1;
	f->subs = s;
	s[f->nsubs].fn = fn;
	s[f->nsubs].arg = arg;
	f->nsubs++;
	return 0;
}

void
checker_file_unsubscribe(struct checker_file *f, checker_file_fn *fn, void *arg)
{
	for (size_t i = 0; i < f->nsubs; i++)
		if (f->subs[i].fn == fn && f->subs[i].arg == arg) {
			memmove(&f->subs[i], &f->subs[i + 1],
			    (f->nsubs - i - 1) * sizeof(*f->subs));
			f->nsubs--;
			return;
		}
}
