#!/usr/bin/env bash
# Place check: passes when the learner's shell stands in the folder DIR, given relative to
# the lesson's own folder ($WORKSHOP_WORK_DIR; "." is that folder itself).
# Usage: in-folder.sh DIR
# Contract: exit 0 pass; exit 1 fail, the first stdout line is the reason, the rest a hint.
# Checks run in the learner's current folder. Without WORKSHOP_WORK_DIR the lesson's folder
# is not known and the check passes.
[ -n "$WORKSHOP_WORK_DIR" ] || exit 0
want=$WORKSHOP_WORK_DIR/$1
want=${want%/.}
here=$(pwd -P)
there=$(cd "$want" 2>/dev/null && pwd -P)
if [ -n "$there" ] && [ "$here" = "$there" ]; then
  exit 0
fi
if [ -z "$there" ]; then
  echo "You are in \`$here\`; this step happens in \`$want\`, which does not exist yet."
  echo "Do the step before this one first, then \`cd $want\`"
else
  echo "You are in \`$here\`; this step happens in \`$want\`."
  echo "\`cd $want\`"
fi
exit 1
