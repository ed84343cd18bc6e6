"""Start bubblewrap as the unprivileged user ``nobody`` when the grader runs as root.

    python -I -S launch.py --uid U --gid G [--bind SRC DST]... -- bwrap ...

Run as root, bubblewrap would run student code as the kernel's user 0, for
which the process limit (``RLIMIT_NPROC``) does not count. So the grader
starts the sandbox as ``nobody``; but ``nobody`` may not be able to reach the
interpreter (under ``/root``, say). This launcher, a fresh process with no
threads, enters a private mount namespace, bind-mounts each such directory
onto an empty folder that ``nobody`` can reach (visible to this process tree
only), drops to ``nobody`` for good and executes bubblewrap, which binds
those folders back at their original paths inside the sandbox.
"""
import ctypes
import os
import sys

CLONE_NEWNS, MS_BIND, MS_REC, MS_PRIVATE = 0x00020000, 4096, 16384, 1 << 18


def main(argv):
    libc = ctypes.CDLL(None, use_errno=True)
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1:]
    uid = gid = None
    binds = []
    i = 0
    while i < len(options):
        if options[i] == "--uid":
            uid, i = int(options[i + 1]), i + 2
        elif options[i] == "--gid":
            gid, i = int(options[i + 1]), i + 2
        elif options[i] == "--bind":
            binds.append((options[i + 1], options[i + 2]))
            i += 3
        else:
            raise SystemExit(f"launch.py: unknown option {options[i]}")

    def check(result, what):
        if result != 0:
            raise SystemExit(f"launch.py: {what}: {os.strerror(ctypes.get_errno())}")

    check(libc.unshare(CLONE_NEWNS), "unshare")
    check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make mounts private")
    for source, target in binds:
        check(libc.mount(source.encode(), target.encode(), None, MS_BIND | MS_REC, None),
              f"bind {source}")
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
