"""{{ cookiecutter.org }}'s aibgen catalog: profiles, partials and scaffolds in this folder."""
