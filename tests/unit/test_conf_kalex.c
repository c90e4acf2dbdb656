/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The keepalived.conf tokenizer: tokens are rendered as "text@LINE:COL"
 * ("text@FILE:LINE:COL" when from another file than the main one, quoted
 * tokens in double quotes, bytes outside ASCII printables as \xHH), with
 * "| " before the first token of every line but the first.
 */

#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_priv.h"
#include "kalex.h"

static char *toks;  /* the last lex() output */
static char *diags; /* its diags, "LINE:COL: error: MSG" one per line */
static size_t nerrors;
static size_t ntoks;

static void
free_output(void)
{
	free(toks);
	free(diags);
	toks = diags = NULL;
}

static void
render_loc(FILE *f, const struct conf_loc *loc, const char *name)
{
	const char *base;

	if (loc->file != NULL && strcmp(loc->file, name) != 0) {
		base = strrchr(loc->file, '/');
		fprintf(f, "%s:", base != NULL ? base + 1 : loc->file);
	}
	fprintf(f, "%u:%u", loc->line, loc->col);
}

static void
render_tok(FILE *f, const struct kalex_tok *t, const char *name)
{
	unsigned char c;

	if (t->quoted)
		fputc('"', f);
	for (size_t i = 0; i < t->len; i++) {
		c = (unsigned char)t->text[i];
		if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	if (t->quoted)
		fputc('"', f);
	fputc('@', f);
	render_loc(f, &t->loc, name);
}

static void
render_diags(const struct conf *conf, const char *name)
{
	size_t len;
	FILE *f = open_memstream(&diags, &len);

	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < conf->ndiags; i++) {
		const struct conf_diag *d = &conf->diags[i];

		if (i > 0)
			fputc('\n', f);
		render_loc(f, &d->loc, name);
		fprintf(f, ": %s: %s",
		    d->sev == CONF_ERROR ? "error" : "warning", d->msg);
	}
	fclose(f);
	nerrors = conf->nerrors;
}

/* Tokenize buf[0, len) named name with config id id; returns the tokens. */
static const char *
lexn(const char *name, const char *buf, size_t len, const char *id)
{
	struct conf *conf = conf_new(CONF_FMT_KEEPALIVED);
	struct kalex *lx;
	struct kalex_tok t;
	size_t flen;
	FILE *f;

	free_output();
	ck_assert_ptr_nonnull(conf);
	f = open_memstream(&toks, &flen);
	ck_assert_ptr_nonnull(f);
	lx = kalex_new(conf, name, buf, len, id);
	ck_assert_ptr_nonnull(lx);
	for (ntoks = 0; kalex_next(lx, &t) == 1; ntoks++) {
		ck_assert_uint_eq(t.text[t.len], '\0');
		if (ntoks > 0)
			fputs(t.bol ? " | " : " ", f);
		else
			ck_assert(t.bol);
		render_tok(f, &t, name);
	}
	ck_assert_int_eq(kalex_next(lx, &t), 0);
	kalex_free(lx);
	fclose(f);
	render_diags(conf, name);
	conf_free(conf);
	return toks;
}

static const char *
lex_id(const char *buf, const char *id)
{
	return lexn("t.conf", buf, strlen(buf), id);
}

static const char *
lex(const char *buf)
{
	return lex_id(buf, "main");
}

#define LEX_EQ(in, out)                                                     \
	do {                                                                \
		ck_assert_str_eq(lex(in), (out));                           \
		ck_assert_msg(nerrors == 0, "unexpected diags: %s", diags); \
	} while (0)

/*
 * basic
 */

START_TEST(basic_block)
{
	LEX_EQ("vrrp_instance VI_1 {\n    state MASTER\n}\n",
	    "vrrp_instance@1:1 VI_1@1:15 {@1:20 | state@2:5 MASTER@2:11 | "
	    "}@3:1");
	ck_assert_uint_eq(ntoks, 6);
}
END_TEST

START_TEST(basic_braces_glued)
{
	LEX_EQ("a{b}c\nauth_pass x}\n{x\n}}\n",
	    "a@1:1 {@1:2 b@1:3 }@1:4 c@1:5 | auth_pass@2:1 x@2:11 }@2:12 | "
	    "{@3:1 x@3:2 | }@4:1 }@4:2");
}
END_TEST

START_TEST(basic_whitespace_crlf)
{
	LEX_EQ("a\tb\r\n\r\n  c \r\n\n\t\n", "a@1:1 b@1:3 | c@3:3");
	LEX_EQ("x y\r\nz", "x@1:1 y@1:3 | z@2:1");
	LEX_EQ("a\r\r\n", "a@1:1");
	LEX_EQ("a\rb\n", "a@1:1 b@1:3");
}
END_TEST

START_TEST(basic_empty)
{
	LEX_EQ("", "");
	LEX_EQ("\n\n   \n", "");
	ck_assert_str_eq(lexn("t.conf", NULL, 0, "main"), "");
}
END_TEST

