"""A writer process for the durability tests (run as a script, not collected).

Usage: writer_child.py ROOT CODER MODE
  MODE "kill": print "ready", then apply (and now and then undo) forever,
               printing "A <coding id>" / "U <undone action id>" after each returns.
  MODE "race": print "ready", wait for a line on stdin, then do 60 actions
               (applies and undos) and print "done <ids>".
"""

import sys

from coder.core.codings import CodingStore

TEXT = "We met every week in the church hall and slowly the group became friends. " * 4


def say(line: str) -> None:
    """One whole line per write, so a kill never leaves half an acknowledgement."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    root, coder, mode = sys.argv[1:4]
    store = CodingStore(root, lock_timeout=30)
    store.load()
    say("ready")
    if mode == "race":
        sys.stdin.readline()
    n = 0
    while mode == "kill" or n < 60:
        n += 1
        if n % 4 == 0:
            change = store.undo(coder)
            if change is not None:
                say(f"U {change.action['id']}")
        else:
            start = (n * 7) % 200
            coding = store.apply(coder, "t1", TEXT, f"code{n % 5}", start, start + 20)
            say(f"A {coding.id}")
    say("done")


if __name__ == "__main__":
    main()
