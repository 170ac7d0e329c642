#!/usr/bin/env bash
# Installs what the tests need and runs every check: the README's test command, and CI's.
#   - a virtualenv in .venv with the package and its test extras
#   - the npm peers (cognito-local) in tests/peers
#   - ruff, mypy, the import-linter contracts, then pytest (extra arguments go to pytest)
# System packages (gnome-keyring, dbus, a de_DE locale) come from .ci/run, or your distribution.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
# constraints.txt pins what the suite was last run with: snapshots depend on Textual's look.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
npm ci --prefix tests/peers --no-audit --no-fund --loglevel=error
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/lint-imports
exec .venv/bin/python -m pytest "$@"
