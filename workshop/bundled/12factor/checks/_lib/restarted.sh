#!/usr/bin/env bash
# Restart check: passes when the learner's command started APP anew (`cf restart`, `restage`,
# `start` of APP, or a `cf push`, also inside a pipeline) and APP is started now.
# Usage: restarted.sh APP
# Contract: exit 0 pass; exit 1 fail, the first stdout line is the reason, the rest a hint.
# A restart leaves nothing that `cf app` shows to the second, so the command line
# ($WORKSHOP_COMMAND) is the evidence, and `cf app` the proof that the app runs.
export CF_COLOR=false # plain text to parse, whatever the learner's terminal wants
app=$1
if ! printf '%s\n' "$WORKSHOP_COMMAND" | awk -v app="$app" '
  {
    gsub(/["\047]/, "")                       # quotes around words
    gsub(/[0-9]*[<>]+&?[^ \t|;&]*/, " ")       # redirections: >/dev/null, 2>&1
    n = split($0, parts, /[|;&]+/)
    for (i = 1; i <= n; i++) {
      m = split(parts[i], w, /[ \t]+/)
      for (j = 1; j < m; j++) {
        if (w[j] != "cf" && w[j] !~ /\/cf$/) continue
        if (w[j + 1] == "push" || w[j + 1] == "p") found = 1
        if (w[j + 1] ~ /^(restart|rs|restage|rg|start|st)$/)
          for (k = j + 2; k <= m; k++) if (w[k] == app) found = 1
      }
    }
  }
  END { exit found ? 0 : 1 }'; then
  echo "$app was not restarted."
  echo "\`cf restart $app\`"
  exit 1
fi
if ! cf app "$app" 2>&1 | grep -q "^requested state: started"; then
  echo "$app is not running."
  echo "\`cf restart $app\`, and read its output"
  exit 1
fi
exit 0
