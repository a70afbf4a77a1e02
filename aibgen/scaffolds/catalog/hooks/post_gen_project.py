"""Keep the files of the chosen CI system."""
import shutil
from pathlib import Path

CI = "{{ cookiecutter.ci }}"


def main() -> None:
    if CI not in ("github", "both"):
        shutil.rmtree(".github", ignore_errors=True)
    if CI not in ("azure-pipelines", "both"):
        Path("azure-pipelines.yml").unlink()


if __name__ == "__main__":
    main()
