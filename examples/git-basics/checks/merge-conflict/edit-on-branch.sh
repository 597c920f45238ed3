#!/bin/sh
[ "$(git log -1 --format=%s soup)" = "Soups only" ] || { echo "The last commit on soup is not 'Soups only'."; exit 1; }
[ "$(git branch --show-current)" = main ] || { echo "Come back to main: git switch main"; exit 1; }
