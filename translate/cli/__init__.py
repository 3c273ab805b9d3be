"""The command line: ``translate COMMAND``, its parser, interrupts and a quiet start-up."""

from translate.cli.commands import main

__all__ = ["main"]
