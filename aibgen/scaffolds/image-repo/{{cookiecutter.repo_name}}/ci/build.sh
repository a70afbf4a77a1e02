#!/bin/sh
# Create and run each image template in Azure (CI runs it on main after signing in with
# OIDC). An existing template cannot be updated, so it is deleted and created again.
# Needs: az (signed in), RESOURCE_GROUP, and out/ from ci/check.sh.
set -eu
cd "$(dirname "$0")/.."
: "${RESOURCE_GROUP:?set RESOURCE_GROUP to the resource group of the image templates}"
for template in out/*.json; do
  name="$(basename "$template" .json)"
  if az image builder show --resource-group "$RESOURCE_GROUP" --name "$name" --output none 2>/dev/null; then
    az image builder delete --resource-group "$RESOURCE_GROUP" --name "$name"
  fi
  az image builder create --resource-group "$RESOURCE_GROUP" --name "$name" --image-template "$template"
  az image builder run --resource-group "$RESOURCE_GROUP" --name "$name"
  az image builder show-runs --resource-group "$RESOURCE_GROUP" --name "$name" --output table
done
