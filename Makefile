# sitbreak: `make run` tries it out, `make test` is what CI runs (.ci/run).
SWIFT ?= swift

.PHONY: all deps deps-run deps-test deps-deb build test lint run ctl simulate bench format clean install uninstall deb man fuzz fuzz-build fuzz-short soak

all: build

# --- Packages ---------------------------------------------------------------------------------
# Debian packages, as data: running needs RUN_PACKAGES, the tests also TEST_PACKAGES (fixtures:
# docs/testing.md §2), `make deb` also DEB_PACKAGES. Each target installs only what is missing;
# as root it waits up to 10 minutes for another apt to let go of the dpkg lock, otherwise it
# prints the `sudo apt-get install …` line to run and stops.
RUN_PACKAGES = libsystemd-dev libsqlite3-dev pkg-config tzdata
TEST_PACKAGES = time python3 dbus systemd python3-dbusmock xvfb xdotool libxss1 sway swayidle mako-notifier dunst groff man-db
DEB_PACKAGES = dpkg-dev lintian binutils
APT_GET = DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600

# $(call ensure_packages,PACKAGES…)
define ensure_packages
	@missing=""; \
	for package in $(1); do \
		dpkg-query -W -f='$${db:Status-Status}' $$package 2>/dev/null | grep -qx installed || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -ne 0 ]; then \
		echo "missing Debian packages:$$missing; install them with:"; \
		echo "  sudo apt-get install$$missing"; \
		exit 1; \
	fi; \
	echo "installing:$$missing"; \
	$(APT_GET) update && $(APT_GET) install -y --no-install-recommends $$missing
endef

deps-run:
	$(call ensure_packages,$(RUN_PACKAGES))

deps-test:
	$(call ensure_packages,$(TEST_PACKAGES))

deps-deb:
	$(call ensure_packages,$(DEB_PACKAGES))

deps: deps-run deps-test deps-deb

build:
	$(SWIFT) build

# Every target must declare the modules it imports, and a warning fails the build. SwiftPM's import
# check only sees imports outside a target's transitive dependencies; `make lint` checks the
# direct ones (Scripts/check-imports.sh).
CHECK_FLAGS = --explicit-target-dependency-import-check error -Xswiftc -warnings-as-errors

# One build of everything (tests and the sitbreakctl the CLI tests run), then the tests without
# building again. SITBREAK_REQUIRE_FIXTURES=1: no suite is skipped for a missing fixture (Xvfb,
# sway, dbusmock, journald…); one that is missing fails with its reason (docs/testing.md §3).
test: deps-run deps-test deps-deb lint fuzz-short
	$(SWIFT) build --build-tests $(CHECK_FLAGS)
	python3 Soak/soak.py .build/debug/sitbreakd --kills $(SOAK_SHORT_KILLS)
	SITBREAK_REQUIRE_FIXTURES=1 $(SWIFT) test --skip-build --skip UserManagerTests
	# The real systemd --user manager test runs alone: its start-up briefly changes machine-wide
	# state (the container recipe's /run/systemd/system, cgroups; docs/testing.md §2.9) and, run
	# beside other tests, it and they failed now and then.
	SITBREAK_REQUIRE_FIXTURES=1 $(SWIFT) test --skip-build --filter UserManagerTests

# --- Crash soak ----------------------------------------------------------------------------------
# kill -9 of the real daemon at chosen and random moments (after an acknowledged reply, on a
# reminder's delivery, after a quiet period, at random), restarted at once each time; checks that
# acknowledged commands survive, no reminder is delivered twice and no break is invented
# (Soak/soak.py). `make soak` runs SOAK_KILLS kills of the release binary; `make test` a short round.
SOAK_KILLS ?= 250
SOAK_SHORT_KILLS ?= 20

soak:
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path .build-release --product sitbreakd
	python3 Soak/soak.py .build-release/release/sitbreakd --kills $(SOAK_KILLS)

# --- Fuzzing -------------------------------------------------------------------------------------
# libFuzzer targets (Fuzz/TARGET/main.swift) for the control protocol's request line, the
# configuration file and traces, built outside SwiftPM with -sanitize=fuzzer,address
# (Fuzz/build.sh). `make fuzz` runs each for FUZZ_SECONDS, one after another, and prints the
# inputs executed and crashes per target; findings land in .build-fuzz/crashes/TARGET/ (each
# becomes a test in the Swift suites and a seed in Fuzz/corpus/TARGET). `make test` runs a short
# round.
FUZZ_TARGETS = request config trace
FUZZ_SECONDS ?= 300
FUZZ_DIR = .build-fuzz

