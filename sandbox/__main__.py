"""Command line: ``python -m sandbox serve`` and ``python -m sandbox truth --out FILE``.

Why: lets a developer click through the fake directories in a browser, or point
a crawl at them from another process, with the same world the tests use.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from sandbox.server import start_sandbox
from sandbox.truth import write_ground_truth
from sandbox.world import generate_world


def _parser() -> argparse.ArgumentParser:
    """Argument parser with the two subcommands."""
    parser = argparse.ArgumentParser(
        prog="python -m sandbox", description="Local fake directory sites."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the sites until Ctrl-C")
    truth = sub.add_parser("truth", help="write the ground truth as JSON Lines")
    for command in (serve, truth):
        command.add_argument("--seed", type=int, default=7)
        command.add_argument("--companies", type=int, default=600)
    serve.add_argument("--tradeboard-port", type=int, default=8801, help="0 picks a free port")
    serve.add_argument("--yellowpages-port", type=int, default=8802, help="0 picks a free port")
    truth.add_argument("--out", required=True, help="output .jsonl path")
    return parser


def _wait_for_signal() -> None:
    """Block until Ctrl-C or SIGTERM.

    Handlers are installed explicitly because a shell starting us in the
    background leaves SIGINT ignored, and a supervisor stops us with SIGTERM.
    """
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.2):
        pass


def _serve(args: argparse.Namespace) -> int:
    """Serve until interrupted, printing where the sites are."""
    world = generate_world(args.seed, args.companies)
    ports = {"tradeboard": args.tradeboard_port, "yellowpages": args.yellowpages_port}
    with start_sandbox(world, ports=ports) as sandbox:
        for name, url in sandbox.urls.items():
            print(f"{name}: {url}")
        for key, value in sandbox.env().items():
            print(f"export {key}={value}")
        print("Press Ctrl-C to stop.", flush=True)
        _wait_for_signal()
        print("stopping", flush=True)
    return 0


def _truth(args: argparse.Namespace) -> int:
    """Write the ground truth file."""
    world = generate_world(args.seed, args.companies)
    path = write_ground_truth(world, args.out)
    print(f"wrote {len(world.listings)} listings to {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    return _serve(args) if args.command == "serve" else _truth(args)


if __name__ == "__main__":
    sys.exit(main())