START_TEST(basic_text_lives_until_next)
{
	struct conf *conf = conf_new(CONF_FMT_KEEPALIVED);
	const char *buf = "alpha beta\n";
	struct kalex *lx = kalex_new(conf, "t.conf", buf, strlen(buf), "x");
	struct kalex_tok t;

	ck_assert_int_eq(kalex_next(lx, &t), 1);
	ck_assert_str_eq(t.text, "alpha");
	ck_assert_uint_eq(t.len, 5);
	ck_assert(!t.quoted);
	ck_assert_str_eq(t.loc.file, "t.conf");
	ck_assert_ptr_eq(t.loc.file, conf_file_name(conf, "t.conf"));
	ck_assert_int_eq(kalex_next(lx, &t), 1);
	ck_assert_str_eq(t.text, "beta");
	ck_assert(!t.bol);
	/* Freed with tokens still queued and nothing leaks. */
	kalex_free(lx);
	conf_free(conf);
}
END_TEST

/*
 * quotes
 */

START_TEST(quotes_both_styles)
{
	LEX_EQ("notify \"/bin/n.sh a  b\" 'x y'\n",
	    "notify@1:1 \"/bin/n.sh a  b\"@1:8 \"x y\"@1:25");
	LEX_EQ("x \"\" ''\n", "x@1:1 \"\"@1:3 \"\"@1:6");
	/* keepalived.conf(5): quoted parts glue to their neighbours. */
	LEX_EQ("abcd\" efg h jkl \"mnop\n", "\"abcd efg h jkl mnop\"@1:1");
	LEX_EQ("abcd \"efg h jkl\" mnop\n",
	    "abcd@1:1 \"efg h jkl\"@1:6 mnop@1:18");
	LEX_EQ("a'\"'b \"'\"\n", "\"a\"b\"@1:1 \"'\"@1:7");
}
END_TEST

START_TEST(quotes_braces_not_split)
{
	LEX_EQ("\"{\" 'a}' \"x{y}\"z}\n",
	    "\"{\"@1:1 \"a}\"@1:5 \"x{y}z\"@1:10 }@1:17");
}
END_TEST

START_TEST(quotes_simple_escapes)
{
	LEX_EQ("\"\\a\\b\\E\\f\\n\\r\\t\\v\\\\\\\"\\'\\q\"\n",
	    "\"\\x07\\x08\\x1b\\x0c\\x0a\\x0d\\x09\\x0b\\\"'q\"@1:1");
}
END_TEST

START_TEST(quotes_numeric_escapes)
{
	/* \nnn: up to three octal digits; \xXX: up to two hex digits. */
	LEX_EQ("\"\\101\\0\\1010\\7\\x41\\x4aZ\\x4\\xg\"\n",
	    "\"A\\x00A0\\x07AJZ\\x04xg\"@1:1");
	/* \cC: the control character. */
	LEX_EQ("\"\\cA\\ca\\c[\\c?\"\n", "\"\\x01\\x01\\x1b\\x7f\"@1:1");
}
END_TEST

START_TEST(quotes_nul_escape_in_len)
{
	struct conf *conf = conf_new(CONF_FMT_KEEPALIVED);
	const char *buf = "\"a\\0b\"\n";
	struct kalex *lx = kalex_new(conf, "t.conf", buf, strlen(buf), "x");
	struct kalex_tok t;

	ck_assert_int_eq(kalex_next(lx, &t), 1);
	ck_assert_uint_eq(t.len, 3);
	ck_assert_mem_eq(t.text, "a\0b", 4);
	ck_assert(t.quoted);
	kalex_free(lx);
	conf_free(conf);
}
END_TEST

START_TEST(quotes_no_escapes_elsewhere)
{
	/* Single quotes and unquoted text keep their backslashes. */
	LEX_EQ("'a\\tb' c\\td\n", "\"a\\tb\"@1:1 c\\td@1:8");
	/* A trailing backslash outside a definition is just a character. */
	LEX_EQ("a \\\nb\n", "a@1:1 \\@1:3 | b@2:1");
}
END_TEST

START_TEST(quotes_unterminated)
{
	ck_assert_str_eq(lex("notify \"abc d { # x\nnext\n"),
	    "notify@1:1 \"abc d { # x\"@1:8 | next@2:1");
	ck_assert_str_eq(diags, "1:8: error: unterminated quoted string");
	ck_assert_uint_eq(nerrors, 1);
	ck_assert_str_eq(lex("a 'b\n"), "a@1:1 \"b\"@1:3");
	ck_assert_str_eq(diags, "1:3: error: unterminated quoted string");
	ck_assert_str_eq(lex("\"a\\\"\n"), "\"a\"\"@1:1");
	ck_assert_uint_eq(nerrors, 1);
}
END_TEST

/*
 * comments
 */

START_TEST(comments_both_chars)
{
	LEX_EQ("# full\n! full\nstate MASTER # c\nstate BACKUP! c\n  #x\n",
	    "state@3:1 MASTER@3:7 | state@4:1 BACKUP@4:7");
	LEX_EQ("a#b\nc!d\n", "a@1:1 | c@2:1");
}
END_TEST

START_TEST(comments_not_in_quotes)
{
	LEX_EQ("x \"a # b\" 'c ! d' e # f\n",
	    "x@1:1 \"a # b\"@1:3 \"c ! d\"@1:11 e@1:19");
	LEX_EQ("\"a\\\" # b\" c\n", "\"a\" # b\"@1:1 c@1:11");
	/* A single-quoted string has no escapes: \' ends it. */
	LEX_EQ("'a\\' # b'\n", "\"a\\\"@1:1");
}
END_TEST

