#!/bin/sh
# The official redis image's binary is built with protected mode off, so other containers on the
# compose network can connect without a password; Debian's is not. Turn it off unless the command
# says otherwise (appended: redis-server reads -v/--version from its first argument only).
if [ "${1:-}" = "redis-server" ]; then
  case " $* " in
    *" --protected-mode "*) ;;
    *) set -- "$@" --protected-mode no ;;
  esac
fi
exec "$@"
