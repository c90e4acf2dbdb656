# SPDX-License-Identifier: BSD-2-Clause
# vrrpd: one GNU Makefile, pkg-config for libraries.
#
#   make                 libvrrpd.a, vrrpd, vrrpctl
#   make check           bootstrap, build, run every test layer:
#                        format-check, check-unit, check-netns, check-zk,
#                        check-fuzz
#   make check-unit      unit tests only (Check)
#   make check-systemd   systemd-analyze verify on systemd/vrrpd.service
#   make check-man       mandoc -T lint on the man pages
#   make check-netns     failover tests in network namespaces (root)
#   make check-zk        registry tests against real ZooKeeper servers (root)
#   make check-fuzz      a short bounded run of every fuzz target
#   make fuzz            build the libFuzzer targets
#   make format-check    clang-format --dry-run over the sources
#   make demo            two-node failover in namespaces (with the daemon)
#   make bench           failover reaction of vrrpd and keepalived (bench/)
#   make bench-checks    1,000 TCP + 200 HTTP checks: vrrpd and keepalived
#   make bench-debug     advert lateness of a 10 ms pair with --debug all
#   make bench-registry  500 nodes x 10 instances against a 3-server ZooKeeper
#   make bench-scale     hundreds of instances, floods, start-up, reload (#14)
#   make install         binaries, unit, sysusers entry, man pages
#                        (PREFIX=/usr, DESTDIR)
#   make deb             Debian package (debian/) in build/deb/, lintian
#   make clean
#
# Knobs: WERROR=1 (-Werror), SANITIZE=1 (ASan + UBSan), CC=clang,
# FUZZ_SECONDS=N (per target in check-fuzz, default 15).

CC		?= cc
PKG_CONFIG	?= pkg-config
CLANG		?= clang
CLANG_FORMAT	?= clang-format
FUZZ_SECONDS	?= 15

# Libraries the code links (libev and libzookeeper_st ship no .pc file on Debian 12).
PKGS		:= yaml-0.1 libnl-3.0 libnl-route-3.0 json-c
# libcurl's headers only: src/check/curl_dl.c opens the library when the
# first HTTP check is set up (most nodes run none, and it costs ~800 kB).
HDR_PKGS	:= libcurl
NOPC_LIBS	:= -lev -lzookeeper_st
TEST_PKGS	:= check

WARN	:= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wpointer-arith -Wcast-qual -Wformat=2 -Wsign-compare
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer

CFLAGS	?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude -MMD -MP
ALL_LDFLAGS := $(LDFLAGS)
ifeq ($(WERROR),1)
ALL_CFLAGS += -Werror
endif
ifeq ($(SANITIZE),1)
ALL_CFLAGS += $(SANFLAGS)
ALL_LDFLAGS += $(SANFLAGS)
endif
ifneq ($(strip $(PKGS)),)
ALL_CFLAGS += $(shell $(PKG_CONFIG) --cflags $(PKGS) $(HDR_PKGS) 2>/dev/null)
LIBS	:= $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) $(NOPC_LIBS)
endif

# One build directory per compiler and sanitizer setting, so switching
# between them never links stale objects.
O	:= build/$(notdir $(firstword $(CC)))$(if $(filter 1,$(SANITIZE)),-san)

