#!/usr/bin/env bash
# Installs the git filter that strips notebook outputs (see .gitattributes), so that running and
# saving the notebook in JupyterLab leaves nothing for git to see. Repository-local config only.
# In a linked worktree the config is shared with the main checkout and the other worktrees, whose
# environments may differ: there it only says how to install the filter.
set -euo pipefail
git rev-parse --git-dir >/dev/null 2>&1 || exit 0  # not a git checkout (e.g. an unpacked archive)
if [ "$(git rev-parse --git-dir)" != "$(git rev-parse --git-common-dir)" ]; then
  echo "git filter strip-notebook not installed (linked worktree: its config is shared);" \
    "install it with: bash scripts/git-filter.sh --force" >&2
  [ "${1:-}" = "--force" ] || exit 0
fi
git config filter.strip-notebook.clean ".venv/bin/python -m casualty_report strip-notebook"
git config filter.strip-notebook.smudge cat
git config filter.strip-notebook.required true
