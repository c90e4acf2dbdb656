/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keepalived.conf tokenizer. Input is read one physical line at a time. A
 * line goes through include, then the preprocessor (kalex_expand.c: @ID,
 * $NAME=, ~SEQ/~LST and parameter expansion, in keepalived's order), and is
 * then cut into tokens that wait in a queue until kalex_next() hands them
 * out. Every byte of a line carries the column it was written at, so tokens
 * keep their location through expansion.
 */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_priv.h"
#include "kalex_priv.h"

#define KL_MAX_LINE KALEX_MAX_EXPANSION /* bytes of one physical line */

void *
kalex_realloc(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		abort();
	if ((p = realloc(p, n * size == 0 ? 1 : n * size)) == NULL)
		abort();
	return p;
}

bool
kalex_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Length of the parameter name at s: [A-Za-z_][A-Za-z0-9_]*. */
size_t
kalex_name_len(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	return i;
}

char *
kalex_mem_dup(const char *s, size_t n)
{
	char *d = kalex_realloc(NULL, n + 1, 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ---- lines ---- */

void
kalex_line_make(struct kl_line *ln, size_t len, unsigned int lineno)
{
	ln->s = kalex_realloc(NULL, len + 1, 1);
	ln->pos = kalex_realloc(NULL, len, sizeof(*ln->pos));
	ln->s[len] = '\0';
	ln->len = ln->cap = len;
	ln->lineno = lineno;
}

void
kalex_line_free(struct kl_line *ln)
{
	free(ln->s);
	free(ln->pos);
	memset(ln, 0, sizeof(*ln));
}

size_t
kalex_skip_space(const struct kl_line *ln, size_t i)
{
	while (i < ln->len && kalex_is_space(ln->s[i]))
		i++;
	return i;
}

struct conf_loc
kalex_loc_at(const struct kalex *lx, const struct kl_line *ln, size_t i)
{
	struct conf_loc loc = { lx->file, ln->lineno, 1 };

	if (i < ln->len)
		loc.col = ln->pos[i].col;
	else if (ln->len > 0)
		loc.col = ln->pos[ln->len - 1].col + 1;
	return loc;
}

/* ---- tokens ---- */

static void
pool_put(struct kalex *lx, char c)
{
	if (lx->plen == lx->pcap) {
		lx->pcap = lx->pcap == 0 ? 256 : lx->pcap * 2;
		lx->pool = kalex_realloc(lx->pool, lx->pcap, 1);
	}
	lx->pool[lx->plen++] = c;
}

static void
tok_begin(struct kalex *lx, const struct kl_line *ln, size_t i, bool bol)
{
	struct kl_tok *t;

	if (lx->ntoks == lx->captoks) {
		lx->captoks = lx->captoks == 0 ? 64 : lx->captoks * 2;
		lx->toks =
		    kalex_realloc(lx->toks, lx->captoks, sizeof(*lx->toks));
	}
	t = &lx->toks[lx->ntoks++];
	memset(t, 0, sizeof(*t));
	t->off = lx->plen;
	t->loc = kalex_loc_at(lx, ln, i);
	t->bol = bol;
	lx->tok_long = false;
}

static void
tok_add(struct kalex *lx, char c)
{
	struct kl_tok *t = &lx->toks[lx->ntoks - 1];

	if (lx->plen - t->off < CONF_MAX_TOKEN) {
		pool_put(lx, c);
		return;
	}
	if (!lx->tok_long)
		conf_diag(lx->conf, &t->loc, CONF_ERROR,
		    "token longer than %d bytes; truncated", CONF_MAX_TOKEN);
	lx->tok_long = true;
}

static void
tok_end(struct kalex *lx)
{
	struct kl_tok *t = &lx->toks[lx->ntoks - 1];

	t->len = lx->plen - t->off;
	pool_put(lx, '\0');
}

static int
simple_escape(char c)
{
	switch (c) {
	case 'a':
		return '\a';
	case 'b':
		return '\b';
	case 'E':
		return 033;
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'v':
		return '\v';
	}
	return -1;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The escape after a backslash, at s[i] in a "string"; returns the next i. */
static size_t
unescape(struct kalex *lx, const struct kl_line *ln, size_t i)
{
	const char *s = ln->s;
	unsigned int v = 0;
	size_t k;
	int c;

	if ((c = simple_escape(s[i])) != -1) {
		tok_add(lx, (char)c);
		return i + 1;
	}
	if (s[i] >= '0' && s[i] <= '7') {
		for (k = 0; k < 3 && i < ln->len && s[i] >= '0' && s[i] <= '7';
		     k++)
			v = v * 8 + (unsigned int)(s[i++] - '0');
		tok_add(lx, (char)(v & 0xff));
		return i;
	}
	if (s[i] == 'x' && i + 1 < ln->len && hex_digit(s[i + 1]) != -1) {
		for (k = 0, i++;
		     k < 2 && i < ln->len && (c = hex_digit(s[i])) != -1;
		     k++, i++)
			v = v * 16 + (unsigned int)c;
		tok_add(lx, (char)v);
		return i;
	}
	if (s[i] == 'c' && i + 1 < ln->len) {
		/* The control character: \cA and \ca are 0x01, \c? is DEL. */
		tok_add(lx, s[i + 1] == '?' ? 0x7f : (char)(s[i + 1] & 0x1f));
		return i + 2;
	}
	tok_add(lx, s[i]); /* \\, \", \' and any other \C */
	return i + 1;
}

/* A quoted part of a word starting at ln->s[i]; returns the index after. */
static size_t
scan_quoted(struct kalex *lx, const struct kl_line *ln, size_t i)
{
	char q = ln->s[i];
	size_t open = i++;
	struct conf_loc loc;

	lx->toks[lx->ntoks - 1].quoted = true;
	while (i < ln->len && ln->s[i] != q) {
		if (q == '"' && ln->s[i] == '\\' && i + 1 < ln->len)
			i = unescape(lx, ln, i + 1);
		else
			tok_add(lx, ln->s[i++]);
	}
	if (i < ln->len)
		return i + 1;
	loc = kalex_loc_at(lx, ln, open);
	conf_diag(lx->conf, &loc, CONF_ERROR, "unterminated quoted string");
	return i;
}

/* Length of "${NAME}" at ln->s[i], else 0. */
static size_t
braced_ref(const struct kl_line *ln, size_t i)
{
	size_t n;

	if (i + 1 >= ln->len || ln->s[i] != '$' || ln->s[i + 1] != '{')
		return 0;
	n = kalex_name_len(ln->s + i + 2, ln->len - i - 2);
	if (n == 0 || i + 2 + n >= ln->len || ln->s[i + 2 + n] != '}')
		return 0;
	return n + 3;
}

/*
 * A word: unquoted text and quoted parts glued together (as in the shell),
 * up to whitespace or an unquoted brace. An undefined "${NAME}" stays in
 * one piece.
 */
static size_t
scan_word(struct kalex *lx, const struct kl_line *ln, size_t i)
{
	size_t n;
	char c;

	while (i < ln->len && !kalex_is_space(c = ln->s[i]) &&
	    (lx->glob_words || (c != '{' && c != '}'))) {
		if (c == '"' || c == '\'')
			i = scan_quoted(lx, ln, i);
		else if ((n = braced_ref(ln, i)) > 0) {
			while (n-- > 0)
				tok_add(lx, ln->s[i++]);
		} else
			tok_add(lx, ln->s[i++]);
	}
	return i;
}

void
kalex_tokenize(struct kalex *lx, const struct kl_line *ln)
{
	size_t i = 0;
	bool bol = true;

	while ((i = kalex_skip_space(ln, i)) < ln->len && !lx->stop) {
		tok_begin(lx, ln, i, bol);
		bol = false;
		if (!lx->glob_words && (ln->s[i] == '{' || ln->s[i] == '}'))
			tok_add(lx, ln->s[i++]);
		else
			i = scan_word(lx, ln, i);
		tok_end(lx);
	}
}

/* ---- physical lines ---- */

/* Cut a # or ! comment outside quotes, and trailing whitespace. */
static void
strip_comment(struct kl_line *ln)
{
	char q = 0, c;
	size_t i, n = ln->len;

	for (i = 0; i < n; i++) {
		c = ln->s[i];
		if (q != 0) {
			if (q == '"' && c == '\\')
				i++;
			else if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'')
			q = c;
		else if (c == '#' || c == '!')
			n = i;
	}
	while (n > 0 && kalex_is_space(ln->s[n - 1]))
		n--;
	ln->len = n;
	ln->s[n] = '\0';
}

/* The next line of src, comment removed; false at its end. */
/* Length of the valid UTF-8 sequence at s[0..n), or 0 (RFC 3629 §4). */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * Configuration text is UTF-8 (it is dumped as YAML, and logged): an
 * invalid byte outside comments is an error at its column, once per line,
 * and becomes '?' so tokenizing goes on.
 */
static void
check_utf8(struct kalex *lx, struct kl_line *ln, struct conf_loc *loc)
{
	const unsigned char *u = (const unsigned char *)ln->s;
	bool reported = false;
	size_t i = 0, len;

	while (i < ln->len) {
		if ((len = utf8_len(u + i, ln->len - i)) != 0) {
			i += len;
			continue;
		}
		if (!reported) {
			loc->col = ln->pos[i].col;
			conf_diag(lx->conf, loc, CONF_ERROR,
			    "invalid UTF-8 (byte 0x%02x); configuration files "
			    "are UTF-8",
			    u[i]);
			reported = true;
		}
		ln->s[i++] = '?';
	}
}

bool
kalex_read_phys(struct kalex *lx, struct kl_src *src, struct kl_line *ln)
{
	const char *p = src->buf + src->off, *nl;
	size_t n = src->len - src->off;
	struct conf_loc loc = { src->file, 0, 0 };

	if (src->off >= src->len)
		return false;
	if ((nl = memchr(p, '\n', n)) != NULL)
		n = (size_t)(nl - p);
	src->off += n + (nl != NULL);
	loc.line = ++src->lineno;
	while (n > 0 && p[n - 1] == '\r')
		n--;
	if (n > KL_MAX_LINE) {
		loc.col = KL_MAX_LINE + 1;
		conf_diag(lx->conf, &loc, CONF_ERROR,
		    "line longer than %d bytes; the rest is ignored",
		    KL_MAX_LINE);
		n = KL_MAX_LINE;
	}
	kalex_line_make(ln, n, src->lineno);
	memcpy(ln->s, p, n);
	for (size_t i = 0; i < n; i++) {
		ln->pos[i].col = (unsigned int)i + 1;
		ln->pos[i].level = 0;
		if (ln->s[i] == '\0') {
			loc.col = (unsigned int)i + 1;
			conf_diag(lx->conf, &loc, CONF_ERROR,
			    "NUL byte in configuration");
			ln->s[i] = ' ';
		}
	}
	strip_comment(ln);
	check_utf8(lx, ln, &loc);
	return true;
}

/* ---- include ---- */

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return conf_strdup(".");
	if (slash == path)
		return conf_strdup("/");
	return kalex_mem_dup(path, (size_t)(slash - path));
}

/*
 * Read a whole regular file, at most CONF_MAX_FILE_SIZE bytes: 0 or an
 * errno. A FIFO or a device could block the daemon or never end.
 */
static int
read_file(const char *path, char **bufp, size_t *lenp, struct stat *st)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd, e = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return errno;
	if (fstat(fd, st) == -1)
		e = errno;
	else if (S_ISDIR(st->st_mode))
		e = EISDIR;
	else if (!S_ISREG(st->st_mode))
		e = EINVAL;
	while (e == 0) {
		if (len == cap) {
			cap = cap == 0 ? 4096 : cap * 2;
			buf = kalex_realloc(buf, cap + 1, 1);
		}
		if ((n = read(fd, buf + len, cap - len)) == 0)
			break;
		if (n == -1 && errno != EINTR)
			e = errno;
		else if (n > 0 && (len += (size_t)n) > CONF_MAX_FILE_SIZE)
			e = EFBIG;
	}
	close(fd);
	if (e != 0) {
		free(buf);
		return e;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

static void
src_push(struct kalex *lx, const char *path, char *buf, size_t len,
    const struct stat *st)
{
	struct kl_src *s = &lx->src[lx->nsrc++];

	memset(s, 0, sizeof(*s));
	s->file = conf_file_name(lx->conf, path);
	s->own = buf;
	s->buf = buf != NULL ? buf : "";
	s->len = len;
	s->dir = dir_of(path);
	if (st != NULL) {
		s->has_id = true;
		s->dev = st->st_dev;
		s->ino = st->st_ino;
	}
}

static void
incl_clear(struct kl_src *s)
{
	for (size_t i = 0; i < s->nincl; i++)
		free(s->incl[i]);
	free(s->incl);
	s->incl = NULL;
	s->nincl = s->iincl = 0;
}

static void
src_pop(struct kalex *lx)
{
	struct kl_src *s = &lx->src[--lx->nsrc];

	free(s->own);
	free(s->dir);
	free(s->pwd);
	incl_clear(s);
	memset(s, 0, sizeof(*s));
}

static bool
in_cycle(const struct kalex *lx, const struct stat *st)
{
	for (size_t i = 0; i < lx->nsrc; i++)
		if (lx->src[i].has_id && lx->src[i].dev == st->st_dev &&
		    lx->src[i].ino == st->st_ino)
			return true;
	return false;
}

/* Open the next match of the include line of the top file. */
static void
open_next(struct kalex *lx)
{
	struct kl_src *top = &lx->src[lx->nsrc - 1];
	const char *path = top->incl[top->iincl++];
	const struct conf_loc *loc = &top->incl_loc;
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int e;

	if (lx->nsrc > KALEX_MAX_INCLUDE_DEPTH) {
		conf_diag(lx->conf, loc, CONF_ERROR,
		    "include of %s: includes nested more than %d deep", path,
		    KALEX_MAX_INCLUDE_DEPTH);
		top->iincl = top->nincl;
		return;
	}
	if ((e = read_file(path, &buf, &len, &st)) != 0) {
		if (e == EFBIG)
			conf_diag(lx->conf, loc, CONF_ERROR,
			    "cannot read %s: larger than %u bytes", path,
			    CONF_MAX_FILE_SIZE);
		else if (e == EINVAL)
			conf_diag(lx->conf, loc, CONF_ERROR,
			    "cannot read %s: not a regular file", path);
		else
			conf_diag(lx->conf, loc, CONF_ERROR,
			    "cannot read %s: %s", path, strerror(e));
		return;
	}
	if (in_cycle(lx, &st)) {
		conf_diag(lx->conf, loc, CONF_ERROR,
		    "include of %s: include cycle", path);
		free(buf);
		top->iincl = top->nincl;
		return;
	}
	src_push(lx, path, buf, len, &st);
}

/* "include" and keepalived's variants that make a missing match an error. */
static bool
is_include(const struct kl_line *ln, bool *must)
{
	static const char *const kws[] = { "include", "includer", "includem",
		"includew", "includeb", "includea" };
	size_t i = kalex_skip_space(ln, 0), e = i;

	while (e < ln->len && !kalex_is_space(ln->s[e]))
		e++;
	for (size_t k = 0; k < sizeof(kws) / sizeof(kws[0]); k++)
		if (strlen(kws[k]) == e - i &&
		    memcmp(ln->s + i, kws[k], e - i) == 0) {
			*must = k > 1;
			return true;
		}
	return false;
}

static char *
resolve(const struct kl_src *src, const char *pattern)
{
	char *path;

	if (pattern[0] == '/' || pattern[0] == '~' ||
	    strcmp(src->dir, ".") == 0)
		return conf_strdup(pattern);
	if (asprintf(&path, "%s%s%s", src->dir,
		strcmp(src->dir, "/") == 0 ? "" : "/", pattern) == -1)
		abort();
	return path;
}

/* Expand the pattern; the matches are opened one by one by fill(). */
static void
start_include(struct kalex *lx, struct kl_src *src, const char *pattern,
    const struct conf_loc *loc, bool must)
{
	char *path = resolve(src, pattern);
	glob_t g;
	int r;

	incl_clear(src);
	memset(&g, 0, sizeof(g));
	r = glob(path, GLOB_BRACE | GLOB_TILDE, NULL, &g);
	if (r == GLOB_NOMATCH)
		conf_diag(lx->conf, loc, must ? CONF_ERROR : CONF_WARNING,
		    "include %s matched no file", pattern);
	else if (r != 0)
		conf_diag(lx->conf, loc, CONF_ERROR,
		    "include %s: cannot expand the pattern", pattern);
	else {
		src->incl = kalex_realloc(NULL, g.gl_pathc, sizeof(char *));
		for (size_t i = 0; i < g.gl_pathc; i++)
			src->incl[i] = conf_strdup(g.gl_pathv[i]);
		src->nincl = g.gl_pathc;
		src->incl_loc = *loc;
	}
	if (r == 0 || r == GLOB_NOMATCH)
		globfree(&g);
	free(path);
}

/* An include line: tokenized, its tokens taken back, the file queued. */
static void
do_include(struct kalex *lx, struct kl_src *src, const struct kl_line *ln,
    bool must)
{
	size_t mark = lx->ntoks, pmark = lx->plen;
	struct kl_tok *t;
	char *pattern;

	/* "include {a,b}.conf": csh braces for glob(3). */
	lx->glob_words = true;
	kalex_tokenize(lx, ln);
	lx->glob_words = false;
	t = &lx->toks[mark];
	if (lx->ntoks - mark < 2)
		conf_diag(lx->conf, &t->loc, CONF_ERROR,
		    "%s: missing file name", lx->pool + t->off);
	else {
		if (lx->ntoks - mark > 2)
			conf_diag(lx->conf, &t[2].loc, CONF_WARNING,
			    "%s: only one file pattern; the rest is ignored",
			    lx->pool + t->off);
		pattern = conf_strdup(lx->pool + t[1].off);
		start_include(lx, src, pattern, &t->loc, must);
		free(pattern);
	}
	lx->ntoks = mark;
	lx->plen = pmark;
}

/* Tokens from the next physical line; false at the end of all input. */
static bool
fill(struct kalex *lx)
{
	struct kl_src *src;
	struct kl_line ln;
	bool must;

	for (;;) {
		src = &lx->src[lx->nsrc - 1];
		if (src->iincl < src->nincl)
			open_next(lx);
		else if (kalex_read_phys(lx, src, &ln))
			break;
		else if (lx->nsrc == 1)
			return false;
		else
			src_pop(lx);
	}
	lx->file = src->file;
	lx->stop = false;
	lx->gen_lines = 0;
	lx->work = 0;
	if (is_include(&ln, &must)) {
		do_include(lx, src, &ln, must);
		kalex_line_free(&ln);
	} else
		kalex_expand_line(lx, &ln, src);
	return true;
}

/* ---- API ---- */

char *
kalex_default_id(void)
{
	char host[256];

	if (gethostname(host, sizeof(host)) == -1)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	host[strcspn(host, ".")] = '\0';
	return conf_strdup(host);
}

struct kalex *
kalex_new(struct conf *conf, const char *name, const char *buf, size_t len,
    const char *config_id)
{
	struct kalex *lx = calloc(1, sizeof(*lx));
	struct stat st;
	bool known;

	if (lx == NULL)
		abort();
	lx->conf = conf;
	lx->config_id =
	    config_id != NULL ? conf_strdup(config_id) : kalex_default_id();
	if (name == NULL)
		name = "-";
	known = stat(name, &st) == 0;
	src_push(lx, name, NULL, 0, known ? &st : NULL);
	lx->src[0].buf = buf != NULL ? buf : "";
	lx->src[0].len = buf != NULL ? len : 0;
	lx->file = lx->src[0].file;
	return lx;
}

int
kalex_next(struct kalex *lx, struct kalex_tok *tok)
{
	struct kl_tok *t;

	while (lx->itok == lx->ntoks) {
		lx->itok = lx->ntoks = lx->plen = 0;
		if (!fill(lx))
			return 0;
	}
	t = &lx->toks[lx->itok++];
	tok->text = lx->pool + t->off;
	tok->len = t->len;
	tok->loc = t->loc;
	tok->quoted = t->quoted;
	tok->bol = t->bol;
	return 1;
}

void
kalex_free(struct kalex *lx)
{
	if (lx == NULL)
		return;
	while (lx->nsrc > 0)
		src_pop(lx);
	for (size_t i = 0; i < lx->ndefs; i++) {
		free(lx->defs[i].name);
		free(lx->defs[i].value);
	}
	free(lx->defs);
	free(lx->name);
	free(lx->toks);
	free(lx->pool);
	free(lx->config_id);
	free(lx);
}