START_TEST(comments_hash_and_bang_params)
{
	LEX_EQ("x ${_HASH}y ${_BANG}\n", "x@1:1 #y@1:3 !@1:13");
}
END_TEST

/*
 * include
 */

/*
 * The directory is made and removed by unchecked fixtures, which run in the
 * parent even when a test fails; each test starts with it empty.
 */
static char tmpdir[64];

static void
tmp_create(void)
{
	strcpy(tmpdir, "/tmp/kalexXXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	return ftw->level == 0 ? 0 : remove(path);
}

static void
tmp_empty(void)
{
	nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
tmp_remove(void)
{
	tmp_empty();
	rmdir(tmpdir);
}

static const char *
tmp_path(const char *rel)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	return path;
}

static void
write_file(const char *rel, const char *text)
{
	FILE *f = fopen(tmp_path(rel), "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void
make_dir(const char *rel)
{
	ck_assert_int_eq(mkdir(tmp_path(rel), 0700), 0);
}

/* Tokenize text as the file main.conf of the temporary directory. */
static const char *
lex_main(const char *text)
{
	char name[PATH_MAX];

	snprintf(name, sizeof(name), "%s", tmp_path("main.conf"));
	return lexn(name, text, strlen(text), "main");
}

START_TEST(include_file)
{
	write_file("sub.conf", "s1\n  s2 x # c\n");
	ck_assert_str_eq(lex_main("a\ninclude sub.conf # c\nb\n"),
	    "a@1:1 | s1@sub.conf:1:1 | s2@sub.conf:2:3 x@sub.conf:2:6 | "
	    "b@3:1");
	ck_assert_str_eq(diags, "");
	/* Quoted patterns, and an include inside a block. */
	ck_assert_str_eq(lex_main("x {\n  include \"sub.conf\"\n}\n"),
	    "x@1:1 {@1:3 | s1@sub.conf:1:1 | s2@sub.conf:2:3 "
	    "x@sub.conf:2:6 | }@3:1");
	ck_assert_str_eq(diags, "");
}
END_TEST

START_TEST(include_glob_sorted)
{
	write_file("c.conf", "c\n");
	write_file("a.conf", "a\n");
	write_file("b.conf", "b\n");
	write_file("b.txt", "no\n");
	ck_assert_str_eq(lex_main("include *.conf\nend\n"),
	    "a@a.conf:1:1 | b@b.conf:1:1 | c@c.conf:1:1 | end@2:1");
	ck_assert_str_eq(diags, "");
	ck_assert_str_eq(lex_main("include {b,c}.conf\n"),
	    "b@b.conf:1:1 | c@c.conf:1:1");
	ck_assert_str_eq(diags, "");
	ck_assert_str_eq(lex_main("include [ab].*\n"),
	    "a@a.conf:1:1 | b@b.conf:1:1 | no@b.txt:1:1");
}
END_TEST

START_TEST(include_relative_to_includer)
{
	make_dir("sub");
	write_file("sub/inc.conf", "include x.conf\nin\n");
	write_file("sub/x.conf", "deep\n");
	write_file("x.conf", "wrong\n");
	ck_assert_str_eq(lex_main("include sub/inc.conf\n"),
	    "deep@x.conf:1:1 | in@inc.conf:2:1");
	ck_assert_str_eq(diags, "");
	/* An absolute pattern is used as is. */
	char line[PATH_MAX + 16];

	snprintf(line, sizeof(line), "include %s\n", tmp_path("sub/x.conf"));
	ck_assert_str_eq(lex_main(line), "deep@x.conf:1:1");
}
END_TEST

START_TEST(include_missing_warns)
{
	ck_assert_str_eq(lex_main("include nothing*.conf\nz\n"), "z@2:1");
	ck_assert_str_eq(diags,
	    "1:1: warning: include nothing*.conf matched no file");
	ck_assert_uint_eq(nerrors, 0);
	ck_assert_str_eq(lex_main("  include none.conf\n"), "");
	ck_assert_str_eq(diags,
	    "1:3: warning: include none.conf matched no file");
	/* keepalived's includem and friends make it an error. */
	ck_assert_str_eq(lex_main("includem none.conf\n"), "");
	ck_assert_str_eq(diags,
	    "1:1: error: include none.conf matched no file");
	ck_assert_uint_eq(nerrors, 1);
	ck_assert_str_eq(lex_main("include\n"), "");
	ck_assert_str_eq(diags, "1:1: error: include: missing file name");
}
END_TEST

START_TEST(include_unreadable)
{
	char want[PATH_MAX + 64];
	int fd;

	make_dir("d.conf");
	ck_assert_str_eq(lex_main("include d.conf\nx\n"), "x@2:1");
	snprintf(want, sizeof(want), "1:1: error: cannot read %s: %s",
	    tmp_path("d.conf"), strerror(EISDIR));
	ck_assert_str_eq(diags, want);
	/* Larger than the bound (a sparse file). */
	fd = open(tmp_path("big.conf"), O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, CONF_MAX_FILE_SIZE + 1), 0);
	close(fd);
	ck_assert_str_eq(lex_main("include big.conf\n"), "");
	snprintf(want, sizeof(want),
	    "1:1: error: cannot read %s: larger than %u bytes",
	    tmp_path("big.conf"), CONF_MAX_FILE_SIZE);
	ck_assert_str_eq(diags, want);
	/* Not a regular file: a FIFO would block. */
	ck_assert_int_eq(mkfifo(tmp_path("fifo.conf"), 0600), 0);
	ck_assert_str_eq(lex_main("include fifo.conf\n"), "");
	snprintf(want, sizeof(want),
	    "1:1: error: cannot read %s: not a regular file",
	    tmp_path("fifo.conf"));
	ck_assert_str_eq(diags, want);
	/* Two include lines in one file, one after the other. */
	write_file("a.conf", "a\n");
	ck_assert_str_eq(lex_main("include a.conf\ninclude a.conf\n"),
	    "a@a.conf:1:1 | a@a.conf:1:1");
}
END_TEST

START_TEST(include_depth_limit)
{
	char name[32], text[64], want[PATH_MAX + 128];

	for (int i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "f%d.conf", i);
		snprintf(text, sizeof(text), "include f%d.conf\nl%d\n", i + 1,
		    i);
		write_file(name, text);
	}
	/* main.conf is depth 0, f0 depth 1, ... f7 depth 8: f8 is refused. */
	ck_assert_str_eq(lex_main("include f0.conf\n"),
	    "l7@f7.conf:2:1 | l6@f6.conf:2:1 | l5@f5.conf:2:1 | "
	    "l4@f4.conf:2:1 | l3@f3.conf:2:1 | l2@f2.conf:2:1 | "
	    "l1@f1.conf:2:1 | l0@f0.conf:2:1");
	snprintf(want, sizeof(want),
	    "f7.conf:1:1: error: include of %s: includes nested more than %d "
	    "deep",
	    tmp_path("f8.conf"), KALEX_MAX_INCLUDE_DEPTH);
	ck_assert_str_eq(diags, want);
	ck_assert_uint_eq(nerrors, 1);
}
END_TEST

START_TEST(include_cycle)
{
	char want[PATH_MAX + 128];

	write_file("a.conf", "include b.conf\nA\n");
	write_file("b.conf", "include a.conf\nB\n");
	ck_assert_str_eq(lex_main("include a.conf\nM\n"),
	    "B@b.conf:2:1 | A@a.conf:2:1 | M@2:1");
	snprintf(want, sizeof(want),
	    "b.conf:1:1: error: include of %s: include cycle",
	    tmp_path("a.conf"));
	ck_assert_str_eq(diags, want);
	ck_assert_uint_eq(nerrors, 1);
	/* A file that includes itself (the main file on disk too). */
	write_file("main.conf", "include *.conf\nM\n");
	ck_assert_str_eq(lex_main("include main.conf\nM\n"), "M@2:1");
	ck_assert_uint_eq(nerrors, 1);
}
END_TEST

START_TEST(include_before_conditional_and_params)
{
	write_file("sub.conf", "s\n");
	/* keepalived looks for include before @ID and $NAME processing. */
	ck_assert_str_eq(lex_main("@main include sub.conf\n"),
	    "include@1:7 sub.conf@1:15");
	ck_assert_str_eq(lex_main("$F=sub.conf\ninclude $F\n"), "");
	ck_assert_str_eq(diags, "2:1: warning: include $F matched no file");
	ck_assert_str_eq(lex_main("$I=include sub.conf\n$I\n"),
	    "include@2:1 sub.conf@2:1");
	ck_assert_str_eq(lex_main("x include sub.conf\n"),
	    "x@1:1 include@1:3 sub.conf@1:11");
	/* Definitions made in an included file hold after it. */
	write_file("defs.conf", "$P=42\n");
	ck_assert_str_eq(lex_main("include defs.conf\np $P\n"), "p@2:1 42@2:3");
}
END_TEST

/*
 * conditional
 */

START_TEST(conditional_id)
{
	const char *in = "@main a\n@backup b\n@^main c\n@^backup d\n"
			 "  @main   e f\n@main\n@mainx g\n";

	LEX_EQ(in, "a@1:7 | d@4:10 | e@5:11 f@5:13");
	ck_assert_str_eq(lex_id(in, "backup"), "b@2:9 | c@3:8");
	ck_assert_str_eq(lex_id(in, "other"), "c@3:8 | d@4:10");
}
END_TEST

START_TEST(conditional_hostname_default)
{
	char host[256], in[600], want[320];

	ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
	host[sizeof(host) - 1] = '\0';
	host[strcspn(host, ".")] = '\0';
	snprintf(in, sizeof(in), "@%s yes\n@^%s no\n${_INSTANCE}\n", host,
	    host);
	snprintf(want, sizeof(want), "yes@1:%zu | %s@3:1", strlen(host) + 3,
	    host);
	ck_assert_str_eq(lex_id(in, NULL), want);
}
END_TEST

START_TEST(conditional_with_params)
{
	const char *in = "@main $PRIORITY=240\n@backup $PRIORITY=200\n"
			 "priority $PRIORITY\n";

	LEX_EQ(in, "priority@3:1 240@3:10");
	ck_assert_str_eq(lex_id(in, "backup"), "priority@3:1 200@3:10");
	/* A value may hold a condition: the expanded line is looked at again. */
	in = "$IF_MAIN=@main\n$IF_MAIN priority 240\n";
	LEX_EQ(in, "priority@2:10 240@2:19");
	ck_assert_str_eq(lex_id(in, "backup"), "");
	/* A multi-line definition dropped by @ID takes its lines with it. */
	LEX_EQ("@backup $X= \\\n  1 \\\n  2\ny $X\n", "y@4:1 $X@4:3");
}
END_TEST

/*
 * params
 */

START_TEST(params_simple_and_braced)
{
	LEX_EQ("$P=240\npriority $P\n", "priority@2:1 240@2:10");
	LEX_EQ("$B=198.51\n${B}.1/24 x${B}y\n",
	    "198.51.1/24@2:1 x198.51y@2:11");
	LEX_EQ("  $S=\"a b\"  \nscript $S\n", "script@2:1 \"a b\"@2:8");
	LEX_EQ("$V=a b\n  k $V c\n", "k@2:3 a@2:5 b@2:5 c@2:8");
	/* An empty value, and redefinition. */
	LEX_EQ("$E=\nx $E y\n$E=z\nx $E\n", "x@2:1 y@2:6 | x@4:1 z@4:3");
}
END_TEST

START_TEST(params_need_whitespace_after)
{
	LEX_EQ("$P=1\n$Px $P. \"$P\" $P\t$P\n",
	    "$Px@2:1 $P.@2:5 \"$P\"@2:9 1@2:14 1@2:17");
	/* "$NAME =" is not a definition. */
	LEX_EQ("$X = 1\n", "$X@1:1 =@1:4 1@1:6");
}
END_TEST

START_TEST(params_undefined_left)
{
	LEX_EQ("a $U ${U} x${U}y ${U}}\n",
	    "a@1:1 $U@1:3 ${U}@1:6 x${U}y@1:11 ${U}@1:18 }@1:22");
	LEX_EQ("cost $ 5$ ${ ${1x}\n",
	    "cost@1:1 $@1:6 5$@1:8 $@1:11 {@1:12 "
	    "$@1:14 {@1:15 1x@1:16 }@1:18");
}
END_TEST

START_TEST(params_recursive_at_use)
{
	/* The example of keepalived.conf(5). */
	LEX_EQ("$AB=198.51.${ABS}\n$ABS=0\n${AB}.100/32\n$ABS=10\n"
	       "${AB}.100/32\n",
	    "198.51.0.100/32@3:1 | 198.51.10.100/32@5:1");
	LEX_EQ("$A=${B} ${B}\n$B=$C\n$C=c\nx ${A}\n", "x@4:1 c@4:3 c@4:3");
}
END_TEST

START_TEST(params_multi_line)
{
	const char *in = "$INST= \\\n"
			 "vrrp_instance VI_${N} { \\\n"
			 "    @high priority 130 \\\n"
			 "\n"
			 "    @low priority 120 \\  # comment\n"
			 "}\n"
			 "$N=1\n"
			 "  $INST\n";

	ck_assert_str_eq(lex_id(in, "high"),
	    "vrrp_instance@8:3 VI_1@8:3 {@8:3 | priority@8:3 130@8:3 | "
	    "}@8:3");
	ck_assert_uint_eq(nerrors, 0);
	ck_assert_str_eq(lex_id(in, "low"),
	    "vrrp_instance@8:3 VI_1@8:3 {@8:3 | priority@8:3 120@8:3 | "
	    "}@8:3");
}
END_TEST

START_TEST(params_multi_line_prefix_suffix)
{
	LEX_EQ("$M= \\\na \\\nb\nx $M y\n", "x@4:1 a@4:3 | b@4:3 y@4:6");
	/* Definitions inside a value take effect line by line. */
	LEX_EQ("$RS= \\\nrs ${N}\n$VS= \\\nvs { \\\n$N=1 \\\n$RS \\\n$N=2 \\\n"
	       "$RS \\\n}\n$VS\n",
	    "vs@10:1 {@10:1 | rs@10:1 1@10:1 | rs@10:1 2@10:1 | }@10:1");
}
END_TEST

START_TEST(params_runaway)
{
	ck_assert_str_eq(lex("$A=x ${A}\n${A}\nok\n"), "ok@3:1");
	ck_assert_str_eq(diags,
	    "2:1: error: parameters nested more than 32 levels deep");
	ck_assert_uint_eq(nerrors, 1);
	ck_assert_str_eq(lex("$A=$A\n$A\nok\n"), "ok@3:1");
	ck_assert_uint_eq(nerrors, 1);
	/* A multi-line value that names itself. */
	ck_assert_str_eq(lex("$A= \\\nx \\\n$A\n$A\n"),
	    "x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | "
	    "x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | "
	    "x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | "
	    "x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1 | x@4:1");
	ck_assert_str_eq(diags,
	    "4:1: error: parameters nested more than 32 levels deep");
}
END_TEST

START_TEST(params_expansion_bytes)
{
	char *in = malloc(4000);
	char want[64];

	ck_assert_ptr_nonnull(in);
	memcpy(in, "$A=", 3);
	memset(in + 3, 'x', 3000);
	strcpy(in + 3003, " ${A}\n${A}\nok\n");
	ck_assert_str_eq(lex(in), "ok@3:1");
	snprintf(want, sizeof(want),
	    "2:1: error: line expands to more than %d bytes",
	    KALEX_MAX_EXPANSION);
	ck_assert_str_eq(diags, want);
	free(in);
}
END_TEST

START_TEST(params_predefined)
{
	ck_assert_str_eq(lexn("/nonexistent-kalex/t.conf",
			     "${_PWD} ${_INSTANCE}\n", 21, "me"),
	    "/nonexistent-kalex@1:1 me@1:9");
	/* Not braced, or not predefined: left alone. */
	LEX_EQ("$_HASH ${_RANDOM}\n", "$_HASH@1:1 ${_RANDOM}@1:8");
}
END_TEST

/*
 * seq
 */

START_TEST(seq_forms)
{
	LEX_EQ("~SEQ(i,3) x ${i}\n",
	    "x@1:11 1@1:13 | x@1:11 2@1:13 | x@1:11 3@1:13");
	LEX_EQ("~SEQ(i, 2, 4) $i\n", "2@1:15 | 3@1:15 | 4@1:15");
	LEX_EQ("~SEQ(i,10,-5,0) $i\n", "10@1:17 | 5@1:17 | 0@1:17");
	LEX_EQ("~SEQ(i,-2) $i\n", "-1@1:12 | -2@1:12");
	LEX_EQ("~SEQ(i,3,1) $i\n", "3@1:13 | 2@1:13 | 1@1:13");
	LEX_EQ("~SEQ(i,1,2,4) $i\n", "1@1:15 | 3@1:15");
	LEX_EQ("  ~SEQx(h, 0x90, 0x10, 0xc0) fe80::${h}:1\n",
	    "fe80::90:1@1:30 | fe80::a0:1@1:30 | fe80::b0:1@1:30 | "
	    "fe80::c0:1@1:30");
}
END_TEST

START_TEST(seq_nested_and_with_params)
{
	LEX_EQ("~SEQ(a,2) ~SEQ(b,2) ${a}${b}\n",
	    "11@1:21 | 12@1:21 | 21@1:21 | 22@1:21");
	LEX_EQ("$L= \\\nip ${i} \\\nx\n~SEQ(i,2) $L\n",
	    "ip@4:11 1@4:11 | x@4:11 | ip@4:11 2@4:11 | x@4:11");
	LEX_EQ("@main ~SEQ(i,1) a\n@other ~SEQ(i,1) b\n", "a@1:17");
}
END_TEST

START_TEST(seq_lst)
{
	LEX_EQ("~LST(v, x, y ,z) ${v}\n", "x@1:18 | y@1:18 | z@1:18");
	LEX_EQ("~LST({IP, IP1}, {10,1},{20,4}) 198.51.100.${IP}${IP1}\n",
	    "198.51.100.101@1:32 | 198.51.100.204@1:32");
	LEX_EQ("~LST(IP, 1, 2) ~LST(IP1, 5,6) ${IP}.${IP1}\n",
	    "1.5@1:31 | 1.6@1:31 | 2.5@1:31 | 2.6@1:31");
	LEX_EQ("~LST({a,b},{1,2}) ~SEQ(c,2,2,4) $a$b$c\n",
	    "$a$b2@1:33 | $a$b4@1:33");
	LEX_EQ("~LST({a,b},{1,2}) ~SEQ(c,2,2,4) ${a}${b}${c}\n",
	    "122@1:33 | 124@1:33");
}
END_TEST

START_TEST(seq_errors)
{
	ck_assert_str_eq(lex("~SEQ(i,1,0,5) x\nok\n"), "ok@2:1");
	ck_assert_str_eq(diags, "1:1: error: ~SEQ: the step is 0");
	ck_assert_str_eq(lex("~SEQ(1x,3) x\n"), "");
	ck_assert_str_eq(diags,
	    "1:1: error: ~SEQ: expected (VAR, [START, [STEP,]] END)");
	ck_assert_str_eq(lex("~SEQ(i,a) x\n"), "");
	ck_assert_str_eq(diags, "1:1: error: ~SEQ: not an integer");
	ck_assert_str_eq(lex(" ~SEQ(i,3 x\n"), "");
	ck_assert_str_eq(diags, "1:2: error: ~SEQ: missing ')'");
	ck_assert_str_eq(lex("~LST({a,b},{1}) x\n"), "");
	ck_assert_str_eq(diags,
	    "1:1: error: ~LST: values do not match the variables");
	ck_assert_str_eq(lex("~LST(a) x\n"), "");
	ck_assert_str_eq(diags, "1:1: error: ~LST: expected (VAR, VALUE, ...)");
	/* Not a generator: plain tokens. */
	LEX_EQ("~SEQ x\n~seq(i,2) y\n",
	    "~SEQ@1:1 x@1:6 | ~seq(i,2)@2:1 y@2:11");
}
END_TEST

START_TEST(seq_line_bound)
{
	const char *out = lex("~SEQ(i,1,1000000000) x\nok\n");

	ck_assert_str_eq(out + strlen(out) - 15, "x@1:22 | ok@2:1");
	ck_assert_uint_eq(ntoks, 10001);
	ck_assert_str_eq(diags,
	    "1:1: error: ~SEQ/~LST generate more than 10000 lines");
	ck_assert_uint_eq(nerrors, 1);
	/* Nested: every line made counts, the outer ones too. */
	lex("~SEQ(a,200) ~SEQ(b,200) x\n");
	ck_assert_uint_gt(ntoks, 9000);
	ck_assert_uint_lt(ntoks, 10000);
	ck_assert_uint_eq(nerrors, 1);
}
END_TEST

/*
 * errors
 */

START_TEST(errors_nul_byte)
{
	static const char in[] = "a\0b c\n\"x\0y\"\n";

	ck_assert_str_eq(lexn("t.conf", in, sizeof(in) - 1, "main"),
	    "a@1:1 b@1:3 c@1:5 | \"x y\"@2:1");
	ck_assert_str_eq(diags,
	    "1:2: error: NUL byte in configuration\n"
	    "2:3: error: NUL byte in configuration");
	ck_assert_uint_eq(nerrors, 2);
}
END_TEST

START_TEST(errors_invalid_utf8_outside_comments)
{
	/* Latin-1 e-acute: an error at its column; fine in a comment. */
	static const char in[] = "a caf\xe9 b # caf\xe9\nc \xc0\xaf d\n"
				 "ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n";
	struct conf *conf = conf_new(CONF_FMT_KEEPALIVED);
	struct kalex *lx = kalex_new(conf, "u.conf", in, sizeof(in) - 1, "x");
	struct kalex_tok t;
	size_t n = 0;

	while (kalex_next(lx, &t) == 1)
		n++;
	ck_assert_uint_eq(n, 10);
	ck_assert_uint_eq(conf->nerrors, 2);
	ck_assert_uint_eq(conf->diags[0].loc.line, 1);
	ck_assert_uint_eq(conf->diags[0].loc.col, 6);
	ck_assert_ptr_nonnull(strstr(conf->diags[0].msg, "invalid UTF-8"));
	/* an overlong encoding of '/' is invalid too */
	ck_assert_uint_eq(conf->diags[1].loc.line, 2);
	ck_assert_uint_eq(conf->diags[1].loc.col, 3);
	kalex_free(lx);
	conf_free(conf);
}
END_TEST

START_TEST(errors_overlong_token)
{
	size_t n = CONF_MAX_TOKEN + 100;
	char *in = malloc(n + 16), want[64];
	struct conf *conf = conf_new(CONF_FMT_KEEPALIVED);
	struct kalex *lx;
	struct kalex_tok t;

	ck_assert_ptr_nonnull(in);
	in[0] = '"';
	memset(in + 1, 'x', n);
	strcpy(in + 1 + n, "\" y\n");
	lx = kalex_new(conf, "t.conf", in, strlen(in), "main");
	ck_assert_int_eq(kalex_next(lx, &t), 1);
	ck_assert_uint_eq(t.len, CONF_MAX_TOKEN);
	ck_assert_uint_eq(strlen(t.text), CONF_MAX_TOKEN);
	ck_assert_int_eq(kalex_next(lx, &t), 1);
	ck_assert_str_eq(t.text, "y");
	ck_assert_uint_eq(t.loc.col, n + 4);
	kalex_free(lx);
	ck_assert_uint_eq(conf->ndiags, 1);
	snprintf(want, sizeof(want), "token longer than %d bytes; truncated",
	    CONF_MAX_TOKEN);
	ck_assert_str_eq(conf->diags[0].msg, want);
	ck_assert_uint_eq(conf->diags[0].loc.col, 1);
	conf_free(conf);
	free(in);
}
END_TEST

START_TEST(errors_overlong_line)
{
	size_t n = KALEX_MAX_EXPANSION + 10;
	char *in = malloc(n + 8);

	ck_assert_ptr_nonnull(in);
	memset(in, ' ', n);
	memcpy(in + n - 3, "abc\nok\n", 8);
	ck_assert_str_eq(lex(in), "ok@2:1");
	ck_assert_uint_eq(nerrors, 1);
	ck_assert(strstr(diags, "line longer than") != NULL);
	free(in);
}
END_TEST

START_TEST(errors_garbage_survives)
{
	char in[4096];

	/* Every byte value, in odd places: no crash, no leak, no hang. */
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)((i * 37 + i / 7) & 0xff);
	lexn("t.conf", in, sizeof(in), "main");
	lex("$A=${A\n${A\n\"\\\n'\n~SEQ(\n~LST(\n@\n@^\n$\n$=\n${}\n");
	ck_assert_uint_ge(nerrors, 1);
}
END_TEST

