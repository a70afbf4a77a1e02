#!/bin/sh
# What CI runs on every pull request, and what to run before you push: lint the profiles,
# render every image into out/, and check the templates (SARIF for code scanning).
set -eu
cd "$(dirname "$0")/.."
if ! command -v aibgen >/dev/null 2>&1; then
  python3 -m pip install --quiet --requirement ci/requirements.txt
fi
aibgen --version
aibgen catalog lint
mkdir -p out
for profile in images/*.yaml; do
  name="$(basename "$profile" .yaml)"
  aibgen new --profile "$name" --no-input --force -o "out/$name.json"
done
status=0
aibgen validate out --format sarif > out/aibgen.sarif || status=$?
aibgen validate out || true
exit "$status"
