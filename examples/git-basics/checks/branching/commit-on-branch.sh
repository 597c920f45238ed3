#!/bin/sh
git cat-file -e soup:soup.txt 2>/dev/null || { echo "soup.txt is not committed on the soup branch."; exit 1; }
if git cat-file -e main:soup.txt 2>/dev/null; then
  echo "soup.txt was committed on main; it belongs on soup."
  exit 1
fi