fuzz-build:
	for target in $(FUZZ_TARGETS); do Fuzz/build.sh $$target $(FUZZ_DIR) || exit 1; done

fuzz: fuzz-build
	Fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-short: fuzz-build
	Fuzz/run.sh $(FUZZ_DIR) 20 $(FUZZ_TARGETS)

# The daemon in the foreground on the built-in default schedule (or your config.toml); events
# print on stderr as readable lines. It runs on a private state and runtime directory under
# RUN_DIR (.run/ in the checkout), never on the installed service's ~/.local/state/sitbreak.
# `make ctl ARGS=status` (or the command it prints) talks to it from another terminal; Ctrl-C
# stops it. BINDIR_SOURCE runs already built binaries from that directory (the tests do).
RUN_DIR ?= $(CURDIR)/.run
RUN_BUILT = $(or $(BINDIR_SOURCE),$(CURDIR)/.build/debug)
RUN_ENV = XDG_RUNTIME_DIR=$(RUN_DIR)/runtime XDG_STATE_HOME=$(RUN_DIR)/state
ARGS ?= status

run: deps-run
ifeq ($(BINDIR_SOURCE),)
	$(SWIFT) build --product sitbreakd
	$(SWIFT) build --product sitbreakctl
endif
	@mkdir -p -m 0700 "$(RUN_DIR)/runtime" "$(RUN_DIR)/state"
	@echo "sitbreakd: state in $(RUN_DIR)/state, socket $(RUN_DIR)/runtime/sitbreak/control.sock"
	@echo "From another terminal in this directory:  make ctl ARGS=status   (or: make ctl ARGS='watch')"
	@echo "  which runs:  $(RUN_ENV) $(RUN_BUILT)/sitbreakctl status"
	@$(RUN_ENV) exec $(RUN_BUILT)/sitbreakd

# sitbreakctl against the daemon of `make run`: `make ctl ARGS='snooze walk 10m'`.
ctl:
	@$(RUN_ENV) $(RUN_BUILT)/sitbreakctl $(ARGS)

# The engine over an example working day, without the daemon.
simulate: deps-run
	$(SWIFT) build --product sitbreakctl
	.build/debug/sitbreakctl simulate --trace config/example-day.trace

# Release builds link the Swift runtime statically: no Swift libraries to load and relocate at
# start (when this was chosen, `make bench` measured 8 MiB idle RSS against 10.6 linked
# dynamically); docs/design.md §7 has the budget, the README today's figures.
RELEASE_FLAGS = --static-swift-stdlib

# A separate scratch path, so release and debug builds never invalidate each other.
bench: deps-run deps-test
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path .build-release --product sitbreakctl
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path .build-release --product sitbreakd
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path .build-release --product sitbreak-notify
	Benchmarks/run.sh
	python3 Benchmarks/daemon_bench.py .build-release/release/sitbreakd
	/usr/bin/python3 Benchmarks/notify_bench.py .build-release/release/sitbreakd .build-release/release/sitbreak-notify
	# An honest client's status p99 and the daemon's RSS under 4,000 never-reading connections and a flooder.
	python3 Benchmarks/hostile_bench.py .build-release/release/sitbreakd
	# The history store: a simulated year imported; stats over the socket, write cost, idle memory.
	Benchmarks/history_bench.sh
	# Per presence source: wakeups active and idle, input-to-event latency, idle RSS.
	for bench in Benchmarks/presence_*.sh; do SITBREAKD=.build-release/release/sitbreakd $$bench || exit 1; done

format:
	$(SWIFT) format -i -r Sources Tests

# The .swift-format style, checked (a warning fails; `make format` applies it), and every target
# declaring the modules it imports (Scripts/check-imports.sh says why the build's check is not
# enough).
lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
	SWIFT=$(SWIFT) Scripts/check-imports.sh

