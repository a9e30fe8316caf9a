"""Output files: whole or not at all; a symlink's target replaced, not the link; a stream
(a FIFO here — the same path as /dev/stdout or /dev/null) written in place, never renamed over."""

import os
import stat
import threading

import pytest

from halo2py._output import output_file
from halo2py.cli.files import write_output
from halo2py.errors import InputError


def test_a_symlink_keeps_pointing_at_the_replaced_file(tmp_path):
    real = tmp_path / "keys" / "proof.bin"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "proof.bin"
    link.symlink_to(real)
    write_output(link, b"new", "proof file")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["proof.bin"]  # no temporary left


def test_a_fifo_is_written_in_place_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_output(fifo, b"a proof on a pipe", "proof file")
    reader.join(timeout=10)
    assert received == [b"a proof on a pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and list(tmp_path.iterdir()) == [fifo]


def test_a_link_to_a_pipe_is_written_through(tmp_path):
    """/dev/stdout is a link to /proc/self/fd/1, whose target (pipe:[…]) is no path: the stream
    is recognised through the link, and the bytes go down the pipe."""
    read_end, write_end = os.pipe()
    link = tmp_path / "stdout"
    link.symlink_to(f"/proc/self/fd/{write_end}")
    try:
        write_output(link, b"down the pipe", "proof file")
    finally:
        os.close(write_end)
    with os.fdopen(read_end, "rb") as r:
        assert r.read() == b"down the pipe"
    assert link.is_symlink()


def test_params_and_keys_go_through_the_same_writer(tmp_path):
    """params.write (and write_pk) no longer rename over whatever the path names."""
    from halo2py.commitment.params import ParamsKZG

    params = ParamsKZG.setup_with_secret(2, 2)
    real = tmp_path / "real.params"
    real.write_bytes(b"")
    link = tmp_path / "link.params"
    link.symlink_to(real)
    params.write(link)
    assert link.is_symlink() and ParamsKZG.read(real).k == 2
    with pytest.raises(InputError, match="cannot write params file"):
        params.write(tmp_path / "missing" / "p.params")


def test_a_failed_block_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "proof.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with output_file(target) as f:
            f.write(b"half")
            raise RuntimeError("disk full, say")
    assert target.read_bytes() == b"old" and list(tmp_path.iterdir()) == [target]
