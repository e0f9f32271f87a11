#!/usr/bin/python3
"""Runs ripple-view as users and CI do, on a small fixture run made here.

  check_viewer.py screenshot RIPPLE RIPPLE_VIEW SOURCE_DIR
      headless screenshot under Xvfb; checks size, content, legend and tie colours
  check_viewer.py window RIPPLE RIPPLE_VIEW SOURCE_DIR
      the interactive viewer in its own Xvfb display, its screen grabbed a few seconds
      after the layout has settled: the network must still be there (a settled picture
      is kept and copied, a different path from the screenshot's)
  check_viewer.py truncated RIPPLE RIPPLE_VIEW SOURCE_DIR
      a run file cut in half is refused: exit code 2 and a message naming the file
  check_viewer.py dialog RIPPLE RIPPLE_VIEW SOURCE_DIR
      the "cannot open" dialog of a missing file closes on Esc and on Q
  check_viewer.py refusals RIPPLE RIPPLE_VIEW SOURCE_DIR
      a non-PNG screenshot, a week outside the run and a compare run of another
      population are refused: exit code 2 and the reason

Exit code 77 means "skipped" (ctest's SKIP_RETURN_CODE): no X server and no xvfb-run.
"""
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

# The everyday palette's tie colours (viz/core/style.cpp), in legend order.
TIE_COLOURS = {
    "belonging": (204, 121, 167),
    "support": (0, 158, 115),
    "stressor": (213, 94, 0),
    "helping relationship": (86, 180, 233),
}
BACKGROUND = (24, 26, 32)
WIDTH, HEIGHT = 1280, 800


