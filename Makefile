# Two commands a new user needs: `make report` (the main job) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report check test lint lab notebooks schema bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name evidencebench --display-name "Python (evidencebench)" >/dev/null
	touch $(STAMP)

report: $(STAMP)  ## set up, check the review and build the evidence report in reports/
	$(BIN)/evidence report .

check: $(STAMP)
	$(BIN)/evidence check .

test: $(STAMP)  ## set up and run every test: lint, unit, CLI, browser, notebooks (nbval)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg notebooks

lab: $(STAMP)  ## open the review notebooks in JupyterLab
	JUPYTER_PATH=$(CURDIR)/$(VENV)/share/jupyter $(BIN)/jupyter lab notebooks

notebooks: $(STAMP)  ## re-run every notebook and store its outputs (after a deliberate data change)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.kernel_name=evidencebench --ExecutePreprocessor.store_widget_state=False notebooks/*.ipynb

schema: $(STAMP)  ## regenerate data dictionary, problem codes and Table Schemas
	$(BIN)/evidence schema .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) reports
