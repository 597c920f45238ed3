#!/bin/sh
[ "$(git log -1 --format=%s main)" = "Name the collection" ] && exit 0
echo "The last commit on main is not 'Name the collection'."
exit 1
