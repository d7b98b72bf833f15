"""Command line: ``python -m sandbox serve`` and ``python -m sandbox truth --out FILE``.

Why: lets a developer click through the fake directories in a browser, or point
a crawl at them from another process, with the same world the tests use.

    python -m sandbox serve [--sites all|a,b] [--faults rate_limit,captcha] [--<site>-port N]
    python -m sandbox truth --out FILE [--companies-out FILE]

``serve`` serves every site by default on ports 8801 (tradeboard) to 8807
(the company-web proxy); see ``sandbox.server.DEFAULT_PORTS``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from sandbox.faults import FAULT_NAMES, Faults
from sandbox.model import SERVERS
from sandbox.server import DEFAULT_PORTS, start_sandbox
from sandbox.truth import write_company_truth, write_ground_truth
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
    serve.add_argument(
        "--sites", default="all", help=f"'all' or a comma list of {', '.join(SERVERS)}"
    )
    serve.add_argument(
        "--faults",
        default="",
        help=f"comma list of fault modes ({', '.join(FAULT_NAMES)}) or 'all'",
    )
    serve.add_argument("--fault-share", type=float, default=0.1, help="share of URLs a fault hits")
    serve.add_argument("--fault-seed", type=int, default=0)
    for name in SERVERS:
        serve.add_argument(
            f"--{name}-port", type=int, default=DEFAULT_PORTS[name], help="0 picks a free port"
        )
    truth.add_argument("--out", required=True, help="output .jsonl path (one record per listing)")
    truth.add_argument("--companies-out", help="also write one record per company here")
    return parser


def _stop_on_signal() -> threading.Event:
    """An event set by Ctrl-C or SIGTERM, handlers installed now.

    Handlers are installed explicitly because a shell starting us in the
    background leaves SIGINT ignored, and a supervisor stops us with SIGTERM;
    they are installed before "Press Ctrl-C" is printed so that a supervisor
    reacting to that line cannot kill us with the default handler.
    """
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _serve(args: argparse.Namespace) -> int:
    """Serve until interrupted, printing where the sites are."""
    world = generate_world(args.seed, args.companies)
    ports = {name: getattr(args, f"{name}_port") for name in SERVERS}
    faults = None
    if args.faults:
        faults = Faults.parse(args.faults, share=args.fault_share, seed=args.fault_seed)
    with start_sandbox(world, ports=ports, faults=faults, sites=args.sites) as sandbox:
        for name, url in sandbox.urls.items():
            print(f"{name}: {url}")
        for key, value in sandbox.env().items():
            print(f"export {key}={value}")
        if faults is not None:
            print(f"faults: {', '.join(faults.enabled)}")
        stop = _stop_on_signal()
        print("Press Ctrl-C to stop.", flush=True)
        while not stop.wait(0.2):
            pass
        print("stopping", flush=True)
    return 0


def _truth(args: argparse.Namespace) -> int:
    """Write the ground truth file(s)."""
    world = generate_world(args.seed, args.companies)
    path = write_ground_truth(world, args.out)
    print(f"wrote {len(world.listings)} listings to {path}")
    if args.companies_out:
        companies = write_company_truth(world, args.companies_out)
        print(f"wrote {len(world.companies)} companies to {companies}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    return _serve(args) if args.command == "serve" else _truth(args)


if __name__ == "__main__":
    sys.exit(main())
