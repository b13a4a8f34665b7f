# newslens: two commands for a newcomer, `make reports` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CORPUS ?= data/corpus.csv
OUT    ?= reports
ARTICLES ?= 10000

.PHONY: reports analyze test bench lab kernel clean venv evaluate

# Create the virtual environment and install the package with its pinned dependencies, then build once
# what every render reuses (`newslens prepare`: the offline Vega bundle, the package bytecode, the time
# importing the stack takes, which render sets its own cost against).
# Re-runs only when a requirements or project file changes.
$(STAMP): requirements.txt requirements-dev.txt requirements-dask.txt requirements-import.txt pyproject.toml setup.py
	@command -v $(PYTHON) >/dev/null || { echo "newslens needs $(PYTHON) (Python 3.11) on PATH"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name newslens --display-name "Python 3 (newslens)" >/dev/null
	$(PY) -m newslens prepare
	touch $(STAMP)

venv: $(STAMP)

# Render every report of the seed corpus into reports/.
reports: $(STAMP)
	$(PY) -m newslens render $(CORPUS) --out $(OUT)

analyze: $(STAMP)
	$(PY) -m newslens analyze $(CORPUS) --out $(OUT)/data

test: $(STAMP)
	$(PY) -m pytest

# The README's scale figures: a cold run of ARTICLES synthetic articles, then a cached re-run
# (`make bench ARTICLES=100000` for the linear-growth check). Not part of `make test`.
bench: $(STAMP)
	$(PY) -m newslens bench --articles $(ARTICLES) --rerun

# Events and voices scored against gold stories: the devset (../shared/devset, when present) and the seeds.
# `make evaluate WRITE=--write` stores the figures in data/evaluation.json.
DEVSET ?= ../shared/devset
evaluate: $(STAMP)
	$(PY) -m newslens evaluate $(patsubst %/gold.json,%,$(wildcard $(DEVSET)/*/gold.json)) data/gold/seeds $(WRITE)

# JupyterLab on this machine only (127.0.0.1), no browser opened: the address to open is printed first.
# As root (as in many containers) JupyterLab refuses to start unless told --allow-root: it is, and says so.
LAB_PORT ?= 8888
lab: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-lab.txt
	@token=$$($(PY) -c 'import secrets; print(secrets.token_hex(16))'); \
	as_root=""; if [ "$$(id -u)" = 0 ]; then as_root="--allow-root"; \
	  echo "make lab: running as root, so JupyterLab is started with --allow-root"; fi; \
	echo "make lab: open http://127.0.0.1:$(LAB_PORT)/lab?token=$$token  (Ctrl-C to stop)"; \
	exec $(VENV)/bin/jupyter lab --notebook-dir=notebooks --no-browser --ip 127.0.0.1 --port $(LAB_PORT) \
	  --ServerApp.port_retries=0 --IdentityProvider.token=$$token $$as_root

clean:
	rm -rf $(OUT) .pytest_cache
