/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The keepalived.conf tokenizer and preprocessor: comments (# and !),
 * both quote styles with keepalived's escapes, braces as tokens, include
 * (globs, relative to the including file, bounded depth), @ID / @^ID
 * conditional lines, $NAME parameters (multi-line definitions ending in \),
 * ~SEQ / ~LST line generators. Tokens keep the file:line:column where
 * their text was written, through includes and expansion. Errors go to the
 * model's diags. Pure apart from reading include files.
 */

#ifndef VRRPD_CONF_KALEX_H
#define VRRPD_CONF_KALEX_H

#include <stdbool.h>
#include <stddef.h>

#include "vrrpd/conf.h"

#define KALEX_MAX_INCLUDE_DEPTH 8
#define KALEX_MAX_EXPANSION	65536 /* bytes one line may expand to */

struct kalex;

struct kalex_tok {
	const char *text;    /* NUL-terminated, quotes removed, escapes done */
	size_t len;	     /* may contain NUL when escaped: \x00 */
	struct conf_loc loc; /* where the token was written */
	bool quoted;	     /* came from "..." or '...' */
	bool bol;	     /* first token of its (logical) line */
};

/*
 * Start tokenizing buf[0..len) named name (a file name: relative include
 * paths are resolved against its directory). config_id selects @ID lines
 * (NULL: the short hostname). Diags are added to conf.
 */
struct kalex *kalex_new(struct conf *conf, const char *name, const char *buf,
    size_t len, const char *config_id);

/*
 * The next token into *tok (valid until the next call): 1, or 0 at the end
 * of all input (includes included).
 */
int kalex_next(struct kalex *lx, struct kalex_tok *tok);

void kalex_free(struct kalex *lx);

/* keepalived's default config id: the host name up to its first dot. */
char *kalex_default_id(void);

#endif /* VRRPD_CONF_KALEX_H */
