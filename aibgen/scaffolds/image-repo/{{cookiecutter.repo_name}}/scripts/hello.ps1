# A sample customization step: Image Builder downloads this file from scriptsUrl, checks its
# SHA-256 (which 'aibgen new' computes from this copy) and runs it in the build VM.
$ErrorActionPreference = 'Stop'
Set-Content -Path 'C:\image-build-info.txt' -Value 'Built for the {{ cookiecutter.image_name }} image'
