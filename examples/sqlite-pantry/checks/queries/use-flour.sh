#!/bin/sh
left=$(sqlite3 pantry.db "SELECT quantity FROM items WHERE name = 'flour';" 2>&1)
[ "$left" = 1 ] && exit 0
echo "There should be 1 flour left (the database says: $left)."
exit 1