LIB_SRCS := $(filter-out src/daemon/main.c src/vrrpctl/%,$(wildcard src/*/*.c))
VRRPD_SRCS := src/daemon/main.c
VRRPCTL_SRCS := $(wildcard src/vrrpctl/*.c)
# vrrpctl's pure parts (command table, rendering), for its unit test.
VRRPCTL_PURE_OBJS := $(patsubst %.c,$(O)/%.o,$(filter-out \
	src/vrrpctl/vrrpctl.c src/vrrpctl/direct.c,$(VRRPCTL_SRCS)))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)

LIB	:= $(O)/libvrrpd.a
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)

all: vrrpd vrrpctl

vrrpd: $(O)/vrrpd
	@ln -sf $< $@
vrrpctl: $(O)/vrrpctl
	@ln -sf $< $@

# Objects are rebuilt when the flags change (a stamp holds the last set).
$(O)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || \
	    echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@

$(O)/%.o: %.c $(O)/.flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(O)/vrrpd: $(VRRPD_SRCS:%.c=$(O)/%.o) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(O)/vrrpctl: $(VRRPCTL_SRCS:%.c=$(O)/%.o) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Unit tests: one runner per module, so a crash names its module.
$(O)/tests/test_vrrpctl: $(O)/tests/unit/test_vrrpctl.o $(VRRPCTL_PURE_OBJS) \
    $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $$($(PKG_CONFIG) --libs $(TEST_PKGS))

$(O)/tests/%: $(O)/tests/unit/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $$($(PKG_CONFIG) --libs $(TEST_PKGS))

# Glue tests of vrrp/ (every test_vrrp_* but the pure packet and fsm ones)
# link stubs of net/ and notify/ before the library (bgpd's unittests):
# the stubs define every function of those modules, so the archive's real
# objects are never pulled in.
UNIT_STUBS := $(O)/tests/unit/stubs_net.o $(O)/tests/unit/stubs_notify.o
GLUE_BINS := $(filter-out %/test_vrrp_packet %/test_vrrp_fsm %/test_vrrp_sync \
	%/test_vrrp_ah,\
	$(filter $(O)/tests/test_vrrp_%,$(UNIT_BINS)))

$(GLUE_BINS): $(O)/tests/%: $(O)/tests/unit/%.o $(UNIT_STUBS) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $$($(PKG_CONFIG) --libs $(TEST_PKGS))

$(O)/tests/unit/%.o: tests/unit/%.c $(O)/.flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -Isrc/conf -Isrc/check -Isrc/vrrpctl \
	    $$($(PKG_CONFIG) --cflags $(TEST_PKGS)) \
	    -c $< -o $@

bootstrap:
	@./tools/bootstrap

check: bootstrap
	@$(MAKE) --no-print-directory format-check check-unit check-systemd \
	    check-man check-netns check-zk check-fuzz

# The unit file as systemd reads it, pointing at the binary just built.
check-systemd: vrrpd
	@d=$$(mktemp -d) && \
	    sed 's|/usr/sbin/vrrpd|$(CURDIR)/vrrpd|g' systemd/vrrpd.service \
	    >"$$d/vrrpd.service" && \
	    systemd-analyze verify --man=no "$$d/vrrpd.service"; \
	    rc=$$?; rm -rf "$$d"; \
	    [ $$rc -eq 0 ] && echo "systemd: 1 passed, 0 failed" || \
	    { echo "systemd: 0 passed, 1 failed"; exit 1; }

# The man pages through mandoc's linter (Debian's mandoc): a warning or an
# error fails; its STYLE notes (advice on markup) are left out.
MAN_PAGES := $(wildcard man/*.[1-9])

check-man:
	@command -v mandoc >/dev/null || { echo "check-man: no mandoc;" \
	    "install Debian's mandoc (tools/bootstrap does)"; exit 1; }
	@ok=0; bad=0; for m in $(MAN_PAGES); do \
	    if mandoc -T lint -W warning "$$m"; then ok=$$((ok + 1)); \
	    else bad=$$((bad + 1)); fi; \
	    done; echo "man: $$ok passed, $$bad failed"; [ $$bad -eq 0 ]

PREFIX	?= /usr
install: all
	install -D -m 0755 $(O)/vrrpd $(DESTDIR)$(PREFIX)/sbin/vrrpd
	install -D -m 0755 $(O)/vrrpctl $(DESTDIR)$(PREFIX)/sbin/vrrpctl
	install -D -m 0644 systemd/vrrpd.service \
	    $(DESTDIR)/lib/systemd/system/vrrpd.service
	install -D -m 0644 systemd/vrrpd.sysusers.conf \
	    $(DESTDIR)$(PREFIX)/lib/sysusers.d/vrrpd.conf
	[ -e $(DESTDIR)/etc/default/vrrpd ] || install -D -m 0644 \
	    systemd/vrrpd.default $(DESTDIR)/etc/default/vrrpd
	install -D -m 0644 man/vrrpd.8 $(DESTDIR)$(PREFIX)/share/man/man8/vrrpd.8
	install -D -m 0644 man/vrrpctl.8 \
	    $(DESTDIR)$(PREFIX)/share/man/man8/vrrpctl.8
	install -D -m 0644 man/vrrpd.yaml.5 \
	    $(DESTDIR)$(PREFIX)/share/man/man5/vrrpd.yaml.5

# The Debian package, built with dpkg-buildpackage -us -uc -b in a temporary
# copy of the tree (without build/ and .git), so the tree stays clean: the
# .debs (vrrpd and vrrpd-dbgsym), .buildinfo and .changes are moved to
# build/deb/, then lintian checks them (it fails on errors, prints
# warnings). The build dependencies are dpkg-buildpackage's to check.
DEB_TOOLS := dpkg-buildpackage:dpkg-dev dh:debhelper lintian:lintian
deb:
	@missing=""; for t in $(DEB_TOOLS); do \
	    command -v $${t%%:*} >/dev/null || missing="$$missing $${t#*:}"; \
	done; [ -z "$$missing" ] || { \
	    echo "deb: missing Debian packages:$$missing; as root run:" >&2; \
	    echo "  apt-get install -y$$missing" >&2; exit 1; }
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && mkdir "$$d/vrrpd" && \
	    tar -cf - --anchored --exclude=./build --exclude=./.git \
	    --exclude=./vrrpd --exclude=./vrrpctl . | tar -C "$$d/vrrpd" -xf - && \
	    (cd "$$d/vrrpd" && dpkg-buildpackage -us -uc -b) && \
	    rm -rf build/deb && mkdir -p build/deb && \
	    mv "$$d"/*.deb "$$d"/*.buildinfo "$$d"/*.changes build/deb/ && \
	    lintian build/deb/*.changes && ls -l build/deb

check-unit: $(UNIT_BINS)
	@./tests/run-unit $(UNIT_BINS)

# Namespace tests: real daemons in network namespaces; need root.
NETNS_TESTS := $(wildcard tests/netns/t_*.sh)

# Small programs the namespace tests use (a systemd notify socket, ...).
TEST_TOOLS := $(patsubst tests/tools/%.c,$(O)/tests/tools/%,\
	$(wildcard tests/tools/*.c))

$(O)/tests/tools/%: tests/tools/%.c $(O)/.flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# The registry tests' ZooKeeper client: the one tool that links a library
# (the single-threaded C binding; no .pc file on Debian 12).
$(O)/tests/tools/zk_tool: tests/tools/zk_tool.c $(O)/.flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -lzookeeper_st

# NETNS_JOBS scenarios at a time (default 3: each is mostly waiting on
# protocol timers).
NETNS_JOBS ?= 3

check-netns: all $(TEST_TOOLS)
	@TOOLS=$(CURDIR)/$(O)/tests/tools ./tests/run-scenarios netns \
		$(NETNS_JOBS) $(NETNS_TESTS)

# Registry tests: real ZooKeeper servers (Debian's zookeeper package) in
# network namespaces; need root.
ZK_TESTS := $(wildcard tests/zk/t_*.sh)

# ZK_JOBS at a time (default 2: each starts one to three JVMs, and a JVM's
# start is CPU-bound on a small machine).
ZK_JOBS ?= 2

check-zk: all $(TEST_TOOLS)
	@TOOLS=$(CURDIR)/$(O)/tests/tools ./tests/run-scenarios zk \
		$(ZK_JOBS) $(ZK_TESTS)

# libFuzzer targets: always clang with ASan + UBSan, in their own directory.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Itests -Isrc/conf \
	-Isrc/vrrpctl \
	$(shell $(PKG_CONFIG) --cflags json-c 2>/dev/null) \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# Only the pure modules: parsers and codecs, no I/O.
# The registry's glue (ZooKeeper, libev) stays out of the fuzzers.
REGISTRY_GLUE := src/registry/zk.c src/registry/registry.c \
	src/registry/publish.c src/registry/watch.c src/registry/fleet.c \
	src/registry/fetch.c
FUZZ_LIB_SRCS := $(wildcard src/util/*.c src/conf/*.c) src/vrrp/packet.c \
	src/vrrp/ah.c \
	src/vrrp/fsm.c src/ctl/proto.c \
	$(filter-out src/vrrpctl/vrrpctl.c src/vrrpctl/direct.c,$(wildcard src/vrrpctl/*.c)) \
	$(filter-out $(REGISTRY_GLUE),$(wildcard src/registry/*.c)) \
	src/check/eval.c
FUZZ_LIBS := $(shell $(PKG_CONFIG) --libs yaml-0.1 json-c 2>/dev/null)

build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_SRCS) $(wildcard include/vrrpd/*.h) \
    $(wildcard src/vrrpctl/*.h)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_LIB_SRCS) $(FUZZ_LIBS)

fuzz: $(FUZZ_BINS)

check-fuzz: $(FUZZ_BINS)
	@./tests/run-fuzz $(FUZZ_SECONDS) $(FUZZ_BINS)

FORMAT_FILES = $(wildcard src/*/*.c src/*/*.h include/vrrpd/*.h tests/unit/*.[ch] \
	tests/fuzz/*.c tests/vectors/*.h tests/tools/*.c bench/*.c)

format-check:
	@$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES) && \
	    echo "format-check: $(words $(FORMAT_FILES)) files clean"

format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

demo: bootstrap
	@$(MAKE) --no-print-directory all >/dev/null
	@./tools/demo

bench: bootstrap
	@$(MAKE) --no-print-directory all >/dev/null
	@./bench/failover

bench-checks: bootstrap
	@$(MAKE) --no-print-directory all >/dev/null
	@./bench/checks

bench-debug: bootstrap
	@$(MAKE) --no-print-directory all >/dev/null
	@./bench/debug

# The registry benchmark's fleet: many registry clients in one process,
# the module itself (linked from the library like vrrpd); not in all.
$(O)/bench/registry_sim: $(O)/bench/registry_sim.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

bench-registry: bootstrap
	@$(MAKE) --no-print-directory all $(O)/bench/registry_sim \
	    $(O)/tests/tools/zk_tool >/dev/null
	@TOOLS=$(CURDIR)/$(O)/tests/tools SIM=$(CURDIR)/$(O)/bench/registry_sim \
	    ./bench/registry $(BENCH_ARGS)

# The scale benchmark's capture / flap guard and its floor sender; not in
# all. BENCH_ARGS: bench/scale's options (make bench-scale BENCH_ARGS=-q).
$(O)/bench/scale_cap: $(O)/bench/scale_cap.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^

$(O)/bench/floor: $(O)/bench/floor.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^

bench-scale: bootstrap
	@$(MAKE) --no-print-directory all $(O)/bench/scale_cap $(O)/bench/floor \
	    $(O)/tests/tools/vrrp_send >/dev/null
	@TOOLS=$(CURDIR)/$(O)/tests/tools BENCHBIN=$(CURDIR)/$(O)/bench \
	    ./bench/scale $(BENCH_ARGS)

clean:
	rm -rf build vrrpd vrrpctl

FORCE:

# Keep intermediate objects (test .o files): no rebuild, no "rm" noise.
.SECONDARY:

.PHONY: all bootstrap check check-unit check-netns check-zk check-fuzz fuzz \
	check-systemd check-man install deb bench bench-checks bench-debug \
	bench-registry bench-scale \
	format-check format \
	demo clean FORCE

-include $(shell find $(O) -name '*.d' 2>/dev/null)
