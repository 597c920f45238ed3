#!/bin/sh
# Exit 0 passes; exit 1 fails with the first line as the reason. Any address is right.
[ -n "$(git config --global user.email)" ] && exit 0
echo "Git does not know your e-mail address yet (user.email)."
exit 1
