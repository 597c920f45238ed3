#!/usr/bin/env bash
# Place check for a URL: passes when the route HOST.DOMAIN belongs to an app in the space
# SPACE of the targeted org (DOMAIN defaults to $CF_DOMAIN).
# Usage: route-space.sh HOST SPACE [DOMAIN]
# Contract: exit 0 pass; exit 1 fail, the first stdout line is the reason, the rest a hint.
# Reads `cf routes --orglevel` (cf CLI v6: the columns start with space, host, domain).
export CF_COLOR=false # plain text to parse, whatever the learner's terminal wants
host=$1 want=$2 domain=${3:-$CF_DOMAIN}
out=$(cf routes --orglevel 2>&1) || {
  echo "The routes of your org cannot be listed: $(printf '%s\n' "$out" | grep -v '^FAILED' | head -1)"
  echo "\`cf login\`, then \`cf target -s $want\`"
  exit 1
}
row=$(printf '%s\n' "$out" | awk -v h="$host" -v d="$domain" '$2 == h && $3 == d { print; exit }')
space=${row%% *}
if [ -z "$row" ]; then
  echo "There is no route \`$host.$domain\` in your org: nothing answers that URL yet."
  echo "Push the app in \`$want\` with that host first (\`cf target -s $want\`, then the push step)."
  exit 1
fi
if [ "$space" = "$want" ]; then
  exit 0
fi
echo "The route \`$host.$domain\` belongs to an app in the space \`$space\`; this step is about the app in \`$want\`."
echo "Push the app in \`$want\`: \`cf target -s $want\`, then the push step. The host is taken in \`$space\` until \`cf unmap-route APP $domain -n $host\` there frees it (offline: reset the lesson)."
exit 1
