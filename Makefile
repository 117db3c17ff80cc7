# sitbreak: `make run` tries it out, `make test` is what CI runs (.ci/run).
SWIFT ?= swift

.PHONY: all deps build test run simulate bench format clean

all: build

# Installs only what is missing, and refreshes the package lists only when something is.
deps:
	@missing=""; \
	[ -e /usr/share/zoneinfo/Europe/Berlin ] || missing="$$missing tzdata"; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	dpkg -s libsystemd-dev >/dev/null 2>&1 || missing="$$missing libsystemd-dev"; \
	command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	command -v python3 >/dev/null || missing="$$missing python3"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

build:
	$(SWIFT) build

# One build of everything (tests and the sitbreakctl the CLI tests run), then the tests without
# building again.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

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

# A separate scratch path, so release and debug builds never invalidate each other.
bench: deps
	$(SWIFT) build -c release --scratch-path .build-release --product sitbreakctl
	$(SWIFT) build -c release --scratch-path .build-release --product sitbreakd
	Benchmarks/run.sh
	python3 Benchmarks/daemon_bench.py .build-release/release/sitbreakd

format:
	$(SWIFT) format -i -r Sources/SitbreakSimulator Sources/SitbreakSystem Sources/SitbreakCtlCommands \
		Sources/sitbreakctl Tests/SitbreakSimulatorTests Tests/SitbreakCtlTests Tests/SitbreakSystemTests

clean:
	rm -rf .build .build-release
