#!/bin/sh
if git rev-parse -q --verify MERGE_HEAD >/dev/null; then
  echo "The merge is not finished yet: git add README.md, then git commit."
  exit 1
fi
parents=$(git log -1 --format=%p | wc -w)
[ "$parents" -eq 2 ] || { echo "The last commit is not a merge commit."; exit 1; }
if grep -q '^[<=>]\{7\}' README.md; then
  echo "README.md still has conflict markers."
  exit 1
fi
