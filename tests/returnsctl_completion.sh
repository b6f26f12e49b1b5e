#!/usr/bin/env bash
# returnsctl's bash completion (returnsctl completion bash) parses and completes commands,
# subcommands and options from the CLI's own tree.
set -euo pipefail
ctl=$1
source <("$ctl" completion bash)
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _returnsctl; echo "${COMPREPLY[*]}"; }
check() { local want=$1; shift; local got; got=$(complete_words "$@"); [ "$got" = "$want" ] || { echo "completing '$*': got '$got', want '$want'" >&2; exit 1; }; }
check "return" returnsctl ret
check "create" returnsctl return cr
check "--order" returnsctl return create --or
check "kpis" returnsctl kp
check "call" returnsctl cal
check "show set history --help -h" returnsctl policy ""
check "webhook" returnsctl web
check "create list update rotate delete deliveries replay --help -h" returnsctl webhook ""
check "--overlap-seconds" returnsctl webhook rotate --ov
check "carrier" returnsctl carr
check "account --help -h" returnsctl carrier ""
check "set list delete --help -h" returnsctl carrier account ""
check "--api-key-file --api-key-stdin" returnsctl carrier account set --api-key-
echo "completion: ok"
