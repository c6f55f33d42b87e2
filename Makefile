# The README's two commands: `make run` and `make test`. Everything else is set-up they share.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
PO := $(wildcard locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

.PHONY: run test setup messages makemessages lint bench clean-var

run: setup
	$(PY) manage.py portal

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(STAMP) $(MO)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

# .mo files are build output: compiled from the committed .po on every run/test that needs it.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	$(VENV)/bin/pybabel compile --domain django --directory locale --locale $* --statistics

# Extract strings (needs GNU gettext's xgettext: apt-get install gettext).
makemessages: $(STAMP)
	$(PY) manage.py makemessages --locale en --locale zh_Hans --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(PY) manage.py fill_source_catalog

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	# models and migrations agree; no server need be running (so no database's migration history is compared)
	$(PY) -W "ignore:Got an error checking a consistent migration history:RuntimeWarning" \
		manage.py makemigrations --check --dry-run

clean-var:
	rm -rf var

# Benchmarks print what they measure (N applications, default 100000).
bench: setup
	cd bench && ../$(PY) rescore.py $(if $(N),--n $(N))
	cd bench && ../$(PY) hr_list.py
	cd bench && ../$(PY) api_list.py
	cd bench && ../$(PY) load.py $(LOAD_ARGS)
