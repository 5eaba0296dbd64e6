# The verbs people type. Everything a target needs is installed by the project's own files:
# the Maven wrapper fetches Maven, hack/local-cluster.sh builds the control plane from Go modules,
# hack/shellcheck.sh installs ShellCheck from PyPI, hack/actionlint.sh builds actionlint from the
# Go module proxy.
SHELL := /bin/bash
MVN := ./mvnw -B -ntp
CLUSTER := hack/local-cluster.sh

.PHONY: help build test test-hack-scripts browser demo bench lint-shell lint-workflows test-image-scripts run fmt crds crd-baseline cluster-build cluster-up cluster-down cluster-status images

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

build: ## compile, check formatting and package every module, no tests
	$(MVN) verify -DskipTests

test: lint-shell lint-workflows test-image-scripts test-hack-scripts browser ## every test; starts a private local control plane unless KUBECONFIG is set
	$(MVN) verify

demo: ## the main job end to end: control plane, operator, receiver, a signed webhook for feature/hardy, Ready, teardown
	hack/demo.sh

lint-shell: ## ShellCheck every shell script (hack/shellcheck.sh installs a pinned ShellCheck from PyPI)
	hack/shellcheck.sh

lint-workflows: ## actionlint every GitHub workflow (hack/actionlint.sh builds a pinned actionlint; needs Go >= 1.24)
	hack/actionlint.sh

test-hack-scripts: ## the git host's and the warehouse stand-in's own tests
	hack/test/git-host-test.sh
	hack/test/warehouse-test.sh

browser: ## Debian's chromium and chromedriver for the browser test (installed when missing)
	hack/browser.sh ensure

test-image-scripts: ## test the orchestrator image's scripts with a stub airflow (the image itself needs Docker)
	orchestrator-image/test/scripts-test.sh

bench: ## measure receiver and operator against the floor (kubectl apply): Markdown table + target/bench/*.json
	hack/bench.sh

run: ## run the operator and the webhook receiver from source against KUBECONFIG (installs the CRDs if missing)
	hack/run.sh

fmt: ## format the Java sources (the build fails on unformatted code)
	$(MVN) spotless:apply

crds: ## regenerate crds/ from the API model classes
	$(MVN) -pl api -am test -Dtest=CommittedCrdsTest -Dsurefire.failIfNoSpecifiedTests=false -Dbranchflow.crds.update=true

crd-baseline: ## at a release: copy crds/ into api's released-crds/<chart version>/, which later CRDs must stay compatible with
	@version=$$(sed -n 's/^version: *//p' charts/branchflow/Chart.yaml); \
	dir=api/src/test/resources/released-crds/$$version; \
	if [ -e "$$dir" ]; then echo "$$dir exists: bump the version in charts/branchflow/Chart.yaml first, or delete it to replace it" >&2; exit 1; fi; \
	mkdir -p "$$dir" && cp crds/*.yml "$$dir"/ && echo "kept crds/ as released in $$dir"

cluster-build: ## build etcd, kube-*, kwok, kubelet, kube-proxy, CoreDNS, kube-network-policies and the node's images into the cache (done by cluster-up too)
	$(CLUSTER) build

cluster-up: ## start a local cluster: control plane, kwok's fake node, a real node (BRANCHFLOW_REAL_NODE=0: none)
	$(CLUSTER) up

cluster-down: ## stop it, leaving no process behind
	$(CLUSTER) down

cluster-status: ## is it running, and which KUBECONFIG to use
	$(CLUSTER) status

images: ## build the real node's images (pause, Debian, PostgreSQL 15, Airflow) from Debian and PyPI into the cache; root
	hack/images.sh build
