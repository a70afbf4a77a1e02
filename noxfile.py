"""The README's test command on the lowest and the newest supported Python (run by .ci/run).

``nox`` runs both; ``nox -s tests-3.10`` one. Each session installs aibgen with its test
extra into a fresh virtualenv, so a use of syntax or standard library newer than
``python_requires`` fails the 3.10 session.
"""
from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True
nox.options.reuse_venv = "no"


@nox.session(python=["3.13", "3.10"])
def tests(session: nox.Session) -> None:
    """pip install ".[test]" && python -m pytest -q tests"""
    session.install(".[test]")
    session.run("python", "-m", "pytest", "-q", "tests", *session.posargs)
