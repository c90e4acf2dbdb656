/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl's text layout: column tables, wrapped lines, durations. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

struct tbl_note {
	struct tbl_note *next;
	size_t indent;
	const char *color;
	char *label;
	char *text;
};

size_t
text_width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* The bytes of the first w characters of s. */
static size_t
text_bytes(const char *s, size_t w)
{
	size_t i = 0;

	for (; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && w-- == 0)
			break;
	return i;
}

void
text_clean(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void
spaces(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* One line's worth of text from s: its bytes, and where the next starts. */
static size_t
wrap_line(const char *s, size_t room, const char **next)
{
	size_t len = strlen(s), cut, i, last_space = 0;

	if (text_width(s) <= room) {
		*next = s + len;
		return len;
	}
	cut = text_bytes(s, room);
	for (i = 1; i < cut; i++)
		if (s[i] == ' ')
			last_space = i;
	if (s[cut] == ' ')
		last_space = cut;
	if (last_space > 0)
		cut = last_space;
	*next = s + cut;
	while (**next == ' ')
		(*next)++;
	return cut;
}

void
text_wrap(FILE *f, size_t indent, const char *label, const char *text,
    const char *color, int width)
{
	size_t hang = indent + text_width(label), room, n;
	const char *s = text, *next;

	room = (size_t)width > hang + 10 ? (size_t)width - hang : 10;
	spaces(f, indent);
	fputs(label, f);
	do {
		n = wrap_line(s, room, &next);
		if (s != text)
			spaces(f, hang);
		fprintf(f, "%s%.*s%s\n", color != NULL ? color : "", (int)n, s,
		    color != NULL ? RC_RESET : "");
		s = next;
	} while (*s != '\0');
}

void
tbl_init(struct tbl *t, const struct tbl_col *cols, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols < TBL_COLS ? ncols : TBL_COLS;
	t->header = true;
}

void
tbl_row(struct tbl *t)
{
	struct tbl_row *rows;
	size_t cap;

	if (t->nrows == t->cap) {
		cap = t->cap == 0 ? 8 : t->cap * 2;
		if ((rows = realloc(t->rows, cap * sizeof(*rows))) == NULL) {
			t->oom = true;
			return;
		}
		t->rows = rows;
		t->cap = cap;
	}
	memset(&t->rows[t->nrows], 0, sizeof(t->rows[0]));
	t->rows[t->nrows].tail = &t->rows[t->nrows].notes;
	t->nrows++;
}

void
tbl_cell(struct tbl *t, size_t col, const char *color, const char *fmt, ...)
{
	struct tbl_row *r;
	va_list ap;
	char *s;
	int n;

	if (t->nrows == 0 || col >= t->ncols)
		return;
	r = &t->rows[t->nrows - 1];
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->oom = true;
		return;
	}
	text_clean(s);
	free(r->cell[col]);
	r->cell[col] = s;
	r->color[col] = color;
}

void
tbl_note(struct tbl *t, size_t indent, const char *color, const char *label,
    const char *fmt, ...)
{
	struct tbl_note *nt;
	struct tbl_row *r;
	va_list ap;
	int n;

	if (t->nrows == 0)
		return;
	r = &t->rows[t->nrows - 1];
	if ((nt = calloc(1, sizeof(*nt))) == NULL ||
	    (nt->label = strdup(label)) == NULL) {
		free(nt);
		t->oom = true;
		return;
	}
	va_start(ap, fmt);
	n = vasprintf(&nt->text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		free(nt->label);
		free(nt);
		t->oom = true;
		return;
	}
	text_clean(nt->text);
	nt->indent = indent;
	nt->color = color;
	*r->tail = nt;
	r->tail = &nt->next;
}

/* Natural widths, then the columns that give way narrowed, widest first. */
static void
tbl_widths(const struct tbl *t, size_t *w, int width)
{
	size_t total, widest, min;

	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = t->header ? text_width(t->cols[c].head) : 0;
		if (t->minw[c] > w[c])
			w[c] = t->minw[c];
		for (size_t r = 0; r < t->nrows; r++)
			if (t->rows[r].cell[c] != NULL &&
			    text_width(t->rows[r].cell[c]) > w[c])
				w[c] = text_width(t->rows[r].cell[c]);
	}
	for (;;) {
		total = t->indent + 2 * (t->ncols - 1);
		widest = t->ncols;
		for (size_t c = 0; c < t->ncols; c++) {
			total += w[c];
			min = t->header ? text_width(t->cols[c].head) : 0;
			if (min < 4)
				min = 4;
			if ((t->cols[c].shrink || t->cols[c].wrap) &&
			    w[c] > min &&
			    (widest == t->ncols || w[c] > w[widest]))
				widest = c;
		}
		if (total <= (size_t)width || widest == t->ncols)
			return;
		w[widest]--;
	}
}

