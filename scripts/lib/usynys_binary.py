"""The usynys binary a script runs: --binary, else $USYNYS_BINARY, else build/release/usynys
(built, with its Debian packages, when missing).

From a shell script: `python3 scripts/lib/usynys_binary.py PROG` prints the path (PROG names
the script in progress messages, which go to stderr)."""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def binary_path(given, prog):
    if given:
        return given
    if os.environ.get("USYNYS_BINARY"):
        return os.environ["USYNYS_BINARY"]
    build = os.path.join(REPO, "build", "release")
    built = os.path.join(build, "usynys")
    if not os.path.exists(built):
        print(f"{prog}: building usynys (Release)", file=sys.stderr)
        subprocess.run([os.path.join(REPO, "scripts", "deps.sh"), "build"], check=True,
                       stdout=sys.stderr)
        subprocess.run(["cmake", "-S", REPO, "-B", build, "-DCMAKE_BUILD_TYPE=Release"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", build, "-j2", "--target", "usynys"], check=True,
                       stdout=sys.stderr)
    return built


if __name__ == "__main__":
    print(binary_path(None, sys.argv[1] if len(sys.argv) > 1 else "usynys"))
