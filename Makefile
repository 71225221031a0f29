# Berth: `make up` starts a local cluster, `make test` runs every test.
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/find-jdk.sh)
export JAVA_HOME
MVN := mvn -B -ntp
DIR ?= $(CURDIR)/.berth/local

.PHONY: build up down status test unit chaos reference bench-store bench-api bench-scheduler bench-agent bench-ingress clean

## build: compile every module and assemble the jars bin/berth runs
build:
	$(MVN) -q package -DskipTests

## up: build if needed, then start a local cluster in $(DIR): 3 servers, 2 agents (docker when an engine answers, else processes), an ingress (Ctrl-C stops it)
up:
	@test -f cli/target/berth-cli.jar || $(MAKE) build
	@# With a Docker engine the agents run the example's image, built here without a registry.
	@if docker info > /dev/null 2>&1; then scripts/build-test-images.sh; fi
	bin/berth up --dir $(DIR) --agents 2

down:
	bin/berth down --dir $(DIR)

status:
	bin/berth status --dir $(DIR)

## test: every unit and integration test of every module
test:
	$(MVN) verify

## unit: unit tests only (fast)
unit:
	$(MVN) test

## chaos: a long Jepsen-style run in containers (DURATION=600 s, SEED, NEMESIS, WORKLOAD, REPLICAS=3|5); report in chaos-results/
chaos:
	scripts/chaos.sh

## bench-store: Berth's store against a 3-member etcd cluster on loopback; results in docs/benchmarks.md
bench-store: build
	scripts/bench-store.sh

## bench-api: the Kubernetes API against the store beneath it, and 10,000 watchers; results in docs/benchmarks.md
bench-api: build
	scripts/bench-api.sh

## bench-scheduler: 1,000 hollow nodes and a burst of 10,000 pods through the scheduler; results in docs/benchmarks.md
bench-scheduler: build
	scripts/bench-scheduler.sh

## bench-agent: 100 pods at once on 2 Docker agents vs plain docker run; results in docs/benchmarks.md
bench-agent: build
	scripts/bench-agent.sh

## bench-ingress: Berth's ingress proxy against nginx, same upstream, wrk; results in docs/benchmarks.md
bench-ingress: build
	scripts/bench-ingress.sh

## reference: rewrite README.md's configuration reference from the commands' flags (bin/berth reference)
reference: build
	scripts/update-reference.sh

clean:
	$(MVN) -q clean