def make_run(ripple, source_dir, out):
    subprocess.run(
        [ripple, "run", os.path.join(source_dir, "scenarios/baseline.toml"),
         "--set", "population.persons=2000", "--steps", "12", "--threads", "1",
         "--set", 'output.level="all"', "--set", "output.ties_interval=4",
         "--set", "output.interval=1", "-o", out],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def check_screenshot(view, run, work):
    if os.environ.get("DISPLAY"):
        prefix = []
    elif shutil.which("xvfb-run"):
        prefix = ["xvfb-run", "-a", "-s", f"-screen 0 {WIDTH}x{HEIGHT}x24"]
    else:
        print("SKIPPED: no X server (DISPLAY unset) and no xvfb-run; install Debian's xvfb")
        return 77
    try:
        from PIL import Image
    except ImportError:
        print("SKIPPED: python3-pil is missing, so the picture cannot be checked")
        return 77
    png = os.path.join(work, "shot.png")
    # Person 0 onwards: take the first person the viewer picks by itself, at week 8.
    # Mesa's software OpenGL keeps allocations to the end of the process; in sanitizer
    # builds LeakSanitizer would report them as ours.
    env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    done = subprocess.run(prefix + [view, run, "--screenshot", png, "--step", "8"],
                          capture_output=True, text=True, timeout=120, env=env)
    if done.returncode != 0:
        print("ripple-view failed:", done.returncode, done.stdout, done.stderr)
        return 1
    image = Image.open(png).convert("RGB")
    problems = []
    if image.size != (WIDTH, HEIGHT):
        problems.append(f"size {image.size}, expected {(WIDTH, HEIGHT)}")
    pixels = list(image.getdata())
    counts = {}
    for p in pixels:
        counts[p] = counts.get(p, 0) + 1
    if len(counts) < 50:
        problems.append(f"only {len(counts)} distinct colours: the picture is nearly blank")
    if counts.get(BACKGROUND, 0) < len(pixels) * 0.2:
        problems.append("the network's background colour covers under a fifth of the picture")
    # The legend sits at the top left: every tie colour must be there.
    legend = image.crop((0, 0, 230, 280))
    legend_colours = set(legend.getdata())
    for name, colour in TIE_COLOURS.items():
        if colour not in legend_colours:
            problems.append(f"legend lacks the colour of '{name}' ties {colour}")
    # The network itself (right of the legend, above the controls) shows support ties.
    network = image.crop((230, 0, WIDTH - 400, HEIGHT - 230))
    drawn = sum(1 for p in network.getdata() if p == TIE_COLOURS["support"])
    if drawn < 200:
        problems.append(f"only {drawn} pixels of support ties in the network view")
    if problems:
        print("screenshot check failed:\n  " + "\n  ".join(problems))
        return 1
    print(f"screenshot ok: {image.size}, {len(counts)} colours, {drawn} support-tie pixels")
    return 0


def display_free(n):
    """Whether X display :n can be had: no lock file, or one left by a server that is no
    longer running (Xvfb then removes it itself)."""
    try:
        with open(f"/tmp/.X{n}-lock") as lock:
            pid = int(lock.read().strip())
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@contextlib.contextmanager
def viewer_on_own_display(xvfb, args):
    """ripple-view (`args`) in an Xvfb display of its own: yields (display number,
    process), or None when every number from :90 to :129 is taken. Both are stopped on
    leaving."""
    display = next((n for n in range(90, 130) if display_free(n)), None)
    if display is None:
        yield None
        return
    server = subprocess.Popen([xvfb, f":{display}", "-screen", "0", f"{WIDTH}x{HEIGHT}x24"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=f":{display}",
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    viewer = None
    try:
        time.sleep(1.0)
        viewer = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        yield display, viewer
    finally:
        if viewer and viewer.poll() is None:
            viewer.kill()
            viewer.wait()
        # Asked to stop, Xvfb removes its lock file; killed, it would leave it behind,
        # and after forty runs no display number would be free.
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def support_pixels(image):
    return sum(1 for p in image.getdata() if p == TIE_COLOURS["support"])


def check_window(view, run):
    """What a user sees: frames drawn by the interactive loop, not the screenshot's."""
    xvfb = shutil.which("Xvfb")
    try:
        from PIL import ImageGrab
    except ImportError:
        xvfb = None
    if not xvfb:
        print("SKIPPED: needs Debian's xvfb (Xvfb) and python3-pil to grab the screen")
        return 77
    with viewer_on_own_display(xvfb, [view, run]) as own:
        if own is None:
            print("SKIPPED: no free X display number between :90 and :129")
            return 77
        display, viewer = own
        # The fixture's ego view settles within a second or two of opening; the grabs
        # come well after that, two seconds apart, so both show the kept picture.
        counts = []
        for wait in (6.0, 2.0):
            time.sleep(wait)
            if viewer.poll() is not None:
                print("ripple-view ended early with exit code", viewer.returncode)
                return 1
            counts.append(support_pixels(ImageGrab.grab(xdisplay=f":{display}").convert("RGB")))
    if min(counts) < 200:
        print(f"the settled network is missing from the window: {counts} support-tie pixels "
              "in grabs 6 and 8 seconds after opening (at least 200 expected)")
        return 1
    print(f"window ok: {counts} support-tie pixels in grabs after the layout settled")
    return 0


def check_truncated(view, run):
    size = os.path.getsize(run)
    with open(run, "r+b") as f:
        f.truncate(size // 2)
    done = subprocess.run([view, run, "--screenshot", run + ".png"], capture_output=True,
                          text=True, timeout=60)
    problems = []
    if done.returncode != 2:
        problems.append(f"exit code {done.returncode}, expected 2")
    if os.path.basename(run) not in done.stderr or "truncated" not in done.stderr:
        problems.append(f"the message does not name the file and say truncated: {done.stderr!r}")
    if os.path.exists(run + ".png"):
        problems.append("a screenshot was written anyway")
    if problems:
        print("truncated-file check failed:\n  " + "\n  ".join(problems))
        return 1
    print("truncated file refused:", done.stderr.strip())
    return 0


def check_refusals(ripple, source_dir, view, run, work):
    """Requests the viewer cannot honour are refused with exit code 2 and a reason, before
    any window: a screenshot that is not PNG, a week the run does not hold, and compare
    mode with a run of another population or length."""
    other = os.path.join(work, "other.h5")
    subprocess.run(
        [ripple, "run", os.path.join(source_dir, "scenarios/baseline.toml"),
         "--set", "population.persons=1500", "--steps", "12", "--threads", "1",
         "--set", 'output.level="all"', "-o", other],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cases = [
        ([run, "--screenshot", os.path.join(work, "o.jpg")], ".png", "o.jpg"),
        ([run, "--screenshot", os.path.join(work, "o.png"), "--step", "9999"], "--step 9999",
         "o.png"),
        ([run, "--screenshot", os.path.join(work, "o.png"), "--step", "-3"], "--step -3", "o.png"),
        ([run, "--compare", other, "--screenshot", os.path.join(work, "o.png")],
         "population.persons", "o.png"),
    ]
    problems = []
    for args, words, shot in cases:
        done = subprocess.run([view] + args, capture_output=True, text=True, timeout=120)
        if done.returncode != 2 or words not in done.stderr:
            problems.append(f"{' '.join(args[1:])}: exit code {done.returncode}, expected 2 "
                            f"with '{words}' in {done.stderr!r}")
        if os.path.exists(os.path.join(work, shot)):
            problems.append(f"{' '.join(args[1:])}: a screenshot was written anyway")
    if problems:
        print("refusal check failed:\n  " + "\n  ".join(problems))
        return 1
    print("bad requests refused")
    return 0


def check_dialog_keys(view, work):
    """The "cannot open" dialog closes on Esc and on Q, as the help says (keys sent
    through the X test extension to a viewer in its own Xvfb display)."""
    import ctypes
    xvfb = shutil.which("Xvfb")
    try:
        x11, xtest = ctypes.CDLL("libX11.so.6"), ctypes.CDLL("libXtst.so.6")
    except OSError:
        xvfb = None
    if not xvfb:
        print("SKIPPED: needs Debian's xvfb and libxtst6 to send keys")
        return 77
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XStringToKeysym.restype = ctypes.c_ulong
    problems = []
    for key in ("Escape", "q"):
        with viewer_on_own_display(xvfb, [view, os.path.join(work, "missing.h5")]) as own:
            if own is None:
                print("SKIPPED: no free X display number between :90 and :129")
                return 77
            display, viewer = own
            time.sleep(3.0)
            dpy = ctypes.c_void_p(x11.XOpenDisplay(f":{display}".encode()))
            xtest.XTestFakeMotionEvent(dpy, 0, WIDTH // 2, HEIGHT // 2, 0)
            code = x11.XKeysymToKeycode(dpy, ctypes.c_ulong(x11.XStringToKeysym(key.encode())))
            xtest.XTestFakeKeyEvent(dpy, code, 1, 0)
            xtest.XTestFakeKeyEvent(dpy, code, 0, 0)
            x11.XFlush(dpy)
            try:
                if viewer.wait(timeout=10) != 2:
                    problems.append(f"{key}: exit code {viewer.returncode}, expected 2")
            except subprocess.TimeoutExpired:
                problems.append(f"{key} did not close the dialog")
            x11.XCloseDisplay(dpy)
    if problems:
        print("dialog check failed:\n  " + "\n  ".join(problems))
        return 1
    print("the cannot-open dialog closes on Esc and Q")
    return 0


def main():
    mode, ripple, view, source_dir = sys.argv[1:5]
    with tempfile.TemporaryDirectory() as work:
        run = os.path.join(work, "fixture.h5")
        make_run(ripple, source_dir, run)
        if mode == "screenshot":
            return check_screenshot(view, run, work)
        if mode == "window":
            return check_window(view, run)
        if mode == "dialog":
            return check_dialog_keys(view, work)
        if mode == "refusals":
            return check_refusals(ripple, source_dir, view, run, work)
        return check_truncated(view, run)


if __name__ == "__main__":
    sys.exit(main())