static void
tbl_print_cell(FILE *f, const char *s, const char *color, size_t w, bool right,
    bool last)
{
	size_t vis = text_width(s), pad;

	if (vis > w && w == 0)
		return;
	if (vis > w) {
		fprintf(f, "%s%.*s~%s", color != NULL ? color : "",
		    (int)text_bytes(s, w - 1), s,
		    color != NULL ? RC_RESET : "");
		return;
	}
	pad = w - vis;
	if (right)
		spaces(f, pad);
	fprintf(f, "%s%s%s", color != NULL ? color : "", s,
	    color != NULL ? RC_RESET : "");
	if (!right && !last)
		spaces(f, pad);
}

/* The last cell, wrapped at spaces, continuation lines at column pos. */
static void
tbl_print_wrapped(FILE *f, const char *s, const char *color, size_t w,
    size_t pos)
{
	const char *next;
	size_t n;

	for (;;) {
		n = wrap_line(s, w, &next);
		fprintf(f, "%s%.*s%s", color != NULL ? color : "", (int)n, s,
		    color != NULL ? RC_RESET : "");
		if (*(s = next) == '\0')
			return;
		fputc('\n', f);
		spaces(f, pos);
	}
}

static void
tbl_print_row(const struct tbl *t, FILE *f, const size_t *w,
    const char *const *cells, const char *const *colors)
{
	size_t last = t->ncols, pos = t->indent;

	/* Trailing empty cells print nothing, not spaces. */
	while (last > 0 && (cells[last - 1] == NULL || *cells[last - 1] == 0))
		last--;
	spaces(f, t->indent);
	for (size_t c = 0; c < last; c++) {
		if (c > 0)
			spaces(f, 2);
		pos += c > 0 ? 2 : 0;
		if (c + 1 == last && t->cols[c].wrap && cells[c] != NULL) {
			tbl_print_wrapped(f, cells[c],
			    colors != NULL ? colors[c] : NULL, w[c], pos);
			break;
		}
		pos += w[c];
		tbl_print_cell(f, cells[c] != NULL ? cells[c] : "",
		    colors != NULL ? colors[c] : NULL, w[c], t->cols[c].right,
		    c + 1 == last);
	}
	fputc('\n', f);
}

void
tbl_print(const struct tbl *t, FILE *f, bool color, int width)
{
	const char *heads[TBL_COLS], *nocolor[TBL_COLS] = { NULL };
	size_t w[TBL_COLS];

	tbl_widths(t, w, width);
	if (t->header) {
		for (size_t c = 0; c < t->ncols; c++)
			heads[c] = t->cols[c].head;
		tbl_print_row(t, f, w, heads, nocolor);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		const struct tbl_row *row = &t->rows[r];

		tbl_print_row(t, f, w, (const char *const *)row->cell,
		    color ? row->color : nocolor);
		for (const struct tbl_note *n = row->notes; n != NULL;
		     n = n->next)
			text_wrap(f, n->indent, n->label, n->text,
			    color ? n->color : NULL, width);
	}
}

void
tbl_free(struct tbl *t)
{
	struct tbl_note *n, *next;

	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < TBL_COLS; c++)
			free(t->rows[r].cell[c]);
		for (n = t->rows[r].notes; n != NULL; n = next) {
			next = n->next;
			free(n->label);
			free(n->text);
			free(n);
		}
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

char *
vrrpctl_fmt_ago(uint64_t ms, char *buf, size_t size)
{
	uint64_t s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, size, "%llums", (unsigned long long)ms);
	else if (s < 60)
		snprintf(buf, size, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%llum%02llus", (unsigned long long)s / 60,
		    (unsigned long long)s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%lluh%02llum",
		    (unsigned long long)s / 3600,
		    (unsigned long long)s % 3600 / 60);
	else
		snprintf(buf, size, "%llud%02lluh",
		    (unsigned long long)s / 86400,
		    (unsigned long long)s % 86400 / 3600);
	return buf;
}

char *
vrrpctl_fmt_ms(uint64_t ms, char *buf, size_t size)
{
	static const struct {
		const char *unit;
		uint64_t ms;
	} parts[] = { { "h", 3600000 }, { "m", 60000 }, { "s", 1000 },
		{ "ms", 1 } };
	size_t n = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (ms == 0)
		snprintf(buf, size, "0s");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (ms / parts[i].ms == 0 || n >= size)
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%llu%s",
		    (unsigned long long)(ms / parts[i].ms), parts[i].unit);
		ms %= parts[i].ms;
	}
	return buf;
}

char *
vrrpctl_fmt_us(uint64_t us, char *buf, size_t size)
{
	if (us < 1000)
		snprintf(buf, size, "%lluus", (unsigned long long)us);
	else if (us < 10000)
		snprintf(buf, size, "%.1fms", (double)us / 1000);
	else if (us < 1000000)
		snprintf(buf, size, "%llums", (unsigned long long)us / 1000);
	else
		snprintf(buf, size, "%.1fs", (double)us / 1000000);
	return buf;
}
