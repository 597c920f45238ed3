#!/bin/sh
[ "$(git branch --show-current)" = main ] || { echo "You are not on main."; exit 1; }
[ ! -e soup.txt ] || { echo "soup.txt is still here: is main checked out?"; exit 1; }
