#!/bin/sh
low=$(sqlite3 pantry.db "SELECT name FROM low_stock;" 2>&1)
[ "$low" = flour ] && exit 0
echo "The view low_stock does not answer flour (it answers: $low)."
exit 1
