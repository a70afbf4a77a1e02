"""Cookiecutter templates shipped in the wheel: ``aibgen scaffold`` renders them."""
