"""Progress is drawn on a terminal only: captured output (tests, CI, logs) is exactly as without it."""
import io
import logging

from build_data import progress


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_silent_when_stderr_is_not_a_terminal(capfd, monkeypatch):
    monkeypatch.delenv(progress.ENV, raising=False)
    log = logging.getLogger("build_data")
    with progress.stage("build", total=3) as advance:
        for _ in range(3):
            advance()
        log.warning("a log line")
        with progress.stage("gate") as inner:
            inner(2)
    out, err = capfd.readouterr()
    assert out == "" and "\x1b" not in err and "build" not in err


def test_drawn_on_a_terminal_and_log_lines_still_come_through(monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.delenv(progress.ENV, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    handler = logging.StreamHandler(terminal)
    log = logging.getLogger("build_data")
    log.addHandler(handler)
    try:
        assert progress.enabled()
        with progress.stage("render figures", total=2) as advance:
            advance()
            log.warning("figure one written")
            advance()
    finally:
        log.removeHandler(handler)
    assert handler.stream is terminal            # the log handler is given its stream back
    drawn = terminal.getvalue()
    assert "render figures" in drawn and "figure one written" in drawn


def test_switched_off_and_on_by_the_environment(monkeypatch):
    monkeypatch.setenv(progress.ENV, "0")
    assert not progress.enabled(FakeTerminal())
    monkeypatch.setenv(progress.ENV, "1")
    assert progress.enabled(io.StringIO())
