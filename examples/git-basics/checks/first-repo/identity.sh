#!/bin/sh
# Exit 0 passes; exit 1 fails with the first line as the reason.
name=$(git config --global user.name)
email=$(git config --global user.email)
[ -n "$name" ] && [ -n "$email" ] && exit 0
echo "Git does not know who you are yet (user.name and user.email)."
exit 1
