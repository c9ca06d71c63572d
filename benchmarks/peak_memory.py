"""Run a command and print, last on stderr, the peak resident memory (MiB) of it or any of its
child processes: `ru_maxrss` of the children, taken in a process of its own so that each
benchmark run is measured apart from the ones before it."""
from __future__ import annotations

import resource
import subprocess
import sys

if __name__ == "__main__":
    done = subprocess.run(sys.argv[1:], check=False)
    print(f"peak MiB {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.1f}", file=sys.stderr)
    sys.exit(done.returncode)
