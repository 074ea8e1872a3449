# predict-fcgi: every task a person or CI runs is a target here.
#
#   make serve   build in release mode and start nginx + the worker on 127.0.0.1:8080
#   make stop    stop that stack
#   make test    every test: Swift unit/parity suites and the end-to-end suite over HTTP
#   make lint    swift-format, black, ruff, shellcheck, nginx -t, systemd-analyze, ansible-lint,
#                yamllint, actionlint on the workflows, parliament on the IAM policies
#   make bench   throughput, latency, memory and start-up figures against anchors
#   make model   retrain the default model and regenerate models/bank-marketing
#   make release pack the worker and a model (MODEL_DIR, default models/bank-marketing) as a release
#   make deploy  INVENTORY=... roll the release out with Ansible (DOMAIN, ACME_SERVER, ACME_EMAIL)
#   make rollback INVENTORY=... switch hosts back to their previous release
#   make e2e     the production proof: a systemd host, Pebble, deploys, rollbacks, reboots
#   make rehearse  both GitHub workflows run by act in a copy of the CI image (docs/proof/rehearse.txt)
#   make test-cloud  provision and tear down the EC2 stack twice against a local moto server
#   make provision   create or converge the EC2 host, write ansible/inventory/aws.yml (AWS credentials)
#   make teardown    delete everything tagged with the stack, then check nothing is left
#   make smoke URL=https://host  API smoke test against a deployment
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
RELEASE_BIN := .build/release/predict-fcgi
PORT ?= 8080
DATA ?= ../shared/data/bank-marketing/bank-full.csv
MODEL_VERSION ?= 1.0.0
# The release date of MODEL_VERSION (2026-11-26T20:00:00Z), as the manifest's creation time,
# so that `make model` reproduces the committed artifacts byte for byte. Bump both together.
MODEL_EPOCH ?= 1795723200
SHELL_SCRIPTS := scripts/stack scripts/install-deps scripts/lint-nginx scripts/lint-systemd \
	scripts/smoke scripts/test-cloud scripts/release scripts/e2e/host scripts/e2e/pebble \
	$(wildcard scripts/bench/*.sh) scripts/bench/run scripts/bench/runtime scripts/rehearse/rootfs \
	.ci/run

.PHONY: help serve stop build test test-swift test-e2e lint bench bench-runtime model clean test-cloud provision \
	teardown smoke release deploy rollback e2e rehearse

help:
	@sed -n 's/^#   //p' Makefile

# The Swift runtime is linked in statically: the worker then needs only libfcgi on a host,
# starts faster and maps less memory (about 3.5 MiB less RSS than with the shared stdlib).
build:
	swift build -c release --product predict-fcgi --static-swift-stdlib

serve:
	scripts/install-deps serve
	$(MAKE) --no-print-directory build
	PREDICT_PORT=$(PORT) scripts/stack start
	@echo
	@echo "Try it:"
	@echo "  curl -s -H 'Content-Type: application/json' --data @examples/client.json http://127.0.0.1:$(PORT)/predict"
	@echo "Stop it with: make stop"

stop:
	scripts/stack stop

test:
	scripts/install-deps test
	$(MAKE) --no-print-directory build
	$(MAKE) --no-print-directory test-swift test-e2e

test-swift:
	swift test

test-e2e:
	scripts/install-deps test
	$(VENV)/bin/python -m pytest -q Tests/e2e

lint:
	scripts/install-deps lint
	swift format lint --strict --recursive Package.swift Sources Tests
	$(VENV)/bin/black --check --quiet training Tests/e2e scripts ansible
	$(VENV)/bin/ruff check --quiet training Tests/e2e scripts ansible
	shellcheck $(SHELL_SCRIPTS)
	scripts/lint-nginx
	scripts/lint-systemd
	ANSIBLE_CONFIG=ansible/ansible.cfg $(VENV)/bin/ansible-lint --offline ansible
	$(VENV)/bin/yamllint --strict ansible .github .yamllint .ansible-lint
	$(VENV)/bin/actionlint .github/workflows/*.yml
	$(VENV)/bin/python scripts/lint-iam

bench:
	scripts/install-deps bench
	$(MAKE) --no-print-directory build
	scripts/bench/run

# The Swift ONNX runtime against onnxruntime's Python InferenceSession.run, per row.
bench-runtime:
	scripts/install-deps bench
	swift build -c release --product PredictBench
	BENCH_RUNTIME_DATA=$(abspath $(DATA)) scripts/bench/runtime

model:
	$(MAKE) -C training model DATA=$(abspath $(DATA)) OUT=$(abspath models/bank-marketing) \
		VERSION=$(MODEL_VERSION) EPOCH=$(MODEL_EPOCH)

# The EC2 stack (ansible/provision.yml, ansible/teardown.yml, docs/aws/README.md). STACK names
# it (the Stack tag); SSH_CIDRS, comma-separated, may reach port 22, nobody else.
STACK ?= prod
AWS_REGION ?= us-east-1
SSH_CIDRS ?=
SSH_PUBLIC_KEY ?= $(HOME)/.ssh/id_ed25519.pub
SSH_PRIVATE_KEY ?=
# Further ansible-playbook arguments, e.g. -e aws_stack_instance_type=t3.small
PROVISION_ARGS ?=
AWS_STACK_VARS = -e aws_stack_name=$(STACK) -e aws_stack_region=$(AWS_REGION)

test-cloud:
	scripts/install-deps cloud
	VENV=$(VENV) scripts/test-cloud

provision:
	scripts/install-deps cloud
	$(ANSIBLE) ansible/provision.yml $(AWS_STACK_VARS) \
		-e aws_stack_ssh_cidrs=$(SSH_CIDRS) -e aws_stack_ssh_public_key_file=$(SSH_PUBLIC_KEY) \
		-e aws_stack_ssh_private_key_file=$(SSH_PRIVATE_KEY) $(PROVISION_ARGS)

teardown:
	scripts/install-deps cloud
	$(ANSIBLE) ansible/teardown.yml $(AWS_STACK_VARS)

smoke:
	@test -n "$(URL)" || { echo "usage: make smoke URL=https://host [SMOKE_ARGS=--insecure]" >&2; exit 2; }
	scripts/smoke $(SMOKE_ARGS) $(URL)

RELEASE_DIR := .run/release
# The tarball to deploy: by default the one `make release` made last.
RELEASE ?= $(shell cat $(RELEASE_DIR)/LATEST 2>/dev/null)
INVENTORY ?=
DOMAIN ?=
ACME_SERVER ?=
ACME_EMAIL ?=
ANSIBLE := ANSIBLE_CONFIG=ansible/ansible.cfg $(VENV)/bin/ansible-playbook
# Extra variables for deploy and rollback: only those set on the command line.
ANSIBLE_VARS := $(if $(DOMAIN),-e predict_domain=$(DOMAIN)) \
	$(if $(ACME_SERVER),-e tls_acme_directory=$(ACME_SERVER)) \
	$(if $(ACME_EMAIL),-e tls_email=$(ACME_EMAIL))

MODEL_DIR ?= models/bank-marketing

release:
	scripts/install-deps serve
	$(MAKE) --no-print-directory build
	scripts/release $(MODEL_DIR) $(RELEASE_DIR)

deploy:
	scripts/install-deps cloud
	@test -n "$(INVENTORY)" || { echo "usage: make deploy INVENTORY=FILE [DOMAIN=...]" >&2; exit 2; }
	$(ANSIBLE) -i $(INVENTORY) ansible/deploy.yml $(ANSIBLE_VARS) \
		-e predict_release_archive=$(abspath $(RELEASE))

rollback:
	scripts/install-deps cloud
	@test -n "$(INVENTORY)" || { echo "usage: make rollback INVENTORY=FILE" >&2; exit 2; }
	$(ANSIBLE) -i $(INVENTORY) ansible/rollback.yml $(ANSIBLE_VARS)

e2e:
	scripts/install-deps e2e
	$(MAKE) --no-print-directory build
	$(VENV)/bin/python scripts/e2e/prove.py

# The workflows as GitHub would run them: act in a copy of swift:6.3.1-bookworm, against moto,
# a throw-away systemd host and Pebble (scripts/rehearse/run.py says how).
rehearse:
	scripts/install-deps rehearse
	$(VENV)/bin/python scripts/rehearse/run.py

clean:
	scripts/stack stop || true
	rm -rf .build .run $(VENV) .venv-bench