/* Expansion costs time linear in what it makes, and that is bounded. */
START_TEST(errors_expansion_work)
{
	char *in = malloc(64 * 1024), *p;

	ck_assert_ptr_nonnull(in);
	/* ~SEQ copies of a long line. */
	p = in + sprintf(in, "$E=\n~SEQ(i,10000) ");
	for (int i = 0; i < 6000; i++)
		p += sprintf(p, "${E} ");
	strcpy(p, "\nok\n");
	ck_assert_str_eq(lex(in), "ok@3:1");
	ck_assert_uint_eq(nerrors, 1);
	ck_assert(strstr(diags, "expand this line to more than") != NULL);
	/* Fan-out of empty values. */
	p = in + sprintf(in, "$C=\n$A=");
	for (int i = 0; i < 1000; i++)
		p += sprintf(p, "${C}");
	p += sprintf(p, "\n$B=");
	for (int i = 0; i < 1000; i++)
		p += sprintf(p, "${A}");
	strcpy(p, "\n${B} ${B} ${B} ${B} ${B}\nok\n");
	ck_assert_str_eq(lex(in), "ok@5:1");
	ck_assert_uint_eq(nerrors, 1);
	ck_assert(strstr(diags, "expand this line to more than") != NULL);
	free(in);
}
END_TEST

