"""What the tests that send SIGINT to a CLI process share."""

import signal


def interruptible() -> None:
    """``preexec_fn`` of such a child: SIGINT back to its default before exec. A suite started in
    the background by a shell without job control inherits SIGINT *ignored*, and Python then keeps
    ignoring it (as a background job should), so the signal the test sends would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
