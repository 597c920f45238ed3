#!/usr/bin/env bash
# Build check: passes when JAR exists and is newer than pom.xml and every file under src/,
# i.e. it was built after the last edit of the project (however Maven was run: -q, | tail).
# Usage: jar-fresh.sh JAR          (run in the project folder, as the learner's shell is)
# Contract: exit 0 pass; exit 1 fail, the first stdout line is the reason, the rest a hint.
jar=$1
if [ ! -f "$jar" ]; then
  echo "$jar was not built."
  echo "Build it in the project folder: \`mvn clean install\` (read Maven's output for errors)."
  exit 1
fi
while IFS= read -r source; do
  if [ ! "$jar" -nt "$source" ]; then
    echo "$jar is older than $source: it was built before your last edit."
    echo "Build again: \`mvn clean install\`"
    exit 1
  fi
done < <(find pom.xml src -type f 2>/dev/null)
exit 0