static TCase *
basic_tcase(void)
{
	TCase *tc = tcase_create("basic");

	tcase_add_checked_fixture(tc, NULL, free_output);
	tcase_add_test(tc, basic_block);
	tcase_add_test(tc, basic_braces_glued);
	tcase_add_test(tc, basic_whitespace_crlf);
	tcase_add_test(tc, basic_empty);
	tcase_add_test(tc, basic_text_lives_until_next);
	return tc;
}

static TCase *
quotes_tcase(void)
{
	TCase *tc = tcase_create("quotes");

	tcase_add_checked_fixture(tc, NULL, free_output);
	tcase_add_test(tc, quotes_both_styles);
	tcase_add_test(tc, quotes_braces_not_split);
	tcase_add_test(tc, quotes_simple_escapes);
	tcase_add_test(tc, quotes_numeric_escapes);
	tcase_add_test(tc, quotes_nul_escape_in_len);
	tcase_add_test(tc, quotes_no_escapes_elsewhere);
	tcase_add_test(tc, quotes_unterminated);
	return tc;
}

static TCase *
comments_tcase(void)
{
	TCase *tc = tcase_create("comments");

	tcase_add_checked_fixture(tc, NULL, free_output);
	tcase_add_test(tc, comments_both_chars);
	tcase_add_test(tc, comments_not_in_quotes);
	tcase_add_test(tc, comments_hash_and_bang_params);
	return tc;
}