# --- Installation -------------------------------------------------------------------------------
# `make install` installs for the current user under ~/.local; `make install PREFIX=/usr/local`
# (as root) system-wide. DESTDIR stages into another root (packaging). BINDIR_SOURCE installs
# already built binaries from that directory instead of building release ones (the tests install
# the debug build this way). What is installed is data: a new program or unit is one word here.
BINARIES = sitbreakd sitbreakctl sitbreak-notify
UNITS = sitbreakd.service sitbreakd.socket sitbreak-notify.service
MAN1 = sitbreakctl.1 sitbreakd.1 sitbreak-notify.1
DESKTOP_FILE = $(DATADIR)/applications/sitbreak.desktop
ICON_FILE = $(DATADIR)/icons/hicolor/scalable/apps/sitbreak.svg
MAN5 = sitbreak.toml.5
PREFIX ?= $(HOME)/.local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
BINDIR_SOURCE ?=
SYSTEMCTL ?= systemctl
STRIP ?= strip
XDG_CONFIG_HOME ?= $(HOME)/.config
# A prefix inside $HOME is a user install: the user manager reads units from
# ~/.config/systemd/user, and journald reads no per-user catalog.
USER_INSTALL := $(if $(filter $(HOME)/%,$(abspath $(PREFIX))),yes,)
UNITDIR ?= $(if $(USER_INSTALL),$(XDG_CONFIG_HOME)/systemd/user,$(PREFIX)/lib/systemd/user)
CATALOGDIR ?= $(if $(USER_INSTALL),,$(PREFIX)/lib/systemd/catalog)
DOCDIR ?= $(DATADIR)/doc/sitbreak
BUILT = $(or $(BINDIR_SOURCE),.build-release/release)
COMPLETIONS = $(DATADIR)/bash-completion/completions/sitbreakctl $(DATADIR)/zsh/site-functions/_sitbreakctl \
	$(DATADIR)/fish/vendor_completions.d/sitbreakctl.fish
# Where the user unit's files go when installing into the live system, and the socket the daemon
# leaves there.
RUNTIME_SOCKET_DIR = $(if $(XDG_RUNTIME_DIR),$(XDG_RUNTIME_DIR)/sitbreak,)

install:
ifeq ($(BINDIR_SOURCE),)
	$(foreach binary,$(BINARIES),$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path .build-release --product $(binary) &&) true
endif
	$(foreach binary,$(BINARIES),install -D -m 0755 -s --strip-program=$(STRIP) $(BUILT)/$(binary) "$(DESTDIR)$(BINDIR)/$(binary)" &&) true
	install -d "$(DESTDIR)$(UNITDIR)"
	# Units name the installed binaries: ExecStart=/usr/local/bin/… becomes $(BINDIR)/….
	$(foreach unit,$(UNITS),sed 's|^\(ExecStart=\)/usr/local/bin/|\1$(BINDIR)/|' systemd/$(unit) > "$(DESTDIR)$(UNITDIR)/$(unit)" && chmod 0644 "$(DESTDIR)$(UNITDIR)/$(unit)" &&) true
	grep -qx 'ExecStart=$(BINDIR)/sitbreakd' "$(DESTDIR)$(UNITDIR)/sitbreakd.service"
	install -d "$(DESTDIR)$(DATADIR)/applications"
	sed 's|^Exec=sitbreak-notify$$|Exec=$(BINDIR)/sitbreak-notify|' data/sitbreak.desktop > "$(DESTDIR)$(DESKTOP_FILE)"
	chmod 0644 "$(DESTDIR)$(DESKTOP_FILE)"
	install -D -m 0644 data/sitbreak.svg "$(DESTDIR)$(ICON_FILE)"
ifneq ($(CATALOGDIR),)
	install -D -m 0644 systemd/sitbreak.catalog "$(DESTDIR)$(CATALOGDIR)/sitbreak.catalog"
