#!/bin/sh
top=$(git rev-parse --show-toplevel 2>/dev/null)
if [ "$top" != "$WORKSHOP_WORK_DIR/recipes" ]; then
  echo "There is no repository in recipes (or you are not inside it)."
  echo "Run git init inside the recipes folder: cd recipes"
  exit 1
fi
