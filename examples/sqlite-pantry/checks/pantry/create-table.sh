#!/bin/sh
schema=$(sqlite3 pantry.db ".schema items" 2>&1)
case "$schema" in
  *"CREATE TABLE items"*) exit 0 ;;
esac
echo "pantry.db has no table items here."
exit 1
