# A classic verify script: run with bash, with the `check` helper loaded.
# check '<command>' '<bash regex>' true|false #> the message shown when it fails
check 'ls done.flag' '^done\.flag$' true #> There is no done.flag in this folder yet.
