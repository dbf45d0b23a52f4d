"""What every command shares: error handling (one line, no traceback unless
``--debug``), stderr messages, and the shared options."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from runload.errors import ConfigError, NamedPathError, RunloadError, WakingWindowError
from runload.render.safe import terminal_text

if TYPE_CHECKING:
    from runload.options import Options

F = TypeVar("F", bound=Callable[..., Any])

# The exit statuses, the same in every command (documented in each --help and docs/commands.md).
EXIT_OK = 0
EXIT_PROBLEMS = 1  # data problems (--strict, rejected rows, nothing to report or check)
EXIT_USAGE = 2  # usage mistakes: a bad option or value, a broken runload.toml (click's 2)
EXIT_ELEVATED = 3  # check / team: the day (the worst athlete) is elevated
EXIT_HIGH = 4  # check / team: the day (the worst athlete) is high


def finish(status: int) -> NoReturn:
    """End the command with ``status`` (the one way every command sets its exit status)."""
    click.get_current_context().exit(status)
    raise AssertionError("unreachable")  # Context.exit raises


def resolve(
    paths: Iterable[str],
    sitting: Iterable[str],
    *,
    config_path: str | None,
    jobs: int | None = None,
    cache_dir: str | None = None,
    no_cache: bool = False,
    log: str | None = None,
    need_paths: bool = True,
    default_sitting: bool = True,
) -> Options:
    """The command's flags mapped onto ``runload.options.resolve_options`` (which applies
    ``runload.toml`` and the environment); no activity path, or a path named that cannot be
    read (``NamedPathError``, turned into exit 2 by ``RunloadGroup``), is a usage mistake.
    ``--dask`` (``dask_option``) and ``--units`` (``units_option``) come from the click
    context."""
    from runload.options import NoActivitiesError, resolve_options

    ctx = click.get_current_context(silent=True)
    try:
        return resolve_options(
            paths,
            sitting,
            config=config_path,
            cache_dir=cache_dir,
            use_cache=not no_cache,
            jobs=jobs,
            dask=ctx.meta.get(DASK_KEY) if ctx is not None else None,
            units=ctx.meta.get(UNITS_KEY) if ctx is not None else None,
            log=log,
            need_paths=need_paths,
            default_sitting=default_sitting,
        )
    except NoActivitiesError as exc:
        raise click.UsageError(exc.message) from None


def _debug_enabled() -> bool:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and ctx.obj.get("debug"):
            return True
        ctx = ctx.parent
    return "--debug" in sys.argv


class OneLineUsageError(click.UsageError):
    """A usage mistake shown as one line (click shows usage, a hint and a blank line)."""

    def show(self, file: Any = None) -> None:
        hint = f" (see '{self.ctx.command_path} --help')" if self.ctx is not None else ""
        click.echo(terminal_text(f"Error: {self.format_message()}{hint}"), err=True)


def _one_line(exc: click.UsageError) -> click.UsageError:
    if isinstance(exc, OneLineUsageError) or type(exc).__name__ == "NoArgsIsHelpError":
        return exc  # a bare group (`runload sitting`) shows its help, as click does
    return OneLineUsageError(exc.format_message(), exc.ctx)  # (exit status 2, as the usage error's)


class ConfigMistake(click.ClickException):
    """A broken config (``runload.toml``: bad TOML, an unknown key, a wrong type) or a path
    named that cannot be read (``NamedPathError``): a usage mistake like a bad option
    value, so exit 2, never the 1 of a data problem, nor a status ``check`` gives a risk
    level."""

    exit_code = EXIT_USAGE


class RunloadGroup(click.Group):
    """A group that turns usage mistakes and config errors into one line (exit 2), library
    errors into one clear line (exit 1) and unexpected errors into one line plus a hint to
    use ``--debug``."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except (ConfigError, WakingWindowError, NamedPathError) as exc:
            if _debug_enabled():
                traceback.print_exc()
            raise ConfigMistake(terminal_text(str(exc))) from None
        except RunloadError as exc:
            if _debug_enabled():
                traceback.print_exc()
            raise click.ClickException(terminal_text(str(exc))) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as exc:
            if _debug_enabled():
                traceback.print_exc()
            raise click.ClickException(
                terminal_text(
                    f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)"
                )
            ) from None


