# Helpers for classic NN_Title.verify.sh scripts, loaded through BASH_ENV before the script.
#
#   check '<shell cmd>' '<bash regex>' true|false #> message shown when it fails
#
# Runs the command, matches its output against the regex and, when the match differs from
# the third argument, prints the '#>' message of the calling line and the command's output.
# Like the original check.sh it never exits non-zero: any output on stdout is the failure.
check() {
    local cmd=$1 regex=$2 expect=${3:-true} out matched=false msg="" src line
    out=$(eval "$cmd" 2>&1)
    if [[ $out =~ $regex ]]; then matched=true; fi
    if [[ $matched != "$expect" ]]; then
        src=${BASH_SOURCE[1]:-}
        line=${BASH_LINENO[0]:-0}
        if [[ -n $src && -r $src && $line -gt 0 ]]; then
            msg=$(sed -n "${line}p" "$src")
            if [[ $msg == *'#>'* ]]; then
                msg=${msg#*'#>'}
                msg=${msg# }
            else
                msg=""
            fi
        fi
        if [[ -n $msg ]]; then printf '%s\n' "$msg"; fi
        printf 'Cmd output: %s\n' "$out"
    fi
    return 0
}
