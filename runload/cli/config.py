"""``runload init``: write a ``runload.toml`` with every key, its default and a comment."""

from __future__ import annotations

import click

from runload.render.safe import terminal_text


@click.command("init")
@click.argument("path", required=False, type=click.Path(path_type=str))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option(
    "--user", "user_folder", is_flag=True, help="Write it to the user config folder instead."
)
def init(path: str | None, force: bool, user_folder: bool) -> None:
    """Write a config file (default ./runload.toml) with every setting, its default and a
    one-line comment. An existing file is kept unless --force. Exit status: 0
    written; 1 not written (it exists, or cannot be written); 2 a usage mistake.

    \b
    Example:
      runload init                 # ./runload.toml
      runload init --user          # the user config folder
    """
    from pathlib import Path

    from runload.config import CONFIG_NAME, init_config, not_toml_name, user_config_path

    if path is not None and user_folder:
        raise click.UsageError("give a PATH or --user, not both")
    if path is not None and not Path(path).expanduser().is_dir() and (why := not_toml_name(path)):
        raise click.BadParameter(f"{path}: {why}", param_hint="PATH")
    target = user_config_path() if user_folder else (path or CONFIG_NAME)
    from runload.errors import ConfigError

    try:
        written = init_config(target, force=force)
    except ConfigError as exc:  # the file exists or cannot be written: not a usage mistake
        raise click.ClickException(str(exc)) from None
    click.echo(terminal_text(f"wrote {written}"))


COMMANDS: list[click.Command] = [init]