def date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """A click callback: a YYYY-MM-DD option as a date (``runload.units.parse_date``)."""
    if value is None:
        return None
    from runload.units import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def day_option(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """A click callback: the day a command is asked about, at most a year ahead
    (``runload.span.refuse_far_day``): the daily table runs to that day."""
    day = date_option(ctx, param, value)
    if day is None:
        return None
    from runload.errors import DateRangeError
    from runload.span import refuse_far_day

    try:
        return refuse_far_day(day, dt.date.today())
    except DateRangeError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def echo_err(message: str) -> None:
    """One line on stderr; a control character in it (from a file name) is shown as an
    escape, never sent to the terminal (``runload.render.safe.terminal_text``)."""
    click.echo(terminal_text(message), err=True)


def echo_notes(notes: Iterable[str]) -> None:
    """Notes about this run, not the data (the FIT decoder's), each once."""
    for note in dict.fromkeys(notes):
        echo_err(f"note: {note}")


VERBOSE_KEY = "runload.verbose"  # where verbose_option leaves its value (click context meta)


def _keep_verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[VERBOSE_KEY] = True


def verbose_option(f: F) -> F:
    """``--verbose``/``-v``: every problem and merged copy on the terminal, one line each,
    instead of the counts per kind and the first few of each (``runload.render.summary``).
    Not a parameter of the command: ``verbose_enabled`` reads it."""
    return click.option(
        "--verbose",
        "-v",
        is_flag=True,
        expose_value=False,
        callback=_keep_verbose,
        help="List every problem and merged copy on the terminal (default: the count of "
        "each kind and its first 5). JSON output always has them all.",
    )(f)


def verbose_enabled() -> bool:
    """Whether the command runs with ``--verbose``."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(VERBOSE_KEY))


def echo_problems(problems: Iterable[Any], *, noun: str = "problems") -> None:
    """Problems (or merged copies: ``noun``) on stderr, one line each, summarised past a few
    of a kind and within the terminal's width unless ``--verbose``
    (``runload.render.summary.summary_lines``)."""
    from runload.render.summary import summary_lines, terminal_width

    verbose = verbose_enabled()
    width = None if verbose else terminal_width()
    for line in summary_lines(list(problems), verbose=verbose, noun=noun, width=width):
        click.echo(line.text, err=True)  # (escaped by summary_lines)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def format_option(choices: tuple[str, ...] = ("table", "csv", "json")) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices, case_sensitive=False),
        default=None,
        help=f"Output format ({', '.join(choices)}); default: table on a terminal, csv when piped."
        if "csv" in choices
        else "Output format.",
    )


def jobs_option(f: F) -> F:
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes for parsing FIT files (default: all cores).",
    )(f)


DASK_KEY = "runload.dask"  # where dask_option leaves its value (click context meta)


def _keep_dask(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[DASK_KEY] = value


def dask_option(f: F) -> F:
    """``--dask SCHEDULER``: parse on Dask (``runload.distributed``). Not a parameter of the
    command: ``resolve`` reads it, so adding it to a command is this one decorator."""
    return click.option(
        "--dask",
        "dask",
        metavar="SCHEDULER",
        default=None,
        expose_value=False,
        callback=_keep_dask,
        help="Parse the files on Dask: 'local' (a local cluster of --jobs workers) or a "
        "scheduler's address (tcp://host:8786). Needs: pip install 'runload[dask]'.",
    )(f)


UNITS_KEY = "runload.units"  # where units_option leaves its value (click context meta)


def _keep_units(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[UNITS_KEY] = value.lower()


def units_option(f: F) -> F:
    """``--units metric|imperial``: distances and paces in km or miles, for this run (over
    ``[display] units``). Not a parameter of the command: ``resolve`` reads it."""
    return click.option(
        "--units",
        type=click.Choice(("metric", "imperial"), case_sensitive=False),
        default=None,
        expose_value=False,
        callback=_keep_units,
        help="Distances and paces in km (metric) or miles (imperial); default: [display] "
        "units in runload.toml, else metric. JSON and CSV keep km.",
    )(f)


def units_given() -> str | None:
    """The ``--units`` of the command running (None: not given)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(UNITS_KEY) if ctx is not None else None


def cache_options(f: F) -> F:
    f = click.option(
        "--no-cache", is_flag=True, help="Parse every file again; neither read nor write the cache."
    )(f)
    f = click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=str),
        default=None,
        help="Cache folder (default: $RUNLOAD_CACHE_DIR, else [paths] cache_dir in "
        "runload.toml, else the user cache folder).",
    )(f)
    return f


def inputs_options(f: F) -> F:
    """PATH... and --sitting: the season's inputs (report, check, plot, sources)."""
    f = click.option(
        "--sitting",
        "sitting",
        multiple=True,
        type=click.Path(path_type=str),
        help="Sitting log, device export, folder or zip (repeatable). Default: the config's "
        "[sitting] log when that file exists, else the sitting sources inside PATH.",
    )(f)
    return click.argument("paths", nargs=-1, type=click.Path(path_type=str))(f)


def config_option(f: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=str),
        default=None,
        help="Config file (default: ./runload.toml, else the user config folder).",
    )(f)


@contextlib.contextmanager
def progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """One progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "reading activity files",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("read", total=None)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield advance
