# sitbreak: `make run` tries it out, `make test` is what CI runs (.ci/run).
SWIFT ?= swift

.PHONY: all deps build test lint run simulate bench format clean install uninstall fuzz fuzz-build fuzz-short

all: build

# Installs only what is missing, and refreshes the package lists only when something is.
deps:
	@missing=""; \
	[ -e /usr/share/zoneinfo/Europe/Berlin ] || missing="$$missing tzdata"; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	dpkg -s libsystemd-dev >/dev/null 2>&1 || missing="$$missing libsystemd-dev"; \
	command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	command -v python3 >/dev/null || missing="$$missing python3"; \
	[ -x /usr/bin/dbus-daemon ] || missing="$$missing dbus"; \
	[ -x /usr/bin/busctl ] || missing="$$missing systemd"; \
	/usr/bin/python3 -c 'import dbusmock' 2>/dev/null || missing="$$missing python3-dbusmock"; \
	command -v Xvfb >/dev/null || missing="$$missing xvfb"; \
	command -v xdotool >/dev/null || missing="$$missing xdotool"; \
	dpkg -s libxss1 >/dev/null 2>&1 || missing="$$missing libxss1"; \
	[ -x /usr/bin/sway ] || missing="$$missing sway"; \
	[ -x /usr/bin/swayidle ] || missing="$$missing swayidle"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

build:
	$(SWIFT) build

# Every target must declare the modules it imports, and a warning fails the build.
CHECK_FLAGS = --explicit-target-dependency-import-check error -Xswiftc -warnings-as-errors

# One build of everything (tests and the sitbreakctl the CLI tests run), then the tests without
# building again. SITBREAK_REQUIRE_FIXTURES=1: no suite is skipped for a missing fixture (Xvfb,
# sway, dbusmock, journald…); one that is missing fails with its reason (docs/testing.md §3).
test: deps lint fuzz-short
	$(SWIFT) build --build-tests $(CHECK_FLAGS)
	SITBREAK_REQUIRE_FIXTURES=1 $(SWIFT) test --skip-build

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
# print on stderr as readable lines. Without a login session there is no XDG_RUNTIME_DIR, so a
# private one is made. Try `sitbreakctl status` from another terminal; Ctrl-C stops it.
run: deps
	$(SWIFT) build --product sitbreakd
	$(SWIFT) build --product sitbreakctl
	@runtime="$${XDG_RUNTIME_DIR:-/tmp/sitbreak-runtime-$$(id -u)}"; mkdir -p -m 0700 "$$runtime"; \
	echo "sitbreakd: socket $$runtime/sitbreak/control.sock; try: XDG_RUNTIME_DIR=$$runtime .build/debug/sitbreakctl status"; \
	XDG_RUNTIME_DIR="$$runtime" exec .build/debug/sitbreakd

# The engine over an example working day, without the daemon.
simulate: deps
	$(SWIFT) build --product sitbreakctl
	.build/debug/sitbreakctl simulate --trace config/example-day.trace

# Release builds link the Swift runtime statically: the idle daemon then needs 8 MiB RSS instead
# of 10.6 (measured with `make bench`), within docs/design.md §7's budget.
RELEASE_FLAGS = --static-swift-stdlib

# A separate scratch path, so release and debug builds never invalidate each other.
bench: deps
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path .build-release --product sitbreakctl
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path .build-release --product sitbreakd
	Benchmarks/run.sh
	python3 Benchmarks/daemon_bench.py .build-release/release/sitbreakd
	# An honest client's status p99 and the daemon's RSS under 4,000 never-reading connections and a flooder.
	python3 Benchmarks/hostile_bench.py .build-release/release/sitbreakd
	# Per presence source: wakeups active and idle, input-to-event latency, idle RSS.
	for bench in Benchmarks/presence_*.sh; do SITBREAKD=.build-release/release/sitbreakd $$bench || exit 1; done

format:
	$(SWIFT) format -i -r Sources Tests

# The .swift-format style, checked (`make format` applies it).
lint:
	$(SWIFT) format lint -r Sources Tests Package.swift

# --- Installation -------------------------------------------------------------------------------
# `make install` installs for the current user under ~/.local; `make install PREFIX=/usr/local`
# (as root) system-wide. DESTDIR stages into another root (packaging). BINDIR_SOURCE installs
# already built binaries from that directory instead of building release ones (the tests install
# the debug build this way).
PREFIX ?= $(HOME)/.local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
BINDIR_SOURCE ?=
SYSTEMCTL ?= systemctl
XDG_CONFIG_HOME ?= $(HOME)/.config
# A prefix inside $HOME is a user install: the user manager reads units from
# ~/.config/systemd/user, and journald reads no per-user catalog.
USER_INSTALL := $(if $(filter $(HOME)/%,$(abspath $(PREFIX))),yes,)
UNITDIR ?= $(if $(USER_INSTALL),$(XDG_CONFIG_HOME)/systemd/user,$(PREFIX)/lib/systemd/user)
CATALOGDIR ?= $(if $(USER_INSTALL),,$(PREFIX)/lib/systemd/catalog)
DOCDIR ?= $(DATADIR)/doc/sitbreak
BUILT = $(or $(BINDIR_SOURCE),.build-release/release)

