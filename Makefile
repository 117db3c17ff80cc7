# sitbreak: `make run` tries it out, `make test` is what CI runs (.ci/run).
SWIFT ?= swift

.PHONY: all deps build test run bench format clean

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

# Until the daemon exists: simulate the example working day.
run: deps
	$(SWIFT) build --product sitbreakctl
	.build/debug/sitbreakctl simulate --trace config/example-day.trace

# A separate scratch path, so release and debug builds never invalidate each other.
bench: deps
	$(SWIFT) build -c release --scratch-path .build-release --product sitbreakctl
	Benchmarks/run.sh

format:
	$(SWIFT) format -i -r Sources/SitbreakSimulator Sources/SitbreakSystem Sources/SitbreakCtlCommands \
		Sources/sitbreakctl Sources/SitbreakProtocol Sources/SitbreakClient Tests/SitbreakSimulatorTests \
		Tests/SitbreakCtlTests Tests/SitbreakSystemTests Tests/SitbreakProtocolTests

clean:
	rm -rf .build .build-release
