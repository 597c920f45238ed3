#!/bin/sh
count=$(sqlite3 pantry.db "SELECT count(*) FROM items;" 2>&1)
[ "$count" = 3 ] && exit 0
echo "The items table should hold 3 items (it answers: $count)."
exit 1