static TCase *
include_tcase(void)
{
	TCase *tc = tcase_create("include");

	tcase_add_unchecked_fixture(tc, tmp_create, tmp_remove);
	tcase_add_checked_fixture(tc, tmp_empty, free_output);
	tcase_add_test(tc, include_file);
	tcase_add_test(tc, include_glob_sorted);
	tcase_add_test(tc, include_relative_to_includer);
	tcase_add_test(tc, include_missing_warns);
	tcase_add_test(tc, include_unreadable);
	tcase_add_test(tc, include_depth_limit);
	tcase_add_test(tc, include_cycle);
	tcase_add_test(tc, include_before_conditional_and_params);
	return tc;
}

static TCase *
conditional_tcase(void)
{
	TCase *tc = tcase_create("conditional");

	tcase_add_checked_fixture(tc, NULL, free_output);
	tcase_add_test(tc, conditional_id);
	tcase_add_test(tc, conditional_hostname_default);
	tcase_add_test(tc, conditional_with_params);
	return tc;
}

static TCase *
params_tcase(void)
{
	TCase *tc = tcase_create("params");

	tcase_add_checked_fixture(tc, NULL, free_output);
	tcase_add_test(tc, params_simple_and_braced);
	tcase_add_test(tc, params_need_whitespace_after);
	tcase_add_test(tc, params_undefined_left);
	tcase_add_test(tc, params_recursive_at_use);
	tcase_add_test(tc, params_multi_line);
	tcase_add_test(tc, params_multi_line_prefix_suffix);
	tcase_add_test(tc, params_runaway);
	tcase_add_test(tc, params_expansion_bytes);
	tcase_add_test(tc, params_predefined);
	return tc;
}

