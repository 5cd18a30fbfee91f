.PHONY: demo test test-postgres lint bench

demo:
	python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/dangvien demo

test:
	python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest

test-postgres:
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvien .venv/bin/pytest

lint:
	.venv/bin/pip install -q -e '.[dev]' && .venv/bin/ruff check . && .venv/bin/ruff format --check .

bench:
	.venv/bin/python bench/run_all.py
