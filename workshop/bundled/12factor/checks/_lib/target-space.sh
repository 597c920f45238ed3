#!/usr/bin/env bash
# Place check: passes when the cf CLI targets the space SPACE (the first argument).
# Usage: target-space.sh SPACE
# Contract: exit 0 pass; exit 1 fail, the first stdout line is the reason, the rest a hint.
# Reads only what `cf target` prints (cf CLI v6), so it holds in mock and live mode.
export CF_COLOR=false # plain text to parse, whatever the learner's terminal wants
want=$1
out=$(cf target 2>&1)
space=$(printf '%s\n' "$out" | sed -n 's/^Space:[[:space:]]*//p' | sed 's/[[:space:]]*$//')
if [ "$space" = "$want" ]; then
  exit 0
fi
if printf '%s\n' "$out" | grep -q "Not logged in"; then
  echo "You are not logged in; this step happens in the space \`$want\`."
  echo "\`cf login\`, then \`cf target -s $want\`"
elif [ -z "$space" ] || printf '%s' "$space" | grep -q "^No space targeted"; then
  echo "You are targeting no space; this step happens in \`$want\`."
  echo "\`cf target -s $want\`"
else
  echo "You are targeting the space \`$space\`; this step happens in \`$want\`."
  echo "\`cf target -s $want\`"
fi
exit 1
