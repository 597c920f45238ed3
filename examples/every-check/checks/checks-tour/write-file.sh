#!/usr/bin/env bash
# Found by the step's id (checks/<lesson>/<step-id>.*): runs after the YAML checks.
# It sees the command the learner ran and its output as a file.
case $WORKSHOP_COMMAND in
  *note.txt*) exit 0 ;;
esac
echo "The note goes into a file called note.txt."
exit 1
