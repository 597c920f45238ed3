#!/usr/bin/env bash
# contains.sh FILE TEXT: passes when FILE (in the learner's folder) holds TEXT.
# Contract: exit 0 pass; exit 1 fail, the first line is the reason, the rest a hint.
file=$1 text=$2
if [ ! -f "$file" ]; then
  echo "There is no $file in $(pwd) yet."
  echo "Write it with echo and >."
  exit 1
fi
grep -qF -- "$text" "$file" && exit 0
echo "$file does not say \"$text\"."
exit 1
