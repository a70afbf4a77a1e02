"""Check the answers with aibgen's own types before cookiecutter writes a file.

cookiecutter renders this file with the answers, then runs it in the new project's folder;
a non-zero exit stops the generation and removes that folder.
"""
import json
import sys

CONTEXT = """{{ {"cookiecutter": cookiecutter, "options": _cookiecutter | default({})} | jsonify | replace("\\", "\\\\") | replace('"', '\\"') }}"""


def main() -> int:
    try:
        from aibgen.flows.scaffold_answers import hook_check
    except ImportError:
        sys.stderr.write("note: aibgen is not installed in the Python that runs cookiecutter; answers not checked\n")
        return 0
    code, message = hook_check(json.loads(CONTEXT))
    if message:
        sys.stderr.write(message + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