static TCase *
seq_tcase(void)
{
	TCase *tc = tcase_create("seq");

	tcase_add_checked_fixture(tc, NULL, free_output);
	tcase_add_test(tc, seq_forms);
	tcase_add_test(tc, seq_nested_and_with_params);
	tcase_add_test(tc, seq_lst);
	tcase_add_test(tc, seq_errors);
	tcase_add_test(tc, seq_line_bound);
	return tc;
}

static TCase *
errors_tcase(void)
{
	TCase *tc = tcase_create("errors");

	tcase_add_checked_fixture(tc, NULL, free_output);
	tcase_add_test(tc, errors_nul_byte);
	tcase_add_test(tc, errors_invalid_utf8_outside_comments);
	tcase_add_test(tc, errors_overlong_token);
	tcase_add_test(tc, errors_overlong_line);
	tcase_add_test(tc, errors_garbage_survives);
	tcase_add_test(tc, errors_expansion_work);
	return tc;
}

static Suite *
kalex_suite(void)
{
	Suite *s = suite_create("conf_kalex");

	suite_add_tcase(s, basic_tcase());
	suite_add_tcase(s, quotes_tcase());
	suite_add_tcase(s, comments_tcase());
	suite_add_tcase(s, include_tcase());
	suite_add_tcase(s, conditional_tcase());
	suite_add_tcase(s, params_tcase());
	suite_add_tcase(s, seq_tcase());
	suite_add_tcase(s, errors_tcase());
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(kalex_suite());
	int failures;

	srunner_run_all(sr, CK_NORMAL);
	failures = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failures != 0;
}
