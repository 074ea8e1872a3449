# predict-fcgi: every task a person or CI runs is a target here.
#
#   make serve   build in release mode and start nginx + the worker on 127.0.0.1:8080
#   make stop    stop that stack (make reload: SIGHUP, models and keys read again)
#   make test    every test: Swift unit/parity suites and the end-to-end suite over HTTP
#   make lint    swift-format, black, ruff, shellcheck, nginx -t, systemd-analyze, ansible-lint,
#                yamllint, promtool on the alert rules, actionlint on the workflows, parliament on
#                the IAM policies
#   make fuzz    the libFuzzer harnesses (Tests/Fuzz) for FUZZ_SECONDS each (default 600);
#                make fuzz-ci: 45 s each, as .ci/run does (JSON, model loading, requests, FastCGI)
#   make soak    1M requests through the local stack with a reload every 100k; fails if the
#                worker's RSS or open fds grow (not in CI: about 2 minutes)
#   make sanitize  swift test under AddressSanitizer (.ci/run does)
#   make bench   throughput, latency, memory and start-up figures against anchors
#   make model   retrain the default model and regenerate models/bank-marketing
#   make pack MODEL=FILE DATA=CSV NAME=NAME [TARGET=COLUMN] [VERSION=X.Y.Z] [OUT=DIR]
#                turn a fitted pipeline (pickle/joblib) or an .onnx file into models/NAME
#   make release pack the worker and the models under models/ (MODELS, DEFAULT_MODEL) as a release
#   make deploy  INVENTORY=... KEYS_VARS=... roll the release out with Ansible (DOMAIN, ACME_SERVER, ACME_EMAIL)
#   make rollback INVENTORY=... switch hosts back to their previous release
#   make e2e     the production proof: a systemd host, Pebble, deploys, rollbacks, reboots
#   make rehearse  both GitHub workflows run by act in a copy of the CI image (docs/proof/rehearse.txt)
#   make test-cloud  provision and tear down the EC2 stack twice against a local moto server
#   make provision   create or converge the EC2 host, write ansible/inventory/aws.yml (AWS credentials)
#   make teardown    delete everything tagged with the stack, then check nothing is left
#   make smoke URL=https://host API_KEY_FILE=...  API smoke test against a deployment
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
TRAINING_VENV := training/.venv
RELEASE_BIN := .build/release/predict-fcgi
PORT ?= 8080
DATA ?= ../shared/data/bank-marketing/bank-full.csv
MODEL_VERSION ?= 1.0.0
# The release date of MODEL_VERSION (2026-11-26T20:00:00Z), as the manifest's creation time,
# so that `make model` reproduces the committed artifacts byte for byte. Bump both together.
MODEL_EPOCH ?= 1795723200
SHELL_SCRIPTS := scripts/stack scripts/install-deps scripts/lint-nginx scripts/lint-systemd \
	scripts/smoke scripts/test-cloud scripts/release scripts/e2e/host scripts/e2e/pebble \
	scripts/fuzz scripts/soak \
	$(wildcard scripts/bench/*.sh) scripts/bench/run scripts/bench/runtime scripts/rehearse/rootfs \
	.ci/run

.PHONY: help serve stop reload build test test-swift test-e2e test-pack pack lint bench bench-runtime model clean test-cloud provision \
	teardown smoke release deploy rollback e2e rehearse fuzz fuzz-ci soak sanitize

help:
	@sed -n 's/^#   //p' Makefile

# The Swift runtime is linked in statically: the worker then needs only libfcgi on a host,
# starts faster and maps less memory (about 3.5 MiB less RSS than with the shared stdlib).
build:
	swift build -c release --product predict-fcgi --static-swift-stdlib

# API_KEYS=FILE (made with `predict-fcgi keys add NAME --file FILE`) requires keys locally.
serve:
	scripts/install-deps serve
	$(MAKE) --no-print-directory build
	PREDICT_PORT=$(PORT) PREDICT_API_KEYS=$(API_KEYS) scripts/stack start
	@echo
	@echo "Try it:"
	@echo "  curl -s -H 'Content-Type: application/json' $(if $(API_KEYS),-H 'Authorization: Bearer KEY' )--data @examples/client.json http://127.0.0.1:$(PORT)/predict"
	@echo "Reload models and keys with: make reload; stop it with: make stop"

stop:
	scripts/stack stop

reload:
	scripts/stack reload

test:
	scripts/install-deps test
	$(MAKE) --no-print-directory build
	$(MAKE) --no-print-directory test-swift test-e2e test-pack

test-swift:
	swift test

test-e2e:
	scripts/install-deps test
	$(VENV)/bin/python -m pytest -q Tests/e2e

# The packer on every model family, each bundle served by the worker and compared with sklearn.
test-pack:
	scripts/install-deps pack
	$(TRAINING_VENV)/bin/python -m pytest -q Tests/pack

lint:
	scripts/install-deps lint
	swift format lint --strict --recursive Package.swift Sources Tests
	$(VENV)/bin/black --check --quiet training Tests/e2e Tests/pack scripts ansible
	$(VENV)/bin/ruff check --quiet training Tests/e2e Tests/pack scripts ansible
	$(TRAINING_VENV)/bin/mypy --config-file training/pyproject.toml training/predict_pack
	shellcheck $(SHELL_SCRIPTS)
	scripts/lint-nginx
	scripts/lint-systemd
	ANSIBLE_CONFIG=ansible/ansible.cfg $(VENV)/bin/ansible-lint --offline ansible
	$(VENV)/bin/yamllint --strict ansible .github .yamllint .ansible-lint docs/prometheus
	$(VENV)/bin/promtool check rules docs/prometheus/alerts.yml
	$(VENV)/bin/actionlint .github/workflows/*.yml
	$(VENV)/bin/python scripts/lint-iam

bench:
	scripts/install-deps bench
	$(MAKE) --no-print-directory build
	scripts/bench/run

# Coverage-guided fuzzing of the JSON parser, model loading and the request path (scripts/fuzz):
# built with -sanitize=fuzzer in .build-fuzz, never in .build.
FUZZ_SECONDS ?= 600
fuzz:
	scripts/install-deps serve
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz

fuzz-ci:
	scripts/install-deps serve
	FUZZ_SECONDS=45 scripts/fuzz

# 1M requests with a SIGHUP reload every 100k; the worker's RSS and fds sampled between them.
soak:
	scripts/install-deps bench
	$(MAKE) --no-print-directory build
	scripts/soak

# The Swift tests under AddressSanitizer, in a build folder of its own (swiftc on Linux has no
# -sanitize=undefined). Leak detection is off: LeakSanitizer also reports XCTest's own objects
# and a model a test's global still holds; make soak and the RSS test of FileReadingTests catch
# real leaks.
sanitize:
	ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan

# The Swift ONNX runtime against onnxruntime's Python InferenceSession.run, per row.
bench-runtime:
	scripts/install-deps bench
	swift build -c release --product PredictBench
	BENCH_RUNTIME_DATA=$(abspath $(DATA)) scripts/bench/runtime

# make pack: a fitted scikit-learn/XGBoost/LightGBM estimator or pipeline (pickle or joblib;
# unpickling runs the file's code, so pack only files you trust) or an exported .onnx, and a
# sample of its training data (CSV or Parquet), to a model directory predict-fcgi serves.
# It ends with `predict-fcgi check` on the result when the worker is built.
NAME ?=
TARGET ?=
VERSION ?=
OUT ?=
pack:
	@test -n "$(MODEL)" -a -n "$(NAME)" -a -n "$(filter command line environment,$(origin DATA))" || { echo "usage: make pack MODEL=FILE DATA=CSV NAME=NAME [TARGET=COLUMN] [VERSION=X.Y.Z] [OUT=DIR]" >&2; exit 2; }
	scripts/install-deps pack
	PREDICT_BIN=$(abspath $(RELEASE_BIN)) $(TRAINING_VENV)/bin/predict-pack --model $(abspath $(MODEL)) \
		--data $(abspath $(DATA)) --name $(NAME) $(if $(TARGET),--target $(TARGET)) \
		$(if $(VERSION),--version $(VERSION)) --out $(abspath $(or $(OUT),models/$(NAME)))

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

# A file holding one API key for the smoke test (or PREDICT_API_KEY in the environment).
API_KEY_FILE ?=

smoke:
	@test -n "$(URL)" || { echo "usage: make smoke URL=https://host [API_KEY_FILE=FILE] [SMOKE_ARGS=--insecure]" >&2; exit 2; }
	scripts/smoke $(if $(API_KEY_FILE),--key-file $(API_KEY_FILE)) $(SMOKE_ARGS) $(URL)

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

# The models a release carries: names under models/ or model directories, space-separated
# (MODEL_DIR, one directory, as before); empty packs every model under models/. DEFAULT_MODEL
# is the one POST /predict serves (by manifest name); it may be left empty for one model.
MODELS ?= $(MODEL_DIR)
DEFAULT_MODEL ?= $(if $(strip $(MODELS)),,bank-marketing)
# The clients' API keys for a deploy: a vars file setting app_api_keys (an Ansible Vault file,
# or plain, as the deploy workflow writes it from its secret); VAULT_PASSWORD_FILE opens a vault
# (or set ANSIBLE_VAULT_PASSWORD_FILE). docs/operations.md has the details. (API_KEYS is the
# worker's own keys file, for make serve.)
KEYS_VARS ?=
VAULT_PASSWORD_FILE ?=

release:
	scripts/install-deps serve
	$(MAKE) --no-print-directory build
	MODELS="$(MODELS)" DEFAULT_MODEL="$(DEFAULT_MODEL)" scripts/release --out $(RELEASE_DIR)

deploy:
	scripts/install-deps cloud
	@test -n "$(INVENTORY)" || { echo "usage: make deploy INVENTORY=FILE KEYS_VARS=FILE [DOMAIN=...]" >&2; exit 2; }
	$(ANSIBLE) -i $(INVENTORY) ansible/deploy.yml $(ANSIBLE_VARS) \
		-e predict_release_archive=$(abspath $(RELEASE)) \
		$(if $(KEYS_VARS),-e @$(abspath $(KEYS_VARS))) \
		$(if $(VAULT_PASSWORD_FILE),--vault-password-file $(abspath $(VAULT_PASSWORD_FILE)))

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
