#!/bin/sh
# Exit 0 passes; exit 1 fails with the first line as the reason.
[ "$PWD" = "$WORKSHOP_WORK_DIR/pantry" ] && exit 0
echo "You are not in the pantry folder."
echo "mkdir pantry, then cd pantry"
exit 1
