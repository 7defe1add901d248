"""`apidiff kinds`: every compatibility rule, with its severities per perspective and position."""

from __future__ import annotations

import json
from pathlib import Path

import click

from apidiff.classify import RULES, Perspective
from apidiff.cli import cli
from apidiff.cli.output import OUTPUT_OPTION, write_output


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@OUTPUT_OPTION
def kinds(output_format: str, output: Path | None) -> None:
    """List every rule: id, meaning, and severity per perspective (request / response)."""
    if output_format == "json":
        document = [
            {
                "id": rule.id,
                "summary": rule.summary,
                "advice": rule.advice,
                "severity": {
                    perspective.value: {
                        "request": rule.verdicts[perspective].request.value,
                        "response": rule.verdicts[perspective].response.value,
                    }
                    for perspective in Perspective
                },
            }
            for rule in RULES
        ]
        text = json.dumps(document, indent=2) + "\n"
    else:
        from apidiff.render.environment import render_template

        text = render_template(
            f"kinds.{'md' if output_format == 'markdown' else 'txt'}.j2",
            rules=RULES,
            perspectives=list(Perspective),
        )
    write_output(text, output)
