#!/bin/sh
branch=$(git branch --show-current 2>/dev/null)
[ "$branch" = soup ] && exit 0
echo "You are on '${branch:-no branch}', not on a new branch 'soup'."
exit 1