endif
	install -D -m 0644 systemd/sitbreak.catalog "$(DESTDIR)$(DOCDIR)/sitbreak.catalog"
	install -D -m 0644 config/sitbreak.toml "$(DESTDIR)$(DOCDIR)/sitbreak.toml"
	install -D -m 0644 README.md "$(DESTDIR)$(DOCDIR)/README.md"
	$(foreach page,$(MAN1),install -D -m 0644 man/$(page) "$(DESTDIR)$(MANDIR)/man1/$(page)" &&) true
	$(foreach page,$(MAN5),install -D -m 0644 man/$(page) "$(DESTDIR)$(MANDIR)/man5/$(page)" &&) true
	install -d $(foreach file,$(COMPLETIONS),"$(DESTDIR)$(dir $(file))")
	# bash-completion sources the script: a #! line only makes lintian warn (bash-completion-with-hashbang).
	$(BUILT)/sitbreakctl --generate-completion-script bash > "$(DESTDIR)$(word 1,$(COMPLETIONS))"
	sed -i '1{/^#!/d}' "$(DESTDIR)$(word 1,$(COMPLETIONS))"
	$(BUILT)/sitbreakctl --generate-completion-script zsh > "$(DESTDIR)$(word 2,$(COMPLETIONS))"
	$(BUILT)/sitbreakctl --generate-completion-script fish > "$(DESTDIR)$(word 3,$(COMPLETIONS))"
	@echo
	@echo "Installed $(BINARIES) in $(BINDIR), the units in $(UNITDIR)."
ifeq ($(DESTDIR),)
	@case ":$$PATH:" in *":$(BINDIR):"*) ;; *) \
		echo; \
		echo "WARNING: $(BINDIR) is not on your PATH, so the shell will not find sitbreakctl."; \
		echo "Add this line to ~/.profile, then log in again (or run it in this shell too):"; \
		echo '  export PATH="$(BINDIR):$$PATH"'; \
		echo; \
	esac
endif
ifneq ($(CATALOGDIR),)
	@echo "Refresh the journal catalog:  journalctl --update-catalog"
endif
	@echo "Start it now and at every login:"
	@echo "  systemctl --user daemon-reload && systemctl --user enable --now sitbreakd.socket sitbreakd.service"
	@echo "Desktop notifications with the graphical session:"
	@echo "  systemctl --user enable --now sitbreak-notify.service"
	@echo "An example configuration: $(DOCDIR)/sitbreak.toml (copy it to ~/.config/sitbreak/config.toml)."

# $(call prune_empty,DIRECTORIES…,STOP): removes each directory while it is empty, then its
# parents up to (not including) STOP, so uninstall leaves no empty directory it may have made.
define prune_empty
	@for directory in $(1); do \
		while [ "$$directory" != "$(2)" ] && [ "$${directory#$(2)/}" != "$$directory" ] && rmdir "$$directory" 2>/dev/null; do \
			directory=$$(dirname "$$directory"); \
		done; \
	done
endef

# Stops and disables the service first and reloads the user manager afterwards (when installing
# into the live system), so no enabled unit is left pointing at removed files and `systemctl
# --user status` does not go on showing it.
uninstall:
ifeq ($(DESTDIR),)
	-$(SYSTEMCTL) --user disable --now $(UNITS) 2>/dev/null
endif
	rm -f $(foreach binary,$(BINARIES),"$(DESTDIR)$(BINDIR)/$(binary)") \
		$(foreach unit,$(UNITS),"$(DESTDIR)$(UNITDIR)/$(unit)") \
		$(foreach file,$(COMPLETIONS),"$(DESTDIR)$(file)") \
		$(foreach page,$(MAN1),"$(DESTDIR)$(MANDIR)/man1/$(page)") \
		$(foreach page,$(MAN5),"$(DESTDIR)$(MANDIR)/man5/$(page)") \
		"$(DESTDIR)$(DESKTOP_FILE)" "$(DESTDIR)$(ICON_FILE)"
ifneq ($(CATALOGDIR),)
	rm -f "$(DESTDIR)$(CATALOGDIR)/sitbreak.catalog"
endif
	rm -rf "$(DESTDIR)$(DOCDIR)"
ifeq ($(DESTDIR),)
	-$(SYSTEMCTL) --user daemon-reload 2>/dev/null
ifneq ($(RUNTIME_SOCKET_DIR),)
	rm -f "$(RUNTIME_SOCKET_DIR)/control.sock"
	-rmdir "$(RUNTIME_SOCKET_DIR)" 2>/dev/null
endif
endif
	$(call prune_empty,$(foreach directory,$(BINDIR) $(dir $(COMPLETIONS)) $(MANDIR)/man1 $(MANDIR)/man5 $(DOCDIR) $(DATADIR)/doc $(dir $(DESKTOP_FILE)) $(dir $(ICON_FILE)) $(if $(CATALOGDIR),$(CATALOGDIR)),"$(DESTDIR)$(patsubst %/,%,$(directory))"),$(DESTDIR)$(PREFIX))
	$(call prune_empty,"$(DESTDIR)$(UNITDIR)",$(DESTDIR)$(if $(USER_INSTALL),$(XDG_CONFIG_HOME),$(PREFIX)))
	@echo "Removed sitbreak. Your configuration (~/.config/sitbreak) and history (~/.local/state/sitbreak) are kept."

