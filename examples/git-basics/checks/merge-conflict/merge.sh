#!/bin/sh
# The merge must have stopped on a conflict in README.md.
git rev-parse -q --verify MERGE_HEAD >/dev/null || { echo "No merge is in progress."; exit 1; }
grep -q '^<<<<<<<' README.md || { echo "README.md shows no conflict markers."; exit 1; }
