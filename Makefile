# The suite's commands. Build tags live here: every Go command runs with -tags $(TAGS), because
# mautrix's end-to-bridge encryption needs pure-Go olm (goolm) unless libolm-dev is installed.
#
#   make dev     local stack: Synapse on loopback + every bridge on SQLite + a ready Matrix user
#                + a demo Telegram network to log in to (DEVFLAGS="-port 8448" passes devstack flags)
#   make test    gofmt, go vet, unit tests with -race, then integration tests (real Synapse + PostgreSQL)
#   make build   build every bridge binary and the admin CLI (mxbridges) into bin/
#   make bench   latency, throughput, memory and startup of every bridge against Synapse alone
#   make chaos   kills, outages and dropped connections under load: every message once, in order
#   make docker-test  build every bridge's image and run them as admins do, next to Synapse

GO       ?= go
TAGS     ?= goolm
# Every Go module of the suite: pkg/ and one per bridge.
MODULES  := $(patsubst %/go.mod,%,$(wildcard pkg/go.mod bridges/*/go.mod))
PKGS     := $(addprefix ./,$(addsuffix /...,$(MODULES)))
BRIDGES  := $(patsubst bridges/%/go.mod,%,$(wildcard bridges/*/go.mod))
# Integration tests run on PostgreSQL unless told otherwise (MXB_TEST_DB=sqlite).
export MXB_TEST_DB ?= postgres

.PHONY: test lint unit integration stack build dev fuzz bench chaos docker-test docker-images

test: lint unit integration docker-test

lint:
	@echo "== gofmt"
	@out=$$(gofmt -l $(MODULES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@echo "== go vet"
	$(GO) vet -tags $(TAGS) $(PKGS)
	$(GO) vet -tags $(TAGS),integration $(PKGS)
	$(GO) vet -tags $(TAGS),wafake ./bridges/whatsapp/...
	$(GO) vet -tags $(TAGS),docker ./bridges/telegram/dockertest/

unit:
	@echo "== unit tests (-race)"
	$(GO) test -race -tags $(TAGS) $(PKGS)

# stack installs what the integration tests need and a fresh machine lacks: the Synapse chroot
# (cached under ~/.cache/mxbridges) and a PostgreSQL server on 127.0.0.1:5432.
stack:
	@echo "== test stack"
	@bash pkg/synapse/install.sh >/dev/null
	@bash pkg/postgres/ensure.sh

integration: stack
	@echo "== integration tests (Synapse + $(MXB_TEST_DB))"
	$(GO) test -tags $(TAGS),integration -count=1 -timeout 30m $(PKGS)

build:
	@mkdir -p bin
	@for b in $(BRIDGES); do \
		echo "== build mxbridges-$$b"; \
		$(GO) build -tags $(TAGS) -o bin/mxbridges-$$b ./bridges/$$b/cmd/mxbridges-$$b || exit 1; \
	done
	@echo "== build mxbridges (admin CLI)"
	@$(GO) build -tags $(TAGS) -o bin/mxbridges ./pkg/cmd/mxbridges

dev: build
	@bash pkg/synapse/install.sh >/dev/null
	@$(GO) build -tags $(TAGS) -o bin/devstack ./pkg/cmd/devstack
	@$(GO) build -tags $(TAGS) -o bin/tgdemo ./bridges/telegram/cmd/tgdemo
	@bin/devstack $(addprefix -bridge bin/mxbridges-,$(BRIDGES)) -telegram-demo bin/tgdemo $(DEVFLAGS)

# fuzz runs every fuzz target of the suite for FUZZTIME each (default 30s; a count such as
# 1000000x works too); FUZZFLAGS go to every go test (e.g. -parallel=1).
FUZZTIME ?= 30s
FUZZFLAGS ?=
fuzz:
	@for mod in $(MODULES); do \
		for pkg in $$(cd $$mod && $(GO) list -tags $(TAGS) ./...); do \
			for f in $$(cd $$mod && $(GO) test -tags $(TAGS) -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
				echo "== $$pkg $$f"; \
				(cd $$mod && $(GO) test -tags $(TAGS) -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) $$pkg) || exit 1; \
			done; \
		done; \
	done

# Bench and chaos tests live next to each bridge's integration tests (TestBench*, TestChaos*);
# `make test` runs them small, these targets at full size. Their results go to a folder that
# loadreport turns into the tables and the last line.
BRIDGE_TESTS := $(addprefix ./bridges/,$(addsuffix /connector,$(BRIDGES)))
BENCH_OUT    ?= $(CURDIR)/.bench
CHAOS_OUT    ?= $(CURDIR)/.chaos

bench: stack
	@rm -rf $(BENCH_OUT)
	@echo "== bench (Synapse + $(MXB_TEST_DB)): $(BRIDGE_TESTS)"
	MXB_BENCH_OUT=$(BENCH_OUT) MXB_BENCH_SAMPLES=$${MXB_BENCH_SAMPLES:-200} MXB_BENCH_MESSAGES=$${MXB_BENCH_MESSAGES:-2000} \
		MXB_BENCH_PORTALS=$${MXB_BENCH_PORTALS:-20} \
		MXB_BENCH_LOGINS=$${MXB_BENCH_LOGINS:-100,1000} MXB_BENCH_STARTUP_PORTALS=$${MXB_BENCH_STARTUP_PORTALS:-10000} \
		$(GO) test -tags $(TAGS),integration -count=1 -timeout 60m -run '^TestBench' $(BRIDGE_TESTS)
	@$(GO) run -tags $(TAGS) ./pkg/cmd/loadreport bench $(BENCH_OUT)

chaos: stack
	@rm -rf $(CHAOS_OUT)
	@echo "== chaos (Synapse + $(MXB_TEST_DB)): $(BRIDGE_TESTS) ./pkg/loadtest"
	MXB_CHAOS_OUT=$(CHAOS_OUT) MXB_CHAOS_MESSAGES=$${MXB_CHAOS_MESSAGES:-10000} MXB_CHAOS_DOWN=$${MXB_CHAOS_DOWN:-60s} MXB_CHAOS_DROP=$${MXB_CHAOS_DROP:-20s} \
		$(GO) test -tags $(TAGS),integration -count=1 -timeout 120m -run '^TestChaos' $(BRIDGE_TESTS) ./pkg/loadtest
	@$(GO) run -tags $(TAGS) ./pkg/cmd/loadreport chaos $(CHAOS_OUT)

# docker-images builds every bridge's image (mxbridges/<bridge>:dev) in the engine that
# docker/engine.sh finds or starts; docker/base-images.sh provides the base images where no
# registry can be reached. docker-test then runs them next to Synapse and PostgreSQL.
DOCKER_ENV = export DOCKER_HOST=$$(bash docker/engine.sh) && export DOCKER_BUILDKIT=0
docker-images:
	@echo "== docker images"
	@$(DOCKER_ENV) && bash docker/base-images.sh && \
	for b in $(BRIDGES); do \
		echo "== image mxbridges/$$b:dev"; \
		docker build -q --network host -f docker/bridge.Dockerfile --build-arg BRIDGE=$$b -t mxbridges/$$b:dev . >/dev/null || exit 1; \
	done

docker-test: docker-images stack
	@echo "== docker test (the images next to Synapse + PostgreSQL)"
	@$(DOCKER_ENV) && $(GO) test -tags $(TAGS),docker -count=1 -timeout 30m ./bridges/telegram/dockertest/