# --- Manual pages -------------------------------------------------------------------------------
# man/sitbreakctl.1 is generated from the command tree by swift-argument-parser's plugin (works
# offline) and committed, so installing needs no plugin run; blank lines become .Pp so that
# `man --warnings` stays quiet. sitbreakd.1 and sitbreak.toml.5 are written by hand.
man:
	$(SWIFT) package --disable-sandbox generate-manual --configuration debug --date 2026-12-05 --authors "sitbreak authors"
	sed 's/^$$/.Pp/' .build/plugins/GenerateManual/outputs/sitbreakctl/sitbreakctl.1 > man/sitbreakctl.1

# --- Debian package -----------------------------------------------------------------------------
# `make deb` builds sitbreak_VERSION_ARCH.deb with dpkg-deb from `make install PREFIX=/usr` staged
# into .build-deb/root (binaries stripped, units in /usr/lib/systemd/user, the catalog in
# /usr/lib/systemd/catalog, man pages gzipped), plus packaging/debian/: control (Depends from
# dpkg-shlibdeps), postinst/postrm (journal catalog), copyright, changelog. BINDIR_SOURCE packages
# already built binaries (the tests do); `lintian sitbreak_*.deb` checks it.
DEB_VERSION ?= 0.1.0-1
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB_DIR ?= $(CURDIR)/.build-deb
DEB_ROOT = $(DEB_DIR)/root
DEB_FILE = $(DEB_DIR)/sitbreak_$(DEB_VERSION)_$(DEB_ARCH).deb

deb: deps-deb
	rm -rf "$(DEB_DIR)"
	$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR="$(DEB_ROOT)" BINDIR_SOURCE="$(BINDIR_SOURCE)" >/dev/null
	# Debian keeps no README copy of the catalog in doc, and gzips man pages and changelogs.
	rm -f "$(DEB_ROOT)/usr/share/doc/sitbreak/sitbreak.catalog"
	gzip -9n "$(DEB_ROOT)"/usr/share/man/man*/*
	install -m 0644 packaging/debian/copyright "$(DEB_ROOT)/usr/share/doc/sitbreak/copyright"
	gzip -9n -c packaging/debian/changelog > "$(DEB_ROOT)/usr/share/doc/sitbreak/changelog.Debian.gz"
	chmod 0644 "$(DEB_ROOT)/usr/share/doc/sitbreak/changelog.Debian.gz"
	install -d -m 0755 "$(DEB_ROOT)/DEBIAN" "$(DEB_DIR)/work/debian"
	install -m 0755 packaging/debian/postinst packaging/debian/postrm "$(DEB_ROOT)/DEBIAN/"
	printf 'Source: sitbreak\n\nPackage: sitbreak\nArchitecture: any\n' > "$(DEB_DIR)/work/debian/control"
	cd "$(DEB_DIR)/work" && dpkg-shlibdeps --ignore-missing-info -O $(foreach binary,$(BINARIES),"$(DEB_ROOT)/usr/bin/$(binary)") \
		| sed -n 's/^shlibs:Depends=//p' > depends
	sed -e 's|@VERSION@|$(DEB_VERSION)|' -e 's|@ARCH@|$(DEB_ARCH)|' \
		-e "s|@SIZE@|$$(du -sk --exclude=DEBIAN "$(DEB_ROOT)" | cut -f1)|" \
		-e "s|@DEPENDS@|$$(cat "$(DEB_DIR)/work/depends")|" packaging/debian/control.in > "$(DEB_ROOT)/DEBIAN/control"
	cd "$(DEB_ROOT)" && find usr -type f -exec md5sum {} + | sort -k2 > DEBIAN/md5sums
	find "$(DEB_ROOT)" -type d -exec chmod 0755 {} +
	dpkg-deb --root-owner-group -Zxz --build "$(DEB_ROOT)" "$(DEB_FILE)"
	@echo "Built $(DEB_FILE); install it with: sudo apt install $(DEB_FILE)"

clean:
	rm -rf .build .build-release .build-fuzz .build-deb .run
