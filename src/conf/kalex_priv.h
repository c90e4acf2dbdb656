/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the keepalived.conf lexer: what the tokenizer (kalex.c) and the
 * preprocessor (kalex_expand.c) share.
 */

#ifndef VRRPD_CONF_KALEX_PRIV_H
#define VRRPD_CONF_KALEX_PRIV_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>

#include "kalex.h"

/* Where a byte of a line was written, and how it got there. */
struct kl_pos {
	unsigned int col;
	unsigned int level; /* parameter expansions it came through */
};

struct kl_line {
	char *s; /* len bytes and a NUL */
	struct kl_pos *pos;
	size_t len, cap;
	unsigned int lineno;
};

/* A file being read; src[0] is the buffer given to kalex_new(). */
struct kl_src {
	const char *file; /* conf_file_name() */
	char *own;	  /* contents of an include file */
	const char *buf;
	size_t len, off;
	unsigned int lineno;
	char *dir; /* base of relative includes */
	char *pwd; /* ${_PWD}, made on first use */
	bool has_id;
	dev_t dev; /* to catch include cycles */
	ino_t ino;
	char **incl; /* matches of the include line being processed */
	size_t nincl, iincl;
	struct conf_loc incl_loc;
};

struct kl_def {
	char *name;
	char *value;
	size_t vlen;
};

struct kl_tok {
	size_t off, len; /* in the pool */
	struct conf_loc loc;
	bool quoted, bol;
};

struct kalex {
	struct conf *conf;
	char *config_id;
	struct kl_src src[KALEX_MAX_INCLUDE_DEPTH + 1];
	size_t nsrc;
	struct kl_def *defs;
	size_t ndefs;

	/* the physical line being processed and what it generated */
	const char *file;
	unsigned int gen_lines, gen_nest;
	size_t work; /* bytes expanded or generated */
	bool stop;   /* a bound was hit: drop the rest of this line */
	char *name;  /* the parameter name being looked up */
	size_t namecap;

	/* tokens made, waiting for kalex_next() */
	struct kl_tok *toks;
	size_t ntoks, captoks, itok;
	char *pool;
	size_t plen, pcap;
	bool tok_long;	 /* the current token was truncated */
	bool glob_words; /* braces are glob(3) syntax, not tokens */
};

/* ---- kalex.c ---- */

/* realloc(p, n * size) that aborts on overflow or when out of memory. */
void *kalex_realloc(void *p, size_t n, size_t size);
bool kalex_is_space(char c);
/* Length of the parameter name at s: [A-Za-z_][A-Za-z0-9_]*. */
size_t kalex_name_len(const char *s, size_t n);
/* s[0, n) and a NUL, malloc'd. */
char *kalex_mem_dup(const char *s, size_t n);

/* A line of len bytes (uninitialized but the final NUL). */
void kalex_line_make(struct kl_line *ln, size_t len, unsigned int lineno);
void kalex_line_free(struct kl_line *ln);
/* The first index from i on that is not a space. */
size_t kalex_skip_space(const struct kl_line *ln, size_t i);
/* Where ln->s[i] was written (just after the line's end when past it). */
struct conf_loc kalex_loc_at(const struct kalex *lx, const struct kl_line *ln,
    size_t i);

/* Cut a line into tokens, queued for kalex_next(). */
void kalex_tokenize(struct kalex *lx, const struct kl_line *ln);
/* The next line of src into ln, comment removed; false at its end. */
bool kalex_read_phys(struct kalex *lx, struct kl_src *src, struct kl_line *ln);

/* ---- kalex_expand.c ---- */

/*
 * Preprocess a physical line (@ID, $NAME=, ~SEQ/~LST, parameters) and
 * tokenize what it becomes; takes ln. src: the file a multi-line
 * definition continues in, or NULL.
 */
void kalex_expand_line(struct kalex *lx, struct kl_line *ln,
    struct kl_src *src);

#endif /* VRRPD_CONF_KALEX_PRIV_H */
