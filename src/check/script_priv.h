/* SPDX-License-Identifier: BSD-2-Clause */
/* The script kind's pure part, for its unit tests. */

#ifndef VRRPD_SCRIPT_PRIV_H
#define VRRPD_SCRIPT_PRIV_H

#include <stddef.h>

#define CHECKER_SCRIPT_MAX_ARGS 64 /* words in a command line */

enum checker_script_split_err {
	CHECKER_SPLIT_OK = 0,
	CHECKER_SPLIT_EMPTY,	    /* no word at all */
	CHECKER_SPLIT_UNTERMINATED, /* a quote is not closed */
	CHECKER_SPLIT_TRAILING_BACKSLASH,
	CHECKER_SPLIT_TOO_MANY, /* more than maxargs words */
	CHECKER_SPLIT_TOO_LONG, /* bufsize below strlen(cmd) + 1 */
};

/* "unterminated quote", ... (never NULL). */
const char *checker_script_split_strerror(enum checker_script_split_err e);

/*
 * Split a command line into an argv vector, the way keepalived reads a
 * script line, without a shell:
 * - words are separated by blanks (space, tab, newline);
 * - '...' groups literally (no escapes inside);
 * - "..." groups; inside, \" and \\ stand for " and \, any other
 *   backslash is kept as written;
 * - outside quotes a backslash makes the next character literal;
 * - quoted and unquoted parts next to each other make one word
 *   (--opt="a b" is the word --opt=a b), and "" or '' is an empty word;
 * - nothing else is special: no $variables, globs, redirections, ; or |.
 * The words are written to buf (bufsize at least strlen(cmd) + 1) and
 * argv[0..*argc-1] point into it, argv[*argc] = NULL (argv has room for
 * maxargs + 1 pointers). Pure: no allocation, no logging.
 */
enum checker_script_split_err checker_script_split(const char *cmd, char *buf,
    size_t bufsize, char **argv, size_t maxargs, size_t *argc);

#endif /* VRRPD_SCRIPT_PRIV_H */