install:
ifeq ($(BINDIR_SOURCE),)
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path .build-release --product sitbreakd
	$(SWIFT) build -c release $(RELEASE_FLAGS) --scratch-path .build-release --product sitbreakctl
endif
	install -D -m 0755 $(BUILT)/sitbreakd "$(DESTDIR)$(BINDIR)/sitbreakd"
	install -D -m 0755 $(BUILT)/sitbreakctl "$(DESTDIR)$(BINDIR)/sitbreakctl"
	install -d "$(DESTDIR)$(UNITDIR)"
	sed 's|^ExecStart=/usr/local/bin/sitbreakd$$|ExecStart=$(BINDIR)/sitbreakd|' systemd/sitbreakd.service \
		> "$(DESTDIR)$(UNITDIR)/sitbreakd.service"
	grep -qx 'ExecStart=$(BINDIR)/sitbreakd' "$(DESTDIR)$(UNITDIR)/sitbreakd.service"
	install -m 0644 systemd/sitbreakd.socket "$(DESTDIR)$(UNITDIR)/sitbreakd.socket"
	chmod 0644 "$(DESTDIR)$(UNITDIR)/sitbreakd.service"
ifneq ($(CATALOGDIR),)
	install -D -m 0644 systemd/sitbreak.catalog "$(DESTDIR)$(CATALOGDIR)/sitbreak.catalog"
endif
	install -D -m 0644 systemd/sitbreak.catalog "$(DESTDIR)$(DOCDIR)/sitbreak.catalog"
	install -D -m 0644 config/sitbreak.toml "$(DESTDIR)$(DOCDIR)/sitbreak.toml"
	install -D -m 0644 README.md "$(DESTDIR)$(DOCDIR)/README.md"
	install -d "$(DESTDIR)$(DATADIR)/bash-completion/completions" "$(DESTDIR)$(DATADIR)/zsh/site-functions" \
		"$(DESTDIR)$(DATADIR)/fish/vendor_completions.d"
	$(BUILT)/sitbreakctl --generate-completion-script bash > "$(DESTDIR)$(DATADIR)/bash-completion/completions/sitbreakctl"
	$(BUILT)/sitbreakctl --generate-completion-script zsh > "$(DESTDIR)$(DATADIR)/zsh/site-functions/_sitbreakctl"
	$(BUILT)/sitbreakctl --generate-completion-script fish > "$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/sitbreakctl.fish"
	@echo
	@echo "Installed sitbreakd and sitbreakctl in $(BINDIR), the units in $(UNITDIR)."
ifneq ($(CATALOGDIR),)
	@echo "Refresh the journal catalog:  journalctl --update-catalog"
endif
	@echo "Start it now and at every login:"
	@echo "  systemctl --user daemon-reload && systemctl --user enable --now sitbreakd.socket sitbreakd.service"
	@echo "An example configuration: $(DOCDIR)/sitbreak.toml (copy it to ~/.config/sitbreak/config.toml)."

# Stops and disables the service first (when installing into the live system), so no enabled
# unit is left pointing at removed files.
uninstall:
ifeq ($(DESTDIR),)
	-$(SYSTEMCTL) --user disable --now sitbreakd.socket sitbreakd.service 2>/dev/null
endif
	rm -f "$(DESTDIR)$(BINDIR)/sitbreakd" "$(DESTDIR)$(BINDIR)/sitbreakctl" \
		"$(DESTDIR)$(UNITDIR)/sitbreakd.service" "$(DESTDIR)$(UNITDIR)/sitbreakd.socket" \
		"$(DESTDIR)$(DATADIR)/bash-completion/completions/sitbreakctl" \
		"$(DESTDIR)$(DATADIR)/zsh/site-functions/_sitbreakctl" \
		"$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/sitbreakctl.fish"
ifneq ($(CATALOGDIR),)
	rm -f "$(DESTDIR)$(CATALOGDIR)/sitbreak.catalog"
endif
	rm -rf "$(DESTDIR)$(DOCDIR)"
	@echo "Removed sitbreak. Your configuration (~/.config/sitbreak) and history (~/.local/state/sitbreak) are kept."

clean:
	rm -rf .build .build-release .build-fuzz
