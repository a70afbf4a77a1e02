"""Keep the files of the chosen CI system and operating system; make the CI scripts executable."""
import shutil
import stat
from pathlib import Path

CI = "{{ cookiecutter.ci }}"
OS = "{{ cookiecutter.os }}"


def main() -> None:
    if CI not in ("github", "both"):
        shutil.rmtree(".github", ignore_errors=True)
    if CI not in ("azure-pipelines", "both"):
        Path("azure-pipelines.yml").unlink()
    Path("scripts", "hello.ps1" if OS == "linux" else "hello.sh").unlink()
    for script in Path("ci").glob("*.sh"):
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


if __name__ == "__main__":
    main()
