#!/usr/bin/env bash
# Push check: passes when the app APP (in the targeted space) is started and its bits were
# uploaded after JAR was built, i.e. it runs the jar the learner just built.
# Usage: pushed-jar.sh APP JAR [PUSH]     (PUSH: the push command to suggest; `cf push`)
# Contract: exit 0 pass; exit 1 fail, the first stdout line is the reason, the rest a hint.
# Reads `cf app` (cf CLI v6 `last uploaded:` line, a UTC date). Live, the foundation's clock
# may differ from this machine's: 30 s of difference are allowed there, none offline.
export CF_COLOR=false # plain text to parse, whatever the learner's terminal wants
app=$1 jar=$2 push=${3:-cf push}
out=$(cf app "$app" 2>&1)
if ! printf '%s\n' "$out" | grep -q "^requested state: started"; then
  echo "$app is not running in this space yet."
  echo "\`$push\`"
  exit 1
fi
[ -f "$jar" ] || exit 0 # no local jar to compare with: the running app is what counts
uploaded=$(printf '%s\n' "$out" | sed -n 's/^last uploaded:[[:space:]]*//p')
up=$(date -d "$uploaded" +%s 2>/dev/null) || up=0
built=$(date -r "$jar" +%s)
slack=0
[ "$WORKSHOP_MODE" = live ] && slack=30
if [ "$up" -ge $((built - slack)) ]; then
  exit 0
fi
echo "$app runs bits uploaded before $jar was built: push the new jar."
echo "\`$push\`"
exit 1
