# Kavosh: `make run` serves the sample, `make test` checks everything.
VENV   := .venv
PY     := $(VENV)/bin/python
INDEX  ?= var/index
HOST   ?= 127.0.0.1
PORT   ?= 5000

# The first Python 3.12+ on PATH (pyenv reads .python-version).
SYSTEM_PYTHON := $(shell for p in python3.13 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && \
	   $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	   echo $$p; break; fi; done)

.PHONY: run test index lint clean bench bench-cluster speaker-names associations cluster cluster-stop

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(SYSTEM_PYTHON)" ]; then \
	  echo "Kavosh needs Python 3.12 or newer (hazm 0.12 requires it), and none was found."; \
	  echo "Install one (e.g. 'pyenv install 3.12' or your system's python3.12 package), then run make again."; \
	  exit 1; fi
	$(SYSTEM_PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

index: $(VENV)/.installed
	$(VENV)/bin/kavosh reindex corpus --index $(INDEX)

run: index
	$(VENV)/bin/kavosh serve --index $(INDEX) --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# One pytest worker per core (pytest-xdist). A file's tests stay on one worker (--dist loadfile), so a
# module's index is built once; files run in collection order, which tests/conftest.py starts with
# the longest chain (the shared-corpus indexes) and the rest longest first, so the other core works
# through them meanwhile (docs/development.md).
PYTEST_WORKERS ?= auto
test: lint
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

# The benchmark harness on ../shared (see docs/performance.md); BENCH_ARGS="--quick" for seconds.
$(VENV)/.installed-bench: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[bench]'
	@touch $@

# The corpus's person names for the speaker extractor (docs/speakers.md): minutes over ../shared.
SPEAKER_CORPORA ?= ../shared/corpus ../shared/eval/hamshahri/docs
speaker-names: $(VENV)/.installed
	$(VENV)/bin/kavosh speaker-names $(SPEAKER_CORPORA)

# Word associations for query expansion (docs/evaluation.md): word2vec over ../shared's stems, minutes on
# two cores, written to var/associations.marshal (searches read it when present; never committed).
ASSOCIATION_CORPORA ?= ../shared/corpus ../shared/eval/hamshahri/docs
$(VENV)/.installed-associations: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[associations]'
	@touch $@

associations: $(VENV)/.installed-associations
	$(PY) -m indexer.associations var/associations.marshal $(ASSOCIATION_CORPORA)

bench: $(VENV)/.installed-bench
	$(PY) -m bench $(BENCH_ARGS)

# A local three-node OpenSearch cluster (docs/cluster.md): the real server jars from Maven Central
# (cached in ~/.m2 after the first build), nodes on 127.0.0.1:9200-9202, data and logs in var/cluster/.
CLUSTER_NODES ?= 3
CLUSTER_SOURCES := cluster/pom.xml $(wildcard cluster/src/main/java/org/kavosh/cluster/*.java cluster/src/main/resources/*)

cluster/target/.built: $(CLUSTER_SOURCES)
	@command -v mvn >/dev/null 2>&1 || { echo "make cluster needs Maven ('mvn') and Java 17 on PATH"; exit 1; }
	cd cluster && mvn -q -B -Dstyle.color=never process-classes
	@touch $@

cluster: cluster/target/.built
	cluster/nodes.sh start $(CLUSTER_NODES)

cluster-stop:
	cluster/nodes.sh stop

# Kavosh on the Whoosh backend next to OpenSearch clusters of 1 and 3 nodes that the bench starts
# and stops itself (ports 9230 and 9220-9222, data in var/bench/cluster-N; docs/performance.md).
bench-cluster: cluster/target/.built $(VENV)/.installed-bench
	$(PY) -m bench --only cluster $(BENCH_ARGS)

clean:
	rm -rf cluster/target $(VENV) var .pytest_cache .mypy_cache .ruff_cache
