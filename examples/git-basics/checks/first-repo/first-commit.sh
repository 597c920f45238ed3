#!/bin/sh
subject=$(git log -1 --format=%s 2>/dev/null)
if [ "$subject" != "Add a README" ]; then
  echo "There is no commit 'Add a README' yet."
  exit 1
fi
git ls-files --error-unmatch README.md >/dev/null 2>&1 || { echo "README.md is not committed."; exit 1; }
