#!/bin/bash
# A sample customization step: Image Builder downloads this file from scriptsUrl, checks its
# SHA-256 (which 'aibgen new' computes from this copy) and runs it in the build VM.
set -euo pipefail
echo "Built for the {{ cookiecutter.image_name }} image" | sudo tee /etc/image-build-info > /dev/null
