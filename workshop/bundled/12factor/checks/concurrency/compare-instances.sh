#!/usr/bin/env bash
# Passes when the output of the step's loop names at least two different instances.
# Contract: exit 0 pass; exit 1 fail, first line the reason, the rest a hint.
addresses=$(grep -o 'From ip [^ ]* and ports [^ ]*' "$WORKSHOP_OUTPUT" | sort -u | wc -l)
if [ "$addresses" -ge 2 ]; then
  exit 0
fi
if [ "$addresses" -eq 1 ]; then
  echo "Every answer came from the same instance."
  echo "Scale to two instances first (cf scale workshop-12f-stock -i 2), then run the loop again."
else
  echo "No answer from /stock/factor7 in the output."
  echo "Run the loop of curl commands shown in the step."
fi
exit 1
